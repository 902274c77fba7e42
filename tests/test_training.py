"""LintSeqSFTTrainer, the diff-aware collator, recipes and the Hub push (CPU, tiny real models, HumanEval rows)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")

torch = pytest.importorskip("torch")
pytest.importorskip("trl")

from datasets import Dataset  # noqa: E402
from transformers import AutoModelForCausalLM, AutoTokenizer  # noqa: E402

from lintseq_hf import (  # noqa: E402
    DIFF_TOKEN,
    apply_edits,
    decode_completion,
    format_completion,
    format_instruct_prompt,
    format_prompt,
    format_training_text,
    sample_edits,
)
from lintseq_hf.io.humaneval import humaneval_pairs  # noqa: E402
from lintseq_hf.core.edits import parse_edit  # noqa: E402
from lintseq_hf.training.trainer import (  # noqa: E402
    IGNORE_INDEX,
    LintSeqSFTConfig,
    LintSeqSFTTrainer,
    TrainingConfigError,
    ensure_diff_token,
    truncate_at_edit_boundary,
)
from tiny_models import build_tiny_model, build_tiny_tokenizer  # noqa: E402

RECIPES = Path(__file__).resolve().parent.parent / "recipes"


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory) -> str:
    return build_tiny_model(tmp_path_factory.mktemp("tiny") / "model")


@pytest.fixture(scope="module")
def pairs() -> list[dict]:
    """Eight HumanEval instruction/program pairs with one LintSeq edit sequence each (real pylint)."""
    out = []
    for pair in humaneval_pairs()[:8]:
        edits = sample_edits(pair["response"], seed=0)
        out.append({"instruction": pair["instruction"], "program": pair["response"], "edits": edits})
    return out


def lintseq_rows(pairs: list[dict]) -> Dataset:
    return Dataset.from_list(
        [{"prompt": format_prompt(p["instruction"]), "completion": format_completion(p["edits"])} for p in pairs]
    )


def instruct_rows(pairs: list[dict]) -> Dataset:
    return Dataset.from_list(
        [{"prompt": format_instruct_prompt(p["instruction"]), "completion": p["program"].strip()} for p in pairs]
    )


def make_config(tmp_path: Path, **overrides) -> LintSeqSFTConfig:
    options = dict(
        output_dir=str(tmp_path / "out"),
        per_device_train_batch_size=4,
        max_steps=1,
        learning_rate=1e-3,
        logging_steps=1,
        report_to=[],
        bf16=False,
        gradient_checkpointing=False,
        save_strategy="no",
        max_length=2048,
        seed=0,
        data_seed=0,
        dataloader_num_workers=0,
    )
    options.update(overrides)
    return LintSeqSFTConfig(**options)


# -- tokenizer ---------------------------------------------------------------------------------------------------


def test_diff_token_added_as_ordinary_token_and_embeddings_resized(tmp_path):
    tokenizer = build_tiny_tokenizer(with_diff_token=False)
    from transformers import LlamaConfig, LlamaForCausalLM

    model = LlamaForCausalLM(LlamaConfig(vocab_size=len(tokenizer), hidden_size=16, intermediate_size=32,
                                         num_hidden_layers=1, num_attention_heads=2, num_key_value_heads=1))
    assert DIFF_TOKEN not in tokenizer.get_vocab()
    token_id = ensure_diff_token(tokenizer, model)
    assert tokenizer.convert_tokens_to_ids(DIFF_TOKEN) == token_id
    assert DIFF_TOKEN not in tokenizer.all_special_tokens
    assert model.get_input_embeddings().num_embeddings == len(tokenizer)
    text = format_training_text("Do it.", ["@@ -0,0 +1 @@\n+x = 1"])
    ids = tokenizer(text)["input_ids"]
    assert ids.count(token_id) == 3
    assert tokenizer.decode(ids, skip_special_tokens=True) == text
    assert ensure_diff_token(tokenizer, model) == token_id  # idempotent


# -- collator: masking, edit ids, truncation ------------------------------------------------------------------------


def test_prompt_is_masked_and_completion_ends_with_eos(tmp_path, tiny_model, pairs):
    trainer = LintSeqSFTTrainer(tiny_model, args=make_config(tmp_path), train_dataset=lintseq_rows(pairs))
    tokenizer = trainer.processing_class
    for pair, row in zip(pairs, trainer.train_dataset, strict=True):
        ids, labels = row["input_ids"], row["labels"]
        prompt_len = len(tokenizer(format_prompt(pair["instruction"]))["input_ids"])
        assert all(label == IGNORE_INDEX for label in labels[:prompt_len])
        assert labels[prompt_len:] == ids[prompt_len:]
        assert ids[prompt_len - 1] == trainer.diff_token_id
        assert tokenizer.decode(ids) == format_training_text(pair["instruction"], pair["edits"], tokenizer.eos_token)


def test_collator_gives_each_token_its_edit_index(tmp_path, tiny_model, pairs):
    trainer = LintSeqSFTTrainer(tiny_model, args=make_config(tmp_path), train_dataset=lintseq_rows(pairs))
    tokenizer = trainer.processing_class
    batch = trainer.data_collator([trainer.train_dataset[i] for i in range(4)])
    for row, pair in enumerate(pairs[:4]):
        ids, index = batch["input_ids"][row], batch["edit_index"][row]
        edits = pair["edits"]
        for k, edit in enumerate(edits):  # an edit's tokens: its text, the newline and the separator closing it
            assert tokenizer.decode(ids[index == k]) == edit + "\n" + DIFF_TOKEN
        assert tokenizer.decode(ids[index == len(edits)]) == "\n" + DIFF_TOKEN + tokenizer.eos_token  # the stop
        assert int(index.max()) == len(edits)
        assert bool((index[batch["labels"][row] == IGNORE_INDEX] == -1).all())  # prompt and padding


@pytest.mark.parametrize("max_length", [96, 160, 256, 400])
def test_overlong_rows_are_cut_after_their_last_complete_edit(tmp_path, tiny_model, pairs, max_length):
    full = LintSeqSFTTrainer(tiny_model, args=make_config(tmp_path), train_dataset=lintseq_rows(pairs))
    cut = LintSeqSFTTrainer(tiny_model, args=make_config(tmp_path, max_length=max_length),
                            train_dataset=lintseq_rows(pairs))
    tokenizer = cut.processing_class
    kept = {tuple(row["input_ids"][:40]): row for row in cut.train_dataset}
    n_cut = n_dropped = 0
    for pair, row in zip(pairs, full.train_dataset, strict=True):
        prompt = format_prompt(pair["instruction"])
        if len(row["input_ids"]) <= max_length:
            assert kept[tuple(row["input_ids"][:40])]["input_ids"] == row["input_ids"]
            continue
        short = kept.get(tuple(row["input_ids"][:40]))
        if short is None:  # dropped: not even the first edit fits
            n_dropped += 1
            first = tokenizer(prompt + pair["edits"][0] + "\n" + DIFF_TOKEN)["input_ids"]
            assert len(first) > max_length
            continue
        n_cut += 1
        ids = short["input_ids"]
        assert len(ids) <= max_length and ids[-1] == cut.diff_token_id
        text = tokenizer.decode(ids)
        completion = text[len(prompt):]
        j = completion.count(DIFF_TOKEN)
        assert text == prompt + "".join(e + "\n" + DIFF_TOKEN for e in pair["edits"][:j])  # whole edits only
        assert decode_completion(completion) == apply_edits(pair["edits"][:j])
        for edit in pair["edits"][:j]:
            parse_edit(edit)  # never part of a hunk
        longer = tokenizer(prompt + "".join(e + "\n" + DIFF_TOKEN for e in pair["edits"][: j + 1]))["input_ids"]
        assert len(longer) > max_length  # the next edit would not have fitted
    assert cut.overlong_counts["cut"] == n_cut and cut.overlong_counts["dropped"] == n_dropped
    assert n_cut + n_dropped > 0


def test_truncate_at_edit_boundary_never_keeps_a_partial_edit():
    diff = 9
    ids = [1, 2, diff, 5, 5, 5, diff, 6, 6, diff, diff, 0]
    labels = [IGNORE_INDEX] * 3 + ids[3:]
    assert truncate_at_edit_boundary(ids, labels, diff, 20) == (ids, labels)
    assert truncate_at_edit_boundary(ids, labels, diff, 9) == (ids[:7], labels[:7])
    assert truncate_at_edit_boundary(ids, labels, diff, 10) == (ids[:10], labels[:10])
    assert truncate_at_edit_boundary(ids, labels, diff, 6) is None  # only the prompt's separator fits


def test_overlong_drop_policy_drops_and_counts(tmp_path, tiny_model, pairs):
    trainer = LintSeqSFTTrainer(tiny_model, args=make_config(tmp_path, max_length=256, overlong="drop"),
                                train_dataset=lintseq_rows(pairs))
    assert all(len(row["input_ids"]) <= 256 for row in trainer.train_dataset)
    assert trainer.overlong_counts["cut"] == 0
    assert trainer.overlong_counts["dropped"] == len(pairs) - len(trainer.train_dataset) > 0


def test_instruct_mode_runs_the_same_path_without_edit_ids(tmp_path, tiny_model, pairs):
    trainer = LintSeqSFTTrainer(tiny_model, args=make_config(tmp_path, mode="instruct", max_length=256),
                                train_dataset=instruct_rows(pairs))
    tokenizer = trainer.processing_class
    assert trainer.diff_token_id is None
    batch = trainer.data_collator([trainer.train_dataset[i] for i in range(2)])
    assert "edit_index" not in batch
    assert len(trainer.train_dataset) + trainer.overlong_counts["dropped"] == len(pairs)
    assert trainer.overlong_counts["cut"] > 0
    rows = {tuple(row["input_ids"][:40]): row for row in trainer.train_dataset}
    for pair in pairs:
        ids = tokenizer(format_instruct_prompt(pair["instruction"]))["input_ids"]
        row = rows.get(tuple(ids[:40]))
        if row is None:
            continue
        assert len(row["input_ids"]) <= 256
        full = format_instruct_prompt(pair["instruction"]) + pair["program"].strip() + tokenizer.eos_token
        assert full.startswith(tokenizer.decode(row["input_ids"]))
    trainer.train()
    assert trainer.state.log_history[0]["loss"] > 0


def test_rows_of_the_other_arm_are_refused(tmp_path, tiny_model, pairs):
    with pytest.raises(TrainingConfigError, match="mode='instruct'"):
        LintSeqSFTTrainer(tiny_model, args=make_config(tmp_path), train_dataset=instruct_rows(pairs))
    with pytest.raises(TrainingConfigError, match="use 'lintseq'"):
        LintSeqSFTTrainer(tiny_model, args=make_config(tmp_path, mode="instruct"), train_dataset=lintseq_rows(pairs))


def test_config_rejects_unknown_options(tmp_path):
    with pytest.raises(TrainingConfigError, match="overlong"):
        make_config(tmp_path, overlong="wrap")
    with pytest.raises(TrainingConfigError, match="padding_free"):
        make_config(tmp_path, padding_free=True)


# -- loss --------------------------------------------------------------------------------------------------------


def test_tiny_model_loss_falls_and_edit_losses_are_logged(tmp_path, tiny_model, pairs):
    args = make_config(tmp_path, max_steps=10, learning_rate=1e-2, loss_reduction="mean", max_length=256,
                       lr_scheduler_type="constant", overlong="cut")
    trainer = LintSeqSFTTrainer(tiny_model, args=args, train_dataset=lintseq_rows(pairs))
    trainer.train()
    logs = [entry for entry in trainer.state.log_history if "loss" in entry]
    first = sum(e["loss"] for e in logs[:3]) / 3
    last = sum(e["loss"] for e in logs[-3:]) / 3
    assert last < first - 0.5
    assert {"loss_first_edit", "loss_later_edits", "rows_cut", "rows_dropped"} <= set(logs[0])
    assert logs[-1]["loss_later_edits"] < logs[0]["loss_later_edits"]


def _one_sgd_step(model_path: str, tmp_path: Path, rows: Dataset, **overrides) -> dict[str, torch.Tensor]:
    args = make_config(tmp_path, optim="sgd", learning_rate=1.0, max_grad_norm=0.0, weight_decay=0.0,
                       lr_scheduler_type="constant", max_steps=1, **overrides)
    model = AutoModelForCausalLM.from_pretrained(model_path, dtype=torch.float64)
    trainer = LintSeqSFTTrainer(model, args=args, train_dataset=rows,
                                processing_class=AutoTokenizer.from_pretrained(model_path))
    before = {name: p.detach().clone() for name, p in model.named_parameters()}
    trainer.train()
    return {name: p.detach() - before[name] for name, p in trainer.model.named_parameters()}


@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_update_does_not_depend_on_gradient_accumulation(tmp_path, tiny_model, pairs, reduction):
    rows = lintseq_rows(pairs[:4])
    whole = _one_sgd_step(tiny_model, tmp_path, rows, per_device_train_batch_size=4, loss_reduction=reduction)
    split = _one_sgd_step(tiny_model, tmp_path, rows, per_device_train_batch_size=2,
                          gradient_accumulation_steps=2, loss_reduction=reduction)
    for name, delta in whole.items():  # equal up to float32 rounding in the fused LM head
        scale = float(delta.abs().max())
        assert float((delta - split[name]).abs().max()) <= 1e-5 * scale + 1e-12, name
    assert any(delta.abs().sum() > 0 for delta in whole.values())


@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_loss_value_matches_its_definition(tmp_path, tiny_model, pairs, reduction):
    model = AutoModelForCausalLM.from_pretrained(tiny_model, dtype=torch.float64)
    trainer = LintSeqSFTTrainer(model, args=make_config(tmp_path, loss_reduction=reduction),
                                train_dataset=lintseq_rows(pairs[:3]),
                                processing_class=AutoTokenizer.from_pretrained(tiny_model))
    batch = trainer.data_collator([trainer.train_dataset[i] for i in range(3)])
    with torch.no_grad():
        logits = model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]).logits
        token_nll = torch.nn.functional.cross_entropy(
            logits[:, :-1].reshape(-1, logits.size(-1)), batch["labels"][:, 1:].reshape(-1),
            ignore_index=IGNORE_INDEX, reduction="sum")
        expected = token_nll / (3 if reduction == "sum" else int((batch["labels"][:, 1:] != IGNORE_INDEX).sum()))
        got = trainer.compute_loss(model, dict(batch), num_items_in_batch=trainer._get_num_items_in_batch(
            [batch], torch.device("cpu")))
    assert torch.allclose(got.double(), expected, rtol=1e-6)


# -- recipes --------------------------------------------------------------------------------------------------------

PAPER = {  # recipe file → learning rate (paper, Appendix C)
    "tinycodelm-150m": 3e-4, "tinycodelm-400m": 3e-4, "gemma-2-2b": 5e-5, "phi-3-mini": 5e-5,
    "llama-3.1-8b": 1e-5, "phi-3-medium-14b": 1e-5,
}


@pytest.mark.parametrize("name", sorted(PAPER))
@pytest.mark.parametrize("arm", ["", "-instruct"])
def test_paper_recipes_carry_the_paper_hyperparameters(tmp_path, name, arm):
    from lintseq_hf.training.run import build_config, load_recipe

    recipe = load_recipe(RECIPES / f"{name}{arm}.yaml", [f"training.output_dir={tmp_path}", "training.bf16=false"])
    training = recipe["training"]
    assert training["learning_rate"] == PAPER[name]
    assert training["total_batch_size"] == 512 and training["max_length"] == 1024
    assert training["lr_scheduler_type"] == "linear" and training["warmup_steps"] == 0.001
    assert training["weight_decay"] == 0.01 and training["loss_reduction"] == "sum"
    assert training["num_train_epochs"] == (10 if arm else 2)
    assert training["mode"] == ("instruct" if arm else "lintseq")
    config = build_config(training)
    assert config.gradient_accumulation_steps * config.per_device_train_batch_size == 512


def test_lora_recipes_name_trainable_embeddings():
    from lintseq_hf.training.run import load_recipe

    lora_files = sorted(RECIPES.glob("*-lora.yaml"))
    assert lora_files
    for path in lora_files:
        recipe = load_recipe(path)
        assert recipe["lora"]["r"] > 0 and recipe["lora"]["target_modules"]


def test_recipe_errors_name_the_file_and_key(tmp_path):
    from lintseq_hf.training.run import RecipeError, load_recipe

    bad = tmp_path / "bad.yaml"
    bad.write_text("model: {name_or_path: x}\ndata: {}\ntraining: {}\noptimizer: {}\n")
    with pytest.raises(RecipeError, match="bad.yaml.*optimizer"):
        load_recipe(bad)
    with pytest.raises(RecipeError, match="section.key=value"):
        load_recipe(RECIPES / "smollm2-135m-cpu.yaml", ["max_steps=2"])


# -- entry point + Hub push ----------------------------------------------------------------------------------------


def test_entry_point_trains_saves_pushes_and_the_model_generates_decodable_edits(tmp_path, tiny_model, pairs,
                                                                                   hub_calls):
    from lintseq_hf.training.run import main

    data = tmp_path / "rows.jsonl"
    with data.open("w") as handle:
        for row in lintseq_rows(pairs):
            handle.write(json.dumps(row) + "\n")
    recipe = tmp_path / "tiny.yaml"
    recipe.write_text(
        f"model: {{name_or_path: {tiny_model}}}\n"
        f"data: {{train_files: {data}}}\n"
        f"training: {{output_dir: {tmp_path / 'run'}, max_steps: 3, per_device_train_batch_size: 4, "
        "learning_rate: 1.0e-3, bf16: false, gradient_checkpointing: false, report_to: [], save_strategy: 'no', "
        "max_length: 256}\n"
        "hub: {push: true, repo_id: someone/tiny-lintseq}\n"
    )
    assert main([str(recipe), "--set", "training.max_steps=2"]) == 0
    assert [name for name, _ in hub_calls].count("upload_folder") == 1
    assert "train_loss" in (tmp_path / "run" / "README.md").read_text()
    model = AutoModelForCausalLM.from_pretrained(tmp_path / "run")
    tokenizer = AutoTokenizer.from_pretrained(tmp_path / "run")
    inputs = tokenizer(format_prompt(pairs[0]["instruction"]), return_tensors="pt")
    out = model.generate(**inputs, max_new_tokens=24, do_sample=False)
    completion = tokenizer.decode(out[0, inputs["input_ids"].shape[1]:], skip_special_tokens=True)
    assert isinstance(decode_completion(completion), str)


def test_recipe_reads_rows_from_the_lintseq_builder(tmp_path, tiny_model):
    from lintseq_hf.training.run import load_recipe, run

    pairs_file = tmp_path / "pairs.jsonl"
    pairs_file.write_text("".join(json.dumps({"instruction": p["instruction"], "response": p["response"]}) + "\n"
                                  for p in humaneval_pairs()[:4]))
    recipe = load_recipe(RECIPES / "smollm2-135m-cpu.yaml", [
        f"model.name_or_path={tiny_model}", "model.python_package=null", "model.gguf_file=null",
        "data.train_files=null",
        "data.builder={name: lintseq, data_files: {train: %s}, num_samples: 2, cache_dir: %s}"
        % (pairs_file, tmp_path / "cache"),
        f"training.output_dir={tmp_path / 'out'}", "training.max_steps=1", "training.total_batch_size=4",
        "training.per_device_train_batch_size=4", "training.max_length=256",
    ])
    out = Path(run(recipe))
    assert (out / "model.safetensors").is_file()


def test_lora_recipe_trains_an_adapter_with_the_new_token_row(tmp_path, tiny_model, pairs):
    from peft import PeftModel

    from lintseq_hf.training.run import load_recipe, run

    data = tmp_path / "rows.jsonl"
    data.write_text("".join(json.dumps(row) + "\n" for row in lintseq_rows(pairs)))
    recipe = load_recipe(RECIPES / "llama-3.1-8b-lora.yaml", [
        f"model.name_or_path={tiny_model}", "model.dtype=float32", "model.attn_implementation=sdpa",
        f"data.train_files={data}", f"training.output_dir={tmp_path / 'lora'}", "training.max_steps=2",
        "training.total_batch_size=4", "training.per_device_train_batch_size=4", "training.bf16=false",
        "training.gradient_checkpointing=false", "training.max_length=256", "training.save_strategy='no'",
        "lora.r=4", "lora.lora_alpha=8",
    ])
    out = Path(run(recipe))
    assert (out / "adapter_config.json").is_file()
    base = AutoModelForCausalLM.from_pretrained(tiny_model)
    tuned = PeftModel.from_pretrained(base, out)
    names = [name for name, _ in tuned.named_parameters()]
    assert any("lora_A" in name for name in names)
    assert any("modules_to_save" in name and "embed_tokens" in name for name in names)


@pytest.fixture
def hub_calls(monkeypatch):
    """Patch the Hub boundary (HfApi.create_repo / upload_folder); anything else fails offline."""
    from huggingface_hub import HfApi

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    calls: list[tuple[str, dict]] = []

    def create_repo(self, repo_id, **kwargs):
        calls.append(("create_repo", {"repo_id": repo_id, **kwargs}))
        return f"https://huggingface.co/{repo_id}"

    def upload_folder(self, **kwargs):
        folder = Path(kwargs["folder_path"])
        from huggingface_hub.utils import filter_repo_objects

        files = sorted(filter_repo_objects(
            [str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()],
            allow_patterns=kwargs.get("allow_patterns"), ignore_patterns=kwargs.get("ignore_patterns")))
        calls.append(("upload_folder", {**kwargs, "files": files}))
        return "https://huggingface.co/commit/0"

    monkeypatch.setattr(HfApi, "create_repo", create_repo)
    monkeypatch.setattr(HfApi, "upload_folder", upload_folder)
    return calls


def test_push_uploads_model_tokenizer_and_card_in_one_call(tmp_path, tiny_model, hub_calls):
    import shutil

    from lintseq_hf.training.card import push_trained_model
    from lintseq_hf.training.run import load_recipe

    folder = tmp_path / "trained"
    shutil.copytree(tiny_model, folder)
    (folder / "checkpoint-1").mkdir()
    (folder / "checkpoint-1" / "model.safetensors").write_bytes(b"scratch")
    recipe = load_recipe(RECIPES / "smollm2-135m-cpu.yaml")
    push_trained_model(folder, repo_id="someone/smollm2-lintseq", recipe=recipe, metrics={"train_loss": 1.5})
    uploads = [kwargs for name, kwargs in hub_calls if name == "upload_folder"]
    assert len(uploads) == 1
    files = uploads[0]["files"]
    assert {"model.safetensors", "config.json", "tokenizer.json", "tokenizer_config.json", "README.md",
            "lintseq_recipe.yaml"} <= set(files)
    assert not any(name.startswith("checkpoint-") for name in files)
    card = (folder / "README.md").read_text()
    assert card.startswith("---\n") and "lintseq" in card and "format_prompt" in card and DIFF_TOKEN in card
    assert "train_loss" in card


def test_push_refuses_a_folder_without_tokenizer(tmp_path, tiny_model, hub_calls):
    import shutil

    from lintseq_hf.training.card import HubPushError, push_trained_model

    folder = tmp_path / "weights-only"
    shutil.copytree(tiny_model, folder)
    (folder / "tokenizer_config.json").unlink()
    with pytest.raises(HubPushError, match="tokenizer"):
        push_trained_model(folder, repo_id="someone/x", recipe={"model": {}, "training": {}, "data": {}})
    assert hub_calls == []
