"""A pool worker that gets SIGTERM before it set its own handlers never runs the caller's handler:
Ray's driver handler raises SystemExit, which once unwound a forked worker out of the fork and into
the caller's code (a second pytest worker on the same pipes)."""

from __future__ import annotations

import os
import signal

from lintseq_hf.dataset import transform
from lintseq_hf.dataset.transform import GenerateConfig, GenerationReport, generate

ROWS = [{"instruction": f"f{i}", "response": f"def f{i}(x):\n    y = x + {i}\n    return y\n"} for i in range(3)]


def test_a_worker_signalled_before_its_setup_ends_without_the_callers_handler(tmp_path, monkeypatch):
    read, write = os.pipe()
    flag = tmp_path / "signalled-once"
    real_init = transform._init_worker

    def init_signalled_first(config):
        if not flag.exists():  # the first worker is signalled before its setup, as a pool's terminate may do
            flag.touch()
            os.kill(os.getpid(), signal.SIGTERM)
        real_init(config)

    def callers_handler(signum, frame):
        os.write(write, b"%d\n" % os.getpid())

    previous = signal.signal(signal.SIGTERM, callers_handler)
    monkeypatch.setattr(transform, "_init_worker", init_signalled_first)
    try:
        config = GenerateConfig(num_samples=1, timeout=None)
        rows = [r.samples for r in generate(ROWS, config, num_proc=2, report=GenerationReport(), progress=False)]
    finally:
        signal.signal(signal.SIGTERM, previous)
        os.close(write)
    with os.fdopen(read, "rb") as handle:
        assert handle.read() == b""  # no process ran the caller's handler
    assert flag.exists()
    serial = [r.samples for r in generate(ROWS, GenerateConfig(num_samples=1, timeout=None), num_proc=1,
                                          report=GenerationReport(), progress=False)]
    assert rows == serial
