"""The cluster path: the builder's per-row transform run by Ray Data.

``read jsonl/json/parquet/csv → number the rows → transform → write parquet``, with the same
:class:`lintseq_hf.dataset.configs.RowTransform` the ``datasets`` builder runs, so a run gives the
same rows (ids, sequences, texts) as ``load_dataset("lintseq", config, data_files=...)`` on
the same files with the same options. The drop report is written beside the data in the
builder's format (``load_report(output_dir)``).

Files are read with :func:`lintseq_hf.io.rows.read_rows`, the reader of ``lintseq generate``
and of the builder, so a bad line, a non-object item or a lone surrogate is a counted row here
too. Rows travel between stages pickled (one binary cell each): any value a reader returns
reaches the transform unchanged, whatever its type.

Point it at a cluster the Ray way: ``ray.init(address="auto")`` (or ``RAY_ADDRESS``) before
calling, with inputs and output on storage every node can read (``s3://``, ``gs://``, NFS).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import pickle
import posixpath
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from lintseq_hf.dataset.configs import DATA_DIR, RowTransform, config_settings, transform_rows
from lintseq_hf.dataset.reports import REPORT_FILE, BuildReport
from lintseq_hf.dataset.transform import GenerationOptions
from lintseq_hf.io.rows import (
    count_rows,
    datasets_reader,
    missing_columns,
    peek_columns,
    read_rows,
)

logger = logging.getLogger(__name__)

_ROW = "__lintseq_source_row"
_PAYLOAD = "__lintseq_row"
_REASON = "__lintseq_drop_reason"
_DETAIL = "__lintseq_drop_detail"


def transform_batch(batch: pa.Table, transform: RowTransform) -> pa.Table:
    """Ray ``map_batches`` UDF: output rows of a batch, plus one marker row per dropped input row."""
    first = batch.column(_ROW)[0].as_py() if batch.num_rows else 0
    # rows arrive numbered and in order inside a batch; a gap would break source_row
    numbers = batch.column(_ROW).to_pylist()
    if numbers != list(range(first, first + len(numbers))):
        return pa.concat_tables([transform_batch(batch.slice(i, 1), transform) for i in range(batch.num_rows)])
    rows = [pickle.loads(cell) for cell in batch.column(_PAYLOAD).to_pylist()]
    table, results = transform_rows(transform, rows, first)
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

    ``options`` are the generation options of the builder's configs
    (:class:`lintseq_hf.dataset.transform.GenerationOptions` fields: ``num_samples``, ``seed``, ``linter``, ``options``, ``instruction_column``, ``code_column``,
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
    settings = GenerationOptions(**options)
    transform = RowTransform.for_config(config, settings)
    try:
        datasets_reader(paths, input_format)  # one format for all inputs, or a clear error
    except ValueError as err:
        raise ValueError(f"generate_with_ray: {err}; pass input_format=") from err
    wanted = [c for c in (settings.code_column, settings.instruction_column) if c]
    files = [{"path": path, "reader": input_format or "", "wanted": wanted} for path in paths]
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

    report = BuildReport(config=config, split="train", settings=_settings(config, settings, paths))
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


def read_file(path: str, fmt: str | None = None, filesystem: Any = None) -> list[Any]:
    """The rows of one input file, in file order, read by :func:`lintseq_hf.io.rows.read_rows`
    (a remote file is copied to a local temporary file first)."""
    with _local_copy(path, filesystem) as local:
        return list(read_rows(local, fmt or None))


@contextlib.contextmanager
def _local_copy(path: str, filesystem: Any) -> Iterator[str]:
    """A local path holding ``path``: itself when it is a local file, else a temporary copy."""
    if filesystem is None and "://" not in path:
        yield os.path.abspath(path)
        return
    from pyarrow import fs

    filesystem, remote = (filesystem, path) if filesystem is not None else fs.FileSystem.from_uri(path)
    folder = tempfile.mkdtemp(prefix="lintseq-ray-")
    try:
        local = os.path.join(folder, posixpath.basename(remote))
        with filesystem.open_input_stream(remote) as source, open(local, "wb") as target:
            shutil.copyfileobj(source, target)
        yield local
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _count_file(batch: dict[str, Any], filesystem: Any = None) -> dict[str, list[Any]]:
    path, fmt, wanted = batch["path"][0], batch["reader"][0] or None, list(batch["wanted"][0])
    with _local_copy(path, filesystem) as local:
        columns = peek_columns(local, fmt)
        rows = count_rows(local, fmt, exact=True)
    missing = missing_columns(columns, wanted)
    if missing:
        raise ValueError(f"generate_with_ray: {path} has no column(s) {missing}; its columns are {columns}")
    return {"path": [path], "rows": [rows]}


def _read_file_numbered(batch: dict[str, Any], filesystem: Any = None) -> pa.Table:
    rows = read_file(batch["path"][0], batch["reader"][0] or None, filesystem)
    start = int(batch["start"][0])
    return pa.table(
        {
            _ROW: pa.array(range(start, start + len(rows)), pa.int64()),
            _PAYLOAD: pa.array([pickle.dumps(row) for row in rows], pa.binary()),
        }
    )


def _settings(config: str, options: GenerationOptions, paths: list[str]) -> dict[str, Any]:
    out = config_settings(config, options, {"train": paths})
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
