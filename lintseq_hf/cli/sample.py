"""``lintseq sample``: programs from a trained model for one instruction (docs/inference.md)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from lintseq_hf.inference.generate import DEFAULT_MAX_NEW_TOKENS


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``sample`` to the ``lintseq`` CLI."""
    from lintseq_hf.core.edits import TEXT_FORMATS

    sample = subparsers.add_parser(
        "sample", help="generate programs from a local model for an instruction (optionally edit by edit)",
        description="Prompt a local model directory (a full model, or a peft adapter) the way it was trained, "
        "decode its edit sequence and print the program; --edits shows how it grew, step by step.")
    sample.add_argument("instruction", help="the task, in words (as in the training rows)")
    sample.add_argument("--model", required=True, help="local model directory (from lintseq train / save_pretrained)")
    sample.add_argument("--mode", choices=TEXT_FORMATS, default="lintseq",
                        help="edit-sequence model (default) or the instruct baseline")
    sample.add_argument("--edits", action="store_true", help="print the edits step by step before the program")
    sample.add_argument("--guided", action="store_true",
                        help="linter-guided decoding: resample an edit that adds lint errors (beyond the paper)")
    sample.add_argument("--max-retries", type=int, default=3, help="resamples per edit with --guided (default 3)")
    sample.add_argument("--linter", default="pylint", help="linter for --guided (default pylint, as the data)")
    sample.add_argument("--no-repair", dest="repair", action="store_false",
                        help="with --guided: only resample; do not move a misplaced edit or rewrite its header")
    sample.add_argument("--num-samples", type=int, default=1, help="programs to generate (default 1)")
    sample.add_argument("--temperature", type=float, default=0.0, help="0 (default): greedy; > 0: sample")
    sample.add_argument("--top-p", type=float, default=0.95, help="nucleus sampling with --temperature (default 0.95)")
    sample.add_argument("--max-new-tokens", type=int, default=DEFAULT_MAX_NEW_TOKENS,
                        help=f"generation budget (default {DEFAULT_MAX_NEW_TOKENS}, the authors' evaluation budget, "
                        "as the lm-eval tasks)")
    sample.add_argument("--no-progress", dest="progress", action="store_false",
                        help="no progress bar (samples, tokens generated, step of the batch) on stderr")
    sample.add_argument("--seed", type=int, default=0)
    sample.add_argument("--json", action="store_true", help="one JSON object per sample instead of text")
    sample.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    sample.set_defaults(func=_sample)


def load_model(path: str) -> tuple[Any, Any]:
    """Model and tokenizer from a local directory; a peft adapter directory loads onto its base model."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    directory = Path(path)
    if not directory.is_dir():
        raise FileNotFoundError(f"--model {path}: not a local model directory")
    if (directory / "adapter_config.json").is_file():
        from peft import AutoPeftModelForCausalLM

        model = AutoPeftModelForCausalLM.from_pretrained(directory)
    else:
        model = AutoModelForCausalLM.from_pretrained(directory)
    model.eval()
    return model, AutoTokenizer.from_pretrained(directory)


def _replayable(edits: tuple[str, ...]) -> int:
    """How many leading edits :func:`~lintseq_hf.core.show.replay` can apply (it stops at a malformed one)."""
    from lintseq_hf.core.edits import MalformedEditError
    from lintseq_hf.core.show import replay

    for count in range(len(edits), 0, -1):
        try:
            replay(edits[:count])
        except MalformedEditError:
            continue
        return count
    return 0


def _sample(args: argparse.Namespace) -> int:
    from transformers import set_seed

    from lintseq_hf.core.show import render_text
    from lintseq_hf.inference.generate import generate_programs

    if args.num_samples < 1 or args.max_new_tokens < 1:
        raise ValueError("--num-samples and --max-new-tokens must be >= 1")
    model, tokenizer = load_model(args.model)
    set_seed(args.seed)
    kwargs: dict[str, Any] = {"max_new_tokens": args.max_new_tokens}
    if args.temperature > 0:
        kwargs.update(do_sample=True, temperature=args.temperature, top_p=args.top_p)
    (results,) = generate_programs(model, tokenizer, [args.instruction], num_return_sequences=args.num_samples,
                                   mode=args.mode, guided=args.guided, max_retries=args.max_retries,
                                   linter=args.linter, repair=args.repair, progress=args.progress, **kwargs)
    color = args.color == "always" or (args.color == "auto" and sys.stdout.isatty())
    for number, result in enumerate(results, 1):
        if args.json:
            print(json.dumps({"sample": number, "program": result.program, "completion": result.completion,
                              "edits": list(result.edits), "malformed": list(result.malformed),
                              "tokens": result.tokens, "retries": result.retries}))
            continue
        if len(results) > 1:
            print(f"=== sample {number}/{len(results)} ===")
        if args.edits and args.mode == "lintseq":
            shown = _replayable(result.edits)
            if shown:
                print(render_text(result.edits[:shown], color=color))
            if shown < len(result.edits):
                print(f"(edit {shown + 1} of {len(result.edits)} is malformed; the rest is not shown step by step)")
        if result.malformed:
            print("decoder skipped: " + "; ".join(result.malformed), file=sys.stderr)
        note = f", {result.retries} edit(s) resampled" if args.guided else ""
        print(f"--- program ({result.tokens} tokens generated{note}) ---")
        print(result.program)
    return 0
