"""A foundation (imports no other stage): reading and writing rows (one format rule for every stage), the
embedded HumanEval, and repository cards."""
