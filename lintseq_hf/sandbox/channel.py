"""The narrow channel between a benchmark's test code and the candidate program it tests.

The test code runs in a trusted process; the candidate program runs in the sandbox. Every
call the test makes to a function of the program is one request on a stream socket and one
reply, each a length-prefixed JSON message (:mod:`.framing`). Values are *plain data* only (None, bool,
int, float, complex, str, bytes, list, tuple, dict, set, frozenset, Fraction, Decimal) in a tagged encoding:

=====================  ===========================================
value                  JSON
=====================  ===========================================
None, bool, str        null, true/false, string
int                    number (beyond 64 bits: ``["i", hex]``)
float                  number (repr, so exact; NaN and ±Infinity too)
complex, bytes         ``["c", re, im]``, ``["b", hex]``
list, tuple            ``["l", item, ...]``, ``["t", item, ...]``
set, frozenset         ``["s", item, ...]``, ``["z", item, ...]``
dict                   ``["d", key, value, key, value, ...]``
Fraction, Decimal      ``["F", numerator, denominator]``, ``["D", str]``
iterator (results)     ``["g", item, ...]``: the program consumes it; the test gets an iterator
=====================  ===========================================

:func:`decode_plain` (the trusted side) rebuilds exactly these types, checks the tags, the nesting
depth, the message size and the work of building sets and dicts, and raises :class:`ProtocolError` on anything else:
nothing the program sends is unpickled, called or compared before it is plain data.

Values the test sends *to* the program may also be callables (``["fn", id]``: the program
gets a stub whose calls come back to the trusted side and run there), ranges
(``["r", start, stop, step]``) and instances of classes the benchmark prompt defines
(``["o", class name, attributes]``, rebuilt from the program's copy of that class).

Messages (JSON objects): the test side sends ``{program, timeout[, batch]}`` first; the program
answers ``{ready: [callable names], modules: [names bound to the module of that name][, results]}``
or ``{failed: detail}``. Then ``{call: name, id, args, kwargs}`` → ``{re: id, ok: value}`` or
``{re: id, raise: [builtin name, args, message]}`` or ``{re: id, bad: why}`` (not plain data) or
``{re: id, abort: name}`` (``SystemExit`` and the like); ``{batch: [[name, args, kwargs], ...], id}``
→ ``{re: id, results: [reply, ...]}``, stopped after the first reply that is not ``ok``. While the
test side waits, the program may send ``{callback: handle, id, args, kwargs}`` for a function the test
passed in.

This module is stdlib only: the sandbox worker loads it by path (see :mod:`.worker`).
"""

from __future__ import annotations

import collections
import json
import socket
from collections.abc import Callable, Iterator
from decimal import Decimal
from fractions import Fraction
from typing import Any

from . import framing
from .framing import MAX_MESSAGE, ProtocolError, recv_message

MAX_DEPTH = 100
"""Deepest nesting of containers accepted in a value."""
_BATCH_BUDGET = 8 << 20  # a batch reply stops growing past this many bytes (the rest go one by one)
REPLY_LIMIT = MAX_MESSAGE - _BATCH_BUDGET - 4096
"""Largest reply to one call (bytes of JSON): the same limit alone or in a batch."""
_SMALL_INT = 1 << 63
_PLAIN_TAGS = frozenset("ilt" "szdcb" "FDg")
MAX_HASH_WORK = 1 << 22
"""Most extra comparisons that building one set or dict of the program's values may cost (see decode_plain)."""
MAX_FRACTION_BITS = 1 << 16
"""Largest numerator or denominator of a fraction, in bits (their gcd is computed on the trusted side)."""
MAX_DECIMAL_DIGITS = 10_000
MAX_DECIMAL_EXPONENT = 100_000
_SEQUENCE_TAGS = {"l": list, "t": tuple, "s": set, "z": frozenset}
_TAG_OF = {kind: tag for tag, kind in _SEQUENCE_TAGS.items()}

__all__ = ["MAX_DEPTH", "MAX_MESSAGE", "REPLY_LIMIT", "ArgumentEncoder", "NotPlainData", "ProgramSide",
           "ProtocolError", "RemoteError", "decode_plain", "describe_exception", "encode_plain", "program_value",
           "rebuild_exception", "recv_message", "send_plain"]


class NotPlainData(TypeError):
    """A value cannot cross the channel (not plain data, nested too deeply, or too large)."""


def send_plain(sock: socket.socket, message: dict[str, Any]) -> None:
    """Write one message (:mod:`.framing`); :class:`NotPlainData` if it is too large to send."""
    try:
        framing.send_message(sock, message)
    except framing.MessageTooLarge as err:
        raise NotPlainData(str(err)) from None


# --------------------------------------------------------------------------- trusted decoding


def decode_plain(data: Any, depth: int = 0) -> Any:
    """Rebuild a value the program sent, as exact builtin types; :class:`ProtocolError` otherwise.

    The work is bounded as well as the bytes: sets and dicts whose members collide in hash (which would
    make building them quadratic, in C code no timer interrupts) and oversized fractions and decimals
    are refused.
    """
    kind = type(data)
    if data is None or kind is bool or kind is str or kind is float:
        return data
    if kind is int:
        return data
    if kind is not list or not data or type(data[0]) is not str or data[0] not in _PLAIN_TAGS:
        raise ProtocolError(f"not a plain-data encoding: {_preview(data)}")
    if depth >= MAX_DEPTH:
        raise ProtocolError(f"value nested deeper than {MAX_DEPTH}")
    tag = data[0]
    if tag in _SEQUENCE_TAGS or tag == "g":
        items = [decode_plain(item, depth + 1) for item in data[1:]]
        if tag == "g":
            return iter(items)
        if tag in "sz":
            _check_hash_work(items)
        return _SEQUENCE_TAGS[tag](items)
    if tag == "d":
        if len(data) % 2 == 0:
            raise ProtocolError("dict encoding with an odd number of items")
        keys = [decode_plain(data[index], depth + 1) for index in range(1, len(data), 2)]
        _check_hash_work(keys)
        return {key: decode_plain(data[index], depth + 1) for key, index in zip(keys, range(2, len(data), 2))}
    if tag == "F":
        return _fraction(data, depth)
    if tag == "D":
        return _decimal(data)
    if len(data) != 3 - (tag != "c") or any(type(part) not in (str, float, int) for part in data[1:]):
        raise ProtocolError(f"bad {tag!r} encoding")
    try:
        if tag == "i":
            return int(_str(data[1]), 16)
        if tag == "b":
            return bytes.fromhex(_str(data[1]))
        return complex(_number(data[1]), _number(data[2]))
    except (ValueError, TypeError) as err:
        raise ProtocolError(f"bad {tag!r} encoding: {err}") from None


def _check_hash_work(members: list[Any]) -> None:
    """Refuse members that are unhashable, or whose equal hashes would make a set or dict of them slow.

    Members with one hash all probe the same slots: inserting ``c`` of them costs about ``c²/2``
    comparisons. The sum of ``c²`` over the distinct hashes is what is bounded.
    """
    try:
        counts = collections.Counter(hash(member) for member in members)
    except TypeError as err:  # an unhashable member of a set, or key of a dict
        raise ProtocolError(f"bad set or dict: {err}") from None
    if sum(count * count for count in counts.values()) > len(members) + MAX_HASH_WORK:
        raise ProtocolError("a set or dict whose members collide in hash")


def _fraction(data: list[Any], depth: int) -> Fraction:
    if len(data) != 3:
        raise ProtocolError("bad 'F' encoding")
    numerator, denominator = (decode_plain(part, depth + 1) for part in data[1:])
    if type(numerator) is not int or type(denominator) is not int or denominator <= 0 or max(
            numerator.bit_length(), denominator.bit_length()) > MAX_FRACTION_BITS:
        raise ProtocolError("bad 'F' encoding")
    return Fraction(numerator, denominator)


def _decimal(data: list[Any]) -> Decimal:
    if len(data) != 2 or type(data[1]) is not str or len(data[1]) > MAX_DECIMAL_DIGITS:
        raise ProtocolError("bad 'D' encoding")
    try:
        value = Decimal(data[1])
    except ArithmeticError:
        raise ProtocolError("bad 'D' encoding") from None
    if value.is_finite() and abs(value.adjusted()) > MAX_DECIMAL_EXPONENT:
        raise ProtocolError("a decimal beyond the exponent limit")
    return value


def _str(value: Any) -> str:
    if type(value) is not str:
        raise TypeError("expected a string")
    return value


def _number(value: Any) -> float:
    if type(value) not in (int, float):
        raise TypeError("expected a number")
    return float(value)


def _preview(data: Any) -> str:
    text = repr(data)
    return text if len(text) <= 60 else text[:57] + "..."


# --------------------------------------------------------------------------- encoding


def encode_plain(value: Any, depth: int = 0) -> Any:
    """Encode plain data exactly; :class:`NotPlainData` for anything else (subclasses included)."""
    kind = type(value)
    if value is None or kind is bool or kind is str:
        return value
    if kind is int:
        return value if -_SMALL_INT <= value < _SMALL_INT else ["i", format(value, "x")]
    if kind is float:
        return value
    if depth >= MAX_DEPTH:
        raise NotPlainData(f"value nested deeper than {MAX_DEPTH}")
    if kind is list:
        return ["l", *[encode_plain(item, depth + 1) for item in value]]
    if kind is tuple:
        return ["t", *[encode_plain(item, depth + 1) for item in value]]
    if kind is dict:
        out = ["d"]
        for key, item in value.items():
            out.append(encode_plain(key, depth + 1))
            out.append(encode_plain(item, depth + 1))
        return out
    if kind is set:
        return ["s", *[encode_plain(item, depth + 1) for item in value]]
    if kind is frozenset:
        return ["z", *[encode_plain(item, depth + 1) for item in value]]
    if kind is complex:
        return ["c", value.real, value.imag]
    if kind is bytes:
        return ["b", value.hex()]
    if kind is Fraction:
        return ["F", encode_plain(value.numerator), encode_plain(value.denominator)]
    if kind is Decimal:
        return ["D", str(value)]
    raise NotPlainData(f"a {kind.__module__}.{kind.__qualname__} object is not plain data")


class ArgumentEncoder:
    """Encodes the test's arguments: plain data, plus callables, ranges and prompt-class instances.

    Callables get handles (:attr:`callbacks`); objects of a class in ``prompt_classes`` travel by
    class name and attribute dict.
    """

    def __init__(self, prompt_classes: dict[type, str] | None = None) -> None:
        self.callbacks: list[Callable[..., Any]] = []
        self.prompt_classes = prompt_classes or {}

    def encode(self, value: Any, depth: int = 0) -> Any:
        kind = type(value)
        if kind in _SCALARS:
            return encode_plain(value)
        if depth >= MAX_DEPTH:
            raise NotPlainData(f"argument nested deeper than {MAX_DEPTH}")
        if kind in _TAG_OF:
            return [_TAG_OF[kind], *[self.encode(item, depth + 1) for item in value]]
        if kind is dict:
            out = ["d"]
            for key, item in value.items():
                out.append(self.encode(key, depth + 1))
                out.append(self.encode(item, depth + 1))
            return out
        if kind is range:
            return ["r", value.start, value.stop, value.step]
        if kind in self.prompt_classes and hasattr(value, "__dict__"):
            return ["o", self.prompt_classes[kind], self.encode(dict(vars(value)), depth + 1)]
        if callable(value) and not isinstance(value, type):
            self.callbacks.append(value)
            return ["fn", len(self.callbacks) - 1]
        raise NotPlainData(f"the test passes a {kind.__module__}.{kind.__qualname__} object, "
                           "which cannot be sent to the program")


# --------------------------------------------------------------------------- exceptions


class RemoteError(Exception):
    """An exception of the program whose type is not a builtin exception (its name is in the message)."""


def rebuild_exception(name: Any, args: Any, message: Any) -> Exception:
    """The exception a program raised, as the builtin type it names (else :class:`RemoteError`)."""
    import builtins

    if type(name) is not str or type(message) is not str:
        raise ProtocolError("bad exception report")
    cls = getattr(builtins, name, None) if name.isidentifier() else None
    if isinstance(cls, type) and issubclass(cls, Exception):
        try:
            values = decode_plain(args) if args is not None else (message,)
            return cls(*values) if type(values) is tuple else cls(message)
        except (TypeError, ValueError, ProtocolError):
            try:
                return cls(message)
            except (TypeError, ValueError):
                pass
    return RemoteError(f"{name}: {message}"[:1000])


# --------------------------------------------------------------------------- the program's side

_SCALARS = frozenset({type(None), bool, int, float, complex, str, bytes, Fraction, Decimal})
# How a subclass of a plain type is read as its base value: the base type's own methods, so an
# overridden __eq__, __hash__, __str__, __iter__ or __len__ plays no part.
_BASE_VALUE: tuple[tuple[type, Callable[[Any], Any]], ...] = (
    (int, int.__index__),
    (float, float.__float__),
    (complex, lambda v: complex(complex.real.__get__(v), complex.imag.__get__(v))),
    (str, str.__str__),
    (bytes, lambda v: bytes(memoryview(v))),
    (list, lambda v: list(list.__iter__(v))),
    (tuple, lambda v: tuple(tuple.__iter__(v))),
    (dict, lambda v: list(dict.items(v))),
    (set, lambda v: list(set.__iter__(v))),
    (frozenset, lambda v: list(frozenset.__iter__(v))),
    (Fraction, lambda v: Fraction(int.__index__(Fraction.numerator.__get__(v)),
                                  int.__index__(Fraction.denominator.__get__(v)))),
    (Decimal, lambda v: Decimal(Decimal.__str__(v))),
)


def program_value(value: Any, depth: int = 0) -> Any:
    """Encode what a program returns (runs in the sandbox; the trusted side re-checks everything).

    Exact plain data is encoded as is; a subclass of a plain type becomes its base value (read
    with the base type's methods); a NumPy scalar becomes its Python value; anything else raises
    :class:`NotPlainData`.
    """
    kind = type(value)
    if kind in _SCALARS:
        return encode_plain(value)
    if depth >= MAX_DEPTH:
        raise NotPlainData(f"value nested deeper than {MAX_DEPTH}")
    base = kind if kind in _TAG_OF or kind is dict else None
    items: Any = value
    if base is None:
        for candidate, convert in _BASE_VALUE:
            if issubclass(kind, candidate):  # the real type: a spoofed __class__ plays no part
                base, items = candidate, convert(value)
                break
        else:
            if kind.__module__ == "numpy" and getattr(value, "shape", None) == () and hasattr(value, "item"):
                return program_value(value.item(), depth + 1)
            if isinstance(value, Iterator):  # a generator, map, zip...: its items, for a test that iterates it
                return ["g", *[program_value(item, depth + 1) for item in value]]
            raise NotPlainData(f"a {kind.__module__}.{kind.__qualname__} object is not plain data")
        if base in _SCALARS:
            return encode_plain(items)
    if base is dict:
        out = ["d"]
        for key, item in (value.items() if kind is dict else items):
            out.append(program_value(key, depth + 1))
            out.append(program_value(item, depth + 1))
        return out
    return [_TAG_OF[base], *[program_value(item, depth + 1) for item in items]]


class ProgramSide:
    """The sandboxed end: answers the test's calls with the program's functions (see :func:`serve`)."""

    def __init__(self, sock: socket.socket, namespace: dict[str, Any]) -> None:
        self.sock = sock
        self.namespace = namespace
        self._next_id = 0

    def serve(self) -> None:
        """Answer calls until the trusted side closes the channel."""
        try:
            self._wait(None)
        except EOFError:
            return

    def _wait(self, reply_to: int | None) -> dict[str, Any]:
        while True:
            message = recv_message(self.sock)
            if "call" in message:
                self._answer(message)
            elif "batch" in message:
                self._answer_batch(message)
            elif reply_to is not None and message.get("re") == reply_to:
                return message
            else:
                raise ProtocolError("unexpected message from the test side")

    def _answer_batch(self, message: dict[str, Any]) -> None:
        self.send_with_batch({"re": message.get("id")}, message["batch"])

    def send_with_batch(self, fields: dict[str, Any], batch: list[Any]) -> None:
        """Send ``fields`` plus ``results``: the replies to the calls of ``batch``, made in order.

        The batch stops after the first reply that is not a value, or once the replies reach
        16 MiB (the test side makes the rest one by one). Each reply is encoded to JSON once.
        """
        parts, size = [], 0
        for name, args, kwargs in batch:
            text = self._reply_text({"call": name, "args": args, "kwargs": kwargs})
            parts.append(text)
            size += len(text) + 1
            if size > _BATCH_BUDGET or not text.startswith('{"ok":'):
                break
        head = json.dumps(fields, separators=(",", ":"))
        data = (head[:-1] + ("," if fields else "") + '"results":[' + ",".join(parts) + "]}").encode()
        framing.send_frame(self.sock, framing.frame(data))

    def _answer(self, message: dict[str, Any]) -> None:
        text = self._reply_text(message)
        data = ('{"re":' + json.dumps(message.get("id")) + "," + text[1:]).encode()
        framing.send_frame(self.sock, framing.frame(data))

    def _reply_text(self, message: dict[str, Any]) -> str:
        """The reply to one call as JSON text; a value too large for the channel is ``bad``, the same
        whether the call came alone or in a batch."""
        text = json.dumps(self._reply(message), separators=(",", ":"))
        if len(text) > REPLY_LIMIT:
            return json.dumps({"bad": f"a value of {len(text)} bytes, over the {REPLY_LIMIT}-byte limit"})
        return text

    def _reply(self, message: dict[str, Any]) -> dict[str, Any]:
        reply: dict[str, Any] = {}
        try:
            function = self.namespace[message["call"]]
            args = self._decode(message["args"])
            kwargs = self._decode(message["kwargs"])
            value = function(*args, **kwargs)
        except Exception as err:  # noqa: BLE001 - the test sees the program's exception
            reply["raise"] = describe_exception(err)
        except BaseException as err:  # noqa: BLE001 - SystemExit and the like: the sample fails
            reply["abort"] = type(err).__name__
        else:
            try:
                reply["ok"] = program_value(value)
            except NotPlainData as err:
                reply["bad"] = str(err)
            except RecursionError:
                reply["bad"] = "value nested too deeply"
            except Exception as err:  # noqa: BLE001 - a rigged object broke the conversion
                reply["bad"] = f"a value that cannot be read ({type(err).__name__})"
        return reply

    def _decode(self, data: Any) -> Any:
        if type(data) is not list:
            return data
        tag, rest = data[0], data[1:]
        if tag in _SEQUENCE_TAGS:
            return _SEQUENCE_TAGS[tag](self._decode(item) for item in rest)
        if tag == "d":
            return {self._decode(rest[i]): self._decode(rest[i + 1]) for i in range(0, len(rest), 2)}
        if tag == "r":
            return range(*rest)
        if tag == "fn":
            return self._callback(rest[0])
        if tag == "o":
            cls = self.namespace[rest[0]]
            instance = cls.__new__(cls)
            instance.__dict__.update(self._decode(rest[1]))
            return instance
        return decode_plain(data)

    def _callback(self, handle: int) -> Callable[..., Any]:
        def call_test_side(*args: Any, **kwargs: Any) -> Any:
            self._next_id += 1
            request = self._next_id
            send_plain(self.sock, {"callback": handle, "id": request, "args": program_value(args),
                                     "kwargs": program_value(kwargs)})
            reply = self._wait(request)
            if "raise" in reply:
                raise rebuild_exception(*reply["raise"])
            return self._decode(reply["ok"])

        return call_test_side


def describe_exception(err: BaseException) -> list[Any]:
    """``[type name, args or None, message]`` of an exception, as the channel carries it.

    The name is that of the nearest builtin class in its MRO (a program's ``class
    NegativeError(ValueError)`` arrives as ``ValueError``, so ``except ValueError`` still catches it).
    """
    import builtins

    kind = type(err)
    builtin = next((c for c in kind.__mro__ if getattr(builtins, c.__name__, None) is c), Exception)
    try:
        args = program_value(tuple(err.args))
    except (NotPlainData, RecursionError):
        args = None
    try:
        message = str(err)
    except Exception:  # noqa: BLE001 - a program's __str__ may raise anything
        message = ""
    return [builtin.__name__, args, message[:1000]]
