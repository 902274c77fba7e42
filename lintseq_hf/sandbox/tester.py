"""The test zygote: the process the host talks to, and the trusted test process. It never runs candidate code.

Before any job it forks the isolated program zygote (:mod:`.program_zygote`), so that no test ever
enters the memory of a process that runs programs; per test job it runs the test itself
(:mod:`.verifier`), joined to one confined program process by a fresh socket pair. Stdlib only: the
worker loads it by path.
"""

from __future__ import annotations

import gc
import os
import shutil
import signal
import socket
import tempfile
import time
from dataclasses import asdict
from typing import Any, BinaryIO

from . import framing, linux, verifier
from .base import CRASHED, ERROR, MAX_DETAIL, SANDBOX_STATUSES, TIMEOUT, SandboxError, SandboxLimits
from .program_zygote import PRELOAD, ProgramZygote

STARTUP_ERRORS = (OSError, SandboxError, ValueError, TypeError, EOFError)
"""What a zygote that cannot start raises (reported to the host as its first message)."""


class TestZygote:
    """Forks the program zygote, then serves the host's jobs (``config``: see :class:`.host._Worker`)."""

    def __init__(self, config: dict[str, Any], host_fds: tuple[int, int]) -> None:
        self.limits = SandboxLimits(**config["limits"])
        control, far_end = socket.socketpair()
        pid = os.fork()
        if pid == 0:  # the program zygote: isolates itself, serves jobs, never returns
            try:
                control.close()
                for fd in host_fds:
                    os.close(fd)
                linux.prctl(linux.PR_SET_PDEATHSIG, signal.SIGKILL)
                try:
                    zygote = ProgramZygote(config)
                except STARTUP_ERRORS as err:
                    framing.send_message(far_end, {"error": f"{type(err).__name__}: {err}"})
                else:
                    framing.send_message(far_end, {"isolation": asdict(zygote.isolation)})
                    zygote.serve(far_end)
            except BaseException:  # noqa: BLE001 - must not unwind into the test zygote's code
                pass
            finally:
                os._exit(0)
        far_end.close()
        self.control = control
        self.program_zygote = pid
        self.hello = framing.recv_message(control)
        self._spare: int | None = None
        self.root = tempfile.mkdtemp(prefix="lintseq-tests-")
        try:
            linux.prctl(linux.PR_SET_DUMPABLE, 0)  # no same-uid process may read or trace the test processes
        except OSError:
            pass
        import resource

        memory = max(self.limits.memory_bytes, 1 << 30)
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        for name in PRELOAD:
            __import__(name)
        self._numpy = False
        self._pending_stop = False
        gc.collect()
        gc.freeze()

    def serve(self, stdin: BinaryIO, stdout: BinaryIO) -> None:
        try:
            framing.send_message(stdout, self.hello)
            if "error" in self.hello:
                return
            while True:
                try:
                    job = framing.expect(framing.recv_message(stdin), program=str, timeout=(int, float))
                except EOFError:
                    break
                self._finish_pending()
                if job.get("kind") == "test":
                    reply = self.run_test(job)
                else:
                    framing.send_message(self.control, {"op": "run", "program": job["program"],
                                                        "timeout": job["timeout"]})
                    reply = framing.recv_message(self.control)
                    if self._spare is not None:
                        os.close(self._spare)
                        self._spare = None
                framing.send_message(stdout, reply)
        finally:
            self.control.close()
            os.waitpid(self.program_zygote, 0)
            shutil.rmtree(self.root, ignore_errors=True)

    def run_test(self, job: dict[str, Any]) -> dict[str, Any]:
        """One sample: the program in the sandbox, the test here, calls over a fresh socket pair."""
        framing.expect(job, prompt=str, test=str, entry_point=str, check=str)
        timeout = float(job["timeout"])
        if not self._numpy and "numpy" in job["test"]:  # EvalPlus tests: import it once, not per sample
            try:
                __import__("numpy")
            except ImportError:
                pass
            self._numpy = True
            gc.freeze()
        start = time.monotonic()
        if self._spare is None:
            framing.send_message(self.control, {"op": "spare"})
            self._spare = self._take_spare()
        test_end = socket.socket(fileno=self._spare)
        self._spare = None
        try:
            result = verifier.verify(job, test_end, timeout=timeout)
        except verifier.Deadline:  # the timer fired as the test finished
            result = {"status": TIMEOUT, "detail": "wall-clock limit"}
        except OSError:
            result = {"status": CRASHED, "detail": "the program's process ended before the test"}
        finally:
            test_end.close()
        duration = time.monotonic() - start
        framing.send_message(self.control, {"op": "stop"})
        if result.get("status") != CRASHED:  # how the program ended does not matter: collect it later,
            self._pending_stop = True       # so the program zygote cleans up while the host reads this
            return _test_verdict(result, {}, duration)
        ended = framing.recv_message(self.control)
        self._spare = self._take_spare()
        return _test_verdict(result, ended, duration)

    def _take_spare(self) -> int:
        """The test end of the channel of the program process readied for the next job."""
        message, fds = framing.recv_with_fds(self.control, 1)
        if message != {"spare": True} or len(fds) != 1:
            for fd in fds:
                os.close(fd)
            raise SandboxError("the program zygote did not ready a program process")
        return fds[0]

    def _finish_pending(self) -> None:
        """Wait until the program zygote has cleaned up after the previous test job."""
        if self._pending_stop:
            self._pending_stop = False
            framing.recv_message(self.control)
            self._spare = self._take_spare()


def _test_verdict(verdict: dict[str, Any], program: dict[str, Any], duration: float) -> dict[str, Any]:
    """The verdict of a test job from the test's result and how the program's process ended."""
    result = {"duration": duration}
    if verdict.get("status") not in SANDBOX_STATUSES:
        return {**result, "status": ERROR, "detail": "the test gave no verdict"}
    if verdict["status"] == CRASHED and not program.get("killed"):
        sig = program.get("signal")
        if sig == signal.SIGXCPU:
            return {**result, "status": TIMEOUT, "detail": "CPU-time limit"}
        if sig is not None:
            return {**result, "status": CRASHED, "detail": f"program killed by signal {signal.Signals(sig).name}"}
        return {**result, "status": CRASHED,
                "detail": f"program exited with status {program.get('code')} during the test"}
    return {**result, "status": verdict["status"], "detail": str(verdict.get("detail", ""))[:MAX_DETAIL]}


def main(config_json: str) -> int:
    """The worker process of :class:`.host.Sandbox` (the host's pipes: :func:`.framing.host_streams`)."""
    import json

    stdin, stdout, host_fds = framing.host_streams()
    try:
        zygote = TestZygote(json.loads(config_json), host_fds)
    except STARTUP_ERRORS as err:
        framing.send_message(stdout, {"error": f"{type(err).__name__}: {err}"})
        return 1
    zygote.serve(stdin, stdout)
    return 0
