"""CLI subcommand ``compare``: is run B better than run A? The difference at each k, with error bars.

Reads two per-sample results files (``lintseq score`` output or lm-eval ``--log_samples`` files of
our tasks, any benchmark or language the scorer knows), pairs them problem by problem and prints,
for each k, B − A with a paired bootstrap 95% interval and the paired tests of
:mod:`lintseq_hf.evaluation.statistics`; draws both pass@k curves with their 95% bands.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

DEFAULT_KS = (1, 5, 10)


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``compare`` to the ``lintseq`` CLI."""
    from lintseq_hf.cli.evaluate import _ks

    compare = subparsers.add_parser(
        "compare", help="paired comparison of two scored runs: B - A at each k with 95%% intervals and tests",
        description="For each k: pass@k of A and B, the difference B - A with a paired bootstrap 95%% interval "
        "over problems, the sign test and the Wilcoxon signed-rank test on the per-problem pass@k "
        "differences (McNemar's exact test when both runs have one sample per problem). Both files must "
        "cover the same problems. Prints a table (or JSON with --json) and draws the pass@k curves with "
        "95%% bands.")
    compare.add_argument("a", help="results of run A (`lintseq score` --results, or lm-eval samples); "
                         "LABEL=PATH names it")
    compare.add_argument("b", help="results of run B, compared against A; LABEL=PATH names it")
    compare.add_argument("--k", type=_ks, default=None,
                         help="comma-separated k values (default: those of 1,5,10 both runs support)")
    compare.add_argument("--resamples", type=int, default=10_000, help="bootstrap resamples (default 10000)")
    compare.add_argument("--seed", type=int, default=0, help="bootstrap seed (default 0)")
    compare.add_argument("--plot", default="compare_pass_at_k.png",
                         help="image of both pass@k curves with 95%% bands (default compare_pass_at_k.png; "
                         "'' for none)")
    compare.add_argument("--json", action="store_true", help="print the comparison as JSON instead of a table")
    compare.set_defaults(func=_compare)


def _labelled(spec: str) -> tuple[str, Path]:
    if "=" in spec and not Path(spec).exists():
        label, _, path = spec.partition("=")
        return label, Path(path)
    return Path(spec).stem, Path(spec)


def compare_files(a: str, b: str, ks: list[int] | None = None, *, resamples: int = 10_000,
                  seed: int = 0) -> dict[str, Any]:
    """The comparison of two results files as a plain dict (what ``--json`` prints)."""
    from lintseq_hf.evaluation.plot import read_passed
    from lintseq_hf.evaluation.statistics import compare, max_k, pass_at_k_ci, pass_counts

    (label_a, path_a), (label_b, path_b) = _labelled(a), _labelled(b)
    if label_a == label_b:
        label_a, label_b = f"{label_a} (A)", f"{label_b} (B)"
    counts_a, counts_b = pass_counts(read_passed(path_a)), pass_counts(read_passed(path_b))
    limit = min(max_k(counts_a), max_k(counts_b))
    ks = ks or [k for k in DEFAULT_KS if k <= limit]
    comparisons = compare(counts_a, counts_b, ks, resamples=resamples, seed=seed)
    curve_ks = list(range(1, limit + 1))
    return {
        "a": {"label": label_a, "path": str(path_a), "samples_per_problem": max_k(counts_a),
              "curve": {str(k): v for k, v in pass_at_k_ci(counts_a, curve_ks, resamples=resamples,
                                                            seed=seed).items()}},
        "b": {"label": label_b, "path": str(path_b), "samples_per_problem": max_k(counts_b),
              "curve": {str(k): v for k, v in pass_at_k_ci(counts_b, curve_ks, resamples=resamples,
                                                            seed=seed).items()}},
        "bootstrap": {"resamples": resamples, "seed": seed, "paired": True},
        "comparisons": [c.as_dict() for c in comparisons],
    }


def table(report: dict[str, Any]) -> str:
    """The comparison as a fixed-width text table (percentages)."""
    a, b = report["a"]["label"], report["b"]["label"]
    head = f"{'k':>4}  {a[:14]:>14}  {b[:14]:>14}  {'B - A':>7}  {'95% CI':>17}  {'sign p':>7}  {'wilcoxon p':>10}"
    lines = [f"A = {report['a']['path']} ({report['a']['samples_per_problem']} samples/problem)",
             f"B = {report['b']['path']} ({report['b']['samples_per_problem']} samples/problem)", head]
    for row in report["comparisons"]:
        low, high = row["ci95"]
        lines.append(f"{row['k']:>4}  {100 * row['a']:>13.1f}%  {100 * row['b']:>13.1f}%  "
                     f"{100 * row['difference']:>+6.1f}%  [{100 * low:>+6.1f}, {100 * high:>+6.1f}]  "
                     f"{row['sign_test']['p_value']:>7.3g}  {row['wilcoxon']['p_value']:>10.3g}")
        if "mcnemar_exact" in row:
            m = row["mcnemar_exact"]
            lines.append(f"      McNemar exact: only A {m['only_a']}, only B {m['only_b']}, p = {m['p_value']:.3g}")
    lines.append(f"{report['comparisons'][0]['problems'] if report['comparisons'] else 0} problems; "
                 f"paired bootstrap over problems ({report['bootstrap']['resamples']} resamples, "
                 f"seed {report['bootstrap']['seed']})")
    return "\n".join(lines)


def _compare(args: argparse.Namespace) -> int:
    report = compare_files(args.a, args.b, args.k, resamples=args.resamples, seed=args.seed)
    print(json.dumps(report, indent=1) if args.json else table(report))
    if args.plot:
        from lintseq_hf.evaluation.plot import plot_pass_at_k

        curves, bands = {}, {}
        for side in ("a", "b"):
            entry = report[side]
            curves[entry["label"]] = {int(k): v["value"] for k, v in entry["curve"].items()}
            bands[entry["label"]] = {int(k): v["ci95"] for k, v in entry["curve"].items()}
        out = plot_pass_at_k(curves, args.plot, title="pass@k with 95% bootstrap bands", bands=bands)
        print(f"plot written to {out}", file=sys.stderr)
    return 0
