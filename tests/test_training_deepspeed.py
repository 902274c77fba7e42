"""DeepSpeed ZeRO-2 / ZeRO-3 smoke runs through ``accelerate launch`` on CPU (gloo), 2 processes, 2 steps.

The first run on a machine JIT-compiles DeepSpeed's CPU communication op (about a minute);
later runs reuse it from the torch extensions cache.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("deepspeed")
torch = pytest.importorskip("torch")

from safetensors.torch import load_file  # noqa: E402
from tiny_models import build_tiny_model  # noqa: E402
from transformers import AutoModelForCausalLM, AutoTokenizer  # noqa: E402

from lintseq_hf import DIFF_TOKEN, format_completion, format_prompt, sample_edits  # noqa: E402
from lintseq_hf.io.humaneval import humaneval_pairs  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def tiny_run_inputs(tmp_path_factory) -> tuple[str, Path]:
    base = tmp_path_factory.mktemp("ds")
    model = build_tiny_model(base / "tiny")
    rows = base / "rows.jsonl"
    with rows.open("w") as handle:
        for pair in humaneval_pairs()[:8]:
            edits = sample_edits(pair["response"], seed=1)
            handle.write(json.dumps({"prompt": format_prompt(pair["instruction"]),
                                     "completion": format_completion(edits)}) + "\n")
    return model, rows


@pytest.mark.slow
@pytest.mark.parametrize("stage", ["zero2", "zero3"])
def test_deepspeed_two_steps_on_cpu_save_a_model_that_reloads(tmp_path, tiny_run_inputs, stage):
    model_dir, rows = tiny_run_inputs
    out = tmp_path / "out"
    recipe = tmp_path / "recipe.yaml"
    recipe.write_text(
        f"model_name_or_path: {model_dir}\n"
        f"dataset_name: {rows}\n"
        f"output_dir: {out}\nmax_steps: 2\nper_device_train_batch_size: 2\nlearning_rate: 1.0e-3\n"
        "max_length: 256\nbf16: false\nactivation_checkpointing: false\nsave_strategy: 'no'\nreport_to: none\n"
        "logging_steps: 1\nloss_reduction: sum\ndataloader_num_workers: 0\n"
    )
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1", "OMP_NUM_THREADS": "1",
           "TOKENIZERS_PARALLELISM": "false"}
    command = [sys.executable, "-m", "accelerate.commands.launch",
               "--config_file", str(ROOT / "recipes" / "accelerate" / f"{stage}.yaml"),
               "--num_processes", "2", "--main_process_port", str(_free_port()),
               "-m", "lintseq_hf.train", "--config", str(recipe)]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    log = done.stdout + done.stderr
    assert done.returncode == 0, log[-4000:]
    assert log.count("'loss_first_edit'") >= 2 * 1  # one log line per step (rank 0)
    trained = AutoModelForCausalLM.from_pretrained(out)
    tokenizer = AutoTokenizer.from_pretrained(out)
    assert DIFF_TOKEN in tokenizer.get_vocab() and DIFF_TOKEN not in tokenizer.all_special_tokens
    before = load_file(str(Path(model_dir) / "model.safetensors"))
    after = trained.state_dict()
    assert set(before) <= set(after)
    assert any(not torch.equal(before[name], after[name]) for name in before)  # it trained
    assert all(after[name].shape == before[name].shape for name in before)  # gathered, not ZeRO-3 shards
    assert json.loads((out / "trainer_state.json").read_text())["global_step"] == 2
    assert "edit-sequences" in (out / "README.md").read_text()  # our card, written once (rank 0)
