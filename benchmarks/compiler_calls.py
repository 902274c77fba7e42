"""Per-call cost of the C, C++ and Rust compiler backends: the one-process-per-state reference
and two faster backends, side by side in one run, with their verdict agreement per state.

It samples the programs of ``benchmarks/languages.py`` (the shortest real test programs) with
each linter in turn (the order rotating per program, so load on the machine hits all alike),
checks every state any of them saw with all of them, and replays the states with fresh linters
to count CPU time (ours and the compilers') per state.

    nice -n 10 python benchmarks/compiler_calls.py --language cpp --linters g++-reference g++ g++-fork
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

from benchmarks.languages import Recorder, cpu_per_state, programs
from lintseq_hf.core.sampler import sample_edits
from lintseq_hf.lint.registry import get_linter


def measure(language: str, names: list[str], count: int, replays: int) -> dict[str, Any]:
    """Programs/s, CPU ms per state and agreement with ``names[0]`` (the reference) per linter."""
    recorders = [Recorder(get_linter(name)) for name in names]
    chosen = programs(language, count)
    seconds = dict.fromkeys(names, 0.0)
    same = dict.fromkeys(names, 0)
    for index, program in enumerate(chosen):
        outputs = {}
        for recorder in recorders[index % len(names):] + recorders[:index % len(names)]:
            start = time.perf_counter()
            outputs[recorder.name] = sample_edits(program, seed=index, language=language, linter=recorder)  # type: ignore[arg-type]
            seconds[recorder.name] += time.perf_counter() - start
        for name in names:
            same[name] += outputs[name] == outputs[names[0]]
    states = sorted(set().union(*(recorder.states for recorder in recorders)))
    verdicts = {recorder.name: [recorder.linter.lint(text) for text in states] for recorder in recorders}
    differences = {name: [{"state": text, "reference": [e.__dict__ for e in theirs], "new": [e.__dict__ for e in ours]}
                          for text, theirs, ours in zip(states, verdicts[names[0]], verdicts[name]) if theirs != ours]
                   for name in names[1:]}
    cpu: dict[str, list[float]] = {name: [] for name in names}
    for _ in range(replays):  # alternating, so that a change of load hits every linter
        for name in names:
            cpu[name].append(cpu_per_state(name, states))
    return {
        "language": language,
        "programs": len(chosen),
        "states": len(states),
        "programs_per_s": {name: len(chosen) / seconds[name] for name in names},
        "cpu_ms_per_state": {name: sum(values) / len(values) for name, values in cpu.items()},
        "cpu_ms_per_state_runs": cpu,
        "calls": {recorder.name: recorder.linter.calls for recorder in recorders},
        "fallbacks": {recorder.name: getattr(recorder.linter, "fallbacks", 0) for recorder in recorders},
        "agreement": {name: 1 - len(found) / max(1, len(states)) for name, found in differences.items()},
        "same_sequences": same,
        "differences": differences,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--language", required=True, choices=["c", "cpp", "rust"])
    parser.add_argument("--linters", nargs="+", required=True, help="the reference first, then the backends to compare")
    parser.add_argument("--programs", type=int, default=20, help="shortest real test programs")
    parser.add_argument("--replays", type=int, default=3, help="CPU replays of the states per linter")
    parser.add_argument("--output", help="append the result as JSON to this file (a list)")
    args = parser.parse_args(argv)
    result = measure(args.language, args.linters, args.programs, args.replays)
    summary = {key: result[key] for key in ("language", "programs", "states", "programs_per_s", "cpu_ms_per_state",
                                            "fallbacks", "agreement", "same_sequences")}
    print(json.dumps(summary, indent=1), flush=True)
    for name, found in result["differences"].items():
        for difference in found:
            print(name, json.dumps(difference)[:600])
    if args.output:
        path = Path(args.output)
        results = json.loads(path.read_text(encoding="utf-8")) if path.exists() else []
        path.write_text(json.dumps([*results, result], indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
