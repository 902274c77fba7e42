"""The compiler linters' private folders do not outlive them, and a reference linter's precompiled
headers stay bounded: a long run (or a test suite) once left gigabytes of ``.gch`` files in /tmp
and filled the disk."""

from __future__ import annotations

import gc
import glob
import os
import shutil

import pytest

from lintseq_hf.lint.base import empty_directory
from lintseq_hf.lint.compilers import gcc

needs_gxx = pytest.mark.skipif(shutil.which("g++") is None, reason="g++ is not installed")


class _Owner:
    """Anything weak-referenceable owns a folder."""


def test_folder_goes_with_its_owner():
    owner = _Owner()
    folder = empty_directory("lintseq-test-", owner)
    assert os.path.isdir(folder)
    del owner
    gc.collect()
    assert not os.path.exists(folder)


def test_a_forked_child_leaves_its_parents_folder():
    owner = _Owner()
    folder = empty_directory("lintseq-test-", owner)
    pid = os.fork()
    if pid == 0:  # the child drops its copy of the owner, as a worker process that replaces a linter does
        code = 1
        try:
            del owner
            gc.collect()
            code = 0
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert os.path.isdir(folder)  # still the parent's
    del owner
    gc.collect()
    assert not os.path.exists(folder)


@needs_gxx
def test_compiler_linters_remove_their_folders():
    linter = gcc.GccLinter()  # the C fork servers: a folder of its own and one of the servers
    assert linter.lint("#include <stddef.h>\nint f(void) { return 0; }\n") == []
    folders = [linter.cwd, linter._folder]
    assert os.listdir(linter._folder)
    assert all(os.path.isdir(folder) for folder in folders)
    linter.close()
    del linter
    gc.collect()
    assert not any(os.path.exists(folder) for folder in folders)


@needs_gxx
def test_reference_keeps_few_precompiled_headers(monkeypatch):
    monkeypatch.setattr(gcc, "MAX_PRIVATE_HEADERS", 2)
    linter = gcc.GxxReferenceLinter()
    headers = ["cstddef", "cstdint", "climits", "cstdlib", "cstring"]
    for round_ in range(2):  # a block is precompiled the second time it is seen
        for name in headers:
            state = f"#include <{name}>\nint f{round_}() {{ return 0; }}\n"
            assert linter.lint(state) == []
    assert 1 <= len(glob.glob(os.path.join(linter.cwd, "*.gch"))) <= 2
    # an evicted block seen again is precompiled again, and verdicts are unchanged
    assert linter.lint("#include <cstddef>\nint g() { return x; }\n") == gcc.GxxReferenceLinter().lint(
        "#include <cstddef>\nint g() { return x; }\n"
    )
