"""LintSeq generation speed, memory and faithfulness: the authors' pylintseq vs our backends.

One command runs, on the same programs and seeds, each in a fresh process:

* ``pylintseq``: the authors' PyPI package (0.0.2), called as their generation script calls it
  (``np.random.seed(s)``, ``lintseq_backward_sampling_pythonic(p, children_per_round=1,
  top_k=1, max_population_size=1, max_depth=512, indent_bias_sampling_factor=1, ...)``, then
  ``inflate_edit_path`` for the diffs);
* ``pylint``: ``lintseq_hf.sample_edits_traced(p, seed=s)`` (default backend; also the diffs);
* ``fast``: the same with ``linter="fast"``.

Corpora (``--source``, default ``humaneval,realcode``): HumanEval (prompt + canonical solution)
and the real-code corpus of benchmarks/corpus.py (every top-level function/class of the
``algorithms`` package and 300 of the standard library, with the imports each one uses).
Each backend runs in a fresh process, twice over the programs: a cold pass (timed from before
the backend is imported) and a steady pass (other seeds, memo emptied).

It prints per backend, by wall clock and by the process's CPU time (which other processes on a
shared machine do not inflate): cold seconds, steady programs/s, s/program (median, p90), linter calls/program, the
distribution of edits/program, peak RSS and RSS growth, the speed ratio to pylintseq, the
agreement of the fast linter with the pylint backend on every state the pylint backend
linted (with the classes of disagreement), and two-sample KS tests of edits/program and
lines/edit against pylintseq. Optional: a long memory run (``--memory-programs``) and the
``--num-proc`` scaling of ``lintseq generate`` run in a fresh process (``--scale-rows``).

    python benchmarks/generation.py                       # HumanEval (164) and real code (955)
    python benchmarks/generation.py --source realcode --backends pylintseq,pylint
    python benchmarks/generation.py --limit 40 --repeats 2
    python benchmarks/generation.py --input data.jsonl --code-column response
    python benchmarks/generation.py --memory-programs 5000 --scale-rows 164 --num-proc 2

Ratios, not absolute times, are the figures to compare across machines.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import corpus  # benchmarks/corpus.py, beside this script

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")

AUTHORS_KWARGS = dict(
    children_per_round=1,
    top_k=1,
    max_population_size=1,
    max_depth=512,
    indent_bias_sampling_factor=1,
    ignore_imports=False,
    ignore_comments=True,
    ignore_global_defs=True,
    ignore_init_errors=False,
)
BACKENDS = ("pylintseq", "pylint", "fast")
CORPORA = {
    "algorithms": corpus.algorithms_programs,
    "stdlib": corpus.stdlib_programs,
    "realcode": corpus.real_code_programs,
}
"""Built-in real-code corpora (benchmarks/corpus.py), besides ``humaneval``."""


# -- inputs ------------------------------------------------------------------------------
def load_programs(path: str | None, code_column: str, limit: int | None, source: str = "humaneval") -> list[str]:
    """HumanEval prompt + canonical solution, a real-code corpus of :data:`CORPORA`, or the code
    column of a jsonl file (programs that fail ``check_program`` are left out and counted)."""
    from lintseq_hf.core.programs import ProgramError, check_program, extract_code

    if path is None and source in CORPORA:
        raw = CORPORA[source]()
    elif path is None:
        from lintseq_hf.io.humaneval import humaneval_pairs

        raw = [pair["response"] for pair in humaneval_pairs()]
    else:
        raw = []
        with open(path, encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                row = json.loads(line)
                if code_column not in row:
                    raise KeyError(f"{path}:{number}: no column {code_column!r}")
                raw.append(str(row[code_column]))
    programs: list[str] = []
    skipped: Counter = Counter()
    for text in raw:
        program = extract_code(text)
        try:
            check_program(program)
        except ProgramError as err:
            skipped[err.reason] += 1
            continue
        programs.append(program)
        if limit is not None and len(programs) >= limit:
            break
    if skipped:
        print(f"left out {sum(skipped.values())} programs: {dict(skipped)}", file=sys.stderr)
    return programs


# -- one backend, in its own process -----------------------------------------------------------
def _rss() -> int:
    import psutil

    return psutil.Process().memory_info().rss


STEADY_SEED_SHIFT = 500_009
"""Seeds of the steady-state pass: the cold pass's plus this (other sequences, same programs)."""


def run_backend(backend: str, jobs: list[tuple[str, int]], record_states: bool) -> dict[str, Any]:
    """Two passes over ``jobs`` in this (fresh) process, one sequence per (program, seed).

    * cold: from before the backend is imported to the end of the first pass (imports, set-up
      and every first-time cache fill, e.g. astroid building the standard-library modules a
      program imports), as a user's first ``lintseq generate`` pays it;
    * steady: a second pass over the same programs with other seeds (``STEADY_SEED_SHIFT``)
      after our verdict memo is emptied, so no state is answered from the first pass.

    Per-program time, linter calls and steps are those of the steady pass.
    """
    import numpy as np  # both sides use it; not part of either's start-up

    rss_start = _rss()
    cold_started = time.perf_counter()
    cold_cpu_started = time.process_time()
    cold: list[float] = []
    seconds: list[float] = []
    cpu: list[float] = []
    calls: list[int] = []
    steps: list[list[int]] = []
    states: dict[str, list[int]] = {}
    rss_after_cold = 0
    steady_jobs = [(program, seed + STEADY_SEED_SHIFT) for program, seed in jobs]
    if backend == "pylintseq":
        from pylintseq import utils as authors

        os.chdir(tempfile.mkdtemp(prefix="pylintseq-bench-"))  # pylint reads rc files from the cwd
        counted = [0]
        original = authors.file_linter

        def counting_linter(*args: Any, **kwargs: Any) -> Any:
            counted[0] += 1
            return original(*args, **kwargs)

        authors.file_linter = counting_linter

        def one(program: str, seed: int) -> tuple[int, list[int]]:
            # one sequence as their generate.py makes it: backward sampling, then the diffs
            counted[0] = 0
            np.random.seed(seed)
            population = authors.lintseq_backward_sampling_pythonic(program, **AUTHORS_KWARGS)
            if not population:
                return counted[0], []
            authors.inflate_edit_path(program, population[0][0])
            return counted[0], _new_lines_per_step(population[0][0])

        reset = None
    else:
        from lintseq_hf.core.sampler import sample_edits_traced
        from lintseq_hf.lint.registry import get_linter

        linter = get_linter(backend)
        recording = [False]

        class Recording:
            name = backend

            def lint(self, text: str) -> Any:
                errors = linter.lint(text)
                if recording[0]:
                    states[text] = sorted({e.line for e in errors})
                return errors

        use = Recording() if record_states else linter

        def one(program: str, seed: int) -> tuple[int, list[int]]:
            _, trace = sample_edits_traced(program, seed=seed, linter=use)
            return trace.lint_calls, [len(step) for step in trace.steps]

        def reset() -> None:
            linter.cache.data.clear()
            recording[0] = True

    for program, seed in jobs:
        started = time.perf_counter()
        one(program, seed)
        cold.append(time.perf_counter() - started)
    cold_seconds = time.perf_counter() - cold_started
    cold_cpu_seconds = time.process_time() - cold_cpu_started
    rss_after_cold = _rss()
    if reset is not None:
        reset()
    for program, seed in steady_jobs:
        started, cpu_started = time.perf_counter(), time.process_time()
        count, sizes = one(program, seed)
        seconds.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
        calls.append(count)
        steps.append(sizes)
    return {
        "backend": backend,
        "cold_seconds": cold_seconds,
        "cold_cpu_seconds": cold_cpu_seconds,
        "cold": cold,
        "cpu": cpu,
        "seconds": seconds,
        "calls": calls,
        "steps": steps,
        "rss_start": rss_start,
        "rss_after_first": rss_after_cold,
        "rss_end": _rss(),
        "peak_rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "states": states,
    }


def _new_lines_per_step(sequence: list[list[int]]) -> list[int]:
    """Lines each step deletes for the first time (the authors' steps also list block children
    that an earlier step already deleted)."""
    seen: set[int] = set()
    sizes = []
    for step in sequence:
        fresh = set(step) - seen
        sizes.append(len(fresh))
        seen |= fresh
    return sizes


def memory_run(jobs: list[tuple[str, int]], every: int) -> dict[str, Any]:
    """RSS of the pylint backend along a long run (after the first ``every`` programs as base)."""
    from lintseq_hf.core.sampler import sample_edits_traced

    points: list[tuple[int, int]] = []
    started = time.perf_counter()
    for index, (program, seed) in enumerate(jobs, 1):
        sample_edits_traced(program, seed=seed)
        if index % every == 0 or index == len(jobs):
            points.append((index, _rss()))
    return {
        "points": points,
        "seconds": time.perf_counter() - started,
        "peak_rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
    }


def scale_run(programs: list[str], num_proc: int, linter: str, samples: int) -> dict[str, Any]:
    """Rows/s of ``lintseq generate --num-proc N`` run as a user runs it: a fresh process on a
    jsonl file, wall clock from start to exit (interpreter and pool start-up included)."""
    import subprocess

    with tempfile.TemporaryDirectory(prefix="lintseq-scale-") as tmp:
        source = Path(tmp) / "rows.jsonl"
        with open(source, "w", encoding="utf-8") as handle:
            for i, program in enumerate(programs):
                handle.write(json.dumps({"instruction": f"task {i}", "response": program}) + "\n")
        command = [sys.executable, "-m", "lintseq_hf.cli", "generate", "--input", str(source),
                   "--output", str(Path(tmp) / "out.jsonl"), "--num-samples", str(samples),
                   "--num-proc", str(num_proc), "--linter", linter, "--no-progress"]
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        seconds = time.perf_counter() - started
        report = json.loads((Path(tmp) / "out.report.json").read_text())
    return {
        "num_proc": num_proc,
        "rows": report["rows_out"],
        "seconds": seconds,
        "rows_per_s": report["rows_out"] / seconds,
        "steady_rows_per_s": report["rows_out"] / report["seconds"] if report["seconds"] else 0.0,
    }


def _spin(seconds: float) -> int:
    """Pure-Python busy work for ``seconds``; returns the number of iterations done."""
    end = time.perf_counter() + seconds
    count = 0
    while time.perf_counter() < end:
        for _ in range(1000):
            count += 1
    return count


def parallel_capacity(processes: int, seconds: float = 3.0) -> float:
    """How many cores' worth of pure-Python work ``processes`` busy processes get right now
    (relative to one process alone): the ceiling for any ``--num-proc`` speed-up here."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        alone = pool.submit(_spin, seconds).result()
    with ProcessPoolExecutor(max_workers=processes, mp_context=context) as pool:
        together = sum(f.result() for f in [pool.submit(_spin, seconds) for _ in range(processes)])
    return together / alone


def _load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def _in_fresh_process(function: Any, *args: Any) -> Any:
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(function, *args).result()


# -- report ------------------------------------------------------------------------------------
def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def summarize(result: dict[str, Any]) -> dict[str, Any]:
    seconds = result["seconds"]
    edits = [len(s) for s in result["steps"]]
    return {
        "programs": len(seconds),
        "cold_seconds": result["cold_seconds"],
        "cold_programs_per_s": len(result["cold"]) / result["cold_seconds"],
        "cold_cpu_seconds": result["cold_cpu_seconds"],
        "programs_per_s": len(seconds) / sum(seconds),
        "programs_per_cpu_s": len(seconds) / sum(result["cpu"]),
        "s_per_program_median": statistics.median(seconds),
        "s_per_program_p90": _quantile(seconds, 0.9),
        "linter_calls_per_program": sum(result["calls"]) / len(seconds),
        "edits_per_program": {
            "mean": statistics.mean(edits),
            "min": min(edits),
            "p10": _quantile(edits, 0.1),
            "median": statistics.median(edits),
            "p90": _quantile(edits, 0.9),
            "max": max(edits),
        },
        "peak_rss_mb": result["peak_rss"] / 2**20,
        "rss_growth_mb": (result["rss_end"] - result["rss_after_first"]) / 2**20,
    }


def agreement(states: dict[str, list[int]]) -> dict[str, Any]:
    """Fast linter vs the pylint backend on every state the pylint backend linted."""
    from lintseq_hf.lint.python.fast import lint_text
    from lintseq_hf.lint.python.pylint_backend import PylintLinter

    reference = PylintLinter(cache_size=0)
    classes: Counter = Counter()
    parseable = agree_parseable = 0
    for text, lines in states.items():
        ours = lint_text(text)
        parse_failed = any(e.msg_id == "E0001" for e in ours)
        parseable += not parse_failed
        if sorted({e.line for e in ours}) == lines:
            agree_parseable += not parse_failed
            continue
        theirs = reference.lint(text)
        ours_lines, their_lines = {e.line for e in ours}, {e.line for e in theirs}
        missed = sorted({e.msg_id for e in theirs if e.line not in ours_lines})
        extra = sorted({e.msg_id for e in ours if e.line not in their_lines})
        classes[f"pylint only: {','.join(missed) or '-'} / fast only: {','.join(extra) or '-'}"] += 1
    total = len(states)
    return {
        "states": total,
        "agreement": 1 - sum(classes.values()) / total if total else float("nan"),
        "parseable_states": parseable,
        "agreement_parseable": agree_parseable / parseable if parseable else float("nan"),
        "disagreements": classes.most_common(),
    }


def ks(ours: dict[str, Any], theirs: dict[str, Any]) -> dict[str, float]:
    from scipy.stats import ks_2samp

    edits = ks_2samp([len(s) for s in ours["steps"]], [len(s) for s in theirs["steps"]])
    lines = ks_2samp([n for s in ours["steps"] for n in s], [n for s in theirs["steps"] for n in s])
    same = sum(a == b for a, b in zip(ours["steps"], theirs["steps"])) / max(1, len(ours["steps"]))
    return {
        "edits_per_program_D": float(edits.statistic),
        "edits_per_program_p": float(edits.pvalue),
        "lines_per_edit_D": float(lines.statistic),
        "lines_per_edit_p": float(lines.pvalue),
        "identical_step_sizes": same,
    }


def compare(programs: list[str], backends: list[str], repeats: int, seed: int, label: str) -> dict[str, Any]:
    """Every backend in a fresh process on ``programs``: the cold/steady table, faithfulness
    against pylintseq and the fast linter's agreement with the pylint backend."""
    # program-major, as lintseq_hf.dataset.transform runs the samples of a row one after another
    jobs = [(p, seed + 1_000_003 * r + i) for i, p in enumerate(programs) for r in range(repeats)]
    print(f"\n== {label}: {len(programs)} programs x {repeats} seed(s) = {len(jobs)} sequences per backend and pass ==")
    raw: dict[str, dict[str, Any]] = {}
    for backend in backends:
        raw[backend] = _in_fresh_process(run_backend, backend, jobs, backend == "pylint" and "fast" in backends)
    summaries = {b: summarize(r) for b, r in raw.items()}
    base = summaries.get("pylintseq")

    print(
        f"{'backend':<10} {'cold s':>8} {'x':>6} {'cold cpu s':>10} {'x':>6} {'steady prog/s':>13} {'x':>6} "
        f"{'prog/cpu-s':>10} {'x':>6} {'median s':>9} {'p90 s':>8} {'calls/prog':>10} {'edits/prog (p10/med/p90)':>25} "
        f"{'peak RSS MB':>11} {'RSS growth MB':>13}"
    )
    for backend, s in summaries.items():
        nan = float("nan")
        s["cold_ratio_vs_pylintseq"] = base["cold_seconds"] / s["cold_seconds"] if base else nan
        s["cold_cpu_ratio_vs_pylintseq"] = base["cold_cpu_seconds"] / s["cold_cpu_seconds"] if base else nan
        s["speed_ratio_vs_pylintseq"] = s["programs_per_s"] / base["programs_per_s"] if base else nan
        s["cpu_speed_ratio_vs_pylintseq"] = s["programs_per_cpu_s"] / base["programs_per_cpu_s"] if base else nan
        e = s["edits_per_program"]
        spread = f"{e['p10']}/{e['median']}/{e['p90']} (mean {e['mean']:.1f})"
        print(
            f"{backend:<10} {s['cold_seconds']:>8.2f} {s['cold_ratio_vs_pylintseq']:>6.1f} {s['cold_cpu_seconds']:>10.2f} "
            f"{s['cold_cpu_ratio_vs_pylintseq']:>6.1f} {s['programs_per_s']:>13.2f} {s['speed_ratio_vs_pylintseq']:>6.1f} "
            f"{s['programs_per_cpu_s']:>10.2f} {s['cpu_speed_ratio_vs_pylintseq']:>6.1f} "
            f"{s['s_per_program_median']:>9.4f} {s['s_per_program_p90']:>8.4f} {s['linter_calls_per_program']:>10.2f} "
            f"{spread:>25} {s['peak_rss_mb']:>11.0f} {s['rss_growth_mb']:>13.1f}"
        )
    print(
        "cold: fresh process, imports + set-up + first pass; steady: second pass, other seeds, our memo emptied; "
        "x = speed relative to pylintseq, by wall clock and by this process's CPU time (robust to other load)"
    )
    figures: dict[str, Any] = {"programs": len(programs), "repeats": repeats, "backends": summaries}

    if "pylintseq" in raw:
        print("faithfulness vs pylintseq, steady pass (two-sample KS; p > 0.05 = indistinguishable):")
        for backend in raw:
            if backend == "pylintseq":
                continue
            test = ks(raw[backend], raw["pylintseq"])
            figures.setdefault("ks", {})[backend] = test
            print(
                f"  {backend:<8} edits/program D={test['edits_per_program_D']:.3f} p={test['edits_per_program_p']:.3f}; "
                f"lines/edit D={test['lines_per_edit_D']:.3f} p={test['lines_per_edit_p']:.3f}; "
                f"identical step sizes on {100 * test['identical_step_sizes']:.1f}% of programs"
            )

    if raw.get("pylint", {}).get("states"):
        agree = agreement(raw["pylint"]["states"])
        figures["fast_vs_pylint"] = agree
        print(
            f"fast vs pylint verdicts (same flagged lines) on the {agree['states']} states the pylint backend linted: "
            f"{100 * agree['agreement']:.2f}% ({100 * agree['agreement_parseable']:.2f}% of the {agree['parseable_states']} that parse)"
        )
        for label_, count in agree["disagreements"][:12]:
            print(f"  {count:>5}  {label_}")
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--input", help="jsonl file of programs (default: HumanEval)")
    parser.add_argument("--code-column", default="response", help="jsonl column holding the code")
    parser.add_argument(
        "--source", default="humaneval,realcode",
        help="comma-separated built-in corpora when no --input: humaneval, " + ", ".join(CORPORA)
        + " (realcode = every algorithms program + 300 standard-library ones)",
    )
    parser.add_argument("--limit", type=int, default=None, help="use the first N programs")
    parser.add_argument("--repeats", type=int, default=1, help="sequences (seeds) per program, sampled one after another")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--backends", default=",".join(BACKENDS), help="comma-separated subset of " + ",".join(BACKENDS))
    parser.add_argument("--memory-programs", type=int, default=0, help="also run the pylint backend over N programs and report RSS growth")
    parser.add_argument("--scale-rows", type=int, default=0, help="also time `lintseq generate` over N rows with 1 and --num-proc processes")
    parser.add_argument("--num-proc", type=int, default=2)
    parser.add_argument("--scale-samples", type=int, default=5, help="sequences per row in the scaling run")
    parser.add_argument("--scale-rounds", type=int, default=2, help="alternating 1-process / --num-proc runs (the machine may be shared)")
    parser.add_argument("--json", help="also write every figure to this file")
    args = parser.parse_args(argv)

    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    unknown = set(backends) - set(BACKENDS)
    if unknown:
        parser.error(f"unknown backends {sorted(unknown)}; known: {BACKENDS}")
    sources = [None] if args.input else [s.strip() for s in args.source.split(",") if s.strip()]
    bad = [s for s in sources if s is not None and s != "humaneval" and s not in CORPORA]
    if bad:
        parser.error(f"unknown --source {bad}; known: humaneval, {', '.join(CORPORA)}")
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, load average {_load()} (other processes compete for the cores)"
    )
    figures: dict[str, Any] = {}
    programs: list[str] = []
    for source in sources:
        programs = load_programs(args.input, args.code_column, args.limit, source or "humaneval")
        figures[source or args.input] = compare(programs, backends, args.repeats, args.seed, source or args.input)

    if args.memory_programs:
        pool = programs * (args.memory_programs // len(programs) + 1)
        memory_jobs = [(p, args.seed + 7 * i + 1) for i, p in enumerate(pool[: args.memory_programs])]
        every = max(1, args.memory_programs // 10)
        memory = _in_fresh_process(memory_run, memory_jobs, every)
        base_rss = memory["points"][0][1]
        growth = (memory["points"][-1][1] - base_rss) / 2**20
        memory["rss_growth_mb"] = growth
        figures["memory"] = memory
        print(f"\nmemory, pylint backend, {args.memory_programs} programs ({memory['seconds']:.0f}s): RSS growth {growth:.1f} MB after the first {every} programs")
        print("  " + ", ".join(f"{n}: {rss / 2**20:.0f} MB" for n, rss in memory["points"]))

    if args.scale_rows:
        rows = (programs * (args.scale_rows // len(programs) + 1))[: args.scale_rows]
        # distinct rows (the instruction differs) so no row is a repeat of another
        print(f"\nscaling, `lintseq generate` in a fresh process, pylint backend, {len(rows)} rows x {args.scale_samples} samples (pool start-up included):")
        rounds = []
        for round_index in range(args.scale_rounds):
            # each run in a fresh process: no linter memo carries over from an earlier run
            one = _in_fresh_process(scale_run, rows, 1, "pylint", args.scale_samples)
            many = _in_fresh_process(scale_run, rows, args.num_proc, "pylint", args.scale_samples)
            ratio = many["rows_per_s"] / one["rows_per_s"]
            rounds.append({"one": one, "many": many, "ratio": ratio, "load": _load()})
            print(
                f"  round {round_index + 1}: 1 process {one['rows_per_s']:.2f} rows/s, {args.num_proc} processes "
                f"{many['rows_per_s']:.2f} rows/s = {ratio:.2f}x (load average {_load()})"
            )
        best_one = max(r["one"]["rows_per_s"] for r in rounds)
        best_many = max(r["many"]["rows_per_s"] for r in rounds)
        capacity = parallel_capacity(args.num_proc)
        figures["scale"] = {"rounds": rounds, "best_ratio": best_many / best_one, "machine_capacity": capacity}
        print(f"  best of {len(rounds)}: {best_many / best_one:.2f}x")
        print(
            f"  control: {args.num_proc} busy pure-Python processes get {capacity:.2f}x the work of one right now "
            f"(other processes share the cores); generate reaches {best_many / best_one / capacity:.0%} of that"
        )

    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(figures, handle, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
