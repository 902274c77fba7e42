"""The pre-check's rules for Rust (:mod:`lintseq_hf.core.precheck`; docs/languages.md)."""

from __future__ import annotations

import re

from lintseq_hf.core.precheck_tree import context_ok, descendants, identifiers, last_row, node_key, words
from lintseq_hf.lint.base import LintError

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


# ---- Rust -----------------------------------------------------------------------------------------


def rust_unit(unit, ids: set[tuple[int, int, str]], remaining: set[str]) -> set[str] | None:  # type: ignore[no-untyped-def]
    """The names a Rust unit declares, or ``None`` when deleting it is not provably safe."""
    kind = unit.type
    parent = unit.parent
    if kind in _RUST_COMMENTS:
        text = unit.text.decode("utf-8", "replace")
        return None if text.startswith(("///", "//!", "/**", "/*!")) else set()
    if parent is None or not context_ok(unit, _RUST_CONTEXT):
        return None
    before = unit.prev_sibling
    while before is not None and before.type in _RUST_COMMENTS and not before.text.startswith((b"///", b"/**")):
        before = before.prev_sibling
    if before is not None and node_key(before) not in ids and (
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


def rust_use(unit, flagged: dict[int, list[LintError]]) -> set[str] | None:  # type: ignore[no-untyped-def]
    """A file-level ``use`` that only failed to resolve may go (while another failed import stays,
    see :meth:`PreCheck.settles`): its names were unresolved, so no use of them (none may be left)
    and no trait method depended on it. It declares the names it imports."""
    row = unit.start_point[0]
    errors = flagged.get(row)
    if unit.parent is None or unit.parent.type != "source_file" or not errors or last_row(unit) != row:
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
        if name not in _RUST_ATTRIBUTES or after is None or node_key(after) not in ids:
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
    for node in descendants(unit):
        if node.type in ("field_declaration", "enum_variant"):
            member = node.child_by_field_name("name")
            if member is not None:
                names.add(member.text.decode("utf-8", "replace"))
    return names


def _rust_statement(unit, block, ids: set[tuple[int, int, str]]) -> set[str] | None:  # type: ignore[no-untyped-def]
    kind = unit.type
    children = [c for c in block.named_children if c.type not in _RUST_COMMENTS]
    has_tail = bool(children) and children[-1].type not in _RUST_STATEMENTS | _RUST_ITEMS
    if children and node_key(children[-1]) == node_key(unit):
        return None  # a block's last expression (or statement) decides its type
    function = block.parent
    tokens = words(unit)
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
    if (tokens & _RUST_DIVERGING or "?" in unit.text.decode("utf-8", "replace")) and (
        "break" in tokens or not _guarded(unit) or _uninitialized_let(function)
    ):
        return None
    for node in descendants(unit):
        if node.type == "macro_invocation":
            macro = node.child_by_field_name("macro")
            if macro is None or macro.text.decode("utf-8", "replace") not in _RUST_MACROS:
                return None
        elif node.type in ("closure_expression", "async_block", "const_block", "function_item", "macro_definition"):
            return None
    modifiers = [c for c in function.children if c.type == "function_modifiers"]
    if any(b"const" in m.text for m in modifiers):
        return None
    if tokens & _inferred_bindings(function, ids):
        return None  # a binding whose type may be inferred from this statement
    if kind == "let_declaration":
        pattern = unit.child_by_field_name("pattern")
        return identifiers(pattern) if pattern is not None else None
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
        node.type == "let_declaration" and node.child_by_field_name("value") is None for node in descendants(function)
    )


def _inferred_bindings(function, skip: set[tuple[int, int, str]]) -> set[str]:  # type: ignore[no-untyped-def]
    """Names bound in ``function`` (outside ``skip``) whose type may be inferred from their uses:
    ``let`` without a full type and a value, closure parameters, ``for``, ``match`` and
    ``if let``/``while let`` patterns (of the units in ``skip``, being deleted, none)."""
    found: set[str] = set()
    pending = [function]
    while pending:
        node = pending.pop()
        if node_key(node) in skip:
            continue
        kind = node.type
        if kind == "let_declaration":
            annotation = node.child_by_field_name("type")
            pattern = node.child_by_field_name("pattern")
            if annotation is None or node.child_by_field_name("value") is None or b"_" in annotation.text or b"impl" in annotation.text:
                if pattern is not None:
                    found |= identifiers(pattern)
        elif kind == "closure_parameters":
            found |= identifiers(node)
        elif kind in ("for_expression", "let_condition", "match_arm", "let_chain"):
            pattern = node.child_by_field_name("pattern")
            if pattern is not None:
                found |= identifiers(pattern)
        pending.extend(node.children)
    return found
