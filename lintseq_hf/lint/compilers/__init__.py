"""Verdicts of languages other than Python, from each language's own compiler: one module per
tool (``gcc`` for C and C++, ``rustc``, ``javac``, ``tsc`` for JavaScript and TypeScript,
``go``), ``tools`` (running a tool once per state) and ``worker`` (the long-lived worker process
the JVM and Node backends share). A new language is one module here plus one row in
:mod:`lintseq_hf.core.languages`."""
