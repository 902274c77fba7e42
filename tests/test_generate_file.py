"""``lintseq_hf.generate_file``: the run behind ``lintseq generate``, for Python users (same bytes, errors that
name the argument, SIGTERM checkpointed as an interruption, ``resume=True``)."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import test_generate_runs as runs
from test_generate_runs import RUN, _wait_for_checkpoint, _write_jsonl

import lintseq_hf
from lintseq_hf.dataset import GenerationInterrupted, generate_file
from lintseq_hf.dataset.transform import GenerateConfig
from lintseq_hf.io.partial import partial_dir

slow_input, reference = runs.slow_input, runs.reference  # the same inputs and reference outputs as the CLI tests


def test_generate_file_is_public_and_writes_the_commands_bytes(tmp_path, humaneval_pairs):
    assert lintseq_hf.generate_file is generate_file and "generate_file" in lintseq_hf.__all__
    source = _write_jsonl(tmp_path / "in.jsonl", humaneval_pairs[:4] + [{"instruction": "x", "response": ""}])
    config = GenerateConfig(num_samples=2, seed=4)
    for ext in ("jsonl", "parquet"):
        done = generate_file(source, tmp_path / f"api.{ext}", config, num_proc=2, progress=False)
        subprocess.run(RUN + ["--input", str(source), "--output", str(tmp_path / f"cli.{ext}")], check=True,
                       capture_output=True)
        assert (tmp_path / f"api.{ext}").read_bytes() == (tmp_path / f"cli.{ext}").read_bytes()
        assert done.sequences == 8 and done.report.rows_in == 5 and done.report.skipped == {"empty": 1}
        assert done.paths.report == tmp_path / "api.report.json" and done.paths.skipped == tmp_path / "api.skipped.jsonl"
        assert json.loads(done.paths.report.read_text())["sequences_out"] == 8
        assert [json.loads(line)["reason"] for line in done.paths.skipped.read_text().splitlines()] == ["empty"]


def test_errors_name_the_python_argument(tmp_path, humaneval_pairs):
    source = _write_jsonl(tmp_path / "in.jsonl", humaneval_pairs[:1])
    (tmp_path / "folder.jsonl").mkdir()
    cases = [
        ({"num_proc": 0}, tmp_path / "o.jsonl", "num_proc must be >= 1"),
        ({"limit": -1}, tmp_path / "o.jsonl", "limit must be >= 0"),
        ({}, tmp_path / "folder.jsonl", f"output {tmp_path / 'folder.jsonl'}: is a directory"),
        ({"skipped_output": source}, tmp_path / "o.jsonl", f"skipped_output {source} is the same file as input"),
    ]
    for kwargs, output, message in cases:
        with pytest.raises(ValueError, match="^" + message.replace(".", r"\.")) as caught:
            generate_file(source, output, progress=False, **kwargs)
        assert "--" not in str(caught.value)
    with pytest.raises(ValueError, match="^code_column 'nosuch': .*in.jsonl has no such column"):
        generate_file(source, tmp_path / "o.jsonl", GenerateConfig(code_column="nosuch"), progress=False)
    with pytest.raises(FileNotFoundError, match="^input .*nope.jsonl: no such file"):
        generate_file(tmp_path / "nope.jsonl", tmp_path / "o.jsonl", progress=False)
    assert not list(tmp_path.glob("o.*")) and not partial_dir(tmp_path / "o.jsonl").exists()


CHILD = """
import sys
from lintseq_hf import generate_file
from lintseq_hf.dataset import GenerationInterrupted
from lintseq_hf.dataset.transform import GenerateConfig
try:
    generate_file(sys.argv[1], sys.argv[2], GenerateConfig(num_samples=2, seed=4), checkpoint_seconds=1e-9,
                  progress=False)
except GenerationInterrupted as err:
    print(err.rows_done, err.total, err.folder, sep="\\t")
    sys.exit(3)
"""


@pytest.mark.slow
def test_sigterm_is_a_checkpointed_interruption_and_resume_gives_the_same_bytes(tmp_path, reference, slow_input):
    output = tmp_path / "run.jsonl"
    process = subprocess.Popen([sys.executable, "-c", CHILD, str(slow_input), str(output)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _wait_for_checkpoint(process, output)
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=300)
    assert process.returncode == 3, err
    rows_done, total, folder = out.strip().split("\t")
    assert 0 < int(rows_done) < 61 and total == "61" and Path(folder) == partial_dir(output)
    assert not output.exists()
    done = generate_file(slow_input, output, GenerateConfig(num_samples=2, seed=4), resume=True, progress=False)
    assert output.read_bytes() == reference["jsonl"]
    assert done.report.rows_in == 61 and done.sequences == 122
    assert issubclass(GenerationInterrupted, KeyboardInterrupt)
