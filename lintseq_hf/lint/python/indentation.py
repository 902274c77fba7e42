"""The indentation rule both backends share: pylint's bad-indentation (W0311) on statements.

A statement that starts a line must be indented by exactly four spaces (pylint's default
``indent-string``) per enclosing block. pylint checks this on the token stream; checking it on
statement nodes gives the same lines (tests/test_fast_linter.py compares the two).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from lintseq_hf.lint.base import LintError

INDENT_STRING = "    "
"""pylint's default ``indent-string``: one indentation level is four spaces."""


def statement_indentation_errors(tree: ast.Module, lines: list[str]) -> Iterator[LintError]:
    """W0311 on statement nodes: each statement that starts a line must be indented by exactly
    four spaces per enclosing block (``match`` cases count as a block of their own)."""
    stack: list[tuple[list[ast.stmt], int]] = [(tree.body, 0)]
    while stack:
        body, depth = stack.pop()
        for stmt in body:
            line = lines[stmt.lineno - 1] if stmt.lineno <= len(lines) else ""
            indent = line[: stmt.col_offset]
            if isinstance(stmt, ast.If) and line.startswith("elif", stmt.col_offset):
                pass  # an elif clause sits at its if's level; the parser checked that
            elif not indent.strip() and indent != INDENT_STRING * depth:
                error = _indent_error(indent, depth, stmt.lineno)
                if error is not None:
                    yield error
            for field in ("body", "orelse", "finalbody"):
                child = getattr(stmt, field, None)
                if not child:
                    continue
                if field == "orelse" and _is_elif(child, lines):
                    stack.append((child, depth))
                else:
                    stack.append((child, depth + 1))
            for handler in getattr(stmt, "handlers", ()):
                stack.append((handler.body, depth + 1))
            for case in getattr(stmt, "cases", ()):
                stack.append((case.body, depth + 2))


def _is_elif(orelse: list[ast.stmt], lines: list[str]) -> bool:
    first = orelse[0]
    return (
        len(orelse) == 1
        and isinstance(first, ast.If)
        and first.lineno <= len(lines)
        and lines[first.lineno - 1].startswith("elif", first.col_offset)
    )


def _indent_error(string: str, expected: int, line_num: int) -> LintError | None:
    level = 0
    unit = len(INDENT_STRING)
    while string[:unit] == INDENT_STRING:
        string = string[unit:]
        level += 1
    extra = len(string) - len(string.lstrip(" \t"))
    if level == expected and not extra:
        return None
    found = level * unit + extra
    return LintError(
        "W0311", line_num, 0, f"Bad indentation. Found {found} spaces, expected {expected * unit}"
    )
