"""What every linter backend shares: the counted-error type, the Linter protocol, the
authors' rule for turning a pylint message into counted errors, a verdict cache and the parser.

The verdict is the authors' (docs/algorithm.md): pylint with conventions and refactors off;
every message that is not a warning counts, plus the warnings W0311 (bad-indentation) and
W0231 (super-init-not-called); a syntax error "... on line N" is blamed on line N.
"""

from __future__ import annotations

import ast
import warnings
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

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
        self.calls += 1
        errors = self._lint(text)
        self.cache.put(text, errors)
        return list(errors)

    def _lint(self, text: str) -> list[LintError]:
        raise NotImplementedError


def parse_state(text: str, modname: str = MODULE_NAME) -> tuple[ast.Module | None, LintError | None]:
    """``(tree, None)`` when astroid's parser accepts ``text``, else ``(None, E0001)`` (the E0001 pylint would report)."""
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
