"""The pre-check's rules for C and C++ (:mod:`lintseq_hf.core.precheck`; docs/languages.md)."""

from __future__ import annotations

import re

from lintseq_hf.core.precheck_tree import context_ok, identifiers, node_key, words, words_of
from lintseq_hf.lint.compilers.headers import header_identifiers, standard_header

_INCLUDE = re.compile(rb"^[ \t]*#[ \t]*(include|import)", re.MULTILINE)
_INCLUDE_LINE = re.compile(rb"^[ \t]*#[ \t]*(?:include|import).*$", re.MULTILINE)
_DIRECTIVE = re.compile(rb"^[ \t]*#.*$", re.MULTILINE)
_DEFINE = re.compile(r"^[ \t]*#[ \t]*define[ \t]+([A-Za-z_][A-Za-z0-9_]*)(\()?(.*)$", re.MULTILINE)
_PLAIN_BODY = re.compile(r"[\w\s()+\-*/%<>|&^~!?:.,'\"\[\]]*")
_DECLARING_WORDS = frozenset({
    "int", "char", "short", "long", "float", "double", "void", "signed", "unsigned", "struct", "union", "enum",
    "typedef", "static", "extern", "const", "volatile", "register", "auto", "inline", "class", "template",
    "using", "namespace", "bool", "_Bool",
})
_STRUCTURAL_MACROS = frozenset({"pthread_cleanup_push", "pthread_cleanup_pop"})
"""Standard (POSIX) statement macros that open or close a block: one never goes without the other."""
_STANDARD_INCLUDE = re.compile(rb"#[ \t]*include[ \t]*<([A-Za-z0-9_./]+)>(?:[ \t]*//.*|[ \t]*/\*.*\*/)?")

_C_UNITS = frozenset({
    "declaration", "function_definition", "type_definition", "expression_statement", "if_statement",
    "for_statement", "while_statement", "do_statement", "switch_statement", "return_statement",
    "break_statement", "continue_statement", "goto_statement", "compound_statement", "labeled_statement",
    "struct_specifier", "enum_specifier", "union_specifier", "comment",
})
_CPP_UNITS = (_C_UNITS - {"return_statement", "struct_specifier", "enum_specifier", "union_specifier"}) | {
    "for_range_loop", "try_statement", "throw_statement",
}
_C_CONTEXT = frozenset({
    "translation_unit", "function_definition", "compound_statement", "if_statement", "else_clause",
    "for_statement", "while_statement", "do_statement", "switch_statement", "case_statement",
})
_CPP_CONTEXT = _C_CONTEXT | {"for_range_loop", "try_statement", "catch_clause"}
_C_PARENTS = frozenset({"translation_unit", "compound_statement"})
_C_BODIES = frozenset({"compound_statement", "field_declaration_list", "enumerator_list"})
_CPP_IMPLICIT = frozenset({
    "begin", "end", "cbegin", "cend", "rbegin", "rend", "crbegin", "crend", "size", "ssize", "empty",
    "data", "swap", "iter_swap", "iter_move", "get", "tuple_size", "tuple_element",
})
"""C++ functions a program uses without naming them (range ``for``, structured bindings, ADL)."""
_CPP_FORBIDDEN_TOKENS = frozenset({
    "operator", "template", "friend", "namespace", "using", "constexpr", "consteval", "constinit", "concept",
    "requires", "virtual", "explicit", "co_return", "co_yield", "co_await", "decltype", "auto", "extern",
})
"""Words a C++ top-level unit may not hold (a statement may hold ``auto``; see :func:`_cpp_unit_refused`)."""


def _next_sibling_deleted(unit, ids: set[tuple[int, int, str]]) -> bool:  # type: ignore[no-untyped-def]
    after = unit.next_sibling
    return after is not None and after.type == ";" and node_key(after) in ids


# ---- C and C++ ------------------------------------------------------------------------------------


def c_unit(language: str, unit, ids: set[tuple[int, int, str]], text: str) -> set[str] | None:  # type: ignore[no-untyped-def]
    """The names a C or C++ unit declares, or ``None`` when deleting it is not provably safe."""
    kind = unit.type
    parent = unit.parent
    if kind == "comment":
        return set()
    if "##" in text:
        return None
    if kind == ";":
        before = unit.prev_sibling
        return set() if parent is not None and parent.type in _C_PARENTS and before is not None and node_key(before) in ids else None
    cpp = language == "cpp"
    if kind in ("preproc_def", "preproc_function_def"):
        return _macro(unit)
    if kind == "preproc_include":
        return _include(language, unit)
    if kind not in (_CPP_UNITS if cpp else _C_UNITS) or parent is None:
        return None
    if parent.type == "case_statement":
        if not _follows_kept_statement(unit, parent, ids):
            return None
    elif parent.type not in _C_PARENTS:
        return None
    if not context_ok(unit, _CPP_CONTEXT if cpp else _C_CONTEXT):
        return None
    if kind in ("struct_specifier", "enum_specifier", "union_specifier") and not _next_sibling_deleted(unit, ids):
        return None
    if kind == "expression_statement" and parent.type == "translation_unit":
        return None  # a macro invocation at file level (it may declare anything)
    function = _enclosing_function(unit)
    if cpp and _cpp_unit_refused(unit, function):
        return None
    names = _labels(unit)
    tokens = words(unit)
    if tokens & _STRUCTURAL_MACROS:
        return None
    macros = _file_macros(unit)
    if any(not macros[name] for name in tokens & set(macros)):
        names |= tokens  # a macro of this file that may declare: every name of the unit counts
    if kind in ("declaration", "type_definition", "function_definition", "struct_specifier", "enum_specifier",
                "union_specifier"):
        if kind == "function_definition" and function is None and _c_function_refused(language, unit):
            return None
        names |= _c_declared(unit)
        if parent.type == "translation_unit" and kind != "function_definition" and "static_assert" in identifiers(unit):
            return None
    return names


def _file_macros(unit) -> dict[str, bool]:  # type: ignore[no-untyped-def]
    """The macros the file defines, each with whether it is plainly an expression: object-like,
    one line, no ``;``/braces and no word that could declare (``#define N 4096`` is; a
    function-like macro never is, ``#define DECL(x) int x`` declares what it is given)."""
    root = unit
    while root.parent is not None:
        root = root.parent
    found: dict[str, bool] = {}
    for match in _DEFINE.finditer(root.text.decode("utf-8", "replace")):
        name, function_like, body = match.group(1), match.group(2), match.group(3)
        plain = (
            not function_like and not body.rstrip().endswith("\\") and _PLAIN_BODY.fullmatch(body.strip()) is not None
            and not words_of(body.encode("utf-8")) & _DECLARING_WORDS
        )
        found[name] = found.get(name, True) and plain
    return found


def _macro(unit) -> set[str] | None:  # type: ignore[no-untyped-def]
    """A file-level ``#define`` may go when no ``#include`` follows it (a header could test it
    without naming it in this file, as ``_GNU_SOURCE`` does); it declares its name."""
    if unit.parent is None or unit.parent.type != "translation_unit":
        return None
    root = unit.parent
    if _INCLUDE.search(root.text[unit.end_byte - root.start_byte:]):
        return None
    name = unit.child_by_field_name("name")
    return None if name is None else {name.text.decode("utf-8", "replace")}


def _include(language: str, unit) -> set[str] | None:  # type: ignore[no-untyped-def]
    """A file-level ``#include <h>`` of a standard header may go when only standard headers are
    included after it and no other directive comes before it (a ``#define`` before it could make
    it declare more); it declares every identifier of its preprocessed text."""
    root = unit.parent
    path = unit.child_by_field_name("path")
    if root is None or root.type != "translation_unit" or path is None or path.type != "system_lib_string":
        return None
    before = root.text[: unit.start_byte - root.start_byte]
    after = root.text[unit.end_byte - root.start_byte:]
    for directive in _DIRECTIVE.finditer(before):
        if not _STANDARD_INCLUDE.fullmatch(directive.group(0).strip()) or not standard_header(
            language, _STANDARD_INCLUDE.fullmatch(directive.group(0).strip()).group(1).decode("utf-8", "replace")
        ):
            return None
    for directive in _INCLUDE_LINE.finditer(after):
        found = _STANDARD_INCLUDE.fullmatch(directive.group(0).strip())
        if found is None or not standard_header(language, found.group(1).decode("utf-8", "replace")):
            return None
    names = header_identifiers(language, path.text.decode("utf-8", "replace")[1:-1])
    return None if names is None else set(names)


def _follows_kept_statement(unit, case, ids: set[tuple[int, int, str]]) -> bool:  # type: ignore[no-untyped-def]
    """Whether a statement of a ``case`` is not its first, and the first stays: the label keeps the
    statement it labels (a label before a declaration, or at the end of a block, is an error in C)."""
    value = case.child_by_field_name("value")
    statements = [c for c in case.named_children if c.type != "comment" and (value is None or node_key(c) != node_key(value))]
    return bool(statements) and node_key(statements[0]) != node_key(unit) and node_key(statements[0]) not in ids


def _enclosing_function(node):  # type: ignore[no-untyped-def]
    parent = node.parent
    while parent is not None:
        if parent.type == "function_definition":
            return parent
        parent = parent.parent
    return None


def _labels(unit) -> set[str]:  # type: ignore[no-untyped-def]
    """Labels anywhere in a unit: a label is known to its whole function."""
    found: set[str] = set()
    pending = [unit]
    while pending:
        node = pending.pop()
        if node.type == "labeled_statement":
            label = node.child_by_field_name("label")
            if label is not None:
                found.add(label.text.decode("utf-8", "replace"))
        pending.extend(node.children)
    return found


def _c_declared(unit) -> set[str]:  # type: ignore[no-untyped-def]
    """Names a C/C++ declaration declares: its declarators' identifiers (not parameters or
    initializer values; array sizes too, conservatively) and the tag of a struct, union or enum
    it names, with the fields and enumerators of one it defines."""
    if unit.type in ("struct_specifier", "enum_specifier", "union_specifier"):
        return identifiers(unit)
    names: set[str] = set()
    for declarator in unit.children_by_field_name("declarator"):
        while declarator.type == "init_declarator":
            inner = declarator.child_by_field_name("declarator")
            if inner is None:
                break
            declarator = inner
        names |= identifiers(declarator, frozenset({"parameter_list"}))
    specifier = unit.child_by_field_name("type")
    if specifier is not None and specifier.type in ("struct_specifier", "enum_specifier", "union_specifier", "class_specifier"):
        names |= identifiers(specifier)
    return names


def _c_function_refused(language: str, unit) -> bool:  # type: ignore[no-untyped-def]
    """A file-level function definition is not deleted when it is qualified (a member), or
    in C++ an implicitly used name or one whose parameters could bring it in by ADL."""
    declarator = unit.child_by_field_name("declarator")
    while declarator is not None and declarator.type != "function_declarator":
        declarator = declarator.child_by_field_name("declarator")
    if declarator is None:
        return True
    name = declarator.child_by_field_name("declarator")
    if name is None or name.type != "identifier":
        return True
    text = name.text.decode("utf-8", "replace")
    if language == "cpp" and text in _CPP_IMPLICIT:
        return True
    if language == "cpp":
        parameters = declarator.child_by_field_name("parameters")
        if parameters is not None and not _std_types_only(parameters):
            return True
    return False


def _std_types_only(parameters) -> bool:  # type: ignore[no-untyped-def]
    """Whether every named type in a parameter list is a ``std::`` one (ADL finds nothing of ours)."""
    pending = [parameters]
    while pending:
        node = pending.pop()
        if node.type == "type_identifier":
            scope = node.parent
            while scope is not None and scope.type == "template_type":
                scope = scope.parent
            if scope is None or scope.type != "qualified_identifier":
                return False
            namespace = scope.child_by_field_name("scope")
            if namespace is None or namespace.text != b"std":
                return False
        pending.extend(node.children)
    return True


def _cpp_unit_refused(unit, function) -> bool:  # type: ignore[no-untyped-def]
    """C++ hazards a name check cannot see: returns (deduced return types), constant-evaluated
    functions, coroutines, templates, and file-level units with C++-only machinery."""
    if function is not None:
        if words(unit) & {"co_return", "co_yield", "co_await", "operator", "template", "friend"}:
            return True
        if function.parent is None or function.parent.type != "translation_unit":
            return True
        return bool(words_of(_head(function)) & {"constexpr", "consteval", "template", "auto", "decltype", "operator"})
    return bool(words_of(_head(unit)) & _CPP_FORBIDDEN_TOKENS)


def _head(node) -> bytes:  # type: ignore[no-untyped-def]
    """A node's text before its body (the whole text when it has none)."""
    body = node.child_by_field_name("body")
    return node.text if body is None else node.text[: body.start_byte - node.start_byte]
