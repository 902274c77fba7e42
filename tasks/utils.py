"""lm-eval hooks of every lintseq task (the YAML files beside this one); the logic lives in
:mod:`lintseq_hf.evaluation.lm_eval`."""

from lintseq_hf.evaluation.lm_eval import ExecuteFilter, load_problem_dataset, pass_at_k_metric

__all__ = ["ExecuteFilter", "load", "pass_at_k_metric"]


def load(family: str, **kwargs):
    """The ``family``'s problems as a DatasetDict (``family``/``source``/``skip``/``limit`` from
    ``dataset_kwargs``; ``--metadata`` may override the last three)."""
    return load_problem_dataset(family, **kwargs)
