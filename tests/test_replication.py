"""benchmarks/replication.py: the smoke scale end to end, its stage cache, and re-scoring what it publishes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from lintseq_hf.cli import main

ROOT = Path(__file__).resolve().parent.parent
ROWS = ("lintseq", "instruct", "lintseq_guided")


def replication(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}
    return subprocess.run([sys.executable, "-m", "benchmarks.replication", *args], check=False, cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=1200)


@pytest.fixture(scope="module")
def smoke(tmp_path_factory):
    base = tmp_path_factory.mktemp("replication")
    args = ("--scale", "smoke", "--work-dir", str(base / "work"), "--results-dir", str(base / "results"))
    first = replication(*args)
    assert first.returncode == 0, (first.stdout + first.stderr)[-4000:]
    return base, args, first


@pytest.mark.slow
def test_smoke_scale_publishes_every_row_with_equal_optimizer_steps(smoke):
    base, _, _ = smoke
    summary = json.loads((base / "results" / "replication_smoke.json").read_text())
    for row in ROWS:
        entry = summary[row]
        assert 0.0 <= entry["pass@1"] <= 1.0 and 0.0 <= entry["decodable_rate"] <= 1.0
        assert entry["tokens"] > 0 and entry["generated_tokens"] > 0 and entry["wall_s"] > 0
        assert entry["command"]["train"].startswith("python benchmarks/replication.py --scale smoke")
    assert summary["lintseq"]["steps"] == summary["instruct"]["steps"] > 0
    scale = summary["protocol"]["scale"]
    assert summary["lintseq"]["rows"] == scale["samples_per_program"] * summary["instruct"]["rows"]
    assert summary["protocol"]["data"]["corpus"]["kept"] >= scale["programs"]
    assert summary["lintseq_guided"]["unguided_same_problems"]["problems"] == summary["lintseq_guided"]["problems"]
    assert summary["paper_reference"]["lintseq"] == 12.8
    assert (base / "results" / "replication_smoke.png").stat().st_size > 0


@pytest.mark.slow
def test_published_samples_are_the_raw_completions_one_per_problem(smoke):
    base, _, _ = smoke
    summary = json.loads((base / "results" / "replication_smoke.json").read_text())
    for row in ROWS:
        lines = (base / "results" / f"replication_smoke_{row}_samples.jsonl").read_text().splitlines()
        samples = [json.loads(line) for line in lines]
        assert all(set(sample) == {"task_id", "completion"} for sample in samples)
        assert len({s["task_id"] for s in samples}) == len(samples) == summary[row]["problems"]


@pytest.mark.slow
@pytest.mark.parametrize("row", ROWS)
def test_lintseq_score_rescores_the_published_samples_to_the_published_figures(smoke, row, tmp_path, capsys):
    base, _, _ = smoke
    summary = json.loads((base / "results" / "replication_smoke.json").read_text())
    mode = "instruct" if row == "instruct" else "lintseq"
    rescored = tmp_path / "rescored.jsonl"
    assert main(["score", "--samples", str(base / "results" / f"replication_smoke_{row}_samples.jsonl"),
                 "--mode", mode, "--k", "1", "--results", str(rescored)]) == 0
    assert json.loads(capsys.readouterr().out)["pass@1"] == summary[row]["pass@1"]
    fresh = [json.loads(line) for line in rescored.read_text().splitlines()]
    staged = [json.loads(line) for line in (base / "work" / "score" / f"{row}_results.jsonl").read_text().splitlines()]
    assert [(r["task_id"], r["program"], r["result"]) for r in fresh] == \
        [(r["task_id"], r["program"], r["result"]) for r in staged]


@pytest.mark.slow
def test_a_second_run_reuses_every_cached_stage(smoke):
    base, args, _ = smoke
    before = (base / "results" / "replication_smoke.json").read_text()
    again = replication(*args)
    assert again.returncode == 0, again.stderr[-4000:]
    stages = ["data", "train lintseq", "train instruct"] + [f"{kind} {row}" for row in ROWS
                                                              for kind in ("generate", "score")]
    for name in stages:
        assert f"[{name}] cached" in again.stderr
    assert "running" not in again.stderr
    assert (base / "results" / "replication_smoke.json").read_text() == before


def test_paper_scale_prints_the_gpu_protocol_and_runs_nothing(tmp_path):
    done = replication("--scale", "paper", "--work-dir", str(tmp_path / "work"))
    assert done.returncode == 0, done.stderr
    assert "accelerate launch" in done.stdout and "recipes/tinycodelm-150m.yaml" in done.stdout
    assert not (tmp_path / "work").exists()


# -- the committed CPU run (benchmarks/results/replication_cpu*) --------------------------------------

RESULTS = ROOT / "benchmarks" / "results"


def replication_script():
    """benchmarks/replication.py as a module (for its ``defines_entry_point``)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("lintseq_replication", ROOT / "benchmarks" / "replication.py")
    script = sys.modules.get(spec.name)
    if script is None:
        script = sys.modules[spec.name] = importlib.util.module_from_spec(spec)  # its dataclasses look it up
        spec.loader.exec_module(script)
    return script


@pytest.mark.slow
@pytest.mark.parametrize("row", ROWS)
def test_the_committed_cpu_run_rescores_to_its_published_figures(row, tmp_path, capsys):
    """Anyone can re-score the committed raw completions with ``lintseq score`` and get the
    published pass@1 and decodable rate, problem for problem."""
    from lintseq_hf.evaluation.problems import load_problems

    script = replication_script()
    summary = json.loads((RESULTS / "replication_cpu.json").read_text())
    samples = RESULTS / f"replication_cpu_{row}_samples.jsonl"
    rows = [json.loads(line) for line in samples.read_text().splitlines()]
    assert len({r["task_id"] for r in rows}) == len(rows) == summary[row]["problems"]
    mode = "instruct" if row == "instruct" else "lintseq"
    rescored = tmp_path / "rescored.jsonl"
    assert main(["score", "--samples", str(samples), "--mode", mode, "--k", "1", "--results", str(rescored)]) == 0
    assert json.loads(capsys.readouterr().out)["pass@1"] == summary[row]["pass@1"]
    entry = {p.task_id: p.entry_point for p in load_problems("humaneval")}
    results = [json.loads(line) for line in rescored.read_text().splitlines()]
    decodable = sum(script.defines_entry_point(r["program"], entry[r["task_id"]]) for r in results)
    assert decodable / len(results) == summary[row]["decodable_rate"]
    assert summary["lintseq"]["steps"] == summary["instruct"]["steps"] == summary["protocol"]["steps"]
    assert summary["lintseq"]["problems"] == summary["instruct"]["problems"] == 164


@pytest.mark.parametrize("run", ["run1", "run2"])
@pytest.mark.parametrize("row", ROWS)
def test_the_earlier_cpu_runs_kept_for_the_record_decode_to_their_published_rates(run, row):
    """benchmarks/results/earlier/: the two runs before the protocol changes docs/inference.md describes."""
    from lintseq_hf import decode_completion
    from lintseq_hf.core.programs import extract_code
    from lintseq_hf.evaluation.problems import load_problems

    summary = json.loads((RESULTS / "earlier" / f"{run}_cpu.json").read_text())
    rows = [json.loads(line) for line in (RESULTS / "earlier" / f"{run}_cpu_{row}_samples.jsonl").read_text().splitlines()]
    assert len({r["task_id"] for r in rows}) == len(rows) == summary[row]["problems"]
    entry = {p.task_id: p.entry_point for p in load_problems("humaneval")}
    decode = extract_code if row == "instruct" else decode_completion
    defines = replication_script().defines_entry_point
    decodable = sum(defines(decode(r["completion"]), entry[r["task_id"]]) for r in rows)
    assert decodable / len(rows) == summary[row]["decodable_rate"]
