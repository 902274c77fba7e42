"""LintSeq beyond Python on >= 50 real programs per language: every sequence rebuilds its
program exactly, every edit is an insertion, and sampled intermediate states have no error
the original lacks -- checked by calling each language's compiler directly (its own process
and output parsing, not our backend)."""

from __future__ import annotations

import functools
from collections.abc import Callable

import pytest

import language_tools as tools
from lintseq_hf import apply_edits, sample_edits
from lintseq_hf.core.edits import parse_edit
from lintseq_hf.lint.compilers.tsc import javascript_counts, node_modules

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


def _tsc(language: str) -> Callable[[list[str]], list[set[tools.Signature]]]:
    def check(texts: list[str]) -> list[set[tools.Signature]]:
        counts = javascript_counts if language == "javascript" else None
        return tools.tsc_errors(texts, language, node_modules(), counts)

    return check


PROGRAMS: dict[str, Callable[[], tuple[str, ...]]] = {
    "c": c_programs,
    "cpp": cpp_programs,
    "javascript": javascript_programs,
    "typescript": typescript_programs,
    "rust": rust_programs,
    "java": java_programs,
}

DIRECT: dict[str, Callable[[list[str]], list[set[tools.Signature]]]] = {
    "c": lambda texts: [tools.gcc_errors(t, "c") for t in texts],
    "cpp": lambda texts: [tools.gcc_errors(t, "cpp") for t in texts],
    "javascript": _tsc("javascript"),
    "typescript": _tsc("typescript"),
    "rust": lambda texts: [tools.rustc_errors(t) for t in texts],
    "java": tools.javac_errors,
}


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
