"""The wheel a user installs carries every file of the package (task folder, templates, data)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_the_wheel_holds_every_file_of_the_package(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", str(tmp_path), str(ROOT)],
        check=True, capture_output=True,
    )
    (wheel,) = tmp_path.glob("lintseq_hf-*.whl")
    shipped = set(zipfile.ZipFile(wheel).namelist())
    tracked = subprocess.run(["git", "ls-files", "lintseq_hf"], cwd=ROOT, capture_output=True, text=True, check=True)
    expected = {name for name in tracked.stdout.split() if "__pycache__" not in name}
    assert expected, "no tracked package files"
    assert sorted(expected - shipped) == []
