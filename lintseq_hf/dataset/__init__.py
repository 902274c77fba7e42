"""Stage 3 of the pipeline: instruction+code rows → LintSeq rows.

``transform`` (the per-row transform, seeds, process pool, the report), ``builder`` (the
``datasets`` builder "lintseq"), ``registration`` (makes ``load_dataset("lintseq", …)`` work),
``card`` (dataset card and Hub push), ``ray`` (the same transform on Ray Data), ``local_corpus`` (the
installed Python sources, licence-recorded) and ``decontaminate`` (keeping benchmark problems out).
"""
