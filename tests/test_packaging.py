"""The wheel a user installs carries every file of the package (modules, task folder, recipes, templates, data),
built from a clean copy of the checkout (tests/wheels.py)."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile

import pytest
from wheels import build_wheel, source_files

SHIPPED_FOLDERS = {"lintseq_hf/": "lintseq_hf/", "tasks/": "lintseq_hf/tasks/", "recipes/": "lintseq_hf/recipes/"}
"""Checkout folder → where its files land in the wheel (package-dir in pyproject.toml)."""


@pytest.mark.slow
def test_the_wheel_holds_every_file_of_the_package_and_finds_its_tasks_installed(tmp_path):
    wheel = build_wheel(tmp_path)
    shipped = set(zipfile.ZipFile(wheel).namelist())
    expected = {prefix + name[len(folder):] for name in source_files()
                for folder, prefix in SHIPPED_FOLDERS.items() if name.startswith(folder)}
    assert {"lintseq_hf/tasks/humaneval_lintseq.yaml", "lintseq_hf/tasks/utils.py",
            "lintseq_hf/recipes/smollm2-135m-cpu.yaml"} <= expected
    assert sorted(expected - shipped) == []
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
                   check=True, capture_output=True, timeout=600)
    env = {**os.environ, "PYTHONPATH": str(target)}
    env.pop("LINTSEQ_TASKS_PATH", None)
    printed = subprocess.run([sys.executable, "-m", "lintseq_hf.cli", "tasks-path"], capture_output=True, text=True,
                             cwd=tmp_path, env=env, timeout=300, check=True).stdout.strip()
    assert printed == str(target / "lintseq_hf" / "tasks")
