"""Programs from a causal LM: prompt, batched generation, stop at the closing edit, decode.

:func:`generate_programs` formats each instruction as the training data did
(``instruction + "\\n<|diff|>"`` for an edit-sequence model, ``instruction + "\\n"`` for the
baseline arm), generates with any Hugging Face causal LM (a peft model too), left-padded in
batches, stops a sequence at EOS or at the closing empty edit (``"\\n<|diff|>\\n<|diff|>"``) and
decodes the completion with the default decoder.

``guided=True`` (beyond the paper, docs/inference.md) generates one edit at a time, applies it,
lints the new state with the data's linter and resamples an edit that adds lint errors, up to
``max_retries`` times; with ``repair`` (its default) an edit's lines are first tried at the other
insertion points of the state, and every accepted edit is written back with exact hunk headers.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from lintseq_hf.core.edits import (
    DIFF_TOKEN,
    NOT_AN_EDIT_MODEL,
    TEXT_FORMATS,
    MalformedEditError,
    apply_edit_lenient,
    decode_completion_detailed,
    format_hunk,
    format_instruct_prompt,
    format_prompt,
    split_completion,
)
from lintseq_hf.core.programs import extract_code
from lintseq_hf.lint.base import Linter
from lintseq_hf.lint.registry import get_linter

STOP_TEXT = "\n" + DIFF_TOKEN + "\n" + DIFF_TOKEN
"""The closing empty edit: generation of an edit sequence ends here (or at EOS)."""
DEFAULT_MAX_NEW_TOKENS = 512
"""The authors' evaluation budget (vLLM ``max_tokens`` 512): also ``lintseq sample``'s default and the
``max_gen_toks`` of every lm-eval task (a test keeps them equal)."""


@dataclass(frozen=True)
class GeneratedProgram:
    """One sample: the raw ``completion`` (text after the prompt, EOS removed), its ``edits``, the
    decoded ``program`` and what the decoder skipped (``malformed``, empty when it decoded cleanly).

    ``tokens`` counts every generated token, rejected guided attempts included; ``retries`` is how
    many edits guided decoding resampled (0 without guidance).
    """

    program: str
    completion: str
    edits: tuple[str, ...] = ()
    malformed: tuple[str, ...] = ()
    tokens: int = 0
    retries: int = 0


def generate_programs(
    model: Any,
    tokenizer: Any,
    instructions: Sequence[str],
    *,
    num_return_sequences: int = 1,
    mode: str = "lintseq",
    batch_size: int = 8,
    guided: bool = False,
    max_retries: int = 3,
    linter: str | Linter = "pylint",
    retry_temperature: float = 0.8,
    repair: bool = True,
    progress: bool = False,
    **generation_kwargs: Any,
) -> list[list[GeneratedProgram]]:
    """For each instruction, ``num_return_sequences`` generated programs (in instruction order).

    ``mode="lintseq"`` needs a tokenizer with ``<|diff|>`` (a model trained on edit sequences);
    without it the call is refused, as every completion would decode to an empty program.

    ``generation_kwargs`` go to ``model.generate`` (default: greedy, ``max_new_tokens=512``; pass
    ``do_sample=True, temperature=…`` to sample). With ``guided=True`` (``mode="lintseq"`` only) an
    edit that adds lint errors, or does not parse, is resampled up to ``max_retries`` times — with
    ``do_sample=True`` and ``retry_temperature`` when the first attempt was greedy — and the attempt
    with the fewest new errors is kept. ``repair`` (guided only): before resampling, the edit's lines
    are tried at every other insertion point of the state, nearest first, and the placement with the
    fewest new errors wins; each accepted edit is written with exact headers (``-a,0 +a+1,n``, ``n``
    its real line count), the text the model then continues from and the completion returned.
    ``progress`` shows a bar on stderr: samples finished, tokens generated, and the step of the batch
    being generated (long CPU runs).
    """
    if isinstance(instructions, str) or not all(isinstance(text, str) for text in instructions):
        raise TypeError("instructions must be a sequence of strings (wrap a single instruction in a list)")
    if mode not in TEXT_FORMATS:
        raise ValueError(f"unknown mode {mode!r}; choose from {', '.join(TEXT_FORMATS)}")
    if guided and mode != "lintseq":
        raise ValueError("guided decoding applies to edit sequences: use mode='lintseq'")
    if mode == "lintseq" and DIFF_TOKEN not in tokenizer.get_vocab():
        raise ValueError(f"{type(tokenizer).__name__} {getattr(tokenizer, 'name_or_path', '')!r} has no {DIFF_TOKEN} "
                         f"token; {NOT_AN_EDIT_MODEL}")
    for name, value, least in (("num_return_sequences", num_return_sequences, 1), ("batch_size", batch_size, 1),
                               ("max_retries", max_retries, 0)):
        if value < least:
            raise ValueError(f"{name} must be >= {least}, got {value}")
    kwargs = dict(generation_kwargs)
    budget = int(kwargs.pop("max_new_tokens", DEFAULT_MAX_NEW_TOKENS))
    kwargs.setdefault("do_sample", False)
    owners = [index for index in range(len(instructions)) for _ in range(num_return_sequences)]
    runner = _Runner(model, tokenizer, batch_size, kwargs, _Progress(len(owners)) if progress else None)
    if guided:
        check = linter if not isinstance(linter, str) else get_linter(linter)
        retry_kwargs = dict(kwargs) if kwargs.get("do_sample") else {**kwargs, "do_sample": True,
                                                                       "temperature": retry_temperature}
        results = _guided(runner, [format_prompt(instructions[i]) for i in owners], budget, max_retries,
                          check, retry_kwargs, repair)
    else:
        prompt = format_prompt if mode == "lintseq" else format_instruct_prompt
        stop, lead = (STOP_TEXT, "\n" + DIFF_TOKEN) if mode == "lintseq" else (None, "")
        pieces = runner.run([prompt(instructions[i]) for i in owners], [budget] * len(owners), stop, lead)
        results = [_result(mode, piece.text, piece.tokens) for piece in pieces]
    if runner.progress is not None:
        runner.progress.close()
    grouped: list[list[GeneratedProgram]] = [[] for _ in instructions]
    for owner, result in zip(owners, results, strict=True):
        grouped[owner].append(result)
    return grouped


class _Progress:
    """A tqdm bar over the samples of one call, with the tokens generated and the current batch's step."""

    def __init__(self, samples: int) -> None:
        import sys

        from tqdm.auto import tqdm

        self.bar = tqdm(total=samples, desc="generating", unit="sample", file=sys.stderr, dynamic_ncols=True)
        self.tokens = 0
        self.budget = 0

    def start_batch(self, budget: int) -> None:
        self.budget = budget

    def step(self, generated: int) -> None:
        self.bar.set_postfix_str(f"{self.tokens} tokens, batch step {generated}/{self.budget}", refresh=False)
        self.bar.update(0)  # redraws at tqdm's own pace (mininterval)

    def finish(self, samples: int, tokens: int) -> None:
        self.tokens += tokens
        self.bar.set_postfix_str(f"{self.tokens} tokens", refresh=False)
        self.bar.update(samples)

    def close(self) -> None:
        self.bar.close()


def _result(mode: str, completion: str, tokens: int, retries: int = 0) -> GeneratedProgram:
    if mode == "instruct":
        return GeneratedProgram(extract_code(completion), completion, tokens=tokens, retries=retries)
    decoded = decode_completion_detailed(completion)
    return GeneratedProgram(decoded.program, completion, tuple(split_completion(completion)),
                            tuple(decoded.malformed), tokens, retries)


@dataclass(frozen=True)
class _Piece:
    text: str
    tokens: int
    finished: bool  # stopped by EOS or by the token budget, not by the stop text


class _Runner:
    """Batched, left-padded ``model.generate`` with a text stop and per-prompt token budgets.

    Pads with the tokenizer's pad token, or its EOS token when it has none.
    """

    def __init__(self, model: Any, tokenizer: Any, batch_size: int, kwargs: dict[str, Any],
                 progress: _Progress | None = None) -> None:
        self.model, self.tokenizer, self.batch_size, self.kwargs = model, tokenizer, batch_size, kwargs
        self.progress = progress
        self.pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else tokenizer.eos_token_id
        if self.pad_id is None:
            raise ValueError(f"{type(tokenizer).__name__} has neither a pad nor an eos token; set one")
        eos = kwargs.get("eos_token_id", getattr(getattr(model, "generation_config", None), "eos_token_id", None))
        if eos is None:
            eos = tokenizer.eos_token_id
        self.eos_ids = set(eos if isinstance(eos, list | tuple) else [eos]) - {None}
        if self.eos_ids:
            self.kwargs.setdefault("eos_token_id", sorted(self.eos_ids))

    def run(self, prompts: Sequence[str], budgets: Sequence[int], stop: str | None, lead: str,
            kwargs: dict[str, Any] | None = None, whole: bool = True) -> list[_Piece]:
        """One piece per prompt; prompts of similar length are batched together.

        ``whole``: each piece is a finished sample (for the progress bar); guided decoding's pieces are edits.
        """
        order = sorted(range(len(prompts)), key=lambda i: len(prompts[i]))
        out: list[_Piece | None] = [None] * len(prompts)
        for start in range(0, len(order), self.batch_size):
            chunk = order[start : start + self.batch_size]
            pieces = self._batch([prompts[i] for i in chunk], [budgets[i] for i in chunk], stop, lead,
                                 kwargs or self.kwargs)
            if self.progress is not None:
                self.progress.finish(len(pieces) if whole else 0, sum(piece.tokens for piece in pieces))
            for index, piece in zip(chunk, pieces, strict=True):
                out[index] = piece
        return [piece for piece in out if piece is not None]

    def _batch(self, prompts: list[str], budgets: list[int], stop: str | None, lead: str,
               kwargs: dict[str, Any]) -> list[_Piece]:
        import torch
        from transformers import StoppingCriteriaList

        from lintseq_hf.inference.stopping import StepProgress, StopOnText

        encoded = [list(self.tokenizer(prompt)["input_ids"]) for prompt in prompts]
        length = max(len(ids) for ids in encoded)  # left padding, done here: the tokenizer is not modified
        device = next(self.model.parameters()).device
        inputs = {
            "input_ids": torch.tensor([[self.pad_id] * (length - len(ids)) + ids for ids in encoded], device=device),
            "attention_mask": torch.tensor([[0] * (length - len(ids)) + [1] * len(ids) for ids in encoded],
                                           device=device),
        }
        criteria = []
        stopper = None
        if stop is not None:
            stopper = StopOnText(self.tokenizer, stop, length, lead=lead)
            criteria.append(stopper)
        if self.progress is not None:
            self.progress.start_batch(max(budgets))
            criteria.append(StepProgress(length, self.progress.step))
        with torch.no_grad():
            output = self.model.generate(**inputs, max_new_tokens=max(budgets), pad_token_id=self.pad_id,
                                         stopping_criteria=StoppingCriteriaList(criteria), **kwargs)
        pieces = []
        for row, budget in enumerate(budgets):
            ids = output[row, length:].tolist()
            count = min(len(ids), budget)
            if stopper is not None and row in stopper.stopped_at:
                count = min(count, stopper.stopped_at[row])
            eos_at = next((i for i, token in enumerate(ids[:count]) if token in self.eos_ids), None)
            stopped_by_eos = eos_at is not None
            if stopped_by_eos:
                count = eos_at + 1
            text = self.tokenizer.decode(ids[:eos_at if stopped_by_eos else count], skip_special_tokens=True)
            hit_stop = False
            if stop is not None and stop in lead + text:
                text = (lead + text)[: (lead + text).index(stop) + len(stop)][len(lead) :]
                hit_stop = True
            pieces.append(_Piece(text, count, finished=not hit_stop))
        return pieces


# -- linter-guided decoding -------------------------------------------------------------------------

def _error_keys(linter: Linter, lines: Sequence[str]) -> Counter:
    """Counted lint errors of a state, by message id and text with line numbers masked."""
    return Counter((error.msg_id, re.sub(r"\d+", "#", error.message)) for error in linter.lint("\n".join(lines)))


@dataclass(frozen=True)
class _Attempt:
    badness: float  # new lint errors of the state it leads to; inf when the edit does not parse
    text: str
    tokens: int
    lines: list[str]
    errors: Counter
    final: bool


@dataclass
class _Track:
    """One sample being decoded edit by edit."""

    prompt: str
    budget: int
    accepted: str = ""
    lines: list[str] = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)
    tokens: int = 0
    retries: int = 0
    attempts: list[_Attempt] = field(default_factory=list)
    done: bool = False


def _guided(runner: _Runner, prompts: list[str], budget: int, max_retries: int, linter: Linter,
            retry_kwargs: dict[str, Any], repair: bool) -> list[GeneratedProgram]:
    tracks = [_Track(prompt, budget, errors=_error_keys(linter, [])) for prompt in prompts]
    while any(not track.done for track in tracks):
        for retrying in (False, True):
            group = [track for track in tracks if not track.done and bool(track.attempts) == retrying]
            if group:
                pieces = runner.run([t.prompt + t.accepted for t in group], [t.budget for t in group], DIFF_TOKEN,
                                    "", retry_kwargs if retrying else None, whole=False)
                for track, piece in zip(group, pieces, strict=True):
                    _consider(track, piece, max_retries, linter, repair)
                if runner.progress is not None:
                    runner.progress.finish(sum(track.done for track in group), 0)
    return [_result("lintseq", t.accepted, t.tokens, t.retries) for t in tracks]


def _consider(track: _Track, piece: _Piece, max_retries: int, linter: Linter, repair: bool) -> None:
    """Accept the attempt, or keep it aside and ask for another one (a retry)."""
    track.tokens += piece.tokens
    cut = piece.text.find(DIFF_TOKEN)
    body = piece.text if cut < 0 else piece.text[:cut]
    body = body.removesuffix("\n")
    final = piece.finished or cut < 0
    if not body.strip():  # the closing empty edit (or nothing before EOS): the sequence is complete
        track.accepted += piece.text
        track.done = True
        return
    try:
        lines, placed = apply_edit_lenient(track.lines, body)  # the state the decoder will build
    except MalformedEditError:  # a header the decoder cannot read: it would drop the hunk
        attempt = _Attempt(float("inf"), piece.text, piece.tokens, track.lines, track.errors, final)
    else:
        errors, badness = _new_errors(linter, lines, track.errors)
        text = piece.text
        if repair:
            if badness and len(placed) == 1:
                lines, placed, errors, badness = _replace(track, (lines, placed, errors, badness), linter)
            # the decoder splits edits at "\n<|diff|>": the separator is written whole
            text = _exact_edit(placed) + ("\n" + piece.text[cut:] if cut >= 0 else piece.text[len(body):])
        attempt = _Attempt(badness, text, piece.tokens, lines, errors, final)
    track.attempts.append(attempt)
    if attempt.badness and len(track.attempts) <= max_retries:
        track.retries += 1
        return
    best = min(track.attempts, key=lambda a: a.badness)  # the first of the least bad
    track.accepted += best.text
    track.budget -= best.tokens
    track.lines, track.errors, track.attempts = best.lines, best.errors, []
    track.done = best.final or track.budget <= 0


_Placement = tuple[list[str], list[tuple[int, list[str]]], Counter, float]
"""A placed edit: the state, per hunk its index and lines, the state's errors, its new-error count."""


def _new_errors(linter: Linter, lines: Sequence[str], before: Counter) -> tuple[Counter, float]:
    """The state's errors, and how many of them the state before did not have."""
    errors = _error_keys(linter, lines)
    return errors, float(sum((errors - before).values()))


def _replace(track: _Track, current: _Placement, linter: Linter) -> _Placement:
    """A one-hunk edit's lines at the insertion point with the fewest new errors (nearest the model's first)."""
    best = current
    [(at, new_lines)] = current[1]
    for other in sorted(range(len(track.lines) + 1), key=lambda index: (abs(index - at), index)):
        if other == at:
            continue
        lines = [*track.lines[:other], *new_lines, *track.lines[other:]]
        errors, badness = _new_errors(linter, lines, track.errors)
        if badness < best[3]:
            best = (lines, [(other, new_lines)], errors, badness)
            if not badness:
                break
    return best


def _exact_edit(placed: list[tuple[int, list[str]]]) -> str:
    """Hunks with exact headers that the decoder applies to the same state."""
    hunks, earlier = [], 0
    for at, new_lines in placed:
        hunks.append(format_hunk(max(0, at - earlier), at + 1, new_lines))
        earlier += len(new_lines)
    return "\n".join(hunks)
