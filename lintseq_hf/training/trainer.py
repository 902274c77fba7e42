"""Fine-tuning on LintSeq rows with TRL: ``LintSeqSFTConfig`` / ``LintSeqSFTTrainer`` + a diff-aware collator.

The trainer is TRL's :class:`~trl.SFTTrainer` with the few pieces that differ overridden
(docs/training.md):

- ``<|diff|>`` is added to the tokenizer as an ordinary (non-special) token if missing, and the
  embeddings are resized (:func:`ensure_diff_token`).
- Rows are the builder's ``prompt``/``completion`` columns; TRL masks the prompt (``labels`` = -100)
  and appends EOS to the completion.
- Over-long rows: TRL's own cut (``input_ids[:max_length]``) would stop inside a hunk. Here an edit
  sequence is cut right after its last complete edit (the ``<|diff|>`` that closes it), or dropped,
  by ``overlong``; the counts are logged (:func:`~lintseq_hf.training.collator.truncate_at_edit_boundary`).
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

The pieces that need no trainer live beside it and are re-exported here: the cut, edit indices and
collator in :mod:`~lintseq_hf.training.collator`, the row checks in :mod:`~lintseq_hf.training.rows`,
the LoRA handling of the ``<|diff|>`` row in :mod:`~lintseq_hf.training.adapters`.
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
from trl.trainer.utils import create_model_from_path

from lintseq_hf.core.edits import DIFF_TOKEN, TEXT_FORMATS
from lintseq_hf.training.adapters import expose_head_bias, train_new_row_as_tokens
from lintseq_hf.training.card import check_repo_id, peft_summary
from lintseq_hf.training.collator import (
    IGNORE_INDEX,
    DiffAwareCollator,
    count_loss_sequences,
    fit_rows_batch,
)
from lintseq_hf.training.collator import edit_index as edit_index  # re-exported: the trainer's public names
from lintseq_hf.training.collator import fit_to_length as fit_to_length
from lintseq_hf.training.collator import sequence_index as sequence_index
from lintseq_hf.training.collator import truncate_at_edit_boundary as truncate_at_edit_boundary
from lintseq_hf.training.rows import CHAT_ROWS_REFUSED as CHAT_ROWS_REFUSED
from lintseq_hf.training.rows import is_chat_row as is_chat_row
from lintseq_hf.training.rows import rows_mismatch

logger = logging.getLogger(__name__)

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
            train_new_row_as_tokens(kwargs.get("peft_config"), model, self.diff_token_id)
        if processing_class.pad_token is None:
            processing_class.pad_token = processing_class.eos_token
        for dataset in (train_dataset, *(eval_dataset.values() if isinstance(eval_dataset, dict) else [eval_dataset])):
            reason = rows_mismatch(dataset, args.mode)
            if reason is not None:
                raise TrainingConfigError(reason)
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
        expose_head_bias(self.model)
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
            fit_rows_batch,
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
