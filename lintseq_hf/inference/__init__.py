"""Above the core (imports ``core``, ``lint``, ``io``): sample programs from a trained model (docs/inference.md).

``generate`` holds :func:`generate_programs` (prompt, batched generation, stop at the closing
edit, decode) and the linter-guided edit-by-edit loop; ``stopping`` the transformers stopping
criterion it uses; ``benchmark`` the resumable n-samples-per-problem loop over a whole benchmark. torch and transformers are imported only when generation runs.
"""

from lintseq_hf.inference.benchmark import generate_benchmark
from lintseq_hf.inference.generate import (
    STOP_TEXT,
    GeneratedProgram,
    generate_programs,
)

__all__ = ["STOP_TEXT", "GeneratedProgram", "generate_benchmark", "generate_programs"]
