"""The argument parser of every ``lintseq`` command: no abbreviated flags, and a close match for an unknown one.

argparse accepts any unambiguous prefix of a flag (``--max_step 2`` sets ``--max_steps``), so a typo in a flag
can set another option silently, and a flag added later can make an old abbreviation ambiguous. We refuse
prefixes and name the flag the user probably meant (:func:`lintseq_hf.io.flags.suggest_flags`).
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any

from lintseq_hf.io.flags import suggest_flags


class LintseqArgumentParser(argparse.ArgumentParser):
    """``argparse.ArgumentParser`` with ``allow_abbrev=False``; unknown flags are reported with a close match.

    Sub-command parsers made by ``add_subparsers().add_parser`` are of this class too.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)

    def parse_args(self, args: Sequence[str] | None = None, namespace: Any = None) -> argparse.Namespace:  # type: ignore[override]
        parsed, extras = self.parse_known_args(args, namespace)
        if extras:
            owner = self._chosen_subparser(parsed) or self
            owner.error(f"unrecognized arguments: {' '.join(extras)}"
                        + suggest_flags(extras, owner._option_string_actions))
        return parsed

    def _chosen_subparser(self, parsed: argparse.Namespace) -> LintseqArgumentParser | None:
        """The sub-command parser that handled ``parsed`` (its flags are the ones to suggest from)."""
        for action in self._actions:
            if isinstance(action, argparse._SubParsersAction):
                chosen = action.choices.get(getattr(parsed, action.dest, None) or "")
                if isinstance(chosen, LintseqArgumentParser):
                    return chosen._chosen_subparser(parsed) or chosen
        return None


__all__ = ["LintseqArgumentParser"]
