"""Flags a user typed that no parser knows: the close match to suggest (for every command line of the package:
the ``lintseq`` commands and ``python -m lintseq_hf.train``)."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def suggest_flags(unknown: Iterable[str], known: Iterable[str]) -> str:
    """`` (did you mean --max_steps?)``-style hints for the unknown flags among ``unknown`` ('' when none is close)."""
    known = sorted({flag for flag in known if flag.startswith("-")})
    hints: list[tuple[str, str]] = []
    for item in unknown:
        if not item.startswith("-"):
            continue
        flag = item.split("=", 1)[0]
        match = difflib.get_close_matches(flag, known, n=1, cutoff=0.6)
        if match:
            hints.append((flag, match[0]))
    if not hints:
        return ""
    if len(hints) == 1:
        return f" (did you mean {hints[0][1]}?)"
    return " (did you mean " + ", ".join(f"{match} for {flag}" for flag, match in hints) + "?)"


__all__ = ["suggest_flags"]
