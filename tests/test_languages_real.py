"""LintSeq beyond Python on >= 50 real programs per language: every sequence rebuilds its
program exactly, every edit is an insertion, and every intermediate state has no error
the original lacks -- checked by calling each language's compiler directly (its own process
and output parsing, not our backend; strict: exit codes, unreadable output fails, and a
known-broken control program must come back with an error)."""

from __future__ import annotations

import pytest

import language_corpora as corpora
import language_tools as tools

MIN_PROGRAMS = 50
DEFAULT_RUN_PROGRAMS = 3
"""Programs per language the default (not slow) run audits: the shortest, every state checked."""

PROGRAMS, DIRECT = corpora.PROGRAMS, corpora.DIRECT

CONTROLS = {
    "c": ("int f(void) {\n  return 0;\n}", "int f(void) {\n  return undefined_name;\n}"),
    "cpp": ("int f() {\n  return 0;\n}", "int f() {\n  return undefined_name;\n}"),
    "javascript": ("function f() {\n  return 0;\n}", "function f() {\n  return undefinedName;\n}"),
    "typescript": ("export function f(): number {\n  return 0;\n}", "export function f(): number {\n  return 'a';\n}"),
    "rust": ("pub fn f() -> i32 {\n    0\n}", "pub fn f() -> i32 {\n    \"a\"\n}"),
    "java": ("public class A {\n    int f() {\n        return 0;\n    }\n}", "public class A {\n    int f() {\n        return \"a\";\n    }\n}"),
    "go": ("package p\n\nfunc f() int {\n\treturn 0\n}", "package p\n\nfunc f() int {\n\treturn \"a\"\n}"),
}
"""Per language, a program the compiler accepts and a known-broken one (a type or name error on
line 2 or 3): if a flag or the toolchain breaks, the broken control comes back clean and the
test fails instead of passing on empty error sets."""

SYNTAX_CONTROLS = {"javascript": "function f() {\n  return 0 +;\n}"}
"""A syntax error V8 must find (the JavaScript check reads V8 for syntax, tsc for names)."""

@pytest.mark.parametrize("language", sorted(PROGRAMS))
def test_each_direct_check_accepts_a_good_control_and_catches_a_broken_one(language):
    good, broken = CONTROLS[language]
    clean, errors = DIRECT[language]([good, broken])
    assert clean == set()
    assert errors and any(line for _, _, line in errors), errors  # an error, on a line of the program
    if language in SYNTAX_CONTROLS:
        assert DIRECT[language]([SYNTAX_CONTROLS[language]])[0]


def test_the_direct_c_check_judges_as_gcc_14():
    """Calls before any declaration and the other warnings GCC 14 made errors are errors to the
    direct check too (written from GCC 14's notes, not from the project's flags); the warnings
    GCC 14 keeps are not."""
    assert tools.gcc_errors("int main(void) {\n  int n = helper(3);\n  return n;\n}", "c")
    assert tools.gcc_errors("int f(void) {\n  int *p = 1;\n  return *p;\n}", "c")
    assert tools.gcc_errors("int f(void) {\n  return;\n}", "c")
    assert tools.gcc_errors("int f(int x) {\n  if (x) return 1;\n}\nint g(void) { int unused; return 0; }", "c") == set()


def test_a_check_fails_on_output_it_cannot_read():
    import subprocess

    done = subprocess.CompletedProcess(["tool"], 1, "", "")
    with pytest.raises(tools.ToolOutputError):
        tools._agree(done, [], "tool")  # exit code 1 but no error read
    with pytest.raises(tools.ToolOutputError):
        tools._agree(subprocess.CompletedProcess(["tool"], 0, "", ""), [(1, "e", "m")], "tool")
    with pytest.raises(tools.ToolOutputError):
        tools._agree(subprocess.CompletedProcess(["tool"], -9, "", ""), [(1, "e", "m")], "tool")



def _assert_audit_holds(language: str, count: int) -> None:
    """The guarantees on the ``count`` shortest real programs, every state checked directly."""
    programs = corpora.shortest(language, count)
    assert len(programs) == count
    result = corpora.audit(language, programs)
    assert result.skipped == {}, result.skip_details  # real programs are never refused
    assert result.broken == []  # every edit inserts, every sequence rebuilds its program
    # the originals are checked for real: no missing header stops GCC before their code
    assert result.unchecked_originals == 0
    assert result.new_errors == []
    assert result.states >= count  # intermediate states were checked, not only the originals


@pytest.mark.parametrize("language", sorted(PROGRAMS))
def test_the_shortest_real_programs_hold_the_guarantees_in_every_state(language):
    _assert_audit_holds(language, DEFAULT_RUN_PROGRAMS)


@pytest.mark.slow
@pytest.mark.parametrize("language", sorted(PROGRAMS))
def test_real_programs_rebuild_from_insertions_with_no_new_errors(language):
    """50 programs per language, every intermediate state checked directly (the whole corpus:
    ``benchmarks/language_audit.py``)."""
    assert len(PROGRAMS[language]()) >= MIN_PROGRAMS
    _assert_audit_holds(language, MIN_PROGRAMS)


@pytest.mark.slow
@pytest.mark.parametrize("language", sorted(PROGRAMS))
def test_real_programs_without_their_last_brace_are_skipped_as_syntax_errors(language):
    """Cut real programs the compiler (called directly) finds a new error in, and prose, are all
    skipped as ``syntax_error``; none becomes a sequence."""
    from lintseq_hf.dataset.transform import GenerateConfig, GenerationReport, generate

    pairs = [(p, c) for p in PROGRAMS[language]() for c in [corpora.without_last_closer(p)] if c is not None][:MIN_PROGRAMS]
    verdicts = DIRECT[language]([p for p, _ in pairs] + [c for _, c in pairs])
    broken = [c for k, (_, c) in enumerate(pairs) if verdicts[len(pairs) + k] - verdicts[k]]
    assert len(broken) >= 0.9 * MIN_PROGRAMS  # nearly every cut breaks its program
    rows = [{"instruction": "x", "response": program} for program in [*broken, "This is prose, not a program."]]
    report = GenerationReport()
    config = GenerateConfig(language=language, num_samples=1, timeout=None, extract=False)
    kept = [r.index for r in generate(rows, config, report=report, progress=False) if r.skip_reason is None]
    assert kept == [] and report.skipped == {"syntax_error": len(rows)}, report.summary()
