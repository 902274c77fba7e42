"""Rust verdicts from rustc: ``rustc --crate-type lib --emit=metadata``, errors only (docs/languages.md).

A state is compiled as a library crate (edition 2021) up to type and borrow checking, with
no code generation; ``--cap-lints warn`` keeps lints (even ``#![deny(...)]`` ones) from being
errors, so what counts is what does not compile. Each diagnostic is placed on the first line
of its primary span.

``rustc-reference`` runs one rustc process per state; ``rustc`` gives the same verdicts faster
from a rustc kept where it opens the state (its libraries loaded), forking once per state
(:mod:`lintseq_hf.lint.compilers.forkserver`). The state file is named ``<anon>``, the name rustc
gives standard input. No rustc error is ``fatal`` (``LintError.fatal``): after a crate it cannot
find (``extern crate``, E0463) or an unresolved import, rustc still checks the rest of the state.
"""

from __future__ import annotations

import json
import os
import re

from lintseq_hf.lint.base import LintError, MemoizedLinter
from lintseq_hf.lint.compilers.forkserver import ForkServer, ForkServerUnavailable, child_failed
from lintseq_hf.lint.compilers.tools import ToolError, empty_directory, require_program, run_once

EDITION = "2021"


_STATE_FILE = "<anon>"
"""The name rustc gives standard input; the fork server's state file is named so."""

_INCLUDE_MACRO = re.compile(r"\binclude(?:_str|_bytes)?\s*!")
"""``include!``, ``include_str!``, ``include_bytes!``: they read a path relative to the source file."""


class RustcReferenceLinter(MemoizedLinter):
    """Rust states checked by ``rustc --edition 2021 --crate-type lib --emit=metadata --cap-lints warn``,
    one process per state."""

    name = "rustc-reference"

    def __init__(self, cache_size: int = 256) -> None:
        program = require_program("rustc", "install Rust (rustup, or Debian: apt-get install rustc)")
        self.cwd = empty_directory("lintseq-rustc-")
        self.args = (
            program,
            "--edition",
            EDITION,
            "--crate-type",
            "lib",
            "--crate-name",
            "state",
            "--emit=metadata",
            "--error-format=json",
            "--cap-lints",
            "warn",
            "-o",
            os.path.join(self.cwd, "state.rmeta"),
            "-",
        )
        super().__init__(cache_size)
        self.program = program

    def _lint(self, text: str) -> list[LintError]:
        """rustc's errors for ``text``, each on its line of ``text``."""
        completed = run_once(self.args, text, cwd=self.cwd)
        errors = parse_rustc_output(completed.stderr)
        if completed.returncode not in (0, 1):
            raise ToolError(f"rustc exited with {completed.returncode} on a state: {completed.stderr[-500:]}")
        return errors


class RustcLinter(RustcReferenceLinter):
    """Rust states checked by the reference's rustc command through a fork server (module docstring)."""

    name = "rustc"

    def __init__(self, cache_size: int = 256) -> None:
        super().__init__(cache_size)
        self._owner = 0
        self.server = self._new_server()
        self.usable = True
        self.fallbacks = 0

    def _new_server(self) -> ForkServer:
        """A fork server in a folder of this process's own (a forked process makes its own)."""
        self._owner = os.getpid()
        folder = empty_directory("lintseq-rustc-server-")
        args = [*self.args[:-1], _STATE_FILE]
        args[args.index("-o") + 1] = os.path.join(folder, "state.rmeta")
        return ForkServer(args, folder=folder, state_name=_STATE_FILE)

    def _lint(self, text: str) -> list[LintError]:
        """rustc's errors for ``text``, each on its line of ``text``."""
        if self._owner != os.getpid():
            self.server = self._new_server()
        # a state naming the server's files could read them; a relative include is resolved next to
        # a file but refused in standard input, where the reference reads the state from
        if self.usable and _STATE_FILE not in text and "lintseq-" not in text and not _INCLUDE_MACRO.search(text):
            try:
                status, output = self.server.compile(text)
            except ForkServerUnavailable:
                self.usable = False
            else:
                failure = child_failed(status)
                if failure is not None or "internal compiler error" in output or "unexpectedly panicked" in output:
                    raise ToolError(f"rustc {failure or 'crashed'} on a state: {output[-500:]}")
                return parse_rustc_output(output)
        self.fallbacks += 1
        return super()._lint(text)

    def close(self) -> None:
        """Stop the rustc process."""
        self.server.close()


ROOT_FILE = "lintseq-root.rs"
"""The late fork server's crate root: it only includes the state (``include!``)."""

INCLUDED_FILE = "lintseq-state.rs"
"""The file the late fork server's crate root includes: the state."""

_NOT_INCLUDABLE = re.compile(r"#!|\bmod\s+(?:r#)?\w+\s*;|\bfile\s*!|lintseq-|<anon>")
"""What an included state may not hold (besides :data:`_INCLUDE_MACRO`): inner attributes (a crate
root's only), ``mod x;`` (a path relative to the file), ``file!()`` (its name), the server's files."""

LATE_VERDICT_CODES = frozenset(
    "E0015 E0023 E0026 E0027 E0030 E0040 E0046 E0049 E0050 E0053 E0054 E0061 E0063 E0069 E0070 E0072 E0076 E0080 "
    "E0081 E0084 E0106 E0107 E0116 E0117 E0118 E0119 E0120 E0121 E0124 E0133 E0184 E0185 E0186 E0191 E0195 E0199 "
    "E0200 E0201 E0204 E0206 E0207 E0210 E0220 E0221 E0223 E0224 E0225 E0229 E0252 E0254 E0255 E0259 E0260 E0261 "
    "E0262 E0263 E0267 E0268 E0271 E0277 E0282 E0283 E0284 E0308 E0309 E0310 E0317 E0364 E0365 E0369 E0373 E0381 E0382 "
    "E0383 E0384 E0392 E0403 E0404 E0405 E0407 E0408 E0411 E0412 E0415 E0416 E0423 E0424 E0425 E0426 E0428 E0429 "
    "E0430 E0431 E0432 E0433 E0434 E0435 E0437 E0438 E0446 E0449 E0451 E0463 E0491 E0492 E0493 E0495 E0499 E0502 "
    "E0503 E0505 E0506 E0507 E0508 E0509 E0515 E0520 E0521 E0559 E0560 E0562 E0565 E0571 E0572 E0592 E0593 E0594 "
    "E0596 E0597 E0599 E0600 E0603 E0604 E0605 E0606 E0607 E0608 E0609 E0610 E0614 E0615 E0616 E0618 E0620 E0624 "
    "E0631 E0635 E0689 E0700 E0703 E0716 E0728 E0744 E0746 E0747 E0764 E0767 E0782 E0790".split()
)
"""Error codes of name resolution and type and borrow checking: emitted after the crate is parsed
and expanded, they come out of the late fork server as out of the reference. A parse error (most
have no code), an expansion error or any other code is checked by the reference instead: a state
that does not parse stops the reference before name resolution, but not an included one."""


class RustcLateLinter(RustcLinter):
    """Rust states checked by the reference's rustc command on a crate root that includes the
    state (``include!``), forked where rustc opens the included file: past loading the standard
    library. The verdicts are the reference's (module docstring; the states and errors this path
    cannot vouch for go to the reference and are counted in ``fallbacks``)."""

    name = "rustc-late"

    def __init__(self, cache_size: int = 256) -> None:
        super().__init__(cache_size)
        self.early = RustcLinter(cache_size)  # the states this one cannot vouch for

    def _new_server(self) -> ForkServer:
        self._owner = os.getpid()
        folder = empty_directory("lintseq-rustc-server-")
        with open(os.path.join(folder, ROOT_FILE), "w", encoding="utf-8") as handle:
            handle.write(f'include!("{INCLUDED_FILE}");\n')
        args = [*self.args[:-1], ROOT_FILE]
        args[args.index("-o") + 1] = os.path.join(folder, "state.rmeta")
        return ForkServer(args, folder=folder, state_name=INCLUDED_FILE)

    def _lint(self, text: str) -> list[LintError]:
        """rustc's errors for ``text``, each on its line of ``text``."""
        if self._owner != os.getpid():
            self.server = self._new_server()
        if self.usable and not _NOT_INCLUDABLE.search(text) and not _INCLUDE_MACRO.search(text):
            try:
                status, output = self.server.compile(text)
            except ForkServerUnavailable:
                self.usable = False
            else:
                failure = child_failed(status)
                if failure is not None or "internal compiler error" in output or "unexpectedly panicked" in output:
                    raise ToolError(f"rustc {failure or 'crashed'} on a state: {output[-500:]}")
                errors = _late_verdict(output)
                if errors is not None:
                    return errors
        self.fallbacks += 1
        return self.early._lint(text)

    def close(self) -> None:
        """Stop both rustc processes."""
        super().close()
        self.early.close()


def _late_verdict(stderr: str) -> list[LintError] | None:
    """The errors of an included state's diagnostics, or None when one of them may differ from
    the reference's (a code not in :data:`LATE_VERDICT_CODES`, or a primary span outside the state)."""
    for raw in stderr.splitlines():
        if not raw.startswith("{"):
            continue
        diagnostic = json.loads(raw)
        if diagnostic.get("$message_type") != "diagnostic" or diagnostic.get("level") != "error":
            continue
        if diagnostic.get("message", "").startswith("aborting due to"):
            continue
        code = (diagnostic.get("code") or {}).get("code")
        primary = [span for span in diagnostic.get("spans", []) if span.get("is_primary")]
        if code not in LATE_VERDICT_CODES or not primary or primary[0].get("file_name") != INCLUDED_FILE:
            return None
    return parse_rustc_output(stderr)


def parse_rustc_output(stderr: str) -> list[LintError]:
    """Counted errors in rustc's JSON diagnostics (the "aborting due to" summary is not one)."""
    errors: list[LintError] = []
    for raw in stderr.splitlines():
        if not raw.startswith("{"):
            continue
        diagnostic = json.loads(raw)
        if diagnostic.get("$message_type") != "diagnostic" or diagnostic.get("level") != "error":
            continue
        message = diagnostic.get("message", "")
        if message.startswith("aborting due to"):
            continue
        primary = [span for span in diagnostic.get("spans", []) if span.get("is_primary")]
        line = primary[0]["line_start"] if primary else 0
        column = primary[0]["column_start"] - 1 if primary else 0
        code = (diagnostic.get("code") or {}).get("code") or "error"
        errors.append(LintError(code, line, column, message))
    return errors
