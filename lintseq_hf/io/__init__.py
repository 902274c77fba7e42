"""A foundation (imports no other stage): reading and writing rows (one format rule for every stage) and the
embedded HumanEval."""
