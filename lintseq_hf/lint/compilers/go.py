"""Go verdicts from the Go toolchain's own parser and type checker (``go/parser``, ``go/types``),
in one long-lived worker process per linter (docs/languages.md).

Counted: syntax errors (the first of each line, at most ten, as the ``gc`` compiler reports them;
no type check then) and type errors, except the type checker's soft errors -- a variable or an
import that is declared and not used. ``go build`` rejects those too, but like the unused names
of every other language here (Python's unused-import is a warning, Rust's are lints) they do not
make a partial program broken: an import may come before its first use. A package that cannot be
imported (not in the standard library) is one error at its import, which the sampler ignores as
an error of the original. ``package main`` without ``func main`` is not an error (a library-style
check, as rustc's ``--crate-type lib``).

The worker (``lint/compilers/go_worker/lint_worker.go``) is built at first use with ``go build``
into ``$LINTSEQ_GO_CACHE`` or ``~/.cache/lintseq_hf/go``.
"""

from __future__ import annotations

import shutil
import subprocess
from importlib import resources
from pathlib import Path

from lintseq_hf.lint.compilers.tools import built_once, cache_root, empty_directory, require_program, tool_environment
from lintseq_hf.lint.compilers.worker import WorkerLinter, WorkerProcess

GO_CACHE_VARIABLE = "LINTSEQ_GO_CACHE"


def built_worker(go: str) -> Path:
    """Path of the Go lint worker, built once per worker source and Go version."""
    source = resources.files("lintseq_hf.lint.compilers").joinpath("go_worker", "lint_worker.go").read_text(encoding="utf-8")
    version = subprocess.run([go, "version"], capture_output=True, text=True, check=False, env=tool_environment())

    def build(folder: Path) -> str | None:
        (folder / "lint_worker.go").write_text(source, encoding="utf-8")
        environment = {**tool_environment(), "GO111MODULE": "off", "GOCACHE": str(folder / "cache"), "CGO_ENABLED": "0"}
        done = subprocess.run(
            [go, "build", "-o", str(folder / "lint_worker"), str(folder / "lint_worker.go")],
            capture_output=True, text=True, check=False, cwd=folder, env=environment,
        )
        shutil.rmtree(folder / "cache", ignore_errors=True)
        return None if done.returncode == 0 else f"could not build the Go lint worker: {done.stderr[-1000:]}"

    root = cache_root(GO_CACHE_VARIABLE, "go")
    return built_once(root, source + version.stdout, "lint_worker", build) / "lint_worker"


class GoLinter(WorkerLinter):
    """Go states checked by the Go type checker in a persistent worker (unused names do not count)."""

    name = "go"

    def __init__(self, cache_size: int = 256) -> None:
        go = require_program("go", "install Go (Debian: apt-get install golang-go)")
        self.worker = WorkerProcess([str(built_worker(go))], cwd=empty_directory("lintseq-go-", self))
        super().__init__(cache_size)

    def request_name(self, text: str) -> str:  # noqa: ARG002 - the state text does not name it
        """Every state is the file ``main.go`` (the name appears in no counted message)."""
        return "main.go"
