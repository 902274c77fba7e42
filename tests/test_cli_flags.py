"""Every command refuses abbreviated flags and names the close match of an unknown one."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest

from lintseq_hf.cli import build_parser, main
from lintseq_hf.cli.parser import LintseqArgumentParser
from lintseq_hf.io.flags import suggest_flags

ROOT = Path(__file__).resolve().parent.parent


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_every_command_parser_refuses_abbreviations():
    commands = _subcommands()
    assert {"generate", "show", "build-dataset", "train", "push-model", "score", "plot"} <= set(commands)
    for name, parser in commands.items():
        if name == "train":  # its flags go untouched to the train entry point's own parser (next tests)
            continue
        assert isinstance(parser, LintseqArgumentParser) and parser.allow_abbrev is False, name


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["generate", "--output", "out.jsonl", "--num-sample", "2"],
         "unrecognized arguments: --num-sample 2 (did you mean --num-samples?)"),
        (["generate", "--output", "out.jsonl", "--max-lint-char", "5", "--sed", "3"],
         "(did you mean --max-lint-chars for --max-lint-char, --seed for --sed?)"),
        (["score", "--samples", "s.jsonl", "--problem", "humaneval"], "(did you mean --problems?)"),
        (["build-dataset", "--data-files", "p.jsonl", "--output-dir", "d", "--num-sample", "2"],
         "(did you mean --num-samples?)"),
        (["recipes", "--frobnicate"], "unrecognized arguments: --frobnicate\n"),
    ],
)
def test_an_unknown_or_abbreviated_flag_is_refused_with_the_close_match(tmp_path, monkeypatch, capsys, argv, message):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as stop:
        main(argv)
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert f"lintseq {argv[0]}: error: " in err and message in err + "\n", err
    assert list(tmp_path.iterdir()) == []  # nothing ran


def test_the_train_entry_point_refuses_abbreviations_with_the_close_match(capsys):
    pytest.importorskip("trl")
    assert main(["train", "--config", "smollm2-135m-cpu", "--max_step", "2"]) == 2
    err = capsys.readouterr().err.strip()
    assert err == "lintseq train: error: unrecognized arguments: --max_step 2 (did you mean --max_steps?)"


def test_python_m_lintseq_hf_train_errors_are_one_line(tmp_path):
    """docs/inference.md's `-m lintseq_hf.train RECIPE` (the positional form) and a bad flag: one line, no traceback."""
    pytest.importorskip("trl")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for argv, expected in (
        (["recipes/tinycodelm-150m.yaml", "--use_cpu", "true", "--bf16", "false", "--output_dir", "o"],
         "lintseq-data: no such file or folder"),
        (["--config", "recipes/tinycodelm-150m.yaml", "--bf16", "false", "--num_train_epoch", "1"],
         "did you mean --num_train_epochs?"),
    ):
        done = subprocess.run([sys.executable, "-m", "lintseq_hf.train", *[str(ROOT / a) if a.endswith(".yaml") else a
                                                                              for a in argv]],
                              cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
        assert done.returncode == 2, done.stderr[-2000:]
        assert "Traceback" not in done.stderr and expected in done.stderr, done.stderr[-2000:]
        assert done.stderr.strip().splitlines()[-1].startswith("python -m lintseq_hf.train: error: ")


def test_suggestions_are_only_for_flags_that_are_close():
    assert suggest_flags(["--max_step", "2"], ["--max_steps", "--seed"]) == " (did you mean --max_steps?)"
    assert suggest_flags(["--zzz", "x"], ["--max_steps"]) == ""
    assert suggest_flags(["--seeds=3"], ["--seed"]) == " (did you mean --seed?)"
