"""Verdicts of languages other than Python, from each language's own compiler: one module per
tool (``gcc`` for C and C++, ``rustc``, ``javac``, ``tsc`` for JavaScript and TypeScript, ``go``),
``tools`` (running a tool once per state, building helpers once), ``worker`` (the long-lived worker
process the JVM, Node and Go backends share) and ``forkserver`` (a compiler kept where it opens the
state, forked once per state: GCC and rustc). A new language is one module here plus one row in
:mod:`lintseq_hf.core.languages`."""
