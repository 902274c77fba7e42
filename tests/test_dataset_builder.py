"""The "lintseq" datasets builder on real HumanEval pairs plus bad rows."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")

import datasets  # noqa: E402

import lintseq_hf  # noqa: E402,F401  (registers the builder)
from lintseq_hf.dataset.builder import LintSeqBuilder, load_report  # noqa: E402
from lintseq_hf.dataset.registration import code_hash  # noqa: E402
from lintseq_hf.io.humaneval import humaneval_pairs  # noqa: E402
from lintseq_hf.core.edits import (  # noqa: E402
    DIFF_TOKEN,
    apply_edits,
    format_completion,
    format_instruct_text,
    format_prompt,
    format_training_text,
)


pytestmark = pytest.mark.usefixtures("hub_offline")

NUM_GOOD = 14
NUM_SAMPLES = 2
BAD_ROWS: list[tuple[dict[str, Any], str | None]] = [
    ({"instruction": "null code", "response": None}, "missing_code"),
    ({"instruction": "blank", "response": "   \n  "}, "empty"),
    ({"instruction": "broken", "response": "def f(:\n    return 1\n"}, "syntax_error"),
    ({"instruction": "only comments", "response": "# nothing\n# here\n"}, "no_code"),
    ({"instruction": "fenced", "response": "Sure:\n```python\ndef inc(x):\n    return x + 1\n```\nDone."}, None),
    ({"instruction": None, "response": "def two():\n    y = 2\n    return y\n"}, None),
]


def pair_rows() -> list[dict[str, Any]]:
    """HumanEval pairs with bad rows mixed in (positions 3, 6, 9, … hold the bad ones)."""
    good = [{"instruction": p["instruction"], "response": p["response"]} for p in humaneval_pairs()[:NUM_GOOD]]
    rows: list[dict[str, Any]] = []
    bad = [row for row, _ in BAD_ROWS]
    while good or bad:
        rows.extend(good[:2])
        good = good[2:]
        if bad:
            rows.append(bad.pop(0))
    return rows


def expected_drops() -> dict[int, str]:
    reasons = {row["instruction"]: reason for row, reason in BAD_ROWS if reason}
    return {i: reasons[row["instruction"]] for i, row in enumerate(pair_rows()) if row["instruction"] in reasons}


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row) + "\n")
    return path


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("builder")
    write_jsonl(root / "pairs.jsonl", pair_rows())
    return root


def load(work: Path, config: str = "lintseq", **kwargs: Any) -> Any:
    kwargs.setdefault("num_samples", NUM_SAMPLES)
    return datasets.load_dataset(
        "lintseq", config, data_files=str(work / "pairs.jsonl"), cache_dir=str(work / "cache"), split="train", **kwargs
    )


@pytest.fixture(scope="module")
def lintseq_ds(work: Path) -> datasets.Dataset:
    return load(work, "lintseq", rows_per_shard=5)


def kept_rows() -> list[int]:
    drops = expected_drops()
    return [i for i in range(len(pair_rows())) if i not in drops]


# ---------------------------------------------------------------------------- lintseq config


def test_lintseq_rows_are_num_samples_sequences_per_kept_pair(lintseq_ds: datasets.Dataset) -> None:
    assert len(lintseq_ds) == len(kept_rows()) * NUM_SAMPLES
    assert [r["source_row"] for r in lintseq_ds][::NUM_SAMPLES] == kept_rows()
    assert [r["sample_index"] for r in lintseq_ds] == list(range(NUM_SAMPLES)) * len(kept_rows())


def test_features_are_the_documented_columns(lintseq_ds: datasets.Dataset) -> None:
    assert list(lintseq_ds.features) == [
        "id", "source_row", "sample_index", "instruction", "program", "edits", "prompt", "completion",
    ]  # fmt: skip
    assert lintseq_ds.features["edits"] == datasets.List(datasets.Value("string"))


def test_edits_rebuild_the_program_and_texts_are_the_authors(lintseq_ds: datasets.Dataset) -> None:
    for row in lintseq_ds:
        assert apply_edits(row["edits"]) == row["program"]
        assert row["prompt"] == format_prompt(row["instruction"])
        assert row["completion"] == format_completion(row["edits"])
        assert row["prompt"] + row["completion"] == format_training_text(row["instruction"], row["edits"])
        assert all(line.startswith(("@@", "+")) for edit in row["edits"] for line in edit.split("\n"))


def test_ids_are_stable_content_hashes_with_the_sample_index(lintseq_ds: datasets.Dataset) -> None:
    ids = lintseq_ds["id"]
    assert len(set(ids)) == len(ids)
    assert all(i.endswith(f"-{k}") for i, k in zip(ids, lintseq_ds["sample_index"]))
    pairs = pair_rows()
    fenced = next(r for r in lintseq_ds if r["instruction"] == "fenced")
    assert fenced["program"] == "def inc(x):\n    return x + 1"
    assert pairs[fenced["source_row"]]["instruction"] == "fenced"


def test_dropped_rows_are_reported_with_reasons(lintseq_ds: datasets.Dataset) -> None:
    report = load_report(lintseq_ds)["train"]
    assert {d["source_row"]: d["reason"] for d in report.dropped} == expected_drops()
    assert report.rows_in == len(pair_rows())
    assert report.rows_out == len(kept_rows())
    assert report.records_out == len(lintseq_ds)
    assert report.skipped == {"missing_code": 1, "empty": 1, "syntax_error": 1, "no_code": 1}
    assert report.settings["num_samples"] == NUM_SAMPLES and report.settings["method"] == "lintseq"


def test_dropped_rows_are_logged(work: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="lintseq_hf.dataset.builder"):
        load(work, "lintseq", num_samples=1, seed=11)
    text = "\n".join(r.getMessage() for r in caplog.records if r.name == "lintseq_hf.dataset.builder")
    assert "4 dropped" in text and "syntax_error: 1" in text


def test_same_seed_same_rows_for_any_num_proc(work: Path, lintseq_ds: datasets.Dataset) -> None:
    parallel = load(work, "lintseq", rows_per_shard=3, num_proc=2)
    assert parallel.to_list() == lintseq_ds.to_list()
    assert load_report(parallel)["train"].dropped == load_report(lintseq_ds)["train"].dropped


def test_another_seed_gives_other_sequences(work: Path, lintseq_ds: datasets.Dataset) -> None:
    other = load(work, "lintseq", rows_per_shard=5, seed=1)
    assert other["id"] == lintseq_ds["id"]
    assert other["edits"] != lintseq_ds["edits"]


def test_cache_is_keyed_by_code_hash_and_every_option(work: Path, lintseq_ds: datasets.Dataset) -> None:
    again = load(work, "lintseq", rows_per_shard=5)
    assert again.cache_files == lintseq_ds.cache_files
    directory = Path(lintseq_ds.cache_files[0]["filename"]).parent
    assert directory.name == code_hash()
    for option in ({"seed": 3}, {"num_samples": 1}, {"options": {"indent_bias": None}}, {"max_program_lines": 40}):
        kwargs = {"num_samples": NUM_SAMPLES, "rows_per_shard": 5, **option}
        builder = datasets.load_dataset_builder(
            "lintseq", "lintseq", data_files=str(work / "pairs.jsonl"), cache_dir=str(work / "cache"), **kwargs
        )
        assert Path(builder.cache_dir) != directory, option


def test_max_program_lines_drops_long_programs(work: Path) -> None:
    ds = load(work, "lintseq", num_samples=1, max_program_lines=12)
    report = load_report(ds)["train"]
    assert report.skipped["too_many_lines"] > 0
    assert all(len(p.split("\n")) <= 12 for p in ds["program"])


def test_sampler_options_are_validated() -> None:
    with pytest.raises(ValueError, match="unknown sampler option"):
        LintSeqBuilder(config_name="lintseq", data_files={"train": []}, options={"indent_bais": 1.0})


# ---------------------------------------------------------------------------- other configs


def test_random_config_needs_no_linter_and_rebuilds_programs(work: Path) -> None:
    ds = load(work, "random")
    assert len(ds) == len(kept_rows()) * NUM_SAMPLES
    assert all(apply_edits(r["edits"]) == r["program"] for r in ds)
    assert load_report(ds)["train"].lint_calls == 0


def test_instruct_config_keeps_exactly_the_lintseq_rows(work: Path, lintseq_ds: datasets.Dataset) -> None:
    ds = load(work, "instruct")
    assert ds["source_row"] == kept_rows()
    by_row = {r["source_row"]: r for r in lintseq_ds}
    for row in ds:
        assert row["program"] == by_row[row["source_row"]]["program"]
        assert row["edits"] == []
        assert row["prompt"] + row["completion"] == format_instruct_text(row["instruction"], row["program"])
    assert load_report(ds)["train"].skipped == load_report(lintseq_ds)["train"].skipped


def test_partial_rows_continue_a_prefix_of_a_sequence(work: Path, lintseq_ds: datasets.Dataset) -> None:
    ds = load(work, "partial")
    assert "prefix_edits" in ds.features
    full = {r["id"]: r for r in lintseq_ds}
    for row in ds:
        assert row["edits"] == full[row["id"]]["edits"]
        assert 1 <= row["prefix_edits"] < len(row["edits"])
        assert row["prompt"] + row["completion"] == format_training_text(row["instruction"], row["edits"])
        assert row["prompt"].endswith(DIFF_TOKEN) and row["prompt"].count(DIFF_TOKEN) == row["prefix_edits"] + 1
    report = load_report(ds)["train"]
    assert len(ds) + report.short_sequences == len(lintseq_ds)


# ---------------------------------------------------------------------------- entry points


def test_streaming_gives_the_same_rows(work: Path, lintseq_ds: datasets.Dataset) -> None:
    stream = datasets.load_dataset(
        "lintseq", "lintseq", data_files=str(work / "pairs.jsonl"), num_samples=NUM_SAMPLES, split="train", streaming=True
    )
    assert isinstance(stream, datasets.IterableDataset)
    assert list(stream) == lintseq_ds.to_list()
    assert load_report(stream)["train"].skipped == load_report(lintseq_ds)["train"].skipped


def test_builder_class_works_directly(work: Path, lintseq_ds: datasets.Dataset) -> None:
    builder = LintSeqBuilder(
        config_name="lintseq",
        data_files={"train": str(work / "pairs.jsonl")},
        cache_dir=str(work / "direct"),
        num_samples=NUM_SAMPLES,
    )
    builder.download_and_prepare()
    assert builder.as_dataset("train").to_list() == lintseq_ds.to_list()
    assert builder.reports()["train"].dropped == load_report(lintseq_ds)["train"].dropped


def test_parquet_and_csv_sources_give_the_same_rows(work: Path, lintseq_ds: datasets.Dataset) -> None:
    table = datasets.Dataset.from_list(pair_rows())
    table.to_parquet(str(work / "pairs.parquet"))
    table.to_csv(str(work / "pairs.csv"), index=False)
    for name in ("pairs.parquet", "pairs.csv"):
        ds = datasets.load_dataset(
            "lintseq", "lintseq", data_files=str(work / name), cache_dir=str(work / "cache"),
            num_samples=NUM_SAMPLES, split="train",
        )  # fmt: skip
        assert ds.to_list() == lintseq_ds.to_list(), name


def test_hub_style_source_is_read_through_datasets(work: Path, lintseq_ds: datasets.Dataset) -> None:
    folder = work / "source_repo"
    (folder / "data").mkdir(parents=True)
    datasets.Dataset.from_list(pair_rows()).to_parquet(str(folder / "data" / "train-00000-of-00001.parquet"))
    ds = datasets.load_dataset(
        "lintseq", "lintseq", source=str(folder), cache_dir=str(work / "cache"), num_samples=NUM_SAMPLES, split="train"
    )
    assert ds.to_list() == lintseq_ds.to_list()
    assert load_report(ds)["train"].settings["source"] == str(folder)


def test_an_explicit_source_is_required(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_jsonl(tmp_path / "stray.jsonl", pair_rows()[:2])
    monkeypatch.chdir(tmp_path)  # a data file in the cwd must not be picked up
    with pytest.raises(ValueError, match="no source given"):
        datasets.load_dataset("lintseq", "lintseq", cache_dir=str(tmp_path / "cache"))


def test_source_and_data_files_together_are_refused(work: Path) -> None:
    with pytest.raises(ValueError, match="either source"):
        load(work, "lintseq", source="org/name")


def test_missing_columns_are_named(work: Path) -> None:
    with pytest.raises(ValueError, match=r"no column\(s\) \['solution'\]"):
        load(work, "lintseq", code_column="solution")
