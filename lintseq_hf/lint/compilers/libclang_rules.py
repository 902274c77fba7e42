"""Where GCC and clang report the same mistakes on different lines, and how :mod:`libclang` gives
GCC's lines: pure functions of clang's errors and the state's syntax tree (docs/languages.md).

- GCC reports an undeclared name once per function (C) or per block scope (C++), an implicitly
  declared function once per file (C); clang at every use. Kept at every use as g++ does: an
  unknown namespace (``std::x``, ``math::f``), ``delete`` of the name, a template argument of a
  declaration's type (``std::vector<T> v;``). Outside functions, GCC (C) reports it once per file.
- Clang's follow-on "expected identifier or '('" at the ``{`` after old-style parameter
  declarations it could not read; GCC reads on.
- GCC does not check the body of a function whose parameter list (C) or signature (C++) has an
  error, except (C) an unknown type name after a qualifier (``const T *p``).
- C: an unknown type clang reads as a name (``clock_t t = clock();``) is GCC's unknown type name at
  each declaration, whose names GCC declares; a library function's name used as a value
  (``a[index]``) is GCC's undeclared name, silent in the statements that use it; an error spelled
  on a ``#define``'s continuation line is bound where the macro is used.
- g++ declares nothing where a declaration's type or array bound has an error (it re-reads the
  line as an expression); clang declares the name and stays silent at its uses. So each later use is "not declared" (once per block scope) or, for a function whose parameter type is wrong
  and whose return type is not ``void`` (g++ declares a variable), "cannot be used as a function"
  at every call.
- C: a ``case`` label whose value has an error, last in its block: clang adds "expected statement"
  at the ``}``; GCC (as C23) takes a label there.
- GCC (C) declares a variable whose type is unknown and reports each member access on it
  ("request for member ... in something not a structure or union"); clang does not declare it.
- An unqualified call ``f(x)`` where ``x`` is undeclared: g++ reports ``f`` too when no ordinary
  lookup finds it (only argument-dependent lookup through ``x`` could have); clang stays silent.
"""

from __future__ import annotations

import functools
import importlib
import re
from collections.abc import Callable, Iterator

from lintseq_hf.lint.base import LintError
from lintseq_hf.lint.compilers.libclang_cxx_rules import _TYPE_ERROR, _UNDECLARED, Place, calls_without_lookup, cxx_recoveries, reads_on
from lintseq_hf.lint.compilers.tools import ToolMissingError

_IMPLICIT = re.compile(r"^call to undeclared (?:library )?function '([^']+)'")

_CXX_SCOPES = frozenset({
    "compound_statement", "for_statement", "for_range_loop", "while_statement", "if_statement",
    "switch_statement", "catch_clause", "do_statement",
})
"""Syntax nodes that open a block scope in C++ (where g++ binds a name it reported undeclared)."""

_BODIES = frozenset({"if_statement", "else_clause", "for_statement", "for_range_loop", "while_statement", "do_statement"})
_WRAPPERS = frozenset({"pointer_declarator", "reference_declarator", "array_declarator", "init_declarator", "parenthesized_declarator"})



class _State:
    """A state's text, syntax tree and byte offsets."""

    def __init__(self, text: str, language: str) -> None:
        self.text = text
        self.language = language
        self.data = text.encode("utf-8", "surrogatepass")
        starts = [0]
        for line in self.data.split(b"\n"):
            starts.append(starts[-1] + len(line) + 1)
        self.starts = starts

    @functools.cached_property
    def root(self):  # type: ignore[no-untyped-def]
        return _parser(self.language).parse(self.data).root_node

    def offset(self, place: Place) -> int:
        return self.starts[place[0] - 1] + place[1] - 1 if 0 < place[0] < len(self.starts) else -1

    def node(self, place: Place):  # type: ignore[no-untyped-def]
        point = (place[0] - 1, place[1] - 1)
        return self.root.descendant_for_point_range(point, point)

    def scope(self, node) -> tuple[int, int] | None:  # type: ignore[no-untyped-def]
        """Byte extent where GCC binds a name reported undeclared at ``node``: the function or
        else the file (C), the innermost block scope (C++; None at namespace scope: reported at
        every use)."""
        while node is not None:
            if self.language == "c" and node.type == "function_definition":
                body = node.child_by_field_name("body") or node
                return body.start_byte, body.end_byte
            if self.language == "c" and node.parent is None:  # C, outside functions: once per file
                return 0, len(self.data) + 1
            if self.language != "c" and (node.type in _CXX_SCOPES or _substatement(node)):
                return node.start_byte, node.end_byte
            node = node.parent
        return None


@functools.lru_cache(maxsize=None)
def _parser(language: str):  # type: ignore[no-untyped-def]
    """The tree-sitter parser of C or C++ (the grammars of the ``languages`` extra)."""
    try:
        import tree_sitter

        grammar = importlib.import_module("tree_sitter_c" if language == "c" else "tree_sitter_cpp").language()
    except ImportError as exc:
        raise ToolMissingError(f"the libclang linters need tree-sitter's C and C++ grammars: pip install 'lintseq-hf[languages]' ({exc})") from exc
    return tree_sitter.Parser(tree_sitter.Language(grammar))


def gcc_errors(errors: list[tuple[LintError, Place]], text: str, language: str,
               declared: Callable[[list[str]], set[str]] | None = None) -> list[LintError]:
    """The errors GCC would report on ``text``, given clang's (each with where its macro was used
    in the state, or its own place; module docstring). ``declared``: which of some names the
    state's headers declare at file scope (C++; None: assume all)."""
    if not errors:
        return []
    state = _State(text, language)
    places = [_place(state, error, used) for error, used in errors]
    known = [place[0] > 0 and place[1] > 0 for place in places]
    entered: list[tuple[int, int]] = []  # C++: parameter lists g++ reads on in (libclang_cxx_rules)
    if language != "c":
        found, found_places, entered = cxx_recoveries(state, [e for e, k in zip(errors, known) if k], [p for p, k in zip(places, known) if k])
        errors = [*found, *(e for e, k in zip(errors, known) if not k)]
        places = [*found_places, *(p for p, k in zip(places, known) if not k)]
        known = [True] * len(found) + [False] * (len(errors) - len(found))
    bounded = [k and not any(start <= state.offset(p) < end for start, end in entered) for p, k in zip(places, known)]
    skipped = _skipped_bodies(state, [p for (e, _), p, k in zip(errors, places, bounded)
                                      if k and not (language == "c" and _qualified_unknown_type(state, e, p))])
    rejected, not_functions, declarations = _rejected(state, [(e, p) for (e, _), p, k in zip(errors, places, bounded) if k])
    members = rejected if language == "c" else {}  # C: declared with an erroneous type
    rejected = {} if language == "c" else rejected
    uses = {use.start_byte: (name, use) for name, use in _uses(state, {**rejected, **not_functions, **members}, skipped, declarations)}
    if language != "c" and declared is not None:
        failed = [state.node(p) for (e, _), p, k in zip(errors, places, known) if k and _UNDECLARED.match(e.message)]
        calls = calls_without_lookup(state, [*failed, *(use for _, use in uses.values())], skipped, declared)
        errors = [*errors, *((LintError("error", line, column, f"use of undeclared identifier '{name}'"), (0, 0))
                             for name, line, column in calls)]
        places += [(line, column) for _, line, column in calls]
        known += [True] * len(calls)
        order = sorted(range(len(errors)), key=lambda i: (not known[i], places[i]))
        errors, places, known = [errors[i] for i in order], [places[i] for i in order], [known[i] for i in order]
    kept: list[LintError] = []
    implicit: set[str] = set()
    undeclared: dict[str, list[tuple[int, int]]] = {}  # name -> extents where GCC bound it after reporting it
    offsets = [state.offset(place) if placed else -1 for place, placed in zip(places, known)]
    unknown_types, typed = _unknown_types(state, errors, offsets) if language == "c" else (set(), {})
    values = _library_values(state, errors, offsets) if language == "c" else {}
    for (error, _), place, placed, offset in zip(errors, places, known, offsets):
        if placed and any(start < offset < end for start, end in skipped):
            continue
        if offset in unknown_types:  # GCC's parser reports an unknown type name at each one
            kept.append(error)
            continue
        if offset in uses:  # a use of a name g++ never declared: reported below, as g++ does
            continue
        if offset in values:  # a library function's name used as a value: GCC's undeclared name
            if _first_in_scope(state, state.node(place), values[offset][0], undeclared):
                kept.append(error)
            continue
        if placed and _involves(state, offset, values.values() if not _IMPLICIT.match(error.message) and not _UNDECLARED.match(error.message) else (), typed):
            continue
        if language == "c" and error.message == "expected identifier or '('" and _after_flagged_declarations(state, error.line, errors):
            continue
        if language == "c" and error.message == "expected statement" and placed and _label_at_block_end(state.node(place)):
            continue
        found = _IMPLICIT.match(error.message)
        if found and language == "c":
            if found.group(1) in implicit:
                continue
            implicit.add(found.group(1))
        found = _UNDECLARED.match(error.message)
        if found and placed and not (language != "c" and (found.group(1) in (*rejected, *not_functions) or _qualifier(state.node(place))
                                                          or _template_argument_of_type(state.node(place)))):
            if not _first_in_scope(state, state.node(place), found.group(1), undeclared):
                continue
        kept.append(error)
    for name, use in sorted(uses.values(), key=lambda item: item[1].start_byte):
        line, column = use.start_point[0] + 1, use.start_point[1] + 1
        if name in members:
            if use.parent is not None and use.parent.type == "field_expression" and use.parent.child_by_field_name("argument") == use:
                kept.append(LintError("error", line, column, "request for member in something not a structure or union"))
        elif name in not_functions:
            callee = use.parent if use.parent is not None and use.parent.type == "qualified_identifier" else use
            if callee.parent is not None and callee.parent.type == "call_expression" and callee.parent.child_by_field_name("function") == callee:
                kept.append(LintError("error", line, column, f"'{name}' cannot be used as a function"))
        elif _first_in_scope(state, use, name, undeclared):
            kept.append(LintError("error", line, column, f"'{name}' was not declared in this scope"))
    return sorted(kept, key=lambda e: (e.line == 0, e.line, e.column))


def _place(state: _State, error: LintError, used: Place) -> Place:
    """Where in the state's code an error is: where its token is spelled, unless that is a
    ``#define`` line (a macro body's token), then where the macro was used."""
    if error.column > 0 and not _in_directive(state, error.line) or not used[0]:
        return error.line, error.column
    return used


def _in_directive(state: _State, line: int) -> bool:
    """Whether ``line`` is part of a preprocessor directive (its ``#`` line or a continuation of it)."""
    lines = state.text.split("\n")
    if not 0 < line <= len(lines):
        return False
    while line > 1 and lines[line - 2].endswith("\\"):
        line -= 1
    return lines[line - 1].lstrip().startswith("#")


def _unknown_types(state: _State, errors: list[tuple[LintError, Place]],
                   offsets: list[int]) -> tuple[set[int], dict[str, list[tuple[int, int]]]]:
    """Clang's "use of undeclared identifier 'T'" where ``T`` is the type of a declaration
    (``clock_t t = clock();``, ``for (uint8_t i = 0; ...)``): GCC's parser says "unknown type
    name" there, at every such declaration, and declares its names (silent at their uses). The
    offsets of those errors, and per declared name the byte extents where GCC knows it."""
    found: set[int] = set()
    typed: dict[str, list[tuple[int, int]]] = {}
    for (error, _), offset in zip(errors, offsets):
        if offset < 0 or not _UNDECLARED.match(error.message):
            continue
        node = state.root.descendant_for_byte_range(offset, offset)
        declaration = node.parent if node is not None else None
        if node is None or node.type not in ("type_identifier", "primitive_type") or declaration is None or declaration.type != "declaration" \
                or declaration.child_by_field_name("type") != node:
            continue
        found.add(offset)
        scope = declaration.parent
        end = scope.end_byte if scope is not None else len(state.data)
        for declarator in declaration.children_by_field_name("declarator"):
            name = _declared(declarator)[1]
            if name is not None:
                typed.setdefault(name, []).append((declarator.end_byte, end))
    return found, typed


def _library_values(state: _State, errors: list[tuple[LintError, Place]], offsets: list[int]) -> dict[int, tuple[str, tuple[int, int]]]:
    """Clang's "call to undeclared library function 'f'" where ``f`` is not called but used as a
    value (``x = remainder;``, ``a[index]``): GCC's "'f' undeclared", bound in the function (so
    GCC says nothing more where it is used: clang's follow-on conversion errors are not GCC's).
    Per such error's offset: the name and the extent where GCC binds it."""
    found: dict[int, tuple[str, tuple[int, int]]] = {}
    for (error, _), offset in zip(errors, offsets):
        called = _IMPLICIT.match(error.message)
        node = state.root.descendant_for_byte_range(offset, offset) if called and offset >= 0 else None
        if node is None or node.type != "identifier" or node.text.decode("utf-8", "replace") != called.group(1):  # type: ignore[union-attr]
            continue
        parent = node.parent
        if parent is not None and parent.type == "call_expression" and parent.child_by_field_name("function") == node:
            continue
        scope = state.scope(node)
        if scope is not None:
            found[offset] = (called.group(1), scope)  # type: ignore[union-attr]
    return found


def _involves(state: _State, offset: int, values, typed: dict[str, list[tuple[int, int]]]) -> bool:  # type: ignore[no-untyped-def]
    """Whether the error at ``offset`` is clang's follow-on in a statement that uses a name GCC
    bound as undeclared (:func:`_library_values`) or, for an undeclared name, one GCC declared
    with an unknown type (:func:`_unknown_types`)."""
    node = state.root.descendant_for_byte_range(offset, offset) if offset >= 0 else None
    if node is None:
        return False
    if node.type == "identifier":
        name = node.text.decode("utf-8", "replace")
        if any(start <= offset < end for start, end in typed.get(name, ())):
            return True
    statement = node
    while statement.parent is not None and statement.type not in ("expression_statement", "declaration", "return_statement") \
            and statement.parent.child_by_field_name("condition") != statement:
        statement = statement.parent
    if statement.parent is None:
        return False
    names = {name for name, (start, end) in values if start <= offset < end}
    stack = [statement]
    while names and stack:
        child = stack.pop()
        if child.type == "identifier" and child.text.decode("utf-8", "replace") in names:
            return True
        stack.extend(child.children)
    return False


def _qualifier(node) -> bool:  # type: ignore[no-untyped-def]
    """Whether ``node`` names the namespace of a qualified name (``std::x``, ``math::f``): g++
    reports an unknown one at every use (qualified lookup binds nothing)."""
    return node is not None and (node.type == "namespace_identifier" or (
        node.parent is not None and node.parent.type == "qualified_identifier" and node.parent.child_by_field_name("scope") == node))


def _template_argument_of_type(node) -> bool:  # type: ignore[no-untyped-def]
    """Whether ``node`` is in a template argument of a declaration's type (``std::vector<T> v;``):
    g++ reports an undeclared ``T`` there at each declaration ("template argument 1 is invalid")."""
    inside = False
    while node is not None and node.parent is not None:
        inside = inside or node.type == "template_argument_list"
        parent = node.parent
        if parent.type in ("declaration", "field_declaration", "parameter_declaration"):
            return inside and parent.child_by_field_name("type") == node
        if parent.type in ("compound_statement", "translation_unit"):
            return False
        node = parent
    return False


def _after_flagged_declarations(state: _State, line: int, errors: list[tuple[LintError, Place]]) -> bool:
    """Whether ``line`` is the ``{`` of an old-style (K&R) definition right after parameter
    declarations with errors: clang's follow-on error there, GCC reads on."""
    lines = state.text.split("\n")
    if not 0 < line <= len(lines) or not lines[line - 1].strip().startswith("{"):
        return False
    previous = next((number for number in range(line - 1, 0, -1) if lines[number - 1].strip()), 0)
    return any(error.line == previous for error, _ in errors)


def _label_at_block_end(node) -> bool:  # type: ignore[no-untyped-def]
    """Whether ``node`` is the ``}`` right after a ``case``/``default`` label with no statement:
    GCC (C) takes such a label, and so does clang unless the label's value had an error, where it
    adds "expected statement" at the ``}``."""
    if node is None or node.type != "}":
        return False
    before = node.prev_sibling
    while before is not None and before.type == "comment":
        before = before.prev_sibling
    return before is not None and before.type == "case_statement" and before.child_count > 0 and before.children[-1].type == ":"


def _substatement(node) -> bool:  # type: ignore[no-untyped-def]
    """Whether ``node`` is the brace-less body of an ``if``, ``else`` or loop: a block scope of its
    own in C++."""
    parent = node.parent
    return (parent is not None and parent.type in _BODIES and node.type.endswith("_statement")
            and node.type != "compound_statement" and node != parent.child_by_field_name("condition")
            and node != parent.child_by_field_name("initializer"))


def _first_in_scope(state: _State, node, name: str, undeclared: dict[str, list[tuple[int, int]]]) -> bool:  # type: ignore[no-untyped-def]
    """Whether GCC reports ``name`` undeclared at ``node`` (and, if so, where it binds it now)."""
    scope = state.scope(node)
    if scope is None:
        return True
    extents = undeclared.setdefault(name, [])
    deleted = node is not None and node.parent is not None and node.parent.type == "delete_expression"
    if any(start <= node.start_byte < end for start, end in extents) and not deleted:
        return False
    extents.append(scope)
    return True


def _qualified_unknown_type(state: _State, error: LintError, place: Place) -> bool:
    """Whether ``error`` is an unknown type name in a parameter that does not start with it
    (``const T *p``): GCC reads that parameter's type as a type and checks the body, where a
    parameter starting with an unknown name (``T x``) makes it give up on the function."""
    if not error.message.startswith("unknown type name"):
        return False
    node = state.node(place)
    parameter = node
    while parameter is not None and parameter.type != "parameter_declaration":
        parameter = parameter.parent
    return parameter is not None and node is not None and parameter.start_byte != node.start_byte


def _skipped_bodies(state: _State, places: list[Place]) -> list[tuple[int, int]]:
    """Byte extents of the bodies GCC skips: of each function definition with an error in its
    parameter list (C) or anywhere before its body (C++)."""
    bodies = []
    for place in places:
        node = state.node(place)
        inside_parameters = False
        while node is not None and node.type != "function_definition":
            inside_parameters = inside_parameters or node.type == "parameter_list"
            if node.type in ("compound_statement", "field_declaration_list", "declaration_list"):
                node = None
                break
            node = node.parent
        body = node.child_by_field_name("body") if node is not None else None
        if body is not None and (inside_parameters or state.language != "c"):
            bodies.append((body.start_byte, body.end_byte))
    return bodies


def _rejected(state: _State, errors: list[tuple[LintError, Place]]) -> tuple[dict[str, int], dict[str, int], list[tuple[int, int, bool]]]:
    """Names of C++ declarations g++ rejects (an error in their type): never declared, and those
    g++ declares as variables instead of functions; each with the byte where its first such
    declaration ends; and the byte extents of those declarations (and whether in a block). In C,
    the variables GCC declares with an erroneous type."""
    undeclared: dict[str, int] = {}
    variables: dict[str, int] = {}
    extents: list[tuple[int, int, bool]] = []
    for error, place in errors:
        if not _TYPE_ERROR.match(error.message):
            continue
        node = state.node(place)
        offset = state.offset(place)
        while node is not None and node.type not in ("declaration", "function_definition"):
            if node.type in ("compound_statement", "field_declaration_list", "lambda_expression", "template_argument_list"):
                node = None
                break
            node = node.parent
        if node is None:
            continue
        kind = node.child_by_field_name("type")
        in_type = kind is not None and kind.start_byte <= offset < kind.end_byte
        for declarator in node.children_by_field_name("declarator"):
            function, name = _declared(declarator)
            if name is None or (state.language == "c" and (function is not None or not in_type)):
                continue
            parameters = function.child_by_field_name("parameters") if function is not None else None
            in_parameters = parameters is not None and parameters.start_byte <= offset < parameters.end_byte
            if in_type or (in_parameters and kind is not None and kind.text == b"void") or (
                    state.language != "c" and _in_array_size(declarator, offset)):
                undeclared[name] = min(undeclared.get(name, node.end_byte), node.end_byte)
            elif in_parameters:
                variables[name] = min(variables.get(name, node.end_byte), node.end_byte)
            else:
                continue
            # as an expression, ``node *n = ...`` reads on; ``std::vector<int> v(...)`` stops at ``int``
            # (an array bound's error leaves the rest alone: g++ reports only the bound)
            extents.append((node.start_byte, node.end_byte, state.language != "c" and _in_block(node) and kind is not None
                            and not _in_array_size(declarator, offset) and reads_on(node, kind)))
    return undeclared, variables, extents


def _in_array_size(declarator, offset: int) -> bool:  # type: ignore[no-untyped-def]
    """Whether ``offset`` is in an array bound of ``declarator`` (``int res[MAX];``: g++ declares
    nothing when the bound has an error)."""
    while declarator is not None:
        size = declarator.child_by_field_name("size") if declarator.type == "array_declarator" else None
        if size is not None and size.start_byte <= offset < size.end_byte:
            return True
        declarator = declarator.child_by_field_name("declarator")
    return False


def _in_block(node) -> bool:  # type: ignore[no-untyped-def]
    """Whether ``node`` is inside a ``{ }`` block (g++ re-reads a rejected declaration there as an
    expression and reports its undeclared names)."""
    node = node.parent
    while node is not None:
        if node.type == "compound_statement":
            return True
        node = node.parent
    return False


def _declared(declarator) -> tuple[object | None, str | None]:  # type: ignore[no-untyped-def]
    """The function declarator (if any) and the plain name a declarator declares."""
    function = None
    while declarator is not None:
        if declarator.type == "identifier":
            return function, declarator.text.decode("utf-8", "replace")
        if declarator.type == "function_declarator":
            function = declarator
        elif declarator.type not in _WRAPPERS:
            return function, None
        declarator = declarator.child_by_field_name("declarator")
    return function, None


def _uses(state: _State, names: dict[str, int], skipped: list[tuple[int, int]],
          rejected: list[tuple[int, int, bool]]) -> Iterator[tuple[str, object]]:
    """Identifier nodes naming one of ``names`` past its declaration, outside skipped bodies, or
    inside a ``rejected`` declaration in a block (g++ reads it as an expression); none for a name
    declared again by a declaration g++ accepts (its uses may be the new one's)."""
    if not names:
        return
    found: dict[str, list[object]] = {name: [] for name in names}
    again: set[str] = set()
    stack = [state.root]
    while stack:
        node = stack.pop()
        if node.type == "identifier":
            name = node.text.decode("utf-8", "replace")
            inside = next((block for start, end, block in rejected if start <= node.start_byte < end), None)
            if name in found and inside is not None:
                if inside and not any(start < node.start_byte < end for start, end in skipped):
                    found[name].append(node)
            elif name in found and node.start_byte >= names[name]:
                parent = node.parent
                if parent is not None and parent.child_by_field_name("declarator") == node:
                    again.add(name)
                elif not any(start < node.start_byte < end for start, end in skipped):
                    found[name].append(node)
            continue
        stack.extend(reversed(node.children))
    for name, nodes in found.items():
        if name not in again:
            yield from ((name, node) for node in nodes)
