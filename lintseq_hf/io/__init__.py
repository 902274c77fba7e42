"""Reading and writing rows (one format rule for every stage) and the embedded HumanEval."""
