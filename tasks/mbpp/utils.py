"""lm-eval hooks for the mbpp tasks; the logic lives in :mod:`lintseq_hf.lm_eval_tasks`."""

from lintseq_hf.lm_eval_tasks import ExecuteFilter, load_dataset, pass_at_k_metric

__all__ = ["ExecuteFilter", "load", "pass_at_k_metric"]


def load(**kwargs):
    """The mbpp problems as a DatasetDict (``source``/``skip``/``limit`` from dataset_kwargs or --metadata)."""
    return load_dataset("mbpp", **kwargs)
