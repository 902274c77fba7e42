"""Repository cards (the ``README.md`` of a dataset or model repository), rendered from shipped templates.

Both cards come from the one template folder ``lintseq_hf/templates/`` (package data) through one
engine, Jinja, by :meth:`huggingface_hub.RepoCard.from_template`: the card data becomes the YAML
front matter (``{{ card_data }}``) and the template's other variables are filled from ``values``.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

TEMPLATE_FOLDER = "templates"
"""The folder of ``lintseq_hf`` holding every card template."""


def template_text(name: str) -> str:
    """The text of the shipped template ``name`` (e.g. ``model_card.md``)."""
    path = resources.files("lintseq_hf") / TEMPLATE_FOLDER / name
    if not path.is_file():
        raise FileNotFoundError(f"card template {name!r}: not in lintseq_hf/{TEMPLATE_FOLDER}/ (reinstall lintseq-hf)")
    return path.read_text(encoding="utf-8")


def render_card(template: str, card_data: Any, **values: Any) -> str:
    """The card text: ``card_data`` (``ModelCardData`` or ``DatasetCardData``) as front matter, ``template`` filled.

    A ``DatasetCardData`` gives a dataset card, anything else a model card; the values override
    card-data fields of the same name.
    """
    from huggingface_hub import DatasetCard, DatasetCardData, ModelCard

    card_class = DatasetCard if isinstance(card_data, DatasetCardData) else ModelCard
    text = str(card_class.from_template(card_data, template_str=template_text(template), **values))
    return text if text.endswith("\n") else text + "\n"  # Jinja drops the template's final newline
