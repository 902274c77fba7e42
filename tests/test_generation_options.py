"""The generation options are written once: GenerateConfig, the builder's LintSeqConfig and
the `generate` / `build-dataset` flags all come from GenerationOptions (and LintSeqOptions)."""

from __future__ import annotations

import argparse
from dataclasses import fields

import pytest

from lintseq_hf.cli import build_parser
from lintseq_hf.cli.options import flag
from lintseq_hf.core.sampler import LintSeqOptions
from lintseq_hf.dataset.builder import LintSeqConfig
from lintseq_hf.dataset.transform import GenerateConfig, GenerationOptions


def _flags(command: str) -> dict[str, str]:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices[command]
    return {option: action.help or "" for action in sub._actions for option in action.option_strings}


def _expected_flag(item) -> str:
    return flag("no_" + item.name) if item.default is True else flag(item.name)


@pytest.mark.parametrize("command", ["generate", "build-dataset"])
def test_every_option_is_a_flag_with_its_help(command):
    flags = _flags(command)
    for cls in (GenerationOptions, LintSeqOptions):
        for item in fields(cls):
            if item.name == "options":
                continue
            name = _expected_flag(item)
            assert name in flags, (command, name)
            assert item.metadata["help"] in flags[name]


def test_method_is_a_generate_flag_and_the_builder_takes_it_from_the_config_name():
    assert "--method" in _flags("generate") and "--method" not in _flags("build-dataset")
    assert LintSeqConfig(name="random").generate_config().method == "random"


def test_the_builder_config_has_every_generation_option_with_the_same_default():
    builder_fields = {f.name: f for f in fields(LintSeqConfig)}
    for item in fields(GenerationOptions):
        assert builder_fields[item.name].default == item.default
        assert builder_fields[item.name].metadata == item.metadata
    config = LintSeqConfig(name="lintseq", num_samples=3, options={"indent_bias": None})
    assert config.generate_config() == GenerateConfig(num_samples=3, options=LintSeqOptions(indent_bias=None))
    assert config.settings()["options"]["max_lint_chars"] == LintSeqOptions().max_lint_chars


def test_bounds_are_checked_in_every_config():
    with pytest.raises(ValueError, match="num_samples must be >= 1"):
        GenerateConfig(num_samples=0)
    with pytest.raises(ValueError, match="lintseq config 'lintseq': timeout must be >= 0"):
        LintSeqConfig(name="lintseq", timeout=-1)
    with pytest.raises(ValueError, match="unknown sampler option"):
        GenerateConfig(options={"nosuch": 1})


def test_builder_kwargs_are_checked_with_the_config_named(tmp_path):
    import datasets

    import lintseq_hf  # noqa: F401  (registers the builder)

    source = tmp_path / "rows.jsonl"
    source.write_text('{"instruction": "i", "response": "x = 1"}\n')
    with pytest.raises(ValueError, match="lintseq config 'lintseq': max_program_lines must be >= 1"):
        datasets.load_dataset("lintseq", "lintseq", data_files=str(source), cache_dir=str(tmp_path), max_program_lines=0)
