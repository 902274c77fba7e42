"""C and C++ verdicts from GCC: ``gcc``/``g++ -fsyntax-only -w``, errors only (docs/languages.md).

Every ``error:`` and ``fatal error:`` counts (warnings are off); a diagnostic inside a header
is blamed on the state's ``#include`` line that brought it in. GCC starts in milliseconds, so
each state is one process (no worker); the run directory is empty, so quoted includes never
find files of the working directory.

C++ standard headers take most of g++'s time. A state's leading block of ``#include <...>``
lines (with blank and ``//`` lines) is therefore compiled once into a precompiled header and
the state compiled with ``-include`` of it, the block's lines left blank so that line numbers
stay; the token stream g++ sees is the same, so are the verdicts. A block that does not
precompile is compiled in place.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess

from lintseq_hf.lint.base import LintError, MemoizedLinter
from lintseq_hf.lint.compilers.tools import empty_directory, require_program, run_once, tool_environment

_DIAGNOSTIC = re.compile(r"^(?P<file>.*?):(?P<line>\d+):(?P<column>\d+): (?P<kind>fatal error|error|sorry, unimplemented): (?P<message>.*)$")
_SYSTEM_INCLUDE = re.compile(r"^\s*#\s*include\s*<[^<>]+>\s*(//.*)?$")
_INCLUDED_FROM = re.compile(r"^(?:In file included|\s+) from <stdin>:(?P<line>\d+)[:,]")


class GccLinter(MemoizedLinter):
    """C states checked by ``gcc -fsyntax-only -std=gnu17 -w``."""

    name = "gcc"
    compiler = "gcc"
    source_language = "c"
    standard = "gnu17"
    precompile = False

    def __init__(self, extra_args: tuple[str, ...] = (), cache_size: int = 256) -> None:
        self.program = require_program(self.compiler, "install GCC (Debian: apt-get install gcc g++)")
        self.args = (
            self.program,
            "-fsyntax-only",
            "-w",
            "-fdiagnostics-plain-output",
            "-fno-diagnostics-show-caret",
            f"-std={self.standard}",
            *extra_args,
            "-x",
            self.source_language,
            "-",
        )
        self.cwd = empty_directory("lintseq-gcc-")
        super().__init__(cache_size)
        self.extra_args = extra_args
        self._headers: dict[str, str | None] = {}  # header block text -> its .h path (None: does not precompile)
        self._seen: set[str] = set()

    def _lint(self, text: str) -> list[LintError]:
        """GCC's errors for ``text``, each on its line of ``text``."""
        args, source = self.args, text
        if self.precompile:
            header, lines = _header_block(text)
            path = self._precompiled(header) if header else None
            if path is not None:
                args = (*self.args[:-3], "-include", path, *self.args[-3:])
                source = "\n" * lines + text.split("\n", lines)[-1] if lines else text
        completed = run_once(args, source, cwd=self.cwd)
        errors = parse_gcc_output(completed.stderr)
        return errors


    def _precompiled(self, header: str) -> str | None:
        """Path of the ``.h`` whose ``.gch`` holds ``header`` precompiled, built the second time a
        block is seen (most blocks of a sampling pass are seen once: building costs more)."""
        if header in self._headers:
            return self._headers[header]
        if header not in self._seen:
            self._seen.add(header)
            return None
        key = hashlib.sha256(header.encode("utf-8", "surrogatepass")).hexdigest()[:20]
        path = os.path.join(self.cwd, f"h{key}.h")
        with open(path, "w", encoding="utf-8", errors="surrogatepass") as handle:
            handle.write(header)
        built = subprocess.run(
            [self.program, "-w", f"-std={self.standard}", *self.extra_args, "-x", f"{self.source_language}-header",
             path, "-o", path + ".gch"],
            capture_output=True, cwd=self.cwd, env=tool_environment(), check=False,
        )
        self._headers[header] = path if built.returncode == 0 else None
        return self._headers[header]


class GxxLinter(GccLinter):
    """C++ states checked by ``g++ -fsyntax-only -std=gnu++17 -w`` (standard headers precompiled)."""

    name = "g++"
    compiler = "g++"
    source_language = "c++"
    standard = "gnu++17"
    precompile = True


def _header_block(text: str) -> tuple[str, int]:
    """The leading lines of ``text`` that are ``#include <...>``, blank or comments, up to the
    last include (as text), and how many lines that is."""
    lines = text.split("\n")
    end = 0
    in_comment = False
    for i, line in enumerate(lines):
        stripped = line.strip()
        if in_comment:
            in_comment = "*/" not in stripped
            if not in_comment and not stripped.endswith("*/"):
                break
            continue
        if _SYSTEM_INCLUDE.match(line):
            end = i + 1
        elif stripped.startswith("/*"):
            in_comment = "*/" not in stripped[2:]
            if not in_comment and not stripped.endswith("*/"):
                break
        elif stripped and not (stripped.startswith("//") and not stripped.endswith("\\")):
            break
    return "\n".join(lines[:end]) + "\n" if end else "", end


def parse_gcc_output(stderr: str) -> list[LintError]:
    """Counted errors in GCC's plain diagnostics for a source read from stdin."""
    errors: list[LintError] = []
    include_line = 0
    for raw in stderr.splitlines():
        included = _INCLUDED_FROM.match(raw)
        if included:
            include_line = int(included.group("line"))
            continue
        found = _DIAGNOSTIC.match(raw)
        if found is None:
            continue
        kind = "fatal" if found.group("kind") == "fatal error" else "error"
        if found.group("file") == "<stdin>":
            line, column = int(found.group("line")), int(found.group("column"))
            include_line = 0
        else:
            line, column = include_line, 0
        errors.append(LintError(kind, line, column, found.group("message"), fatal=kind == "fatal"))
    return errors
