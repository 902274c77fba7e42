"""Fine-tuning on LintSeq rows with TRL: ``LintSeqSFTConfig`` / ``LintSeqSFTTrainer`` + a diff-aware collator.

The trainer is TRL's :class:`~trl.SFTTrainer` with the few pieces that differ overridden
(docs/training.md):

- ``<|diff|>`` is added to the tokenizer as an ordinary (non-special) token if missing, and the
  embeddings are resized (:func:`ensure_diff_token`).
- Rows are the builder's ``prompt``/``completion`` columns; TRL masks the prompt (``labels`` = -100)
  and appends EOS to the completion.
- Over-long rows: TRL's own cut (``input_ids[:max_length]``) would stop inside a hunk. Here an edit
  sequence is cut right after its last complete edit (the ``<|diff|>`` that closes it), or dropped,
  by ``overlong``; the counts are logged (:func:`truncate_at_edit_boundary`).
- The collator derives each token's edit index from the ``<|diff|>`` ids of the (already
  truncated) batch; the trainer logs the loss on the first edit and on the later edits.
- Loss reduction ``sum`` (the paper's ``--reduce_loss sum``) or ``mean`` (per token over the whole
  accumulated batch), both exact under gradient accumulation.
- ``mode="instruct"`` trains the paper's baseline arm (``prompt`` = instruction + newline,
  ``completion`` = program) through the same code path.
- Padding-free batches (TRL's ``padding_free``: rows concatenated, ``position_ids`` restart per
  row) and packing (``packing`` with the ``bfd`` strategies, which never split a row) in both arms;
  the edit-boundary cut happens before packing, edit indices and the sequence count of the ``sum``
  reduction are taken per packed sequence, so the loss equals the padded one.
- The model card written into ``output_dir`` is ours (:mod:`lintseq_hf.training.card`), from the
  run's effective config and metrics; ``push_to_hub`` goes through :class:`~transformers.Trainer`.
"""

from __future__ import annotations

import logging
import os
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import torch
from transformers import AutoTokenizer, PreTrainedModel, PreTrainedTokenizerBase
from trl import SFTConfig, SFTTrainer
from trl.data_utils import pack_dataset
from trl.trainer.sft_trainer import DataCollatorForLanguageModeling
from trl.trainer.utils import create_model_from_path

from lintseq_hf.core.edits import DIFF_TOKEN, TEXT_FORMATS
from lintseq_hf.training.card import check_repo_id, peft_summary

logger = logging.getLogger(__name__)

IGNORE_INDEX = -100
OVERLONG_POLICIES = ("cut", "drop")
LOSS_REDUCTIONS = ("sum", "mean")
PACKING_STRATEGIES = ("bfd", "bfd_split")
"""TRL packing strategies that keep every row whole (rows are already cut to ``max_length``)."""


class TrainingConfigError(ValueError):
    """An option of :class:`LintSeqSFTConfig` (or a recipe) is invalid."""


DIFF_TOKEN_INITS = ("mean", "subwords")
"""How a newly added ``<|diff|>`` row starts: transformers' resize default, or the mean of its text's pieces."""


@dataclass
class LintSeqSFTConfig(SFTConfig):
    """:class:`~trl.SFTConfig` plus the LintSeq options (each with its CLI help)."""

    mode: str = field(
        default="lintseq",
        metadata={
            "help": "'lintseq': rows are edit sequences (prompt ends with <|diff|>); 'instruct': the baseline arm "
            "(prompt = instruction + newline, completion = program), same code path.",
            "choices": list(TEXT_FORMATS),
        },
    )
    loss_reduction: str = field(
        default="sum",
        metadata={
            "help": "'sum': the paper's --reduce_loss sum: token losses summed per sequence, averaged over the "
            "sequences of the optimizer batch (the authors' loop with one sequence per device per micro-step). "
            "'mean': the mean over every loss token of the optimizer batch. Both are exact under gradient "
            "accumulation and data parallelism: the update does not depend on how the batch is split.",
            "choices": list(LOSS_REDUCTIONS),
        },
    )
    overlong: str = field(
        default="cut",
        metadata={
            "help": "Rows longer than max_length: 'cut' keeps the prompt and the complete edits that fit (an "
            "instruct row is cut at max_length, as TRL does); 'drop' removes the row. Counts are logged.",
            "choices": list(OVERLONG_POLICIES),
        },
    )
    add_diff_token: bool = field(
        default=True,
        metadata={"help": "Add <|diff|> to the tokenizer (ordinary, not special) if missing; resize embeddings."},
    )
    diff_token_init: str = field(
        default="mean",
        metadata={
            "help": "How a newly added <|diff|> embedding row starts: 'mean' (transformers' resize, as the "
            "authors' code) or 'subwords' (the mean of the rows of the pieces '<|diff|>' tokenized into; "
            "beyond the paper, for short fine-tunes).",
            "choices": list(DIFF_TOKEN_INITS),
        },
    )
    edit_metrics: bool = field(
        default=True,
        metadata={"help": "Log the loss on the first edit and on the later edits (lintseq mode)."},
    )
    total_batch_size: int | None = field(
        default=None,
        metadata={
            "help": "Sequences per optimizer step over all processes (the paper: 512). When set, "
            "gradient_accumulation_steps = total_batch_size / (per_device_train_batch_size x WORLD_SIZE)."
        },
    )
    gradient_checkpointing: bool | None = field(
        default=None,
        metadata={"help": "Deprecated alias of activation_checkpointing (transformers 5); use that name."},
    )
    activation_checkpointing: bool | None = field(
        default=True,
        metadata={"help": "Recompute activations in the backward pass to save memory (TRL's default: on)."},
    )

    def __post_init__(self) -> None:
        for name, allowed in (("mode", TEXT_FORMATS), ("loss_reduction", LOSS_REDUCTIONS), ("overlong", OVERLONG_POLICIES),
                              ("diff_token_init", DIFF_TOKEN_INITS)):
            value = getattr(self, name)
            if value not in allowed:
                raise TrainingConfigError(f"{name}={value!r}; expected one of {', '.join(allowed)}")
        if self.packing and self.packing_strategy not in PACKING_STRATEGIES:
            raise TrainingConfigError(
                f"packing_strategy={self.packing_strategy!r} cuts rows across pack boundaries (mid-edit); "
                f"use one of {', '.join(PACKING_STRATEGIES)}"
            )
        if self.push_to_hub and self.hub_model_id:  # the recipes' your-name/... would be the push target
            check_repo_id(self.hub_model_id, "--hub_model_id")
        if self.total_batch_size is not None:
            world = int(os.environ.get("WORLD_SIZE", "1"))
            per_step = self.per_device_train_batch_size * world
            if self.total_batch_size % per_step:
                raise TrainingConfigError(
                    f"total_batch_size={self.total_batch_size} is not a multiple of per_device_train_batch_size="
                    f"{self.per_device_train_batch_size} x {world} process(es)"
                )
            self.gradient_accumulation_steps = self.total_batch_size // per_step
        if (
            os.environ.get("ACCELERATE_USE_DEEPSPEED", "false").lower() == "true"
            and self.ddp_backend is None
            and not _has_accelerator()
        ):
            # accelerate counts one process under DeepSpeed on a CPU-only machine unless the backend is named
            self.ddp_backend = "gloo"
        super().__post_init__()

    def get_warmup_steps(self, num_training_steps: int) -> int:
        """transformers' warmup steps, except that a ratio (``warmup_steps`` < 1, the recipes' 0.001) that rounds up
        to the whole run is none: linear warmup gives step 1 a learning rate of 0, so a ``--max_steps 1`` smoke run
        would change no weight. Runs of two steps or more keep transformers' count."""
        steps = super().get_warmup_steps(num_training_steps)
        if 0 < self.warmup_steps < 1 and steps >= num_training_steps:
            return 0
        return steps

    @property
    def uses_padding_free(self) -> bool:
        """Whether batches are padding-free: asked for, or implied by ``bfd`` packing (as in TRL)."""
        return bool(self.padding_free or (self.packing and self.packing_strategy in PACKING_STRATEGIES))


def _has_accelerator() -> bool:
    return torch.cuda.is_available() or (hasattr(torch, "xpu") and torch.xpu.is_available())


def ensure_diff_token(
    tokenizer: PreTrainedTokenizerBase, model: PreTrainedModel | None = None, *, init: str = "mean"
) -> int:
    """Add ``<|diff|>`` as an ordinary added token if missing; grow ``model``'s embeddings to fit. Returns its id.

    ``init`` sets a newly added row: ``"mean"`` leaves transformers' resize (the mean of the other rows,
    as the authors' code gets); ``"subwords"`` starts it at the mean of the rows of the pieces the text
    ``<|diff|>`` tokenized into before it was added, which gives the row a direction of its own (a
    mean-initialized row scores like the average token and a short fine-tune barely moves it, see
    docs/training.md). A token already in the vocabulary is left as it is.
    """
    from tokenizers import AddedToken

    if init not in DIFF_TOKEN_INITS:
        raise TrainingConfigError(f"diff token init must be one of {DIFF_TOKEN_INITS}, got {init!r}")
    added = DIFF_TOKEN not in tokenizer.get_vocab()
    pieces = tokenizer(DIFF_TOKEN, add_special_tokens=False)["input_ids"] if added else []
    if added:
        tokenizer.add_tokens([AddedToken(DIFF_TOKEN, special=False, normalized=False)])
    token_id = tokenizer.convert_tokens_to_ids(DIFF_TOKEN)
    if DIFF_TOKEN in tokenizer.all_special_tokens:
        raise TrainingConfigError(
            f"{DIFF_TOKEN} is a special token of this tokenizer; it must be an ordinary added token so that it "
            "survives skip_special_tokens=True"
        )
    if model is not None and model.get_input_embeddings().num_embeddings < len(tokenizer):
        model.resize_token_embeddings(len(tokenizer))
    if model is not None and added and init == "subwords" and pieces:
        with torch.no_grad():
            rows = [model.get_input_embeddings().weight]
            output = model.get_output_embeddings()
            if output is not None and output.weight.data_ptr() != rows[0].data_ptr():
                rows.append(output.weight)
            for weight in rows:
                weight[token_id] = weight[pieces].mean(dim=0)
    return int(token_id)


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


def _fit_rows(batch: dict[str, list], diff_token_id: int | None, max_length: int, overlong: str) -> dict[str, list]:
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


def _check_rows_match_mode(dataset: Any, mode: str) -> None:
    """Refuse chat rows, baseline rows in ``lintseq`` mode and edit-sequence rows in ``instruct`` mode (first row)."""
    if dataset is None:
        return
    first = next(iter(dataset))
    prompt = first.get("prompt")
    if is_chat_row(first):
        raise TrainingConfigError(CHAT_ROWS_REFUSED)
    if not isinstance(prompt, str):
        return  # already tokenized, or not prompt/completion rows: nothing to check
    ends_with_separator = prompt.endswith(DIFF_TOKEN)
    if mode == "lintseq" and not ends_with_separator:
        raise TrainingConfigError(
            f"mode='lintseq' but the first row's prompt does not end with {DIFF_TOKEN} "
            f"(...{prompt[-40:]!r}); baseline rows need mode='instruct'"
        )
    if mode == "instruct" and ends_with_separator:
        raise TrainingConfigError(f"mode='instruct' but the first row's prompt ends with {DIFF_TOKEN}: use 'lintseq'")


def _module_name(model: PreTrainedModel, module: torch.nn.Module | None) -> str | None:
    """The attribute name of ``module`` inside ``model`` (``embed_tokens``, ``lm_head``)."""
    return next((name.rsplit(".", 1)[-1] for name, found in model.named_modules() if found is module), None)


def _train_new_row_as_tokens(peft_config: Any, model: PreTrainedModel, token_id: int) -> None:
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
        # a head with a bias: peft's token wrapper would hide it (_expose_head_bias), so the head trains whole
        peft_config.modules_to_save = [*(peft_config.modules_to_save or []), layers.pop()]
    peft_config.trainable_token_indices = {name: [token_id] for name in layers}


def _expose_head_bias(model: Any) -> None:
    """Give peft's token wrapper of a bias-free LM head the ``bias`` attribute (``None``) the fused head reads.

    The wrapper forwards ``weight`` (the merged rows, with their gradient) but no other attribute, and TRL's
    fused LM head reads ``lm_head.bias``.
    """
    head = model.get_output_embeddings() if hasattr(model, "get_output_embeddings") else None
    original = getattr(head, "original_module", None)
    if original is not None and type(head).__name__ == "TrainableTokensWrapper" and original.bias is None:
        head.bias = None


class LintSeqSFTTrainer(SFTTrainer):
    """:class:`~trl.SFTTrainer` for LintSeq edit sequences (and the instruct baseline), see the module doc.

    ``run_info`` holds what the model card says beyond the config and the metrics (the data, the
    base model's Hub id, the licence): :func:`lintseq_hf.training.run.run` fills it in.
    """

    _tag_names = ["trl", "sft", "lintseq"]

    def __init__(
        self,
        model: str | PreTrainedModel,
        args: LintSeqSFTConfig,
        train_dataset: Any = None,
        eval_dataset: Any = None,
        processing_class: PreTrainedTokenizerBase | None = None,
        data_collator: Any = None,
        **kwargs: Any,
    ) -> None:
        if not isinstance(args, LintSeqSFTConfig):
            raise TrainingConfigError(f"args must be a LintSeqSFTConfig, got {type(args).__name__}")
        if isinstance(model, str):
            init_kwargs = dict(args.model_init_kwargs or {})
            if args.distributed_state.distributed_type in ("MULTI_GPU", "DEEPSPEED"):
                init_kwargs["device_map"] = None
            if processing_class is None:
                tokenizer_kwargs = {k: init_kwargs[k] for k in ("gguf_file", "revision") if k in init_kwargs}
                processing_class = AutoTokenizer.from_pretrained(model, **tokenizer_kwargs)
            model = create_model_from_path(model, **init_kwargs)
            args.model_init_kwargs = None
        if processing_class is None:
            raise TrainingConfigError("pass processing_class (the tokenizer) with an instantiated model")
        if processing_class.eos_token is None:
            raise TrainingConfigError(f"tokenizer of {type(model).__name__} has no eos token; set args.eos_token")
        self.diff_token_id: int | None = None
        if args.mode == "lintseq":
            if args.add_diff_token:
                self.diff_token_id = ensure_diff_token(processing_class, model, init=args.diff_token_init)
            elif DIFF_TOKEN in processing_class.get_vocab():
                self.diff_token_id = processing_class.convert_tokens_to_ids(DIFF_TOKEN)
            else:
                raise TrainingConfigError(f"tokenizer lacks {DIFF_TOKEN} and add_diff_token is False")
        if self.diff_token_id is not None:
            _train_new_row_as_tokens(kwargs.get("peft_config"), model, self.diff_token_id)
        if processing_class.pad_token is None:
            processing_class.pad_token = processing_class.eos_token
        for dataset in (train_dataset, *(eval_dataset.values() if isinstance(eval_dataset, dict) else [eval_dataset])):
            _check_rows_match_mode(dataset, args.mode)
        if getattr(processing_class, "chat_template", None):
            # The rows are raw text; a saved template would invite chat-formatted prompts the model never saw.
            logger.info("training on raw prompts: the tokenizer's chat template is not saved with the model")
            processing_class.chat_template = None
        self.overlong_counts: Counter = Counter()
        self.run_info: dict[str, Any] = {}
        self._fit_length = args.max_length
        padding_free = args.uses_padding_free
        collator = data_collator
        if collator is None:
            collator = DiffAwareCollator(
                pad_token_id=processing_class.pad_token_id,
                padding_free=padding_free,
                pad_to_multiple_of=args.pad_to_multiple_of,
                diff_token_id=self.diff_token_id,
                max_length=args.max_length,
                overlong=args.overlong,
                with_edit_index=args.edit_metrics and args.mode == "lintseq",
            )
        # TRL's own cut is replaced by ours (_prepare_dataset), so TRL must not see max_length: it would also
        # refuse padding-free batches without packing, whose max_length it cannot enforce (ours does).
        args.max_length = None
        try:
            super().__init__(
                model=model,
                args=args,
                # TRL refuses a passed collator with padding-free batches because it would lose TRL's flattening;
                # ours is TRL's collator subclassed (same flattening), set below.
                data_collator=None if padding_free and data_collator is None else collator,
                train_dataset=train_dataset,
                eval_dataset=eval_dataset,
                processing_class=processing_class,
                **kwargs,
            )
        finally:
            args.max_length = self._fit_length
        _expose_head_bias(self.model)
        self.data_collator = collator
        # compute_loss below normalises for gradient accumulation itself, in both reductions.
        self.loss_is_scaled_for_ga = True

    # -- data -------------------------------------------------------------------------------------
    def _prepare_dataset(self, dataset, processing_class, args, packing, formatting_func, dataset_name):
        """TRL's tokenization and prompt masking, then the edit-boundary cut (or drop), counted; then packing."""
        max_length = self._fit_length
        saved = args.max_length
        args.max_length = None
        try:
            dataset = super()._prepare_dataset(dataset, processing_class, args, False, formatting_func, dataset_name)
        finally:
            args.max_length = saved
        map_kwargs: dict[str, Any] = {}
        if hasattr(dataset, "num_rows"):
            map_kwargs["num_proc"] = args.dataset_num_proc
        if max_length is not None:
            dataset = self._fit_rows(dataset, max_length, args, dataset_name, map_kwargs)
        if packing:
            if max_length is None:
                raise TrainingConfigError("packing needs max_length (the length of a packed row)")
            if hasattr(dataset, "num_rows"):
                map_kwargs["desc"] = f"Packing {dataset_name} rows into {max_length} tokens"
            dataset = pack_dataset(dataset.select_columns(["input_ids", "labels"]), max_length,
                                   args.packing_strategy, map_kwargs)
        return dataset

    def _fit_rows(self, dataset, max_length: int, args: LintSeqSFTConfig, dataset_name: str,
                  map_kwargs: dict[str, Any]):
        kwargs = dict(map_kwargs)
        if hasattr(dataset, "num_rows"):
            kwargs["desc"] = f"Fitting {dataset_name} rows to max_length={max_length}"
        dataset = dataset.map(
            _fit_rows,
            batched=True,
            fn_kwargs={
                "diff_token_id": self.diff_token_id if args.mode == "lintseq" else None,
                "max_length": max_length,
                "overlong": args.overlong,
            },
            **kwargs,
        )
        if hasattr(dataset, "num_rows"):
            statuses = Counter(dataset["overlong"])
            if dataset_name == "train":
                self.overlong_counts = Counter({"cut": statuses["cut"], "dropped": statuses["dropped"]})
            logger.info("%s rows: %s fit, %s cut at an edit boundary, %s dropped (max_length=%s)",
                        dataset_name, statuses["fits"], statuses["cut"], statuses["dropped"], max_length)
        dataset = dataset.filter(lambda row: row["overlong"] != "dropped")
        return dataset.remove_columns("overlong")

    # -- saving -------------------------------------------------------------------------------------
    def _save(self, output_dir: str | None = None, state_dict: dict | None = None) -> None:
        """An adapter whose new rows are trainable tokens is saved without the whole embedding matrices.

        peft's default (``save_embedding_layers="auto"``) adds both matrices whenever the vocabulary
        grew, although the trainable tokens already hold the only row that changed.
        """
        model = self.accelerator.unwrap_model(self.model, keep_torch_compile=False)
        config = (peft_summary(model) or {}).get("trainable_token_indices")
        if not config:
            super()._save(output_dir, state_dict)
            return
        output_dir = output_dir if output_dir is not None else self.args.output_dir
        if self.args.should_save:
            os.makedirs(output_dir, exist_ok=True)
        model.save_pretrained(output_dir, state_dict=state_dict, is_main_process=self.args.should_save,
                              save_embedding_layers=False)
        if self.args.should_save:
            self.processing_class.save_pretrained(output_dir)
            torch.save(self.args, os.path.join(output_dir, "training_args.bin"))

    # -- loss ---------------------------------------------------------------------------------------
    def _get_num_items_in_batch(self, batch_samples: list, device: torch.device) -> torch.Tensor | None:
        """The loss denominator of one optimizer step: loss tokens (``mean``) or sequences (``sum``), all processes."""
        if not batch_samples or "labels" not in batch_samples[0]:
            return None
        if self.args.loss_reduction == "sum":
            count = sum(count_loss_sequences(batch["labels"], batch.get("position_ids")) for batch in batch_samples)
        else:
            count = sum(int(batch["labels"][..., 1:].ne(IGNORE_INDEX).sum()) for batch in batch_samples)
        total = torch.tensor(count, device=device)
        if self.args.average_tokens_across_devices and self.args.world_size > 1:
            total = self.accelerator.gather(total[None]).sum()
        return total

    def compute_loss(self, model, inputs, return_outputs=False, num_items_in_batch=None):
        """Per-token NLL from TRL's fused LM head, reduced by ``loss_reduction``; logs per-edit losses."""
        edits = inputs.pop("edit_index", None)
        if (
            self.compute_loss_func is not None
            or self.label_smoother is not None
            or self.args.loss_type != "nll"
            or self.aux_loss_enabled
        ):
            if self.args.loss_reduction == "sum":
                raise TrainingConfigError("loss_reduction='sum' supports the plain NLL loss only")
            return super().compute_loss(model, inputs, return_outputs, num_items_in_batch)
        mode = "train" if self.model.training else "eval"
        inputs["use_cache"] = False  # also what lets transformers see the packed sequences in position_ids
        outputs = model(**inputs, fused_lm_head=True)
        token_loss = -outputs.log_probs  # zero where the label is -100
        if num_items_in_batch is None:  # evaluation, or a loop that does not count: this micro-batch alone
            if self.args.loss_reduction == "mean":
                local = outputs.label_mask.sum()
            else:
                local = count_loss_sequences(inputs["labels"], inputs.get("position_ids"))
            loss = token_loss.sum() / torch.as_tensor(local).clamp(min=1)
        else:
            loss = token_loss.sum() / torch.as_tensor(num_items_in_batch).clamp(min=1)
            if self.args.average_tokens_across_devices and self.args.world_size > 1:
                loss = loss * self.accelerator.num_processes  # DDP / DeepSpeed average the gradients
        self._log_token_metrics(mode, inputs, outputs, token_loss, edits)
        if return_outputs:  # the logits for compute_metrics: an extra forward, as in TRL
            with torch.no_grad():
                outputs = model(**{k: v for k, v in inputs.items() if k != "labels"})
            return loss, outputs
        return loss

    def _log_token_metrics(self, mode, inputs, outputs, token_loss, edits) -> None:
        gather = self.accelerator.gather_for_metrics
        with torch.no_grad():
            num_valid = outputs.label_mask.sum()
            stats = [num_valid, token_loss.detach().sum(), outputs.entropy.detach().sum(), outputs.is_top1.sum()]
            if edits is not None:
                shifted = edits[:, 1:].to(token_loss.device)
                first, later = shifted == 0, shifted >= 1
                stats += [
                    token_loss.detach()[first].sum(), first.sum(),
                    token_loss.detach()[later].sum(), later.sum(),
                ]
            stats = gather(torch.stack([torch.as_tensor(s, dtype=torch.float32, device=token_loss.device)
                                        for s in stats])[None]).sum(dim=0).tolist()
        valid = max(stats[0], 1.0)
        self._metrics[mode]["entropy"].append(stats[2] / valid)
        self._metrics[mode]["mean_token_accuracy"].append(stats[3] / valid)
        self._metrics[mode]["token_loss"].append(stats[1] / valid)
        if edits is not None:
            if stats[5] > 0:
                self._metrics[mode]["loss_first_edit"].append(stats[4] / stats[5])
            if stats[7] > 0:
                self._metrics[mode]["loss_later_edits"].append(stats[6] / stats[7])
        if mode == "train":
            if "attention_mask" in inputs:
                tokens = inputs["attention_mask"].sum()
            else:  # padding-free: one row, its length (as TRL counts it)
                tokens = torch.tensor(inputs["input_ids"].numel(), device=inputs["input_ids"].device)
            self._total_train_tokens += int(gather(tokens[None]).sum().item())
        self._metrics[mode]["num_tokens"] = [self._total_train_tokens]

    def log(self, logs: dict[str, float], start_time: float | None = None) -> None:
        if self.model.training:
            collated = getattr(self.data_collator, "counts", Counter())
            logs["rows_cut"] = float(self.overlong_counts["cut"] + collated["cut"])
            logs["rows_dropped"] = float(self.overlong_counts["dropped"] + collated["dropped"])
        super().log(logs, start_time)

    # -- model card -----------------------------------------------------------------------------------
    def create_model_card(
        self,
        model_name: str | None = None,
        dataset_name: str | None = None,
        tags: str | list[str] | None = None,
        **kwargs: Any,
    ) -> None:
        """Write our card (``README.md``) and the run summary into ``output_dir``; TRL's card is not used.

        Called by :meth:`~transformers.Trainer.push_to_hub` (so a push carries it) and at every
        checkpoint; ``kwargs`` may carry ``eval_results``
        (see :func:`lintseq_hf.training.eval_results.read_eval_results`).
        """
        if not self.is_world_process_zero():
            return
        from lintseq_hf.training.card import RunSummary, write_card

        extra_tags = [tags] if isinstance(tags, str) else list(tags or [])
        summary = RunSummary.from_trainer(self, model_name=model_name, dataset_name=dataset_name, tags=extra_tags)
        write_card(self.args.output_dir, summary, eval_results=kwargs.get("eval_results"))
