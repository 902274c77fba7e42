"""Real C and C++ programs beyond ``tests/data`` for the libclang agreement check, split once and
for all into a development part (looked at while writing :mod:`lintseq_hf.lint.compilers.libclang_rules`)
and a held-out part (measured only, never read for rules).

The programs are files of a checkout of The Algorithms (github.com/TheAlgorithms/C-Plus-Plus at
b9c118fb for C++, github.com/TheAlgorithms/C at e5dad3fa for C; MIT; not copied into this
repository): every ``.cpp``/``.c`` file of 30-110 lines that includes only standard headers,
that the reference compiler (``gcc-reference``/``g++-reference``) checks without errors, and that
``tests/data`` does not hold already. The part of a file is fixed by its path alone (the first
byte of its SHA-256, even: development, odd: held-out), so adding files never moves one.

    python benchmarks/clang_programs.py C-CHECKOUT CPP-CHECKOUT     # counts per language and part
"""

from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path

from lintseq_hf.lint.registry import get_linter

ROOT = Path(__file__).resolve().parent.parent
SUFFIX = {"c": ".c", "cpp": ".cpp"}
REFERENCE = {"c": "gcc-reference", "cpp": "g++-reference"}
PARTS = ("dev", "held-out")
MIN_LINES, MAX_LINES = 30, 110

_INCLUDE = re.compile(r"^\s*#\s*include\s*(.*)$", re.MULTILINE)
_STANDARD = re.compile(r"<[a-z0-9_/.]+>")


def part_of(relative: str) -> str:
    """``dev`` or ``held-out`` for a file's path inside its checkout."""
    return PARTS[hashlib.sha256(relative.encode("utf-8")).digest()[0] % 2]


def candidates(language: str, checkout: Path) -> list[tuple[str, str]]:
    """(relative path, text) of each file of ``checkout`` that may be a program (before the
    reference's check), sorted by path."""
    held = {p.read_bytes() for p in (ROOT / "tests" / "data").glob(f"**/*{SUFFIX[language]}")}
    found = []
    for path in sorted(checkout.glob(f"**/*{SUFFIX[language]}")):
        data = path.read_bytes()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            continue
        if data in held or not MIN_LINES <= text.count("\n") <= MAX_LINES or "\r" in text:
            continue
        if all(_STANDARD.fullmatch(target.split("//")[0].strip()) for target in _INCLUDE.findall(text)):
            found.append((str(path.relative_to(checkout)), text))
    return found


def programs(language: str, checkout: Path, part: str, count: int | None = None) -> list[str]:
    """The first ``count`` programs of ``part`` (by path) that the reference checks clean."""
    if part not in PARTS:
        raise ValueError(f"part {part!r}: expected one of {PARTS}")
    reference = get_linter(REFERENCE[language])
    chosen = []
    for relative, text in candidates(language, checkout):
        if part_of(relative) != part:
            continue
        if reference.lint(text):
            continue
        chosen.append(text)
        if count is not None and len(chosen) == count:
            break
    return chosen


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.split("\n\n")[-1].strip(), file=sys.stderr)
        return 2
    for language, checkout in zip(("c", "cpp"), argv):
        for part in PARTS:
            print(language, part, len(programs(language, Path(checkout), part)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
