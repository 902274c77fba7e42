"""The libclang worker of :mod:`lintseq_hf.lint.compilers.libclang`: one process, many states.

Run as ``python libclang_worker.py LIBRARY LANGUAGE [FLAG ...]`` (``LANGUAGE`` ``c`` or ``c++``) in an
empty folder; it speaks the worker protocol of :mod:`lintseq_hf.lint.compilers.worker` on its
stdin/stdout (the request's name is ignored). Each state is checked as clangd checks an open
file: a translation unit is kept per leading header block, its main file is the block itself
followed by ``#include`` of the state, and the block is clang's precompiled preamble, built once
and reused by every reparse while the state changes (the state's own block lines are left
blank, so its lines keep their numbers). A list the worker has no unit for yet is first checked,
for up to :data:`PREFIX_STATES` of its states, through the unit of a list that covers part of it:
that unit's main file is the unit's includes, a ``;`` that ends the preamble there, the list's
other includes and the state (an empty declaration ``;`` at file scope changes nothing). The
covering list is a prefix of the list (the same tokens in the same order, so the same verdict), or
part of the list's leading run of standard headers in another order: the standard's headers may be
included in any order with the same effect, so only where clang places a diagnostic in a header
can differ (which ``#include`` brought the header in); a state with such a diagnostic is checked
again in the list's own order.

C++ headers take 100-400 ms to build as a preamble, and most lists share one costly header
(``<iostream>``), so a C++ list whose leading standard headers include one that another list had
too gets a unit on that header's saved AST (``-include-pch``, saved once per worker): its main
file is the list's other includes (its preamble, built on the AST), a ``;`` and the state. That is
the same headers in another order, as above, and an error placed in a header (the unit knows no
include of the AST's headers) is checked again by a plain unit. (An AST saved from a unit built on
another AST would chain them, but libclang 19 crashes saving one.) Reply codes: ``error``, ``fatal`` (clang stopped: a
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
import time
from collections import Counter, OrderedDict
from typing import BinaryIO

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
group together, so each group's include lists are alive at once; 16 units rebuilt C preambles.
C++ also keeps twice as many units on saved header ASTs (5-6 MB each)."""

PREFIX_STATES = {"c": 8, "c++": 1}
"""States of a new include list checked through the unit of a list covering part of it (the rest
of its includes parsed with the state) before the list gets a preamble of its own: C headers parse
in about a millisecond, so a list seen a few times, one include short of a list checked before
(the sampler deleted it), never pays a preamble build; a C++ header in the main file costs tens
to hundreds of milliseconds per state, so C++ lists are built at once (on a saved header AST)."""

MAX_HEADER_ASTS = 64
"""C++: header ASTs saved per worker (files of 0.5-5 MB in its folder, each kept while the worker
lives, since a later one may be built on it); past this many, new lists get plain preambles."""

C_HEADERS = frozenset(
    "assert.h complex.h ctype.h errno.h fenv.h float.h inttypes.h iso646.h limits.h locale.h math.h setjmp.h "
    "signal.h stdalign.h stdarg.h stdatomic.h stdbool.h stddef.h stdint.h stdio.h stdlib.h stdnoreturn.h "
    "string.h tgmath.h threads.h time.h uchar.h wchar.h wctype.h".split()
)
"""The C standard's headers: each is self-contained, and they may be included in any order."""

CXX_HEADERS = C_HEADERS | frozenset(
    "algorithm any array atomic bitset cassert cctype cerrno cfenv cfloat charconv chrono cinttypes climits "
    "clocale cmath codecvt complex condition_variable csetjmp csignal cstdarg cstddef cstdint cstdio cstdlib "
    "cstring ctime cuchar cwchar cwctype deque exception execution filesystem forward_list fstream functional "
    "future initializer_list iomanip ios iosfwd iostream istream iterator limits list locale map memory "
    "memory_resource mutex new numeric optional ostream queue random ratio regex scoped_allocator set "
    "shared_mutex sstream stack stdexcept streambuf string string_view system_error thread tuple type_traits "
    "typeindex typeinfo unordered_map unordered_set utility valarray variant vector".split()
)
"""The C++17 standard's headers (and C's): self-contained, in any order."""

PARSE_OPTIONS = 0x04 | 0x100
"""``CXTranslationUnit_PrecompiledPreamble | CXTranslationUnit_CreatePreambleOnFirstParse``."""

_LEADING_INCLUDE = re.compile(r'^(?!.*\\\s*$)\s*#\s*include\s*(?:<[^<>]+>|"[^"]+")\s*(?://.*|/\*(?:(?!\*/).)*\*/\s*)?$')
"""An include, maybe with a ``//`` comment or a ``/* */`` one closed on its line; never continued (``\\``)."""
_DIRECTIVE = re.compile(r'\s*#\s*include\s*(?:<[^<>]+>|"[^"]+")')
_STANDARD = re.compile(r"#\s*include\s*<([^<>]+)>")
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
        self.standard = C_HEADERS if language == "c" else CXX_HEADERS
        self.units: OrderedDict[tuple[str, ...], cindex.TranslationUnit] = OrderedDict()  # preamble's includes -> unit
        self.cost: dict[tuple[str, ...], float] = {}  # preamble's includes -> CPU seconds its build took
        self.sightings: OrderedDict[tuple[str, ...], int] = OrderedDict()  # include list -> states seen with it
        self.globals: OrderedDict[tuple[str, ...], frozenset[str]] = OrderedDict()  # include list -> names its headers declare
        self.last: tuple[tuple[str, ...], cindex.TranslationUnit] | None = None  # the last state's includes and unit
        self.chain = language == "c++"  # units on saved header ASTs (module docstring)
        self.chained: OrderedDict[tuple[str, ...], tuple[cindex.TranslationUnit, str, list[int]]] = OrderedDict()  # list -> unit, base, the rest
        self.asts: dict[str, tuple[str, list[str], float]] = {}  # include -> its saved AST, the headers it holds, CPU seconds
        self.plain: set[str] = set()  # includes whose header has an error alone: never a base
        self.lists: OrderedDict[tuple[str, ...], None] = OrderedDict()  # include lists seen
        self.frequency: Counter[str] = Counter()  # standard include -> lists of ``lists`` with it
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
        # the end of input: GCC places it on the state's last line with text
        end = next((number for number in range(text.count("\n") + 1, 0, -1) if text.split("\n")[number - 1].strip()), 0)
        reorder = True
        while True:
            try:
                chained = self._chained(directives, state) if self.chain and reorder else None
                if chained is not None:  # the main file: the list's other includes, a ";" and the state
                    unit, rest_indices = chained
                    lines, reordered = [*(places[index] for index in rest_indices), 0], True
                else:  # the main file: the preamble's includes, the ";" that ends it, the other includes, the state
                    unit, key, rest = self._parse(directives, state, reorder)
                    reordered = (*key, *rest) != directives  # then no include twice
                    lines = ([*(places[directives.index(line)] for line in key), 0, *(places[directives.index(line)] for line in rest)]
                             if reordered else [*places[:len(key)], 0, *places[len(key):]])
            except cindex.TranslationUnitLoadError:
                self.last = None
                return [(0, 0, "worker-crash", "libclang could not parse the state")]
            self.last = (directives, unit)
            if reordered and self._in_headers(unit, len(lines)):
                reorder = False  # which include brought a header in depends on the order: the list's own, in a plain unit
                continue
            return self._errors(unit, lines, end)

    def _parse(self, directives: tuple[str, ...], state: str,
               reorder: bool) -> tuple[cindex.TranslationUnit, tuple[str, ...], tuple[str, ...]]:
        """The unit that checked ``state`` (with the include lines ``directives``), the include
        lines its preamble holds and the others, in the order they were parsed (module docstring)."""
        key = directives
        unit = self.units.pop(key, None)
        if unit is None:
            seen = self.sightings.pop(key, 0) + reorder  # (once per state: not again for its recheck in order)
            self.sightings[key] = seen
            while len(self.sightings) > 16 * self.max_units:
                self.sightings.popitem(last=False)
            if seen < self.build_at:
                key = self._cover(directives, reorder)
                unit = self.units.pop(key, None)
        rest = tuple(line for line in directives if line not in key) if key != directives[:len(key)] else directives[len(key):]
        main = "".join(line + "\n" for line in key) + ";\n" + "".join(line + "\n" for line in rest)
        files = [(self.main, f"{main}#include \"{STATE}\"\n"), (STATE, state)]
        started = time.process_time()
        if unit is not None:
            try:
                unit.reparse(unsaved_files=files)
            except cindex.TranslationUnitLoadError:  # a unit libclang gave up on: once more from scratch
                unit = None
        if unit is None:
            unit = self.index.parse(self.main, args=self.args, unsaved_files=files, options=PARSE_OPTIONS)
            self.cost[key] = time.process_time() - started
        self.units[key] = unit
        while len(self.units) > self.max_units:
            self.cost.pop(self.units.popitem(last=False)[0], None)
        return unit, key, rest

    def _chained(self, directives: tuple[str, ...], state: str) -> tuple[cindex.TranslationUnit, list[int]] | None:
        """C++: ``state`` parsed by the unit of ``directives`` on a saved header AST (module
        docstring), made if need be, and the list's index of each include of its main file; None
        where there is none (the plain path then checks it)."""
        found = self.chained.pop(directives, None)
        if found is None:
            base = None if directives in self.units else self._base(directives)  # (a plain unit of its own: used)
            if base is None:
                return None
            rest = [index for index, line in enumerate(directives) if line != base]
            found = (None, base, rest)
        unit, base, rest = found
        main = "".join(directives[index] + "\n" for index in rest) + ";\n"
        files = [(self.main, f"{main}#include \"{STATE}\"\n"), (STATE, state)]
        try:
            if unit is None:
                args = [*self.args, "-include-pch", self.asts[base][0]]
                unit = self.index.parse(self.main, args=args, unsaved_files=files, options=PARSE_OPTIONS)
            else:
                unit.reparse(unsaved_files=files)
        except cindex.TranslationUnitLoadError:
            return None
        self.chained[directives] = (unit, base, rest)
        while len(self.chained) > 2 * self.max_units:
            self.chained.popitem(last=False)
        return unit, rest

    def _base(self, directives: tuple[str, ...]) -> str | None:
        """The include of ``directives`` whose saved header AST its unit is built on: of the
        standard headers of the list's leading run that another list had too, the one most lists
        had (then the costliest); its AST is saved now if need be. None: no such header, the
        list has an include twice, or enough ASTs are saved."""
        if len(set(directives)) != len(directives):
            return None
        run = self._standard_run(directives)
        if directives not in self.lists:
            self.lists[directives] = None
            self.frequency.update(run)
            while len(self.lists) > 16 * self.max_units:
                self.lists.popitem(last=False)
        shared = [line for line in run if self.frequency[line] > 1 and line not in self.plain]
        if not shared:
            return None
        base = max(shared, key=lambda line: (self.frequency[line], self.asts[line][2] if line in self.asts else 0.0))
        if base in self.asts:
            return base
        if len(self.asts) >= MAX_HEADER_ASTS:
            return None
        source = f"header-{len(self.asts)}.cc"
        with open(source, "w", encoding="utf-8") as out:
            out.write(base + "\n")
        started = time.process_time()
        headers = self.index.parse(source, args=self.args)
        if any(d.severity >= cindex.Diagnostic.Error for d in headers.diagnostics):
            self.plain.add(base)  # (a missing header: the plain path reports it)
            return None
        path = source[:-3] + ".ast"
        try:
            headers.save(path)
        except cindex.TranslationUnitSaveError:  # (a full disk): plain units, as before ASTs
            self.plain.add(base)
            return None
        self.asts[base] = (path, [include.include.name for include in headers.get_includes()], time.process_time() - started)
        return base

    def _cover(self, directives: tuple[str, ...], reorder: bool) -> tuple[str, ...]:
        """The includes of the unit that best covers part of ``directives`` (the costliest
        preamble): a prefix of them or, with ``reorder``, standard headers all among the list's
        leading run of standard headers; ``directives`` itself when no unit does."""
        covers = [key for key in self.units if 0 < len(key) < len(directives) and directives[:len(key)] == key]
        if reorder and len(set(directives)) == len(directives):
            run = set(self._standard_run(directives))
            covers += [key for key in self.units if key and set(key) <= run and key != directives[:len(key)]]
        return max(covers, key=lambda key: (self.cost.get(key, 0.0), len(key)), default=directives)

    def _standard_run(self, directives: tuple[str, ...]) -> list[str]:
        """The leading includes of ``directives`` that are ``<h>`` of a standard header (which
        may be included in any order with the same effect)."""
        run = []
        for line in directives:
            found = _STANDARD.fullmatch(line)
            if found is None or found.group(1) not in self.standard:
                break
            run.append(line)
        return run

    def _in_headers(self, unit: cindex.TranslationUnit, includes: int) -> bool:
        """Whether an error of the last parse of ``unit`` is placed in a header or on one of the
        main file's first ``includes`` lines (an include of the list)."""
        for diagnostic in unit.diagnostics:
            if diagnostic.severity >= cindex.Diagnostic.Error:
                name, line, _ = self._where(diagnostic.location)
                if name != STATE and not (name == self.main and line > includes):
                    return True
        return False

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
            chained = self.chained.get(directives)
            headers = [include.include.name for include in unit.get_includes()]
            if chained is not None and chained[0] is unit:  # the base's headers are in its AST
                headers += self.asts[chained[1]][1]
            for name in headers:  # function-like macros: a use of one is no call
                try:
                    with open(name, "rb") as header:
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
    # the protocol moves to descriptors of its own, and 0 and 1 to /dev/null: a state that
    # includes "/dev/stdin" reads nothing (not the next request), and nothing libclang prints
    # can land in a reply
    requests, replies = os.fdopen(os.dup(0), "rb"), os.fdopen(os.dup(1), "wb")
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    os.dup2(null, 1)
    folder = tempfile.mkdtemp(prefix="worker-", dir=".")  # ours alone, also in a forked caller's worker
    os.chdir(folder)
    os.environ["TMPDIR"] = os.getcwd()  # where libclang writes its preambles
    try:
        return serve(library, language, flags, requests, replies)
    finally:
        os.chdir("..")
        shutil.rmtree(folder, ignore_errors=True)


def serve(library: str, language: str, flags: list[str], stdin: BinaryIO, stdout: BinaryIO) -> int:
    """Answer the requests read from ``stdin`` on ``stdout`` until ``stdin`` closes."""
    cindex.Config.set_library_file(library)
    checker = Checker(language, flags)
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
