"""Which rows the trainer accepts: raw text ``prompt``/``completion`` rows of its ``mode``, never chat messages.

The training entry point refuses chat rows with :data:`CHAT_ROWS_REFUSED` when it reads the data,
before any weights load (:func:`lintseq_hf.training.run.load_training_rows`);
:class:`~lintseq_hf.training.trainer.LintSeqSFTTrainer` raises
:class:`~lintseq_hf.training.trainer.TrainingConfigError` with :func:`rows_mismatch`'s reason.
"""

from __future__ import annotations

from typing import Any

from lintseq_hf.core.edits import DIFF_TOKEN

CHAT_ROWS_REFUSED = (
    "chat rows are not supported, see docs/training.md, 'Chat models': the rows are chat messages; LintSeq "
    f"training reads raw text rows (prompt = instruction + '\\n{DIFF_TOKEN}', completion = the edits), as the paper "
    "trains every model, chat models included. A chat template would move the edits into an assistant turn that the "
    "edit-boundary cut and the evaluation prompts do not expect"
)
"""Why rows given as chat messages are refused (before any weights are loaded, by the training entry point)."""


def is_chat_row(row: dict[str, Any]) -> bool:
    """A conversational row: a ``messages`` column, or ``prompt``/``completion`` given as lists of turns."""
    return "messages" in row or isinstance(row.get("prompt"), list) or isinstance(row.get("completion"), list)


def rows_mismatch(dataset: Any, mode: str) -> str | None:
    """Why ``dataset`` cannot train in ``mode`` (judged on its first row), or ``None``.

    Chat rows are refused, and so are baseline rows in ``lintseq`` mode and edit-sequence rows in
    ``instruct`` mode; tokenized rows (no text ``prompt``) pass.
    """
    if dataset is None:
        return None
    first = next(iter(dataset))
    prompt = first.get("prompt")
    if is_chat_row(first):
        return CHAT_ROWS_REFUSED
    if not isinstance(prompt, str):
        return None  # already tokenized, or not prompt/completion rows: nothing to check
    ends_with_separator = prompt.endswith(DIFF_TOKEN)
    if mode == "lintseq" and not ends_with_separator:
        return (
            f"mode='lintseq' but the first row's prompt does not end with {DIFF_TOKEN} "
            f"(...{prompt[-40:]!r}); baseline rows need mode='instruct'"
        )
    if mode == "instruct" and ends_with_separator:
        return f"mode='instruct' but the first row's prompt ends with {DIFF_TOKEN}: use 'lintseq'"
    return None
