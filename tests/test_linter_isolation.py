"""The pylint verdict does not depend on the working directory or on rc files found there."""

from __future__ import annotations

import os

from lintseq_hf.lint.pylint_backend import PylintLinter
from lintseq_hf.lint.base import count_message

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
    assert os.sep  # keep the import used
