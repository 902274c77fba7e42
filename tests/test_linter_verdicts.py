"""Our pylint backend gives the authors' verdict (docs/algorithm.md) on real partial programs.

The reference is pylint run the authors' way: ``pylintseq.utils.file_linter`` on a temp file,
a fresh pylint per call, in its own process. Compared per state: the set of counted
(msg_id, line) after the "on line N" remap, and the lines the sampler would delete.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from lintseq_hf.lint.python.pylint_backend import PylintLinter
from lintseq_hf.lint.registry import get_linter

from partial_programs import (
    algorithms_programs,
    authors_verdicts,
    flagged_lines,
    humaneval_programs,
    partial_states,
    stdlib_programs,
)

EDGE_CASES = [
    "def f(x):\n    return x\n",  # clean, ends with a newline
    "def f(x):\n    return x",  # clean, no final newline
    "def f(x):\n",  # unterminated block at EOF, text ends with a newline
    "def f(x):",  # unterminated block at EOF, no final newline
    "def f(x):\n\n\n",  # unterminated block, trailing blank lines
    "if True:\n    pass\nelse:\n",  # unterminated else at EOF
    "x = 1\n\n\n\n",  # trailing blank lines
    "    x = 1\n",  # unexpected indent on the first line
    "def f():\n  return 1\n",  # bad indentation (W0311)
    "class A:\n    def __init__(self):\n        pass\nclass B(A):\n    def __init__(self):\n        pass\n",
    "def f():\n    return y\n",  # undefined variable
    "print(z)\nz = 1\n",  # used before assignment
    "return 1\n",  # return outside function
    "for i in range(3):\n    pass\nbreak\n",  # break outside loop
    "x = (1,\n",  # unclosed bracket at EOF
    'x = """abc\n',  # unterminated string at EOF
    "def f(:\n    pass\n",
    "import os\nos.nosuchthing()\n",
    "# pylint: enable=missing-module-docstring\nx = 1\n",  # inline pragma: full checker set
    'x = "a\x08b"\n',  # a control character in a string (unicode checker)
    'x = "\u202eabc"\n',  # a bidirectional override character
    'x = "caf\u00e9"\n',  # plain non-ASCII text
    "# -*- coding: latin-1 -*-\nx = 1\n",  # a coding line
    "def f():\n    if True:\n          return 1\n    return 2\n",  # over-indented block (format checker)
    "import sys\n\n\ndef f():\n    return sys.stdin.buffer, sys.stdout.buffer\n",  # streams as pylint sees them
    "x = reversed(1)\nprint('{}').format(1)\nfor i in range(3):\n    pass\nprint(i)\n",  # E0111, E0119; W0631 ignored
    "class A:\n    def __len__(self):\n        return 'x'\n    def __iter__(self):\n        return 1\n",  # E0303, E0301
    "X = 1\n\n\ndef f():\n    print(X)\n    global X\n",  # E0118 used prior to the global declaration
    "def f():\n    y = 1\n\n    def g():\n        global y\n        nonlocal y\n\n    return g\n",  # E0115 (and E0117)
    "def f(a, /, b):\n    return a + b\n\n\nf(a=1, b=2)\n",  # E3102 positional-only passed as keyword
    "import requests\n\nrequests.get('x')\n",  # W3101 missing-timeout is ignored
    "",
]


def _ours(linter: PylintLinter, text: str) -> set[tuple[str, int]]:
    return {(e.msg_id, e.line) for e in linter.lint(text)}


def _compare(texts: list[str], tmp_path: Path) -> tuple[list[str], Counter]:
    linter = PylintLinter()
    reference = authors_verdicts(texts, tmp_path)
    mismatches: list[str] = []
    kinds: Counter = Counter()
    for text, theirs in zip(texts, reference):
        ours = _ours(linter, text)
        kinds["syntax" if any(m == "E0001" for m, _ in theirs) else "errors" if theirs else "clean"] += 1
        if ours != theirs or flagged_lines(text, {line for _, line in ours}) != flagged_lines(text, {line for _, line in theirs}):
            mismatches.append(f"{text!r}\n  ours:    {sorted(ours)}\n  authors: {sorted(theirs)}")
    return mismatches, kinds


def test_edge_cases_match_the_authors_pylint(tmp_path: Path) -> None:
    mismatches, kinds = _compare(EDGE_CASES, tmp_path)
    assert not mismatches, "\n".join(mismatches)
    assert kinds["syntax"] >= 5 and kinds["clean"] >= 3 and kinds["errors"] >= 5


@pytest.mark.slow
def test_partial_programs_match_the_authors_pylint(tmp_path: Path) -> None:
    programs = humaneval_programs() + algorithms_programs(limit=60)
    states = partial_states(programs, seed=1234, linter=PylintLinter())
    assert len(states) >= 600
    mismatches, kinds = _compare(states, tmp_path)
    assert not mismatches, f"{len(mismatches)} of {len(states)} differ:\n" + "\n".join(mismatches[:5])
    # the sample covers every kind of state
    assert kinds["syntax"] >= 100 and kinds["errors"] >= 50 and kinds["clean"] >= 100
    assert sum(not s.endswith("\n") for s in states) >= 100
    assert sum(s.endswith("\n") for s in states) >= 100


@pytest.mark.slow
def test_real_code_states_match_the_authors_pylint(tmp_path: Path) -> None:
    # functions of the algorithms package and of the standard library with the imports they
    # use, so pylint infers into standard-library modules (benchmarks/corpus.py)
    programs = algorithms_programs()[::10] + stdlib_programs()[::5]
    states = partial_states(programs, seed=4321, linter=PylintLinter())
    assert len(states) >= 500
    importing = [s for s in states if s.startswith(("import ", "from "))]
    assert len(importing) >= 100
    mismatches, kinds = _compare(states, tmp_path)
    assert not mismatches, f"{len(mismatches)} of {len(states)} differ:\n" + "\n".join(mismatches[:5])
    assert kinds["syntax"] >= 100 and kinds["errors"] >= 50 and kinds["clean"] >= 100
    # the work the restricted linter leaves out changes no verdict
    restricted, full = PylintLinter(cache_size=0), PylintLinter(cache_size=0, restrict=False)
    assert [restricted.lint(s) for s in importing] == [full.lint(s) for s in importing]


def test_sys_streams_as_the_authors_see_them_even_if_astroid_built_sys_before(tmp_path: Path) -> None:
    from astroid import MANAGER

    MANAGER.astroid_cache.pop("sys", None)
    MANAGER.ast_from_module_name("sys")  # built from the live streams of this process
    text = "import sys\n\n\ndef f():\n    return sys.stdin.buffer\n"
    (theirs,) = authors_verdicts([text], tmp_path)
    assert theirs == {("E1101", 5)}  # in their process the streams are StringIO objects
    assert _ours(PylintLinter(), text) == theirs


def test_verdict_does_not_depend_on_the_working_directory(tmp_path: Path, monkeypatch) -> None:
    text = "def f():\n    return 1\n"
    (tmp_path / "pylintrc").write_text("[MESSAGES CONTROL]\nenable=all\n")
    (tmp_path / "pyproject.toml").write_text("[tool.pylint.'MESSAGES CONTROL']\nenable = ['all']\n")
    monkeypatch.chdir(tmp_path)
    assert PylintLinter().lint(text) == []


def test_restricted_linter_equals_full_checker_set() -> None:
    restricted, full = PylintLinter(cache_size=0), PylintLinter(cache_size=0, restrict=False)
    for program in humaneval_programs()[:40]:
        lines = program.split("\n")
        for cut in (len(lines) // 3, len(lines) // 2):
            state = "\n".join(lines[:cut] + lines[cut + 2 :])
            assert restricted.lint(state) == full.lint(state), state


def test_memo_returns_the_same_verdict() -> None:
    linter = get_linter("pylint")
    text = "def f():\n    return undefined_name\n"
    first = linter.lint(text)
    assert linter.lint(text) == first and first and first[0].msg_id == "E0602"
