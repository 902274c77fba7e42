"""Rendering an edit sequence step by step: terminal text and a standalone HTML page."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

from lintseq_hf.core.edits import parse_edit


@dataclass(frozen=True)
class Step:
    """One forward step: the state after the edit, and which of its lines the edit inserted."""

    edit: str
    lines: tuple[str, ...]
    inserted: tuple[bool, ...]


def replay(edits: Sequence[str]) -> list[Step]:
    """Apply the edits one by one, remembering which lines each one inserted."""
    lines: list[str] = []
    steps: list[Step] = []
    for edit in edits:
        fresh = [False] * len(lines)
        for hunk in parse_edit(edit):
            at = hunk.start - 1
            lines[at:at] = hunk.lines
            fresh[at:at] = [True] * len(hunk.lines)
        steps.append(Step(edit, tuple(lines), tuple(fresh)))
    return steps


_GREEN = "\x1b[32m"
_DIM = "\x1b[2m"
_BOLD = "\x1b[1m"
_RESET = "\x1b[0m"


def render_text(edits: Sequence[str], *, color: bool = False, title: str = "") -> str:
    """The program growing edit by edit; inserted lines marked ``+`` (green with ``color``)."""
    out: list[str] = []
    if title:
        out.append((_BOLD + title + _RESET) if color else title)
    steps = replay(edits)
    for number, step in enumerate(steps, start=1):
        added = sum(step.inserted)
        header = f"── edit {number}/{len(steps)}: +{added} line{'s' if added != 1 else ''} ──"
        out.append((_BOLD + header + _RESET) if color else header)
        width = len(str(len(step.lines)))
        for i, (line, new) in enumerate(zip(step.lines, step.inserted), start=1):
            mark = "+" if new else " "
            text = f"{i:>{width}} {mark} {line}"
            if color:
                text = (_GREEN if new else _DIM) + text + _RESET
            out.append(text)
    return "\n".join(out)


def render_html(edits: Sequence[str], *, title: str = "LintSeq edit sequence", instruction: str = "") -> str:
    """A standalone HTML page (no scripts from elsewhere) showing every step, with a slider."""
    steps = replay(edits)
    panels: list[str] = []
    for number, step in enumerate(steps, start=1):
        rows = "".join(
            f'<tr class="{"add" if new else ""}"><td class="n">{i}</td><td class="m">{"+" if new else ""}</td>'
            f"<td><pre>{html.escape(line) or ' '}</pre></td></tr>"
            for i, (line, new) in enumerate(zip(step.lines, step.inserted), start=1)
        )
        panels.append(
            f'<section class="step" id="step{number}"><h2>Edit {number} of {len(steps)} '
            f"(+{sum(step.inserted)} lines)</h2>"
            f'<details><summary>diff</summary><pre class="diff">{html.escape(step.edit)}</pre></details>'
            f"<table>{rows}</table></section>"
        )
    prompt = f'<pre class="instruction">{html.escape(instruction)}</pre>' if instruction else ""
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem; max-width: 60rem; }}
pre {{ margin: 0; font-family: ui-monospace, monospace; white-space: pre-wrap; }}
table {{ border-collapse: collapse; width: 100%; }}
td {{ padding: 0 .4rem; vertical-align: top; }}
td.n {{ color: #999; text-align: right; width: 3rem; }} td.m {{ color: #1a7f37; width: 1rem; }}
tr.add {{ background: #dafbe1; }}
.instruction {{ background: #f6f8fa; padding: .5rem; border-radius: 4px; }}
.diff {{ background: #f6f8fa; padding: .5rem; }}
.step {{ margin-top: 1.5rem; }}
</style></head><body>
<h1>{html.escape(title)}</h1>{prompt}
<p><label>Step <input type="range" id="slider" min="1" max="{len(steps)}" value="{len(steps)}"
 oninput="show(this.value)"> <span id="count">{len(steps)}</span> / {len(steps)}</label>
 <button onclick="showAll()">show all</button></p>
{''.join(panels)}
<script>
function show(k) {{ document.getElementById('count').textContent = k;
  document.querySelectorAll('.step').forEach((s, i) => s.style.display = (i + 1 == k) ? '' : 'none'); }}
function showAll() {{ document.querySelectorAll('.step').forEach(s => s.style.display = ''); }}
</script></body></html>
"""
