"""Several local data files read as one sequence of rows, by row range (the builder's shards).

Rows come from :func:`lintseq_hf.io.rows.read_rows`, the reader of ``lintseq generate``: a bad line or item
is a counted row, never a crash.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any

from lintseq_hf.io.rows import (
    InputFormatError,
    UnreadableRow,
    count_rows,
    missing_columns,
    peek_columns,
    read_rows,
    resolve_format,
)


@dataclass(frozen=True)
class LocalFiles:
    """One split's local data files, read row by row with :func:`lintseq_hf.io.rows.read_rows`."""

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
def _whole_file_rows(path: str, fmt: str | None, mtime_ns: int) -> list[Mapping[str, Any] | UnreadableRow]:  # noqa: ARG001
    """The rows of a json/csv file, parsed once per process for all its shards (``mtime_ns`` keys a change)."""
    return list(read_rows(path, fmt))
