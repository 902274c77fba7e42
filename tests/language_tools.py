"""For the language tests: real programs cut from real files, and each language's compiler
called directly (its own process, its own output parsing), independent of our backends."""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from lintseq_hf.core.languages import parser
from lintseq_hf.core.show import replay

DATA = Path(__file__).parent / "data"

Signature = tuple[str, str, str]
"""What makes two errors the same: code, message, stripped text of the line."""

ENV = {**os.environ, "LC_ALL": "C", "LANGUAGE": ""}


def units(source: str, language: str, kinds: Iterable[str], context: Iterable[str] | None = None) -> list[str]:
    """One program per top-level definition of a kind in ``kinds``: the file without the
    other definitions of those kinds, and (if ``context`` names kinds) without any top-level
    item of a kind not in ``context`` (so only, e.g., imports and type definitions are kept).
    Attributes (``#[...]``) go with the item they stand before."""
    data = source.encode("utf-8")
    tree = parser(language).parse(data)
    kinds = set(kinds)
    nodes = list(tree.root_node.children)
    fates: list[str] = []  # "unit", "drop" or "keep" per top-level node
    for node in nodes:
        if node.type in kinds:
            fates.append("unit")
        elif context is not None and node.type not in context and node.type != "attribute_item":
            fates.append("drop")
        else:
            fates.append("keep")
    for i in range(len(nodes) - 1, -1, -1):
        if nodes[i].type == "attribute_item" and i + 1 < len(nodes):
            fates[i] = fates[i + 1]
    groups: list[list[int]] = []
    for i, fate in enumerate(fates):
        if fate == "unit" and (not groups or nodes[i - 1].type != "attribute_item" or fates[i - 1] != "unit" or groups[-1][-1] != i - 1):
            groups.append([i])
        elif fate == "unit":
            groups[-1].append(i)
    programs = []
    for group in groups:
        if nodes[group[-1]].type == "attribute_item":
            continue
        out, at = [], 0
        for i, node in enumerate(nodes):
            if fates[i] == "keep" or i in group:
                continue
            out.append(data[at : node.start_byte])
            at = node.end_byte
        out.append(data[at:])
        programs.append(re.sub(rb"\n{3,}", b"\n\n", b"".join(out)).decode("utf-8"))
    return programs


def forward_states(edits: Sequence[str]) -> list[str]:
    """Every state of a forward sequence, empty first to full last."""
    return [""] + ["\n".join(step.lines) for step in replay(edits)]


def spaced(states: Sequence[str], count: int) -> list[str]:
    """Up to ``count`` non-empty intermediate states, spread evenly (the full program excluded)."""
    inner = [s for s in states[:-1] if s.strip()]
    if len(inner) <= count:
        return list(inner)
    return [inner[round(k * (len(inner) - 1) / (count - 1))] for k in range(count)] if count > 1 else [inner[-1]]


def _signatures(text: str, errors: Iterable[tuple[int, str, str]]) -> set[Signature]:
    lines = text.split("\n")
    out = set()
    for line, code, message in errors:
        line_text = lines[line - 1].strip() if 1 <= line <= len(lines) else ""
        out.add((code, message, line_text))
    return out


# --- C and C++: gcc / g++ -fsyntax-only --------------------------------------------------------

_GCC = re.compile(r"^<stdin>:(\d+):\d+: (fatal error|error): (.*)$")


def gcc_errors(text: str, language: str) -> set[Signature]:
    """Errors ``gcc``/``g++ -fsyntax-only -w`` reports for ``text`` (lines in other files: none here)."""
    compiler, flags = ("gcc", ["-std=gnu17", "-x", "c"]) if language == "c" else ("g++", ["-std=gnu++17", "-x", "c++"])
    with tempfile.TemporaryDirectory() as empty:
        done = subprocess.run(
            [compiler, "-fsyntax-only", "-w", "-fdiagnostics-plain-output", *flags, "-"],
            input=text, capture_output=True, text=True, cwd=empty, env=ENV, check=False,
        )
    found = []
    for raw in done.stderr.splitlines():
        match = _GCC.match(raw)
        if match:
            found.append((int(match.group(1)), "fatal" if match.group(2) == "fatal error" else "error", match.group(3)))
    return _signatures(text, found)


# --- Rust: rustc --emit=metadata --------------------------------------------------------------


def rustc_errors(text: str) -> set[Signature]:
    """Errors of ``rustc --crate-type lib --emit=metadata --cap-lints warn`` (JSON diagnostics)."""
    import json

    with tempfile.TemporaryDirectory() as work:
        done = subprocess.run(
            ["rustc", "--edition", "2021", "--crate-type", "lib", "--crate-name", "state", "--emit=metadata",
             "--error-format=json", "--cap-lints", "warn", "-o", os.path.join(work, "state.rmeta"), "-"],
            input=text, capture_output=True, text=True, cwd=work, env=ENV, check=False,
        )
    found = []
    for raw in done.stderr.splitlines():
        if not raw.startswith("{"):
            continue
        diagnostic = json.loads(raw)
        if diagnostic.get("level") != "error" or diagnostic.get("$message_type") != "diagnostic":
            continue
        if diagnostic["message"].startswith("aborting due to"):
            continue
        primary = [s for s in diagnostic["spans"] if s["is_primary"]]
        line = primary[0]["line_start"] if primary else 0
        code = (diagnostic.get("code") or {}).get("code") or "error"
        found.append((line, code, diagnostic["message"]))
    return _signatures(text, found)


# --- TypeScript and JavaScript: tsc over many files in one run ---------------------------------

_TSC = re.compile(r"^(.*?)\((\d+),\d+\): error (TS\d+): (.*)$")


def tsc_errors(texts: Sequence[str], language: str, node_modules: Path, counts: Callable[[int], bool] | None) -> list[set[Signature]]:
    """Errors ``tsc --noEmit`` reports for each text (each its own module file, one tsc run).

    ``counts``: which error codes count (JavaScript); ``None``: every error (TypeScript).
    """
    suffix = {"javascript": ".js", "typescript": ".ts", "tsx": ".tsx"}[language]
    with tempfile.TemporaryDirectory() as work:
        names = []
        for i, text in enumerate(texts):
            name = os.path.join(work, f"state{i}{suffix}")
            Path(name).write_text(text, encoding="utf-8")
            names.append(name)
        flags = ["--noEmit", "--pretty", "false", "--target", "es2022", "--module", "commonjs",
                 "--moduleResolution", "node10", "--moduleDetection", "force", "--jsx", "preserve",
                 "--skipLibCheck", "--types", "node", "--typeRoots", str(node_modules / "@types")]
        if language == "javascript":
            flags += ["--allowJs", "--checkJs"]
        done = subprocess.run(
            ["node", str(node_modules / "typescript" / "bin" / "tsc"), *flags, *names],
            capture_output=True, text=True, cwd=work, env=ENV, check=False,
        )
    per_file: dict[str, list[tuple[int, str, str]]] = {name: [] for name in names}
    for raw in done.stdout.splitlines():
        match = _TSC.match(raw)
        if match and match.group(1) in per_file:
            if counts is None or counts(int(match.group(3)[2:])):
                per_file[match.group(1)].append((int(match.group(2)), match.group(3), match.group(4)))
    return [_signatures(text, per_file[name]) for name, text in zip(names, texts)]


# --- Java: javac ------------------------------------------------------------------------------

_JAVAC = re.compile(r"^(.*?\.java):(\d+): error: (.*)$")
_PUBLIC_TYPE = re.compile(r"^\s*public\s+(?:(?:abstract|final|sealed|non-sealed|static|strictfp)\s+)*(?:class|interface|enum|record|@interface)\s+([A-Za-z_$][\w$]*)", re.M)


def javac_errors(texts: Sequence[str]) -> list[set[Signature]]:
    """Errors of ``javac -proc:none -Xlint:none`` for each text, saved under its public type's name.

    To start few JVMs, texts of different packages are compiled together (they cannot see each
    other's classes); a run with any error is split in halves until each error is a text's own
    (one javac run on a text alone).
    """
    by_package: dict[str, list[int]] = {}
    for i, text in enumerate(texts):
        package = _PACKAGE.search(text)
        by_package.setdefault(package.group(1) if package else "", []).append(i)
    batches = [[group[k] for group in by_package.values() if k < len(group)] for k in range(max(map(len, by_package.values())))]
    found: dict[int, list[tuple[int, str, str]]] = {}
    while batches:
        batch = batches.pop()
        errors = _javac_run(batch, texts)
        if len(batch) == 1 or not any(errors.values()):
            found.update(errors)
        else:
            batches += [batch[: len(batch) // 2], batch[len(batch) // 2 :]]
    return [_signatures(texts[i], found[i]) for i in range(len(texts))]


_PACKAGE = re.compile(r"^\s*package\s+([\w.]+)\s*;", re.MULTILINE)


def _javac_run(indices: list[int], texts: Sequence[str]) -> dict[int, list[tuple[int, str, str]]]:
    with tempfile.TemporaryDirectory() as work:
        paths = {}
        for i in indices:
            match = _PUBLIC_TYPE.search(texts[i])
            folder = Path(work, f"s{i}")
            folder.mkdir()
            path = folder / ((match.group(1) if match else "Main") + ".java")
            path.write_text(texts[i], encoding="utf-8")
            paths[str(path)] = i
        done = subprocess.run(
            ["javac", "-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC", "-proc:none", "-implicit:none", "-nowarn",
             "-Xlint:none", "-Xmaxerrs", "1000000", "-encoding", "UTF-8", "-d", os.path.join(work, "out"), *paths],
            capture_output=True, text=True, cwd=work, env=ENV, check=False,
        )
    found: dict[int, list[tuple[int, str, str]]] = {i: [] for i in indices}
    for raw in done.stderr.splitlines():
        match = _JAVAC.match(raw)
        if match and match.group(1) in paths:
            found[paths[match.group(1)]].append((int(match.group(2)), "error", match.group(3)))
    return found
