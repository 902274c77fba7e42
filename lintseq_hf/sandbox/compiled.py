"""The host side of the compiled-language sandbox: a pool of workers (:mod:`.compiled_zygote`) that
compile and run C++, JavaScript, TypeScript, Java and Rust test programs under the isolation of the
Python sandbox (the same program zygote: separate uid, private network, fresh scratch space per program,
hidden benchmark files, rlimits), with a compile-time budget apart from the run-time budget. A program
passes only by writing back the per-run nonce its test driver reads before any candidate code runs
(docs/sandbox.md, "Compiled languages").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field

from .base import COMPILE_ERROR, ERROR, SandboxError, SandboxLimits
from .host import ExecResult, WorkerPool

__all__ = ["COMPILED_LIMITS", "COMPILE_ERROR", "CompiledJob", "CompiledResult", "CompiledSandbox"]

COMPILED_LIMITS = SandboxLimits(timeout=10.0, max_processes=128, memory_bytes=4 << 30, tmpfs_bytes=512 << 20)
"""Compilers and runtimes start threads (the JVM, V8, rustc) and map more address space than Python:
a higher process and memory bound than the Python default, still finite."""


@dataclass(frozen=True)
class CompiledJob:
    """One program to build and run: ``files`` written to a fresh scratch folder, each ``compile``
    command run there (all must exit 0), then ``run`` exec'd with the nonce on fd 3 and the result
    channel on fd 4. ``quiet``: the program must also print nothing (HumanEvalPack's JavaScript rule).
    Commands are absolute argv lists; ``env`` adds to the sandbox's scrubbed environment;
    ``remove_after_compile``: files deleted before the program runs (the driver's source);
    ``binary_files``: files written as bytes with ``files`` (base64 text: a prebuilt class), each job's
    own copy in its own scratch folder, so a program can change only its own."""

    files: dict[str, str]
    compile: tuple[tuple[str, ...], ...]
    run: tuple[str, ...]
    env: dict[str, str] = field(default_factory=dict)
    quiet: bool = False
    compile_timeout: float = 60.0
    remove_after_compile: tuple[str, ...] = ()
    binary_files: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class CompiledResult(ExecResult):
    """Verdict of one job (:data:`~lintseq_hf.sandbox.base.SANDBOX_STATUSES`, ``compile_error`` included); seconds
    spent compiling and running (0 when that step did not happen)."""

    compile_seconds: float = 0.0
    run_seconds: float = 0.0


class CompiledSandbox(WorkerPool):
    """A pool of ``workers`` compiled-language workers (use as a context manager).

    ``expose``: directories outside the world-readable tree the tools need (a toolchain under
    ``/root``); ``hide``: benchmark files the programs must not read. No in-process guard: the
    programs are not Python.
    """

    FLAG = "--compiled"

    def __init__(self, limits: SandboxLimits | None = None, *, workers: int = 1, isolate: bool = True,
                 hide: Iterable[str] = (), expose: Iterable[str] = ()) -> None:
        super().__init__(limits or COMPILED_LIMITS, workers=workers, isolate=isolate, guard=False, hide=hide,
                         expose=expose)

    def run(self, job: CompiledJob, *, timeout: float | None = None) -> CompiledResult:
        """The verdict of one job (``timeout``: the run budget); a worker that dies is this job's
        ``error`` and is replaced."""
        timeout = self.limits.timeout if timeout is None else timeout
        try:
            reply = self._submit({**asdict(job), "timeout": timeout}, job.compile_timeout + timeout,
                                 compile_seconds=(int, float), run_seconds=(int, float))
        except SandboxError as err:
            return CompiledResult(ERROR, str(err))
        return CompiledResult(reply["status"], reply["detail"], float(reply["duration"]),
                              float(reply["compile_seconds"]), float(reply["run_seconds"]))

    def run_many(self, jobs: Sequence[CompiledJob], *, timeout: float | None = None) -> list[CompiledResult]:
        """:meth:`run` on all workers; results in input order."""
        return self._map(lambda job: self.run(job, timeout=timeout), list(jobs))

    def __enter__(self) -> CompiledSandbox:
        return self
