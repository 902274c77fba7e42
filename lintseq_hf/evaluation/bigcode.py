"""BigCode evaluation harness adapter (PyPI ``nvidia-bigcode-eval``, module ``bigcode_eval``).

The harness pins an old ``fsspec``, so it lives in its own environment (see
docs/evaluation.md). Our tasks are registered without editing the harness, by
adding them to ``bigcode_eval.tasks.TASK_REGISTRY`` and ``ALL_TASKS`` before its ``main``
runs; use this module as the entry point::

    python -m lintseq_hf.bigcode --tasks humaneval_lintseq --allow_code_execution \\
        --load_generations_path generations.json --n_samples 1

Tasks: ``<family>_lintseq`` (edit-sequence prompts, decoded before scoring) and
``<family>_lintseq_instruct`` (baseline), for the families of :mod:`lintseq_hf.evaluation.problems`;
``--load_data_path`` names a local problems file (needed offline for all but HumanEval).
Saved generations may be decoded programs (as this harness saves them) or raw completions
containing ``<|diff|>`` (decoded here).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import Any

from bigcode_eval.base import Task

from lintseq_hf.core.edits import DIFF_TOKEN
from lintseq_hf.evaluation.scoring import aggregate_pass_at_k, build_prompt, build_test_program, completion_to_program, execute
from lintseq_hf.evaluation.problems import FAMILIES, Problem, load_problems

KS = (1, 10, 100)


class LintSeqTask(Task):
    """One benchmark family in one mode (``lintseq`` or ``instruct``)."""

    FAMILY = "humaneval"
    MODE = "lintseq"

    def __init__(self, load_data_path: str | None = None, timeout: float = 10.0) -> None:
        # Task.__init__ would try the Hub: set its attributes directly instead.
        self.stop_words = [DIFF_TOKEN + "\n" + DIFF_TOKEN] if self.MODE == "lintseq" else []
        self.requires_execution = True
        self.timeout = timeout
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
        return completion_to_program(completion, self.MODE).program

    def process_results(self, generations: Sequence[Sequence[str]], references: Sequence[str]) -> dict[str, Any]:
        by_id = {problem.task_id: problem for problem in self.problems}
        programs: list[str] = []
        owners: list[str] = []
        for samples, task_id in zip(generations, references):
            problem = by_id[task_id]
            for sample in samples:
                program = completion_to_program(sample, self.MODE).program if DIFF_TOKEN in sample else sample
                programs.append(build_test_program(problem, program))
                owners.append(task_id)
        passed: dict[str, list[bool]] = {task_id: [] for task_id in references}
        for task_id, result in zip(owners, execute(programs, timeout=self.timeout)):
            passed[task_id].append(result.passed)
        return aggregate_pass_at_k(passed, KS)


def task_classes() -> dict[str, type[LintSeqTask]]:
    """Our task names → task classes (one subclass per family and mode)."""
    classes: dict[str, type[LintSeqTask]] = {}
    for family in FAMILIES:
        for mode, suffix in (("lintseq", "_lintseq"), ("instruct", "_lintseq_instruct")):
            name = family + suffix
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

