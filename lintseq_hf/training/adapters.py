"""PEFT (LoRA) adapters of a LintSeq run: the new ``<|diff|>`` row as trainable tokens, and the head-bias workaround.

Used by :class:`~lintseq_hf.training.trainer.LintSeqSFTTrainer` before and after TRL wraps the model
(docs/training.md, "LoRA adapters"); what the saved adapter records is read back by
:func:`lintseq_hf.training.card.peft_summary`.
"""

from __future__ import annotations

from typing import Any

import torch
from transformers import PreTrainedModel


def _module_name(model: PreTrainedModel, module: torch.nn.Module | None) -> str | None:
    """The attribute name of ``module`` inside ``model`` (``embed_tokens``, ``lm_head``)."""
    return next((name.rsplit(".", 1)[-1] for name, found in model.named_modules() if found is module), None)


def train_new_row_as_tokens(peft_config: Any, model: PreTrainedModel, token_id: int) -> None:
    """A LoRA run trains the ``<|diff|>`` rows as peft trainable tokens, not the whole embedding matrices.

    The adapter then holds only those rows (peft's ``trainable_token_indices``; tied heads follow the
    input row), which replace the rows of a base model resized anywhere else: small, and loadable with
    ``PeftModel.from_pretrained``. Left alone when the config already trains the embeddings fully
    (``modules_to_save``) or names its own token indices.
    """
    if peft_config is None or not hasattr(peft_config, "trainable_token_indices"):
        return
    layers = [name for name in (_module_name(model, model.get_input_embeddings()),
                                _module_name(model, model.get_output_embeddings())) if name]
    if peft_config.trainable_token_indices is not None or set(peft_config.modules_to_save or ()) & set(layers):
        return
    head = model.get_output_embeddings()
    if head is not None and getattr(head, "bias", None) is not None and len(layers) == 2:
        # a head with a bias: peft's token wrapper would hide it (expose_head_bias), so the head trains whole
        peft_config.modules_to_save = [*(peft_config.modules_to_save or []), layers.pop()]
    peft_config.trainable_token_indices = {name: [token_id] for name in layers}


def expose_head_bias(model: Any) -> None:
    """Give peft's token wrapper of a bias-free LM head the ``bias`` attribute (``None``) the fused head reads.

    The wrapper forwards ``weight`` (the merged rows, with their gradient) but no other attribute, and TRL's
    fused LM head reads ``lm_head.bias``.
    """
    head = model.get_output_embeddings() if hasattr(model, "get_output_embeddings") else None
    original = getattr(head, "original_module", None)
    if original is not None and type(head).__name__ == "TrainableTokensWrapper" and original.bias is None:
        head.bias = None
