"""Stage 6 of the pipeline: score model outputs on HumanEval / MBPP(+).

``problems`` (benchmark loaders), ``scoring`` (decode → test program → sandbox → pass@k),
``lm_eval`` and ``bigcode`` (harness adapters), ``plot`` (pass@k curves), ``tasks/`` (the
lm-eval task folder, shipped as package data). The scoring names are re-exported here.
"""

from lintseq_hf.evaluation.problems import FAMILIES, Problem, ProblemError, load_problems
from lintseq_hf.evaluation.scoring import (
    MALFORMED,
    MODES,
    Decoded,
    SampleResult,
    aggregate_pass_at_k,
    build_prompt,
    build_test_program,
    completion_to_program,
    estimate_pass_at_k,
    execute,
    pass_at_k,
    read_samples,
    score,
    status_counts,
    write_results,
)

__all__ = [
    "FAMILIES",
    "MALFORMED",
    "MODES",
    "Decoded",
    "Problem",
    "ProblemError",
    "SampleResult",
    "aggregate_pass_at_k",
    "build_prompt",
    "build_test_program",
    "completion_to_program",
    "estimate_pass_at_k",
    "execute",
    "load_problems",
    "pass_at_k",
    "read_samples",
    "score",
    "status_counts",
    "write_results",
]
