"""Languages other than Python: candidate lines, blocks and weights from a tree-sitter syntax tree.

Python's sampler finds the block of a line by indentation (docs/algorithm.md). For brace
languages the block comes from the syntax tree instead (docs/languages.md):

- the **block** of a line is every line up to the last line of any syntax node that starts
  on it (a function, an ``if`` with its ``else``, a class body, a multi-line call or literal);
  blocks are closed under nesting, so a block holds the whole block of every line inside it;
- **candidates** are lines that start a statement, declaration or member: the first token's
  outermost node (the largest one starting at it) sits directly in a body (:data:`CONTAINERS`).
  Never sampled: comments, closing delimiters (``}``, ``});``, ``} else {``, ``#endif``,
  ``</div>``), the inside of multi-line strings or comments, continuation lines (a signature's
  parameters, arguments, an initializer, an expression), a brace-less body or an ``else`` (they
  go with their ``if``/``for``/``while``), a line after attributes or decorators (the item goes
  with them: the first attribute's line holds the item), anything inside a macro definition,
  and a ``package`` header (so it is in the first edit). When the linter flags one of them,
  the block of the innermost candidate holding it is deleted;
- the **depth** of a line is the number of candidate blocks around it; weights use it as
  Python uses ``indent / tab_width``.
"""

from __future__ import annotations

import functools
import importlib
from dataclasses import dataclass

import numpy as np

CLOSERS = frozenset({"}", ")", "]", ">", "#endif", "#else", "#elif", "#elifdef", "#elifndef", "end"})
"""Tokens that close something opened on an earlier line, or (``{`` on a line of its own) continue it:
a line starting with one is not a candidate."""

BACKSLASH_CONTINUATION = frozenset({"c", "cpp"})
"""Languages whose preprocessor joins a line ending in a backslash with the next one."""

BRACE_BODIES = frozenset(
    {"compound_statement", "declaration_list", "field_declaration_list", "enumerator_list",
     "initializer_list", "object_type", "enum_variant_list", "field_initializer_list"}
)
"""Nodes whose ``{`` on a line of its own continues the line above (a body in Allman style)."""

CONTAINERS = frozenset(
    {
        # C, C++
        "translation_unit", "compound_statement", "declaration_list", "field_declaration_list",
        "enumerator_list", "case_statement", "preproc_if", "preproc_ifdef", "preproc_else", "preproc_elif",
        "preproc_elifdef",
        # JavaScript, TypeScript (interface and enum bodies: Java too)
        "program", "statement_block", "class_body", "switch_body", "switch_case", "switch_default",
        "interface_body", "object_type", "enum_body",
        # Java
        "block", "enum_body_declarations", "switch_block", "switch_block_statement_group",
        "constructor_body", "annotation_type_body", "module_body",
        # Rust
        "source_file", "ordered_field_declaration_list", "enum_variant_list", "match_block",
        # Go
        "statement_list", "import_spec_list", "const_declaration", "var_spec_list", "type_declaration",
        "interface_type", "expression_switch_statement", "type_switch_statement", "select_statement",
        # a node tree-sitter could not parse (macros it cannot expand): every line starts an item
        "ERROR",
    }
)
"""Nodes whose children are statements, declarations or members: a line whose first token
starts a child of one of these is a candidate; any other code line continues its statement."""

BARE_LISTS = frozenset({"statement_list"})
"""Containers that start at their first item, with no delimiter (Go): not a block of that item's line."""

ATTRIBUTES = frozenset({"attribute_item", "decorator", "attribute_declaration"})
"""Items that belong to the item after them (Rust ``#[...]``, a decorator beside a class member)."""

HEADERS = frozenset({"package_declaration", "package_clause"})
"""File headers that come first: never sampled, so they are in the first forward edit."""



@dataclass(frozen=True)
class LanguageSpec:
    """A language the sampler supports besides Python: its grammar, default linter and fence tags."""

    name: str
    grammar: tuple[str, str]
    """Tree-sitter grammar module and the function in it that returns the language."""
    linter: str
    """Name of the default verdict backend in :mod:`lintseq_hf.lint.registry`."""
    fence_tags: tuple[str, ...]
    """Markdown fence tags that mark code in this language (```` ```cpp ````)."""


LANGUAGES: dict[str, LanguageSpec] = {
    spec.name: spec
    for spec in (
        LanguageSpec("c", ("tree_sitter_c", "language"), "libclang", ("c", "h")),
        LanguageSpec("cpp", ("tree_sitter_cpp", "language"), "libclang++", ("cpp", "c++", "cxx", "cc", "hpp")),
        LanguageSpec("javascript", ("tree_sitter_javascript", "language"), "tsc-js", ("javascript", "js", "jsx", "mjs", "cjs", "node")),
        LanguageSpec("typescript", ("tree_sitter_typescript", "language_typescript"), "tsc", ("typescript", "ts")),
        LanguageSpec("tsx", ("tree_sitter_typescript", "language_tsx"), "tsc-tsx", ("tsx",)),
        LanguageSpec("java", ("tree_sitter_java", "language"), "javac", ("java",)),
        LanguageSpec("rust", ("tree_sitter_rust", "language"), "rustc", ("rust", "rs")),
        LanguageSpec("go", ("tree_sitter_go", "language"), "go", ("go", "golang")),
    )
}
"""Every language besides Python, by the name ``sample_edits(..., language=...)`` takes."""

SUPPORTED_LANGUAGES = ("python", *LANGUAGES)
"""Every value of ``language``."""


class MissingGrammarError(ImportError):
    """The tree-sitter grammar of a language is not installed (``pip install 'lintseq-hf[languages]'``)."""


@dataclass(frozen=True)
class LineBlocks:
    """The structure the sampler needs, for every line of a program."""

    candidates: list[int]
    children: list[range]
    depths: list[int]

    def weights(self, indent_bias: float | None) -> np.ndarray:
        """Sampling weights: 0 off candidates, 1 at depth 0, ``depth * indent_bias`` deeper."""
        weights = np.zeros(len(self.depths))
        for i in self.candidates:
            depth = self.depths[i]
            weights[i] = 1 if depth == 0 or indent_bias is None else depth * indent_bias
        return weights


class UnknownLanguageError(ValueError):
    """A language name that is not supported."""


def language_spec(language: str) -> LanguageSpec:
    """The spec of a non-Python language; :class:`UnknownLanguageError` names the choices."""
    spec = LANGUAGES.get(language)
    if spec is None:
        raise UnknownLanguageError(f"unknown language {language!r}; expected one of {', '.join(SUPPORTED_LANGUAGES)}")
    return spec


def resolve_language(name: str) -> str:
    """The language called ``name``: a language name or one of its fence tags, any case
    (``"C++"`` → ``"cpp"``, ``"js"`` → ``"javascript"``, ``"py"`` → ``"python"``)."""
    key = name.strip().lower()
    if key in ("python", "py", "python3"):
        return "python"
    for spec in LANGUAGES.values():
        if key == spec.name or key in spec.fence_tags:
            return spec.name
    raise UnknownLanguageError(f"unknown language {name!r}; expected one of {', '.join(SUPPORTED_LANGUAGES)}")


@functools.lru_cache(maxsize=None)
def parser(language: str):  # type: ignore[no-untyped-def]
    """The tree-sitter parser of a language other than Python (made once per process)."""
    module_name, function = language_spec(language).grammar
    try:
        import tree_sitter

        grammar = getattr(importlib.import_module(module_name), function)()
    except ImportError as exc:
        raise MissingGrammarError(
            f"language {language!r} needs {module_name.replace('_', '-')} and tree-sitter: "
            "pip install 'lintseq-hf[languages]'"
        ) from exc
    return tree_sitter.Parser(tree_sitter.Language(grammar))


def line_blocks(program: str, language: str) -> LineBlocks:
    """Candidates, blocks and depths of the lines of ``program`` (``program.split("\\n")``)."""
    lines = program.split("\n")
    n = len(lines)
    tree = parser(language).parse(program.encode("utf-8", "surrogatepass"))
    end = list(range(n))
    first_kind: list[str | None] = [None] * n  # "code", "comment" or "closer" for the first token of a line
    first_token: list = [None] * n  # the first code token of a line
    attached = [False] * n  # the line goes with an item begun on an earlier line (attributes, headers)
    has_code = [False] * n
    inside_token = [False] * n  # the line starts inside a token begun on an earlier line
    cursor = tree.walk()
    root = tree.root_node
    # Depth-first walk over every node; leaves decide what a line starts with.
    walked = False
    while not walked:
        node = cursor.node
        start_row = node.start_point[0]
        last_row = _last_row(node)
        if node != root and start_row < n and node.type not in BARE_LISTS:
            if last_row > end[start_row]:
                end[start_row] = min(last_row, n - 1)
        if node.type in CONTAINERS or node == root:
            _attach_attributes(node, end, attached)
        if node.type in HEADERS and start_row < n:
            attached[start_row] = True
        is_comment = "comment" in node.type
        atomic = is_comment or "string" in node.type or node.type == "char_literal"
        if (node.child_count == 0 or atomic) and start_row < n and node.end_byte > node.start_byte:
            for row in range(start_row + 1, min(node.end_point[0], n - 1) + 1):
                inside_token[row] = True
            if is_comment:
                if first_kind[start_row] is None:
                    first_kind[start_row] = "comment"
            elif not has_code[start_row]:
                has_code[start_row] = True
                first_kind[start_row] = "closer" if _closes(node) else "code"
                first_token[start_row] = node
        if not atomic and cursor.goto_first_child():
            continue
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent():
                walked = True
                break
    if language in BACKSLASH_CONTINUATION:
        for i in range(1, n):
            if lines[i - 1].rstrip("\r").endswith("\\"):
                inside_token[i] = True
    _close_under_nesting(end)
    candidates = [
        i for i in range(n)
        if first_kind[i] == "code" and not inside_token[i] and not attached[i] and _starts_item(first_token[i])
    ]
    candidate_set = set(candidates)
    children: list[range] = [range(0)] * n
    depths = [0] * n
    open_blocks: list[int] = []  # candidate lines whose block holds the current line, outermost first
    for i in range(n):
        while open_blocks and end[open_blocks[-1]] < i:
            open_blocks.pop()
        depths[i] = len(open_blocks)
        if i in candidate_set:
            children[i] = range(i + 1, end[i] + 1)
            open_blocks.append(i)
        elif open_blocks:
            owner = open_blocks[-1]
            children[i] = range(owner, end[owner] + 1)
        else:
            children[i] = range(i + 1, end[i] + 1)
    return LineBlocks(candidates, children, depths)


def syntax_errors(program: str, language: str) -> list[tuple[int, int, str]]:
    """Where the syntax tree of ``program`` fails: the 1-based first and last line and a
    description (``"unexpected 'x y'"``, ``"missing ';'"``) of every outermost error or missing
    node; empty when it parses.

    Tree-sitter cannot expand macros and lags behind some C++ syntax, so on its own this
    over-reports: :func:`lintseq_hf.core.sampler.check_original` asks the compiler too.
    """
    tree = parser(language).parse(program.encode("utf-8", "surrogatepass"))
    found: list[tuple[int, int, str]] = []
    pending = [tree.root_node] if tree.root_node.has_error else []
    while pending:
        node = pending.pop()
        first = node.start_point[0] + 1
        if node.is_missing:
            # a tool places it after the last token before it; tree-sitter may place it after
            # comments and preprocessor lines, which are no tokens to a compiler
            before = node.prev_sibling
            while before is not None and ("comment" in before.type or before.type.startswith("preproc_") or before.is_missing):
                before = before.prev_sibling
            start = min(first, _last_row(before) + 1) if before is not None else first
            found.append((start, _through_comments(node, program), f"missing {node.type!r}"))
        elif node.type == "ERROR":
            text = (node.text or b"").decode("utf-8", "replace").split("\n")[0].strip()
            found.append((first, _through_comments(node, program), f"unexpected {text[:40]!r}"))
        else:
            pending.extend(reversed([c for c in node.children if c.has_error or c.is_missing]))
    return found


def _through_comments(node, program: str) -> int:  # type: ignore[no-untyped-def]
    """The 1-based last line of ``node`` and of the comments after it; at the end of the file, the
    last line (where a compiler reports an unexpected end of input)."""
    last = _last_row(node) + 1
    after = node.next_sibling
    while after is not None and "comment" in after.type:
        last = _last_row(after) + 1
        after = after.next_sibling
    if after is None and node.parent is not None and node.parent.parent is None:
        last = max(last, program.count("\n") + 1)
    return last


def _last_row(node) -> int:  # type: ignore[no-untyped-def]
    """Last line a node has text on (a node ending right after a newline ends on the line before)."""
    row, column = node.end_point
    if column == 0 and row > node.start_point[0]:
        return row - 1
    return row


def _starts_item(token) -> bool:  # type: ignore[no-untyped-def]
    """Whether ``token`` starts a statement, declaration or member: the largest node starting
    at it is a child of a :data:`CONTAINERS` node (or of the root)."""
    node = token
    parent = node.parent
    while parent is not None and parent.start_byte == node.start_byte and parent.type not in CONTAINERS:
        node, parent = parent, parent.parent
    return parent is None or parent.type in CONTAINERS or parent.parent is None


def _attach_attributes(container, end: list[int], attached: list[bool]) -> None:  # type: ignore[no-untyped-def]
    """Attributes and the item after them are one block, held by the first attribute's line."""
    children = container.children
    i = 0
    while i < len(children):
        if children[i].type not in ATTRIBUTES:
            i += 1
            continue
        j = i + 1
        while j < len(children) and (children[j].type in ATTRIBUTES or "comment" in children[j].type):
            j += 1
        first = children[i].start_point[0]
        if j < len(children) and children[j].is_named and first < len(end):
            end[first] = max(end[first], min(_last_row(children[j]), len(end) - 1))
            for k in range(i + 1, j + 1):
                row = children[k].start_point[0]
                if first < row < len(end):
                    attached[row] = True
        i = j + 1


def _closes(leaf) -> bool:  # type: ignore[no-untyped-def]
    """Whether a leaf closes a construct (``}``, ``#endif``, the ``<`` of a JSX closing tag)."""
    if leaf.type in CLOSERS:
        parent = leaf.parent
        # ``>`` and ``)`` open nothing; ``>`` alone is a closer only as the end of a type argument list.
        return not (leaf.type == ">" and parent is not None and parent.type.startswith("binary"))
    parent = leaf.parent
    if parent is None:
        return False
    if leaf.type == "{":
        kind = parent.type
        return kind in BRACE_BODIES or kind.endswith(("_body", "block"))
    return parent.type == "jsx_closing_element"


def _close_under_nesting(end: list[int]) -> None:
    """Grow every block to hold the whole block of each line inside it."""
    for i in range(len(end) - 1, -1, -1):
        last = end[i]
        j = i + 1
        while j <= last:
            if end[j] > last:
                last = end[j]
            j = end[j] + 1
        end[i] = last


