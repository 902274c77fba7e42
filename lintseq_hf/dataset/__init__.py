"""Above the core (imports ``core``, ``lint``, ``io``): instruction+code rows → LintSeq rows.

``run`` (:func:`generate_file`: one file in, one file out, resumable; the run of ``lintseq generate``),
``transform`` (the per-row transform, seeds, process pool, the report), ``configs`` (what each
config makes of a row, shared by the builder and Ray), ``builder`` (the ``datasets`` builder
"lintseq"), ``reports`` (the builder's drop reports), ``registration`` (makes
``load_dataset("lintseq", …)`` work), ``card`` (dataset card and Hub push), ``ray`` (the same
transform on Ray Data), ``local_corpus`` (the installed Python sources, licence-recorded) and
``decontaminate`` (keeping benchmark problems out).
"""

from lintseq_hf.dataset.run import GeneratedFile, GenerationInterrupted, generate_file

__all__ = ["GeneratedFile", "GenerationInterrupted", "generate_file"]
