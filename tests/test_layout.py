"""The house: one subpackage per pipeline stage, no import cycles, every cited document present."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "lintseq_hf"
STAGES = ("core", "lint", "io", "dataset", "training", "inference", "evaluation", "sandbox", "cli")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _package_modules() -> dict[str, Path]:
    return {
        _module_name(p): p
        for p in PACKAGE.rglob("*.py")
        if "tasks" not in p.relative_to(PACKAGE).parts and "__pycache__" not in p.parts
    }


def _imports(path: Path, modules: dict[str, Path]) -> set[str]:
    """Package modules ``path`` imports anywhere (module level and inside functions)."""
    name = _module_name(path)
    is_package = path.name == "__init__.py"
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = name.split(".") if is_package else name.split(".")[:-1]
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names]
        else:
            continue
        found.update(t for t in targets if t in modules and t != name)
    return found


def test_stages_are_subpackages_and_the_package_has_no_symlink():
    for stage in STAGES:
        assert (PACKAGE / stage / "__init__.py").is_file(), stage
    links = [p for p in PACKAGE.rglob("*") if p.is_symlink()]
    assert links == []


def test_no_import_cycle_among_package_modules():
    modules = _package_modules()
    graph = {name: _imports(path, modules) for name, path in modules.items()}
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycle = stack[stack.index(nxt):] + [nxt]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module)


def test_the_core_imports_no_framework():
    code = (
        "import sys, lintseq_hf.core.sampler, lintseq_hf.core.edits, lintseq_hf.core.programs; "
        "print(sorted(m for m in ('datasets', 'torch', 'transformers', 'trl', 'lm_eval', 'ray') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_every_cited_markdown_document_exists():
    cited = re.compile(r"(?<![\w/.-])((?:docs/)?[\w.-]+\.md)\b")
    files = [*PACKAGE.rglob("*.py"), *PACKAGE.rglob("*.yaml"), *(ROOT / "tests").glob("*.py"),
             *(ROOT / "benchmarks").glob("*.py"), *(ROOT / "docs").glob("*.md"), ROOT / "README.md",
             *(ROOT / "recipes").rglob("*.yaml"), *(ROOT / "tasks").glob("*")]
    missing = []
    for path in files:
        for match in cited.finditer(path.read_text(encoding="utf-8")):
            name = match.group(1)
            candidates = [ROOT / name, ROOT / "docs" / name, PACKAGE / name]
            candidates += [p for p in PACKAGE.rglob(Path(name).name)]
            if not any(c.is_file() for c in candidates):
                missing.append(f"{path.relative_to(ROOT)} cites {name}")
    assert missing == []


def test_readme_is_a_front_page():
    assert (ROOT / "README.md").stat().st_size <= 12_288
    assert len(list((ROOT / "docs").glob("*.md"))) >= 5


def test_the_task_folder_is_a_real_top_level_folder_and_the_aliases_are_gone():
    """``tasks/`` is the one copy of the lm-eval tasks (shipped as ``lintseq_hf.tasks``, like ``recipes/``)."""
    tasks = ROOT / "tasks"
    assert tasks.is_dir() and not tasks.is_symlink() and (tasks / "humaneval_lintseq.yaml").is_file()
    assert not (PACKAGE / "evaluation" / "tasks").exists()
    for alias in ("builder", "hub", "ray_data"):  # never released: no deprecated aliases kept
        assert not (PACKAGE / f"{alias}.py").exists()


def test_stage_packages_documented_in_the_readme_expose_their_names():
    import lintseq_hf.evaluation as evaluation
    import lintseq_hf.sandbox as sandbox
    import lintseq_hf.training as training

    assert callable(evaluation.score) and callable(sandbox.run_program)
    assert training.LintSeqSFTConfig.__module__ == "lintseq_hf.training.trainer"
