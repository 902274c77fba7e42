"""Deprecated alias of :mod:`lintseq_hf.dataset.builder` (kept so that existing imports work)."""

import importlib
import warnings
from typing import Any

warnings.warn("lintseq_hf.builder moved to lintseq_hf.dataset.builder", DeprecationWarning, stacklevel=2)


def __getattr__(name: str) -> Any:
    return getattr(importlib.import_module("lintseq_hf.dataset.builder"), name)
