"""The program zygote: isolates itself once, then forks one confined process per program.

For a test job the process is readied ahead of time (a *spare*): it waits for its program on a fresh
socket pair whose other end goes to the test process (:mod:`.test_zygote`), runs the program's module
body and answers the test's calls (:mod:`.channel`). For a whole-program job, the process runs the
program and reports whether it raised. What is enforced around every program is listed in
docs/sandbox.md. Stdlib only: the worker loads it by path.
"""

from __future__ import annotations

import gc
import json
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import types
from typing import Any

from . import channel, framing, linux, reaping
from .base import CRASHED, FAILED, MAX_DETAIL, PASSED, PATH, SINGLE_THREADED, TIMEOUT, Isolation, SandboxLimits, describe

RESULT_FD = 3
"""The program process's descriptor for its result pipe or its channel."""
_EXIT_GRACE = 0.05
PRELOAD = (
    "math", "re", "string", "collections", "itertools", "functools", "heapq", "bisect",
    "typing", "hashlib", "random", "statistics", "fractions", "decimal", "copy", "operator",
)
"""Modules the programs commonly import, loaded once in each zygote so that each fork inherits them."""


class ProgramZygote:
    """The isolated process that forks the program processes (``config``: see :class:`.host._Worker`)."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.limits = SandboxLimits(**config["limits"])
        self.uid: int | None = None
        self.scratch: linux.PrivateTmp | None = None
        network = False
        if config["isolate"] and os.geteuid() == 0:
            self.uid, self._lock_fd = linux.acquire_uid(config["lock_dir"])
            try:
                linux.unshare(linux.CLONE_NEWNET)
                network = True
            except OSError:
                pass
            try:
                linux.enter_private_mounts()
                scratch = linux.PrivateTmp(self.limits.tmpfs_bytes)
                scratch.mount()
                self.scratch = scratch
            except OSError:
                pass
            if self.scratch is not None:
                try:
                    linux.expose(linux.python_paths() + list(config.get("expose") or ()))
                except OSError:
                    pass  # the preloaded modules still work; others may not import as the sandbox uid
                linux.hide(config.get("hide") or ())
        elif config["isolate"]:
            try:
                linux.enter_user_network_namespace()
                network = True
            except OSError:
                pass
        guard = config["guard"]
        self.guard = self.uid is None if guard is None else bool(guard)
        self.isolation = Isolation(separate_uid=self.uid is not None, network=network,
                                   private_tmp=self.scratch is not None, guard=self.guard, uid=self.uid)
        self.root = tempfile.mkdtemp(prefix="lintseq-sandbox-")
        os.chmod(self.root, 0o711)
        try:
            linux.prctl(linux.PR_SET_CHILD_SUBREAPER, 1)
            self.subreaper = True
        except OSError:
            self.subreaper = False
        for name in PRELOAD:
            __import__(name)
        gc.collect()
        gc.freeze()  # forked children then do not copy pages just to run the collector

    def serve(self, control: socket.socket) -> None:
        """Jobs from the test process on ``control`` (one framed message each, ``op``):

        ``spare`` readies a program process and sends the test end of its channel (``{"spare": true}``
        with the descriptor); ``stop`` ends the spare after its test (reply: how it ended) and readies
        the next one; ``run`` + program, timeout runs a whole program (reply: its verdict), with no
        spare alive meanwhile.
        """
        spare = None
        try:
            while True:
                try:
                    job, fds = framing.recv_with_fds(control, 0)
                    op = framing.expect(job, op=str)["op"]
                except (OSError, EOFError, framing.ProtocolError):
                    break
                if op == "spare":
                    spare = self._spawn_spare(control)
                elif op == "stop" and spare is not None:
                    framing.send_message(control, self.end(*spare, grace=_EXIT_GRACE)[1])
                    spare = self._spawn_spare(control)
                elif op == "run":  # a spare would count as a leftover of the whole program: none while it runs
                    if spare is not None:
                        self.end(*spare, grace=_EXIT_GRACE)
                        spare = None
                    framing.expect(job, program=str, timeout=(int, float))
                    framing.send_message(control, self.run(job["program"], float(job["timeout"])))
                else:
                    break
        finally:
            if spare is not None:
                self.end(*spare, grace=_EXIT_GRACE)
            shutil.rmtree(self.root, ignore_errors=True)

    def workdir(self) -> str | None:
        """The program's working directory, made here; None when each program mounts its own scratch space."""
        if self.scratch is not None:
            return None
        workdir = tempfile.mkdtemp(dir=self.root)
        if self.uid is not None:
            os.chown(workdir, self.uid, self.uid)
        return workdir

    def fork(self, body, workdir: str | None, result_fd: int) -> int:
        """Fork a program process: confined (every descriptor but ``result_fd`` closed), then ``body()``;
        it never returns into this loop."""
        nproc_base = 0 if self.uid is not None else linux.count_user_processes()
        pid = os.fork()
        if pid == 0:
            try:
                self._confine(workdir, result_fd, nproc_base)
                body()
            except BaseException:  # noqa: BLE001 - the child must not unwind into the zygote loop
                pass
            finally:
                os._exit(70)
        return pid

    def end(self, pid: int, workdir: str | None, grace: float) -> tuple[bool, dict[str, Any]]:
        """Wait up to ``grace`` for the program process, kill its tree, clean up: (killed, how it ended)."""
        killed, status = reaping.stop(pid, grace)
        reaping.sweep(pid, self.uid, self.subreaper)
        if workdir is not None:
            shutil.rmtree(workdir, ignore_errors=True)
        if os.WIFSIGNALED(status):
            return killed, {"signal": os.WTERMSIG(status), "killed": killed}
        return killed, {"code": os.WEXITSTATUS(status) if os.WIFEXITED(status) else -1, "killed": killed}

    def _spawn_spare(self, control: socket.socket) -> tuple[int, str | None]:
        """Fork a confined process that waits for its program on a fresh channel; send the other end."""
        workdir = self.workdir()
        test_end, program_end = socket.socketpair()
        def body() -> None:  # the test end is closed with every other descriptor
            _serve_program(self.limits)

        pid = self.fork(body, workdir, program_end.fileno())
        program_end.close()
        framing.send_message(control, {"spare": True}, fds=[test_end.fileno()])
        test_end.close()
        return pid, workdir

    def run(self, program: str, timeout: float) -> dict[str, Any]:
        """A whole program: it passes if it finishes without an exception (it reports that itself)."""
        workdir = self.workdir()
        nonce = os.urandom(16).hex()
        read_end, write_end = os.pipe()
        start = time.monotonic()

        def body() -> None:  # the read end is closed with every other descriptor
            set_cpu_limit(self.limits.cpu_limit(timeout))
            _run_whole(program, nonce)

        pid = self.fork(body, workdir, write_end)
        os.close(write_end)
        killed, status = reaping.stop(pid, timeout)
        duration = time.monotonic() - start
        message = _read_available(read_end)
        os.close(read_end)
        reaping.sweep(pid, self.uid, self.subreaper)
        if workdir is not None:
            shutil.rmtree(workdir, ignore_errors=True)
        return _verdict(message, nonce, status, killed, duration)

    def _confine(self, workdir: str | None, result_fd: int, nproc_base: int) -> None:
        """Apply every limit of this worker to the current (forked) process; ``result_fd`` ends up on fd 3.

        ``RLIMIT_CPU`` is set once the timeout is known. Without ``workdir``, the process enters mount and
        IPC namespaces of its own, with fresh scratch filesystems, gone with its last process.
        """
        import resource

        os.setsid()
        try:
            linux.prctl(linux.PR_SET_PDEATHSIG, signal.SIGKILL)
        except OSError:
            pass
        if workdir is None:
            linux.enter_private_scratch(self.scratch)
            workdir = tempfile.mkdtemp(prefix="lintseq-", dir="/tmp")
            os.chown(workdir, self.uid, self.uid)
        limits = self.limits
        for which, value in (
            (resource.RLIMIT_AS, limits.memory_bytes),
            (resource.RLIMIT_FSIZE, limits.max_file_bytes), (resource.RLIMIT_CORE, 0),
            (resource.RLIMIT_NOFILE, limits.max_open_files),
            (resource.RLIMIT_NPROC, nproc_base + limits.max_processes),
        ):
            resource.setrlimit(which, (value, value))
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        os.dup2(result_fd, RESULT_FD)
        os.closerange(RESULT_FD + 1, 65536)
        os.chdir(workdir)
        if self.uid is not None:
            os.setgroups([])
            os.setgid(self.uid)
            os.setuid(self.uid)
        os.umask(0o077)
        os.environ.clear()
        os.environ.update({"PATH": PATH, "HOME": workdir, "TMPDIR": workdir, "LANG": "C.UTF-8",
                           "PYTHONHASHSEED": "0", **SINGLE_THREADED})
        tempfile.tempdir = workdir
        sys.argv = ["<sandbox>"]
        here = os.path.dirname(__file__)
        sys.path = [p for p in sys.path if p and not p.startswith(here)]
        if self.guard:
            _apply_guard()


def set_cpu_limit(seconds: int) -> None:
    """``RLIMIT_CPU`` of the current (program) process."""
    import resource

    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds))


def _serve_program(limits: SandboxLimits) -> None:
    """In the confined spare: wait for the program and its timeout on fd 3, run its module body, then
    answer the test's calls there."""
    sock = socket.socket(fileno=RESULT_FD)
    job = framing.expect(framing.recv_message(sock), program=str, timeout=(int, float))
    set_cpu_limit(limits.cpu_limit(float(job["timeout"])))
    namespace = {"__name__": "__sandbox__", "__builtins__": __builtins__}
    try:
        exec(compile(job["program"], "<program>", "exec"), namespace)  # noqa: S102 - the candidate, confined
    except BaseException as err:  # noqa: BLE001 - every exception of the module body fails the sample
        framing.send_message(sock, {"failed": describe(err, "<program>")})
        return
    items = [(name, value) for name, value in list(namespace.items()) if not name.startswith("__")]
    names = [name for name, value in items if callable(value)]
    # `import math` in the program: the test may use `math` too (as it could in one process)
    modules = [name for name, value in items if isinstance(value, types.ModuleType) and value.__name__ == name]
    side = channel.ProgramSide(sock, namespace)
    if job.get("batch"):
        side.send_with_batch({"ready": names, "modules": modules}, job["batch"])
    else:
        framing.send_message(sock, {"ready": names, "modules": modules})
    side.serve()


def _run_whole(program: str, nonce: str) -> None:
    report = {"nonce": nonce, "status": PASSED, "detail": ""}
    try:
        code = compile(program, "<program>", "exec")
        exec(code, {"__name__": "__sandbox__", "__builtins__": __builtins__})  # noqa: S102
    except BaseException as err:  # noqa: BLE001 - every exception of the program is a failure
        report.update(status=FAILED, detail=describe(err, "<program>"))
    os.write(RESULT_FD, json.dumps(report).encode()[: select.PIPE_BUF])
    os._exit(0)


def _verdict(message: bytes, nonce: str, wait_status: int, timed_out: bool, duration: float) -> dict[str, Any]:
    """The verdict of a whole program from its report and how its process ended."""
    result = {"duration": duration}
    if timed_out:
        return {**result, "status": TIMEOUT, "detail": "wall-clock limit"}
    report = None
    if message:
        try:
            report = json.loads(message)
        except ValueError:
            report = None
    if os.WIFSIGNALED(wait_status):
        sig = os.WTERMSIG(wait_status)
        if sig == signal.SIGXCPU or sig == signal.SIGKILL and report is None:
            name = "CPU-time limit" if sig == signal.SIGXCPU else "killed (SIGKILL)"
            return {**result, "status": TIMEOUT if sig == signal.SIGXCPU else CRASHED, "detail": name}
        return {**result, "status": CRASHED, "detail": f"signal {signal.Signals(sig).name}"}
    if not isinstance(report, dict) or report.get("nonce") != nonce:
        code = os.WEXITSTATUS(wait_status) if os.WIFEXITED(wait_status) else -1
        return {**result, "status": CRASHED, "detail": f"exited with status {code} without a result"}
    if report.get("status") not in (PASSED, FAILED):  # a forged report: it cannot pass, or stop the worker
        return {**result, "status": CRASHED, "detail": "exited with a malformed result"}
    return {**result, "status": report["status"], "detail": str(report.get("detail", ""))[:MAX_DETAIL]}


def _read_available(fd: int) -> bytes:
    os.set_blocking(fd, False)
    try:
        return os.read(fd, select.PIPE_BUF)
    except BlockingIOError:
        return b""


def _apply_guard() -> None:
    """Disable process spawning and file deletion in this process (not a security boundary)."""
    import builtins

    def refused(*_args: object, **_kwargs: object) -> None:
        raise PermissionError("disabled in the sandbox")

    for name in ("system", "popen", "kill", "killpg", "fork", "forkpty", "remove", "unlink", "rmdir",
                 "removedirs", "rename", "renames", "replace", "truncate", "putenv", "chmod", "chown",
                 "lchown", "execv", "execve", "execvp", "execvpe", "execl", "execle", "execlp", "spawnv",
                 "spawnve", "posix_spawn", "posix_spawnp", "setuid", "chroot"):
        if hasattr(os, name):
            setattr(os, name, refused)
    shutil.rmtree = refused
    shutil.move = refused
    subprocess.Popen = refused
    builtins.help = refused
