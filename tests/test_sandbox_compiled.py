"""The compiled-language sandbox on the split sandbox: the nonce protocol, the compile budget apart from the
run budget, a fresh private scratch space per program, one status list (shell programs stand in for
compiled ones: the protocol is the same for any executable)."""

from __future__ import annotations

import os
import uuid

from lintseq_hf.evaluation import scoring
from lintseq_hf.sandbox import base
from lintseq_hf.sandbox.compiled import CompiledJob, CompiledSandbox

SH = "/bin/sh"
ECHO_NONCE = "cat <&3 >&4"


def shell(script: str, *, compile_script: str | None = None, compile_timeout: float = 60.0) -> CompiledJob:
    build = ((SH, "-c", compile_script),) if compile_script else ()
    return CompiledJob({"prog.sh": script}, build, (SH, "prog.sh"), compile_timeout=compile_timeout)


def test_compile_error_is_one_sandbox_status_and_malformed_a_scoring_verdict():
    assert base.COMPILE_ERROR == "compile_error" and base.COMPILE_ERROR in base.SANDBOX_STATUSES
    assert scoring.STATUSES == (*base.SANDBOX_STATUSES, scoring.MALFORMED)
    assert scoring.MALFORMED not in base.SANDBOX_STATUSES


def test_a_pass_needs_the_nonce_written_back():
    jobs = [shell(ECHO_NONCE), shell("exit 0"), shell("echo 00000000000000000000000000000000 >&4"),
            shell(f"{ECHO_NONCE}; exit 3"), shell("echo 'All tests passed'"),
            shell("x", compile_script="echo 'no such type' >&2; exit 1")]
    with CompiledSandbox(workers=2) as box:
        results = box.run_many(jobs, timeout=30)
    assert [r.status for r in results] == ["passed", "crashed", "crashed", "failed", "crashed", "compile_error"], results
    assert "no such type" in results[-1].detail


def test_the_compile_budget_is_apart_from_the_run_budget():
    slow_build = "sleep 4"
    with CompiledSandbox() as box:
        over = box.run(shell(ECHO_NONCE, compile_script=slow_build, compile_timeout=1), timeout=30)
        within = box.run(shell(ECHO_NONCE, compile_script=slow_build, compile_timeout=60), timeout=2)
        looping = box.run(shell("while :; do :; done"), timeout=1)
    assert over.status == "timeout" and "compile-time" in over.detail, over
    assert within.status == "passed" and within.compile_seconds >= 4, within
    assert looping.status == "timeout" and looping.run_seconds >= 1, looping


def test_each_program_gets_a_fresh_private_scratch_space():
    name = f"/tmp/lintseq-left-{uuid.uuid4().hex}"
    leave = shell(f"echo x > {name}; echo y > own-file; {ECHO_NONCE}")
    check = shell(f"test ! -e {name} && test ! -e own-file && {ECHO_NONCE}")
    with CompiledSandbox() as box:
        private = box.isolation.private_tmp
        results = box.run_many([leave, check])
    try:
        assert results[0].passed, results[0]
        if private:  # root: every program mounts its own /tmp, gone with it
            assert results[1].passed and not os.path.exists(name), results[1]
    finally:
        if os.path.exists(name):
            os.unlink(name)
