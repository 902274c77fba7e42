"""lintseq_hf.io.rows: the one format rule, the reader's per-row accounting, atomic writing."""

from __future__ import annotations

import bz2
import gzip
import json
import lzma
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from lintseq_hf.io.rows import (
    InputFormatError,
    RowWriter,
    UnreadableRow,
    count_rows,
    datasets_reader,
    infer_format,
    output_stem,
    peek_columns,
    read_rows,
)


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("a.jsonl", "jsonl"), ("a.JSONL", "jsonl"), ("a.ndjson", "jsonl"), ("a.jsonlines", "jsonl"),
        ("a.jsonl.gz", "jsonl"), ("a.json", "json"), ("a.json.bz2", "json"), ("a.parquet", "parquet"),
        ("a.csv", "csv"), ("a.csv.xz", "csv"), ("run.v1.jsonl", "jsonl"),
    ],
)  # fmt: skip
def test_infer_format_from_the_extension(name, fmt):
    assert infer_format(name) == fmt


@pytest.mark.parametrize("name", ["a.txt", "a.parquet.gz", "a", "a.tsv"])
def test_unknown_formats_name_the_file(name):
    with pytest.raises(InputFormatError, match=name.replace(".", r"\.")):
        infer_format(name)


def test_datasets_reader_needs_one_format():
    assert datasets_reader(["a.jsonl", "b.json.gz"]) == "json"
    assert datasets_reader(["a.parquet"]) == "parquet"
    assert datasets_reader(["a.txt"], "jsonl") == "json"
    with pytest.raises(InputFormatError, match="several formats"):
        datasets_reader(["a.jsonl", "b.parquet"])


def test_output_stem_drops_only_the_format_extension():
    assert output_stem("out/run.v1.jsonl") == Path("out/run.v1")
    assert output_stem("x.parquet") == Path("x")
    with pytest.raises(InputFormatError):
        output_stem("x.csv")


ROWS = [{"instruction": f"i{k}", "response": f"x = {k}"} for k in range(5)]


@pytest.mark.parametrize("opener", [open, gzip.open, bz2.open, lzma.open])
def test_compressed_jsonl_reads_like_plain(tmp_path, opener):
    suffix = {open: "", gzip.open: ".gz", bz2.open: ".bz2", lzma.open: ".xz"}[opener]
    path = tmp_path / f"rows.jsonl{suffix}"
    with opener(path, "wb") as handle:
        handle.write("".join(json.dumps(r) + "\n" for r in ROWS).encode())
    assert list(read_rows(str(path))) == ROWS
    assert count_rows(str(path)) == 5
    assert list(read_rows(str(path), start=3)) == ROWS[3:]


def test_every_jsonl_line_is_one_item_bad_ones_counted(tmp_path):
    path = tmp_path / "rows.jsonl"
    path.write_bytes(b'{"a": 1}\n\n{"a": \n[1, 2]\n"text"\n{"a": "\xff"}\n{"a": 2}\n')
    items = list(read_rows(str(path)))
    assert items[0] == {"a": 1} and items[-1] == {"a": 2}
    assert [i.reason for i in items if isinstance(i, UnreadableRow)] == ["bad_json", "bad_item", "bad_item", "not_utf8"]
    assert "rows.jsonl line 3" in items[1].detail and "line 6" in items[4].detail
    assert count_rows(str(path)) == len(items) == 6
    assert list(read_rows(str(path), start=5)) == [{"a": 2}]


def test_json_items_that_are_not_objects_are_counted(tmp_path):
    path = tmp_path / "rows.json"
    path.write_text(json.dumps([{"a": 1}, 5, None, [1], {"a": 2}]))
    items = list(read_rows(str(path)))
    assert items[0] == {"a": 1} and items[4] == {"a": 2}
    assert [i.reason for i in items[1:4]] == ["bad_item"] * 3
    assert "item 2" in items[2].detail
    path.write_text(json.dumps([1, 2]))
    assert [i.reason for i in read_rows(str(path))] == ["bad_item", "bad_item"]


@pytest.mark.parametrize("ext", ["json", "csv"])
def test_utf8_errors_of_whole_file_formats_name_file_and_line(tmp_path, ext):
    path = tmp_path / f"rows.{ext}"
    if ext == "json":
        path.write_bytes(b'[{"a": 1},\n {"a": 2},\n {"a": "\xff"}]')
    else:
        path.write_bytes(b"a,b\n1,2\n3,\xff\n")
    with pytest.raises(InputFormatError, match=rf"rows\.{ext}: line 3: byte \d+ is not valid UTF-8"):
        list(read_rows(str(path)))


def test_broken_json_file_names_file_and_line(tmp_path):
    path = tmp_path / "rows.json"
    path.write_text('[{"a": 1},\n{"a": ]')
    with pytest.raises(InputFormatError, match=r"rows\.json: line 2 column \d+: not valid JSON"):
        list(read_rows(str(path)))


def test_a_directory_is_not_a_file_of_rows(tmp_path):
    with pytest.raises(InputFormatError, match="is a directory"):
        list(read_rows(str(tmp_path)))


def test_parquet_start_skips_row_groups(tmp_path):
    path = tmp_path / "rows.parquet"
    rows = [{"k": k} for k in range(50)]
    pq.write_table(pa.Table.from_pylist(rows), path, row_group_size=7)
    for start in (0, 6, 7, 8, 49, 50):
        assert list(read_rows(str(path), start=start)) == rows[start:]
    assert peek_columns(str(path)) == ["k"]


def test_peek_columns_of_jsonl_is_the_union_of_keys(tmp_path):
    path = tmp_path / "rows.jsonl"
    path.write_text('{"a": 1}\n[1]\n{"b": 2}\n')
    assert peek_columns(str(path)) == ["a", "b"]
    path.write_text("[1]\n")
    assert peek_columns(str(path)) is None


@pytest.mark.parametrize("ext", ["jsonl", "parquet"])
def test_row_writer_is_atomic(tmp_path, ext):
    path = tmp_path / f"out.{ext}"
    with pytest.raises(RuntimeError):
        with RowWriter(path) as writer:
            writer.write(ROWS)
            assert not path.exists()
            raise RuntimeError("interrupted")
    assert not path.exists() and list(tmp_path.iterdir()) == []
    with RowWriter(path) as writer:
        writer.write(ROWS)
    assert list(tmp_path.iterdir()) == [path]
    assert list(read_rows(str(path))) == ROWS


def test_a_byte_order_mark_before_the_first_jsonl_line_loses_no_row(tmp_path):
    path = tmp_path / "rows.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + "".join(json.dumps(r) + "\n" for r in ROWS).encode())
    assert list(read_rows(str(path))) == ROWS
    assert count_rows(str(path)) == 5
    assert list(read_rows(str(path), start=4)) == ROWS[4:]
    path.write_bytes(b"\xef\xbb\xbf\n" + json.dumps(ROWS[0]).encode() + b"\n")  # a mark on a line of its own
    assert list(read_rows(str(path))) == ROWS[:1] and count_rows(str(path)) == 1
