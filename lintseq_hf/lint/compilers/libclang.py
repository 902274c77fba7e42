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
:mod:`lintseq_hf.lint.compilers.libclang_rules` moves clang's reports to the lines GCC reports
(GCC reports some mistakes once where clang reports every use, and the other way round). What
still differs is listed in docs/languages.md.
"""

from __future__ import annotations

import ctypes.util
import importlib.util
import os
import shutil
import sys
from pathlib import Path

from lintseq_hf.lint.base import LintError
from lintseq_hf.lint.compilers.forkserver import pipe_guard
from lintseq_hf.lint.compilers.libclang_rules import gcc_errors
from lintseq_hf.lint.compilers.libclang_worker import LOOKUP
from lintseq_hf.lint.compilers.tools import ToolError, ToolMissingError, empty_directory
from lintseq_hf.lint.compilers.worker import WorkerLinter, WorkerProcess

WORKER = Path(__file__).with_name("libclang_worker.py")

LIBCLANG_VARIABLE = "LINTSEQ_LIBCLANG"
"""A libclang shared library to use instead of the installed one found by :func:`find_libclang`."""

LIBCLANG_VERSIONS = (19, 18, 17, 16)
"""libclang major versions searched for, the first found used (measured and documented: 19)."""

INSTALL_HINT = (
    "run 'bash scripts/setup.sh languages' (Debian: apt-get install libclang1-19 libclang-common-19-dev; "
    "pip install 'clang==19.1.7'); or check C and C++ with GCC itself: sample_edits(..., linter='gcc' or 'g++'), "
    "lintseq generate --compiler-linters c=gcc,cpp=g++"
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

CXX_FLAGS = ("-std=gnu++17", "-fpch-instantiate-templates", "-Werror=c++23-extensions")
"""g++'s default standard; templates the headers use are instantiated once in the preamble
instead of at the end of every state (the same diagnostics, a tenth of the time); what C++23
added is an error, as for g++ in C++17 (clang accepts it with a warning: a label at the end of
a block, ``case 1: }``)."""


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
            cwd=empty_directory("lintseq-clang-", self), environment=pipe_guard(),  # libclang opens what states name
        )
        self._folder_owner = os.getpid()
        super().__init__(cache_size)

    def request_name(self, text: str) -> str:
        """Any name: the worker reads every state under its own file name."""
        del text
        return "state"

    def _lint(self, text: str) -> list[LintError]:
        """Clang's errors for ``text`` where GCC reports them, each on its line of ``text``."""
        if self._folder_owner != os.getpid():  # a forked process: a folder of its own, for a worker of its own
            self.worker.cwd, self._folder_owner = empty_directory("lintseq-clang-", self), os.getpid()
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
        return gcc_errors(errors, text, self.source_language, declared=lambda names: self._declared(text, names))

    def _declared(self, text: str, names: list[str]) -> set[str]:
        """Which of ``names`` the headers of ``text`` (just checked) declare at file scope."""
        try:
            replies = self.worker.request(LOOKUP + ",".join(names), text)
        except (ToolError, OSError) as exc:
            raise ToolError(f"{self.name}: libclang failed on a state ({exc}); a new worker starts on the next call") from exc
        return {reply.message for reply in replies}

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
