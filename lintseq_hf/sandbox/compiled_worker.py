"""The worker side of the compiled-language sandbox. Runs as a script
(``python -I compiled_worker.py --zygote CONFIG``), standard library only, and reuses the
isolation of :mod:`worker` (loaded by path): the same separate uid, private network and mount
namespaces, private ``/tmp``, hidden benchmark files and per-process rlimits.

One job = write the source files, run the compile commands, then ``exec`` the program, all in one
confined child (the compilers and the program inherit every limit). The compile has its own
wall-clock budget; the run budget starts when the compile ends. The verdict is decided here, in the
trusted zygote, from a per-run secret: the zygote generates a nonce, writes it to a pipe on the
program's fd 3 only after the compile, and the test driver (see
:mod:`lintseq_hf.evaluation.assembly`) reads it before any candidate code runs and writes it back
on fd 4 after the last assertion. Exiting early, printing "passed", or an ``atexit`` handler cannot
produce it. stdout and stderr come back on pipes the program cannot rewind (docs/sandbox.md).
"""

from __future__ import annotations

import importlib.util
import json
import os
import resource
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PASSED, FAILED, TIMEOUT, CRASHED, ERROR = "passed", "failed", "timeout", "crashed", "error"
COMPILE_ERROR = "compile_error"
_NONCE_FD, _RESULT_FD = 3, 4
_MAX_OUTPUT = 64 << 10
_MAX_DETAIL = 1000
_GRACE = 1.0


def _load_sibling(name: str):
    spec = importlib.util.spec_from_file_location(f"lintseq_sandbox_{name}", Path(__file__).with_name(f"{name}.py"))
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


worker = _load_sibling("worker")


def _tail(data: bytes, size: int = _MAX_DETAIL) -> str:
    return data.decode("utf-8", "replace").strip()[-size:]


class _CompiledZygote:
    """Isolates itself once (as :class:`worker._Zygote`), then runs one confined child per job."""

    def __init__(self, config: dict) -> None:
        self.zygote = worker._Zygote(config)
        self.limits = self.zygote.limits

    def run(self, job: dict) -> dict:
        zygote = self.zygote
        workdir = tempfile.mkdtemp(dir=zygote.root)
        if zygote.uid is not None:
            os.chown(workdir, zygote.uid, zygote.uid)
        nproc_base = 0 if zygote.uid is not None else worker._count_user_processes()
        control, child_control = socket.socketpair()
        out_r, out_w = os.pipe()
        err_r, err_w = os.pipe()
        nonce_r, nonce_w = os.pipe()
        result_r, result_w = os.pipe()
        if zygote.uid is not None:  # the driver opens its ends as /proc/self/fd/N (Java, Rust): the uid must own them
            for fd in (out_w, err_w, nonce_r, result_w):
                os.fchown(fd, zygote.uid, zygote.uid)
        start = time.monotonic()
        pid = os.fork()
        if pid == 0:  # the confined child: never returns
            try:
                control.close()
                for fd in (out_r, err_r, nonce_w, result_r):
                    os.close(fd)
                zygote._confine(None, workdir, child_control.fileno(), nproc_base)
                _child(job)
            except BaseException:  # noqa: BLE001 - the child must not unwind into the zygote loop
                pass
            finally:
                os._exit(70)
        child_control.close()
        socket.send_fds(control, [b"F"], [out_w, err_w, nonce_r, result_w])
        for fd in (out_w, err_w, nonce_r, result_w):
            os.close(fd)
        nonce = os.urandom(16).hex().encode()
        try:
            reply = self._supervise(job, pid, control, nonce, nonce_w, (out_r, err_r, result_r), start)
        finally:
            control.close()
            for fd in (out_r, err_r, result_r):
                os.close(fd)
            try:
                os.close(nonce_w)
            except OSError:
                pass
            worker._kill_tree(pid, zygote.uid)
            worker._reap_all()
            shutil.rmtree(workdir, ignore_errors=True)
        reply["duration"] = time.monotonic() - start
        return reply

    def _supervise(self, job: dict, pid: int, control: socket.socket, nonce: bytes, nonce_w: int,
                   outputs: tuple[int, int, int], start: float) -> dict:
        compile_budget = float(job["compile_timeout"])
        ready, _, _ = select.select([control], [], [], compile_budget + _GRACE)
        if not ready:
            return {"status": TIMEOUT, "detail": f"compile-time limit ({compile_budget:.0f} s)",
                    "compile_seconds": time.monotonic() - start}
        data = b""
        while chunk := control.recv(1 << 16):  # the child closes its end right after its one message
            data += chunk
        try:
            message = json.loads(data or b"{}")
        except ValueError:
            message = {}
        compile_seconds = time.monotonic() - start
        if "compiled" not in message:
            if "compile_error" in message:
                return {"status": COMPILE_ERROR, "detail": message["compile_error"][-_MAX_DETAIL:],
                        "compile_seconds": compile_seconds}
            if "compile_timeout" in message:
                return {"status": TIMEOUT, "detail": message["compile_timeout"], "compile_seconds": compile_seconds}
            return {"status": ERROR, "detail": str(message.get("error", "the sandbox child ended before compiling"))
                    [:_MAX_DETAIL], "compile_seconds": compile_seconds}
        os.write(nonce_w, nonce)
        os.close(nonce_w)
        run_start = time.monotonic()
        timeout = float(job["timeout"])
        data = {fd: bytearray() for fd in outputs}
        open_fds = set(outputs)
        pidfd = os.pidfd_open(pid)
        timed_out = False
        try:
            while True:
                left = run_start + timeout - time.monotonic()
                if left <= 0:
                    timed_out = True
                    break
                ready, _, _ = select.select([pidfd, *open_fds], [], [], left)
                for fd in ready:
                    if fd == pidfd:
                        continue
                    chunk = os.read(fd, 1 << 16)
                    if not chunk:
                        open_fds.discard(fd)
                    elif len(data[fd]) < _MAX_OUTPUT:
                        data[fd] += chunk[: _MAX_OUTPUT - len(data[fd])]
                if pidfd in ready:
                    break
        finally:
            os.close(pidfd)
        run_seconds = time.monotonic() - run_start
        if timed_out:
            worker._kill_tree(pid, self.zygote.uid)
        _, status = os.waitpid(pid, 0)
        for fd in list(open_fds):  # what the program wrote just before it exited
            os.set_blocking(fd, False)
            try:
                while len(data[fd]) < _MAX_OUTPUT and (chunk := os.read(fd, 1 << 16)):
                    data[fd] += chunk
            except BlockingIOError:
                pass
        out, err, result = (bytes(data[fd]) for fd in outputs)
        verdict = _verdict(status, timed_out, result == nonce, out, err, bool(job.get("quiet")), timeout)
        return {**verdict, "compile_seconds": compile_seconds, "run_seconds": run_seconds}


def _verdict(status: int, timed_out: bool, finished: bool, out: bytes, err: bytes, quiet: bool,
             timeout: float) -> dict:
    """passed only if the driver wrote the nonce back (the tests ran to their end), the program exited 0
    and, under the ``quiet`` rule (HumanEvalPack JavaScript), printed nothing."""
    if timed_out:
        return {"status": TIMEOUT, "detail": f"wall-clock limit ({timeout:.0f} s)"}
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        if sig == signal.SIGXCPU:
            return {"status": TIMEOUT, "detail": "CPU-time limit"}
        if sig == signal.SIGABRT:  # a failed C/C++ assert(), an uncaught exception
            return {"status": FAILED, "detail": f"aborted: {_tail(err)}"}
        return {"status": CRASHED, "detail": f"killed by signal {signal.Signals(sig).name}"}
    code = os.WEXITSTATUS(status)
    if code != 0:
        return {"status": FAILED, "detail": f"exit status {code}: {_tail(err or out)}"}
    if quiet and (out or err):  # e.g. HumanEvalPack's console.assert failures, printed on stderr
        return {"status": FAILED, "detail": f"printed output (the rule needs none): {_tail(err or out)}"}
    if not finished:
        return {"status": CRASHED, "detail": "exited with status 0 without finishing the tests"}
    return {"status": PASSED, "detail": ""}


def _child(job: dict) -> None:
    """In the confined child (fd 3: the control socket): write the files, compile, exec the program."""
    control = socket.socket(fileno=3)
    _, fds, _, _ = socket.recv_fds(control, 1, 4)
    out_w, err_w, nonce_r, result_w = fds
    started = time.monotonic()

    def report(message: dict) -> None:
        control.sendall(json.dumps(message).encode())

    for name, text in job["files"].items():
        Path(name).write_text(text, encoding="utf-8")
    budget = float(job["compile_timeout"])
    env = {**os.environ, **job.get("env", {})}
    for command in job["compile"]:
        left = budget - (time.monotonic() - started)
        try:
            done = subprocess.run(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, timeout=max(left, 0.01), env=env, check=False)
        except subprocess.TimeoutExpired:
            report({"compile_timeout": f"compile-time limit ({budget:.0f} s)"})
            return
        except OSError as err:
            report({"error": f"cannot run {command[0]}: {err}"})
            return
        if done.returncode != 0:
            report({"compile_error": _tail(done.stdout, 4 * _MAX_DETAIL) or f"exit status {done.returncode}"})
            return
    for name in job.get("remove_after_compile", ()):
        try:
            os.unlink(name)
        except OSError:
            pass
    own = resource.getrusage(resource.RUSAGE_SELF)
    cpu = int(own.ru_utime + own.ru_stime) + int(float(job["timeout"])) + 2
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
    report({"compiled": True})
    control.close()
    for target, fd in ((1, out_w), (2, err_w), (_NONCE_FD, nonce_r), (_RESULT_FD, result_w)):
        os.dup2(fd, target)
    for fd in (out_w, err_w, nonce_r, result_w):
        if fd > _RESULT_FD:
            os.close(fd)
    run = job["run"]
    os.execve(run[0], run, env)


def _main(argv: list[str]) -> int:
    host_fds = (os.dup(0), os.dup(1))
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    os.close(null)
    stdin, stdout = os.fdopen(host_fds[0], "rb"), os.fdopen(host_fds[1], "wb")
    os.set_inheritable(host_fds[0], False)
    os.set_inheritable(host_fds[1], False)
    try:
        zygote = _CompiledZygote(json.loads(argv[0]))
    except (OSError, worker.SandboxError, ValueError, TypeError) as err:
        stdout.write(worker.pack_message({"error": f"{type(err).__name__}: {err}"}))
        stdout.flush()
        return 1
    stdout.write(worker.pack_message({"isolation": worker.asdict(zygote.zygote.isolation)}))
    stdout.flush()
    while True:
        try:
            job = worker.unpack_message(stdin)
        except EOFError:
            return 0
        try:
            reply = zygote.run(job)
        except (OSError, KeyError, ValueError, TypeError) as err:
            reply = {"status": ERROR, "detail": f"{type(err).__name__}: {err}"[:_MAX_DETAIL], "duration": 0.0}
        stdout.write(worker.pack_message(reply))
        stdout.flush()


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--zygote":
        sys.exit(_main(sys.argv[2:]))
    sys.exit(f"usage: {sys.argv[0]} --zygote CONFIG_JSON (internal)")
