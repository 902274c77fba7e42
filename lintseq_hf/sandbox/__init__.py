"""A foundation (imports no other stage): run untrusted programs in isolated, limited processes.

``host`` is the pool the caller uses (``compiled``: its compiled-language kind); ``base`` the types and
statuses every part shares. The worker process (``worker``, stdlib only) is split by job: ``framing`` (the
one message format), ``tester`` (the trusted test process) with ``verifier`` and ``channel``,
``program_zygote`` (the confined programs), ``compiled_zygote`` (compile, then run, one confined program per
job), ``linux`` (namespaces, mounts, uids) and ``reaping`` (ending process trees).
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
