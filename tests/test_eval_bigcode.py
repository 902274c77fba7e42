"""Our tasks in the BigCode harness, scored from saved generations (its own virtualenv).

The harness pins an old fsspec, so it is installed in a separate environment (see
docs/evaluation.md); these tests run its interpreter: ``$LINTSEQ_BIGCODE_PYTHON``,
else ``.venv-bigcode/bin/python`` in the repository.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from test_eval import MBPP_ROWS, write_jsonl

from lintseq_hf import format_completion, sample_edits
from lintseq_hf.core.edits import DIFF_TOKEN as DIFF
from lintseq_hf.evaluation.problems import load_problems

REPO = Path(__file__).resolve().parent.parent
BIGCODE_PYTHON = Path(os.environ.get("LINTSEQ_BIGCODE_PYTHON", REPO / ".venv-bigcode" / "bin" / "python"))



@pytest.fixture(autouse=True)
def _bigcode_environment() -> None:
    if not BIGCODE_PYTHON.exists():
        pytest.fail(f"no bigcode harness environment at {BIGCODE_PYTHON}: run scripts/setup.sh all (or scripts/setup_bigcode.sh)")


def harness(tmp_path: Path, *args: str) -> dict:
    return harness_run(tmp_path, *args)[0]


def harness_run(tmp_path: Path, *args: str) -> tuple[dict, str]:
    metrics = tmp_path / "metrics.json"
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1"}
    completed = subprocess.run(
        [str(BIGCODE_PYTHON), "-m", "lintseq_hf.bigcode", "--allow_code_execution",
         "--metric_output_path", str(metrics), *args],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    return json.loads(metrics.read_text()), completed.stdout + completed.stderr


def test_humaneval_lintseq_scores_raw_edit_sequence_generations(tmp_path):
    problems = load_problems("humaneval")[:4]
    generations = [
        [format_completion(sample_edits(p.prompt + p.canonical_solution, seed=3)),
         "@@ -0,0 +1 @@\n+def unrelated():\n<|diff|>\n<|diff|>"]
        for p in problems
    ]
    path = tmp_path / "generations.json"
    path.write_text(json.dumps(generations))
    result = harness(tmp_path, "--tasks", "humaneval_lintseq", "--load_generations_path", str(path),
                     "--n_samples", "2", "--limit", "4")
    assert result["humaneval_lintseq"] == {"pass@1": 0.5}


def test_mbpp_baseline_reads_a_local_file_and_decoded_programs(tmp_path):
    source = write_jsonl(tmp_path / "mbpp.jsonl", MBPP_ROWS)
    generations = [[row["code"]] for row in MBPP_ROWS]
    generations[1] = ["def sort_matrix(M):\n    return M"]
    path = tmp_path / "generations.json"
    path.write_text(json.dumps(generations))
    result = harness(tmp_path, "--tasks", "mbpp_lintseq_instruct", "--load_generations_path", str(path),
                     "--load_data_path", str(source), "--n_samples", "1")
    assert result["mbpp_lintseq_instruct"] == {"pass@1": 0.5}


def test_instruct_generations_have_their_python_blocks_extracted(tmp_path):
    source = write_jsonl(tmp_path / "mbpp.jsonl", MBPP_ROWS)
    generations = [[f"Here is the code:\n```python\n{row['code']}\n```\nDone."] for row in MBPP_ROWS]
    path = tmp_path / "generations.json"
    path.write_text(json.dumps(generations))
    result = harness(tmp_path, "--tasks", "mbpp_lintseq_instruct", "--load_generations_path", str(path),
                     "--load_data_path", str(source), "--n_samples", "1")
    assert result["mbpp_lintseq_instruct"] == {"pass@1": 1.0}


def test_fewer_generations_than_problems_are_scored_with_a_warning_and_k_is_configurable(tmp_path):
    problems = load_problems("humaneval")[:2]
    generations = [[format_completion(sample_edits(p.prompt + p.canonical_solution, seed=1)),
                    "@@ -0,0 +1 @@\n+def unrelated():\n<|diff|>\n<|diff|>"] for p in problems]
    path = tmp_path / "generations.json"
    path.write_text(json.dumps(generations))
    result, output = harness_run(tmp_path, "--tasks", "humaneval_lintseq", "--load_generations_path", str(path),
                                 "--n_samples", "2", "--task_kwargs", json.dumps({"k": [1, 2]}))
    assert result["humaneval_lintseq"] == {"pass@1": 0.5, "pass@2": 1.0}
    assert "scoring 2 of 164 problems" in output


def test_bigcode_honours_malformed_penalty(tmp_path):
    problem = load_problems("humaneval")[0]
    completion = format_completion(sample_edits(problem.prompt + problem.canonical_solution, seed=1))
    end = completion.rfind(DIFF + "\n" + DIFF)
    # one extra hunk whose header cannot be read: skipped (the program still passes), or penalised
    flawed = completion[:end] + DIFF + "\n@@ -999,0 +nine,2 @@\n+x = 1\n" + completion[end:]
    path = tmp_path / "generations.json"
    path.write_text(json.dumps([[flawed]]))
    args = ("--tasks", "humaneval_lintseq", "--load_generations_path", str(path), "--n_samples", "1", "--limit", "1")
    plain = harness(tmp_path, *args, "--task_kwargs", json.dumps({"k": [1]}))
    penalised = harness(tmp_path, *args, "--task_kwargs", json.dumps({"k": [1], "malformed_penalty": True}))
    assert plain["humaneval_lintseq"] == {"pass@1": 1.0}
    assert penalised["humaneval_lintseq"] == {"pass@1": 0.0}


def test_generations_that_all_decode_to_empty_programs_are_flagged(tmp_path):
    # what the harness saves for a model without <|diff|>: its completions decoded, every program empty
    path = tmp_path / "generations.json"
    path.write_text(json.dumps([[""], [""]]))
    result, output = harness_run(tmp_path, "--tasks", "humaneval_lintseq", "--load_generations_path", str(path),
                                 "--n_samples", "1", "--limit", "2")
    assert result["humaneval_lintseq"] == {"pass@1": 0.0}
    assert "WARNING: humaneval_lintseq: all 2 generations decoded to empty programs" in output
    assert "the *_lintseq_instruct tasks" in output
