"""Code extraction and program checks."""

from __future__ import annotations

import pytest

from lintseq_hf import ProgramError, extract_code
from lintseq_hf.core.programs import check_program, decode_source, normalize_newlines


def test_extracts_and_joins_python_blocks():
    response = "Here:\n```python\ndef f():\n    return 1\n```\nthen\n```python\nprint(f())\n```\nDone."
    assert extract_code(response) == "def f():\n    return 1\n\n\nprint(f())"


def test_response_without_blocks_is_the_program():
    assert extract_code("x = 1\n") == "x = 1\n"
    assert extract_code("```\nx = 1\n```") == "```\nx = 1\n```"  # only ```python fences count


def test_unterminated_block_runs_to_the_end_like_the_authors():
    # the authors' slice drops the last character of an unterminated block
    assert extract_code("```python\nx = 1\ny = 2\n") == "x = 1\ny = 2"


def test_newlines_are_normalised():
    assert normalize_newlines("a\r\nb\rc\n") == "a\nb\nc\n"


def test_non_utf8_bytes_name_the_input():
    with pytest.raises(ProgramError, match="row 3"):
        decode_source(b"x = '\xff'", "row 3")


@pytest.mark.parametrize(
    ("program", "reason"),
    [
        ("", "empty"),
        ("   \n\n", "empty"),
        ("# just a comment\n   # another", "no_code"),
        ("def f(:\n    pass", "syntax_error"),
        ("if True:\n\tx = 1\n        y = 2", "syntax_error"),
        ("x = 1\x00", "null_byte"),
    ],
)
def test_programs_lintseq_cannot_use_get_a_reason(program, reason):
    with pytest.raises(ProgramError) as info:
        check_program(program)
    assert info.value.reason == reason


def _authors_extract(response: str, language: str = "python") -> str:
    """The authors' extraction loop (re-slicing the remainder per fence: quadratic)."""
    opener = "```" + language
    chunks, rest = [], response
    while opener in rest:
        body = rest[rest.find(opener) + len(opener) :]
        end = body.find("```")
        chunks.append(body[:end])
        rest = body[end + 3 :]
    return "\n".join(chunks).strip() if chunks else response


def test_linear_extraction_agrees_with_the_authors_loop_on_random_responses():
    import random

    rng = random.Random(0)
    pieces = ["```python", "```", "x = 1\n", "\n", "python", "``", "`", "a", " "]
    for _ in range(20_000):
        response = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 10)))
        assert extract_code(response) == _authors_extract(response), repr(response)


def test_a_program_containing_the_edit_separator_is_refused():
    with pytest.raises(ProgramError) as info:
        check_program("x = 1\ns = '<|diff|>'\n")
    assert info.value.reason == "contains_separator" and "line 2" in info.value.detail
    check_program("s = '<|diff|'\n")  # not the separator


def test_a_lone_surrogate_is_an_encoding_error_naming_the_column():
    from lintseq_hf.core.programs import check_text

    check_text("ok \u00e9 \U0001f600", "column 'x'")
    with pytest.raises(ProgramError) as info:
        check_text("bad \ud800", "column 'instruction'")
    assert info.value.reason == "encoding" and "column 'instruction'" in info.value.detail
