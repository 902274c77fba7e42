"""Source handling: code extraction from responses and validation of programs."""

from __future__ import annotations

import ast
import re
import warnings

from lintseq_hf.core.edits import DIFF_TOKEN
from lintseq_hf.core.languages import LANGUAGES

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
    unterminated final block runs to the end of the response. Linear time and memory in the
    length of the response (one scan, no copies of the remainder).

    Other languages (docs/languages.md): blocks whose fence tag is one of the language's tags
    (```` ```cpp ````, ```` ```c++ ````; any case), joined the same way.
    """
    if language != "python" and language in LANGUAGES:
        return _extract_tagged(response, LANGUAGES[language].fence_tags)
    opener = FENCE + language
    chunks: list[str] = []
    position = 0
    while True:
        start = response.find(opener, position)
        if start < 0:
            break
        body = start + len(opener)
        end = response.find(FENCE, body)
        if end < 0:
            # An unterminated block: the authors slice with find's -1, which drops the last
            # character; their next search starts two characters into the block (and finds
            # nothing, since no fence follows).
            chunks.append(response[body:-1])
            position = body + 2
        else:
            chunks.append(response[body:end])
            position = end + len(FENCE)
    if chunks:
        return "\n".join(chunks).strip()
    return response


_FENCED_BLOCK = re.compile(r"```[ \t]*([^\s`]*)[^\n]*\n?(.*?)(?:```|\Z)", re.DOTALL)


def _extract_tagged(response: str, tags: tuple[str, ...]) -> str:
    chunks = [m.group(2) for m in _FENCED_BLOCK.finditer(response) if m.group(1).lower() in tags]
    if chunks:
        return "\n".join(chunks).strip()
    return response


def check_text(text: str, name: str) -> None:
    """Raise :class:`ProgramError` ``encoding`` if ``text`` cannot be written as UTF-8.

    A lone surrogate (``"\\ud800"`` is valid JSON) would be dropped or replaced on the way to
    Arrow or the tokenizer; the row is counted instead of silently rewritten.
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as err:
        raise ProgramError(
            "encoding", f"{name}: character {err.start} is a lone surrogate {text[err.start]!r} (not encodable as UTF-8)"
        ) from err


def check_bounds(options: object) -> None:
    """Raise ``ValueError`` for a dataclass field below its ``metadata["min"]`` (``None`` passes)."""
    from dataclasses import fields

    for item in fields(options):  # type: ignore[arg-type]
        low = item.metadata.get("min")
        value = getattr(options, item.name)
        if low is not None and value is not None and value < low:
            raise ValueError(f"{item.name} must be >= {low}, got {value!r}")


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


def check_program(
    program: str, *, max_lines: int | None = None, max_line_chars: int | None = None, language: str = "python"
) -> None:
    """Raise :class:`ProgramError` for programs LintSeq cannot or should not process.

    For a ``language`` other than Python only the checks that do not parse the program apply
    (the sampler raises ``SamplingError`` for a program without code lines).

    Reasons: ``empty`` (nothing but whitespace), ``no_code`` (only comments/blank lines),
    ``syntax_error`` (the original does not parse), ``null_byte``, ``contains_separator``
    (the text ``<|diff|>`` would split an edit, so the completion would not decode back to
    the program), ``too_many_lines``, ``line_too_long``.
    """
    if not program.strip():
        raise ProgramError("empty", "the program is empty after code extraction")
    if "\x00" in program:
        raise ProgramError("null_byte", "the program contains a NUL byte")
    if DIFF_TOKEN in program:
        line = program.count("\n", 0, program.find(DIFF_TOKEN)) + 1
        raise ProgramError("contains_separator", f"line {line} contains the edit separator {DIFF_TOKEN}")
    lines = program.split("\n")
    if max_lines is not None and len(lines) > max_lines:
        raise ProgramError("too_many_lines", f"{len(lines)} lines > limit {max_lines}")
    if max_line_chars is not None:
        longest = max(len(line) for line in lines)
        if longest > max_line_chars:
            raise ProgramError("line_too_long", f"a line of {longest} characters > limit {max_line_chars}")
    if language != "python":
        return
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
