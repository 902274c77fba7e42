"""Where a run's training rows come from: ``--dataset_name`` resolved once, loaded, and recorded.

A name is read the way a user means it, never the way a cache happens to remember it:

* ``lintseq``: the datasets builder, run on ``--dataset_options``;
* an existing file or folder: that path, made absolute; its rows are cached by ``datasets``
  under a folder named by the sha256 of its files, so a cache can only ever hold these bytes
  (``datasets`` keys a local folder's cache by the folder's *name* and its card: two folders
  called ``lintseq-data`` in two places shared one cache, and the older rows were trained on);
* a bare name (no ``/``) or a path-like name that does not exist: refused, it is a local path;
* ``owner/name`` that is not a local path: a Hub dataset, recorded with the commit it resolved to.

:meth:`DataSource.record` is what ``lintseq_run.json`` and the model card say about the data.
"""

from __future__ import annotations

import glob
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BUILDER = "lintseq"
HASH_PREFIX = 16
"""Hex digits of the content hash in the cache folder's name (the record keeps all 64)."""


class DataSourceError(ValueError):
    """``--dataset_name`` (and its options) do not give prompt/completion rows; the message names the source."""


@dataclass
class DataSource:
    """One resolved ``--dataset_name``: ``kind`` is ``builder``, ``file``, ``folder`` or ``hub``."""

    name: str
    kind: str
    path: Path | None = None
    """The absolute path of a local file or folder."""
    sha256: str | None = None
    """Of the local data: a file's bytes, or every file of a folder (relative path and bytes), or the builder's local data files."""
    revision: str | None = None
    """The Hub commit a ``hub`` source resolved to (known once loaded)."""
    files: tuple[str, ...] = ()
    """The builder's local data files, absolute."""

    def record(self) -> dict[str, Any]:
        """The ``resolved`` entry of the run's data in ``lintseq_run.json`` (only the fields that apply)."""
        out: dict[str, Any] = {"kind": self.kind}
        if self.path is not None:
            out["path"] = str(self.path)
        if self.files:
            out["data_files"] = list(self.files)
        if self.sha256 is not None:
            out["sha256"] = self.sha256
        if self.kind == "hub":
            out["hub_id"] = self.name
            out["revision"] = self.revision
        return out

    def cache_dir(self) -> str | None:
        """The ``datasets`` cache of a local file or folder: one folder per content hash."""
        if self.kind not in ("file", "folder") or self.sha256 is None:
            return None
        import datasets

        label = self.path.name if self.path is not None else "data"
        return str(Path(datasets.config.HF_DATASETS_CACHE) / "lintseq_local" / f"{label}-{self.sha256[:HASH_PREFIX]}")


def resolve_source(name: str | None, options: dict[str, Any] | None = None) -> DataSource:
    """``--dataset_name`` as a :class:`DataSource` (local data hashed now; a Hub commit when loaded)."""
    if not name:
        raise DataSourceError("--dataset_name is required (a rows file or folder, a Hub dataset id, or 'lintseq')")
    if name == BUILDER:
        files = _builder_files((options or {}).get("data_files"))
        return DataSource(name, "builder", files=tuple(str(f) for f in files),
                          sha256=content_sha256(files) if files else None)
    path = Path(name).expanduser()
    if path.is_file():
        return DataSource(name, "file", path=path.resolve(), sha256=content_sha256([path]))
    if path.is_dir():
        folder = path.resolve()
        return DataSource(name, "folder", path=folder, sha256=content_sha256(_folder_files(folder), root=folder))
    if "/" not in name or name.count("/") > 1 or name.startswith((".", "/", "~")) or "\\" in name:
        raise DataSourceError(
            f"--dataset_name {name}: no such file or folder in {os.getcwd()} (a name without 'owner/' is a local "
            f"path: write it with `lintseq build-dataset --output-dir {name} ...`, give its full path, or a Hub "
            "dataset id owner/name)"
        )
    return DataSource(name, "hub")


def content_sha256(files: list[Path], *, root: Path | None = None) -> str:
    """sha256 over ``files`` in order: each one's path (relative to ``root``, else its name) and bytes."""
    digest = hashlib.sha256()
    for file in files:
        label = file.relative_to(root).as_posix() if root is not None else file.name
        digest.update(label.encode("utf-8") + b"\0" + str(file.stat().st_size).encode() + b"\0")
        with open(file, "rb") as handle:
            while block := handle.read(1 << 20):
                digest.update(block)
    return digest.hexdigest()


def _folder_files(folder: Path) -> list[Path]:
    """Every regular file of ``folder``, sorted, outside hidden folders (``.git``, ``.cache``) and hidden files."""
    found = []
    for directory, subdirs, names in os.walk(folder):
        subdirs[:] = sorted(d for d in subdirs if not d.startswith("."))
        found.extend(Path(directory) / n for n in names if not n.startswith("."))
    return sorted(found)


def _builder_files(data_files: Any) -> list[Path]:
    """The local files the builder's ``data_files`` (a path, list, or split mapping; globs allowed) name."""
    if data_files is None:
        return []
    if isinstance(data_files, dict):
        patterns = [p for value in data_files.values() for p in ([value] if isinstance(value, str) else value)]
    else:
        patterns = [data_files] if isinstance(data_files, str) else list(data_files)
    files: set[Path] = set()
    for pattern in patterns:
        matches = glob.glob(os.path.expanduser(str(pattern)), recursive=True)
        files.update(Path(m).resolve() for m in matches if os.path.isfile(m))
    return sorted(files)


def load_split(source: DataSource, config: str | None, split: str, *, streaming: bool = False,
               reader: str | None = None) -> Any:
    """The ``split`` of a file, folder or Hub source, read with a ``datasets`` builder.

    ``reader`` is the packaged builder of a single file (``json``, ``parquet``, ``csv``), whose
    one split is ``train``. A Hub source's ``revision`` is set from the builder (the commit
    ``datasets`` resolved, or the cached one offline).
    """
    import datasets

    if source.kind == "file":
        builder = datasets.load_dataset_builder(reader, data_files={"train": str(source.path)},
                                                cache_dir=source.cache_dir())
    elif source.kind == "folder":
        builder = datasets.load_dataset_builder(str(source.path), config, cache_dir=source.cache_dir())
    elif source.kind == "hub":
        builder = datasets.load_dataset_builder(source.name, config)
        source.revision = builder.hash
    else:
        raise ValueError(f"load_split: the builder source {source.name!r} is loaded with load_dataset")
    if streaming:
        return builder.as_streaming_dataset(split=split)
    builder.download_and_prepare()
    return builder.as_dataset(split=split)


__all__ = ["BUILDER", "DataSource", "DataSourceError", "content_sha256", "load_split", "resolve_source"]
