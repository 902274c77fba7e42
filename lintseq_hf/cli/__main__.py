"""``python -m lintseq_hf.cli``, the same as the ``lintseq`` command."""

from lintseq_hf.cli import main

raise SystemExit(main())
