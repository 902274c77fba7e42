"""A cheap exact pre-check for C, C++ and Rust: states whose verdict is known without the compiler.

During one step of the backward pass the sampler deletes lines from a state the compiler passed
(its errors all errors of the original). If what the step deleted is a set of *self-contained
units* of that state's syntax tree (whole statements, declarations or items, see
:func:`settles`) none of whose declared names occurs anywhere in what is left, the new state
is clean too: every error it could have is an error of the state before (the same message on
the same line text), so the compiler need not be asked. Anything the rules cannot prove
refuses, and the compiler decides as before; so the sampled sequences are the reference's.

The rules are conservative and per language (docs/languages.md, "The pre-check"):

- units are the largest syntax nodes whose lines are all deleted; every token on a deleted line
  must belong to one, of a kind the language allows, with no syntax error in or beside it, directly in a body of statements or at file
  level, inside nothing but functions, statement bodies and control flow (no class, struct, impl
  or trait bodies, lambdas, closures, macro or preprocessor bodies, ``case`` bodies, brace-less
  controller bodies, constant-evaluated functions);
- the names a unit declares (functions, variables, types, tags, fields, enumerators, variants,
  labels) occur nowhere in the rest, as identifier tokens of the text (comments and strings
  count too, conservatively); C and C++ refuse when the rest pastes tokens (``##``);
- never: preprocessor lines, ``#include``/``use``/``using``/imports, templates, namespaces,
  operators, ``friend``, qualified names, names used implicitly (C++ ``begin``, ``end``,
  ``swap``, ``get``, ...), Rust ``impl``/``trait``/``mod``/``macro_rules!`` items and unknown
  attributes, statements of C++ functions with a deduced return type, a Rust block's last
  expression or statement, a Rust statement that could diverge (but a whole ``if`` without
  ``else``: the paths without it are paths the ``if``'s false branch already took) or whose names
  another binding infers its type from. ``main`` may go: the compilers only check syntax and
  types (``-fsyntax-only``, a library crate), nothing links;
- no deleted unit holds a line the compiler flagged in the state before, and no line around a
  deletion ends in a backslash.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from lintseq_hf.core.languages import parser
from lintseq_hf.lint.base import LintError
from lintseq_hf.lint.compilers.headers import header_identifiers, standard_header

PRECHECK_LANGUAGES = frozenset({"c", "cpp", "rust"})
"""Languages the pre-check knows."""

PRECHECKED_LINTERS = frozenset({"gcc", "g++", "g++-fork", "rustc"})
"""Linters that consult the pre-check by default; the ``*-reference`` ones never do."""

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_INCLUDE = re.compile(rb"^[ \t]*#[ \t]*(include|import)", re.MULTILINE)
_INCLUDE_LINE = re.compile(rb"^[ \t]*#[ \t]*(?:include|import).*$", re.MULTILINE)
_DIRECTIVE = re.compile(rb"^[ \t]*#.*$", re.MULTILINE)
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

_RUST_STATEMENTS = frozenset({"let_declaration", "expression_statement", "empty_statement"})
_RUST_ITEMS = frozenset({"function_item", "const_item", "static_item", "struct_item", "enum_item", "union_item",
                         "type_item", "attribute_item"})
_RUST_COMMENTS = frozenset({"line_comment", "block_comment"})
_RUST_CONTEXT = frozenset({
    "source_file", "function_item", "block", "declaration_list", "impl_item", "expression_statement",
    "if_expression", "else_clause", "for_expression", "while_expression", "loop_expression", "match_expression",
    "match_block", "match_arm", "unsafe_block",
})
_RUST_ATTRIBUTES = frozenset({"derive", "allow", "warn", "inline", "must_use", "doc", "test", "cold"})
_RUST_MACROS = frozenset({
    "println", "print", "eprintln", "eprint", "format", "write", "writeln", "assert", "assert_eq", "assert_ne",
    "debug_assert", "debug_assert_eq", "debug_assert_ne", "vec", "dbg", "panic", "unreachable", "todo",
    "unimplemented",
})
"""Macros a deleted Rust statement may call: none of them diverges or declares anything."""
_RUST_DIVERGING = frozenset({
    "return", "break", "continue", "loop", "panic", "unreachable", "unimplemented", "todo", "exit", "abort",
    "resume_unwind", "panic_any", "unreachable_unchecked", "await", "yield",
})
_RUST_UNIT_LOOPS = frozenset({"for_expression", "while_expression", "loop_expression"})


class PreCheck:
    """Settles states of one backward pass (one program) without the compiler where it can prove them clean.

    The sampler reports every state it knows the verdict of (:meth:`clean`); :meth:`settles` then
    answers for a state made from the last of them by deleting lines. ``settled`` counts the
    states it answered; with ``record`` their texts are kept in ``texts`` (for checking).
    """

    def __init__(self, language: str, record: bool = False) -> None:
        if language not in PRECHECK_LANGUAGES:
            raise ValueError(f"the pre-check knows {sorted(PRECHECK_LANGUAGES)}, not {language!r}")
        self.language = language
        self.record = record
        self.settled = 0
        self.refused = 0
        self.texts: list[str] = []
        self._kept: list[int] | None = None
        self._flagged: dict[int, list[LintError]] = {}
        self._tree = None  # type: ignore[var-annotated]

    def clean(self, kept: list[int], errors: Sequence[LintError] | None) -> None:
        """The state of ``kept`` lines is clean modulo the original's errors; the compiler's
        ``errors`` on it (all of them; ``None``: unknown, settle nothing from it)."""
        if errors is None or any(not 1 <= error.line <= len(kept) or error.fatal for error in errors):
            self._kept = None
            return
        self._kept = kept
        self._flagged = {}
        for error in errors:
            self._flagged.setdefault(kept[error.line - 1], []).append(error)
        self._tree = None

    def settles(self, lines: Sequence[str], kept: list[int], text: str) -> bool:
        """Whether the state ``text`` (the ``kept`` lines), made from the last clean state by
        deleting lines, is clean; then it becomes the last clean state."""
        base = self._kept
        if base is None:
            return False
        if not kept:
            return self._accept(kept, text)
        kept_set = set(kept)
        deleted = [position for position, index in enumerate(base) if index not in kept_set]
        if len(kept) + len(deleted) != len(base) or not deleted:
            return False
        flagged = {p: self._flagged[base[p]] for p in deleted if base[p] in self._flagged}
        if flagged and (self.language != "rust" or len(flagged) == len(self._flagged)):
            self.refused += 1  # (Rust: an unresolved import may go while another stays, see _rust_use)
            return False
        if self._backslash(lines, base, deleted):
            self.refused += 1
            return False
        if self._tree is None:
            self._tree = parser(self.language).parse("\n".join(lines[i] for i in base).encode("utf-8", "surrogatepass"))
        if not _proves_clean(self.language, self._tree.root_node, set(deleted), text, flagged):
            self.refused += 1
            return False
        return self._accept(kept, text)

    def _accept(self, kept: list[int], text: str) -> bool:
        self.settled += 1
        if self.record:
            self.texts.append(text)
        self._kept = kept
        self._tree = None
        return True

    @staticmethod
    def _backslash(lines: Sequence[str], base: Sequence[int], deleted: Sequence[int]) -> bool:
        """Whether a deleted line, or the kept line before a deleted one, ends in a backslash."""
        gone = set(deleted)
        for p in deleted:
            if lines[base[p]].rstrip().endswith("\\"):
                return True
            if p > 0 and p - 1 not in gone and lines[base[p - 1]].rstrip().endswith("\\"):
                return True
        return False


def precheck_for(linter: object, language: str) -> PreCheck | None:
    """The pre-check a backward pass with ``linter`` uses by default: one for the fast C, C++ and
    Rust linters (:data:`PRECHECKED_LINTERS`), none otherwise (Python, references, others)."""
    if language in PRECHECK_LANGUAGES and getattr(linter, "name", None) in PRECHECKED_LINTERS:
        return PreCheck(language)
    return None


def _last_row(node) -> int:  # type: ignore[no-untyped-def]
    row, column = node.end_point
    return row - 1 if column == 0 and row > node.start_point[0] else row


def _proves_clean(  # type: ignore[no-untyped-def]
    language: str, root, deleted: set[int], text: str, flagged: dict[int, list[LintError]] | None = None
) -> bool:
    """Whether deleting the lines ``deleted`` (0-based, of the tree's text) leaves a clean state;
    ``flagged``: the compiler's errors on deleted lines (0-based) in the state before."""
    flagged = flagged or {}
    units: list = []
    pending = [root]
    while pending:
        node = pending.pop()
        first, last = node.start_point[0], _last_row(node)
        if node.end_byte == node.start_byte:
            continue
        covered = all(row in deleted for row in range(first, last + 1))
        if covered and node is not root:
            units.append(node)
        elif any(row in deleted for row in range(first, last + 1)):
            if node.child_count == 0:
                return False  # a token with lines on both sides
            pending.extend(node.children)
    remaining = set(_IDENTIFIER.findall(text))
    declared: set[str] = set()
    ids = {_key(unit) for unit in units}
    accounted: set[int] = set()
    for unit in units:
        if _near_error(unit):
            return False
        if language == "rust" and unit.type == "use_declaration":
            names = _rust_use(unit, flagged)
            accounted.add(unit.start_point[0])
        else:
            names = _rust_unit(unit, ids, remaining) if language == "rust" else _c_unit(language, unit, ids, text)
        if names is None:
            return False
        declared |= names
    if set(flagged) - accounted:
        return False
    return not declared & remaining


def _near_error(unit) -> bool:  # type: ignore[no-untyped-def]
    """Whether tree-sitter failed in a unit or right beside it (a macro it cannot expand): the
    unit's extent is then not to be trusted. Failures elsewhere (a macro in another function's
    head) leave the unit's own structure intact; its ancestors are checked by kind anyway."""
    if unit.has_error or unit.type == "ERROR":
        return True
    for sibling in (unit.prev_sibling, unit.next_sibling):
        if sibling is not None and (sibling.type == "ERROR" or sibling.is_missing):
            return True
    return False


def _key(node) -> tuple[int, int, str]:  # type: ignore[no-untyped-def]
    """A node's identity (tree-sitter makes a new Python object per access)."""
    return (node.start_byte, node.end_byte, node.type)


def _identifiers(node, skip: frozenset[str] = frozenset()) -> set[str]:  # type: ignore[no-untyped-def]
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


def _context_ok(node, allowed: frozenset[str]) -> bool:  # type: ignore[no-untyped-def]
    parent = node.parent
    while parent is not None:
        if parent.type not in allowed:
            return False
        parent = parent.parent
    return True


def _next_sibling_deleted(unit, ids: set[tuple[int, int, str]]) -> bool:  # type: ignore[no-untyped-def]
    after = unit.next_sibling
    return after is not None and after.type == ";" and _key(after) in ids


# ---- C and C++ ------------------------------------------------------------------------------------


def _c_unit(language: str, unit, ids: set[tuple[int, int, str]], text: str) -> set[str] | None:  # type: ignore[no-untyped-def]
    """The names a C or C++ unit declares, or ``None`` when deleting it is not provably safe."""
    kind = unit.type
    parent = unit.parent
    if kind == "comment":
        return set()
    if "##" in text:
        return None
    if kind == ";":
        before = unit.prev_sibling
        return set() if parent is not None and parent.type in _C_PARENTS and before is not None and _key(before) in ids else None
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
    if not _context_ok(unit, _CPP_CONTEXT if cpp else _C_CONTEXT):
        return None
    if kind in ("struct_specifier", "enum_specifier", "union_specifier") and not _next_sibling_deleted(unit, ids):
        return None
    function = _enclosing_function(unit)
    if cpp and _cpp_unit_refused(unit, function):
        return None
    names = _labels(unit)
    if kind in ("declaration", "type_definition", "function_definition", "struct_specifier", "enum_specifier",
                "union_specifier"):
        if kind == "function_definition" and function is None and _c_function_refused(language, unit):
            return None
        names |= _c_declared(unit)
        if parent.type == "translation_unit" and kind != "function_definition" and "static_assert" in _identifiers(unit):
            return None
    return names


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
    statements = [c for c in case.named_children if c.type != "comment" and (value is None or _key(c) != _key(value))]
    return bool(statements) and _key(statements[0]) != _key(unit) and _key(statements[0]) not in ids


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
        return _identifiers(unit)
    names: set[str] = set()
    for declarator in unit.children_by_field_name("declarator"):
        while declarator.type == "init_declarator":
            inner = declarator.child_by_field_name("declarator")
            if inner is None:
                break
            declarator = inner
        names |= _identifiers(declarator, frozenset({"parameter_list"}))
    specifier = unit.child_by_field_name("type")
    if specifier is not None and specifier.type in ("struct_specifier", "enum_specifier", "union_specifier", "class_specifier"):
        names |= _identifiers(specifier)
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
        if _words(unit) & {"co_return", "co_yield", "co_await", "operator", "template", "friend"}:
            return True
        if function.parent is None or function.parent.type != "translation_unit":
            return True
        return bool(_words_of(_head(function)) & {"constexpr", "consteval", "template", "auto", "decltype", "operator"})
    return bool(_words_of(_head(unit)) & _CPP_FORBIDDEN_TOKENS)


def _head(node) -> bytes:  # type: ignore[no-untyped-def]
    """A node's text before its body (the whole text when it has none)."""
    body = node.child_by_field_name("body")
    return node.text if body is None else node.text[: body.start_byte - node.start_byte]


def _words_of(text: bytes) -> set[str]:
    return set(_IDENTIFIER.findall(text.decode("utf-8", "replace")))


def _words(node) -> set[str]:  # type: ignore[no-untyped-def]
    return set(_IDENTIFIER.findall(node.text.decode("utf-8", "replace")))


# ---- Rust -----------------------------------------------------------------------------------------


def _rust_unit(unit, ids: set[tuple[int, int, str]], remaining: set[str]) -> set[str] | None:  # type: ignore[no-untyped-def]
    """The names a Rust unit declares, or ``None`` when deleting it is not provably safe."""
    kind = unit.type
    parent = unit.parent
    if kind in _RUST_COMMENTS:
        text = unit.text.decode("utf-8", "replace")
        return None if text.startswith(("///", "//!", "/**", "/*!")) else set()
    if parent is None or not _context_ok(unit, _RUST_CONTEXT):
        return None
    before = unit.prev_sibling
    while before is not None and before.type in _RUST_COMMENTS and not before.text.startswith((b"///", b"/**")):
        before = before.prev_sibling
    if before is not None and _key(before) not in ids and (
        before.type == "attribute_item" or before.type in _RUST_COMMENTS
    ):
        return None  # an attribute or doc comment left behind would attach to what follows
    if remaining & {"paste", "concat_idents"}:
        return None
    if parent.type == "source_file":
        return _rust_item(unit, ids)
    if parent.type != "block" or kind not in _RUST_STATEMENTS:
        return None
    return _rust_statement(unit, parent, ids)


def _rust_use(unit, flagged: dict[int, list[LintError]]) -> set[str] | None:  # type: ignore[no-untyped-def]
    """A file-level ``use`` that only failed to resolve may go (while another failed import stays,
    see :meth:`PreCheck.settles`): its names were unresolved, so no use of them (none may be left)
    and no trait method depended on it. It declares the names it imports."""
    row = unit.start_point[0]
    errors = flagged.get(row)
    if unit.parent is None or unit.parent.type != "source_file" or not errors or _last_row(unit) != row:
        return None
    if b"*" in unit.text or any(error.msg_id not in ("E0432", "E0433") for error in errors):
        return None
    quoted = " ".join(error.message for error in errors)
    named = set(re.findall(r"`([^`]*)`", quoted))
    names: set[str] = set()
    for leaf in _use_leaves(unit):
        if leaf is None:
            return None
        text = leaf.text.decode("utf-8", "replace")
        if not any(text == part.rsplit("::", 1)[-1] or text in part.split("::") for part in named):
            return None  # this name may have resolved (a trait whose methods the rest calls)
        names.add(text)
    return names or None


def _use_leaves(unit):  # type: ignore[no-untyped-def]
    """The names a ``use`` binds: the last identifier of each path (and ``as`` aliases)."""
    pending = [unit.child_by_field_name("argument")]
    while pending:
        node = pending.pop()
        if node is None:
            yield None
        elif node.type in ("identifier", "type_identifier", "self"):
            yield node
        elif node.type == "scoped_identifier":
            yield node.child_by_field_name("name")
        elif node.type == "use_as_clause":
            pending.append(node.child_by_field_name("alias"))
            pending.append(node.child_by_field_name("path"))
        elif node.type == "scoped_use_list":
            pending.append(node.child_by_field_name("list"))
        elif node.type == "use_list":
            pending.extend(node.named_children)
        else:
            yield node  # anything else: its text must be named as unresolved too


def _rust_item(unit, ids: set[tuple[int, int, str]]) -> set[str] | None:  # type: ignore[no-untyped-def]
    kind = unit.type
    if kind not in _RUST_ITEMS:
        return None
    if kind == "attribute_item":
        after = unit.next_sibling
        while after is not None and after.type in _RUST_COMMENTS:
            after = after.next_sibling
        attribute = unit.named_children[0] if unit.named_children else None
        name = attribute.named_children[0].text.decode("utf-8", "replace") if attribute and attribute.named_children else ""
        if name not in _RUST_ATTRIBUTES or after is None or _key(after) not in ids:
            return None
        return set()
    name = unit.child_by_field_name("name")
    if name is None:
        return None
    names = {name.text.decode("utf-8", "replace")}
    if kind == "function_item":
        if any(child.type == "function_modifiers" and b"extern" in child.text for child in unit.children):
            return None
        return names
    for node in _descendants(unit):
        if node.type in ("field_declaration", "enum_variant"):
            member = node.child_by_field_name("name")
            if member is not None:
                names.add(member.text.decode("utf-8", "replace"))
    return names


def _rust_statement(unit, block, ids: set[tuple[int, int, str]]) -> set[str] | None:  # type: ignore[no-untyped-def]
    kind = unit.type
    children = [c for c in block.named_children if c.type not in _RUST_COMMENTS]
    has_tail = bool(children) and children[-1].type not in _RUST_STATEMENTS | _RUST_ITEMS
    if children and _key(children[-1]) == _key(unit):
        return None  # a block's last expression (or statement) decides its type
    function = block.parent
    words = _words(unit)
    if not has_tail:
        unit_typed = block.parent is not None and (
            block.parent.type in _RUST_UNIT_LOOPS
            or (block.parent.type == "function_item" and block.parent.child_by_field_name("return_type") is None)
        )
        if not unit_typed and not _returns(children[-1] if children else None):
            return None
    while function is not None and function.type != "function_item":
        function = function.parent
    if function is None:
        return None
    if (words & _RUST_DIVERGING or "?" in unit.text.decode("utf-8", "replace")) and (
        "break" in words or not _guarded(unit) or _uninitialized_let(function)
    ):
        return None
    for node in _descendants(unit):
        if node.type == "macro_invocation":
            macro = node.child_by_field_name("macro")
            if macro is None or macro.text.decode("utf-8", "replace") not in _RUST_MACROS:
                return None
        elif node.type in ("closure_expression", "async_block", "const_block", "function_item", "macro_definition"):
            return None
    modifiers = [c for c in function.children if c.type == "function_modifiers"]
    if any(b"const" in m.text for m in modifiers):
        return None
    if words & _inferred_bindings(function, ids):
        return None  # a binding whose type may be inferred from this statement
    if kind == "let_declaration":
        pattern = unit.child_by_field_name("pattern")
        return _identifiers(pattern) if pattern is not None else None
    return set()


def _returns(statement) -> bool:  # type: ignore[no-untyped-def]
    """Whether a statement is ``return ...;`` (a block ending in it diverges, whatever is deleted before)."""
    return (
        statement is not None and statement.type == "expression_statement" and bool(statement.named_children)
        and statement.named_children[0].type == "return_expression"
    )


def _guarded(statement) -> bool:  # type: ignore[no-untyped-def]
    """Whether a statement is one ``if`` without ``else``: the paths of the state without it are
    paths the ``if``'s false branch already took (less the condition's work), so a ``return`` or
    ``continue`` inside it may go with it."""
    inner = [c for c in statement.named_children if c.type not in _RUST_COMMENTS]
    return (
        statement.type == "expression_statement" and len(inner) == 1 and inner[0].type == "if_expression"
        and inner[0].child_by_field_name("alternative") is None
    )


def _uninitialized_let(function) -> bool:  # type: ignore[no-untyped-def]
    """Whether a function declares a binding without a value (``let x;``), whose initialization
    the borrow checker follows along paths."""
    return any(
        node.type == "let_declaration" and node.child_by_field_name("value") is None for node in _descendants(function)
    )


def _descendants(node):  # type: ignore[no-untyped-def]
    pending = [node]
    while pending:
        current = pending.pop()
        yield current
        pending.extend(current.children)


def _inferred_bindings(function, skip: set[tuple[int, int, str]]) -> set[str]:  # type: ignore[no-untyped-def]
    """Names bound in ``function`` (outside ``skip``) whose type may be inferred from their uses:
    ``let`` without a full type and a value, closure parameters, ``for``, ``match`` and
    ``if let``/``while let`` patterns (of the units in ``skip``, being deleted, none)."""
    found: set[str] = set()
    pending = [function]
    while pending:
        node = pending.pop()
        if _key(node) in skip:
            continue
        kind = node.type
        if kind == "let_declaration":
            annotation = node.child_by_field_name("type")
            pattern = node.child_by_field_name("pattern")
            if annotation is None or node.child_by_field_name("value") is None or b"_" in annotation.text or b"impl" in annotation.text:
                if pattern is not None:
                    found |= _identifiers(pattern)
        elif kind == "closure_parameters":
            found |= _identifiers(node)
        elif kind in ("for_expression", "let_condition", "match_arm", "let_chain"):
            pattern = node.child_by_field_name("pattern")
            if pattern is not None:
                found |= _identifiers(pattern)
        pending.extend(node.children)
    return found

