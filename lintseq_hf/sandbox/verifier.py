"""The trusted side of a test: runs the benchmark's test code against remote program functions.

The test process (the sandbox worker's own process, which never runs candidate code) executes
the benchmark's prompt, test and check code, each sample in a fresh namespace. The names the test takes from the program's namespace
(the entry point, and other functions the test calls that neither the prompt nor the builtins
define) are :class:`RemoteFunction` objects: each call crosses the channel of
:mod:`lintseq_hf.sandbox.channel` and returns exact plain data, or raises the builtin exception
the program raised. Anything else the program does on the channel fails the sample, whatever the
test code does with the error (:class:`SampleFailed` is not an ``Exception``, and the channel
remembers that it was broken).

This module is stdlib only: the sandbox worker loads it by path (see :mod:`.worker`). It is about
500 lines because the test side and the call planner whose plans it runs (:func:`planned_calls`,
section "batching") share the plan type (:class:`Loop`) and the rules of which names are remote.
"""

from __future__ import annotations

import ast
import builtins
import collections
import contextlib
import importlib
import json
import os
import signal
import socket
import sys
from dataclasses import dataclass
from types import CodeType
from typing import Any

from . import channel
from .base import CRASHED, ERROR, FAILED, MAX_DETAIL, PASSED, TIMEOUT, describe


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

    def __init__(self, sock: socket.socket, prompt_classes: dict[type, str]) -> None:
        self.sock = sock
        self.encoder = channel.ArgumentEncoder(prompt_classes)
        self.broken: SampleFailed | None = None
        self._next_id = 0
        self._prefetched: collections.deque[tuple[str, dict[str, Any]]] = collections.deque()
        self.loop: Loop | None = None
        self.modules: set[str] = set()

    def fail(self, detail: str, status: str = FAILED) -> SampleFailed:
        if self.broken is None:
            self.broken = SampleFailed(detail[:MAX_DETAIL], status)
        return self.broken

    def receive(self) -> dict[str, Any]:
        if self.broken is not None:
            raise self.broken
        try:
            return channel.recv_message(self.sock)
        except EOFError:
            raise self.fail("the program's process ended during the test", CRASHED) from None
        except (channel.ProtocolError, OSError) as err:
            raise self.fail(f"bad message from the program: {err}") from None

    def start(self, program: str, timeout: float, calls: list[tuple[str, tuple, dict[str, Any]]]) -> set[str] | str:
        """Send the program (and ``calls`` to make right after its module body, see :meth:`prefetch`);
        return its callable top-level names, or the error its module body raised."""
        encoded = self._encode_calls(calls)
        self._send({"program": program, "timeout": timeout, **({"batch": encoded} if encoded else {})})
        message = self.receive()
        names, modules = message.get("ready"), message.get("modules")
        if set(message) - {"results"} == {"ready", "modules"} and all(
                type(v) is list and all(type(n) is str for n in v) for v in (names, modules)):
            if encoded:
                self._store(encoded, message.get("results"))
            self.modules = set(modules)
            return set(names)
        if set(message) == {"failed"} and type(message["failed"]) is str:
            return message["failed"][:MAX_DETAIL]
        raise self.fail("bad first message from the program")

    def call(self, name: str, args: tuple, kwargs: dict[str, Any]) -> Any:
        if self.broken is not None:
            raise self.broken
        try:
            payload = {"call": name, "args": self.encoder.encode(args), "kwargs": self.encoder.encode(kwargs)}
        except (channel.NotPlainData, RecursionError) as err:
            raise HarnessLimit(str(err)) from None
        if self.loop is not None:  # the EvalPlus loop's first call: plan it from the test's frame
            loop, self.loop = self.loop, None
            frame = sys._getframe(2)  # the test code calling RemoteFunction.__call__
            inputs, results = frame.f_locals.get(loop.inputs), frame.f_locals.get(loop.results)
            if isinstance(inputs, (list, tuple)) and isinstance(results, (list, tuple)) and all(
                    isinstance(inp, (list, tuple)) for inp in inputs):
                self.prefetch([(loop.name, tuple(inp), {}) for inp in inputs[: len(results)]])
        if self._prefetched:
            key, reply = self._prefetched.popleft()
            if key != self._key(name, payload["args"], payload["kwargs"]):
                raise HarnessLimit(f"the test called {name} out of the planned order")
            return self._result(name, reply)
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
            return self._result(name, message)

    def prefetch(self, calls: list[tuple[str, tuple, dict[str, Any]]]) -> None:
        """Make ``calls`` (the exact sequence the test will make, see :func:`planned_calls`) in one
        request; :meth:`call` then answers them from the replies, in order, after checking each."""
        encoded = self._encode_calls(calls)
        self._next_id += 1
        request = self._next_id
        self._send({"batch": encoded, "id": request})
        message = self.receive()
        if set(message) != {"re", "results"} or message["re"] != request:
            raise self.fail("unexpected reply from the program to a batch of calls")
        self._store(encoded, message["results"])

    def _encode_calls(self, calls: list[tuple[str, tuple, dict[str, Any]]]) -> list[list[Any]]:
        try:
            return [[name, self.encoder.encode(args), self.encoder.encode(kwargs)] for name, args, kwargs in calls]
        except (channel.NotPlainData, RecursionError) as err:
            raise HarnessLimit(str(err)) from None

    def _store(self, encoded: list[list[Any]], replies: Any) -> None:
        """Keep the replies to a batch; the program stops a batch at its first reply that is not a value."""
        if type(replies) is not list or len(replies) > len(encoded):
            raise self.fail("unexpected reply from the program to a batch of calls")
        for (name, args, kwargs), reply in zip(encoded, replies):
            if type(reply) is not dict or len(reply) != 1:
                raise self.fail(f"unexpected reply from the program during a call to {name}")
            self._prefetched.append((self._key(name, args, kwargs), reply))

    @staticmethod
    def _key(name: str, args: Any, kwargs: Any) -> str:
        return json.dumps([name, args, kwargs])

    def _result(self, name: str, message: dict[str, Any]) -> Any:
        try:
            if "ok" in message:
                return channel.decode_plain(message["ok"])
            if "raise" in message and type(message["raise"]) is list and len(message["raise"]) == 3:
                error = channel.rebuild_exception(*message["raise"])
                raise error
        except channel.ProtocolError as err:
            raise self.fail(f"{name} returned a value that is not plain data ({err})") from None
        if "bad" in message:
            raise self.fail(f"{name} returned {str(message['bad'])[:200]}")
        if "abort" in message:
            raise self.fail(f"{name} raised {str(message['abort'])[:100]}")
        raise self.fail(f"unexpected reply from the program during a call to {name}")

    def _send(self, message: dict[str, Any]) -> None:
        try:
            channel.send_plain(self.sock, message)
        except OSError:
            raise self.fail("the program's process ended during the test", CRASHED) from None

    def _serve_callback(self, message: dict[str, Any]) -> None:
        """The program called a function the test passed to it: run it here, send the result back."""
        handle = message.get("callback")
        if set(message) != {"callback", "id", "args", "kwargs"} or type(handle) is not int or not (
                0 <= handle < len(self.encoder.callbacks)):
            raise self.fail("bad callback request from the program")
        try:
            args = channel.decode_plain(message["args"])
            kwargs = channel.decode_plain(message["kwargs"])
        except channel.ProtocolError as err:
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
            except (channel.NotPlainData, RecursionError) as err:
                raise HarnessLimit(str(err)) from None
        self._send(reply)


# --------------------------------------------------------------------------- batching


@dataclass(frozen=True)
class Loop:
    """The EvalPlus loop: ``name(*inp)`` for each ``inp`` of the list bound to ``inputs`` (as many as
    ``results`` has), read from the test's frame when the loop makes its first call."""

    name: str
    inputs: str
    results: str


def planned_calls(tree: ast.Module, check: str, entry: str, remote: set[str]) -> list[Any] | None:
    """The exact sequence of calls to program functions the test will make, when it is certain.

    That is when the code that calls them is straight-line (asserts, expressions, assignments,
    definitions, imports) and every call to a program function has literal arguments, is the only
    such call of its statement and is evaluated unconditionally (not under ``and``/``or``, ``if``
    expressions, comprehensions, lambdas or a later link of a comparison chain) — or is the EvalPlus
    loop ``for i, (inp, exp) in enumerate(zip(inputs, results)): assertion(f(*inp), exp, ...)`` over
    ``inputs`` (a :class:`Loop`, last). The calls then happen in this order until the first one that
    raises, after which the test fails whatever follows. ``None`` otherwise (the calls go one by one).
    """
    nodes = list(ast.walk(tree))
    names = [n for n in nodes if isinstance(n, ast.Name)]
    bound = {n.id for n in names if isinstance(n.ctx, ast.Store)}
    bound |= {n.name for n in nodes if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
    bound |= {(a.asname or a.name).split(".")[0] for n in nodes if isinstance(n, (ast.Import, ast.ImportFrom))
              for a in n.names}
    remote = set(remote) - bound
    if check:
        if check.strip() != f"check({entry})" or entry not in remote or "check" in remote:
            return None
        found = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "check"]
        if len(found) != 1 or len(found[0].args.args) != 1 or found[0].decorator_list:
            return None
        if any(n.id in remote for n in names):
            return None  # program functions named elsewhere in the test: calls outside check's plan
        parameter = found[0].args.args[0].arg
        if any(n.id == parameter and not isinstance(n.ctx, ast.Load) for n in names):
            return None
        body, callees = found[0].body, {parameter: entry}
    else:
        callees = {name: name for name in remote}
        body = [n for n in tree.body if not _inert_definition(n, callees)]
    calls: list[tuple[str, tuple, dict]] = []
    literals: dict[str, Any] = {}
    for statement in body:
        planned = _statement_calls(statement, callees, literals)
        if planned is None or (calls and isinstance(calls[-1], Loop)):
            return None  # a loop must be the last statement that calls the program
        calls += planned
    if any(isinstance(c, Loop) for c in calls) and len(calls) > 1:
        return None
    return calls


def _inert_definition(node: ast.stmt, callees: dict[str, str]) -> bool:
    """A def, class or import whose execution calls no program function."""
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return True
    if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and not node.decorator_list:
        header = [*getattr(node, "bases", []), *getattr(node, "keywords", [])]
        if isinstance(node, ast.FunctionDef):
            header = [*node.args.defaults, *[d for d in node.args.kw_defaults if d is not None]]
        return not any(isinstance(n, ast.Name) and n.id in callees for part in header for n in ast.walk(part)) and (
            not any(isinstance(n, ast.Name) and n.id in callees for n in ast.walk(node)))
    return False


def _statement_calls(node: ast.stmt, callees: dict[str, str], literals: dict[str, Any]) -> list | None:
    if isinstance(node, (ast.Pass, ast.Import, ast.ImportFrom)):
        return []
    if isinstance(node, ast.FunctionDef):
        return [] if _inert_definition(node, callees) else None
    names = [n for n in ast.walk(node) if isinstance(n, ast.Name)]
    if not any(n.id in callees for n in names):  # this statement calls no program function
        for name in names:
            if not isinstance(name.ctx, ast.Load):
                literals.pop(name.id, None)
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            literals[node.targets[0].id] = True  # computed without calling the program
        return []
    if isinstance(node, ast.Assign):
        for target in node.targets:
            for name in [n.id for n in ast.walk(target) if isinstance(n, ast.Name)]:
                literals.pop(name, None)
        planned = _expression_calls(node.value, callees)
        if planned == [] and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            literals[node.targets[0].id] = True  # computed without calling the program
        return planned
    if isinstance(node, ast.Assert):
        if node.msg is not None and _mentions(node.msg, callees):
            return None
        return _expression_calls(node.test, callees)
    if isinstance(node, ast.Expr):
        return _expression_calls(node.value, callees)
    if isinstance(node, ast.For):
        return _evalplus_loop(node, callees, literals)
    return None


def _mentions(node: ast.AST, callees: dict[str, str]) -> bool:
    return any(isinstance(n, ast.Name) and n.id in callees for n in ast.walk(node))


_LAZY = (ast.BoolOp, ast.IfExp, ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp,
         ast.NamedExpr, ast.Await, ast.Yield, ast.YieldFrom)


def _expression_calls(node: ast.expr, callees: dict[str, str]) -> list | None:
    sites: list[ast.Call] = []
    if not _eager_sites(node, callees, sites) or len(sites) > 1:
        return None
    planned = []
    for call in sites:
        try:
            args = tuple(ast.literal_eval(arg) for arg in call.args)
            kwargs = {kw.arg: ast.literal_eval(kw.value) for kw in call.keywords}
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            return None
        if any(kw.arg is None for kw in call.keywords) or any(isinstance(a, ast.Starred) for a in call.args):
            return None
        planned.append((callees[call.func.id], args, kwargs))
    return planned


def _eager_sites(node: ast.AST, callees: dict[str, str], sites: list[ast.Call]) -> bool:
    """Collect calls of program functions in ``node``; False if one may not run, or is not a plain call."""
    if isinstance(node, ast.Name):
        return node.id not in callees  # a bare reference: passed on or stored, cannot plan
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in callees:
        sites.append(node)
        return not any(_mentions(part, callees) for part in [*node.args, *node.keywords])
    if isinstance(node, _LAZY):
        return not _mentions(node, callees)
    if isinstance(node, ast.Compare):
        return all(_eager_sites(part, callees, sites) for part in (node.left, node.comparators[0])) and not any(
            _mentions(part, callees) for part in node.comparators[1:])
    return all(_eager_sites(child, callees, sites) for child in ast.iter_child_nodes(node))


def _evalplus_loop(node: ast.For, callees: dict[str, str], literals: dict[str, Any]) -> list | None:
    """``for i, (inp, exp) in enumerate(zip(inputs, results)): assertion(f(*inp), exp, atol)``."""
    try:
        index, pair = node.target.elts
        inp, exp = pair.elts
        inputs, results = node.iter.args[0].args
        (statement,) = node.body
        helper_call = statement.value
        call = helper_call.args[0]
        (starred,) = call.args
    except (AttributeError, ValueError, TypeError):
        return None
    shape_ok = (isinstance(node.iter, ast.Call) and getattr(node.iter.func, "id", None) == "enumerate"
                and getattr(node.iter.args[0].func, "id", None) == "zip" and not node.orelse
                and isinstance(statement, ast.Expr) and isinstance(helper_call, ast.Call)
                and isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id in callees
                and not call.keywords and isinstance(starred, ast.Starred)
                and isinstance(starred.value, ast.Name) and starred.value.id == getattr(inp, "id", None)
                and isinstance(inputs, ast.Name) and isinstance(results, ast.Name)
                and inputs.id in literals and results.id in literals
                and not any(_mentions(part, callees) for part in [*helper_call.args[1:], *helper_call.keywords])
                and not _mentions(helper_call.func, callees)
                and all(isinstance(t, ast.Name) for t in (index, exp)))
    if not shape_ok:
        return None
    return [Loop(callees[call.func.id], inputs.id, results.id)]


class RemoteFunction:
    """A function of the program, called through the channel."""

    __slots__ = ("_name", "_side", "__name__", "__qualname__")

    def __init__(self, name: str, side: TestSide) -> None:
        self._name = name
        self._side = side
        self.__name__ = self.__qualname__ = name

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


def verify(job: dict[str, Any], sock: socket.socket, timeout: float | None = None) -> dict[str, str]:
    """Run the job's test code against the program on the other end of ``sock``: ``{status, detail}``.

    With ``timeout``, a timer signal interrupts the test (again every 50 ms, should the test catch it)
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
                result = _verify(job, sock)
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


def _verify(job: dict[str, Any], sock: socket.socket) -> dict[str, str]:
    try:
        prompt = compile(job["prompt"], "<prompt>", "exec")
        tree = ast.parse(job["test"] + "\n", "<test>")
        check = ast.parse(job["check"], "<test>") if job["check"] else ast.Module(body=[], type_ignores=[])
        test = compile(ast.Module(body=tree.body + check.body, type_ignores=[]), "<test>", "exec")
    except (SyntaxError, ValueError) as err:
        return {"status": ERROR, "detail": f"the benchmark's code does not compile: {err}"}
    namespace: dict[str, Any] = {}
    try:
        exec(prompt, namespace)  # noqa: S102 - the benchmark's prompt: trusted code
    except Exception as err:  # noqa: BLE001 - report a broken benchmark row, do not guess
        return {"status": ERROR, "detail": f"the benchmark's prompt raised {describe(err, '<prompt>')}"}
    side = TestSide(sock, _prompt_classes(namespace))
    try:
        entry = job["entry_point"]
        wanted = {entry} | (_code_names(test) - set(dir(builtins)) - set(namespace))
        # Planned as if the program defined every wanted name: a call of one it lacks stops the
        # batch (not a value), and the test meets a NameError (or the prompt's stub) at that call.
        calls = planned_calls(tree, job["check"], entry, wanted) or []
        if calls and isinstance(calls[0], Loop):
            side.loop, calls = calls[0], []
        ready = side.start(job["program"], float(job["timeout"]), calls)
        if isinstance(ready, str):
            return {"status": FAILED, "detail": ready}
        for name in wanted & ready:
            namespace[name] = RemoteFunction(name, side)
        for name in (wanted & side.modules) - ready:  # a module the program imported: the real one
            try:
                namespace[name] = importlib.import_module(name)
            except ImportError:
                pass
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
