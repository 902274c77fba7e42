"""benchmarks/study.py at --scale smoke (from-scratch start, four arms, n samples, intervals) and
generate_benchmark's resumable sampling."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from lintseq_hf.cli import main
from tiny_models import build_tiny_model

ROOT = Path(__file__).resolve().parent.parent
ROWS = ("base", "instruct", "lintseq", "randseq", "lintseq_guided")


def study(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}
    return subprocess.run([sys.executable, "-m", "benchmarks.study", *args], check=False, cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=1800)


@pytest.fixture(scope="module")
def smoke(tmp_path_factory):
    base = tmp_path_factory.mktemp("study")
    args = ("--scale", "smoke", "--work-dir", str(base / "work"), "--results-dir", str(base / "results"))
    first = study(*args)
    assert first.returncode == 0, (first.stdout + first.stderr)[-4000:]
    return base, args


@pytest.mark.slow
def test_smoke_study_publishes_every_row_with_intervals_samples_and_logs(smoke):
    base, _ = smoke
    results = base / "results"
    summary = json.loads((results / "study_smoke.json").read_text())
    for row in ROWS:
        entry = summary[row]
        low, high = entry["pass@1"]["ci95"]
        assert 0.0 <= low <= entry["pass@1"]["value"] <= high <= 1.0
        assert entry["n"] == 2 and entry["problems"] == 3
        assert entry["commands"]["generate"].startswith("python -m benchmarks.study --scale smoke")
        assert "pass@1" in entry["greedy"] and entry["decoding"].startswith("sampled, temperature 0.8")
        samples = [json.loads(line) for line in (results / f"study_smoke_{row}_samples.jsonl").read_text().splitlines()]
        assert len(samples) == 3 * entry["n"] and all(set(s) == {"task_id", "completion", "retries"} for s in samples)
    assert "linter-guided" in summary["lintseq_guided"]["decoding"]
    assert summary["base"]["training"] is None
    assert summary["lintseq"]["training"]["steps"] == summary["instruct"]["training"]["steps"] \
        == summary["randseq"]["training"]["steps"] == summary["protocol"]["steps"]
    assert summary["protocol"]["start"]["model"] == "scratch"
    [comparison] = summary["comparisons"]["lintseq-instruct"]
    assert comparison["k"] == 1 and comparison["problems"] == 3 and len(comparison["ci95"]) == 2
    for arm in ("instruct", "lintseq", "randseq"):
        log = json.loads((results / f"study_smoke_train_{arm}_log.json").read_text())
        assert any("loss" in entry for entry in log)
    assert (results / "study_smoke.png").stat().st_size > 0


@pytest.mark.slow
@pytest.mark.parametrize("row", ["lintseq", "instruct"])
def test_the_published_samples_rescore_to_the_published_figures(smoke, row, tmp_path, capsys):
    base, _ = smoke
    summary = json.loads((base / "results" / "study_smoke.json").read_text())
    mode = "instruct" if row == "instruct" else "lintseq"
    assert main(["score", "--samples", str(base / "results" / f"study_smoke_{row}_samples.jsonl"), "--mode", mode,
                 "--k", "1", "--results", str(tmp_path / "r.jsonl")]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["pass@1"] == summary[row]["pass@1"]["value"]
    assert printed["pass@1_ci95"] == summary[row]["pass@1"]["ci95"]


@pytest.mark.slow
def test_a_second_run_reuses_every_stage_and_prepare_exports_the_corpus_shard(smoke, tmp_path):
    base, args = smoke
    before = (base / "results" / "study_smoke.json").read_text()
    again = study(*args)
    assert again.returncode == 0, again.stderr[-4000:]
    assert "running" not in again.stderr and "[pretrain] cached" in again.stderr
    assert (base / "results" / "study_smoke.json").read_text() == before
    shard = tmp_path / "corpus.jsonl.gz"
    prepared = study(*args[:4], "--prepare", str(shard))
    assert prepared.returncode == 0, prepared.stderr[-4000:]
    rows = [json.loads(line) for line in gzip.open(shard, "rt")]
    assert rows and all(set(row) == {"origin", "licence", "text"} for row in rows)
    assert not any("def hailstone" in row["text"] for row in rows)


@pytest.mark.slow
def test_a_study_restored_without_its_models_trains_again_and_resamples_rows_from_other_weights(smoke, tmp_path):
    """What a new machine sees after scripts/study_cpu.sh --save: every record, no model."""
    import shutil

    base, args = smoke
    work = tmp_path / "work"
    shutil.copytree(base / "work", work)
    for weights in (work / "train" / "lintseq").glob("*.safetensors"):
        weights.unlink()
    generate = work / "generate"
    for done in (generate / "lintseq_greedy.done.json", work / "score" / "lintseq_greedy.done.json"):
        done.unlink()
    torn = generate / "lintseq_greedy.jsonl"
    torn.write_text(torn.read_text().splitlines()[0] + "\n")
    (generate / "lintseq_greedy.jsonl.weights").write_text("0" * 64)  # sampled from weights that are gone
    again = study("--scale", "smoke", "--work-dir", str(work), "--results-dir", str(tmp_path / "results"))
    assert again.returncode == 0, again.stderr[-4000:]
    assert "[train lintseq] model missing" in again.stderr
    assert "[train instruct] running" not in again.stderr and "[train randseq] running" not in again.stderr
    record = json.loads((work / "train" / "lintseq" / "done.json").read_text())
    assert [retrain["same_weights"] for retrain in record["retrains"]] == [True]  # CPU training is deterministic
    assert (generate / "lintseq_greedy.jsonl.stale").is_file()
    name = "study_smoke_lintseq_greedy_samples.jsonl"
    assert (tmp_path / "results" / name).read_text() == (base / "results" / name).read_text()
    summary = json.loads((tmp_path / "results" / "study_smoke.json").read_text())
    assert summary["lintseq"]["greedy"]["pass@1"] == json.loads(
        (base / "results" / "study_smoke.json").read_text())["lintseq"]["greedy"]["pass@1"]


def test_generate_benchmark_resumes_a_torn_file_to_what_one_run_writes(tmp_path):
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from lintseq_hf.inference import generate_benchmark

    path = build_tiny_model(tmp_path / "model")
    model, tokenizer = AutoModelForCausalLM.from_pretrained(path), AutoTokenizer.from_pretrained(path)
    problems = [(f"T/{i}", f"Write a function f{i}.") for i in range(3)]
    options = {"n": 3, "problems_per_call": 2, "do_sample": True, "temperature": 0.8, "max_new_tokens": 6,
               "batch_size": 6}
    whole = generate_benchmark(model, tokenizer, problems, tmp_path / "whole.jsonl", **options)
    assert [(r["task_id"], r["sample"]) for r in whole] == [(f"T/{i}", j) for i in range(3) for j in range(3)]
    lines = (tmp_path / "whole.jsonl").read_text().splitlines()
    torn = tmp_path / "torn.jsonl"
    torn.write_text("\n".join(lines[:4]) + "\n" + lines[4][:10])  # interrupted inside the second problem
    resumed = generate_benchmark(model, tokenizer, problems, torn, **options)
    assert sorted((r["task_id"], r["sample"], r["completion"]) for r in resumed) == \
        sorted((r["task_id"], r["sample"], r["completion"]) for r in whole)
    (tmp_path / "bad.jsonl").write_text("not json\n" + lines[0] + "\n")
    with pytest.raises(ValueError, match="bad.jsonl:1: not JSON"):
        generate_benchmark(model, tokenizer, problems, tmp_path / "bad.jsonl", **options)


def test_a_stage_running_in_another_process_is_waited_for_and_not_run_twice(tmp_path):
    """A study started twice on one work folder (or a stage run beside it): the second process waits for the
    stage and reads its record; it never runs it too (a resumed sampler would rewrite the first's file)."""
    import threading

    from benchmarks.replication import stage

    done, go = tmp_path / "generate" / "row.done.json", tmp_path / "go"
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from pathlib import Path; from benchmarks.replication import stage\n"
         f"def run():\n    while not Path({str(go)!r}).exists(): time.sleep(0.05)\n    return {{'by': 'first'}}\n"
         f"stage(Path({str(done)!r}), 'generate row', run)"],
        cwd=ROOT, stderr=subprocess.PIPE, text=True)
    try:
        assert holder.stderr.readline().strip() == "[generate row] running"
        calls, got = [], {}
        waiter = threading.Thread(target=lambda: got.update(stage(done, "generate row", lambda: calls.append(1) or {})))
        waiter.start()
        waiter.join(0.5)
        assert waiter.is_alive()  # blocked on the first process's lock
        go.touch()
        waiter.join(60)
        assert holder.wait(60) == 0
    finally:
        go.touch()
        holder.kill()
    assert not waiter.is_alive() and calls == [] and got["by"] == "first"
    assert json.loads(done.read_text())["by"] == "first"


def test_the_h100_scale_is_sized_for_ten_minutes():
    from benchmarks.study import SCALES
    from lintseq_hf.training.pretrain import PretrainConfig

    scale = SCALES["h100"]
    config = PretrainConfig.from_recipe(ROOT / "recipes" / "pretrain" / f"{scale.pretrain_recipe}.yaml")
    assert 25e6 < config.parameters() < 40e6 and config.bf16
    assert scale.samples >= 10 and scale.steps * scale.batch_size == scale.programs
    assert SCALES["cpu"].samples >= 10 and SCALES["cpu"].problems is None and SCALES["cpu"].temperature == 0.8
