"""``lintseq generate`` and ``lintseq show``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

def register(subparsers: argparse._SubParsersAction) -> None:
    """The core subcommands: ``generate`` and ``show``."""
    gen = subparsers.add_parser(
        "generate",
        help="turn instruction+code rows into LintSeq edit sequences",
        description="Read rows (jsonl/json/parquet/csv, or builtin:humaneval), sample edit sequences, "
        "write jsonl or parquet, and report what happened to every row.",
    )
    gen.add_argument("--input", default="builtin:humaneval", help="input file, or builtin:humaneval (default)")
    gen.add_argument("--output", required=True, help="output .jsonl or .parquet")
    gen.add_argument("--instruction-column", default="instruction")
    gen.add_argument("--code-column", default="response")
    gen.add_argument("--num-samples", type=int, default=5, help="edit sequences per row (paper: 5)")
    gen.add_argument("--seed", type=int, default=0)
    gen.add_argument("--num-proc", type=int, default=1)
    gen.add_argument("--method", choices=["lintseq", "random"], default="lintseq")
    gen.add_argument("--linter", default="pylint", help="pylint (default, the authors' verdicts) or fast")
    gen.add_argument("--indent-bias", type=float, default=1.0, help="indentation bias factor (authors: 1)")
    gen.add_argument("--ignore-init-errors", action="store_true", help="ignore errors present in the original")
    gen.add_argument("--no-extract", action="store_true", help="do not extract ```python blocks")
    gen.add_argument("--max-program-lines", type=int, default=None)
    gen.add_argument("--max-line-chars", type=int, default=None)
    gen.add_argument("--timeout", type=float, default=120.0, help="per-program time limit in seconds")
    gen.add_argument("--limit", type=int, default=None, help="only the first N rows")
    gen.add_argument("--skipped-output", default=None, help="where to list skipped rows (default: beside --output)")
    gen.add_argument("--no-progress", action="store_true")
    gen.add_argument("--show", type=int, default=None, metavar="ROW", help="print one sequence of this output row at the end")
    gen.set_defaults(func=_generate)

    show = subparsers.add_parser(
        "show",
        help="render one edit sequence step by step (terminal, or --html page)",
        description="Show how a program grows, edit by edit, from a generate output file or a .py file.",
    )
    source = show.add_mutually_exclusive_group(required=True)
    source.add_argument("--input", help="a generate output (.jsonl/.parquet)")
    source.add_argument("--program", help="a .py file to sample a sequence from")
    show.add_argument("--row", type=int, default=0, help="output row index (with --input)")
    show.add_argument("--id", default=None, help="output row id (with --input)")
    show.add_argument("--seed", type=int, default=0, help="sampling seed (with --program)")
    show.add_argument("--method", choices=["lintseq", "random"], default="lintseq")
    show.add_argument("--linter", default="pylint")
    show.add_argument("--html", default=None, help="write a standalone HTML page here")
    show.add_argument("--color", choices=["auto", "always", "never"], default="auto")
    show.set_defaults(func=_show)


def _generate(args: argparse.Namespace) -> int:
    from lintseq_hf.io.rows import RowWriter, count_rows, read_rows
    from lintseq_hf.dataset.transform import GenerateConfig, GenerationReport, generate
    from lintseq_hf.core.sampler import LintSeqOptions

    config = GenerateConfig(
        num_samples=args.num_samples,
        seed=args.seed,
        method=args.method,
        linter=args.linter,
        options=LintSeqOptions(indent_bias=args.indent_bias, ignore_init_errors=args.ignore_init_errors),
        instruction_column=args.instruction_column or None,
        code_column=args.code_column,
        extract=not args.no_extract,
        max_program_lines=args.max_program_lines,
        max_line_chars=args.max_line_chars,
        timeout=args.timeout or None,
    )
    if config.method == "lintseq":
        from lintseq_hf.lint.registry import get_linter

        get_linter(config.linter)  # fail fast on an unknown linter name
    rows = read_rows(args.input)
    total = count_rows(args.input)
    if args.limit is not None:
        rows = (row for i, row in zip(range(args.limit), rows))
        total = min(total, args.limit) if total is not None else args.limit
    report = GenerationReport()
    output = Path(args.output)
    skipped_path = Path(args.skipped_output) if args.skipped_output else output.with_name(output.name.split(".")[0] + ".skipped.jsonl")
    first_record: dict | None = None
    with RowWriter(output) as writer:
        for result in generate(rows, config, num_proc=args.num_proc, report=report, progress=not args.no_progress, total=total):
            if result.skip_reason is not None:
                continue
            records = result.records()
            writer.write(records)
            if first_record is None and records:
                first_record = records[0]
    if report.dropped:
        with open(skipped_path, "w", encoding="utf-8") as handle:
            for row in report.dropped:
                handle.write(json.dumps(row) + "\n")
    report_path = output.with_name(output.name.split(".")[0] + ".report.json")
    report_path.write_text(json.dumps(report.to_dict(), indent=2) + "\n", encoding="utf-8")
    print(report.summary())
    print(f"wrote {writer.count} sequences to {output}; report: {report_path}" + (f"; skipped rows: {skipped_path}" if report.dropped else ""))
    if args.show is not None:
        record = _load_record(str(output), args.show, None)
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


def _show(args: argparse.Namespace) -> int:
    from lintseq_hf.core.show import render_html

    if args.input:
        record = _load_record(args.input, args.row, args.id)
    else:
        from lintseq_hf.core.sampler import sample_edits
        from lintseq_hf.core.programs import check_program, normalize_newlines

        program = normalize_newlines(Path(args.program).read_text(encoding="utf-8"))
        check_program(program)
        edits = sample_edits(program, seed=args.seed, method=args.method, linter=args.linter)
        record = {"id": f"{Path(args.program).name} (seed {args.seed})", "edits": edits, "instruction": ""}
    color = args.color == "always" or (args.color == "auto" and sys.stdout.isatty())
    if args.html:
        page = render_html(record["edits"], title=f"LintSeq: {record.get('id', '')}", instruction=record.get("instruction", ""))
        Path(args.html).write_text(page, encoding="utf-8")
        print(f"wrote {args.html}")
    else:
        _print_sequence(record, color=color)
    return 0
