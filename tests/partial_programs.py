"""Real programs and partial programs (random deletions) for the linter-verdict tests.

Programs: HumanEval prompt + canonical solution (``lintseq_hf.io.humaneval``) and the
real-code corpus of benchmarks/corpus.py (top-level functions and classes of the installed
``algorithms`` package and of the standard library, each with the imports it uses).
Partial programs: what LintSeq's sampler actually lints, random line subsets (often
syntax-broken), block deletions, and end-of-file variants (trailing newline, trailing blank
lines, an unterminated block at the end).
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np

from lintseq_hf.io.humaneval import humaneval_pairs
from lintseq_hf.lint.base import LintError
from lintseq_hf.lint.python.pylint_backend import PylintLinter
from lintseq_hf.core.sampler import block_children, line_indents, sample_edits_traced


def humaneval_programs() -> list[str]:
    return [pair["response"] for pair in humaneval_pairs()]


def _load_corpus():
    """benchmarks/corpus.py, the one definition of the real-code corpus (not a package)."""
    path = Path(__file__).resolve().parents[1] / "benchmarks" / "corpus.py"
    spec = importlib.util.spec_from_file_location("lintseq_benchmark_corpus", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


CORPUS = _load_corpus()


def algorithms_programs(limit: int | None = None) -> list[str]:
    """Top-level functions/classes of the ``algorithms`` package with the imports they use."""
    return CORPUS.algorithms_programs(limit)


def stdlib_programs(limit: int | None = None) -> list[str]:
    """Standard-library functions/classes with the imports they use (benchmarks/corpus.py)."""
    return CORPUS.stdlib_programs(limit)


class _Recorder:
    """Wraps a linter and keeps every text the sampler asks about."""

    name = "recorder"

    def __init__(self, inner: PylintLinter) -> None:
        self.inner = inner
        self.texts: list[str] = []

    def lint(self, text: str) -> list[LintError]:
        self.texts.append(text)
        return self.inner.lint(text)


EOF_SUFFIXES = ("\n", "\n\n\n", "\n    \n", "   ")


def partial_states(programs: list[str], seed: int, linter: PylintLinter) -> list[str]:
    """About five distinct partial programs per program, of every kind (see the module doc)."""
    rng = np.random.RandomState(seed)
    states: dict[str, None] = {}
    for index, program in enumerate(programs):
        lines = program.split("\n")
        n = len(lines)
        recorder = _Recorder(linter)
        sample_edits_traced(program, seed=seed + index, linter=recorder)
        picked = rng.choice(len(recorder.texts), size=min(2, len(recorder.texts)), replace=False)
        for i in picked:
            states[recorder.texts[int(i)]] = None
        # a random subset of lines deleted, children left behind: mostly syntax errors
        keep = rng.rand(n) > rng.uniform(0.1, 0.6)
        states["\n".join(line for line, k in zip(lines, keep) if k)] = None
        # two blocks deleted with their children: mostly parseable, with name errors
        children = block_children(line_indents(lines)[0])
        gone: set[int] = set()
        for target in rng.choice(n, size=min(2, n), replace=False):
            gone.update([int(target), *children[int(target)]])
        block_state = "\n".join(line for i, line in enumerate(lines) if i not in gone)
        states[block_state] = None
        # end-of-file edge cases
        if index % 2 == 0:
            base = block_state.rstrip("\n ")
            states[base + EOF_SUFFIXES[rng.randint(len(EOF_SUFFIXES))]] = None
        else:
            headers = [i for i, line in enumerate(lines) if line.rstrip().endswith(":")]
            if headers:
                cut = headers[rng.randint(len(headers))]
                states["\n".join(lines[: cut + 1]) + ("\n" if rng.rand() < 0.5 else "")] = None
    return list(states)


AUTHORS_SCRIPT = """
import json, sys, tempfile
from pylintseq.utils import file_linter
out = []
for text in json.load(sys.stdin):
    with tempfile.NamedTemporaryFile(suffix=".py", mode="r+") as handle:
        handle.write(text)
        handle.seek(0)
        out.append([[trace[0], trace[1]] for trace in file_linter(handle.name)])
sys.__stdout__.write(json.dumps(out))
"""


def authors_verdicts(texts: list[str], workdir: Path) -> list[set[tuple[str, int]]]:
    """(msg_id, line) of each text, from pylint run the authors' way: a fresh pylint on a temp
    file per call (``pylintseq.utils.file_linter``), in a separate process started in an empty
    folder (pylint reads rc files from the working directory)."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYLINTRC",)}
    done = subprocess.run(
        [sys.executable, "-c", AUTHORS_SCRIPT],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        cwd=workdir,
        env=env,
        check=True,
    )
    return [{(msg_id, _line(line)) for msg_id, line in traces} for traces in json.loads(done.stdout)]


def _line(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        return -1


def flagged_lines(text: str, lines: set[int]) -> set[int]:
    """0-based lines the sampler deletes for errors on these 1-based lines (line 0 → the last)."""
    count = len(text.split("\n"))
    return {line - 1 if 1 <= line <= count else count - 1 for line in lines}
