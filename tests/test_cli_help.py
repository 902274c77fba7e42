"""Every command's --help renders (a stray ``%`` in a help string breaks argparse only when help is shown)."""

from __future__ import annotations

import argparse

import pytest

from lintseq_hf.cli import build_parser, main


def _commands() -> list[str]:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return sorted(sub.choices)


def test_the_top_level_help_renders(capsys):
    with pytest.raises(SystemExit) as done:
        main(["--help"])
    assert done.value.code == 0
    assert "compare" in capsys.readouterr().out


@pytest.mark.parametrize("command", [c for c in _commands() if c not in ("train", "eval")])  # TRL and lm-eval render those (tested apart)
def test_each_command_help_renders(command, capsys):
    with pytest.raises(SystemExit) as done:
        main([command, "--help"])
    assert done.value.code == 0
    assert f"lintseq {command}" in capsys.readouterr().out
