"""pass@k intervals and paired comparisons (evaluation/statistics.py, `lintseq compare`), checked against scipy."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from lintseq_hf.cli import main
from lintseq_hf.evaluation.scoring import aggregate_pass_at_k, estimate_pass_at_k
from lintseq_hf.evaluation.statistics import (
    compare,
    mcnemar_exact,
    pass_at_k_ci,
    pass_counts,
    score_report,
    sign_test,
    wilcoxon_signed_rank,
)

ROOT = Path(__file__).resolve().parent.parent


def _runs(problems: int = 120, n: int = 10, seed: int = 3) -> tuple[dict, dict]:
    """Two runs of ``n`` samples on the same problems; B is a little better on average."""
    rng = np.random.default_rng(seed)
    skill = rng.beta(0.4, 2.0, size=problems)
    a = {f"T/{i}": [bool(x) for x in rng.random(n) < skill[i]] for i in range(problems)}
    b = {f"T/{i}": [bool(x) for x in rng.random(n) < min(1.0, skill[i] + 0.05)] for i in range(problems)}
    return a, b


def _write_results(path: Path, passed: dict[str, list[bool]]) -> None:
    with path.open("w") as handle:
        for task_id, verdicts in passed.items():
            for verdict in verdicts:
                handle.write(json.dumps({"task_id": task_id, "completion": "", "passed": verdict}) + "\n")


def test_the_value_is_the_unbiased_estimate_and_the_interval_is_seeded_and_brackets_it():
    a, _ = _runs()
    counts = pass_counts(a)
    first = pass_at_k_ci(counts, [1, 5, 10, 11])
    assert sorted(first) == [1, 5, 10]  # k = 11 needs 11 samples per problem
    expected = aggregate_pass_at_k(a, [1, 5, 10])
    for k, entry in first.items():
        assert entry["value"] == expected[f"pass@{k}"]
        low, high = entry["ci95"]
        assert low < entry["value"] < high
    assert pass_at_k_ci(counts, [1, 5, 10]) == first
    assert pass_at_k_ci(counts, [1], seed=1)[1]["ci95"] != first[1]["ci95"]


def test_the_intervals_do_not_depend_on_the_order_of_the_problems():
    # counts read back from a file with sorted keys ("T/0", "T/1", "T/10", ...) or merged from shards
    a, b = _runs()
    counts_a, counts_b = pass_counts(a), pass_counts(b)
    shuffled = list(counts_a)
    np.random.default_rng(1).shuffle(shuffled)
    for order in (sorted(counts_a), shuffled):
        again_a = {t: counts_a[t] for t in order}
        again_b = {t: counts_b[t] for t in reversed(order)}
        for k, entry in pass_at_k_ci(again_a, [1, 5, 10]).items():
            assert entry["ci95"] == pass_at_k_ci(counts_a, [k])[k]["ci95"]
            assert entry["value"] == pytest.approx(pass_at_k_ci(counts_a, [k])[k]["value"], abs=1e-15)
        for ours, theirs in zip(compare(again_a, again_b, [1, 5]), compare(counts_a, counts_b, [1, 5])):
            assert ours.ci95 == theirs.ci95 and ours.wilcoxon == theirs.wilcoxon and ours.sign == theirs.sign


@pytest.mark.parametrize("k", [1, 5])
def test_the_interval_agrees_with_scipys_percentile_bootstrap(k):
    a, _ = _runs()
    counts = pass_counts(a)
    values = estimate_pass_at_k([n for n, _ in counts.values()], [c for _, c in counts.values()], k)
    reference = stats.bootstrap((values,), np.mean, n_resamples=20_000, method="percentile",
                                rng=np.random.default_rng(11)).confidence_interval
    low, high = pass_at_k_ci(counts, [k])[k]["ci95"]
    assert low == pytest.approx(reference.low, abs=0.01) and high == pytest.approx(reference.high, abs=0.01)


@pytest.mark.parametrize("k", [1, 5, 10])
def test_paired_comparison_matches_scipy_on_the_same_counts(k):
    a, b = _runs()
    [result] = compare(pass_counts(a), pass_counts(b), [k])
    ids = list(a)
    va = estimate_pass_at_k([10] * len(ids), [sum(a[t]) for t in ids], k)
    vb = estimate_pass_at_k([10] * len(ids), [sum(b[t]) for t in ids], k)
    d = vb - va
    assert result.difference == pytest.approx(d.mean(), abs=1e-12)
    assert (result.a, result.b) == (pytest.approx(va.mean()), pytest.approx(vb.mean()))
    wilcoxon = stats.wilcoxon(d, zero_method="wilcox", correction=False, method="approx")
    assert result.wilcoxon["method"] == "normal"  # per-problem pass rates tie
    assert result.wilcoxon["p_value"] == pytest.approx(wilcoxon.pvalue, rel=1e-9)
    assert result.wilcoxon["statistic"] == pytest.approx(wilcoxon.statistic)
    signs = stats.binomtest(int((d > 0).sum()), int((d != 0).sum()), 0.5)
    assert result.sign["p_value"] == pytest.approx(signs.pvalue, rel=1e-9)
    reference = stats.bootstrap((va, vb), lambda x, y: np.mean(y - x), paired=True, n_resamples=20_000,
                                method="percentile", rng=np.random.default_rng(5)).confidence_interval
    assert result.ci95[0] == pytest.approx(reference.low, abs=0.01)
    assert result.ci95[1] == pytest.approx(reference.high, abs=0.01)
    assert result.mcnemar is None


def test_exact_wilcoxon_and_mcnemar_match_scipy():
    d = [0.3, -0.1, 0.25, 0.7, -0.45, 0.05, 0.9, 0.0, 0.62, -0.33, 0.11]
    ours = wilcoxon_signed_rank(d)
    theirs = stats.wilcoxon(d, zero_method="wilcox", method="exact")
    assert ours["method"] == "exact" and ours["nonzero"] == 10
    assert ours["statistic"] == theirs.statistic and ours["p_value"] == pytest.approx(theirs.pvalue, rel=1e-12)
    a = [True, False, False, True, False, False, True, False, False, False]
    b = [True, True, True, False, True, False, True, True, False, False]
    m = mcnemar_exact(a, b)
    assert (m["only_a"], m["only_b"]) == (1, 4)
    assert m["p_value"] == pytest.approx(stats.binomtest(4, 5, 0.5).pvalue, rel=1e-12)
    assert sign_test([0.0, 0.0])["p_value"] == 1.0


def test_single_samples_get_mcnemar_and_different_problem_sets_are_refused():
    a = {f"T/{i}": [i % 3 == 0] for i in range(30)}
    b = {f"T/{i}": [i % 2 == 0] for i in range(30)}
    [result] = compare(pass_counts(a), pass_counts(b), [1])
    only_a = sum(1 for i in range(30) if i % 3 == 0 and i % 2)
    only_b = sum(1 for i in range(30) if i % 2 == 0 and i % 3)
    assert (result.mcnemar["only_a"], result.mcnemar["only_b"]) == (only_a, only_b)
    assert result.mcnemar["p_value"] == pytest.approx(stats.binomtest(only_b, only_a + only_b).pvalue)
    with pytest.raises(ValueError, match="different problems"):
        compare(pass_counts(a), pass_counts({**b, "T/99": [True]}), [1])
    with pytest.raises(ValueError, match="k=2 needs 2 samples"):
        compare(pass_counts(a), pass_counts(b), [2])


def test_score_report_keeps_the_old_keys_and_adds_intervals_and_counts():
    a, _ = _runs(problems=20)
    printed, summary = score_report(a, [1, 10, 100])
    assert list(printed) == ["pass@1", "pass@10", "pass@1_ci95", "pass@10_ci95"]
    assert isinstance(printed["pass@1"], float) and printed["pass@1"] == aggregate_pass_at_k(a, [1])["pass@1"]
    assert summary["problems"]["T/0"] == {"n": 10, "c": sum(a["T/0"])}
    assert summary["pass_at_k"]["pass@10"]["ci95"] == printed["pass@10_ci95"]


def test_lintseq_compare_prints_a_table_json_and_a_plot(tmp_path, capsys):
    a, b = _runs(problems=40)
    _write_results(tmp_path / "a.jsonl", a)
    _write_results(tmp_path / "b.jsonl", b)
    plot = tmp_path / "cmp.png"
    assert main(["compare", f"base={tmp_path / 'a.jsonl'}", f"new={tmp_path / 'b.jsonl'}", "--k", "1,10",
                 "--json", "--plot", str(plot)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert [row["k"] for row in report["comparisons"]] == [1, 10]
    [expected] = compare(pass_counts(a), pass_counts(b), [10])
    assert report["comparisons"][1] == json.loads(json.dumps(expected.as_dict()))
    assert report["a"]["label"] == "base" and len(report["b"]["curve"]) == 10
    assert plot.stat().st_size > 0
    assert main(["compare", str(tmp_path / "a.jsonl"), str(tmp_path / "b.jsonl"), "--plot", ""]) == 0
    text = capsys.readouterr().out
    assert "B - A" in text and text.count("\n") >= 5
    assert main(["compare", str(tmp_path / "a.jsonl"), str(tmp_path / "b.jsonl"), "--k", "11", "--plot", ""]) == 2
    assert "k=11 needs 11 samples" in capsys.readouterr().err


@pytest.mark.slow
def test_lintseq_compare_on_the_committed_replication_rows(tmp_path, capsys):
    """Score the committed Instruct and guided samples, compare them; McNemar checked with scipy."""
    results = {}
    for row, mode in (("instruct", "instruct"), ("lintseq_guided", "lintseq")):
        results[row] = tmp_path / f"{row}.jsonl"
        samples = ROOT / "benchmarks" / "results" / f"replication_cpu_{row}_samples.jsonl"
        assert main(["score", "--samples", str(samples), "--mode", mode, "--k", "1",
                     "--results", str(results[row])]) == 0
        printed = json.loads(capsys.readouterr().out)
        low, high = printed["pass@1_ci95"]
        assert low <= printed["pass@1"] <= high
        summary = json.loads((tmp_path / f"{row}_summary.json").read_text())
        assert len(summary["problems"]) == 164
    assert main(["compare", str(results["instruct"]), str(results["lintseq_guided"]), "--json", "--plot", ""]) == 0
    [row] = json.loads(capsys.readouterr().out)["comparisons"]
    a = [json.loads(line)["passed"] for line in results["instruct"].read_text().splitlines()]
    b = [json.loads(line)["passed"] for line in results["lintseq_guided"].read_text().splitlines()]
    only_a = sum(x and not y for x, y in zip(a, b))
    only_b = sum(y and not x for x, y in zip(a, b))
    assert row["mcnemar_exact"]["p_value"] == pytest.approx(stats.binomtest(only_b, only_a + only_b).pvalue)
    assert row["difference"] == pytest.approx((sum(b) - sum(a)) / 164)
