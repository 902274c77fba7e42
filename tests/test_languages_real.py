"""LintSeq beyond Python on >= 50 real programs per language: every sequence rebuilds its
program exactly, every edit is an insertion, and sampled intermediate states have no error
the original lacks -- checked by calling each language's compiler directly (its own process
and output parsing, not our backend; strict: exit codes, unreadable output fails, and a
known-broken control program must come back with an error)."""

from __future__ import annotations

import functools
from collections.abc import Callable

import pytest

import language_tools as tools
from lintseq_hf import apply_edits, sample_edits
from lintseq_hf.core.edits import parse_edit

MIN_PROGRAMS = 50
STATES_CHECKED = 3
"""Intermediate states per program checked with the compiler directly (bounds the cost)."""


@functools.lru_cache(maxsize=None)
def c_programs() -> tuple[str, ...]:
    """Each zlib example function, in its file with the file's other functions removed."""
    programs: list[str] = []
    for path in sorted((tools.DATA / "c").glob("*.c")):
        programs += tools.units(path.read_text(encoding="utf-8"), "c", {"function_definition"})
    return tuple(programs)


def _files(folder: str, pattern: str) -> tuple[str, ...]:
    return tuple(p.read_text(encoding="utf-8") for p in sorted((tools.DATA / folder).glob(pattern)))


def javascript_programs() -> tuple[str, ...]:
    """Files of the packages bundled with npm."""
    return _files("javascript", "**/*.js")


def typescript_programs() -> tuple[str, ...]:
    """Files of RxJS's sources."""
    return _files("typescript", "**/*.ts")


def rust_programs() -> tuple[str, ...]:
    """Each function and impl of five crates, with its file's imports, types and macros."""
    programs: list[str] = []
    for path in sorted((tools.DATA / "rust").glob("**/*.rs")):
        programs += tools.units(path.read_text(encoding="utf-8"), "rust", {"function_item", "impl_item"}, RUST_CONTEXT)
    return tuple(programs)


RUST_CONTEXT = {"use_declaration", "macro_definition", "enum_item", "struct_item", "trait_item", "type_item", "inner_attribute_item", "line_comment", "block_comment"}
"""Items kept beside the function or impl a Rust program is made of (the rest of the file is cut)."""


def cpp_programs() -> tuple[str, ...]:
    """Files of The Algorithms - C++."""
    return _files("cpp", "**/*.cpp")


def java_programs() -> tuple[str, ...]:
    """Files of The Algorithms - Java."""
    return _files("java", "**/*.java")


def go_programs() -> tuple[str, ...]:
    """Example files of Go's standard library."""
    return _files("go", "*.go")


def _typescript(texts: list[str]) -> list[set[tools.Signature]]:
    return tools.tsc_errors(texts, "typescript", tools.node_modules())


def _javascript(texts: list[str]) -> list[set[tools.Signature]]:
    """V8's syntax errors and tsc's undefined or redeclared names, each read independently."""
    names = tools.tsc_errors(texts, "javascript", tools.node_modules())
    return [a | b for a, b in zip(tools.node_syntax_errors(texts), names)]


PROGRAMS: dict[str, Callable[[], tuple[str, ...]]] = {
    "c": c_programs,
    "cpp": cpp_programs,
    "javascript": javascript_programs,
    "typescript": typescript_programs,
    "rust": rust_programs,
    "java": java_programs,
    "go": go_programs,
}

DIRECT: dict[str, Callable[[list[str]], list[set[tools.Signature]]]] = {
    "c": lambda texts: [tools.gcc_errors(t, "c") for t in texts],
    "cpp": lambda texts: [tools.gcc_errors(t, "cpp") for t in texts],
    "javascript": _javascript,
    "typescript": _typescript,
    "rust": lambda texts: [tools.rustc_errors(t) for t in texts],
    "java": tools.javac_errors,
    "go": tools.go_errors,
}

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


def test_a_check_fails_on_output_it_cannot_read():
    import subprocess

    done = subprocess.CompletedProcess(["tool"], 1, "", "")
    with pytest.raises(tools.ToolOutputError):
        tools._agree(done, [], "tool")  # exit code 1 but no error read
    with pytest.raises(tools.ToolOutputError):
        tools._agree(subprocess.CompletedProcess(["tool"], 0, "", ""), [(1, "e", "m")], "tool")
    with pytest.raises(tools.ToolOutputError):
        tools._agree(subprocess.CompletedProcess(["tool"], -9, "", ""), [(1, "e", "m")], "tool")



def _assert_insertions(edits: list[str], program: str, where: str) -> None:
    assert edits, where
    for edit in edits:
        hunks = parse_edit(edit)  # raises unless every hunk is an insertion
        assert hunks and all(h.lines for h in hunks), where
    assert apply_edits(edits) == program.strip(), where


@pytest.mark.slow
@pytest.mark.parametrize("language", sorted(PROGRAMS))
def test_real_programs_rebuild_from_insertions_with_no_new_errors(language):
    available = PROGRAMS[language]()
    assert len(available) >= MIN_PROGRAMS
    # the MIN_PROGRAMS shortest (bounds the cost), in their original order
    chosen = sorted(sorted(range(len(available)), key=lambda i: (len(available[i]), i))[:MIN_PROGRAMS])
    programs = [available[i] for i in chosen]
    originals, checked, owners = [], [], []
    for index, program in enumerate(programs):
        edits = sample_edits(program, seed=index, language=language)
        _assert_insertions(edits, program, f"{language} program {index}")
        originals.append(program.strip())
        for state in tools.spaced(tools.forward_states(edits), STATES_CHECKED):
            checked.append(state)
            owners.append(index)
    verdicts = DIRECT[language](originals + checked)
    original_errors, state_errors = verdicts[: len(originals)], verdicts[len(originals) :]
    # the originals are checked for real: no missing header stops GCC before their code
    assert not [i for i, errors in enumerate(original_errors) if any(code == "fatal" for code, _, _ in errors)]
    for index, state, errors in zip(owners, checked, state_errors):
        new = errors - original_errors[index]
        assert not new, (language, index, new, state)
    assert len(checked) >= MIN_PROGRAMS


def _without_last_closer(program: str) -> str | None:
    """``program`` without its last line that starts with ``}`` (``None`` if it has none)."""
    lines = program.split("\n")
    last = max((i for i, line in enumerate(lines) if line.strip().startswith("}")), default=None)
    return None if last is None else "\n".join(lines[:last] + lines[last + 1 :])


@pytest.mark.slow
@pytest.mark.parametrize("language", sorted(PROGRAMS))
def test_real_programs_without_their_last_brace_are_skipped_as_syntax_errors(language):
    """Cut real programs the compiler (called directly) finds a new error in, and prose, are all
    skipped as ``syntax_error``; none becomes a sequence."""
    from lintseq_hf.dataset.transform import GenerateConfig, GenerationReport, generate

    pairs = [(p, c) for p in PROGRAMS[language]() for c in [_without_last_closer(p)] if c is not None][:MIN_PROGRAMS]
    verdicts = DIRECT[language]([p for p, _ in pairs] + [c for _, c in pairs])
    broken = [c for k, (_, c) in enumerate(pairs) if verdicts[len(pairs) + k] - verdicts[k]]
    assert len(broken) >= 0.9 * MIN_PROGRAMS  # nearly every cut breaks its program
    rows = [{"instruction": "x", "response": program} for program in [*broken, "This is prose, not a program."]]
    report = GenerationReport()
    config = GenerateConfig(language=language, num_samples=1, timeout=None, extract=False)
    kept = [r.index for r in generate(rows, config, report=report, progress=False) if r.skip_reason is None]
    assert kept == [] and report.skipped == {"syntax_error": len(rows)}, report.summary()
