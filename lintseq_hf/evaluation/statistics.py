"""Error bars for pass@k: bootstrap confidence intervals over problems and paired comparisons of two runs.

A benchmark is a sample of problems, so the uncertainty of a pass@k figure is mostly which problems
were drawn: the intervals here resample problems (with replacement), each keeping its ``n`` samples
and ``c`` passes, and recompute the mean unbiased pass@k. Two runs on the same problems are compared
pairwise (the same resampled problems for both), which removes the between-problem variance the two
runs share. Tests on the per-problem difference: the exact two-sided sign test, the Wilcoxon
signed-rank test (zeros dropped, tied ranks averaged; exact distribution without ties for up to 50
non-zero differences, the normal approximation with tie correction otherwise) and, when both runs
have one sample per problem, McNemar's exact test (the sign test on the discordant problems).
Everything is seeded: the same inputs give the same intervals. numpy and the standard library only
(scipy is the independent check in the tests).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from lintseq_hf.evaluation.scoring import SampleResult, estimate_pass_at_k

DEFAULT_RESAMPLES = 10_000
"""Bootstrap resamples: the 2.5/97.5 percentiles move by well under 0.1 points between seeds at 10k."""
DEFAULT_SEED = 0
EXACT_WILCOXON_MAX = 50
"""Untied non-zero differences up to this count get the exact signed-rank distribution (as scipy's ``auto``)."""

Counts = Mapping[str, tuple[int, int]]
"""``{task_id: (n samples, c passed)}``."""


def passed_by_problem(results: Iterable[SampleResult], known: Iterable[str]) -> dict[str, list[bool]]:
    """``{task_id: [passed per sample]}`` of the results whose task is one of ``known`` (in result order)."""
    keep = set(known)
    passed: dict[str, list[bool]] = {}
    for result in results:
        if result.task_id in keep:
            passed.setdefault(result.task_id, []).append(result.passed)
    return passed


def pass_counts(passed: Mapping[str, Sequence[bool]]) -> dict[str, tuple[int, int]]:
    """``{task_id: (n, c)}`` from per-sample verdicts."""
    return {task_id: (len(verdicts), sum(bool(v) for v in verdicts)) for task_id, verdicts in passed.items()}


def _per_problem(counts: Counts, task_ids: Sequence[str], k: int) -> np.ndarray:
    return estimate_pass_at_k([counts[t][0] for t in task_ids], [counts[t][1] for t in task_ids], k)


def _natural_key(task_id: str) -> tuple[object, ...]:
    """``HumanEval/9`` before ``HumanEval/10``: digit runs compare as numbers."""
    return tuple(int(part) if i % 2 else part for i, part in enumerate(re.split(r"(\d+)", task_id)))


def _canonical(task_ids: Iterable[str]) -> list[str]:
    """The problems in the order the bootstrap draws them from: their natural order, whatever order
    the input had (results merged from shards, or counts read back from a file with sorted keys,
    resample the same problems). A benchmark's own order is its natural one, so its intervals are
    the ones it always had."""
    return sorted(task_ids, key=_natural_key)


def _indices(problems: int, resamples: int, seed: int) -> np.ndarray:
    """``resamples`` bootstrap draws of problem indices (one row per draw), the same for the same seed."""
    return np.random.default_rng(seed).integers(0, problems, size=(resamples, problems))


def _interval(values: np.ndarray, draws: np.ndarray) -> list[float]:
    means = values[draws].mean(axis=1)
    low, high = np.percentile(means, [2.5, 97.5])
    return [float(low), float(high)]


def max_k(counts: Counts) -> int:
    """The largest k every problem supports (the fewest samples any problem has)."""
    if not counts:
        raise ValueError("no problems")
    return min(n for n, _ in counts.values())


def pass_at_k_ci(counts: Counts, ks: Iterable[int], *, resamples: int = DEFAULT_RESAMPLES,
                 seed: int = DEFAULT_SEED) -> dict[int, dict[str, object]]:
    """``{k: {"value": pass@k, "ci95": [low, high]}}`` for each k every problem supports.

    The interval is the percentile bootstrap over problems (``resamples`` draws, ``seed``), drawn
    from the problems in their natural order, so that it does not depend on the input's order.
    """
    task_ids = list(counts)  # input order: the value is the float `lintseq score` always printed
    position = {task_id: i for i, task_id in enumerate(task_ids)}
    limit = max_k(counts)
    # draws over the natural order, as positions in the input's
    draws = np.array([position[t] for t in _canonical(task_ids)])[_indices(len(task_ids), resamples, seed)]
    out: dict[int, dict[str, object]] = {}
    for k in ks:
        if k <= limit:
            values = _per_problem(counts, task_ids, k)
            out[k] = {"value": float(values.mean()), "ci95": _interval(values, draws)}
    return out


# -- paired tests ----------------------------------------------------------------------------------

def sign_test(differences: Sequence[float]) -> dict[str, float]:
    """Exact two-sided sign test: how many differences are positive among the non-zero ones."""
    positive = sum(1 for d in differences if d > 0)
    negative = sum(1 for d in differences if d < 0)
    return {"positive": positive, "negative": negative, "p_value": _binomial_two_sided(positive, positive + negative)}


def _binomial_two_sided(successes: int, trials: int) -> float:
    """Two-sided exact binomial p at p = 1/2 (twice the smaller tail, at most 1)."""
    if trials == 0:
        return 1.0
    tail = sum(math.comb(trials, i) for i in range(min(successes, trials - successes) + 1))
    return min(1.0, 2.0 * tail / 2.0**trials)


def mcnemar_exact(a: Sequence[bool], b: Sequence[bool]) -> dict[str, float]:
    """McNemar's exact test on paired single verdicts: only problems where the runs disagree count."""
    if len(a) != len(b):
        raise ValueError(f"McNemar needs paired verdicts ({len(a)} vs {len(b)})")
    only_b = sum(1 for x, y in zip(a, b) if y and not x)
    only_a = sum(1 for x, y in zip(a, b) if x and not y)
    return {"only_a": only_a, "only_b": only_b, "p_value": _binomial_two_sided(only_b, only_a + only_b)}


def _ranks(values: np.ndarray) -> np.ndarray:
    """1-based ranks, ties get the mean of the ranks they span."""
    order = np.argsort(values, kind="mergesort")
    ranks = np.empty(len(values))
    sorted_values = values[order]
    start = 0
    while start < len(values):
        end = start
        while end + 1 < len(values) and sorted_values[end + 1] == sorted_values[start]:
            end += 1
        ranks[order[start : end + 1]] = (start + end) / 2.0 + 1.0
        start = end + 1
    return ranks


def wilcoxon_signed_rank(differences: Sequence[float]) -> dict[str, object]:
    """Two-sided Wilcoxon signed-rank test of the per-problem differences (zeros dropped).

    ``statistic`` is min(R+, R-). Exact when there are at most :data:`EXACT_WILCOXON_MAX` non-zero
    differences and no ties among their magnitudes; otherwise the normal approximation with the tie
    correction of the variance and no continuity correction.
    """
    d = np.array([x for x in differences if x != 0], dtype=float)
    count = len(d)
    if count == 0:
        return {"nonzero": 0, "statistic": 0.0, "p_value": 1.0, "method": "none"}
    magnitudes = np.abs(d)
    ranks = _ranks(magnitudes)
    r_plus = float(ranks[d > 0].sum())
    r_minus = float(ranks[d < 0].sum())
    statistic = min(r_plus, r_minus)
    tied = len(np.unique(magnitudes)) < count
    if count <= EXACT_WILCOXON_MAX and not tied:
        # number of subsets of {1..count} with each rank sum, by dynamic programming
        ways = np.zeros(count * (count + 1) // 2 + 1, dtype=object)
        ways[0] = 1
        for rank in range(1, count + 1):
            ways[rank:] = ways[rank:] + ways[: len(ways) - rank]
        tail = sum(ways[: int(statistic) + 1])
        p_value = min(1.0, float(2 * tail) / 2.0**count)
        return {"nonzero": count, "statistic": statistic, "p_value": p_value, "method": "exact"}
    mean = count * (count + 1) / 4.0
    _, tie_sizes = np.unique(magnitudes, return_counts=True)
    variance = count * (count + 1) * (2 * count + 1) / 24.0 - float((tie_sizes**3 - tie_sizes).sum()) / 48.0
    if variance <= 0:
        return {"nonzero": count, "statistic": statistic, "p_value": 1.0, "method": "normal"}
    z = (statistic - mean) / math.sqrt(variance)
    p_value = min(1.0, math.erfc(abs(z) / math.sqrt(2.0)))
    return {"nonzero": count, "statistic": statistic, "p_value": p_value, "method": "normal"}


@dataclass(frozen=True)
class Comparison:
    """B − A at one k over the problems both runs cover."""

    k: int
    problems: int
    a: float
    b: float
    difference: float
    ci95: list[float]
    sign: dict[str, float]
    wilcoxon: dict[str, object]
    mcnemar: dict[str, float] | None  # both runs have exactly one sample per problem

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"k": self.k, "problems": self.problems, "a": self.a, "b": self.b,
                                  "difference": self.difference, "ci95": self.ci95, "sign_test": self.sign,
                                  "wilcoxon": self.wilcoxon}
        if self.mcnemar is not None:
            out["mcnemar_exact"] = self.mcnemar
        return out


def compare(a: Counts, b: Counts, ks: Iterable[int], *, resamples: int = DEFAULT_RESAMPLES,
            seed: int = DEFAULT_SEED) -> list[Comparison]:
    """Paired comparison of two runs at each k (both must cover the same problems).

    The interval resamples problems once for both runs (a paired bootstrap of the mean difference);
    the tests look at the per-problem pass@k differences.
    """
    if set(a) != set(b):
        only_a, only_b = sorted(set(a) - set(b)), sorted(set(b) - set(a))
        raise ValueError(f"the runs cover different problems (only in A: {only_a[:3]}, only in B: {only_b[:3]}"
                         f"; {len(only_a)} and {len(only_b)} in all)")
    task_ids = _canonical(a)
    limit = min(max_k(a), max_k(b))
    draws = _indices(len(task_ids), resamples, seed)
    single = all(a[t][0] == 1 and b[t][0] == 1 for t in task_ids)
    comparisons = []
    for k in ks:
        if k > limit:
            raise ValueError(f"k={k} needs {k} samples per problem; the runs have at least {limit}")
        values_a, values_b = _per_problem(a, task_ids, k), _per_problem(b, task_ids, k)
        differences = values_b - values_a
        mcnemar = (mcnemar_exact([bool(a[t][1]) for t in task_ids], [bool(b[t][1]) for t in task_ids])
                   if single else None)
        comparisons.append(Comparison(k, len(task_ids), float(values_a.mean()), float(values_b.mean()),
                                      float(differences.mean()), _interval(differences, draws),
                                      sign_test(differences.tolist()), wilcoxon_signed_rank(differences.tolist()),
                                      mcnemar))
    return comparisons


def score_report(passed: Mapping[str, Sequence[bool]], ks: Iterable[int], *, resamples: int = DEFAULT_RESAMPLES,
                 seed: int = DEFAULT_SEED) -> tuple[dict[str, object], dict[str, object]]:
    """What ``lintseq score`` prints and what its summary file holds.

    The printed dict keeps the old form (``"pass@k": value``, a float, for every reader written
    before intervals existed) and adds ``"pass@k_ci95": [low, high]``; the summary adds the
    per-problem ``{"n", "c"}`` counts and the bootstrap settings.
    """
    counts = pass_counts(passed)
    with_ci = pass_at_k_ci(counts, ks, resamples=resamples, seed=seed) if counts else {}
    printed: dict[str, object] = {}
    for k, entry in with_ci.items():
        printed[f"pass@{k}"] = entry["value"]
    for k, entry in with_ci.items():
        printed[f"pass@{k}_ci95"] = entry["ci95"]
    summary = {"pass_at_k": {f"pass@{k}": entry for k, entry in with_ci.items()},
               "bootstrap": {"resamples": resamples, "seed": seed, "over": "problems", "interval": "percentile 95%"},
               "problems": {task_id: {"n": n, "c": c} for task_id, (n, c) in sorted(counts.items())}}
    return printed, summary


__all__ = [
    "DEFAULT_RESAMPLES", "DEFAULT_SEED", "Comparison", "Counts", "compare", "max_k", "mcnemar_exact",
    "pass_at_k_ci", "pass_counts", "passed_by_problem", "score_report", "sign_test", "wilcoxon_signed_rank",
]
