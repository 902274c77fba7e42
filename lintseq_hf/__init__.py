"""lintseq-hf: LintSeq synthetic edit sequences, native to the Hugging Face stack."""

from lintseq_hf.core.edits import (
    DIFF_TOKEN,
    MalformedEditError,
    apply_edits,
    decode_completion,
    decode_completion_detailed,
    format_completion,
    format_instruct_prompt,
    format_instruct_text,
    format_prompt,
    format_training_text,
)
from lintseq_hf.core.programs import ProgramError, extract_code
from lintseq_hf.core.sampler import (
    LintSeqOptions,
    SamplingError,
    sample_edits,
    sample_edits_traced,
)
from lintseq_hf.dataset.registration import register_builder as _register_builder
from lintseq_hf.dataset.run import generate_file
from lintseq_hf.inference.generate import generate_programs
from lintseq_hf.lint.base import Linter, LintError
from lintseq_hf.lint.python.pylint_backend import PylintLinter
from lintseq_hf.lint.registry import available_linters, get_linter
from lintseq_hf.version import __version__

_register_builder()  # load_dataset("lintseq", ...) works; datasets itself is imported lazily

__all__ = [
    "DIFF_TOKEN",
    "LintError",
    "LintSeqOptions",
    "Linter",
    "MalformedEditError",
    "ProgramError",
    "PylintLinter",
    "SamplingError",
    "__version__",
    "apply_edits",
    "available_linters",
    "decode_completion",
    "decode_completion_detailed",
    "extract_code",
    "format_completion",
    "format_instruct_prompt",
    "format_instruct_text",
    "format_prompt",
    "format_training_text",
    "generate_file",
    "generate_programs",
    "get_linter",
    "sample_edits",
    "sample_edits_traced",
]
