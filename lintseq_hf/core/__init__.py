"""The core, above the foundations (imports only ``lint``), pure and framework-free: programs in, edit
sequences out.

``programs`` (input checks, code extraction), ``sampler`` (LintSeq and RandSeq backward
sampling), ``edits`` (the edit text format: encode and decode), ``show`` (rendering a sequence).
"""
