"""The pylint backend: the authors' verdict computed in process with one reused pylint.

:class:`PylintLinter` computes exactly the verdict of :mod:`lintseq_hf.lint.python.rules` with one
pylint instance reused for every call, in process, with no temporary file, no rc file and no
dependence on the working directory. States that do not parse are answered by the same
parser pylint uses (astroid's) without starting pylint's checkers at all; states that parse
are turned into pylint's tree from that one parse. The walker keeps only the work that can
produce a counted message (see :func:`_drop_uncounted_work`); docs/performance.md has the
measurements and the tests that hold the verdict equal to the authors'.
"""

from __future__ import annotations

import ast
import os
import re
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from lintseq_hf.lint.base import LintError, MemoizedLinter, empty_directory, remove_folder
from lintseq_hf.lint.python.indentation import statement_indentation_errors
from lintseq_hf.lint.python.pylint_process import (
    NullProgress,
    build_sys_as_the_authors_do,
    collect_once,
    forget_linted_trees,
    isolated_sys_path,
    no_crash_files,
    quiet,
)
from lintseq_hf.lint.python.rules import MODULE_NAME, PRAGMA_MARK, PYLINT_ARGS, COUNTED_WARNINGS, count_message, parse_state

if TYPE_CHECKING:
    from pylint.checkers import BaseChecker
    from pylint.lint import PyLinter
    from pylint.utils.ast_walker import ASTWalker


class PylintLinter(MemoizedLinter):
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

        # The folder is only an empty first entry of sys.path while linting.
        self._workdir, self._workdir_creator = empty_directory("lintseq-lint-", self), os.getpid()
        self._path = os.path.join(self._workdir, MODULE_NAME + ".py")
        self.reporter = CollectingReporter()
        stub = Run.__new__(Run)
        stub._rcfile = None
        stub._output = None
        stub._plugins = []
        stub.verbose = False
        self.linter = PyLinter(_make_run_options(stub), option_groups=Run.option_groups)
        with quiet():
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
        if restrict:
            _drop_uncounted_work(self._walker, self._checkers)
        self._full: PylintLinter | None = None
        by_name = {type(c).__name__: c for c in self._checkers}
        self._exceptions_checker = by_name.get("ExceptionsChecker")
        self._format_checker = by_name.get("FormatChecker")
        self._unicode_checker = by_name.get("UnicodeChecker")
        self._class_checker = by_name.get("ClassChecker")
        super().__init__(cache_size)
        self.pylint_runs = 0
        self._lock = threading.Lock()
        with quiet():
            build_sys_as_the_authors_do()

    def close(self) -> None:
        """Remove the linter's empty temporary folder now (it is removed at exit anyway)."""
        remove_folder(self._workdir, self._workdir_creator)

    def _lint(self, text: str) -> list[LintError]:
        tree, error = parse_state(text)
        if error is not None:
            return [error]
        if self.restrict and PRAGMA_MARK in text:
            # An inline "# pylint: enable=..." can switch on messages of checkers the
            # restricted linter dropped: answer such states with the full checker set.
            if self._full is None:
                self._full = PylintLinter(cache_size=0, extra_args=self.extra_args, restrict=False)
            return self._full._run_pylint(text)
        return self._run_pylint(text, tree)

    def _run_pylint(self, text: str, tree: ast.Module | None = None) -> list[LintError]:
        from astroid import MANAGER
        from pylint.typing import FileItem
        from pylint.utils import LinterStats

        self.pylint_runs += 1
        linter = self.linter
        with self._lock, collect_once(), quiet(), isolated_sys_path(self._workdir):
            self.reporter.reset()
            linter.stats = LinterStats()
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
                with no_crash_files():
                    module = self._module(text, tree, item)
                    if module is not None:
                        linter._lint_files(
                            {item: module}, self._module_checker(walker, rawcheckers, tokencheckers), NullProgress()
                        )
                linter.stats.statement = walker.nbstatements
                for checker in reversed(self._checkers):
                    checker.close()
            finally:
                MANAGER.astroid_cache.pop(MODULE_NAME, None)
                self._forget_state()
                forget_linted_trees()
            messages = list(self.reporter.messages)
        errors: list[LintError] = []
        for msg in messages:
            errors.extend(count_message(msg.C, msg.msg_id, msg.line, msg.column, msg.msg))
        return errors

    def _forget_state(self) -> None:
        """Leave the linter as the next run needs it, holding nothing of the last state: a fresh
        file state, and the class checker's map of accessed attributes emptied (pylint keeps it
        for the life of the process; the authors' fresh pylint per state starts without it)."""
        from pylint.lint.pylinter import FileState

        self.linter.file_state = FileState("", self.linter.msgs_store, is_base_filestate=True)
        classes = self._class_checker
        if classes is not None and hasattr(classes, "_accessed"):
            classes._accessed = type(classes._accessed)()

    def _module(self, text: str, tree: ast.Module | None, item: Any) -> Any:
        """The astroid module pylint would build for ``text`` (None when it reports instead).

        Built from the tree the parse fast path already made (the same parser call pylint
        makes); any failure is left to pylint's own path, which reports it as pylint does.
        """
        from astroid import MANAGER
        from astroid.builder import AstroidBuilder
        from astroid.rebuilder import TreeRebuilder

        if tree is not None:
            self.linter.set_current_module(item.name, item.filepath)
            try:
                rebuilder = TreeRebuilder(MANAGER, text)
                module = rebuilder.visit_module(tree, MODULE_NAME, os.path.abspath(self._path), False)
                module.file_bytes = text.encode("utf-8")
                return AstroidBuilder(MANAGER)._post_build(module, rebuilder, "utf-8")
            except Exception:  # noqa: BLE001  (pylint's own path below reports whatever this was)
                MANAGER.astroid_cache.pop(MODULE_NAME, None)
        return self.linter._get_asts(iter([item]), text, NullProgress()).get(item)

    def _module_checker(
        self, walker: ASTWalker, rawcheckers: list[BaseChecker], tokencheckers: list[BaseChecker]
    ) -> Callable[[Any], bool | None]:
        """PyLinter.check_astroid_module for these checkers; without raw or token checkers
        (and so without pragmas: those texts go to the full linter) only the AST walk is left,
        so the token stream is not built."""
        linter = self.linter
        if rawcheckers or tokencheckers or not self.restrict:

            def check(module: Any) -> bool | None:
                return linter.check_astroid_module(
                    module, walker=walker, rawcheckers=rawcheckers, tokencheckers=tokencheckers
                )

            return check

        def walk_only(module: Any) -> bool:
            walker.walk(module)
            return True

        return walk_only

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


def _drop_uncounted_work(walker: ASTWalker, checkers: list[BaseChecker]) -> None:
    """Take out of the walker the work that can only produce messages the verdict ignores.

    pylint's walker keeps a visit method when any of its messages is enabled, and some methods
    do expensive inference for a disabled warning next to a cheap counted check:

    * ``VariablesChecker.visit_name`` (and ``visit_assignname``/``visit_delname``, which call
      it) also runs ``_loopvar_name``, whose only message is W0631 undefined-loop-variable;
      it is replaced by the counted part, ``_undefined_and_used_before_checker``;
    * ``BasicChecker.visit_call`` infers every call for W0101 unreachable and reports W0122
      exec-used / W0123 eval-used; its counted checks are E0119 misplaced-format-function and
      E0111 bad-reversed-sequence, which the replacement keeps;
    * ``SpecialMethodsChecker.visit_functiondef`` infers the return value of every method but
      uses it only for the protocol methods it checks (``__iter__``, ``__len__``, ...); the
      replacement infers it only for those;
    * ``FormatChecker.visit_default`` runs on every statement for C0321 multiple-statements
      only (the format checker's W0311 comes from the token stream); it is dropped;
    * ``MethodArgsChecker.visit_call`` also builds a call site for W3101 missing-timeout; the
      replacement keeps E3102 positional-only-arguments-expected;
    * ``BasicErrorChecker.visit_functiondef`` walks every function for ``global`` and
      ``nonlocal`` statements (E0118, E0115); a module whose text has no such keyword has none,
      so the walks are skipped there.

    The full checker set (``restrict=False``) keeps pylint's methods; the verdict tests compare
    the two and both with the authors' pylint.
    """
    from astroid import nodes

    by_name = {type(c).__name__: c for c in checkers}
    replacements: dict[Any, Callable[[Any], None] | None] = {}
    variables = by_name.get("VariablesChecker")
    if variables is not None and hasattr(variables, "_undefined_and_used_before_checker"):
        check_name = variables._undefined_and_used_before_checker

        def visit_name(node: Any) -> None:
            stmt = node.statement()
            if stmt.fromlineno is not None:
                check_name(node, stmt)

        def visit_assignname(node: Any) -> None:
            if isinstance(node.assign_type(), nodes.AugAssign):
                visit_name(node)

        replacements[variables.visit_name] = visit_name
        replacements[variables.visit_assignname] = visit_assignname
        replacements[variables.visit_delname] = visit_name
    basic = by_name.get("BasicChecker")
    if basic is not None and hasattr(basic, "_check_misplaced_format_function") and hasattr(basic, "_check_reversed"):

        def visit_call(node: Any) -> None:
            basic._check_misplaced_format_function(node)
            func = node.func
            if isinstance(func, nodes.Name) and func.name == "reversed":
                if not ("reversed" in node.frame() or "reversed" in node.root()):
                    basic._check_reversed(node)

        replacements[basic.visit_call] = visit_call
    special = by_name.get("SpecialMethodsChecker")
    if special is not None and hasattr(special, "_protocol_map") and hasattr(special, "_check_unexpected_method_signature"):
        from pylint.checkers.classes.special_methods_checker import PYMETHODS, _safe_infer_call_result

        protocols = special._protocol_map

        def visit_functiondef(node: Any) -> None:
            if not node.is_method():
                return
            if node.name in protocols:
                inferred = _safe_infer_call_result(node, node)
                if inferred:
                    protocols[node.name](node, inferred)
            if node.name in PYMETHODS:
                special._check_unexpected_method_signature(node)

        replacements[special.visit_functiondef] = visit_functiondef
        replacements[special.visit_asyncfunctiondef] = visit_functiondef
    formats = by_name.get("FormatChecker")
    if formats is not None:
        replacements[formats.visit_default] = None
    method_args = by_name.get("MethodArgsChecker")
    if method_args is not None and hasattr(method_args, "_check_positional_only_arguments_expected"):
        replacements[method_args.visit_call] = method_args._check_positional_only_arguments_expected
    errors = by_name.get("BasicErrorChecker")
    for method, keyword in (("_check_name_used_prior_global", b"global"), ("_check_nonlocal_and_global", b"nonlocal")):
        if errors is not None and hasattr(errors, method):
            # an instance attribute, so that pylint's own visit_functiondef calls the guarded check
            setattr(errors, method, _unless_absent(getattr(errors, method), keyword))
    for events in (walker.visit_events, walker.leave_events):
        for cid, callbacks in events.items():
            kept = [replacements.get(cb, cb) if cb in replacements else cb for cb in callbacks]
            events[cid] = [cb for cb in kept if cb is not None]


def _unless_absent(check: Callable[[Any], None], keyword: bytes) -> Callable[[Any], None]:
    """``check(node)``, skipped when the text of the node's module does not contain ``keyword``."""

    def guarded(node: Any) -> None:
        source = getattr(node.root(), "file_bytes", None)
        if source is None or keyword in source:
            check(node)

    return guarded
