"""Python's verdict rules, shared by the pylint backend and the fast backend.

The verdict is the authors' (docs/algorithm.md): pylint with conventions and refactors off;
every message that is not a warning counts, plus the warnings W0311 (bad-indentation) and
W0231 (super-init-not-called); a syntax error "... on line N" is blamed on line N.
"""

from __future__ import annotations

import ast
import warnings

from lintseq_hf.lint.base import LintError

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
