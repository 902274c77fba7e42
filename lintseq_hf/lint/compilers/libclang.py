"""C and C++ verdicts from a persistent libclang front end, GCC's verdicts faster (docs/languages.md).

One worker process per linter (:mod:`lintseq_hf.lint.compilers.libclang_worker`) keeps a clang
translation unit per leading header block and reparses it for each state, with the block
precompiled once as clang's preamble (what clangd does for an open file): a state costs its own
lines, not its headers'. The worker is a process of its own, so a crash of libclang is a
:class:`ToolError` for that state and a fresh worker for the next, never the caller's end.

The verdict is meant to be GCC's (``gcc-reference``, ``g++-reference``): errors and fatal errors
count, warnings do not; a diagnostic in a header is blamed on the state's ``#include`` line, one
in a macro body on the ``#define`` line (where GCC places it); a fatal error (a missing header)
is :attr:`LintError.fatal`. Clang is set to GCC 14's C errors (:data:`C_FLAGS`), and
:func:`gcc_once` keeps only the reports GCC would give where GCC reports a mistake once and
clang at every use. What still differs is listed in docs/languages.md.
"""

from __future__ import annotations

import ctypes.util
import functools
import importlib.util
import os
import re
import shutil
import sys
from pathlib import Path

from lintseq_hf.lint.base import LintError
from lintseq_hf.lint.compilers.tools import ToolError, ToolMissingError, empty_directory
from lintseq_hf.lint.compilers.worker import WorkerLinter, WorkerProcess

WORKER = Path(__file__).with_name("libclang_worker.py")

LIBCLANG_VARIABLE = "LINTSEQ_LIBCLANG"
"""A libclang shared library to use instead of the installed one found by :func:`find_libclang`."""

LIBCLANG_VERSIONS = (19, 18, 17, 16)
"""libclang major versions searched for, the first found used (measured and documented: 19)."""

INSTALL_HINT = (
    "run 'bash scripts/setup.sh languages' (Debian: apt-get install libclang1-19 libclang-common-19-dev; "
    "pip install 'clang==19.1.7')"
)

COMMON_FLAGS = ("-ferror-limit=0", "-fno-spell-checking", "-fno-caret-diagnostics")
"""Every error reported (clang stops at 20 by default, GCC never), none corrected by a guessed name
(clang would go on with the guess where GCC does not)."""

C_FLAGS = (
    "-std=gnu17",
    "-Werror=implicit-function-declaration",
    "-Werror=implicit-int",
    "-Werror=incompatible-pointer-types",
    "-Wno-error=incompatible-pointer-types-discards-qualifiers",
    "-Werror=int-conversion",
    "-Werror=return-mismatch",
)
"""GCC 14's C defaults (``gcc.GCC14_C_ERRORS``) in clang's words: clang's incompatible-pointer-types
group also holds discarded qualifiers, a warning for GCC (``-Wdiscarded-qualifiers``)."""

CXX_FLAGS = ("-std=gnu++17", "-fpch-instantiate-templates")
"""g++'s default standard; templates the headers use are instantiated once in the preamble
instead of at the end of every state (the same diagnostics, a tenth of the time)."""


def find_libclang() -> str:
    """Path of the libclang shared library (:data:`LIBCLANG_VARIABLE`, else an installed one of
    :data:`LIBCLANG_VERSIONS`), or :class:`ToolMissingError` naming the install command."""
    configured = os.environ.get(LIBCLANG_VARIABLE)
    if configured:
        if not os.path.isfile(configured):
            raise ToolMissingError(f"${LIBCLANG_VARIABLE} names {configured!r}, which is not a file")
        return configured
    if importlib.util.find_spec("clang") is None:
        raise ToolMissingError(f"libclang's Python bindings (the 'clang' package) are not installed; {INSTALL_HINT}")
    for version in LIBCLANG_VERSIONS:
        for candidate in (f"/usr/lib/llvm-{version}/lib/libclang-{version}.so.1", f"/usr/lib/llvm-{version}/lib/libclang.so.1"):
            if os.path.isfile(candidate):
                return candidate
        found = ctypes.util.find_library(f"clang-{version}")
        if found:
            return found
    raise ToolMissingError(f"libclang is not installed; {INSTALL_HINT}")


class LibclangLinter(WorkerLinter):
    """C states checked by libclang (``-std=gnu17``, GCC 14's errors), reparsed in one worker."""

    name = "libclang"
    source_language = "c"
    flags = C_FLAGS

    def __init__(self, extra_args: tuple[str, ...] = (), cache_size: int = 256) -> None:
        library = find_libclang()
        self.extra_args = extra_args
        self.worker = WorkerProcess(
            [sys.executable, str(WORKER), library, self.source_language, *COMMON_FLAGS, *self.flags, *extra_args],
            cwd=empty_directory("lintseq-clang-"),
        )
        self._folder_owner = os.getpid()
        super().__init__(cache_size)

    def request_name(self, text: str) -> str:
        return "state"

    def _lint(self, text: str) -> list[LintError]:
        """Clang's errors for ``text`` where GCC reports them, each on its line of ``text``."""
        if self._folder_owner != os.getpid():  # a forked process: a folder of its own, for a worker of its own
            self.worker.cwd, self._folder_owner = empty_directory("lintseq-clang-"), os.getpid()
        os.makedirs(self.worker.cwd, exist_ok=True)  # again after close()
        try:
            replies = self.worker.request("state", text)
        except (ToolError, OSError) as exc:  # OSError: the pipe broke (the worker died as the state was sent)
            shutil.rmtree(self.worker.cwd, ignore_errors=True)  # the stopped worker's preambles
            raise ToolError(f"{self.name}: libclang failed on a state ({exc}); a new worker starts on the next call") from exc
        errors = []
        for reply in replies:
            where, _, message = reply.message.partition("\t")
            used_line, _, used_column = where.partition(":")
            fatal = reply.msg_id == "fatal"
            errors.append((LintError("fatal" if fatal else "error", reply.line, reply.column, message, fatal=fatal),
                           (int(used_line or 0), int(used_column or 0))))
        return gcc_once(errors, text, self.source_language)

    def close(self) -> None:
        """Stop the worker and remove its folder (those of this process)."""
        super().close()
        if self._folder_owner == os.getpid():
            shutil.rmtree(self.worker.cwd, ignore_errors=True)


class LibclangCxxLinter(LibclangLinter):
    """C++ states checked by libclang (``-std=gnu++17``), reparsed in one worker."""

    name = "libclang++"
    source_language = "c++"
    flags = CXX_FLAGS


_UNDECLARED = re.compile(r"^use of undeclared identifier '([^']+)'")
_IMPLICIT = re.compile(r"^call to undeclared (?:library )?function '([^']+)'")
_CXX_SCOPES = frozenset({
    "compound_statement", "for_statement", "for_range_loop", "while_statement", "if_statement",
    "switch_statement", "catch_clause", "do_statement",
})
"""Syntax nodes that open a block scope in C++ (where g++ binds a name it reported undeclared)."""


def gcc_once(errors: list[tuple[LintError, tuple[int, int]]], text: str, language: str) -> list[LintError]:
    """The errors GCC would report, given clang's (each with where its macro was used, or its own
    place): GCC reports an undeclared name once per function (C) or per block scope (C++) and an
    implicitly declared function once per file (C); clang at every use. Where GCC reports again
    clang's every report stays: ``std::`` without a header (g++ always knows namespace ``std``,
    so each ``std::x`` is "not a member of 'std'"), and a ``delete`` of the undeclared name
    (g++: "type '<type error>' argument given to 'delete'"). GCC does not check the body of a
    function whose parameters (C) or signature (C++) have an error: nor does this."""
    if not errors:
        return []
    skipped = _skipped_bodies([used if used[0] else (error.line, error.column) for error, used in errors], text, language)
    kept: list[LintError] = []
    implicit: set[str] = set()
    undeclared: dict[str, list[tuple[int, int]]] = {}  # name -> extents (start, end byte) where reported
    for error, used in errors:
        place = used if used[0] else (error.line, error.column)
        if skipped and place[0] > 0 and place[1] > 0 and any(start < _offset(text, place) < end for start, end in skipped):
            continue
        found = _IMPLICIT.match(error.message)
        if found and language == "c":
            if found.group(1) in implicit:
                continue
            implicit.add(found.group(1))
        found = _UNDECLARED.match(error.message)
        if found and place[0] > 0 and place[1] > 0 and not (language != "c" and found.group(1) == "std"):
            scope = _scope(text, language, place)
            if scope is not None:
                extents = undeclared.setdefault(found.group(1), [])
                offset = _offset(text, place)
                if any(start <= offset < end for start, end in extents) and not _deleted(text, language, place):
                    continue
                extents.append(scope)
        kept.append(error)
    return kept


def _offset(text: str, place: tuple[int, int]) -> int:
    """Byte offset of 1-based (line, byte column) in ``text``."""
    lines = text.encode("utf-8", "surrogatepass").split(b"\n")
    return sum(len(line) + 1 for line in lines[: place[0] - 1]) + place[1] - 1


def _scope(text: str, language: str, place: tuple[int, int]) -> tuple[int, int] | None:
    """Byte extent where GCC binds a name reported undeclared at ``place``: the function (C), the
    innermost block scope (C++); None at file scope (reported at every use)."""
    node = _tree(text, language).root_node.descendant_for_point_range((place[0] - 1, place[1] - 1), (place[0] - 1, place[1] - 1))
    while node is not None:
        if language == "c" and node.type == "function_definition":
            body = node.child_by_field_name("body")
            return (body or node).start_byte, (body or node).end_byte
        if language != "c" and node.type in _CXX_SCOPES:
            return node.start_byte, node.end_byte
        node = node.parent
    return None


def _skipped_bodies(places: list[tuple[int, int]], text: str, language: str) -> list[tuple[int, int]]:
    """Byte extents of the bodies GCC skips: of each function definition with an error in its
    parameter list (C) or anywhere before its body (C++)."""
    bodies = []
    for place in places:
        if place[0] <= 0 or place[1] <= 0:
            continue
        node = _tree(text, language).root_node.descendant_for_point_range((place[0] - 1, place[1] - 1), (place[0] - 1, place[1] - 1))
        inside_parameters = False
        while node is not None and node.type != "function_definition":
            inside_parameters = inside_parameters or node.type == "parameter_list"
            if node.type in ("compound_statement", "field_declaration_list", "declaration_list"):
                node = None
                break
            node = node.parent
        body = node.child_by_field_name("body") if node is not None else None
        if body is not None and (inside_parameters or language != "c"):
            bodies.append((body.start_byte, body.end_byte))
    return bodies


def _deleted(text: str, language: str, place: tuple[int, int]) -> bool:
    """Whether the name at ``place`` is what a C++ ``delete`` deletes."""
    if language == "c":
        return False
    node = _tree(text, language).root_node.descendant_for_point_range((place[0] - 1, place[1] - 1), (place[0] - 1, place[1] - 1))
    return node is not None and node.parent is not None and node.parent.type == "delete_expression"


@functools.lru_cache(maxsize=4)
def _tree(text: str, language: str):  # type: ignore[no-untyped-def]
    from lintseq_hf.core.languages import parser

    return parser("c" if language == "c" else "cpp").parse(text.encode("utf-8", "surrogatepass"))
