"""The long-lived worker process of the backends whose tool is slow to start (a JVM, Node),
and the linter base class they share (:class:`WorkerLinter`).

Request: a header line ``"<name> <byte count>"``, then that many bytes of UTF-8 text.
Reply: one line per error, ``"<line>\\t<column>\\t<code>\\t<message>"``, then ``"END"``.
"""

from __future__ import annotations

import os
import selectors
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path

from lintseq_hf.lint.base import LintError, MemoizedLinter
from lintseq_hf.lint.compilers.tools import (
    CALL_TIMEOUT,
    TOOL_SESSION,
    PerProcessTool,
    ToolError,
    socket_channel,
    tool_environment,
)

WORKER_CRASH = "worker-crash"
"""The message id a worker replies with when the tool itself failed on a state (not an error of the state)."""


class WorkerProcess(PerProcessTool):
    """A long-lived tool process speaking the worker protocol (module docstring) over its stdin/stdout.

    The process is started on first use, again in a forked child (never shared across
    processes), and again after it failed or a call was interrupted; it exits by itself when
    its stdin closes (when this process ends). Its stdin and stdout are one stream socket, not
    pipes (:func:`~lintseq_hf.lint.compilers.tools.socket_channel`).
    """

    def __init__(self, args: Sequence[str], *, cwd: str, timeout: float = CALL_TIMEOUT,
                 environment: dict[str, str] | None = None) -> None:
        super().__init__()
        self.args = list(args)
        self.cwd = cwd
        self.timeout = timeout
        self.environment = environment or {}
        """Set on top of :func:`~lintseq_hf.lint.compilers.tools.tool_environment` (the pipe guard)."""
        self._channel = -1

    def _start(self) -> subprocess.Popen[bytes]:
        running = self._running()
        if running is not None:
            return running
        ours, theirs = socket_channel()
        try:
            process = subprocess.Popen(self.args, stdin=theirs, stdout=theirs, stderr=subprocess.DEVNULL,
                                       cwd=self.cwd, env={**tool_environment(), **self.environment}, **TOOL_SESSION)
        except BaseException:
            os.close(ours)
            raise
        finally:
            os.close(theirs)
        self._channel = ours
        return self._started(process)

    def request(self, name: str, text: str) -> list[LintError]:
        """Errors the worker reports for ``text`` (sent under the file name ``name``)."""
        process = self._start()
        body = text.encode("utf-8", "surrogatepass")
        try:
            message = memoryview(f"{name} {len(body)}\n".encode() + body)
            while message:
                message = message[os.write(self._channel, message):]
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
        fd = self._channel
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
        if self._channel >= 0:
            os.close(self._channel)
            self._channel = -1


def _parse_reply(reply: bytes, tool: str) -> list[LintError]:
    errors: list[LintError] = []
    for raw in reply.decode("utf-8", "replace").splitlines():
        fields = raw.split("\t", 3)
        if len(fields) != 4 or not fields[0].isdigit() or not fields[1].isdigit():
            raise ToolError(f"{tool} worker answered an unreadable line: {raw[:200]!r}")
        errors.append(LintError(fields[2], int(fields[0]), int(fields[1]), fields[3]))
    return errors


class WorkerLinter(MemoizedLinter):
    """A backend whose verdicts come from one :class:`WorkerProcess` (started lazily, per process).

    A subclass sets :attr:`worker` in its ``__init__`` (before calling this one's) and names
    the file each state is sent under (:meth:`request_name`).
    """

    worker: WorkerProcess

    def request_name(self, text: str) -> str:
        """The name ``text`` is sent to the worker under."""
        raise NotImplementedError

    def _lint(self, text: str) -> list[LintError]:
        """The tool's counted errors for ``text``, each on its line of ``text``."""
        return self.worker.request(self.request_name(text), text)

    def close(self) -> None:
        """Stop the worker process."""
        self.worker.close()
