"""What one state costs the compiler at best, against what the 10x target allows it.

The target of docs/performance.md is 10x the programs/s of the one-process-per-state reference
(``gcc-reference``, ``rustc-reference``), so a state may cost a tenth of a reference state, sampler
included. This measures the compiler's own share with nothing else around it, on the programs of
``benchmarks/languages.py``:

- C: libclang reparsing warm translation units (the program's preamble built beforehand, the
  worker process's own CPU read from ``/proc``), for the states the sampler asks about (five
  sequences per program), and for each program's header block with one declaration: the part of a
  state's cost that checking many states in one unit could save is the latter;
- Rust: rustc checking clean programs in full batches (:data:`~lintseq_hf.lint.compilers.rustc_batch.MAX_BATCH`),
  no re-checks, against the reference on the same states.

    nice -n 10 python benchmarks/compiler_floor.py --output out.json
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
from typing import Any

from benchmarks.languages import Recorder, cpu_per_state, programs
from lintseq_hf.core.sampler import sample_edits_many
from lintseq_hf.lint.compilers.libclang import LibclangLinter
from lintseq_hf.lint.compilers.libclang_worker import header_block
from lintseq_hf.lint.compilers.rustc_batch import MAX_BATCH

SEEDS = 5
"""Sequences per program, as benchmarks/languages.py measures them."""

VARIANTS = 20
"""C: distinct texts per program (the program with 1..VARIANTS blank lines after it): the verdict
cache would answer a repeated text without the compiler."""

RUST_VARIANTS = 5
"""Rust: the same, fewer (a reference state costs about 30 ms)."""


def _process_cpu(pid: int) -> float:
    """User + system CPU seconds of a live process."""
    fields = Path(f"/proc/{pid}/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _warm_reparse_ms(states: list[list[str]]) -> dict[str, float]:
    """libclang worker and caller CPU ms per state, each list's first text checked first (its
    preamble built) and not counted."""
    linter = LibclangLinter()
    try:
        for group in states:
            linter.lint(group[0])
        pid = linter.worker._process.pid  # noqa: SLF001  (the worker's own CPU, preamble builds excluded)
        ours, worker = os.times(), _process_cpu(pid)
        for group in states:
            for text in group[1:]:
                linter.lint(text)
        ours_after, worker_after = os.times(), _process_cpu(pid)
    finally:
        linter.close()
    count = sum(len(group) - 1 for group in states)
    return {"worker": (worker_after - worker) / count * 1000,
            "caller": (ours_after.user + ours_after.system - ours.user - ours.system) / count * 1000}


def c_floor(count: int) -> dict[str, Any]:
    """C: the reference's CPU per state, libclang's warm reparse per sampled state and per header
    block with one line."""
    chosen = programs("c", count)
    sampled = []
    for index, program in enumerate(chosen):
        recorder = Recorder(LibclangLinter())
        sample_edits_many([(program, seed) for seed in range(index, index + SEEDS)], language="c", linter=recorder)  # type: ignore[arg-type]
        recorder.linter.close()
        sampled.append([program] + [text for text in recorder.states if text != program])
    minimal = []
    for program in chosen:
        head, _ = header_block(program)
        minimal.append([program] + [head + "\n" * k + "\nint lintseq_floor;" for k in range(1, VARIANTS + 1)])
    states = [text for group in sampled for text in group[1:]]
    reference = cpu_per_state("gcc-reference", states)
    return {"language": "c", "programs": len(chosen),
            "states": len(states), "mean_state_lines": sum(t.count("\n") + 1 for t in states) / len(states),
            "reference_cpu_ms_per_state": reference, "target_cpu_ms_per_state": reference / 10,
            "libclang_sampled_states_ms": _warm_reparse_ms(sampled),
            "libclang_headers_and_one_line_ms": _warm_reparse_ms(minimal)}


def rust_floor(count: int) -> dict[str, Any]:
    """Rust: rustc's CPU per clean state in full batches against the reference's, the same states."""
    chosen = programs("rust", count)
    states = [program + "\n" * k for k in range(1, RUST_VARIANTS + 1) for program in chosen]
    reference = cpu_per_state("rustc-reference", states)
    return {"language": "rust", "programs": len(chosen), "states": len(states), "batch": MAX_BATCH,
            "reference_cpu_ms_per_state": reference, "target_cpu_ms_per_state": reference / 10,
            "rustc_full_batches_cpu_ms_per_state": cpu_per_state("rustc", states, group=MAX_BATCH)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--programs", type=int, default=20, help="shortest real test programs per language")
    parser.add_argument("--output", help="write the results as JSON here")
    args = parser.parse_args(argv)
    results = {"command": "python benchmarks/compiler_floor.py --programs %d" % args.programs,
               "load_average_before": os.getloadavg(),
               "results": [c_floor(args.programs), rust_floor(args.programs)]}
    results["load_average_after"] = os.getloadavg()
    text = json.dumps(results, indent=1)
    print(text)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as out:
            out.write(text + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
