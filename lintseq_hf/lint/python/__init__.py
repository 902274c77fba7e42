"""Python's verdicts: ``rules`` (the authors' pylint verdict: arguments, counted messages, the
parser), ``indentation`` (the W0311 rule both backends share), ``pylint_backend`` (the authors'
verdict, in process; ``pylint_process``: the process state a run touches) and ``fast`` (a
pylint-free approximation; ``module_facts``: its inference on the module's own functions and classes)."""
