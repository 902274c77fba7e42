"""The real programs of every language (``tests/data/<language>``, each folder's README names their
origin and licence), the direct compiler check of each language, and the audit both the tests
and ``benchmarks/language_audit.py`` run: sample one sequence per program with the language's
default linter, then check every state of it with the compiler called directly."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import language_tools as tools
from lintseq_hf import apply_edits
from lintseq_hf.core.edits import MalformedEditError, parse_edit
from lintseq_hf.core.programs import ProgramError
from lintseq_hf.core.sampler import LintBudgetExceeded, default_linter, sample_edits_traced
from lintseq_hf.lint.registry import get_linter

RUST_CONTEXT = {"use_declaration", "macro_definition", "enum_item", "struct_item", "trait_item", "type_item",
                "inner_attribute_item", "line_comment", "block_comment"}
"""Items kept beside the function or impl a Rust program is made of (the rest of the file is cut)."""


def _files(folder: str, pattern: str) -> tuple[str, ...]:
    return tuple(p.read_text(encoding="utf-8") for p in sorted((tools.DATA / folder).glob(pattern)))


@functools.lru_cache(maxsize=None)
def c_programs() -> tuple[str, ...]:
    """Each zlib example function, in its file with the file's other functions removed."""
    programs: list[str] = []
    for path in sorted((tools.DATA / "c").glob("*.c")):
        programs += tools.units(path.read_text(encoding="utf-8"), "c", {"function_definition"})
    return tuple(programs)


@functools.lru_cache(maxsize=None)
def rust_programs() -> tuple[str, ...]:
    """Each function and impl of five crates, with its file's imports, types and macros."""
    programs: list[str] = []
    for path in sorted((tools.DATA / "rust").glob("**/*.rs")):
        programs += tools.units(path.read_text(encoding="utf-8"), "rust", {"function_item", "impl_item"}, RUST_CONTEXT)
    return tuple(programs)


PROGRAMS: dict[str, Callable[[], tuple[str, ...]]] = {
    "c": c_programs,
    "cpp": lambda: _files("cpp", "**/*.cpp"),  # files of The Algorithms - C++
    "javascript": lambda: _files("javascript", "**/*.js"),  # files of the packages bundled with npm
    "typescript": lambda: _files("typescript", "**/*.ts"),  # files of RxJS's sources
    "rust": rust_programs,
    "java": lambda: _files("java", "**/*.java"),  # files of The Algorithms - Java
    "go": lambda: _files("go", "*.go"),  # example files of Go's standard library
}


def shortest(language: str, count: int | None) -> list[str]:
    """The ``count`` shortest real programs of ``language`` (all if ``None``), in their original order."""
    available = PROGRAMS[language]()
    if count is None:
        return list(available)
    chosen = sorted(sorted(range(len(available)), key=lambda i: (len(available[i]), i))[:count])
    return [available[i] for i in chosen]


def _typescript(texts: list[str]) -> list[set[tools.Signature]]:
    return tools.tsc_errors(texts, "typescript", tools.node_modules())


def _javascript(texts: list[str]) -> list[set[tools.Signature]]:
    """V8's syntax errors and tsc's undefined or redeclared names, each read independently."""
    names = tools.tsc_errors(texts, "javascript", tools.node_modules())
    return [a | b for a, b in zip(tools.node_syntax_errors(texts), names)]


DIRECT: dict[str, Callable[[list[str]], list[set[tools.Signature]]]] = {
    "c": lambda texts: [tools.gcc_errors(t, "c") for t in texts],
    "cpp": lambda texts: [tools.gcc_errors(t, "cpp") for t in texts],
    "javascript": _javascript,
    "typescript": _typescript,
    "rust": lambda texts: [tools.rustc_errors(t) for t in texts],
    "java": tools.javac_errors,
    "go": tools.go_errors,
}
"""Each language's compiler called directly (``language_tools``), one error set per text."""


@dataclass
class Audit:
    """What sampling one sequence per program gave, and what the compiler said of every state."""

    language: str
    lines: list[int] = field(default_factory=list)
    """Lines of each program that became a sequence."""
    edits: list[int] = field(default_factory=list)
    """Edits of each sequence."""
    tool_calls: list[int] = field(default_factory=list)
    """Verdicts the default linter computed for each program (memoized ones not counted)."""
    skipped: dict[str, int] = field(default_factory=dict)
    """Programs refused, per reason (``syntax_error``, ``unchecked``, ...)."""
    skip_details: list[str] = field(default_factory=list)
    broken: list[str] = field(default_factory=list)
    """Sequences that are not insertions only or do not rebuild their program (the guarantee: none)."""
    states: int = 0
    """Distinct intermediate states checked directly."""
    unchecked_originals: int = 0
    """Originals on which the direct check stopped at a fatal error (then nothing past it is checked)."""
    new_errors: list[tuple[int, str, list[tools.Signature]]] = field(default_factory=list)
    """(program, state, errors the original lacks): the guarantee is that there are none."""
    sample_seconds: float = 0.0
    check_seconds: float = 0.0
    """Wall time of the sampling and of the direct checks (for the benchmark; never asserted)."""


def _inserts(edit: str) -> bool:
    """Whether ``edit`` is one or more hunks that each insert at least one line and remove none."""
    try:
        hunks = parse_edit(edit)
    except MalformedEditError:
        return False
    return bool(hunks) and all(hunk.lines for hunk in hunks)


def audit(language: str, programs: Sequence[str], *, linter: str | None = None) -> Audit:
    """Sample one sequence per program (seed = its index) with ``linter`` (the language's default),
    then check the original and every intermediate state with the compiler directly."""
    tool = get_linter(linter or default_linter(language))
    result = Audit(language)
    originals: list[str] = []
    owners: dict[str, list[int]] = {}  # state -> the programs whose sequences passed through it
    start = time.perf_counter()
    for index, program in enumerate(programs):
        before = tool.calls
        try:
            edits, _ = sample_edits_traced(program, seed=index, language=language, linter=tool)
        except (ProgramError, LintBudgetExceeded) as err:
            reason = err.reason if isinstance(err, ProgramError) else "work_budget"  # the names a run's report uses
            result.skipped[reason] = result.skipped.get(reason, 0) + 1
            result.skip_details.append(f"program {index}: {err}")
            continue
        result.tool_calls.append(tool.calls - before)
        result.lines.append(len(program.strip().split("\n")))
        result.edits.append(len(edits))
        if not edits or not all(_inserts(edit) for edit in edits):
            result.broken.append(f"program {index}: an edit that is not an insertion")
        elif apply_edits(edits) != program.strip():
            result.broken.append(f"program {index}: the edits do not rebuild the program")
        owner = len(originals)
        originals.append(program.strip())
        for state in tools.forward_states(edits)[:-1]:
            if state.strip():
                owners.setdefault(state, []).append(owner)
    result.sample_seconds = time.perf_counter() - start
    start = time.perf_counter()
    states = list(owners)
    result.states = len(states)
    verdicts = DIRECT[language](originals + states)
    result.check_seconds = time.perf_counter() - start
    original_errors = verdicts[: len(originals)]
    result.unchecked_originals = sum(any(code == "fatal" for code, _, _ in errors) for errors in original_errors)
    for state, errors in zip(states, verdicts[len(originals) :]):
        for owner in owners[state]:
            new = errors - original_errors[owner]
            if new:
                result.new_errors.append((owner, state, sorted(new)))
    return result


def without_last_closer(program: str) -> str | None:
    """``program`` without its last line that starts with ``}`` (``None`` if it has none)."""
    lines = program.split("\n")
    last = max((i for i, line in enumerate(lines) if line.strip().startswith("}")), default=None)
    return None if last is None else "\n".join(lines[:last] + lines[last + 1 :])
