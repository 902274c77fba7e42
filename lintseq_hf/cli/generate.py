"""``lintseq generate`` and ``lintseq show``."""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lintseq_hf.dataset.transform import GenerateConfig, GenerationReport


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


@dataclass(frozen=True)
class RunPaths:
    """Where one ``generate`` run reads and writes (all distinct, checked)."""

    input: str
    output: Path
    report: Path
    skipped: Path

    @classmethod
    def of(cls, args: argparse.Namespace) -> RunPaths:
        from lintseq_hf.io.rows import BUILTIN_PREFIX, infer_format, output_stem

        output = Path(args.output)
        if output.is_dir():
            raise ValueError(f"--output {output}: is a directory; give a file name ending in .jsonl or .parquet")
        try:
            stem = output_stem(output)
        except ValueError as err:
            raise ValueError(f"--output {err}") from err
        for parent in output.parents:
            if parent.exists():
                if not parent.is_dir():
                    raise ValueError(f"--output {output}: {parent} is a file, not a folder")
                break
        if not args.input.startswith(BUILTIN_PREFIX):
            source = Path(args.input)
            if source.is_dir():
                raise ValueError(f"--input {source}: is a directory, not a file of rows")
            if not source.exists():
                raise FileNotFoundError(f"--input {source}: no such file")
            try:
                infer_format(source)
            except ValueError as err:
                raise ValueError(f"--input {err}") from err
        report = stem.with_name(stem.name + ".report.json")
        skipped = Path(args.skipped_output) if args.skipped_output else stem.with_name(stem.name + ".skipped.jsonl")
        for name, path in ((f"--output {output}: its report", report), (f"--output {output}: its skipped rows", skipped)):
            if path.is_dir():
                raise ValueError(f"{name} {path} is a directory")
        paths = cls(args.input, output, report, skipped)
        paths.check_distinct()
        return paths

    def check_distinct(self) -> None:
        named = {"--input": self.input, "--output": self.output, "the report": self.report, "--skipped-output": self.skipped}
        seen: dict[str, str] = {}
        for name, path in named.items():
            real = os.path.realpath(path)
            if real in seen:
                raise ValueError(f"{name} {path} is the same file as {seen[real]}; give different paths")
            seen[real] = f"{name} {path}"

    def prepare(self) -> None:
        """Create the output folders; fail with one line if one cannot be written (not at the end of the run)."""
        for name, path in (("--output", self.output), ("--skipped-output", self.skipped)):
            folder = path.parent
            try:
                folder.mkdir(parents=True, exist_ok=True)
                probe = folder / f".lintseq-write-test-{os.getpid()}"
                probe.touch()
                probe.unlink()
            except OSError as err:
                raise ValueError(f"{name} {path}: cannot write in {folder} ({err.strerror or err})") from err


def _positive_seconds(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be > 0, got {text}")
    return value


def _fingerprint(args: argparse.Namespace, config: GenerateConfig) -> dict[str, Any]:
    """What decides the output of a run: arguments, input content, code and linter versions."""
    import hashlib

    from lintseq_hf.dataset.registration import code_hash
    from lintseq_hf.io.rows import BUILTIN_PREFIX

    digest = hashlib.sha256()
    if args.input.startswith(BUILTIN_PREFIX):
        digest.update(args.input.encode())
    else:
        with open(args.input, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return {
        "input": os.path.abspath(args.input) if not args.input.startswith(BUILTIN_PREFIX) else args.input,
        "input_sha256": digest.hexdigest(),
        "limit": args.limit,
        "method": config.method,
        **config.generation_options(),
        "code": code_hash(),
    }


def _generate(args: argparse.Namespace) -> int:
    previous_term = signal.signal(signal.SIGTERM, _interrupt)
    try:
        return _run(args)
    except KeyboardInterrupt:
        print("lintseq generate: interrupted before the first row; nothing was written", file=sys.stderr)
        return 130
    finally:
        signal.signal(signal.SIGTERM, previous_term)


def _run(args: argparse.Namespace) -> int:
    from lintseq_hf.dataset.transform import GenerationReport, generate
    from lintseq_hf.io.partial import PartialOutput
    from lintseq_hf.io.rows import count_rows, missing_columns, peek_columns, read_rows

    config = generate_config(args)
    if args.num_proc < 1:
        raise ValueError(f"--num-proc must be >= 1, got {args.num_proc}")
    if args.limit is not None and args.limit < 0:
        raise ValueError(f"--limit must be >= 0, got {args.limit}")
    paths = RunPaths.of(args)
    columns = peek_columns(args.input)
    for name, column in (
        ("--code-column", config.code_column),
        ("--instruction-column", config.instruction_column),
        ("--language-column", config.language_column),
    ):
        if missing_columns(columns, [column]):
            raise ValueError(f"{name} {column!r}: {args.input} has no such column; its columns are {columns}")
    if config.method == "lintseq":
        from lintseq_hf.lint.registry import get_linter

        get_linter(config.row_linter(config.language))  # fail fast: unknown linter name, missing compiler
    paths.prepare()
    partial = PartialOutput(paths.output, _fingerprint(args, config), checkpoint_seconds=args.checkpoint_seconds)
    partial.start(resume=args.resume)
    report = GenerationReport.from_dict(partial.report) if partial.report else GenerationReport()
    if partial.rows_done:
        report.dropped = partial.dropped_rows()
    total = count_rows(args.input)
    if args.limit is not None:
        total = min(total, args.limit) if total is not None else args.limit
    rows: Iterator[Any] = read_rows(args.input, start=partial.rows_done)
    if args.limit is not None:
        rows = islice(rows, max(0, args.limit - partial.rows_done))
    try:
        results = generate(
            rows, config, num_proc=args.num_proc, report=report, progress=not args.no_progress, total=total,
            first_index=partial.rows_done,
        )  # fmt: skip
        for result in results:
            records = result.records() if result.skip_reason is None else []
            drop = None if result.skip_reason is None else report.dropped[-1]
            partial.add_row(records, drop)
            if partial.due():
                partial.checkpoint(_counts(report))
    except KeyboardInterrupt:
        previous_int = signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut the checkpoint
        try:
            partial.checkpoint(_counts(report))
            partial.close()
        finally:
            signal.signal(signal.SIGINT, previous_int)
        done = f"{partial.rows_done} of {total} rows" if total is not None else f"{partial.rows_done} rows"
        print(
            f"lintseq generate: interrupted after {done}; {paths.output} was not written (progress kept in "
            f"{partial.folder}); run the same command with --resume to continue",
            file=sys.stderr,
        )
        return 130
    except BaseException:
        if partial.rows_done:
            partial.checkpoint(_counts(report))
            partial.close()
        else:
            partial.discard()
        raise
    count = partial.finish(report.to_dict(), paths.report, paths.skipped)
    print(report.summary())
    skipped = f"; skipped rows: {paths.skipped}" if report.dropped else ""
    print(f"wrote {count} sequences to {paths.output}; report: {paths.report}{skipped}")
    if args.show is not None:
        record = _load_record(str(paths.output), args.show, None)
        _print_sequence(record, color=sys.stdout.isatty())
    return 0


def _counts(report: GenerationReport) -> dict[str, Any]:
    counts = report.to_dict()
    counts.pop("dropped")
    return counts


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


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
