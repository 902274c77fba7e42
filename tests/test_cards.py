"""Repository cards: one template folder (package data) and one renderer for the dataset and the model card."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from huggingface_hub import DatasetCardData, ModelCardData

from lintseq_hf.io.cards import TEMPLATE_FOLDER, render_card, template_text

PACKAGE = Path(__file__).resolve().parent.parent / "lintseq_hf"


def test_every_card_template_lives_in_the_one_template_folder():
    templates = sorted(p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*.md"))
    assert templates == [f"{TEMPLATE_FOLDER}/dataset_card.md", f"{TEMPLATE_FOLDER}/model_card.md"]
    for path in templates:  # one engine: Jinja placeholders, no string.Template ones
        text = (PACKAGE / path).read_text(encoding="utf-8")
        assert "{{ card_data }}" in text and "${" not in text


def test_one_function_renders_cards():
    defined = [
        f"{path.relative_to(PACKAGE)}:{node.name}"
        for path in PACKAGE.rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.FunctionDef) and "render" in node.name and "card" in node.name
    ]
    assert defined == ["io/cards.py:render_card"]


def test_the_card_data_becomes_front_matter_and_the_kind_follows_it():
    dataset = render_card("dataset_card.md", DatasetCardData(license="mit", pretty_name="P"), title="T", version="",
                          config_list="", count_rows="", drop_section="", source="s", license_origin="given",
                          options="", reproduce="", citation="C")
    assert dataset.startswith("---\nlicense: mit\npretty_name: P\n---\n# T\n") and dataset.endswith("```\n")
    model = render_card("model_card.md", ModelCardData(license="mit", tags=["lintseq"]), model_name="m",
                        mode="lintseq", data_description="d", hyperparameters={"max_length": 8}, metrics={},
                        rows_cut=0, rows_dropped=0, diff_token="<|diff|>", eos_token="</s>", repo_id="me/m",
                        citation="C")
    assert model.startswith("---\nlicense: mit\ntags:\n- lintseq\n---\n") and "# m\n" in model


def test_an_unknown_template_is_named():
    with pytest.raises(FileNotFoundError, match="no_such_card"):
        template_text("no_such_card")
