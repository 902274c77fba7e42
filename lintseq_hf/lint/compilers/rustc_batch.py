"""Many Rust states in one rustc call, each a module file of one library crate, with the verdict
of each the one-process-per-state reference gives it (docs/languages.md, "Rust batches").

rustc's fixed cost per call (the standard library's metadata, the session, the crate passes,
the "consider importing" search through ``std``) dominates a state's time, so checking many
states in one call is what makes Rust sampling fast. The crate root ``lib.rs`` holds one
``mod lintseq_sN;`` line per state and a last module, the *canary*, whose one unused variable
gives a warning in rustc's last analysis pass; each error is the state's whose file holds its
primary span, placed on that line. The rule that keeps every verdict the reference's:

- a state goes alone (the fork server, as :class:`~lintseq_hf.lint.compilers.rustc.RustcLinter`
  checks one) when a module would see it differently from a crate root (:func:`batch_hazard`);
- a state whose ``impl`` names a trait rustc may not find goes alone (:func:`may_stop`): such an
  impl stops type checking for the whole crate;
- states with a glob import are batched apart: a failed one silences every unresolved name of
  the crate, so in a batch where one failed only the states with a failed glob keep their errors;
- an impl with an error makes rustc skip the checks of every impl of its trait (a missing method,
  E0046, goes unreported): a state implementing a trait that another state's impl may have an
  error in (:func:`tainted_traits`) is checked again, in a batch where no two states implement a
  trait of the same name, unless its own impl of that trait surely has an error
  (:func:`surely_tainted_traits`: alone, too, rustc then skips that trait's impls);
- a state's errors in a batch are its own when the canary's warning came (no pass stopped the
  crate early) and none is a parse error (the reference stops after a root's parse errors, a
  module's do not stop the crate), none names a module, and none prints a path ending in a
  name another state of the batch defines (rustc then prints paths it would shorten alone);
- a state clean in a batch where another state had errors may have been spared a pass that the
  errors stopped: such states are checked again together, until a batch is clean throughout;
- no canary, an error outside every state, a crash or a timeout: the batch is split in halves,
  down to states checked alone.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import weakref
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from lintseq_hf.core.languages import parser, syntax_errors
from lintseq_hf.lint.base import LintError
from lintseq_hf.lint.compilers.forkserver import ForkServer, ForkServerUnavailable, child_failed
from lintseq_hf.lint.compilers.tools import ToolError, empty_directory, run_once

MAX_BATCH = 32
"""States per rustc call (measured: 11 ms of rustc per state in batches of 8, 4 in batches of 32,
about 40 alone)."""

ROOT_FILE = "lib.rs"
CANARY_FILE = "lintseq_canary.rs"
CANARY = "fn lintseq_canary() {\n    let lintseq_canary_unused = 0;\n}\n"
"""The last module: its unused variable is reported in rustc's borrow-checking pass, the last of
the analysis, so its warning says that no earlier pass stopped the crate."""

_MODULE = "lintseq_s{}"

_HAZARD = re.compile(
    r"lintseq|\bsuper\b|\bself\s*::|\$crate|#\s*!|\bmod\s+(?:r#)?\w+\s*;"
    r"|\b(?:include|include_str|include_bytes|file|module_path|line|column)\s*!"
    r"|\bextern\s+crate\b"
    r"|#\s*\[\s*(?:macro_export|macro_use|no_mangle|export_name|link_section|panic_handler|global_allocator"
    r"|alloc_error_handler|lang|unsafe|path|rustc_\w*)\b"
)
"""What a module would see differently from a crate root: its parent (``super``, ``self::``),
crate-level attributes, macros exported to the crate root, out-of-line modules, files and
paths (``include!``, ``file!``, ``module_path!``, ``#[path]``), symbols that must be unique
in a crate, ``extern crate``, and the batch's own names."""

_PARSE_CODES = frozenset(
    {"E0178", "E0583", "E0584", "E0585", "E0586", "E0670", "E0704", "E0753", "E0758", "E0762", "E0763",
     "E0765", "E0766", "E0768"}
)
"""rustc's parser and lexer errors that carry a code (the others have none)."""

_ITEM_NAME = re.compile(r"\b(?:struct|enum|union|trait|type|fn|mod|const|static|macro_rules\s*!)\s+(?:r#)?([A-Za-z_]\w*)")
_USE = re.compile(r"\buse\b([^;]*);")
_USE_TOKEN = re.compile(r"r#\w+|\w+|::|[{},*]")
_CRATE = re.compile(r"(?<![\w$])crate\b")
_CRATE_PATH = re.compile(r"\s*::\s*(?:r#)?(\w+)")
_PUB_CRATE = re.compile(r"pub\s*\(\s*$")


def defined_names(text: str) -> frozenset[str]:
    """Names ``text`` may define, at any depth (a superset: every word after an item keyword)."""
    return frozenset(_ITEM_NAME.findall(text))


def batch_hazard(text: str) -> str | None:
    """Why ``text`` must be checked alone rather than as a module of a batch, or None.

    Besides :data:`_HAZARD`: a syntax error (the reference stops after it); and a ``crate::x``
    path where ``x`` may be a name of the state's own root (alone it resolves there, in a batch
    ``crate`` is the batch's root), including ``x`` brought in by ``use crate::x`` when the state
    also names ``crate::x`` elsewhere (alone that finds the failed import and stays quiet).
    """
    found = _HAZARD.search(text)
    if found:
        return f"{found.group(0)!r}"
    if syntax_errors(text, "rust"):
        return "a syntax error"
    if _CRATE.search(text) is None:
        return None
    return _crate_path_hazard(text)


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
    if _top_level_macro(text):
        return "an item macro with crate:: paths"
    return None


_IMPL_TRAIT = re.compile(r"\bimpl\b\s*(?:<[^{;]*?>)?\s*!?\s*(?:r#)?(\w+)[^{;]*?\bfor\b")
_PRELUDE_TRAITS = frozenset(
    {"Copy", "Send", "Sized", "Sync", "Unpin", "Drop", "Fn", "FnMut", "FnOnce", "AsMut", "AsRef", "From", "Into",
     "DoubleEndedIterator", "ExactSizeIterator", "Extend", "IntoIterator", "Iterator", "Clone", "Default", "Eq",
     "Ord", "PartialEq", "PartialOrd", "ToOwned", "ToString", "TryFrom", "TryInto", "FromIterator",
     "std", "core", "alloc"}
)
"""Traits (and roots) an ``impl`` names without a ``use`` in edition 2021."""


_IMPL_TRAIT_PATH = re.compile(r"\bimpl\b\s*(?:<[^{;]*?>)?\s*!?\s*((?:r#)?[\w:]+)[^{;]*?\bfor\b")


def implemented_traits(text: str) -> frozenset[str]:
    """Names of the traits ``text`` implements (last path segment; with the names it imports them
    under ``as``). An impl with an error (its type not found) makes rustc skip checking every impl
    of that trait in the crate (E0046, missing items, is then not reported), so two states that
    implement the same trait are never in one batch."""
    return _with_imported_names({path.rsplit("::", 1)[-1].removeprefix("r#") for path in _IMPL_TRAIT_PATH.findall(text)}, text)


def _with_imported_names(names: set[str], text: str) -> frozenset[str]:
    """``names`` and, for those ``text`` imports under another name (``as``), that name too."""
    if not names:
        return frozenset()
    for match in _USE.finditer(text):
        for path in _use_paths(match.group(1)) or []:
            if path.name in names and path.segments:
                names.add(path.segments[-1])
    return frozenset(names)


def tainted_traits(text: str, errors: Sequence[LintError]) -> frozenset[str]:
    """Traits of :func:`implemented_traits` whose impl in ``text`` may have an error, given
    ``text``'s ``errors``: one on the impl's header lines, one that names (in backquotes) a word
    of the header (a type or trait whose import failed), or a failed glob import (it silences
    unresolved names). Such an impl makes rustc skip checking every impl of its trait."""
    if not errors:
        return frozenset()
    lines_with_errors = {error.line for error in errors}
    named = {word for error in errors for word in _BACKQUOTED.findall(error.message)}
    lines = text.split("\n")
    failed_glob = any(0 < line <= len(lines) and _GLOB.search(lines[line - 1]) for line in lines_with_errors)
    tainted: set[str] = set()
    for match in _IMPL_TRAIT_PATH.finditer(text):
        header_end = text.find("{", match.end())
        header = text[match.start(): len(text) if header_end < 0 else header_end]
        first = text.count("\n", 0, match.start()) + 1
        last = first + header.count("\n")
        if failed_glob or lines_with_errors & set(range(first, last + 1)) or named & set(re.findall(r"\w+", header)):
            tainted.add(match.group(1).rsplit("::", 1)[-1].removeprefix("r#"))
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
            sure.add(match.group(1).rsplit("::", 1)[-1].removeprefix("r#"))
    return _with_imported_names(sure, text)


def may_stop(text: str) -> bool:
    """Whether ``text`` may implement a trait rustc does not find: such an impl stops type
    checking for the whole crate (every state of a batch would lose its type errors). Its
    trait's first name is not in the prelude, not defined in ``text``, and not imported from
    ``std``/``core``/``alloc``. A guess that keeps such states out of batches: a wrong one costs
    calls (a batch that stops early is split), never a verdict."""
    traits = set(_IMPL_TRAIT.findall(text))
    if not traits:
        return False
    known = set(_PRELUDE_TRAITS) | set(defined_names(text))
    for match in _USE.finditer(text):
        for path in _use_paths(match.group(1)) or []:
            if path.segments[:1] in (["std"], ["core"], ["alloc"]):
                if path.name is None:
                    return False  # a glob from the standard library: anything may come from it
                known.add(path.name)
    return not traits <= known


def _top_level_macro(text: str) -> bool:
    """Whether ``text`` invokes a macro at file level (it may define any name there)."""
    tree = parser("rust").parse(text.encode("utf-8", "surrogatepass"))
    for node in tree.root_node.children:
        if node.type == "macro_invocation" or (
            node.type == "expression_statement" and node.children and node.children[0].type == "macro_invocation"
        ):
            return True
    return False


@dataclass
class BatchResult:
    """What one rustc call on a batch said: per state its errors, and whether it can be trusted."""

    errors: list[list[LintError]]
    complete: bool
    """The canary's warning came, no error fell outside the states, rustc did not crash."""
    suspect: set[int] = field(default_factory=set)
    """States whose errors may differ alone: a parse error, a message naming a module or a
    name of another state of the batch."""
    failed_globs: set[int] = field(default_factory=set)
    """States with an unresolved glob import (``use x::*``): after one, rustc reports no
    unresolved name anywhere in the crate (the glob might have brought it), so in such a batch
    only these states' verdicts are their own."""


def batch_directory() -> str:
    """A fresh private folder for a batch's files: in memory (``/dev/shm``) where there is one, since
    every batch rewrites dozens of module files (1 ms each on a disk, 0.02 ms in memory)."""
    shared = "/dev/shm"
    if os.path.isdir(shared) and os.access(shared, os.W_OK):
        return tempfile.mkdtemp(prefix="lintseq-rustc-batch-", dir=shared)
    return empty_directory("lintseq-rustc-batch-")


class RustcBatches:
    """The batch protocol over one folder: write the modules, run rustc, read the verdicts."""

    def __init__(self, args: Sequence[str], folder: str, *, use_fork_server: bool = True) -> None:
        self.folder = folder
        self.args = list(args)
        self.use_fork_server = use_fork_server
        self.server: ForkServer | None = None
        self._owner = os.getpid()
        self.calls = 0
        self.alone: Counter[str] = Counter()
        """States checked alone, by why (the linter adds those it never batched)."""
        weakref.finalize(self, shutil.rmtree, folder, True)
        with open(os.path.join(folder, CANARY_FILE), "w", encoding="utf-8") as handle:
            handle.write(CANARY)

    def check(self, texts: Sequence[str], alone: Callable[[str], list[LintError]]) -> list[list[LintError]]:
        """Verdicts of ``texts`` (distinct, none with a :func:`batch_hazard`), each the reference's;
        ``alone`` checks one state by itself."""
        verdicts: dict[int, list[LintError]] = {}
        groups = self._groups(list(range(len(texts))), texts, apart=False)
        while groups:
            recheck: list[int] = []
            for group in groups:
                self._settle(group, texts, alone, verdicts, recheck)
            groups = self._groups(recheck, texts, apart=True)
        return [verdicts[i] for i in range(len(texts))]

    def _groups(self, indices: list[int], texts: Sequence[str], *, apart: bool) -> list[list[int]]:
        """``indices`` in batches of at most :data:`MAX_BATCH`, states with a glob import apart, and
        (``apart``: states checked again) no trait implemented by two states of a batch
        (:func:`implemented_traits`)."""
        groups: list[tuple[list[int], bool, set[str]]] = []
        for index in indices:
            # states with a glob import batch apart: a failed one silences the crate's unresolved names
            kind = _GLOB.search(texts[index]) is not None
            traits = implemented_traits(texts[index]) if apart else frozenset()
            for members, taken, implemented in groups:
                if len(members) < MAX_BATCH and taken == kind and not traits & implemented:
                    members.append(index)
                    implemented |= traits
                    break
            else:
                groups.append(([index], kind, set(traits)))
        return [members for members, _, _ in groups]

    def _settle(
        self,
        group: list[int],
        texts: Sequence[str],
        alone: Callable[[str], list[LintError]],
        verdicts: dict[int, list[LintError]],
        recheck: list[int],
    ) -> None:
        if len(group) == 1:
            verdicts[group[0]] = alone(texts[group[0]])
            self.alone["alone in its batch"] += 1
            return
        result = self.run([texts[i] for i in group])
        if not result.complete:
            # a pass stopped the crate early (an impl of a trait not found that may_stop missed), an
            # error fell outside the states, or rustc crashed: halves, down to states checked alone
            half = len(group) // 2
            self._settle(group[:half], texts, alone, verdicts, recheck)
            self._settle(group[half:], texts, alone, verdicts, recheck)
            return
        erroneous = any(result.errors)
        # an impl with an error hides the checks of every impl of its trait in the crate
        tainted = [tainted_traits(texts[i], result.errors[position]) for position, i in enumerate(group)]
        for position, index in enumerate(group):
            errors = result.errors[position]
            others = set().union(*(t for other, t in enumerate(tainted) if other != position))
            if position in result.suspect:
                verdicts[index] = alone(texts[index])
                self.alone["suspect"] += 1
            elif result.failed_globs and position not in result.failed_globs:
                recheck.append(index)
            elif (others & implemented_traits(texts[index])) - surely_tainted_traits(texts[index], errors):
                recheck.append(index)
            elif errors or not erroneous:
                verdicts[index] = errors
            else:
                recheck.append(index)

    def run(self, texts: Sequence[str]) -> BatchResult:
        """One rustc call on ``texts`` as the modules of one crate."""
        names = [_MODULE.format(i) for i in range(len(texts))]
        for name, text in zip(names, texts):
            with open(os.path.join(self.folder, name + ".rs"), "w", encoding="utf-8", errors="surrogatepass", newline="") as handle:
                handle.write(text)
        root = "".join(f"mod {name};\n" for name in names) + "mod lintseq_canary;\n"
        self.calls += 1
        try:
            status, output = self._compile(root)
        except ToolError:  # a timeout: the states go alone, with the reference's own timeout
            return BatchResult([[] for _ in texts], complete=False)
        if child_failed(status) is not None or "internal compiler error" in output or "unexpectedly panicked" in output:
            return BatchResult([[] for _ in texts], complete=False)
        return read_batch_output(output, [defined_names(text) for text in texts])

    def _compile(self, root: str) -> tuple[int, str]:
        if self.use_fork_server:
            if self.server is None or self._owner != os.getpid():
                self._owner = os.getpid()
                self.server = ForkServer(self.args, folder=self.folder, state_name=ROOT_FILE)
            try:
                return self.server.compile(root)
            except ForkServerUnavailable:
                self.use_fork_server = False
        with open(os.path.join(self.folder, ROOT_FILE), "w", encoding="utf-8") as handle:
            handle.write(root)
        completed = run_once(self.args, "", cwd=self.folder)
        code = completed.returncode  # as a wait status: an exit code, or the signal that ended it
        return (code << 8 if code >= 0 else -code), completed.stderr

    def close(self) -> None:
        """Stop the fork server."""
        if self.server is not None:
            self.server.close()


def read_batch_output(output: str, names: Sequence[frozenset[str]]) -> BatchResult:
    """Each state's errors from rustc's JSON diagnostics on a batch whose states define ``names``."""
    files = {_MODULE.format(i) + ".rs": i for i in range(len(names))}
    errors: list[list[LintError]] = [[] for _ in names]
    suspect: set[int] = set()
    failed_globs: set[int] = set()
    canary = False
    complete = True
    for raw in output.splitlines():
        if not raw.startswith("{"):
            continue
        diagnostic = json.loads(raw)
        if diagnostic.get("$message_type") != "diagnostic":
            continue
        primary = [span for span in diagnostic.get("spans", []) if span.get("is_primary")]
        file = primary[0].get("file_name") if primary else None
        level = diagnostic.get("level")
        message = diagnostic.get("message", "")
        if level == "warning" and file == CANARY_FILE and message.startswith("unused variable"):
            canary = True
        if level != "error" or message.startswith("aborting due to"):
            continue
        index = files.get(os.path.basename(file)) if file else None
        if index is None:
            complete = False
            continue
        code = (diagnostic.get("code") or {}).get("code") or "error"
        errors[index].append(LintError(code, primary[0]["line_start"], primary[0]["column_start"] - 1, message))
        if code == "error" or code in _PARSE_CODES or "lintseq" in message:
            suspect.add(index)
        elif code not in _WRITTEN_PATHS and _names_another(message, names, index):
            suspect.add(index)
        if code == "E0432" and primary[0].get("text") and any(_GLOB.search(line.get("text", "")) for line in primary[0]["text"]):
            failed_globs.add(index)
    return BatchResult(errors, complete and canary, suspect, failed_globs)


_GLOB = re.compile(r"::\s*\*")
_WRITTEN_PATHS = frozenset({"E0405", "E0412", "E0422", "E0425", "E0432", "E0433", "E0531"})
"""Resolution errors: their messages print paths as the state wrote them, never shortened."""

_QUALIFIED = re.compile(r"::\s*(?:r#)?([A-Za-z_]\w*)")


def _names_another(message: str, names: Sequence[frozenset[str]], index: int) -> bool:
    """Whether ``message`` prints a path ending in a name another state defines (rustc then
    prints paths in full that it shortens when the name is unique)."""
    printed = set(_QUALIFIED.findall(message))
    return any(printed & other for position, other in enumerate(names) if position != index)
