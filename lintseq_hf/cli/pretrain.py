"""CLI subcommand ``pretrain``: a small code LM from scratch (tokenizer + Llama), from a recipe."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``pretrain`` to the ``lintseq`` CLI."""
    pretrain = subparsers.add_parser(
        "pretrain", help="pretrain a small Llama from scratch on a code corpus (TinyCodeLM-style)",
        description="Train a byte-level BPE tokenizer (<|diff|> an ordinary token from the start) and a "
        "Llama-architecture model from scratch, from a recipe in recipes/pretrain/ (tiny, 30m-h100, "
        "tinycodelm-150m, tinycodelm-400m). Prints the run's figures as JSON. Fine-tune the result with "
        "`lintseq train --model_name_or_path OUTPUT_DIR` (docs/training.md).")
    pretrain.add_argument("--config", required=True, help="recipe name or YAML path")
    pretrain.add_argument("--output_dir", default=None, help="where the model and tokenizer go")
    pretrain.add_argument("--corpus", default=None, help="'local', 'files:<glob>' or 'hub:<id>[:<config>]'")
    pretrain.add_argument("--max_steps", type=int, default=None)
    pretrain.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                          help="override any recipe key (VALUE read as JSON when it parses, else as text)")
    pretrain.add_argument("--export-corpus", default=None, metavar="PATH",
                          help="write the recipe's corpus as gzipped JSON lines to PATH and stop (a shard to carry)")
    pretrain.set_defaults(func=_pretrain)


def _overrides(args: argparse.Namespace) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for item in args.set:
        key, sep, text = item.partition("=")
        if not sep or not key:
            raise ValueError(f"--set {item!r}: expected KEY=VALUE")
        try:
            values[key] = json.loads(text)
        except ValueError:
            values[key] = text
    for key in ("output_dir", "corpus", "max_steps"):
        if getattr(args, key) is not None:
            values[key] = getattr(args, key)
    return values


def _pretrain(args: argparse.Namespace) -> int:
    from lintseq_hf.training.pretrain import PretrainConfig, export_corpus, pretrain

    config = PretrainConfig.from_recipe(args.config, **_overrides(args))
    if args.export_corpus:
        print(json.dumps(export_corpus(config, args.export_corpus)))
        return 0
    info = pretrain(config)
    print(json.dumps({k: v for k, v in info.items() if k != "config"}))
    print(f"model and tokenizer in {info['output_dir']}", file=sys.stderr)
    return 0
