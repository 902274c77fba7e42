"""An output that appears only when complete, and a run that can resume where it stopped.

While a run is going, everything lives in a hidden folder beside the output
(``.<output name>.partial/``): ``records.jsonl`` (output rows, one per line), ``dropped.jsonl``
(dropped rows) and ``state.json`` (how many input rows are done, the byte length of both files
at that point, the report counts and the run's fingerprint). The state is rewritten atomically
every few seconds and on Ctrl-C, so after ``kill -9`` the folder describes a consistent prefix
of the run. Resuming truncates both files to that prefix and continues; the output (jsonl
renamed, parquet converted from the same lines in the same batches) is byte-identical to an
uninterrupted run. Only :meth:`PartialOutput.finish` touches the output path, by renames.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO, Any

from lintseq_hf.io.rows import RowWriter, encode_record, temporary_path

STATE_VERSION = 1
CHECKPOINT_SECONDS = 2.0
"""Longest stretch of work an interruption can lose (a checkpoint costs one small file write)."""


class ResumeError(ValueError):
    """A partial run cannot be resumed (other arguments, other input, or damaged files)."""


def partial_dir(output: Path) -> Path:
    """The hidden folder holding the unfinished run of ``output``."""
    return output.with_name(f".{output.name}.partial")


def _write_atomic(path: Path, data: bytes) -> None:
    temporary = temporary_path(path)
    temporary.write_bytes(data)
    os.replace(temporary, path)


def _move(source: Path, target: Path) -> None:
    """Rename ``source`` to ``target``; across file systems, copy beside ``target`` then rename."""
    try:
        os.replace(source, target)
    except OSError as err:
        if err.errno != errno.EXDEV:
            raise
        temporary = temporary_path(target)
        shutil.copyfile(source, temporary)
        os.replace(temporary, target)
        source.unlink()


class PartialOutput:
    """Output rows and dropped rows of one run, appended row by row and checkpointed.

    ``fingerprint``: everything that decides the output (arguments, input digest, code
    version); a resumed run must present the same one.
    """

    def __init__(self, output: Path, fingerprint: Mapping[str, Any], *,
                 checkpoint_seconds: float = CHECKPOINT_SECONDS) -> None:
        self.output = output
        self.checkpoint_seconds = checkpoint_seconds
        self.folder = partial_dir(output)
        self.fingerprint = dict(fingerprint)
        self.rows_done = 0
        self.report: dict[str, Any] | None = None
        self._records: IO[bytes] | None = None
        self._dropped: IO[bytes] | None = None
        self._sizes = [0, 0]
        self._last_checkpoint = time.monotonic()

    @property
    def records_path(self) -> Path:
        return self.folder / "records.jsonl"

    @property
    def dropped_path(self) -> Path:
        return self.folder / "dropped.jsonl"

    @property
    def state_path(self) -> Path:
        return self.folder / "state.json"

    def start(self, resume: bool) -> None:
        """Begin a fresh run, or with ``resume`` continue the one in :attr:`folder` if there is one."""
        state = self._read_state() if resume else None
        if state is None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder.mkdir(parents=True)
            self.records_path.touch()
            self.dropped_path.touch()
        else:
            self._check_fingerprint(state)
            self.rows_done = int(state["rows_done"])
            self._sizes = [int(state["records_bytes"]), int(state["dropped_bytes"])]
            self.report = state["report"]
            for path, size in zip((self.records_path, self.dropped_path), self._sizes):
                if not path.is_file() or path.stat().st_size < size:
                    raise ResumeError(f"{self.folder}: {path.name} is shorter than its checkpoint; start over")
                os.truncate(path, size)
        self._records = open(self.records_path, "ab")
        self._dropped = open(self.dropped_path, "ab")

    def _read_state(self) -> dict[str, Any] | None:
        if not self.state_path.is_file():
            return None
        try:
            state = json.loads(self.state_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as err:
            raise ResumeError(f"{self.state_path}: unreadable ({err}); rerun without --resume") from err
        if state.get("version") != STATE_VERSION:
            raise ResumeError(f"{self.state_path}: written by another version; rerun without --resume")
        return state

    def _check_fingerprint(self, state: Mapping[str, Any]) -> None:
        before = state.get("fingerprint", {})
        if before == self.fingerprint:
            return
        changed = sorted(k for k in set(before) | set(self.fingerprint) if before.get(k) != self.fingerprint.get(k))
        raise ResumeError(
            f"refusing to resume {self.output}: the run was started with other settings or input "
            f"({', '.join(changed)} differ); rerun without --resume to start over"
        )

    def add_row(self, records: Sequence[Mapping[str, Any]], dropped: Mapping[str, Any] | None = None) -> None:
        """Append one input row's output (its records, or its drop entry)."""
        assert self._records is not None and self._dropped is not None
        for record in records:
            line = encode_record(record)
            self._records.write(line)
            self._sizes[0] += len(line)
        if dropped is not None:
            line = (json.dumps(dropped) + "\n").encode()  # ASCII: a detail may quote any text
            self._dropped.write(line)
            self._sizes[1] += len(line)
        self.rows_done += 1

    def due(self) -> bool:
        """Whether a checkpoint is due."""
        return time.monotonic() - self._last_checkpoint >= self.checkpoint_seconds

    def checkpoint(self, report: Mapping[str, Any]) -> None:
        """Make the rows added so far survive an interruption (``report``: counts, without ``dropped``)."""
        assert self._records is not None and self._dropped is not None
        self._records.flush()
        self._dropped.flush()
        state = {
            "version": STATE_VERSION,
            "fingerprint": self.fingerprint,
            "rows_done": self.rows_done,
            "records_bytes": self._sizes[0],
            "dropped_bytes": self._sizes[1],
            "report": dict(report),
        }
        _write_atomic(self.state_path, json.dumps(state).encode())
        self._last_checkpoint = time.monotonic()

    def dropped_rows(self) -> list[dict[str, Any]]:
        """The drop entries written so far (those of a resumed run's first part included)."""
        assert self._dropped is not None
        self._dropped.flush()
        with open(self.dropped_path, "rb") as handle:
            return [json.loads(line) for line in handle]

    def close(self) -> None:
        for handle in (self._records, self._dropped):
            if handle is not None:
                handle.close()

    def discard(self) -> None:
        """Remove the partial folder (a run that failed before its first row)."""
        self.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    def finish(self, report: Mapping[str, Any], report_path: Path, skipped_path: Path) -> int:
        """Move the complete output into place, write the report and the skipped rows (a stale
        skipped file is removed when nothing was dropped), and remove the partial folder.
        Returns the number of output records."""
        self.close()
        count = 0
        if self.output.name.lower().endswith(".jsonl"):
            with open(self.records_path, "rb") as handle:
                count = sum(1 for _ in handle)
            os.replace(self.records_path, self.output)
        else:
            with RowWriter(self.output) as writer, open(self.records_path, "rb") as handle:
                writer.write_lines(handle)
            count = writer.count
        if self._sizes[1]:
            _move(self.dropped_path, skipped_path)
        else:
            skipped_path.unlink(missing_ok=True)
        _write_atomic(report_path, (json.dumps(dict(report), indent=2) + "\n").encode())
        shutil.rmtree(self.folder, ignore_errors=True)
        return count
