"""The process state an in-process pylint run touches, kept as the authors' runs see it and then released.

For :class:`~lintseq_hf.lint.python.pylint_backend.PylintLinter`: the three streams on one StringIO
(which also decides astroid's view of ``sys``), no crash files, ``sys.path`` without the working
directory, the garbage collector paused for one run, and the node-keyed caches that would keep every
earlier state's tree alive.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import io
import os
import sys
import warnings
from collections.abc import Callable, Iterator


class NullProgress:
    """pylint's progress reporter, silent (the linter lints one in-memory module at a time)."""

    def start_get_asts(self) -> None: ...
    def get_ast_for_file(self, filepath: str) -> None: ...
    def start_linting(self) -> None: ...
    def lint_file(self, filepath: str) -> None: ...


def _crash_report_path(ex: Exception, filepath: str, crash_file_path: str) -> str:  # noqa: ARG001 (pylint's hook)
    return "(crash report not written by lintseq)"


@contextlib.contextmanager
def no_crash_files() -> Iterator[None]:
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
def _redirect_stdin(stream: io.StringIO) -> Iterator[None]:
    saved = sys.stdin
    sys.stdin = stream
    try:
        yield
    finally:
        sys.stdin = saved


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    """stdin, stdout and stderr all on one StringIO while pylint runs, as the authors run it.

    This is not only about noise: astroid builds the ``sys`` module from the live objects, so
    ``sys.stdin.buffer`` is an error (E1101) exactly when ``sys`` was first built while the
    streams were StringIO objects, as it always is in the authors' process.
    """
    sink = io.StringIO()
    with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink), _redirect_stdin(sink):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield


def build_sys_as_the_authors_do() -> None:
    """(Re)build astroid's ``sys`` module inside :func:`quiet`, unless it already was.

    In the authors' process every pylint run happens with the three streams redirected, so
    astroid sees StringIO objects there; a process that built ``sys`` earlier (another pylint
    use, a test runner) would otherwise give other verdicts on ``sys.stdin.buffer`` & co.
    """
    from astroid import MANAGER

    built = MANAGER.astroid_cache.get("sys")
    if built is not None:
        if all(
            isinstance(getattr(built.locals.get(name, [None])[0], "object", None), io.StringIO)
            for name in ("stdin", "stdout", "stderr")
        ):
            return
        del MANAGER.astroid_cache["sys"]
    MANAGER.ast_from_module_name("sys")


@contextlib.contextmanager
def collect_once() -> Iterator[None]:
    """The cyclic garbage collector paused during one pylint run, then collected young.

    A state's tree is cyclic (parent links), so only the collector frees it. Left to itself
    the collector runs dozens of times per state, and its full collections walk every
    long-lived object (astroid's trees of the imported standard-library modules): 13-15% of a
    run. Paused, the run's objects stay young; afterwards one collection of the youngest
    generation, and of the next one as often as CPython would (its threshold), frees the
    trees. The oldest generation is left to CPython's own rule. A collector the caller
    disabled stays disabled.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.collect(0)
        if gc.get_count()[1] > gc.get_threshold()[1]:
            gc.collect(1)
        gc.enable()


def forget_linted_trees() -> None:
    """Clear the caches that keep the trees of earlier states alive.

    pylint memoizes a few node functions (``safe_infer``, ``infer_all``, ...) with LRU caches
    keyed by nodes, and astroid its name lookups, metaclass lookups, inferences, inference
    tips and (astroid 4.4) the guards preceding each statement; they keep dead state trees
    reachable and can never hit again (every state is a new tree). pylint clears its own the
    same way after a run with ``--clear-cache-post-run``. astroid also caches the import
    errors of modules it cannot find (``nt`` from ``os.path``): each re-raise leaves the
    frames of that run, and their locals (the state's nodes), on the cached exception.
    """
    for clear in _tree_cache_clearers():
        clear()
    _drop_cached_tracebacks()


@functools.cache
def _tree_cache_clearers() -> tuple[Callable[[], None], ...]:
    """The clear functions of the node-keyed caches, those the installed astroid has
    (the module caches, which hold the standard library's trees, stay)."""
    from astroid import constraint, inference_tip
    from astroid.context import _invalidate_cache
    from astroid.nodes._base_nodes import LookupMixIn
    from astroid.nodes.scoped_nodes import ClassDef
    from pylint.checkers.clear_lru_cache import clear_lru_caches

    known = (clear_lru_caches, _invalidate_cache, LookupMixIn.lookup.cache_clear,
             ClassDef._metaclass_lookup_attribute.cache_clear)
    newer = (getattr(inference_tip, "clear_inference_tip_cache", None),
             getattr(constraint, "clear_preceding_guards_cache", None))
    return known + tuple(clear for clear in newer if clear is not None)


def _drop_cached_tracebacks() -> None:
    """Free the frames astroid's cached import errors keep from the run that last raised them."""
    from astroid import MANAGER

    for cached in getattr(MANAGER, "_mod_file_cache", {}).values():
        while isinstance(cached, BaseException):
            cached.__traceback__ = None
            cached = cached.__context__


@contextlib.contextmanager
def isolated_sys_path(first: str) -> Iterator[None]:
    """Imports resolve from an empty folder and the installed packages, never from the cwd."""
    saved = sys.path[:]
    cwd = os.getcwd()
    sys.path[:] = [first] + [p for p in saved if p not in ("", ".", cwd)]
    try:
        yield
    finally:
        sys.path[:] = saved
