"""The wheel a user would build, built from a clean copy of the checkout (never in the checkout itself).

Building inside the checkout reuses a stale ``build/lib``, so a module dropped from ``packages`` could still ship,
writes into the repository, and races when tests run in parallel; a copy of the files git knows (tracked, or new and
not ignored) in a temporary folder has none of these problems.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def source_files() -> list[str]:
    """The checkout's files a build may read: tracked or new, not ignored, present."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout.split("\0")
    return sorted({name for name in listed if name and (ROOT / name).is_file() and not (ROOT / name).is_symlink()})


def build_wheel(workdir: Path) -> Path:
    """Copy the checkout's source files to ``workdir/src``, build the wheel into ``workdir/dist``, return it."""
    source = workdir / "src"
    for name in source_files():
        target = source / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)
    assert not (source / "build").exists()
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", str(workdir / "dist"),
         str(source)],
        capture_output=True, text=True, timeout=600, cwd=workdir,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    (wheel,) = (workdir / "dist").glob("lintseq_hf-*.whl")
    return wheel
