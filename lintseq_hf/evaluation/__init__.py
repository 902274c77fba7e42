"""Above the core (imports ``core``, ``lint``, ``io``, ``sandbox``): score model outputs on HumanEval / MBPP(+).

``problems`` (benchmark loaders), ``scoring`` (decode → test program → sandbox → pass@k),
``statistics`` (bootstrap intervals over problems, paired comparisons of two runs),
``lm_eval`` and ``bigcode`` (harness adapters), ``plot`` (pass@k curves); the lm-eval task folder is the
top-level ``tasks/`` (installed as ``lintseq_hf.tasks``). The scoring names are re-exported here.
"""

from lintseq_hf.evaluation.problems import FAMILIES, Problem, ProblemError, load_problems
from lintseq_hf.evaluation.scoring import (
    MALFORMED,
    SCORING_MODES,
    STATUSES,
    Decoded,
    SampleResult,
    aggregate_pass_at_k,
    benchmark_files,
    build_program,
    build_prompt,
    build_test_program,
    completion_to_program,
    estimate_pass_at_k,
    execute,
    judge,
    pass_at_k,
    pass_at_k_of,
    read_samples,
    score,
    status_counts,
    test_job,
    write_results,
)

__all__ = [
    "FAMILIES",
    "MALFORMED",
    "SCORING_MODES",
    "STATUSES",
    "Decoded",
    "Problem",
    "ProblemError",
    "SampleResult",
    "aggregate_pass_at_k",
    "benchmark_files",
    "build_program",
    "build_prompt",
    "build_test_program",
    "completion_to_program",
    "estimate_pass_at_k",
    "execute",
    "judge",
    "load_problems",
    "pass_at_k",
    "pass_at_k_of",
    "read_samples",
    "score",
    "status_counts",
    "test_job",
    "write_results",
]
