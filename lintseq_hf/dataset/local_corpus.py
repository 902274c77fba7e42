"""An offline Python corpus from what is installed: the standard library and site-packages, licence-recorded.

For tests, CPU studies and from-scratch pretraining without a network. Every file is listed with its
origin (``stdlib/<path>`` or ``site/<distribution>/<path>``) and the licence its distribution
declares (the standard library: PSF-2.0), in a fixed order, so the same installation gives the same
corpus. Test suites, vendored copies and compiled-only packages are left out. Nothing is copied
into the repository.
"""

from __future__ import annotations

import importlib.metadata
import sysconfig
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

SKIPPED_PARTS = frozenset({"test", "tests", "testing", "_vendor", "vendor", "idlelib", "lib2to3", "tkinter",
                           "turtledemo", "site-packages", "dist-packages", "__pycache__", "ensurepip"})
"""Directory names whose files stay out (tests, vendored copies, GUI demos, nested package dirs)."""
STDLIB_LICENCE = "PSF-2.0"


@dataclass(frozen=True)
class SourceFile:
    """One installed Python file: where it is, what to call it, under which licence."""

    origin: str
    path: Path
    licence: str


@lru_cache(maxsize=1)
def _licences() -> dict[str, tuple[str, str]]:
    """``{top-level import name: (distribution, licence)}`` from the installed metadata."""
    out: dict[str, tuple[str, str]] = {}
    for top, distributions in importlib.metadata.packages_distributions().items():
        name = distributions[0]
        try:
            meta = importlib.metadata.metadata(name)
        except importlib.metadata.PackageNotFoundError:
            continue
        licence = meta.get("License-Expression") or ""
        if not licence:
            classifiers = [c.rsplit(" :: ", 1)[-1] for c in meta.get_all("Classifier") or []
                           if c.startswith("License ::")]
            licence = "; ".join(classifiers) or (meta.get("License") or "").split("\n")[0][:80] or "unknown"
        out[top] = (name, licence)
    return out


def python_files(*, stdlib: bool = True, site_packages: bool = True,
                 packages: tuple[str, ...] | None = None) -> Iterator[SourceFile]:
    """The installed ``.py`` files, standard library first, each tree in sorted order.

    ``packages`` limits site-packages to those top-level import names (default: every one whose
    distribution is known).
    """
    paths = sysconfig.get_paths()
    if stdlib:
        root = Path(paths["stdlib"])
        for path in sorted(root.rglob("*.py")):
            relative = path.relative_to(root)
            if not SKIPPED_PARTS & set(relative.parts[:-1]):
                yield SourceFile(f"stdlib/{relative}", path, STDLIB_LICENCE)
    if site_packages:
        root = Path(paths["purelib"])
        licences = _licences()
        for top in sorted(packages if packages is not None else licences):
            if top not in licences:
                continue
            distribution, licence = licences[top]
            base = root / top
            files = sorted(base.rglob("*.py")) if base.is_dir() else [p for p in [root / f"{top}.py"] if p.is_file()]
            for path in files:
                relative = path.relative_to(root)
                if not SKIPPED_PARTS & set(relative.parts[:-1]):
                    yield SourceFile(f"site/{distribution}/{relative}", path, licence)


__all__ = ["STDLIB_LICENCE", "SourceFile", "python_files"]
