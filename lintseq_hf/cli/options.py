"""Command-line flags generated from a config dataclass's fields (as TRL's parsers do).

Each field becomes ``--field-name``; its ``metadata["help"]`` is the help text, ``choices`` and
``min`` are enforced; a boolean that defaults to true becomes ``--no-field-name``. Values are
checked after parsing so that an error is one line naming the flag.
"""

from __future__ import annotations

import argparse
import dataclasses
import types
import typing
from collections.abc import Iterable
from typing import Any

NONE_WORDS = ("none", "None", "null")


def flag(name: str) -> str:
    """``max_lint_chars`` → ``--max-lint-chars``."""
    return "--" + name.replace("_", "-")


def _scalar_type(annotation: Any) -> tuple[type, bool]:
    """(the scalar type, whether ``None`` is allowed) of a field annotation."""
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        scalars = [a for a in args if a is not type(None)]
        return scalars[0], len(scalars) < len(args)
    return annotation, False


def _parse(kind: type, optional: bool) -> Any:
    def parse(text: str) -> Any:
        if optional and text in NONE_WORDS:
            return None
        return kind(text)

    parse.__name__ = kind.__name__  # argparse names the type in its error message
    return parse


def add_dataclass_arguments(
    parser: argparse.ArgumentParser | argparse._ArgumentGroup, cls: type, exclude: Iterable[str] = ()
) -> None:
    """Add one flag per field of ``cls`` (except ``exclude`` and fields without ``help``)."""
    hints = typing.get_type_hints(cls)
    for item in dataclasses.fields(cls):
        help_text = item.metadata.get("help")
        if item.name in exclude or help_text is None:
            continue
        kind, optional = _scalar_type(hints[item.name])
        default = item.default
        if kind is bool:
            if default:
                parser.add_argument(flag("no_" + item.name), dest=item.name, action="store_false", help="turn off: " + help_text)
            else:
                parser.add_argument(flag(item.name), dest=item.name, action="store_true", help=help_text)
            continue
        if kind not in (int, float, str):
            continue  # nested options have flags of their own
        shown = f" (default: {default})" if default is not None else ""
        parser.add_argument(
            flag(item.name),
            dest=item.name,
            type=_parse(kind, optional),
            default=default,
            choices=item.metadata.get("choices"),
            metavar=item.name.split("_")[-1].upper() if "choices" not in item.metadata else None,
            help=help_text + shown,
        )


def dataclass_values(args: argparse.Namespace, cls: type, exclude: Iterable[str] = ()) -> dict[str, Any]:
    """The parsed values of ``cls``'s flags, each checked against its ``min`` (error names the flag)."""
    values: dict[str, Any] = {}
    for item in dataclasses.fields(cls):
        if item.name in exclude or not hasattr(args, item.name):
            continue
        value = getattr(args, item.name)
        low = item.metadata.get("min")
        if low is not None and value is not None and value < low:
            raise ValueError(f"{flag(item.name)} must be >= {low}, got {value}")
        values[item.name] = value
    return values
