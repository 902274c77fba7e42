"""The four configs of the "lintseq" data (``lintseq``, ``random``, ``instruct``, ``partial``): what each makes of
one source row, and the columns it writes.

:class:`RowTransform` is the per-row transform of one config, on top of
:func:`lintseq_hf.dataset.transform.process_row`; the ``datasets`` builder and the Ray Data path both run it, so
they give the same rows. :func:`config_settings` is the one layout of a config's options in reports and cards.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any

import datasets
import pyarrow as pa

from lintseq_hf.core.edits import DIFF_TOKEN, format_completion, format_prompt
from lintseq_hf.core.programs import check_bounds
from lintseq_hf.dataset.transform import (
    GenerateConfig,
    GenerationOptions,
    Presampled,
    RowResult,
    presample,
    process_row,
    sample_seed,
)
from lintseq_hf.io.rows import UnreadableRow

CONFIG_NAMES = ("lintseq", "random", "instruct", "partial")
DATA_DIR = "data"
"""The parquet files' folder in a generated dataset folder (``data/<config>/`` of a Hub repository, ``data/`` of
a Ray run)."""
SOURCE_FIELDS = ("source", "source_config", "source_split", "source_revision")
"""Where a config's rows come from (options of the builder; ``None`` elsewhere)."""

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

    @classmethod
    def for_config(cls, name: str, options: GenerationOptions) -> RowTransform:
        """The transform of config ``name`` (a name outside :data:`CONFIG_NAMES` is a ``lintseq`` config) with
        ``options``; a bad option is one line naming the config."""
        kind = name if name in CONFIG_NAMES else "lintseq"
        try:
            check_bounds(options)
            values = {f.name: getattr(options, f.name) for f in fields(GenerationOptions)}
            generate = GenerateConfig(**values, method="random" if kind == "random" else "lintseq")
        except ValueError as err:
            raise ValueError(f"lintseq config {name!r}: {err}") from err
        return cls(kind, generate)

    @property
    def features(self) -> datasets.Features:
        features = PARTIAL_FEATURES if self.kind == "partial" else FEATURES
        if self.generate.language_in_rows:  # every run but an all-Python one (docs/languages.md)
            features = datasets.Features({**features, "language": datasets.Value("string")})
        return features

    def __call__(
        self, row: Mapping[str, Any] | UnreadableRow, index: int, presampled: Presampled | None = None
    ) -> tuple[list[dict[str, Any]], RowResult]:
        """Output rows of input ``row`` (its position ``index`` in the source), and the row result
        (``presampled``: its sequences drawn among other rows', :func:`presample`)."""
        if self.kind == "instruct":
            # the sampling arms' extraction and checks, without sampling: the same rows are kept
            result = process_row(row, index, self.generate, sample=False)
            return ([] if result.skip_reason else [result.instruct_record()]), result
        result = process_row(row, index, self.generate, presampled=presampled)
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
    indexed = list(enumerate(rows, first_index))
    presampled = presample(indexed, transform.generate) if transform.kind != "instruct" else {}
    for index, row in indexed:
        out, result = transform(row, index, presampled)
        records.extend(out)
        results.append(result)
    return pa.Table.from_pylist(records, schema=transform.features.arrow_schema), results


def config_settings(
    name: str,
    options: GenerationOptions,
    data_files: Mapping[str, Sequence[Any]] | None = None,
    **source: str | None,
) -> dict[str, Any]:
    """Every option of config ``name``, JSON-ready (for reports and dataset cards); ``source`` holds the
    :data:`SOURCE_FIELDS` that apply."""
    from lintseq_hf.version import __version__

    unknown = sorted(set(source) - set(SOURCE_FIELDS))
    if unknown:
        raise TypeError(f"config_settings: unknown source field(s) {unknown}; known: {SOURCE_FIELDS}")
    out: dict[str, Any] = {"config": name, "lintseq_hf_version": __version__}
    out.update({key: source.get(key) for key in SOURCE_FIELDS})
    out.update(options.generation_options())
    out["method"] = "random" if name == "random" else "lintseq"
    if data_files:
        out["data_files"] = {str(k): [str(f) for f in v] for k, v in data_files.items()}
    return out
