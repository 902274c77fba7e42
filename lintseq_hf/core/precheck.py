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

from collections.abc import Sequence

from lintseq_hf.core.languages import parser
from lintseq_hf.core.precheck_c import c_unit
from lintseq_hf.core.precheck_rust import rust_unit, rust_use
from lintseq_hf.core.precheck_tree import IDENTIFIER, last_row, node_key
from lintseq_hf.lint.base import LintError

PRECHECK_LANGUAGES = frozenset({"c", "cpp", "rust"})
"""Languages the pre-check knows."""

PRECHECKED_LINTERS = frozenset({"gcc", "g++", "g++-fork", "libclang", "libclang++", "rustc"})
"""Linters that consult the pre-check by default; the ``*-reference`` ones never do."""


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
            self.refused += 1  # (Rust: an unresolved import may go while another stays, see rust_use)
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


def precheck_for(linter: object, language: str, choice: bool | PreCheck | None = None) -> PreCheck | None:
    """The pre-check a backward pass with ``linter`` uses (``sample_edits``'s ``precheck``): by
    default (``choice=None``) one for the fast C, C++ and Rust linters (:data:`PRECHECKED_LINTERS`),
    none otherwise (Python, the references, other languages); ``True``/``False`` force it, and a
    :class:`PreCheck` is used as given."""
    if isinstance(choice, PreCheck):
        return choice
    if choice is None:
        choice = language in PRECHECK_LANGUAGES and getattr(linter, "name", None) in PRECHECKED_LINTERS
    return PreCheck(language) if choice else None


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
        first, last = node.start_point[0], last_row(node)
        if node.end_byte == node.start_byte:
            continue
        covered = all(row in deleted for row in range(first, last + 1))
        if covered and node is not root:
            units.append(node)
        elif any(row in deleted for row in range(first, last + 1)):
            if node.child_count == 0:
                return False  # a token with lines on both sides
            pending.extend(node.children)
    remaining = set(IDENTIFIER.findall(text))
    declared: set[str] = set()
    ids = {node_key(unit) for unit in units}
    accounted: set[int] = set()
    for unit in units:
        if _near_error(unit):
            return False
        if language == "rust" and unit.type == "use_declaration":
            names = rust_use(unit, flagged)
            accounted.add(unit.start_point[0])
        else:
            names = rust_unit(unit, ids, remaining) if language == "rust" else c_unit(language, unit, ids, text)
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
