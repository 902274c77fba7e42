"""The compiled-language zygote: compiles and runs one C++, JavaScript, TypeScript, Java or Rust test
program per job, each in a confined process of the program zygote (:mod:`.program_zygote`: separate uid,
private network, fresh private scratch space, hidden benchmark files, rlimits). Stdlib only: the worker
loads it by path (``worker.py --compiled``).

One job = write the source files, run the compile commands, then ``exec`` the program, all in one
confined process (the compilers and the program inherit every limit). The compile has its own wall-clock
budget; the run budget starts when the compile ends. The verdict is decided here, in the trusted zygote,
from a per-run secret: the zygote generates a nonce, writes it to a pipe on the program's fd 3 only after
the compile, and the test driver (:mod:`lintseq_hf.evaluation.assembly`) reads it before any candidate code
runs and writes it back on fd 4 after the last assertion. Exiting early, printing "passed", or an exit
handler cannot produce it. stdout and stderr come back on pipes the program cannot rewind
(docs/sandbox.md, "Compiled languages").
"""

from __future__ import annotations

import base64
import json
import os
import resource
import select
import signal
import socket
import subprocess
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from . import framing, linux
from .base import COMPILE_ERROR, CRASHED, ERROR, FAILED, MAX_DETAIL, PASSED, TIMEOUT, SandboxLimits
from .program_zygote import ProgramZygote, set_cpu_limit
from .tester import STARTUP_ERRORS

NONCE_FD, RESULT_FD = 3, 4
"""The program's descriptors: the nonce to read, the pipe to write it back on."""
MAX_OUTPUT = 64 << 10
"""Bytes of the program's stdout and of its stderr kept (the rest is read and dropped)."""
_GRACE = 1.0
_PIPES = ("stdout", "stderr", "nonce", "result")


def _tail(data: bytes, size: int = MAX_DETAIL) -> str:
    return data.decode("utf-8", "replace").strip()[-size:]


class CompiledZygote:
    """The program zygote's isolation, and per job one confined process that compiles, then runs."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.programs = ProgramZygote(config)
        self.isolation = self.programs.isolation
        try:
            linux.prctl(linux.PR_SET_DUMPABLE, 0)  # the nonces live here: no same-uid program may read them
        except OSError:
            pass

    def run(self, job: dict[str, Any]) -> dict[str, Any]:
        """The verdict of one job (see :class:`lintseq_hf.sandbox.compiled.CompiledJob`)."""
        programs = self.programs
        workdir = programs.workdir()
        control, child_control = socket.socketpair()
        out_r, out_w = os.pipe()
        err_r, err_w = os.pipe()
        nonce_r, nonce_w = os.pipe()
        result_r, result_w = os.pipe()
        child_ends = (out_w, err_w, nonce_r, result_w)
        if programs.uid is not None:  # the driver opens its ends as /proc/self/fd/N (Java, Rust): the uid must own them
            for fd in child_ends:
                os.fchown(fd, programs.uid, programs.uid)
        start = time.monotonic()
        pid = programs.fork(lambda: _child(job, programs.limits), workdir, child_control.fileno())
        child_control.close()
        outputs = (out_r, err_r, result_r)
        data = {fd: bytearray() for fd in outputs}
        timed_out, nonce, compile_seconds, run_seconds = False, b"", 0.0, 0.0
        try:
            try:
                framing.send_message(control, {"pipes": list(_PIPES)}, fds=child_ends)
            finally:
                for fd in child_ends:
                    os.close(fd)
            reply = self._compiled(job, control, start)
            if reply is None:
                compile_seconds = time.monotonic() - start
                nonce = os.urandom(16).hex().encode()
                try:
                    os.write(nonce_w, nonce)
                except OSError:
                    pass  # the program is gone already: it cannot give the nonce back
                os.close(nonce_w)
                nonce_w = -1
                timed_out = _collect(pid, data, start + compile_seconds + float(job["timeout"]))
                run_seconds = time.monotonic() - start - compile_seconds
        finally:
            control.close()
            if nonce_w >= 0:
                os.close(nonce_w)
            _, ended = programs.end(pid, workdir, grace=0.0)
            for fd in outputs:  # what the program wrote just before it exited (its tree is gone now)
                _drain(fd, data[fd])
                os.close(fd)
        if reply is None:
            out, err, result = (bytes(data[fd]) for fd in outputs)
            reply = {**_verdict(ended, timed_out, result == nonce, out, err, bool(job.get("quiet")),
                                float(job["timeout"])),
                     "compile_seconds": compile_seconds, "run_seconds": run_seconds}
        reply["duration"] = time.monotonic() - start
        return reply

    def _compiled(self, job: dict[str, Any], control: socket.socket, start: float) -> dict[str, Any] | None:
        """None once the program compiled; else the verdict (compile error, compile timeout, error)."""
        budget = float(job["compile_timeout"])
        ready, _, _ = select.select([control], [], [], budget + _GRACE)
        if not ready:
            return {"status": TIMEOUT, "detail": f"compile-time limit ({budget:.0f} s)",
                    "compile_seconds": time.monotonic() - start}
        control.settimeout(_GRACE)
        try:
            message = framing.recv_message(control)
        except (OSError, EOFError, framing.ProtocolError):
            message = {}
        seconds = time.monotonic() - start
        if message.get("compiled") is True:
            return None
        if isinstance(message.get("compile_error"), str):
            return {"status": COMPILE_ERROR, "detail": message["compile_error"][-MAX_DETAIL:], "compile_seconds": seconds}
        if isinstance(message.get("compile_timeout"), str):
            return {"status": TIMEOUT, "detail": message["compile_timeout"], "compile_seconds": seconds}
        detail = str(message.get("error", "the sandbox process ended before compiling"))[:MAX_DETAIL]
        return {"status": ERROR, "detail": detail, "compile_seconds": seconds}


def _collect(pid: int, data: dict[int, bytearray], deadline: float) -> bool:
    """Read the program's pipes (the keys of ``data``, up to :data:`MAX_OUTPUT` each) until the process
    ``pid`` exits; True if ``deadline`` came first."""
    open_fds = set(data)
    pidfd = os.pidfd_open(pid)
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return True
            ready, _, _ = select.select([pidfd, *open_fds], [], [], left)
            for fd in ready:
                if fd != pidfd and not _read_into(fd, data[fd]):
                    open_fds.discard(fd)
            if pidfd in ready:
                return False
    finally:
        os.close(pidfd)


def _read_into(fd: int, buffer: bytearray) -> bool:
    """One read of ``fd`` into ``buffer`` (kept to :data:`MAX_OUTPUT`); False at end of file."""
    chunk = os.read(fd, 1 << 16)
    buffer += chunk[: max(MAX_OUTPUT - len(buffer), 0)]
    return bool(chunk)


def _drain(fd: int, buffer: bytearray) -> None:
    os.set_blocking(fd, False)
    try:
        while _read_into(fd, buffer):
            pass
    except BlockingIOError:
        pass


def _verdict(ended: dict[str, Any], timed_out: bool, finished: bool, out: bytes, err: bytes, quiet: bool,
             timeout: float) -> dict[str, Any]:
    """passed only if the driver wrote the nonce back (the tests ran to their end), the program exited 0
    and, under the ``quiet`` rule (HumanEvalPack JavaScript), printed nothing."""
    if timed_out:
        return {"status": TIMEOUT, "detail": f"wall-clock limit ({timeout:.0f} s)"}
    sig = ended.get("signal")
    if sig is not None:
        if sig == signal.SIGXCPU:
            return {"status": TIMEOUT, "detail": "CPU-time limit"}
        if sig == signal.SIGABRT:  # a failed C/C++ assert(), an uncaught exception
            return {"status": FAILED, "detail": f"aborted: {_tail(err)}"}
        return {"status": CRASHED, "detail": f"killed by signal {signal.Signals(sig).name}"}
    code = ended.get("code")
    if code != 0:
        return {"status": FAILED, "detail": f"exit status {code}: {_tail(err or out)}"}
    if quiet and (out or err):  # e.g. HumanEvalPack's console.assert failures, printed on stderr
        return {"status": FAILED, "detail": f"printed output (the rule needs none): {_tail(err or out)}"}
    if not finished:
        return {"status": CRASHED, "detail": "exited with status 0 without finishing the tests"}
    return {"status": PASSED, "detail": ""}


def _child(job: dict[str, Any], limits: SandboxLimits) -> None:
    """In the confined process (fd 3: the control socket): take the pipes, write the files, compile, exec."""
    control = socket.socket(fileno=3)
    _, fds = framing.recv_with_fds(control, len(_PIPES))
    if len(fds) != len(_PIPES):
        framing.send_message(control, {"error": "the sandbox process did not get its pipes"})
        return
    started = time.monotonic()
    for name, text in job["files"].items():
        Path(name).write_text(text, encoding="utf-8")
    for name, text in job.get("binary_files", {}).items():
        Path(name).write_bytes(base64.b64decode(text, validate=True))
    budget = float(job["compile_timeout"])
    env = {**os.environ, **job.get("env", {})}
    for command in job["compile"]:
        left = budget - (time.monotonic() - started)
        try:
            done = subprocess.run(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, timeout=max(left, 0.01), env=env, check=False)
        except subprocess.TimeoutExpired:
            framing.send_message(control, {"compile_timeout": f"compile-time limit ({budget:.0f} s)"})
            return
        except OSError as err:
            framing.send_message(control, {"error": f"cannot run {command[0]}: {err}"})
            return
        if done.returncode != 0:
            text = _tail(done.stdout, 4 * MAX_DETAIL) or f"exit status {done.returncode}"
            framing.send_message(control, {"compile_error": text})
            return
    for name in job.get("remove_after_compile", ()):
        try:
            os.unlink(name)
        except OSError:
            pass
    own = resource.getrusage(resource.RUSAGE_SELF)
    set_cpu_limit(int(own.ru_utime + own.ru_stime) + limits.cpu_limit(float(job["timeout"])))
    framing.send_message(control, {"compiled": True})
    control.close()
    for target, fd in zip((1, 2, NONCE_FD, RESULT_FD), fds):
        os.dup2(fd, target)
    for fd in fds:
        if fd > RESULT_FD:
            os.close(fd)
    run = job["run"]
    os.execve(run[0], run, env)


def main(config_json: str) -> int:
    """The worker process of :class:`lintseq_hf.sandbox.compiled.CompiledSandbox`: one framed job in,
    one framed verdict out, until the host closes the pipe."""
    stdin, stdout, _ = framing.host_streams()
    try:
        zygote = CompiledZygote(json.loads(config_json))
    except STARTUP_ERRORS as err:
        framing.send_message(stdout, {"error": f"{type(err).__name__}: {err}"})
        return 1
    framing.send_message(stdout, {"isolation": asdict(zygote.isolation)})
    while True:
        try:
            job = framing.expect(framing.recv_message(stdin), files=dict, compile=list, run=list,
                                 timeout=(int, float), compile_timeout=(int, float))
        except EOFError:
            return 0
        try:
            reply = zygote.run(job)
        except (OSError, KeyError, ValueError, TypeError) as err:
            reply = {"status": ERROR, "detail": f"{type(err).__name__}: {err}"[:MAX_DETAIL], "duration": 0.0}
        framing.send_message(stdout, {"compile_seconds": 0.0, "run_seconds": 0.0, **reply})
