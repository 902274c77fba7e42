"""n samples per problem for a whole benchmark, appended to a JSON-lines file as they come (resumable).

pass@k needs n >= k samples of every problem. :func:`generate_benchmark` asks
:func:`~lintseq_hf.inference.generate.generate_programs` for ``n`` programs of a few problems at a
time and appends one row per sample (``task_id``, ``completion``, ``sample``, ``tokens``, ``retries``,
``seconds``) after each call, so an interrupted run loses one call's work at most and a rerun
continues with the first chunk of ``problems_per_call`` problems that lacks a sample (its rows are
dropped and sampled again). Chunks are fixed and each is seeded with ``seed + index of its first
problem``, so a resumed run writes what an uninterrupted one would have written.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from lintseq_hf.inference.generate import generate_programs


def _complete_rows(path: Path, n: int) -> tuple[list[dict[str, Any]], set[str]]:
    """The rows of problems that already have all ``n`` samples, and those problems."""
    if not path.is_file():
        return [], set()
    lines = path.read_text(encoding="utf-8").split("\n")
    rows = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            rows.append(json.loads(line))
        except ValueError:
            if number < len(lines):  # only the unterminated last line may be torn by an interruption
                raise ValueError(f"{path}:{number}: not JSON") from None
    counts = Counter(row["task_id"] for row in rows)
    complete = {task_id for task_id, count in counts.items() if count >= n}
    return [row for row in rows if row["task_id"] in complete], complete


def generate_benchmark(model: Any, tokenizer: Any, problems: Sequence[tuple[str, str]], path: str | Path, *,
                       n: int = 1, problems_per_call: int = 1, seed: int = 0, mode: str = "lintseq",
                       progress: Callable[[int, int], None] | None = None,
                       **generate_kwargs: Any) -> list[dict[str, Any]]:
    """Sample ``n`` completions for each ``(task_id, instruction)`` into ``path``; returns all rows.

    ``generate_kwargs`` go to :func:`generate_programs` (``batch_size``, ``guided``, ``max_retries``,
    ``do_sample``, ``temperature``, ``top_p``, ``max_new_tokens``, …). Problems already complete in
    ``path`` are skipped. ``progress(done, total)`` is called after each call.
    """
    import torch

    if n < 1 or problems_per_call < 1:
        raise ValueError(f"n and problems_per_call must be >= 1 (got {n}, {problems_per_call})")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    kept, complete = _complete_rows(path, n)
    # fixed chunks, seeded by their first problem: a resumed run samples exactly what an uninterrupted one would
    chunks = [list(problems[start : start + problems_per_call]) for start in range(0, len(problems), problems_per_call)]
    firsts = {task_id: start for start in range(0, len(problems), problems_per_call)
              for task_id in [problems[start][0]]}
    todo = [chunk for chunk in chunks if any(task_id not in complete for task_id, _ in chunk)]
    redo = {task_id for chunk in todo for task_id, _ in chunk}
    tmp = path.with_suffix(path.suffix + ".tmp")
    with tmp.open("w", encoding="utf-8") as handle:  # the file without the chunks to sample (again)
        handle.writelines(json.dumps(row) + "\n" for row in kept if row["task_id"] not in redo)
    tmp.replace(path)
    done = len(problems) - len(redo)
    with path.open("a", encoding="utf-8") as handle:
        for chunk in todo:
            torch.manual_seed(seed + firsts[chunk[0][0]])
            began = time.perf_counter()
            generated = generate_programs(model, tokenizer, [text for _, text in chunk], num_return_sequences=n,
                                          mode=mode, **generate_kwargs)
            seconds = round((time.perf_counter() - began) / (n * len(chunk)), 3)
            for (task_id, _), samples in zip(chunk, generated, strict=True):
                for number, sample in enumerate(samples):
                    handle.write(json.dumps({"task_id": task_id, "completion": sample.completion, "sample": number,
                                             "tokens": sample.tokens, "retries": sample.retries,
                                             "seconds": seconds}) + "\n")
            handle.flush()
            done += len(chunk)
            if progress is not None:
                progress(done, len(problems))
    rows, _ = _complete_rows(path, n)
    return rows


__all__ = ["generate_benchmark"]
