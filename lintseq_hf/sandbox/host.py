"""The host side of the sandbox: a pool of worker processes (:mod:`.worker`, :mod:`.tester`)
that run untrusted programs, one forked child each, under the limits of :class:`SandboxLimits`.
:meth:`Sandbox.judge` runs a sample's test apart from its program, so that the program cannot forge
its verdict. See docs/sandbox.md for what is enforced.
"""

from __future__ import annotations

import json
import select
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

from . import framing, worker
from .base import CRASHED, ERROR, FAILED, PASSED, PATH, SINGLE_THREADED, TIMEOUT, Isolation, SandboxError, SandboxLimits
from .linux import LOCK_DIR_NAME

__all__ = ["CRASHED", "ERROR", "FAILED", "PASSED", "TIMEOUT", "ExecResult", "Isolation", "Sandbox", "SandboxError",
           "SandboxLimits", "TestJob", "run_program"]


_REPLY_GRACE = 10.0


@dataclass(frozen=True)
class TestJob:
    """One sample to judge: the candidate ``program`` runs in the sandbox; the benchmark's trusted
    ``prompt``, ``test`` and ``check`` code run in a separate test process and reach the program's
    functions (``entry_point`` and the other names the test calls) only through the plain-data
    channel of :mod:`lintseq_hf.sandbox.channel` (docs/sandbox.md, "Verdicts")."""

    program: str
    prompt: str
    test: str
    entry_point: str
    check: str = ""


@dataclass(frozen=True)
class ExecResult:
    """Outcome of one program: ``status`` is passed, failed, timeout, crashed or error."""

    status: str
    detail: str = ""
    duration: float = 0.0

    @property
    def passed(self) -> bool:
        return self.status == PASSED

    def __str__(self) -> str:
        return self.status if not self.detail else f"{self.status}: {self.detail}"


class _Worker:
    """One worker process (``worker.py FLAG CONFIG``), used by one thread at a time."""

    def __init__(self, flag: str, config: dict) -> None:
        env = {"PATH": PATH, "LANG": "C.UTF-8", "PYTHONHASHSEED": "0", "PYTHONDONTWRITEBYTECODE": "1",
               **SINGLE_THREADED}
        self.process = subprocess.Popen(
            [sys.executable, "-I", str(Path(worker.__file__).resolve()), flag, json.dumps(config)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            env=env, cwd="/", start_new_session=True, close_fds=True,
        )
        try:
            hello = framing.recv_message(self.process.stdout)
        except (EOFError, ValueError) as err:
            self.close()
            raise SandboxError(f"sandbox worker failed to start: {err}") from err
        if "error" in hello:
            self.close()
            raise SandboxError(f"sandbox worker failed to start: {hello['error']}")
        self.isolation = Isolation(**hello["isolation"])

    def request(self, job: dict, limit: float, **fields: type | tuple[type, ...]) -> dict:
        """Send ``job``, return the reply (checked to hold ``status``, ``detail``, ``duration`` and ``fields``).

        The worker enforces the job's time limits itself; ``limit`` (their sum) only catches a worker that
        stopped answering."""
        try:
            framing.send_message(self.process.stdin, job)
            ready, _, _ = select.select([self.process.stdout], [], [], limit + _REPLY_GRACE)
            if not ready:
                self.process.kill()
                raise SandboxError(f"sandbox worker gave no verdict within {limit + _REPLY_GRACE:.0f} s")
            return framing.expect(framing.recv_message(self.process.stdout), status=str, detail=str,
                                  duration=(int, float), **fields)
        except (EOFError, BrokenPipeError, ValueError, TypeError) as err:
            raise SandboxError(f"sandbox worker died: {err}") from err

    def close(self) -> None:
        if self.process.poll() is None:
            try:
                self.process.stdin.close()
                self.process.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired):
                self.process.kill()
                self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None and not stream.closed:
                try:
                    stream.close()
                except OSError:
                    pass


class WorkerPool:
    """A pool of ``workers`` worker processes started with ``flag`` (see :mod:`.worker`), each isolated
    by the program zygote under ``limits``; :class:`Sandbox` and :class:`.compiled.CompiledSandbox` are
    its two kinds. ``hide``: benchmark files the programs must not read; ``expose``: folders outside the
    world-readable tree they need (a toolchain under ``/root``). Use as a context manager, or call
    :meth:`close`.
    """

    FLAG = "--zygote"

    def __init__(self, limits: SandboxLimits, *, workers: int = 1, isolate: bool = True,
                 guard: bool | None = None, hide: Iterable[str] = (), expose: Iterable[str] = ()) -> None:
        if workers < 1:
            raise ValueError(f"workers must be >= 1, got {workers}")
        self.limits = limits
        self._config = {"limits": asdict(limits), "isolate": isolate, "guard": guard,
                        "hide": [str(Path(p).resolve()) for p in hide], "expose": sorted(set(map(str, expose))),
                        "lock_dir": str(Path(tempfile.gettempdir()) / LOCK_DIR_NAME)}
        self._size = workers
        self._workers: list[_Worker] = []
        self._free: list[_Worker] = []
        self._lock = threading.Lock()
        self._available = threading.Semaphore(workers)

    @property
    def isolation(self) -> Isolation:
        """What this host lets the workers enforce (starts one worker if none is running)."""
        worker = self._acquire()
        try:
            return worker.isolation
        finally:
            self._release(worker)

    def _acquire(self) -> _Worker:
        self._available.acquire()
        with self._lock:
            if self._free:
                return self._free.pop()
        try:
            worker = _Worker(self.FLAG, self._config)
        except BaseException:
            self._available.release()
            raise
        with self._lock:
            self._workers.append(worker)
        return worker

    def _release(self, worker: _Worker) -> None:
        with self._lock:
            self._free.append(worker)
        self._available.release()

    def _map(self, function, items: list) -> list:
        if self._size == 1 or len(items) < 2:
            return [function(item) for item in items]
        with ThreadPoolExecutor(self._size) as pool:
            return list(pool.map(function, items))

    def _submit(self, job: dict, limit: float, **fields: type | tuple[type, ...]) -> dict:
        """The reply to ``job``; a worker that fails is :class:`SandboxError` and is replaced for the next job."""
        worker = self._acquire()
        try:
            try:
                return worker.request(job, limit, **fields)
            except SandboxError:
                with self._lock:
                    self._workers.remove(worker)
                worker.close()
                worker = None
                raise
        finally:
            if worker is not None:
                self._release(worker)
            else:
                self._available.release()

    def close(self) -> None:
        with self._lock:
            workers, self._workers, self._free = self._workers, [], []
        for each in workers:
            each.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # noqa: BLE001 - interpreter shutdown; nothing to report to
            pass


class Sandbox(WorkerPool):
    """A pool of sandbox workers for Python; ``run`` one program or ``run_many`` in parallel, ``judge``
    a sample apart from its test.

    ``isolate=False`` skips the uid/namespace isolation (rlimits and the guard only);
    ``guard=None`` enables the in-process guard exactly when no separate uid is available.
    Use as a context manager, or call :meth:`close`.
    """

    def __init__(self, limits: SandboxLimits | None = None, *, workers: int = 1,
                 isolate: bool = True, guard: bool | None = None, hide: Iterable[str] = ()) -> None:
        super().__init__(limits or SandboxLimits(), workers=workers, isolate=isolate, guard=guard, hide=hide)

    def run(self, program: str, *, timeout: float | None = None) -> ExecResult:
        """Execute ``program`` as a module body; it passes if it finishes without an exception.

        The program itself reports that it finished, so code that may be hostile can forge a
        pass here: judge samples with :meth:`judge`, which keeps the verdict out of its reach.
        """
        return self._execute({"program": program}, timeout)

    def run_many(self, programs: Iterable[str], *, timeout: float | None = None) -> list[ExecResult]:
        """Execute programs on all workers; results in input order."""
        return self._map(lambda p: self.run(p, timeout=timeout), list(programs))

    def judge(self, job: TestJob, *, timeout: float | None = None) -> ExecResult:
        """The verdict of one sample (see :class:`TestJob`). A worker that dies is this sample's
        ``error`` only: the worker is replaced for the next one."""
        try:
            return self._execute({"kind": "test", **asdict(job)}, timeout)
        except SandboxError as err:
            return ExecResult(ERROR, str(err))

    def judge_many(self, jobs: Iterable[TestJob], *, timeout: float | None = None) -> list[ExecResult]:
        """:meth:`judge` on all workers; results in input order."""
        return self._map(lambda job: self.judge(job, timeout=timeout), list(jobs))

    def _execute(self, job: dict, timeout: float | None) -> ExecResult:
        timeout = self.limits.timeout if timeout is None else timeout
        reply = self._submit({**job, "timeout": timeout}, timeout)
        return ExecResult(reply["status"], reply["detail"], float(reply["duration"]))

    def __enter__(self) -> Sandbox:
        return self


def run_program(program: str, *, timeout: float = 10.0, limits: SandboxLimits | None = None) -> ExecResult:
    """Run one program in a fresh one-worker sandbox (convenient, not fast: use :class:`Sandbox`)."""
    with Sandbox(limits) as sandbox:
        return sandbox.run(program, timeout=timeout)
