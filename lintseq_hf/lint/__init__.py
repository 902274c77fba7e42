"""A foundation (imports no other stage): linter verdicts (which lines of a program state are in error).

``base`` (the counted-error type, the Linter protocol, the authors' message rule, the verdict
cache, the parser), ``indentation`` (the W0311 rule both backends share), ``pylint_backend``
(the authors' verdict, in process), ``fast`` (a pylint-free approximation) and ``registry``
(backends by name, loaded lazily).
"""
