"""The edit text format, encode and decode in one place (docs/algorithm.md).

An edit is a zero-context unified diff without ``---``/``+++`` headers whose hunks are
all insertions: ``@@ -a,0 +c,d @@`` followed by ``d`` lines prefixed with ``+`` (the new
range is written ``+c`` when ``d == 1``, exactly as :mod:`difflib` prints it).

A model completion is the text generated after :func:`format_prompt`: edits separated by
the ``<|diff|>`` token, closed by an empty edit.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

DIFF_TOKEN = "<|diff|>"
"""Separator between edits; added to tokenizers as an ordinary (non-special) token."""

_HUNK_HEADER = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


class MalformedEditError(ValueError):
    """An edit (or a completion, in strict mode) does not parse as insertion hunks."""


@dataclass(frozen=True)
class Hunk:
    """One insertion: ``lines`` go in at 1-based line ``start`` of the new state."""

    old_start: int
    start: int
    lines: tuple[str, ...]


def _format_range(start: int, count: int) -> str:
    # difflib._format_range_unified, for a range given as 1-based start and length
    if count == 1:
        return str(start)
    if count == 0:
        return f"{start - 1},0"
    return f"{start},{count}"


def format_hunk(old_before: int, new_start: int, lines: Sequence[str]) -> str:
    """Render one insertion hunk: ``old_before`` old lines precede it; it starts at new line ``new_start``."""
    header = f"@@ -{old_before},0 +{_format_range(new_start, len(lines))} @@"
    return "\n".join([header, *("+" + line for line in lines)])


def diff_insertion(new_lines: Sequence[str], inserted: Sequence[bool]) -> str:
    """Encode the step to ``new_lines`` from the same list minus the lines flagged in ``inserted``.

    Each maximal run of inserted lines becomes one hunk, as ``difflib.unified_diff(n=0)``
    would print a pure insertion. Returns ``""`` when nothing is inserted.
    """
    hunks: list[str] = []
    old_count = 0
    i = 0
    n = len(new_lines)
    while i < n:
        if not inserted[i]:
            old_count += 1
            i += 1
            continue
        j = i
        while j < n and inserted[j]:
            j += 1
        hunks.append(format_hunk(old_count, i + 1, new_lines[i:j]))
        i = j
    return "\n".join(hunks)


def difflib_insertion(old_lines: Sequence[str], new_lines: Sequence[str]) -> str | None:
    """``difflib``'s zero-context diff of two states (headers dropped), if it is a pure insertion.

    This is the authors' encoding; it is ``None`` when difflib prints a replacement for what
    is really an insertion (their defect), so that the caller can fall back to
    :func:`diff_insertion`.
    """
    out = list(difflib.unified_diff(list(old_lines), list(new_lines), n=0, lineterm=""))[2:]
    for line in out:
        if line.startswith("@@"):
            match = _HUNK_HEADER.match(line)
            if match is None or match.group(2) != "0":
                return None
        elif not line.startswith("+"):
            return None
    return "\n".join(out)


def parse_edit(edit: str) -> list[Hunk]:
    """Parse one edit into insertion hunks; raise :class:`MalformedEditError` on anything else.

    Lines that are neither a hunk header nor ``+``-prefixed (e.g. ``-`` or context lines) make
    the edit malformed: LintSeq edits only ever insert.
    """
    hunks: list[Hunk] = []
    current: list[str] | None = None
    header: tuple[int, int, int] | None = None

    def close() -> None:
        if header is None or current is None:
            return
        old_start, start, count = header
        if count != len(current):
            raise MalformedEditError(
                f"hunk at +{start} declares {count} line(s) but has {len(current)}"
            )
        hunks.append(Hunk(old_start, start, tuple(current)))

    for line in edit.split("\n"):
        match = _HUNK_HEADER.match(line)
        if match:
            close()
            old_count = int(match.group(2)) if match.group(2) is not None else 1
            if old_count != 0:
                raise MalformedEditError(f"hunk {line!r} removes lines; edits must only insert")
            new_count = int(match.group(4)) if match.group(4) is not None else 1
            header = (int(match.group(1)), int(match.group(3)), new_count)
            current = []
        elif line.startswith("+") and current is not None:
            current.append(line[1:])
        elif line == "" and current is None:
            continue
        else:
            raise MalformedEditError(f"unexpected line in edit: {line[:80]!r}")
    close()
    if not hunks and edit.strip():
        raise MalformedEditError(f"no hunk header in edit: {edit[:80]!r}")
    return hunks


def apply_hunks(lines: list[str], hunks: Sequence[Hunk]) -> list[str]:
    """Insert each hunk at its new-state line number (hunks of one edit in increasing order)."""
    out = list(lines)
    for hunk in hunks:
        at = hunk.start - 1
        if hunk.start < 1 or at > len(out):
            raise MalformedEditError(
                f"hunk inserts at line {hunk.start} of a {len(out)}-line state"
            )
        out[at:at] = hunk.lines
    return out


def apply_edits(edits: Sequence[str]) -> str:
    """Rebuild the program from an edit sequence (strict: a malformed edit raises)."""
    lines: list[str] = []
    for index, edit in enumerate(edits):
        try:
            lines = apply_hunks(lines, parse_edit(edit))
        except MalformedEditError as err:
            raise MalformedEditError(f"edit {index}: {err}") from err
    return "\n".join(lines)


def format_training_text(instruction: str, edits: Sequence[str], eos: str = "") -> str:
    """Training text of an edit-sequence example (docs/algorithm.md), byte-for-byte as the authors'."""
    return instruction + ("\n" + DIFF_TOKEN).join(["", *edits, "", ""]) + eos


def format_completion(edits: Sequence[str], eos: str = "") -> str:
    """The part of :func:`format_training_text` after :func:`format_prompt` (the loss target)."""
    return format_training_text("", edits, eos)[len(format_prompt("")) :]


def format_prompt(instruction: str) -> str:
    """Inference prompt for an edit-sequence model: the instruction, then the first separator."""
    return instruction + "\n" + DIFF_TOKEN


def format_instruct_text(instruction: str, program: str, eos: str = "") -> str:
    """Training text of the baseline ("Instruct") arm: instruction, newline, program, EOS."""
    return instruction + "\n" + program + eos


def format_instruct_prompt(instruction: str) -> str:
    """Prompt of the baseline arm (the masked part of :func:`format_instruct_text`)."""
    return instruction + "\n"


@dataclass
class DecodeResult:
    """A decoded completion: the program and what was skipped on the way."""

    program: str
    edits_applied: int = 0
    malformed: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.malformed


def split_completion(text: str, eos: str | None = None) -> list[str]:
    """Split a completion (text after the prompt) into edits, up to the closing empty edit.

    ``text`` may or may not still start with the separator; an ``eos`` string, if given,
    ends the completion.
    """
    if eos:
        cut = text.find(eos)
        if cut >= 0:
            text = text[:cut]
    pieces = text.split(DIFF_TOKEN)
    edits: list[str] = []
    for index, piece in enumerate(pieces):
        body = piece[1:] if piece.startswith("\n") else piece
        body = body.rstrip("\n") if index == len(pieces) - 1 else body
        if body.endswith("\n"):
            body = body[:-1]
        if not body.strip():
            if index == 0:
                continue  # text before the first separator (prompt tail) is empty
            break  # the empty edit ends the sequence
        edits.append(body)
    return edits


def decode_completion_detailed(
    text: str, *, strict: bool = False, eos: str | None = None
) -> DecodeResult:
    """Decode a completion into a program, recording malformed edits.

    Malformed hunks are skipped (the authors' behaviour); with ``strict=True`` the first
    one raises :class:`MalformedEditError`. Never raises otherwise, whatever ``text`` is.
    """
    lines: list[str] = []
    result = DecodeResult(program="")
    for index, edit in enumerate(split_completion(text, eos)):
        try:
            hunks = parse_edit(edit)
        except MalformedEditError as err:
            if strict:
                raise MalformedEditError(f"edit {index}: {err}") from err
            result.malformed.append(f"edit {index}: {err}")
            hunks = _salvage_hunks(edit)
        for hunk in hunks:
            try:
                lines = apply_hunks(lines, [hunk])
            except MalformedEditError as err:
                if strict:
                    raise MalformedEditError(f"edit {index}: {err}") from err
                result.malformed.append(f"edit {index}: {err}")
        result.edits_applied += 1
    result.program = "\n".join(lines)
    return result


def _salvage_hunks(edit: str) -> list[Hunk]:
    """Keep the well-formed insertion hunks of a malformed edit (skip the broken ones)."""
    kept: list[Hunk] = []
    blocks: list[list[str]] = []
    for line in edit.split("\n"):
        if _HUNK_HEADER.match(line):
            blocks.append([line])
        elif blocks:
            blocks[-1].append(line)
    for block in blocks:
        try:
            kept.extend(parse_edit("\n".join(block)))
        except MalformedEditError:
            continue
    return kept


def decode_completion(text: str, *, strict: bool = False, eos: str | None = None) -> str:
    """Model output after :func:`format_prompt` → program text (see :func:`decode_completion_detailed`)."""
    return decode_completion_detailed(text, strict=strict, eos=eos).program
