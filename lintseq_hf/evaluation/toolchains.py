"""Where the compilers and runtimes of the compiled-language sandbox are, and the flags they run with.

One :class:`Toolchain` per language: the tools found on ``PATH`` (resolved to real paths, since the
sandbox's environment is scrubbed), the directories the sandbox uid must be able to read (a rustup
toolchain under ``/root``, the TypeScript compiler in the node-tools folder), and, for Rust, a cache
of the ``rand``/``regex``/``md5`` rlibs HumanEvalPack's programs ``use`` (built once, offline,
from Debian's packaged crate sources). A missing tool is one :class:`ToolchainError` naming the
install command (docs/evaluation.md).
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

TOOLCHAIN_LANGUAGES = ("cpp", "js", "ts", "java", "rust")
JAVATUPLES = Path("/usr/share/java/javatuples.jar")
DEBIAN_CRATES = Path("/usr/share/cargo/registry")
RUST_CRATES = ("rand", "regex", "md5")
CRATES_VARIABLE = "LINTSEQ_RUST_CRATES"
INSTALL = {
    "g++": "apt-get install g++",
    "node": "apt-get install nodejs",
    "tsc": "scripts/setup.sh languages (npm installs typescript into the node-tools folder)",
    "javac": "apt-get install default-jdk-headless",
    "java": "apt-get install default-jdk-headless",
    "rustc": "apt-get install rustc cargo (or rustup)",
    "cargo": "apt-get install cargo (or rustup)",
    "javatuples": "apt-get install libjavatuples-java",
    "crates": "apt-get install librust-rand-dev librust-regex-dev librust-regex+default-dev librust-md5-dev",
    "boost": "apt-get install libboost-dev",
    "js-md5": "scripts/setup.sh languages (npm installs js-md5@0.7.3 into the node-scoring folder)",
}
JS_LIBRARIES = ("js-md5",)
"""npm packages HumanEvalPack's JavaScript programs ``require`` (JavaScript/162: ``js-md5``, 0.7.3 as CodeGeeX's
image installs it), found through ``NODE_PATH`` in :func:`node_scoring_dir`."""
NODE_SCORING_VARIABLE = "LINTSEQ_NODE_SCORING"
JVM_FLAGS = ("-Xmx1g", "-Xss8m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:ReservedCodeCacheSize=64m",
             "-XX:CompressedClassSpaceSize=64m", "-XX:MaxMetaspaceSize=256m")
"""The JVM reserves address space by the machine's memory; these bound it under the sandbox's RLIMIT_AS."""


class ToolchainError(RuntimeError):
    """A compiler, runtime or library a benchmark needs is not installed."""


@dataclass(frozen=True)
class Toolchain:
    """Resolved tools of one language (absolute paths) and the directories they need to read."""

    language: str
    tools: dict[str, str]
    expose: tuple[str, ...] = ()
    extra: dict[str, str] = field(default_factory=dict)


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise ToolchainError(f"{name} not found on PATH; install it: {INSTALL[name]}")
    return os.path.abspath(path)  # not resolved: a rustup proxy dispatches on its own name


def _outside_world_readable(path: str) -> list[str]:
    """``path`` if some ancestor of it cannot be traversed by others (the sandbox uid needs it exposed)."""
    parts = Path(path).parts
    for depth in range(2, len(parts) + 1):
        if not os.stat(os.path.join(*parts[:depth])).st_mode & 0o001:
            return [path]
    return []


@functools.lru_cache(maxsize=None)
def toolchain(language: str) -> Toolchain:
    """The toolchain of ``language`` (one of :data:`TOOLCHAIN_LANGUAGES`), or :class:`ToolchainError`."""
    if language == "cpp":
        return Toolchain("cpp", {"g++": _tool("g++")})
    if language in ("js", "ts"):
        tools = {"node": _tool("node")}
        modules = node_scoring_dir() / "node_modules"
        for name in JS_LIBRARIES:
            if not (modules / name / "package.json").is_file():
                raise ToolchainError(f"{modules / name}: missing (HumanEvalPack's JavaScript requires {name}); "
                                     f"install it: {INSTALL[name]}")
        expose: list[str] = [path for name in JS_LIBRARIES for path in _outside_world_readable(str(modules / name))]
        if language == "ts":
            from lintseq_hf.lint.compilers.tsc import node_tools_dir

            tsc = node_tools_dir() / "node_modules" / "typescript" / "bin" / "tsc"
            if not tsc.is_file():
                raise ToolchainError(f"{tsc}: the TypeScript compiler is missing; install it: {INSTALL['tsc']}")
            tools["tsc"] = str(tsc)
            expose += _outside_world_readable(str(tsc.parents[1]))
        return Toolchain(language, tools, tuple(expose), {"node_path": str(modules)})
    if language == "java":
        tools = {"javac": _tool("javac"), "java": _tool("java")}
        if not JAVATUPLES.is_file():
            raise ToolchainError(f"{JAVATUPLES} missing (MultiPL-E's Java imports org.javatuples); "
                                 f"install it: {INSTALL['javatuples']}")
        expose = _outside_world_readable(str(java_driver_cache()))  # the prebuilt test driver
        return Toolchain("java", tools, tuple(expose), {"classpath": str(JAVATUPLES)})
    if language == "rust":
        rustc = _tool("rustc")
        sysroot = subprocess.run([rustc, "--print", "sysroot"], capture_output=True, text=True,
                                 check=True).stdout.strip()
        real = os.path.join(sysroot, "bin", "rustc")
        tools = {"rustc": real if os.path.isfile(real) else rustc}
        crates = rust_crates()
        expose = _outside_world_readable(sysroot) + _outside_world_readable(str(crates))
        externs = {name: str(next(crates.glob(f"lib{name}-*.rlib"))) for name in RUST_CRATES}
        # where libstd's shared object lies (under the sysroot, which the sandbox can read): the sandboxed
        # programs link std dynamically (evaluation.assembly.sandbox_job)
        libdir = subprocess.run([tools["rustc"], "--print", "target-libdir"], capture_output=True, text=True,
                                check=True).stdout.strip()
        return Toolchain("rust", tools, tuple(expose), {"deps": str(crates), "libdir": libdir, **externs})
    raise ToolchainError(f"no toolchain for language {language!r}; choose from {', '.join(TOOLCHAIN_LANGUAGES)}")


def node_scoring_dir() -> Path:
    """Folder whose ``node_modules`` holds :data:`JS_LIBRARIES`: ``$LINTSEQ_NODE_SCORING`` or
    ``~/.cache/lintseq_hf/node-scoring`` (apart from the linters' node-tools: these are the benchmark's runtime)."""
    if os.environ.get(NODE_SCORING_VARIABLE):
        return Path(os.environ[NODE_SCORING_VARIABLE])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "lintseq_hf" / "node-scoring"


def java_driver_cache() -> Path:
    """Where the Java test driver and javac's archive are built once (``evaluation.java_driver``), made if
    missing: read by the sandbox uid, written only by its owner."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "lintseq_hf" / "java-driver"
    base.mkdir(parents=True, exist_ok=True)
    return base


def rust_crates() -> Path:
    """A folder of rlibs of :data:`RUST_CRATES` and their dependencies, built for this rustc.

    Built once with ``cargo build --offline`` against Debian's crate sources (a source replacement,
    no network), then reused: linking prebuilt rlibs with ``--extern`` costs one rustc call per sample
    where a cargo project per sample (HumanEvalPack's rule) costs a cargo run.
    """
    rustc = _tool("rustc")
    version = subprocess.run([rustc, "--version"], capture_output=True, text=True, check=True).stdout.split()[1]
    base = Path(os.environ.get(CRATES_VARIABLE) or
                Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "lintseq_hf" / "rust-crates")
    deps = base / version / "target" / "debug" / "deps"
    if all(any(deps.glob(f"lib{name}-*.rlib")) for name in RUST_CRATES):
        return deps
    if not DEBIAN_CRATES.is_dir():
        raise ToolchainError(f"{DEBIAN_CRATES} missing (HumanEvalPack's Rust uses rand, regex, md5); "
                             f"install them: {INSTALL['crates']}")
    project = base / version
    (project / "src").mkdir(parents=True, exist_ok=True)
    (project / ".cargo").mkdir(exist_ok=True)
    (project / "Cargo.toml").write_text(
        '[package]\nname = "lintseq-crates"\nversion = "0.0.0"\nedition = "2021"\n\n[dependencies]\n'
        'rand = "0.8"\nregex = "1"\nmd5 = "0.7"\n', encoding="utf-8")
    (project / "src" / "lib.rs").write_text("pub use md5;\npub use rand;\npub use regex;\n", encoding="utf-8")
    (project / ".cargo" / "config.toml").write_text(
        f'[source.crates-io]\nreplace-with = "debian"\n\n[source.debian]\ndirectory = "{DEBIAN_CRATES}"\n\n'
        "[net]\noffline = true\n", encoding="utf-8")
    done = subprocess.run([_tool("cargo"), "build", "--offline", "--quiet"], cwd=project, capture_output=True,
                          text=True, check=False)
    if done.returncode != 0:
        raise ToolchainError(f"cannot build the Rust crates in {project}: {done.stderr.strip()[-500:]}")
    for path in [project, *project.rglob("*")]:
        path.chmod(path.stat().st_mode | 0o055 if path.is_dir() else path.stat().st_mode | 0o044)
    return deps
