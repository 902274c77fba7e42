"""Model card and Hub push of a trained LintSeq model (weights + tokenizer + card in one upload).

The folder is prepared locally (``README.md`` card, ``lintseq_recipe.yaml``), then sent with a
single :meth:`huggingface_hub.HfApi.upload_folder` call restricted to the files a user needs, so
checkpoints and scratch files in ``output_dir`` never leave the machine.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from lintseq_hf.core.edits import DIFF_TOKEN

CARD_FILE = "README.md"
RECIPE_FILE = "lintseq_recipe.yaml"
UPLOAD_PATTERNS = [
    "*.json",
    "*.safetensors",
    "*.model",  # sentencepiece tokenizers
    "*.txt",  # merges / vocab files
    "*.jinja",
    CARD_FILE,
    RECIPE_FILE,
]
IGNORE_PATTERNS = ["checkpoint-*/**", "base-model/**", "runs/**", "trainer_state.json", "training_args.bin"]


class HubPushError(ValueError):
    """The folder to push is not a complete model + tokenizer."""


def build_model_card(recipe: dict[str, Any], *, repo_id: str, metrics: dict[str, float] | None = None) -> str:
    """Text of the model card: metadata header, data, recipe, edit format and how to prompt."""
    from huggingface_hub import ModelCardData

    model = recipe.get("model", {})
    training = recipe.get("training", {})
    data = recipe.get("data", {})
    mode = training.get("mode", "lintseq")
    base = model.get("name_or_path") or model.get("python_package", "")
    card_data = ModelCardData(
        base_model=base if "/" in str(base) and not str(base).startswith("/") else None,
        library_name="transformers",
        pipeline_tag="text-generation",
        tags=["lintseq", "code", "trl", "sft", "edit-sequences" if mode == "lintseq" else "instruct-baseline"],
        license=recipe.get("hub", {}).get("license"),
    )
    header = card_data.to_yaml()
    hyper = {k: training[k] for k in (
        "learning_rate", "num_train_epochs", "max_steps", "total_batch_size", "per_device_train_batch_size",
        "gradient_accumulation_steps", "max_length", "lr_scheduler_type", "warmup_steps", "weight_decay",
        "bf16", "loss_reduction", "overlong") if k in training}
    data_desc = data.get("description") or (
        f"files {data['train_files']}" if data.get("train_files") else f"lintseq builder {data.get('builder')}"
    )
    lines = [
        "---", header.strip(), "---", "",
        f"# {repo_id.split('/')[-1]}", "",
        f"`{base}` fine-tuned with [lintseq-hf](https://arxiv.org/abs/2410.02749) "
        + ("on **LintSeq edit sequences**: the model writes a program as a sequence of insertion-only diffs."
           if mode == "lintseq" else "on instruction → program pairs (the paper's *Instruct* baseline)."),
        "",
        "## Data", "", f"Training rows: {data_desc}.", "",
        "## Recipe", "", "```yaml", yaml.safe_dump(hyper, sort_keys=True).strip(), "```", "",
        f"The full recipe is in `{RECIPE_FILE}`.", "",
    ]
    if metrics:
        lines += ["## Results", "", *(f"- {k}: {v:.4g}" for k, v in sorted(metrics.items())), ""]
    if mode == "lintseq":
        lines += [
            "## Format", "",
            f"Edits are zero-context unified diffs (`@@ -a,0 +c,d @@` then `+` lines) separated by the ordinary "
            f"added token `{DIFF_TOKEN}`. Training text: `instruction + \"\\n{DIFF_TOKEN}\" + edit_1 + "
            f"\"\\n{DIFF_TOKEN}\" + … + edit_n + \"\\n{DIFF_TOKEN}\\n{DIFF_TOKEN}\" + eos`; the instruction is "
            "masked from the loss. Generation stops at EOS or after the empty edit.", "",
            "## How to prompt", "",
            "```python",
            "from transformers import AutoModelForCausalLM, AutoTokenizer",
            "from lintseq_hf import decode_completion, format_prompt",
            "",
            f'tokenizer = AutoTokenizer.from_pretrained("{repo_id}")',
            f'model = AutoModelForCausalLM.from_pretrained("{repo_id}")',
            'inputs = tokenizer(format_prompt("Write a function that reverses a string."), return_tensors="pt")',
            "out = model.generate(**inputs, max_new_tokens=512)",
            'completion = tokenizer.decode(out[0, inputs["input_ids"].shape[1]:], skip_special_tokens=True)',
            "print(decode_completion(completion))  # the program",
            "```", "",
        ]
    else:
        lines += [
            "## How to prompt", "",
            "Prompt with `instruction + \"\\n\"` (`lintseq_hf.format_instruct_prompt`); the model writes the "
            "program and then EOS.", "",
        ]
    return "\n".join(lines)


def prepare_folder(model_dir: str | Path, recipe: dict[str, Any], *, repo_id: str,
                   metrics: dict[str, float] | None = None) -> Path:
    """Check ``model_dir`` holds weights + tokenizer; write the card and the recipe into it."""
    folder = Path(model_dir)
    if not (folder / "config.json").is_file() and not (folder / "adapter_config.json").is_file():
        raise HubPushError(f"{folder}: no config.json / adapter_config.json (not a saved model)")
    if not any(folder.glob("*.safetensors")):
        raise HubPushError(f"{folder}: no *.safetensors weights")
    if not (folder / "tokenizer_config.json").is_file():
        raise HubPushError(f"{folder}: no tokenizer_config.json (save the tokenizer with the model)")
    (folder / CARD_FILE).write_text(build_model_card(recipe, repo_id=repo_id, metrics=metrics), encoding="utf-8")
    (folder / RECIPE_FILE).write_text(yaml.safe_dump(recipe, sort_keys=False), encoding="utf-8")
    return folder


def push_trained_model(model_dir: str | Path, *, repo_id: str, recipe: dict[str, Any], private: bool = True,
                       metrics: dict[str, float] | None = None, token: str | None = None) -> str:
    """Push model, tokenizer, card and recipe to ``repo_id`` in one ``upload_folder`` call; return its URL."""
    from huggingface_hub import HfApi

    folder = prepare_folder(model_dir, recipe, repo_id=repo_id, metrics=metrics)
    api = HfApi(token=token)
    api.create_repo(repo_id, private=private, exist_ok=True, repo_type="model")
    commit = api.upload_folder(
        repo_id=repo_id,
        folder_path=str(folder),
        repo_type="model",
        allow_patterns=UPLOAD_PATTERNS,
        ignore_patterns=IGNORE_PATTERNS,
        commit_message="Upload LintSeq fine-tuned model, tokenizer and card",
    )
    return str(getattr(commit, "commit_url", commit))
