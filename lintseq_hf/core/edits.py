"""The edit text format, encode and decode in one place (docs/algorithm.md).

An edit is a zero-context unified diff without ``---``/``+++`` headers whose hunks are
all insertions: ``@@ -a,0 +c,d @@`` followed by ``d`` lines prefixed with ``+`` (the new
range is written ``+c`` when ``d == 1``, exactly as :mod:`difflib` prints it).

A model completion is the text generated after :func:`format_prompt`: edits separated by
the ``<|diff|>`` token, closed by an empty edit. :func:`decode_completion` reads it by the
authors' rules (docs/decoding.md), or exactly with ``strict=True``.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

DIFF_TOKEN = "<|diff|>"
"""Separator between edits; added to tokenizers as an ordinary (non-special) token."""
TEXT_FORMATS = ("lintseq", "instruct")
"""How a model writes programs, in training and in generation: ``lintseq`` as edit sequences, ``instruct``
as plain code (the baseline arm, instruction → program)."""

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
            if any(len(number) > 30 for number in match.groups("")):
                raise MalformedEditError(f"hunk header {line[:80]!r} has a line number too large")
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


NOT_AN_EDIT_MODEL = (
    f"a model that writes no {DIFF_TOKEN} was not trained on LintSeq edit sequences: every completion decodes to an "
    "empty program. For an instruction model use the instruct mode (generate_programs(mode='instruct'), "
    "`lintseq sample --mode instruct`, `lintseq score --mode instruct`, the *_lintseq_instruct tasks)"
)
"""Why edit-sequence decoding refuses (generation) or warns (scoring) when ``<|diff|>`` never appears."""


def writes_no_edits(completions: Iterable[str]) -> bool:
    """Whether completions, not all empty, hold no hunk (``@@``) at all: every one decodes to an empty program.

    (``<|diff|>`` itself may be cut away with the stop text, so the hunk header is what an edit model writes.)
    """
    texts = [text for text in completions if isinstance(text, str) and text.strip()]
    return bool(texts) and not any("@@" in text for text in texts)


def format_instruct_text(instruction: str, program: str, eos: str = "") -> str:
    """Training text of the baseline ("Instruct") arm: instruction, newline, program, EOS."""
    return instruction + "\n" + program + eos


def format_instruct_prompt(instruction: str) -> str:
    """Prompt of the baseline arm (the masked part of :func:`format_instruct_text`)."""
    return instruction + "\n"


@dataclass
class DecodeResult:
    """A decoded completion: the program, the edits it was built from, and every format deviation."""

    program: str
    edits: list[str] = field(default_factory=list)
    """The completion's edits up to the closing empty edit, as text."""
    malformed: list[str] = field(default_factory=list)
    """Every deviation from the edit format that the decoder tolerated or skipped (docs/decoding.md)."""
    unparsable: list[str] = field(default_factory=list)
    """The hunks dropped because their header could not be read (also listed in ``malformed``):
    the failures that the authors' ``malformed_penalty`` turns into an empty program."""

    @property
    def edits_applied(self) -> int:
        return len(self.edits)

    @property
    def ok(self) -> bool:
        return not self.malformed


def split_completion(text: str, eos: str | None = None) -> list[str]:
    """Split a completion into edits the strict way: at every separator, up to the empty edit.

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
        body = piece.removeprefix("\n")
        body = body.rstrip("\n") if index == len(pieces) - 1 else body
        body = body.removesuffix("\n")
        if not body.strip():
            if index == 0:
                continue  # text before the first separator (prompt tail) is empty
            break  # the empty edit ends the sequence
        edits.append(body)
    return edits


def decode_completion_detailed(
    text: str, *, strict: bool = False, eos: str | None = None
) -> DecodeResult:
    """Decode a completion (the text after :func:`format_prompt`) into a program.

    By default this follows the authors' decoder, rule by rule as docs/decoding.md lists
    them, and never raises, whatever ``text`` is; every deviation from the format is listed
    in ``malformed``. With ``strict=True`` the completion must be exactly well formed (hunk
    line counts included): the first deviation raises :class:`MalformedEditError`. A ``text``
    that is not a string raises :class:`TypeError`.
    """
    if not isinstance(text, str):
        raise TypeError(f"a completion must be a str, not {type(text).__name__}")
    if strict:
        return _decode_strict(text, eos)
    return _decode_lenient(text, eos)


def decode_completion(text: str, *, strict: bool = False, eos: str | None = None) -> str:
    """Model output after :func:`format_prompt` → program text (see :func:`decode_completion_detailed`)."""
    return decode_completion_detailed(text, strict=strict, eos=eos).program


def _decode_strict(text: str, eos: str | None) -> DecodeResult:
    lines: list[str] = []
    edits = split_completion(text, eos)
    for index, edit in enumerate(edits):
        try:
            lines = apply_hunks(lines, parse_edit(edit))
        except MalformedEditError as err:
            raise MalformedEditError(f"edit {index}: {err}") from err
    return DecodeResult(program="\n".join(lines), edits=edits)


_SEPARATOR = "\n" + DIFF_TOKEN
_INT_MAX_DIGITS = 4300
"""Python's default limit for ``int(str)``: the authors' decoder cannot read a longer number."""
_HUGE = 10**30
"""Stands in for any longer line number: past the end of every state."""
_PYTHON_INT = re.compile(r"\s*([+-]?)(\d+(?:_\d+)*)\s*")
"""What ``int(str)`` accepts: whitespace, a sign, (Unicode) digits with single underscores."""
_INSERTION_RANGE = re.compile(r"-[0-9]+,0")
_NEW_RANGE = re.compile(r"\+[0-9]+(?:,([0-9]+))?")
"""A well-formed new range; group 1 is the declared line count (1 when absent)."""


def _number(digits: str) -> int:
    """Value of a run of (possibly non-ASCII) decimal digits, capped at :data:`_HUGE`."""
    ascii_digits = "".join(str(unicodedata.decimal(ch)) for ch in digits).lstrip("0")
    return _HUGE if len(ascii_digits) > 30 else int(ascii_digits or "0")


def _new_range_start(new_range: str) -> int | None:
    """The start of a new range as the authors read it (``None``: not an integer).

    The text before the first ``,``, leading ``+`` characters removed, read as ``int()``
    reads a string (its default digit limit included, whatever this process has set).
    """
    match = _PYTHON_INT.fullmatch(new_range.split(",", 1)[0].lstrip("+"))
    if match is None:
        return None
    digits = match.group(2).replace("_", "")
    if len(digits) > _INT_MAX_DIGITS:
        return None
    value = _number(digits)
    return -value if match.group(1) == "-" else value


def _short(text: str) -> str:
    return repr(text if len(text) <= 60 else text[:57] + "...")


def _completion_edits(text: str, eos: str | None, notes: list[str]) -> list[str]:
    """Rules 1-3 of docs/decoding.md: where the text ends, its edits, the closing empty edit."""
    if eos:
        cut = text.find(eos)
        if cut >= 0:
            if text[cut:].replace(eos, "").strip():
                notes.append("completion: text after EOS ignored")
            text = text[:cut]
    text = text.removesuffix("\n")  # left by a stop string at the closing edit ("<|diff|>\n<|diff|>")
    text = text.removeprefix(DIFF_TOKEN)  # the prompt's separator, passed along with the completion
    pieces = text.split(_SEPARATOR)
    if not pieces[0].strip():
        pieces = pieces[1:]  # nothing before the first separator
    for index, piece in enumerate(pieces):
        if not piece.strip():
            if any(rest.strip() for rest in pieces[index + 1 :]):
                notes.append(f"completion: text after the closing empty edit (edit {index}) ignored")
            return pieces[:index]
    return pieces


def _decode_lenient(text: str, eos: str | None) -> DecodeResult:
    result = DecodeResult(program="")
    notes = result.malformed
    result.edits = _completion_edits(text, eos, notes)
    lines: list[str] = []
    for index, edit in enumerate(result.edits):
        for label, start, new_lines in _lenient_hunks(edit, index, notes, result.unparsable):
            _insert(lines, start, new_lines, label, notes)
    result.program = "\n".join(lines)
    return result


def apply_edit_lenient(lines: Sequence[str], edit: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Apply one edit to the state ``lines`` exactly as the default decoder would.

    Returns the new state and, per hunk in order, the 0-based index its lines went in at and
    the lines. Raises :class:`MalformedEditError` when the edit has a hunk header the decoder
    cannot read (it would skip that hunk) or no hunk at all.
    """
    notes: list[str] = []
    unparsable: list[str] = []
    hunks = _lenient_hunks(edit, 0, notes, unparsable)
    if unparsable:
        raise MalformedEditError(unparsable[0])
    if not hunks:
        raise MalformedEditError(f"no hunk header in edit: {edit[:80]!r}")
    state = list(lines)
    placed = [(_insert(state, start, new_lines, label, notes), new_lines) for label, start, new_lines in hunks]
    return state, placed


def _lenient_hunks(edit: str, index: int, notes: list[str], unparsable: list[str]) -> list[tuple[str, int, list[str]]]:
    """Rules 4-8 of docs/decoding.md on one edit: per readable hunk its label, start and lines."""
    hunks: list[tuple[str, int, list[str]]] = []
    chunks = edit.split("\n@@")  # rule 4
    for position, hunk in enumerate([chunks[0], *("@@" + chunk for chunk in chunks[1:])]):
        before, found, rest = hunk.partition("@@")
        if not found:
            if hunk.strip():
                notes.append(f"edit {index}: text without a hunk header ignored: {_short(hunk)}")
            continue
        if position == 0 and before.strip():
            notes.append(f"edit {index}: text before the first hunk header ignored: {_short(before)}")
        header_line = "@@" + rest.split("\n", 1)[0]
        label = f"edit {index}: hunk {_short(header_line)}"
        try:
            old_range, new_range, start, body = _read_header(rest)
        except MalformedEditError as err:
            notes.append(f"{label}: {err}; skipped")
            unparsable.append(notes[-1])
            continue
        new_lines = _body_lines(body, label, notes)
        _check_ranges(old_range, new_range, len(new_lines), label, notes)
        hunks.append((label, start, new_lines))
    return hunks


def _read_header(rest: str) -> tuple[str, str, int, str]:
    """Rules 5-7 of docs/decoding.md on a hunk after its first ``@@``: old and new range, start, body."""
    header, found, body = rest.partition("@@")
    if not found:
        raise MalformedEditError("no closing '@@'")
    ranges = header.strip().split(" ")
    if len(ranges) != 2:
        raise MalformedEditError("header is not two space-separated ranges")
    old_range, new_range = ranges
    start = _new_range_start(new_range)
    if start is None:
        raise MalformedEditError(f"new-range start is not an integer of at most {_INT_MAX_DIGITS} digits")
    return old_range, new_range, start, body


def _body_lines(body: str, label: str, notes: list[str]) -> list[str]:
    """Rule 8 of docs/decoding.md: the lines a hunk inserts, one leading ``+`` or ``-`` removed."""
    code = body.lstrip()
    if body.split("\n", 1)[0].strip():
        notes.append(f"{label}: text after the header's closing '@@' inserted as a code line")
    elif code and body[: len(body) - len(code)] != "\n":
        notes.append(f"{label}: blank space before the first line dropped")
    lines = code.split("\n")
    minus = sum(line.startswith("-") for line in lines)
    bare = sum(not line.startswith(("+", "-")) for line in lines)
    if minus:
        notes.append(f"{label}: {minus} '-' line(s) inserted as code")
    if bare:
        notes.append(f"{label}: {bare} line(s) without '+' inserted as code")
    return [line[1:] if line.startswith(("+", "-")) else line for line in lines]


def _check_ranges(old_range: str, new_range: str, count: int, label: str, notes: list[str]) -> None:
    """Note the header's deviations from ``-a,0 +c,d`` with ``d == count`` (the decoder uses neither)."""
    if not _INSERTION_RANGE.fullmatch(old_range):
        notes.append(f"{label}: old range {_short(old_range)} is not an insertion ('-a,0')")
    declared = _NEW_RANGE.fullmatch(new_range)
    if declared is None:
        notes.append(f"{label}: new range {_short(new_range)} is not '+c' or '+c,d'")
    elif _number(declared.group(1) or "1") != count:
        notes.append(f"{label}: declares {(declared.group(1) or '1')[:30]} line(s) but has {count}")


def _insert(lines: list[str], start: int, new_lines: list[str], label: str, notes: list[str]) -> int:
    """Rule 9 of docs/decoding.md: insert before index ``start - 1`` of ``lines``; append past the end.

    Returns the index the lines went in at."""
    at = start - 1
    if at > len(lines):
        notes.append(f"{label}: starts past the end of a {len(lines)}-line state; appended")
        at = len(lines)
    elif at < 0:
        at = max(0, len(lines) + at)
        notes.append(f"{label}: start below 1; inserted at index {at}, counted from the end")
    lines[at:at] = new_lines
    return at
