"""lm-eval adapter: dataset loaders, the decode-and-execute filter and the pass@k metric.

The YAML files under ``tasks/`` (see :func:`tasks_path`) point at these through tiny
``utils.py`` hooks. Documents carry the :class:`~lintseq_hf.evaluation.problems.Problem` fields; the
filter decodes every response (edit sequence or code), runs all test programs of the task in
the sandbox in parallel and hands the metric one verdict per sample.
"""

from __future__ import annotations

import importlib.util
import json
import os
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any

from lm_eval.api.filter import Filter

from lintseq_hf.evaluation.problems import Problem, load_problems
from lintseq_hf.evaluation.scoring import judge, pass_at_k
from lintseq_hf.sandbox.base import PASSED

TASKS_ENV = "LINTSEQ_TASKS_PATH"
TASKS_PACKAGE = "lintseq_hf.tasks"


def tasks_path() -> Path:
    """Directory to pass to ``lm_eval --include_path``: ``$LINTSEQ_TASKS_PATH`` if set, else the task folder
    shipped with the package (the top-level ``tasks/`` folder, installed as ``lintseq_hf.tasks`` the way
    ``recipes/`` is; a source checkout or an editable install without that mapping uses the checkout's folder)."""
    override = os.environ.get(TASKS_ENV)
    if override:
        path, source = Path(override), f"${TASKS_ENV}"
    else:
        spec = importlib.util.find_spec(TASKS_PACKAGE)
        if spec is not None and spec.submodule_search_locations:
            path = Path(next(iter(spec.submodule_search_locations)))
        else:
            path = Path(__file__).resolve().parents[2] / "tasks"  # <checkout>/lintseq_hf/evaluation/lm_eval.py
        source = "the installed package"
    if not (path / "humaneval_lintseq.yaml").is_file():
        raise FileNotFoundError(f"lm-eval task directory {path} (from {source}) has no humaneval_lintseq.yaml")
    return path.resolve()


def load_problem_dataset(family: str, source: str | None = None, skip: int | None = None,
                 limit: int | None = None, **metadata: Any):
    """A ``DatasetDict`` with one ``test`` split of problems (lm-eval ``custom_dataset``).

    ``source``/``skip``/``limit`` come from the YAML's ``dataset_kwargs``; from the command line,
    ``--metadata '{"<family>_source": "file.jsonl"}'`` (also ``<family>_skip``, ``<family>_limit``)
    overrides them without clashing with other tasks of the same run. Other metadata keys
    (lm-eval passes the task version and the model arguments) are ignored.
    """
    import datasets

    source = metadata.get(f"{family}_source", source)
    skip = metadata.get(f"{family}_skip", skip)
    limit = metadata.get(f"{family}_limit", limit)
    problems = load_problems(family, source or None, skip=skip, limit=limit)
    return datasets.DatasetDict({"test": datasets.Dataset.from_list([asdict(p) for p in problems])})


def _problem(doc: dict[str, Any]) -> Problem:
    return Problem(**{f.name: doc[f.name] for f in fields(Problem) if f.name in doc})


class ExecuteFilter(Filter):
    """Judge each response with :func:`lintseq_hf.evaluation.scoring.judge` (decode, sandboxed test).

    Options (YAML ``filter_list`` kwargs): ``mode`` (lintseq, instruct, completion),
    ``malformed_penalty`` (a sample with an unparsable hunk fails unexecuted), ``timeout``
    (seconds per program run; default: each benchmark's own limit), ``workers`` (parallel sandboxes; default CPU count).
    """

    def __init__(self, mode: str = "lintseq", malformed_penalty: bool = False, timeout: float | None = None,
                 workers: int | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.mode = mode
        self.malformed_penalty = bool(malformed_penalty)
        self.timeout = None if timeout is None else float(timeout)
        self.workers = workers

    def apply(self, resps, docs):
        problems = {}
        samples = []
        shape = []
        for responses, doc in zip(resps, docs):
            problem = _problem(doc)
            problems[problem.task_id] = problem
            samples += [{"task_id": problem.task_id, "completion": response} for response in responses]
            shape.append(len(responses))
        results = iter(judge(samples, problems.values(), mode=self.mode, malformed_penalty=self.malformed_penalty,
                             timeout=self.timeout, workers=self.workers))
        # JSON strings: lm-eval logs filtered responses with str(), so keep them parseable
        return [[json.dumps({"program": r.program, "status": r.status, "detail": r.detail, "malformed": r.malformed})
                 for r in (next(results) for _ in range(count))] for count in shape]


def verdict_status(verdict: str | dict[str, Any]) -> str:
    """The status in one of :class:`ExecuteFilter`'s verdicts (a JSON string)."""
    if isinstance(verdict, str):
        verdict = json.loads(verdict)
    return str(verdict.get("status"))


def pass_at_k_metric(references: list[Any], predictions: list[list[str]],  # noqa: ARG001 - lm-eval API
                     k: list[int] | int = 1) -> dict[str, float]:
    """Per-document unbiased pass@k from the filter's verdicts (lm-eval averages over documents)."""
    ks = [k] if isinstance(k, int) else list(k)
    verdicts = predictions[0]
    n = len(verdicts)
    c = sum(verdict_status(v) == PASSED for v in verdicts)
    return {f"pass@{value}": pass_at_k(n, c, value) for value in ks if value <= n}
