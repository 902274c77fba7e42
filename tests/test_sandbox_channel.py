"""The plain-data channel and the test side's planning of calls (units), and judging through the sandbox."""

from __future__ import annotations

import ast
import math
import os
import socket
import tempfile
import textwrap
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from lintseq_hf.sandbox import Sandbox, SandboxLimits
from lintseq_hf.sandbox import TestJob as Job
from lintseq_hf.sandbox.channel import (
    MAX_DEPTH,
    ArgumentEncoder,
    NotPlainData,
    RemoteError,
    ProtocolError,
    decode_plain,
    describe_exception,
    encode_plain,
    program_value,
    rebuild_exception,
    recv_message,
    send_plain,
)
from lintseq_hf.sandbox.verifier import Loop, planned_calls

PLAIN = [None, True, False, 0, -7, 2**64 + 1, -(2**100), 1.5, -0.0, math.inf, 1e-300, 2 + 3j, "", "é\u0000x",
         b"\x00\xff", [], [1, [2.0, "3"]], (), (1,), {1, 2}, frozenset({"a"}), {}, {(1, 2): [3], "k": None},
         [{frozenset({(1, b"x")}): (None,)}], [1, 1.0, True, -0.0, 0.0, False, 0], (frozenset({1}), {1}, [{1: 1.0}]),
         {True: 1, 2: 2.0, 3.5: False}, Fraction(-7, 3), [Fraction(2**70, 3)], Decimal("0.25"), (Decimal("-0"),),
         {"x": [Decimal("1E+3"), Fraction(1, 2)]}]


def same(left, right) -> bool:
    """Equal with the same type at every level (``1 == 1.0 == True`` and ``0.0 == -0.0`` do not count)."""
    if type(left) is not type(right):
        return False
    if type(left) is float:
        return math.copysign(1, left) == math.copysign(1, right) and (left == right or left != left and right != right)
    if type(left) is Decimal:
        return str(left) == str(right)
    if type(left) in (list, tuple):
        return len(left) == len(right) and all(same(a, b) for a, b in zip(left, right))
    if type(left) in (set, frozenset):
        return len(left) == len(right) and all(any(same(a, b) for b in right) for a in left)
    if type(left) is dict:
        return len(left) == len(right) and all(
            any(same(k, j) and same(v, right[j]) for j in right) for k, v in left.items())
    return left == right


@pytest.mark.parametrize("value", PLAIN, ids=repr)
def test_plain_data_round_trips_as_exact_builtin_types(value):
    import json

    encoded = json.loads(json.dumps(encode_plain(value)))
    assert same(decode_plain(encoded), value)
    assert same(decode_plain(json.loads(json.dumps(program_value(value)))), value)


def test_the_type_check_of_the_round_trip_sees_nested_differences():
    assert not same([1], [1.0]) and not same({1: True}, {1: 1}) and not same((0.0,), (-0.0,))
    assert not same({frozenset({1})}, {frozenset({True})}) and not same([{1}], [frozenset({1})])


def test_nan_survives_the_encoding():
    import json

    assert math.isnan(decode_plain(json.loads(json.dumps(encode_plain(float("nan"))))))


@pytest.mark.parametrize("data", [
    {"status": "passed"}, ["x", 1], ["l", {"a": 1}], [1, 2], ["d", 1], ["s", ["l"]], ["d", ["l"], 1],
    ["i", "zz"], ["b", "0"], ["c", "1", 2], ["i", 5], [],
], ids=repr)
def test_the_trusted_decoder_rejects_anything_but_the_tagged_encoding(data):
    with pytest.raises(ProtocolError):
        decode_plain(data)


def test_the_trusted_decoder_limits_depth():
    nested = None
    for _ in range(MAX_DEPTH + 1):
        nested = ["l", nested]
    with pytest.raises(ProtocolError, match="deeper"):
        decode_plain(nested)


def test_the_exact_encoder_refuses_subclasses_and_objects():
    class Int(int):
        pass

    for value in (Int(3), object(), (x for x in ()), print, range(3)):
        with pytest.raises(NotPlainData):
            encode_plain(value)


def test_the_program_side_reads_subclasses_through_their_base_type():
    class Rigged(float):
        def __eq__(self, other):
            return True

        def __float__(self):
            return 0.5

        __hash__ = float.__hash__

    class Long(list):
        def __len__(self):
            return 0

        def __iter__(self):
            return iter(["lie"])

    class Text(str):
        def __str__(self):
            return "lie"

    assert decode_plain(program_value(Rigged(7.0))) == 7.0
    assert decode_plain(program_value(Long([1, 2]))) == [1, 2]
    assert decode_plain(program_value(Text("truth"))) == "truth"
    assert type(decode_plain(program_value({"a": Text("b")}))["a"]) is str


def test_numpy_scalars_become_python_values_and_arrays_are_refused():
    np = pytest.importorskip("numpy")
    assert decode_plain(program_value(np.int64(3))) == 3 and type(decode_plain(program_value(np.int64(3)))) is int
    assert decode_plain(program_value(np.float32(0.5))) == 0.5
    with pytest.raises(NotPlainData):
        program_value(np.array([1]))


def test_test_arguments_may_be_callables_ranges_and_prompt_class_instances():
    class Node:
        def __init__(self, value):
            self.value = value

    encoder = ArgumentEncoder({Node: "Node"})
    function = len
    assert encoder.encode((function, range(1, 5, 2), Node(3))) == [
        "t", ["fn", 0], ["r", 1, 5, 2], ["o", "Node", ["d", "value", 3]]]
    assert encoder.callbacks == [function]
    with pytest.raises(NotPlainData, match="cannot be sent"):
        encoder.encode(object())


def test_exceptions_arrive_as_their_nearest_builtin_class():
    class Negative(ValueError):
        pass

    error = rebuild_exception(*describe_exception(Negative("negative", 2)))
    assert type(error) is ValueError and error.args == ("negative", 2)
    assert type(rebuild_exception("KeyError", ["t", "k"], "'k'")) is KeyError
    assert type(rebuild_exception("SystemExit", None, "0")) is RemoteError
    assert type(rebuild_exception("NotABuiltin", None, "x")) is RemoteError
    with pytest.raises(ProtocolError):
        rebuild_exception(1, None, "x")


def test_framing_rejects_oversized_and_non_object_messages():
    left, right = socket.socketpair()
    with left, right:
        send_plain(left, {"ok": 1})
        assert recv_message(right) == {"ok": 1}
        left.sendall(b"\xff\xff\xff\xff")
        with pytest.raises(ProtocolError, match="exceeds"):
            recv_message(right)
    left, right = socket.socketpair()
    with left, right:
        left.sendall(b"\x00\x00\x00\x03[1]")
        with pytest.raises(ProtocolError, match="not a JSON object"):
            recv_message(right)
        left.close()
        with pytest.raises(EOFError):
            recv_message(right)


# ------------------------------------------------------------------ planning batched calls


def plan(test: str, check: str = "check(f)", remote=frozenset({"f"})):
    return planned_calls(ast.parse(textwrap.dedent(test)), check, "f", set(remote))


def test_straight_line_asserts_with_literal_arguments_are_planned_in_order():
    test = """
    def check(candidate):
        assert candidate(1, [2]) == 3
        assert abs(candidate(x=-1.5) - 1) < 1e-6
        assert candidate((1, 2), {"a": {3}})
    """
    assert plan(test) == [("f", (1, [2]), {}), ("f", (), {"x": -1.5}), ("f", ((1, 2), {"a": {3}}), {})]


@pytest.mark.parametrize("body", [
    "assert candidate(1) or candidate(2)",  # short-circuit
    "assert candidate(1) == candidate(2)",  # two calls in one statement
    "assert 0 < 1 < candidate(1)",  # later link of a comparison chain
    "x = 1\n    assert candidate(x) == 1",  # not a literal argument
    "for i in range(3):\n        assert candidate(i)",  # a loop
    "if True:\n        assert candidate(1)",  # a branch
    "g = candidate\n    assert g(1)",  # the function stored under another name
    "assert [candidate(i) for i in (1, 2)]",  # a comprehension
    "candidate = print\n    assert candidate(1)",  # rebound
])
def test_calls_whose_sequence_is_not_certain_are_not_planned(body):
    assert plan(f"def check(candidate):\n    {body}\n") is None


def test_the_evalplus_loop_is_planned_from_the_tests_own_inputs():
    test = """
    def assertion(out, exp, atol):
        assert out == exp
    def check(candidate):
        inputs = [[1, 2], [3, 4]]
        results = [3, 7]
        for i, (inp, exp) in enumerate(zip(inputs, results)):
            assertion(candidate(*inp), exp, 0)
    """
    assert plan(test) == [Loop("f", "inputs", "results")]


def test_module_level_mbpp_asserts_are_planned_and_helpers_calling_the_program_are_not():
    assert plan("import math\nassert f(1) == 2\nassert math.isclose(f(2.5), 1)\n", check="") == [
        ("f", (1,), {}), ("f", (2.5,), {})]
    assert plan("def helper():\n    return f(1)\nassert helper() == 2\n", check="") is None


# ------------------------------------------------------------------ judging


@pytest.fixture(scope="module")
def box():
    with Sandbox(SandboxLimits(timeout=30.0), workers=1) as sandbox:
        yield sandbox


def job(program: str, test: str, entry: str = "f", check: str = "", prompt: str = "") -> Job:
    return Job(program=textwrap.dedent(program), prompt=prompt, test=textwrap.dedent(test),
                   entry_point=entry, check=check)


def test_a_call_sequence_that_is_not_planned_still_gives_exact_results(box):
    program = "calls = []\ndef f(x):\n    calls.append(x)\n    return len(calls)\n"
    test = "for i in range(3):\n    assert f(i) == i + 1\nassert f(9) == 4\n"
    assert box.judge(job(program, test)).passed


def test_state_kept_by_the_program_across_planned_calls_matches_one_call_at_a_time(box):
    program = "calls = []\ndef f(x):\n    calls.append(x)\n    return list(calls)\n"
    assert box.judge(job(program, "assert f(1) == [1]\nassert f(2) == [1, 2]\n")).passed


def test_a_callback_runs_in_the_test_process_and_may_call_the_program_again(box):
    program = "def f(g, x):\n    return g(x) + 1\ndef double(x):\n    return 2 * x\n"
    test = "assert f(lambda v: double(v), 5) == 11\nassert f(abs, -3) == 4\n"
    assert box.judge(job(program, test)).passed


def test_a_test_that_catches_the_failure_still_fails(box):
    program = "def f():\n    return object()\n"
    test = "try:\n    f()\nexcept BaseException:\n    pass\n"
    result = box.judge(job(program, test))
    assert result.status == "failed" and "not plain data" in result.detail


def test_a_syntax_error_in_the_program_fails_with_its_message(box):
    result = box.judge(job("def f(:\n", "assert f() == 1\n"))
    assert result.status == "failed" and "SyntaxError" in result.detail


def test_judge_and_whole_program_runs_share_a_worker(box):
    assert box.judge(job("def f():\n    return 1\n", "assert f() == 1\n")).passed
    assert box.run("assert 1 + 1 == 2").passed
    assert box.judge(job("def f():\n    return 2\n", "assert f() == 1\n")).status == "failed"


def test_a_forged_report_without_a_status_does_not_stop_the_worker(box):
    forged = "import os\nos.write(3, b'{\"nonce\": \"x\", \"detail\": \"no status\"}')\nos._exit(0)\n"
    assert box.run(forged).status == "crashed"
    assert box.run("x = 1").passed


def test_without_isolation_verdicts_are_the_same():
    with Sandbox(SandboxLimits(timeout=30.0), isolate=False) as sandbox:
        assert sandbox.judge(job("def f(x):\n    return x * 2\n", "assert f(2) == 4\n")).passed
        assert sandbox.judge(job("def f(x):\n    return x\n", "assert f(2) == 4\n")).status == "failed"


def test_a_module_the_program_imported_is_the_real_module_for_the_test(box):
    program = "import math\ndef area(r):\n    return math.pi * r * r\n"
    assert box.judge(job(program, "assert math.isclose(area(1), 3.14159, rel_tol=1e-3)\n", entry="area")).passed
    impostor = "import unittest.mock as math\ndef area(r):\n    return 0\n"  # bound to another module: not given
    assert box.judge(job(impostor, "assert math.isclose(area(1), 3.14159)\n", entry="area")).status == "failed"


def _visible_to_programs(folder: Path) -> bool:
    """A folder the sandbox does not replace (its private /tmp, /var/tmp, ...) and every uid can traverse."""
    folder = folder.resolve()
    if any(folder == Path(p) or Path(p) in folder.parents for p in ("/tmp", "/var/tmp", "/dev/shm", "/run/lock")):
        return False
    return all(part.stat().st_mode & 0o001 for part in (folder, *folder.parents))


def test_benchmark_files_are_hidden_from_programs():
    # a world-readable file the programs could open: next to the tests, or (for a checkout under /tmp,
    # which the sandbox replaces anyway) in a fresh folder under /var/cache
    folder = Path(__file__).resolve().parent
    made = None
    if not _visible_to_programs(folder):
        made = folder = Path(tempfile.mkdtemp(prefix="lintseq-hidden-test-", dir="/var/cache"))
        folder.chmod(0o755)
    secret = folder / f".lintseq-hidden-{os.getpid()}.jsonl"
    secret.write_text('{"canonical_solution": "secret"}\n')
    secret.chmod(0o644)
    program = f"def f():\n    return open({str(secret)!r}).read()\n"
    try:
        with Sandbox(SandboxLimits(timeout=30.0)) as sandbox:
            assert sandbox.judge(job(program, "assert 'secret' in f()\n")).passed
        with Sandbox(SandboxLimits(timeout=30.0), hide=[secret]) as sandbox:
            if not sandbox.isolation.private_tmp:
                pytest.fail("host cannot give a private mount namespace (run the suite as root)")
            assert sandbox.judge(job(program, "assert f() == ''\n")).passed
    finally:
        secret.unlink()
        if made is not None:
            made.rmdir()


def test_a_batch_too_large_for_one_reply_continues_call_by_call_and_each_call_runs_once(box):
    program = "calls = []\ndef f(k):\n    calls.append(k)\n    return 'x' * (1 << 20) + str(len(calls))\n"
    test = "".join(f"assert f({k}).endswith('{k + 1}')\n" for k in range(12))
    assert plan(test, check="", remote={"f"}) is not None
    assert box.judge(job(program, test)).passed


@pytest.mark.slow
def test_a_worker_that_stops_answering_is_an_error_for_that_sample_only():
    # only the benchmark's own test code could do this (it swallows the timer's BaseException)
    test = "while True:\n    try:\n        f()\n        while True:\n            pass\n    except BaseException:\n        pass\n"
    with Sandbox(SandboxLimits(timeout=1.0)) as sandbox:
        result = sandbox.judge(job("def f():\n    return 1\n", test))
        assert result.status == "error" and "no verdict" in result.detail
        assert sandbox.judge(job("def f():\n    return 1\n", "assert f() == 1\n"), timeout=30.0).passed


COLLIDING_SET = """
import sys
MODULUS = (1 << 61) - 1  # every multiple of it hashes to 0
COLLIDERS = ["s", *[["i", format(k * MODULUS, "x")] for k in range(1, 60_001)]]
def f():
    return None
for module in list(sys.modules.values()):  # the channel's encoder, made to send a set of 60,000 colliders
    if hasattr(module, "program_value") and hasattr(module, "ProgramSide"):
        module.program_value = lambda value, depth=0: COLLIDERS
"""


def test_a_reply_whose_set_members_collide_in_hash_fails_within_the_timeout():
    """Decoding is bounded in work, not only in bytes: a set of 60,000 members with one hash would keep the
    test process in C code far past its timer."""
    with Sandbox(SandboxLimits(timeout=5.0)) as sandbox:
        result = sandbox.judge(job(COLLIDING_SET, "assert f() == set()\n"))
    assert result.status in ("failed", "timeout"), result


def test_the_trusted_decoder_refuses_sets_and_dicts_of_colliding_members_but_not_large_honest_ones():
    modulus = (1 << 61) - 1
    colliding = [["i", format(k * modulus, "x")] for k in range(1, 20_001)]
    for data in (["s", *colliding], ["z", *colliding], ["d", *[x for key in colliding for x in (key, 0)]]):
        with pytest.raises(ProtocolError, match="collide"):
            decode_plain(data)
    assert decode_plain(["s", *range(200_000)]) == set(range(200_000))
    assert len(decode_plain(["d", *[x for k in range(100_000) for x in (str(k), k)]])) == 100_000


def test_an_iterator_result_arrives_as_an_iterator_over_its_items():
    decoded = decode_plain(program_value(x * x for x in range(4)))
    assert iter(decoded) is decoded and list(decoded) == [0, 1, 4, 9]
    assert decode_plain(program_value(map(str, [1, 2]))) is not None
    assert list(decode_plain(program_value(zip("ab", (1, 2))))) == [("a", 1), ("b", 2)]
