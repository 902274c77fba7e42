"""Input checks beyond Python (issue 22): prose and syntax-broken programs are refused with a
counted reason, a program the compiler cannot check past a fatal error is refused unless the
user opts in, and every row of a run beyond pure Python carries its language, in its id too."""

from __future__ import annotations

import json
import resource

import pytest

from lintseq_hf import apply_edits, sample_edits
from lintseq_hf.core.programs import ProgramError
from lintseq_hf.core.sampler import LintSeqOptions
from lintseq_hf.dataset.transform import GenerateConfig, GenerationReport, generate, process_row, row_key
from lintseq_hf.lint.base import unchecked
from lintseq_hf.lint.compilers.gcc import parse_gcc_output
from lintseq_hf.lint.compilers.tools import TOOL_MEMORY_VARIABLE, ToolError, run_once, tool_memory_limit
from lintseq_hf.lint.registry import linter_class

PROSE = "Sure! This function adds two numbers\nand returns their sum, as you asked."

BROKEN = {
    "c": "int f(int x) {\n  if (x) {\n    return 1;\n  \n  return 0;\n}\nint g(void) { return f(1); }",
    "cpp": "int f() {\n  return 1\n}\nint g() { return 2; }",
    "javascript": "function f(x) {\n  if (x) {\n    return [1,\n      2];\n  }\n}}\nf(1);",
    "typescript": "function f(x: number): number {\n  return x +;\n}",
    "java": "public class A {\n    int f() {\n        return 1;\n    }\n",
    "rust": "fn f() -> i32 {\n    let x = ;\n    x\n}",
    "go": "package p\n\nfunc f() int {\n\treturn 1 +\n}",
}

VALID = {
    "c": "int add(int a, int b) {\n  return a + b;\n}",
    "cpp": "int add(int a, int b) {\n  return a + b;\n}",
    "javascript": "function add(a, b) {\n  return a + b;\n}",
    "typescript": "export function add(a: number, b: number): number {\n  return a + b;\n}",
    "java": "public class A {\n    int add(int a, int b) {\n        return a + b;\n    }\n}",
    "rust": "pub fn add(a: i32, b: i32) -> i32 {\n    a + b\n}",
    "go": "package p\n\nfunc Add(a, b int) int {\n\treturn a + b\n}",
}


def _reason(program: str, language: str, **options) -> str | None:
    config = GenerateConfig(language=language, num_samples=1, timeout=None, extract=False, options=options or None)
    return process_row({"instruction": "x", "response": program}, 0, config).skip_reason


@pytest.mark.parametrize("language", sorted(BROKEN))
def test_prose_and_broken_programs_are_skipped_as_syntax_errors(language):
    assert _reason(PROSE, language) == "syntax_error"
    assert _reason(BROKEN[language], language) == "syntax_error"
    assert _reason(VALID[language], language) is None
    with pytest.raises(ProgramError, match="syntax_error"):
        sample_edits(PROSE, seed=0, language=language)
    with pytest.raises(ProgramError, match="syntax_error"):
        sample_edits(PROSE, seed=0, language=language, method="random")


# semver's Identifier (Debian's librust-semver-dev) without the struct's closing brace: the syntax
# tree fails at the next item, rustc at the end of the file ("this file contains an unclosed
# delimiter"), 14 lines apart (found by benchmarks/language_audit.py)
UNCLOSED_STRUCT = """pub struct Identifier {
    head: u8,
    tail: [u8; 4],

unsafe impl Send for Identifier {}

impl Identifier {
    pub fn empty() -> Self {
        Identifier { head: 0, tail: [0; 4] }
    }

    pub fn len(&self) -> usize {
        self.tail.len()
    }
}

pub fn f() -> i32 {
    1
}
"""


def test_a_delimiter_left_open_far_from_the_end_is_a_syntax_error():
    assert _reason(UNCLOSED_STRUCT, "rust") == "syntax_error"
    assert _reason(UNCLOSED_STRUCT.replace("tail: [u8; 4],\n", "tail: [u8; 4],\n}\n"), "rust") is None


def test_a_macro_the_syntax_tree_cannot_read_is_not_a_syntax_error():
    # tree-sitter fails on ``local int f`` (a macro); GCC, which expands it, reports nothing
    program = "#define local static\nlocal int f(int x) {\n  return x + 1;\n}\nint g(void) { return f(1); }"
    assert _reason(program, "c") is None


def test_names_defined_outside_the_file_are_not_syntax_errors():
    # the compiler flags the names, the syntax tree is sound: a real file of a larger project
    assert _reason("pub fn f() -> Config {\n    Config::load()\n}", "rust") is None
    assert _reason("import { x } from './elsewhere';\nexport const y = x + 1;", "typescript") is None


MISSING_HEADER = '#include "project_config.h"\nint main(void) {\n  return helper(LIMIT);\n}'


def test_a_missing_header_makes_a_c_program_unchecked_unless_the_user_opts_in():
    assert _reason(MISSING_HEADER, "c") == "unchecked"
    assert _reason(MISSING_HEADER, "cpp") == "unchecked"
    assert _reason(MISSING_HEADER, "c", allow_unchecked=True) is None
    with pytest.raises(ProgramError, match="unchecked.*project_config.h"):
        sample_edits(MISSING_HEADER, seed=0, language="c")
    edits = sample_edits(MISSING_HEADER, seed=0, language="c", options=LintSeqOptions(allow_unchecked=True))
    assert apply_edits(edits) == MISSING_HEADER


ENDLESS_INCLUDE = "#include </dev/zero>\nint main(void) {\n  return 0;\n}"


@pytest.mark.parametrize("language, linter", [("c", "gcc"), ("cpp", "g++"), ("cpp", "g++-fork")])
def test_a_program_including_an_endless_device_is_unchecked_under_the_memory_cap(language, linter, monkeypatch):
    # GCC reads an include whole: uncapped, /dev/zero grows cc1 by gigabytes a second
    monkeypatch.setenv(TOOL_MEMORY_VARIABLE, "256M")
    errors = linter_class(linter)().lint(ENDLESS_INCLUDE)
    assert unchecked(errors) and "out of memory" in errors[0].message, errors
    with pytest.raises(ProgramError, match="unchecked.*out of memory"):
        sample_edits(ENDLESS_INCLUDE, seed=0, language=language, linter=linter_class(linter)())


def test_rust_including_an_endless_device_gets_an_error_under_the_memory_cap(monkeypatch):
    monkeypatch.setenv(TOOL_MEMORY_VARIABLE, "1G")
    program = 'pub static Z: &[u8] = include_bytes!("/dev/zero");\npub fn f() -> usize {\n    Z.len()\n}'
    linter = linter_class("rustc")()
    assert [(e.line, "out of memory" in e.message) for e in linter.lint(program)] == [(1, True)]
    assert [(e.line, "out of memory" in e.message) for e in linter.lint_many([program, program + "\n"])[1]] == [(1, True)]
    linter.usable = False  # the fork server's fallback: one rustc per state, capped too
    assert [(e.line, "out of memory" in e.message) for e in linter.lint(program + "\n\n")] == [(1, True)]


PROC_FD = {  # a state naming one of the tool's own descriptors: its pipes blocked it until the 60 s timeout
    "gcc": '#include "/proc/self/fd/{n}"\nint main(void) {{\n  return x;\n}}',
    "g++": '#include "/proc/self/fd/{n}"\nint main() {{\n  return x;\n}}',
    "libclang": '#include "/proc/self/fd/{n}"\nint main(void) {{\n  return x;\n}}',
    "libclang++": '#include </dev/fd/{n}>\nint main() {{\n  return x;\n}}',
    "rustc": 'pub fn f() -> usize {{\n    include_bytes!("/proc/self/fd/{n}").len() + x\n}}',
}


@pytest.mark.parametrize("name", list(PROC_FD))
def test_a_state_naming_the_tools_own_descriptors_gets_a_verdict_not_a_hang(name):
    """gcc's header-block server read its reply pipe (fd 8), the libclang worker its request
    socket's place (fds 3, 4), rustc its jobserver pipe (fds 3, 4): now sockets, files, and
    opens of FIFOs and sockets refused, so each is an error of the state, at once."""
    linter = linter_class(name)()
    states = [PROC_FD[name].format(n=n) for n in range(12)]
    verdicts = [linter.lint(state) for state in states]  # raised ToolError after 60 s before
    assert all(verdicts)  # an error each: the include's, or `x` where the descriptor reads as empty
    if name == "rustc":
        assert [len(v) for v in linter.lint_many([s + "\n" for s in states])] == [len(v) for v in verdicts]
        linter.usable = False  # one rustc per state (run_once), guarded too
        assert [len(linter.lint(s + "\n\n")) for s in states] == [len(v) for v in verdicts]


TTY_PROBE = """
import json
from lintseq_hf.lint.registry import get_linter
for name, text in (("gcc", '#include "/dev/tty"\\nint x;'), ("libclang", '#include "/dev/tty"\\nint x;'),
                   ("rustc", 'pub static T: &[u8] = include_bytes!("/dev/tty");')):
    try:
        print(json.dumps([name, [e.message for e in get_linter(name).lint(text)]]), flush=True)
    except Exception as err:
        print(json.dumps([name, f"{type(err).__name__}: {err}"]), flush=True)
"""


def test_a_state_cannot_read_the_users_terminal():
    """Run from a terminal, #include "/dev/tty" read what the user typed (here: waited 60 s for it)."""
    import os
    import pty
    import select
    import sys
    import time

    pid, fd = pty.fork()
    if pid == 0:  # a child with the pty as its controlling terminal, as an interactive `lintseq generate`
        os.execv(sys.executable, [sys.executable, "-c", TTY_PROBE])
    out, deadline = b"", time.monotonic() + 600
    try:
        while time.monotonic() < deadline:
            if not select.select([fd], [], [], 5)[0]:
                continue
            try:
                chunk = os.read(fd, 1 << 16)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            out += chunk
    finally:
        os.waitpid(pid, 0)
    found = dict(json.loads(line) for line in out.decode().splitlines() if line.startswith("["))
    assert set(found) == {"gcc", "libclang", "rustc"}, out[-2000:]
    for name, messages in found.items():
        assert isinstance(messages, list) and any("No such device or address" in m for m in messages), (name, messages)


def test_run_once_reads_as_subprocess_run_did_and_a_timeout_ends_the_tools_whole_group(tmp_path):
    import subprocess
    import time

    script = "printf 'a\\r\\nb\\n'; printf 'caf\\303\\251 \\377\\n' >&2; cat; exit 3"
    done = run_once(["sh", "-c", script], "stdin \u00e9\n", cwd=str(tmp_path))
    was = subprocess.run(["sh", "-c", script], input="stdin \u00e9\n", capture_output=True, text=True,
                         encoding="utf-8", errors="replace", cwd=str(tmp_path), check=False)
    assert (done.returncode, done.stdout, done.stderr) == (was.returncode, was.stdout, was.stderr) == \
        (3, "a\nb\nstdin \u00e9\n", "caf\u00e9 \ufffd\n")
    marker = tmp_path / "grandchild-ran-on"
    with pytest.raises(ToolError, match="took longer than 1s"):  # gcc's cc1 is such a grandchild
        run_once(["sh", "-c", f"(sleep 3; touch {marker}) & wait"], "", cwd=str(tmp_path), timeout=1)
    time.sleep(4)
    assert not marker.exists()


def test_the_pipe_guard_refuses_fifos_and_sockets_and_opens_the_rest(tmp_path):
    import os

    from lintseq_hf.lint.compilers.forkserver import pipe_guard

    os.mkfifo(tmp_path / "fifo")  # no writer: even opening it would block
    (tmp_path / "plain").write_text("text\n")
    for name in ("gcc", "libclang", "g++"):  # a FIFO on the machine that a state names (libclang: in its worker)
        errors = linter_class(name)().lint(f'#include "{tmp_path / "fifo"}"\nint x;')
        assert any("No such device or address" in e.message for e in errors), (name, errors)
    guard = pipe_guard()
    assert guard["LINTSEQ_REFUSE_PIPES"] == "1"
    script = "cat plain; cat fifo; echo rc=$?; cat /proc/self/fd/0 < /dev/null; echo end"
    done = run_once(["sh", "-c", script], "", cwd=str(tmp_path), environment=guard)
    assert done.stdout.splitlines()[0] == "text" and "rc=1" in done.stdout and done.stdout.endswith("end\n")
    assert "No such device or address" in done.stderr


@pytest.mark.parametrize("name, capped", [("gcc-reference", False), ("g++-reference", False), ("rustc-reference", False),
                                          ("gcc", True), ("g++", True), ("rustc", True)])
def test_the_references_run_as_measured_and_the_others_under_the_cap(name, capped, monkeypatch):
    import lintseq_hf.lint.compilers.forkserver as forkserver

    seen = []

    def recording(args, text, **options):
        seen.append(options.get("capped", False))
        return run_once(args, text, **options)

    monkeypatch.setattr(forkserver, "run_once", recording)  # every state's one-off run: run_state
    linter = linter_class(name)()
    if name == "gcc":
        linter._server = lambda header: None  # its fork server's fallback: one process per state
    if name == "rustc":
        linter.usable = False
    linter.lint("pub fn f() -> i32 {\n    1\n}" if "rustc" in name else "int f(void) {\n  return 1;\n}")
    assert seen and set(seen) == {capped}


def test_the_libclang_worker_reads_its_requests_where_a_state_cannot(monkeypatch):
    # a state including /dev/stdin read the worker's next request and hung it until the timeout
    for name, program in (("libclang", '#include "/dev/stdin"\nint main(void) {\n  return x;\n}'),
                          ("libclang++", "#include </dev/stdin>\nint main() {\n  return x;\n}")):
        linter = linter_class(name)()
        assert [(e.line, e.message) for e in linter.lint(program)] == [(3, "use of undeclared identifier 'x'")]
        assert linter.lint("int main(void) {\n  return 0;\n}") == []


def test_the_memory_cap_setting_and_its_effect(monkeypatch):
    monkeypatch.delenv(TOOL_MEMORY_VARIABLE, raising=False)
    assert tool_memory_limit() == 4 << 30
    for setting, expected in (("512M", 512 << 20), ("2GiB", 2 << 30), ("1048576", 1 << 20), ("none", None), ("0", None)):
        monkeypatch.setenv(TOOL_MEMORY_VARIABLE, setting)
        assert tool_memory_limit() == expected, setting
    monkeypatch.setenv(TOOL_MEMORY_VARIABLE, "lots")
    with pytest.raises(ValueError, match=f"{TOOL_MEMORY_VARIABLE}='lots'"):
        run_once(["true"], "", cwd=".", capped=True)
    monkeypatch.setenv(TOOL_MEMORY_VARIABLE, "300M")
    assert run_once(["sh", "-c", "ulimit -v"], "", cwd=".", capped=True).stdout.strip() == str(300 << 10)
    own = resource.getrlimit(resource.RLIMIT_AS)[0]  # uncapped: the caller's own limit
    assert run_once(["sh", "-c", "ulimit -v"], "", cwd=".").stdout.strip() == ("unlimited" if own == resource.RLIM_INFINITY else str(own >> 10))
    import lintseq_hf.lint.compilers.tools as tools

    monkeypatch.setattr(tools, "prlimit_program", lambda: None)  # no prlimit: the cap is set in the child
    assert run_once(["sh", "-c", "ulimit -v"], "", cwd=".", capped=True).stdout.strip() == str(300 << 10)


def test_gcc_failing_itself_is_a_fatal_error_and_its_notes_are_not_errors():
    output = "\n".join([
        "<stdin>:3:5: warning: unused variable 'y' [-Wunused-variable]",
        "cc1: some warnings being treated as errors",
        "cc1: out of memory allocating 268435472 bytes after a total of 602112 bytes",
    ])
    assert [(e.line, e.fatal) for e in parse_gcc_output(output)] == [(0, True)]
    killed = parse_gcc_output("g++: fatal error: Killed signal terminated program cc1plus\ncompilation terminated.")
    assert [(e.line, e.fatal, e.message) for e in killed] == [(0, True, "Killed signal terminated program cc1plus")]


def test_the_report_counts_each_reason_and_the_instruct_baseline_keeps_the_same_rows():
    rows = [
        {"instruction": "a", "response": VALID["c"]},
        {"instruction": "b", "response": PROSE},
        {"instruction": "c", "response": MISSING_HEADER},
    ]
    for method in ("lintseq", "random"):
        report = GenerationReport()
        config = GenerateConfig(language="c", num_samples=1, timeout=None, method=method)
        kept = [r.index for r in generate(rows, config, report=report, progress=False) if r.skip_reason is None]
        assert kept == [0] and report.skipped == {"syntax_error": 1, "unchecked": 1}, method
    config = GenerateConfig(language="c", num_samples=1, timeout=None)
    assert [process_row(row, i, config, sample=False).skip_reason for i, row in enumerate(rows)] == [
        None, "syntax_error", "unchecked",
    ]


# --- the language of a row ----------------------------------------------------------------------


def test_the_same_text_in_three_languages_gets_three_ids_and_python_keeps_its_id():
    text = "int x;"
    keys = {row_key("i", text, language) for language in ("c", "cpp", "java", "python")}
    assert len(keys) == 4
    # the key Python rows always had: a hash of the instruction and code only
    import hashlib

    assert row_key("i", text) == hashlib.sha256(b"1:i\x00int x;").hexdigest()[:16]


def test_rows_of_a_language_run_carry_it_and_a_pure_python_run_keeps_the_paper_rows(humaneval_programs):
    c_rows = process_row({"instruction": "x", "response": VALID["c"]}, 0, GenerateConfig(language="c", num_samples=2, timeout=None)).records()
    assert [r["language"] for r in c_rows] == ["c", "c"]
    python = process_row({"instruction": "x", "response": humaneval_programs[0]}, 0, GenerateConfig(num_samples=1, timeout=None))
    assert list(python.records()[0]) == [
        "id", "source_row", "sample_index", "instruction", "program", "edits", "prompt", "completion",
    ]
    mixed = GenerateConfig(num_samples=1, timeout=None, language_column="lang")
    rows = [{"instruction": "x", "response": VALID["c"], "lang": "c"}, {"instruction": "x", "response": humaneval_programs[0], "lang": "py"}]
    records = [r for row in rows for r in process_row(row, 0, mixed).records()]
    assert [r["language"] for r in records] == ["c", "python"]
    # a Python row's id is the same in a mixed run as in a pure Python run
    assert records[1]["id"] == python.records()[0]["id"]


def test_the_builder_and_generate_write_the_language_column(tmp_path):
    from lintseq_hf.dataset.builder import LintSeqBuilder

    path = tmp_path / "c.jsonl"
    path.write_text(json.dumps({"instruction": "add", "response": VALID["c"]}) + "\n", encoding="utf-8")
    builder = LintSeqBuilder(
        config_name="lintseq", data_files={"train": str(path)}, cache_dir=str(tmp_path / "cache"),
        num_samples=1, language="c",
    )  # fmt: skip
    builder.download_and_prepare()
    dataset = builder.as_dataset("train")
    assert dataset.features["language"].dtype == "string" and dataset["language"] == ["c"]
    from lintseq_hf.dataset.builder import FEATURES, RowTransform

    # a pure Python run keeps the paper-format columns (byte-identical parquet)
    assert RowTransform("lintseq", GenerateConfig()).features == FEATURES
    assert "language" in RowTransform("instruct", GenerateConfig(language_column="lang")).features


def test_the_dataset_card_lists_languages_with_row_counts():
    import datasets

    from lintseq_hf.dataset.card import dataset_card

    mixed = datasets.Dataset.from_dict({"id": ["a", "b", "c"], "language": ["c", "rust", "c"]})
    python = datasets.Dataset.from_dict({"id": ["d", "e"]})
    card = dataset_card({"lintseq": datasets.DatasetDict({"train": mixed}), "instruct": python}, reports={})
    assert "| lintseq | train | c | 2 |\n| lintseq | train | rust | 1 |\n| instruct | train | python | 2 |" in card


def test_the_ray_transform_writes_the_language_column():
    import pickle

    import pyarrow as pa

    from lintseq_hf.dataset import ray as ray_path
    from lintseq_hf.dataset.builder import RowTransform

    transform = RowTransform("lintseq", GenerateConfig(language="rust", num_samples=1, timeout=None))
    row = {"instruction": "add", "response": VALID["rust"]}
    batch = pa.table({ray_path._ROW: [0], ray_path._PAYLOAD: [pickle.dumps(row)]})
    table = ray_path.transform_batch(batch, transform)
    assert table.column("language").to_pylist() == ["rust"]
