"""Evaluation results for a model card's ``model-index``: read from lm-eval's results file (or ours), honestly.

Only real metrics become entries: in an lm-eval file, the metrics its ``higher_is_better`` lists for the
task (lm-eval's bookkeeping, ``name``, ``alias``, ``sample_len``, is not a metric; standard errors
are left out). Each score carries its coverage: problems scored (lm-eval's ``n-samples.effective``),
problems in the benchmark, and samples per problem (the task's ``repeats``). A run that did not cover
the whole benchmark (``--limit``, a limited problem set) is refused unless ``allow_partial``; then its
entries are labelled partial, with both counts, in the dataset and metric names.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

TASK_DATASETS = {  # evaluation task family → the Hub dataset it scores against, its name (model-index)
    "humaneval_plus": ("evalplus/humanevalplus", "HumanEval+"),
    "humaneval": ("openai/openai_humaneval", "HumanEval"),
    "mbpp_plus": ("evalplus/mbppplus", "MBPP+"),
    "mbpp": ("google-research-datasets/mbpp", "MBPP"),
}
BENCHMARK_PROBLEMS = {"humaneval_plus": 164, "humaneval": 164, "mbpp": 500}
"""Problems of a whole benchmark, where fixed (MBPP: the test split, task ids 11-510)."""
LM_EVAL_BOOKKEEPING = frozenset({"name", "alias", "sample_len", "samples"})
"""Numbers lm-eval writes beside a task's metrics that are not metrics."""
OUR_METRIC = re.compile(r"pass@\d+")
"""The metrics of our own results format (``lintseq score``'s pass@k)."""


class EvalResultsError(ValueError):
    """An ``--eval-results`` file cannot be read, holds no metric, or covers only part of its benchmark."""


@dataclass(frozen=True)
class EvalScore:
    """One evaluation number for the card's ``model-index``: ``task`` (e.g. ``humaneval_lintseq``), ``metric``.

    ``problems``: problems scored; ``benchmark_problems``: problems of the whole benchmark;
    ``samples_per_problem``: generations per problem (``None`` where the file does not say).
    """

    task: str
    metric: str
    value: float
    problems: int | None = None
    benchmark_problems: int | None = None
    samples_per_problem: int | None = None

    @property
    def partial(self) -> bool:
        """Scored on fewer problems than the benchmark has (or on a limited set of unknown size)."""
        if self.problems is None:
            return False
        return self.benchmark_problems is None or self.problems < self.benchmark_problems

    @property
    def coverage(self) -> str:
        """``"3 of 164 problems, 1 sample each"`` (what is known of it), or ``""``."""
        parts = []
        if self.problems is not None:
            total = self.benchmark_problems if self.benchmark_problems is not None else "an unknown number of"
            parts.append(f"{self.problems} of {total} problems")
        if self.samples_per_problem is not None:
            parts.append(f"{self.samples_per_problem} sample{'s' if self.samples_per_problem != 1 else ''} each")
        return ", ".join(parts)


def task_family(task: str) -> str | None:
    """The benchmark family a task name belongs to (``humaneval_plus_lintseq`` → ``humaneval_plus``)."""
    return next((family for family in TASK_DATASETS if task.startswith(family)), None)


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _lm_eval_scores(data: dict[str, Any]) -> list[EvalScore]:
    """The scores of an lm-eval results file (0.4.x: ``results``, ``higher_is_better``, ``n-samples``, ``configs``)."""
    scores = []
    for task, metrics in (data.get("results") or {}).items():
        real = set((data.get("higher_is_better") or {}).get(task) or {})
        counts = (data.get("n-samples") or {}).get(task) or {}
        config = (data.get("configs") or {}).get(task) or {}
        family = task_family(str(task))
        options = {**(config.get("dataset_kwargs") or {}),
                   **{k.removeprefix(f"{family}_"): v for k, v in (config.get("metadata") or {}).items()
                      if family and k.startswith(f"{family}_")}}
        scored = counts.get("effective", metrics.get("sample_len") if isinstance(metrics, dict) else None)
        total = BENCHMARK_PROBLEMS.get(family or "")
        if total is None and options.get("limit") is None and options.get("skip") is None:
            total = counts.get("original")  # lm-eval's count of the task's documents (before its --limit)
        repeats = config.get("repeats")
        for key, value in (metrics or {}).items():
            metric = str(key).split(",")[0]
            if metric in LM_EVAL_BOOKKEEPING or "stderr" in metric or not _number(value):
                continue
            if real and metric not in real:
                continue
            scores.append(EvalScore(str(task), metric, float(value),
                                    int(scored) if _number(scored) else None,
                                    total, int(repeats) if _number(repeats) else None))
    return scores


def _our_scores(data: dict[str, Any], source: Path) -> list[EvalScore]:
    """``{"pass@1": x, ...}`` (``lintseq score``), optionally with ``task``, ``problems``,
    ``benchmark_problems`` and ``samples_per_problem``."""
    counts = {key: int(data[key]) if _number(data.get(key)) else None
              for key in ("problems", "benchmark_problems", "samples_per_problem")}
    task = str(data.get("task") or source.stem)
    if counts["problems"] is not None and counts["benchmark_problems"] is None:
        counts["benchmark_problems"] = BENCHMARK_PROBLEMS.get(task_family(task) or "")
    return [EvalScore(task, key, float(value), **counts) for key, value in data.items()
            if OUR_METRIC.fullmatch(str(key)) and _number(value)]


def read_eval_results(path: str | Path, *, allow_partial: bool = False) -> list[EvalScore]:
    """Scores from a results JSON file: lm-eval's (``{"results": {task: {"pass@1,execute": x}}, ...}``) or ours.

    A score of a run that did not cover its whole benchmark raises :class:`EvalResultsError`
    unless ``allow_partial`` (then the card labels it partial).
    """
    source = Path(path)
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as err:
        raise EvalResultsError(f"--eval-results {source}: cannot read JSON: {err}") from err
    if not isinstance(data, dict):
        raise EvalResultsError(f"--eval-results {source}: expected a JSON object")
    scores = _lm_eval_scores(data) if isinstance(data.get("results"), dict) else _our_scores(data, source)
    if not scores:
        raise EvalResultsError(f"--eval-results {source}: no metric found (lm-eval's results, or pass@k values)")
    partial = [score for score in scores if score.partial]
    if partial and not allow_partial:
        first = partial[0]
        limit = (data.get("config") or {}).get("limit")
        raise EvalResultsError(
            f"--eval-results {source}: task {first.task} scored {first.coverage}"
            + (f" (lm-eval --limit {limit:g})" if _number(limit) else "")
            + ": not the whole benchmark, so not published as its score; pass --allow-partial to publish it "
            "labelled as partial"
        )
    return scores


def model_index_entries(scores: list[EvalScore]) -> list[Any]:
    """``huggingface_hub.EvalResult`` per score; a partial score says so in its dataset and metric names."""
    from huggingface_hub import EvalResult

    results = []
    for score in scores:
        family = task_family(score.task)
        dataset_type, dataset_name = TASK_DATASETS.get(family or "", (score.task, score.task))
        metric_name = score.metric
        if score.partial:
            dataset_name = f"{dataset_name} (partial: {score.coverage})"
            metric_name = f"{score.metric} (partial: {score.coverage})"
        args = {key: value for key, value in (("problems", score.problems),
                                              ("benchmark_problems", score.benchmark_problems),
                                              ("samples_per_problem", score.samples_per_problem)) if value is not None}
        results.append(EvalResult(task_type="text-generation", task_name="Code generation", dataset_type=dataset_type,
                                  dataset_name=dataset_name, metric_type=score.metric, metric_name=metric_name,
                                  metric_value=score.value, metric_args=args or None))
    return results
