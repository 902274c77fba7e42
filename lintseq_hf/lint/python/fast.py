"""A pylint-free linter for LintSeq (``linter="fast"``): pylint's verdict on most partial programs.

:class:`FastLinter` answers the question the sampler asks (which lines of this state are in
error?) from one ``ast`` parse and a few passes over the tree, without pylint:

* a state that does not parse gets the very E0001 the pylint backend reports (same parser
  call, same "on line N" remap);
* bad indentation (W0311): pylint's rule, checked on statement nodes
  (:mod:`lintseq_hf.lint.python.indentation`);
* bad characters (E2502, E2510-E2515), as pylint's unicode checker reports them;
* names, resolved by scope as pylint's variables checker does: a name no enclosing scope
  (nor the builtins) binds is E0602 at every use; for a name the scope binds, only its first
  use is checked (pylint "consumes" it): E0601 when no binding precedes it, E0606 when every
  earlier binding sits in an ``if`` branch that may be skipped; uses inside a ``for`` loop
  that also binds the name, or inside nested functions, are not flagged;
* ``return``/``yield`` outside a function (E0104/E0105), ``break``/``continue`` outside a
  loop (E0103), a duplicate argument name (E0108);
* a few facts pylint infers about classes and functions defined in the module itself:
  no-member on ``self`` and on instances of module classes (E1101), too many / too few
  positional arguments to module functions (E1121/E1120), assigning the result of a module
  function that never returns a value / only returns None (E1111/E1128)
  (:mod:`lintseq_hf.lint.python.module_facts`).

What it does not do is pylint's general type inference (members of imported modules or of
values returned by calls, special-method signatures E0302, …): those states are clean for this
linter. The agreement with the pylint backend and the classes of disagreement are measured by
``benchmarks/generation.py`` (docs/performance.md).
"""

from __future__ import annotations

import ast
import builtins
import re
from collections.abc import Iterator

from lintseq_hf.lint.base import LintError, MemoizedLinter
from lintseq_hf.lint.python.indentation import statement_indentation_errors
from lintseq_hf.lint.python.module_facts import ModuleFacts
from lintseq_hf.lint.python.rules import parse_state

BUILTIN_NAMES = frozenset(dir(builtins)) | {
    "__file__", "__name__", "__doc__", "__package__", "__spec__", "__loader__", "__builtins__",
    "__path__", "__annotations__", "__dict__", "__module__", "__qualname__",
}
"""Names every module can use without binding them."""

_LOOPS = (ast.For, ast.AsyncFor, ast.While)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)
_LEAVES = (ast.Constant, ast.Pass, *(
    kind
    for base in (ast.expr_context, ast.operator, ast.boolop, ast.cmpop, ast.unaryop)
    for kind in base.__subclasses__()
))
"""Node types with no child that binds or uses a name."""
_BLOCKS = (ast.If, ast.While, ast.Try, ast.With, ast.AsyncWith, ast.Match, *(
    (ast.TryStar,) if hasattr(ast, "TryStar") else ()
))


class FastLinter(MemoizedLinter):
    """Counted errors of a program state, computed without pylint (see the module docstring)."""

    name = "fast"

    def __init__(self, *, cache_size: int = 4096) -> None:
        super().__init__(cache_size)

    def _lint(self, text: str) -> list[LintError]:
        return lint_text(text)


def lint_text(text: str) -> list[LintError]:
    """The fast verdict for one program text (no memo)."""
    tree, error = parse_state(text)
    if tree is None:
        return [error] if error is not None else []
    errors = list(statement_indentation_errors(tree, text.split("\n")))
    errors.extend(_character_errors(text))
    scopes = _Scopes()
    scopes.visit_scope(tree, tree.body)
    errors.extend(scopes.errors())
    errors.extend(ModuleFacts(tree, scopes).errors())
    return sorted(set(errors), key=lambda e: (e.line, e.msg_id, e.column, e.message))


_BIDI_CHARACTERS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200f"
_BAD_CHARACTERS = {"\b": "E2510", "\r": "E2511", "\x1a": "E2512", "\x1b": "E2513", "\0": "E2514", "\u200b": "E2515"}
_SUSPECT = re.compile("[\\x00-\\x08\\x0b-\\x1f\\x7f" + _BIDI_CHARACTERS + "\u200b]")


def _character_errors(text: str) -> Iterator[LintError]:
    """pylint's unicode checker: bidirectional controls (E2502) and invisible or control
    characters (E2510-E2515), per line."""
    if not _SUSPECT.search(text):
        return
    for number, line in enumerate(text.split("\n"), 1):
        if any(c in line for c in _BIDI_CHARACTERS):
            yield LintError("E2502", number, 0, "Contains control characters that can permit obfuscated code")
        for column, char in enumerate(line):
            msg_id = _BAD_CHARACTERS.get(char)
            if msg_id is not None:
                yield LintError(msg_id, number, column + 1, f"Invalid unescaped character {char!r}")


_Ancestors = tuple[tuple[ast.AST, str], ...]
"""Compound statements around a node inside its scope, with the field (body, orelse, …) it is in."""


class _Scopes:
    """One pass over the tree: bindings and uses of names per scope, in pylint's visiting order."""

    def __init__(self) -> None:
        self.counter = 0
        self.parent: dict[int, int | None] = {}
        self.kind: dict[int, str] = {}
        # scope -> name -> [(order, ancestors, kind)] for bindings
        self.bindings: dict[int, dict[str, list[tuple[int, _Ancestors, str]]]] = {}
        # (scope, name, order, line, column, ancestors, kind) for every load
        self.uses: list[tuple[int, str, int, int, int, _Ancestors, str]] = []
        self.other: list[LintError] = []
        self.star_import = False
        self.future_annotations = False
        self.used_names: set[str] = set()
        self.nodes: dict[int, ast.AST] = {}
        self.calls: list[tuple[ast.Call, int]] = []
        self.call_assigns: list[tuple[ast.Assign, int]] = []
        self.attribute_loads: list[tuple[ast.Attribute, int]] = []

    # -- collection ------------------------------------------------------------------
    def visit_scope(
        self, scope: ast.AST, body: list[ast.stmt], args: ast.arguments | None = None, parent: int | None = None
    ) -> None:
        key = id(scope)
        self.nodes[key] = scope
        self.parent[key] = parent
        self.kind[key] = "module" if parent is None else "class" if isinstance(scope, ast.ClassDef) else "function"
        self.bindings[key] = {}
        if args is not None:
            seen: set[str] = set()
            for arg in (*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg):
                if arg is None:
                    continue
                if arg.arg in seen:
                    self.other.append(LintError("E0108", scope.lineno, scope.col_offset, f"Duplicate argument name {arg.arg!r}"))
                seen.add(arg.arg)
                self._bind(key, arg.arg, (), "arg")
        for stmt in body:
            self._visit(stmt, key, ())

    def _bind(self, key: int, name: str, ancestors: _Ancestors, kind: str) -> None:
        self.counter += 1
        self.bindings[key].setdefault(name, []).append((self.counter, ancestors, kind))

    def _use(self, key: int, node: ast.expr, name: str, ancestors: _Ancestors, kind: str = "load") -> None:
        self.counter += 1
        self.used_names.add(name)
        self.uses.append((key, name, self.counter, node.lineno, node.col_offset, ancestors, kind))

    def _visit(self, node: ast.AST, key: int, ancestors: _Ancestors, comp: frozenset[str] = frozenset()) -> None:
        """Record what ``node`` binds and uses in scope ``key`` (``comp``: names a comprehension binds)."""
        handler = _VISITORS.get(type(node), _Scopes._visit_other)
        handler(self, node, key, ancestors, comp)

    def _visit_name(self, node: ast.Name, key: int, ancestors: _Ancestors, comp: frozenset[str]) -> None:
        if node.id in comp:
            return
        if isinstance(node.ctx, ast.Load):
            self._use(key, node, node.id, ancestors)
        else:
            self._bind(key, node.id, ancestors, "store")

    def _visit_definition(
        self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef, key: int, ancestors: _Ancestors, comp: frozenset[str]
    ) -> None:
        for decorator in node.decorator_list:
            self._visit(decorator, key, ancestors, comp)
        if isinstance(node, ast.ClassDef):
            for base in (*node.bases, *node.keywords):
                self._visit(base, key, ancestors, comp)
            self.visit_scope(node, node.body, parent=key)
        else:
            self._visit_signature(node.args, key, ancestors, comp)
            for annotation in _annotations(node):
                self._visit_annotation(annotation, key, ancestors, comp)
            self.visit_scope(node, node.body, node.args, parent=key)
        self._bind(key, node.name, ancestors, "def")

    def _visit_lambda(self, node: ast.Lambda, key: int, ancestors: _Ancestors, comp: frozenset[str]) -> None:
        self._visit_signature(node.args, key, ancestors, comp)
        self.visit_scope(node, [ast.Expr(node.body)], node.args, parent=key)

    def _visit_assign(self, node: ast.Assign | ast.AnnAssign, key: int, ancestors: _Ancestors, comp: frozenset[str]) -> None:
        start = len(self.uses)
        if node.value is not None:
            self._visit(node.value, key, ancestors, comp)
        if isinstance(node, ast.AnnAssign):
            self._visit_annotation(node.annotation, key, ancestors, comp)
            # pylint does not check the order of names an annotated assignment uses
            self._unchecked(start)
            if node.value is not None:
                self._visit(node.target, key, ancestors, comp)
            return
        for target in node.targets:
            self._visit(target, key, ancestors, comp)
        if isinstance(node.value, ast.Call):
            self.call_assigns.append((node, key))

    def _visit_augassign(self, node: ast.AugAssign, key: int, ancestors: _Ancestors, comp: frozenset[str]) -> None:
        target = node.target
        if not isinstance(target, ast.Name):
            self._visit(target, key, ancestors, comp)
            self._visit(node.value, key, ancestors, comp)
        elif target.id not in comp:
            self._use(key, target, target.id, ancestors, "aug")
            self._visit(node.value, key, ancestors, comp)
            self._bind(key, target.id, ancestors, "aug")

    def _visit_namedexpr(self, node: ast.NamedExpr, key: int, ancestors: _Ancestors, comp: frozenset[str]) -> None:
        self._visit(node.value, key, ancestors, comp)
        self._bind(key, node.target.id, ancestors, "store")

    def _visit_for(self, node: ast.For | ast.AsyncFor, key: int, ancestors: _Ancestors, comp: frozenset[str]) -> None:
        self._visit(node.iter, key, ancestors + ((node, "iter"),), comp)
        self._visit(node.target, key, ancestors + ((node, "target"),), comp)
        for field in ("body", "orelse"):
            inner = ancestors + ((node, field),)
            for child in getattr(node, field):
                self._visit(child, key, inner, comp)

    def _visit_comprehension(self, node: ast.expr, key: int, ancestors: _Ancestors, comp: frozenset[str]) -> None:
        names = set(comp)
        for index, generator in enumerate(node.generators):
            # the first iterable is evaluated in the enclosing scope
            self._visit(generator.iter, key, ancestors, frozenset(names) if index else comp)
            names |= {n.id for n in ast.walk(generator.target) if isinstance(n, ast.Name)}
            for condition in generator.ifs:
                self._visit(condition, key, ancestors, frozenset(names))
        elements = (node.key, node.value) if isinstance(node, ast.DictComp) else (node.elt,)
        for element in elements:
            self._visit(element, key, ancestors, frozenset(names))

    def _visit_import(self, node: ast.Import | ast.ImportFrom, key: int, ancestors: _Ancestors, comp: frozenset[str]) -> None:  # noqa: ARG002 (the visitors' signature)
        if isinstance(node, ast.ImportFrom) and node.module == "__future__":
            self.future_annotations |= any(a.name == "annotations" for a in node.names)
        for alias in node.names:
            if alias.name == "*":
                self.star_import = True
            else:
                self._bind(key, alias.asname or alias.name.split(".")[0], ancestors, "import")

    def _visit_handler(self, node: ast.ExceptHandler, key: int, ancestors: _Ancestors, comp: frozenset[str]) -> None:
        if node.type is not None:
            self._visit(node.type, key, ancestors, comp)
        if node.name:
            self._bind(key, node.name, ancestors, "except")
        for child in node.body:
            self._visit(child, key, ancestors, comp)

    def _visit_block(self, node: ast.stmt, key: int, ancestors: _Ancestors, comp: frozenset[str]) -> None:
        """``if``/``while``/``try``/``with``/``match``: children know which field they sit in."""
        for field, value in ast.iter_fields(node):
            inner = ancestors + ((node, field),)
            for child in value if isinstance(value, list) else (value,):
                if isinstance(child, ast.AST):
                    self._visit(child, key, inner, comp)

    def _visit_other(self, node: ast.AST, key: int, ancestors: _Ancestors, comp: frozenset[str]) -> None:
        """Every other node: the checks tied to it (E0104/E0105/E0103, calls and attributes
        for :class:`~lintseq_hf.lint.python.module_facts.ModuleFacts`), then its children."""
        if isinstance(node, (ast.Return, ast.Yield, ast.YieldFrom)) and self.kind[key] != "function":
            msg_id = "E0104" if isinstance(node, ast.Return) else "E0105"
            self.other.append(LintError(msg_id, node.lineno, node.col_offset, "outside function"))
        elif isinstance(node, (ast.Break, ast.Continue)) and not any(
            isinstance(n, _LOOPS) and f == "body" for n, f in ancestors
        ):
            self.other.append(LintError("E0103", node.lineno, node.col_offset, "not properly in loop"))
        elif isinstance(node, ast.Call):
            self.calls.append((node, key))
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and isinstance(node.ctx, ast.Load):
            self.attribute_loads.append((node, key))
        for name in node._fields:  # ast.iter_child_nodes, inlined: the hottest loop of this linter
            value = getattr(node, name, None)
            for child in value if isinstance(value, list) else (value,):
                if isinstance(child, ast.AST):
                    _VISITORS.get(type(child), _Scopes._visit_other)(self, child, key, ancestors, comp)

    def _visit_leaf(self, node: ast.AST, key: int, ancestors: _Ancestors, comp: frozenset[str]) -> None:
        """Constants, operators, contexts, ``pass``: nothing bound, used or checked."""

    def _unchecked(self, start: int) -> None:
        """Uses recorded since ``start`` consume their names but are never flagged."""
        for index in range(start, len(self.uses)):
            self.uses[index] = self.uses[index][:-1] + ("default",)

    def _visit_annotation(self, annotation: ast.expr, key: int, ancestors: _Ancestors, comp: frozenset[str]) -> None:
        """An annotation evaluated in a class body cannot name a class still being defined: E0602,
        as pylint says, unless annotations are postponed or an earlier use already consumed the
        name (pylint checks a name only until its first unflagged use)."""
        defining: set[str] = set()
        scope: int | None = key
        while not self.future_annotations and scope is not None and self.kind[scope] == "class":
            defining.add(self.nodes[scope].name)
            scope = self.parent[scope]
        fresh = {name for name in defining if name not in self.used_names}
        self._visit(annotation, key, ancestors, comp)
        if not fresh:
            return
        for node in ast.walk(annotation):
            if isinstance(node, ast.Name) and node.id in fresh:
                self.other.append(LintError("E0602", node.lineno, node.col_offset, f"Undefined variable {node.id!r}"))
        self.used_names -= fresh

    def _visit_signature(self, args: ast.arguments, key: int, ancestors: _Ancestors, comp: frozenset[str]) -> None:
        """Default values are evaluated where the function is defined; pylint never flags them."""
        start = len(self.uses)
        for default in (*args.defaults, *args.kw_defaults):
            if default is not None:
                self._visit(default, key, ancestors, comp)
        self._unchecked(start)

    # -- verdict ---------------------------------------------------------------------
    def errors(self) -> Iterator[LintError]:
        yield from self.other
        checked: set[tuple[int, str]] = set()
        for key, name, order, line, column, ancestors, kind in self.uses:
            if name in self.bindings[key]:
                if (key, name) in checked:
                    continue
                checked.add((key, name))
                if kind == "default":
                    continue
                owner = self.owner(name, key)
                if owner is not None and self.kind[owner] == "function":
                    continue  # pylint does not check a local that an enclosing function also binds
                msg_id = _first_use_verdict(name, self.bindings[key][name], order, ancestors, kind)
                if msg_id is not None:
                    yield LintError(msg_id, line, column, f"Using variable {name!r} before assignment")
                continue
            owner = self.owner(name, key)
            if owner is None:
                if not self.star_import and name not in BUILTIN_NAMES and not (
                    name == "__class__" and self.kind[key] == "function"
                ):
                    yield LintError("E0602", line, column, f"Undefined variable {name!r}")
            else:
                checked.add((owner, name))  # a use in a nested function consumes the name

    def owner(self, name: str, key: int) -> int | None:
        """The enclosing scope that binds ``name`` (class scopes skipped, as Python does)."""
        parent = self.parent[key]
        while parent is not None:
            if self.kind[parent] != "class" and name in self.bindings[parent]:
                return parent
            parent = self.parent[parent]
        return None


_VISITORS = {
    ast.Name: _Scopes._visit_name,
    ast.FunctionDef: _Scopes._visit_definition,
    ast.AsyncFunctionDef: _Scopes._visit_definition,
    ast.ClassDef: _Scopes._visit_definition,
    ast.Lambda: _Scopes._visit_lambda,
    ast.Assign: _Scopes._visit_assign,
    ast.AnnAssign: _Scopes._visit_assign,
    ast.AugAssign: _Scopes._visit_augassign,
    ast.NamedExpr: _Scopes._visit_namedexpr,
    ast.For: _Scopes._visit_for,
    ast.AsyncFor: _Scopes._visit_for,
    **{kind: _Scopes._visit_comprehension for kind in _COMPREHENSIONS},
    ast.Import: _Scopes._visit_import,
    ast.ImportFrom: _Scopes._visit_import,
    ast.ExceptHandler: _Scopes._visit_handler,
    **{kind: _Scopes._visit_block for kind in _BLOCKS},
    **{kind: _Scopes._visit_leaf for kind in _LEAVES},
}
"""How :meth:`_Scopes._visit` handles each node type (by exact type; the rest: ``_visit_other``)."""


def _first_use_verdict(
    name: str, bindings: list[tuple[int, _Ancestors, str]], order: int, ancestors: _Ancestors, kind: str
) -> str | None:
    """pylint's check of the first use of a name its scope binds."""
    use_loops = {id(node) for node, _field in ancestors if isinstance(node, (ast.For, ast.AsyncFor))}
    for _order, bind_ancestors, _kind in bindings:
        if any(id(node) in use_loops for node, _field in bind_ancestors):
            return None  # pylint does not check uses inside a for loop that binds the name
    regular = [b for b in bindings if b[2] != "aug"]
    if kind == "aug" and not regular:
        return "E0602"
    use_branches = {(id(node), field) for node, field in ancestors if isinstance(node, ast.If)}
    if any((id(node), field) in use_branches for b in regular for node, field in b[1]):
        return None  # pylint does not check a use inside an if branch that binds the name
    before = [b for b in regular if b[0] < order and not _in_try_of_handler(b[1], ancestors)]
    if not before:
        return "E0601"
    if all(_uncertain(b[1], ancestors, name) for b in before):
        return "E0606"
    return None


def _in_try_of_handler(bind_ancestors: _Ancestors, use_ancestors: _Ancestors) -> bool:
    """A binding in a ``try`` body does not reach a use in one of that ``try``'s handlers."""
    handlers = {id(node) for node, field in use_ancestors if field == "handlers"}
    return any(field == "body" and id(node) in handlers for node, field in bind_ancestors)


def _uncertain(bind_ancestors: _Ancestors, use_ancestors: _Ancestors, name: str) -> bool:
    """A binding inside one branch of an ``if`` the use is not in, whose other branch may fall
    through without binding the name."""
    use_nodes = {id(node) for node, _field in use_ancestors}
    for node, field in bind_ancestors:
        if not isinstance(node, ast.If) or id(node) in use_nodes:
            continue
        if not _covers(node.orelse if field == "body" else node.body, name):
            return True
    return False


def _covers(body: list[ast.stmt], name: str) -> bool:
    """Every path through ``body`` binds ``name`` or leaves the block."""
    for stmt in body:
        if isinstance(stmt, (ast.Return, ast.Raise, ast.Continue, ast.Break)):
            return True
        if isinstance(stmt, ast.Assign) and any(_binds(t, name) for t in stmt.targets):
            return True
        if isinstance(stmt, (ast.AnnAssign, ast.AugAssign)) and stmt.value is not None and _binds(stmt.target, name):
            return True
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and stmt.name == name:
            return True
        if isinstance(stmt, (ast.Import, ast.ImportFrom)) and any(
            (a.asname or a.name.split(".")[0]) == name for a in stmt.names
        ):
            return True
        if isinstance(stmt, ast.If) and _covers(stmt.body, name) and _covers(stmt.orelse, name):
            return True
    return False


def _binds(target: ast.AST, name: str) -> bool:
    return any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(target))


def _annotations(node: ast.FunctionDef | ast.AsyncFunctionDef) -> list[ast.expr]:
    args = node.args
    every = (*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg)
    found = [a.annotation for a in every if a is not None and a.annotation is not None]
    return found + ([node.returns] if node.returns is not None else [])
