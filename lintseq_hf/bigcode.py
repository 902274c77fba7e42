"""``python -m lintseq_hf.bigcode``: the bigcode harness with our tasks (see :mod:`lintseq_hf.evaluation.bigcode`)."""

from lintseq_hf.evaluation.bigcode import main

if __name__ == "__main__":
    main()
