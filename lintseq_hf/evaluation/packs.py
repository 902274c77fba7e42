"""HumanEvalPack and MultiPL-E rows as :class:`~lintseq_hf.evaluation.problems.Problem` (compiled languages).

Families, spelled ``<benchmark>_<config language>`` as each benchmark names its configs:
``humanevalpack_{cpp,js,java,rust}`` (``bigcode/humanevalpack``, config ``<lang>``),
``multiple_{cpp,js,ts,java,rs}`` (``nuprl/MultiPL-E``, config ``humaneval-<lang>``) and
``multiple_mbpp_{cpp,js,ts,java,rs}`` (config ``mbpp-<lang>``); split ``test``.

HumanEvalPack rows carry their own ``instruction``. MultiPL-E rows do not: theirs is built from the
prompt's comment and the function's signature line, in HumanEvalPack's words
("Write a <Language> function `<signature>` to solve the following problem:\\n<comment>"; Java adds
"in class `Problem`", the class its tests' ``main`` lives in).
Their lm-eval and bigcode tasks are named by :func:`task_name`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

HUMANEVALPACK_LANGUAGES = {"cpp": "cpp", "js": "js", "java": "java", "rust": "rust"}
MULTIPLE_LANGUAGES = {"cpp": "cpp", "js": "js", "ts": "ts", "java": "java", "rs": "rust"}
"""Benchmark config language → our language name (:data:`lintseq_hf.evaluation.toolchains.TOOLCHAIN_LANGUAGES`)."""
LANGUAGE_NAMES = {"cpp": "C++", "js": "JavaScript", "ts": "TypeScript", "java": "Java", "rust": "Rust"}
PACK_FAMILIES = (
    *(f"humanevalpack_{lang}" for lang in HUMANEVALPACK_LANGUAGES),
    *(f"multiple_{lang}" for lang in MULTIPLE_LANGUAGES),
    *(f"multiple_mbpp_{lang}" for lang in MULTIPLE_LANGUAGES),
)


def task_name(family: str, mode: str) -> str:
    """The lm-eval and bigcode task of a family in ``lintseq`` or ``instruct`` mode: ``_lintseq`` goes before
    the language (``humanevalpack_lintseq_cpp``, ``multiple_mbpp_lintseq_rs``), ``_instruct`` after it."""
    head, language = family.rsplit("_", 1)
    return f"{head}_lintseq_{language}" + ("_instruct" if mode == "instruct" else "")


def task_language(task: str) -> str | None:
    """The language (display name, e.g. ``"Rust"``) a harness task of ours evaluates: ``"Python"`` for the
    Python families, None for a name that is not one of our tasks (for model cards that list languages)."""
    for family in PACK_FAMILIES:
        if task in (task_name(family, "lintseq"), task_name(family, "instruct")):
            return LANGUAGE_NAMES[family_language(family)[1]]
    head = task.removesuffix("_instruct").removesuffix("_lintseq")
    return "Python" if head in ("humaneval", "mbpp", "humaneval_plus", "mbpp_plus") and "_lintseq" in task else None


def hub_source(family: str) -> tuple[str, str, str]:
    """(Hub id, config, split) of a family of :data:`PACK_FAMILIES`."""
    if family.startswith("humanevalpack_"):
        return "bigcode/humanevalpack", family.removeprefix("humanevalpack_"), "test"
    if family.startswith("multiple_mbpp_"):
        return "nuprl/MultiPL-E", "mbpp-" + family.removeprefix("multiple_mbpp_"), "test"
    return "nuprl/MultiPL-E", "humaneval-" + family.removeprefix("multiple_"), "test"


def family_language(family: str) -> tuple[str, str]:
    """(benchmark, our language name) of a family: ``("humanevalpack", "rust")``, ``("multiple", "cpp")``."""
    if family.startswith("humanevalpack_"):
        return "humanevalpack", HUMANEVALPACK_LANGUAGES[family.removeprefix("humanevalpack_")]
    return "multiple", MULTIPLE_LANGUAGES[family.rsplit("_", 1)[1]]


def humanevalpack_fields(row: Mapping[str, Any], language: str) -> dict[str, Any]:
    """Problem fields of a HumanEvalPack row (its own instruction; ``declaration`` kept for Rust's rule)."""
    return {
        "task_id": str(row["task_id"]), "instruction": str(row["instruction"]).strip(), "prompt": row["prompt"],
        "test": row["test"], "entry_point": row["entry_point"],
        "canonical_solution": row.get("canonical_solution") or "",
        "language": language, "benchmark": "humanevalpack", "declaration": row.get("declaration") or "",
    }


def multiple_fields(row: Mapping[str, Any], language: str) -> dict[str, Any]:
    """Problem fields of a MultiPL-E row (the instruction made from the prompt, see the module docstring)."""
    prompt = row["prompt"]
    signature, entry = _signature(prompt, row["name"])
    where = " in class `Problem`" if language == "java" else ""  # the tests call it from Problem.main
    instruction = (f"Write a {LANGUAGE_NAMES[language]} function `{signature}`{where} to solve the following "
                   f"problem:\n{prompt_comment(prompt)}")
    return {
        "task_id": str(row["name"]), "instruction": instruction.strip(), "prompt": prompt, "test": row["tests"],
        "entry_point": entry, "language": language, "benchmark": "multiple",
        "stop_tokens": tuple(row.get("stop_tokens") or ()),
    }


_COMMENT = re.compile(r"^\s*(//+|/\*+|\*+/|\*)\s?")


def prompt_comment(prompt: str) -> str:
    """The text of the comment lines of a MultiPL-E prompt (``//``, ``/* */`` and ``*`` markers removed)."""
    lines = []
    for line in prompt.split("\n"):
        if _COMMENT.match(line):
            text = _COMMENT.sub("", line).rstrip()
            text = text.removesuffix("*/").rstrip()
            if text or lines:
                lines.append(text)
    return "\n".join(lines).strip()


def _signature(prompt: str, name: str) -> tuple[str, str]:
    """The function header line the prompt ends with (without its ``{``) and the function's name."""
    header = next((line.strip() for line in reversed(prompt.rstrip().split("\n"))
                   if line.strip() and not _COMMENT.match(line)), "")
    signature = header.removesuffix("{").strip()
    match = re.search(r"(\w+)\s*(<[^()]*>)?\s*\(", signature)
    entry = match.group(1) if match else name
    return signature, entry
