"""The edit text format: exact training text, decoding, fuzzing of the decoder."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lintseq_hf import (
    DIFF_TOKEN,
    MalformedEditError,
    apply_edits,
    decode_completion,
    decode_completion_detailed,
    format_completion,
    format_instruct_text,
    format_prompt,
    format_training_text,
    sample_edits,
)
from lintseq_hf.core.edits import diff_insertion, difflib_insertion, parse_edit

KNOWN_EDITS = [
    "@@ -0,0 +1,2 @@\n+def add(a, b):\n+    return a + b",
    "@@ -0,0 +1 @@\n+import math\n@@ -2,0 +4 @@\n+    # sum",
]


def test_training_text_is_byte_identical_to_the_authors_format():
    text = format_training_text("Write add.", KNOWN_EDITS, "</s>")
    expected = (
        "Write add."
        "\n<|diff|>@@ -0,0 +1,2 @@\n+def add(a, b):\n+    return a + b"
        "\n<|diff|>@@ -0,0 +1 @@\n+import math\n@@ -2,0 +4 @@\n+    # sum"
        "\n<|diff|>\n<|diff|></s>"
    )
    assert text == expected
    assert text == "Write add." + "\n<|diff|>".join([""] + KNOWN_EDITS + ["", ""]) + "</s>"


def test_prompt_plus_completion_is_the_training_text():
    assert format_prompt("Do it.") == "Do it.\n" + DIFF_TOKEN
    assert format_prompt("Do it.") + format_completion(KNOWN_EDITS, "<eos>") == format_training_text("Do it.", KNOWN_EDITS, "<eos>")


def test_instruct_baseline_text():
    assert format_instruct_text("Do it.", "x = 1", "</s>") == "Do it.\nx = 1</s>"


def test_apply_edits_rebuilds_known_program():
    assert apply_edits(KNOWN_EDITS) == "import math\ndef add(a, b):\n    return a + b\n    # sum"


def test_hunk_headers_match_difflib_for_insertions():
    old = ["a", "b"]
    new = ["x", "a", "y", "z", "b", "w"]
    flags = [True, False, True, True, False, True]
    assert diff_insertion(new, flags) == difflib_insertion(old, new)


def test_a_replacement_is_rejected():
    with pytest.raises(MalformedEditError):
        parse_edit("@@ -1 +1 @@\n-x\n+x ")
    with pytest.raises(MalformedEditError):
        apply_edits(["@@ -0,0 +1,2 @@\n+only one line"])


def test_decode_well_formed_completion_returns_program(humaneval_programs):
    for index, program in enumerate(humaneval_programs[:30]):
        edits = sample_edits(program, seed=index)
        completion = format_completion(edits, "")
        assert decode_completion(completion) == program.strip()
        assert decode_completion(completion + "trailing junk after the empty edit") == program.strip()
        assert decode_completion(format_prompt("instr")[len("instr\n") :] + completion) == program.strip()


def test_decode_stops_at_eos():
    completion = format_completion(KNOWN_EDITS[:1], "") + "</s>" + "@@ -0,0 +1 @@\n+junk"
    assert decode_completion(completion, eos="</s>") == "def add(a, b):\n    return a + b"


def test_malformed_hunk_is_skipped_or_reported_in_strict_mode():
    bad = "@@ -0,0 +1 @@\n+x = 1\n" + DIFF_TOKEN + "@@ garbage\n+y\n" + DIFF_TOKEN + "@@ -1,0 +2 @@\n+z = 2\n" + DIFF_TOKEN + "\n" + DIFF_TOKEN
    result = decode_completion_detailed(bad)
    assert result.program == "x = 1\nz = 2"
    assert not result.ok and "edit 1" in result.malformed[0]
    with pytest.raises(MalformedEditError, match="edit 1"):
        decode_completion(bad, strict=True)


def test_out_of_range_hunk_is_appended_as_the_authors_do_and_refused_in_strict_mode():
    text = "@@ -0,0 +5 @@\n+far away\n" + DIFF_TOKEN + "@@ -0,0 +1 @@\n+ok = 1\n" + DIFF_TOKEN + "\n" + DIFF_TOKEN
    result = decode_completion_detailed(text)
    assert result.program == "ok = 1\nfar away"
    assert len(result.malformed) == 1 and "past the end" in result.malformed[0]
    with pytest.raises(MalformedEditError, match="edit 0: hunk inserts at line 5 of a 0-line state"):
        decode_completion(text, strict=True)


hunky = st.one_of(
    st.text(),
    st.lists(
        st.one_of(
            st.just(DIFF_TOKEN),
            st.just("\n"),
            st.builds(lambda a, b, c, d: f"@@ -{a},{b} +{c},{d} @@", *(st.integers(-3, 40) for _ in range(4))),
            st.builds(lambda a, c: f"@@ -{a},0 +{c} @@", st.integers(0, 9), st.integers(-1, 9)),
            st.builds(lambda t: "+" + t, st.text(max_size=20)),
            st.builds(lambda t: "-" + t, st.text(max_size=20)),
            st.text(max_size=10),
        ),
        max_size=40,
    ).map("".join),
)


@settings(max_examples=400, deadline=None)
@given(hunky)
def test_decode_completion_never_raises_on_arbitrary_text(text):
    result = decode_completion_detailed(text)
    assert isinstance(result.program, str)
    assert isinstance(decode_completion(text), str)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(blacklist_characters="\n\r"), max_size=12), min_size=1, max_size=12), st.randoms())
def test_any_insertion_split_round_trips(lines, rnd):
    """Any order of inserting lines, encoded by either encoder, decodes exactly."""
    order = list(range(len(lines)))
    rnd.shuffle(order)
    cuts = sorted(rnd.sample(range(1, len(lines) + 1), k=min(len(lines), rnd.randint(1, 4))))
    present: set[int] = set()
    edits = []
    start = 0
    for cut in cuts:
        before = sorted(present)
        present |= set(order[start:cut])
        start = cut
        after = sorted(present)
        new = [lines[i] for i in after]
        edit = diff_insertion(new, [i not in before for i in after])
        via_difflib = difflib_insertion([lines[i] for i in before], new)
        assert edit
        edits.append(edit)
        if via_difflib is not None:
            assert apply_edits(edits[:-1] + [via_difflib]) == "\n".join(new)
    assert apply_edits(edits) == "\n".join(lines[i] for i in sorted(present))
