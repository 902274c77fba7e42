"""The ``datasets`` builder "lintseq": instruction + program pairs → LintSeq training rows.

A thin adapter, in the style of ``datasets/packaged_modules/json``: one config dataclass holding
every option, one builder class with ``_info`` / ``_split_generators`` / ``_generate_tables``. What
a config makes of a row is :mod:`lintseq_hf.dataset.configs` (shared with Ray Data), local files
are read by :class:`lintseq_hf.io.files.LocalFiles`, and the drop reports are
:mod:`lintseq_hf.dataset.reports`.

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

import json
import logging
import os
import posixpath
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

import datasets
import pyarrow as pa
from datasets.builder import Key

from lintseq_hf.dataset.card import source_license
from lintseq_hf.dataset.configs import (
    CONFIG_NAMES,
    FEATURES,
    RowTransform,
    config_settings,
    transform_rows,
    transform_table,
)
from lintseq_hf.dataset.registration import BUILDER_NAME, code_hash, register_builder
from lintseq_hf.dataset.reports import (
    REPORT_FILE,
    SHARD_REPORT_PREFIX,
    BuildReport,
    NoRowsError,
    load_report,
    read_report_file,
)
from lintseq_hf.dataset.transform import GenerateConfig, GenerationOptions, RowResult
from lintseq_hf.io.files import LocalFiles
from lintseq_hf.io.rows import InputFormatError, datasets_reader, missing_columns, resolve_format

__all__ = [  # the builder's own names, and those of its neighbours that were first defined here
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
        self.transform()
        if self.source_format is not None:
            try:
                resolve_format("data", self.source_format)
            except ValueError as err:
                raise ValueError(f"lintseq config {self.name!r}: {err}") from err

    def generate_config(self) -> GenerateConfig:
        """The :class:`GenerateConfig` these options describe."""
        return self.transform().generate

    def transform(self) -> RowTransform:
        """The per-row transform of this config (checks the generation options)."""
        return RowTransform.for_config(self.name, self)

    def settings(self) -> dict[str, Any]:
        """Every option, JSON-ready (for reports and dataset cards)."""
        source = {name: getattr(self, name) for name in ("source", "source_config", "source_split", "source_revision")}
        return config_settings(self.name, self, self.data_files, **source)


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
            path = posixpath.join(self._output_dir, f"{SHARD_REPORT_PREFIX}{split}-{shard:06d}.json")
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
        pattern = posixpath.join(self._output_dir, SHARD_REPORT_PREFIX + "*.json")
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
        return read_report_file(Path(self.cache_dir) / REPORT_FILE)

