"""pass@k curves from result files, drawn in the paper's style (matplotlib, Agg backend).

Inputs are per-sample results: ``lintseq score`` output (rows with ``task_id`` and
``passed``) or lm-eval ``--log_samples`` files of our tasks (rows whose ``filtered_resps``
are the execute filter's verdicts).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from lintseq_hf.evaluation.scoring import aggregate_pass_at_k, iter_results_jsonl
from lintseq_hf.sandbox.base import PASSED


def read_passed(path: str | Path) -> dict[str, list[bool]]:
    """``{task_id: [passed per sample]}`` from a results ``.jsonl`` file."""
    passed: dict[str, list[bool]] = defaultdict(list)
    for number, row in iter_results_jsonl(path):
        if not isinstance(row, dict):
            raise ValueError(f"{path}:{number}: not a JSON object")
        if "passed" in row and "task_id" in row:
            passed[str(row["task_id"])].append(bool(row["passed"]))
        elif "filtered_resps" in row and isinstance(row.get("doc"), dict):
            verdicts = row["filtered_resps"]
            verdicts = verdicts[0] if verdicts and isinstance(verdicts[0], list) else verdicts
            task_id = str(row["doc"].get("task_id", row.get("doc_id")))
            passed[task_id].extend(_verdict_passed(v) for v in verdicts)
        else:
            raise ValueError(f"{path}:{number}: neither a `lintseq score` nor an lm-eval sample row")
    if not passed:
        raise ValueError(f"{path}: no samples")
    return dict(passed)


def _verdict_passed(verdict: object) -> bool:
    if isinstance(verdict, str):
        try:
            verdict = json.loads(verdict)
        except ValueError:
            return False
    return isinstance(verdict, dict) and verdict.get("status") == PASSED


def pass_at_k_curve(passed: Mapping[str, Sequence[bool]], ks: Iterable[int] | None = None) -> dict[int, float]:
    """pass@k for each k (default: 1..n, n = the fewest samples any problem has)."""
    n = min(len(v) for v in passed.values())
    ks = list(range(1, n + 1)) if ks is None else [k for k in ks if k <= n]
    values = aggregate_pass_at_k(passed, ks)
    return {k: values[f"pass@{k}"] for k in ks}


def plot_pass_at_k(curves: Mapping[str, Mapping[int, float]], out: str | Path, *, title: str = "",
                   x_label: str = "k (samples)",
                   bands: Mapping[str, Mapping[int, Sequence[float]]] | None = None) -> Path:
    """One line per model: pass@k (%) against k on a log-2 axis; saves to ``out`` (png/pdf/svg).

    ``bands`` (optional, per label ``{k: [low, high]}``) shades each curve's confidence interval.
    """
    import matplotlib.pyplot as plt

    fig = pass_at_k_figure(curves, title=title, x_label=x_label, bands=bands)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out)
    plt.close(fig)
    return out


def pass_at_k_figure(curves: Mapping[str, Mapping[int, float]], *, title: str = "", x_label: str = "k (samples)",
                     bands: Mapping[str, Mapping[int, Sequence[float]]] | None = None) -> Any:
    """The figure :func:`plot_pass_at_k` saves: pass@k from 0% (a rate is never negative) against k."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(4.8, 3.6), dpi=150)
    markers = "osD^v<>ph*"
    for index, (label, curve) in enumerate(curves.items()):
        ks = sorted(curve)
        line, = ax.plot(ks, [100.0 * curve[k] for k in ks], marker=markers[index % len(markers)], markersize=3.5,
                        linewidth=1.6, label=label)
        band = (bands or {}).get(label)
        if band:
            shown = [k for k in ks if k in band]
            lows, highs = [100.0 * band[k][0] for k in shown], [100.0 * band[k][1] for k in shown]
            if len(shown) == 1:  # one k: an error bar (a band needs two points)
                value = 100.0 * curve[shown[0]]
                ax.errorbar(shown, [value], yerr=[[value - lows[0]], [highs[0] - value]], color=line.get_color(),
                            capsize=3, linewidth=1.2)
            else:
                ax.fill_between(shown, lows, highs, color=line.get_color(), alpha=0.18, linewidth=0)
    ax.set_xscale("log", base=2)
    ax.set_xlabel(x_label)
    ax.set_ylabel("pass@k (%)")
    ax.set_ylim(bottom=0)
    if title:
        ax.set_title(title)
    ax.grid(True, which="major", linestyle="--", linewidth=0.6, alpha=0.6)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.legend(frameon=False, fontsize="small")
    fig.tight_layout()
    return fig
