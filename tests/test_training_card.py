"""The run's model card and the Hub push, on a fake Hub boundary (HfApi.create_repo / create_branch / upload_folder).

``HF_HUB_OFFLINE=1`` makes every other Hub call fail. One tiny training run (module fixture) pushes
through the trainer (``--push_to_hub``); ``lintseq push-model`` then re-pushes its folder with
evaluation results.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")

torch = pytest.importorskip("torch")
pytest.importorskip("trl")

from huggingface_hub import ModelCard  # noqa: E402
from tiny_models import build_tiny_model, completion_loss, write_lintseq_rows  # noqa: E402
from transformers import AutoModelForCausalLM, AutoTokenizer  # noqa: E402

from lintseq_hf import DIFF_TOKEN, format_prompt  # noqa: E402
from lintseq_hf.training.card import (  # noqa: E402
    HubPushError,
    RunSummary,
    model_card,
    push_model_folder,
)
from lintseq_hf.training.eval_results import EvalResultsError, read_eval_results  # noqa: E402
from lintseq_hf.training.run import main  # noqa: E402

LM_EVAL_RESULTS = Path(__file__).parent / "data" / "lm_eval"
"""Results files of a real `lintseq eval` (lm-eval 0.4.13) of humaneval_lintseq on the tiny model: all 164
problems, and `--limit 3` (only `pretty_env_info` and the metric function's source text shortened)."""


class FakeHub:
    """Records the calls that reach the Hub boundary; the folder's files are listed as the filters select them."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict]] = []

    def install(self, patch: pytest.MonkeyPatch) -> None:
        from huggingface_hub import HfApi, RepoUrl
        from huggingface_hub.utils import filter_repo_objects

        def create_repo(api, repo_id, **kwargs):
            self.calls.append(("create_repo", {"repo_id": repo_id, "token": kwargs.get("token") or api.token,
                                               **kwargs}))
            return RepoUrl(f"https://huggingface.co/{repo_id}")

        def create_branch(api, repo_id, **kwargs):
            self.calls.append(("create_branch", {"repo_id": repo_id, **kwargs}))

        def upload_folder(api, **kwargs):
            folder = Path(kwargs["folder_path"])
            files = sorted(filter_repo_objects(
                [str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()],
                allow_patterns=kwargs.get("allow_patterns"), ignore_patterns=kwargs.get("ignore_patterns")))
            card = (folder / "README.md").read_text() if (folder / "README.md").is_file() else None
            self.calls.append(("upload_folder", {**kwargs, "files": files, "card": card,
                                                 "token": kwargs.get("token") or api.token}))
            return "https://huggingface.co/commit/0"

        patch.setenv("HF_HUB_OFFLINE", "1")
        patch.setattr(HfApi, "create_repo", create_repo)
        patch.setattr(HfApi, "create_branch", create_branch)
        patch.setattr(HfApi, "upload_folder", upload_folder)

    def named(self, name: str) -> list[dict]:
        return [kwargs for call, kwargs in self.calls if call == name]


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory) -> str:
    return build_tiny_model(tmp_path_factory.mktemp("tiny") / "model")


@pytest.fixture(scope="module")
def pushed_run(tmp_path_factory, tiny_model) -> tuple[Path, FakeHub]:
    """``python -m lintseq_hf.train --config <tiny recipe> ... --push_to_hub``: 2 steps from rows.jsonl."""
    base = tmp_path_factory.mktemp("run")
    rows = write_lintseq_rows(base / "rows.jsonl", 8)
    recipe = base / "tiny.yaml"
    recipe.write_text(
        f"model_name_or_path: {tiny_model}\nbase_model: someone/tiny-base\nlicense: mit\n"
        f"dataset_name: {base / 'unused-folder'}\ndataset_config: lintseq\n"
        f"output_dir: {base / 'unused-out'}\nmax_steps: 10\nper_device_train_batch_size: 4\nlearning_rate: 1.0e-3\n"
        "bf16: false\nactivation_checkpointing: false\nreport_to: none\nsave_strategy: 'no'\nmax_length: 256\n"
        "logging_steps: 1\nhub_model_id: someone/tiny-lintseq\n"
    )
    hub = FakeHub()
    with pytest.MonkeyPatch.context() as patch:
        hub.install(patch)
        out = base / "OUT"
        assert main(["--config", str(recipe), "--dataset_name", str(rows), "--max_steps", "2", "--output_dir", str(out),
                     "--push_to_hub", "--hub_private_repo", "true"]) == 0
    return out, hub


def test_a_run_leaves_state_metrics_and_our_card_naming_its_data_and_steps(pushed_run):
    out, _ = pushed_run
    assert {"trainer_state.json", "train_results.json", "all_results.json", "README.md", "lintseq_run.json",
            "model.safetensors", "tokenizer.json"} <= {p.name for p in out.iterdir()}
    state = json.loads((out / "trainer_state.json").read_text())
    assert state["global_step"] == 2 and state["max_steps"] == 2
    card = ModelCard.load(out / "README.md")
    assert card.data.base_model == "someone/tiny-base" and card.data.license == "mit"
    assert {"lintseq", "edit-sequences", "trl"} <= set(card.data.tags)
    assert "rows.jsonl" in card.text and "| `max_steps` | `2` |" in card.text
    assert "| `steps_done` | `2` |" in card.text and "token_loss" in card.text and "train_loss" in card.text
    assert DIFF_TOKEN in card.text and "format_prompt" in card.text and "no chat template" in card.text
    assert "8 read" in card.text  # rows of this run's data


def test_push_to_hub_goes_through_the_trainer_with_our_card(pushed_run):
    out, hub = pushed_run
    repos = hub.named("create_repo")
    assert [r["repo_id"] for r in repos] == ["someone/tiny-lintseq"] and repos[0]["private"] is True
    uploads = hub.named("upload_folder")
    assert len(uploads) == 1 and uploads[0]["repo_id"] == "someone/tiny-lintseq"
    assert uploads[0]["card"] == (out / "README.md").read_text() and "lintseq-hf" in uploads[0]["card"]
    files = uploads[0]["files"]
    assert {"README.md", "model.safetensors", "tokenizer_config.json", "trainer_state.json"} <= set(files)
    assert not any(name.endswith(".jinja") for name in files)  # raw prompts: no chat template goes up


def test_the_pushed_model_is_the_trained_one_and_continues_the_lintseq_prompt(pushed_run, tiny_model):
    out, _ = pushed_run
    model = AutoModelForCausalLM.from_pretrained(out)
    tokenizer = AutoTokenizer.from_pretrained(out)
    assert tokenizer.chat_template is None
    rows = [json.loads(line) for line in (out.parent / "rows.jsonl").read_text().splitlines()]
    base = AutoModelForCausalLM.from_pretrained(tiny_model)
    # two steps at lr 1e-3 lower the loss of the completions it was trained on: the pushed weights are the trained ones
    assert completion_loss(model, tokenizer, rows) < completion_loss(base, tokenizer, rows) - 0.05
    inputs = tokenizer(format_prompt("Write a function that adds two numbers."), return_tensors="pt")
    assert inputs["input_ids"][0, -1] == tokenizer.convert_tokens_to_ids(DIFF_TOKEN)  # the prompt ends on <|diff|>
    generated = model.generate(**inputs, max_new_tokens=24, do_sample=False)
    assert generated.shape[1] > inputs["input_ids"].shape[1]


def test_push_model_adds_eval_results_as_a_model_index(tmp_path, pushed_run, monkeypatch):
    from lintseq_hf.cli import main as lintseq

    folder = tmp_path / "trained"
    shutil.copytree(pushed_run[0], folder)
    (folder / "checkpoint-1").mkdir()
    (folder / "checkpoint-1" / "model.safetensors").write_bytes(b"scratch")
    lm_eval = tmp_path / "results.json"
    results = json.loads((LM_EVAL_RESULTS / "results_full.json").read_text())
    results["results"]["humaneval_lintseq"]["pass@1,execute"] = 0.25
    lm_eval.write_text(json.dumps(results))
    ours = tmp_path / "mbpp_lintseq.json"
    ours.write_text(json.dumps({"pass@1": 0.125, "pass@10": 0.5}))
    hub = FakeHub()
    hub.install(monkeypatch)
    assert lintseq(["push-model", str(folder), "--repo-id", "someone/tiny-lintseq-v2", "--eval-results", str(lm_eval),
                    str(ours), "--token", "hf_fake", "--revision", "eval", "--commit-message", "with scores"]) == 0
    assert [name for name, _ in hub.calls] == ["create_repo", "create_branch", "upload_folder"]
    upload = hub.named("upload_folder")[0]
    assert upload["revision"] == "eval" and upload["commit_message"] == "with scores"
    assert upload["token"] == "hf_fake" and hub.named("create_repo")[0]["private"] is True
    assert not any(name.startswith("checkpoint-") or name == "training_args.bin" for name in upload["files"])
    card = ModelCard.load(folder / "README.md")
    scores = {(r.dataset_type, r.metric_type): r.metric_value for r in card.data.eval_results}
    # only real metrics: lm-eval's sample_len (164), name, alias and the standard error are not
    assert scores == {("openai/openai_humaneval", "pass@1"): 0.25, ("google-research-datasets/mbpp", "pass@1"): 0.125,
                      ("google-research-datasets/mbpp", "pass@10"): 0.5}
    humaneval = next(r for r in card.data.eval_results if r.dataset_type == "openai/openai_humaneval")
    assert humaneval.dataset_name == "HumanEval" and humaneval.metric_name == "pass@1"
    assert humaneval.metric_args == {"problems": 164, "benchmark_problems": 164, "samples_per_problem": 1}
    assert card.data.model_name == "tiny-lintseq-v2" and card.data.base_model == "someone/tiny-base"
    assert "| humaneval_lintseq | pass@1 | 0.25 | 164 of 164 problems, 1 sample each |" in card.text


def test_push_model_dry_run_shows_target_files_model_index_and_card_and_sends_nothing(tmp_path, pushed_run,
                                                                                       monkeypatch, capsys):
    from lintseq_hf.cli import main as lintseq

    folder = tmp_path / "trained"
    shutil.copytree(pushed_run[0], folder)
    (folder / "checkpoint-1").mkdir()
    (folder / "checkpoint-1" / "model.safetensors").write_bytes(b"scratch")
    before = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
    ours = tmp_path / "humaneval_lintseq.json"
    ours.write_text(json.dumps({"pass@1": 0.125}))
    hub = FakeHub()
    hub.install(monkeypatch)
    assert lintseq(["push-model", str(folder), "--repo-id", "someone/tiny-v3", "--eval-results", str(ours),
                    "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert hub.calls == []  # nothing created, nothing uploaded
    assert {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()} == before  # nor rewritten
    assert "https://huggingface.co/someone/tiny-v3 (private), nothing uploaded" in out
    files = out.split("files (")[1].split("model-index:")[0]
    assert "  model.safetensors" in files and "  README.md" in files and "checkpoint-1" not in files
    assert '"value": 0.125' in out and '"type": "openai/openai_humaneval"' in out
    card = out.split("card (README.md):\n", 1)[1]
    assert ModelCard(card).data.model_name == "tiny-v3" and 'from_pretrained("someone/tiny-v3")' in card


def test_the_recipes_placeholder_repository_is_never_a_push_target(tmp_path, pushed_run, monkeypatch, capsys):
    from lintseq_hf.cli import main as lintseq

    hub = FakeHub()
    hub.install(monkeypatch)
    assert lintseq(["train", "--config", "smollm2-135m-cpu", "--push_to_hub", "--output_dir", str(tmp_path / "o")]) == 2
    assert "set --hub_model_id: 'your-name/smollm2-135m-lintseq' is the recipes' placeholder" in capsys.readouterr().err
    with pytest.raises(HubPushError, match="set --repo-id"):
        push_model_folder(pushed_run[0], repo_id="your-name/tiny-lintseq")
    assert hub.calls == [] and not (tmp_path / "o").exists()

def test_push_model_refuses_folders_that_are_not_finished_runs(tmp_path, tiny_model, monkeypatch):
    hub = FakeHub()
    hub.install(monkeypatch)
    folder = tmp_path / "weights-only"
    shutil.copytree(tiny_model, folder)
    with pytest.raises(HubPushError, match="lintseq_run.json"):
        push_model_folder(folder, repo_id="someone/x")
    (folder / "tokenizer_config.json").unlink()
    with pytest.raises(HubPushError, match="tokenizer"):
        push_model_folder(folder, repo_id="someone/x")
    assert hub.calls == []


def test_eval_results_files_are_checked(tmp_path):
    empty = tmp_path / "empty.json"
    empty.write_text(json.dumps({"results": {"humaneval": {"alias": "humaneval", "sample_len": 164}}}))
    with pytest.raises(EvalResultsError, match="empty.json: no metric found"):
        read_eval_results(empty)
    broken = tmp_path / "broken.json"
    broken.write_text("{")
    with pytest.raises(EvalResultsError, match="broken.json: cannot read JSON"):
        read_eval_results(broken)
    named = tmp_path / "x.json"
    named.write_text(json.dumps({"task": "humaneval_plus_lintseq", "pass@1": 0.5, "n": 10, "ok": True}))
    assert [(s.task, s.metric, s.value) for s in read_eval_results(named)] == [("humaneval_plus_lintseq", "pass@1", 0.5)]


def test_only_real_metrics_of_a_whole_lm_eval_run_are_read():
    (score,) = read_eval_results(LM_EVAL_RESULTS / "results_full.json")
    assert (score.task, score.metric, score.value) == ("humaneval_lintseq", "pass@1", 0.0)
    assert (score.problems, score.benchmark_problems, score.samples_per_problem, score.partial) == (164, 164, 1, False)


def test_a_limited_lm_eval_run_is_refused_or_published_labelled_partial(tmp_path, pushed_run, monkeypatch, capsys):
    from lintseq_hf.cli import main as lintseq

    limited = LM_EVAL_RESULTS / "results_limit_3.json"
    with pytest.raises(EvalResultsError, match=r"humaneval_lintseq scored 3 of 164 problems, 1 sample each "
                                               r"\(lm-eval --limit 3\).*--allow-partial"):
        read_eval_results(limited)
    folder = tmp_path / "trained"
    shutil.copytree(pushed_run[0], folder)
    hub = FakeHub()
    hub.install(monkeypatch)
    assert lintseq(["push-model", str(folder), "--repo-id", "someone/x", "--eval-results", str(limited)]) == 2
    assert "not the whole benchmark" in capsys.readouterr().err and hub.calls == []
    assert lintseq(["push-model", str(folder), "--repo-id", "someone/x", "--eval-results", str(limited),
                    "--allow-partial"]) == 0
    card = ModelCard(hub.named("upload_folder")[0]["card"])
    (entry,) = card.data.eval_results
    assert entry.dataset_name == "HumanEval (partial: 3 of 164 problems, 1 sample each)"
    assert entry.metric_name == "pass@1 (partial: 3 of 164 problems, 1 sample each)" and entry.metric_type == "pass@1"
    assert entry.metric_args == {"problems": 3, "benchmark_problems": 164, "samples_per_problem": 1}
    assert "| humaneval_lintseq | pass@1 | 0 | **partial**: 3 of 164 problems, 1 sample each |" in card.text


def test_a_problem_set_cut_through_the_task_options_is_partial_too(tmp_path):
    results = json.loads((LM_EVAL_RESULTS / "results_full.json").read_text())
    results["config"]["limit"] = None
    results["n-samples"]["humaneval_lintseq"] = {"original": 10, "effective": 10}
    results["configs"]["humaneval_lintseq"]["metadata"]["humaneval_limit"] = 10  # --metadata, not --limit
    results["configs"]["humaneval_lintseq"]["repeats"] = 5
    path = tmp_path / "results.json"
    path.write_text(json.dumps(results))
    with pytest.raises(EvalResultsError, match="10 of 164 problems, 5 samples each"):
        read_eval_results(path)
    (score,) = read_eval_results(path, allow_partial=True)
    assert score.partial and score.coverage == "10 of 164 problems, 5 samples each"


def test_an_instruct_card_says_how_to_prompt_the_baseline():
    summary = RunSummary(model_name="smol-instruct", mode="instruct", base_model="HuggingFaceTB/SmolLM2-135M-Instruct",
                         license="apache-2.0", dataset={"name": "you/lintseq-data", "config": "instruct",
                                                        "hub_id": "you/lintseq-data", "train_rows": 10},
                         hyperparameters={"max_length": 1024, "loss_reduction": "sum", "max_steps": -1},
                         metrics={"train_loss": 1.0}, eos_token="<|im_end|>")
    card = ModelCard(model_card(summary))
    assert card.data.datasets == ["you/lintseq-data"] and "instruct-baseline" in card.data.tags
    assert card.data.base_model == "HuggingFaceTB/SmolLM2-135M-Instruct"
    assert 'instruction + "\\n"' in card.text and "<|im_end|>" in card.text and "## Format" not in card.text
    assert "config `instruct`" in card.text and "model-index" not in str(card.data.to_dict())
