"""Java verdicts from javac, in one long-lived JVM per linter that compiles states in memory
through ``javax.tools.JavaCompiler`` (docs/languages.md).

Errors only (``-nowarn -Xlint:none``), annotation processing off, no class files written
(analysis stops after flow checks). A state is compiled under the file name its first public
top-level type needs (``Main.java`` if it has none). The worker's Java source ships with the
package and is compiled at first use into ``$LINTSEQ_JAVA_CACHE`` or ``~/.cache/lintseq_hf/java``.
"""

from __future__ import annotations

import re
import subprocess
from importlib import resources
from pathlib import Path

from lintseq_hf.lint.compilers.tools import built_once, cache_root, empty_directory, require_program, tool_environment
from lintseq_hf.lint.compilers.worker import WorkerLinter, WorkerProcess

JAVA_CACHE_VARIABLE = "LINTSEQ_JAVA_CACHE"
JVM_OPTIONS = ("-Xss64m", "-XX:+UseSerialGC", "-Xshare:auto")
"""A deep stack for deeply nested states; one GC thread (the machine is shared with other workers)."""

_PUBLIC_TYPE = re.compile(
    r"^\s*public\s+(?:(?:abstract|final|sealed|non-sealed|static|strictfp)\s+)*(?:class|interface|enum|record|@interface)\s+([A-Za-z_$][\w$]*)",
    re.MULTILINE,
)


def source_file_name(text: str) -> str:
    """The file name javac requires for ``text``: its first public top-level type's, else ``Main.java``."""
    found = _PUBLIC_TYPE.search(text)
    return f"{found.group(1) if found else 'Main'}.java"


def compiled_worker(javac: str) -> Path:
    """Folder holding ``LintWorker.class``, compiled once per worker source and javac version."""
    source = resources.files("lintseq_hf.lint.compilers").joinpath("java", "LintWorker.java").read_text(encoding="utf-8")
    version = subprocess.run([javac, "-version"], capture_output=True, text=True, check=False, env=tool_environment())

    def build(folder: Path) -> str | None:
        (folder / "LintWorker.java").write_text(source, encoding="utf-8")
        done = subprocess.run(
            [javac, "-nowarn", "-d", str(folder), str(folder / "LintWorker.java")],
            capture_output=True, text=True, check=False, env=tool_environment(),
        )
        return None if done.returncode == 0 else f"could not compile the Java lint worker: {done.stderr[-1000:]}"

    root = cache_root(JAVA_CACHE_VARIABLE, "java")
    return built_once(root, source + version.stdout + version.stderr, "LintWorker.class", build)


class JavacLinter(WorkerLinter):
    """Java states checked by javac in a persistent JVM (errors only)."""

    name = "javac"

    def __init__(self, cache_size: int = 256) -> None:
        hint = "install a JDK (Debian: apt-get install default-jdk-headless)"
        javac = require_program("javac", hint)
        java = require_program("java", hint)
        classes = compiled_worker(javac)
        self.worker = WorkerProcess(
            [java, *JVM_OPTIONS, "-cp", str(classes), "LintWorker"], cwd=empty_directory("lintseq-javac-", self)
        )
        super().__init__(cache_size)

    def request_name(self, text: str) -> str:
        """The file name javac requires for ``text`` (:func:`source_file_name`)."""
        return source_file_name(text)
