"""Running a language's own compiler on program states: one process per call, or one
long-lived worker process per linter where starting the tool is slow (a JVM, Node).

Both return counted errors as :class:`~lintseq_hf.lint.base.LintError` (``msg_id`` is the
tool's code for the message, ``line`` 1-based in the state, 0 when the tool names none).
"""

from __future__ import annotations

import os
import selectors
import shutil
import subprocess
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from lintseq_hf.lint.base import LintError

WORKER_CRASH = "worker-crash"
"""The message id a worker replies with when the tool itself failed on a state (not an error of the state)."""

CALL_TIMEOUT = 60.0
"""Seconds one lint call may take before the tool is stopped and :class:`ToolError` raised."""


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


def run_once(args: Sequence[str], text: str, *, cwd: str, timeout: float = CALL_TIMEOUT) -> subprocess.CompletedProcess[str]:
    """Run ``args`` with ``text`` on stdin; stdout and stderr captured as UTF-8 text."""
    try:
        return subprocess.run(
            list(args),
            input=text,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            cwd=cwd,
            env=tool_environment(),
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as err:
        raise ToolError(f"{args[0]} took longer than {timeout:g}s on a state") from err


def empty_directory(prefix: str) -> str:
    """A fresh private directory to run tools in, so that no file of the cwd is seen."""
    return tempfile.mkdtemp(prefix=prefix)


class WorkerProcess:
    """A long-lived tool process speaking the worker protocol over its stdin/stdout.

    Request: a header line ``"<name> <byte count>"``, then that many bytes of UTF-8 text.
    Reply: one line per error, ``"<line>\\t<column>\\t<code>\\t<message>"``, then ``"END"``.
    The process is started on first use, again in a forked child (never shared across
    processes), and again after it failed or a call was interrupted; it exits by itself when
    its stdin closes (when this process ends).
    """

    def __init__(self, args: Sequence[str], *, cwd: str, timeout: float = CALL_TIMEOUT) -> None:
        self.args = list(args)
        self.cwd = cwd
        self.timeout = timeout
        self._process: subprocess.Popen[bytes] | None = None
        self._owner = 0
        self.starts = 0

    def _start(self) -> subprocess.Popen[bytes]:
        if self._process is not None and self._owner == os.getpid() and self._process.poll() is None:
            return self._process
        if self._owner == os.getpid():
            self.close()
        self._process = subprocess.Popen(
            self.args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=self.cwd,
            env=tool_environment(),
        )
        self._owner = os.getpid()
        self.starts += 1
        return self._process

    def request(self, name: str, text: str) -> list[LintError]:
        """Errors the worker reports for ``text`` (sent under the file name ``name``)."""
        process = self._start()
        body = text.encode("utf-8", "surrogatepass")
        try:
            assert process.stdin is not None and process.stdout is not None
            process.stdin.write(f"{name} {len(body)}\n".encode() + body)
            process.stdin.flush()
            reply = self._read_reply(process)
        except BaseException:
            # an interrupted call leaves a half-read reply behind: never reuse that process
            self.close()
            raise
        errors = _parse_reply(reply, self.args[0])
        crash = next((e for e in errors if e.msg_id == WORKER_CRASH), None)
        if crash is not None:
            raise ToolError(f"{Path(self.args[0]).name} worker failed on a state: {crash.message}")
        return errors

    def _read_reply(self, process: subprocess.Popen[bytes]) -> bytes:
        assert process.stdout is not None
        fd = process.stdout.fileno()
        data = bytearray()
        deadline = time.monotonic() + self.timeout
        with selectors.DefaultSelector() as selector:
            selector.register(fd, selectors.EVENT_READ)
            while not (data == b"END\n" or data.endswith(b"\nEND\n")):
                left = deadline - time.monotonic()
                if left <= 0 or not selector.select(left):
                    raise ToolError(f"{self.args[0]} worker gave no answer within {self.timeout:g}s")
                chunk = os.read(fd, 1 << 16)
                if not chunk:
                    raise ToolError(f"{self.args[0]} worker exited (code {process.wait()})")
                data += chunk
        return bytes(data[: -len(b"END\n")])

    def close(self) -> None:
        """Stop the worker process (if this process started it)."""
        process, self._process = self._process, None
        if process is None or self._owner != os.getpid():
            return
        if process.poll() is None:
            process.kill()
        process.wait()
        for stream in (process.stdin, process.stdout):
            if stream is not None:
                stream.close()


def _parse_reply(reply: bytes, tool: str) -> list[LintError]:
    errors: list[LintError] = []
    for raw in reply.decode("utf-8", "replace").splitlines():
        fields = raw.split("\t", 3)
        if len(fields) != 4 or not fields[0].isdigit() or not fields[1].isdigit():
            raise ToolError(f"{tool} worker answered an unreadable line: {raw[:200]!r}")
        errors.append(LintError(fields[2], int(fields[0]), int(fields[1]), fields[3]))
    return errors
