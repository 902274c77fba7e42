"""The Ray Data path gives the builder's rows, on a local 2-worker Ray runtime."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("RAY_ENABLE_UV_RUN_RUNTIME_ENV", "0")

ray = pytest.importorskip("ray")

import datasets  # noqa: E402
from test_dataset_builder import NUM_SAMPLES, expected_drops, pair_rows, write_jsonl  # noqa: E402

import lintseq_hf  # noqa: E402,F401
from lintseq_hf.dataset.builder import load_report  # noqa: E402
from lintseq_hf.dataset.ray import generate_with_ray  # noqa: E402



pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("hub_offline")]  # a Ray runtime takes ~10 s to start


@pytest.fixture(scope="module")
def local_ray() -> Iterator[None]:
    handlers = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)}
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    try:
        yield
    finally:
        ray.shutdown()
        for number, handler in handlers.items():  # Ray's driver handler (SystemExit) must not outlive it
            signal.signal(number, handler)


def sort_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda r: (r["source_row"], r["sample_index"]))


def builder_rows(path: Path, config: str, cache: Path) -> datasets.Dataset:
    return datasets.load_dataset(
        "lintseq", config, data_files=str(path), cache_dir=str(cache), num_samples=NUM_SAMPLES, split="train"
    )


def ray_rows(output: Path) -> list[dict[str, Any]]:
    files = sorted(str(p) for p in (output / "data").glob("*.parquet"))
    cache = str(output.parent / "parquet-cache")  # never the user's datasets cache
    return datasets.load_dataset("parquet", data_files=files, split="train", cache_dir=cache).to_list()


def test_jsonl_through_ray_matches_the_builder(local_ray: None, tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "pairs.jsonl", pair_rows())
    report = generate_with_ray(str(source), str(tmp_path / "out"), num_samples=NUM_SAMPLES, batch_size=4)
    expected = builder_rows(source, "lintseq", tmp_path / "cache")
    got = ray_rows(tmp_path / "out")
    assert sort_rows(got) == sort_rows(expected.to_list())
    assert {d["source_row"]: d["reason"] for d in report.dropped} == expected_drops()
    assert load_report(tmp_path / "out")["train"].dropped == load_report(expected)["train"].dropped


def test_parquet_in_several_files_through_ray_matches_the_builder(local_ray: None, tmp_path: Path) -> None:
    rows = pair_rows()
    files = []
    for index, chunk in enumerate((rows[:7], rows[7:])):
        files.append(str(tmp_path / f"part-{index}.parquet"))
        datasets.Dataset.from_list(chunk).to_parquet(files[-1])
    generate_with_ray(files, str(tmp_path / "out"), config="partial", num_samples=NUM_SAMPLES, concurrency=2)
    expected = datasets.load_dataset(
        "lintseq", "partial", data_files=files, cache_dir=str(tmp_path / "cache"), num_samples=NUM_SAMPLES, split="train"
    )
    assert sort_rows(ray_rows(tmp_path / "out")) == sort_rows(expected.to_list())
    assert load_report(tmp_path / "out")["train"].short_sequences == load_report(expected)["train"].short_sequences


def test_hostile_rows_through_ray_are_counted_like_the_builder(local_ray: None, tmp_path: Path) -> None:
    from test_hostile_rows import hostile_lines, write_hostile

    source = write_hostile(tmp_path / "hostile.jsonl")
    report = generate_with_ray(str(source), str(tmp_path / "out"), num_samples=NUM_SAMPLES, batch_size=3)
    expected = builder_rows(source, "lintseq", tmp_path / "cache")
    assert sort_rows(ray_rows(tmp_path / "out")) == sort_rows(expected.to_list())
    assert {d["source_row"]: d["reason"] for d in report.dropped} == hostile_lines()[1]
    assert report.dropped == load_report(expected)["train"].dropped
