"""LintSeqSFTTrainer and the diff-aware collator: masking, edit-boundary cut, loss, padding-free and packed batches.

CPU, tiny real models (tests/tiny_models.py), HumanEval rows with real pylint. The entry point, recipes and
data sources are in test_training_run.py, the card and the Hub push in test_training_card.py.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")

torch = pytest.importorskip("torch")
pytest.importorskip("trl")

from datasets import Dataset  # noqa: E402
from tiny_models import build_tiny_model, build_tiny_tokenizer  # noqa: E402
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
from lintseq_hf.core.edits import parse_edit  # noqa: E402
from lintseq_hf.io.humaneval import humaneval_pairs  # noqa: E402
from lintseq_hf.training.trainer import (  # noqa: E402
    IGNORE_INDEX,
    LintSeqSFTConfig,
    LintSeqSFTTrainer,
    TrainingConfigError,
    ensure_diff_token,
    truncate_at_edit_boundary,
)

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
        activation_checkpointing=False,
        save_strategy="no",
        max_length=2048,
        seed=0,
        data_seed=0,
        dataloader_num_workers=0,
    )
    options.update(overrides)
    return LintSeqSFTConfig(**options)


# -- tokenizer ---------------------------------------------------------------------------------------------------


def one_layer_llama(tokenizer, *, tied: bool = True):
    """A random 1-layer Llama sized to ``tokenizer`` (before ``<|diff|>`` is added)."""
    from transformers import LlamaConfig, LlamaForCausalLM

    return LlamaForCausalLM(LlamaConfig(vocab_size=len(tokenizer), hidden_size=16, intermediate_size=32,
                                        num_hidden_layers=1, num_attention_heads=2, num_key_value_heads=1,
                                        tie_word_embeddings=tied))


def test_diff_token_added_as_ordinary_token_and_embeddings_resized(tmp_path):
    tokenizer = build_tiny_tokenizer(with_diff_token=False)
    model = one_layer_llama(tokenizer)
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


@pytest.mark.parametrize("tied", [True, False])
def test_subwords_init_starts_the_diff_row_at_the_mean_of_its_pieces(tied):
    tokenizer = build_tiny_tokenizer(with_diff_token=False)
    pieces = tokenizer(DIFF_TOKEN, add_special_tokens=False)["input_ids"]
    assert len(pieces) > 1
    torch.manual_seed(0)
    model = one_layer_llama(tokenizer, tied=tied)
    before_in = model.get_input_embeddings().weight.detach().clone()
    before_out = model.get_output_embeddings().weight.detach().clone()
    token_id = ensure_diff_token(tokenizer, model, init="subwords")
    rows_in, rows_out = model.get_input_embeddings().weight, model.get_output_embeddings().weight
    assert torch.allclose(rows_in[token_id], before_in[pieces].mean(dim=0))
    assert torch.allclose(rows_out[token_id], before_out[pieces].mean(dim=0))
    assert torch.equal(rows_in[:token_id], before_in)  # the other rows are untouched
    # "mean" (the default, transformers' resize) leaves the row at the average of all rows instead
    tokenizer = build_tiny_tokenizer(with_diff_token=False)
    model = one_layer_llama(tokenizer, tied=tied)
    token_id = ensure_diff_token(tokenizer, model)
    weight = model.get_input_embeddings().weight
    assert torch.allclose(weight[token_id], weight[:token_id].mean(dim=0), atol=1e-3)
    # an existing token is left as it is
    kept = weight[token_id].detach().clone()
    assert ensure_diff_token(tokenizer, model, init="subwords") == token_id
    assert torch.equal(model.get_input_embeddings().weight[token_id], kept)


def test_unknown_diff_token_init_is_refused(tmp_path):
    with pytest.raises(TrainingConfigError, match="diff_token_init"):
        make_config(tmp_path, diff_token_init="zeros")
    with pytest.raises(TrainingConfigError, match="init must be one of"):
        ensure_diff_token(build_tiny_tokenizer(with_diff_token=False), init="zeros")


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


def test_config_rejects_unknown_options_and_row_splitting_packing(tmp_path):
    with pytest.raises(TrainingConfigError, match="overlong"):
        make_config(tmp_path, overlong="wrap")
    with pytest.raises(TrainingConfigError, match="wrapped.*mid-edit"):
        make_config(tmp_path, packing=True, packing_strategy="wrapped")


def test_chat_rows_are_refused_with_the_reason(tmp_path, tiny_model, pairs):
    chat = Dataset.from_list([{"prompt": [{"role": "user", "content": p["instruction"]}],
                               "completion": [{"role": "assistant", "content": format_completion(p["edits"])}]}
                              for p in pairs[:2]])
    with pytest.raises(TrainingConfigError, match="chat messages.*raw text rows"):
        LintSeqSFTTrainer(tiny_model, args=make_config(tmp_path), train_dataset=chat)


def test_a_chat_template_is_not_saved_with_a_model_trained_on_raw_prompts(tmp_path, tiny_model, pairs):
    tokenizer = AutoTokenizer.from_pretrained(tiny_model)
    tokenizer.chat_template = "{% for m in messages %}<|user|>{{ m['content'] }}{% endfor %}"
    trainer = LintSeqSFTTrainer(AutoModelForCausalLM.from_pretrained(tiny_model), args=make_config(tmp_path),
                                train_dataset=lintseq_rows(pairs[:2]), processing_class=tokenizer)
    trainer.save_model(str(tmp_path / "saved"))
    assert AutoTokenizer.from_pretrained(tmp_path / "saved").chat_template is None
    assert not list((tmp_path / "saved").glob("*.jinja"))


def test_deprecated_checkpointing_name_is_not_needed(tmp_path):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error", FutureWarning)
        config = make_config(tmp_path)
    assert config.activation_checkpointing is False and config.gradient_checkpointing is False


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


# -- padding-free and packed batches ---------------------------------------------------------------------------------


def _token_losses(model, batch) -> torch.Tensor:
    """Per-token NLL of a collated batch, computed from the logits (use_cache=False, as the trainer runs)."""
    inputs = {k: v for k, v in batch.items() if k not in ("labels", "edit_index")}
    logits = model(**inputs, use_cache=False).logits
    return torch.nn.functional.cross_entropy(logits[:, :-1].transpose(1, 2), batch["labels"][:, 1:],
                                             ignore_index=IGNORE_INDEX, reduction="none")


@pytest.mark.parametrize("mode", ["lintseq", "instruct"])
@pytest.mark.parametrize("reduction", ["sum", "mean"])
def test_padding_free_loss_equals_the_padded_loss(tmp_path, tiny_model, pairs, mode, reduction):
    rows = lintseq_rows(pairs[:4]) if mode == "lintseq" else instruct_rows(pairs[:4])
    model = AutoModelForCausalLM.from_pretrained(tiny_model, dtype=torch.float64)
    tokenizer = AutoTokenizer.from_pretrained(tiny_model)
    trainers = {
        free: LintSeqSFTTrainer(model, args=make_config(tmp_path, mode=mode, loss_reduction=reduction,
                                                        max_length=256, padding_free=free),
                                train_dataset=rows, processing_class=tokenizer)
        for free in (False, True)
    }
    assert trainers[True].train_dataset["input_ids"] == trainers[False].train_dataset["input_ids"]  # same cut
    examples = [trainers[False].train_dataset[i] for i in range(4)]
    padded, free = trainers[False].data_collator(examples), trainers[True].data_collator(examples)
    assert free["input_ids"].shape[0] == 1 and "attention_mask" not in free
    assert int(padded["attention_mask"].eq(0).sum()) > 0  # the padded batch does pad
    with torch.no_grad():
        losses = {}
        for key, batch in (("padded", padded), ("free", free)):
            trainer = trainers[key == "free"]
            count = trainer._get_num_items_in_batch([batch], torch.device("cpu"))
            losses[key] = trainer.compute_loss(model, dict(batch), num_items_in_batch=count)
        per_token = _token_losses(model, padded)
    expected = per_token.sum() / (4 if reduction == "sum" else int(padded["labels"][:, 1:].ne(IGNORE_INDEX).sum()))
    assert torch.allclose(losses["free"].double(), losses["padded"].double(), rtol=1e-6)  # fused head: float32
    assert torch.allclose(losses["free"].double(), expected, rtol=1e-6)
    if mode == "lintseq":  # the same tokens get the same edit index, sequence by sequence
        mask = padded["attention_mask"].bool()
        assert torch.equal(free["edit_index"][0], padded["edit_index"][mask])


def test_padding_free_update_equals_the_padded_update(tmp_path, tiny_model, pairs):
    rows = lintseq_rows(pairs[:4])
    padded = _one_sgd_step(tiny_model, tmp_path, rows, per_device_train_batch_size=4, loss_reduction="sum",
                           max_length=256)
    free = _one_sgd_step(tiny_model, tmp_path, rows, per_device_train_batch_size=4, loss_reduction="sum",
                         max_length=256, padding_free=True)
    for name, delta in padded.items():
        scale = float(delta.abs().max())
        assert float((delta - free[name]).abs().max()) <= 1e-5 * scale + 1e-12, name


def test_packing_keeps_every_cut_row_whole_and_the_loss_per_sequence(tmp_path, tiny_model, pairs):
    rows = lintseq_rows(pairs)
    model = AutoModelForCausalLM.from_pretrained(tiny_model, dtype=torch.float64)
    tokenizer = AutoTokenizer.from_pretrained(tiny_model)
    for max_length in (400, 760):  # 400: most rows cut at an edit boundary first; 760: short rows share a pack
        plain = LintSeqSFTTrainer(model, args=make_config(tmp_path, max_length=max_length), train_dataset=rows,
                                  processing_class=tokenizer)
        packed = LintSeqSFTTrainer(model, args=make_config(tmp_path, max_length=max_length, packing=True),
                                   train_dataset=rows, processing_class=tokenizer)
        assert plain.overlong_counts == packed.overlong_counts
        _assert_same_sequences(packed.train_dataset, plain.train_dataset, max_length)
    assert len(packed.train_dataset) < len(plain.train_dataset)
    row = max(packed.train_dataset, key=lambda r: len(r["seq_lengths"]))
    batch = packed.data_collator([row])
    n = len(row["seq_lengths"])
    assert n > 1
    assert packed._get_num_items_in_batch([batch], torch.device("cpu")) == n  # sequences, not packed rows
    with torch.no_grad():
        got = packed.compute_loss(model, dict(batch), num_items_in_batch=torch.tensor(n))
        alone = sum(float(_token_losses(model, plain.data_collator([{"input_ids": ids, "labels": labels}])).sum())
                    for ids, labels in _pieces_of(row))
    assert float(got) == pytest.approx(alone / n, rel=1e-6)


def _assert_same_sequences(packed, plain, max_length: int) -> None:
    """The packed rows hold exactly the (already cut) rows, each whole."""
    pieces = []
    for row in packed:
        assert sum(row["seq_lengths"]) == len(row["input_ids"]) <= max_length
        pieces += [(tuple(ids), tuple(labels)) for ids, labels in _pieces_of(row)]
    assert sorted(pieces) == sorted((tuple(r["input_ids"]), tuple(r["labels"])) for r in plain)


def _pieces_of(row: dict) -> list[tuple[list[int], list[int]]]:
    out, start = [], 0
    for length in row["seq_lengths"]:
        out.append((row["input_ids"][start:start + length], row["labels"][start:start + length]))
        start += length
    return out


def test_edit_index_restarts_in_every_packed_sequence():
    from lintseq_hf.training.trainer import edit_index

    diff = 9
    one = [1, diff, 5, 5, diff, 6, diff, diff, 0]  # prompt 1, edits [5 5] [6], stop
    labels_one = [IGNORE_INDEX, IGNORE_INDEX] + one[2:]
    expected_one = [-1, -1, 0, 0, 0, 1, 1, 2, 2]
    ids = torch.tensor([one + one])
    labels = torch.tensor([labels_one + labels_one])
    positions = torch.tensor([list(range(len(one))) * 2])
    assert edit_index(ids, labels, diff, positions).tolist() == [expected_one * 2]
    assert edit_index(torch.tensor([one]), torch.tensor([labels_one]), diff).tolist() == [expected_one]
