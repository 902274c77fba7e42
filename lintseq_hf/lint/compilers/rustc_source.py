"""Rust source read just far enough for the batch rules (:mod:`rustc_batch_rules`): the text
without its comments, and a state's leading crate-level attributes that a batch's root can carry
for it (docs/languages.md, "Rust batches").

Comments never change what rustc checks (doc comments are ``doc`` attributes, whose text rustc
does not resolve), so a hazard written only in a comment (``//! ... #![no_std] ...``,
``// see super::x``) is none. Anything the scanner cannot read for sure (an unterminated string
or comment) is left as it is, so the rules see more, never less.
"""

from __future__ import annotations

import functools
import re

_RAW_STRING = re.compile(r'b?r(#*)"')
_CHAR = re.compile(r"b?'(?:[^'\\\n]|\\(?:x[0-9A-Fa-f]{2}|u\{[0-9A-Fa-f]{1,6}\}|.))'")
_IDENT = re.compile(r"[A-Za-z_]\w*")
INNER_ATTRIBUTE = re.compile(r"#\s*!")
"""What opens an inner attribute (``#![...]``)."""


def _string_end(text: str, start: int) -> int | None:
    """Where the string or char literal at ``start`` ends (exclusive), or None if ``start``
    opens none (an identifier, a lifetime) or it is not terminated."""
    raw = _RAW_STRING.match(text, start)
    if raw is not None and not _ends_word(text, start):
        closing = '"' + raw.group(1)
        end = text.find(closing, raw.end())
        return None if end < 0 else end + len(closing)
    position = start + 1 if text.startswith('b"', start) else start
    if text.startswith('"', position):
        position += 1
        while position < len(text):
            if text[position] == "\\":
                position += 2
            elif text[position] == '"':
                return position + 1
            else:
                position += 1
        return None
    char = _CHAR.match(text, start)
    return char.end() if char is not None else None


def _ends_word(text: str, position: int) -> bool:
    """Whether the character before ``position`` belongs to an identifier (a ``b`` or ``r`` there
    ends a name, it opens no literal)."""
    return position > 0 and (text[position - 1].isalnum() or text[position - 1] == "_")


def _opens_string(text: str, position: int) -> bool:
    """Whether a string literal opens at ``position``: ``"``, ``b"``, ``r"``, ``r#"``, ``br"``."""
    if text[position] == '"':
        return True
    return text[position] in "br" and bool(_RAW_STRING.match(text, position) or text.startswith('b"', position)) and not _ends_word(text, position)


_COMMENT_OR_LITERAL = re.compile(r"//|/\*|[\"']|b'|b?r#*\"|b\"")
"""Where a comment or a literal may open (:func:`strip_comments` reads on from there)."""
_STRING = re.compile(r"[\"]|b?r#*\"|b\"")
"""Where a string literal may open."""


@functools.lru_cache(maxsize=1024)
def strip_comments(text: str) -> str:
    """``text`` with every comment's characters (but newlines) made spaces; string and char
    literals kept as they are. Unreadable text (an unterminated comment or string) comes back
    unchanged. Memoized: the batch rules read a state many times."""
    out: list[str] = []
    position = 0
    while position < len(text):
        found = _COMMENT_OR_LITERAL.search(text, position)
        if found is None:
            out.append(text[position:])
            break
        out.append(text[position:found.start()])
        position = found.start()
        char = text[position]
        if text.startswith("//", position):
            end = text.find("\n", position)
            end = len(text) if end < 0 else end
            out.append(" " * (end - position))
            position = end
        elif text.startswith("/*", position):
            depth, scan = 1, position + 2
            while depth and scan < len(text):
                if text.startswith("/*", scan):
                    depth, scan = depth + 1, scan + 2
                elif text.startswith("*/", scan):
                    depth, scan = depth - 1, scan + 2
                else:
                    scan += 1
            if depth:
                return text
            out.append("".join("\n" if c == "\n" else " " for c in text[position:scan]))
            position = scan
        elif _opens_string(text, position) or char == "'" or (text.startswith("b'", position) and not _ends_word(text, position)):
            end = _string_end(text, position)
            if end is None:
                if char == "'":  # a lifetime or a label
                    out.append(char)
                    position += 1
                    continue
                return text
            out.append(text[position:end])
            position = end
        else:
            out.append(char)
            position += 1
    return "".join(out)


SHAREABLE_ROOT_ATTRIBUTES = frozenset({"no_std", "doc", "allow", "warn", "deny", "expect"})
"""Crate-level attributes a batch's root may carry for its states: in a module they are lint
levels (capped to warnings), documentation, or ignored with a warning (``no_std``), so the only
difference they make is the crate's, and the root gives the batch that."""


@functools.lru_cache(maxsize=1024)
def leading_root_attributes(code: str) -> tuple[str, ...] | None:
    """The inner attributes (``#![...]``) that open ``code`` (comments already stripped), each
    as written, when every one is :data:`SHAREABLE_ROOT_ATTRIBUTES` (also under ``cfg_attr``)
    and no other ``#!`` follows; None otherwise. A batch of states with the same ones, under a
    root that carries them, checks each as alone."""
    attributes: list[str] = []
    position = 0
    while True:
        while position < len(code) and code[position].isspace():
            position += 1
        if not code.startswith("#!", position):
            break
        scan = position + 2
        while scan < len(code) and code[scan].isspace():
            scan += 1
        if not code.startswith("[", scan):
            return None
        end = bracket_end(code, scan)
        if end is None or not _shareable(code[scan + 1:end - 1]):
            return None
        attributes.append(code[position:end])
        position = end
    if INNER_ATTRIBUTE.search(_blank_strings(code[position:])):
        return None
    return tuple(attributes)


def _blank_strings(code: str) -> str:
    """``code`` with string literals' contents removed (their quotes kept)."""
    out: list[str] = []
    position = 0
    while position < len(code):
        found = _STRING.search(code, position)
        if found is None:
            out.append(code[position:])
            break
        out.append(code[position:found.start()])
        position = found.start()
        char = code[position]
        if _opens_string(code, position):
            end = _string_end(code, position)
            if end is None:
                return code
            out.append('""')
            position = end
        else:
            out.append(char)
            position += 1
    return "".join(out)


def bracket_end(code: str, start: int) -> int | None:
    """The end (exclusive) of the bracketed group opening at ``start``, strings skipped."""
    depth = 0
    position = start
    while position < len(code):
        char = code[position]
        if _opens_string(code, position):
            end = _string_end(code, position)
            if end is None:
                return None
            position = end
            continue
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
            if depth == 0:
                return position + 1
        position += 1
    return None


def top_level_prefix(code: str, position: int) -> str | None:
    """The text of ``code`` (comments stripped) from the end of the last item at its top level
    (a ``;`` or a closing ``}`` outside every bracket) up to ``position``: the item's outer
    attributes and keywords when ``position`` starts an item. None when ``position`` is inside
    brackets (a body, a macro's definition or call), or when a string before it is unterminated."""
    depths, starts = _top_level_map(code)
    return code[starts[position]:position] if depths[position] == 0 else None


@functools.lru_cache(maxsize=64)
def _top_level_map(code: str) -> tuple[list[int], list[int]]:
    """Per position of ``code`` (and its end): the bracket depth there (-1 after an unterminated
    string), and where the last item at the top level ended before it (:func:`top_level_prefix`)."""
    depths: list[int] = []
    starts: list[int] = []
    depth = 0
    item_start = 0
    scan = 0
    while scan < len(code):
        depths.append(depth)
        starts.append(item_start)
        char = code[scan]
        if _opens_string(code, scan) or char == "'":
            end = _string_end(code, scan)
            if end is None and char != "'":
                depths.extend([-1] * (len(code) + 1 - len(depths)))
                starts.extend([item_start] * (len(code) + 1 - len(starts)))
                return depths, starts
            end = scan + 1 if end is None else end  # a lifetime or label: one character
            depths.extend([depth] * (end - scan - 1))
            starts.extend([item_start] * (end - scan - 1))
            scan = end
            continue
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
            if depth == 0 and char == "}":
                item_start = scan + 1
        elif char == ";" and depth == 0:
            item_start = scan + 1
        scan += 1
    depths.append(depth)
    starts.append(item_start)
    return depths, starts


def _shareable(body: str) -> bool:
    """Whether the attribute ``body`` (inside ``#![ ]``) is a shareable one or a ``cfg_attr`` of them."""
    body = _blank_strings(body).strip()
    name = _IDENT.match(body)
    if name is None:
        return False
    rest = body[name.end():].strip()
    if name.group(0) == "cfg_attr":
        if not (rest.startswith("(") and rest.endswith(")")):
            return False
        parts = _top_level_split(rest[1:-1])
        return len(parts) >= 2 and all(_shareable(part) for part in parts[1:] if part.strip())
    if name.group(0) not in SHAREABLE_ROOT_ATTRIBUTES:
        return False
    if name.group(0) == "doc" and rest.startswith("="):
        return rest[1:].strip() == '""'  # a string, never a macro that reads a file
    return rest == "" or rest.startswith("(") and rest.endswith(")") and "!" not in rest


def _top_level_split(inside: str) -> list[str]:
    """``inside`` split at its commas outside brackets (strings already blanked)."""
    parts: list[str] = []
    depth, start = 0, 0
    for position, char in enumerate(inside):
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(inside[start:position])
            start = position + 1
    parts.append(inside[start:])
    return parts
