"""Sequences per language on the whole real corpora (``tests/data/<language>``), and the
guarantees checked on every state: the figures of docs/languages.md.

For each program one sequence is sampled (seed = its index) with the language's default linter;
then the original and every intermediate state go to the language's compiler called directly
(``tests/language_tools.py``, not our backends). Per language: programs, mean lines, mean edits
per sequence, tool calls per program (verdicts the linter computed), programs skipped with their
reasons, what the input check says of each program cut short (its last line starting with ``}``
removed: a syntax error, to be skipped as ``syntax_error``), and the guarantees: states with an
error the original lacks, sequences that are not insertions only or do not rebuild their program
(all must be 0). ``tests/test_languages_real.py`` runs the same audit on the 50 shortest programs
(slow) and on a few (default run).

    nice -n 10 python benchmarks/language_audit.py --output benchmarks/results/language_audit.json
    nice -n 10 python benchmarks/language_audit.py --languages c go --programs 20
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import statistics
import subprocess
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

from lintseq_hf.dataset.transform import GenerateConfig, process_row

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"


def _test_module(name: str) -> ModuleType:
    """A helper module of ``tests/`` (they import each other by their bare names)."""
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, TESTS / f"{name}.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def _version(command: list[str]) -> str:
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    return (done.stdout or done.stderr).strip().split("\n")[0]


TOOL_VERSIONS = {
    "c": ["gcc", "--version"], "cpp": ["g++", "--version"], "rust": ["rustc", "--version"],
    "java": ["javac", "-version"], "go": ["go", "version"], "javascript": ["node", "--version"],
    "typescript": ["node", "--version"],
}


def _corpora() -> ModuleType:
    _test_module("language_tools")
    return _test_module("language_corpora")


def measure_cuts(language: str, count: int | None) -> dict[str, Any]:
    """What the input check (one linter call, as ``lintseq generate`` runs it) says of each program cut short."""
    corpora = _corpora()
    cuts = [cut for cut in map(corpora.without_last_closer, corpora.shortest(language, count)) if cut is not None]
    config = GenerateConfig(language=language, num_samples=1, timeout=None, extract=False)
    reasons = Counter(
        process_row({"instruction": "x", "response": cut}, i, config, sample=False).skip_reason or "kept"
        for i, cut in enumerate(cuts)
    )
    return {"cut_programs": len(cuts), "cut_programs_by_reason": dict(reasons)}


def measure(language: str, count: int | None) -> dict[str, Any]:
    """The audit of ``language``'s ``count`` shortest programs (all if ``None``), as a JSON row."""
    corpora = _corpora()
    programs = corpora.shortest(language, count)
    result = corpora.audit(language, programs)
    sequences = len(result.edits)
    return {
        "language": language,
        "tool": _version(TOOL_VERSIONS[language]),
        "programs": len(programs),
        "sequences": sequences,
        "mean_lines": statistics.fmean(result.lines) if sequences else None,
        "mean_edits": statistics.fmean(result.edits) if sequences else None,
        "median_edits": statistics.median(result.edits) if sequences else None,
        "mean_edits_per_line": statistics.fmean(e / n for e, n in zip(result.edits, result.lines)) if sequences else None,
        "tool_calls_per_program": statistics.fmean(result.tool_calls) if sequences else None,
        "tool_calls": sum(result.tool_calls),
        "sample_seconds": result.sample_seconds,
        "skipped": result.skipped,
        "skip_details": result.skip_details,
        **measure_cuts(language, count),
        "states_checked": result.states,
        "unchecked_originals": result.unchecked_originals,
        "states_with_new_errors": len(result.new_errors),
        "not_insertions_or_not_rebuilt": result.broken,
        "new_errors": [{"program": p, "state": s, "errors": e} for p, s, e in result.new_errors],
        "check_seconds": result.check_seconds,
    }


def main(argv: list[str] | None = None) -> int:
    languages = ["c", "cpp", "javascript", "typescript", "java", "rust", "go"]
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--languages", nargs="+", default=languages, choices=languages)
    parser.add_argument("--programs", type=int, help="the shortest N programs per language (default: all)")
    parser.add_argument("--output", help="write the results as JSON here (languages already in it are kept)")
    parser.add_argument("--cuts-only", action="store_true", help="only add the cut programs' figures to --output's rows")
    args = parser.parse_args(argv)
    out = Path(args.output) if args.output else None
    saved = json.loads(out.read_text(encoding="utf-8")) if out and out.is_file() else {"results": []}
    if args.cuts_only:
        rows = {r["language"]: r for r in saved["results"]}
        for language in args.languages:
            rows[language].update(measure_cuts(language, rows[language]["programs"]))
            print(f"{language}: without their last '}}' {rows[language]['cut_programs_by_reason']}", flush=True)
        if out:
            out.write_text(json.dumps(saved, indent=1) + "\n", encoding="utf-8")
        return 0
    failed = False
    for language in args.languages:
        row = measure(language, args.programs)
        row["load_average"] = os.getloadavg()
        print(
            f"{language}: {row['programs']} programs, {row['sequences']} sequences, {row['mean_lines']:.1f} lines, "
            f"{row['mean_edits']:.1f} edits (median {row['median_edits']}), {row['tool_calls_per_program']:.1f} tool calls "
            f"per program, skipped {row['skipped']}, without their last '}}' {row['cut_programs_by_reason']}, "
            f"{row['states_checked']} states checked directly: "
            f"{row['states_with_new_errors']} with a new error, {len(row['not_insertions_or_not_rebuilt'])} broken sequences",
            flush=True,
        )
        for item in row["new_errors"] + row["not_insertions_or_not_rebuilt"] + row["skip_details"]:
            print("  ", json.dumps(item)[:600])
        failed |= bool(row["new_errors"] or row["not_insertions_or_not_rebuilt"] or row["unchecked_originals"])
        saved["results"] = [r for r in saved["results"] if r["language"] != language] + [row]
        if out:
            saved["machine"] = f"{platform.machine()}, {os.cpu_count()} cores, shared with other jobs"
            out.write_text(json.dumps(saved, indent=1) + "\n", encoding="utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
