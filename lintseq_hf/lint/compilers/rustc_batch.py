"""Many Rust states in one rustc call, each a module file of one library crate, with the verdict
of each the one-process-per-state reference gives it (docs/languages.md, "Rust batches").

rustc's fixed cost per call (the standard library's metadata, the session, the crate passes,
the "consider importing" search through ``std``) dominates a state's time, so checking many
states in one call is what makes Rust sampling fast. The crate root ``lib.rs`` holds one
``mod lintseq_sN;`` line per state and a last module, the *canary*, whose one unused variable
gives a warning in rustc's last analysis pass; each error is the state's whose file holds its
primary span, placed on that line. The rule that keeps every verdict the reference's:

- a state goes alone (the fork server, as :class:`~lintseq_hf.lint.compilers.rustc.RustcLinter`
  checks one) when a module would see it differently from a crate root (:func:`~lintseq_hf.lint.compilers.rustc_batch_rules.batch_hazard`);
- crate-level attributes that open a state and name ``no_std`` (under ``cfg_attr`` too:
  :func:`root_attributes`) are written at the top of the batch's root as well, and a batch holds
  only states with the same ones; in the module they are ignored (warnings); ``doc`` and lint
  levels check the same in the module and stay there;
- a macro a state exports (``#[macro_export]``) lands in the batch's root: a batch never holds
  a state naming ``crate::`` that name, and the E0428 of two states exporting one name is dropped;
- a state whose ``impl`` names a trait rustc may not find (:func:`~lintseq_hf.lint.compilers.rustc_batch_rules.may_stop`)
  may stop type checking for the whole crate: such states are batched together under the stop
  canary (:data:`STOP_CANARY`); where the batch stopped, a state's errors are its verdict only if
  it surely stops alone (:func:`surely_stops`) and they are all name resolution's
  (:data:`RESOLUTION_CODES`); one that surely stops with other errors goes alone, the others are
  checked again together (when the batch settled any state; else alone), a clean one of a stop
  batch that did not stop in a plain batch;
- states with a glob import are batched apart: a failed one silences every unresolved name of
  the crate, so in a batch where one failed only the states with a failed glob keep their errors;
- an impl with an error makes rustc skip the checks of every impl of its trait (a missing method,
  E0046, goes unreported): a state implementing a trait that another state's impl may have an
  error in (:func:`tainted_traits`) is checked again, in a batch where no two states implement a
  trait of the same name, unless its own impl of that trait surely has an error
  (:func:`surely_tainted_traits`: alone, too, rustc then skips that trait's impls);
- a state's errors in a batch are its own when the canary's warning came (no pass stopped the
  crate early) and none names a module other than as its own top-level item (``lintseq_sN::Foo``,
  printed as alone: ``Foo``), and none prints a path ending in a name another state of the batch
  defines (rustc then prints paths it would shorten alone). Parse errors are a module's own: a
  module rustc cannot parse is left empty (alone, rustc stops after the same errors), one it
  recovers from is checked on as alone; an unbalanced delimiter stops the whole crate (no canary);
- a state clean in a batch where another state had errors may have been spared a pass that the
  errors stopped (privacy checking): such states are checked again together, until a batch is
  clean throughout; every state checked again, for any reason, waits for the next round, whose
  batches are formed from all of them by kind and by whether they had errors;
- no canary, an error outside every state, a crash or a timeout: the batch is split in halves,
  down to states checked alone.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import weakref
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from lintseq_hf.lint.base import LintError, remove_folder
from lintseq_hf.lint.compilers.forkserver import ForkServer, ForkServerUnavailable, child_failed, run_state
from lintseq_hf.lint.compilers.rustc_batch_rules import (
    GLOB_IMPORT,
    crate_path_names,
    defined_names,
    exported_macros,
    implemented_traits,
    root_attributes,
    surely_stops,
    surely_tainted_traits,
    tainted_traits,
    unresolved_traits,
)
from lintseq_hf.lint.compilers.tools import ToolError, empty_directory

MAX_ROUNDS = 8
"""Rounds of checking states again (a state clean beside errors, one whose trait another state's
impl may have an error in) before the ones left are checked alone."""

MAX_BATCH = 32
"""States per rustc call (measured: 11 ms of rustc per state in batches of 8, 4 in batches of 32,
about 40 alone)."""

ROOT_FILE = "lib.rs"
CANARY_FILE = "lintseq_canary.rs"
CANARY = "fn lintseq_canary() {\n    let lintseq_canary_unused = 0;\n}\n"
"""The last module: its unused variable is reported in rustc's borrow-checking pass, the last of
the analysis, so its warning says that no earlier pass stopped the crate."""

STOP_CANARY_FILE = "lintseq_stop_canary.rs"
STOP_CANARY = (
    "trait LintseqCanary {}\nimpl LintseqCanary for u8 {}\nimpl LintseqCanary for u8 {}\n\n"
    "fn lintseq_canary() {\n    let lintseq_canary_unused = 0;\n}\n"
)
"""The last module of a batch of states that may stop rustc (:func:`surely_stops`): its
conflicting impls (E0119) are reported by coherence checking, the last pass before such a stop,
so the error says that every module was resolved and checked up to there; the unused variable
as in :data:`CANARY` says that nothing stopped."""

RESOLUTION_CODES = frozenset(
    {"E0404", "E0405", "E0407", "E0412", "E0422", "E0423", "E0425", "E0432", "E0433", "E0531", "E0532", "E0574", "E0603"}
)
"""Errors of name resolution, which checks each module by itself before any pass that a stop
ends: in a batch that stopped, a state's verdict is its own only when all its errors are these."""

_MODULE = "lintseq_s{}"


@dataclass
class BatchResult:
    """What one rustc call on a batch said: per state its errors, and whether it can be trusted."""

    errors: list[list[LintError]]
    complete: bool
    """The canary's warning came (with the stop canary: its error), no error fell outside the
    states, rustc did not crash."""
    suspect: set[int] = field(default_factory=set)
    """States whose errors may differ alone: a parse error, a message naming a module or a
    name of another state of the batch."""
    failed_globs: set[int] = field(default_factory=set)
    finished: bool = True
    """The canary's warning came: no pass stopped the crate."""
    """States with an unresolved glob import (``use x::*``): after one, rustc reports no
    unresolved name anywhere in the crate (the glob might have brought it), so in such a batch
    only these states' verdicts are their own."""


@dataclass(frozen=True)
class _Waiting:
    """A state waiting for a batch: its index, whether it may stop rustc (batched under the stop
    canary), whether it is checked again apart for a trait another state's impl may hide."""

    index: int
    stopper: bool
    apart: bool = False
    erroneous: bool = False
    """It had errors in its last batch: it batches with such states, apart from those that were
    clean (one state with errors sends every clean state of its batch to be checked again)."""


@dataclass
class _Group:
    """A batch being formed: its states, their kind (may stop, had errors, glob import, root attributes), the
    traits they implement (all, and those of states checked again apart), the macros they export
    and the ``crate::`` names they write (a state never meets another's exported macro by a
    ``crate::`` path)."""

    members: list[_Waiting]
    kind: tuple[bool, bool, bool, tuple[str, ...]]
    traits: set[str] = field(default_factory=set)
    apart_traits: set[str] = field(default_factory=set)
    exported: set[str] = field(default_factory=set)
    named: set[str] = field(default_factory=set)


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
        weakref.finalize(self, remove_folder, folder, os.getpid())  # not a forked child's: its parent's
        for name, text in ((CANARY_FILE, CANARY), (STOP_CANARY_FILE, STOP_CANARY)):
            with open(os.path.join(folder, name), "w", encoding="utf-8") as handle:
                handle.write(text)

    def check(
        self, texts: Sequence[str], alone: Callable[[str], list[LintError]], *, stoppers: bool | Sequence[bool] = False
    ) -> list[list[LintError]]:
        """Verdicts of ``texts`` (distinct, none with a :func:`batch_hazard`), each the reference's;
        ``alone`` checks one state by itself. ``stoppers`` (one flag for all, or one per state):
        states that may stop rustc before type checking
        (:func:`~lintseq_hf.lint.compilers.rustc_batch_rules.may_stop`), batched together under
        the stop canary; a state whose errors show it stops alone too (:func:`surely_stops`) has
        them as its verdict, the others are checked again (a stopper hid their later errors)."""
        flags = [stoppers] * len(texts) if isinstance(stoppers, bool) else list(stoppers)
        verdicts: dict[int, list[LintError]] = {}
        waiting = [_Waiting(index, flags[index]) for index in range(len(texts))]
        rounds = 0
        while waiting:
            again: list[_Waiting] = []
            for group in self._groups(waiting, texts):
                self._settle(group, texts, alone, verdicts, again)
            rounds += 1
            if rounds == MAX_ROUNDS:
                for state in again:
                    verdicts[state.index] = alone(texts[state.index])
                    self.alone["checked again too often"] += 1
                break
            waiting = again
        return [verdicts[i] for i in range(len(texts))]

    def _groups(self, waiting: list[_Waiting], texts: Sequence[str]) -> list[list[_Waiting]]:
        """``waiting`` in batches of at most :data:`MAX_BATCH` states of one kind (states that may
        stop rustc apart from the others, states with a glob import apart, the same crate-level
        attributes), a state checked again apart for a trait (:func:`implemented_traits`) in a
        batch where no other state implements a trait of that name: every kind of state checked
        again shares one round of batches (a batch's verdicts never depend on how it was formed,
        only the calls do)."""
        groups: list[_Group] = []
        for state in waiting:
            text = texts[state.index]
            # states with a glob import batch apart: a failed one silences the crate's unresolved
            # names; states batch with those whose crate-level attributes are theirs (the root's)
            kind = (state.stopper, state.erroneous, GLOB_IMPORT.search(text) is not None, root_attributes(text))
            traits = implemented_traits(text)
            exported, named = exported_macros(text), crate_path_names(text)
            for group in groups:
                if (len(group.members) < MAX_BATCH and group.kind == kind and not traits & group.apart_traits
                        and not (state.apart and traits & group.traits)
                        and not exported & group.named and not named & group.exported):
                    break
            else:
                group = _Group([], kind)
                groups.append(group)
            group.members.append(state)
            group.traits |= traits
            if state.apart:
                group.apart_traits |= traits
            group.exported |= exported
            group.named |= named
        return [group.members for group in groups]

    def _settle(
        self,
        group: list[_Waiting],
        texts: Sequence[str],
        alone: Callable[[str], list[LintError]],
        verdicts: dict[int, list[LintError]],
        again: list[_Waiting],
    ) -> None:
        if len(group) == 1:
            verdicts[group[0].index] = alone(texts[group[0].index])
            self.alone["alone in its batch"] += 1
            return
        stoppers = group[0].stopper
        result = self.run([texts[s.index] for s in group], root_attributes(texts[group[0].index]), stoppers=stoppers)
        if not result.complete:
            # a pass stopped the crate early (an impl of a trait not found that may_stop missed), an
            # error fell outside the states, or rustc crashed: halves, down to states checked alone
            half = len(group) // 2
            self._settle(group[:half], texts, alone, verdicts, again)
            self._settle(group[half:], texts, alone, verdicts, again)
            return
        erroneous = any(result.errors)
        # an impl with an error hides the checks of every impl of its trait in the crate
        tainted = [tainted_traits(texts[s.index], result.errors[position]) for position, s in enumerate(group)]
        stopped = stoppers and not result.finished
        undecided: list[tuple[int, _Waiting]] = []
        for position, state in enumerate(group):
            index, text = state.index, texts[state.index]
            errors = result.errors[position]
            others = set().union(*(t for other, t in enumerate(tainted) if other != position))
            if position in result.suspect:
                verdicts[index] = alone(text)
                self.alone["suspect"] += 1
            elif result.failed_globs and position not in result.failed_globs:
                again.append(_Waiting(index, stoppers, erroneous=bool(errors)))
            elif (others & implemented_traits(text)) - surely_tainted_traits(text, errors) - unresolved_traits(text, errors):
                again.append(_Waiting(index, stoppers, apart=True, erroneous=bool(errors)))
            elif stopped and not surely_stops(text, errors):
                # the crate stopped before type checking, maybe not for this state's sake: checked again
                undecided.append((position, state))
            elif stopped and not all(error.msg_id in RESOLUTION_CODES for error in errors):
                # it stops alone too, but only resolution's errors are its own in a batch that
                # stopped (other modules may make rustc compute more of a state's items before
                # the stop than alone: an E0220 of its signature); it would stop any batch again
                verdicts[index] = alone(text)
                self.alone["stops, not only resolution errors"] += 1
            elif stoppers and not errors:
                # the batch did not stop, so neither does this state; the stop canary's error made
                # the crate erroneous and may have spared it a pass: checked again with the others
                again.append(_Waiting(index, False))
            elif errors or not erroneous:
                verdicts[index] = errors
            else:
                again.append(_Waiting(index, stoppers))
        if len(undecided) < len(group):
            # the states that surely stop are settled: the others may stop no longer, checked again together
            again.extend(_Waiting(state.index, True, erroneous=bool(result.errors[position])) for position, state in undecided)
        else:
            for _, state in undecided:
                verdicts[state.index] = alone(texts[state.index])
                self.alone["may stop, not surely"] += 1

    def run(self, texts: Sequence[str], attributes: Sequence[str] = (), *, stoppers: bool = False) -> BatchResult:
        """One rustc call on ``texts`` as the modules of one crate whose root carries the
        crate-level ``attributes`` (:func:`root_attributes`, the same for every state), its last
        module the canary (``stoppers``: the stop canary)."""
        names = [_MODULE.format(i) for i in range(len(texts))]
        for name, text in zip(names, texts):
            with open(os.path.join(self.folder, name + ".rs"), "w", encoding="utf-8", errors="surrogatepass", newline="") as handle:
                handle.write(text)
        root = "".join(f"{attribute}\n" for attribute in attributes)
        canary = STOP_CANARY_FILE if stoppers else CANARY_FILE
        root += "".join(f"mod {name};\n" for name in names) + f"mod {canary.removesuffix('.rs')};\n"
        self.calls += 1
        try:
            status, output = self._compile(root)
        except ToolError:  # a timeout: the states go alone, with the reference's own timeout
            return BatchResult([[] for _ in texts], complete=False)
        if child_failed(status) is not None or "internal compiler error" in output or "unexpectedly panicked" in output:
            return BatchResult([[] for _ in texts], complete=False)
        return read_batch_output(
            output, [defined_names(text) for text in texts], [exported_macros(text) for text in texts], stoppers=stoppers
        )

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
        completed = run_state(self.args, "", cwd=self.folder, hardened=True)
        code = completed.returncode  # as a wait status: an exit code, or the signal that ended it
        return (code << 8 if code >= 0 else -code), completed.stderr

    def close(self) -> None:
        """Stop the fork server."""
        if self.server is not None:
            self.server.close()


def read_batch_output(
    output: str, names: Sequence[frozenset[str]], exported: Sequence[frozenset[str]] | None = None,
    *, stoppers: bool = False,
) -> BatchResult:
    """Each state's errors from rustc's JSON diagnostics on a batch whose states define ``names``
    and export the macros ``exported``: a macro two states export is defined twice in the batch's
    root (E0428 on one of them, never alone: a state exports a name once, or goes alone)."""
    exported = exported or [frozenset() for _ in names]
    files = {_MODULE.format(i) + ".rs": i for i in range(len(names))}
    errors: list[list[LintError]] = [[] for _ in names]
    suspect: set[int] = set()
    failed_globs: set[int] = set()
    canary = False
    resolved = False
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
        if level == "warning" and file in (CANARY_FILE, STOP_CANARY_FILE) and message.startswith("unused variable"):
            canary = True
        if stoppers and level == "error" and file == STOP_CANARY_FILE and (diagnostic.get("code") or {}).get("code") == "E0119":
            resolved = True
            continue
        if level != "error" or message.startswith("aborting due to"):
            continue
        index = files.get(os.path.basename(file)) if file else None
        if index is None:
            complete = False
            continue
        code = (diagnostic.get("code") or {}).get("code") or "error"
        if code == "E0428" and _exported_twice(message, exported, index):
            continue
        message = _own_paths_as_alone(message, index)
        errors[index].append(LintError(code, primary[0]["line_start"], primary[0]["column_start"] - 1, message))
        if "lintseq" in message:
            suspect.add(index)
        elif code not in _WRITTEN_PATHS and _names_another(message, names, index):
            suspect.add(index)
        if code == "E0432" and primary[0].get("text") and any(GLOB_IMPORT.search(line.get("text", "")) for line in primary[0]["text"]):
            failed_globs.add(index)
    finished = canary and (resolved or not stoppers)
    return BatchResult(errors, complete and (resolved if stoppers else canary), suspect, failed_globs, finished)


_OWN_ITEM = re.compile(r"(?<![\w:])lintseq_s(\d+)::((?:r#)?[A-Za-z_]\w*)(?!\w|\s*::)")


def _own_paths_as_alone(message: str, index: int) -> str:
    """``message`` with ``lintseq_sN::Name`` (``N`` the state's own module, ``Name`` an item at
    its top level, no deeper path) printed as alone: ``Name``. rustc prints an item's path in
    full when its name is not unique in the crate (another state defines it too), from the
    crate root: alone that root is the state, so the path is the bare name, trimmed or not. A
    deeper path (``lintseq_sN::a::B``) stays as it is (alone, ``B`` may be trimmed), and the
    state is then checked alone."""

    def replace(found: re.Match[str]) -> str:
        return found.group(2) if int(found.group(1)) == index else found.group(0)

    return _OWN_ITEM.sub(replace, message)


_DEFINED_TWICE = re.compile(r"^the name `(?:r#)?(\w+)` is defined multiple times")


def _exported_twice(message: str, exported: Sequence[frozenset[str]], index: int) -> bool:
    """Whether ``message`` is E0428 for a macro that state ``index`` and another state export."""
    found = _DEFINED_TWICE.match(message)
    return found is not None and found.group(1) in exported[index] and any(
        found.group(1) in other for position, other in enumerate(exported) if position != index
    )


_WRITTEN_PATHS = frozenset({"E0405", "E0412", "E0422", "E0425", "E0432", "E0433", "E0531"})
"""Resolution errors: their messages print paths as the state wrote them, never shortened."""

_QUALIFIED = re.compile(r"::\s*(?:r#)?([A-Za-z_]\w*)")


def _names_another(message: str, names: Sequence[frozenset[str]], index: int) -> bool:
    """Whether ``message`` prints a path ending in a name another state defines (rustc then
    prints paths in full that it shortens when the name is unique)."""
    printed = set(_QUALIFIED.findall(message))
    return any(printed & other for position, other in enumerate(names) if position != index)
