"""One input file → one output file of LintSeq rows, as a long-running job: :func:`generate_file`.

The run behind ``lintseq generate``, for Python users too: the paths are checked before any work (all
distinct, writable, formats known), the output appears only when complete (:mod:`lintseq_hf.io.partial`),
an interrupted run (Ctrl-C, SIGTERM, ``kill -9``) continues with ``resume=True`` and gives the same bytes,
and the report and the dropped rows are written beside the output.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import signal
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

from lintseq_hf.dataset.transform import GenerateConfig, GenerationReport, generate
from lintseq_hf.io.partial import CHECKPOINT_SECONDS, PartialOutput
from lintseq_hf.io.rows import (
    BUILTIN_PREFIX,
    count_rows,
    infer_format,
    missing_columns,
    output_stem,
    peek_columns,
    read_rows,
)

ArgumentNames = Callable[[str], str]
"""How errors name an argument of :func:`generate_file` (``output`` → ``--output`` for the CLI)."""


def _as_is(name: str) -> str:
    return name


class GenerationInterrupted(KeyboardInterrupt):
    """Ctrl-C or SIGTERM during a run: the progress is checkpointed, ``resume=True`` continues it."""

    def __init__(self, rows_done: int, total: int | None, output: Path, folder: Path) -> None:
        self.rows_done, self.total, self.output, self.folder = rows_done, total, output, folder
        done = f"{rows_done} of {total} rows" if total is not None else f"{rows_done} rows"
        super().__init__(f"interrupted after {done}; {output} was not written (progress kept in {folder})")


@dataclass(frozen=True)
class RunPaths:
    """Where one run reads and writes (all distinct, checked)."""

    input: str
    output: Path
    report: Path
    skipped: Path

    @classmethod
    def of(cls, input: str, output: str | os.PathLike[str],  # noqa: A002 (the CLI flag's name)
           skipped_output: str | os.PathLike[str] | None = None, names: ArgumentNames = _as_is) -> RunPaths:
        """The paths of a run, each checked; an error is one line naming the argument (``names``) and the path."""
        output = Path(output)
        if output.is_dir():
            raise ValueError(f"{names('output')} {output}: is a directory; give a file name ending in .jsonl or .parquet")
        try:
            stem = output_stem(output)
        except ValueError as err:
            raise ValueError(f"{names('output')} {err}") from err
        for parent in output.parents:
            if parent.exists():
                if not parent.is_dir():
                    raise ValueError(f"{names('output')} {output}: {parent} is a file, not a folder")
                break
        if not input.startswith(BUILTIN_PREFIX):
            source = Path(input)
            if source.is_dir():
                raise ValueError(f"{names('input')} {source}: is a directory, not a file of rows")
            if not source.exists():
                raise FileNotFoundError(f"{names('input')} {source}: no such file")
            try:
                infer_format(source)
            except ValueError as err:
                raise ValueError(f"{names('input')} {err}") from err
        report = stem.with_name(stem.name + ".report.json")
        skipped = Path(skipped_output) if skipped_output else stem.with_name(stem.name + ".skipped.jsonl")
        for name, path in ((f"{names('output')} {output}: its report", report),
                           (f"{names('output')} {output}: its skipped rows", skipped)):
            if path.is_dir():
                raise ValueError(f"{name} {path} is a directory")
        paths = cls(input, output, report, skipped)
        paths.check_distinct(names)
        return paths

    def check_distinct(self, names: ArgumentNames = _as_is) -> None:
        named = {names("input"): self.input, names("output"): self.output, "the report": self.report,
                 names("skipped_output"): self.skipped}
        seen: dict[str, str] = {}
        for name, path in named.items():
            real = os.path.realpath(path)
            if real in seen:
                raise ValueError(f"{name} {path} is the same file as {seen[real]}; give different paths")
            seen[real] = f"{name} {path}"

    def prepare(self, names: ArgumentNames = _as_is) -> None:
        """Create the output folders; fail with one line if one cannot be written (not at the end of the run)."""
        for name, path in ((names("output"), self.output), (names("skipped_output"), self.skipped)):
            folder = path.parent
            try:
                folder.mkdir(parents=True, exist_ok=True)
                probe = folder / f".lintseq-write-test-{os.getpid()}"
                probe.touch()
                probe.unlink()
            except OSError as err:
                raise ValueError(f"{name} {path}: cannot write in {folder} ({err.strerror or err})") from err


@dataclass(frozen=True)
class GeneratedFile:
    """A finished run: where it wrote, what happened to every row, how many sequences the output holds."""

    paths: RunPaths
    report: GenerationReport
    sequences: int


def generate_file(
    input: str | os.PathLike[str],  # noqa: A002
    output: str | os.PathLike[str],
    config: GenerateConfig | None = None,
    *,
    resume: bool = False,
    num_proc: int = 1,
    limit: int | None = None,
    skipped_output: str | os.PathLike[str] | None = None,
    checkpoint_seconds: float = CHECKPOINT_SECONDS,
    progress: bool = True,
    names: ArgumentNames = _as_is,
) -> GeneratedFile:
    """Turn the rows of ``input`` (jsonl/json/parquet/csv, or ``builtin:humaneval``) into LintSeq rows at
    ``output`` (``.jsonl`` or ``.parquet``), the report at ``<output minus extension>.report.json`` and the dropped
    rows at ``skipped_output`` (default ``<output minus extension>.skipped.jsonl``).

    ``config`` holds the generation options (default: the paper's). The output does not depend on
    ``num_proc`` or on interruptions: after Ctrl-C or SIGTERM (:class:`GenerationInterrupted`) or ``kill -9``,
    the same call with ``resume=True`` continues and writes the same bytes; it refuses other arguments or another
    input. ``limit`` takes only the first rows. ``names`` says how errors name the arguments.
    """
    config = config if config is not None else GenerateConfig()
    source = os.fspath(input)
    if num_proc < 1:
        raise ValueError(f"{names('num_proc')} must be >= 1, got {num_proc}")
    if limit is not None and limit < 0:
        raise ValueError(f"{names('limit')} must be >= 0, got {limit}")
    paths = RunPaths.of(source, output, skipped_output, names)
    columns = peek_columns(source)
    for name, column in (
        ("code_column", config.code_column),
        ("instruction_column", config.instruction_column),
        ("language_column", config.language_column),
    ):
        if missing_columns(columns, [column]):
            raise ValueError(f"{names(name)} {column!r}: {source} has no such column; its columns are {columns}")
    if config.method == "lintseq":
        from lintseq_hf.lint.registry import get_linter

        for language in {config.language, *config.linter_overrides()}:
            get_linter(config.row_linter(language))  # fail fast: unknown linter name, missing compiler
    paths.prepare(names)
    with _sigterm_interrupts():
        return _run(paths, config, resume=resume, num_proc=num_proc, limit=limit,
                    checkpoint_seconds=checkpoint_seconds, progress=progress)


def _run(paths: RunPaths, config: GenerateConfig, *, resume: bool, num_proc: int, limit: int | None,
         checkpoint_seconds: float, progress: bool) -> GeneratedFile:
    partial = PartialOutput(paths.output, fingerprint(paths.input, limit, config), checkpoint_seconds=checkpoint_seconds)
    partial.start(resume=resume)
    report = GenerationReport.from_dict(partial.report) if partial.report else GenerationReport()
    if partial.rows_done:
        report.dropped = partial.dropped_rows()
    total = count_rows(paths.input)
    if limit is not None:
        total = min(total, limit) if total is not None else limit
    rows: Iterator[Any] = read_rows(paths.input, start=partial.rows_done)
    if limit is not None:
        rows = islice(rows, max(0, limit - partial.rows_done))
    try:
        results = generate(
            rows, config, num_proc=num_proc, report=report, progress=progress, total=total,
            first_index=partial.rows_done,
        )  # fmt: skip
        for result in results:
            records = result.records() if result.skip_reason is None else []
            drop = None if result.skip_reason is None else report.dropped[-1]
            partial.add_row(records, drop)
            if partial.due():
                partial.checkpoint(_counts(report))
    except KeyboardInterrupt as err:
        previous_int = _set_signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut the checkpoint
        try:
            partial.checkpoint(_counts(report))
            partial.close()
        finally:
            _set_signal(signal.SIGINT, previous_int)
        raise GenerationInterrupted(partial.rows_done, total, paths.output, partial.folder) from err
    except BaseException:
        if partial.rows_done:
            partial.checkpoint(_counts(report))
            partial.close()
        else:
            partial.discard()
        raise
    count = partial.finish(report.to_dict(), paths.report, paths.skipped)
    return GeneratedFile(paths, report, count)


def fingerprint(input: str, limit: int | None, config: GenerateConfig) -> dict[str, Any]:  # noqa: A002
    """What decides the output of a run: arguments, input content, code and linter versions."""
    from lintseq_hf.dataset.registration import code_hash

    digest = hashlib.sha256()
    if input.startswith(BUILTIN_PREFIX):
        digest.update(input.encode())
    else:
        with open(input, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return {
        "input": os.path.abspath(input) if not input.startswith(BUILTIN_PREFIX) else input,
        "input_sha256": digest.hexdigest(),
        "limit": limit,
        "method": config.method,
        **config.generation_options(),
        "code": code_hash(),
    }


def _counts(report: GenerationReport) -> dict[str, Any]:
    counts = report.to_dict()
    counts.pop("dropped")
    return counts


def _interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def _set_signal(signum: int, handler: Any) -> Any:
    """``signal.signal`` where Python allows it (the main thread); elsewhere nothing changes."""
    if threading.current_thread() is not threading.main_thread():
        return None
    return signal.signal(signum, handler)


@contextlib.contextmanager
def _sigterm_interrupts() -> Iterator[None]:
    """SIGTERM ends the run like Ctrl-C (checkpointed, resumable) while it lasts (main thread only)."""
    previous = _set_signal(signal.SIGTERM, _interrupt)
    try:
        yield
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
