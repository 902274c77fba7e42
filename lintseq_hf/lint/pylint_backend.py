"""The pylint backend: the authors' verdict computed in process with one reused pylint.

:class:`PylintLinter` computes exactly the verdict of :mod:`lintseq_hf.lint.base` with one
pylint instance reused for every call, in process, with no temporary file, no rc file and no
dependence on the working directory. States that do not parse are answered by the same
parser pylint uses (astroid's) without starting pylint's checkers at all.
"""

from __future__ import annotations

import ast
import contextlib
import functools
import io
import os
import re
import sys
import tempfile
import threading
import warnings
from collections.abc import Iterator
from typing import TYPE_CHECKING

from lintseq_hf.lint.base import MODULE_NAME, PRAGMA_MARK, PYLINT_ARGS, COUNTED_WARNINGS, LintError, VerdictCache, count_message, parse_state
from lintseq_hf.lint.indentation import statement_indentation_errors

if TYPE_CHECKING:
    from pylint.checkers import BaseChecker
    from pylint.lint import PyLinter
    from pylint.utils.ast_walker import ASTWalker


class PylintLinter:
    """pylint's verdict, computed in process with one reused linter.

    Not thread-safe (pylint and astroid keep global state); use one per process.
    """

    name = "pylint"

    def __init__(
        self, *, cache_size: int = 4096, extra_args: tuple[str, ...] = (), restrict: bool = True
    ) -> None:
        from pylint.lint import PyLinter, Run
        from pylint.lint.run import _make_run_options
        from pylint.reporters.collecting_reporter import CollectingReporter
        from pylint.config.config_initialization import _config_initialization

        self._workdir = tempfile.mkdtemp(prefix="lintseq-lint-")
        self._path = os.path.join(self._workdir, MODULE_NAME + ".py")
        self.reporter = CollectingReporter()
        stub = Run.__new__(Run)
        stub._rcfile = None
        stub._output = None
        stub._plugins = []
        stub.verbose = False
        self.linter = PyLinter(_make_run_options(stub), option_groups=Run.option_groups)
        with _quiet():
            self.linter.load_default_plugins()
            # config_file=None: no rc file is looked up, wherever the process runs.
            _config_initialization(
                self.linter, [*PYLINT_ARGS, *extra_args, self._path], self.reporter, config_file=None
            )
        self.linter.set_reporter(self.reporter)
        self.linter.initialize()
        self.extra_args = tuple(extra_args)
        self.restrict = restrict
        if restrict:
            _disable_uncounted_warnings(self.linter)
        self._walker, self._checkers, self._rawcheckers, self._tokencheckers = _prepare_walker(self.linter)
        self._full: PylintLinter | None = None
        by_name = {type(c).__name__: c for c in self._checkers}
        self._exceptions_checker = by_name.get("ExceptionsChecker")
        self._format_checker = by_name.get("FormatChecker")
        self._unicode_checker = by_name.get("UnicodeChecker")
        self.cache = VerdictCache(cache_size)
        self.calls = 0
        self.pylint_runs = 0
        self._lock = threading.Lock()

    def lint(self, text: str) -> list[LintError]:
        cached = self.cache.get(text)
        if cached is not None:
            return list(cached)
        self.calls += 1
        tree, error = parse_state(text)
        if error is not None:
            result = [error]
        elif self.restrict and PRAGMA_MARK in text:
            # An inline "# pylint: enable=..." can switch on messages of checkers the
            # restricted linter dropped: answer such states with the full checker set.
            if self._full is None:
                self._full = PylintLinter(cache_size=0, extra_args=self.extra_args, restrict=False)
            result = self._full._run_pylint(text)
        else:
            result = self._run_pylint(text, tree)
        self.cache.put(text, result)
        return list(result)

    def _run_pylint(self, text: str, tree: ast.Module | None = None) -> list[LintError]:
        from astroid import MANAGER
        from pylint.lint.pylinter import FileState
        from pylint.typing import FileItem
        from pylint.utils import LinterStats

        self.pylint_runs += 1
        linter = self.linter
        with self._lock, _quiet(), _isolated_sys_path(self._workdir):
            self.reporter.reset()
            linter.stats = LinterStats()
            linter.file_state = FileState("", linter.msgs_store, is_base_filestate=True)
            item = FileItem(MODULE_NAME, self._path, MODULE_NAME)
            walker = self._walker
            try:
                # What PyLinter._astroid_module_checker does, minus re-selecting the checkers
                # and re-building the walker on every call (half of a call's time).
                for checker in self._checkers:
                    if checker is not self._exceptions_checker or not self.pylint_runs > 1:
                        checker.open()  # its open() only recomputes the builtin exception names
                rawcheckers, tokencheckers = self._rawcheckers, self._tokencheckers
                if self.restrict and tree is not None:
                    rawcheckers, tokencheckers = self._needed_file_checkers(text, tree)
                check_astroid_module = functools.partial(
                    linter.check_astroid_module,
                    walker=walker,
                    tokencheckers=tokencheckers,
                    rawcheckers=rawcheckers,
                )
                with _no_crash_files():
                    asts = linter._get_asts(iter([item]), text, _NullProgress())
                    linter._lint_files(asts, check_astroid_module, _NullProgress())
                linter.stats.statement = walker.nbstatements
                for checker in reversed(self._checkers):
                    checker.close()
            finally:
                MANAGER.astroid_cache.pop(MODULE_NAME, None)
            messages = list(self.reporter.messages)
        errors: list[LintError] = []
        for msg in messages:
            errors.extend(count_message(msg.C, msg.msg_id, msg.line, msg.column, msg.msg))
        return errors

    def _needed_file_checkers(self, text: str, tree: ast.Module) -> tuple[list[BaseChecker], list[BaseChecker]]:
        """Raw and token checkers that can report a counted message for this text.

        With conventions and uncounted warnings off, the format checker can only report
        bad-indentation and the unicode checker only odd characters or codecs: skip the first
        when no statement is mis-indented (the statement rule equals pylint's token rule, see
        tests/test_fast_linter.py), the second for plain printable ASCII without a coding line.
        """
        skip = set()
        plain = text.isascii() and "coding" not in text and not _CONTROL_CHARS.search(text)
        if self._unicode_checker is not None and plain:
            skip.add(id(self._unicode_checker))
        well_indented = next(statement_indentation_errors(tree, text.split("\n")), None) is None
        if self._format_checker is not None and well_indented:
            skip.add(id(self._format_checker))
        if not skip:
            return self._rawcheckers, self._tokencheckers
        return (
            [c for c in self._rawcheckers if id(c) not in skip],
            [c for c in self._tokencheckers if id(c) not in skip],
        )


_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _disable_uncounted_warnings(linter: PyLinter) -> None:
    """Switch off every warning the verdict ignores, so checkers that emit only those drop out."""
    for message in linter.msgs_store.messages:
        if message.msgid[0] == "W" and message.msgid not in COUNTED_WARNINGS:
            linter.disable(message.msgid)


def _prepare_walker(
    linter: PyLinter,
) -> tuple[ASTWalker, list[BaseChecker], list[BaseChecker], list[BaseChecker]]:
    """The AST walker and checker lists pylint would build for one module, built once."""
    from pylint import checkers
    from pylint.utils.ast_walker import ASTWalker

    walker = ASTWalker(linter)
    needed = linter.prepare_checkers()
    for checker in needed:
        walker.add_checker(checker)
    tokencheckers = [c for c in needed if isinstance(c, checkers.BaseTokenChecker)]
    rawcheckers = [c for c in needed if isinstance(c, checkers.BaseRawFileChecker)]
    return walker, needed, rawcheckers, tokencheckers


class _NullProgress:
    def start_get_asts(self) -> None: ...
    def get_ast_for_file(self, filepath: str) -> None: ...
    def start_linting(self) -> None: ...
    def lint_file(self, filepath: str) -> None: ...


def _crash_report_path(ex: Exception, filepath: str, crash_file_path: str) -> str:
    return "(crash report not written by lintseq)"


@contextlib.contextmanager
def _no_crash_files() -> Iterator[None]:
    """When astroid crashes, pylint reports F0002 and writes a crash file read back from the
    checked path; ours does not exist on disk, so keep the message and skip the file."""
    from pylint.lint import pylinter

    saved = pylinter.prepare_crash_report
    pylinter.prepare_crash_report = _crash_report_path  # type: ignore[assignment]
    try:
        yield
    finally:
        pylinter.prepare_crash_report = saved


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    sink = io.StringIO()
    with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


@contextlib.contextmanager
def _isolated_sys_path(first: str) -> Iterator[None]:
    """Imports resolve from an empty folder and the installed packages, never from the cwd."""
    saved = sys.path[:]
    cwd = os.getcwd()
    sys.path[:] = [first] + [p for p in saved if p not in ("", ".", cwd)]
    try:
        yield
    finally:
        sys.path[:] = saved
