"""A foundation (imports no other stage): run untrusted programs in isolated, limited processes.

``host`` (the pool the caller uses) and ``worker`` (the isolated process, stdlib only).
"""

from lintseq_hf.sandbox.host import (
    CRASHED,
    ERROR,
    FAILED,
    PASSED,
    TIMEOUT,
    ExecResult,
    Isolation,
    Sandbox,
    SandboxError,
    SandboxLimits,
    TestJob,
    run_program,
)

__all__ = ["CRASHED", "ERROR", "FAILED", "PASSED", "TIMEOUT", "ExecResult", "Isolation", "Sandbox", "SandboxError",
           "SandboxLimits", "TestJob", "run_program"]
