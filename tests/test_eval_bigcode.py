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

from lintseq_hf import format_completion, sample_edits
from lintseq_hf.evaluation.problems import load_problems
from test_eval import MBPP_ROWS, write_jsonl

REPO = Path(__file__).resolve().parent.parent
BIGCODE_PYTHON = Path(os.environ.get("LINTSEQ_BIGCODE_PYTHON", REPO / ".venv-bigcode" / "bin" / "python"))



@pytest.fixture(autouse=True)
def _bigcode_environment() -> None:
    if not BIGCODE_PYTHON.exists():
        pytest.fail(f"no bigcode harness environment at {BIGCODE_PYTHON}: run scripts/setup.sh all (or scripts/setup_bigcode.sh)")


def harness(tmp_path: Path, *args: str) -> dict:
    metrics = tmp_path / "metrics.json"
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1"}
    completed = subprocess.run(
        [str(BIGCODE_PYTHON), "-m", "lintseq_hf.bigcode", "--allow_code_execution",
         "--metric_output_path", str(metrics), *args],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    return json.loads(metrics.read_text())


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
