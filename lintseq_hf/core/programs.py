"""Source handling: code extraction from responses and validation of programs."""

from __future__ import annotations

import ast
import warnings

FENCE = "```"


class ProgramError(ValueError):
    """A program cannot be turned into an edit sequence; ``reason`` is a short counter key."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


def extract_code(response: str, language: str = "python") -> str:
    """The program in a model or dataset response, as the authors extract it.

    If the response has ```` ```python ```` blocks, their contents joined by a newline
    (then stripped) are the program; otherwise the response itself, unchanged. An
    unterminated final block runs to the end of the response.
    """
    opener = FENCE + language
    chunks: list[str] = []
    rest = response
    while opener in rest:
        body = rest[rest.find(opener) + len(opener) :]
        end = body.find(FENCE)
        # str.find returns -1 for an unterminated block: the authors' slice then drops the
        # last character, and the remainder is searched again from that character on.
        chunks.append(body[:end])
        rest = body[end + len(FENCE) :]
    if chunks:
        return "\n".join(chunks).strip()
    return response


def normalize_newlines(text: str) -> str:
    """CRLF and lone CR line ends → LF (pylint reads files with universal newlines)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def decode_source(data: bytes | str, name: str = "<input>") -> str:
    """Bytes → text as UTF-8 (BOM dropped); raise :class:`ProgramError` naming ``name`` otherwise."""
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ProgramError("not_utf8", f"{name}: byte {err.start} is not valid UTF-8") from err


def check_program(program: str, *, max_lines: int | None = None, max_line_chars: int | None = None) -> None:
    """Raise :class:`ProgramError` for programs LintSeq cannot or should not process.

    Reasons: ``empty`` (nothing but whitespace), ``no_code`` (only comments/blank lines),
    ``syntax_error`` (the original does not parse), ``null_byte``, ``too_many_lines``,
    ``line_too_long``.
    """
    if not program.strip():
        raise ProgramError("empty", "the program is empty after code extraction")
    if "\x00" in program:
        raise ProgramError("null_byte", "the program contains a NUL byte")
    lines = program.split("\n")
    if max_lines is not None and len(lines) > max_lines:
        raise ProgramError("too_many_lines", f"{len(lines)} lines > limit {max_lines}")
    if max_line_chars is not None:
        longest = max(len(line) for line in lines)
        if longest > max_line_chars:
            raise ProgramError("line_too_long", f"a line of {longest} characters > limit {max_line_chars}")
    if all(not line.strip() or line.lstrip().startswith("#") for line in lines):
        raise ProgramError("no_code", "the program has only comments and blank lines")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(program)
    except SyntaxError as err:
        raise ProgramError("syntax_error", f"line {err.lineno}: {err.msg}") from err
    except (ValueError, MemoryError, RecursionError) as err:
        raise ProgramError("syntax_error", str(err)) from err
