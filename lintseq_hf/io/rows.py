"""Reading input rows and writing output rows: jsonl / json / parquet / csv, plus built-ins.

The one rule for a file's format lives here (:func:`infer_format`); the CLI, the builder, the
Ray path, training data loading and benchmark problems all ask it.
"""

from __future__ import annotations

import codecs
import json
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import IO, Any

BUILTIN_PREFIX = "builtin:"
BUILTINS = ("humaneval",)

FORMATS = ("jsonl", "json", "parquet", "csv")
"""Row formats we read; :func:`infer_format` returns one of them."""
OUTPUT_FORMATS = ("jsonl", "parquet")
EXTENSIONS = {
    ".jsonl": "jsonl",
    ".jsonlines": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".parquet": "parquet",
    ".csv": "csv",
}
COMPRESSIONS = {".gz": "gzip", ".bz2": "bz2", ".xz": "xz"}
"""Compression suffixes (after the format extension) of text formats; parquet compresses inside."""
DATASETS_READERS = {"jsonl": "json", "json": "json", "parquet": "parquet", "csv": "csv"}
"""The ``datasets`` / pyarrow reader of each format."""


class InputFormatError(ValueError):
    """An input file cannot be read (unknown extension, unreadable file); the message names it."""


@dataclass(frozen=True)
class UnreadableRow:
    """A row the reader could not turn into a mapping, yielded in its place so that it is counted.

    ``reason`` is a skip reason of :data:`lintseq_hf.dataset.transform.SKIP_REASONS`.
    """

    reason: str
    detail: str


def _split_suffixes(path: str | os.PathLike[str]) -> tuple[str, str | None, str | None]:
    """``(name without format and compression suffixes, format or None, compression or None)``."""
    name = os.path.basename(str(path))
    lower = name.lower()
    compression = None
    for suffix, codec in COMPRESSIONS.items():
        if lower.endswith(suffix):
            compression, name, lower = codec, name[: -len(suffix)], lower[: -len(suffix)]
            break
    for suffix, fmt in EXTENSIONS.items():
        if lower.endswith(suffix):
            return name[: -len(suffix)], fmt, compression
    return name, None, compression


def infer_format(path: str | os.PathLike[str]) -> str:
    """The row format of ``path`` from its extension: one of :data:`FORMATS`.

    ``.jsonl`` / ``.jsonlines`` / ``.ndjson`` are jsonl; ``.json``, ``.parquet``, ``.csv`` are
    themselves; text formats may end in ``.gz``, ``.bz2`` or ``.xz``.
    """
    _, fmt, compression = _split_suffixes(path)
    if fmt is None or (fmt == "parquet" and compression is not None):
        known = ", ".join(sorted(EXTENSIONS))
        raise InputFormatError(f"{path}: unknown format; expected one of {known} (text formats may add .gz/.bz2/.xz)")
    return fmt


def compression_of(path: str | os.PathLike[str]) -> str | None:
    """The compression codec named by ``path``'s last suffix (``gzip``, ``bz2``, ``xz``), or ``None``."""
    return _split_suffixes(path)[2]


def datasets_reader(paths: Iterable[str | os.PathLike[str]], declared: str | None = None) -> str:
    """The one ``datasets.load_dataset`` reader ("json", "parquet", "csv") for all of ``paths``."""
    if declared is not None:
        if declared not in set(DATASETS_READERS) | set(DATASETS_READERS.values()):
            raise InputFormatError(f"format {declared!r} is not one of {sorted(set(DATASETS_READERS))}")
        return DATASETS_READERS.get(declared, declared)
    readers: dict[str, list[str]] = {}
    for path in paths:
        readers.setdefault(DATASETS_READERS[infer_format(path)], []).append(str(path))
    if len(readers) != 1:
        found = {reader: files[:2] for reader, files in readers.items()}
        raise InputFormatError(f"files of several formats (or none): {found}; give one format per call")
    return next(iter(readers))


def resolve_format(path: str | os.PathLike[str], declared: str | None = None) -> str:
    """``declared`` (a format or a ``datasets`` reader name) refined by the extension, else inferred."""
    if declared is None:
        return infer_format(path)
    if declared == "json":  # the datasets reader "json" reads jsonl and json alike
        inferred = _split_suffixes(path)[1]
        return inferred if inferred in ("jsonl", "json") else "jsonl"
    if declared not in FORMATS:
        raise InputFormatError(f"{path}: format {declared!r} is not one of {FORMATS}")
    return declared


def output_stem(path: str | os.PathLike[str]) -> Path:
    """``path`` without its output format extension (``run.v1.jsonl`` → ``run.v1``): sidecars go beside it."""
    path = Path(path)
    stem, fmt, compression = _split_suffixes(path)
    if fmt not in OUTPUT_FORMATS or compression is not None:
        raise InputFormatError(f"{path}: output must end in .jsonl or .parquet")
    return path.with_name(stem)


def _open_binary(path: Path) -> IO[bytes]:
    codec = compression_of(path)
    if codec == "gzip":
        import gzip

        return gzip.open(path, "rb")
    if codec == "bz2":
        import bz2

        return bz2.open(path, "rb")
    if codec == "xz":
        import lzma

        return lzma.open(path, "rb")
    return open(path, "rb")


def count_rows(source: str, fmt: str | None = None, *, exact: bool = False) -> int | None:
    """Number of rows :func:`read_rows` yields for ``source``.

    Cheap for jsonl and parquet; for json and csv (whole-file formats) only with ``exact=True``
    (it reads the file), else ``None``.
    """
    if source.startswith(BUILTIN_PREFIX):
        return sum(1 for _ in read_rows(source))
    fmt = resolve_format(source, fmt)
    if fmt == "parquet":
        import pyarrow.parquet as pq

        return pq.ParquetFile(source).metadata.num_rows
    if fmt == "jsonl":
        return sum(1 for _ in _jsonl_lines(Path(source)))
    return sum(1 for _ in read_rows(source, fmt)) if exact else None


def read_rows(
    source: str, fmt: str | None = None, *, start: int = 0, split: str | None = None
) -> Iterator[Mapping[str, Any] | UnreadableRow]:
    """Rows of a file (or ``builtin:humaneval``) in order, from row ``start`` on.

    One item per row, always: a jsonl line that is not UTF-8 or not JSON, or a row that is not
    an object, yields an :class:`UnreadableRow` (``not_utf8`` / ``bad_json`` / ``bad_item``) in
    its place. A file that cannot be read as a whole raises :class:`InputFormatError` naming the
    file (and the line, for text that is not UTF-8 or not JSON). ``fmt`` overrides the extension.
    A JSON object of lists by split name gives its ``split`` list if it has one, else its first list.
    """
    if source.startswith(BUILTIN_PREFIX):
        name = source[len(BUILTIN_PREFIX) :]
        if name == "humaneval":
            from lintseq_hf.io.humaneval import humaneval_pairs

            yield from islice(humaneval_pairs(), start, None)
            return
        raise InputFormatError(f"unknown built-in {source!r}; known: {[BUILTIN_PREFIX + b for b in BUILTINS]}")
    path = Path(source)
    if path.is_dir():
        raise InputFormatError(f"{source}: is a directory, not a file of rows")
    if not path.is_file():
        raise FileNotFoundError(f"input file not found: {source}")
    fmt = resolve_format(path, fmt)
    if fmt == "jsonl":
        yield from _read_jsonl(path, start)
    elif fmt == "parquet":
        yield from _read_parquet(path, start)
    elif fmt == "json":
        yield from islice(_read_json(path, split), start, None)
    else:
        yield from islice(_read_csv(path), start, None)


def iter_jsonl(path: str | os.PathLike[str], start: int = 0) -> Iterator[tuple[int, Any]]:
    """``(line number, value)`` for each non-blank line of a JSON-lines file (compressed too), from the
    ``start``-th such line on (the earlier ones are counted, not parsed).

    The one JSON-lines reader: a UTF-8 byte-order mark before the first line is not part of it; a line
    that is not UTF-8 or not JSON gives an :class:`UnreadableRow` (``not_utf8`` / ``bad_json``) as its value.
    """
    path = Path(path)
    for seen, (number, raw) in enumerate(_jsonl_lines(path), start=1):
        if seen <= start:
            continue
        where = f"{path.name} line {number}"
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as err:
            yield number, UnreadableRow("not_utf8", f"{where}: byte {err.start} is not valid UTF-8")
            continue
        try:
            yield number, json.loads(text)
        except json.JSONDecodeError as err:
            yield number, UnreadableRow("bad_json", f"{where}: {err}")


def _jsonl_lines(path: Path) -> Iterator[tuple[int, bytes]]:
    """``(line number, bytes)`` of the non-blank lines, without the byte-order mark the first may carry."""
    with _open_binary(path) as handle:
        for number, raw in enumerate(handle, start=1):
            if number == 1 and raw.startswith(codecs.BOM_UTF8):
                raw = raw[len(codecs.BOM_UTF8) :]
            if raw.strip():
                yield number, raw


def _read_jsonl(path: Path, start: int) -> Iterator[Mapping[str, Any] | UnreadableRow]:
    for number, value in iter_jsonl(path, start):
        yield value if isinstance(value, UnreadableRow) else _item(value, f"{path.name} line {number}")


def _item(row: Any, where: str) -> Mapping[str, Any] | UnreadableRow:
    if isinstance(row, dict):
        return row
    return UnreadableRow("bad_item", f"{where}: a JSON {type(row).__name__}, not an object")


def _decode(path: Path, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise InputFormatError(f"{path}: line {line}: byte {err.start} is not valid UTF-8") from err


def _read_json(path: Path, split: str | None = None) -> Iterator[Mapping[str, Any] | UnreadableRow]:
    with _open_binary(path) as handle:
        text = _decode(path, handle.read())
    if not text.strip():
        return
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise InputFormatError(f"{path}: line {err.lineno} column {err.colno}: not valid JSON ({err.msg})") from err
    if isinstance(data, dict):
        chosen = data.get(split) if split is not None else None
        data = chosen if isinstance(chosen, list) else next((v for v in data.values() if isinstance(v, list)), [data])
    if not isinstance(data, list):
        raise InputFormatError(f"{path}: a JSON {type(data).__name__}; expected a list of objects")
    for number, item in enumerate(data):
        yield _item(item, f"{path.name} item {number}")


def _read_parquet(path: Path, start: int) -> Iterator[Mapping[str, Any]]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        handle = pq.ParquetFile(path)
    except (pa.ArrowException, OSError) as err:
        raise InputFormatError(f"{path}: not a readable parquet file ({err})") from err
    first, skip = 0, start
    while first < handle.metadata.num_row_groups and skip >= handle.metadata.row_group(first).num_rows:
        skip -= handle.metadata.row_group(first).num_rows
        first += 1
    groups = list(range(first, handle.metadata.num_row_groups))
    if not groups:
        return
    for batch in handle.iter_batches(batch_size=1024, row_groups=groups):
        rows = batch.to_pylist()
        if skip:
            rows, skip = rows[skip:], max(0, skip - len(rows))
        yield from rows


def _read_csv(path: Path) -> Iterator[Mapping[str, Any]]:
    import io

    import pyarrow as pa
    import pyarrow.csv as pacsv

    with _open_binary(path) as handle:
        data = handle.read()
    _decode(path, data)  # names the line of a byte that is not UTF-8
    if not data.strip():
        return
    try:
        table = pacsv.read_csv(io.BytesIO(data))
    except pa.ArrowException as err:
        raise InputFormatError(f"{path}: not readable as CSV ({err})") from err
    yield from table.to_pylist()


def peek_columns(source: str, fmt: str | None = None, *, rows: int = 1000) -> list[str] | None:
    """Column names of ``source``: the schema of parquet/csv, the keys of the first ``rows``
    objects of jsonl/json; ``None`` when nothing readable tells (no object row).
    """
    fmt = None if source.startswith(BUILTIN_PREFIX) else resolve_format(source, fmt)
    if fmt == "parquet":
        import pyarrow.parquet as pq

        return list(pq.ParquetFile(source).schema_arrow.names)
    names: dict[str, None] = {}
    found = False
    for row in islice(read_rows(source, fmt), rows):
        if isinstance(row, Mapping):
            found = True
            names.update(dict.fromkeys(row))
    return list(names) if found else None


def missing_columns(columns: Sequence[str] | None, wanted: Iterable[str | None]) -> list[str]:
    """The ``wanted`` columns (``None`` entries ignored) that ``columns`` lacks; none if unknown."""
    if columns is None:
        return []
    return [c for c in wanted if c is not None and c not in columns]


def temporary_path(path: Path, tag: str = "tmp") -> Path:
    """A hidden name beside ``path`` for writing it before an atomic rename (same folder, same disk)."""
    return path.with_name(f".{path.name}.{tag}-{os.getpid()}")


@contextmanager
def atomic_text(path: str | Path) -> Iterator[IO[str]]:
    """A UTF-8 text file that appears at ``path`` whole or not at all: written beside it, then renamed
    over it; an exception inside the ``with`` block removes the temporary file and leaves ``path`` as it was."""
    path = Path(path)
    temporary = temporary_path(path)
    try:
        with open(temporary, "w", encoding="utf-8") as handle:
            yield handle
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


class RowWriter:
    """Writes records to .jsonl or .parquet atomically.

    Records go to a temporary file beside ``path``; :meth:`close` renames it to ``path``, so
    ``path`` never holds a partial file. Leaving the ``with`` block by an exception (or calling
    :meth:`abort`) removes the temporary file instead. Parquet is written in row groups, so
    memory stays flat.
    """

    def __init__(self, path: str | Path, batch_rows: int = 2048) -> None:
        self.path = Path(path)
        stem = output_stem(self.path)
        self.kind = self.path.name[len(stem.name) :].lower().lstrip(".")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.temporary = temporary_path(self.path)
        self._handle: IO[bytes] | None = open(self.temporary, "wb") if self.kind == "jsonl" else None
        self._writer: Any = None
        self._buffer: list[dict[str, Any]] = []
        self.batch_rows = batch_rows
        self.count = 0

    def write(self, records: Iterable[dict[str, Any]]) -> None:
        for record in records:
            self.count += 1
            if self._handle is not None:
                self._handle.write(encode_record(record))
            else:
                self._buffer.append(record)
                if len(self._buffer) >= self.batch_rows:
                    self._flush()

    def write_lines(self, lines: Iterable[bytes]) -> None:
        """Write records given as jsonl lines (as :func:`encode_record` makes them)."""
        if self._handle is not None:
            for line in lines:
                self.count += 1
                self._handle.write(line)
        else:
            self.write(json.loads(line) for line in lines)

    def _flush(self) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if not self._buffer:
            return
        table = pa.Table.from_pylist(self._buffer)
        if self._writer is None:
            self._writer = pq.ParquetWriter(self.temporary, table.schema)
        self._writer.write_table(table.cast(self._writer.schema))
        self._buffer = []

    def close(self) -> None:
        """Finish the file and move it to ``path``."""
        if self._handle is not None:
            self._handle.close()
        else:
            self._flush()
            if self._writer is not None:
                self._writer.close()
            else:
                import pyarrow as pa
                import pyarrow.parquet as pq

                pq.write_table(pa.table({}), self.temporary)
        os.replace(self.temporary, self.path)

    def abort(self) -> None:
        """Drop what was written; ``path`` is left as it was."""
        if self._handle is not None:
            self._handle.close()
        elif self._writer is not None:
            self._writer.close()
        self.temporary.unlink(missing_ok=True)

    def __enter__(self) -> RowWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        if kind is None:
            self.close()
        else:
            self.abort()


def encode_record(record: Mapping[str, Any]) -> bytes:
    """One jsonl line (UTF-8, newline-terminated) for ``record``."""
    return (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")
