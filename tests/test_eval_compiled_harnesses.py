"""HumanEvalPack and MultiPL-E tasks in lm-eval and the BigCode harness (compiled languages), on fixture rows."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from compiled_cases import FAMILY_FILES, edit_sequence, fenced, honest_samples, problems, whole_program

from lintseq_hf.evaluation import packs
from lintseq_hf.evaluation.lm_eval import tasks_path
from lintseq_hf.evaluation.plot import read_passed

ROOT = Path(__file__).resolve().parent.parent
BIGCODE_PYTHON = Path(os.environ.get("LINTSEQ_BIGCODE_PYTHON", ROOT / ".venv-bigcode" / "bin" / "python"))


def test_every_family_has_an_lm_eval_task_and_its_instruct_twin():
    folder = tasks_path()
    for family in packs.PACK_FAMILIES:
        for mode in ("lintseq", "instruct"):
            text = (folder / f"{packs.task_name(family, mode)}.yaml").read_text()
            assert f"task: {packs.task_name(family, mode)}\n" in text and f"include: _{family}.yaml" in text
        assert f"family: {family}\n" in (folder / f"_{family}.yaml").read_text()
    assert packs.task_name("humanevalpack_cpp", "lintseq") == "humanevalpack_lintseq_cpp"
    assert packs.task_name("multiple_mbpp_rs", "instruct") == "multiple_mbpp_lintseq_rs_instruct"


def test_the_lm_eval_filter_judges_compiled_docs():
    from lintseq_hf.evaluation.lm_eval import ExecuteFilter, load_problem_dataset, verdict_status

    docs = list(load_problem_dataset("multiple_js", str(FAMILY_FILES["multiple_js"]))["test"])
    programs = [whole_program("multiple_js", p) for p in problems("multiple_js")]
    lintseq = ExecuteFilter(mode="lintseq", workers=2).apply([[edit_sequence(p), "@@ -0,0 +1 @@\n+x"] for p in programs], docs)
    assert [[verdict_status(v) for v in row] for row in lintseq] == [["passed", "failed"]] * len(docs)
    instruct = ExecuteFilter(mode="instruct", workers=2).apply([[fenced(p, "js")] for p in programs], docs)
    assert [verdict_status(row[0]) for row in instruct] == ["passed"] * len(docs)


@pytest.mark.slow
def test_lm_eval_runs_compiled_tasks_offline_and_lintseq_score_rescores_their_samples(tmp_path):
    from tiny_models import build_tiny_model

    model = build_tiny_model(tmp_path / "tiny")
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1"}
    metadata = {"humanevalpack_js_source": str(FAMILY_FILES["humanevalpack_js"]),
                "multiple_rs_source": str(FAMILY_FILES["multiple_rs"])}
    done = subprocess.run(
        [sys.executable, "-m", "lintseq_hf.cli", "eval", "--model", "hf", "--model_args",
         f"pretrained={model},dtype=float32", "--device", "cpu", "--tasks", "humanevalpack_lintseq_js",
         "multiple_lintseq_rs_instruct", "--limit", "2", "--gen_kwargs", "max_gen_toks=16", "--metadata",
         json.dumps(metadata), "--output_path", str(out), "--log_samples"],
        capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads(next(out.rglob("results_*.json")).read_text())["results"]
    assert set(results) == {"humanevalpack_lintseq_js", "multiple_lintseq_rs_instruct"}
    log = next(out.rglob("samples_humanevalpack_lintseq_js_*.jsonl"))
    assert set(read_passed(log)) == {"JavaScript/0", "JavaScript/2"}
    rescored = subprocess.run(
        [sys.executable, "-m", "lintseq_hf.cli", "score", "--problems", "humanevalpack_js", "--problems-source",
         str(FAMILY_FILES["humanevalpack_js"]), "--samples", str(log), "--k", "1", "--results",
         str(tmp_path / "rescored.jsonl")], capture_output=True, text=True, env=env, check=False)
    assert rescored.returncode == 0, rescored.stderr
    assert 0.0 <= json.loads(rescored.stdout.strip().splitlines()[-1])["pass@1"] <= 1.0


def _bigcode(tmp_path: Path, *args: str) -> dict:
    if not BIGCODE_PYTHON.exists():
        pytest.fail(f"no bigcode harness environment at {BIGCODE_PYTHON}: run scripts/setup.sh all")
    metrics = tmp_path / "metrics.json"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1"}
    done = subprocess.run([str(BIGCODE_PYTHON), "-m", "lintseq_hf.bigcode", "--allow_code_execution",
                           "--metric_output_path", str(metrics), *args], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(metrics.read_text())


@pytest.mark.slow
@pytest.mark.parametrize(("family", "mode"), [("humanevalpack_cpp", "lintseq"), ("multiple_java", "instruct")])
def test_bigcode_scores_saved_compiled_generations(tmp_path, family, mode):
    samples = [s for s in honest_samples(family) if s["mode"] == mode]
    generations = [[sample["completion"], "@@ -0,0 +1 @@\n+x\n<|diff|>\n<|diff|>" if mode == "lintseq" else "nothing"]
                   for sample in samples]
    path = tmp_path / "generations.json"
    path.write_text(json.dumps(generations))
    task = packs.task_name(family, mode)
    result = _bigcode(tmp_path, "--tasks", task, "--load_generations_path", str(path), "--n_samples", "2",
                      "--load_data_path", str(FAMILY_FILES[family]), "--limit", str(len(samples)))
    assert result[task] == {"pass@1": 0.5}


def test_task_language_names_the_language_a_task_evaluates_for_model_cards():
    assert packs.task_language("multiple_lintseq_rs_instruct") == "Rust"
    assert packs.task_language("humanevalpack_lintseq_cpp") == "C++"
    assert packs.task_language("multiple_mbpp_lintseq_ts") == "TypeScript"
    assert packs.task_language("humaneval_lintseq") == "Python"
    assert packs.task_language("arc_easy") is None
