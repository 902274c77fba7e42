"""BigCode evaluation harness adapter (PyPI ``nvidia-bigcode-eval``, module ``bigcode_eval``).

The harness pins an old ``fsspec``, so it lives in its own environment (see
docs/evaluation.md). Our tasks are registered without editing the harness, by
adding them to ``bigcode_eval.tasks.TASK_REGISTRY`` and ``ALL_TASKS`` before its ``main``
runs; use this module as the entry point::

    python -m lintseq_hf.bigcode --tasks humaneval_lintseq --allow_code_execution \\
        --load_generations_path generations.json --n_samples 1

Tasks: ``<family>_lintseq`` (edit-sequence prompts, decoded before scoring) and
``<family>_lintseq_instruct`` (baseline), for the families of :mod:`lintseq_hf.evaluation.problems`
(HumanEvalPack and MultiPL-E: ``humanevalpack_lintseq_cpp``, ``multiple_lintseq_rs_instruct``, see
:func:`lintseq_hf.evaluation.packs.task_name`);
``--load_data_path`` names a local problems file (needed offline for all but HumanEval).
Saved generations may be decoded programs (as this harness saves them) or raw completions
(edit sequences containing ``<|diff|>`` are decoded; instruct generations have their
```` ```python ```` blocks extracted). Options go through the harness's ``--task_kwargs``, e.g.
``--task_kwargs '{"k": [1, 10], "malformed_penalty": true, "timeout": 10}'``. Scoring is
:func:`lintseq_hf.evaluation.scoring.judge`, as for ``lintseq score`` and lm-eval.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import Any

from bigcode_eval.base import Task

from lintseq_hf.core.edits import DIFF_TOKEN, NOT_AN_EDIT_MODEL
from lintseq_hf.evaluation import packs
from lintseq_hf.evaluation.problems import FAMILIES, Problem, load_problems
from lintseq_hf.evaluation.scoring import build_prompt, completion_to_program, judge, pass_at_k_of

KS = (1, 10, 100)


class LintSeqTask(Task):
    """One benchmark family in one mode (``lintseq`` or ``instruct``).

    ``k`` lists the pass@k values reported (those not above the samples per problem);
    ``malformed_penalty`` fails an edit sequence with an unparsable hunk unexecuted.
    """

    FAMILY = "humaneval"
    MODE = "lintseq"

    def __init__(self, load_data_path: str | None = None, timeout: float | None = None,
                 k: Sequence[int] | int = KS, malformed_penalty: bool = False) -> None:
        # Task.__init__ would try the Hub: set its attributes directly instead.
        self.stop_words = [DIFF_TOKEN + "\n" + DIFF_TOKEN] if self.MODE == "lintseq" else []
        self.requires_execution = True
        self.timeout = None if timeout is None else float(timeout)
        self.ks = [k] if isinstance(k, int) else [int(value) for value in k]
        self.malformed_penalty = bool(malformed_penalty)
        self.problems: list[Problem] = load_problems(self.FAMILY, load_data_path or None)
        self.dataset = {"test": self.problems}

    def get_dataset(self) -> list[Problem]:
        return self.problems

    def get_prompt(self, doc: Problem) -> str:
        return build_prompt(doc, self.MODE)

    def get_reference(self, doc: Problem) -> str:
        return doc.task_id

    def postprocess_generation(self, generation: str, idx: int) -> str:
        """Prompt + generation (as the harness passes it) → the decoded program."""
        prompt = self.get_prompt(self.problems[idx])
        completion = generation[len(prompt):] if generation.startswith(prompt) else generation
        if self.stop_words:
            completion = self._stop_at_stop_token(completion, self.stop_words)
        return completion_to_program(completion, self.MODE, language=self.problems[idx].language).program

    def sample_mode(self, generation: str) -> str:
        """How a saved generation becomes a program: edit sequences are decoded, programs kept;
        instruct generations always go through code extraction (plain code passes unchanged).
        A decoded program of a compiled language is a whole program (``instruct``: it replaces prompt +
        completion), where a Python one may continue the prompt (``completion``)."""
        if self.MODE == "lintseq":
            if isinstance(generation, str) and DIFF_TOKEN in generation:
                return "lintseq"
            return "completion" if self.problems[0].language == "python" else "instruct"
        return self.MODE

    def process_results(self, generations: Sequence[Sequence[str]], references: Sequence[str]) -> dict[str, Any]:
        programs = [sample for samples in generations for sample in samples]
        if self.MODE == "lintseq" and programs and not any(isinstance(p, str) and p.strip() for p in programs):
            # the harness hands over decoded programs: a model that writes no edits left every one empty
            print(f"WARNING: {type(self).__name__}: all {len(programs)} generations decoded to empty programs; "
                  f"{NOT_AN_EDIT_MODEL}", file=sys.stderr)
        covered = [(task_id, samples) for samples, task_id in zip(generations, references) if samples]
        if len(covered) < len(references):
            print(f"warning: {type(self).__name__}: scoring {len(covered)} of {len(references)} problems "
                  "(the others have no generations); pass@k is over those only", file=sys.stderr)
        samples = [{"task_id": task_id, "completion": sample, "mode": self.sample_mode(sample)}
                   for task_id, task_samples in covered for sample in task_samples]
        results = judge(samples, self.problems, malformed_penalty=self.malformed_penalty, timeout=self.timeout)
        scores = pass_at_k_of(results, self.ks)
        if not scores:
            fewest = min((len(s) for _, s in covered), default=0)
            raise ValueError(f"no pass@k to report: k={self.ks} but the fewest samples per problem is {fewest}")
        return scores


def task_classes() -> dict[str, type[LintSeqTask]]:
    """Our task names → task classes (one subclass per family and mode)."""
    classes: dict[str, type[LintSeqTask]] = {}
    for family in FAMILIES:
        for mode, suffix in (("lintseq", "_lintseq"), ("instruct", "_lintseq_instruct")):
            name = packs.task_name(family, mode) if family in packs.PACK_FAMILIES else family + suffix
            classes[name] = type(name, (LintSeqTask,), {"FAMILY": family, "MODE": mode})
    return classes


def register_tasks() -> list[str]:
    """Add our tasks to the harness registry (in place: ``bigcode_eval.main`` holds the same list)."""
    from bigcode_eval import tasks

    added = task_classes()
    tasks.TASK_REGISTRY.update(added)
    tasks.ALL_TASKS[:] = sorted(tasks.TASK_REGISTRY)
    return sorted(added)


def main(argv: Sequence[str] | None = None) -> None:
    """``bigcode_eval.main`` with our tasks registered (offline unless the caller set the HF vars)."""
    for name in ("HF_HUB_OFFLINE", "HF_DATASETS_OFFLINE"):
        os.environ.setdefault(name, "1")
    register_tasks()
    from bigcode_eval import main as harness

    if argv is not None:
        sys.argv = [sys.argv[0], *argv]
    harness.main()

