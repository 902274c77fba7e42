"""Samples/s per language: our sandboxed scoring (``lintseq score``'s path) against the benchmark's own rule
(one plain subprocess compile + run per sample), on the same samples, in one run.

Samples: the fixture problems of tests/data (HumanEvalPack and MultiPL-E, in their schemas), each with its
honest completion, repeated ``--repeats`` times (copies differ by a comment line). Both sides use ``--workers`` parallel
workers and run twice per family in the order ours, plain, plain, ours (means reported), so that a load that
drifts during the run favours neither. ``ours`` includes starting the sandbox workers.
``compile_s``/``run_s`` are the mean seconds per sample spent compiling and running (ours: inside the
sandbox, as its workers measure them); ``cpu_s`` the CPU seconds per sample of every process each side
started (ours: workers and zygotes included), which a loaded machine disturbs less than wall time. A
ratio ``ours_over_plain`` >= 1 means the sandbox is at least as fast as the plain rule. Java:
``driver_build_s`` is the one-time build of the test driver and javac's archive
(lintseq_hf/evaluation/java_driver.py), timed cold in a scratch cache; ``ours`` uses the machine's cache.

    nice -n 10 python benchmarks/compiled_scoring.py --repeats 4 --workers 2 --out benchmarks/results/compiled_scoring.json
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from lintseq_hf.evaluation.assembly import assemble, plain_rule, run_plain
from lintseq_hf.evaluation.compiled import compiled_job, execute_compiled
from lintseq_hf.evaluation.java_driver import java_driver
from lintseq_hf.evaluation.problems import load_problems
from lintseq_hf.evaluation.scoring import score

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
FAMILIES = {
    "humanevalpack_cpp": DATA / "humanevalpack" / "cpp.jsonl", "humanevalpack_js": DATA / "humanevalpack" / "js.jsonl",
    "humanevalpack_java": DATA / "humanevalpack" / "java.jsonl",
    "humanevalpack_rust": DATA / "humanevalpack" / "rust.jsonl",
    "multiple_cpp": DATA / "multiple" / "humaneval-cpp.jsonl", "multiple_js": DATA / "multiple" / "humaneval-js.jsonl",
    "multiple_ts": DATA / "multiple" / "humaneval-ts.jsonl", "multiple_java": DATA / "multiple" / "humaneval-java.jsonl",
    "multiple_rs": DATA / "multiple" / "humaneval-rs.jsonl",
}


def samples_for(family: str, repeats: int) -> tuple[list, list[dict]]:
    problems = load_problems(family, FAMILIES[family])
    solutions = json.loads((DATA / "multiple" / "solutions.json").read_text())["completions"]
    samples = []
    for copy in range(repeats):
        for problem in problems:
            if problem.benchmark == "humanevalpack":
                honest = problem.canonical_solution
            else:
                honest = solutions[family.removeprefix("multiple_")][problem.task_id]
            samples.append({"task_id": problem.task_id, "completion": f"// copy {copy}\n{honest}"})
    return problems, samples


def measure(family: str, repeats: int, workers: int) -> dict:
    problems, samples = samples_for(family, repeats)
    by_id = {p.task_id: p for p in problems}
    rules = [plain_rule(by_id[s["task_id"]], assemble(by_id[s["task_id"]], s["completion"], "completion"))
             for s in samples]

    def run_ours() -> list:
        return score(problems, samples, mode="completion", ks=[1], workers=workers)[1]

    def run_theirs() -> list:
        with ThreadPoolExecutor(workers) as pool:
            return list(pool.map(run_plain, rules))

    driver_build = _cold_driver_build(rules[0].compile[0][0]) if problems[0].language == "java" else None
    # ABBA order: a machine whose load drifts during the run favours neither side
    (first_ours, first_ours_cpu), results = _timed(run_ours)
    (first_plain, first_plain_cpu), plain = _timed(run_theirs)
    (second_plain, second_plain_cpu), _ = _timed(run_theirs)
    (second_ours, second_ours_cpu), _ = _timed(run_ours)
    ours, plain_seconds = (first_ours + second_ours) / 2, (first_plain + second_plain) / 2
    jobs = [compiled_job(by_id[s["task_id"]], s["completion"], "completion")[1] for s in samples]
    timed = execute_compiled(jobs, [by_id[s["task_id"]].language for s in samples], workers=workers)
    agree = sum(r.passed == p.passed for r, p in zip(results, plain))
    n = len(samples)
    return {
        "family": family, "samples": n, "passed_ours": sum(r.passed for r in results),
        "passed_plain": sum(p.passed for p in plain), "agree": agree,
        "ours_samples_per_s": round(n / ours, 3), "plain_samples_per_s": round(n / plain_seconds, 3),
        "ours_over_plain": round(plain_seconds / ours, 3),
        "ours_compile_s": round(sum(t.compile_seconds for t in timed) / n, 3),
        "ours_run_s": round(sum(t.run_seconds for t in timed) / n, 3),
        "plain_compile_s": round(sum(p.compile_seconds for p in plain) / n, 3),
        "plain_run_s": round(sum(p.run_seconds for p in plain) / n, 3),
        "ours_cpu_s": round((first_ours_cpu + second_ours_cpu) / 2 / n, 3),
        "plain_cpu_s": round((first_plain_cpu + second_plain_cpu) / 2 / n, 3),
        **({"driver_build_s": round(driver_build, 3)} if driver_build is not None else {}),
    }


def _timed(function) -> tuple[tuple[float, float], object]:
    """((wall seconds, CPU seconds of the processes it started and waited for), its result)."""
    before, start = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    result = function()
    seconds, after = time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN)
    return (seconds, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime), result


def _cold_driver_build(javac: str) -> float:
    """Seconds to build the Java test driver and javac's archive from nothing (in a scratch cache)."""
    saved = os.environ.get("XDG_CACHE_HOME")
    with tempfile.TemporaryDirectory() as scratch:
        os.environ["XDG_CACHE_HOME"] = scratch
        try:
            start = time.perf_counter()
            java_driver.__wrapped__(javac)
            return time.perf_counter() - start
        finally:
            if saved is None:
                del os.environ["XDG_CACHE_HOME"]
            else:
                os.environ["XDG_CACHE_HOME"] = saved


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--families", nargs="*", default=list(FAMILIES))
    parser.add_argument("--out", default=None, help="write the rows as JSON here too")
    args = parser.parse_args()
    rows, load_before = [], os.getloadavg()[0]
    for family in args.families:
        row = measure(family, args.repeats, args.workers)
        rows.append(row)
        print(json.dumps(row), flush=True)
    if args.out:
        report = {"machine": f"{platform.machine()}, {os.cpu_count()} cores, loadavg {load_before:.1f} before, "
                             f"{os.getloadavg()[0]:.1f} after",
                  "workers": args.workers, "repeats": args.repeats, "rows": rows}
        Path(args.out).write_text(json.dumps(report, indent=1) + "\n")


if __name__ == "__main__":
    main()
