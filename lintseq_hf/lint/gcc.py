"""C and C++ verdicts from GCC: ``gcc``/``g++ -fsyntax-only -w``, errors only (docs/languages.md).

Every ``error:`` and ``fatal error:`` counts (warnings are off); a diagnostic inside a header
is blamed on the state's ``#include`` line that brought it in. GCC starts in milliseconds, so
each state is one process (no worker); the run directory is empty, so quoted includes never
find files of the working directory.
"""

from __future__ import annotations

import re

from lintseq_hf.lint.base import LintError, VerdictCache
from lintseq_hf.lint.tools import empty_directory, require_program, run_once

_DIAGNOSTIC = re.compile(r"^(?P<file>.*?):(?P<line>\d+):(?P<column>\d+): (?P<kind>fatal error|error|sorry, unimplemented): (?P<message>.*)$")
_INCLUDED_FROM = re.compile(r"^(?:In file included|\s+) from <stdin>:(?P<line>\d+)[:,]")


class GccLinter:
    """C states checked by ``gcc -fsyntax-only -std=gnu17 -w``."""

    name = "gcc"
    compiler = "gcc"
    source_language = "c"
    standard = "gnu17"

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
        self.cache = VerdictCache(cache_size)
        self.calls = 0

    def lint(self, text: str) -> list[LintError]:
        """GCC's errors for ``text``, each on its line of ``text``."""
        cached = self.cache.get(text)
        if cached is not None:
            return cached
        self.calls += 1
        completed = run_once(self.args, text, cwd=self.cwd)
        errors = parse_gcc_output(completed.stderr)
        self.cache.put(text, errors)
        return errors


class GxxLinter(GccLinter):
    """C++ states checked by ``g++ -fsyntax-only -std=gnu++17 -w``."""

    name = "g++"
    compiler = "g++"
    source_language = "c++"
    standard = "gnu++17"


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
        errors.append(LintError(kind, line, column, found.group("message")))
    return errors
