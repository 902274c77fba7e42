"""Programs/s of LintSeq sampling for C, C++ and Rust: the one-process-per-state reference
linters (``gcc-reference``, ``g++-reference``, ``rustc-reference``) against the fork-server ones
(``gcc``, ``g++``, ``rustc``), side by side in one run, and their verdict agreement per state.

The programs are the real ones the tests use (``tests/data/<language>``, cut as
``tests/test_languages_real.py`` cuts them). For each program the reference and the new linter
sample the same seed one after the other (so load on the machine hits both alike); every state
either linter saw is then checked by both, and each disagreement is printed.

    nice -n 10 python benchmarks/languages.py --languages c cpp rust --programs 30 --output out.json
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import time
from pathlib import Path
from typing import Any

from lintseq_hf.core.sampler import sample_edits
from lintseq_hf.lint.base import LintError
from lintseq_hf.lint.registry import get_linter, linter_class

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
PAIRS = {"c": ("gcc-reference", "gcc"), "cpp": ("g++-reference", "g++-fork"), "rust": ("rustc-reference", "rustc")}
RUST_CONTEXT = {"use_declaration", "macro_definition", "enum_item", "struct_item", "trait_item", "type_item",
                "inner_attribute_item", "line_comment", "block_comment"}


def _units() -> Any:
    """``tests/language_tools.units``: one program per top-level definition of a file."""
    spec = importlib.util.spec_from_file_location("language_tools", ROOT / "tests" / "language_tools.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.units


def programs(language: str, count: int) -> list[str]:
    """The ``count`` shortest real test programs of ``language``, in their original order."""
    if language == "c":
        units = _units()
        found = [u for p in sorted((DATA / "c").glob("*.c")) for u in units(p.read_text(encoding="utf-8"), "c", {"function_definition"})]
    elif language == "rust":
        units = _units()
        found = [u for p in sorted((DATA / "rust").glob("**/*.rs"))
                 for u in units(p.read_text(encoding="utf-8"), "rust", {"function_item", "impl_item"}, RUST_CONTEXT)]
    else:
        found = [p.read_text(encoding="utf-8") for p in sorted((DATA / "cpp").glob("**/*.cpp"))]
    chosen = sorted(sorted(range(len(found)), key=lambda i: (len(found[i]), i))[:count])
    return [found[i] for i in chosen]


class Recorder:
    """A linter wrapper that keeps every state it was asked about."""

    def __init__(self, linter: Any) -> None:
        self.linter = linter
        self.name = linter.name
        self.states: dict[str, list[LintError]] = {}

    def lint(self, text: str) -> list[LintError]:
        errors = self.linter.lint(text)
        self.states[text] = errors
        return errors


def _cpu_seconds() -> float:
    """CPU time of this process and of its reaped children (a fork server's children are reaped
    by the server, and it by us when its linter closes)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def cpu_per_state(name: str, states: list[str]) -> float:
    """Milliseconds of CPU (ours and the tools') per state for a fresh linter ``name`` checking
    ``states`` once each, in order (load on the machine changes this far less than wall time)."""
    linter = linter_class(name)()
    start = _cpu_seconds()
    for text in states:
        linter.lint(text)
    if hasattr(linter, "close"):
        linter.close()
    return (_cpu_seconds() - start) / max(1, len(states)) * 1000


def measure(language: str, count: int, seeds: int) -> dict[str, Any]:
    """Side-by-side programs/s and verdict agreement for one language."""
    reference_name, new_name = PAIRS[language]
    reference, new = Recorder(get_linter(reference_name)), Recorder(get_linter(new_name))
    chosen = programs(language, count)
    seconds = {reference_name: 0.0, new_name: 0.0}
    same_edits = 0
    runs = 0
    for index, program in enumerate(chosen):
        for seed in range(index, index + seeds):
            outputs = {}
            for recorder in (reference, new) if seed % 2 == 0 else (new, reference):
                start = time.perf_counter()
                outputs[recorder.name] = sample_edits(program, seed=seed, language=language, linter=recorder)  # type: ignore[arg-type]
                seconds[recorder.name] += time.perf_counter() - start
            same_edits += outputs[reference_name] == outputs[new_name]
            runs += 1
    states = set(reference.states) | set(new.states)
    differences = []
    for text in sorted(states):
        ours = new.states.get(text)
        theirs = reference.states.get(text)
        ours = new.linter.lint(text) if ours is None else ours
        theirs = reference.linter.lint(text) if theirs is None else theirs
        if ours != theirs:
            differences.append({"state": text, "reference": [e.__dict__ for e in theirs], "new": [e.__dict__ for e in ours]})
    cpu = {name: cpu_per_state(name, list(recorder.states)) for name, recorder in ((reference_name, reference), (new_name, new))}
    return {
        "language": language,
        "cpu_ms_per_state": cpu,
        "cpu_speedup": cpu[reference_name] / cpu[new_name],
        "programs": len(chosen),
        "sequences": runs,
        "reference": reference_name,
        "new": new_name,
        "reference_programs_per_s": runs / seconds[reference_name],
        "new_programs_per_s": runs / seconds[new_name],
        "speedup": seconds[reference_name] / seconds[new_name],
        "reference_calls": reference.linter.calls,
        "new_calls": new.linter.calls,
        "new_fallbacks": getattr(new.linter, "fallbacks", 0),
        "states": len(states),
        "agreement": 1 - len(differences) / max(1, len(states)),
        "same_sequences": same_edits,
        "differences": differences,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--languages", nargs="+", default=list(PAIRS), choices=list(PAIRS))
    parser.add_argument("--programs", type=int, default=30, help="shortest real test programs per language")
    parser.add_argument("--seeds", type=int, default=1, help="sequences per program")
    parser.add_argument("--output", help="write the results as JSON here")
    args = parser.parse_args(argv)
    results = []
    for language in args.languages:
        result = measure(language, args.programs, args.seeds)
        results.append(result)
        print(
            f"{language}: {result['sequences']} sequences, reference {result['reference_programs_per_s']:.2f} programs/s, "
            f"new {result['new_programs_per_s']:.2f} programs/s, speedup {result['speedup']:.1f}x, "
            f"CPU/state {result['cpu_ms_per_state'][result['reference']]:.1f} vs {result['cpu_ms_per_state'][result['new']]:.1f} ms "
            f"({result['cpu_speedup']:.1f}x), states {result['states']}, agreement {result['agreement']:.4f}, fallbacks {result['new_fallbacks']}, "
            f"same sequences {result['same_sequences']}/{result['sequences']}",
            flush=True,
        )
        for difference in result["differences"]:
            print(json.dumps(difference)[:600])
    if args.output:
        Path(args.output).write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
