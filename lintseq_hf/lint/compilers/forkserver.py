"""A compiler kept at the point where it opens the program state, forking once per state.

GCC and rustc have no server mode, and most of a call's time is spent before the state is read:
starting the process, loading its libraries, and (GCC) reading the headers the state includes.
A small preloaded library (``native/forkserver.c``, built at first use with the system's C
compiler into ``$LINTSEQ_NATIVE_CACHE`` or ``~/.cache/lintseq_hf/native``) stops the compiler in
its ``open()`` of the state file and from then on forks one child per request: the child opens
the file as it is now, compiles it with the compiler's own arguments, writes its diagnostics, and
exits. The compiler binary, its arguments and the text it reads are the reference call's, so the
verdict is too (docs/languages.md; ``benchmarks/languages.py`` compares them state by state).
"""

from __future__ import annotations

import functools
import os
import selectors
import shutil
import struct
import subprocess
import time
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

from lintseq_hf.lint.compilers.tools import (
    CALL_TIMEOUT,
    TOOL_SESSION,
    PerProcessTool,
    ToolError,
    built_once,
    cache_root,
    capped_command,
    run_once,
    socket_channel,
    tool_environment,
)

NATIVE_CACHE_VARIABLE = "LINTSEQ_NATIVE_CACHE"


class ForkServerUnavailable(ToolError):
    """The fork server cannot run here (no C compiler, or the compiler never opened the state)."""


def preload_library() -> Path:
    """Path of the built fork-server library (built once per source and C compiler)."""
    source = resources.files("lintseq_hf.lint.compilers").joinpath("native", "forkserver.c").read_text(encoding="utf-8")
    compiler = shutil.which("cc") or shutil.which("gcc")
    if compiler is None:
        raise ForkServerUnavailable("no C compiler (cc or gcc) to build the fork server with")
    version = subprocess.run([compiler, "--version"], capture_output=True, text=True, check=False, env=tool_environment())

    def build(folder: Path) -> str | None:
        (folder / "forkserver.c").write_text(source, encoding="utf-8")
        done = subprocess.run(
            [compiler, "-O2", "-shared", "-fPIC", "-o", str(folder / "forkserver.so"), str(folder / "forkserver.c"), "-ldl"],
            capture_output=True, text=True, check=False, env=tool_environment(),
        )
        return None if done.returncode == 0 else f"could not build the fork server: {done.stderr[-1000:]}"

    try:
        return built_once(cache_root(NATIVE_CACHE_VARIABLE, "native"), source + version.stdout, "forkserver.so", build) / "forkserver.so"
    except ToolError as err:
        raise ForkServerUnavailable(str(err)) from err


@functools.lru_cache(maxsize=1)
def pipe_guard() -> dict[str, str]:
    """Environment under which a compiler's opens of FIFOs and sockets fail (ENXIO) instead of
    blocking: the fork-server library preloaded with ``LINTSEQ_REFUSE_PIPES`` (native/forkserver.c).
    Empty where the library cannot be built (no C compiler): a state naming one of the compiler's
    own pipes then costs the call's timeout."""
    try:
        library = str(preload_library())
    except ForkServerUnavailable:
        return {}
    inherited = os.environ.get("LD_PRELOAD")
    return {"LD_PRELOAD": f"{library}:{inherited}" if inherited else library, "LINTSEQ_REFUSE_PIPES": "1"}


def run_state(args: Sequence[str], text: str, *, cwd: str, hardened: bool) -> subprocess.CompletedProcess[str]:
    """:func:`~lintseq_hf.lint.compilers.tools.run_once` of a state; ``hardened``: under the memory cap
    and the :func:`pipe_guard` (every path but the ``*-reference`` linters)."""
    return run_once(args, text, cwd=cwd, capped=hardened, environment=pipe_guard() if hardened else None)


class ForkServer(PerProcessTool):
    """One compiler process stopped at its ``open()`` of ``folder/state_name``.

    :meth:`compile` writes a state there and returns what a child compiling it printed on
    stderr and its wait status. The process starts on first use, again in a forked Python
    child (never shared across processes), and again after a failed or interrupted call.
    """

    def __init__(self, args: Sequence[str], *, folder: str, state_name: str, timeout: float = CALL_TIMEOUT) -> None:
        super().__init__()
        self.args = list(args)
        self.folder = folder
        self.state_name = state_name
        self.timeout = timeout
        self.state_path = os.path.join(folder, state_name)
        self.output_path = os.path.join(folder, "lintseq-diagnostics.txt")
        self.startup_path = os.path.join(folder, "lintseq-startup.txt")
        self._pipes: tuple[int, int] = (-1, -1)

    def _start(self) -> subprocess.Popen[bytes]:
        running = self._running()
        if running is not None:
            return running
        request_read, request_write = socket_channel()  # not pipes: a state may open /proc/self/fd/N
        reply_read, reply_write = socket_channel()
        env = {
            **tool_environment(),
            "LD_PRELOAD": str(preload_library()),
            "LINTSEQ_FORKSERVER_FILE": self.state_name,
            "LINTSEQ_FORKSERVER_FDS": f"{request_read},{reply_write}",
            "LINTSEQ_FORKSERVER_OUTPUT": self.output_path,
            "LINTSEQ_FORKSERVER_TIMEOUT": str(max(1, int(self.timeout))),
            "LINTSEQ_REFUSE_PIPES": "1",
        }
        command, preexec = capped_command(self.args)  # its children, one per state, inherit the cap
        with open(self.startup_path, "wb") as startup:
            process = subprocess.Popen(
                command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=startup, cwd=self.folder,
                env=env, pass_fds=(request_read, reply_write), preexec_fn=preexec, **TOOL_SESSION,
            )
        os.close(request_read)
        os.close(reply_write)
        self._pipes = (request_write, reply_read)
        return self._started(process)

    def startup_output(self) -> str:
        """What the compiler printed before it reached the state (an error there: see callers)."""
        try:
            return Path(self.startup_path).read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""

    def compile(self, text: str) -> tuple[int, str]:
        """``(wait status, stderr)`` of the compiler on ``text``.

        Raises :class:`ForkServerUnavailable` when the compiler ended without reaching the state
        (its own output is then in :meth:`startup_output`), :class:`ToolError` on a timeout.
        """
        with open(self.state_path, "w", encoding="utf-8", errors="surrogatepass", newline="") as handle:
            handle.write(text)
        self._start()
        request, reply = self._pipes
        try:
            os.write(request, b"x")
            status = self._read_status(reply)
        except BrokenPipeError as err:
            self.close()
            raise ForkServerUnavailable(f"{Path(self.args[0]).name} ended before reading the state") from err
        except BaseException:
            self.close()  # an interrupted call leaves a reply behind: never reuse this process
            raise
        with open(self.output_path, encoding="utf-8", errors="replace") as handle:
            return status, handle.read()

    def _read_status(self, reply: int) -> int:
        data = b""
        deadline = time.monotonic() + self.timeout + 5
        with selectors.DefaultSelector() as selector:
            selector.register(reply, selectors.EVENT_READ)
            while len(data) < 4:
                left = deadline - time.monotonic()
                if left <= 0 or not selector.select(left):
                    raise ToolError(f"{Path(self.args[0]).name} gave no answer within {self.timeout:g}s")
                chunk = os.read(reply, 4 - len(data))
                if not chunk:
                    self.close()
                    raise ForkServerUnavailable(f"{Path(self.args[0]).name} ended before reading the state")
                data += chunk
        return struct.unpack("i", data)[0]

    def close(self) -> None:
        """Stop the compiler process (if this process started it)."""
        process, self._process = self._process, None
        if self._owner != os.getpid():
            return
        for fd in self._pipes:
            if fd >= 0:
                os.close(fd)
        self._pipes = (-1, -1)
        if process is not None:
            if process.poll() is None:
                process.kill()
            process.wait()


def child_failed(status: int) -> str | None:
    """Why a child's wait status means the compiler itself failed (a signal: crash or timeout), else None."""
    if os.WIFSIGNALED(status):
        signal = os.WTERMSIG(status)
        return "timed out" if signal == 14 else f"was killed by signal {signal}"
    return None
