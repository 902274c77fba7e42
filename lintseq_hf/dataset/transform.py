"""Rows in, LintSeq samples out: the per-row transform shared by the CLI, the datasets
builder and the Ray Data path, plus a process pool with progress and a skip report.

A row's sequences depend only on the global seed and the row's identity (a hash of its
instruction and code), never on its position, the number of processes or the chunking.
"""

from __future__ import annotations

import contextlib
import hashlib
import multiprocessing
import signal
import sys
import threading
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from lintseq_hf.core.edits import (
    format_completion,
    format_instruct_prompt,
    format_prompt,
)
from lintseq_hf.core.languages import SUPPORTED_LANGUAGES, UnknownLanguageError, resolve_language
from lintseq_hf.core.programs import (
    ProgramError,
    check_bounds,
    check_program,
    check_text,
    decode_source,
    extract_code,
    normalize_newlines,
)
from lintseq_hf.core.sampler import (
    LintBudgetExceeded,
    LintSeqOptions,
    SampleTrace,
    SamplingError,
    check_source,
    default_linter,
    sample_edits_many,
    sample_edits_traced,
)
from lintseq_hf.io.rows import UnreadableRow
from lintseq_hf.lint.registry import available_linters, get_linter, reset_linter

SKIP_REASONS = {
    "missing_code": "the code column is missing or null",
    "bad_type": "the code column is not text",
    "not_utf8": "the code is bytes that are not UTF-8",
    "encoding": "the instruction or code holds a lone surrogate (not encodable as UTF-8)",
    "empty": "nothing left after code extraction",
    "no_code": "only comments and blank lines",
    "syntax_error": "the original program does not parse (Python: ast; others: syntax tree and compiler agree)",
    "unchecked": "the compiler stops at a fatal error in the original (e.g. a missing header): states not checkable",
    "null_byte": "the program contains a NUL byte",
    "contains_separator": "the program contains the edit separator <|diff|>",
    "too_many_lines": "more lines than max_program_lines",
    "line_too_long": "a line longer than max_line_chars",
    "work_budget": "sampling needs more linting than max_lint_chars (deterministic)",
    "wall_timeout": "the row took longer than the opt-in wall-clock guard timeout (machine-dependent)",
    "bad_json": "the input line is not valid JSON",
    "bad_item": "the input item is not an object",
    "unknown_language": "the language column names no supported language",
    "error": "an unexpected error while processing the row (detail in the report)",
}
"""Every reason a row can be skipped for; counted in :class:`GenerationReport`."""

METHODS = ("lintseq", "random")


class ProgramTimeout(BaseException):
    """The per-program time limit ran out (a BaseException, so that pylint's own
    ``except Exception`` crash handling cannot swallow it)."""


@dataclass
class GenerationOptions:
    """The options of generation, written once: :class:`GenerateConfig`, the builder's
    ``LintSeqConfig`` and the ``lintseq generate`` / ``build-dataset`` flags derive from these
    fields (each ``help`` doubles as CLI help; ``min`` is checked everywhere).
    """

    num_samples: int = field(default=5, metadata={"help": "edit sequences per row (the paper: 5)", "min": 1})
    seed: int = field(
        default=0, metadata={"help": "global seed; a row's sequences depend only on it and the row's content"}
    )
    linter: str = field(
        default="pylint",
        metadata={"help": "linter backend for Python: pylint (the authors' verdicts) or fast; "
                  "other languages use their compiler (docs/languages.md)"},
    )
    compiler_linters: str | None = field(
        default=None,
        metadata={"help": "other languages' linters instead of their defaults, as LANG=LINTER pairs separated by "
                  "commas, e.g. c=gcc,cpp=g++ (docs/languages.md lists them)"},
    )
    language: str = field(
        default="python",
        metadata={"help": "language of the programs (docs/languages.md)", "choices": SUPPORTED_LANGUAGES},
    )
    language_column: str | None = field(
        default=None,
        metadata={"help": "column naming each row's language (python, cpp, js, ...), for mixed data; "
                  "overrides language"},
    )
    options: LintSeqOptions | Mapping[str, Any] | None = field(
        default=None,
        metadata={"help": "sampler options: a LintSeqOptions or a dict of its fields (flags: one per field)"},
    )
    instruction_column: str | None = field(
        default="instruction", metadata={"help": "column holding the instruction (empty: no instruction)"}
    )
    code_column: str = field(default="response", metadata={"help": "column holding the program or response"})
    extract: bool = field(
        default=True, metadata={"help": "take the ```python blocks of the code column, as the authors do"}
    )
    max_program_lines: int | None = field(
        default=None, metadata={"help": "drop programs of more lines (too_many_lines)", "min": 1}
    )
    max_line_chars: int | None = field(
        default=None, metadata={"help": "drop programs with a longer line (line_too_long)", "min": 1}
    )
    timeout: float | None = field(
        default=None,
        metadata={
            "help": "opt-in wall-clock guard per row in seconds (default off; 0: off). Rows over it are dropped as "
            "wall_timeout, so the output then depends on the machine's speed and load. The limit that decides by "
            "default is --max-lint-chars, the same on every machine",
            "min": 0,
        },
    )

    def sampler_options(self) -> LintSeqOptions:
        """``options`` as :class:`LintSeqOptions` (a dict is checked against its fields)."""
        if self.options is None:
            return LintSeqOptions()
        if isinstance(self.options, LintSeqOptions):
            return self.options
        known = {f.name for f in fields(LintSeqOptions)}
        unknown = sorted(set(self.options) - known)
        if unknown:
            raise ValueError(f"unknown sampler option(s) {unknown}; known: {sorted(known)}")
        return LintSeqOptions(**self.options)

    def row_linter(self, language: str) -> str:
        """The linter for rows in ``language``: ``linter`` for Python; otherwise the one
        ``compiler_linters`` names for it, else the language's own."""
        if language == "python":
            return self.linter
        return self.linter_overrides().get(language) or default_linter(language)

    def linter_overrides(self) -> dict[str, str]:
        """``compiler_linters`` as {language: linter}; a bad pair raises ValueError naming it."""
        chosen: dict[str, str] = {}
        for pair in (self.compiler_linters or "").split(","):
            if not pair.strip():
                continue
            language, sep, linter = (part.strip() for part in pair.partition("="))
            if not sep or not language or not linter:
                raise ValueError(f"compiler_linters: {pair.strip()!r} is not LANG=LINTER")
            try:
                language = resolve_language(language)
            except UnknownLanguageError as err:
                raise ValueError(f"compiler_linters: {pair.strip()!r}: {err}") from None
            if language == "python":
                raise ValueError(f"compiler_linters: {pair.strip()!r}: Python's linter is set by linter")
            if linter not in available_linters():
                raise ValueError(f"compiler_linters: {pair.strip()!r}: unknown linter; known: {available_linters()}")
            chosen[language] = linter
        return chosen

    @property
    def language_in_rows(self) -> bool:
        """Whether output rows carry a ``language`` column: in every run except one whose rows are all
        Python by configuration (``language="python"``, no ``language_column``), whose rows stay
        byte-identical to the paper's format (a file without the column is Python)."""
        return self.language != "python" or bool(self.language_column)

    def generation_options(self) -> dict[str, Any]:
        """The values of the :class:`GenerationOptions` fields (``options`` as a dict), JSON-ready."""
        out = {f.name: getattr(self, f.name) for f in fields(GenerationOptions)}
        out["options"] = asdict(self.sampler_options())
        return out


@dataclass
class GenerateConfig(GenerationOptions):
    """What to generate from each row. Defaults are the paper's (s = 5 LintSeq samples)."""

    method: str = field(
        default="lintseq",
        metadata={"help": "lintseq (linter-guided) or random (the paper's RandSeq ablation)", "choices": METHODS},
    )

    def __post_init__(self) -> None:
        check_bounds(self)
        if self.method not in METHODS:
            raise ValueError(f"unknown method {self.method!r}; expected one of {METHODS}")
        self.language = resolve_language(self.language)
        self.linter_overrides()  # a bad pair fails here, naming it
        self.options = self.sampler_options()
        self.instruction_column = self.instruction_column or None
        if self.timeout is not None and self.timeout == 0:
            self.timeout = None


@dataclass
class RowResult:
    """One input row: its sampled sequences, or why it was skipped."""

    index: int
    key: str
    instruction: str
    program: str
    samples: list[list[str]] = field(default_factory=list)
    skip_reason: str | None = None
    detail: str = ""
    lint_calls: int = 0
    seconds: float = 0.0
    language: str = "python"
    language_column: bool = False
    """Whether the output rows carry ``language`` (:attr:`GenerateConfig.language_in_rows`)."""

    def records(self) -> list[dict[str, Any]]:
        """Output rows: one per sampled sequence, with TRL-ready prompt/completion texts."""
        return [
            self._record(f"{self.key}-{k}", k, edits, format_prompt(self.instruction), format_completion(edits))
            for k, edits in enumerate(self.samples)
        ]

    def instruct_record(self) -> dict[str, Any]:
        """The baseline ("instruct") row of this pair: ``instruction + "\\n"`` → ``program``."""
        return self._record(self.key, 0, [], format_instruct_prompt(self.instruction), self.program)

    def _record(self, row_id: str, sample_index: int, edits: list[str], prompt: str, completion: str) -> dict[str, Any]:
        record = {
            "id": row_id,
            "source_row": self.index,
            "sample_index": sample_index,
            "instruction": self.instruction,
            "program": self.program,
            "edits": edits,
            "prompt": prompt,
            "completion": completion,
        }
        if self.language_column:
            record["language"] = self.language
        return record


@dataclass
class GenerationReport:
    """Counts of what happened to every input row, and each dropped row with its reason."""

    rows_in: int = 0
    rows_out: int = 0
    sequences_out: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    dropped: list[dict[str, Any]] = field(default_factory=list)
    """One entry per dropped row: ``source_row``, ``reason``, ``detail``."""
    lint_calls: int = 0
    seconds: float = 0.0

    def add(self, result: RowResult) -> None:
        self.rows_in += 1
        self.lint_calls += result.lint_calls
        if result.skip_reason is None:
            self.rows_out += 1
            self.sequences_out += len(result.samples)
        else:
            self.add_drop(result.index, result.skip_reason, result.detail)

    def add_drop(self, source_row: int, reason: str, detail: str) -> None:
        """Record one dropped row (counted in ``rows_in`` by the caller)."""
        self.skipped[reason] = self.skipped.get(reason, 0) + 1
        self.dropped.append({"source_row": source_row, "reason": reason, "detail": detail})

    @property
    def rows_dropped(self) -> int:
        return sum(self.skipped.values())

    def merge(self, other: GenerationReport) -> None:
        """Add another part's counts (e.g. a shard of the same split) to this report."""
        self.rows_in += other.rows_in
        self.rows_out += other.rows_out
        self.sequences_out += other.sequences_out
        self.lint_calls += other.lint_calls
        self.seconds += other.seconds
        for reason, count in other.skipped.items():
            self.skipped[reason] = self.skipped.get(reason, 0) + count
        self.dropped.extend(other.dropped)
        self.dropped.sort(key=lambda d: d["source_row"])

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> GenerationReport:
        return cls(**{f.name: data[f.name] for f in fields(cls) if f.name in data})

    def examples(self, reason: str, limit: int = 3) -> list[dict[str, Any]]:
        """The first dropped rows for ``reason``."""
        return [d for d in self.dropped if d["reason"] == reason][:limit]

    def summary(self) -> str:
        lines = [
            f"rows in: {self.rows_in}",
            f"rows out: {self.rows_out}",
            f"sequences out: {self.sequences_out}",
            f"rows skipped: {self.rows_dropped}",
        ]
        for reason, count in sorted(self.skipped.items()):
            lines.append(f"  {reason}: {count} ({SKIP_REASONS.get(reason, reason)})")
            for drop in self.examples(reason):
                lines.append(f"    e.g. row {drop['source_row']}: {drop['detail']}")
        lines.append(f"linter calls: {self.lint_calls}  time: {self.seconds:.1f}s")
        return "\n".join(lines)


def row_key(instruction: str, code: str, language: str = "python") -> str:
    """Stable identity of a row: a hash of its instruction, code and language.

    A Python row hashes as it always has (instruction and code only), so Python ids and
    sequences stay those of the paper-format runs; any other language is hashed in, so the
    same text sampled as C, Rust and Java gets three ids (and three independent seeds).
    """
    text = f"{len(instruction)}:{instruction}\x00{code}"
    if language != "python":
        text = f"{language}\x00{text}"
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def sample_seed(seed: int, key: str, sample_index: int) -> int:
    """The 32-bit sampler seed of sample ``sample_index`` of the row ``key`` under ``seed``."""
    digest = hashlib.sha256(f"{seed}:{key}:{sample_index}".encode()).digest()
    return int.from_bytes(digest[:4], "little")


def _text_field(row: Mapping[str, Any], column: str | None) -> str:
    if column is None:
        return ""
    value = row.get(column)
    if value is None:
        return ""
    if isinstance(value, bytes):
        return decode_source(value, f"column {column!r}")
    return str(value)


def process_row(
    row: Mapping[str, Any] | UnreadableRow,
    index: int,
    config: GenerateConfig,
    *,
    sample: bool = True,
    presampled: Presampled | None = None,
) -> RowResult:
    """Sample ``config.num_samples`` edit sequences for one row, or say why it is skipped.

    Nothing in a row escapes as an exception: every failure becomes a skip reason of
    :data:`SKIP_REASONS`. ``sample=False`` runs only the extraction and checks (the
    ``instruct`` baseline keeps exactly the rows that would be sampled). ``presampled``: sequences
    :func:`presample` drew for this row among others (the same ones it would draw here).
    """
    if isinstance(row, UnreadableRow):
        return RowResult(index, "", "", "", skip_reason=row.reason, detail=row.detail)
    started = time.perf_counter()
    result = RowResult(index=index, key="", instruction="", program="")
    try:
        with time_limit(config.timeout):
            _fill(result, row, config, sample, presampled or {})
    except ProgramError as err:
        result.skip_reason, result.detail = err.reason, err.detail
    except LintBudgetExceeded as err:
        result.skip_reason, result.detail = "work_budget", f"sample {len(result.samples)}: {err}"
        result.lint_calls += err.lint_calls
    except ProgramTimeout:
        result.skip_reason, result.detail = "wall_timeout", f"longer than {config.timeout:g}s"
        reset_linter(config.linter)
    except Exception as err:  # noqa: BLE001  (a row must never stop a run: counted, with its detail)
        result.skip_reason, result.detail = "error", f"{type(err).__name__}: {err}"
        reset_linter(config.linter)
    if result.skip_reason is not None:
        result.samples = []
    result.seconds = time.perf_counter() - started
    return result


def _extract(result: RowResult, row: Mapping[str, Any], config: GenerateConfig) -> tuple[str, str]:
    """The row's checked program and its language (``result`` gets its text fields and key)."""
    if config.code_column not in row or row[config.code_column] is None:
        raise ProgramError("missing_code", f"no value in column {config.code_column!r}")
    raw = row[config.code_column]
    if not isinstance(raw, (str, bytes)):
        raise ProgramError("bad_type", f"column {config.code_column!r} holds {type(raw).__name__}, not text")
    code = decode_source(raw, f"column {config.code_column!r}")
    check_text(code, f"column {config.code_column!r}")
    instruction = _text_field(row, config.instruction_column)
    check_text(instruction, f"column {config.instruction_column!r}")
    code, instruction = normalize_newlines(code), normalize_newlines(instruction)
    result.instruction = instruction
    result.language_column = config.language_in_rows
    language = _row_language(row, config)
    result.language = language
    result.key = row_key(instruction, code, language)
    program = extract_code(code, language) if config.extract else code
    check_program(
        program, max_lines=config.max_program_lines, max_line_chars=config.max_line_chars, language=language
    )
    result.program = program.strip()
    return program, language


def _fill(result: RowResult, row: Mapping[str, Any], config: GenerateConfig, sample: bool,
          presampled: Presampled) -> None:
    program, language = _extract(result, row, config)
    options = config.sampler_options()
    if not sample:
        # the sampling arms' input check, so that the baseline keeps the same rows
        if language != "python":
            check_source(program, language, get_linter(config.row_linter(language)), options)
        return
    seeds = [sample_seed(config.seed, result.key, k) for k in range(config.num_samples)]
    if config.method == "lintseq" and language != "python":
        # the row's sequences in lockstep, their states linted together (one rustc call for many);
        # each outcome is the one it has alone, taken in order as the loop below takes them
        found = [presampled.get((language, program, seed)) for seed in seeds]
        outcomes = found if all(outcome is not None for outcome in found) else sample_edits_many(
            [(program, seed) for seed in seeds], linter=config.row_linter(language), options=options, language=language
        )
    for k, seed in enumerate(seeds):
        try:
            if config.method == "lintseq" and language != "python":
                outcome = outcomes[k]
                if isinstance(outcome, Exception):
                    raise outcome
                edits, trace = outcome
            else:
                edits, trace = sample_edits_traced(
                    program,
                    seed=seed,
                    method=config.method,
                    linter=config.row_linter(language),
                    options=options,
                    language=language,
                )
        except SamplingError as err:
            raise ProgramError("no_code", str(err)) from err
        result.lint_calls += trace.lint_calls
        result.samples.append(edits)


Presampled = Mapping[tuple[str, str, int], "tuple[list[str], SampleTrace] | Exception"]
"""(language, program, seed) -> what :func:`sample_edits_many` gave that sequence."""

ROWS_TOGETHER = 16
"""Rows whose sequences :func:`generate` samples together (:func:`presample`) where that can help."""


def presamples(config: GenerateConfig) -> bool:
    """Whether :func:`presample` samples anything for ``config``: LintSeq rows that may be in another
    language than Python, with no wall-clock guard (it times one row, and rows sampled together
    share their time)."""
    return config.method == "lintseq" and config.timeout is None and config.language_in_rows


def presample(rows: Sequence[tuple[int, Mapping[str, Any] | UnreadableRow]], config: GenerateConfig) -> Presampled:
    """The LintSeq sequences of the non-Python programs of many rows, sampled together
    (:func:`~lintseq_hf.core.sampler.sample_edits_many`), so that a compiler that checks many states
    in one call (rustc) gets them across rows. Each outcome is the one the row draws alone, so the
    rows come out the same; nothing here decides a row: a row that fails its checks, or every row of
    a language whose tool failed, is left to :func:`process_row`."""
    if not presamples(config):
        return {}
    jobs: dict[str, list[tuple[str, int]]] = {}
    for index, row in rows:
        if isinstance(row, UnreadableRow):
            continue
        scratch = RowResult(index=index, key="", instruction="", program="")
        try:
            program, language = _extract(scratch, row, config)
        except Exception:  # noqa: BLE001  (process_row gives this row its reason)
            continue
        if language != "python":
            seeds = (sample_seed(config.seed, scratch.key, k) for k in range(config.num_samples))
            jobs.setdefault(language, []).extend((program, seed) for seed in seeds)
    found: dict[tuple[str, str, int], tuple[list[str], SampleTrace] | Exception] = {}
    for language, pairs in jobs.items():
        unique = list(dict.fromkeys(pairs))
        try:
            outcomes = sample_edits_many(unique, linter=config.row_linter(language),
                                         options=config.sampler_options(), language=language)
        except Exception:  # noqa: BLE001  (a failed tool: its rows go one by one, each with its reason)
            continue
        found.update(((language, program, seed), outcome) for (program, seed), outcome in zip(unique, outcomes))
    return found


def process_rows(rows: Sequence[tuple[int, Mapping[str, Any] | UnreadableRow]], config: GenerateConfig) -> list[RowResult]:
    """:func:`process_row` of each ``(index, row)``, their sequences sampled together (:func:`presample`)."""
    presampled = presample(rows, config)
    return [process_row(row, index, config, presampled=presampled) for index, row in rows]


def _row_language(row: Mapping[str, Any], config: GenerateConfig) -> str:
    if not config.language_column:
        return config.language
    value = row.get(config.language_column)
    if not isinstance(value, str):
        raise ProgramError("unknown_language", f"column {config.language_column!r} holds {value!r}, not a language name")
    try:
        return resolve_language(value)
    except UnknownLanguageError as err:
        raise ProgramError("unknown_language", f"column {config.language_column!r}: {err}") from err


@contextlib.contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise :class:`ProgramTimeout` after ``seconds`` (main thread only; elsewhere no limit)."""
    if not seconds or threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def _expired(_signum: int, _frame: object) -> None:
        raise ProgramTimeout()

    previous = signal.signal(signal.SIGALRM, _expired)
    # re-fires every half second: an exception raised where Python cannot propagate it (a gc callback,
    # a finalizer) is reported as unraisable and lost, and the next one stops the row all the same
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.5)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


_WORKER_CONFIG: GenerateConfig | None = None


STOP_SIGNALS = frozenset({signal.SIGINT, signal.SIGTERM})
"""Held while the pool forks its workers and released by each worker once its own handlers are set."""


@contextlib.contextmanager
def _stop_signals_held() -> Iterator[None]:
    """Hold SIGINT and SIGTERM while the pool forks: a worker that got one before :func:`_init_worker`
    would run the caller's handler (Ray's driver raises SystemExit) and unwind out of the fork into
    the caller's own code, a second copy of the caller (seen under pytest-xdist). Held, the signal
    waits for the worker's own handlers (SIGTERM then ends it), or for the parent's after the fork."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _init_worker(config: GenerateConfig) -> None:
    global _WORKER_CONFIG
    _WORKER_CONFIG = config
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops the pool
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the pool stops workers with SIGTERM
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)  # held by the parent while it forked


def _work(items: list[tuple[int, Mapping[str, Any] | UnreadableRow]]) -> list[RowResult]:
    assert _WORKER_CONFIG is not None
    return process_rows(items, _WORKER_CONFIG)


def _chunks(items: Iterable[tuple[int, Mapping[str, Any] | UnreadableRow]], size: int
            ) -> Iterator[list[tuple[int, Mapping[str, Any] | UnreadableRow]]]:
    chunk: list[tuple[int, Mapping[str, Any] | UnreadableRow]] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def generate(
    rows: Iterable[Mapping[str, Any] | UnreadableRow],
    config: GenerateConfig,
    *,
    num_proc: int = 1,
    report: GenerationReport | None = None,
    progress: bool = True,
    total: int | None = None,
    first_index: int = 0,
) -> Iterator[RowResult]:
    """Process rows in input order with ``num_proc`` processes, updating ``report``.

    ``first_index`` is the source position of the first row (a resumed run starts past 0).

    :class:`~lintseq_hf.io.rows.UnreadableRow` items (rows the reader could not parse) become
    skipped rows, so that they are counted. No row's content can stop the run.
    """
    from tqdm.auto import tqdm

    report = report if report is not None else GenerationReport()
    started = time.perf_counter()
    # rows go ROWS_TOGETHER at a time where their sequences can be sampled together, else one by one
    chunks = _chunks(enumerate(rows, first_index), ROWS_TOGETHER if presamples(config) else 1)
    bar = tqdm(
        total=total, initial=first_index, desc="lintseq", unit="row", disable=not progress, file=sys.stderr
    )
    try:
        if num_proc <= 1:
            yield from _count((result for chunk in chunks for result in process_rows(chunk, config)), report, bar)
        else:
            # fork where the OS has it: workers start in milliseconds and need no importable
            # __main__ (spawn cannot re-import a script read from stdin).
            method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
            if method == "fork" and config.method == "lintseq":
                get_linter(config.row_linter(config.language))  # set up once here; the forked workers inherit it
            context = multiprocessing.get_context(method)
            with _stop_signals_held():
                pool = context.Pool(num_proc, initializer=_init_worker, initargs=(config,))
            with pool:
                yield from _count((result for done in pool.imap(_work, chunks, chunksize=1) for result in done),
                                  report, bar)
    finally:
        bar.close()
        report.seconds += time.perf_counter() - started


def _count(results: Iterable[RowResult], report: GenerationReport, bar: Any) -> Iterator[RowResult]:
    for result in results:
        report.add(result)
        bar.update(1)
        bar.set_postfix(seqs=report.sequences_out, skipped=report.rows_dropped, refresh=False)
        yield result
