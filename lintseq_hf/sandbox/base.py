"""What every part of the sandbox shares: the verdict statuses, the limits, what a host enforces, the error.

Defined once here; the host (:mod:`lintseq_hf.sandbox.host`), the worker modules and the scorer
(:mod:`lintseq_hf.evaluation.scoring`) import these names. Stdlib only: the worker loads it by path.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass

PASSED = "passed"
FAILED = "failed"
TIMEOUT = "timeout"
CRASHED = "crashed"
ERROR = "error"
COMPILE_ERROR = "compile_error"
SANDBOX_STATUSES = (PASSED, FAILED, TIMEOUT, CRASHED, ERROR, COMPILE_ERROR)
"""Every verdict the sandbox gives (``error``: the sample could not be judged; ``compile_error``: a
compiled language's program did not compile, :mod:`.compiled`)."""
MAX_DETAIL = 1000
"""Longest ``detail`` of a verdict, in characters."""
SINGLE_THREADED = {name: "1" for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
                                           "NUMEXPR_NUM_THREADS", "VECLIB_MAXIMUM_THREADS")}
"""Threads count against ``RLIMIT_NPROC``: numeric libraries are told not to start one per core."""
PATH = "/usr/local/bin:/usr/bin:/bin"
"""``PATH`` of the worker and of every program."""


def describe(err: BaseException, filename: str) -> str:
    """``Type: message (line N)`` of a failure of the program or the test, the line taken from ``filename``'s
    frames (a syntax error: its own line). Never raises: the exception may come from hostile code."""
    try:
        if isinstance(err, SyntaxError):
            return f"SyntaxError: {err.msg} (line {err.lineno})"[:MAX_DETAIL]
        message = str(err)
    except Exception:  # noqa: BLE001 - an exception's message is the program's data
        message = ""
    text = f"{type(err).__name__}: {message}" if message else type(err).__name__
    frames = [f.lineno for f in traceback.extract_tb(err.__traceback__) if f.filename == filename]
    if frames and not isinstance(err, (AssertionError, MemoryError)):
        text += f" (line {frames[-1]})"
    return text[:MAX_DETAIL]


class SandboxError(RuntimeError):
    """The sandbox itself failed (a worker could not start or died), not the program."""


@dataclass(frozen=True)
class SandboxLimits:
    """Per-program limits. ``cpu_seconds`` defaults to the wall timeout rounded down, plus 2.

    ``max_processes`` counts threads too (Linux tasks); numeric libraries are told to use one.
    ``tmpfs_bytes`` bounds each private scratch filesystem (``/tmp`` and the like) of one program.
    """

    timeout: float = 10.0
    cpu_seconds: int | None = None
    memory_bytes: int = 2 << 30
    max_processes: int = 32
    max_file_bytes: int = 64 << 20
    max_open_files: int = 256
    tmpfs_bytes: int = 256 << 20

    def cpu_limit(self, timeout: float) -> int:
        """``RLIMIT_CPU`` for a program with this wall-clock ``timeout``."""
        return self.cpu_seconds or int(timeout) + 2


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
