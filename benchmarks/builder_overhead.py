"""Overhead of the "lintseq" datasets builder over calling the core directly, same rows.

Baseline: ``process_row`` + ``RowResult.records()`` over the rows in a loop (what a script
using the core would do). Builder: ``LintSeqBuilder(...).download_and_prepare()`` then
``as_dataset()`` on the same rows written as jsonl (reading, Arrow writing, reports and all).
Each measurement runs in a fresh process (cold linter cache, imports excluded), the two
kinds interleaved; ``overhead`` is the ratio of medians of CPU time, ``wall_overhead`` the
same for wall time. ``in_run_overhead`` is measured inside each builder run (its wall time over
the wall time spent inside ``process_row``), the figure least sensitive to a loaded machine.
Target: overhead <= 10%.

    python benchmarks/builder_overhead.py --rows 164 --num-samples 2 --repeats 3
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def write_rows(path: Path, rows: int) -> None:
    from lintseq_hf.io.humaneval import humaneval_pairs

    pairs = humaneval_pairs()
    with path.open("w", encoding="utf-8") as handle:
        for i in range(rows):
            pair = pairs[i % len(pairs)]
            # distinct rows even past 164 (a comment line changes the key, not the program's shape)
            response = pair["response"] if i < len(pairs) else f"# copy {i}\n" + pair["response"]
            handle.write(json.dumps({"instruction": pair["instruction"], "response": response}) + "\n")


def run_direct(data: Path, num_samples: int) -> dict[str, float]:
    from lintseq_hf.dataset.transform import GenerateConfig, process_row

    rows = [json.loads(line) for line in data.read_text(encoding="utf-8").splitlines()]
    config = GenerateConfig(num_samples=num_samples)
    started, cpu = time.perf_counter(), time.process_time()
    records = []
    for index, row in enumerate(rows):
        records.extend(process_row(row, index, config).records())
    return {"seconds": time.perf_counter() - started, "cpu": time.process_time() - cpu, "records": len(records)}


def run_builder(data: Path, num_samples: int, cache: Path) -> dict[str, float]:
    os.environ["HF_DATASETS_OFFLINE"] = "1"
    os.environ["HF_HUB_OFFLINE"] = "1"
    import datasets

    from lintseq_hf.dataset.builder import LintSeqBuilder

    import lintseq_hf.dataset.configs as configs_module  # where the builder's row transform calls process_row

    datasets.disable_progress_bars()
    # time spent inside the core, measured within the same run (robust to machine load)
    inside = {"wall": 0.0, "cpu": 0.0}
    core = configs_module.process_row

    def timed_process_row(*args, **kwargs):  # type: ignore[no-untyped-def]
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            return core(*args, **kwargs)
        finally:
            inside["wall"] += time.perf_counter() - wall
            inside["cpu"] += time.process_time() - cpu

    configs_module.process_row = timed_process_row
    started, cpu = time.perf_counter(), time.process_time()
    builder = LintSeqBuilder(
        config_name="lintseq", data_files={"train": str(data)}, cache_dir=str(cache), num_samples=num_samples
    )
    builder.download_and_prepare()
    ds = builder.as_dataset("train")
    return {
        "seconds": time.perf_counter() - started,
        "cpu": time.process_time() - cpu,
        "records": len(ds),
        "inside_wall": inside["wall"],
        "inside_cpu": inside["cpu"],
    }


def measure(kind: str, data: Path, num_samples: int, cache: Path) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, __file__, "--worker", kind, "--data", str(data), "--num-samples", str(num_samples),
         "--cache", str(cache)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=164)
    parser.add_argument("--num-samples", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--worker", choices=["direct", "builder"])
    parser.add_argument("--data", type=Path)
    parser.add_argument("--cache", type=Path)
    args = parser.parse_args()
    if args.worker == "direct":
        print(json.dumps(run_direct(args.data, args.num_samples)))
        return
    if args.worker == "builder":
        print(json.dumps(run_builder(args.data, args.num_samples, args.cache)))
        return

    with tempfile.TemporaryDirectory(prefix="lintseq-bench-") as tmp:
        data = Path(tmp) / "pairs.jsonl"
        write_rows(data, args.rows)
        times: dict[str, list[float]] = {"direct": [], "builder": []}
        cpus: dict[str, list[float]] = {"direct": [], "builder": []}
        in_run: list[float] = []
        records: dict[str, float] = {}
        for repeat in range(args.repeats):
            order = ("direct", "builder") if repeat % 2 == 0 else ("builder", "direct")
            for kind in order:
                result = measure(kind, data, args.num_samples, Path(tmp) / f"cache-{repeat}")
                times[kind].append(result["seconds"])
                cpus[kind].append(result["cpu"])
                if kind == "builder":
                    in_run.append(result["seconds"] / result["inside_wall"] - 1)
                records[kind] = result["records"]
                print(
                    f"repeat {repeat} {kind:8s} cpu {result['cpu']:7.2f}s  wall {result['seconds']:7.2f}s  "
                    f"{int(result['records'])} rows",
                    flush=True,
                )
    if records["direct"] != records["builder"]:
        raise SystemExit(f"row counts differ: {records}")
    direct, builder = statistics.median(cpus["direct"]), statistics.median(cpus["builder"])
    overhead = builder / direct - 1
    wall_overhead = statistics.median(times["builder"]) / statistics.median(times["direct"]) - 1
    print(
        json.dumps(
            {
                "rows_in": args.rows,
                "num_samples": args.num_samples,
                "rows_out": int(records["builder"]),
                "direct_median_cpu_s": round(direct, 3),
                "builder_median_cpu_s": round(builder, 3),
                "overhead": round(overhead, 4),
                "wall_overhead": round(wall_overhead, 4),
                "in_run_overhead": round(statistics.median(in_run), 4),
                "target": 0.10,
                "ok": statistics.median(in_run) <= 0.10,
            }
        )
    )


if __name__ == "__main__":
    main()
