"""The pylint verdict does not depend on the working directory or on rc files found there;
the linter leaves nothing behind in the temporary folder."""

from __future__ import annotations

import os
import subprocess
import sys

from lintseq_hf.lint.python.pylint_backend import PylintLinter
from lintseq_hf.lint.python.rules import count_message

PROGRAMS = [
    "import helpermod\n\nprint(helpermod.VALUE)",
    "def f(x):\n    return y\n",
    "class A(Base):\n    def __init__(self):\n        pass\n",
    "def f():\nreturn 1\n",
    "import os\nprint(os.nope)\n",
]


def _verdicts(linter: PylintLinter) -> list[list[tuple[str, int]]]:
    return [sorted((e.msg_id, e.line) for e in linter.lint(p)) for p in PROGRAMS]


def test_rc_files_and_modules_in_the_cwd_change_nothing(tmp_path, monkeypatch):
    reference = _verdicts(PylintLinter(cache_size=0))
    assert ("E0401", 1) in reference[0]  # helpermod is not importable
    assert ("E0602", 2) in reference[1]
    hostile = tmp_path / "project"
    hostile.mkdir()
    (hostile / "pylintrc").write_text("[MESSAGES CONTROL]\ndisable=all\n")
    (hostile / ".pylintrc").write_text("[MESSAGES CONTROL]\ndisable=all\n")
    (hostile / "pyproject.toml").write_text('[tool.pylint."messages control"]\ndisable = ["all"]\n')
    (hostile / "setup.cfg").write_text("[pylint.MESSAGES CONTROL]\ndisable=all\n")
    (hostile / "helpermod.py").write_text("VALUE = 1\n")
    monkeypatch.chdir(hostile)
    monkeypatch.setenv("PYLINTRC", str(hostile / "pylintrc"))
    assert _verdicts(PylintLinter(cache_size=0)) == reference


def test_reused_linter_gives_the_same_verdict_as_a_fresh_one():
    reused = PylintLinter(cache_size=0)
    for _ in range(3):
        first = _verdicts(reused)
    assert first == _verdicts(PylintLinter(cache_size=0))


def test_message_parsing_follows_the_authors():
    # warnings other than W0311/W0231 are ignored; "on line N" moves a syntax error to its header
    assert count_message("W", "W0611", 3, 0, "Unused import os") == []
    assert count_message("W", "W0311", 3, 0, "Bad indentation.")[0].line == 3
    error = count_message("E", "E0001", 5, 0, "Parsing failed: 'expected an indented block after 'if' statement on line 3 (x, line 5)'")[0]
    assert error.line == 3
    # a message holding "|" does not split into five fields in their output, so they never saw it
    assert count_message("E", "E1131", 2, 0, "unsupported operand type(s) for |") == []


CLEANUP_SCRIPT = """
import gc, os, sys
from lintseq_hf.lint.python.pylint_backend import PylintLinter
closed, dropped, kept = PylintLinter(), PylintLinter(), PylintLinter()
for linter in (closed, dropped, kept):
    assert linter.lint("import os\\nprint(os.sep)\\n") == []
    assert os.path.isdir(linter._workdir)
closed.close()
gone = closed._workdir
del dropped
gc.collect()
if os.fork() == 0:  # a forked worker that drops its copy must not take the parent's folder
    del kept
    gc.collect()
    os._exit(0)
os.wait()
assert os.path.isdir(kept._workdir) and not os.path.isdir(gone)
assert kept.lint("x = y\\n")[0].msg_id == "E0602"
"""


def test_linters_leave_no_temporary_folder_behind(tmp_path):
    # closed, garbage-collected, alive at exit, and one copy dropped in a forked worker
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", CLEANUP_SCRIPT], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert not list(tmp_path.glob("lintseq-lint-*"))
    assert list(tmp_path.iterdir()) == []


def test_the_collector_is_left_as_found_and_state_trees_are_freed():
    """pylint runs with the collector paused and collected young after; a caller's
    ``gc.disable()`` is respected; no linted state's tree outlives its run, whatever astroid
    caches (astroid 4.4's guards cache, the frames on its cached import error for ``nt``)."""
    import gc
    import weakref

    from astroid import MANAGER

    from lintseq_hf.lint.python.rules import MODULE_NAME

    linter = PylintLinter(cache_size=0)
    trees: list[weakref.ref] = []
    original = linter._module

    def module(*args):
        built = original(*args)
        trees.append(weakref.ref(built))
        return built

    linter._module = module  # type: ignore[method-assign]
    program = "import os\nclass A:\n    def f(self, x):\n        return os.path.join(x, self.y)\n\nprint(A().f(1))\n"
    assert gc.isenabled()
    for k in range(40):
        linter.lint(program + f"\nVALUE_{k} = {k}\n")
        assert gc.isenabled()
    assert MODULE_NAME not in MANAGER.astroid_cache
    gc.collect()
    alive = sum(ref() is not None for ref in trees[:-1])
    assert alive == 0, f"{alive} of {len(trees) - 1} earlier state trees still alive"
    gc.disable()
    try:
        linter.lint(program + "\nprint(2)\n")
        assert not gc.isenabled()
    finally:
        gc.enable()
