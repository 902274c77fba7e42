"""Scoring on real benchmark rows (tests/data/*/upstream, copied byte for byte from the benchmarks' own files, see
the README beside them), and each benchmark's own time limit as the default run budget."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from compiled_cases import edit_sequence, fenced

from lintseq_hf.evaluation.assembly import RUN_TIMEOUT, assemble, plain_rule, rand_08_ranges, run_plain, sandbox_job
from lintseq_hf.evaluation.problems import Problem, load_problems
from lintseq_hf.evaluation.scoring import judge, pass_at_k_of

ROOT = Path(__file__).resolve().parent.parent
UPSTREAM = ROOT / "tests" / "data" / "humanevalpack" / "upstream"
MULTIPLE = ROOT / "tests" / "data" / "multiple" / "upstream"
MULTIPLE_LANGUAGES = {"cpp": "cpp", "java": "java", "js": "js", "rs": "rust", "ts": "ts"}


def _rows(language: str) -> list[dict]:
    return [json.loads(line) for line in (UPSTREAM / f"{language}.jsonl").read_text(encoding="utf-8").splitlines()]


@pytest.mark.slow
@pytest.mark.parametrize("language", ["cpp", "js", "java", "rust"])
def test_real_humanevalpack_canonical_solutions_pass_in_all_three_modes_and_buggy_ones_fail(language):
    problems = load_problems(f"humanevalpack_{language}", UPSTREAM / f"{language}.jsonl")
    rows = {row["task_id"]: row for row in _rows(language)}
    canonical, buggy = [], []
    for problem in problems:
        row = rows[problem.task_id]
        whole = (row["prompt"] + row["canonical_solution"]).strip() + "\n"
        canonical += [
            {"task_id": problem.task_id, "mode": "completion", "completion": row["canonical_solution"]},
            {"task_id": problem.task_id, "mode": "lintseq", "completion": edit_sequence(whole)},
            {"task_id": problem.task_id, "mode": "instruct", "completion": fenced(whole, language)},
        ]
        buggy.append({"task_id": problem.task_id, "mode": "completion", "completion": row["buggy_solution"]})
    results = judge(canonical + buggy, problems, workers=2)
    honest, wrong = results[: len(canonical)], results[len(canonical):]
    assert [(r.task_id, r.status, r.detail) for r in honest if not r.passed] == []
    assert pass_at_k_of(honest, [1]) == {"pass@1": 1.0}
    # every buggy solution of these rows is caught by its tests (none is a compile error: the bug is in the logic)
    assert [(r.task_id, r.status) for r in wrong if r.status != "failed"] == []


def test_humanevalpack_rust_tests_written_for_rand_04_call_gen_range_with_one_range():
    tests = {row["task_id"]: row["test"] for row in _rows("rust")}
    adapted = rand_08_ranges(tests["Rust/50"])
    assert "rng.gen_range(b'a'..b'z' + 1)" in adapted and "rng.gen_range(0..2)" in adapted
    assert "gen_range(0, 2)" not in adapted and adapted.count("gen_range(") == tests["Rust/50"].count("gen_range(")
    assert rand_08_ranges("x.gen_range(f(a, b), \"1,2\")") == "x.gen_range(f(a, b)..\"1,2\")"
    assert rand_08_ranges("rng.gen_range(0..4) + gen_range(1, 2)") == "rng.gen_range(0..4) + gen_range(1, 2)"


def test_a_comment_between_test_attribute_and_fn_keeps_the_rust_test_function():
    """Rust/50 writes ``#[test]``, a ``//`` comment, then ``fn test_decode_encode``: our driver must call it."""
    problem = load_problems("humanevalpack_rust", UPSTREAM / "rust.jsonl")[1]
    job = sandbox_job(problem, assemble(problem, problem.canonical_solution, "completion"))
    source = job.files["main.rs"]
    assert "tests::test_decode_encode();" in source and "#[test]" not in source


def test_the_rust_adaptation_touches_the_tests_only_never_the_candidate():
    problem = load_problems("humanevalpack_rust", UPSTREAM / "rust.jsonl")[1]  # Rust/50
    completion = "    let _ = rand::thread_rng().gen_range(0, 4);\n    s.to_string()\n}\n"
    assembled = assemble(problem, completion, "completion")
    assert "gen_range(0, 4)" in assembled.program and "gen_range(0, 4)" not in assembled.tests


def _multiple_inputs(language: str, tmp_path: Path) -> tuple[Problem, list[str]]:
    """MultiPL-E's evaluator input for HumanEval_53 as a problems row of the dataset schema, and its completions."""
    data = json.loads((MULTIPLE / f"{language}-davinci-0.2-keep-HumanEval53.json").read_text(encoding="utf-8"))
    source = tmp_path / f"humaneval-{language}.jsonl"
    source.write_text(json.dumps({key: data[key] for key in ("name", "language", "prompt", "tests", "stop_tokens")})
                      + "\n", encoding="utf-8")
    return load_problems(f"multiple_{language}", source)[0], data["completions"]


@pytest.mark.parametrize("language", [pytest.param(lang, marks=pytest.mark.slow) if lang in ("rs", "ts", "java")
                                      else lang for lang in MULTIPLE_LANGUAGES])
def test_real_multiple_completions_get_the_verdicts_of_multiples_own_rule(language, tmp_path):
    problem, completions = _multiple_inputs(language, tmp_path)
    results = judge([{"task_id": problem.task_id, "completion": c} for c in completions], [problem],
                    mode="completion", workers=2)
    theirs = [run_plain(plain_rule(problem, assemble(problem, c, "completion"))).passed for c in completions]
    assert [r.passed for r in results] == theirs == [True, False]  # one right completion, one wrong, in each file
    assert results[0].program == problem.prompt + completions[0] + "\n" + problem.test


def test_the_default_run_budget_is_each_benchmarks_own_limit_and_an_explicit_one_overrides(tmp_path):
    multiple, _ = _multiple_inputs("js", tmp_path)
    pack = load_problems("humanevalpack_js", UPSTREAM / "js.jsonl")[0]
    python = load_problems("humaneval", limit=1)[0]
    samples = [{"task_id": p.task_id, "completion": "syntax error (("} for p in (multiple, pack, python)]
    default = judge(samples, [multiple, pack, python], mode="completion", workers=1)
    assert [r.timeout for r in default] == [5.0, 10.0, 10.0] == [RUN_TIMEOUT[("multiple", "js")],
                                                                  RUN_TIMEOUT[("humanevalpack", "js")], 10.0]
    assert [r.timeout for r in judge(samples, [multiple, pack, python], mode="completion", timeout=3,
                                     workers=1)] == [3.0, 3.0, 3.0]


@pytest.mark.slow
def test_the_benchmarks_limit_is_the_budget_the_program_runs_under(tmp_path):
    """A program that blocks forever (no CPU) stops at the wall-clock limit of its benchmark: MultiPL-E's 5 s
    for JavaScript, not HumanEvalPack's 10 s."""
    problem, _ = _multiple_inputs("js", tmp_path)
    blocked = "    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);\n}\n"
    result = judge([{"task_id": problem.task_id, "completion": blocked}], [problem], mode="completion", workers=1)[0]
    assert (result.status, result.detail, result.timeout) == ("timeout", "wall-clock limit (5 s)", 5.0)


def test_lintseq_score_records_the_run_budget_in_the_results_file(tmp_path):
    problem, completions = _multiple_inputs("js", tmp_path)
    samples = tmp_path / "samples.jsonl"
    samples.write_text(json.dumps({"task_id": problem.task_id, "completion": completions[0]}) + "\n")

    def budgets(*extra: str) -> list[float]:
        done = subprocess.run([sys.executable, "-m", "lintseq_hf.cli", "score", "--problems", "multiple_js",
                               "--problems-source", str(tmp_path / "humaneval-js.jsonl"), "--samples", str(samples),
                               "--mode", "completion", "--k", "1", *extra], capture_output=True, text=True,
                              env={**os.environ, "PYTHONPATH": str(ROOT)}, check=False)
        assert done.returncode == 0, done.stderr
        rows = (tmp_path / "samples_results.jsonl").read_text().splitlines()
        return [json.loads(row)["timeout"] for row in rows if json.loads(row)["passed"]]

    assert budgets() == [5.0]
    assert budgets("--timeout", "7") == [7.0]


def test_a_missing_js_md5_is_one_error_naming_the_install_command(tmp_path):
    """JavaScript/162 requires js-md5: without it, `lintseq score` stops before running anything."""
    env = {**os.environ, "LINTSEQ_NODE_SCORING": str(tmp_path / "empty"), "PYTHONPATH": str(ROOT)}
    samples = tmp_path / "samples.jsonl"
    samples.write_text(json.dumps({"task_id": "JavaScript/0", "completion": "}"}) + "\n")
    done = subprocess.run([sys.executable, "-m", "lintseq_hf.cli", "score", "--problems", "humanevalpack_js",
                           "--problems-source", str(UPSTREAM / "js.jsonl"), "--samples", str(samples),
                           "--mode", "completion"], capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1] == (
        f"lintseq score: error: {tmp_path / 'empty' / 'node_modules' / 'js-md5'}: missing (HumanEvalPack's "
        "JavaScript requires js-md5); install it: scripts/setup.sh languages (npm installs js-md5@0.7.3 into the "
        "node-scoring folder)")


def test_the_samples_script_writes_each_rows_solutions_in_the_three_modes(tmp_path):
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "humanevalpack_samples.py"),
                           str(UPSTREAM / "js.jsonl"), "--language", "js", "--out", str(tmp_path)],
                          capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, check=False)
    assert done.returncode == 0, done.stderr
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(
        f"js_{kind}_{mode}.jsonl" for kind in ("canonical", "buggy") for mode in ("completion", "lintseq", "instruct"))
    rows = _rows("js")
    written = [json.loads(line) for line in (tmp_path / "js_buggy_completion.jsonl").read_text().splitlines()]
    assert written == [{"task_id": row["task_id"], "completion": row["buggy_solution"]} for row in rows]
    instruct = json.loads((tmp_path / "js_canonical_instruct.jsonl").read_text().splitlines()[0])["completion"]
    assert instruct == f"Here it is:\n```javascript\n{rows[0]['prompt'] + rows[0]['canonical_solution']}\n```\n"
