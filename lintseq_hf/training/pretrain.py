"""Pretraining a small code LM from scratch (TinyCodeLM-style): tokenizer, Llama config, causal-LM training.

The paper fine-tunes TinyCodeLM models it pretrained itself; no Hugging Face tool ships that step. Here:

1. a corpus streamed from the installed Python sources (``corpus: local``, licence recorded per file,
   HumanEval-like functions cut out by :mod:`lintseq_hf.dataset.decontaminate`), from JSON-lines or
   text files (``files:<glob>``, the ``text`` field) or from a Hub dataset (``hub:<id>[:<config>]``,
   streamed, ``text_column``);
2. a byte-level BPE tokenizer trained on it with ``tokenizers``, EOS special, and ``<|diff|>`` in the
   vocabulary from the start as an ordinary added token (so that it survives
   ``skip_special_tokens=True``, docs/training.md) — LintSeq fine-tunes then add nothing;
3. a Llama-architecture config of the recipe's size and a causal-LM run with ``transformers.Trainer``
   (accelerate underneath: ``accelerate launch -m lintseq_hf.cli pretrain …`` for several GPUs) on
   packed blocks of ``seq_length`` tokens, documents separated by EOS.

Recipes are YAML files in ``recipes/pretrain/`` (``tiny`` for CPU tests, ``30m-h100``, ``tinycodelm-150m``,
``tinycodelm-400m``); every key is a :class:`PretrainConfig` field.
"""

from __future__ import annotations

import ast
import dataclasses
import glob
import gzip
import json
import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any


EOS_TOKEN = "<|endoftext|>"


@dataclass(frozen=True)
class PretrainConfig:
    """One pretraining run (a recipe): corpus, tokenizer, model size, optimisation."""

    output_dir: str = "out/pretrain"
    corpus: str = "local"  # "local", "files:<glob>" or "hub:<dataset id>[:<config>]"
    text_column: str = "text"
    corpus_stdlib: bool = True
    corpus_packages: tuple[str, ...] | None = None  # site-packages import names (None: all installed)
    corpus_max_files: int | None = None
    tokenizer: str | None = None  # a saved tokenizer to reuse; None trains one on the corpus
    vocab_size: int = 8192
    tokenizer_texts: int = 20_000  # documents the tokenizer is trained on (the first ones)
    hidden_size: int = 256
    intermediate_size: int = 1024
    num_hidden_layers: int = 4
    num_attention_heads: int = 4
    num_key_value_heads: int = 4
    seq_length: int = 512
    max_steps: int = 1000
    per_device_train_batch_size: int = 8
    gradient_accumulation_steps: int = 1
    learning_rate: float = 1e-3
    warmup_steps: int = 100
    weight_decay: float = 0.1
    lr_scheduler_type: str = "cosine"
    logging_steps: int = 10
    save_steps: int | None = None  # checkpoints (resumable); None: only the final model
    bf16: bool = False
    seed: int = 0

    @classmethod
    def from_recipe(cls, name: str | Path, **overrides: Any) -> PretrainConfig:
        """A recipe by path or by name (``tiny``, ``pretrain-tiny``, ``pretrain/tiny.yaml``); unknown keys refused."""
        import yaml

        from lintseq_hf.training.recipes import resolve_recipe

        text = str(name)
        stem = text.removeprefix("pretrain/").removeprefix("pretrain-").removesuffix(".yaml")
        path = Path(text) if Path(text).is_file() else resolve_recipe(f"pretrain/{stem}")
        values = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        values.update(overrides)
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ValueError(f"{path}: unknown pretraining keys {unknown} (known: {sorted(known)})")
        if values.get("corpus_packages") is not None:
            values["corpus_packages"] = tuple(values["corpus_packages"])
        return cls(**values)

    def parameters(self, vocab_size: int | None = None) -> int:
        """The model's parameter count (tied embeddings) for ``vocab_size`` (default the recipe's)."""
        vocab = vocab_size or self.vocab_size + 1  # + <|diff|>
        head = self.hidden_size // self.num_attention_heads
        attention = self.hidden_size * head * (2 * self.num_attention_heads + 2 * self.num_key_value_heads)
        mlp = 3 * self.hidden_size * self.intermediate_size
        return vocab * self.hidden_size + self.num_hidden_layers * (attention + mlp + 2 * self.hidden_size) \
            + self.hidden_size


# -- corpus -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Document:
    """One corpus text and where it came from."""

    origin: str
    licence: str
    text: str
    removed: tuple[str, ...] = ()  # functions cut out as too close to a benchmark problem


def decontaminated_source(text: str, guard: Any) -> tuple[str, list[str]]:
    """``text`` without the functions ``guard`` (a :class:`~lintseq_hf.dataset.decontaminate.Decontaminator`)
    flags, and what was cut (``name: reason``). Text that does not parse is kept whole."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return text, []
    lines = text.split("\n")
    spans, removed = [], []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.end_lineno is not None:
            start = node.lineno - 1 - len(node.decorator_list)
            segment = "\n".join(lines[start : node.end_lineno])
            reason = guard.reason(node.name, segment, ast.get_docstring(node) or "")
            if reason is not None:
                spans.append((start, node.end_lineno))
                removed.append(f"{node.name}: {reason}")
    if not spans:
        return text, []
    drop = set()
    for start, end in spans:
        drop.update(range(start, end))
    return "\n".join(line for number, line in enumerate(lines) if number not in drop), removed


def _local_documents(config: PretrainConfig) -> Iterator[Document]:
    from lintseq_hf.dataset.decontaminate import Decontaminator, humaneval_references
    from lintseq_hf.dataset.local_corpus import python_files

    guard = Decontaminator(humaneval_references())
    files = python_files(stdlib=config.corpus_stdlib, packages=config.corpus_packages)
    for number, source in enumerate(files):
        if config.corpus_max_files is not None and number >= config.corpus_max_files:
            return
        try:
            text = source.path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        text, removed = decontaminated_source(text, guard)
        if text.strip():
            yield Document(source.origin, source.licence, text, tuple(removed))


def _file_documents(pattern: str, column: str) -> Iterator[Document]:
    paths = sorted(glob.glob(pattern, recursive=True))
    if not paths:
        raise FileNotFoundError(f"corpus files:{pattern}: no file matches")
    for path in paths:
        if path.endswith((".jsonl", ".jsonl.gz")):
            opener = gzip.open if path.endswith(".gz") else open
            with opener(path, "rt", encoding="utf-8") as handle:
                for number, line in enumerate(handle, 1):
                    if line.strip():
                        row = json.loads(line)
                        if column not in row:
                            raise ValueError(f"{path}:{number}: no {column!r} field")
                        yield Document(row.get("origin", f"{path}:{number}"), row.get("licence", "unknown"),
                                       row[column])
        else:
            yield Document(path, "unknown", Path(path).read_text(encoding="utf-8"))


def _hub_documents(spec: str, column: str) -> Iterator[Document]:
    import datasets

    name, _, config_name = spec.partition(":")
    stream = datasets.load_dataset(name, config_name or None, split="train", streaming=True)
    for number, row in enumerate(stream):
        if column not in row:
            raise ValueError(f"hub:{spec} row {number}: no {column!r} column (set text_column)")
        yield Document(f"hub:{name}#{number}", str(row.get("license", row.get("licence", "see dataset card"))),
                       row[column])


def documents(config: PretrainConfig) -> Iterator[Document]:
    """The corpus of ``config``, in a fixed order."""
    if config.corpus == "local":
        return _local_documents(config)
    kind, _, rest = config.corpus.partition(":")
    if kind == "files" and rest:
        return _file_documents(rest, config.text_column)
    if kind == "hub" and rest:
        return _hub_documents(rest, config.text_column)
    raise ValueError(f"corpus {config.corpus!r}: use 'local', 'files:<glob>' or 'hub:<dataset id>[:<config>]'")


def export_corpus(config: PretrainConfig, out: str | Path) -> dict[str, Any]:
    """Write the corpus as gzipped JSON lines (``origin``, ``licence``, ``text``): a shard to carry to a
    machine without these sources (read back with ``corpus: files:<out>``)."""
    count = chars = 0
    with gzip.open(out, "wt", encoding="utf-8") as handle:
        for doc in documents(config):
            handle.write(json.dumps({"origin": doc.origin, "licence": doc.licence, "text": doc.text}) + "\n")
            count, chars = count + 1, chars + len(doc.text)
    return {"documents": count, "chars": chars, "bytes": Path(out).stat().st_size}


# -- tokenizer and model ----------------------------------------------------------------------------

def train_tokenizer(texts: Iterator[str] | list[str], vocab_size: int) -> Any:
    """A byte-level BPE tokenizer (``PreTrainedTokenizerFast``): EOS (also padding) special, ``<|diff|>`` an
    ordinary added token, so it survives ``skip_special_tokens=True``. Byte-level: any text round-trips."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    from lintseq_hf.training.trainer import ensure_diff_token

    core = Tokenizer(models.BPE())
    core.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    core.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, special_tokens=[EOS_TOKEN], show_progress=False,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    core.train_from_iterator(texts, trainer=trainer)
    tokenizer = PreTrainedTokenizerFast(tokenizer_object=core, eos_token=EOS_TOKEN, pad_token=EOS_TOKEN,
                                        bos_token=None, unk_token=None, clean_up_tokenization_spaces=False)
    ensure_diff_token(tokenizer)
    return tokenizer


def build_model(config: PretrainConfig, tokenizer: Any) -> Any:
    """A randomly initialised ``LlamaForCausalLM`` of the recipe's size for ``tokenizer`` (tied embeddings)."""
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    model_config = LlamaConfig(
        vocab_size=len(tokenizer), hidden_size=config.hidden_size, intermediate_size=config.intermediate_size,
        num_hidden_layers=config.num_hidden_layers, num_attention_heads=config.num_attention_heads,
        num_key_value_heads=config.num_key_value_heads, max_position_embeddings=max(2048, config.seq_length),
        tie_word_embeddings=True, eos_token_id=tokenizer.eos_token_id, pad_token_id=tokenizer.pad_token_id,
        bos_token_id=None, rope_theta=10_000.0)
    torch.manual_seed(config.seed)
    model = LlamaForCausalLM(model_config)
    model.generation_config.eos_token_id = tokenizer.eos_token_id
    model.generation_config.pad_token_id = tokenizer.pad_token_id
    return model


class PackedBlocks:
    """Blocks of ``seq_length`` token ids from the documents, EOS after each, cycling through the corpus
    (the run's length is ``max_steps``). A ``torch`` ``IterableDataset`` in :func:`pretrain`."""

    def __init__(self, texts: list[str], tokenizer: Any, seq_length: int) -> None:
        self.texts, self.tokenizer, self.seq_length = texts, tokenizer, seq_length

    def __iter__(self) -> Iterator[dict[str, list[int]]]:
        buffer: list[int] = []
        eos = self.tokenizer.eos_token_id
        while True:
            for text in self.texts:
                buffer += self.tokenizer(text, add_special_tokens=False)["input_ids"] + [eos]
                while len(buffer) >= self.seq_length:
                    block, buffer = buffer[: self.seq_length], buffer[self.seq_length :]
                    yield {"input_ids": block, "labels": list(block)}


def pretrain(config: PretrainConfig) -> dict[str, Any]:
    """Train the tokenizer (unless given) and the model; save both to ``output_dir``; return the run's figures.

    The corpus manifest (origin, licence, characters, functions cut out) is written to
    ``output_dir/corpus_manifest.jsonl`` and the loss log to ``log_history.json``.
    """
    import torch
    from transformers import AutoTokenizer, Trainer, TrainingArguments, default_data_collator

    out = Path(config.output_dir)
    out.mkdir(parents=True, exist_ok=True)
    docs = list(documents(config))
    if not docs:
        raise ValueError(f"corpus {config.corpus!r} is empty")
    with (out / "corpus_manifest.jsonl").open("w", encoding="utf-8") as handle:
        for doc in docs:
            handle.write(json.dumps({"origin": doc.origin, "licence": doc.licence, "chars": len(doc.text),
                                     "removed": list(doc.removed)}) + "\n")
    texts = [doc.text for doc in docs]
    if config.tokenizer:
        tokenizer = AutoTokenizer.from_pretrained(config.tokenizer)
        from lintseq_hf.training.trainer import ensure_diff_token

        ensure_diff_token(tokenizer)
    else:
        tokenizer = train_tokenizer(texts[: config.tokenizer_texts], config.vocab_size)
    model = build_model(config, tokenizer)

    class _Stream(torch.utils.data.IterableDataset):
        def __iter__(self) -> Iterator[dict[str, list[int]]]:
            return iter(PackedBlocks(texts, tokenizer, config.seq_length))

    args = TrainingArguments(
        output_dir=str(out), max_steps=config.max_steps, per_device_train_batch_size=config.per_device_train_batch_size,
        gradient_accumulation_steps=config.gradient_accumulation_steps, learning_rate=config.learning_rate,
        warmup_steps=config.warmup_steps, weight_decay=config.weight_decay,
        lr_scheduler_type=config.lr_scheduler_type, logging_steps=config.logging_steps,
        save_strategy="steps" if config.save_steps else "no", save_steps=config.save_steps or 500,
        save_total_limit=1, bf16=config.bf16, use_cpu=not torch.cuda.is_available(), report_to=[],
        seed=config.seed, dataloader_num_workers=0, dataloader_pin_memory=torch.cuda.is_available(),
        disable_tqdm=True)
    trainer = Trainer(model=model, args=args, train_dataset=_Stream(), data_collator=default_data_collator)
    checkpoints = sorted(out.glob("checkpoint-*"), key=lambda path: int(path.name.rpartition("-")[2]))
    result = trainer.train(resume_from_checkpoint=str(checkpoints[-1]) if checkpoints else None)
    trainer.save_model(str(out))
    tokenizer.save_pretrained(str(out))
    losses = [entry["loss"] for entry in trainer.state.log_history if "loss" in entry]
    (out / "log_history.json").write_text(json.dumps(trainer.state.log_history, indent=1) + "\n", encoding="utf-8")
    licences: dict[str, int] = {}
    for doc in docs:
        licences[doc.licence] = licences.get(doc.licence, 0) + 1
    tokens = trainer.state.global_step * config.per_device_train_batch_size \
        * config.gradient_accumulation_steps * config.seq_length * max(1, args.world_size)
    return {"output_dir": str(out), "parameters": int(sum(p.numel() for p in model.parameters())),
            "vocab_size": len(tokenizer), "steps": trainer.state.global_step, "tokens": tokens,
            "documents": len(docs), "corpus_chars": sum(len(t) for t in texts), "licences": licences,
            "removed_functions": sum(len(doc.removed) for doc in docs),
            "first_loss": losses[0] if losses else None, "last_loss": losses[-1] if losses else None,
            "finite": all(math.isfinite(loss) for loss in losses),
            "train_runtime_s": round(result.metrics.get("train_runtime", 0.0), 2),
            "config": {k: list(v) if isinstance(v, tuple) else v for k, v in dataclasses.asdict(config).items()}}


__all__ = ["EOS_TOKEN", "Document", "PackedBlocks", "PretrainConfig", "build_model", "decontaminated_source",
           "documents", "export_corpus", "pretrain", "train_tokenizer"]
