"""A foundation (imports no other stage): linter verdicts (which lines of a program state are in error).

``base`` (the counted-error type, the Linter protocol, the verdict memo every backend
subclasses), ``python/`` (the authors' pylint verdict: its rules, the in-process pylint backend,
the pylint-free fast backend), ``compilers/`` (one module per compiler of the other languages)
and ``registry`` (backends by name, loaded lazily).
"""
