"""``lintseq generate`` and ``lintseq show`` (the run itself is :func:`lintseq_hf.dataset.generate_file`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lintseq_hf.dataset.transform import GenerateConfig


def register(subparsers: argparse._SubParsersAction) -> None:
    """The core subcommands: ``generate`` and ``show``."""
    from lintseq_hf.cli.options import add_dataclass_arguments
    from lintseq_hf.core.sampler import LintSeqOptions
    from lintseq_hf.io.partial import CHECKPOINT_SECONDS
    from lintseq_hf.dataset.transform import GenerateConfig

    gen = subparsers.add_parser(
        "generate",
        help="turn instruction+code rows into LintSeq edit sequences",
        description="Read rows (jsonl/json/parquet/csv, or builtin:humaneval), sample edit sequences, "
        "write jsonl or parquet, and report what happened to every row. The output appears only when "
        "complete; an interrupted run continues with --resume.",
    )
    gen.add_argument("--input", default="builtin:humaneval", help="input file, or builtin:humaneval (default)")
    gen.add_argument(
        "--output", required=True,
        help="output .jsonl or .parquet; the report goes to <output minus extension>.report.json",
    )  # fmt: skip
    gen.add_argument("--num-proc", type=int, default=1, help="worker processes (the output does not depend on it)")
    gen.add_argument("--limit", type=int, default=None, help="only the first N rows")
    gen.add_argument(
        "--skipped-output", default=None,
        help="where to list dropped rows (default: <output minus extension>.skipped.jsonl)",
    )  # fmt: skip
    gen.add_argument(
        "--resume", action="store_true",
        help="continue the interrupted run of this --output (same arguments and input, or it refuses)",
    )  # fmt: skip
    gen.add_argument(
        "--checkpoint-seconds", type=_positive_seconds, default=CHECKPOINT_SECONDS, metavar="S",
        help=f"checkpoint the partial output at most every S seconds: the most work an interruption can lose "
        f"(default {CHECKPOINT_SECONDS:g}; does not change the output)",
    )  # fmt: skip
    gen.add_argument("--no-progress", action="store_true")
    gen.add_argument("--show", type=int, default=None, metavar="ROW", help="print one sequence of this output row at the end")
    add_dataclass_arguments(gen.add_argument_group("generation options"), GenerateConfig)
    add_dataclass_arguments(gen.add_argument_group("sampler options"), LintSeqOptions)
    gen.set_defaults(func=_generate)

    show = subparsers.add_parser(
        "show",
        help="render one edit sequence step by step (terminal, or --html page)",
        description="Show how a program grows, edit by edit, from a generate output file or a program file "
        "(Python or another language, see --language).",
    )
    source = show.add_mutually_exclusive_group(required=True)
    source.add_argument("--input", help="a generate output (.jsonl/.parquet)")
    source.add_argument("--program", help="a program file to sample a sequence from (.py, .c, .cpp, .js, .ts, .java, .rs, ...)")
    show.add_argument("--row", type=int, default=0, help="output row index (with --input)")
    show.add_argument("--id", default=None, help="output row id (with --input)")
    show.add_argument("--seed", type=int, default=0, help="sampling seed (with --program)")
    show.add_argument("--method", choices=["lintseq", "random"], default="lintseq")
    show.add_argument("--linter", default=None, help="linter backend (default: the language's own; pylint for Python)")
    show.add_argument(
        "--language", default=None,
        help="language of --program (default: from its file suffix, e.g. .cpp, .rs; else python; docs/languages.md)",
    )
    show.add_argument("--html", default=None, help="write a standalone HTML page here")
    show.add_argument("--color", choices=["auto", "always", "never"], default="auto")
    show.set_defaults(func=_show)


def generate_config(args: argparse.Namespace) -> GenerateConfig:
    """The :class:`GenerateConfig` of parsed ``generate`` flags (an error names the flag)."""
    from lintseq_hf.cli.options import dataclass_values
    from lintseq_hf.core.sampler import LintSeqOptions
    from lintseq_hf.dataset.transform import GenerateConfig

    values = dataclass_values(args, GenerateConfig)
    values["instruction_column"] = values.get("instruction_column") or None
    values["options"] = LintSeqOptions(**dataclass_values(args, LintSeqOptions))
    return GenerateConfig(**values)


def _positive_seconds(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be > 0, got {text}")
    return value


def _generate(args: argparse.Namespace) -> int:
    from lintseq_hf.cli.options import flag
    from lintseq_hf.dataset.run import GenerationInterrupted, generate_file

    try:
        done = generate_file(
            args.input, args.output, generate_config(args), resume=args.resume, num_proc=args.num_proc,
            limit=args.limit, skipped_output=args.skipped_output, checkpoint_seconds=args.checkpoint_seconds,
            progress=not args.no_progress, names=flag,
        )  # fmt: skip
    except GenerationInterrupted as err:
        print(f"lintseq generate: {err}; run the same command with --resume to continue", file=sys.stderr)
        return 130
    except KeyboardInterrupt:
        print("lintseq generate: interrupted before the first row; nothing was written", file=sys.stderr)
        return 130
    print(done.report.summary())
    skipped = f"; skipped rows: {done.paths.skipped}" if done.report.dropped else ""
    print(f"wrote {done.sequences} sequences to {done.paths.output}; report: {done.paths.report}{skipped}")
    if args.show is not None:
        record = _load_record(str(done.paths.output), args.show, None)
        _print_sequence(record, color=sys.stdout.isatty())
    return 0


def _load_record(path: str, row: int, row_id: str | None) -> dict:
    from lintseq_hf.io.rows import read_rows

    for index, record in enumerate(read_rows(path)):
        if not isinstance(record, dict):
            continue
        if (row_id is not None and record.get("id") == row_id) or (row_id is None and index == row):
            return record
    raise SystemExit(f"{path}: no row {'with id ' + row_id if row_id else row}")


def _print_sequence(record: dict, *, color: bool) -> None:
    from lintseq_hf.core.show import render_text

    title = f"row {record.get('id', '?')}: {len(record['edits'])} edits"
    if record.get("instruction"):
        title += "\n" + record["instruction"].strip()
    print(render_text(record["edits"], color=color, title=title))


def _language_of(path: Path) -> str:
    """The language a file suffix names (``.cpp`` → cpp, ``.rs`` → rust), else python."""
    from lintseq_hf.core.languages import UnknownLanguageError, resolve_language

    try:
        return resolve_language(path.suffix.lstrip(".")) if path.suffix else "python"
    except UnknownLanguageError:
        return "python"


def _show(args: argparse.Namespace) -> int:
    from lintseq_hf.core.show import render_html

    if args.input:
        record = _load_record(args.input, args.row, args.id)
    else:
        from lintseq_hf.core.programs import check_program, normalize_newlines
        from lintseq_hf.core.sampler import sample_edits

        from lintseq_hf.core.languages import resolve_language

        path = Path(args.program)
        language = resolve_language(args.language) if args.language else _language_of(path)
        program = normalize_newlines(path.read_text(encoding="utf-8"))
        check_program(program, language=language)
        edits = sample_edits(program, seed=args.seed, method=args.method, linter=args.linter, language=language)
        record = {"id": f"{Path(args.program).name} (seed {args.seed})", "edits": edits, "instruction": ""}
    color = args.color == "always" or (args.color == "auto" and sys.stdout.isatty())
    if args.html:
        page = render_html(record["edits"], title=f"LintSeq: {record.get('id', '')}", instruction=record.get("instruction", ""))
        Path(args.html).write_text(page, encoding="utf-8")
        print(f"wrote {args.html}")
    else:
        _print_sequence(record, color=color)
    return 0
