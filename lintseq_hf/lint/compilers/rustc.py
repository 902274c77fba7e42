"""Rust verdicts from rustc: ``rustc --crate-type lib --emit=metadata``, errors only (docs/languages.md).

A state is compiled as a library crate (edition 2021) up to type and borrow checking, with
no code generation; ``--cap-lints warn`` keeps lints (even ``#![deny(...)]`` ones) from being
errors, so what counts is what does not compile. Each diagnostic is placed on the first line
of its primary span.

``rustc-reference`` runs one rustc process per state; ``rustc`` gives the same verdicts faster
from a rustc kept where it opens the state (its libraries loaded), forking once per state
(:mod:`lintseq_hf.lint.compilers.forkserver`). The state file is named ``<anon>``, the name rustc
gives standard input; a state with ``include!``-like macros goes to the reference (they resolve a
relative path next to a file but refuse it in standard input). No rustc error is ``fatal``
(``LintError.fatal``): after a crate it cannot find (``extern crate``, E0463) or an unresolved
import, rustc still checks the rest of the state.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence

from lintseq_hf.lint.base import LintError, MemoizedLinter
from lintseq_hf.lint.compilers.forkserver import ForkServer, ForkServerUnavailable, child_failed, run_state
from lintseq_hf.lint.compilers.rustc_batch import ROOT_FILE, RustcBatches, batch_directory
from lintseq_hf.lint.compilers.rustc_batch_rules import batch_hazard, may_stop
from lintseq_hf.lint.compilers.tools import ToolError, empty_directory, require_program

EDITION = "2021"


_STATE_FILE = "<anon>"
"""The name rustc gives standard input; the fork server's state file is named so."""

_INCLUDE_MACRO = re.compile(r"\binclude(?:_str|_bytes)?\s*!")
"""``include!``, ``include_str!``, ``include_bytes!``: they read a path relative to the source file."""


class RustcReferenceLinter(MemoizedLinter):
    """Rust states checked by ``rustc --edition 2021 --crate-type lib --emit=metadata --cap-lints warn``,
    one process per state."""

    name = "rustc-reference"
    capped = False
    """Whether rustc runs under the memory cap (:func:`~lintseq_hf.lint.compilers.tools.capped_command`):
    not the reference, which stays the one-process-per-state path as measured."""

    def __init__(self, cache_size: int = 256) -> None:
        program = require_program("rustc", "install Rust (rustup, or Debian: apt-get install rustc)")
        self.cwd = empty_directory("lintseq-rustc-", self)
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
        completed = run_state(self.args, text, cwd=self.cwd, hardened=self.capped)
        errors = parse_rustc_output(completed.stderr)
        if completed.returncode not in (0, 1):
            raise ToolError(f"rustc exited with {completed.returncode} on a state: {completed.stderr[-500:]}")
        return errors


class RustcLinter(RustcReferenceLinter):
    """Rust states checked by the reference's rustc command through a fork server (module docstring)."""

    name = "rustc"
    capped = True

    def __init__(self, cache_size: int = 256) -> None:
        super().__init__(cache_size)
        self._owner = 0
        self.server = self._new_server()
        self.usable = True
        self.fallbacks = 0
        self.batches: RustcBatches | None = None
        self._batches_owner = 0

    def _new_server(self) -> ForkServer:
        """A fork server in a folder of this process's own (a forked process makes its own)."""
        self._owner = os.getpid()
        folder = empty_directory("lintseq-rustc-server-", self)
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

    def lint_many(self, texts: Sequence[str]) -> list[list[LintError]]:
        """Verdicts of ``texts``, the states that may share a crate checked in batches of one rustc
        call each (:mod:`lintseq_hf.lint.compilers.rustc_batch`), the others alone; memoized as
        :meth:`lint`, each verdict the reference's."""
        if self._batches_owner != os.getpid() or self.batches is None:
            self._batches_owner = os.getpid()
            folder = batch_directory()
            args = [*self.args[:-1], ROOT_FILE]
            args[args.index("-o") + 1] = os.path.join(folder, "state.rmeta")
            self.batches = RustcBatches(args, folder)
        verdicts: dict[str, list[LintError]] = {}
        batched: list[str] = []
        for text in dict.fromkeys(texts):
            cached = self.cache.get(text)
            if cached is not None:
                verdicts[text] = cached
            elif len(texts) == 1:
                verdicts[text] = self._compute(text)
            elif batch_hazard(text) is not None:
                self.batches.alone["hazard"] += 1
                verdicts[text] = self._compute(text)
            else:
                batched.append(text)
        if len(batched) == 1:
            self.batches.alone["alone in its batch"] += 1
            verdicts[batched[0]] = self._compute(batched[0])
        elif batched:
            # states that may stop rustc share batches of their own, under the stop canary (rustc_batch.RustcBatches.check)
            stoppers = [may_stop(text) for text in batched]
            for text, errors in zip(batched, self.batches.check(batched, self._lint, stoppers=stoppers)):
                self.calls += 1
                self.cache.put(text, errors)
                verdicts[text] = errors
        return [list(verdicts[text]) for text in texts]

    def close(self) -> None:
        """Stop the rustc processes."""
        self.server.close()
        if self.batches is not None:
            self.batches.close()


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
