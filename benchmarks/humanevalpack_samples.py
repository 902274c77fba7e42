"""Samples files of a HumanEvalPack file's own solutions, to check ``lintseq score`` on the real rows.

For each row: its ``canonical_solution`` and its ``buggy_solution`` in the three scoring modes. ``completion``:
the solution as the text after the prompt. ``lintseq``: prompt + solution, stripped, as a two-edit sequence
(odd lines, then the rest). ``instruct``: prompt + solution in a fenced block. Score each file with
``lintseq score --mode MODE`` (docs/evaluation.md, "Checked on the real rows", has the commands and figures):
every canonical solution should pass, every buggy one fail.

    python benchmarks/humanevalpack_samples.py humanevalpack-rust.jsonl --language rust --out samples/
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from lintseq_hf.core.edits import diff_insertion, format_completion
from lintseq_hf.evaluation.problems import read_table

FENCES = {"cpp": "cpp", "js": "javascript", "java": "java", "rust": "rust"}
KINDS = {"canonical": "canonical_solution", "buggy": "buggy_solution"}


def edit_sequence(program: str) -> str:
    """``program`` as a two-edit LintSeq completion (its odd lines first, then the even ones)."""
    lines = program.rstrip("\n").split("\n")
    first = [line for index, line in enumerate(lines) if index % 2 == 0]
    edits = [diff_insertion(first, [True] * len(first)),
             diff_insertion(lines, [index % 2 == 1 for index in range(len(lines))])]
    return format_completion(edits)


def samples(row: dict, field: str, mode: str, language: str) -> dict:
    """One sample of ``row``'s solution ``field`` in ``mode``."""
    program = row["prompt"] + row[field]
    completion = {"completion": row[field], "lintseq": edit_sequence(program.strip() + "\n"),
                  "instruct": f"Here it is:\n```{FENCES[language]}\n{program}\n```\n"}[mode]
    return {"task_id": row["task_id"], "completion": completion}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", help="a HumanEvalPack file (.jsonl, .json, .parquet) in the dataset's schema")
    parser.add_argument("--language", required=True, choices=sorted(FENCES))
    parser.add_argument("--out", required=True, help="folder for <language>_<kind>_<mode>.jsonl")
    args = parser.parse_args()
    rows = read_table(Path(args.source))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for kind, field in KINDS.items():
        for mode in ("completion", "lintseq", "instruct"):
            path = out / f"{args.language}_{kind}_{mode}.jsonl"
            path.write_text("".join(json.dumps(samples(row, field, mode, args.language)) + "\n" for row in rows),
                            encoding="utf-8")
            print(path)


if __name__ == "__main__":
    main()
