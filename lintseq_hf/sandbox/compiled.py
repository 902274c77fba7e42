"""The host side of the compiled-language sandbox: a pool of :mod:`compiled_worker` processes that
compile and run C++, JavaScript, TypeScript, Java and Rust test programs under the same isolation as
the Python sandbox (:mod:`lintseq_hf.sandbox.worker`), with a compile-time budget apart from the
run-time budget. A program passes only by writing back the per-run nonce its test driver reads
before any candidate code runs (docs/sandbox.md, "Compiled languages").
"""

from __future__ import annotations

import json
import select
import struct
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

from lintseq_hf.sandbox import compiled_worker as worker_side
from lintseq_hf.sandbox.worker import (
    ERROR,
    LOCK_DIR_NAME,
    Isolation,
    SandboxError,
    SandboxLimits,
    pack_message,
    unpack_message,
)

COMPILE_ERROR = worker_side.COMPILE_ERROR
COMPILED_LIMITS = SandboxLimits(timeout=10.0, max_processes=128, memory_bytes=4 << 30, tmpfs_bytes=512 << 20)
"""Compilers and runtimes start threads (the JVM, V8, rustc) and map more address space than Python:
a higher process and memory bound than the Python default, still finite."""
_REPLY_GRACE = 15.0


@dataclass(frozen=True)
class CompiledJob:
    """One program to build and run: ``files`` written to a fresh scratch folder, each ``compile``
    command run there (all must exit 0), then ``run`` exec'd with the nonce on fd 3 and the result
    channel on fd 4. ``quiet``: the program must also print nothing (HumanEvalPack's JavaScript rule).
    Commands are absolute argv lists; ``env`` adds to the sandbox's scrubbed environment."""

    files: dict[str, str]
    compile: tuple[tuple[str, ...], ...]
    run: tuple[str, ...]
    env: dict[str, str] = field(default_factory=dict)
    quiet: bool = False
    compile_timeout: float = 60.0
    remove_after_compile: tuple[str, ...] = ()


@dataclass(frozen=True)
class CompiledResult:
    """Verdict of one job: passed, failed, compile_error, timeout, crashed or error; seconds spent compiling
    and running (0 when that step did not happen)."""

    status: str
    detail: str = ""
    duration: float = 0.0
    compile_seconds: float = 0.0
    run_seconds: float = 0.0

    @property
    def passed(self) -> bool:
        return self.status == worker_side.PASSED


class _Worker:
    def __init__(self, config: dict) -> None:
        env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8", "PYTHONDONTWRITEBYTECODE": "1"}
        self.process = subprocess.Popen(
            [sys.executable, "-I", str(Path(worker_side.__file__).resolve()), "--zygote", json.dumps(config)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, cwd="/",
            start_new_session=True, close_fds=True)
        try:
            hello = unpack_message(self.process.stdout)
        except (EOFError, struct.error, ValueError) as err:
            self.close()
            raise SandboxError(f"compiled sandbox worker failed to start: {err}") from err
        if "error" in hello:
            self.close()
            raise SandboxError(f"compiled sandbox worker failed to start: {hello['error']}")
        self.isolation = Isolation(**hello["isolation"])

    def run(self, job: dict, limit: float) -> CompiledResult:
        try:
            self.process.stdin.write(pack_message(job))
            self.process.stdin.flush()
            ready, _, _ = select.select([self.process.stdout], [], [], limit + _REPLY_GRACE)
            if not ready:
                self.process.kill()
                raise SandboxError(f"compiled sandbox worker gave no verdict within {limit + _REPLY_GRACE:.0f} s")
            reply = unpack_message(self.process.stdout)
        except (EOFError, BrokenPipeError, struct.error, ValueError) as err:
            raise SandboxError(f"compiled sandbox worker died: {err}") from err
        return CompiledResult(str(reply["status"]), str(reply.get("detail", "")), float(reply.get("duration", 0.0)),
                              float(reply.get("compile_seconds", 0.0)), float(reply.get("run_seconds", 0.0)))

    def close(self) -> None:
        if self.process.poll() is None:
            try:
                self.process.stdin.close()
                self.process.wait(timeout=10)
            except (OSError, subprocess.TimeoutExpired):
                self.process.kill()
                self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()


class CompiledSandbox:
    """A pool of ``workers`` compiled-language sandbox workers (use as a context manager).

    ``expose``: directories outside the world-readable tree the tools need (a toolchain under
    ``/root``); ``hide``: benchmark files the programs must not read.
    """

    def __init__(self, limits: SandboxLimits | None = None, *, workers: int = 1, isolate: bool = True,
                 hide: Iterable[str] = (), expose: Iterable[str] = ()) -> None:
        if workers < 1:
            raise ValueError(f"workers must be >= 1, got {workers}")
        self.limits = limits or COMPILED_LIMITS
        self._config = {"limits": asdict(self.limits), "isolate": isolate, "guard": False,
                        "hide": [str(Path(p).resolve()) for p in hide], "expose": sorted(set(expose)),
                        "lock_dir": str(Path(tempfile.gettempdir()) / LOCK_DIR_NAME)}
        self._size = workers
        self._free: list[_Worker] = []
        self._all: list[_Worker] = []
        self._lock = threading.Lock()
        self._slots = threading.Semaphore(workers)

    @property
    def isolation(self) -> Isolation:
        worker = self._acquire()
        try:
            return worker.isolation
        finally:
            self._release(worker)

    def _acquire(self) -> _Worker:
        self._slots.acquire()
        with self._lock:
            if self._free:
                return self._free.pop()
        try:
            worker = _Worker(self._config)
        except BaseException:
            self._slots.release()
            raise
        with self._lock:
            self._all.append(worker)
        return worker

    def _release(self, worker: _Worker) -> None:
        with self._lock:
            self._free.append(worker)
        self._slots.release()

    def run(self, job: CompiledJob, *, timeout: float | None = None) -> CompiledResult:
        """The verdict of one job; a worker that dies is this job's ``error`` and is replaced."""
        timeout = self.limits.timeout if timeout is None else timeout
        message = {**asdict(job), "timeout": timeout}
        worker = self._acquire()
        try:
            result = worker.run(message, job.compile_timeout + timeout)
        except SandboxError as err:
            with self._lock:
                self._all.remove(worker)
            worker.close()
            self._slots.release()
            return CompiledResult(ERROR, str(err))
        self._release(worker)
        return result

    def run_many(self, jobs: Sequence[CompiledJob], *, timeout: float | None = None) -> list[CompiledResult]:
        """:meth:`run` on all workers; results in input order."""
        jobs = list(jobs)
        if self._size == 1 or len(jobs) < 2:
            return [self.run(job, timeout=timeout) for job in jobs]
        with ThreadPoolExecutor(self._size) as pool:
            return list(pool.map(lambda job: self.run(job, timeout=timeout), jobs))

    def close(self) -> None:
        with self._lock:
            workers, self._all, self._free = self._all, [], []
        for worker in workers:
            worker.close()

    def __enter__(self) -> CompiledSandbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

