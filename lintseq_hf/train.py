"""``python -m lintseq_hf.train``: fine-tune a causal LM on LintSeq rows (see :mod:`lintseq_hf.training.run`)."""

from lintseq_hf.training.run import main

if __name__ == "__main__":
    raise SystemExit(main(prog="python -m lintseq_hf.train"))
