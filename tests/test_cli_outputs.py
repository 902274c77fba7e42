"""What the commands print and write that a user reads first: help texts, one summary per config, the default
results name of `lintseq score`, the plot's axis, the dataset info the card states."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from lintseq_hf.cli import build_parser

ROOT = Path(__file__).resolve().parent.parent


def _help(command: str) -> str:
    parsers = next(a for a in build_parser()._actions if hasattr(a, "choices") and a.choices and command in a.choices)
    return parsers.choices[command].format_help()


def test_help_texts_name_what_exists():
    assert ".py file" not in _help("show") and ".rs" in _help("show")
    push = _help("push-model")
    assert "lintseq evaluate" not in push and "lintseq score" in push


def test_score_writes_x_results_jsonl_beside_x_jsonl():
    from lintseq_hf.cli.evaluate import results_path

    assert results_path("out/x.jsonl") == Path("out/x_results.jsonl")
    assert results_path("samples_humaneval_lintseq_2025.jsonl") == Path("samples_humaneval_lintseq_2025_results.jsonl")
    assert results_path("x.jsonl.gz") == Path("x_results.jsonl") and results_path("x") == Path("x_results.jsonl")


def test_the_plot_starts_at_zero_percent():
    pytest.importorskip("matplotlib")
    from lintseq_hf.evaluation.plot import pass_at_k_figure

    figure = pass_at_k_figure({"zero": {1: 0.0, 2: 0.0, 4: 0.0}, "some": {1: 0.01, 2: 0.02, 4: 0.03}})
    assert figure.axes[0].get_ylim()[0] == 0


def test_builder_info_carries_the_citation_and_homepage_of_the_card(tmp_path):
    import datasets

    import lintseq_hf  # noqa: F401  (registers the builder)
    from lintseq_hf.dataset.card import CITATION  # the card's citation is the builder's

    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text(json.dumps({"instruction": "Add one.", "response": "def inc(x):\n    return x + 1\n"}) + "\n")
    rows = datasets.load_dataset("lintseq", "instruct", data_files=str(pairs), cache_dir=str(tmp_path / "c"),
                                 split="train")
    assert rows.info.citation == CITATION and "2410.02749" in CITATION
    assert rows.info.homepage == "https://arxiv.org/abs/2410.02749"


def test_build_dataset_prints_each_summary_once_on_a_fresh_cache(tmp_path):
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text("".join(json.dumps(row) + "\n" for row in (
        {"instruction": "Add one.", "response": "def inc(x):\n    return x + 1\n"},
        {"instruction": "Broken.", "response": "def f(:\n    return 1\n"},  # dropped: the summary is a warning
    )))
    command = [sys.executable, "-m", "lintseq_hf.cli", "build-dataset", "--data-files", str(pairs), "--output-dir",
               str(tmp_path / "out"), "--config", "instruct", "--cache-dir", str(tmp_path / "cache")]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for cache in ("fresh", "cached"):
        done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=600)
        assert done.returncode == 0, done.stderr[-2000:]
        summaries = [line for line in done.stderr.splitlines() if line.startswith("lintseq/instruct split 'train'")]
        assert len(summaries) == 1, (cache, done.stderr[-2000:])
        assert "1 dropped" in summaries[0] or "1 kept" in summaries[0]
