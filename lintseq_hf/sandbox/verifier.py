"""The trusted side of a test: runs the benchmark's test code against remote program functions.

The test process (the sandbox worker's own process, which never runs candidate code) executes
the benchmark's prompt, test and check code, each sample in a fresh namespace. The names the test takes from the program's namespace
(the entry point, and other functions the test calls that neither the prompt nor the builtins
define) are :class:`RemoteFunction` objects: each call crosses the channel of
:mod:`lintseq_hf.sandbox.channel` and returns exact plain data, or raises the builtin exception
the program raised. Anything else the program does on the channel fails the sample, whatever the
test code does with the error (:class:`SampleFailed` is not an ``Exception``, and the channel
remembers that it was broken).

This module is stdlib only: the sandbox worker loads it from its file.
"""

from __future__ import annotations

import builtins
import contextlib
import os
import signal
import socket
import traceback
from types import CodeType
from typing import Any

PASSED = "passed"
FAILED = "failed"
CRASHED = "crashed"
TIMEOUT = "timeout"
ERROR = "error"
MAX_DETAIL = 1000


class SampleFailed(BaseException):
    """The program broke the channel's rules (or died): the sample fails."""

    def __init__(self, detail: str, status: str = FAILED) -> None:
        super().__init__(detail)
        self.detail = detail
        self.status = status


class Deadline(BaseException):
    """The sample's wall-clock time is up (raised by a timer signal in the test process)."""


class HarnessLimit(BaseException):
    """The test needs something the channel cannot carry: the sample's verdict is ``error``."""


class TestSide:
    """The trusted end of the channel (one per sample)."""

    def __init__(self, sock: socket.socket, codec: Any, prompt_classes: dict[type, str]) -> None:
        self.sock = sock
        self.codec = codec
        self.encoder = codec.ArgumentEncoder(prompt_classes)
        self.broken: SampleFailed | None = None
        self._next_id = 0

    def fail(self, detail: str, status: str = FAILED) -> SampleFailed:
        if self.broken is None:
            self.broken = SampleFailed(detail[:MAX_DETAIL], status)
        return self.broken

    def receive(self) -> dict[str, Any]:
        if self.broken is not None:
            raise self.broken
        try:
            return self.codec.recv_message(self.sock)
        except EOFError:
            raise self.fail("the program's process ended during the test", CRASHED) from None
        except (self.codec.ProtocolError, OSError) as err:
            raise self.fail(f"bad message from the program: {err}") from None

    def hello(self) -> set[str] | str:
        """The program's callable top-level names, or the error its module body raised."""
        message = self.receive()
        names = message.get("ready")
        if set(message) == {"ready"} and type(names) is list and all(type(n) is str for n in names):
            return set(names)
        if set(message) == {"failed"} and type(message["failed"]) is str:
            return message["failed"][:MAX_DETAIL]
        raise self.fail("bad first message from the program")

    def call(self, name: str, args: tuple, kwargs: dict[str, Any]) -> Any:
        if self.broken is not None:
            raise self.broken
        try:
            payload = {"call": name, "args": self.encoder.encode(args), "kwargs": self.encoder.encode(kwargs)}
        except (self.codec.NotPlainData, RecursionError) as err:
            raise HarnessLimit(str(err)) from None
        self._next_id += 1
        request = payload["id"] = self._next_id
        self._send(payload)
        while True:
            message = self.receive()
            if "callback" in message:
                self._serve_callback(message)
                continue
            if message.get("re") != request or len(message) != 2:
                raise self.fail(f"unexpected message from the program during a call to {name}")
            try:
                if "ok" in message:
                    return self.codec.decode_plain(message["ok"])
                if "raise" in message and type(message["raise"]) is list and len(message["raise"]) == 3:
                    error = self.codec.rebuild_exception(*message["raise"])
                    raise error
            except self.codec.ProtocolError as err:
                raise self.fail(f"{name} returned a value that is not plain data ({err})") from None
            if "bad" in message:
                raise self.fail(f"{name} returned {str(message['bad'])[:200]}")
            if "abort" in message:
                raise self.fail(f"{name} raised {str(message['abort'])[:100]}")
            raise self.fail(f"unexpected reply from the program during a call to {name}")

    def _send(self, message: dict[str, Any]) -> None:
        try:
            self.codec.send_message(self.sock, message)
        except OSError:
            raise self.fail("the program's process ended during the test", CRASHED) from None

    def _serve_callback(self, message: dict[str, Any]) -> None:
        """The program called a function the test passed to it: run it here, send the result back."""
        handle = message.get("callback")
        if set(message) != {"callback", "id", "args", "kwargs"} or type(handle) is not int or not (
                0 <= handle < len(self.encoder.callbacks)):
            raise self.fail("bad callback request from the program")
        try:
            args = self.codec.decode_plain(message["args"])
            kwargs = self.codec.decode_plain(message["kwargs"])
        except self.codec.ProtocolError as err:
            raise self.fail(f"the program passed a value that is not plain data ({err})") from None
        if type(args) is not tuple or type(kwargs) is not dict or not all(type(k) is str for k in kwargs):
            raise self.fail("bad callback arguments from the program")
        reply: dict[str, Any] = {"re": message["id"]}
        try:
            value = self.encoder.callbacks[handle](*args, **kwargs)
        except Exception as err:  # noqa: BLE001 - the test's own exception goes back to the program
            reply["raise"] = [type(err).__name__, None, str(err)[:MAX_DETAIL]]
        else:
            try:
                reply["ok"] = self.encoder.encode(value)
            except (self.codec.NotPlainData, RecursionError) as err:
                raise HarnessLimit(str(err)) from None
        self._send(reply)


class RemoteFunction:
    """A function of the program, called through the channel."""

    __slots__ = ("_name", "_side")

    def __init__(self, name: str, side: TestSide) -> None:
        self._name = name
        self._side = side

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._side.call(self._name, args, kwargs)

    def __repr__(self) -> str:
        return f"<program function {self._name}>"


def _code_names(code: CodeType) -> set[str]:
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, CodeType):
            names |= _code_names(const)
    return names


def _prompt_classes(namespace: dict[str, Any]) -> dict[type, str]:
    return {value: name for name, value in namespace.items()
            if isinstance(value, type) and getattr(builtins, name, None) is not value
            and value.__module__ in ("builtins", namespace.get("__name__")) and value.__qualname__ == name}


def describe(err: BaseException, filename: str) -> str:
    """``Type: message (line N)`` for a failure, the line taken from ``filename``'s frames."""
    try:
        message = str(err)
    except Exception:  # noqa: BLE001 - a rebuilt exception's message is data, but be safe
        message = ""
    text = f"{type(err).__name__}: {message}" if message else type(err).__name__
    frames = [f.lineno for f in traceback.extract_tb(err.__traceback__) if f.filename == filename]
    if frames and not isinstance(err, (AssertionError, MemoryError)):
        text += f" (line {frames[-1]})"
    return text[:MAX_DETAIL]


def verify(job: dict[str, Any], sock: socket.socket, codec: Any, timeout: float | None = None) -> dict[str, str]:
    """Run the job's test code against the program on the other end of ``sock``: ``{status, detail}``.

    ``codec`` is :mod:`lintseq_hf.sandbox.channel` (passed in: the worker loads it by path). With
    ``timeout``, a timer signal interrupts the test (again every 50 ms, should the test catch it)
    and the verdict is ``timeout``; the test's output goes to ``/dev/null``.
    """
    state = {"active": True, "expired": False}

    def on_alarm(_signum: int, _frame: Any) -> None:
        if state["active"]:
            state["expired"] = True
            raise Deadline

    previous = signal.signal(signal.SIGALRM, on_alarm) if timeout is not None else None
    try:
        with open(os.devnull, "w", encoding="utf-8") as null, contextlib.redirect_stdout(null), \
                contextlib.redirect_stderr(null):
            if timeout is not None:
                signal.setitimer(signal.ITIMER_REAL, max(timeout, 1e-3), 0.05)
            try:
                result = _verify(job, sock, codec)
            finally:
                state["active"] = False
                if timeout is not None:
                    signal.setitimer(signal.ITIMER_REAL, 0, 0)
    except Deadline:
        result = {"status": TIMEOUT, "detail": "wall-clock limit"}
    finally:
        if previous is not None:
            signal.signal(signal.SIGALRM, previous)
    if state["expired"]:
        return {"status": TIMEOUT, "detail": "wall-clock limit"}
    return result


def _verify(job: dict[str, Any], sock: socket.socket, codec: Any) -> dict[str, str]:
    try:
        prompt = compile(job["prompt"], "<prompt>", "exec")
        test = compile(job["test"] + ("\n" + job["check"] if job["check"] else "") + "\n", "<test>", "exec")
    except SyntaxError as err:
        return {"status": ERROR, "detail": f"the benchmark's code does not compile: {err}"}
    namespace: dict[str, Any] = {}
    try:
        exec(prompt, namespace)  # noqa: S102 - the benchmark's prompt: trusted code
    except Exception as err:  # noqa: BLE001 - report a broken benchmark row, do not guess
        return {"status": ERROR, "detail": f"the benchmark's prompt raised {describe(err, '<prompt>')}"}
    side = TestSide(sock, codec, _prompt_classes(namespace))
    try:
        ready = side.hello()
        if isinstance(ready, str):
            return {"status": FAILED, "detail": ready}
        entry = job["entry_point"]
        wanted = {entry} | (_code_names(test) - set(dir(builtins)) - set(namespace))
        for name in wanted & ready:
            namespace[name] = RemoteFunction(name, side)
        exec(test, namespace)  # noqa: S102 - the benchmark's tests: trusted code
    except SampleFailed as failure:
        return {"status": failure.status, "detail": failure.detail}
    except HarnessLimit as limit:
        return {"status": ERROR, "detail": f"the test cannot run through the channel: {limit}"[:MAX_DETAIL]}
    except Deadline:
        raise
    except BaseException as err:  # noqa: BLE001 - any exception of the test code is a failed test
        if side.broken is not None:
            return {"status": side.broken.status, "detail": side.broken.detail}
        return {"status": FAILED, "detail": describe(err, "<test>")}
    if side.broken is not None:  # the test caught the error itself: the sample still fails
        return {"status": side.broken.status, "detail": side.broken.detail}
    return {"status": PASSED, "detail": ""}
