"""lm-eval hooks for the humaneval tasks; the logic lives in :mod:`lintseq_hf.evaluation.lm_eval`."""

from lintseq_hf.evaluation.lm_eval import ExecuteFilter, load_problem_dataset, pass_at_k_metric

__all__ = ["ExecuteFilter", "load", "pass_at_k_metric"]


def load(**kwargs):
    """The humaneval problems as a DatasetDict (``source``/``skip``/``limit`` from dataset_kwargs or --metadata)."""
    return load_problem_dataset("humaneval", **kwargs)
