"""Dataset cards, the repository folder, and the one Hub call of a push (offline)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")

import datasets  # noqa: E402
import huggingface_hub  # noqa: E402
from huggingface_hub import HfApi  # noqa: E402
from huggingface_hub.errors import OfflineModeIsEnabled  # noqa: E402
from test_dataset_builder import NUM_SAMPLES, pair_rows  # noqa: E402

import lintseq_hf  # noqa: E402,F401
from lintseq_hf.dataset.builder import load_report  # noqa: E402
from lintseq_hf.dataset.card import dataset_card, push_dataset_to_hub, save_dataset_folder  # noqa: E402


pytestmark = pytest.mark.usefixtures("hub_offline")


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, datasets.DatasetDict]:
    """lintseq + instruct configs of a local "Hub-style" source whose card says MIT."""
    root = tmp_path_factory.mktemp("hub")
    source = root / "humaneval-pairs"
    (source / "data").mkdir(parents=True)
    datasets.Dataset.from_list(pair_rows()).to_parquet(str(source / "data" / "train-00000-of-00001.parquet"))
    (source / "README.md").write_text("---\nlicense: mit\n---\n# HumanEval pairs\n", encoding="utf-8")
    return {
        config: datasets.load_dataset(
            "lintseq", config, source=str(source), cache_dir=str(root / "cache"), num_samples=NUM_SAMPLES
        )
        for config in ("lintseq", "instruct")
    }


def front_matter(card: str) -> dict[str, Any]:
    assert card.startswith("---\n")
    return yaml.safe_load(card.split("---\n")[1])


def test_card_yaml_lists_every_config_with_lintseq_as_default(generated: dict[str, datasets.DatasetDict]) -> None:
    meta = front_matter(dataset_card(generated))
    configs = {c["config_name"]: c for c in meta["configs"]}
    assert set(configs) == {"lintseq", "instruct"}
    assert configs["lintseq"]["default"] is True and "default" not in configs["instruct"]
    assert configs["instruct"]["data_files"] == [{"split": "train", "path": "data/instruct/train-*.parquet"}]
    assert "lintseq" in meta["tags"]


def test_card_carries_the_source_licence(generated: dict[str, datasets.DatasetDict]) -> None:
    card = dataset_card(generated)
    assert front_matter(card)["license"] == "mit"
    assert "carried from the source" in card
    assert front_matter(dataset_card(generated, license="apache-2.0"))["license"] == "apache-2.0"


def test_card_states_counts_drops_and_how_it_was_generated(generated: dict[str, datasets.DatasetDict]) -> None:
    card = dataset_card(generated)
    report = load_report(generated["lintseq"])["train"]
    rows = len(generated["lintseq"]["train"])
    assert f"| lintseq | train | {report.rows_in} | {report.rows_out} | {report.rows_dropped} | {rows} |" in card
    assert "| lintseq | train | syntax_error | 1 |" in card
    assert f'"num_samples": {NUM_SAMPLES}' in card and '"linter": "pylint"' in card
    assert "<|diff|>" in card and "arxiv.org/abs/2410.02749" in card


def test_folder_loads_back_config_by_config(generated: dict[str, datasets.DatasetDict], tmp_path: Path) -> None:
    folder = save_dataset_folder(generated, tmp_path / "repo")
    assert (folder / "data" / "lintseq" / "train-00000-of-00001.parquet").is_file()
    for config, data in generated.items():
        back = datasets.load_dataset(str(folder), config, split="train", cache_dir=str(tmp_path / "cache"))
        assert back.to_list() == data["train"].to_list()


def test_large_splits_are_sharded(generated: dict[str, datasets.DatasetDict], tmp_path: Path) -> None:
    folder = save_dataset_folder({"lintseq": generated["lintseq"]}, tmp_path / "repo", max_shard_bytes=20_000)
    shards = sorted((folder / "data" / "lintseq").glob("train-*.parquet"))
    assert len(shards) > 1 and shards[-1].name.endswith(f"-of-{len(shards):05d}.parquet")
    back = datasets.load_dataset(str(folder), "lintseq", split="train", cache_dir=str(tmp_path / "cache"))
    assert back.to_list() == generated["lintseq"]["train"].to_list()


@pytest.fixture
def offline_hub(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any Hub request that is not patched fails."""
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", True)


def test_push_is_one_upload_folder_call(
    generated: dict[str, datasets.DatasetDict], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, offline_hub: None
) -> None:
    calls: list[dict[str, Any]] = []

    def upload_folder(self: HfApi, **kwargs: Any) -> str:
        shutil.copytree(kwargs["folder_path"], tmp_path / "uploaded")  # what would be sent
        calls.append(kwargs)
        return "commit-info"

    monkeypatch.setattr(HfApi, "upload_folder", upload_folder)
    result = push_dataset_to_hub(generated, "someone/lintseq-humaneval", commit_message="add data")
    assert result == "commit-info"
    assert len(calls) == 1
    call = calls[0]
    assert call["repo_id"] == "someone/lintseq-humaneval" and call["repo_type"] == "dataset"
    assert call["commit_message"] == "add data"
    assert sorted(call["delete_patterns"]) == ["data/instruct/*", "data/lintseq/*"]
    uploaded = tmp_path / "uploaded"
    assert front_matter((uploaded / "README.md").read_text(encoding="utf-8"))["license"] == "mit"
    back = datasets.load_dataset(str(uploaded), "lintseq", split="train", cache_dir=str(tmp_path / "cache"))
    assert back.to_list() == generated["lintseq"]["train"].to_list()


def test_without_the_patch_the_push_reaches_no_network(
    generated: dict[str, datasets.DatasetDict], offline_hub: None
) -> None:
    with pytest.raises(OfflineModeIsEnabled):
        push_dataset_to_hub({"instruct": generated["instruct"]}, "someone/lintseq-humaneval")


def test_only_lintseq_configs_can_be_pushed(generated: dict[str, datasets.DatasetDict], offline_hub: None) -> None:
    with pytest.raises(ValueError, match="not lintseq configs"):
        push_dataset_to_hub({"other": generated["instruct"]}, "someone/x")


def test_cli_builds_a_folder_that_loads_back(tmp_path: Path) -> None:
    from test_dataset_builder import write_jsonl

    from lintseq_hf.cli import main

    data = write_jsonl(tmp_path / "pairs.jsonl", pair_rows())
    code = main(
        ["build-dataset", "--data-files", str(data), "--config", "lintseq", "--config", "instruct",
         "--num-samples", "1", "--output-dir", str(tmp_path / "repo"), "--cache-dir", str(tmp_path / "cache"),
         "--license", "mit"]
    )  # fmt: skip
    assert code == 0
    card = (tmp_path / "repo" / "README.md").read_text(encoding="utf-8")
    assert front_matter(card)["license"] == "mit"
    back = datasets.load_dataset(str(tmp_path / "repo"), "instruct", split="train", cache_dir=str(tmp_path / "c2"))
    assert back["instruction"][0] == pair_rows()[0]["instruction"]
