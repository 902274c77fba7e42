"""generate_programs on a tiny real Llama: prompts, batching, stops, decoding, guided decoding, the CLI.

Where a test needs known output, the real tiny model is steered by :class:`Scripted`, a logits
processor that forces a scripted continuation of each prefix (one list of attempts per prefix,
served in order each time a generation starts from that prefix).
"""

from __future__ import annotations

import json

import pytest

torch = pytest.importorskip("torch")

from tiny_models import build_tiny_model, build_tiny_tokenizer  # noqa: E402
from transformers import (  # noqa: E402
    AutoModelForCausalLM,
    AutoTokenizer,
    LogitsProcessor,
    LogitsProcessorList,
)

from lintseq_hf import (  # noqa: E402
    DIFF_TOKEN,
    decode_completion,
    format_instruct_prompt,
    format_prompt,
    generate_programs,
)
from lintseq_hf.cli import main  # noqa: E402
from lintseq_hf.core.edits import split_completion  # noqa: E402
from lintseq_hf.inference import GeneratedProgram  # noqa: E402

BROKEN_EDIT = "@@ -0,0 +1,2 @@\n+def f(:\n+    return 1\n" + DIFF_TOKEN
CLEAN_EDIT = "@@ -0,0 +1,2 @@\n+def f():\n+    return 1\n" + DIFF_TOKEN
CLOSE = "\n" + DIFF_TOKEN


class Scripted(LogitsProcessor):
    """Force ``script[prefix][k]`` after ``prefix`` the k-th time a generation starts from it, then EOS."""

    def __init__(self, tokenizer, script: dict[str, list[str]]) -> None:
        self.tokenizer = tokenizer
        self.script = script
        self.started = {prefix: 0 for prefix in script}

    def __call__(self, input_ids, scores):
        forced = torch.full_like(scores, float("-inf"))
        for row in range(input_ids.shape[0]):
            text = self.tokenizer.decode(input_ids[row], skip_special_tokens=True)
            prefix = max((p for p in self.script if text.startswith(p)), key=len, default=None)
            assert prefix is not None, f"unscripted prefix {text[:60]!r}"
            if text == prefix:
                self.started[prefix] += 1
            attempts = self.script[prefix]
            target = prefix + attempts[min(self.started[prefix], len(attempts)) - 1]
            rest = target[len(text):] if target.startswith(text) else ""
            eos = self.tokenizer.eos_token_id
            token = self.tokenizer(rest, add_special_tokens=False)["input_ids"][0] if rest else eos
            forced[row, token] = 0.0
        return forced


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    path = build_tiny_model(tmp_path_factory.mktemp("tiny"))
    model = AutoModelForCausalLM.from_pretrained(path)
    model.eval()
    return path, model, AutoTokenizer.from_pretrained(path)


def scripted(tokenizer, script):
    return {"logits_processor": LogitsProcessorList([Scripted(tokenizer, script)])}


def test_one_list_of_results_per_instruction_each_decoded_with_the_default_decoder(tiny):
    _, model, tokenizer = tiny
    instructions = ["Write a function.", "Return the sum of a list of numbers, please.", "Sort it."]
    results = generate_programs(model, tokenizer, instructions, num_return_sequences=2, batch_size=4,
                                max_new_tokens=12)
    assert [len(samples) for samples in results] == [2, 2, 2]
    for samples in results:
        for result in samples:
            assert isinstance(result, GeneratedProgram)
            assert 1 <= result.tokens <= 12
            assert result.program == decode_completion(result.completion)
            assert list(result.edits) == split_completion(result.completion)
            assert result.retries == 0
    assert tokenizer.padding_side == "right"  # left padding was only for generation


def test_generation_stops_at_the_closing_empty_edit_in_a_left_padded_batch(tiny):
    _, model, tokenizer = tiny
    short, long = "Add.", "Write a Python function that returns one, documented and tested."
    second = "@@ -1,0 +2 @@\n+    return 2\n" + DIFF_TOKEN
    script = {format_prompt(short): [CLEAN_EDIT + CLOSE + "@@ -0,0 +1 @@\n+junk"],
              format_prompt(long): ["@@ -0,0 +1 @@\n+def g():\n" + DIFF_TOKEN + second + CLOSE + "junk"]}
    (a,), (b,) = generate_programs(model, tokenizer, [short, long], batch_size=2, max_new_tokens=80,
                                   **scripted(tokenizer, script))
    assert a.completion == CLEAN_EDIT + CLOSE
    assert a.program == "def f():\n    return 1"
    assert b.program == "def g():\n    return 2"
    assert len(b.edits) == 2 and not b.malformed
    assert b.tokens == len(tokenizer(b.completion, add_special_tokens=False)["input_ids"])


def test_instruct_mode_extracts_the_fenced_program_and_stops_at_eos(tiny):
    _, model, tokenizer = tiny
    response = "Here:\n```python\ndef f():\n    return 1\n```"
    (result,), = generate_programs(model, tokenizer, ["Write f."], mode="instruct", max_new_tokens=60,
                                   **scripted(tokenizer, {format_instruct_prompt("Write f."): [response]}))
    assert result.completion == response
    assert result.program == "def f():\n    return 1"
    assert result.edits == () and result.malformed == ()


def test_a_malformed_edit_is_reported_not_raised(tiny):
    _, model, tokenizer = tiny
    text = "@@ -0,0 +x @@\n+x = 1" + CLOSE + CLOSE  # the new-range start is not a number
    (result,), = generate_programs(model, tokenizer, ["Set x."], max_new_tokens=40,
                                   **scripted(tokenizer, {format_prompt("Set x."): [text]}))
    assert result.malformed
    assert result.program == ""


def test_guided_decoding_resamples_the_edit_that_adds_a_lint_error(tiny):
    _, model, tokenizer = tiny
    prompt = format_prompt("Write f.")
    script = {prompt: [BROKEN_EDIT, CLEAN_EDIT], prompt + CLEAN_EDIT: [CLOSE]}
    (plain,), = generate_programs(model, tokenizer, ["Write f."], max_new_tokens=60,
                                  **scripted(tokenizer, {prompt: [BROKEN_EDIT + CLOSE]}))
    assert plain.program == "def f(:\n    return 1"  # what the model writes unguided: a syntax error
    (guided,), = generate_programs(model, tokenizer, ["Write f."], guided=True, max_new_tokens=60,
                                   **scripted(tokenizer, script))
    assert guided.program == "def f():\n    return 1"
    assert guided.completion == CLEAN_EDIT + CLOSE
    assert guided.retries == 1
    pieces = [BROKEN_EDIT, CLEAN_EDIT, CLOSE]
    assert guided.tokens == sum(len(tokenizer(p, add_special_tokens=False)["input_ids"]) for p in pieces)


def test_guided_decoding_keeps_the_least_bad_attempt_when_retries_run_out(tiny):
    _, model, tokenizer = tiny
    prompt = format_prompt("Write f.")
    script = {prompt: [BROKEN_EDIT, BROKEN_EDIT], prompt + BROKEN_EDIT: [CLOSE]}
    (result,), = generate_programs(model, tokenizer, ["Write f."], guided=True, max_retries=1, max_new_tokens=60,
                                   **scripted(tokenizer, script))
    assert result.retries == 1
    assert result.program == "def f(:\n    return 1"


FIRST_EDIT = "@@ -0,0 +1,4 @@\n+def f(x):\n+    if x:\n+        return 1\n+    return 0\n" + DIFF_TOKEN
MISPLACED = "@@ -1,0 +2,2 @@\n+        x += 1\n" + DIFF_TOKEN  # after the def line: bad indentation; says 2 lines
PLACED = "@@ -2,0 +3 @@\n+        x += 1\n" + DIFF_TOKEN  # the nearest clean insertion point, exact header


def test_guided_repair_moves_a_misplaced_edit_to_the_nearest_clean_line_without_a_retry(tiny):
    _, model, tokenizer = tiny
    prompt = format_prompt("Write f.")
    script = {prompt: [FIRST_EDIT], prompt + FIRST_EDIT: [MISPLACED], prompt + FIRST_EDIT + PLACED: [CLOSE]}
    (result,), = generate_programs(model, tokenizer, ["Write f."], guided=True, max_new_tokens=80,
                                   **scripted(tokenizer, script))
    assert result.retries == 0
    assert result.program == "def f(x):\n    if x:\n        x += 1\n        return 1\n    return 0"
    assert result.completion == FIRST_EDIT + PLACED + CLOSE  # the model continued from the repaired text
    assert not result.malformed and result.program == decode_completion(result.completion)


def test_guided_without_repair_resamples_a_misplaced_edit_and_keeps_a_clean_one_as_written(tiny):
    _, model, tokenizer = tiny
    prompt = format_prompt("Write f.")
    miscounted = "@@ -2,0 +3,2 @@\n+        x += 1\n" + DIFF_TOKEN  # clean where it goes, count off by one
    script = {prompt: [FIRST_EDIT], prompt + FIRST_EDIT: [MISPLACED, miscounted],
              prompt + FIRST_EDIT + miscounted: [CLOSE]}
    (result,), = generate_programs(model, tokenizer, ["Write f."], guided=True, repair=False, max_new_tokens=80,
                                   **scripted(tokenizer, script))
    assert result.retries == 1
    assert result.completion == FIRST_EDIT + miscounted + CLOSE
    assert result.program == "def f(x):\n    if x:\n        x += 1\n        return 1\n    return 0"


def test_guided_decoding_on_an_unsteered_model_stays_within_its_budgets(tiny):
    _, model, tokenizer = tiny
    results = generate_programs(model, tokenizer, ["Write f.", "Write g."], guided=True, max_retries=2,
                                max_new_tokens=10)
    for (result,) in results:
        assert result.retries <= 2 * 10  # at most max_retries per accepted edit, each edit >= 1 token
        assert result.program == decode_completion(result.completion)
        assert len(tokenizer(result.completion, add_special_tokens=False)["input_ids"]) <= 10 + 1


def test_a_peft_model_generates_like_its_base(tiny):
    from peft import LoraConfig, get_peft_model

    _, model, tokenizer = tiny
    instructions = ["Write f.", "Write a function that adds two numbers."]
    base = generate_programs(model, tokenizer, instructions, max_new_tokens=40)  # the model's own greedy output
    peft_model = get_peft_model(model, LoraConfig(r=4, target_modules=["q_proj", "v_proj"], task_type="CAUSAL_LM"))
    try:
        # a fresh adapter is the identity (LoRA's B starts at zero): the same tokens, the same programs
        wrapped = generate_programs(peft_model, tokenizer, instructions, max_new_tokens=40)
        (result,), = generate_programs(peft_model, tokenizer, ["Write f."], max_new_tokens=60,
                                       **scripted(tokenizer, {format_prompt("Write f."): [CLEAN_EDIT + CLOSE]}))
    finally:
        peft_model.unload()
    def outputs(results):
        return [(r.completion, r.program, r.tokens) for per_instruction in results for r in per_instruction]

    assert outputs(wrapped) == outputs(base) and all(tokens > 0 for _, _, tokens in outputs(base))
    assert result.program == "def f():\n    return 1"


@pytest.mark.parametrize("bad, message", [
    ({"instructions": "one string"}, "sequence of strings"),
    ({"mode": "chat"}, "unknown mode"),
    ({"mode": "instruct", "guided": True}, "guided decoding"),
    ({"num_return_sequences": 0}, "num_return_sequences"),
])
def test_bad_arguments_are_refused_with_the_argument_named(tiny, bad, message):
    _, model, tokenizer = tiny
    arguments = {"instructions": ["Write f."], **bad}
    with pytest.raises((TypeError, ValueError), match=message):
        generate_programs(model, tokenizer, arguments.pop("instructions"), **arguments)


def test_sample_cli_prints_the_program_and_the_edits(tiny, capsys):
    path, _, _ = tiny
    assert main(["sample", "--model", path, "Write f.", "--edits", "--max-new-tokens", "8", "--num-samples", "2",
                 "--temperature", "1.0"]) == 0
    out = capsys.readouterr().out
    assert out.count("--- program (") == 2 and "=== sample 2/2 ===" in out


@pytest.mark.parametrize("flags, repair", [(["--guided"], True), (["--guided", "--no-repair"], False)])
def test_sample_cli_passes_guided_repair_through(tiny, flags, repair, monkeypatch, capsys):
    import lintseq_hf.inference.generate as generate

    path, _, _ = tiny
    seen = {}

    def fake(model, tokenizer, instructions, **kwargs):
        seen.update(kwargs)
        return [[GeneratedProgram("x = 1", "@@ -0,0 +1 @@\n+x = 1" + CLOSE + CLOSE)]]

    monkeypatch.setattr(generate, "generate_programs", fake)
    assert main(["sample", "--model", path, "Set x.", *flags]) == 0
    assert seen["guided"] is True and seen["repair"] is repair
    assert "x = 1" in capsys.readouterr().out


def test_sample_cli_shows_progress_in_samples_and_tokens_on_stderr(tiny, capsys):
    path, _, _ = tiny
    assert main(["sample", "--model", path, "Write f.", "--max-new-tokens", "6", "--num-samples", "2",
                 "--temperature", "1.0", "--json"]) == 0
    captured = capsys.readouterr()
    tokens = sum(json.loads(line)["tokens"] for line in captured.out.splitlines())
    assert "generating" in captured.err and "2/2" in captured.err and f"{tokens} tokens" in captured.err
    assert main(["sample", "--model", path, "Write f.", "--max-new-tokens", "6", "--no-progress"]) == 0
    assert "generating" not in capsys.readouterr().err

def test_sample_cli_names_a_missing_model_directory(tmp_path, capsys):
    assert main(["sample", "--model", str(tmp_path / "nowhere"), "Write f."]) == 2
    assert "nowhere: not a local model directory" in capsys.readouterr().err


def test_a_model_without_the_diff_token_is_refused_in_lintseq_mode_and_pointed_to_instruct(tiny, tmp_path, capsys):
    import shutil

    path, model, _ = tiny
    plain = tmp_path / "plain"
    shutil.copytree(path, plain)
    for name in ("tokenizer.json", "tokenizer_config.json"):
        (plain / name).unlink()
    build_tiny_tokenizer(with_diff_token=False).save_pretrained(plain)  # an instruction model's tokenizer
    tokenizer = AutoTokenizer.from_pretrained(plain)
    assert DIFF_TOKEN not in tokenizer.get_vocab()
    with pytest.raises(ValueError, match=r"has no <\|diff\|> token.*empty program.*mode='instruct'"):
        generate_programs(model, tokenizer, ["Write f."], max_new_tokens=4)
    assert main(["sample", "--model", str(plain), "Write f.", "--max-new-tokens", "4"]) == 2
    assert "empty program" in capsys.readouterr().err
    ((result,),) = generate_programs(model, tokenizer, ["Write f."], mode="instruct", max_new_tokens=4)
    assert result.tokens > 0  # the instruct mode it suggests works on the same model
    assert main(["sample", "--model", str(plain), "Write f.", "--mode", "instruct", "--max-new-tokens", "4"]) == 0

def test_a_tokenizer_without_a_pad_token_pads_with_eos_and_is_left_unchanged(tiny):
    path, model, _ = tiny
    tokenizer = AutoTokenizer.from_pretrained(path)
    tokenizer.pad_token = None
    script = {format_prompt("Write f."): [CLEAN_EDIT + CLOSE], format_prompt("Write a longer f, please."): [CLOSE]}
    (a,), (b,) = generate_programs(model, tokenizer, ["Write f.", "Write a longer f, please."], max_new_tokens=60,
                                   **scripted(tokenizer, script))
    assert a.program == "def f():\n    return 1" and b.program == "" and b.edits == ()
    assert tokenizer.pad_token is None
