"""Syntax-tree helpers the pre-check's language rules share (:mod:`lintseq_hf.core.precheck`)."""

from __future__ import annotations

import re

IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
"""An identifier token, as the pre-check reads program text (comments and strings included)."""


def last_row(node) -> int:  # type: ignore[no-untyped-def]
    row, column = node.end_point
    return row - 1 if column == 0 and row > node.start_point[0] else row


def node_key(node) -> tuple[int, int, str]:  # type: ignore[no-untyped-def]
    """A node's identity (tree-sitter makes a new Python object per access)."""
    return (node.start_byte, node.end_byte, node.type)


def identifiers(node, skip: frozenset[str] = frozenset()) -> set[str]:  # type: ignore[no-untyped-def]
    """Every identifier-like token under ``node`` (not under nodes of a kind in ``skip``)."""
    found: set[str] = set()
    pending = [node]
    while pending:
        current = pending.pop()
        if current.type in skip:
            continue
        if current.child_count == 0:
            if current.type.endswith("identifier") or current.type == "identifier":
                found.add(current.text.decode("utf-8", "replace"))
        else:
            pending.extend(current.children)
    return found


def context_ok(node, allowed: frozenset[str]) -> bool:  # type: ignore[no-untyped-def]
    parent = node.parent
    while parent is not None:
        if parent.type not in allowed:
            return False
        parent = parent.parent
    return True


def descendants(node):  # type: ignore[no-untyped-def]
    pending = [node]
    while pending:
        current = pending.pop()
        yield current
        pending.extend(current.children)


def words(node) -> set[str]:  # type: ignore[no-untyped-def]
    return set(IDENTIFIER.findall(node.text.decode("utf-8", "replace")))


def words_of(text: bytes) -> set[str]:
    return set(IDENTIFIER.findall(text.decode("utf-8", "replace")))
