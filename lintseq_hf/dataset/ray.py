"""The cluster path: the builder's per-row transform run by Ray Data.

``read jsonl/json/parquet/csv → number the rows → transform → write parquet``, with the same
:class:`lintseq_hf.dataset.builder.RowTransform` the ``datasets`` builder runs, so a run gives the
same rows (ids, sequences, texts) as ``load_dataset("lintseq", config, data_files=...)`` on
the same files with the same options. The drop report is written beside the data in the
builder's format (``load_report(output_dir)``).

Point it at a cluster the Ray way: ``ray.init(address="auto")`` (or ``RAY_ADDRESS``) before
calling, with inputs and output on storage every node can read (``s3://``, ``gs://``, NFS).
"""

from __future__ import annotations

import io
import json
import logging
import os
import posixpath
from collections.abc import Sequence
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from lintseq_hf.dataset.builder import REPORT_FILE, BuildReport, LintSeqConfig, RowTransform, transform_table

logger = logging.getLogger(__name__)

DATA_DIR = "data"
_ROW = "__lintseq_source_row"
_REASON = "__lintseq_drop_reason"
_DETAIL = "__lintseq_drop_detail"
_READERS = ("json", "parquet", "csv")


def transform_batch(batch: pa.Table, transform: RowTransform) -> pa.Table:
    """Ray ``map_batches`` UDF: output rows of a batch, plus one marker row per dropped input row."""
    first = batch.column(_ROW)[0].as_py() if batch.num_rows else 0
    rows = batch.drop_columns([_ROW])
    # rows arrive numbered and in order inside a batch; a gap would break source_row
    numbers = batch.column(_ROW).to_pylist()
    if numbers != list(range(first, first + len(numbers))):
        return pa.concat_tables([transform_batch(batch.slice(i, 1), transform) for i in range(batch.num_rows)])
    table, results = transform_table(transform, rows, first)
    table = table.append_column(_REASON, pa.nulls(len(table), pa.string())).append_column(
        _DETAIL, pa.nulls(len(table), pa.string())
    )
    dropped = [r for r in results if r.skip_reason is not None]
    if not dropped:
        return table
    schema = table.schema
    markers = {name: pa.nulls(len(dropped), schema.field(name).type) for name in schema.names}
    markers["source_row"] = pa.array([r.index for r in dropped], pa.int64())
    markers[_REASON] = pa.array([r.skip_reason for r in dropped], pa.string())
    markers[_DETAIL] = pa.array([r.detail for r in dropped], pa.string())
    return pa.concat_tables([table, pa.table(markers, schema=schema)])


def _kept(batch: pa.Table) -> pa.Table:
    return batch.filter(pc.is_null(batch.column(_REASON))).drop_columns([_REASON, _DETAIL])


def _dropped(batch: pa.Table) -> pa.Table:
    return batch.filter(pc.is_valid(batch.column(_REASON))).select(["source_row", _REASON, _DETAIL])


def generate_with_ray(
    inputs: str | Sequence[str],
    output_dir: str,
    *,
    config: str = "lintseq",
    input_format: str | None = None,
    batch_size: int = 16,
    concurrency: int | None = None,
    filesystem: Any = None,
    **options: Any,
) -> BuildReport:
    """Generate the ``config`` rows of ``inputs`` on the current Ray cluster into ``output_dir``.

    ``options`` are the builder's (:class:`lintseq_hf.dataset.builder.LintSeqConfig` fields:
    ``num_samples``, ``seed``, ``linter``, ``options``, ``instruction_column``, ``code_column``,
    ``max_program_lines``, ``timeout``, …). Parquet files go to ``output_dir/data/``, the
    report to ``output_dir/lintseq_report.json``. Starts a local Ray runtime if none is running.

    Files are read by Ray tasks (one per file, in a first pass that only counts rows, then
    one that numbers them), so the row numbers, and with them ``source_row``, are the
    rows' positions in ``inputs`` whatever the cluster does.
    """
    import ray.data

    paths = [inputs] if isinstance(inputs, str) else list(inputs)
    if not paths:
        raise ValueError("generate_with_ray: no input paths")
    settings = LintSeqConfig(name=config, **options)
    transform = settings.transform()
    reader = input_format or _infer_reader(paths)
    if reader not in _READERS:
        raise ValueError(f"generate_with_ray: input_format {reader!r} is not one of {_READERS}")
    wanted = [c for c in (settings.code_column, settings.instruction_column) if c]
    files = [{"path": path, "reader": reader, "wanted": wanted} for path in paths]
    read_args = {"fn_kwargs": {"filesystem": filesystem}, "batch_size": 1, "num_cpus": 1}

    counted = ray.data.from_items(files).map_batches(_count_file, **read_args).take_all()
    rows_per_file = {row["path"]: row["rows"] for row in counted}
    offsets, count = [], 0
    for item in files:
        offsets.append({**item, "start": count})
        count += rows_per_file[item["path"]]

    out = (
        ray.data.from_items(offsets, override_num_blocks=len(offsets))
        .map_batches(_read_file_numbered, **read_args)
        .map_batches(
            transform_batch,
            fn_kwargs={"transform": transform},
            batch_size=batch_size,
            batch_format="pyarrow",
            concurrency=concurrency,
            num_cpus=1,
        )
        .materialize()
    )
    out.map_batches(_kept, batch_format="pyarrow", batch_size=None).write_parquet(
        posixpath.join(output_dir, DATA_DIR), filesystem=filesystem
    )
    drops = out.map_batches(_dropped, batch_format="pyarrow", batch_size=None).take_all()
    records_out = out.count() - len(drops)

    report = BuildReport(config=settings.name, split="train", settings=_settings(settings, paths))
    report.rows_in = count
    report.rows_out = count - len(drops)
    report.records_out = records_out
    for drop in sorted(drops, key=lambda d: d["source_row"]):
        report.add_drop(drop["source_row"], drop[_REASON], drop[_DETAIL])
    if transform.kind == "partial":
        report.short_sequences = report.rows_out * settings.num_samples - records_out
    _write_report(output_dir, report, filesystem)
    (logger.warning if report.rows_dropped else logger.info)(report.summary())
    return report


def read_file(path: str, reader: str, filesystem: Any = None) -> pa.Table:
    """One input file as an Arrow table, rows in file order (jsonl/json/parquet/csv)."""
    from pyarrow import csv, fs, json as pa_json, parquet

    if filesystem is None:
        if "://" in path:
            filesystem, path = fs.FileSystem.from_uri(path)
        else:
            filesystem, path = fs.LocalFileSystem(), os.path.abspath(path)
    try:
        if reader == "parquet":
            return parquet.read_table(path, filesystem=filesystem)
        with filesystem.open_input_stream(path, compression="detect") as stream:
            data = stream.read()
        if reader == "csv":
            return csv.read_csv(io.BytesIO(data))
        if data.lstrip()[:1] == b"[":  # a JSON array of objects, as datasets' json reader accepts
            return pa.Table.from_pylist(json.loads(data))
        return pa_json.read_json(io.BytesIO(data))
    except (pa.ArrowInvalid, ValueError) as err:
        raise ValueError(f"generate_with_ray: cannot read {path} as {reader}: {err}") from err


def _count_file(batch: dict[str, Any], filesystem: Any = None) -> dict[str, list[Any]]:
    path, reader, wanted = batch["path"][0], batch["reader"][0], list(batch["wanted"][0])
    table = read_file(path, reader, filesystem)
    missing = [c for c in wanted if c not in table.column_names]
    if missing:
        raise ValueError(f"generate_with_ray: {path} has no column(s) {missing}; its columns are {table.column_names}")
    return {"path": [path], "rows": [table.num_rows]}


def _read_file_numbered(batch: dict[str, Any], filesystem: Any = None) -> pa.Table:
    table = read_file(batch["path"][0], batch["reader"][0], filesystem)
    start = int(batch["start"][0])
    return table.append_column(_ROW, pa.array(range(start, start + table.num_rows), pa.int64()))


def _settings(config: LintSeqConfig, paths: list[str]) -> dict[str, Any]:
    out = config.settings()
    out["data_files"] = {"train": paths}
    out["engine"] = "ray"
    return out


def _write_report(output_dir: str, report: BuildReport, filesystem: Any) -> None:
    from pyarrow import fs

    data = json.dumps({"splits": {report.split: report.to_dict()}}, indent=1).encode()
    if filesystem is not None:
        root = output_dir
    elif "://" in output_dir:
        filesystem, root = fs.FileSystem.from_uri(output_dir)
    else:
        filesystem, root = fs.LocalFileSystem(), os.path.abspath(output_dir)
    with filesystem.open_output_stream(posixpath.join(root, REPORT_FILE)) as handle:
        handle.write(data)


def _is_jsonl(path: str) -> bool:
    name = path.lower()
    for suffix in (".gz", ".zst", ".lz4", ".br"):
        name = name.removesuffix(suffix)
    return name.endswith((".jsonl", ".ndjson"))


def _infer_reader(paths: list[str]) -> str:
    readers = set()
    for path in paths:
        name = path.lower()
        for suffix in (".gz", ".zst", ".lz4", ".br", ".bz2"):
            name = name.removesuffix(suffix)
        if name.endswith((".jsonl", ".json", ".ndjson")):
            readers.add("json")
        elif name.endswith(".parquet"):
            readers.add("parquet")
        elif name.endswith((".csv", ".tsv")):
            readers.add("csv")
        else:
            raise ValueError(f"generate_with_ray: cannot tell the format of {path}; pass input_format=")
    if len(readers) != 1:
        raise ValueError(f"generate_with_ray: inputs of several formats {sorted(readers)}; pass one format")
    return readers.pop()
