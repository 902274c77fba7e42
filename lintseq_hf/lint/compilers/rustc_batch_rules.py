"""What decides whether a Rust state may share a rustc call with others (:mod:`rustc_batch`), read
from its text (and, after a batch, its errors): what a module sees differently from a crate root,
the impls that stop or blind rustc's checks for a whole crate, the names a state defines.
Conservative: a wrong "yes" costs a rustc call, never a verdict (docs/languages.md, "Rust batches")."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from lintseq_hf.lint.base import LintError
from lintseq_hf.lint.compilers.rustc_source import bracket_end as _bracket_end
from lintseq_hf.lint.compilers.rustc_source import INNER_ATTRIBUTE, leading_root_attributes, strip_comments, top_level_prefix

_HAZARD = re.compile(
    r"lintseq|\bsuper\b|\bself\s*::|\bmod\s+(?:r#)?\w+\s*;"
    r"|\b(?:include|include_str|include_bytes|file|module_path|line|column)\s*!"
    r"|\bextern\s+crate\b"
    r"|#\s*\[\s*(?:macro_use|no_mangle|export_name|link_section|panic_handler|global_allocator"
    r"|alloc_error_handler|lang|unsafe|path|rustc_\w*)\b"
)
"""What a module would see differently from a crate root: its parent (``super``, ``self::``),
macros brought in from modules, out-of-line modules, files and
paths (``include!``, ``file!``, ``module_path!``, ``#[path]``), symbols that must be unique
in a crate, ``extern crate``, and the batch's own names."""

GLOB_IMPORT = re.compile(r"::\s*\*")
"""A glob import's star (`use x::*`)."""
_ITEM_NAME = re.compile(r"\b(?:struct|enum|union|trait|type|fn|mod|const|static|macro_rules\s*!)\s+(?:r#)?([A-Za-z_]\w*)")
_USE = re.compile(r"\buse\b([^;]*);")
_USE_TOKEN = re.compile(r"r#\w+|\w+|::|[{},*]")
_CRATE = re.compile(r"(?<![\w$])crate\b")
_CRATE_PATH = re.compile(r"\s*::\s*(?:r#)?(\w+)")
_PUB_CRATE = re.compile(r"pub\s*\(\s*$")


def defined_names(text: str) -> frozenset[str]:
    """Names ``text`` may define, at any depth (a superset: every word after an item keyword)."""
    return frozenset(_ITEM_NAME.findall(text))




def root_attributes(text: str) -> tuple[str, ...]:
    """The crate-level attributes that open ``text`` (:func:`~lintseq_hf.lint.compilers.rustc_source.leading_root_attributes`)
    and make its crate another one: those naming ``no_std`` (under ``cfg_attr`` too), which take
    ``std`` and its prelude away. A batch's root carries them, and states batch only with states
    that have the same ones. The other shareable ones (``doc``, lint levels) check the same in
    the state's module: lints are capped to warnings, and a crate-level ``doc`` key in a module
    is a warning too. Empty for a state without any (or with a hazard)."""
    return tuple(attribute for attribute in leading_root_attributes(strip_comments(text)) or () if _NO_STD.search(attribute))


_NO_STD = re.compile(r"\bno_std\b")


def batch_hazard(text: str) -> str | None:
    """Why ``text`` must be checked alone rather than as a module of a batch, or None. Read
    without its comments (they change nothing rustc checks).

    Besides :data:`_HAZARD`: inner attributes (``#!``) other than the shareable ones that open
    the state (:func:`root_attributes`: the batch's root carries them); a ``crate::x``
    path where ``x`` may be a name of the state's own root (alone it resolves there, in a batch
    ``crate`` is the batch's root), including ``x`` brought in by ``use crate::x`` when the state
    also names ``crate::x`` elsewhere (alone that finds the failed import and stays quiet).
    """
    code = strip_comments(text)
    found = _HAZARD.search(code)
    if found:
        return f"{found.group(0)!r}"
    if INNER_ATTRIBUTE.search(code) and leading_root_attributes(code) is None:
        return "'#!'"
    macro = _macro_hazard(code)
    if macro is not None:
        return macro
    if _CRATE.search(code) is None:
        return None
    return _crate_path_hazard(code)


_MACRO_EXPORT = re.compile(r"#\s*\[\s*macro_export\b")
_EXPORTED = re.compile(r"#\s*\[\s*macro_export\s*\]\s*macro_rules\s*!\s*(?:r#)?(\w+)")
_MACRO_RULES = re.compile(r"\bmacro_rules\s*!\s*(?:r#)?(\w+)")


def exported_macros(text: str) -> frozenset[str]:
    """Names of the ``#[macro_export] macro_rules!`` macros of ``text``: rustc puts them in the
    crate root, so in a batch another state's ``crate::name`` finds them, and two states that
    export one name collide (E0428 on the later one; :func:`crate_path_names`)."""
    return frozenset(_EXPORTED.findall(strip_comments(text)))


def _macro_hazard(code: str) -> str | None:
    """Why a state's macros would expand or resolve differently in a module: ``$crate`` (the
    crate root: the state's alone, the batch's in a module) or an exported macro, when the state
    invokes a macro it defines (the expansion may hold ``$crate``); an export it cannot read or
    that it makes twice; an exported name it also imports."""
    exports = _EXPORTED.findall(code)
    if len(_MACRO_EXPORT.findall(code)) != len(exports):
        return "a #[macro_export] it cannot read"
    if len(set(exports)) != len(exports):
        return "a macro exported twice"
    if "$crate" in code or exports:
        if "macro_rules" not in code:
            return "'$crate' outside a macro"
        bodies: dict[str, list[str | None]] = {}
        for match in _MACRO_RULES.finditer(code):
            opening = re.compile(r"\s*[\(\[{]").match(code, match.end())
            end = _bracket_end(code, opening.end() - 1) if opening else None
            bodies.setdefault(match.group(1), []).append(None if end is None else code[match.end():end])
        for name in bodies:
            if not re.search(rf"\b{name}\s*!", code):
                continue
            # an invoked macro: its expansion must hold no $crate and invoke no macro of the state
            for body in bodies[name]:
                if body is None or "$crate" in body or any(re.search(rf"\b{other}\s*!", body) for other in bodies):
                    return f"{name}! invoked, with $crate or an exported macro"
        for match in _USE.finditer(code):
            if set(re.findall(r"\w+", match.group(1))) & set(exports):
                return "an exported macro's name imported"
    return None


def crate_path_names(text: str) -> frozenset[str]:
    """The words of ``text``'s ``use`` declarations that name ``crate`` and the names its other
    ``crate::`` paths start with: a batch never holds a state that exports a macro of one of
    these names (:func:`exported_macros`), which alone is not there."""
    code = strip_comments(text)
    if _CRATE.search(code) is None:
        return frozenset()
    names = {word for match in _USE.finditer(code) if _CRATE.search(match.group(1)) for word in re.findall(r"\w+", match.group(1))}
    names.update(re.findall(r"(?<![\w$])crate\s*::\s*(?:r#)?(\w+)", code))
    return frozenset(names)


@dataclass
class _UsePath:
    segments: list[str]
    name: str | None  # the name it brings in (None: a glob)


def _use_paths(tree: str) -> list[_UsePath] | None:
    """The paths of one ``use`` tree and the names they bring in; None if it does not read."""
    tokens = _USE_TOKEN.findall(tree)
    out: list[_UsePath] = []
    position = 0

    def parse(prefix: list[str]) -> bool:
        nonlocal position
        segments = list(prefix)
        while position < len(tokens):
            token = tokens[position]
            if token == "{":
                position += 1
                while position < len(tokens) and tokens[position] != "}":
                    if not parse(segments):
                        return False
                    if position < len(tokens) and tokens[position] == ",":
                        position += 1
                if position >= len(tokens):
                    return False
                position += 1
                return True
            if token == "*":
                position += 1
                out.append(_UsePath(segments, None))
                return True
            if token in ("::", ",", "}"):
                return False
            position += 1
            if token == "self" and position < len(tokens) and tokens[position] in (",", "}") and segments:
                out.append(_UsePath(segments, segments[-1]))
                return True
            segments = [*segments, token.removeprefix("r#")]
            if position < len(tokens) and tokens[position] == "::":
                position += 1
                continue
            name = segments[-1]
            if position + 1 < len(tokens) and tokens[position] == "as":
                name = tokens[position + 1].removeprefix("r#")
                position += 2
            out.append(_UsePath(segments[:-1] + [segments[-1]], None if name == "_" else name))
            return True
        return False

    # a leading visibility (``pub(crate) use``) is not part of the tree
    if not parse([]) or position != len(tokens):
        return None
    return out


def _crate_path_hazard(text: str) -> str | None:
    uses = [(match.span(), _use_paths(match.group(1))) for match in _USE.finditer(text)]
    introduced: dict[str, int] = {name: 1 for name in defined_names(text)}
    self_imports: set[str] = set()
    crate_in_uses: list[str] = []
    for _, paths in uses:
        if paths is None:
            return "a use declaration it cannot read"
        for path in paths:
            if path.segments[:1] == ["crate"]:
                if len(path.segments) < 2:
                    return "use crate::{self} or use crate::*"
                crate_in_uses.append(path.segments[1])
                if len(path.segments) == 2 and path.name == path.segments[1]:
                    self_imports.add(path.name)
                    introduced[path.name] = introduced.get(path.name, 0) + 1
                    continue
            elif path.name is None:
                return "a glob import outside crate"
            if path.name is not None:
                introduced[path.name] = introduced.get(path.name, 0) + 2
    # paths outside use declarations
    spans = [span for span, _ in uses]
    elsewhere: list[str] = []
    for match in _CRATE.finditer(text):
        if any(start <= match.start() < end for start, end in spans):
            continue
        if _PUB_CRATE.search(text[: match.start()]) and text[match.end():].lstrip().startswith(")"):
            continue
        path = _CRATE_PATH.match(text, match.end())
        if path is None:
            return "crate outside a path"
        elsewhere.append(path.group(1))
    for name in crate_in_uses + elsewhere:
        count = introduced.get(name, 0)
        if name in self_imports:
            if count != 1 or name in elsewhere or crate_in_uses.count(name) != 1:
                return f"crate::{name} may resolve in the state"
        elif count:
            return f"crate::{name} may resolve in the state"
    if _item_macro(text):
        return "a macro that may define items, with crate:: paths"
    return None


_PRELUDE_TRAITS = frozenset(
    {"Copy", "Send", "Sized", "Sync", "Unpin", "Drop", "Fn", "FnMut", "FnOnce", "AsMut", "AsRef", "From", "Into",
     "DoubleEndedIterator", "ExactSizeIterator", "Extend", "IntoIterator", "Iterator", "Clone", "Default", "Eq",
     "Ord", "PartialEq", "PartialOrd", "TryFrom", "TryInto", "FromIterator"}
)
"""Traits an ``impl`` names without a ``use`` in edition 2021, in ``core``'s prelude too."""
_STD_PRELUDE_TRAITS = frozenset({"ToOwned", "ToString"})
"""Traits of ``std``'s prelude that ``core``'s lacks (a ``no_std`` crate has no ``std``)."""


_IMPL_TRAIT_PATH = re.compile(r"\bimpl\b\s*(?:<[^{;]*?>)?\s*!?\s*((?:r#)?[\w:]+)[^{;]*?\bfor\b")
"""The header of an ``impl Trait for Type``: group 1 is the trait's path as written."""


def _trait_name(path: str) -> str:
    """The name a trait path (:data:`_IMPL_TRAIT_PATH`) ends in."""
    return path.rsplit("::", 1)[-1].removeprefix("r#")


def _trait_root(path: str) -> str:
    """The first name of a trait path: the trait itself, or the crate or module it is reached from."""
    return path.lstrip(":").split("::", 1)[0].removeprefix("r#")


def implemented_traits(text: str) -> frozenset[str]:
    """Names of the traits ``text`` implements (last path segment; with the names it imports them
    under ``as``). An impl with an error (its type not found) makes rustc skip checking every impl
    of that trait in the crate (E0046, missing items, is then not reported), so two states that
    implement the same trait are never in one batch."""
    return _with_imported_names({_trait_name(path) for path in _IMPL_TRAIT_PATH.findall(text)}, text)


def _with_imported_names(names: set[str], text: str) -> frozenset[str]:
    """``names`` and, for those ``text`` imports under another name (``as``), that name too."""
    if not names:
        return frozenset()
    for match in _USE.finditer(text):
        for path in _use_paths(match.group(1)) or []:
            if path.name in names and path.segments:
                names.add(path.segments[-1])
    return frozenset(names)


_UNTAINTING = frozenset({"E0046"})
"""Errors on an impl's header that leave its trait's other impls checked: a missing item (two
states' ``impl Display for X {}`` in one batch both get their E0046, as alone)."""


def tainted_traits(text: str, errors: Sequence[LintError]) -> frozenset[str]:
    """Traits of :func:`implemented_traits` whose impl in ``text`` may have an error, given
    ``text``'s ``errors``: one on the impl's header lines, one that names (in backquotes) a word
    of the header (a type or trait whose import failed), or a failed glob import (it silences
    unresolved names). Such an impl makes rustc skip checking every impl of its trait."""
    errors = [error for error in errors if error.msg_id not in _UNTAINTING]
    if not errors:
        return frozenset()
    lines_with_errors = {error.line for error in errors}
    named = {word for error in errors for word in _BACKQUOTED.findall(error.message)}
    lines = text.split("\n")
    failed_glob = any(0 < line <= len(lines) and GLOB_IMPORT.search(lines[line - 1]) for line in lines_with_errors)
    tainted: set[str] = set()
    for match in _IMPL_TRAIT_PATH.finditer(text):
        header_end = text.find("{", match.end())
        header = text[match.start(): len(text) if header_end < 0 else header_end]
        first = text.count("\n", 0, match.start()) + 1
        last = first + header.count("\n")
        if failed_glob or lines_with_errors & set(range(first, last + 1)) or named & set(re.findall(r"\w+", header)):
            tainted.add(_trait_name(match.group(1)))
    return _with_imported_names(tainted, text)


_BACKQUOTED = re.compile(r"`(?:[\w:]*::)?(\w+)`")
_SELF_TYPE = re.compile(r"\bfor\s+(?:&\s*(?:'\w+\s+)?)?(?:mut\s+)?(?:r#)?(\w+)\s*(?:<[^{]*)?\{")
_NOT_FOUND = re.compile(r"^(?:unresolved imports? |cannot find type )")


def surely_tainted_traits(text: str, errors: Sequence[LintError]) -> frozenset[str]:
    """Traits whose impl in ``text`` surely has an error: its self type is a name ``text`` failed
    to import or rustc did not find (so alone, too, rustc skips checking that trait's impls, and
    another state's impl with an error changes nothing)."""
    missing = {word for error in errors if _NOT_FOUND.match(error.message) for word in _BACKQUOTED.findall(error.message)}
    if not missing:
        return frozenset()
    sure: set[str] = set()
    for match in _IMPL_TRAIT_PATH.finditer(text):
        self_type = _SELF_TYPE.match(text, match.end() - 3)
        if self_type is not None and self_type.group(1) in missing:
            sure.add(_trait_name(match.group(1)))
    return _with_imported_names(sure, text)


def may_stop(text: str) -> bool:
    """Whether ``text`` may implement a trait rustc does not find: such an impl stops type
    checking for the whole crate (every state of a batch would lose its type errors). Its
    trait's first name is not in the prelude, not defined in ``text``, and not imported from
    ``std`` or ``core`` (only ``core`` where a crate-level attribute may make the crate
    ``no_std``: then ``std`` and what it brings are not found; ``alloc`` needs an ``extern
    crate``, which goes alone). A guess that keeps such states out of batches: a wrong one costs
    calls (a batch that stops early is split down to states alone), never a verdict."""
    traits = {_trait_root(path) for path in _IMPL_TRAIT_PATH.findall(text)}
    if not traits:
        return False
    roots = ["core"] if root_attributes(text) else ["core", "std"]  # no_std: no std
    prelude = set(_PRELUDE_TRAITS) | set(roots) | (_STD_PRELUDE_TRAITS if "std" in roots else set())
    imported: set[str] = set(defined_names(text))
    elsewhere: set[str] = set()
    for match in _USE.finditer(text):
        for path in _use_paths(match.group(1)) or []:
            if path.segments[:1] and path.segments[0] in roots:
                if path.name is None:
                    return False  # a glob from the standard library: anything may come from it
                imported.add(path.name)
            elif path.name is not None:
                elsewhere.add(path.name)  # its import may fail, and a failed import hides the prelude's name
    return not traits <= (prelude - elsewhere) | imported


_MACRO_CALL = re.compile(r"\b((?:r#)?\w+)\s*!\s*[\(\[{]")
_EXPRESSION_MACROS = frozenset(
    {"println", "print", "eprintln", "eprint", "format", "format_args", "write", "writeln", "vec", "assert",
     "assert_eq", "assert_ne", "debug_assert", "debug_assert_eq", "debug_assert_ne", "panic", "unreachable",
     "unimplemented", "todo", "matches", "dbg", "concat", "stringify", "cfg", "env", "option_env", "macro_rules"}
)
"""Standard macros that never define an item (``macro_rules!`` defines a macro, not a path)."""


def _item_macro(text: str) -> bool:
    """Whether ``text`` invokes a macro that may define items (any but :data:`_EXPRESSION_MACROS`,
    wherever it is: an item macro at file level may define any name there)."""
    return any(True for _ in _item_macro_calls(text))


def _item_macro_calls(text: str) -> Iterator[re.Match[str]]:
    """The invocations in ``text`` of macros that may define items (:func:`_item_macro`)."""
    return (call for call in _MACRO_CALL.finditer(text) if call.group(1).removeprefix("r#") not in _EXPRESSION_MACROS)


_STOP_CODES = frozenset({"E0405", "E0404"})
"""A trait rustc cannot find, or a name that is no trait, where a trait is expected."""
_ITEM_HEADER = re.compile(
    r"\s*(?:pub\s*(?:\([^)]*\))?\s*)?(?:(?:const|async|unsafe|default|extern\s*(?:\"[^\"]*\")?)\s+)*(?:impl|fn|trait)\b"
)
_INLINE_MODULE = re.compile(r"\bmod\s+(?:r#)?\w+\s*\{")


def surely_stops(text: str, errors: Sequence[LintError]) -> bool:
    """Whether ``text`` alone surely stops rustc before type checking any body, given its errors
    (a batch's, where every state may stop: docs/languages.md, "Rust batches"). A trait rustc
    does not find in an item's signature does that: an E0405/E0404 on the header line of an
    ``impl``, ``fn`` or ``trait``, before its body; or a top-level ``impl Name for`` whose
    ``Name`` only a failed ``use`` brings in (E0432 naming its path, E0433 on the ``use``),
    in a state without ``cfg``, macros or inline modules that could hide or shadow the impl."""
    lines = text.split("\n")
    for error in errors:
        if error.msg_id in _STOP_CODES and 0 < error.line <= len(lines):
            line = lines[error.line - 1]
            body = line.find("{")
            if _ITEM_HEADER.match(line) and (body < 0 or error.column < body):
                return True
    return _import_stop(strip_comments(text), errors)


def unresolved_traits(text: str, errors: Sequence[LintError]) -> frozenset[str]:
    """Names of traits that ``text``'s impls name and rustc surely did not find (given its
    errors): an impl of such a trait is checked against no trait, so another state's impl with
    an error cannot hide its checks (:func:`tainted_traits`). Every impl header naming one has
    an E0405/E0404 for it, or only a failed ``use`` brings it in (as :func:`surely_stops`)."""
    lines = text.split("\n")
    names: set[str] = set()
    for error in errors:
        if error.msg_id in _STOP_CODES and 0 < error.line <= len(lines):
            names.update(_BACKQUOTED.findall(error.message))
    sure: set[str] = set()
    for name in names:
        headers = [match for match in _IMPL_TRAIT_PATH.finditer(text) if _trait_name(match.group(1)) == name]
        header_lines = {text.count("\n", 0, match.start()) + 1 for match in headers}
        flagged = {error.line for error in errors if error.msg_id in _STOP_CODES and name in _BACKQUOTED.findall(error.message)}
        if headers and header_lines <= flagged:
            sure.add(name)
    code = strip_comments(text)
    sure.update(_imported_failed(code, errors) - defined_names(code))
    return frozenset(sure)


def _import_stop(code: str, errors: Sequence[LintError]) -> bool:
    """A top-level ``impl Name for`` that no ``cfg`` may remove, ``Name`` brought in only by a
    top-level ``use`` that failed (its error shows it is compiled), in a state without inline
    modules or item macros at its top level that could define ``Name`` there."""
    failed = _imported_failed(code, errors, top_level=True)
    defined = defined_names(code)
    for found in _IMPL_TRAIT_PATH.finditer(code):
        name = _trait_name(found.group(1))
        prefix = top_level_prefix(code, found.start())
        if "::" not in found.group(1) and name in failed and name not in defined and prefix is not None and "cfg" not in prefix:
            return True
    return False


def _imported_failed(code: str, errors: Sequence[LintError], *, top_level: bool = False) -> frozenset[str]:
    """Names that only a failed ``use`` of ``code`` brings in (none where ``cfg``, macros or
    inline modules could hide or shadow them). ``top_level``: names the module's top level gets
    only from a failed ``use`` there; ``cfg`` and macro definitions are then allowed (an error on
    a ``use`` shows that it is compiled; a cfg'd-out ``use`` of the name still counts as a second
    import), inline modules and item macros at the top level are not."""
    if not errors or _INLINE_MODULE.search(code):
        return frozenset()
    if top_level:
        if any(top_level_prefix(code, call.start()) is not None for call in _item_macro_calls(code)):
            return frozenset()
    elif "cfg" in code or "macro_rules" in code or _item_macro(code):
        return frozenset()
    failed_paths = {path for error in errors if error.msg_id == "E0432" for path in re.findall(r"`([\w:]+)`", error.message)}
    failed_lines = {error.line for error in errors if error.msg_id == "E0433"}
    failed: set[str] = set()
    imported: dict[str, int] = {}
    for match in _USE.finditer(code):
        if top_level and top_level_prefix(code, match.start()) is None:
            continue
        paths = _use_paths(match.group(1))
        if paths is None:
            return frozenset()
        first = code.count("\n", 0, match.start()) + 1
        lines = set(range(first, first + match.group(0).count("\n") + 1))
        for path in paths:
            if path.name is None:
                return frozenset()  # a glob: it may bring the trait in
            imported[path.name] = imported.get(path.name, 0) + 1
            if lines & failed_lines or "::".join(path.segments) in failed_paths:
                failed.add(path.name)
    return frozenset(name for name in failed if imported[name] == 1)
