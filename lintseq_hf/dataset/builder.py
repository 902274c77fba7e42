"""The ``datasets`` builder "lintseq": instruction + program pairs → LintSeq training rows.

A thin adapter over :mod:`lintseq_hf.dataset.transform` (the per-row transform), in the style of
``datasets/packaged_modules/json``: one config dataclass holding every option, one builder
class with ``_info`` / ``_split_generators`` / ``_generate_tables``.

Configs:

- ``lintseq`` (default): each pair → ``num_samples`` LintSeq edit sequences;
- ``random``: the linter-free "RandSeq" ablation, same shape;
- ``instruct``: the baseline pairs, after the same code extraction and filtering;
- ``partial``: D3-style rows whose prompt already holds a non-empty prefix of a sequence
  and whose completion is the rest of it (``prompt + completion`` is the full text).

After ``import lintseq_hf``, ``load_dataset("lintseq", "lintseq", data_files=..., num_proc=N)``
works (see :func:`register_builder`); so does the class used directly::

    builder = LintSeqBuilder(config_name="lintseq", data_files={"train": "pairs.jsonl"})
    builder.download_and_prepare(num_proc=4)
    ds = builder.as_dataset("train")

Rows that are dropped, and why, are logged and kept next to the cached data
(:func:`load_report`).
"""

from __future__ import annotations

import functools
import json
import logging
import os
import posixpath
import random
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields
from itertools import islice
from pathlib import Path
from typing import Any

import datasets
import pyarrow as pa
from datasets.builder import Key

from lintseq_hf.core.edits import DIFF_TOKEN, format_completion, format_prompt
from lintseq_hf.core.programs import check_bounds
from lintseq_hf.dataset.registration import BUILDER_NAME, code_hash, register_builder
from lintseq_hf.dataset.transform import (
    SKIP_REASONS,
    GenerateConfig,
    GenerationOptions,
    GenerationReport,
    RowResult,
    process_row,
    sample_seed,
)
from lintseq_hf.io.rows import (
    InputFormatError,
    UnreadableRow,
    count_rows,
    datasets_reader,
    missing_columns,
    peek_columns,
    read_rows,
    resolve_format,
)

__all__ = [
    "CONFIG_NAMES",
    "FEATURES",
    "BuildReport",
    "LintSeqBuilder",
    "LintSeqConfig",
    "LocalFiles",
    "NoRowsError",
    "RowTransform",
    "load_report",
    "register_builder",
    "transform_rows",
    "transform_table",
]

logger = logging.getLogger(__name__)

CONFIG_NAMES = ("lintseq", "random", "instruct", "partial")
REPORT_FILE = "lintseq_report.json"
_SHARD_REPORT_PREFIX = ".lintseq-shard-"
FEATURES = datasets.Features(
    {
        "id": datasets.Value("string"),
        "source_row": datasets.Value("int64"),
        "sample_index": datasets.Value("int32"),
        "instruction": datasets.Value("string"),
        "program": datasets.Value("string"),
        "edits": datasets.List(datasets.Value("string")),
        "prompt": datasets.Value("string"),
        "completion": datasets.Value("string"),
    }
)
"""Output columns of every config (``partial`` adds ``prefix_edits``)."""

PARTIAL_FEATURES = datasets.Features({**FEATURES, "prefix_edits": datasets.Value("int32")})


# --------------------------------------------------------------------------- the row transform


@dataclass(frozen=True)
class RowTransform:
    """The per-row transform of one config: shared by the builder and the Ray Data path.

    ``kind`` is one of :data:`CONFIG_NAMES`; ``generate`` holds the sampler settings.
    """

    kind: str
    generate: GenerateConfig

    def __post_init__(self) -> None:
        if self.kind not in CONFIG_NAMES:
            raise ValueError(f"unknown lintseq config {self.kind!r}; expected one of {CONFIG_NAMES}")

    @property
    def features(self) -> datasets.Features:
        return PARTIAL_FEATURES if self.kind == "partial" else FEATURES

    def __call__(self, row: Mapping[str, Any] | UnreadableRow, index: int) -> tuple[list[dict[str, Any]], RowResult]:
        """Output rows of input ``row`` (its position ``index`` in the source), and the row result."""
        if self.kind == "instruct":
            # the sampling arms' extraction and checks, without sampling: the same rows are kept
            result = process_row(row, index, self.generate, sample=False)
            return ([] if result.skip_reason else [result.instruct_record()]), result
        result = process_row(row, index, self.generate)
        if result.skip_reason is not None:
            return [], result
        records = result.records()
        if self.kind == "partial":
            records = [r for r in (self._partial(result, rec) for rec in records) if r is not None]
        return records, result

    def _partial(self, result: RowResult, record: dict[str, Any]) -> dict[str, Any] | None:
        edits: list[str] = record["edits"]
        if len(edits) < 2:
            return None  # no non-empty proper prefix: counted as a short sequence
        rng = random.Random(sample_seed(self.generate.seed, result.key + ":prefix", record["sample_index"]))
        cut = rng.randrange(1, len(edits))
        return {
            **record,
            "prompt": format_prompt(result.instruction) + "".join(e + "\n" + DIFF_TOKEN for e in edits[:cut]),
            "completion": format_completion(edits[cut:]),
            "prefix_edits": cut,
        }


def transform_table(
    transform: RowTransform, table: pa.Table | Mapping[str, Sequence[Any]], first_index: int
) -> tuple[pa.Table, list[RowResult]]:
    """Apply ``transform`` to every row of a batch whose first row is source row ``first_index``."""
    columns = table.to_pydict() if isinstance(table, pa.Table) else dict(table)
    names = list(columns)
    length = len(columns[names[0]]) if names else 0
    rows = [{name: columns[name][offset] for name in names} for offset in range(length)]
    return transform_rows(transform, rows, first_index)


def transform_rows(
    transform: RowTransform, rows: Sequence[Mapping[str, Any] | UnreadableRow], first_index: int
) -> tuple[pa.Table, list[RowResult]]:
    """Apply ``transform`` to consecutive source rows from ``first_index`` on: output table, row results."""
    records: list[dict[str, Any]] = []
    results: list[RowResult] = []
    for offset, row in enumerate(rows):
        out, result = transform(row, first_index + offset)
        records.extend(out)
        results.append(result)
    return pa.Table.from_pylist(records, schema=transform.features.arrow_schema), results


@dataclass(frozen=True)
class LocalFiles:
    """One split's local data files, read row by row with :func:`lintseq_hf.io.rows.read_rows`
    (the reader of ``lintseq generate``): a bad line or item is a counted row, never a crash.
    """

    paths: tuple[str, ...]
    counts: tuple[int, ...]
    fmt: str | None = None

    @classmethod
    def open(cls, paths: Sequence[str], fmt: str | None, split: str) -> LocalFiles:
        counts = []
        for path in paths:
            try:
                counts.append(count_rows(path, fmt, exact=True) or 0)
            except InputFormatError as err:
                raise ValueError(f"lintseq: split {split!r}: {err}") from err
        if not sum(counts):
            raise ValueError(f"lintseq: split {split!r}: no rows in data file(s) {list(paths)} (empty?)")
        return cls(tuple(paths), tuple(counts), fmt)

    def __len__(self) -> int:
        return sum(self.counts)

    def missing_columns(self, wanted: Sequence[str | None]) -> tuple[str, list[str], list[str] | None] | None:
        """The first file lacking a ``wanted`` column: (file, missing, its columns), or ``None``."""
        for path in self.paths:
            columns = peek_columns(path, self.fmt)
            missing = missing_columns(columns, wanted)
            if missing:
                return path, missing, columns
        return None

    def rows(self, start: int = 0, stop: int | None = None) -> Iterator[Mapping[str, Any] | UnreadableRow]:
        """Rows ``start`` to ``stop`` (``None``: the end) of the files taken one after another."""
        offset = 0
        for path, count in zip(self.paths, self.counts):
            if stop is not None and offset >= stop:
                return
            if offset + count > start:
                first = max(0, start - offset)
                last = count if stop is None else min(count, stop - offset)
                if resolve_format(path, self.fmt) in ("json", "csv"):
                    yield from _whole_file_rows(path, self.fmt, os.stat(path).st_mtime_ns)[first:last]
                else:  # jsonl and parquet skip to ``first`` without parsing what they skip
                    yield from islice(read_rows(path, self.fmt, start=first), last - first)
            offset += count


@functools.lru_cache(maxsize=1)
def _whole_file_rows(path: str, fmt: str | None, mtime_ns: int) -> list[Mapping[str, Any] | UnreadableRow]:
    """The rows of a json/csv file, parsed once per process for all its shards (``mtime_ns`` keys a change)."""
    return list(read_rows(path, fmt))


# --------------------------------------------------------------------------- reports


class NoRowsError(ValueError):
    """A split of the builder produced no output row; the message holds the drop summary."""



@dataclass
class BuildReport(GenerationReport):
    """What happened to every source row of one generated split."""

    config: str = ""
    split: str = ""
    records_out: int = 0
    short_sequences: int = 0
    """``partial`` only: sequences with fewer than two edits (no proper prefix), not output."""
    settings: dict[str, Any] = field(default_factory=dict)

    def add_batch(self, results: Sequence[RowResult], records_out: int, short: int = 0) -> None:
        for result in results:
            self.add(result)
        self.records_out += records_out
        self.short_sequences += short

    def merge(self, other: GenerationReport) -> None:
        super().merge(other)
        if isinstance(other, BuildReport):
            self.records_out += other.records_out
            self.short_sequences += other.short_sequences

    def summary(self) -> str:
        lines = [
            f"lintseq/{self.config} split {self.split!r}: {self.rows_in} source rows → {self.rows_out} kept, "
            f"{self.rows_dropped} dropped, {self.records_out} output rows"
        ]
        for reason, count in sorted(self.skipped.items()):
            rows = [d["source_row"] for d in self.examples(reason, limit=5)]
            lines.append(f"  {reason}: {count} ({SKIP_REASONS.get(reason, reason)}), e.g. rows {rows}")
        if self.short_sequences:
            lines.append(f"  {self.short_sequences} sequence(s) of one edit have no prefix (no partial row)")
        return "\n".join(lines)


def load_report(obj: Any) -> dict[str, BuildReport]:
    """Per-split reports of a generated dataset.

    ``obj``: a :class:`LintSeqBuilder` (after ``download_and_prepare`` or a streamed pass), a
    ``Dataset`` / ``DatasetDict`` from ``load_dataset("lintseq", …)``, a streamed
    ``IterableDataset`` after iterating it, or the cache directory itself.
    """
    if isinstance(obj, LintSeqBuilder):
        return obj.reports()
    if isinstance(obj, (str, os.PathLike)):
        return _read_report_file(Path(obj) / REPORT_FILE)
    if isinstance(obj, (datasets.DatasetDict, datasets.IterableDatasetDict)):
        out: dict[str, BuildReport] = {}
        for split in obj.values():
            out.update(load_report(split))
        return out
    if isinstance(obj, datasets.Dataset):
        if not obj.cache_files:
            raise ValueError("this Dataset has no cache files, so no lintseq report (was it built in memory?)")
        directory = Path(obj.cache_files[0]["filename"]).parent
        reports = _read_report_file(directory / REPORT_FILE)
        split = str(obj.split) if obj.split is not None else None
        return {split: reports[split]} if split in reports else reports
    if isinstance(obj, datasets.IterableDataset):
        builder = getattr(getattr(getattr(obj, "_ex_iterable", None), "generate_tables_fn", None), "__self__", None)
        if isinstance(builder, LintSeqBuilder):
            return builder.reports()
        raise ValueError("this IterableDataset was not streamed from the lintseq builder")
    raise TypeError(f"no lintseq report for a {type(obj).__name__}")


def _read_report_file(path: Path) -> dict[str, BuildReport]:
    if not path.exists():
        raise FileNotFoundError(f"{path}: no lintseq report (not generated by the lintseq builder?)")
    data = json.loads(path.read_text(encoding="utf-8"))
    return {split: BuildReport.from_dict(report) for split, report in data["splits"].items()}


# --------------------------------------------------------------------------- the builder


@dataclass
class LintSeqConfig(datasets.BuilderConfig, GenerationOptions):
    """Options of the "lintseq" builder; each one is part of the cache key.

    The generation options (``num_samples``, ``seed``, ``linter``, ``options``,
    ``instruction_column``, ``code_column``, ``extract``, ``max_program_lines``,
    ``max_line_chars``, ``timeout``) are those of
    :class:`~lintseq_hf.dataset.transform.GenerationOptions`, inherited, not repeated; the
    method follows from the config name (``random`` → RandSeq).
    """

    source: str | None = None
    """A Hub dataset id (or a local dataset folder) read with ``datasets.load_dataset``."""
    source_config: str | None = None
    source_split: str | None = None
    """Only this split of ``source`` / ``data_files``; ``None`` → every split."""
    source_revision: str | None = None
    source_format: str | None = None
    """Format of ``data_files`` ("jsonl", "json", "parquet", "csv"); ``None`` → from the file extensions."""
    rows_per_shard: int | None = field(default=None, metadata={"min": 1})
    """Rows per unit of parallel work (``None``: about 64 units, at most 256 rows each); changes nothing in the output."""

    def __post_init__(self) -> None:
        super().__post_init__()
        self.check()

    def check(self) -> None:
        """Validate every option (datasets sets config kwargs after ``__post_init__``, so the builder calls this again)."""
        try:
            check_bounds(self)
            self.generate_config()
            if self.source_format is not None:
                resolve_format("data", self.source_format)
        except ValueError as err:
            raise ValueError(f"lintseq config {self.name!r}: {err}") from err

    def generate_config(self) -> GenerateConfig:
        """The :class:`GenerateConfig` these options describe."""
        values = {f.name: getattr(self, f.name) for f in fields(GenerationOptions)}
        return GenerateConfig(**values, method="random" if self.name == "random" else "lintseq")

    def transform(self) -> RowTransform:
        self.check()
        kind = self.name if self.name in CONFIG_NAMES else "lintseq"
        return RowTransform(kind, self.generate_config())

    def settings(self) -> dict[str, Any]:
        """Every option, JSON-ready (for reports and dataset cards)."""
        from lintseq_hf.version import __version__

        out: dict[str, Any] = {"config": self.name, "lintseq_hf_version": __version__}
        for name in ("source", "source_config", "source_split", "source_revision"):
            out[name] = getattr(self, name)
        out.update(self.generation_options())
        out["method"] = self.generate_config().method
        if self.data_files:
            out["data_files"] = {str(k): [str(f) for f in v] for k, v in self.data_files.items()}
        return out


class LintSeqBuilder(datasets.ArrowBasedBuilder):
    """LintSeq edit-sequence rows from instruction + program pairs (see the module docstring)."""

    BUILDER_CONFIG_CLASS = LintSeqConfig
    BUILDER_CONFIGS = [
        LintSeqConfig(name="lintseq", description="LintSeq edit sequences (linter-guided), num_samples per pair."),
        LintSeqConfig(name="random", description="RandSeq ablation: random-deletion edit sequences, no linter."),
        LintSeqConfig(name="instruct", description="Baseline instruction → program pairs, same rows as 'lintseq'."),
        LintSeqConfig(name="partial", description="Prefix of a LintSeq sequence in the prompt, the rest as completion."),
    ]
    DEFAULT_CONFIG_NAME = "lintseq"

    def __init__(self, *args: Any, hash: str | None = None, **kwargs: Any) -> None:  # noqa: A002
        kwargs.setdefault("dataset_name", BUILDER_NAME)
        super().__init__(*args, hash=hash or code_hash(), **kwargs)
        self._reports: dict[str, BuildReport] = {}
        self._collect_shards = False

    def _info(self) -> datasets.DatasetInfo:
        from lintseq_hf.version import CITATION, PAPER_URL

        return datasets.DatasetInfo(
            description="LintSeq training rows generated by lintseq-hf "
            "(Piterbarg, Pinto & Fergus, 'Training Language Models on Synthetic Edit Sequences Improves Code "
            "Synthesis', ICLR 2025).",
            citation=CITATION,
            homepage=PAPER_URL,
            features=self.config.transform().features,
        )

    # -- sources

    def _split_generators(self, dl_manager: Any) -> list[datasets.SplitGenerator]:
        config: LintSeqConfig = self.config
        config.check()
        streaming = isinstance(dl_manager, datasets.StreamingDownloadManager)
        sources = self._load_sources(streaming, dl_manager)
        generate = config.generate_config()
        splits = []
        self.info.license = self.info.license or source_license(config.source)
        for split, source in sources.items():
            self._check_columns(source, split, generate)
            license_ = getattr(getattr(source, "info", None), "license", None)
            if license_ and not self.info.license:
                self.info.license = license_
            if streaming:
                gen_kwargs: dict[str, Any] = {"split": split, "source": source, "ranges": [(0, 0, None)]}
            else:
                step = config.rows_per_shard or min(256, max(1, -(-len(source) // 64)))
                ranges = [(i, start, min(start + step, len(source))) for i, start in enumerate(range(0, len(source), step))]
                gen_kwargs = {"split": split, "source": source, "ranges": ranges or [(0, 0, 0)]}
            splits.append(datasets.SplitGenerator(name=split, gen_kwargs=gen_kwargs))
        return splits

    def _load_sources(self, streaming: bool, dl_manager: Any) -> dict[str, Any]:
        """Every source split: :class:`LocalFiles` for data files on this machine (read by our
        reader), else a ``Dataset`` / ``IterableDataset`` read by ``datasets``."""
        config: LintSeqConfig = self.config
        has_files = bool(config.data_files) and any(len(files) for files in config.data_files.values())
        if config.source and has_files:
            found = {str(k): [str(f) for f in v][:3] for k, v in config.data_files.items()}
            raise ValueError(
                f"lintseq: give either source={config.source!r} or data_files, not both (got data_files={found})"
            )
        cache_dir = None if streaming else self._cache_dir_root
        if config.source:
            loaded = datasets.load_dataset(
                config.source,
                config.source_config,
                split=config.source_split,
                revision=config.source_revision,
                streaming=streaming,
                cache_dir=cache_dir,
            )
            where = f"source {config.source!r}"
        elif has_files:
            data_files = {str(k): [str(f) for f in v] for k, v in config.data_files.items()}
            if config.source_split is not None:
                if config.source_split not in data_files:
                    raise ValueError(f"lintseq: source_split {config.source_split!r} not in data_files splits {sorted(data_files)}")
                data_files = {config.source_split: data_files[config.source_split]}
            try:
                reader = datasets_reader([f for files in data_files.values() for f in files], config.source_format)
            except InputFormatError as err:
                raise ValueError(f"lintseq: {err}; set source_format=") from err
            if not streaming:
                data_files = {split: list(dl_manager.download(files)) for split, files in data_files.items()}
            if all(os.path.isfile(f) for files in data_files.values() for f in files):
                return {split: LocalFiles.open(files, config.source_format, split) for split, files in data_files.items()}
            loaded = datasets.load_dataset(reader, data_files=data_files, streaming=streaming, cache_dir=cache_dir)
            if config.source_split is not None:
                loaded = loaded[config.source_split]
            where = f"data_files {data_files}"
        else:
            raise ValueError(
                "lintseq: no source given. Pass data_files=... (jsonl/json/parquet/csv) or source='org/name' "
                "(a dataset read with datasets.load_dataset); the working directory is never read by default."
            )
        if isinstance(loaded, (datasets.Dataset, datasets.IterableDataset)):
            loaded = {str(config.source_split or loaded.split or "train"): loaded}
        sources = {str(split): ds for split, ds in loaded.items()}
        if not sources:
            raise ValueError(f"lintseq: {where} has no split")
        return sources

    def _check_columns(self, source: Any, split: str, generate: GenerateConfig) -> None:
        wanted = [c for c in (generate.code_column, generate.instruction_column, generate.language_column) if c]
        if isinstance(source, LocalFiles):
            found = source.missing_columns(wanted)
            if found is None:
                return
            where, missing, columns = f"data file {found[0]}", found[1], found[2]
        else:
            columns = source.column_names
            missing = missing_columns(columns, wanted)  # a streamed source may not know its columns yet
            if not missing:
                return
            where = "the source"
        raise ValueError(
            f"lintseq: split {split!r}: {where} has no column(s) {missing}; its columns are {columns}. "
            "Set instruction_column= / code_column= / language_column=."
        )

    # -- generation

    def _generate_tables(
        self, split: str, source: Any, ranges: list[tuple[int, int, int | None]]
    ) -> Iterator[tuple[Key, pa.Table]]:
        """Output tables of the row ranges ``(shard, start, stop)`` of ``source``; ``stop=None`` streams it all."""
        transform = self.config.transform()
        for shard, start, stop in ranges:
            report = BuildReport(config=self.config.name, split=split)
            if stop is None:  # streaming: one pass over the whole source, in order
                self._reports.pop(split, None)
            for batch_start, rows in self._batches(source, start, stop):
                table, results = transform_rows(transform, rows, batch_start)
                self._add(report, table, results)
                if len(table):
                    yield Key(shard, batch_start - start), table
            self._shard_done(split, shard, report)

    @staticmethod
    def _batches(source: Any, start: int, stop: int | None, size: int = 16) -> Iterator[tuple[int, list[Any]]]:
        """Consecutive batches of source rows ``[start, stop)`` as ``(first index, rows)``."""
        if isinstance(source, LocalFiles):
            rows = source.rows(start, stop)
            position = start
            while batch := list(islice(rows, size)):
                yield position, batch
                position += len(batch)
        elif stop is None:
            position = 0
            for batch in source.iter(batch_size=size):
                columns = dict(batch)
                length = len(next(iter(columns.values()), []))
                yield position, [{name: columns[name][i] for name in columns} for i in range(length)]
                position += length
        else:
            for batch_start in range(start, stop, size):
                columns = source[batch_start : min(batch_start + size, stop)]
                length = min(batch_start + size, stop) - batch_start
                yield batch_start, [{name: columns[name][i] for name in columns} for i in range(length)]

    def _add(self, report: BuildReport, table: pa.Table, results: list[RowResult]) -> None:
        short = 0
        if self.config.transform().kind == "partial":
            short = sum(len(r.samples) for r in results if r.skip_reason is None) - len(table)
        report.add_batch(results, len(table), short)

    def _shard_done(self, split: str, shard: int, report: BuildReport) -> None:
        if self._collect_shards:
            # a worker process: leave the shard's report beside the data, merged by the parent
            path = posixpath.join(self._output_dir, f"{_SHARD_REPORT_PREFIX}{split}-{shard:06d}.json")
            with self._fs.open(path, "w", encoding="utf-8") as handle:
                json.dump(report.to_dict(), handle)
        else:
            self._merge_report(split, report)
            merged = self._reports[split]
            (logger.warning if merged.rows_dropped else logger.info)(merged.summary())

    def _merge_report(self, split: str, report: BuildReport) -> None:
        if split not in self._reports:
            settings = {**self.config.settings(), "license": self.info.license or None}
            self._reports[split] = BuildReport(config=self.config.name, split=split, settings=settings)
        self._reports[split].merge(report)

    def _download_and_prepare(self, dl_manager: Any, verification_mode: Any, **prepare_split_kwargs: Any) -> None:
        self._reports = {}
        self._collect_shards = True
        try:
            super()._download_and_prepare(dl_manager, verification_mode, **prepare_split_kwargs)
        finally:
            self._collect_shards = False
        pattern = posixpath.join(self._output_dir, _SHARD_REPORT_PREFIX + "*.json")
        for path in sorted(self._fs.glob(pattern)):
            with self._fs.open(path, "r", encoding="utf-8") as handle:
                report = BuildReport.from_dict(json.load(handle))
            self._merge_report(report.split, report)
            self._fs.rm(path)
        for split in self.info.splits or {}:
            if str(split) not in self._reports:
                self._merge_report(str(split), BuildReport(config=self.config.name, split=str(split)))
        data = {"splits": {split: report.to_dict() for split, report in self._reports.items()}}
        with self._fs.open(posixpath.join(self._output_dir, REPORT_FILE), "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=1)
        for report in self._reports.values():
            (logger.warning if report.rows_dropped else logger.info)(report.summary())
        empty = [report for report in self._reports.values() if report.rows_in and not report.records_out]
        if empty:
            # before datasets' own "corresponds to no data", which would hide why
            raise NoRowsError("\n".join(
                ["lintseq: no output rows: every source row was dropped (or had no partial prefix)"]
                + [report.summary() for report in empty]
            ))  # fmt: skip

    def reports(self) -> dict[str, BuildReport]:
        """Per-split reports: of this run, or of the cached data this builder points at."""
        if self._reports:
            return dict(self._reports)
        return _read_report_file(Path(self.cache_dir) / REPORT_FILE)


def source_license(source: str | None) -> str | None:
    """The ``license`` of a source dataset's card (a Hub id or a local folder), if it states one."""
    if not source:
        return None
    from huggingface_hub import DatasetCard
    from huggingface_hub.errors import EntryNotFoundError

    folder = Path(source)
    try:
        if folder.is_dir():
            readme = folder / "README.md"
            if not readme.is_file():
                return None
            card = DatasetCard.load(readme, ignore_metadata_errors=True)
        else:
            card = DatasetCard.load(source, ignore_metadata_errors=True)
    except (OSError, EntryNotFoundError, ValueError) as err:
        logger.info("lintseq: no licence read from the card of %s (%s)", source, err)
        return None
    value = card.data.to_dict().get("license")
    if isinstance(value, list):
        value = ",".join(str(v) for v in value)
    return str(value) if value else None
