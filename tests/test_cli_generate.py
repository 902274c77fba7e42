"""`lintseq generate` / `lintseq show` end to end on real and hostile rows."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from lintseq_hf import apply_edits
from lintseq_hf.cli import main
from lintseq_hf.dataset.transform import GenerateConfig, GenerationReport, generate, process_row


def _write_jsonl(path: Path, rows: list[dict], raw_lines: list[bytes] = ()) -> Path:
    with open(path, "wb") as handle:
        for row in rows:
            handle.write(json.dumps(row).encode() + b"\n")
        for line in raw_lines:
            handle.write(line + b"\n")
    return path


def _read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


BAD_ROWS = [
    {"instruction": "empty", "response": ""},
    {"instruction": "comments", "response": "# TODO\n# later\n"},
    {"instruction": "syntax", "response": "def f(:\n    return 1"},
    {"instruction": "tabs", "response": "if True:\n\tx = 1\n        y = 2\n"},
    {"instruction": "crlf", "response": "def f(x):\r\n    y = x + 1\r\n    return y\r\n\r\nprint(f(2))\r\n"},
    {"instruction": "fenced", "response": "Sure:\n```python\nimport math\n\ndef area(r):\n    return math.pi * r ** 2\n```\nDone."},
    {"instruction": "no code column"},
    {"instruction": "not text", "response": 42},
    {"instruction": "long line", "response": "x = '" + "a" * 100_000 + "'\nprint(x)"},
]


def test_generate_small_jsonl_end_to_end_with_bad_rows(tmp_path, humaneval_pairs):
    rows = humaneval_pairs[:6] + BAD_ROWS
    source = _write_jsonl(tmp_path / "in.jsonl", rows, [b'{"instruction": "broken json", ', b'{"instruction": "bytes", "response": "x = \'\xff\xfe\'"}'])
    out = tmp_path / "out.jsonl"
    assert main(["generate", "--input", str(source), "--output", str(out), "--num-samples", "2", "--no-progress"]) == 0
    records = _read_jsonl(out)
    report = json.loads((tmp_path / "out.report.json").read_text())
    skipped = _read_jsonl(tmp_path / "out.skipped.jsonl")
    assert report["rows_in"] == len(rows) + 2
    assert report["rows_out"] + sum(report["skipped"].values()) == report["rows_in"]
    assert report["skipped"] == {
        "empty": 1, "no_code": 1, "syntax_error": 2, "missing_code": 1, "bad_type": 1, "bad_json": 1, "not_utf8": 1,
    }
    assert sorted(r["source_row"] for r in skipped) == [6, 7, 8, 9, 12, 13, 15, 16]
    assert len(records) == 2 * report["rows_out"] == 2 * 9
    for record in records:
        assert apply_edits(record["edits"]) == record["program"]
        assert record["prompt"] == record["instruction"] + "\n<|diff|>"
        assert record["completion"].endswith("\n<|diff|>\n<|diff|>")
    crlf = [r for r in records if r["instruction"] == "crlf"][0]
    assert "\r" not in crlf["program"] and crlf["program"].startswith("def f(x):")
    fenced = [r for r in records if r["instruction"] == "fenced"][0]
    assert fenced["program"].startswith("import math") and "Done." not in fenced["program"]


def test_num_proc_1_and_2_give_identical_output(tmp_path, humaneval_pairs):
    source = _write_jsonl(tmp_path / "in.jsonl", humaneval_pairs[:16] + BAD_ROWS[:3])
    outputs = []
    for n in (1, 2):
        out = tmp_path / f"out{n}.jsonl"
        assert main(["generate", "--input", str(source), "--output", str(out), "--num-proc", str(n), "--num-samples", "2", "--seed", "5", "--no-progress"]) == 0
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]


def test_row_sequences_do_not_depend_on_position(humaneval_pairs):
    config = GenerateConfig(num_samples=2, seed=3)
    alone = process_row(humaneval_pairs[5], 0, config)
    shifted = list(generate(humaneval_pairs[3:6], config, progress=False))[2]
    assert alone.samples == shifted.samples and shifted.index == 2


def test_parquet_in_and_out(tmp_path, humaneval_pairs):
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.Table.from_pylist(humaneval_pairs[:4]), tmp_path / "in.parquet")
    out = tmp_path / "out.parquet"
    assert main(["generate", "--input", str(tmp_path / "in.parquet"), "--output", str(out), "--num-samples", "1", "--no-progress"]) == 0
    table = pq.read_table(out).to_pylist()
    assert len(table) == 4 and all(apply_edits(r["edits"]) == r["program"] for r in table)


def test_time_limit_stops_a_pathological_program():
    lines = ["def f():"] + [f"    x{i} = {i}" for i in range(4999)]
    config = GenerateConfig(num_samples=1, timeout=2.0)
    result = process_row({"instruction": "big", "response": "\n".join(lines)}, 0, config)
    assert result.skip_reason == "wall_timeout"
    # the linter is usable again afterwards (without the guard: a fresh linter's start-up on a loaded machine
    # may take longer than the 2 s given to the pathological row)
    ok = process_row({"instruction": "small", "response": "x = 1\nprint(x)"}, 1, GenerateConfig(num_samples=1))
    assert ok.skip_reason is None and apply_edits(ok.samples[0]) == "x = 1\nprint(x)"


@pytest.mark.slow
def test_five_thousand_line_file_gets_a_sequence_or_a_reason():
    blocks = []
    for i in range(1000):
        blocks += [f"def f{i}(x):", f"    y = x + {i}", "    return y", ""]
    blocks.append("print(f0(1))")
    program = "\n".join(blocks)
    assert len(program.split("\n")) > 4000
    report = GenerationReport()
    results = list(generate([{"instruction": "big", "response": program}], GenerateConfig(num_samples=1, timeout=60), report=report, progress=False))
    assert report.rows_in == 1
    if results[0].skip_reason is None:
        assert apply_edits(results[0].samples[0]) == program.strip()
    else:
        assert results[0].skip_reason in ("work_budget", "wall_timeout")


def test_show_terminal_and_html(tmp_path, humaneval_pairs):
    source = _write_jsonl(tmp_path / "in.jsonl", humaneval_pairs[:2])
    out = tmp_path / "out.jsonl"
    assert main(["generate", "--input", str(source), "--output", str(out), "--num-samples", "1", "--no-progress"]) == 0
    run = subprocess.run([sys.executable, "-m", "lintseq_hf.cli", "show", "--input", str(out), "--row", "1", "--color", "never"], capture_output=True, text=True, check=True)
    record = _read_jsonl(out)[1]
    assert f"edit {len(record['edits'])}/{len(record['edits'])}" in run.stdout
    assert record["program"].split("\n")[-1] in run.stdout
    page = tmp_path / "seq.html"
    assert main(["show", "--input", str(out), "--row", "0", "--html", str(page)]) == 0
    text = page.read_text()
    assert text.startswith("<!doctype html>") and text.count('class="step"') == len(_read_jsonl(out)[0]["edits"])


def test_show_samples_a_python_file(tmp_path, capsys):
    program = tmp_path / "p.py"
    program.write_text("import math\n\n\ndef area(r):\n    return math.pi * r ** 2\n")
    assert main(["show", "--program", str(program), "--seed", "1", "--color", "never"]) == 0
    assert "return math.pi * r ** 2" in capsys.readouterr().out


def test_missing_input_is_a_clear_error(tmp_path, capsys):
    assert main(["generate", "--input", str(tmp_path / "nope.jsonl"), "--output", str(tmp_path / "o.jsonl")]) == 2
    assert "nope.jsonl" in capsys.readouterr().err
