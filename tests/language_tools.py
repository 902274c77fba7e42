"""For the language tests: real programs cut from real files, and each language's compiler
called directly (its own process, its own output parsing), independent of our backends.

Every check is strict, so that a broken flag or toolchain cannot pass as "no errors": the exit
code must agree with the errors read (0 exactly when there are none), every output line must be
one the check knows how to read (else :class:`ToolOutputError`), and the tests send each check a
known-broken control program that must come back with an error."""

from __future__ import annotations

import functools
import os
import re
import subprocess
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from lintseq_hf.core.languages import parser
from lintseq_hf.core.show import replay

DATA = Path(__file__).parent / "data"

Signature = tuple[str, str, str]
"""What makes two errors the same: code, message, stripped text of the line."""

ENV = {**os.environ, "LC_ALL": "C", "LANGUAGE": ""}


class ToolOutputError(AssertionError):
    """A compiler said something a check cannot read, or its exit code disagrees with its errors."""


def _agree(done: subprocess.CompletedProcess, errors: Sequence[object], tool: str) -> None:
    """The exit code is 0 exactly when no error was read (and no signal stopped the tool)."""
    if (done.returncode == 0) == bool(errors) or done.returncode < 0:
        raise ToolOutputError(
            f"{tool}: exit code {done.returncode} with {len(errors)} errors read\n{done.stdout[-2000:]}{done.stderr[-2000:]}"
        )


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

_GCC_ERROR = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):\d+: (?P<kind>fatal error|error|sorry, unimplemented): (?P<message>.*)$")
_GCC_OTHER = re.compile(
    r"^(?:[^:]+: (?:In |At top level:).*"  # context: "<stdin>: In function 'main':"
    r"|[^:]+:\d+:\d+: note: .*"  # notes
    r"|[^:]+:\d+:\d+:\s+(?:required|in) .*"  # template instantiation context
    r"|In file included from .*|\s+from .*"  # include chains
    r"|compilation terminated\.|cc1: some warnings being treated as errors)$"
)
_GCC_INCLUDED = re.compile(r"^In file included from <stdin>:(\d+)")


GCC14_WARNINGS_MADE_ERRORS = ("implicit-function-declaration", "implicit-int", "incompatible-pointer-types",
                              "int-conversion", "return-mismatch")
"""The C warnings GCC 14 made errors by default (GCC 14's release notes, "Porting to GCC 14")."""

GCC12_RETURN_MISMATCH = ("'return' with no value, in function returning non-void",
                         "'return' with a value, in function returning void")
"""What ``-Wreturn-mismatch`` covers, as a GCC without that option words it (a warning there)."""

_GCC_WARNING = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):\d+: warning: (?P<message>.*?)(?: \[-W[\w=-]+\])?$")


@functools.lru_cache(maxsize=None)
def gcc14_c_flags() -> tuple[str, ...]:
    """``-Werror=`` for each of :data:`GCC14_WARNINGS_MADE_ERRORS` the installed ``gcc`` knows."""
    known = []
    for warning in GCC14_WARNINGS_MADE_ERRORS:
        probe = subprocess.run(["gcc", "-fsyntax-only", f"-Werror={warning}", "-x", "c", "-"], input="", capture_output=True,
                               text=True, env=ENV, check=False)
        if probe.returncode == 0:
            known.append(f"-Werror={warning}")
    return tuple(known)


def gcc_errors(text: str, language: str) -> set[Signature]:
    """Errors ``gcc``/``g++ -fsyntax-only`` reports for ``text`` (an error inside a header is
    put on the ``#include`` line of ``text`` that brought the header in). C is judged as GCC 14
    judges it: the warnings it made errors are errors (on an older GCC: ``-Werror=`` for those it
    knows, the two return-mismatch warnings by their words), other warnings do not count."""
    if language == "c":
        compiler, flags = "gcc", ["-std=gnu17", *gcc14_c_flags(), "-x", "c"]
    else:
        compiler, flags = "g++", ["-w", "-std=gnu++17", "-x", "c++"]
    with tempfile.TemporaryDirectory() as empty:
        done = subprocess.run(
            [compiler, "-fsyntax-only", "-fdiagnostics-plain-output", *flags, "-"],
            input=text, capture_output=True, text=True, cwd=empty, env=ENV, check=False,
        )
    found = []
    include = 0
    mismatch = language == "c" and "-Werror=return-mismatch" not in gcc14_c_flags()
    for raw in done.stderr.splitlines():
        included = _GCC_INCLUDED.match(raw)
        if included:
            include = int(included.group(1))
        match = _GCC_ERROR.match(raw)
        warning = _GCC_WARNING.match(raw) if language == "c" else None
        if warning:
            if mismatch and warning.group("message") in GCC12_RETURN_MISMATCH:
                line = int(warning.group("line")) if warning.group("file") == "<stdin>" else include
                found.append((line, "error", warning.group("message")))
                if done.returncode == 0:
                    done = subprocess.CompletedProcess(done.args, 1, done.stdout, done.stderr)  # an error GCC 14 exits 1 on
        elif match:
            line = int(match.group("line")) if match.group("file") == "<stdin>" else include
            kind = "fatal" if match.group("kind") == "fatal error" else "error"
            found.append((line, kind, match.group("message")))
        elif not _GCC_OTHER.match(raw):
            raise ToolOutputError(f"{compiler}: unreadable output line {raw!r}")
    _agree(done, found, compiler)
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
        try:
            diagnostic = json.loads(raw)
        except json.JSONDecodeError as err:
            raise ToolOutputError(f"rustc: unreadable output line {raw!r}") from err
        if diagnostic.get("$message_type") != "diagnostic" or diagnostic.get("level") not in (
            "error", "warning", "note", "help", "failure-note",
        ):
            raise ToolOutputError(f"rustc: unknown diagnostic {raw[:300]!r}")
        if diagnostic["level"] != "error" or diagnostic["message"].startswith("aborting due to"):
            continue
        primary = [s for s in diagnostic["spans"] if s["is_primary"]]
        line = primary[0]["line_start"] if primary else 0
        code = (diagnostic.get("code") or {}).get("code") or "error"
        found.append((line, code, diagnostic["message"]))
    _agree(done, found, "rustc")
    return _signatures(text, found)


# --- TypeScript and JavaScript: tsc over many files in one run ---------------------------------

def node_modules() -> Path:
    """Where ``scripts/setup.sh languages`` installs the TypeScript compiler (docs/languages.md)."""
    folder = os.environ.get("LINTSEQ_NODE_TOOLS") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "lintseq_hf", "node-tools"
    )
    return Path(folder) / "node_modules"


_TSC = re.compile(r"^(.*?)\((\d+),\d+\): error (TS\d+): (.*)$")

JAVASCRIPT_NAME_MESSAGES = ("Cannot find name ", "Cannot redeclare block-scoped variable ")
"""The tsc messages that count for JavaScript besides syntax (written here from the messages,
not taken from the project's filter): a name used but never defined, a ``let``/``const`` twice."""


def tsc_errors(texts: Sequence[str], language: str, node_modules: Path) -> list[set[Signature]]:
    """Errors ``tsc --noEmit`` reports for each text (each its own module file, one tsc run).

    TypeScript: every error. JavaScript: only :data:`JAVASCRIPT_NAME_MESSAGES`; its syntax is
    judged by V8 (:func:`node_syntax_errors`).
    """
    suffix = {"javascript": ".js", "typescript": ".ts", "tsx": ".tsx"}[language]
    with tempfile.TemporaryDirectory() as work:
        names = []
        for i, text in enumerate(texts):
            name = f"state{i}{suffix}"  # tsc names files as given, relative to its cwd
            Path(work, name).write_text(text, encoding="utf-8")
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
    read = []
    for raw in done.stdout.splitlines():
        match = _TSC.match(raw)
        if match is None:
            if raw[:1].isspace() and read:
                continue  # the next line of a multi-line message
            raise ToolOutputError(f"tsc: unreadable output line {raw!r}")
        if match.group(1) not in per_file:
            raise ToolOutputError(f"tsc: an error in a file that is no state: {raw!r}")
        read.append(match)
        if language != "javascript" or match.group(4).startswith(JAVASCRIPT_NAME_MESSAGES):
            per_file[match.group(1)].append((int(match.group(2)), match.group(3), match.group(4)))
    if done.stderr.strip():
        raise ToolOutputError(f"tsc wrote to stderr: {done.stderr[:500]!r}")
    _agree(done, read, "tsc")
    return [_signatures(text, per_file[name]) for name, text in zip(names, texts)]


_NODE_AT = re.compile(r"^(.*):(\d+)$")
_NODE_SYNTAX = re.compile(r"^SyntaxError: (.*)$")


def node_syntax_errors(texts: Sequence[str]) -> list[set[Signature]]:
    """The syntax error V8 finds in each text (``node --check``, a CommonJS script), if any."""
    out = []
    with tempfile.TemporaryDirectory() as work:
        path = os.path.join(work, "state.js")
        for text in texts:
            Path(path).write_text(text, encoding="utf-8")
            done = subprocess.run(["node", "--check", path], capture_output=True, text=True, cwd=work, env=ENV, check=False)
            found = []
            if done.returncode != 0:
                lines = done.stderr.splitlines()
                where = _NODE_AT.match(lines[0]) if lines else None
                message = next((m.group(1) for m in map(_NODE_SYNTAX.match, lines) if m), None)
                if where is None or where.group(1) != path or message is None:
                    raise ToolOutputError(f"node --check: unreadable output {done.stderr[:500]!r}")
                found.append((int(where.group(2)), "SyntaxError", message))
            elif done.stdout.strip() or done.stderr.strip():
                raise ToolOutputError(f"node --check: output without an error {done.stdout[:300]!r}{done.stderr[:300]!r}")
            out.append(_signatures(text, found))
    return out


# --- Java: javac ------------------------------------------------------------------------------

_JAVAC = re.compile(r"^(.*?\.java):(\d+): (error|warning): (.*)$")
_JAVAC_COUNT = re.compile(r"^(\d+) (error|warning)s?$")
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
    errors = 0
    counted: dict[str, int] = {}
    lines = done.stderr.splitlines()
    for at, raw in enumerate(lines):
        match = _JAVAC.match(raw)
        count = _JAVAC_COUNT.match(raw)
        if match:
            if match.group(1) not in paths:
                raise ToolOutputError(f"javac: a diagnostic for a file that is no state: {raw!r}")
            if match.group(3) == "error":
                errors += 1
                found[paths[match.group(1)]].append((int(match.group(2)), "error", match.group(4)))
        elif count:
            counted[count.group(2)] = int(count.group(1))
        elif at == 0 and not raw.startswith("Note: "):
            raise ToolOutputError(f"javac: unreadable first output line {raw!r}")
    # the summary javac prints must match the errors read (the source and caret lines between
    # diagnostics are free text, so this is what makes the reading checkable)
    if counted.get("error", 0) != errors:
        raise ToolOutputError(f"javac: read {errors} errors, javac counted {counted.get('error', 0)}: {done.stderr[-1500:]!r}")
    _agree(done, [e for v in found.values() for e in v], "javac")
    return found


# --- Go: the gc compiler, go tool compile -e ------------------------------------------------------

_GO = re.compile(r"^(.*?\.go):(\d+):\d+: (.*)$")
_GO_UNUSED = re.compile(r"imported and not used|declared (?:and|but) not used")


def go_errors(texts: Sequence[str]) -> list[set[Signature]]:
    """Errors ``go tool compile -e`` (the Go compiler's own type check, every error) reports for
    each text, compiled alone against the installed standard library."""
    out = []
    with tempfile.TemporaryDirectory() as work:
        path = os.path.join(work, "state.go")
        for text in texts:
            Path(path).write_text(text, encoding="utf-8")
            done = subprocess.run(
                ["go", "tool", "compile", "-e", "-p", "lintseqstate", "-o", os.path.join(work, "state.o"), path],
                capture_output=True, text=True, cwd=work, env={**ENV, "GOFLAGS": "", "GO111MODULE": "off"}, check=False,
            )
            found = []
            for raw in (done.stdout + done.stderr).splitlines():
                match = _GO.match(raw)
                if match is None or match.group(1) != path:
                    if raw.startswith("\t") and found:
                        continue  # the next line of a multi-line message
                    raise ToolOutputError(f"go tool compile: unreadable output line {raw!r}")
                found.append((int(match.group(2)), "error", match.group(3)))
            _agree(done, found, "go")
            # the rule docs/languages.md states for Go: unused variables and imports (the type checker's
            # soft errors) do not count, as unused names count in no other language
            found = [error for error in found if not _GO_UNUSED.search(error[2])]
            out.append(_signatures(text, found))
    return out
