"""Programs/s of LintSeq sampling for C, C++ and Rust: the one-process-per-state reference
linters (``gcc-reference``, ``g++-reference``, ``rustc-reference``) against the default path
(``libclang``, ``libclang++``, the ``rustc`` fork server, each with the pre-check of
:mod:`lintseq_hf.core.precheck`), side by side in one run, and their verdict agreement per state.

The programs are the real ones the tests use (``tests/data/<language>``, cut as
``tests/test_languages_real.py`` cuts them). The reference samples each (program, seed) alone,
as ever; the new path samples ``--lockstep`` programs with all their seeds at once through
:func:`~lintseq_hf.core.sampler.sample_edits_many` (the way ``lintseq generate`` samples a row's
sequences; ``rustc`` then checks many states in one compiler call), group by group, alternating
which of the two goes first (so load on the machine hits both alike); every state either linter
saw is then checked by both, and each disagreement is printed. Every state the
pre-check settled without a compiler is checked by the reference compiler too: it must be clean
but for errors of the original program (what the sampler ignores); each one that is not is printed.

    nice -n 10 python benchmarks/languages.py --languages c cpp rust --programs 30 --output out.json
    nice -n 10 python benchmarks/languages.py --languages rust --programs 20 --seeds 5 --lockstep 1
    nice -n 10 python benchmarks/languages.py --languages c cpp --new c=libclang cpp=libclang++ --programs 20

``--new`` compares another linter against the reference (the libclang front end above); name a
language twice (``--new c=libclang c=gcc``) to measure both against the reference in one run.
``--checkout c=DIR cpp=DIR --part dev|held-out`` takes the programs from a checkout of The
Algorithms instead of ``tests/data`` (``benchmarks/clang_programs.py``: the libclang rules'
development part, or the held-out part they are measured on). Verdicts
are compared two ways: exactly (the same errors, in any order) and by the lines they flag (what
the sampler acts on: a linter whose messages differ from GCC's can still give the same sequences).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import time
from pathlib import Path
from typing import Any

from benchmarks import clang_programs
from lintseq_hf.core.precheck import PreCheck
from lintseq_hf.core.sampler import sample_edits_many, sample_edits_traced
from lintseq_hf.lint.base import LintError, lint_many
from lintseq_hf.lint.registry import get_linter, linter_class

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
PAIRS = {"c": ("gcc-reference", "libclang"), "cpp": ("g++-reference", "libclang++"), "rust": ("rustc-reference", "rustc")}
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

    def lint_many(self, texts: list[str]) -> list[list[LintError]]:
        verdicts = lint_many(self.linter, texts)
        self.states.update(zip(texts, verdicts))
        return verdicts


def _cpu_seconds() -> float:
    """CPU time of this process and of its reaped children (a fork server's children are reaped
    by the server, and it by us when its linter closes)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def cpu_per_state(name: str, states: list[str], group: int = 1) -> float:
    """Milliseconds of CPU (ours and the tools') per state for a fresh linter ``name`` checking
    ``states`` once each, in order, ``group`` at a time through ``lint_many`` (load on the machine
    changes this far less than wall time)."""
    linter = linter_class(name)()
    start = _cpu_seconds()
    for first in range(0, len(states), group):
        lint_many(linter, states[first:first + group])
    if hasattr(linter, "close"):
        linter.close()
    return (_cpu_seconds() - start) / max(1, len(states)) * 1000


def _verdict(errors: list[LintError]) -> list[tuple[int, int, str, str, bool]]:
    """A verdict as the sampler reads it: its errors in any order (rustc orders a batch's
    diagnostics by its own rules; which lines are flagged, and why, is the verdict)."""
    return sorted((e.line, e.column, e.msg_id, e.message, e.fatal) for e in errors)


def _lines(errors: list[LintError]) -> tuple[set[int], bool]:
    """What the sampler acts on: the flagged lines, and whether the verdict is unchecked (fatal)."""
    return {e.line for e in errors}, any(e.fatal for e in errors)


def _signatures(errors: list[LintError], text: str) -> set[tuple[str, str, str]]:
    """What the sampler compares errors by: id, message and the text of their line."""
    lines = text.split("\n")
    return {(e.msg_id, e.message, lines[e.line - 1].strip() if 0 < e.line <= len(lines) else lines[-1].strip()) for e in errors}


def measure(language: str, count: int, seeds: int, precheck: bool = True, lockstep: int = 1,
            new_name: str | None = None, max_differences: int = 50, chosen: list[str] | None = None) -> dict[str, Any]:
    """Side-by-side programs/s and verdict agreement for one language; the new path samples
    ``lockstep`` programs (all their seeds) at once. ``new_name``: the linter compared with the
    reference, by default the language's default path; ``chosen``: the programs (by default the
    ``count`` shortest of ``tests/data``)."""
    reference_name, default_name = PAIRS[language]
    new_name = new_name or default_name
    load_before = os.getloadavg()
    reference, new = Recorder(get_linter(reference_name)), Recorder(get_linter(new_name))
    chosen = programs(language, count) if chosen is None else chosen
    seconds = {reference_name: 0.0, new_name: 0.0}
    same_edits = 0
    runs = 0
    judged = 0
    settled: list[tuple[str, str]] = []  # (original program, settled state)
    for group_index, first in enumerate(range(0, len(chosen), lockstep)):
        jobs = [(program, seed) for index, program in enumerate(chosen[first:first + lockstep], first)
                for seed in range(index, index + seeds)]
        checks = [PreCheck(language, record=True) for _ in jobs] if precheck else None
        outputs: dict[str, list[list[str]]] = {}
        for recorder in (reference, new) if group_index % 2 == 0 else (new, reference):
            start = time.perf_counter()
            if recorder is new:
                outcomes = sample_edits_many(jobs, language=language, linter=recorder, precheck=checks or False)  # type: ignore[arg-type]
                for outcome in outcomes:
                    if isinstance(outcome, Exception):
                        raise outcome
                outputs[new_name] = [edits for edits, _ in outcomes]  # type: ignore[misc]
                judged += sum(trace.lint_calls for _, trace in outcomes)  # type: ignore[misc]
            else:
                outputs[reference_name] = [
                    sample_edits_traced(program, seed=seed, language=language, linter=recorder, precheck=False)[0]  # type: ignore[arg-type]
                    for program, seed in jobs
                ]
            seconds[recorder.name] += time.perf_counter() - start
        if checks is not None:
            settled.extend((program, text) for (program, _), check in zip(jobs, checks) for text in check.texts)
        same_edits += sum(a == b for a, b in zip(outputs[reference_name], outputs[new_name]))
        runs += len(jobs)
    calls = {reference_name: reference.linter.calls, new_name: new.linter.calls}
    batches = getattr(new.linter, "batches", None)
    batch_calls, alone = (batches.calls, dict(batches.alone)) if batches is not None else (0, {})
    wrong_settled = []
    for program, text in settled:
        expected = _signatures(reference.linter.lint(program), program)
        verdict = reference.linter.lint(text)
        if not _signatures(verdict, text) <= expected:
            wrong_settled.append({"state": text, "reference": [e.__dict__ for e in verdict]})
    states = set(reference.states) | set(new.states)
    only_reference = sorted(set(reference.states) - set(new.states))
    new.states.update(zip(only_reference, lint_many(new.linter, only_reference)))  # the batched path's verdicts too
    differences = []
    line_differences = []
    for text in sorted(states):
        ours = new.states[text]
        theirs = reference.states.get(text)
        theirs = reference.linter.lint(text) if theirs is None else theirs
        difference = {"state": text, "reference": [e.__dict__ for e in theirs], "new": [e.__dict__ for e in ours]}
        if _verdict(ours) != _verdict(theirs):
            differences.append(difference)
        if _lines(ours) != _lines(theirs):
            line_differences.append(difference)
    new_states = [text for text in new.states if text not in only_reference]
    cpu = {reference_name: cpu_per_state(reference_name, list(reference.states)),
           new_name: cpu_per_state(new_name, new_states, group=lockstep * seeds)}
    distinct_settled = {text for _, text in settled}
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
        "reference_calls": calls[reference_name],
        "new_calls": calls[new_name],
        "new_fallbacks": getattr(new.linter, "fallbacks", 0),
        "lockstep_programs": lockstep,
        "batch_calls": batch_calls,
        "checked_alone": alone,
        "precheck": precheck,
        "new_states_judged": judged,
        "settled": len(settled),
        "settled_fraction": len(settled) / max(1, judged),
        "settled_distinct": len(distinct_settled),
        "settled_agreement": 1 - len(wrong_settled) / max(1, len(settled)),
        "settled_wrong": wrong_settled,
        "states": len(states),
        "agreement": 1 - len(differences) / max(1, len(states)),
        "agreement_lines": 1 - len(line_differences) / max(1, len(states)),
        "same_sequences": same_edits,
        "exact_differences": len(differences),
        "line_differences": len(line_differences),
        "differences": differences[:max_differences],
        "differences_lines": line_differences[:max_differences],
        "load_average": {"before": load_before, "after": os.getloadavg()},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--languages", nargs="+", default=list(PAIRS), choices=list(PAIRS))
    parser.add_argument("--programs", type=int, default=30, help="shortest real test programs per language")
    parser.add_argument("--seeds", type=int, default=1, help="sequences per program")
    parser.add_argument("--output", help="write the results as JSON here")
    parser.add_argument("--no-precheck", action="store_true", help="the new path without the pre-check")
    parser.add_argument("--lockstep", type=int, default=0,
                        help="programs the new path samples at once, all their seeds together (0: all; "
                             "lintseq generate samples one row's sequences at once: 1)")
    parser.add_argument("--new", nargs="+", default=[], metavar="LANGUAGE=LINTER",
                        help="compare LINTER with the reference for LANGUAGE (e.g. c=libclang cpp=libclang++)")
    parser.add_argument("--max-differences", type=int, default=50, help="differing states kept in the output, per kind")
    parser.add_argument("--checkout", nargs="+", default=[], metavar="LANGUAGE=DIR",
                        help="take the programs of LANGUAGE (c, cpp) from this checkout of The Algorithms (clang_programs.py)")
    parser.add_argument("--part", choices=clang_programs.PARTS, default="dev", help="which part of --checkout's programs")
    args = parser.parse_args(argv)
    chosen: dict[str, list[str]] = {}
    for pair in args.new:
        language, _, name = pair.partition("=")
        if language not in PAIRS or not name:
            parser.error(f"--new {pair!r}: expected LANGUAGE=LINTER with LANGUAGE one of {sorted(PAIRS)}")
        chosen.setdefault(language, []).append(name)
    checkouts = {}
    for pair in args.checkout:
        language, _, folder = pair.partition("=")
        if language not in clang_programs.SUFFIX or not Path(folder).is_dir():
            parser.error(f"--checkout {pair!r}: expected LANGUAGE=DIR with LANGUAGE c or cpp and DIR a folder")
        checkouts[language] = Path(folder)
    results = []
    for language, new_name in [(language, name) for language in args.languages for name in chosen.get(language, [None])]:
        sources = (clang_programs.programs(language, checkouts[language], args.part, args.programs)
                   if language in checkouts else None)
        result = measure(language, args.programs, args.seeds, precheck=not args.no_precheck,
                         lockstep=args.lockstep or args.programs, new_name=new_name,
                         max_differences=args.max_differences, chosen=sources)
        if language in checkouts:
            result["source"] = {"checkout": str(checkouts[language]), "part": args.part}
        results.append(result)
        print(
            f"{language}: {result['sequences']} sequences, reference {result['reference_programs_per_s']:.2f} programs/s, "
            f"new {result['new_programs_per_s']:.2f} programs/s, speedup {result['speedup']:.1f}x, "
            f"CPU/state {result['cpu_ms_per_state'][result['reference']]:.1f} vs {result['cpu_ms_per_state'][result['new']]:.1f} ms "
            f"({result['cpu_speedup']:.1f}x), states {result['states']}, agreement {result['agreement']:.4f} "
            f"(flagged lines {result['agreement_lines']:.4f}), fallbacks {result['new_fallbacks']}, "
            f"same sequences {result['same_sequences']}/{result['sequences']}, "
            f"settled {result['settled']}/{result['new_states_judged']} ({result['settled_fraction']:.0%}), "
            f"settled agreement {result['settled_agreement']:.4f}, "
            f"lockstep {result['lockstep_programs']} programs x {args.seeds} seeds, batch calls {result['batch_calls']}, "
            f"alone {result['checked_alone']}",
            flush=True,
        )
        for difference in result["differences_lines"]:
            print("flagged lines differ:", json.dumps(difference)[:600])
        if result["new"] == PAIRS[language][1]:
            for difference in result["differences"]:
                print(json.dumps(difference)[:600])
        for wrong in result["settled_wrong"]:
            print("settled but not clean:", json.dumps(wrong)[:600])
    if args.output:
        Path(args.output).write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
