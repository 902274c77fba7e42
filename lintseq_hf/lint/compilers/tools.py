"""Running a language's own compiler on program states, once per call: finding the tool, its
environment, an empty folder to run it in, and the errors it raises (the long-lived worker
process of the JVM and Node backends is :mod:`lintseq_hf.lint.compilers.worker`).

Backends return counted errors as :class:`~lintseq_hf.lint.base.LintError` (``msg_id`` is the
tool's code for the message, ``line`` 1-based in the state, 0 when the tool names none).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import os
import re
import resource
import select
import shutil
import signal
import socket
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO

from lintseq_hf.lint.base import empty_directory  # noqa: F401  (the compilers' folders: one definition)

CALL_TIMEOUT = 60.0
"""Seconds one lint call may take before the tool is stopped and :class:`ToolError` raised."""

TOOL_MEMORY_VARIABLE = "LINTSEQ_TOOL_MEMORY"
"""Address space a native compiler process may use (``4G``, ``512M``, bytes; ``0``/``none``: no cap)."""

DEFAULT_TOOL_MEMORY = 4 << 30
"""GCC and rustc read what a program includes whole: ``#include </dev/zero>`` or
``include_bytes!("/dev/zero")`` in one corpus row grows the compiler by gigabytes a second until
the machine runs out. Under the cap the tool fails at once ("out of memory", a fatal error of
that state). Checking one program needs far less (g++ with ``<bits/stdc++.h>`` and rustc both
check in 1 GiB). The ``*-reference`` linters run uncapped, exactly as measured (docs/languages.md)."""

_SIZE = re.compile(r"(\d+)\s*([kmgt]?)i?b?", re.IGNORECASE)


def tool_memory_limit() -> int | None:
    """Bytes of address space for native compiler processes (:data:`TOOL_MEMORY_VARIABLE`), ``None``
    for no cap; never above this process's own hard limit (which its children inherit anyway)."""
    configured = os.environ.get(TOOL_MEMORY_VARIABLE, "").strip()
    if not configured:
        limit = DEFAULT_TOOL_MEMORY
    elif configured.lower() in ("0", "none", "off", "unlimited"):
        return None
    else:
        found = _SIZE.fullmatch(configured)
        if found is None:
            raise ValueError(f"{TOOL_MEMORY_VARIABLE}={configured!r}: expected a size such as 4G, 512M or a byte count")
        limit = int(found.group(1)) << (10 * "kmgt".find(found.group(2).lower()) + 10 if found.group(2) else 0)
    hard = resource.getrlimit(resource.RLIMIT_AS)[1]
    return limit if hard == resource.RLIM_INFINITY else min(limit, hard)


def capped_command(args: Sequence[str]) -> tuple[list[str], Callable[[], None] | None]:
    """``args`` to run under the memory cap, and the ``preexec_fn`` that needs (or None): util-linux's
    ``prlimit`` in front where installed (an exec, well under a millisecond), else :func:`limit_memory`
    in the child (which makes Python fork rather than vfork: 5 ms more per call from a 100 MB
    process, 30 ms from 1 GB)."""
    limit = tool_memory_limit()
    if limit is None:
        return list(args), None
    prlimit = prlimit_program()
    if prlimit is None:
        return list(args), limit_memory
    return [prlimit, f"--as={limit}:", "--", *args], None


@functools.lru_cache(maxsize=1)
def prlimit_program() -> str | None:
    """util-linux's ``prlimit``, looked up once (not on every state's call)."""
    return shutil.which("prlimit")


def limit_memory() -> None:
    """Cap this process's address space at :func:`tool_memory_limit` (run in a tool's child
    process before it starts the tool: ``preexec_fn``; its own children inherit the cap)."""
    limit = tool_memory_limit()
    if limit is not None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, resource.getrlimit(resource.RLIMIT_AS)[1]))


class ToolError(RuntimeError):
    """A compiler or worker failed: missing, crashed, timed out, or answered nonsense."""


class ToolMissingError(ToolError):
    """A program the linter needs is not installed; the message says how to install it."""


def require_program(name: str, hint: str) -> str:
    """The full path of executable ``name``, or :class:`ToolMissingError` with ``hint``."""
    path = shutil.which(name)
    if path is None:
        raise ToolMissingError(f"{name} is not on PATH; {hint}")
    return path


TOOL_ENVIRONMENT = {"LC_ALL": "C", "LANGUAGE": ""}
"""Set for every tool: messages in English with ASCII quotes, whatever the user's locale."""


def tool_environment() -> dict[str, str]:
    """The environment tools run in: the user's, with :data:`TOOL_ENVIRONMENT` on top."""
    return {**os.environ, **TOOL_ENVIRONMENT}


TOOL_SESSION = {"start_new_session": True}
"""``Popen`` options of every tool process: no controlling terminal for a state to open as ``/dev/tty``
(Python still starts it with vfork: measured no slower)."""


def socket_channel() -> tuple[int, int]:
    """Two connected stream-socket descriptors, for a tool's protocol where a pipe would do.

    A tool may be made to open any path a state names (``#include "/proc/self/fd/8"``,
    ``include_bytes!("/dev/fd/1")``): a pipe it holds opens and blocks until the timeout, its own
    request or reply channel; a socket does not open at all (ENXIO), an error at once.
    """
    first, second = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    return first.detach(), second.detach()


class PerProcessTool:
    """A long-lived tool process that belongs to the OS process that started it.

    It is started on first use, again in a forked child (never shared across processes: the
    child's copy is not its own) and again after it died or was closed on a failed call.
    Subclasses start it in ``_start`` (:meth:`_running` first, :meth:`_started` last) and stop
    it in ``close``, which does nothing in a process that did not start it.
    """

    def __init__(self) -> None:
        self._process: subprocess.Popen[bytes] | None = None
        self._owner = 0
        self.starts = 0

    def _running(self) -> subprocess.Popen[bytes] | None:
        """This process's live tool process; else ``None``, after closing a dead one this process started."""
        if self._process is not None and self._owner == os.getpid() and self._process.poll() is None:
            return self._process
        if self._owner == os.getpid():
            self.close()
        return None

    def _started(self, process: subprocess.Popen[bytes]) -> subprocess.Popen[bytes]:
        """Record ``process`` as this process's tool process (counted in :attr:`starts`)."""
        self._process = process
        self._owner = os.getpid()
        self.starts += 1
        return process

    def close(self) -> None:
        """Stop the tool process (if this process started it)."""
        raise NotImplementedError


def run_once(
    args: Sequence[str], text: str, *, cwd: str, timeout: float = CALL_TIMEOUT, capped: bool = False,
    environment: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run ``args`` with ``text`` on stdin; stdout and stderr captured as UTF-8 text; ``capped``:
    under the memory cap (:func:`capped_command`); ``environment``: set on top of
    :func:`tool_environment` (the hardened paths pass :func:`~lintseq_hf.lint.compilers.forkserver.pipe_guard`).

    The three streams are unlinked temporary files, not pipes: a state that makes the tool open
    its own ``/proc/self/fd/1`` reads what it wrote so far, where a pipe it holds the write end
    of would block it until the timeout (:func:`socket_channel`). The tool runs in a session of
    its own, without the caller's terminal: ``#include "/dev/tty"`` fails, it does not wait for
    the user to type (every tool process is started so: :data:`TOOL_SESSION`).
    """
    command, preexec = capped_command(args) if capped else (list(args), None)
    with tempfile.TemporaryFile() as stdin, tempfile.TemporaryFile() as stdout, tempfile.TemporaryFile() as stderr:
        stdin.write(text.encode("utf-8", "replace"))
        stdin.seek(0)
        with subprocess.Popen(command, stdin=stdin, stdout=stdout, stderr=stderr, cwd=cwd,
                              env={**tool_environment(), **(environment or {})}, preexec_fn=preexec,
                              **TOOL_SESSION) as process:
            try:
                code = _wait(process, timeout)
            finally:
                if process.returncode is None:  # timed out, or interrupted: the tool must not outlive the call
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(process.pid, signal.SIGKILL)  # its group (its own session): cc1 with gcc
                    process.wait()
        if code is None:
            raise ToolError(f"{args[0]} took longer than {timeout:g}s on a state")
        return subprocess.CompletedProcess(command, code, _text(stdout), _text(stderr))


def _wait(process: subprocess.Popen[bytes], timeout: float) -> int | None:
    """``process``'s exit code, or None after ``timeout`` seconds. Waits on a pidfd where there is
    one: ``Popen.wait(timeout)`` polls with growing sleeps, measured 3-5 ms late on a 5 ms gcc call."""
    try:
        pidfd = os.pidfd_open(process.pid)
    except (AttributeError, OSError):  # not Linux >= 5.3
        try:
            return process.wait(timeout)
        except subprocess.TimeoutExpired:
            return None
    try:
        if not select.select([pidfd], [], [], timeout)[0]:
            return None
    finally:
        os.close(pidfd)
    return process.wait()


def _text(stream: IO[bytes]) -> str:
    """What a tool wrote to ``stream``, read as ``subprocess.run(text=True)`` reads it (universal newlines)."""
    stream.seek(0)
    return io.TextIOWrapper(stream, encoding="utf-8", errors="replace").read()




def cache_root(variable: str, kind: str) -> Path:
    """Folder of built helpers of one kind: ``$variable``, else ``~/.cache/lintseq_hf/<kind>``."""
    configured = os.environ.get(variable)
    if configured:
        return Path(configured)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "lintseq_hf" / kind


def built_folder(root: Path, key: str) -> Path:
    """The folder :func:`built_once` keeps what it built for ``key`` in (it may not exist yet)."""
    return root / hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def built_once(root: Path, key: str, product: str, build: Callable[[Path], str | None]) -> Path:
    """Folder ``root/<hash of key>`` holding ``product``, built by ``build(folder)`` the first time.

    ``build`` returns an error message when it fails (raised as :class:`ToolError`). The folder
    is built aside and renamed into place, so concurrent processes never see half of it.
    """
    target = built_folder(root, key)
    if (target / product).is_file():
        return target
    root.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(dir=root, prefix="build-"))
    try:
        failure = build(folder)
        if failure is not None:
            raise ToolError(failure)
        os.rename(folder, target)  # atomic; a concurrent process that won the race leaves target in place
    except OSError:
        if not (target / product).is_file():
            raise
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return target
