"""Reading input rows and writing output rows: jsonl / json / parquet / csv, plus built-ins."""

from __future__ import annotations

import json
from dataclasses import dataclass
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any


BUILTIN_PREFIX = "builtin:"
BUILTINS = ("humaneval",)


class InputFormatError(ValueError):
    """An input file cannot be read (unknown extension, unreadable file)."""


@dataclass(frozen=True)
class UnreadableRow:
    """A row the reader could not turn into a mapping, yielded in its place so that it is counted.

    ``reason`` is a skip reason of :data:`lintseq_hf.dataset.transform.SKIP_REASONS`.
    """

    reason: str
    detail: str


def _suffix(path: str | Path) -> str:
    name = str(path).lower()
    for suffix in (".jsonl.gz", ".jsonl", ".jsonlines", ".json", ".parquet", ".csv"):
        if name.endswith(suffix):
            return suffix
    raise InputFormatError(f"{path}: unknown format; expected .jsonl, .json, .parquet or .csv")


def count_rows(source: str) -> int | None:
    """Number of rows of ``source`` when cheap to know (for the progress bar), else ``None``."""
    if source.startswith(BUILTIN_PREFIX):
        return len(list(read_rows(source)))
    suffix = _suffix(source)
    if suffix == ".parquet":
        import pyarrow.parquet as pq

        return pq.ParquetFile(source).metadata.num_rows
    if suffix in (".jsonl", ".jsonlines"):
        with open(source, "rb") as handle:
            return sum(1 for line in handle if line.strip())
    return None


def read_rows(source: str) -> Iterator[Mapping[str, Any] | UnreadableRow]:
    """Rows of a file (or ``builtin:humaneval``), in order.

    A jsonl line that is not valid JSON or not UTF-8 yields an :class:`UnreadableRow`
    (reason ``bad_json`` / ``not_utf8``) in its place, so that no row is lost uncounted.
    """
    if source.startswith(BUILTIN_PREFIX):
        name = source[len(BUILTIN_PREFIX) :]
        if name == "humaneval":
            from lintseq_hf.io.humaneval import humaneval_pairs

            yield from humaneval_pairs()
            return
        raise InputFormatError(f"unknown built-in {source!r}; known: {[BUILTIN_PREFIX + b for b in BUILTINS]}")
    path = Path(source)
    if not path.is_file():
        raise FileNotFoundError(f"input file not found: {source}")
    suffix = _suffix(path)
    if suffix in (".jsonl", ".jsonlines", ".jsonl.gz"):
        yield from _read_jsonl(path, suffix == ".jsonl.gz")
    elif suffix == ".json":
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, dict):
            data = next((v for v in data.values() if isinstance(v, list)), [data])
        yield from data
    elif suffix == ".parquet":
        import pyarrow.parquet as pq

        for batch in pq.ParquetFile(path).iter_batches(batch_size=1024):
            yield from batch.to_pylist()
    else:
        import pyarrow.csv as pacsv

        table = pacsv.read_csv(path)
        yield from table.to_pylist()


def _read_jsonl(path: Path, gz: bool) -> Iterator[Mapping[str, Any] | UnreadableRow]:
    import gzip

    opener = gzip.open if gz else open
    index = 0
    with opener(path, "rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as err:
                yield UnreadableRow("not_utf8", f"{path.name} line {number}: {err}")
                index += 1
                continue
            try:
                row = json.loads(text)
            except json.JSONDecodeError as err:
                yield UnreadableRow("bad_json", f"{path.name} line {number}: {err}")
                index += 1
                continue
            if not isinstance(row, dict):
                yield UnreadableRow("bad_json", f"{path.name} line {number}: not an object")
            else:
                yield row
            index += 1


class RowWriter:
    """Writes records to .jsonl or .parquet (parquet in row groups, so memory stays flat)."""

    def __init__(self, path: str | Path, batch_rows: int = 2048) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        name = self.path.name.lower()
        if name.endswith(".jsonl"):
            self.kind = "jsonl"
            self._handle = open(self.path, "w", encoding="utf-8")
        elif name.endswith(".parquet"):
            self.kind = "parquet"
            self._writer: Any = None
            self._buffer: list[dict[str, Any]] = []
        else:
            raise InputFormatError(f"{path}: output must end in .jsonl or .parquet")
        self.batch_rows = batch_rows
        self.count = 0

    def write(self, records: Iterable[dict[str, Any]]) -> None:
        for record in records:
            self.count += 1
            if self.kind == "jsonl":
                self._handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            else:
                self._buffer.append(record)
                if len(self._buffer) >= self.batch_rows:
                    self._flush()

    def _flush(self) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if not self._buffer:
            return
        table = pa.Table.from_pylist(self._buffer)
        if self._writer is None:
            self._writer = pq.ParquetWriter(self.path, table.schema)
        self._writer.write_table(table.cast(self._writer.schema))
        self._buffer = []

    def close(self) -> None:
        if self.kind == "jsonl":
            self._handle.close()
            return
        self._flush()
        if self._writer is not None:
            self._writer.close()
        elif not self.path.exists():
            import pyarrow as pa
            import pyarrow.parquet as pq

            pq.write_table(pa.table({}), self.path)

    def __enter__(self) -> RowWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
