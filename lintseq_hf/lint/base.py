"""What every linter backend shares, whatever the language: the counted-error type, the
Linter protocol and the verdict memo (:class:`MemoizedLinter`, which every backend subclasses).

Python's rules (the authors' pylint verdict) are in :mod:`lintseq_hf.lint.python.rules`; the
compilers of the other languages in :mod:`lintseq_hf.lint.compilers`.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import weakref
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class LintError:
    """One counted message; ``line`` is 1-based in the linted text (after the "on line" remap)."""

    msg_id: str
    line: int
    column: int
    message: str
    fatal: bool = False
    """The tool stopped at this error: nothing after it was checked (a C header that is missing)."""


def unchecked(errors: Sequence[LintError]) -> bool:
    """Whether a verdict leaves part of its state unchecked: the tool stopped at a fatal error.

    A program whose original's verdict is unchecked cannot be checked past that error in any of
    its states either (errors of the original are ignored): count it, don't emit it as checked.
    """
    return any(error.fatal for error in errors)


class Linter(Protocol):
    """Anything that can tell which lines of a program text are in error."""

    name: str

    def lint(self, text: str) -> list[LintError]:
        """Counted errors of ``text``; an empty list means the state is clean."""


class VerdictCache:
    """A small bounded memo of verdicts keyed by program text (least recently used out first)."""

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


class MemoizedLinter:
    """What the backends share: verdicts memoized by text (``cache``); ``calls`` counts the computed ones.

    A subclass implements :meth:`_lint`, the verdict of one text.
    """

    def __init__(self, cache_size: int) -> None:
        self.cache = VerdictCache(cache_size)
        self.calls = 0

    def lint(self, text: str) -> list[LintError]:
        """Counted errors of ``text``; an empty list means the state is clean."""
        cached = self.cache.get(text)
        if cached is not None:
            return list(cached)
        return list(self._compute(text))

    def _compute(self, text: str) -> list[LintError]:
        """The verdict of ``text`` computed, counted and memoized (the caller has looked it up)."""
        self.calls += 1
        errors = self._lint(text)
        self.cache.put(text, errors)
        return errors

    def lint_many(self, texts: Sequence[str]) -> list[list[LintError]]:
        """``[self.lint(t) for t in texts]``; a backend that checks many states in one tool call
        overrides it (the sampler's lockstep driver asks for all its waiting states at once)."""
        return [self.lint(text) for text in texts]

    def _lint(self, text: str) -> list[LintError]:
        raise NotImplementedError


def lint_many(linter: Linter, texts: Sequence[str]) -> list[list[LintError]]:
    """Verdicts of ``texts`` from ``linter``: its ``lint_many`` where it has one, else one ``lint`` each."""
    many = getattr(linter, "lint_many", None)
    if many is not None:
        return list(many(texts))
    return [linter.lint(text) for text in texts]


def empty_directory(prefix: str, owner: object | None = None) -> str:
    """A fresh private folder (tools run in it, so no file of the cwd is seen), removed when
    ``owner`` is collected or the process exits: compilers write precompiled headers and build
    products there, and a long run that left them behind would fill the disk."""
    folder = tempfile.mkdtemp(prefix=prefix)
    if owner is not None:
        weakref.finalize(owner, remove_folder, folder, os.getpid())
    return folder


def remove_folder(path: str, creator: int) -> None:
    """Remove ``path`` in the process that made it only: a forked worker inherits the owner's
    finalizer, while its parent still uses the folder."""
    if os.getpid() == creator:
        shutil.rmtree(path, ignore_errors=True)
