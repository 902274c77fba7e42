"""Judging samples of HumanEvalPack and MultiPL-E problems in compiled languages: the part of
:func:`lintseq_hf.evaluation.scoring.judge` that differs from Python (one program built per
benchmark rule, compiled and run in :class:`~lintseq_hf.sandbox.compiled.CompiledSandbox`).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence

from lintseq_hf.evaluation.assembly import assemble, sandbox_job
from lintseq_hf.evaluation.problems import Problem, benchmark_files
from lintseq_hf.evaluation.toolchains import toolchain
from lintseq_hf.sandbox.compiled import COMPILED_LIMITS, CompiledJob, CompiledResult, CompiledSandbox
from lintseq_hf.sandbox.base import SandboxLimits

FENCE_LANGUAGE = {"cpp": "cpp", "js": "javascript", "ts": "typescript", "java": "java", "rust": "rust"}
"""Our language names → the names :func:`lintseq_hf.core.programs.extract_code` knows (fence tags)."""


def compiled_job(problem: Problem, program: str, mode: str) -> tuple[str, CompiledJob]:
    """(the benchmark's program text, the sandbox job that judges it) for a decoded ``program``."""
    assembled = assemble(problem, program, mode)
    return assembled.source, sandbox_job(problem, assembled)


def check_toolchains(problems: Iterable[Problem]) -> list[str]:
    """Directories the sandbox must expose for the languages of ``problems``; a missing tool raises
    :class:`~lintseq_hf.evaluation.toolchains.ToolchainError` before anything runs."""
    return _toolchain_folders(p.language for p in problems if p.language != "python")


def _toolchain_folders(languages: Iterable[str]) -> list[str]:
    return sorted({folder for language in sorted(set(languages)) for folder in toolchain(language).expose})


def execute_compiled(jobs: Sequence[CompiledJob], languages: Sequence[str], *,
                     timeout: float | Sequence[float] = 10.0, workers: int | None = None, hide: Iterable[str] = (),
                     limits: SandboxLimits | None = None) -> list[CompiledResult]:
    """Judge compiled jobs in parallel (``workers``, default: CPU count); results in input order.
    Each job carries its language's compile budget (:data:`~lintseq_hf.evaluation.assembly.COMPILE_TIMEOUT`);
    ``timeout`` is the run budget, one for all jobs or one per job.
    The programs never see :func:`~lintseq_hf.evaluation.problems.benchmark_files`, nor ``hide``."""
    if not jobs:
        return []
    expose = _toolchain_folders(languages)
    workers = min(workers or os.cpu_count() or 1, len(jobs))
    hidden = sorted({*benchmark_files(), *map(str, hide)})
    budgets = [float(timeout)] * len(jobs) if isinstance(timeout, (int, float)) else [float(t) for t in timeout]
    if len(budgets) != len(jobs):
        raise ValueError(f"{len(budgets)} run budgets for {len(jobs)} jobs")
    results: list[CompiledResult | None] = [None] * len(jobs)
    with CompiledSandbox(limits or COMPILED_LIMITS, workers=workers, hide=hidden, expose=expose) as box:
        for budget in sorted(set(budgets)):  # one batch per budget (a run usually has one benchmark: one batch)
            indices = [index for index, value in enumerate(budgets) if value == budget]
            for index, result in zip(indices, box.run_many([jobs[index] for index in indices], timeout=budget)):
                results[index] = result
    return [result for result in results if result is not None]
