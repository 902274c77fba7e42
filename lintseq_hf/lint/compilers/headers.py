"""Which names a standard C or C++ header brings in: what the pre-check needs to settle a state
that lost an ``#include`` (:mod:`lintseq_hf.core.precheck`).

A header's names are over-approximated by every identifier token of its preprocessed text and
of the macros it defines (``gcc -E -dD`` of a file holding only the include), under the standard
the default linter uses (``gcc``: ``gnu17``, ``g++``: ``gnu++17``). Each header is preprocessed
once per process.
"""

from __future__ import annotations

import atexit
import functools
import os
import re

from lintseq_hf.lint.base import remove_folder
from lintseq_hf.lint.compilers.libclang_worker import C_HEADERS, CXX_HEADERS
from lintseq_hf.lint.compilers.tools import ToolError, empty_directory, require_program, run_once

_COMMANDS = {"c": ("gcc", "-std=gnu17", "c"), "cpp": ("g++", "-std=gnu++17", "c++")}
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def standard_header(language: str, name: str) -> bool:
    """Whether ``<name>`` is a standard header of ``language`` (``"c"`` or ``"cpp"``)."""
    return name in (CXX_HEADERS if language == "cpp" else C_HEADERS)


@functools.lru_cache(maxsize=None)
def header_identifiers(language: str, name: str) -> frozenset[str] | None:
    """Every identifier the standard header ``<name>`` could declare in ``language``; ``None``
    when it is not a standard header or the compiler cannot preprocess it."""
    if language not in _COMMANDS or not standard_header(language, name):
        return None
    compiler, standard, source = _COMMANDS[language]
    try:
        program = require_program(compiler, "install GCC (Debian: apt-get install gcc g++)")
        done = run_once([program, "-E", "-dD", "-P", standard, "-x", source, "-"], f"#include <{name}>\n",
                        cwd=_scratch())
    except (ToolError, OSError):
        return None
    if done.returncode != 0:
        return None
    return frozenset(_IDENTIFIER.findall(done.stdout))


@functools.lru_cache(maxsize=1)
def _scratch() -> str:
    folder = empty_directory("lintseq-headers-")
    atexit.register(remove_folder, folder, os.getpid())
    return folder
