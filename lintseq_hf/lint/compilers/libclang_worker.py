"""The libclang worker of :mod:`lintseq_hf.lint.compilers.libclang`: one process, many states.

Run as ``python libclang_worker.py LIBRARY LANGUAGE [FLAG ...]`` (``LANGUAGE`` ``c`` or ``c++``) in an
empty folder; it speaks the worker protocol of :mod:`lintseq_hf.lint.compilers.worker` on its
stdin/stdout (the request's name is ignored). Each state is checked as clangd checks an open
file: a translation unit is kept per leading header block, its main file is the block itself
followed by ``#include`` of the state, and the block is clang's precompiled preamble, built once
and reused by every reparse while the state changes (the state's own block lines are left
blank, so its lines keep their numbers). A list the worker has no unit for yet is first checked,
for up to :data:`PREFIX_STATES` of its states, through the unit of its longest prefix that has
one: that unit's main file is the prefix, a ``;`` that ends the preamble there, the list's other
includes and the state, the same tokens in the same order as the whole list followed by the state
(an empty declaration ``;`` at file scope changes nothing), so the same verdict. Reply codes: ``error``, ``fatal`` (clang stopped: a
missing header) and ``worker-crash`` (libclang failed on the state). A request named
``declared:<name>,...`` (with the state just checked) is answered with a ``declared`` line for each
name the state's headers declare at file scope or define as a function-like macro.

A diagnostic is placed where GCC places it: on its spelling line (a token of a macro body: the
``#define``'s line), and inside a header on the state's ``#include`` line that brought it in.
This file imports nothing of lintseq_hf: it runs in a process of its own, so that a crash of
libclang never takes the sampler with it.
"""

from __future__ import annotations

import ctypes
import os
import re
import shutil
import sys
import tempfile
from collections import OrderedDict

try:
    from clang import cindex
except ImportError:  # the caller's process reads only the protocol's names here; libclang.find_libclang names the fix
    cindex = None  # type: ignore[assignment]

MAIN = "lintseq-main"
"""The main file's name (``.c`` or ``.cc``): the header block, a ``;`` and ``#include`` of the state."""

STATE = "lintseq-state.h"
"""The name the state is included under."""

LOOKUP = "declared:"
"""A request's name that asks which names the headers of the state's unit declare at file scope."""

MAX_UNITS = {"c": 64, "c++": 32}
"""Translation units kept per language (one per preamble, least recently used out first): about
2 MB each for C, 13 MB for C++ (docs/performance.md). The sampler checks the rows of a lockstep
group together, so each group's include lists are alive at once; 16 units rebuilt C preambles."""

PREFIX_STATES = {"c": 8, "c++": 1}
"""States of a new include list checked through the unit of a prefix of it (the rest of its
includes parsed with the state) before the list gets a preamble of its own: C headers parse in
about a millisecond, so a list seen a few times never pays a preamble build; C++ headers take
tens to hundreds of milliseconds, so a C++ list gets its own preamble at once."""

PARSE_OPTIONS = 0x04 | 0x100
"""``CXTranslationUnit_PrecompiledPreamble | CXTranslationUnit_CreatePreambleOnFirstParse``."""

_LEADING_INCLUDE = re.compile(r'^(?!.*\\\s*$)\s*#\s*include\s*(?:<[^<>]+>|"[^"]+")\s*(?://.*|/\*(?:(?!\*/).)*\*/\s*)?$')
"""An include, maybe with a ``//`` comment or a ``/* */`` one closed on its line; never continued (``\\``)."""
_DIRECTIVE = re.compile(r'\s*#\s*include\s*(?:<[^<>]+>|"[^"]+")')
_MACRO = re.compile(rb"^[ \t]*#[ \t]*define[ \t]+([A-Za-z_]\w*)\(", re.MULTILINE)
"""A function-like macro's definition in a header: ``assert(x)`` is no call, so no lookup."""


def header_block(text: str, directive: re.Pattern[str] = _LEADING_INCLUDE) -> tuple[str, int]:
    """The leading lines of ``text`` that match ``directive`` (an ``#include``), with blank and
    comment lines among them, up to the last such line (as text), and how many lines that is.
    Defined here, in the one module of the package that imports nothing of it, so that the
    worker process and the parent's GCC linters (gcc.py) split a state the same way."""
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
        if directive.match(line):
            end = i + 1
        elif stripped.startswith("/*"):
            in_comment = "*/" not in stripped[2:]
            if not in_comment and not stripped.endswith("*/"):
                break
        elif stripped and not (stripped.startswith("//") and not stripped.endswith("\\")):
            break
    return "\n".join(lines[:end]) + "\n" if end else "", end


def _split(text: str) -> tuple[tuple[str, ...], list[int], str]:
    """The main file's include lines for ``text``, the state's line of each, and the state with its
    block's lines left blank."""
    block, count = header_block(text) if MAIN not in text and STATE not in text else ("", 0)
    lines = block.split("\n")[:count]
    places = [number for number, line in enumerate(lines, 1) if _LEADING_INCLUDE.match(line)]
    directives = tuple(_DIRECTIVE.match(lines[number - 1]).group(0) for number in places)  # type: ignore[union-attr]
    return directives, places, "\n" * count + text.split("\n", count)[-1] if count else text


class Checker:
    """Translation units per header block, reparsed for each state."""

    def __init__(self, language: str, flags: list[str]) -> None:
        self.main = MAIN + (".c" if language == "c" else ".cc")
        self.args = ["-x", language, *flags]
        self.index = cindex.Index.create()
        self.max_units, self.build_at = MAX_UNITS[language], PREFIX_STATES[language]
        self.units: OrderedDict[tuple[str, ...], cindex.TranslationUnit] = OrderedDict()  # preamble's includes -> unit
        self.sightings: OrderedDict[tuple[str, ...], int] = OrderedDict()  # include list -> states seen with it
        self.globals: OrderedDict[tuple[str, ...], frozenset[str]] = OrderedDict()  # include list -> names its headers declare
        self.last: tuple[tuple[str, ...], cindex.TranslationUnit] | None = None  # the last state's includes and unit
        for name in (self.main, STATE):  # a preamble is reused only for files that exist on disk
            with open(name, "w", encoding="utf-8"):
                pass
        spelling = cindex.conf.lib.clang_getSpellingLocation
        spelling.argtypes = [cindex.SourceLocation, ctypes.POINTER(cindex.c_object_p), ctypes.POINTER(ctypes.c_uint),
                             ctypes.POINTER(ctypes.c_uint), ctypes.POINTER(ctypes.c_uint)]
        spelling.restype = None
        self._spelling = spelling

    def check(self, text: str) -> list[tuple[int, int, str, str]]:
        """(line, column, code, message) of each error of ``text``; the message is prefixed by
        ``"<line>:<column>\\t"`` of where the error's macro was used in the state (``0:0``: elsewhere)."""
        directives, places, state = _split(text)
        try:
            unit, key = self._parse(directives, state)
        except cindex.TranslationUnitLoadError:
            self.last = None
            return [(0, 0, "worker-crash", "libclang could not parse the state")]
        self.last = (directives, unit)
        # the main file's lines: the preamble's includes, the ";" that ends it, the other includes, the state
        lines = [*places[:len(key)], 0, *places[len(key):]]
        # the end of input: GCC places it on the state's last line with text
        end = next((number for number in range(text.count("\n") + 1, 0, -1) if text.split("\n")[number - 1].strip()), 0)
        return self._errors(unit, lines, end)

    def _parse(self, directives: tuple[str, ...], state: str) -> tuple[cindex.TranslationUnit, tuple[str, ...]]:
        """The unit that checked ``state`` (with the include lines ``directives``), and the include
        lines its preamble holds (``directives`` or a prefix of them: module docstring)."""
        key = directives
        unit = self.units.pop(key, None)
        if unit is None:
            seen = self.sightings.pop(key, 0) + 1
            self.sightings[key] = seen
            while len(self.sightings) > 16 * self.max_units:
                self.sightings.popitem(last=False)
            if seen < self.build_at:
                key = max((k for k in self.units if 0 < len(k) < len(directives) and directives[:len(k)] == k), key=len, default=key)
                unit = self.units.pop(key, None)
        main = "".join(line + "\n" for line in key) + ";\n" + "".join(line + "\n" for line in directives[len(key):])
        files = [(self.main, f"{main}#include \"{STATE}\"\n"), (STATE, state)]
        if unit is not None:
            try:
                unit.reparse(unsaved_files=files)
            except cindex.TranslationUnitLoadError:  # a unit libclang gave up on: once more from scratch
                unit = None
        if unit is None:
            unit = self.index.parse(self.main, args=self.args, unsaved_files=files, options=PARSE_OPTIONS)
        self.units[key] = unit
        while len(self.units) > self.max_units:
            self.units.popitem(last=False)
        return unit, key

    def declared(self, text: str, names: list[str]) -> list[str]:
        """Which of ``names`` the headers of ``text``'s unit declare at file scope or define as
        function-like macros (all of them
        when the unit is gone: the caller then adds nothing)."""
        directives = _split(text)[0]
        if self.last is None or self.last[0] != directives:
            return names
        unit = self.last[1]
        if directives not in self.globals:
            found: set[str] = set()
            level = list(unit.cursor.get_children())
            while level:
                child = level.pop()
                if child.location.file is None or child.location.file.name in (STATE, self.main):
                    continue
                if child.kind in (cindex.CursorKind.LINKAGE_SPEC, cindex.CursorKind.UNEXPOSED_DECL):  # extern "C" { ... }
                    level.extend(child.get_children())
                else:
                    found.add(child.spelling)
            for include in unit.get_includes():  # function-like macros: a use of one is no call
                try:
                    with open(include.include.name, "rb") as header:
                        found.update(name.decode("ascii") for name in _MACRO.findall(header.read()))
                except OSError:
                    continue
            self.globals[directives] = frozenset(found)
            while len(self.globals) > self.max_units:
                self.globals.popitem(last=False)
        return [name for name in names if name in self.globals[directives]]

    def _errors(self, unit: cindex.TranslationUnit, lines: list[int], end: int) -> list[tuple[int, int, str, str]]:
        """The errors of the last parse of ``unit``; ``lines``: the state's line of each line of the
        main file (0: none); ``end``: the state's last line with text."""
        found = []
        included: dict[str, tuple[str, int]] | None = None
        for diagnostic in unit.diagnostics:
            if diagnostic.severity < cindex.Diagnostic.Error:
                continue
            name, line, column = self._where(diagnostic.location)
            if name not in (STATE, self.main):
                if included is None:
                    included = {i.include.name: (i.source.name, i.location.line) for i in unit.get_includes()}
                seen = 0
                while name in included and name not in (STATE, self.main) and seen < 200:
                    name, line = included[name]
                    seen += 1
                column = 0
                if name not in (STATE, self.main):
                    line = 0
            if name == self.main:  # an include of the block, or past the state: its end of input
                line = lines[line - 1] if 0 < line <= len(lines) else end if line > len(lines) else 0
                column = column if 0 < line != end else 0
            code = "fatal" if diagnostic.severity == cindex.Diagnostic.Fatal else "error"
            used = diagnostic.location
            where = f"{used.line}:{used.column}" if used.file is not None and used.file.name == STATE else "0:0"
            found.append((line, column, code, f"{where}\t{' '.join(diagnostic.spelling.split())}"))
            if code == "fatal":  # clang stops there, as GCC does; past a fatal error of the preamble it would go on
                break
        return found

    def _where(self, location: cindex.SourceLocation) -> tuple[str | None, int, int]:
        """File name, line and column where the diagnosed token is spelled (for a token of a
        macro body: in the ``#define``; for a pasted token, where the macro was used)."""
        handle, line, column, offset = cindex.c_object_p(), ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint()
        self._spelling(location, ctypes.byref(handle), ctypes.byref(line), ctypes.byref(column), ctypes.byref(offset))
        if handle:
            name = cindex.File(handle).name
            if name:
                return name, line.value, column.value
        file = location.file
        return (file.name if file is not None else None), location.line, location.column


def main() -> int:
    library, language, *flags = sys.argv[1:]
    folder = tempfile.mkdtemp(prefix="worker-", dir=".")  # ours alone, also in a forked caller's worker
    os.chdir(folder)
    os.environ["TMPDIR"] = os.getcwd()  # where libclang writes its preambles
    try:
        return serve(library, language, flags)
    finally:
        os.chdir("..")
        shutil.rmtree(folder, ignore_errors=True)


def serve(library: str, language: str, flags: list[str]) -> int:
    """Answer requests until stdin closes."""
    cindex.Config.set_library_file(library)
    checker = Checker(language, flags)
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    while True:
        header = stdin.readline()
        if not header:
            return 0
        request, size = header.decode("utf-8", "replace").rsplit(" ", 1)
        text = stdin.read(int(size)).decode("utf-8", "replace")
        if request.startswith(LOOKUP):  # "declared:<name>,<name>": which the last check's headers declare
            reply = "".join(f"0\t0\tdeclared\t{name}\n" for name in checker.declared(text, request[len(LOOKUP):].split(",")))
        else:
            reply = "".join(f"{line}\t{column}\t{code}\t{message}\n" for line, column, code, message in checker.check(text))
        stdout.write(reply.encode("utf-8", "replace") + b"END\n")
        stdout.flush()


if __name__ == "__main__":
    raise SystemExit(main())
