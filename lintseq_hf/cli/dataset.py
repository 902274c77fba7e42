"""CLI subcommand of the datasets area: ``build-dataset`` (generate configs, write a Hub-ready folder, push)."""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import sys
from collections.abc import Iterator


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``build-dataset`` to the ``lintseq`` CLI."""
    from lintseq_hf.cli.options import add_dataclass_arguments
    from lintseq_hf.core.sampler import LintSeqOptions
    from lintseq_hf.dataset.transform import GenerationOptions

    build = subparsers.add_parser(
        "build-dataset",
        help="generate lintseq/random/instruct/partial configs with the datasets builder; write a Hub-ready folder",
        description="Run load_dataset('lintseq', CONFIG, ...) for each --config on one source, write "
        "data/<config>/<split>-*.parquet and a dataset card to --output-dir, and with --push-to upload "
        "that folder to the Hub in one commit.",
    )
    source = build.add_mutually_exclusive_group(required=True)
    source.add_argument("--data-files", nargs="+", help="local jsonl/json/parquet/csv files (one train split)")
    source.add_argument("--source", help="a Hub dataset id (or local dataset folder) read with datasets")
    build.add_argument("--source-config", default=None)
    build.add_argument("--source-split", default=None)
    build.add_argument(
        "--config", action="append", choices=["lintseq", "random", "instruct", "partial"],
        help="config(s) to build (repeatable; default: lintseq and instruct)",
    )  # fmt: skip
    build.add_argument("--output-dir", required=True, help="the repository folder to write")
    build.add_argument("--num-proc", type=int, default=None)
    build.add_argument("--cache-dir", default=None, help="datasets cache (default: the HF datasets cache)")
    build.add_argument("--license", default=None, help="licence for the card (default: carried from the source)")
    build.add_argument("--push-to", default=None, metavar="REPO_ID", help="upload the folder to this dataset repo")
    build.add_argument("--private", action="store_true", help="create the repo private (with --push-to)")
    add_dataclass_arguments(build.add_argument_group("generation options"), GenerationOptions)
    add_dataclass_arguments(build.add_argument_group("sampler options"), LintSeqOptions)
    build.set_defaults(func=_build_dataset)


def _build_dataset(args: argparse.Namespace) -> int:
    import datasets

    import lintseq_hf  # noqa: F401  (registers the builder)
    from lintseq_hf.cli.options import dataclass_values
    from lintseq_hf.core.sampler import LintSeqOptions
    from lintseq_hf.dataset.reports import load_report
    from lintseq_hf.dataset.card import push_dataset_to_hub, save_dataset_folder
    from lintseq_hf.dataset.transform import GenerationOptions

    options = dataclass_values(args, GenerationOptions)
    options["options"] = dataclass_values(args, LintSeqOptions)
    # datasets ignores None-valued config kwargs: "" and 0 are the "none" of these two options
    options["instruction_column"] = options["instruction_column"] or ""
    options["timeout"] = options["timeout"] or 0
    if args.num_proc is not None and args.num_proc < 1:
        raise ValueError(f"--num-proc must be >= 1, got {args.num_proc}")
    if args.source:
        options.update(source=args.source, source_config=args.source_config, source_split=args.source_split)
        data_files = None
    else:
        data_files = {"train": args.data_files}
    configs = {}
    for name in args.config or ["lintseq", "instruct"]:
        with _silenced("lintseq_hf.dataset.builder"):  # it logs the summary when it builds: printed once below
            configs[name] = datasets.load_dataset(
                "lintseq", name, data_files=data_files, num_proc=args.num_proc, cache_dir=args.cache_dir, **options
            )
        for report in load_report(configs[name]).values():
            print(report.summary(), file=sys.stderr)
    if args.push_to:
        commit = push_dataset_to_hub(
            configs, args.push_to, folder=args.output_dir, license=args.license, private=args.private or None
        )
        print(json.dumps({"folder": args.output_dir, "pushed_to": args.push_to, "commit": str(commit)}))
    else:
        save_dataset_folder(configs, args.output_dir, license=args.license)
        print(json.dumps({"folder": args.output_dir, "configs": {k: {s: len(d) for s, d in v.items()} for k, v in configs.items()}}))
    return 0


@contextlib.contextmanager
def _silenced(logger_name: str) -> Iterator[None]:
    """Below ERROR, ``logger_name`` says nothing inside the block."""
    log = logging.getLogger(logger_name)
    saved = log.level
    log.setLevel(logging.ERROR)
    try:
        yield
    finally:
        log.setLevel(saved)
