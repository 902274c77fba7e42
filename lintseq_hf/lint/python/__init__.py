"""Python's verdicts: ``rules`` (the authors' pylint verdict: arguments, counted messages, the
parser), ``indentation`` (the W0311 rule both backends share), ``pylint_backend`` (the authors'
verdict, in process) and ``fast`` (a pylint-free approximation)."""
