"""Registration of the "lintseq" builder with ``datasets``, without importing ``datasets``.

datasets 5.x resolves a bare ``load_dataset("lintseq", ...)`` through the private table
``datasets.packaged_modules._PACKAGED_DATASETS_MODULES`` (name → (module path, code hash));
``tests/test_dataset_registration.py`` guards that contract.

For a packaged name given no ``data_files``, ``datasets`` globs the working directory.
We never want that, so ``datasets.load.dataset_module_factory`` is wrapped to pass an
empty ``data_files`` for "lintseq" only: the builder then reads ``source=...`` or raises,
and ``load_dataset("lintseq", "lintseq", source="org/name")`` needs nothing else.

Importing ``datasets`` takes seconds, so ``import lintseq_hf`` only installs an import hook
when ``datasets`` is not loaded yet; both changes are made the moment ``datasets.load``
finishes loading.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path
from typing import Any

BUILDER_NAME = "lintseq"
BUILDER_MODULE = "lintseq_hf.dataset.builder"
PACKAGED_MODULES = "datasets.packaged_modules"
LOAD_MODULE = "datasets.load"
ROW_SHAPING_DIRS = ("core", "lint", "io")
"""Subpackages whose every file decides the rows (hashed whole, so a new module is covered too)."""

ROW_SHAPING_FILES = (
    "dataset/transform.py", "dataset/configs.py", "dataset/builder.py", "dataset/registration.py",
)
"""Single modules of the dataset stage that decide the rows."""


class CacheKeyError(RuntimeError):
    """A module that decides the rows is missing, so no honest cache key can be computed."""


_DEPENDENCIES = (
    "pylint", "astroid", "numpy", "tree-sitter", "tree-sitter-c", "tree-sitter-cpp", "tree-sitter-javascript",
    "tree-sitter-typescript", "tree-sitter-java", "tree-sitter-rust",
)
"""Libraries whose versions decide the rows too (linter verdicts, the sampler's random stream,
the blocks of languages other than Python)."""


def code_hash() -> str:
    """Hash of our version, every module that decides the rows and the linter's versions: the cache key."""
    from importlib import metadata

    from lintseq_hf.version import __version__

    digest = hashlib.sha256(f"lintseq-hf {__version__}".encode())
    for name in _DEPENDENCIES:
        try:
            digest.update(f"{name} {metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name} absent".encode())
    for path in row_shaping_files():
        digest.update(path.relative_to(_PACKAGE_ROOT).as_posix().encode() + b"\x00" + path.read_bytes())
    return digest.hexdigest()


_PACKAGE_ROOT = Path(__file__).resolve().parent.parent


def row_shaping_files() -> list[Path]:
    """Every file whose content decides the rows, in a fixed order; raises if one is missing."""
    files: list[Path] = []
    for name in ROW_SHAPING_DIRS:
        folder = _PACKAGE_ROOT / name
        found = sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
        if not any(p.suffix == ".py" for p in found):
            raise CacheKeyError(f"{folder}: no modules found; the installation of lintseq_hf is incomplete")
        files.extend(found)
    for name in ROW_SHAPING_FILES:
        path = _PACKAGE_ROOT / name
        if not path.is_file():
            raise CacheKeyError(f"{path}: missing; the installation of lintseq_hf is incomplete")
        files.append(path)
    return files


def register_builder() -> None:
    """Make ``load_dataset("lintseq", ...)`` resolve to :mod:`lintseq_hf.dataset.builder` (idempotent)."""
    module = sys.modules.get(LOAD_MODULE)
    if module is not None and hasattr(module, "dataset_module_factory"):
        _register_in(module)
        return
    if not any(isinstance(finder, _RegisterOnImport) for finder in sys.meta_path):
        sys.meta_path.insert(0, _RegisterOnImport())


def is_registered() -> bool:
    """Whether ``datasets`` resolves "lintseq" to our builder, without globbing (imports ``datasets``)."""
    from datasets import load, packaged_modules

    entry = packaged_modules._PACKAGED_DATASETS_MODULES.get(BUILDER_NAME)
    wrapped = getattr(load.dataset_module_factory, "_lintseq_wrapped", False)
    return entry is not None and entry[0] == BUILDER_MODULE and wrapped


def _register_in(load_module: Any) -> None:
    packaged = sys.modules[PACKAGED_MODULES]
    packaged._PACKAGED_DATASETS_MODULES[BUILDER_NAME] = (BUILDER_MODULE, code_hash())
    factory = load_module.dataset_module_factory
    if not getattr(factory, "_lintseq_wrapped", False):
        load_module.dataset_module_factory = _explicit_sources_only(factory)


def _explicit_sources_only(factory: Any) -> Any:
    """``factory`` that never globs the working directory for the "lintseq" builder."""

    def dataset_module_factory(path: str, *args: Any, **kwargs: Any) -> Any:
        if path == BUILDER_NAME and kwargs.get("data_files") is None and kwargs.get("data_dir") is None:
            kwargs["data_files"] = {}
        return factory(path, *args, **kwargs)

    dataset_module_factory.__doc__ = factory.__doc__
    dataset_module_factory.__wrapped__ = factory  # type: ignore[attr-defined]
    dataset_module_factory._lintseq_wrapped = True  # type: ignore[attr-defined]
    return dataset_module_factory


class _RegisterOnImport:
    """Meta path finder: lets ``datasets.load`` load normally, then registers."""

    def find_spec(self, fullname: str, path: Any, target: Any = None) -> Any:
        if fullname != LOAD_MODULE:
            return None
        spec = None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None:
                break
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        original = spec.loader.exec_module
        hook = self

        def exec_module(module: Any) -> None:
            original(module)
            _register_in(module)
            if hook in sys.meta_path:
                sys.meta_path.remove(hook)

        spec.loader.exec_module = exec_module  # this loader instance serves this one module
        return spec
