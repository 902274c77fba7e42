"""Stage 1 of the pipeline, pure and framework-free: programs in, edit sequences out.

``programs`` (input checks, code extraction), ``sampler`` (LintSeq and RandSeq backward
sampling), ``edits`` (the edit text format: encode and decode), ``show`` (rendering a sequence).
"""
