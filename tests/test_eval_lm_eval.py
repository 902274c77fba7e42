"""A real, offline ``lm_eval run`` of our tasks on a tiny saved model, through ``lintseq eval``."""

from __future__ import annotations

import json

import pytest

from lintseq_hf.evaluation.plot import read_passed
from test_eval import MBPP_ROWS, run_cli, write_jsonl
from tiny_models import build_tiny_model


@pytest.mark.slow
def test_lm_eval_runs_our_tasks_offline_on_a_tiny_model(tmp_path, monkeypatch):
    for name in ("HF_HUB_OFFLINE", "HF_DATASETS_OFFLINE", "TRANSFORMERS_OFFLINE"):
        monkeypatch.setenv(name, "1")
    model = build_tiny_model(tmp_path / "tiny")
    mbpp = write_jsonl(tmp_path / "mbpp.jsonl", MBPP_ROWS)
    out = tmp_path / "out"
    code, _, _ = run_cli(
        "eval", "--model", "hf", "--model_args", f"pretrained={model},dtype=float32", "--device", "cpu",
        "--tasks", "humaneval_lintseq", "mbpp_lintseq_instruct", "--limit", "2",
        "--gen_kwargs", "max_gen_toks=16", "--metadata", json.dumps({"mbpp_source": str(mbpp)}),
        "--output_path", str(out), "--log_samples",
    )
    assert code == 0
    results = json.loads(next(out.rglob("results_*.json")).read_text())["results"]
    assert set(results) == {"humaneval_lintseq", "mbpp_lintseq_instruct"}
    for task in results.values():
        assert 0.0 <= task["pass@1,execute"] <= 1.0
    samples = [json.loads(line) for line in next(out.rglob("samples_humaneval_lintseq_*.jsonl")).open()]
    assert [s["doc"]["task_id"] for s in samples] == ["HumanEval/0", "HumanEval/1"]
    verdict = json.loads(samples[0]["filtered_resps"][0][0])
    assert verdict["status"] in ("passed", "failed", "timeout", "crashed")
    assert set(read_passed(next(out.rglob("samples_humaneval_lintseq_*.jsonl")))) == {"HumanEval/0", "HumanEval/1"}
    mbpp_samples = [json.loads(line) for line in next(out.rglob("samples_mbpp_lintseq_instruct_*.jsonl")).open()]
    assert [s["doc"]["task_id"] for s in mbpp_samples] == ["Mbpp/11", "Mbpp/12"]
    assert mbpp_samples[0]["arguments"]["gen_args_0"]["arg_0"].startswith(
        "Write a python function `remove_Occ(s,ch)` to remove")
