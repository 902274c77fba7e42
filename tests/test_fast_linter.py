"""The fast linter (``linter="fast"``) agrees with the pylint backend on partial programs."""

from __future__ import annotations

import io
import tokenize
from collections import Counter
from collections.abc import Iterable, Iterator

import pytest

from lintseq_hf import apply_edits, available_linters, get_linter, sample_edits
from lintseq_hf.lint.base import LintError
from lintseq_hf.lint.python.rules import parse_state
from lintseq_hf.lint.python.fast import FastLinter, lint_text
from lintseq_hf.lint.python.indentation import INDENT_STRING, statement_indentation_errors
from lintseq_hf.lint.python.pylint_backend import PylintLinter

from partial_programs import algorithms_programs, humaneval_programs, partial_states

# Small programs where pylint's name rules are subtle; the expected verdict is pylint's own.
NAME_RULE_CASES = {
    "use in a for loop that binds it": "def f(l):\n    for e in l:\n        if e > m:\n            m = e\n    return m\n",
    "bound only in an if": "def f(c):\n    if c:\n        x = 1\n    print(x)\n    print(x)\n",
    "used in the else branch": "def f(c):\n    if c:\n        x = 1\n    else:\n        print(x)\n",
    "first use before binding": "def f():\n    print(x)\n    print(x)\n    x = 1\n",
    "bound by its own comprehension": "def f():\n    g = [a for a in g]\n",
    "augmented, never bound": "def f():\n    d += 1\n    print(d)\n",
    "while test before body binding": "def f():\n    while b > 0:\n        b -= 1\n",
    "for iterable bound in the body": "def f():\n    for a in z:\n        z = a\n",
    "module level, before binding": "print(q)\nq = 1\n",
    "try body, except handler": "def f():\n    try:\n        y = 1\n    except ValueError:\n        print(y)\n",
    "bound in a for body, used after": "def f(l):\n    for e in l:\n        y = e\n    return y\n",
    "nested function uses it first": "def f():\n    def g():\n        return h\n    print(h)\n    h = 1\n",
    "if returns, else binds": "def f(c):\n    if c:\n        return 1\n    else:\n        y = 1\n    print(y)\n",
    "if/elif without else": "def f(c):\n    if c:\n        x = 1\n    elif c > 2:\n        x = 2\n    return x\n",
    "while body use before binding": "def f():\n    while True:\n        print(w)\n        w = 1\n",
    "default value bound later": "def f(a=zz):\n    pass\nzz = 1\n",
    "annotation undefined": "def f(a: List[int]) -> None:\n    pass\n",
    "class body before binding": "class A:\n    y = z\n    z = 1\n",
    "builtins": "def f():\n    return len(range(3)), __name__\n",
    "bad indentation": "def f(c):\n    if c:\n      return 1\n    elif c:\n        return 2\n    else:\n       return 3\n",
    "return outside function": "return 1\n",
    "break outside loop": "for i in range(2):\n    pass\nbreak\n",
    "control character": 'x = "a\x08b"\n',
    "bidirectional character": 'x = "\u202eabc"\n',
    "missing self attribute": "class A:\n    def __init__(self):\n        self.a = 1\n\n    def f(self):\n        return self.b\n",
    "too many arguments": "def g(a):\n    return a\n\n\ndef f():\n    return g(1, 2)\n",
    "class named in its own annotations": "class A:\n    x: A = None\n\n    def f(self, o: A) -> A:\n        y: A = o\n        return y\n",
    "class named after an earlier use consumed it": "class A:\n    def __init__(self):\n        self.n: list[A] = []\n\n    def f(self) -> A:\n        return self\n",
    "annotated assignment uses a later name": "def f(i):\n    q: list = [(i, j, 0)]\n    while q:\n        i, j, step = q.pop(0)\n",
    "enclosing function binds it too": "def f():\n    r = 1\n\n    def g():\n        if r is None:\n            r = []\n\n    return g\n",
    "use in the if branch that binds it": "def f(c):\n    if c:\n        x = max(x, 1)\n",
    "function without return": "def g(a):\n    print(a)\n\n\ndef f():\n    x = g(1)\n    return x\n",
}


@pytest.fixture(scope="module")
def pylint_backend() -> PylintLinter:
    return PylintLinter()


@pytest.fixture(scope="module")
def states(pylint_backend: PylintLinter) -> list[str]:
    programs = humaneval_programs() + algorithms_programs(limit=100)
    return partial_states(programs, seed=99, linter=pylint_backend)


def _lines(errors) -> set[int]:
    return {e.line for e in errors}


def test_fast_is_registered() -> None:
    assert "fast" in available_linters()
    assert isinstance(get_linter("fast"), FastLinter)


@pytest.mark.parametrize("case", sorted(NAME_RULE_CASES))
def test_name_and_indentation_rules_match_pylint(case: str, pylint_backend: PylintLinter) -> None:
    text = NAME_RULE_CASES[case]
    assert _lines(lint_text(text)) == _lines(pylint_backend.lint(text))


def test_syntax_errors_are_identical(states: list[str], pylint_backend: PylintLinter) -> None:
    broken = [s for s in states if parse_state(s)[0] is None]
    assert len(broken) >= 100
    for text in broken:
        assert lint_text(text) == pylint_backend.lint(text), text


def test_statement_indentation_rule_equals_the_token_rule(states: list[str]) -> None:
    checked = 0
    for text in states:
        tree = parse_state(text)[0]
        tokens = module_tokens(text)
        if tree is None or not isinstance(tokens, list):
            continue
        checked += 1
        by_tokens = {e.line for e in bad_indentation(tokens)}
        assert {e.line for e in statement_indentation_errors(tree, text.split("\n"))} == by_tokens, text
    assert checked >= 300


def test_agrees_with_pylint_on_98_percent_of_partial_programs(
    states: list[str], pylint_backend: PylintLinter
) -> None:
    disagreements: Counter = Counter()
    for text in states:
        ours, theirs = lint_text(text), pylint_backend.lint(text)
        if _lines(ours) != _lines(theirs):
            missed = sorted({e.msg_id for e in theirs if e.line not in _lines(ours)})
            extra = sorted({e.msg_id for e in ours if e.line not in _lines(theirs)})
            disagreements[f"missed {missed} extra {extra}"] += 1
    rate = 1 - sum(disagreements.values()) / len(states)
    assert rate >= 0.98, f"agreement {rate:.3f}; disagreements: {disagreements.most_common()}"


def test_sampling_with_the_fast_linter_rebuilds_the_program() -> None:
    for seed, program in enumerate(humaneval_programs()[:20]):
        edits = sample_edits(program, seed=seed, linter="fast")
        assert apply_edits(edits) == program.strip()


# pylint's bad-indentation rule as its format checker runs it, on the token stream: the reference
# that the statement-node rule of lintseq_hf.lint.python.indentation is compared with above.
def module_tokens(text: str) -> list[tokenize.TokenInfo] | LintError:
    """Tokens as pylint reads the module; a tokenize failure is pylint's E0001 at its line."""
    try:
        return list(tokenize.generate_tokens(io.StringIO(text).readline))
    except tokenize.TokenError as exc:
        line = exc.args[1][0] if len(exc.args) > 1 else 0
        column = exc.args[1][1] if len(exc.args) > 1 else 0
        return LintError("E0001", line, column, str(exc.args[0]))
    except (SyntaxError, ValueError) as exc:  # IndentationError from the tokenizer
        return LintError("E0001", getattr(exc, "lineno", 0) or 0, 0, str(exc))


def bad_indentation(tokens: Iterable[tokenize.TokenInfo]) -> Iterator[LintError]:
    """W0311: a statement whose indentation is not exactly its block depth × four spaces.

    The rule of pylint's format checker, on the same token stream: an INDENT must be one
    level deeper than the enclosing block, and the first token of a statement after a
    NEWLINE or DEDENT must sit exactly at the current level.
    """
    levels = [0]
    check_equal = False
    line_num = 0
    for tok_type, string, start, _end, line in tokens:
        line_num = start[0]
        if tok_type == tokenize.NEWLINE:
            check_equal = True
        elif tok_type == tokenize.INDENT:
            check_equal = False
            error = _token_indent_error(string, levels[-1] + 1, line_num)
            if error is not None:
                yield error
            levels.append(levels[-1] + 1)
        elif tok_type == tokenize.DEDENT:
            check_equal = True
            if len(levels) > 1:
                levels.pop()
        elif tok_type in (tokenize.NL, tokenize.COMMENT, tokenize.ENCODING):
            pass
        elif check_equal:
            check_equal = False
            error = _token_indent_error(line, levels[-1], line_num)
            if error is not None:
                yield error


def _token_indent_error(string: str, expected: int, line_num: int) -> LintError | None:
    level = 0
    unit = len(INDENT_STRING)
    while string[:unit] == INDENT_STRING:
        string = string[unit:]
        level += 1
    extra = len(string) - len(string.lstrip(" \t"))
    if level == expected and not extra:
        return None
    return LintError("W0311", line_num, 0, f"Bad indentation. Found {level * unit + extra} spaces, expected {expected * unit}")
