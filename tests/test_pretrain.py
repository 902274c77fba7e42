"""From-scratch pretraining (training/pretrain.py), its corpus filter (dataset/decontaminate.py) and recipes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lintseq_hf.core.edits import DIFF_TOKEN
from lintseq_hf.dataset.decontaminate import Decontaminator, code_tokens, humaneval_references, jaccard
from lintseq_hf.training.pretrain import PretrainConfig, decontaminated_source, train_tokenizer
from tiny_models import write_lintseq_rows

ROOT = Path(__file__).resolve().parent.parent
PRETRAIN = ROOT / "recipes" / "pretrain"
HAILSTONE = '''def hailstone(n: int) -> list[int]:
    """The hailstone sequence from n down to 1."""
    sequence = [n]
    while n > 1:
        n = 3 * n + 1 if n % 2 != 0 else int(n / 2)
        sequence.append(n)
    return sequence
'''
UNRELATED = '''def parse_header(line):
    key, _, value = line.partition(":")
    return key.strip().lower(), value.strip()
'''


@pytest.fixture(scope="module")
def guard() -> Decontaminator:
    return Decontaminator(humaneval_references())


def test_near_duplicates_of_humaneval_are_caught_by_token_jaccard_and_names(guard):
    references = {reference.task_id: reference for reference in guard.references}
    assert jaccard(code_tokens(HAILSTONE), references["HumanEval/123"].tokens) >= 0.7
    assert guard.reason("hailstone", HAILSTONE) == "jaccard:HumanEval/123"
    assert guard.reason("parse_header", UNRELATED) is None
    assert guard.reason("below_zero", UNRELATED) == "name"  # a HumanEval entry point's name


def test_flagged_functions_are_cut_out_of_a_file_and_the_rest_is_kept(guard):
    text = "import os\n\n" + HAILSTONE + "\n" + UNRELATED
    kept, removed = decontaminated_source(text, guard)
    assert removed == ["hailstone: jaccard:HumanEval/123"]
    assert "hailstone" not in kept and "def parse_header(line):" in kept and kept.startswith("import os")
    assert decontaminated_source("def broken(:\n", guard) == ("def broken(:\n", [])


def test_the_tokenizer_has_diff_from_the_start_as_an_ordinary_token():
    tokenizer = train_tokenizer(["def f(x):\n    return x + 1\n"] * 20, vocab_size=300)
    [diff_id] = tokenizer(DIFF_TOKEN, add_special_tokens=False)["input_ids"]
    assert DIFF_TOKEN not in tokenizer.all_special_tokens and tokenizer.eos_token in tokenizer.all_special_tokens
    text = f"write f\n{DIFF_TOKEN}\n@@ -0,0 +1,2 @@\n+def f(x):\n+    return x"
    ids = tokenizer(text, add_special_tokens=False)["input_ids"] + [tokenizer.eos_token_id]
    assert diff_id in ids
    assert tokenizer.decode(ids, skip_special_tokens=True) == text  # byte-level: exact round trip


def test_recipes_load_with_their_sizes_and_unknown_keys_are_refused(tmp_path):
    sizes = {name: PretrainConfig.from_recipe(PRETRAIN / f"{name}.yaml").parameters()
             for name in ("tiny", "30m-h100", "tinycodelm-150m", "tinycodelm-400m")}
    assert sizes["tiny"] < 1e6 and 25e6 < sizes["30m-h100"] < 40e6
    assert 120e6 < sizes["tinycodelm-150m"] < 170e6 and 350e6 < sizes["tinycodelm-400m"] < 450e6
    bad = tmp_path / "bad.yaml"
    bad.write_text("hidden_size: 8\nlayers: 2\n")
    with pytest.raises(ValueError, match="unknown pretraining keys \\['layers'\\]"):
        PretrainConfig.from_recipe(bad)


@pytest.mark.slow
def test_tiny_recipe_pretrains_from_scratch_and_the_arm_recipes_fine_tune_from_it(tmp_path, capsys):
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from lintseq_hf.cli import main as lintseq

    out = tmp_path / "scratch"
    assert lintseq(["pretrain", "--config", str(PRETRAIN / "tiny.yaml"), "--output_dir", str(out),
                    "--max_steps", "6"]) == 0
    info = json.loads(capsys.readouterr().out.strip().splitlines()[-1])  # after the trainer's log lines
    assert info["steps"] == 6 and info["finite"] and info["licences"] == {"MIT": info["documents"]}
    assert info["removed_functions"] >= 1
    manifest = [json.loads(line) for line in (out / "corpus_manifest.jsonl").read_text().splitlines()]
    assert any("hailstone: jaccard:HumanEval/123" in row["removed"] for row in manifest)
    tokenizer = AutoTokenizer.from_pretrained(out)
    model = AutoModelForCausalLM.from_pretrained(out)
    assert model.get_input_embeddings().num_embeddings == len(tokenizer)
    assert DIFF_TOKEN in tokenizer.get_vocab() and DIFF_TOKEN not in tokenizer.all_special_tokens

    for recipe, arm in (("scratch-30m", "lintseq"), ("scratch-30m-instruct", "instruct"),
                        ("scratch-30m-randseq", "lintseq")):
        rows = write_lintseq_rows(tmp_path / f"{recipe}.jsonl", 4, arm=arm)
        tuned = tmp_path / f"{recipe}-out"
        assert lintseq(["train", "--config", str(ROOT / "recipes" / f"{recipe}.yaml"), "--model_name_or_path", str(out),
                        "--dataset_name", str(rows), "--output_dir", str(tuned), "--max_steps", "1",
                        "--total_batch_size", "4", "--per_device_train_batch_size", "4", "--max_length", "256",
                        "--dtype", "float32", "--bf16", "false", "--attn_implementation", "eager"]) == 0
        assert (tuned / "model.safetensors").is_file()
        assert len(AutoTokenizer.from_pretrained(tuned)) == len(tokenizer)  # <|diff|> was there already
