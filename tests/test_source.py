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
