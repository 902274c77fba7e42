"""Linters by name: the built-in backends load lazily, on first use; others can be registered.

``get_linter("pylint")`` imports :mod:`lintseq_hf.lint.python.pylint_backend` only then, so a
process that uses the fast backend never imports pylint, and one that samples C never starts a JVM.
"""

from __future__ import annotations

import importlib

from lintseq_hf.lint.base import Linter

BUILTIN_BACKENDS: dict[str, str] = {
    "pylint": "lintseq_hf.lint.python.pylint_backend:PylintLinter",
    "fast": "lintseq_hf.lint.python.fast:FastLinter",
    "gcc": "lintseq_hf.lint.compilers.gcc:GccLinter",
    "gcc-reference": "lintseq_hf.lint.compilers.gcc:GccReferenceLinter",
    "g++": "lintseq_hf.lint.compilers.gcc:GxxLinter",
    "g++-reference": "lintseq_hf.lint.compilers.gcc:GxxReferenceLinter",
    "g++-fork": "lintseq_hf.lint.compilers.gcc:GxxForkLinter",
    "libclang": "lintseq_hf.lint.compilers.libclang:LibclangLinter",
    "libclang++": "lintseq_hf.lint.compilers.libclang:LibclangCxxLinter",
    "tsc": "lintseq_hf.lint.compilers.tsc:TypeScriptLinter",
    "tsc-tsx": "lintseq_hf.lint.compilers.tsc:TsxLinter",
    "tsc-js": "lintseq_hf.lint.compilers.tsc:JavaScriptLinter",
    "javac": "lintseq_hf.lint.compilers.javac:JavacLinter",
    "rustc": "lintseq_hf.lint.compilers.rustc:RustcLinter",
    "rustc-reference": "lintseq_hf.lint.compilers.rustc:RustcReferenceLinter",
    "go": "lintseq_hf.lint.compilers.go:GoLinter",
}
"""Built-in linter names and the ``module:class`` that implements each."""

_REGISTERED: dict[str, type] = {}
_INSTANCES: dict[str, Linter] = {}
"""One instance per name and process; a forked worker inherits its parent's (already set up)."""


class UnknownLinterError(ValueError):
    """Raised for a linter name that is neither built in nor registered."""


def register_linter(name: str, factory: type) -> None:
    """Make a linter class available by name (``sample_edits(..., linter=name)``)."""
    _REGISTERED[name] = factory
    _INSTANCES.pop(name, None)


def linter_class(name: str) -> type:
    """The class behind ``name`` (imports a built-in backend on first use)."""
    if name in _REGISTERED:
        return _REGISTERED[name]
    target = BUILTIN_BACKENDS.get(name)
    if target is None:
        raise UnknownLinterError(f"unknown linter {name!r}; known: {available_linters()}")
    module_name, _, class_name = target.partition(":")
    return getattr(importlib.import_module(module_name), class_name)


def get_linter(name: str = "pylint") -> Linter:
    """The process-wide instance of the linter called ``name`` (created on first use)."""
    instance = _INSTANCES.get(name)
    if instance is None:
        instance = linter_class(name)()
        _INSTANCES[name] = instance
    return instance


def reset_linter(name: str) -> None:
    """Drop this process's instance (after a timeout interrupted it mid-check)."""
    _INSTANCES.pop(name, None)


def available_linters() -> list[str]:
    """Names accepted by :func:`get_linter`."""
    return sorted({*BUILTIN_BACKENDS, *_REGISTERED})
