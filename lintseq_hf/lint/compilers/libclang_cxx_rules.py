"""g++'s recoveries after an erroneous C++ declaration that clang recovers from differently: the
errors g++ reports where clang stays silent, and the other way round, given as a rewrite of
clang's errors before :func:`lintseq_hf.lint.compilers.libclang_rules.gcc_errors` places them
(docs/languages.md, "libclang"). Written from the development part of the held-out check and
``tests/data`` (``benchmarks/clang_programs.py``); pure functions of clang's errors and the
state's syntax tree.

- A most vexing parse with an undeclared name (``std::vector<int> v(n);``, ``n`` unknown): clang
  reads a function declaration ("unknown type name 'n'"), g++ a variable initialized with ``n``
  ("'n' was not declared", once per block scope), so ``v`` is a variable for g++, not a
  function declared with an error.
- A parameter list g++ enters (the first parameter starts with a known word, or a later one has
  the error): g++ declares the function and checks its body. A parameter whose type is an unknown
  name becomes an ``int`` (each member access ``p.x`` or subscript ``p[i]`` on it an error); one
  whose template type fails (``const std::vector<int> &v`` without ``<vector>``) ends the list
  ("expected ',' or '...'"): it and the later parameters are undeclared in the body.
- A function whose result type has an error: g++ skips the rest of it, so clang's errors in its
  parameters are dropped. A variable whose template type has an undeclared argument is an
  ``int`` for g++: each subscript or member access on it an error.
- A declaration with several declarators where one is initialized (``= ...``) by an expression
  with an undeclared name: g++ skips the rest of the declaration, whose names are then undeclared
  (``int L = q[i].l, R = q[i].r;``).
- A class member (a variable or a function) whose type has an error: g++ drops it, so its uses
  in the class's member function bodies are "not declared" and each access ``x.m``/``x->m`` an
  error.
- A range-``for`` over an unknown type (``for (Point p : pts) {``): g++ reads ``Point`` as an
  expression, skips to the end of the next statement (the loop's body) and fails to read the
  loop's condition and increment there: errors on the line of that statement's end and of the
  token after it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from lintseq_hf.lint.base import LintError

Place = tuple[int, int]
"""1-based line and byte column in the state."""
Errors = list[tuple[LintError, Place]]

_UNDECLARED = re.compile(r"^use of undeclared identifier '([^']+)'")
_TYPE_ERROR = re.compile(r"^(?:unknown type name|no template named|no member named '[^']+' in namespace|use of undeclared identifier)")
"""Clang's errors on a type that GCC cannot read either."""
_FUNCTIONS = frozenset({"function_definition", "declaration", "field_declaration"})
_STATEMENT_STARTS = frozenset({"expression_statement", "declaration"})


def cxx_recoveries(state, errors: Errors, places: list[Place]) -> tuple[Errors, list[Place], list[tuple[int, int]]]:  # type: ignore[no-untyped-def]
    """Clang's errors (each with its place in the state, all known) rewritten to g++'s
    recoveries (module docstring), sorted by place, and the byte extents of the parameter lists
    g++ enters (their errors neither skip the function's body nor reject its declaration)."""
    offsets = [state.offset(place) for place in places]
    undeclared_at = {offset for (error, _), offset in zip(errors, offsets) if _UNDECLARED.match(error.message)}
    dropped: list[tuple[int, int]] = []
    added: list[tuple[str, object]] = []  # (message, node)
    rewritten: dict[int, str] = {}
    entered: list[tuple[int, int]] = []
    for index, ((error, _), offset) in enumerate(zip(errors, offsets)):
        node = state.root.descendant_for_byte_range(offset, offset)
        if _vexing(node, error):
            rewritten[index] = f"use of undeclared identifier '{node.text.decode('utf-8', 'replace')}'"
            entered.append((node.start_byte, node.end_byte))  # no function declared: g++ declares a variable
    error_nodes = sorted(((offset, index) for index, offset in enumerate(offsets)), key=lambda item: item[0])
    for declaration in _nodes(state.root, _FUNCTIONS):
        kind = declaration.child_by_field_name("type")
        inside = [offset for offset, _ in error_nodes if declaration.start_byte <= offset < declaration.end_byte]
        if not inside:
            continue
        if kind is not None and any(kind.start_byte <= offset < kind.end_byte for offset in inside):
            for declarator in declaration.children_by_field_name("declarator"):
                if _function(declarator) is not None:  # the result type: g++ skips the rest
                    dropped.append((declarator.start_byte, declarator.end_byte))
            if declaration.parent is not None and declaration.parent.type == "field_declaration_list":
                _dropped_member(state, declaration, added)
            elif declaration.type == "declaration" and declaration.parent is not None and kind.type == "qualified_identifier" and any(
                    n.start_byte in undeclared_at for n in _nodes(kind, frozenset({"identifier", "type_identifier"}))
                    if _in_types(n, kind, frozenset({"template_argument_list"}))):
                _int_variables(declaration, added)
            continue
        if declaration.type != "field_declaration":
            _initializers(declaration, undeclared_at, dropped, added)
        for declarator in declaration.children_by_field_name("declarator"):
            function = _function(declarator)
            if function is not None:
                _parameters(declaration, function, inside, entered, dropped, added)
    for index, ((error, _), offset) in enumerate(zip(errors, offsets)):
        node = state.root.descendant_for_byte_range(offset, offset)
        if error.message.startswith("unknown type name") or _UNDECLARED.match(error.message):
            _range_for(state, node, dropped, added)
    kept = [(index, (LintError(error.msg_id, error.line, error.column, rewritten.get(index, error.message), fatal=error.fatal), used), place)
            for index, ((error, used), place, offset) in enumerate(zip(errors, places, offsets))
            if not any(start <= offset < end for start, end in dropped)]
    found = [(error, place) for _, error, place in kept]
    for message, node in added:
        line, column = node.start_point[0] + 1, node.start_point[1] + 1  # type: ignore[attr-defined]
        if not any(start <= node.start_byte < end for start, end in dropped):  # type: ignore[attr-defined]
            found.append(((LintError("error", line, column, message), (0, 0)), (line, column)))
    found.sort(key=lambda item: item[1])
    return [error for error, _ in found], [place for _, place in found], entered


def _nodes(root, types: frozenset[str]) -> Iterator:  # type: ignore[no-untyped-def,type-arg]
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type in types:
            yield node
        stack.extend(reversed(node.children))


def _function(declarator):  # type: ignore[no-untyped-def]
    """The function declarator inside ``declarator``, if it declares a function."""
    while declarator is not None:
        if declarator.type == "function_declarator":
            return declarator
        if declarator.type not in ("pointer_declarator", "reference_declarator", "parenthesized_declarator"):
            return None
        declarator = declarator.child_by_field_name("declarator")
    return None


def _name(declarator) -> str | None:  # type: ignore[no-untyped-def]
    """The plain name a (parameter, member or variable) declarator declares."""
    while declarator is not None:
        if declarator.type in ("identifier", "field_identifier"):
            return declarator.text.decode("utf-8", "replace")
        if declarator.type == "function_declarator":
            return None
        inner = declarator.child_by_field_name("declarator")
        if inner is None and declarator.type == "reference_declarator" and declarator.named_children:
            inner = declarator.named_children[-1]  # tree-sitter names no field there
        declarator = inner
    return None


def _vexing(node, error: LintError) -> bool:  # type: ignore[no-untyped-def]
    """Whether clang's "unknown type name 'n'" is the only word of a parameter of a block's
    declaration ``T v(n);`` (g++ reads ``n`` as a value)."""
    if node is None or not error.message.startswith("unknown type name") or node.type != "type_identifier":
        return False
    parameter = node.parent
    if parameter is None or parameter.type != "parameter_declaration" or parameter.named_child_count != 1:
        return False
    function = parameter.parent.parent if parameter.parent is not None else None
    declaration = function.parent if function is not None else None
    return function is not None and function.type == "function_declarator" and declaration is not None \
        and declaration.type == "declaration" and declaration.parent is not None and declaration.parent.type == "compound_statement"


def _dropped_member(state, member, added: list) -> None:  # type: ignore[no-untyped-def,type-arg]
    """A class member g++ drops (its type has an error): its names are undeclared in the class's
    member function bodies, and each access ``x.name``/``x->name`` is an error (unless another
    class declares a member of that name)."""
    names = {_name(_function(d).child_by_field_name("declarator") if _function(d) is not None else d)
             for d in member.children_by_field_name("declarator")} - {None}
    for body in _member_bodies(member):
        added += _uses_in(body, names, "use of undeclared identifier '{}'")
    others = {_name(_function(d).child_by_field_name("declarator") if _function(d) is not None else d)
              for other in _nodes(state.root, frozenset({"field_declaration", "function_definition"}))
              if other != member and other.parent is not None and other.parent.type == "field_declaration_list"
              for d in other.children_by_field_name("declarator")}
    for access in _nodes(state.root, frozenset({"field_expression"})):
        field = access.child_by_field_name("field")
        name = field.text.decode("utf-8", "replace") if field is not None and field.type == "field_identifier" else None
        if name in names and name not in others:
            added.append((f"no member named '{name}'", field))


def _int_variables(declaration, added: list) -> None:  # type: ignore[no-untyped-def,type-arg]
    """A variable whose qualified template type has an undeclared argument (``std::array<int, N> a;``;
    unqualified, clang may not know the template either: it then reports the name alone) is an
    ``int`` for g++ ("template argument 2 is invalid"): each ``a[i]``, ``a.m`` or ``a->m`` after
    it in its scope is an error (clang declares it invalid and stays silent)."""
    names = {_name(d) for d in declaration.children_by_field_name("declarator")
             if d.type in ("identifier", "init_declarator") and _function(d) is None} - {None}
    for message, use in _uses_in(declaration.parent, names, "{}", declaration.end_byte):
        parent = use.parent  # type: ignore[attr-defined]
        if parent is not None and parent.type in ("subscript_expression", "field_expression") and parent.child_by_field_name("argument") == use:
            added.append((f"request for member or subscript of '{message}', which is of non-class type 'int'", use))


def _member_bodies(field) -> list:  # type: ignore[no-untyped-def,type-arg]
    """The bodies of the member functions defined in the class of ``field``."""
    members = field.parent
    if members is None or members.type != "field_declaration_list":
        return []
    return [child.child_by_field_name("body") for child in members.children
            if child.type == "function_definition" and child.child_by_field_name("body") is not None]


def _uses_in(scope, names: set[str], message: str, after: int = 0) -> list[tuple[str, object]]:  # type: ignore[no-untyped-def]
    """An error ``message`` (formatted with the name) at each use of one of ``names`` in ``scope``
    from byte ``after`` on, except names declared again there."""
    if not names:
        return []
    uses: list[tuple[str, object]] = []
    again: set[str] = set()
    for node in _nodes(scope, frozenset({"identifier"})):
        name = node.text.decode("utf-8", "replace")
        if name not in names or node.start_byte < after:
            continue
        parent = node.parent
        if parent is not None and (parent.child_by_field_name("declarator") == node or parent.type == "qualified_identifier"):
            again.add(name)
        else:
            uses.append((name, node))
    return [(message.format(name), node) for name, node in uses if name not in again]


def _initializers(declaration, undeclared_at: set[int], dropped: list[tuple[int, int]], added: list) -> None:  # type: ignore[no-untyped-def,type-arg]
    """g++ skips the rest of a declaration after a declarator whose ``= value`` has an undeclared
    name (the value is an error): the later declarators' names are undeclared after it."""
    declarators = declaration.children_by_field_name("declarator")
    for index, declarator in enumerate(declarators[:-1]):
        value = declarator.child_by_field_name("value") if declarator.type == "init_declarator" else None
        if value is None or value.type in ("initializer_list", "argument_list"):
            continue
        if not any(node.start_byte in undeclared_at for node in _nodes(value, frozenset({"identifier"}))
                   if not _in_types(node, value, frozenset({"lambda_expression", "initializer_list"}))):
            continue
        rest = declarators[index + 1:]
        dropped.append((rest[0].start_byte, declaration.end_byte))
        names = {_name(d) for d in rest} - {None}
        scope = declaration.parent
        if scope is not None:
            added += _uses_in(scope, names, "use of undeclared identifier '{}'", declaration.end_byte)
        return


def _in_types(node, top, types: frozenset[str]) -> bool:  # type: ignore[no-untyped-def]
    while node is not None and node != top:
        if node.type in types:
            return True
        node = node.parent
    return False


def _parameters(declaration, function, inside: list[int], entered: list[tuple[int, int]],  # type: ignore[no-untyped-def]
                dropped: list[tuple[int, int]], added: list) -> None:  # type: ignore[type-arg]
    """g++'s reading of a parameter list with errors that it enters (module docstring)."""
    parameters = function.child_by_field_name("parameters")
    if parameters is None:
        return
    items = [child for child in parameters.named_children if child.type.endswith("parameter_declaration")]
    failing = [i for i, item in enumerate(items) if any(item.start_byte <= offset < item.end_byte for offset in inside)]
    if not failing:
        return
    first = items[failing[0]]
    if failing[0] == 0 and first.named_children and first.named_children[0] == first.child_by_field_name("type"):
        return  # the list starts with an unknown word: g++ reads a variable (libclang_rules)
    if declaration.parent is not None and declaration.parent.type == "compound_statement":
        return
    entered.append((parameters.start_byte, parameters.end_byte))
    body = declaration.child_by_field_name("body") if declaration.type == "function_definition" else None
    for index in failing:
        item = items[index]
        kind = item.child_by_field_name("type")
        if kind is not None and b"<" in kind.text:  # the list ends here
            dropped.append((items[index + 1].start_byte, parameters.end_byte) if index + 1 < len(items) else (0, 0))
            if body is not None:
                names = {_name(item.child_by_field_name("declarator")) for item in items[index:]} - {None}
                added += _uses_in(body, names, "use of undeclared identifier '{}'")
            return
        name = _name(item.child_by_field_name("declarator"))
        if body is None or name is None:
            continue
        plain = item.child_by_field_name("declarator") is not None and item.child_by_field_name("declarator").type in ("identifier", "reference_declarator")
        for use in _nodes(body, frozenset({"identifier"})):
            parent = use.parent
            if use.text.decode("utf-8", "replace") != name or parent is None:
                continue
            member = parent.type == "field_expression" and parent.child_by_field_name("argument") == use
            subscript = plain and parent.type == "subscript_expression" and parent.child_by_field_name("argument") == use
            if member or subscript:
                added.append((f"request for member or subscript of '{name}', which is of non-class type 'int'", use))


def _range_for(state, node, dropped: list[tuple[int, int]], added: list) -> None:  # type: ignore[no-untyped-def,type-arg]
    """g++'s errors after a range-``for`` whose declaration's type is unknown (module docstring)."""
    loop = node
    while loop is not None and loop.type != "for_range_loop":
        if loop.type in ("compound_statement", "lambda_expression"):
            return
        loop = loop.parent
    if loop is None:
        return
    kind = loop.child_by_field_name("type")
    if kind is None or not kind.start_byte <= node.start_byte < kind.end_byte:
        return
    tokens = list(_leaves(state.root))
    start = next((i for i, token in enumerate(tokens) if token.start_byte >= node.end_byte), len(tokens))
    end, closed = _end_of_statement(tokens, start)
    dropped.append((node.end_byte, tokens[end - 1].start_byte if end > start else node.end_byte))
    if end >= len(tokens):
        return
    if closed:  # no ';' after the skipped block: "expected ';'" after it
        added.append(("expected ';'", tokens[end - 1]))
    following = tokens[end]
    statement = following.parent
    while statement is not None and statement.start_byte == following.start_byte and statement.type not in _STATEMENT_STARTS:
        statement = statement.parent
    if statement is not None and statement.type in _STATEMENT_STARTS and statement.start_byte == following.start_byte:
        end = next((i for i, token in enumerate(tokens) if token.start_byte >= statement.end_byte), len(tokens))
        if end >= len(tokens):
            return
        following = tokens[end]  # the condition was read: the increment fails here
    added.append(("expected primary-expression", following))
    added.append(("expected ')'", tokens[end - 1]))


def _leaves(root) -> Iterator:  # type: ignore[no-untyped-def,type-arg]
    stack = [root]
    while stack:
        node = stack.pop()
        if node.child_count == 0:
            if node.type != "comment" and node.end_byte > node.start_byte:
                yield node
        else:
            stack.extend(reversed(node.children))


def _end_of_statement(tokens: list, start: int) -> tuple[int, bool]:  # type: ignore[type-arg]
    """Where g++'s skip to the end of a statement from ``start`` ends (only braces nest): the index
    of the token after a ``;`` at depth 0 (the ``;`` read as the statement's end), or after a
    ``}`` that closes a brace opened in the skip (then True: no ``;`` followed), or of a ``}``
    that closes an outer one (not read)."""
    depth = 0
    for i in range(start, len(tokens)):
        kind = tokens[i].type
        if kind == "{":
            depth += 1
        elif kind == "}":
            if depth == 0:
                return i, True
            depth -= 1
            if depth == 0:
                return i + 1, not (i + 1 < len(tokens) and tokens[i + 1].type == ";")
        elif kind == ";" and depth == 0:
            return i + 1, False
    return len(tokens), False


_KEYWORD_TYPES = frozenset({b"int", b"long", b"short", b"char", b"bool", b"unsigned", b"signed", b"float", b"double", b"void",
                            b"auto", b"wchar_t", b"char8_t", b"char16_t", b"char32_t"})
"""Type keywords (tree-sitter's ``primitive_type`` also holds ``size_t``, ``int32_t``: names for g++)."""


def reads_on(declaration, kind) -> bool:  # type: ignore[no-untyped-def]
    """Whether g++ reads a rejected block declaration on as an expression up to its names: past
    ``T *x`` and ``T &r`` (not ``T x``), past ``std::vector<T> v`` where the arguments are plain
    type names (``int32_t``, ``std::string``), not where one holds a keyword or a template
    (``std::vector<int>`` stops at ``int``)."""
    arguments = next((n for n in _descendants(kind) if n.type == "template_argument_list"), None)
    if arguments is not None:
        return not any(n.type in ("sized_type_specifier", "template_argument_list", "abstract_pointer_declarator", "type_qualifier")
                       or (n.type == "," and n.parent == arguments) or (n.type == "primitive_type" and n.text in _KEYWORD_TYPES)
                       for n in _descendants(arguments) if n != arguments)
    first = declaration.child_by_field_name("declarator")
    first = first.child_by_field_name("declarator") if first is not None and first.type == "init_declarator" else first
    return first is not None and first.type in ("pointer_declarator", "reference_declarator")


def _descendants(node) -> Iterator:  # type: ignore[no-untyped-def,type-arg]
    stack = [node]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(node.children)


def calls_without_lookup(state, failed: list, skipped: list[tuple[int, int]],  # type: ignore[type-arg]
                          declared: Callable[[list[str]], set[str]]) -> list[tuple[str, int, int]]:
    """g++'s "'f' was not declared" where clang says nothing: an unqualified call ``f(...)`` whose
    arguments hold a name that failed (only argument-dependent lookup could have found ``f``, and
    an argument without a type gives it nothing), when ``f`` is declared neither in the state nor
    at file scope by its headers and no ``using namespace`` brings names in. (name, line, column)
    of each such callee."""
    callees: dict[int, tuple[str, object]] = {}
    for node in failed:
        child, parent = node, node.parent if node is not None else None
        while parent is not None and parent.type not in ("compound_statement", "translation_unit", "function_definition"):
            function = parent.child_by_field_name("function") if parent.type == "call_expression" else None
            if function is not None and function.type == "identifier" and child == parent.child_by_field_name("arguments"):
                callees[function.start_byte] = (function.text.decode("utf-8", "replace"), function)
            child, parent = parent, parent.parent
    if not callees or b"using namespace" in state.data:
        return []
    names = {name for name, _ in callees.values()} - _declared_in(state)
    names -= declared(sorted(names)) if names else set()
    return [(name, node.start_point[0] + 1, node.start_point[1] + 1) for name, node in callees.values()  # type: ignore[attr-defined]
            if name in names and not any(start < node.start_byte < end for start, end in skipped)]  # type: ignore[attr-defined]


def _declared_in(state) -> set[str]:
    """Every name the state's own text declares (anywhere) or names in a ``using`` declaration."""
    names: set[str] = set()
    stack = [state.root]
    while stack:
        node = stack.pop()
        if node.type == "identifier":
            parent = node.parent
            using = parent is not None and (parent.type == "using_declaration" or (
                parent.type == "qualified_identifier" and parent.parent is not None and parent.parent.type == "using_declaration"))
            if parent is not None and (using or parent.child_by_field_name("declarator") == node or parent.type == "preproc_function_def"):
                names.add(node.text.decode("utf-8", "replace"))
            continue
        stack.extend(node.children)
    return names
