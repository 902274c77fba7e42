"""Step time of LintSeqSFTTrainer vs TRL's stock SFTTrainer on the same batches (target: ratio <= 1.05), and of
padding-free vs padded batches in LintSeqSFTTrainer (with the pad fraction that padding-free saves).

Both trainers get the same model (a small Llama built from a config, same seed), tokenizer,
LintSeq rows from HumanEval (all shorter than ``max_length``, so both see identical batches)
and optimizer. One timed step = the trainer's collator on the batch's rows, its
``training_step`` (forward with its ``compute_loss``, backward, metrics) and the optimizer
step. The two trainers alternate step by step (order flipped every step), so load from other
processes on a shared machine hits both alike; the figure is the median of the per-step
ratios. The losses of the two are printed as a check that they train the same thing.

A third trainer, ours with ``padding_free=True``, takes part in the same rotation: its batches are
the same rows concatenated into one row (no pad token), and its loss equals the padded one. The
pad fraction is the share of pad positions in the padded batches (what padding-free does not
compute). Batches are drawn at random (fixed seed) from LintSeq rows of HumanEval programs
(``--samples`` edit sequences per program), so their lengths mix as in training.

    python benchmarks/training_step.py [--steps 20] [--hidden 256] [--layers 4] [--batch 8]
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import random
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")

import torch  # noqa: E402
from datasets import Dataset  # noqa: E402
from transformers import AutoTokenizer, LlamaConfig, LlamaForCausalLM  # noqa: E402
from trl import SFTConfig, SFTTrainer  # noqa: E402

from lintseq_hf import format_completion, format_prompt, sample_edits  # noqa: E402
from lintseq_hf.io.humaneval import humaneval_pairs  # noqa: E402
from lintseq_hf.training.trainer import LintSeqSFTConfig, LintSeqSFTTrainer  # noqa: E402


def _tiny_models():
    """The test helper module tests/tiny_models.py (the shared tiny tokenizer), loaded by path."""
    path = Path(__file__).resolve().parent.parent / "tests" / "tiny_models.py"
    spec = importlib.util.spec_from_file_location("tiny_models", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def rows(n: int, samples: int) -> Dataset:
    out = []
    for pair in humaneval_pairs()[:n]:
        for seed in range(samples):
            edits = sample_edits(pair["response"], seed=seed)
            out.append({"prompt": format_prompt(pair["instruction"]), "completion": format_completion(edits)})
    return Dataset.from_list(out)


def make_trainer(kind: str, tokenizer_dir: str, data: Dataset, ns: argparse.Namespace, out: str):
    tokenizer = AutoTokenizer.from_pretrained(tokenizer_dir)
    torch.manual_seed(0)
    config = LlamaConfig(vocab_size=len(tokenizer), hidden_size=ns.hidden, intermediate_size=4 * ns.hidden,
                         num_hidden_layers=ns.layers, num_attention_heads=4, num_key_value_heads=2,
                         max_position_embeddings=4096, tie_word_embeddings=True,
                         eos_token_id=tokenizer.eos_token_id, pad_token_id=tokenizer.pad_token_id)
    model = LlamaForCausalLM(config)
    common = dict(output_dir=out, max_steps=ns.steps, per_device_train_batch_size=ns.batch, learning_rate=1e-4,
                  report_to=[], bf16=False, activation_checkpointing=False, save_strategy="no",
                  max_length=ns.max_length, seed=0, disable_tqdm=True)
    if kind == "stock":
        trainer = SFTTrainer(model, args=SFTConfig(**common), train_dataset=data, processing_class=tokenizer)
    else:
        trainer = LintSeqSFTTrainer(
            model, args=LintSeqSFTConfig(**common, loss_reduction="mean", padding_free=kind == "padding-free"),
            train_dataset=data, processing_class=tokenizer)
    trainer.create_optimizer_and_scheduler(num_training_steps=ns.steps)
    trainer.model.train()
    return trainer


def timed_step(trainer, examples: list[dict]) -> tuple[float, float]:
    start = time.perf_counter()
    batch = trainer.data_collator(examples)
    num_items = trainer._get_num_items_in_batch([batch], trainer.args.device)
    loss = trainer.training_step(trainer.model, batch, num_items)
    trainer.optimizer.step()
    trainer.lr_scheduler.step()
    trainer.model.zero_grad()
    return time.perf_counter() - start, float(loss)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--hidden", type=int, default=256)
    parser.add_argument("--layers", type=int, default=4)
    parser.add_argument("--max-length", type=int, default=4096)
    parser.add_argument("--rows", type=int, default=32, help="HumanEval programs")
    parser.add_argument("--samples", type=int, default=5, help="LintSeq sequences per program (paper: 5)")
    ns = parser.parse_args()
    kinds = ("stock", "lintseq", "padding-free")
    with tempfile.TemporaryDirectory() as tmp:
        tokenizer_dir = str(Path(tmp) / "tok")
        _tiny_models().build_tiny_tokenizer().save_pretrained(tokenizer_dir)
        data = rows(ns.rows, ns.samples)
        trainers = {kind: make_trainer(kind, tokenizer_dir, data, ns, str(Path(tmp) / kind)) for kind in kinds}
        prepared = trainers["stock"].train_dataset
        for kind in kinds[1:]:
            assert prepared["input_ids"] == trainers[kind].train_dataset["input_ids"], "batches differ"
        times: dict[str, list[float]] = {kind: [] for kind in kinds}
        losses: dict[str, list[float]] = {kind: [] for kind in kinds}
        ratios: dict[str, list[float]] = {"lintseq/stock": [], "padding-free/padded": []}
        pads = positions = 0
        pick = random.Random(0)
        for step in range(ns.steps):
            examples = [prepared[i] for i in pick.sample(range(len(prepared)), ns.batch)]
            padded = trainers["lintseq"].data_collator(examples)["attention_mask"]
            pads, positions = pads + int(padded.eq(0).sum()), positions + padded.numel()
            order = list(kinds) if step % 2 == 0 else list(reversed(kinds))
            this = {}
            for kind in order:
                this[kind], loss = timed_step(trainers[kind], examples)
                losses[kind].append(loss)
            if step >= ns.warmup:
                for kind in this:
                    times[kind].append(this[kind])
                ratios["lintseq/stock"].append(this["lintseq"] / this["stock"])
                ratios["padding-free/padded"].append(this["padding-free"] / this["lintseq"])
    median = {kind: statistics.median(values) for kind, values in times.items()}
    print(f"device: cpu ({torch.get_num_threads()} threads); Llama hidden={ns.hidden} layers={ns.layers}; "
          f"batch={ns.batch} random rows of {len(data)} LintSeq rows ({ns.rows} HumanEval programs x {ns.samples}); "
          f"{len(times['stock'])} rotations after {ns.warmup} warm-up")
    print(f"stock SFTTrainer               median step {median['stock'] * 1000:.1f} ms")
    print(f"LintSeqSFTTrainer (padded)     median step {median['lintseq'] * 1000:.1f} ms")
    print(f"LintSeqSFTTrainer padding-free median step {median['padding-free'] * 1000:.1f} ms")
    print("loss after {} steps: stock {:.4f}, lintseq {:.4f}, padding-free {:.4f}".format(
        ns.steps, losses["stock"][-1], losses["lintseq"][-1], losses["padding-free"][-1]))
    print(f"pad fraction of the padded batches {pads / positions:.3f} (positions padding-free does not compute)")
    print(f"ratio lintseq/stock (median of paired per-step ratios) {statistics.median(ratios['lintseq/stock']):.3f}; "
          "target <= 1.05")
    print(f"ratio padding-free/padded (median of paired per-step ratios) "
          f"{statistics.median(ratios['padding-free/padded']):.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
