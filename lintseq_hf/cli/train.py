"""``lintseq train``, ``lintseq push-model`` and ``lintseq recipes``."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    """``lintseq train [TRL flags]``, ``lintseq push-model MODEL_DIR --repo-id ID`` and ``lintseq recipes``."""
    # Every argument of `train` goes to the TrlParser of `python -m lintseq_hf.train` (--help included):
    # no prefix character here, so argparse hands them over untouched.
    train = subparsers.add_parser(
        "train", help="fine-tune a causal LM (same as python -m lintseq_hf.train; --help lists the flags)",
        add_help=False, prefix_chars="\0",
    )
    train.add_argument("train_args", nargs=argparse.REMAINDER)
    train.set_defaults(func=_train)

    push = subparsers.add_parser(
        "push-model", help="push a trained output_dir (weights, tokenizer, card, metrics) to the Hub in one commit",
        description="Re-render the card of a finished run (optionally with evaluation results, as a model-index) "
        "and upload the folder with one upload_folder call; checkpoints and logs stay local.",
    )
    push.add_argument("model_dir", help="the output_dir of `lintseq train`")
    push.add_argument("--repo-id", required=True)
    push.add_argument("--eval-results", nargs="+", default=[], metavar="JSON",
                      help="results files (lm-eval's results JSON, or the {\"pass@1\": ...} line `lintseq score` prints)")
    push.add_argument("--allow-partial", action="store_true",
                      help="publish results of a run that did not cover its whole benchmark (lm-eval --limit), "
                      "labelled partial with the problems scored and the samples per problem (default: refused)")
    push.add_argument("--token", default=None, help="Hub token (default: the logged-in one)")
    push.add_argument("--revision", default=None, help="branch to push to (created if missing)")
    push.add_argument("--commit-message", default=None)
    push.add_argument("--public", action="store_true", help="create the repository public (default private)")
    push.add_argument("--dry-run", action="store_true",
                      help="print the target repository, the files, the model-index and the card; upload nothing")
    push.set_defaults(func=_push)

    recipes = subparsers.add_parser("recipes", help="print where the shipped recipes are, and their names")
    recipes.add_argument("name", nargs="?", help="print the path of this recipe instead")
    recipes.set_defaults(func=_recipes)


def _train(ns: argparse.Namespace) -> int:
    from lintseq_hf.training.run import main

    return main(ns.train_args, prog="lintseq train")


def _push(ns: argparse.Namespace) -> int:
    from lintseq_hf.training.card import describe_push, plan_model_push, push_model_folder
    from lintseq_hf.training.eval_results import read_eval_results

    scores = [score for path in ns.eval_results for score in read_eval_results(path, allow_partial=ns.allow_partial)]
    if ns.dry_run:
        plan = plan_model_push(ns.model_dir, repo_id=ns.repo_id, eval_results=scores)
        print(describe_push(plan, private=not ns.public, revision=ns.revision))
        return 0
    print(push_model_folder(ns.model_dir, repo_id=ns.repo_id, eval_results=scores, private=not ns.public,
                            token=ns.token, revision=ns.revision, commit_message=ns.commit_message))
    return 0


def _recipes(ns: argparse.Namespace) -> int:
    from lintseq_hf.training.recipes import list_recipes, recipes_dir, resolve_recipe

    if ns.name:
        print(resolve_recipe(ns.name))
        return 0
    print(recipes_dir())
    for name in list_recipes():
        print(f"  {name}")
    return 0
