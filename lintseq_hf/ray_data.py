"""Deprecated alias of :mod:`lintseq_hf.dataset.ray` (kept so that existing imports work)."""

import importlib
import warnings
from typing import Any

warnings.warn("lintseq_hf.ray_data moved to lintseq_hf.dataset.ray", DeprecationWarning, stacklevel=2)


def __getattr__(name: str) -> Any:
    return getattr(importlib.import_module("lintseq_hf.dataset.ray"), name)
