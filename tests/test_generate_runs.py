"""`lintseq generate` as a long-running job: atomic outputs, --resume after kill -9 or Ctrl-C,
distinct paths, sidecar names, one-line errors for bad paths and options."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from lintseq_hf.cli import main
from lintseq_hf.io.partial import partial_dir

RUN = [sys.executable, "-m", "lintseq_hf.cli", "generate", "--no-progress", "--num-samples", "2", "--seed", "4"]


def _write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def _error_line(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "Traceback" not in err, err
    return err


# ---------------------------------------------------------------------------- paths and options


def test_output_equal_to_input_is_refused_and_the_input_is_kept(tmp_path, capsys, humaneval_pairs):
    source = _write_jsonl(tmp_path / "data.jsonl", humaneval_pairs[:2])
    before = source.read_bytes()
    err = _error_line(capsys, ["generate", "--input", str(source), "--output", str(source)])
    assert "same file" in err and "data.jsonl" in err
    assert source.read_bytes() == before


@pytest.mark.parametrize("sidecar", ["report", "skipped"])
def test_sidecars_must_differ_from_input_and_output(tmp_path, capsys, humaneval_pairs, sidecar):
    source = _write_jsonl(tmp_path / "run.report.json", humaneval_pairs[:2])
    if sidecar == "report":  # the report of run.jsonl is run.report.json: the input
        argv = ["generate", "--input", str(source), "--output", str(tmp_path / "run.jsonl")]
    else:
        argv = ["generate", "--input", str(source), "--output", str(tmp_path / "o.jsonl"), "--skipped-output", str(source)]
    assert "same file" in _error_line(capsys, argv)


def test_sidecar_names_keep_the_full_output_name_and_stale_skipped_files_go(tmp_path, humaneval_pairs):
    bad = {"instruction": "broken", "response": "def f(:\n    pass"}
    with_drop = _write_jsonl(tmp_path / "a.jsonl", humaneval_pairs[:1] + [bad])
    clean = _write_jsonl(tmp_path / "b.jsonl", humaneval_pairs[:1])
    for version, source in (("v1", with_drop), ("v2", with_drop)):
        assert main(["generate", "--input", str(source), "--output", str(tmp_path / f"run.{version}.jsonl"), "--num-samples", "1", "--no-progress"]) == 0
    assert (tmp_path / "run.v1.report.json").is_file() and (tmp_path / "run.v2.report.json").is_file()
    assert (tmp_path / "run.v1.skipped.jsonl").is_file() and (tmp_path / "run.v2.skipped.jsonl").is_file()
    assert main(["generate", "--input", str(clean), "--output", str(tmp_path / "run.v1.jsonl"), "--num-samples", "1", "--no-progress"]) == 0
    assert not (tmp_path / "run.v1.skipped.jsonl").exists()  # stale: this run dropped nothing
    assert (tmp_path / "run.v2.skipped.jsonl").is_file()
    assert json.loads((tmp_path / "run.v1.report.json").read_text())["rows_in"] == 1
    assert not list(tmp_path.glob(".*")), "no temporary file is left behind"


def test_unusable_paths_are_one_line_errors(tmp_path, capsys, humaneval_pairs):
    source = _write_jsonl(tmp_path / "in.jsonl", humaneval_pairs[:1])
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    (tmp_path / "folder.jsonl").mkdir()
    (tmp_path / "r.report.json").mkdir()
    cases = [
        (["--input", str(source), "--output", str(tmp_path / "r.jsonl")], "r.report.json is a directory"),
        (["--input", str(tmp_path), "--output", str(tmp_path / "o.jsonl")], "is a directory"),
        (["--input", str(source), "--output", str(a_file / "o.jsonl")], "is a file, not a folder"),
        (["--input", str(source), "--output", str(tmp_path / "folder.jsonl")], "is a directory"),
        (["--input", str(source), "--output", str(tmp_path / "o.csv")], "must end in .jsonl or .parquet"),
        (["--input", str(tmp_path / "in.txt"), "--output", str(tmp_path / "o.jsonl")], "in.txt"),
    ]
    for argv, message in cases:
        err = _error_line(capsys, ["generate", *argv])
        assert message in err, (argv, err)
        assert argv[1] in err or argv[3] in err, err


def test_skipped_rows_may_go_to_a_new_folder(tmp_path, humaneval_pairs):
    source = _write_jsonl(tmp_path / "in.jsonl", humaneval_pairs[:1] + [{"instruction": "x", "response": ""}])
    skipped = tmp_path / "logs" / "today" / "dropped.jsonl"
    argv = ["generate", "--input", str(source), "--output", str(tmp_path / "o.jsonl"), "--skipped-output", str(skipped), "--num-samples", "1", "--no-progress"]
    assert main(argv) == 0
    assert [json.loads(line)["reason"] for line in skipped.read_text().splitlines()] == ["empty"]


def test_a_read_only_place_is_a_one_line_error(tmp_path, capsys, humaneval_pairs):
    source = _write_jsonl(tmp_path / "in.jsonl", humaneval_pairs[:1])
    if os.geteuid() == 0:  # root writes through file modes; /sys is read-only for everyone
        target = Path("/sys/lintseq-out/o.jsonl")
    else:
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o555)
        target = locked / "o.jsonl"
    err = _error_line(capsys, ["generate", "--input", str(source), "--output", str(target)])
    assert str(target) in err and "cannot write" in err


@pytest.mark.parametrize(
    ("flag", "value", "message"),
    [
        ("--timeout", "-1", "--timeout must be >= 0"),
        ("--num-proc", "0", "--num-proc must be >= 1"),
        ("--limit", "-1", "--limit must be >= 0"),
        ("--num-samples", "0", "--num-samples must be >= 1"),
        ("--max-lint-chars", "0", "--max-lint-chars must be >= 1"),
        ("--code-column", "nosuch", "--code-column 'nosuch'"),
        ("--instruction-column", "nosuch", "--instruction-column 'nosuch'"),
    ],
)
def test_bad_option_values_are_one_line_errors(tmp_path, capsys, humaneval_pairs, flag, value, message):
    source = _write_jsonl(tmp_path / "in.jsonl", humaneval_pairs[:1])
    out = tmp_path / "o.jsonl"
    err = _error_line(capsys, ["generate", "--input", str(source), "--output", str(out), flag, value])
    assert message in err
    assert not out.exists() and not partial_dir(out).exists()


# ---------------------------------------------------------------------------- interruption and resume


def _default_sigint() -> None:
    # a test runner started in the background (``cmd &`` without job control) ignores SIGINT, and
    # its children inherit that; a user's terminal Ctrl-C reaches a process with the default action
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _start(args: list[str], cwd: Path) -> subprocess.Popen[str]:
    # checkpoint after every row, so that even a fast machine is interrupted mid-run
    return subprocess.Popen(RUN + args + ["--checkpoint-seconds", "1e-9"], cwd=cwd, preexec_fn=_default_sigint,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for_checkpoint(process: subprocess.Popen[str], output: Path) -> int:
    state = partial_dir(output) / "state.json"
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        assert process.poll() is None, "the run ended before its first checkpoint"
        if state.is_file():
            done = json.loads(state.read_text())["rows_done"]
            if done > 0:
                return done
        time.sleep(0.05)
    raise AssertionError("no checkpoint within 10 minutes")


def _slow_row(functions: int = 100) -> dict[str, str]:
    """A row whose valid program takes seconds to sample (every state is ~8,000 characters to lint)."""
    program = "\n\n".join(
        f"def f{i}(x):\n    y = x + {i}\n    if y > 3:\n        return y * 2\n    return f{max(i - 1, 0)}(y)"
        for i in range(functions)
    ) + "\n"
    return {"task_id": "slow", "instruction": "Write many small functions.", "response": program}


@pytest.fixture(scope="module")
def slow_input(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """60 HumanEval rows with a slow row at index 3: a run checkpoints after the first rows and is
    still busy for seconds after that, on any machine, so an interruption always lands mid-run."""
    from lintseq_hf.io.humaneval import humaneval_pairs

    pairs = humaneval_pairs()
    rows = pairs[:3] + [_slow_row()] + pairs[3:60]
    return _write_jsonl(tmp_path_factory.mktemp("slow") / "in.jsonl", rows)


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory, slow_input: Path) -> dict[str, bytes]:
    """Uninterrupted runs on :func:`slow_input` (jsonl and parquet)."""
    root = tmp_path_factory.mktemp("reference")
    out = {}
    for ext in ("jsonl", "parquet"):
        path = root / f"full.{ext}"
        subprocess.run(RUN + ["--input", str(slow_input), "--output", str(path)], check=True, capture_output=True)
        out[ext] = path.read_bytes()
    return out


@pytest.mark.slow
@pytest.mark.parametrize("ext", ["jsonl", "parquet"])
def test_kill_9_then_resume_is_byte_identical(tmp_path, reference, slow_input, ext):
    output = tmp_path / f"run.{ext}"
    args = ["--input", str(slow_input), "--output", str(output)]
    process = _start(args, tmp_path)
    done = _wait_for_checkpoint(process, output)
    process.kill()
    process.wait()
    assert not output.exists(), "an interrupted run leaves nothing at the output path"
    assert 0 < done < 61
    resumed = subprocess.run(RUN + args + ["--resume"], capture_output=True, text=True)
    assert resumed.returncode == 0, resumed.stderr
    assert output.read_bytes() == reference[ext]
    report = json.loads((tmp_path / "run.report.json").read_text())
    assert report["rows_in"] == 61 and report["sequences_out"] == 122
    assert not partial_dir(output).exists()


@pytest.mark.slow
def test_ctrl_c_prints_one_line_and_resume_finishes_identically(tmp_path, reference, slow_input):
    output = tmp_path / "run.jsonl"
    args = ["--input", str(slow_input), "--output", str(output)]
    process = _start(args + ["--num-proc", "2"], tmp_path)
    _wait_for_checkpoint(process, output)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=900)  # generous: a loaded machine may take minutes to wind down
    assert process.returncode == 130, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    assert "--resume" in lines[0] and "run.jsonl" in lines[0]
    assert not output.exists()
    resumed = subprocess.run(RUN + args + ["--resume"], capture_output=True, text=True)
    assert resumed.returncode == 0, resumed.stderr
    assert output.read_bytes() == reference["jsonl"]


LOAD_SECONDS = 1200
"""A busy loop of :func:`cpu_load` ends by itself after this, even if the test that started it dies."""


@contextlib.contextmanager
def cpu_load(processes: int) -> Iterator[None]:
    """``processes`` busy loops competing for the CPUs while the block runs; killed when it ends."""
    loop = f"import time\nend = time.monotonic() + {LOAD_SECONDS}\nwhile time.monotonic() < end:\n    pass\n"
    hogs = [subprocess.Popen([sys.executable, "-c", loop]) for _ in range(processes)]
    try:
        yield
    finally:
        for hog in hogs:
            hog.kill()
        for hog in hogs:
            hog.wait()


def test_generation_measures_no_time_unless_asked():
    """The wall-clock guard is opt-in: by default no row is dropped for being slow on this machine today."""
    from lintseq_hf.dataset.transform import GenerateConfig

    assert GenerateConfig().timeout is None and GenerateConfig(timeout=0).timeout is None
    assert GenerateConfig(timeout=30).timeout == 30


@pytest.mark.slow
def test_kill_9_and_resume_under_cpu_load_write_the_bytes_of_an_idle_run(tmp_path, reference, slow_input):
    output = tmp_path / "run.jsonl"
    args = ["--input", str(slow_input), "--output", str(output)]
    with cpu_load(os.cpu_count() or 1):  # every core busy besides the run (and whatever else runs)
        process = _start(args, tmp_path)
        _wait_for_checkpoint(process, output)
        process.kill()
        process.wait()
        resumed = subprocess.run(RUN + args + ["--resume"], capture_output=True, text=True)
    assert resumed.returncode == 0, resumed.stderr
    assert output.read_bytes() == reference["jsonl"]
    report = json.loads((tmp_path / "run.report.json").read_text())
    assert report["rows_in"] == 61 and report["sequences_out"] == 122 and not report["skipped"]


@pytest.mark.slow
def test_resume_refuses_other_arguments_or_input(tmp_path, humaneval_pairs):
    source = _write_jsonl(tmp_path / "in.jsonl", humaneval_pairs[:3] + [_slow_row()] + humaneval_pairs[3:100])
    output = tmp_path / "run.jsonl"
    process = _start(["--input", str(source), "--output", str(output)], tmp_path)
    _wait_for_checkpoint(process, output)
    process.kill()
    process.wait()
    other_args = subprocess.run(RUN[:-1] + ["7", "--input", str(source), "--output", str(output), "--resume"], capture_output=True, text=True)
    assert other_args.returncode == 2 and "refusing to resume" in other_args.stderr and "seed" in other_args.stderr
    _write_jsonl(source, humaneval_pairs[1:100])
    other_input = subprocess.run(RUN + ["--input", str(source), "--output", str(output), "--resume"], capture_output=True, text=True)
    assert other_input.returncode == 2 and "input_sha256" in other_input.stderr
    assert not output.exists()


# ---------------------------------------------------------------------------- the work budget


def test_num_proc_1_and_2_are_identical_near_the_work_budget(tmp_path, humaneval_pairs):
    source = _write_jsonl(tmp_path / "in.jsonl", humaneval_pairs[:24])
    outputs, reports = [], []
    for n in (1, 2):
        out = tmp_path / f"out{n}.jsonl"
        argv = ["generate", "--input", str(source), "--output", str(out), "--num-proc", str(n), "--num-samples", "2", "--max-lint-chars", "4000", "--no-progress"]
        assert main(argv) == 0
        outputs.append(out.read_bytes())
        reports.append(json.loads((tmp_path / f"out{n}.report.json").read_text()))
    assert outputs[0] == outputs[1]
    assert reports[0]["dropped"] == reports[1]["dropped"]
    assert reports[0]["skipped"].get("work_budget", 0) > 0 and reports[0]["rows_out"] > 0
