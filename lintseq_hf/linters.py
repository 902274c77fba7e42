"""Linter verdicts for LintSeq: which lines of a program state are in error.

The verdict is the authors' (design.md §2): pylint with conventions and refactors off;
every message that is not a warning counts, plus the warnings W0311 (bad-indentation) and
W0231 (super-init-not-called); a syntax error "... on line N" is blamed on line N.

:class:`PylintLinter` computes exactly that verdict with one pylint instance reused for
every call, in process, with no temporary file, no rc file and no dependence on the
working directory. States that do not parse are answered by the same parser pylint uses
(astroid's) without starting pylint's checkers at all.
"""

from __future__ import annotations

import ast
import contextlib
import functools
import re
import io
import os
import sys
import tempfile
import threading
import warnings
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from pylint.checkers import BaseChecker
    from pylint.lint import PyLinter
    from pylint.utils.ast_walker import ASTWalker

COUNTED_WARNINGS = frozenset({"W0311", "W0231"})
"""Warnings the authors treat as errors: bad-indentation and super-init-not-called."""

PYLINT_ARGS = (
    "--disable=C,R",
    "--reports=n",
    "--score=n",
    "--unsafe-load-any-extension=y",
    "--generated-members=cv2.*",
)
"""The authors' pylint command line (their message template aside)."""

MODULE_NAME = "lintseq_state"

PRAGMA_MARK = "pylint"
"""Texts holding this may carry inline pylint pragmas (answered with the full checker set)."""


@dataclass(frozen=True)
class LintError:
    """One counted message; ``line`` is 1-based in the linted text (after the "on line" remap)."""

    msg_id: str
    line: int
    column: int
    message: str


class Linter(Protocol):
    """Anything that can tell which lines of a program text are in error."""

    name: str

    def lint(self, text: str) -> list[LintError]:
        """Counted errors of ``text``; an empty list means the state is clean."""


class UnknownLinterError(ValueError):
    """Raised for a linter name that is not registered."""


def count_message(category: str, msg_id: str, line: object, column: object, msg: str) -> list[LintError]:
    """The authors' parsing of one pylint message into counted errors.

    They print ``{C}|{msg_id}|{line}|{column}|{msg}`` per message, split the output on
    newlines and keep the lines that split into exactly five fields; warnings other than
    W0311/W0231 are dropped. This reproduces that, including what happens to messages
    whose text holds ``|`` or a newline.
    """
    out: list[LintError] = []
    for printed in f"{category}|{msg_id}|{line}|{column}|{msg}".split("\n"):
        fields = printed.split("|")
        if len(fields) != 5:
            continue
        cat, mid, line_id, col, text = fields
        if cat == "W" and mid not in COUNTED_WARNINGS:
            continue
        if mid == "E0001" and "on line" in text:
            line_id = text[: text.rfind("(")].rstrip().split(" ")[-1]
        out.append(LintError(mid, _as_int(line_id), _as_int(col), text))
    return out


def _as_int(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        return 0


class _LRU:
    """A small bounded memo of verdicts keyed by program text."""

    def __init__(self, max_entries: int) -> None:
        self.max_entries = max_entries
        self.data: OrderedDict[str, list[LintError]] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def get(self, key: str) -> list[LintError] | None:
        value = self.data.get(key)
        if value is None:
            self.misses += 1
            return None
        self.hits += 1
        self.data.move_to_end(key)
        return value

    def put(self, key: str, value: list[LintError]) -> None:
        if self.max_entries <= 0:
            return
        self.data[key] = value
        if len(self.data) > self.max_entries:
            self.data.popitem(last=False)


def parse_error(text: str, modname: str = MODULE_NAME) -> LintError | None:
    """The E0001 pylint reports for ``text`` when astroid cannot parse it, else ``None``.

    Same parser call as astroid's builder (which appends a newline, and retries without
    type comments when the failure looks type-comment related), same message text.
    """
    return parse_state(text, modname)[1]


def parse_state(text: str, modname: str = MODULE_NAME) -> tuple[ast.Module | None, LintError | None]:
    """``(tree, None)`` when astroid's parser accepts ``text``, else ``(None, E0001)`` (see :func:`parse_error`)."""
    from astroid.builder import _parse_string

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = _parse_string(text, type_comments=True, modname=modname)
    except (TypeError, ValueError, SyntaxError, MemoryError, RecursionError) as exc:
        line = getattr(exc, "lineno", None) or 0
        column = getattr(exc, "offset", None)
        errors = count_message("E", "E0001", line, column, f"Parsing failed: '{exc}'")
        return None, errors[0] if errors else LintError("E0001", line, column or 0, str(exc))
    return tree, None


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
        self.cache = _LRU(cache_size)
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
        from lintseq_hf.fast_linter import statement_indentation_errors

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


_REGISTRY: dict[str, type] = {"pylint": PylintLinter}
_INSTANCES: dict[str, Linter] = {}
"""One instance per name and process; a forked worker inherits its parent's (already set up)."""


def register_linter(name: str, factory: type) -> None:
    """Make a linter class available by name (``sample_edits(..., linter=name)``)."""
    _REGISTRY[name] = factory


def get_linter(name: str = "pylint") -> Linter:
    """The process-wide instance of the linter called ``name`` (created on first use)."""
    if name not in _REGISTRY:
        _load_builtin(name)
    if name not in _REGISTRY:
        raise UnknownLinterError(f"unknown linter {name!r}; known: {sorted(_REGISTRY)}")
    instance = _INSTANCES.get(name)
    if instance is None:
        instance = _REGISTRY[name]()
        _INSTANCES[name] = instance
    return instance


def reset_linter(name: str) -> None:
    """Drop this process's instance (after a timeout interrupted it mid-check)."""
    _INSTANCES.pop(name, None)


def available_linters() -> list[str]:
    """Names accepted by :func:`get_linter`."""
    for name in ("fast",):
        _load_builtin(name)
    return sorted(_REGISTRY)


def _load_builtin(name: str) -> None:
    if name == "fast":
        try:
            from lintseq_hf import fast_linter  # noqa: F401  (registers itself)
        except ImportError:
            pass
