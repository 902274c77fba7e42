"""No row's content can stop a run: hostile rows end under a counted reason, the same one in
`lintseq generate` and the datasets builder (the Ray path is checked in test_dataset_ray.py)."""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path
from typing import Any

import pytest

import lintseq_hf  # noqa: F401  (registers the builder)
from lintseq_hf import apply_edits, extract_code
from lintseq_hf.cli import main
from lintseq_hf.core.sampler import LintSeqOptions
from lintseq_hf.dataset.builder import NoRowsError, load_report
from lintseq_hf.dataset.transform import GenerateConfig, process_row
from lintseq_hf.io.humaneval import humaneval_pairs

pytestmark = pytest.mark.usefixtures("hub_offline")


def hostile_lines() -> tuple[list[bytes], dict[int, str]]:
    """jsonl lines mixing HumanEval pairs with hostile rows, and the reason expected per row."""
    good = [json.dumps(p).encode() for p in humaneval_pairs()[:3]]
    lines = [
        good[0],
        json.dumps({"instruction": "separator", "response": "s = '<|diff|>'\nprint(s)"}).encode(),
        b'{"instruction": "lone \\ud800 surrogate", "response": "x = 1\\nprint(x)"}',
        b'{"instruction": "surrogate in code", "response": "def f():\\n    return \'\\udfff\'"}',
        good[1],
        b'{"instruction": "broken json", ',
        b"[1, 2]",
        b"null",
        b'{"instruction": "not utf-8", "response": "x = \'\xff\'"}',
        good[2],
    ]
    reasons = {1: "contains_separator", 2: "encoding", 3: "encoding", 5: "bad_json", 6: "bad_item", 7: "bad_item", 8: "not_utf8"}
    return lines, reasons


def write_hostile(path: Path) -> Path:
    lines, _ = hostile_lines()
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


def test_generate_counts_every_hostile_row(tmp_path):
    source = write_hostile(tmp_path / "hostile.jsonl")
    out = tmp_path / "out.jsonl"
    assert main(["generate", "--input", str(source), "--output", str(out), "--num-samples", "2", "--no-progress"]) == 0
    report = json.loads((tmp_path / "out.report.json").read_text())
    _, reasons = hostile_lines()
    assert {d["source_row"]: d["reason"] for d in report["dropped"]} == reasons
    assert report["rows_in"] == 10 and report["rows_out"] == 3
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert sorted({r["source_row"] for r in records}) == [0, 4, 9]
    assert all(apply_edits(r["edits"]) == r["program"] for r in records)
    surrogate = next(d for d in report["dropped"] if d["source_row"] == 2)
    assert "column 'instruction'" in surrogate["detail"] and "\\ud800" in surrogate["detail"]


def test_json_items_that_are_not_objects_are_counted_by_generate(tmp_path):
    source = tmp_path / "rows.json"
    source.write_text(json.dumps([humaneval_pairs()[0], 5, None]))
    out = tmp_path / "out.jsonl"
    assert main(["generate", "--input", str(source), "--output", str(out), "--num-samples", "1", "--no-progress"]) == 0
    report = json.loads((tmp_path / "out.report.json").read_text())
    assert report["skipped"] == {"bad_item": 2} and report["rows_out"] == 1


def _build(tmp_path: Path, data_files: Any, config: str = "lintseq", **kwargs: Any) -> Any:
    import datasets

    return datasets.load_dataset(
        "lintseq", config, data_files=data_files, cache_dir=str(tmp_path / "cache"), split="train", num_samples=2, **kwargs
    )


def test_builder_counts_the_same_hostile_rows_as_generate(tmp_path):
    source = write_hostile(tmp_path / "hostile.jsonl")
    out = tmp_path / "out.jsonl"
    assert main(["generate", "--input", str(source), "--output", str(out), "--num-samples", "2", "--no-progress"]) == 0
    cli = json.loads((tmp_path / "out.report.json").read_text())["dropped"]
    ds = _build(tmp_path, str(source))
    assert load_report(ds)["train"].dropped == cli
    cli_rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert ds.to_list() == cli_rows


def test_builder_instruct_keeps_the_same_rows(tmp_path):
    source = write_hostile(tmp_path / "hostile.jsonl")
    ds = _build(tmp_path, str(source), "instruct")
    assert [r["source_row"] for r in ds] == [0, 4, 9]
    assert all(r["completion"] == r["program"] and r["prompt"] == r["instruction"] + "\n" for r in ds)


def test_builder_empty_file_is_a_clear_error(tmp_path):
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    with pytest.raises(ValueError, match=r"no rows in data file.*empty\.jsonl"):
        _build(tmp_path, str(empty))


def test_builder_all_rows_dropped_raises_with_the_drop_summary(tmp_path):
    source = tmp_path / "bad.jsonl"
    source.write_text(json.dumps({"instruction": "x", "response": "def f(:\n  pass"}) + "\n" + json.dumps({"instruction": "y", "response": ""}) + "\n")
    with pytest.raises(NoRowsError) as caught:
        _build(tmp_path, str(source))
    message = str(caught.value)
    assert "syntax_error: 1" in message and "empty: 1" in message and "2 source rows" in message


def test_builder_utf8_error_names_file_and_line(tmp_path):
    source = tmp_path / "rows.json"
    source.write_bytes(b'[{"instruction": "a", "response": "x = 1"},\n {"instruction": "\xff", "response": "y"}]')
    with pytest.raises(ValueError, match=r"rows\.json: line 2: byte \d+ is not valid UTF-8"):
        _build(tmp_path, str(source))


def test_builder_checks_columns_up_front_naming_the_file(tmp_path):
    source = write_hostile(tmp_path / "hostile.jsonl")
    with pytest.raises(ValueError, match=r"hostile\.jsonl has no column\(s\) \['nosuch'\]"):
        _build(tmp_path, str(source), code_column="nosuch")


def test_huge_fenced_response_is_extracted_in_linear_memory():
    response = "```python\nx = 1\n```\n" * 240_000  # ~5 MB, 240,000 fences
    tracemalloc.start()
    try:
        program = extract_code(response)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert program.count("x = 1") == 240_000
    assert peak < 8 * len(response)  # the program, the chunk list and the join; no copy per fence


def test_huge_fenced_response_is_dropped_by_the_work_budget_before_any_lint_call():
    response = "```python\nx = 1\n```\n" * 240_000
    config = GenerateConfig(num_samples=1, options=LintSeqOptions(max_lint_chars=1_000_000), timeout=None)
    result = process_row({"instruction": "big", "response": response}, 0, config)
    assert result.skip_reason == "work_budget" and result.lint_calls == 0
    assert "max_lint_chars=1000000" in result.detail


def test_builder_reads_every_format_alike_across_shards(tmp_path):
    import pyarrow as pa
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    rows = [{"instruction": p["instruction"], "response": p["response"]} for p in humaneval_pairs()[:7]]
    table = pa.Table.from_pylist(rows)
    (tmp_path / "rows.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    (tmp_path / "rows.json").write_text(json.dumps(rows))
    pacsv.write_csv(table, tmp_path / "rows.csv")
    pq.write_table(table, tmp_path / "rows.parquet", row_group_size=2)
    built = {}
    for ext in ("jsonl", "json", "csv", "parquet"):
        ds = _build(tmp_path / ext, str(tmp_path / f"rows.{ext}"), rows_per_shard=3)
        built[ext] = ds.to_list()
    assert [r["source_row"] for r in built["jsonl"]] == [i for i in range(7) for _ in range(2)]
    assert built["json"] == built["jsonl"] == built["csv"] == built["parquet"]
