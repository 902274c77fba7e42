"""transformers stopping criteria: stop on decoded text, per sequence of a batch; report each step (progress)."""

from __future__ import annotations

from collections.abc import Callable

import torch
from transformers import PreTrainedTokenizerBase, StoppingCriteria


class StopOnText(StoppingCriteria):
    """Stop a sequence once its generated text (after ``lead``) contains ``stop``.

    Works with any tokenizer: only the last generated tokens (``window``, at least twice the stop
    string's own length in tokens) are decoded at each step, so the check is cheap and the stop
    string may span tokens. ``lead`` is text that logically
    precedes the generation (the prompt's final separator) so that a stop string starting in the
    prompt is seen. ``stopped_at[row]`` records how many tokens the row had generated when it stopped.
    """

    def __init__(self, tokenizer: PreTrainedTokenizerBase, stop: str, prompt_length: int, *,
                 lead: str = "", window: int = 16) -> None:
        self.tokenizer = tokenizer
        self.stop = stop
        self.lead = lead
        self.prompt_length = prompt_length
        self.window = max(window, 2 * len(tokenizer(stop, add_special_tokens=False)["input_ids"]) + 2)
        self.stopped_at: dict[int, int] = {}

    def __call__(self, input_ids: torch.LongTensor, scores: torch.FloatTensor | None = None,
                 **kwargs: object) -> torch.BoolTensor:
        generated = input_ids.shape[1] - self.prompt_length
        done = torch.zeros(input_ids.shape[0], dtype=torch.bool, device=input_ids.device)
        if generated <= 0:
            return done
        start = max(self.prompt_length, input_ids.shape[1] - self.window)
        for row in range(input_ids.shape[0]):
            if row in self.stopped_at:
                done[row] = True
                continue
            text = self.tokenizer.decode(input_ids[row, start:], skip_special_tokens=False)
            if start == self.prompt_length:
                text = self.lead + text
            if self.stop in text:
                self.stopped_at[row] = generated
                done[row] = True
        return done


class StepProgress(StoppingCriteria):
    """Never stops anything: reports each generation step (tokens generated so far in the batch) to ``report``.

    transformers calls stopping criteria once per new token, which makes this the cheapest place to see
    how far a long generation has come (``lintseq sample`` shows it on a CPU).
    """

    def __init__(self, prompt_length: int, report: Callable[[int], None]) -> None:
        self.prompt_length = prompt_length
        self.report = report

    def __call__(self, input_ids: torch.LongTensor, scores: torch.FloatTensor | None = None,
                 **kwargs: object) -> torch.BoolTensor:
        self.report(input_ids.shape[1] - self.prompt_length)
        return torch.zeros(input_ids.shape[0], dtype=torch.bool, device=input_ids.device)
