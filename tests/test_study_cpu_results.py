"""The committed cpu study (benchmarks/results/study_cpu*): its raw samples re-score, problem for problem,
to the published counts, and every published figure follows from those counts."""

from __future__ import annotations

import json
from math import comb
from pathlib import Path

import numpy as np
import pytest

from benchmarks.study import MODE, ROWS
from lintseq_hf.cli import main
from lintseq_hf.evaluation.statistics import compare, pass_at_k_ci

RESULTS = Path(__file__).resolve().parent.parent / "benchmarks" / "results"


@pytest.fixture(scope="module")
def summary():
    return json.loads((RESULTS / "study_cpu.json").read_text())


@pytest.mark.slow
@pytest.mark.parametrize("greedy", [False, True], ids=["sampled", "greedy"])
@pytest.mark.parametrize("row", ROWS)
def test_the_committed_samples_rescore_to_the_published_counts_and_figures(summary, row, greedy, tmp_path, capsys):
    entry = summary[row]["greedy"] if greedy else summary[row]
    n = 1 if greedy else summary[row]["n"]
    samples = RESULTS / f"study_cpu_{row}{'_greedy' if greedy else ''}_samples.jsonl"
    rows = [json.loads(line) for line in samples.read_text().splitlines()]
    assert len(rows) == 164 * n and len(entry["counts"]) == 164
    ks = "1" if greedy else "1,5,10"
    results = tmp_path / "results.jsonl"
    assert main(["score", "--samples", str(samples), "--mode", MODE[row], "--k", ks, "--results", str(results)]) == 0
    printed = json.loads(capsys.readouterr().out)
    rescored: dict[str, list[int]] = {}
    for line in results.read_text().splitlines():
        result = json.loads(line)
        tally = rescored.setdefault(result["task_id"], [0, 0])
        tally[0] += 1
        tally[1] += bool(result["passed"])
    assert rescored == entry["counts"]
    for k in map(int, ks.split(",")):
        published = entry[f"pass@{k}"]  # greedy rows too: {"value", "ci95"}
        assert printed[f"pass@{k}"] == pytest.approx(published["value"], abs=1e-12)
        assert printed[f"pass@{k}_ci95"] == published["ci95"]
        # the unbiased estimator, computed here without the package
        direct = np.mean([1 - comb(total - c, k) / comb(total, k) for total, c in entry["counts"].values()])
        assert published["value"] == pytest.approx(direct, abs=1e-12)


@pytest.mark.slow
def test_the_published_intervals_and_comparisons_follow_from_the_counts(summary):
    for row in ROWS:
        recomputed = pass_at_k_ci(summary[row]["counts"], (1, 5, 10))
        for k in (1, 5, 10):
            published = summary[row][f"pass@{k}"]
            assert published["ci95"] == json.loads(json.dumps(recomputed[k]["ci95"]))
            # the counts come back in sorted-key order: the mean of the same numbers, summed in another order
            assert published["value"] == pytest.approx(recomputed[k]["value"], abs=1e-15)
    for name, published in summary["comparisons"].items():
        b, a = name.split("-")
        again = compare(summary[a]["counts"], summary[b]["counts"], [c["k"] for c in published])
        assert json.loads(json.dumps([c.as_dict() for c in again])) == published
        for c in published:
            k = c["k"]
            assert c["difference"] == pytest.approx(summary[b][f"pass@{k}"]["value"] - summary[a][f"pass@{k}"]["value"])
    for name, published in summary["comparisons_greedy"].items():
        b, a = name.split("-")
        again = compare(summary[a]["greedy"]["counts"], summary[b]["greedy"]["counts"], [1])
        assert json.loads(json.dumps([c.as_dict() for c in again])) == published
