"""The fast linter's module facts: what pylint infers about the functions and classes a program defines.

A second pass after the name scopes (:class:`~lintseq_hf.lint.python.fast.FastLinter`), over the
attribute loads, calls and call assignments the scope pass collected: E1101 on ``self``, E1120/E1121
on calls, E1111/E1128 on assigned results.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import Any, Protocol

from lintseq_hf.lint.base import LintError


class ScopePass(Protocol):
    """What the fast linter's scope pass collected, as read here (scopes are keyed by ``id`` of their node)."""

    parent: dict[int, int | None]
    kind: dict[int, str]
    nodes: dict[int, ast.AST]
    bindings: dict[int, dict[str, list[Any]]]
    calls: list[tuple[ast.Call, int]]
    call_assigns: list[tuple[ast.Assign, int]]
    attribute_loads: list[tuple[ast.Attribute, int]]

    def owner(self, name: str, key: int) -> int | None:
        """The enclosing scope that binds ``name`` (class scopes skipped)."""
        ...


OBJECT_MEMBERS = frozenset(dir(object))


class ModuleFacts:
    """The cheap part of pylint's inference: functions and classes the module itself defines.

    * E1101 for ``self.x`` in a method when neither the class nor its (module-defined) bases
      bind ``x`` anywhere (class body or ``self.x = …`` in a method);
    * E1121 / E1120 for a call of a module-level function (or ``self.method``) with more
      positional arguments than it takes / without a value for a required parameter;
    * E1111 / E1128 for ``x = f(…)`` when ``f`` never returns a value / only returns None.

    Only names bound exactly once at module level (or methods defined once in the class) are
    resolved, and classes with unknown bases, decorators, a metaclass or ``__getattr__`` are
    left alone, as pylint leaves alone what it cannot infer.
    """

    def __init__(self, tree: ast.Module, scopes: ScopePass) -> None:
        self.scopes = scopes
        self.module = id(tree)
        bound = scopes.bindings[self.module]
        self.functions = {
            n.name: n
            for n in tree.body
            if isinstance(n, ast.FunctionDef) and len(bound.get(n.name, ())) == 1 and not n.decorator_list
        }
        self.classes = {
            n.name: n for n in tree.body if isinstance(n, ast.ClassDef) and len(bound.get(n.name, ())) == 1
        }
        self._members: dict[str, frozenset[str] | None] = {}
        self._no_value: dict[int, LintError | None] = {}

    def errors(self) -> Iterator[LintError]:
        if not self.functions and not self.classes:
            return
        scopes = self.scopes
        for node, key in scopes.attribute_loads:
            context = self._method(key)
            if context is None or node.value.id != context[1]:
                continue
            members = self.members(context[0].name)
            if members is not None and node.attr not in members:
                yield LintError(
                    "E1101", node.lineno, node.col_offset, f"Instance of {context[0].name!r} has no {node.attr!r} member"
                )
        for call, key in scopes.calls:
            target = self._callee(call.func, key)
            if target is not None:
                yield from _argument_errors(call, *target)
        for assign, key in scopes.call_assigns:
            target = self._callee(assign.value.func, key)
            if target is None:
                continue
            function = target[0]
            if id(function) not in self._no_value:
                self._no_value[id(function)] = _assignment_error(function)
            error = self._no_value[id(function)]
            if error is not None:
                yield LintError(error.msg_id, assign.lineno, assign.col_offset, error.message)

    def _method(self, key: int) -> tuple[ast.ClassDef, str] | None:
        """(class, name of the instance parameter) when scope ``key`` is a plain method of a module class."""
        scopes = self.scopes
        parent = scopes.parent.get(key)
        if parent is None or scopes.kind[parent] != "class":
            return None
        cls = scopes.nodes[parent]
        method = scopes.nodes[key]
        if self.classes.get(cls.name) is not cls or not isinstance(method, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return None
        if any(isinstance(d, ast.Name) and d.id in ("staticmethod", "classmethod") for d in method.decorator_list):
            return None
        first = _first_param(method)
        return (cls, first) if first is not None else None

    def _callee(self, func: ast.expr, key: int) -> tuple[ast.FunctionDef, int] | None:
        """The function a call runs and how many leading parameters are bound already."""
        scopes = self.scopes
        if isinstance(func, ast.Name):
            found = self.functions.get(func.id)
            if found is None:
                return None
            if key != self.module and (func.id in scopes.bindings[key] or scopes.owner(func.id, key) != self.module):
                return None
            return found, 0
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            context = self._method(key)
            if context is None or func.value.id != context[1] or self.members(context[0].name) is None:
                return None
            cls = context[0]
            defined = [m for m in cls.body if isinstance(m, (ast.FunctionDef, ast.AsyncFunctionDef)) and m.name == func.attr]
            if len(defined) == 1 and not defined[0].decorator_list and _first_param(defined[0]) is not None:
                if sum(func.attr in _targets_of(stmt) for stmt in cls.body) == 1:
                    return defined[0], 1
        return None

    # -- members --------------------------------------------------------------------
    def members(self, name: str, seen: frozenset[str] = frozenset()) -> frozenset[str] | None:
        """Every attribute an instance of the module class ``name`` has, or None if unknowable."""
        if name in self._members:
            return self._members[name]
        node = self.classes.get(name)
        if node is None or name in seen or node.decorator_list or node.keywords:
            return None
        found = set(OBJECT_MEMBERS)
        for base in node.bases:
            if isinstance(base, ast.Name) and base.id == "object":
                continue
            inherited = self.members(base.id, seen | {name}) if isinstance(base, ast.Name) else None
            if inherited is None:
                self._members[name] = None
                return None
            found |= inherited
        for stmt in node.body:
            found |= _targets_of(stmt)
        for method in _methods(node):
            first = _first_param(method)
            if first is None:
                continue
            for sub in ast.walk(method):
                if (
                    isinstance(sub, ast.Attribute)
                    and not isinstance(sub.ctx, ast.Load)
                    and isinstance(sub.value, ast.Name)
                    and sub.value.id == first
                ):
                    found.add(sub.attr)
        if {"__getattr__", "__getattribute__", "__slots__"} & found - OBJECT_MEMBERS or "getattr" in name.lower():
            result = None
        elif name.lower().endswith("mixin"):
            result = None
        else:
            result = frozenset(found)
        self._members[name] = result
        return result


def _argument_errors(call: ast.Call, function: ast.FunctionDef, bound: int) -> Iterator[LintError]:
    args = function.args
    if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
        return
    positional = [*args.posonlyargs, *args.args][bound:]
    if args.vararg is None and len(call.args) > len(positional):
        yield LintError("E1121", call.lineno, call.col_offset, "Too many positional arguments for function call")
        return
    given = {a.arg for a in positional[: len(call.args)]} | {k.arg for k in call.keywords}
    required = positional[: len(positional) - len(args.defaults)]
    required_kw = [a for a, d in zip(args.kwonlyargs, args.kw_defaults) if d is None]
    missing = [a.arg for a in [*required, *required_kw] if a.arg not in given]
    if missing and args.kwarg is None or [a for a in missing if a in {p.arg for p in args.posonlyargs}]:
        yield LintError("E1120", call.lineno, call.col_offset, f"No value for argument {missing[0]!r} in function call")


def _assignment_error(function: ast.FunctionDef) -> LintError | None:
    """E1111/E1128 (line 0) for assigning the result of ``function``, or None."""
    own = list(_walk_own(function))
    if any(isinstance(n, (ast.Yield, ast.YieldFrom)) for n in own) or _is_abstract(function):
        return None
    returns = [n for n in own if isinstance(n, ast.Return)]
    message = f"Assigning result of a function call, but {function.name!r} returns None"
    if not returns:
        return LintError("E1111", 0, 0, message)
    if all(r.value is None or (isinstance(r.value, ast.Constant) and r.value.value is None) for r in returns):
        return LintError("E1128", 0, 0, message)
    return None


def _is_abstract(function: ast.FunctionDef) -> bool:
    body = [s for s in function.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
    if len(body) == 1 and isinstance(body[0], ast.Raise):
        exc = body[0].exc
        name = exc.func if isinstance(exc, ast.Call) else exc
        return isinstance(name, ast.Name) and name.id == "NotImplementedError"
    return False


def _methods(cls: ast.ClassDef) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
    for stmt in cls.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and not any(
            isinstance(d, ast.Name) and d.id in ("staticmethod", "classmethod") for d in stmt.decorator_list
        ):
            yield stmt


def _first_param(function: ast.AST) -> str | None:
    if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return None
    params = [*function.args.posonlyargs, *function.args.args]
    return params[0].arg if params else None


def _targets_of(stmt: ast.stmt) -> set[str]:
    """Names a class-body statement binds."""
    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {stmt.name}
    if isinstance(stmt, (ast.Import, ast.ImportFrom)):
        return {a.asname or a.name.split(".")[0] for a in stmt.names}
    found = set()
    for node in ast.walk(stmt):
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            found.add(node.id)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node is not stmt:
            found.add(node.name)
    return found


def _walk_own(function: ast.AST) -> Iterator[ast.AST]:
    """Nodes of a function body, not descending into nested functions or classes."""
    stack = list(ast.iter_child_nodes(function))
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            stack.extend(ast.iter_child_nodes(node))
