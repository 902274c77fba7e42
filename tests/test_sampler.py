"""LintSeq sampling on every HumanEval program: exact rebuild, insertion-only, lint-clean states."""

from __future__ import annotations

import numpy as np
import pytest

from lintseq_hf import apply_edits, get_linter, sample_edits, sample_edits_traced
from lintseq_hf.core.edits import parse_edit
from lintseq_hf.core.sampler import (
    LintSeqOptions,
    SamplingError,
    block_children,
    candidate_lines,
    forward_edits,
    line_indents,
    program_lines,
)

SEEDS = (0, 1, 2)


def _states(program: str, steps: list[list[int]]) -> list[str]:
    """Program texts after each backward step, as the sampler linted them."""
    lines = program_lines(program)
    present = [True] * len(lines)
    states = []
    for step in steps:
        for i in step:
            present[i] = False
        states.append("\n".join(line for line, here in zip(lines, present) if here))
    return states


@pytest.mark.parametrize("seed", SEEDS)
def test_every_humaneval_program_rebuilds_exactly_from_insertions(humaneval_programs, seed):
    for index, program in enumerate(humaneval_programs):
        edits = sample_edits(program, seed=seed + 1000 * index)
        assert edits, index
        for edit in edits:
            hunks = parse_edit(edit)  # raises unless every hunk is an insertion
            assert hunks and all(h.lines for h in hunks)
            assert not any(line.startswith("-") for line in edit.split("\n"))
        assert apply_edits(edits) == program.strip(), index


@pytest.mark.parametrize("seed", SEEDS)
def test_every_intermediate_state_is_lint_clean(humaneval_programs, seed):
    linter = get_linter("pylint")
    for index, program in enumerate(humaneval_programs):
        _, trace = sample_edits_traced(program, seed=seed + 1000 * index)
        for state in _states(program, trace.steps):
            assert linter.lint(state) == [], (index, state)


def test_decoded_states_are_the_stripped_backward_states(humaneval_programs):
    program = humaneval_programs[10]
    edits, trace = sample_edits_traced(program, seed=3)
    backward = [program] + _states(program, trace.steps)
    expected = [s.strip() for s in reversed(backward) if s.strip()]
    decoded = [apply_edits(edits[:k]) for k in range(1, len(edits) + 1)]
    # consecutive backward states may be equal after stripping (an edit of blank lines only)
    assert decoded == list(dict.fromkeys(expected))


def test_same_seed_same_edits_and_different_seed_differs(humaneval_programs):
    program = humaneval_programs[0]
    assert sample_edits(program, seed=7) == sample_edits(program, seed=7)
    assert any(sample_edits(program, seed=7) != sample_edits(program, seed=s) for s in range(8, 12))


def test_original_errors_are_inserted_last_by_default():
    program = "import os\n\ndef f(x):\n    return undefined_name + x\n\nprint(f(1))"
    edits = sample_edits(program, seed=0)
    assert apply_edits(edits) == program
    # the undefined name is an error: it can only appear in the final state
    assert all("undefined_name" not in apply_edits(edits[:k]) for k in range(1, len(edits)))


def test_ignore_init_errors_keeps_lines_with_original_errors_in_intermediate_states():
    program = "import os\n\ndef f(x):\n    return undefined_name + x\n\nprint(f(1))"
    options = LintSeqOptions(ignore_init_errors=True)
    seen = set()
    for seed in range(6):
        edits = sample_edits(program, seed=seed, options=options)
        assert apply_edits(edits) == program
        seen.add(len(edits))
    assert max(seen) >= 3


def test_random_method_rebuilds_and_needs_no_linter(humaneval_programs):
    for index, program in enumerate(humaneval_programs[:40]):
        edits = sample_edits(program, seed=index, method="random")
        assert apply_edits(edits) == program.strip()
        assert all(parse_edit(e) for e in edits)


def test_unknown_method_and_linter_are_rejected():
    with pytest.raises(ValueError, match="unknown method"):
        sample_edits("x = 1", seed=0, method="bogus")
    with pytest.raises(ValueError, match="unknown linter"):
        sample_edits("x = 1", seed=0, linter="bogus")


def test_comments_only_program_has_no_candidates():
    with pytest.raises(SamplingError):
        sample_edits("# nothing\n\n   # here", seed=0)


def test_candidates_skip_comments_blank_lines_and_global_definition_continuations():
    lines = program_lines('NAMES = [\n    "a",\n    "b",\n]\n# note\n\ndef f():\n    return NAMES\nVALUES = (\n 1,\n 2)\nX = (1,\n 2)')
    # "X = (1," does not end in "(" or "[": not a multi-line definition for the authors
    assert candidate_lines(lines) == [0, 6, 7, 8, 11, 12]


def test_indents_carry_over_short_lines_and_children_follow_blocks():
    lines = program_lines("def f():\n    x = [\n        1,\n    ]\n\n    return x\ny = 2")
    indents, tab = line_indents(lines)
    assert tab == 4
    assert indents == [0, 4, 8, 8, 8, 4, 0]
    children = block_children(indents)
    assert list(children[0]) == [1, 2, 3, 4, 5]
    assert list(children[1]) == [2, 3, 4]
    assert list(children[6]) == []


def test_forward_edits_strip_states_like_the_authors():
    program = "\n\nimport os\n\nx = 1  \n"
    edits = forward_edits(program, [[4], [2]])
    assert edits == ["@@ -0,0 +1 @@\n+import os", "@@ -1,0 +2,2 @@\n+\n+x = 1"]
    assert apply_edits(edits) == program.strip()


def _authors(program: str, seed: int) -> tuple[list, list[str]]:
    """pylintseq's sampler with the settings of its generate script, seeded the numpy-global way."""
    from pylintseq import utils as authors

    np.random.seed(seed)
    path = authors.lintseq_backward_sampling_pythonic(
        program, children_per_round=1, top_k=1, max_population_size=1, max_depth=512,
        indent_bias_sampling_factor=1, ignore_imports=False, ignore_comments=True,
        ignore_global_defs=True, ignore_init_errors=False,
    )
    _, diffs = authors.inflate_edit_path(program, path[0][0])
    return path, diffs


def test_matches_the_authors_sampler_step_for_step(humaneval_programs):
    """Same seed → same deletions and (defect cases aside) byte-identical edits as pylintseq."""
    identical = 0
    sample = humaneval_programs[:12]
    for index, program in enumerate(sample):
        path, theirs = _authors(program, index)
        ours, trace = sample_edits_traced(program, seed=index)
        seen: set[int] = set()
        their_steps = []
        for step in path[0][0]:
            their_steps.append(sorted(set(step) - seen))
            seen |= set(step)
        assert their_steps == trace.steps, index
        authors_insert_only = not any(line.startswith("-") for d in theirs for line in d.split("\n"))
        if authors_insert_only:
            assert ours == theirs, index
            identical += 1
    assert identical >= len(sample) - 1


@pytest.mark.slow
def test_matches_the_authors_on_all_of_humaneval(humaneval_programs):
    defects = 0
    for index, program in enumerate(humaneval_programs):
        path, theirs = _authors(program, index)
        ours = sample_edits(program, seed=index)
        if any(line.startswith("-") for d in theirs for line in d.split("\n")):
            defects += 1
            assert apply_edits(ours) == program.strip()
        else:
            assert ours == theirs, index
    assert defects < 10


def test_the_work_budget_raises_a_specific_error_deterministically(humaneval_programs):
    from lintseq_hf.core.sampler import LintBudgetExceeded

    program = humaneval_programs[0]
    _, trace = sample_edits_traced(program, seed=1)
    budget = trace.lint_chars - 1  # one character short of what this sequence needs
    for _ in range(2):
        with pytest.raises(LintBudgetExceeded) as info:
            sample_edits(program, seed=1, options=LintSeqOptions(max_lint_chars=budget))
        assert info.value.budget == budget and info.value.needed > budget
    assert sample_edits(program, seed=1, options=LintSeqOptions(max_lint_chars=trace.lint_chars)) == sample_edits(program, seed=1)


def test_the_default_budget_changes_no_humaneval_sequence(humaneval_programs):
    from lintseq_hf.core.sampler import MAX_LINT_CHARS

    unbounded = LintSeqOptions(max_lint_chars=None)
    assert LintSeqOptions().max_lint_chars == MAX_LINT_CHARS
    for index, program in enumerate(humaneval_programs):
        edits, trace = sample_edits_traced(program, seed=index)
        assert trace.lint_chars < MAX_LINT_CHARS / 100
        assert edits == sample_edits(program, seed=index, options=unbounded), index


def test_budget_options_are_checked():
    with pytest.raises(ValueError, match="max_lint_chars must be >= 1"):
        LintSeqOptions(max_lint_chars=0)
    with pytest.raises(ValueError, match="max_steps must be >= 1"):
        LintSeqOptions(max_steps=0)


def test_draw_one_is_numpys_choice_and_leaves_the_same_state():
    """The sampler's draw equals ``RandomState.choice(..., (1,), p=..., replace=False)``, draw for draw."""
    from lintseq_hf.core.sampler import draw_one, seeded_rng

    weights_rng = np.random.RandomState(1234)
    for trial in range(300):
        size = int(weights_rng.randint(1, 60))
        weights = weights_rng.choice([0.0, 1.0, 2.0, 3.0, 0.5, 7.25], size)
        weights[int(weights_rng.randint(size))] = 1.0  # at least one positive weight
        population = sorted(int(i) for i in weights_rng.choice(10_000, size, replace=False))
        theirs = np.random.RandomState(trial)
        ours = seeded_rng(trial)
        for _ in range(4):
            probs = weights / weights.sum()
            expected = int(theirs.choice(population, (1,), p=probs, replace=False)[0])
            assert draw_one(ours, population, probs) == expected
        assert ours.random_sample() == theirs.random_sample()
    # re-seeding the shared generator is the same stream as a new one, even after other draws
    seeded_rng(5).random_sample(17)
    assert seeded_rng(5).random_sample(3).tolist() == np.random.RandomState(5).random_sample(3).tolist()
