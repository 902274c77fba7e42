"""The recipes shipped with the package: training YAMLs, accelerate configs and DeepSpeed configs.

The source is the repository's top-level ``recipes/`` folder; a wheel installs it as the package
``lintseq_hf.recipes`` (``package-dir`` in pyproject.toml). An editable install or a source
checkout has no such package, and the checkout's folder is used. A recipe is named by its path
or by its name (``smollm2-135m-cpu``, ``smollm2-135m-cpu.yaml``, ``accelerate/zero2.yaml``).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

RECIPES_PACKAGE = "lintseq_hf.recipes"


class RecipeNotFoundError(FileNotFoundError):
    """Neither a file nor the name of a shipped recipe."""


def recipes_dir() -> Path:
    """The folder holding the shipped recipes (installed package data, else the source checkout's ``recipes/``)."""
    spec = importlib.util.find_spec(RECIPES_PACKAGE)
    if spec is not None and spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations)))
    checkout = Path(__file__).resolve().parents[2] / "recipes"  # <checkout>/lintseq_hf/training/recipes.py
    if checkout.is_dir():
        return checkout
    raise RecipeNotFoundError(f"no {RECIPES_PACKAGE} package and no {checkout}: reinstall lintseq-hf")


def list_recipes() -> list[str]:
    """Names of the shipped files, relative to :func:`recipes_dir` (``gemma-2-2b.yaml``, ``accelerate/zero2.yaml``…)."""
    root = recipes_dir()
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.suffix in (".yaml", ".json"))


def resolve_recipe(name: str | Path) -> Path:
    """A recipe file: ``name`` itself if it exists, else the shipped file of that name (``.yaml`` optional)."""
    path = Path(name)
    if path.is_file():
        return path
    root = recipes_dir()
    for candidate in (root / path, root / f"{path}.yaml"):
        if candidate.is_file():
            return candidate
    raise RecipeNotFoundError(
        f"{name}: no such file and no shipped recipe of that name (see `lintseq recipes`; they are in {root})"
    )
