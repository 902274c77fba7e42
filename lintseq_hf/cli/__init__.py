"""The top layer (may import every stage and the public API): the ``lintseq`` command line, one module per
command group, each with ``register(subparsers)``."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

COMMAND_MODULES: tuple[str, ...] = (
    "lintseq_hf.cli.generate",
    "lintseq_hf.cli.dataset",
    "lintseq_hf.cli.train",
    "lintseq_hf.cli.evaluate",
    "lintseq_hf.cli.compare",
    "lintseq_hf.cli.pretrain",
    "lintseq_hf.cli.sample",
)
"""Modules contributing subcommands; each defines ``register(subparsers) -> None``."""


def build_parser() -> argparse.ArgumentParser:
    from lintseq_hf.cli.parser import LintseqArgumentParser
    from lintseq_hf.version import __version__

    parser = LintseqArgumentParser(prog="lintseq", description="LintSeq synthetic edit sequences on the HF stack.")

    parser.add_argument("--version", action="version", version=f"lintseq-hf {__version__}")
    subparsers = parser.add_subparsers(dest="command", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``lintseq`` console script."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except (FileNotFoundError, ValueError) as err:
        print(f"lintseq {args.command}: error: {err}", file=sys.stderr)
        return 2

