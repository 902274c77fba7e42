"""Scoring HumanEvalPack and MultiPL-E in C++, JavaScript, TypeScript, Java and Rust: fixture rows in each
benchmark's schema (tests/data), compiled and run in the sandbox; a pass needs the tests to run to their end."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from compiled_cases import FAMILY_FILES, failing, honest_completion, honest_samples, problems, tricks

from lintseq_hf.evaluation.assembly import assemble, plain_rule, run_plain, sandbox_job
from lintseq_hf.evaluation.packs import multiple_fields
from lintseq_hf.evaluation.problems import FAMILIES, ProblemError, load_problems
from lintseq_hf.evaluation.scoring import score
from lintseq_hf.sandbox.compiled import CompiledSandbox

ROOT = Path(__file__).resolve().parent.parent
HEAVY = {"multiple_ts", "humanevalpack_rust", "multiple_cpp"}  # tsc, the crates, bits/stdc++.h: seconds per sample


def _families(heavy_slow: bool = True):
    return [pytest.param(f, marks=pytest.mark.slow) if heavy_slow and f in HEAVY else f for f in FAMILY_FILES]


def test_every_fixture_family_is_a_problem_family():
    assert set(FAMILY_FILES) <= set(FAMILIES)
    assert {"multiple_mbpp_cpp", "multiple_mbpp_rs"} <= set(FAMILIES)


def test_humanevalpack_rows_keep_their_instruction_and_declaration():
    problem = problems("humanevalpack_rust")[0]
    assert problem.task_id == "Rust/0" and problem.language == "rust" and problem.benchmark == "humanevalpack"
    assert problem.instruction.startswith("Write a Rust function `fn has_close_elements(")
    assert "use rand::Rng;" in problem.declaration


def test_multiple_rows_get_an_instruction_from_the_prompt_comment_and_signature():
    problem = problems("multiple_java")[0]
    assert problem.task_id == "HumanEval_0_has_close_elements" and problem.entry_point == "hasCloseElements"
    assert problem.instruction.split("\n")[0] == ("Write a Java function `public static boolean hasCloseElements("
                                                  "ArrayList<Float> numbers, float threshold)` in class `Problem` to "
                                                  "solve the following problem:")
    assert "Check if in given array list of numbers" in problem.instruction and "//" not in problem.instruction
    assert problem.stop_tokens == ("\n    }\n",)


def test_a_multiple_row_without_its_fields_names_the_row(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps({"name": "HumanEval_0", "language": "cpp", "prompt": "int f() {\n"}) + "\n")
    with pytest.raises(ProblemError, match="row 0 of .*bad.jsonl: KeyError"):
        load_problems("multiple_cpp", path)


def test_problems_read_parquet_and_json_files_in_the_benchmark_schema(tmp_path):
    import datasets

    rows = [json.loads(line) for line in FAMILY_FILES["multiple_rs"].read_text().splitlines()]
    datasets.Dataset.from_list(rows).to_parquet(str(tmp_path / "rs.parquet"))
    (tmp_path / "rs.json").write_text(json.dumps(rows))
    for path in (tmp_path / "rs.parquet", tmp_path / "rs.json"):
        assert [p.task_id for p in load_problems("multiple_rs", path)] == [r["name"] for r in rows]


def test_the_multiple_completion_stops_at_the_first_stop_token():
    problem = problems("multiple_cpp")[0]
    program = assemble(problem, "    return true;\n}\nint main() { return 0; }\n", "completion").source
    assert program.count("int main") == 1 and "return true;\n}\nint main() {\n    auto candidate" in program


def test_humanevalpack_cuts_the_completion_where_the_braces_close_and_adds_the_cpp_helper():
    problem = problems("humanevalpack_cpp")[1]
    program = assemble(problem, "    return number-int(number);\n}\nint main(){ junk }\n", "completion").program
    assert program.startswith("using namespace std;\n#include<stdlib.h>")
    assert program.endswith("float truncate_number(float number){\n    return number-int(number);\n}")


def test_humanevalpack_rust_gets_fn_main_and_the_declarations_uses():
    problem = problems("humanevalpack_rust")[0]
    program = assemble(problem, honest_completion("humanevalpack_rust", problem), "completion").program
    assert program.startswith("fn main(){}\n") and "use rand::Rng;\nuse regex::Regex;\nuse md5;" in program


@pytest.mark.parametrize("family", _families())
def test_honest_solutions_pass_in_all_three_modes(family):
    samples = honest_samples(family)
    pass_at, results = score(problems(family), samples, ks=[1], workers=2)
    assert [(r.task_id, r.status, r.detail) for r in results if not r.passed] == []
    assert pass_at == {"pass@1": 1.0}
    assert len(results) == 3 * len(problems(family))


@pytest.mark.parametrize("family", _families())
def test_wrong_non_compiling_and_looping_solutions_fail(family):
    problem = problems(family)[0]
    cases = failing(family)
    samples = [{"task_id": problem.task_id, "completion": text} for text in cases.values()]
    _, results = score([problem], samples, mode="completion", ks=[1], timeout=3, workers=2)
    verdicts = dict(zip(cases, (r.status for r in results)))
    assert verdicts["wrong"] == "failed"
    assert verdicts["looping"] == "timeout"
    expected = "failed" if problem.language == "js" else "compile_error"  # node has no compile step
    assert verdicts["not compiling"] == expected


@pytest.mark.parametrize("family", _families())
def test_tricks_that_fool_the_benchmarks_own_rule_fail_here(family):
    problem = problems(family)[0]
    cases = tricks(family)
    samples = [{"task_id": problem.task_id, "completion": text} for text in cases.values()]
    _, results = score([problem], samples, mode="completion", ks=[1], timeout=5, workers=2)
    assert {name: r.status for name, r in zip(cases, results) if r.passed} == {}
    # the early exit is a real forgery: the benchmark's own rule passes it
    plain = run_plain(plain_rule(problem, assemble(problem, cases["early exit"], "completion")))
    assert plain.passed


@pytest.mark.parametrize("family", ["humanevalpack_js", "humanevalpack_cpp", "multiple_rs", "humanevalpack_java"])
def test_verdicts_agree_with_the_benchmarks_own_rule_on_honest_samples(family):
    """Same pass/fail as the plain one-subprocess rule on honest samples (right, wrong, not compiling)."""
    cases = {}
    for problem in problems(family):
        cases[(problem.task_id, "right")] = honest_completion(family, problem)
    first = problems(family)[0]
    cases.update({(first.task_id, name): text for name, text in failing(family).items() if name != "looping"})
    by_id = {p.task_id: p for p in problems(family)}
    samples = [{"task_id": task_id, "completion": text} for (task_id, _), text in cases.items()]
    _, results = score(list(by_id.values()), samples, mode="completion", ks=[1], workers=2)
    plain = [run_plain(plain_rule(by_id[task_id], assemble(by_id[task_id], text, "completion"))).passed
             for (task_id, _), text in cases.items()]
    assert [r.passed for r in results] == plain
    assert any(plain) and not all(plain)


def test_hostile_programs_are_contained_and_the_next_sample_passes(tmp_path):
    """Fork bomb, memory hog, network, a write outside the scratch folder: none passes, none escapes,
    and an honest sample judged after them on the same worker passes."""
    outside = tmp_path / "escaped.txt"
    os.chmod(tmp_path, 0o777)
    problem = problems("humanevalpack_cpp")[0]
    honest = honest_completion("humanevalpack_cpp", problem)
    answer = "    for (size_t i = 0; i < numbers.size(); i++) for (size_t j = i + 1; j < numbers.size(); j++)" \
             " if (fabs(numbers[i] - numbers[j]) < threshold) return true;\n    return false;\n}\n"
    hostile = {
        "fork bomb": "    while (true) fork();\n}\n",
        "memory": "    std::vector<char> *v = new std::vector<char>((size_t)16 << 30, 1);\n    return v->size() > 0;\n}\n",
        "network": ("    int s = socket(AF_INET, SOCK_STREAM, 0); sockaddr_in a{}; a.sin_family = AF_INET; a.sin_port = htons(53);"
                    " a.sin_addr.s_addr = htonl(0x01010101); if (connect(s, (sockaddr *)&a, sizeof a) != 0) return false;\n"
                    + answer),
        "write outside": (f'    FILE *f = fopen("{outside}", "w"); if (!f) return false; fputs("x", f); fclose(f);\n' + answer),
    }
    # the system headers the hostile code needs go before the prompt
    prefix = "#include <unistd.h>\n#include <sys/socket.h>\n#include <netinet/in.h>\n#include <arpa/inet.h>\n"
    problem = type(problem)(**{**problem.__dict__, "prompt": prefix + problem.prompt})
    samples = [{"task_id": problem.task_id, "completion": text} for text in hostile.values()]
    samples.append({"task_id": problem.task_id, "completion": honest})
    _, results = score([problem], samples, mode="completion", ks=[1], timeout=5, workers=1)
    verdicts = {name: r.status for name, r in zip([*hostile, "honest"], results)}
    assert verdicts.pop("honest") == "passed", results[-1].detail
    assert all(status != "passed" for status in verdicts.values()), verdicts
    assert not outside.exists()


def test_a_missing_toolchain_is_one_error_naming_the_install_command(tmp_path):
    env = {**os.environ, "PATH": str(tmp_path), "PYTHONPATH": str(ROOT)}
    samples = tmp_path / "samples.jsonl"
    samples.write_text(json.dumps({"task_id": "CPP/0", "completion": "}"}) + "\n")
    done = subprocess.run([sys.executable, "-m", "lintseq_hf.cli", "score", "--problems", "humanevalpack_cpp",
                           "--problems-source", str(FAMILY_FILES["humanevalpack_cpp"]), "--samples", str(samples),
                           "--mode", "completion"], capture_output=True, text=True, env=env, check=False)
    assert done.returncode != 0
    assert done.stderr.strip().splitlines()[-1] == ("lintseq score: error: g++ not found on PATH; "
                                                       "install it: apt-get install g++")


def test_lintseq_score_scores_a_compiled_benchmark_from_its_file(tmp_path):
    family = "multiple_js"
    samples = tmp_path / "samples.jsonl"
    samples.write_text("".join(json.dumps(s) + "\n" for s in honest_samples(family)))
    done = subprocess.run([sys.executable, "-m", "lintseq_hf.cli", "score", "--problems", family,
                           "--problems-source", str(FAMILY_FILES[family]), "--samples", str(samples), "--k", "1"],
                          capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1])["pass@1"] == 1.0
    rows = [json.loads(line) for line in (tmp_path / "samples_results.jsonl").read_text().splitlines()]
    assert {row["result"] for row in rows} == {"passed"} and "function has_close_elements" in rows[0]["program"]


def test_the_driver_names_are_fresh_per_job():
    problem = problems("humanevalpack_cpp")[0]
    assembled = assemble(problem, honest_completion("humanevalpack_cpp", problem), "completion")
    first, second = (sandbox_job(problem, assembled).files["main.cpp"] for _ in range(2))
    assert first != second


def test_multiple_fields_build_the_instruction_in_humanevalpack_words():
    row = {"name": "HumanEval_2_truncate_number", "language": "rs", "prompt": "/// Return the decimal part.\n"
           "fn truncate_number(number: f64) -> f64 {\n", "tests": "\n}\n\nfn main() {}\n", "stop_tokens": ["\n}"]}
    fields = multiple_fields(row, "rust")
    assert fields["instruction"] == ("Write a Rust function `fn truncate_number(number: f64) -> f64` to solve the "
                                     "following problem:\nReturn the decimal part.")


def test_the_compiled_sandbox_isolates_like_the_python_one():
    with CompiledSandbox() as box:
        isolation = box.isolation
    if os.geteuid() == 0:
        assert isolation.separate_uid


def test_multiple_mbpp_rows_score_like_the_humaneval_ones():
    source = FAMILY_FILES["multiple_js"].with_name("mbpp-js.jsonl")
    problem = load_problems("multiple_mbpp_js", source)[0]
    assert problem.instruction == ("Write a JavaScript function `function is_not_prime(n)` to solve the following "
                                   "problem:\nWrite a function to identify non-prime numbers.")
    right = "  for (let d = 2; d * d <= n; d++) if (n % d === 0) return true;\n  return false;\n}\n"
    samples = [{"task_id": problem.task_id, "completion": right},
               {"task_id": problem.task_id, "completion": "  return n % 2 === 0;\n}\n"}]
    _, results = score([problem], samples, mode="completion", ks=[1], workers=2)
    assert [r.status for r in results] == ["passed", "failed"]
