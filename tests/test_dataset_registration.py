"""Guards for the private ``datasets`` hooks behind ``load_dataset("lintseq", ...)``.

If a ``datasets`` release changes how packaged builders are resolved, these fail first.
"""

from __future__ import annotations

import inspect
import os
import subprocess
import sys
import textwrap

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")

import datasets  # noqa: E402
from datasets import load, packaged_modules  # noqa: E402

import lintseq_hf  # noqa: E402,F401
from lintseq_hf.dataset.builder import LintSeqBuilder  # noqa: E402
from lintseq_hf.dataset.registration import BUILDER_MODULE, BUILDER_NAME, code_hash, is_registered  # noqa: E402


pytestmark = pytest.mark.usefixtures("hub_offline")


def run_python(code: str) -> str:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1"}
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_datasets_major_version_is_the_pinned_one() -> None:
    assert datasets.__version__.split(".")[0] == "5"


def test_the_packaged_modules_table_holds_our_module_and_code_hash() -> None:
    assert packaged_modules._PACKAGED_DATASETS_MODULES[BUILDER_NAME] == (BUILDER_MODULE, code_hash())
    assert is_registered()


def test_datasets_resolves_the_name_to_our_builder_class() -> None:
    module = load.dataset_module_factory(BUILDER_NAME, data_files={})
    assert module.module_path == BUILDER_MODULE
    assert module.hash == code_hash()
    assert load.get_dataset_builder_class(module) is LintSeqBuilder


def test_the_datasets_internals_we_rely_on_are_unchanged() -> None:
    # load_dataset_builder passes data_files/data_dir by keyword to the module-level factory ...
    source = inspect.getsource(load.load_dataset_builder)
    assert "dataset_module_factory(" in source and "data_files=data_files" in source
    # ... which tries the packaged table first, and without data_files globs the working directory
    factory = inspect.getsource(load.dataset_module_factory.__wrapped__)
    assert "if path in _PACKAGED_DATASETS_MODULES" in factory
    assert "get_data_patterns(base_path" in inspect.getsource(load.PackagedDatasetModuleFactory.get_module)


def test_import_is_lazy_and_registers_when_datasets_loads() -> None:
    out = run_python(
        """
        import sys
        import lintseq_hf
        print("datasets" in sys.modules)
        from datasets import load_dataset_builder
        from lintseq_hf.dataset.registration import is_registered
        print(is_registered())
        print(type(load_dataset_builder("lintseq", "random", data_files={}, num_samples=1)).__name__)
        """
    )
    assert out.split() == ["False", "True", "LintSeqBuilder"]


def test_registers_when_datasets_was_imported_first() -> None:
    out = run_python(
        """
        import datasets
        import lintseq_hf
        from lintseq_hf.dataset.registration import is_registered
        print(is_registered())
        """
    )
    assert out.split() == ["True"]


def test_other_packaged_builders_still_glob_as_before(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "rows.jsonl").write_text('{"a": 1}\n{"a": 2}\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    ds = datasets.load_dataset("json", split="train", cache_dir=str(tmp_path / "cache"))
    assert ds["a"] == [1, 2]
