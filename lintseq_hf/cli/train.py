"""``lintseq train`` and ``lintseq push-model``."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    """``lintseq train RECIPE`` and ``lintseq push-model MODEL_DIR --repo-id ID --recipe RECIPE``."""
    from lintseq_hf.training import run

    train = subparsers.add_parser("train", help="fine-tune a causal LM from a recipe (see recipes/)",
                                  description=run.__doc__.split("\n\n")[0])
    run.add_arguments(train)
    train.set_defaults(func=_train)
    push = subparsers.add_parser("push-model", help="push a trained model + tokenizer + model card to the Hub")
    push.add_argument("model_dir")
    push.add_argument("--repo-id", required=True)
    push.add_argument("--recipe", required=True, help="the recipe it was trained with (goes into the card)")
    push.add_argument("--public", action="store_true", help="create the repository public (default private)")
    push.set_defaults(func=_push)


def _train(ns: argparse.Namespace) -> int:
    from lintseq_hf.training.run import train_from_args

    return train_from_args(ns)


def _push(ns: argparse.Namespace) -> int:
    from lintseq_hf.training.card import push_trained_model
    from lintseq_hf.training.run import load_recipe

    recipe = load_recipe(ns.recipe)
    print(push_trained_model(ns.model_dir, repo_id=ns.repo_id, recipe=recipe, private=not ns.public))
    return 0
