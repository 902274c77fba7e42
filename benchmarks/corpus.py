"""A real-code corpus for the linter benchmarks and verdict tests, read from installed sources.

Every top-level function and class (3 to 79 lines) of the ``algorithms`` package (PyPI
``algorithms==1.0.1``, MIT) and of a fixed list of pure-Python standard-library modules,
each as a self-contained program: the module's absolute imports of the names it uses, then
the definition. Nothing is copied into the repository; the programs are cut out of the
installed files with ``ast`` when asked for, in a fixed order, so every run sees the same
corpus for the same installed versions.

    python benchmarks/corpus.py            # counts, and how many programs import something
"""

from __future__ import annotations

import ast
import importlib.util
import sys
import sysconfig
from pathlib import Path

STDLIB_MODULES = (
    "argparse", "ast", "base64", "bisect", "calendar", "cmd", "code", "codeop", "colorsys",
    "configparser", "contextlib", "copy", "csv", "dataclasses", "datetime", "difflib", "dis",
    "doctest", "email/utils", "enum", "filecmp", "fileinput", "fnmatch", "fractions", "ftplib",
    "functools", "genericpath", "getopt", "gettext", "glob", "graphlib", "gzip", "hashlib",
    "heapq", "hmac", "html/__init__", "http/cookies", "inspect", "ipaddress", "json/decoder",
    "json/encoder", "keyword", "linecache", "locale", "logging/__init__", "mimetypes", "netrc",
    "ntpath", "numbers", "operator", "optparse", "pathlib", "pdb", "pickletools", "platform",
    "plistlib", "posixpath", "pprint", "queue", "quopri", "random", "reprlib", "sched",
    "secrets", "selectors", "shlex", "shutil", "smtplib", "socketserver", "stat", "statistics",
    "string", "subprocess", "tarfile", "tempfile", "textwrap", "threading", "timeit",
    "tokenize", "trace", "traceback", "types", "urllib/parse", "uuid", "warnings", "wave",
    "weakref", "zipfile",
)
"""Pure-Python standard-library modules (paths under the stdlib folder, without ``.py``)."""

MIN_LINES, MAX_LINES = 3, 80


def programs_of(source: str, *, min_lines: int = MIN_LINES, max_lines: int = MAX_LINES) -> list[str]:
    """Each top-level function/class of ``source`` as a program: the imports it uses + its text."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    lines = source.split("\n")
    imports = [
        node
        for node in tree.body
        if isinstance(node, (ast.Import, ast.ImportFrom))
        and not (isinstance(node, ast.ImportFrom) and node.level)
        and not any(alias.name == "*" for alias in node.names)
    ]
    found = []
    for node in tree.body:
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        start = min([node.lineno, *(d.lineno for d in node.decorator_list)])
        definition = "\n".join(lines[start - 1 : node.end_lineno])
        if not min_lines <= definition.count("\n") < max_lines:
            continue
        used = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
        header = [_import_line(imp, used) for imp in imports]
        header = [line for line in header if line]
        found.append("\n".join(header) + "\n\n\n" + definition if header else definition)
    return found


def _import_line(node: ast.Import | ast.ImportFrom, used: set[str]) -> str:
    """``node`` reduced to the names the definition uses ("" when none)."""
    kept = [a for a in node.names if (a.asname or a.name.split(".")[0]) in used]
    if not kept:
        return ""
    names = ", ".join(a.name + (f" as {a.asname}" if a.asname else "") for a in kept)
    return f"import {names}" if isinstance(node, ast.Import) else f"from {node.module} import {names}"


def algorithms_programs(limit: int | None = None) -> list[str]:
    """The ``algorithms`` package's programs (empty when the package is not installed)."""
    spec = importlib.util.find_spec("algorithms")
    if spec is None or not spec.submodule_search_locations:
        return []
    root = Path(list(spec.submodule_search_locations)[0])
    found: list[str] = []
    for path in sorted(root.rglob("*.py")):
        found.extend(programs_of(path.read_text(encoding="utf-8")))
    return found[:limit]


def stdlib_programs(limit: int | None = 300, per_module: int = 6) -> list[str]:
    """Up to ``per_module`` programs from each module of :data:`STDLIB_MODULES`, in order."""
    root = Path(sysconfig.get_paths()["stdlib"])
    found: list[str] = []
    for name in STDLIB_MODULES:
        path = root / f"{name}.py"
        if path.is_file():
            found.extend(programs_of(path.read_text(encoding="utf-8"))[:per_module])
    return found[:limit]


def real_code_programs(stdlib: int = 300) -> list[str]:
    """The whole corpus: every ``algorithms`` program, then ``stdlib`` standard-library ones."""
    return algorithms_programs() + stdlib_programs(stdlib)


if __name__ == "__main__":
    algorithms, standard = algorithms_programs(), stdlib_programs()
    for label, programs in (("algorithms", algorithms), ("stdlib", standard)):
        importing = sum(p.startswith(("import ", "from ")) for p in programs)
        sizes = sorted(p.count("\n") + 1 for p in programs)
        median = sizes[len(sizes) // 2] if sizes else 0
        print(f"{label}: {len(programs)} programs, {importing} import something, median {median} lines")
    sys.exit(0)
