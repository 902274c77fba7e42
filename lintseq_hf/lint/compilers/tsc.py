"""JavaScript and TypeScript verdicts from the TypeScript compiler, in one Node worker process
per linter (docs/languages.md).

TypeScript: every error ``tsc --noEmit`` reports with its defaults (plus ES2022, CommonJS,
Node's types). JavaScript (checked as ``checkJs``): parse and grammar errors, JavaScript-only
checks, JSX errors, and names that are undefined or redeclared -- not type errors, which a
JavaScript developer does not count as "broken".

The compiler comes from a folder of Node packages installed by ``scripts/setup.sh`` (versions
pinned in ``lint/compilers/node/package.json``): ``$LINTSEQ_NODE_TOOLS`` or ``~/.cache/lintseq_hf/node-tools``.
"""

from __future__ import annotations

import json
import os
from importlib import resources
from pathlib import Path

from lintseq_hf.lint.compilers.tools import ToolMissingError, empty_directory, require_program
from lintseq_hf.lint.compilers.worker import WorkerLinter, WorkerProcess

NODE_TOOLS_VARIABLE = "LINTSEQ_NODE_TOOLS"

JAVASCRIPT_NAME_ERRORS = (2304, 2311, 2552, 2580, 2581, 2582, 2583, 2584, 2591, 2592, 2593, 2662, 2663, 2867, 2868, 2451)
"""Semantic codes that count for JavaScript: "Cannot find name" (with or without a hint: every
``Cannot_find_name_0...`` message of TypeScript 5.9) and "Cannot redeclare block-scoped variable"."""


JAVASCRIPT_PRIVATE_NAME_ERRORS = (2339, 2551, 18013, 18016)
"""Codes that count for JavaScript when the name they flag is private (``#name``): "Property '#x'
does not exist" (with or without a suggestion), "not accessible outside class", "not allowed
outside class bodies". A private name no enclosing class declares is a syntax error to a JavaScript
engine (V8: "Private field '#x' must be declared in an enclosing class"); TypeScript reports it as
a property error."""


def javascript_counts(code: int, name: str = "") -> bool:
    """Whether a TypeScript error code on ``name`` counts for JavaScript (the worker applies the same rule)."""
    if 1000 <= code < 2000 or 8000 <= code < 9000 or 17000 <= code < 18000 or code in JAVASCRIPT_NAME_ERRORS:
        return True
    return code in JAVASCRIPT_PRIVATE_NAME_ERRORS and name.startswith("#")


def node_tools_dir() -> Path:
    """Folder whose ``node_modules`` holds typescript and @types/node."""
    configured = os.environ.get(NODE_TOOLS_VARIABLE)
    if configured:
        return Path(configured)
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "lintseq_hf" / "node-tools"


def pinned_versions() -> dict[str, str]:
    """Package versions the verdicts are defined with (``lint/compilers/node/package.json``)."""
    manifest = resources.files("lintseq_hf.lint.compilers").joinpath("node", "package.json").read_text(encoding="utf-8")
    return dict(json.loads(manifest)["dependencies"])


def node_modules() -> Path:
    """The ``node_modules`` folder to load the compiler from; :class:`ToolMissingError` if absent."""
    folder = node_tools_dir() / "node_modules"
    if not (folder / "typescript" / "package.json").is_file() or not (folder / "@types" / "node").is_dir():
        packages = " ".join(f"{name}@{version}" for name, version in pinned_versions().items())
        raise ToolMissingError(
            f"the TypeScript compiler is not installed in {folder}; run `bash scripts/setup.sh` or "
            f"`npm install --prefix {node_tools_dir()} {packages}` (or set {NODE_TOOLS_VARIABLE})"
        )
    return folder


class _TypeScriptCompilerLinter(WorkerLinter):
    name = "tsc"
    source_language = "typescript"

    def __init__(self, cache_size: int = 256) -> None:
        node = require_program("node", "install Node.js (Debian: apt-get install nodejs npm)")
        script = resources.files("lintseq_hf.lint.compilers").joinpath("node", "lint_worker.js")
        codes = ",".join(str(code) for code in JAVASCRIPT_NAME_ERRORS)
        private = ",".join(str(code) for code in JAVASCRIPT_PRIVATE_NAME_ERRORS)
        self.worker = WorkerProcess(
            [node, str(script), str(node_modules()), codes, private], cwd=empty_directory("lintseq-node-", self)
        )
        super().__init__(cache_size)

    def request_name(self, text: str) -> str:  # noqa: ARG002 - the state text does not name it
        """The worker takes the source language as the name (it picks the file suffix)."""
        return self.source_language


class TypeScriptLinter(_TypeScriptCompilerLinter):
    """TypeScript states (``.ts``): every error of the TypeScript compiler."""

    name = "tsc"
    source_language = "typescript"


class TsxLinter(_TypeScriptCompilerLinter):
    """TypeScript with JSX (``.tsx``): every error of the TypeScript compiler."""

    name = "tsc-tsx"
    source_language = "tsx"


class JavaScriptLinter(_TypeScriptCompilerLinter):
    """JavaScript states: syntax errors and undefined or redeclared names (:func:`javascript_counts`)."""

    name = "tsc-js"
    source_language = "javascript"
