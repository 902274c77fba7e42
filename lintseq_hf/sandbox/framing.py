"""The one message framing of the sandbox, used on every hop: host ↔ test process (pipes), test process ↔
program zygote (a socket that also carries descriptors), test code ↔ program (the channel).

A message is a JSON object behind a 4-byte big-endian length. Both ends refuse a message over
:data:`MAX_MESSAGE` bytes, and a receiver gets a ``dict`` or :class:`ProtocolError`; :func:`expect` checks
the fields a receiver relies on. Stdlib only: the worker loads it by path.
"""

from __future__ import annotations

import json
import os
import socket
import struct
from collections.abc import Sequence
from typing import Any, BinaryIO

MAX_MESSAGE = 64 << 20
"""Largest message accepted (bytes of JSON)."""
HEADER = struct.Struct(">I")

Endpoint = socket.socket | BinaryIO


class ProtocolError(ValueError):
    """A message is malformed, too large, not a JSON object, or lacks a field of the right type."""


class MessageTooLarge(ValueError):
    """A message to send is over :data:`MAX_MESSAGE` bytes."""


def frame(data: bytes) -> bytes:
    """The JSON text ``data`` with its length header; :class:`MessageTooLarge` past the limit."""
    if len(data) > MAX_MESSAGE:
        raise MessageTooLarge(f"message of {len(data)} bytes exceeds the {MAX_MESSAGE}-byte limit")
    return HEADER.pack(len(data)) + data


def encode(message: dict[str, Any]) -> bytes:
    """One framed message (``message`` must be a dict of JSON values)."""
    if type(message) is not dict:
        raise TypeError(f"a message is a dict, not a {type(message).__name__}")
    return frame(json.dumps(message, separators=(",", ":")).encode())


def send_frame(endpoint: Endpoint, data: bytes, fds: Sequence[int] = ()) -> None:
    """Write already-framed bytes; ``fds`` travel with the header (sockets only)."""
    if isinstance(endpoint, socket.socket):
        if fds:
            sent = socket.send_fds(endpoint, [data[: HEADER.size]], list(fds))
            data = data[sent:]
        endpoint.sendall(data)
    else:
        endpoint.write(data)
        endpoint.flush()


def send_message(endpoint: Endpoint, message: dict[str, Any], fds: Sequence[int] = ()) -> None:
    """Write one message (see :func:`encode`)."""
    send_frame(endpoint, encode(message), fds)


def _read_exact(endpoint: Endpoint, size: int, start: bytes = b"") -> bytes:
    buffer = bytearray(start)
    while len(buffer) < size:
        if isinstance(endpoint, socket.socket):
            chunk = endpoint.recv(min(size - len(buffer), 1 << 20))
        else:
            chunk = endpoint.read(size - len(buffer))
        if not chunk:
            raise EOFError("the other side closed the channel")
        buffer += chunk
    return bytes(buffer)


def _body(endpoint: Endpoint, header: bytes) -> dict[str, Any]:
    (size,) = HEADER.unpack(_read_exact(endpoint, HEADER.size, header))
    if size > MAX_MESSAGE:
        raise ProtocolError(f"message of {size} bytes exceeds the {MAX_MESSAGE}-byte limit")
    try:
        message = json.loads(_read_exact(endpoint, size))
    except (ValueError, RecursionError) as err:  # bad JSON, over-long int literal, nesting
        raise ProtocolError(f"message is not valid JSON ({type(err).__name__})") from None
    if type(message) is not dict:
        raise ProtocolError("message is not a JSON object")
    return message


def recv_message(endpoint: Endpoint) -> dict[str, Any]:
    """Read one message; :class:`ProtocolError` if it is too large, not JSON or not an object,
    :class:`EOFError` if the other side closed."""
    return _body(endpoint, b"")


def recv_with_fds(sock: socket.socket, max_fds: int = 1) -> tuple[dict[str, Any], list[int]]:
    """Read one message and the descriptors sent with it (see :func:`send_message`)."""
    header, fds, _, _ = socket.recv_fds(sock, HEADER.size, max_fds)
    if not header:
        for fd in fds:
            socket.close(fd)
        raise EOFError("the other side closed the channel")
    return _body(sock, header), fds


def host_streams() -> tuple[BinaryIO, BinaryIO, tuple[int, int]]:
    """In a worker process: the host's pipes moved to private descriptors (reader, writer, their fds);
    0, 1 and 2 become ``/dev/null``, so that nothing a test or a program prints can reach the host's pipe."""
    host_fds = (os.dup(0), os.dup(1))
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    os.close(null)
    return os.fdopen(host_fds[0], "rb"), os.fdopen(host_fds[1], "wb"), host_fds


def expect(message: dict[str, Any], **fields: type | tuple[type, ...]) -> dict[str, Any]:
    """``message`` if each named field is there with an exact type of its spec; else :class:`ProtocolError`."""
    for name, kinds in fields.items():
        kinds = kinds if isinstance(kinds, tuple) else (kinds,)
        if name not in message or type(message[name]) not in kinds:
            raise ProtocolError(f"message field {name!r} missing or not {'/'.join(k.__name__ for k in kinds)}")
    return message
