"""LintSeq backward sampling (docs/algorithm.md) and the linter-free "RandSeq" ablation.

Pure functions: a program and a seed in, an edit sequence out. Randomness comes from a
``numpy.random.RandomState`` built from the seed and drawn with the same calls, in the same
order, as the authors' code, so ``sample_edits(p, seed=s)`` makes the same deletion choices
as ``np.random.seed(s)`` followed by their ``lintseq_backward_sampling_pythonic(p, …)``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass, field

import numpy as np

from lintseq_hf.core.edits import diff_insertion, difflib_insertion
from lintseq_hf.core.languages import language_spec, line_blocks, syntax_errors
from lintseq_hf.core.precheck import PreCheck, precheck_for
from lintseq_hf.core.programs import ProgramError, check_bounds
from lintseq_hf.lint.base import Linter, LintError, lint_many, unchecked
from lintseq_hf.lint.registry import get_linter

DIFFLIB_MAX_LINES = 5000
"""States longer than this are encoded from line indices directly (difflib is superlinear)."""

MAX_STEPS = 512
"""The authors' ``max_depth``: after this many edits, what is left is inserted as the first edit."""


MAX_LINT_CHARS = 5_000_000
"""Default work budget of one backward pass: characters of program text the linter may read.

HumanEval needs at most ~37,000 per sequence, so the default changes no row there; it stops a
pass over a program of a few thousand lines (minutes of pylint) at the same point on every
machine. About 20 s of pylint at the ~250,000 characters/s it lints (the fast backend: ~1 s).
"""


class SamplingError(ValueError):
    """A program has no candidate line to delete (nothing but blank lines and comments)."""


class LintBudgetExceeded(RuntimeError):
    """A backward pass needs more linting than ``LintSeqOptions.max_lint_chars`` allows."""

    def __init__(self, budget: int, needed: int, lint_calls: int) -> None:
        super().__init__(
            f"sampling needs more than max_lint_chars={budget} characters of linting "
            f"({needed} needed by linter call {lint_calls + 1})"
        )
        self.budget = budget
        self.needed = needed
        self.lint_calls = lint_calls


@dataclass(frozen=True)
class LintSeqOptions:
    """Options of the sampler; the defaults are the authors' (and the paper's) settings, plus a
    deterministic work budget that no HumanEval program comes near."""

    indent_bias: float | None = field(
        default=1.0,
        metadata={"help": "weight of an indented line is indent / tab_width * indent_bias (authors: 1; none: uniform)"},
    )
    ignore_comments: bool = field(default=True, metadata={"help": "comment lines are never sampled for deletion"})
    ignore_global_defs: bool = field(
        default=True, metadata={"help": "of a multi-line ALL-CAPS global definition only the first line is sampled"}
    )
    ignore_imports: bool = field(default=False, metadata={"help": "import lines are never sampled for deletion"})
    ignore_init_errors: bool = field(
        default=False,
        metadata={"help": "ignore linter errors already present in the original program (by id, message, line text)"},
    )
    max_steps: int = field(
        default=MAX_STEPS,
        metadata={"help": "the authors' max_depth: after this many edits the rest is the first edit", "min": 1},
    )
    max_lint_chars: int | None = field(
        default=MAX_LINT_CHARS,
        metadata={
            "help": "work budget per edit sequence: characters the linter may read in total; beyond it "
            "sampling raises LintBudgetExceeded (rows: dropped as work_budget); none: no budget",
            "min": 1,
        },
    )
    allow_unchecked: bool = field(
        default=False,
        metadata={
            "help": "languages other than Python: keep programs whose tool stops at a fatal error (e.g. a missing "
            "header), so that their states are not checked past it (default: dropped as unchecked)"
        },
    )

    def __post_init__(self) -> None:
        check_bounds(self)


@dataclass
class SampleTrace:
    """What one backward pass did: deleted line indices per step, and linter work."""

    steps: list[list[int]] = field(default_factory=list)
    lint_calls: int = 0
    lint_chars: int = 0
    """Characters of program text given to the linter (what ``max_lint_chars`` bounds)."""
    settled: int = 0
    """Of ``lint_calls``, states the pre-check settled without asking the linter
    (:mod:`lintseq_hf.core.precheck`); they count towards ``lint_chars`` as if linted."""


def program_lines(program: str) -> list[str]:
    """Lines of a program as the sampler sees them (``str.split("\\n")``, blank lines kept)."""
    return program.split("\n")


def candidate_lines(lines: Sequence[str], options: LintSeqOptions = LintSeqOptions()) -> list[int]:
    """Indices of lines that may be sampled for deletion.

    Non-blank, non-comment lines; of a multi-line ALL-CAPS global definition
    (``NAME = (`` or ``NAME = [`` continued on later lines) only the first line.
    """
    chosen = list(range(len(lines)))
    if options.ignore_imports:
        chosen = [i for i in chosen if "import" not in lines[i]]
    if options.ignore_comments:
        chosen = [i for i in chosen if lines[i].lstrip() and lines[i].lstrip()[0] != "#"]
    if not options.ignore_global_defs:
        return chosen
    kept: list[int] = []
    closer: str | None = None
    for i in chosen:
        line = lines[i]
        last = line.rstrip()[-1:] if line.rstrip() else ""
        if closer is not None:
            if last == closer:
                closer = None
            continue
        kept.append(i)
        if "=" in line and line[: line.find("=")].replace(" ", "").isupper() and last in ("(", "["):
            closer = ")" if last == "(" else "]"
    return kept


def line_indents(lines: Sequence[str]) -> tuple[list[int], int | None]:
    """Indent of every line and the tab width (the first non-zero indent).

    Lines with fewer than two non-blank characters (blank lines, a lone ``)``) take the
    indent of the line before, so they stay inside the block they close.
    """
    indents: list[int] = []
    tab_width: int | None = None
    current = 0
    for line in lines:
        stripped = line.lstrip()
        if len(stripped) > 1:
            current = len(line) - len(stripped)
        indents.append(current)
        if tab_width is None and current > 0:
            tab_width = current
    return indents, tab_width


def line_weights(
    lines: Sequence[str], candidates: Sequence[int], indent_bias: float | None
) -> np.ndarray:
    """Sampling weight of every line: 0 for non-candidates, 1 at indent 0, deeper lines more."""
    indents, tab_width = line_indents(lines)
    candidate_set = set(candidates)
    weights: list[float] = []
    for i, indent in enumerate(indents):
        if i not in candidate_set:
            weights.append(0)
        elif indent == 0 or indent_bias is None:
            weights.append(1)
        else:
            weights.append(indent / tab_width * indent_bias)  # type: ignore[operator]
    return np.array(weights)


def block_children(indents: Sequence[int]) -> list[range]:
    """For every line, the following lines indented deeper than it (its block)."""
    n = len(indents)
    children = [range(0)] * n
    for i in range(n):
        j = i + 1
        while j < n and indents[j] > indents[i]:
            j += 1
        children[i] = range(i + 1, j)
    return children


def _ignores_init_errors(options: LintSeqOptions, language: str) -> bool:
    """Python follows ``ignore_init_errors`` (off: the authors' setting); other languages always
    ignore the original's errors, since real files name code outside them (headers, imports)."""
    return language != "python" or options.ignore_init_errors


def _error_signature(error: LintError, lines: Sequence[str], index: int) -> tuple[str, str, str]:
    return (error.msg_id, error.message, lines[index].strip() if 0 <= index < len(lines) else "")


def backward_sample(
    program: str,
    rng: np.random.RandomState,
    linter: Linter,
    options: LintSeqOptions = LintSeqOptions(),
    language: str = "python",
    precheck: PreCheck | None = None,
) -> SampleTrace:
    """Delete lines until no candidate is left; each step deletes a sampled line, its block,
    and whatever the linter then flags (with their blocks), until the state is clean.

    Python's blocks come from indentation; other languages' from their syntax tree
    (:mod:`lintseq_hf.core.languages`).

    Raises :class:`LintBudgetExceeded` once the linter would read more than
    ``options.max_lint_chars`` characters in total (a deterministic limit: the same programs
    hit it on every machine).

    ``precheck`` (C, C++, Rust) settles states it proves clean without asking ``linter``; the
    sequence is the same as without it.
    """
    return drive(backward_pass(program, rng, options, language, precheck), linter.lint)


LintRequest = Generator[str, "list[LintError]", SampleTrace]
"""A backward pass waiting for verdicts: it yields the text of each state it needs linted, is
sent that state's errors, and returns its :class:`SampleTrace`."""


def drive(request: LintRequest, lint: Callable[[str], list[LintError]]) -> SampleTrace:
    """Run one backward pass to its end, answering each state it asks about with ``lint``."""
    try:
        text = next(request)
        while True:
            text = request.send(lint(text))
    except StopIteration as done:
        return done.value


def backward_pass(
    program: str,
    rng: np.random.RandomState,
    options: LintSeqOptions = LintSeqOptions(),
    language: str = "python",
    precheck: PreCheck | None = None,
) -> LintRequest:
    """:func:`backward_sample` as a resumable pass: it yields every state it needs linted (after
    counting it against the budget) and is sent its errors, so that a driver can lint the states
    of many passes at once (:func:`sample_edits_many`) with the same outcome per pass."""
    lines = program_lines(program)
    if language == "python":
        candidates = candidate_lines(lines, options)
        weights = line_weights(lines, candidates, options.indent_bias)
    else:
        blocks = line_blocks(program, language)
        candidates, weights = blocks.candidates, blocks.weights(options.indent_bias)
    total = weights.sum()
    if not candidates or not total > 0:
        raise SamplingError("no candidate line to delete (only blank lines and comments)")
    if language == "python":
        indents, _ = line_indents(lines)
        children: Sequence[range] = block_children(indents)
    else:
        children = blocks.children
    present = [True] * len(lines)
    trace = SampleTrace()

    expected: set[tuple[str, str, str]] = set()
    if _ignores_init_errors(options, language):
        _count(program, trace, options.max_lint_chars)
        original = yield program
        if language != "python":
            check_original(program, language, original, allow_unchecked=options.allow_unchecked)
        for error in original:
            expected.add(_error_signature(error, lines, error.line - 1))
        if precheck is not None:
            precheck.clean(list(range(len(lines))), original)
    elif precheck is not None:
        raise ValueError("the pre-check needs the original's verdict (languages other than Python)")

    remaining = list(candidates)
    for step in range(options.max_steps):
        if step == 0:
            choice = draw_one(rng, range(len(lines)), weights / total)
        else:
            sub = weights[np.array(remaining)]
            choice = draw_one(rng, remaining, sub / sub.sum())
        deleted = yield from _delete_until_clean(choice, lines, children, present, expected, trace, options, precheck)
        trace.steps.append(deleted)
        gone = set(deleted)
        remaining = [i for i in remaining if i not in gone]
        if not remaining:
            break
    return trace


def check_original(program: str, language: str, errors: Sequence[LintError], *, allow_unchecked: bool = False) -> None:
    """Refuse an original (not Python) that is not code, or whose states could not be checked.

    Given the tool's ``errors`` on the original, raise :class:`ProgramError`:

    - ``unchecked`` when the tool stopped at a fatal error (GCC: a missing header) and checked
      nothing past it, unless ``allow_unchecked``;
    - ``syntax_error`` when the syntax tree fails and the tool reports an error inside the
      failing part, or within one line of it, or on the program's last line (it ran off the end
      inside a construct: rustc's "unclosed delimiter" is placed there, wherever the tree failed).
      Both must agree: tree-sitter alone flags valid code it cannot parse (macros,
      some C++), the tool alone flags names defined outside the file (headers, imports). Plain
      prose fails both.
    """
    if unchecked(errors) and not allow_unchecked:
        fatal = next(e for e in errors if e.fatal)
        raise ProgramError(
            "unchecked", f"line {fatal.line}: {fatal.message} (the tool checks nothing past it; allow_unchecked keeps it)"
        )
    tool_lines = {e.line for e in errors if not e.fatal}
    if not tool_lines:
        return
    end = len(program.rstrip().split("\n"))  # the last line with text
    for first, last, what in syntax_errors(program, language):
        if any(first - 1 <= line <= last + 1 or line >= end for line in tool_lines):
            raise ProgramError("syntax_error", f"line {first}: {what} (not {language} syntax)")


def check_source(program: str, language: str, linter: Linter, options: LintSeqOptions = LintSeqOptions()) -> None:
    """:func:`check_original` with ``linter``'s verdict on ``program`` (a language other than Python)."""
    check_original(program, language, linter.lint(program), allow_unchecked=options.allow_unchecked)


def draw_one(rng: np.random.RandomState, population: Sequence[int], probs: np.ndarray) -> int:
    """``rng.choice(population, (1,), p=probs, replace=False)[0]``, drawn the same way.

    For one draw numpy's legacy ``choice`` takes one ``random_sample`` and searches it in the
    normalized cumulative sum of ``probs``; doing that directly gives the same element and leaves
    ``rng`` in the same state, without ``choice``'s validation and uniqueness bookkeeping (4x
    faster; ``probs`` here are finite, non-negative and sum to 1 by construction).
    """
    cdf = np.cumsum(probs)
    cdf /= cdf[-1]
    return int(population[int(cdf.searchsorted(rng.random_sample((1,)), side="right")[0])])


_RNGS = threading.local()


def seeded_rng(seed: int) -> np.random.RandomState:
    """This thread's ``RandomState``, re-seeded: the same stream as ``RandomState(seed % 2**32)``
    (and as ``np.random.seed(seed)``), without building a new generator per program."""
    rng = getattr(_RNGS, "rng", None)
    if rng is None:
        rng = _RNGS.rng = np.random.RandomState()
    rng.seed(seed % 2**32)
    return rng


def _delete_until_clean(
    target: int,
    lines: Sequence[str],
    children: Sequence[range],
    present: list[bool],
    expected: set[tuple[str, str, str]],
    trace: SampleTrace,
    options: LintSeqOptions,
    precheck: PreCheck | None = None,
) -> Generator[str, list[LintError], list[int]]:
    deleted: list[int] = []
    flagged = [target]
    while True:
        for line in flagged:
            for i in (line, *children[line]):
                if present[i]:
                    present[i] = False
                    deleted.append(i)
        kept = [i for i, here in enumerate(present) if here]
        text = "\n".join(lines[i] for i in kept)
        settled = precheck is not None and precheck.settles(lines, kept, text)
        # a settled state counts as if linted, so that every pass stops where it would without the pre-check
        _count(text, trace, options.max_lint_chars)
        raw: list[LintError] | None = None
        if settled:
            trace.settled += 1
        else:
            raw = yield text
        errors = raw or []
        if expected:
            errors = [e for e in errors if _error_signature(e, lines, _line_index(kept, e.line)) not in expected]
        if not errors or not kept:
            if precheck is not None and raw is not None:
                precheck.clean(kept, raw)
            return sorted(deleted)
        flagged = [_line_index(kept, e.line) for e in errors]


def _count(text: str, trace: SampleTrace, budget: int | None) -> None:
    """Count one verdict on ``text`` (linted or settled); raise before the pass goes over ``budget``."""
    needed = trace.lint_chars + len(text)
    if budget is not None and needed > budget:
        raise LintBudgetExceeded(budget, needed, trace.lint_calls)
    trace.lint_calls += 1
    trace.lint_chars = needed


def _line_index(kept: Sequence[int], line: int) -> int:
    """Original index of 1-based ``line`` of the current state (0 → the last line, as the authors index)."""
    if not kept:
        return -1
    position = line - 1
    if position >= len(kept):
        position = len(kept) - 1
    return kept[position]


def random_sample(program: str, rng: np.random.RandomState) -> SampleTrace:
    """The "RandSeq" ablation: remove a random-sized random subset of the remaining lines per step."""
    lines = program_lines(program)
    remaining = [i for i, line in enumerate(lines) if line.strip()]
    if not remaining:
        raise SamplingError("no line to delete (only blank lines)")
    trace = SampleTrace()
    while remaining:
        size = int(rng.randint(1, len(remaining) + 1))
        picked = sorted(int(i) for i in rng.choice(remaining, size, replace=False))
        trace.steps.append(picked)
        gone = set(picked)
        remaining = [i for i in remaining if i not in gone]
    return trace


def forward_edits(program: str, steps: Sequence[Sequence[int]]) -> list[str]:
    """Turn backward deletion steps into forward insertion edits.

    States are shown stripped (as the authors show them): leading and trailing blank lines
    of a state are not part of it. Lines keep the text they have in the stripped program, so
    every edit is an insertion and the last state is ``program.strip()`` exactly. Each edit is
    difflib's encoding (byte-identical to the authors') whenever that is a pure insertion, and
    otherwise built from the inserted line indices (the authors' defect, fixed).
    """
    lines = program_lines(program)
    texts = _stripped_line_texts(lines)
    present = [True] * len(lines)
    states = [_visible(lines, present)]
    for step in steps:
        for i in step:
            present[i] = False
        states.append(_visible(lines, present))
    if states[-1]:
        states.append([])
    states.reverse()
    edits: list[str] = []
    for before, after in zip(states, states[1:]):
        new_texts = [texts[i] for i in after]
        diff = None
        if len(after) <= DIFFLIB_MAX_LINES:
            diff = difflib_insertion([texts[i] for i in before], new_texts)
        if diff is None:
            old = set(before)
            diff = diff_insertion(new_texts, [i not in old for i in after])
        if diff:
            edits.append(diff)
    return edits


def _stripped_line_texts(lines: Sequence[str]) -> list[str]:
    """Text of each line inside ``"\\n".join(lines).strip()`` (first/last non-blank lines trimmed)."""
    texts = list(lines)
    nonblank = [i for i, line in enumerate(lines) if line.strip()]
    if nonblank:
        first, last = nonblank[0], nonblank[-1]
        texts[first] = texts[first].lstrip()
        texts[last] = texts[last].rstrip()
    return texts


def _visible(lines: Sequence[str], present: Sequence[bool]) -> list[int]:
    kept = [i for i, here in enumerate(present) if here]
    start, end = 0, len(kept)
    while start < end and not lines[kept[start]].strip():
        start += 1
    while end > start and not lines[kept[end - 1]].strip():
        end -= 1
    return kept[start:end]


def default_linter(language: str) -> str:
    """The verdict backend a language uses unless told otherwise."""
    return "pylint" if language == "python" else language_spec(language).linter


def sample_edits(
    program: str,
    *,
    seed: int,
    method: str = "lintseq",
    linter: str | Linter | None = None,
    options: LintSeqOptions | None = None,
    language: str = "python",
    precheck: bool | PreCheck | None = None,
) -> list[str]:
    """One edit sequence for ``program``: insertion-only zero-context diffs, in forward order.

    ``method="lintseq"`` (default) samples deletions guided by ``linter`` (``None``: the
    language's own, pylint for Python; docs/languages.md lists the others);
    ``method="random"`` is the paper's linter-free ablation. Applying the edits in order with
    :func:`lintseq_hf.apply_edits` gives ``program.strip()``. Linting is bounded by
    ``options.max_lint_chars`` (default :data:`MAX_LINT_CHARS`; ``None``: unbounded): past it,
    :class:`LintBudgetExceeded` is raised.

    ``precheck`` (C, C++, Rust): settle states provably clean without the linter
    (:mod:`lintseq_hf.core.precheck`; the same edits, fewer compiler calls). ``None``: on for the
    fast linters ``gcc``, ``g++``, ``g++-fork``, ``libclang``, ``libclang++`` and ``rustc``, off for the ``*-reference`` ones and
    every other language; ``True``/``False`` force it; a :class:`PreCheck` is used as given.
    """
    return sample_edits_traced(
        program, seed=seed, method=method, linter=linter, options=options, language=language, precheck=precheck
    )[0]


def sample_edits_traced(
    program: str,
    *,
    seed: int,
    method: str = "lintseq",
    linter: str | Linter | None = None,
    options: LintSeqOptions | None = None,
    language: str = "python",
    precheck: bool | PreCheck | None = None,
) -> tuple[list[str], SampleTrace]:
    """:func:`sample_edits`, also returning the backward trace (deleted lines, linter calls)."""
    if language != "python":
        language_spec(language)  # fail fast on an unknown language
    rng = seeded_rng(seed)
    if linter is None:
        linter = default_linter(language)
    if method == "lintseq":
        lint = get_linter(linter) if isinstance(linter, str) else linter
        trace = backward_sample(program, rng, lint, options or LintSeqOptions(), language, precheck_for(lint, language, precheck))
    elif method == "random":
        if language != "python":  # the input check needs the language's tool; RandSeq's edits do not
            check_source(program, language, get_linter(linter) if isinstance(linter, str) else linter, options or LintSeqOptions())
        trace = random_sample(program, rng)
    else:
        raise ValueError(f"unknown method {method!r}; expected 'lintseq' or 'random'")
    return forward_edits(program, trace.steps), trace


def sample_edits_many(
    jobs: Sequence[tuple[str, int]],
    *,
    linter: str | Linter | None = None,
    options: LintSeqOptions | None = None,
    language: str = "python",
    precheck: bool | Sequence[PreCheck] | None = None,
) -> list[tuple[list[str], SampleTrace] | Exception]:
    """LintSeq sequences for many ``(program, seed)`` jobs at once: per job what
    :func:`sample_edits_traced` returns for it (edits and trace), or the exception it raises.

    The backward passes run in lockstep: each round, the states every pass waits for go to the
    linter together (its ``lint_many``, where a backend checks many states in one compiler call,
    :func:`lintseq_hf.lint.base.lint_many`), so the outcome of every job is the one it has alone.
    An exception of the linter itself (a crashed tool) stops every job and is raised.
    ``precheck`` as :func:`sample_edits`'s, or one :class:`PreCheck` per job.
    """
    if language != "python":
        language_spec(language)  # fail fast on an unknown language
    if linter is None:
        linter = default_linter(language)
    lint = get_linter(linter) if isinstance(linter, str) else linter
    sampler_options = options or LintSeqOptions()
    outcomes: list[tuple[list[str], SampleTrace] | Exception | None] = [None] * len(jobs)
    passes: dict[int, LintRequest] = {}
    waiting: dict[int, str] = {}

    def advance(index: int, errors: list[LintError] | None) -> None:
        request = passes[index]
        try:
            waiting[index] = next(request) if errors is None else request.send(errors)
        except StopIteration as done:
            outcomes[index] = (forward_edits(jobs[index][0], done.value.steps), done.value)
            del passes[index]
        except Exception as err:  # noqa: BLE001  (the job's own outcome, as sample_edits_traced raises it)
            outcomes[index] = err
            del passes[index]

    for index, (program, seed) in enumerate(jobs):
        rng = np.random.RandomState(seed % 2**32)  # each pass its own stream: the one seeded_rng gives alone
        check = precheck_for(lint, language, precheck if precheck is None or isinstance(precheck, bool) else precheck[index])
        passes[index] = backward_pass(program, rng, sampler_options, language, check)
        advance(index, None)
    while waiting:
        indices = list(waiting)
        verdicts = lint_many(lint, [waiting.pop(i) for i in indices])
        for index, errors in zip(indices, verdicts):
            advance(index, errors)
    return [outcome for outcome in outcomes if outcome is not None]
