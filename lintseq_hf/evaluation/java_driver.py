"""The Java test driver, built once per machine instead of once per sample.

The driver is the entry class that reads the nonce before the candidate's classes load and writes it
back after the tests' ``main`` returned (docs/sandbox.md, "Compiled languages"). Its source is ours and
fixed, so it is compiled once, by one javac run on our own files (never on candidate code), into a
cache folder only its owner can write; the sandbox uid may read it. That run also writes javac's
class-data-sharing archive (the JDK classes javac loads, mapped read-only at start-up), which every
sample's compile then uses: javac starts faster, and compiles the candidate's file alone.

Each sample still gets a driver of its own: the cached class has a placeholder name of the same length
as a driver name, replaced by the sample's random name (the class file stays valid: only the bytes of
two constant-pool strings change), and written into that sample's fresh scratch folder. A sample can
change only its own copy, and the cache is out of its reach (a separate uid; tests/test_eval_java_driver.py).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from lintseq_hf.evaluation.toolchains import JAVATUPLES, JVM_FLAGS, ToolchainError, java_driver_cache

DRIVER_PREFIX = "Llintseq_"
NAME_LENGTH = len(DRIVER_PREFIX) + 16
"""A driver's class name: the prefix and 16 random hex digits (assembly's per-run suffix)."""
MAIN_CLASSES = ("Main", "Problem")
"""The tests' classes a driver calls: HumanEvalPack's ``Main``, MultiPL-E's ``Problem``."""
ARCHIVE = "javac.jsa"
_WARM_UP = """import java.util.*;
import java.util.function.*;
import java.util.stream.*;
import org.javatuples.*;

class Warm {
    static long count(List<String> words, Function<String, Integer> size) {
        Map<Integer, List<String>> groups = words.stream().collect(Collectors.groupingBy(size));
        Optional<Pair<Long, Float>> pair = Optional.of(Pair.with(2L, 1.5f));
        switch (words.isEmpty() ? "none" : words.get(0)) {
            case "a": return groups.size() + pair.get().getValue0();
            default: return IntStream.range(0, 3).map(x -> x * x).sum();
        }
    }
}
"""
"""Compiled with the drivers, so that the archive holds what javac loads for the tests' usual features
(generics, lambdas, streams, string switches, javatuples)."""


def driver_source(driver: str, main: str) -> str:
    """A separate entry class: reads the nonce before the candidate's classes load (their static
    initialisers run later), calls the tests' ``main`` and writes the nonce back from a local variable."""
    return (f"public class {driver} {{\n"
            f"    public static void main(String[] args) throws Throwable {{\n"
            f"        java.io.ByteArrayOutputStream read = new java.io.ByteArrayOutputStream();\n"
            f'        try (java.io.FileInputStream in = new java.io.FileInputStream("/proc/self/fd/3")) {{\n'
            f"            byte[] chunk = new byte[64];\n"
            f"            for (int got; (got = in.read(chunk)) > 0; ) read.write(chunk, 0, got);\n"
            f"        }}\n"
            f"        byte[] nonce = read.toByteArray();\n"
            f"        {main}.main(args);\n"
            f'        try (java.io.FileOutputStream out = new java.io.FileOutputStream("/proc/self/fd/4")) '
            f"{{ out.write(nonce); }}\n"
            f"    }}\n}}\n")


def placeholder(main: str) -> str:
    """The cached driver's class name for tests class ``main``: as long as every driver name."""
    return (DRIVER_PREFIX + main + "_" * NAME_LENGTH)[:NAME_LENGTH]


@dataclass(frozen=True)
class JavaDriver:
    """The built drivers (class files named :func:`placeholder`, per main class), javac's archive (None
    where this JVM cannot write one), and the read-only folder they are in."""

    folder: Path
    templates: dict[str, bytes]
    archive: Path | None

    @property
    def javac_flags(self) -> tuple[str, ...]:
        """What a sample's javac adds to the benchmark's command: the archive, and no annotation
        processing (no processor is looked up on the class path; the verdicts do not change)."""
        share = (f"-J-XX:SharedArchiveFile={self.archive}",) if self.archive else ()
        return (*share, "-proc:none")

    def driver_class(self, driver: str, main: str) -> str:
        """The class file of driver ``driver`` calling ``main.main`` (base64, for a job's binary files)."""
        if len(driver) != NAME_LENGTH or not driver.startswith(DRIVER_PREFIX) or not driver.isidentifier():
            raise ValueError(f"driver name {driver!r}: expected {DRIVER_PREFIX} and 16 more identifier characters")
        template = self.templates[main]
        return base64.b64encode(template.replace(placeholder(main).encode(), driver.encode())).decode()


@functools.lru_cache(maxsize=None)
def java_driver(javac: str) -> JavaDriver:
    """The drivers built by ``javac`` (cached on disk per JDK, flag set and source; built on first use)."""
    real = Path(os.path.realpath(javac))
    identity = [str(real), *JVM_FLAGS, _WARM_UP, *(driver_source(placeholder(m), m) for m in MAIN_CLASSES)]
    for path in (real, real.parent.parent / "lib" / "modules"):
        if path.exists():
            stat = path.stat()
            identity.append(f"{path}:{stat.st_size}:{stat.st_mtime_ns}")
    folder = java_driver_cache() / hashlib.sha256("\n".join(identity).encode()).hexdigest()[:16]
    if not all((folder / f"{placeholder(main)}.class").is_file() for main in MAIN_CLASSES):
        shutil.rmtree(folder, ignore_errors=True)  # never built, or damaged: build it again
        _build(javac, folder)
    templates = {main: (folder / f"{placeholder(main)}.class").read_bytes() for main in MAIN_CLASSES}
    archive = folder / ARCHIVE
    return JavaDriver(folder, templates, archive if archive.is_file() else None)


def _build(javac: str, folder: Path) -> None:
    """Compile the drivers (with stand-ins for the tests' classes) and dump javac's archive, in a fresh
    folder moved into place when complete (a concurrent build of the same folder is harmless)."""
    work = Path(tempfile.mkdtemp(prefix="build-", dir=folder.parent))
    try:
        sources = {"Warm.java": _WARM_UP}
        for main in MAIN_CLASSES:
            sources[f"{placeholder(main)}.java"] = driver_source(placeholder(main), main)
            sources[f"{main}.java"] = f"public class {main} {{ public static void main(String[] args) {{ }} }}\n"
        for name, text in sources.items():
            (work / name).write_text(text, encoding="utf-8")
        command = [javac, *(f"-J{flag}" for flag in JVM_FLAGS), f"-J-XX:ArchiveClassesAtExit={ARCHIVE}",
                   "-proc:none", "-encoding", "UTF8", "-cp", str(JAVATUPLES), "-d", ".", *sources]
        done = subprocess.run(command, cwd=work, capture_output=True, text=True, timeout=300, check=False)
        if done.returncode != 0 or not all((work / f"{placeholder(m)}.class").is_file() for m in MAIN_CLASSES):
            raise ToolchainError(f"cannot build the Java test driver in {work}: {(done.stdout + done.stderr)[-500:]}")
        for path in work.iterdir():
            if path.suffix == ".class" and not path.stem.startswith(DRIVER_PREFIX) or path.suffix == ".java":
                path.unlink()
        for path in work.iterdir():
            path.chmod(0o644)
        work.chmod(0o755)
        try:
            work.rename(folder)
        except OSError:  # another process built it first
            if not folder.is_dir():
                raise
    finally:
        if work.exists():
            shutil.rmtree(work, ignore_errors=True)
