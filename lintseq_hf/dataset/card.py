"""Dataset cards and Hub pushes for generated LintSeq data.

The repository is built as a local folder first (parquet per config and split, and a
``README.md`` whose YAML names every config), then sent with ONE
``HfApi.upload_folder`` call: that call is the only network boundary (tests patch it with
``HF_HUB_OFFLINE=1`` set). A repository that does not exist yet is created on demand.
"""

from __future__ import annotations

import json
import logging
import math
import shutil
import tempfile
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import datasets

from lintseq_hf.dataset.configs import CONFIG_NAMES, DATA_DIR
from lintseq_hf.dataset.reports import BuildReport, load_report
from lintseq_hf.io.cards import render_card
from lintseq_hf.version import CITATION

logger = logging.getLogger(__name__)

DEFAULT_MAX_SHARD_BYTES = 500 << 20

_CONFIG_TEXT = {
    "lintseq": "LintSeq edit sequences: `num_samples` linter-guided insertion-only edit sequences per program.",
    "random": "RandSeq ablation: edit sequences from random line deletions, no linter.",
    "instruct": "Baseline: the instruction → program pairs themselves, after the same extraction and filtering.",
    "partial": "D3-style rows: a non-empty prefix of a LintSeq sequence is in the prompt, the rest is the completion.",
}


Configs = Mapping[str, "datasets.DatasetDict | datasets.Dataset"]

DATASET_CARD_TEMPLATE = "dataset_card.md"
"""The card's template in ``lintseq_hf/templates/`` (:func:`lintseq_hf.io.cards.render_card` fills it in)."""


def _as_dict(data: datasets.DatasetDict | datasets.Dataset) -> datasets.DatasetDict:
    if isinstance(data, datasets.Dataset):
        return datasets.DatasetDict({str(data.split or "train"): data})
    return data


def _reports_of(configs: Configs) -> dict[str, dict[str, BuildReport]]:
    out: dict[str, dict[str, BuildReport]] = {}
    for name, data in configs.items():
        try:
            out[name] = load_report(_as_dict(data))
        except (FileNotFoundError, ValueError):
            out[name] = {}
    return out


def _license_of(
    configs: Configs, reports: Mapping[str, Mapping[str, BuildReport]], license: str | None
) -> tuple[str | None, str]:
    """The licence to state, and where it comes from."""
    if license:
        return license, "given"
    for data in configs.values():
        for split in _as_dict(data).values():
            if split.info.license:
                return split.info.license, "carried from the source"
    for splits in reports.values():
        for report in splits.values():
            if report.settings.get("license"):
                return report.settings["license"], "carried from the source"
    return None, "not stated by the source: pass license= when pushing"


def dataset_card(
    configs: Configs,
    *,
    reports: Mapping[str, Mapping[str, BuildReport]] | None = None,
    license: str | None = None,
    pretty_name: str | None = None,
    shard_paths: Mapping[str, Mapping[str, str]] | None = None,
) -> str:
    """The README.md of a repository holding ``configs`` (config name → generated data).

    YAML front matter: licence (``license`` or the one carried from the source), source
    datasets, one ``configs`` entry per config. Body: what each config is, how the data was
    generated (options, versions), row counts and dropped rows per split, the text format.
    """
    if not configs:
        raise ValueError("dataset_card: no config given")
    reports = reports if reports is not None else _reports_of(configs)
    license, license_origin = _license_of(configs, reports, license)
    settings = next((r.settings for rs in reports.values() for r in rs.values() if r.settings), {})
    source = settings.get("source")
    hub_source = source if source and not Path(source).is_dir() else None
    source_name = hub_source or (Path(source).name if source else None)
    yaml_configs = []
    for index, (name, data) in enumerate(configs.items()):
        files = [
            {"split": split, "path": (shard_paths or {}).get(name, {}).get(split, f"{DATA_DIR}/{name}/{split}-*.parquet")}
            for split in _as_dict(data)
        ]
        entry: dict[str, Any] = {"config_name": name, "data_files": files}
        if name == "lintseq" or (index == 0 and "lintseq" not in configs):
            entry["default"] = True
        yaml_configs.append(entry)
    from huggingface_hub import DatasetCardData

    card_data = DatasetCardData(
        license=license or "unknown",
        pretty_name=pretty_name or (f"LintSeq edit sequences of {source_name}" if source_name else "LintSeq edit sequences"),
        source_datasets=[hub_source] if hub_source else None,
        task_categories=["text-generation"],
        tags=["lintseq", "code", "synthetic", "edit-sequences"],
        configs=yaml_configs,
    )
    drops = _drop_table(reports)
    version = settings.get("lintseq_hf_version")
    return render_card(
        DATASET_CARD_TEMPLATE,
        card_data,
        title=card_data.pretty_name,
        version=f" {version}" if version else "",
        config_list="\n".join(f"- `{name}`: {_CONFIG_TEXT.get(name, 'custom config')}" for name in configs),
        count_rows="\n".join(_count_rows(configs, reports)),
        drop_section=_language_section(configs) + ((
            "\nDropped source rows by reason:\n\n| config | split | reason | rows |\n|---|---|---|---|\n"
            + "\n".join(drops) + "\n"
        ) if drops else ""),
        source=_source_text(settings, source, hub_source, source_name),
        license=license or "unknown",
        license_origin=license_origin,
        options=_options_text(settings),
        reproduce=f"ds = load_dataset(\"lintseq\", \"{next(iter(configs))}\", "
        + (f"source=\"{source}\"" if source else "data_files=...")
        + f", num_samples={settings.get('num_samples', 5)}, seed={settings.get('seed', 0)})",
        citation=CITATION,
    )


def _count_rows(configs: Configs, reports: Mapping[str, Mapping[str, BuildReport]]) -> list[str]:
    rows = []
    for name, data in configs.items():
        for split, ds in _as_dict(data).items():
            report = reports.get(name, {}).get(split)
            if report is None:
                rows.append(f"| {name} | {split} | | | | {len(ds)} |")
            else:
                rows.append(f"| {name} | {split} | {report.rows_in} | {report.rows_out} | {report.rows_dropped} | {len(ds)} |")
    return rows


def _language_section(configs: Configs) -> str:
    """Rows per language of every config and split (data without a ``language`` column is Python)."""
    rows = []
    for name, data in configs.items():
        for split, ds in _as_dict(data).items():
            counts = Counter(ds["language"]) if "language" in ds.column_names else Counter({"python": len(ds)})
            rows += [f"| {name} | {split} | {language} | {count} |" for language, count in sorted(counts.items())]
    return "\nRows by language:\n\n| config | split | language | rows |\n|---|---|---|---|\n" + "\n".join(rows) + "\n"


def _source_text(settings: Mapping[str, Any], source: str | None, hub_source: str | None, source_name: str | None) -> str:
    if source:
        if hub_source:
            where = f"the Hub dataset [`{source}`](https://huggingface.co/datasets/{source})"
        else:
            where = f"the local dataset folder `{source_name}`"
        if settings.get("source_config"):
            where += f", config `{settings['source_config']}`"
        if settings.get("source_split"):
            where += f", split `{settings['source_split']}`"
        return where
    if settings.get("data_files"):
        return "local files " + ", ".join(f"`{Path(f).name}`" for fs in settings["data_files"].values() for f in fs)
    return "an unrecorded source"


def _options_text(settings: Mapping[str, Any]) -> str:
    if not settings:
        return ""
    shown = {k: v for k, v in settings.items() if k not in ("data_files", "config")}
    return (
        "Options (the same for every config; `random` samples without the linter):\n\n```json\n"
        + json.dumps(shown, indent=1, default=str) + "\n```\n\n"
    )


def _drop_table(reports: Mapping[str, Mapping[str, BuildReport]]) -> list[str]:
    rows = []
    for name, splits in reports.items():
        for split, report in splits.items():
            for reason, count in sorted(report.skipped.items()):
                rows.append(f"| {name} | {split} | {reason} | {count} |")
    return rows


def save_dataset_folder(
    configs: Configs,
    folder: str | Path,
    *,
    license: str | None = None,
    pretty_name: str | None = None,
    max_shard_bytes: int = DEFAULT_MAX_SHARD_BYTES,
) -> Path:
    """Write the repository folder: ``data/<config>/<split>-0000i-of-0000n.parquet`` and ``README.md``.

    The folder loads back with ``datasets.load_dataset(folder, config)``.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in configs.items():
        if not name or "/" in name:
            raise ValueError(f"save_dataset_folder: bad config name {name!r}")
        target = folder / DATA_DIR / name
        if target.exists():
            shutil.rmtree(target)
        target.mkdir(parents=True)
        for split, ds in _as_dict(data).items():
            shards = max(1, math.ceil(ds.data.nbytes / max_shard_bytes))
            for index in range(shards):
                part = ds.shard(shards, index, contiguous=True) if shards > 1 else ds
                part.to_parquet(str(target / f"{split}-{index:05d}-of-{shards:05d}.parquet"))
    card = dataset_card(configs, license=license, pretty_name=pretty_name)
    (folder / "README.md").write_text(card, encoding="utf-8")
    return folder


def push_dataset_to_hub(
    configs: Configs,
    repo_id: str,
    *,
    folder: str | Path | None = None,
    license: str | None = None,
    pretty_name: str | None = None,
    private: bool | None = None,
    token: str | None = None,
    revision: str | None = None,
    commit_message: str | None = None,
    max_shard_bytes: int = DEFAULT_MAX_SHARD_BYTES,
) -> Any:
    """Build the repository folder (in ``folder`` or a temporary one) and upload it in one commit.

    ``configs`` maps config names (``lintseq``, ``instruct``, …) to their generated
    ``DatasetDict``. Returns the ``CommitInfo`` of the upload.
    """
    from huggingface_hub import HfApi
    from huggingface_hub.errors import RepositoryNotFoundError

    unknown = [name for name in configs if name not in CONFIG_NAMES]
    if unknown:
        raise ValueError(f"push_dataset_to_hub: config(s) {unknown} are not lintseq configs {CONFIG_NAMES}")
    api = HfApi(token=token)
    with tempfile.TemporaryDirectory(prefix="lintseq-push-") as scratch:
        root = save_dataset_folder(
            configs, folder or scratch, license=license, pretty_name=pretty_name, max_shard_bytes=max_shard_bytes
        )
        upload = {
            "repo_id": repo_id,
            "folder_path": str(root),
            "repo_type": "dataset",
            "revision": revision,
            "commit_message": commit_message or f"lintseq-hf: configs {', '.join(configs)}",
            "delete_patterns": [f"{DATA_DIR}/{name}/*" for name in configs],
        }
        try:
            return api.upload_folder(**upload)
        except RepositoryNotFoundError:
            api.create_repo(repo_id, repo_type="dataset", private=private, exist_ok=True)
            return api.upload_folder(**upload)


def source_license(source: str | None) -> str | None:
    """The ``license`` of a source dataset's card (a Hub id or a local folder), if it states one."""
    if not source:
        return None
    from huggingface_hub import DatasetCard
    from huggingface_hub.errors import EntryNotFoundError

    folder = Path(source)
    try:
        if folder.is_dir():
            readme = folder / "README.md"
            if not readme.is_file():
                return None
            card = DatasetCard.load(readme, ignore_metadata_errors=True)
        else:
            card = DatasetCard.load(source, ignore_metadata_errors=True)
    except (OSError, EntryNotFoundError, ValueError) as err:
        logger.info("lintseq: no licence read from the card of %s (%s)", source, err)
        return None
    value = card.data.to_dict().get("license")
    if isinstance(value, list):
        value = ",".join(str(v) for v in value)
    return str(value) if value else None
