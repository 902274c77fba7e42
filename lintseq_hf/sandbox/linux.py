"""Linux isolation for the program zygote: libc calls, mount and network namespaces, private scratch
filesystems, hidden files and the leasing of sandbox uids. Stdlib only: the worker loads it by path.

Everything here runs as root in the program zygote or in a freshly forked program process before it
drops to the sandbox uid (see :mod:`.program_zygote`).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from .base import SandboxError

UID_BASE = 1_600_000_000
UID_SLOTS = 4096
LOCK_DIR_NAME = "lintseq-sandbox-locks"
"""Folder (in the host's temp dir) of the uid leases: one ``flock``-ed file per live worker."""
PRIVATE_TMP_DIRS = ("/tmp", "/var/tmp", "/dev/shm", "/run/lock")
"""The world-writable places each program gets fresh, empty and private."""
CLONE_NEWNS = 0x00020000
CLONE_NEWIPC = 0x08000000
CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000
PR_SET_PDEATHSIG = 1
PR_SET_DUMPABLE = 4
PR_SET_CHILD_SUBREAPER = 36
_MS_NOSUID = 2
_MS_NODEV = 4
_MS_BIND = 4096
_MS_MOVE = 8192
_MS_REC = 16384
_MS_PRIVATE = 1 << 18
_TMPFS_INODES = 65536

_libc = None


def libc_call(name: str, *args: object) -> None:
    """Call libc's ``name``; :class:`OSError` with errno when it returns non-zero."""
    global _libc
    if _libc is None:
        _libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    if getattr(_libc, name)(*args) != 0:
        code = ctypes.get_errno()
        raise OSError(code, f"{name}: {os.strerror(code)}")


def prctl(option: int, value: int) -> None:
    """``prctl(option, value, 0, 0, 0)``."""
    libc_call("prctl", ctypes.c_int(option), ctypes.c_ulong(value), ctypes.c_ulong(0), ctypes.c_ulong(0),
              ctypes.c_ulong(0))


def unshare(flags: int) -> None:
    if hasattr(os, "unshare"):
        os.unshare(flags)
    else:
        libc_call("unshare", ctypes.c_int(flags))


def mount(source: str | None, target: str, fstype: str | None, flags: int, data: str | None) -> None:
    def enc(value: str | None) -> bytes | None:
        return None if value is None else value.encode()

    libc_call("mount", enc(source), enc(target), enc(fstype), ctypes.c_ulong(flags), enc(data))


def enter_user_network_namespace() -> None:
    """Unprivileged: a user namespace (mapping only this uid and gid) carrying a private network namespace."""
    uid, gid = os.getuid(), os.getgid()
    unshare(CLONE_NEWUSER | CLONE_NEWNET)
    Path("/proc/self/setgroups").write_text("deny", encoding="ascii")
    Path("/proc/self/uid_map").write_text(f"{uid} {uid} 1", encoding="ascii")
    Path("/proc/self/gid_map").write_text(f"{gid} {gid} 1", encoding="ascii")


def enter_private_mounts() -> None:
    """A private mount namespace: nothing mounted here propagates back to the host."""
    unshare(CLONE_NEWNS)
    mount(None, "/", None, _MS_REC | _MS_PRIVATE, None)


def enter_private_scratch(scratch: PrivateTmp) -> None:
    """Give this process (and what it starts) a mount namespace with fresh scratch filesystems and an IPC
    namespace of its own: its files, System V segments and message queues go with its last process."""
    unshare(CLONE_NEWNS | CLONE_NEWIPC)
    scratch.mount()


def python_paths() -> list[str]:
    """The interpreter's folders and its import path, resolved."""
    paths = [sys.prefix, sys.base_prefix, sys.exec_prefix, *sys.path]
    return sorted({os.path.realpath(p) for p in paths if p and os.path.isdir(p)})


def under(path: str, roots: Sequence[str]) -> bool:
    return any(path == root or path.startswith(root + os.sep) for root in roots)


def outermost(paths: Sequence[str]) -> list[str]:
    """The paths not inside another of ``paths``."""
    return [p for p in paths if not any(p != q and p.startswith(q + os.sep) for q in paths)]


def _stage(paths: Sequence[str], parent: str) -> list[tuple[str, str]]:
    """An empty folder under ``parent`` per path, to park a bind mount of it while its place is covered."""
    staging = tempfile.mkdtemp(prefix="lintseq-stage-", dir=parent)
    stages = []
    for number, path in enumerate(paths):
        stage = os.path.join(staging, str(number))
        os.mkdir(stage)
        stages.append((stage, path))
    return stages


def _cover_keeping(stages: Sequence[tuple[str, str]], cover) -> None:
    """Run ``cover()`` (mounts over some folders) so that the staged paths stay where they are, on top."""
    for stage, path in stages:
        mount(path, stage, None, _MS_BIND | _MS_REC, None)
    cover()
    for stage, path in stages:
        current = "/"
        for part in Path(path).parts[1:]:
            current = os.path.join(current, part)
            if not os.path.isdir(current):
                os.mkdir(current)
                os.chmod(current, 0o755)
        mount(stage, path, None, _MS_MOVE, None)


def expose(paths: Sequence[str]) -> None:
    """Let the sandbox uid read ``paths`` (Python's folders, a compiled toolchain) even under a private
    directory like ``/root``.

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
    for ancestor, needed in sorted(blocked.items()):
        _cover_keeping(_stage(outermost(needed), tempfile.gettempdir()),
                       lambda a=ancestor: mount("tmpfs", a, "tmpfs", _MS_NOSUID | _MS_NODEV, "size=1m,mode=755"))


class PrivateTmp:
    """Fresh, size-limited tmpfs over :data:`PRIVATE_TMP_DIRS`, mounted again for every program.

    Python itself (a virtualenv, site-packages, an editable checkout) may live under one of them,
    e.g. a CI clone in /tmp: such paths are parked in staging folders (made once, here) and moved back
    on top of the new tmpfs, so the interpreter keeps working and the rest stays hidden.
    """

    def __init__(self, size_bytes: int) -> None:
        self.size_bytes = size_bytes
        self.covered = [os.path.realpath(d) for d in PRIVATE_TMP_DIRS if os.path.isdir(d)]
        keep = outermost([p for p in python_paths() if under(p, self.covered)])
        self.stages: list[tuple[str, str]] = []
        if keep:
            parent = next(d for d in ("/run", "/dev", "/var/lib", "/")
                          if os.access(d, os.W_OK) and not under(d, self.covered))
            self.stages = _stage(keep, parent)

    def mount(self) -> None:
        """Cover the places with fresh tmpfs (in the current mount namespace; call it in a private one)."""
        options = f"size={self.size_bytes},nr_inodes={_TMPFS_INODES},mode=1777"

        def cover() -> None:
            for path in self.covered:
                mount("tmpfs", path, "tmpfs", _MS_NOSUID | _MS_NODEV, options)

        _cover_keeping(self.stages, cover)


def hide(paths: Sequence[str]) -> None:
    """Cover files (with ``/dev/null``) and directories (with an empty tmpfs) the programs must not read,
    such as the benchmark's own problem files with their reference solutions and tests."""
    python = python_paths()
    for path in paths:
        if any(under(p, [os.path.realpath(path)]) for p in python):
            continue  # it holds the interpreter or its packages: hiding it would break every program
        try:
            if os.path.isdir(path):
                mount("tmpfs", path, "tmpfs", _MS_NOSUID | _MS_NODEV, "size=4k,mode=755")
            elif os.path.exists(path):
                mount(os.devnull, path, None, _MS_BIND, None)
        except OSError as err:
            raise SandboxError(f"cannot hide {path} from the sandbox: {err}") from err


def acquire_uid(lock_dir: str) -> tuple[int, int]:
    """Lock a free sandbox uid; the lock lives as long as this process (fd kept open)."""
    import fcntl

    os.makedirs(lock_dir, mode=0o700, exist_ok=True)
    for slot in range(UID_SLOTS):  # lowest free slot first: as many lock files as concurrent workers
        uid = UID_BASE + slot
        fd = os.open(os.path.join(lock_dir, f"{uid}.lock"), os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            continue
        os.set_inheritable(fd, False)
        return uid, fd
    raise SandboxError(f"no free sandbox uid in {lock_dir}")


def count_user_processes() -> int:
    """Processes (and threads' leaders) of this uid: the base of a relative ``RLIMIT_NPROC``."""
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
