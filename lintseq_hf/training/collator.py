"""The edit-boundary cut, per-token edit indices and the diff-aware collator of :mod:`lintseq_hf.training.trainer`.

Pure tensor and list code on tokenized rows (no model, no trainer state): the trainer's dataset
preparation cuts rows with :func:`fit_to_length` (through :func:`fit_rows_batch`), the collator cuts
what is still over-long and adds ``edit_index``, and the ``sum`` loss reduction counts sequences with
:func:`count_loss_sequences`. Kept apart from the trainer so the row semantics read on their own.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import torch
from trl.trainer.sft_trainer import DataCollatorForLanguageModeling

IGNORE_INDEX = -100
"""The label of a token without loss (prompt, padding), as in transformers."""


def truncate_at_edit_boundary(
    input_ids: list[int], labels: list[int], diff_token_id: int, max_length: int
) -> tuple[list[int], list[int]] | None:
    """Cut an over-long edit sequence right after its last complete edit; ``None`` if none fits.

    A complete edit ends with the ``<|diff|>`` that follows it, so the cut keeps the prompt (which
    ends with ``<|diff|>``), whole edits and their closing separators: never part of a hunk. The
    separator closing the prompt does not count (a row with no edit left is useless). Rows that
    fit are returned unchanged.
    """
    if len(input_ids) <= max_length:
        return input_ids, labels
    for end in range(max_length - 1, -1, -1):
        if input_ids[end] == diff_token_id and labels[end] != IGNORE_INDEX:
            return input_ids[: end + 1], labels[: end + 1]
    return None


def sequence_index(input_ids: torch.Tensor, position_ids: torch.Tensor | None = None) -> torch.Tensor:
    """Per token: which sequence of its row it belongs to (0 = first).

    Padded batches hold one sequence per row. Padding-free and packed batches concatenate
    sequences in a row; ``position_ids`` restart at 0 where each one begins.
    """
    if position_ids is None:
        return torch.zeros_like(input_ids)
    return torch.cumsum((position_ids == 0).long(), dim=-1) - 1


def _per_sequence_sums(values: torch.Tensor, sequences: torch.Tensor) -> torch.Tensor:
    """``[rows, n]``: the sum of ``values`` over each sequence of each row."""
    totals = torch.zeros(values.shape[0], int(sequences.max()) + 1, dtype=values.dtype, device=values.device)
    return totals.scatter_add_(1, sequences, values)


def edit_index(
    input_ids: torch.Tensor, labels: torch.Tensor, diff_token_id: int, position_ids: torch.Tensor | None = None
) -> torch.Tensor:
    """Per token: which edit of its sequence's completion it belongs to (0 = first), -1 for prompt and padding.

    A token belongs to edit ``k`` when ``k + 1`` separators of its sequence precede it (the first
    one closes the prompt); the separator that closes an edit belongs to that edit, and the stop
    part (empty edit + EOS) gets the index after the last edit. With ``position_ids`` (padding-free
    or packed rows) the count restarts at each sequence.
    """
    is_sep = (input_ids == diff_token_id).long()
    sequences = sequence_index(input_ids, position_ids)
    per_sequence = _per_sequence_sums(is_sep, sequences)
    earlier = (torch.cumsum(per_sequence, dim=-1) - per_sequence).gather(1, sequences)  # earlier sequences' separators
    before = torch.cumsum(is_sep, dim=-1) - is_sep - earlier
    index = torch.minimum(before - 1, per_sequence.gather(1, sequences) - 2)  # EOS joins the stop part
    return torch.where((labels != IGNORE_INDEX) & (index >= 0), index, torch.full_like(index, -1))


def count_loss_sequences(labels: torch.Tensor, position_ids: torch.Tensor | None = None) -> int:
    """Sequences of a batch with at least one loss token: the denominator of the ``sum`` reduction."""
    sequences = sequence_index(labels, position_ids)
    return int((_per_sequence_sums(labels.ne(IGNORE_INDEX).long(), sequences) > 0).sum())


@dataclass
class DiffAwareCollator(DataCollatorForLanguageModeling):
    """TRL's language-modeling collator plus ``edit_index`` per token, and the edit-boundary cut as a safety net.

    Padded by default; with ``padding_free=True`` the rows are concatenated into one with
    ``position_ids`` (TRL's flattening, which also masks each sequence's first label so that no
    loss crosses a boundary). Rows normally arrive already cut by the trainer's dataset
    preparation; rows that still exceed ``max_length`` (e.g. with ``skip_prepare_dataset``) are
    cut (or dropped) here and counted in ``counts``.
    """

    diff_token_id: int | None = None
    max_length: int | None = None
    overlong: str = "cut"
    with_edit_index: bool = True
    counts: Counter = field(default_factory=Counter)

    def torch_call(self, examples: list[dict[str, Any]]) -> dict[str, Any]:
        if self.max_length is not None:
            examples = self._fit(examples)
        batch = super().torch_call(examples)
        if self.with_edit_index and self.diff_token_id is not None:
            batch["edit_index"] = edit_index(
                batch["input_ids"], batch["labels"], self.diff_token_id, batch.get("position_ids")
            )
        return batch

    def _fit(self, examples: list[dict[str, Any]]) -> list[dict[str, Any]]:
        kept = []
        for example in examples:
            if "seq_lengths" in example:  # a packed row: its sequences were cut before packing
                kept.append(example)
                continue
            ids = list(example["input_ids"])
            status, ids, labels = fit_to_length(
                ids, list(example.get("labels", ids)), self.diff_token_id, self.max_length, self.overlong
            )
            if status == "dropped":
                self.counts["dropped"] += 1
                continue
            if status == "cut":
                self.counts["cut"] += 1
                example = {**example, "input_ids": ids, "labels": labels}
            kept.append(example)
        if not kept:  # every row dropped: one fully masked token keeps the step valid (zero loss)
            kept = [{"input_ids": list(examples[0]["input_ids"])[:1], "labels": [IGNORE_INDEX]}]
        return kept


def fit_to_length(
    input_ids: list[int], labels: list[int], diff_token_id: int | None, max_length: int, overlong: str
) -> tuple[str, list[int], list[int]]:
    """``("fits" | "cut" | "dropped", input_ids, labels)`` for one tokenized row.

    With a ``diff_token_id`` (edit sequences) the cut is :func:`truncate_at_edit_boundary`;
    without one (instruct rows) it is a plain cut at ``max_length``. A cut row left with no
    loss token is dropped.
    """
    if len(input_ids) <= max_length:
        return "fits", input_ids, labels
    fitted = None
    if overlong == "cut":
        if diff_token_id is None:
            fitted = input_ids[:max_length], labels[:max_length]
        else:
            fitted = truncate_at_edit_boundary(input_ids, labels, diff_token_id, max_length)
    if fitted is None or all(label == IGNORE_INDEX for label in fitted[1]):
        return "dropped", input_ids, labels
    return "cut", fitted[0], fitted[1]


def fit_rows_batch(
    batch: dict[str, list], diff_token_id: int | None, max_length: int, overlong: str
) -> dict[str, list]:
    """Batched ``datasets.map`` function: :func:`fit_to_length` on each row, status in ``overlong``."""
    out: dict[str, list] = {key: list(values) for key, values in batch.items()}
    out["overlong"] = []
    for row in range(len(batch["input_ids"])):
        status, ids, labels = fit_to_length(
            batch["input_ids"][row], batch["labels"][row], diff_token_id, max_length, overlong
        )
        out["input_ids"][row], out["labels"][row] = ids, labels
        out["overlong"].append(status)
    return out
