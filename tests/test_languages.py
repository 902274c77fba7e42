"""LintSeq beyond Python: syntax-tree blocks, language dispatch, code extraction, per-row
languages, and hostile inputs through each language's real compiler."""

from __future__ import annotations

import os
import select
import signal

import pytest

from lintseq_hf import apply_edits, get_linter, sample_edits, sample_edits_traced
from lintseq_hf.core.edits import parse_edit
from lintseq_hf.core.languages import UnknownLanguageError, line_blocks, resolve_language
from lintseq_hf.core.programs import extract_code
from lintseq_hf.core.sampler import default_linter, program_lines
from lintseq_hf.dataset.transform import GenerateConfig, GenerationReport, generate, process_row


def _block(program: str, language: str, line: int) -> list[int]:
    """0-based lines one deletion of ``line`` removes."""
    return [line, *line_blocks(program, language).children[line]]


def _candidates(program: str, language: str) -> list[str]:
    lines = program.split("\n")
    return [lines[i].strip() for i in line_blocks(program, language).candidates]


# --- the block rule -------------------------------------------------------------------------

C_PROGRAM = """#include <stdio.h>
/* a comment
   over two lines */
#define MAX(a, b) \\
   ((a) > (b) ? (a) : (b))
int f(int x) {
  if (x > 0) {
    return 1;
  } else {
    // zero or less
    return 0;
  }
}
#ifdef DEBUG
int g(void) { return 2; }
#endif
int main(void)
{
  printf("%d\\n",
      f(3));
  return 0;
}"""


def test_an_if_goes_with_its_braces_and_else():
    assert _block(C_PROGRAM, "c", 6) == [6, 7, 8, 9, 10, 11]


def test_a_function_goes_with_its_body_even_in_allman_style():
    assert _block(C_PROGRAM, "c", 5) == list(range(5, 13))
    assert _block(C_PROGRAM, "c", 16) == list(range(16, 22))


def test_closing_delimiters_comments_and_continuations_are_never_candidates():
    candidates = _candidates(C_PROGRAM, "c")
    for line in ("}", "} else {", "{", "// zero or less", "over two lines */", "#endif", "((a) > (b) ? (a) : (b))"):
        assert line not in candidates
    assert "#define MAX(a, b) \\" in candidates and "printf(\"%d\\n\"," in candidates


def test_a_flagged_closing_line_deletes_the_block_of_its_opener():
    lines = C_PROGRAM.split("\n")
    closer = lines.index("  } else {")
    assert _block(C_PROGRAM, "c", closer) == [closer, *range(6, 12)]


def test_a_preprocessor_conditional_and_a_multi_line_call_are_blocks():
    assert _block(C_PROGRAM, "c", 13) == [13, 14, 15]
    assert _block(C_PROGRAM, "c", 18) == [18, 19]


def test_deeper_lines_weigh_more_like_pythons_indent_bias():
    blocks = line_blocks(C_PROGRAM, "c")
    weights = blocks.weights(1.0)
    assert weights[5] == 1 and weights[6] == 1 and weights[7] == 2
    assert set(blocks.weights(None)[blocks.candidates]) == {1}


JSX = """export function App(props) {
  return (
    <div className="x">
      {props.items.map((it) => (
        <span key={it}>{it}</span>
      ))}
    </div>
  );
}
promise.then(() => {
  go();
}).catch((e) => {
  fail(e);
});"""


def test_jsx_closing_tags_and_chained_closers_go_with_their_openers():
    candidates = _candidates(JSX, "javascript")
    assert "</div>" not in candidates and "}).catch((e) => {" not in candidates and "});" not in candidates
    # the JSX tree is the returned expression: it goes with its ``return``
    assert candidates == ["export function App(props) {", "return (", "promise.then(() => {", "go();", "fail(e);"]
    assert _block(JSX, "javascript", 1) == [1, 2, 3, 4, 5, 6, 7]
    assert _block(JSX, "javascript", 9) == list(range(9, 14))


def test_a_template_literal_is_one_token():
    program = "const s = `a\n${x}\nb`;\nconst t = 1;"
    assert _candidates(program, "typescript") == ["const s = `a", "const t = 1;"]
    assert _block(program, "typescript", 0) == [0, 1, 2]


# --- dispatch, names, extraction -------------------------------------------------------------


def test_python_is_the_default_and_unchanged(humaneval_programs):
    for index, program in enumerate(humaneval_programs[:20]):
        assert sample_edits(program, seed=index, language="python") == sample_edits(program, seed=index)
    assert default_linter("python") == "pylint"


def test_each_language_has_its_compiler_as_default_linter():
    assert [default_linter(name) for name in ("c", "cpp", "javascript", "typescript", "tsx", "java", "rust", "go")] == [
        "libclang", "libclang++", "tsc-js", "tsc", "tsc-tsx", "javac", "rustc", "go",
    ]


def test_language_names_and_fence_tags_resolve():
    assert [resolve_language(n) for n in ("C++", "js", "TS", "rs", "py", "Java", "tsx", "golang")] == [
        "cpp", "javascript", "typescript", "rust", "python", "java", "tsx", "go",
    ]
    with pytest.raises(UnknownLanguageError, match="cobol"):
        resolve_language("cobol")
    with pytest.raises(UnknownLanguageError, match="cobol"):
        sample_edits("x", seed=0, language="cobol")


def test_extraction_takes_the_blocks_tagged_with_the_language():
    response = "Here:\n```cpp\nint a;\n```\nand ```c\nint b;\n```\n```C++ \nint c;\n```\n```rust\nfn f() {}\n```"
    assert extract_code(response, "cpp") == "int a;\n\nint c;"
    assert extract_code(response, "c") == "int b;"
    assert extract_code(response, "rust") == "fn f() {}"
    assert extract_code("```js\nlet a = 1;", "javascript") == "let a = 1;"
    assert extract_code("no fence here", "java") == "no fence here"
    assert extract_code("```python\nx = 1\n```", "python") == "x = 1"


# --- hostile inputs through the real compilers ------------------------------------------------

HOSTILE = {
    "c": [
        "#include <stdio.h>\n#define SQUARE(x) \\\n  ((x) * (x))\nint main(void) {\n  int v = SQUARE(3);\n  if (v) {\n    printf(\"%d\\n\", v);\n  }\n  return 0;\n}",
        "int f(int x) {\r\n  if (x) {\r\n    return 1;\r\n  }\r\n  return 0;\r\n}\r\n",  # CRLF
    ],
    "cpp": [
        "#include <vector>\ntemplate <typename T>\nT sum(const std::vector<T>& v) {\n  T total{};\n  for (const auto& x : v) {\n    total += x;\n  }\n  return total;\n}\nint main() {\n  std::vector<int> v{1, 2};\n  return sum(v);\n}",
    ],
    "javascript": [
        "const π = 3.14;\nfunction área(r) {\n  // ünïcödé\n  return π * r * r;\n}\nconsole.log(área(2));",
    ],
    "typescript": [
        "interface Box<T> {\n  value: T;\n}\nfunction unwrap<T>(box: Box<T>): T {\n  return box.value;\n}\nconst n: number = unwrap({ value: 3 });\nexport {};",
    ],
    "tsx": [
        "type Props = { items: string[] };\nexport function List({ items }: Props) {\n  return (\n    <ul>\n      {items.map((item) => (\n        <li key={item}>{item}</li>\n      ))}\n    </ul>\n  );\n}",
    ],
    "java": [
        "import java.util.*;\n\npublic class Pairs<K extends Comparable<K>, V> {\n    private final Map<K, List<V>> map = new TreeMap<>();\n\n    public void add(K key, V value) {\n        map.computeIfAbsent(key, k -> new ArrayList<>()).add(value);\n    }\n\n    public List<V> get(K key) {\n        return map.getOrDefault(key, List.of());\n    }\n}",
    ],
    "rust": [
        "use std::collections::HashMap;\n\npub fn count<'a>(words: &[&'a str]) -> HashMap<&'a str, usize> {\n    let mut m = HashMap::new();\n    for w in words {\n        *m.entry(*w).or_insert(0) += 1;\n    }\n    m\n}\n\nmacro_rules! square {\n    ($x:expr) => {\n        $x * $x\n    };\n}\n\npub fn nine() -> i32 {\n    square!(3)\n}",
    ],
}


def _backward_states(program: str, steps: list[list[int]]) -> list[str]:
    lines = program_lines(program)
    present = [True] * len(lines)
    states = []
    for step in steps:
        for i in step:
            present[i] = False
        states.append("\n".join(line for line, here in zip(lines, present) if here))
    return states


@pytest.mark.parametrize("language", sorted(HOSTILE))
def test_hostile_programs_rebuild_from_insertions_and_add_no_error(language):
    linter = get_linter(default_linter(language))
    for index, program in enumerate(HOSTILE[language]):
        lines = program.split("\n")
        original = {(e.msg_id, e.message, lines[e.line - 1].strip() if 0 < e.line <= len(lines) else "") for e in linter.lint(program)}
        for seed in range(2):
            edits, trace = sample_edits_traced(program, seed=seed, language=language)
            assert all(parse_edit(edit) for edit in edits)
            assert apply_edits(edits) == program.strip(), (language, index, seed)
            for state in _backward_states(program, trace.steps):
                state_lines = state.split("\n")
                for error in linter.lint(state):
                    text = state_lines[error.line - 1].strip() if 0 < error.line <= len(state_lines) else ""
                    assert (error.msg_id, error.message, text) in original, (language, index, seed, error, state)


def test_a_program_with_no_code_line_is_a_sampling_error():
    from lintseq_hf.core.sampler import SamplingError

    with pytest.raises(SamplingError):
        sample_edits("// only a comment\n}\n", seed=0, language="c")


PRIVATE_NAMES = [
    ("class A {\n  f() {\n    return this.#x(1);\n  }\n}", 3),  # used, declared nowhere
    ("class A {\n  #p = 1;\n}\nfunction f(o) {\n  return o.#p;\n}", 5),  # used outside any class
    ("class A {\n  #x = 1;\n  f(o) {\n    return o.#x + this.#x + this.y;\n  }\n}", None),  # declared (this.y: a type error)
]


@pytest.mark.parametrize(("program", "line"), PRIVATE_NAMES)
def test_a_javascript_private_name_no_class_declares_is_an_error_as_v8_says(program, line):
    import language_tools as tools

    assert [e.line for e in get_linter("tsc-js").lint(program)] == ([] if line is None else [line])
    assert [where for _, _, where in tools.node_syntax_errors([program])[0]] == ([] if line is None else [program.split("\n")[line - 1].strip()])


# npm's pacote FileFetcher, cut down: a state kept a call of the private method #exeBins without its
# declaration, which V8 refuses to parse (found by benchmarks/language_audit.py)
FETCHER = """class FileFetcher {
  constructor (spec) {
    this.spec = spec
  }

  #exeBins (pkg, dest) {
    return Promise.all([pkg, dest])
  }

  #other () {
    return this.#exeBins(1, 2)
  }

  extract (dest) {
    return this.read(dest).then(pkg =>
      this.#exeBins(pkg, dest)).then(() => this.#other())
  }
}
module.exports = FileFetcher"""


def test_no_javascript_state_uses_a_private_name_its_class_lost():
    import language_tools as tools

    states = []
    for seed in range(8):
        edits, trace = sample_edits_traced(FETCHER, seed=seed, language="javascript")
        assert apply_edits(edits) == FETCHER
        states += _backward_states(FETCHER, trace.steps)
    states = list(dict.fromkeys(states))  # V8 is asked once per distinct state
    assert [state for state, errors in zip(states, tools.node_syntax_errors(states)) if errors] == []


# --- rows, processes and workers ---------------------------------------------------------------

ROWS = [
    {"instruction": "add", "response": "```c\nint add(int a, int b) {\n  return a + b;\n}\n```", "lang": "c"},
    {"instruction": "f", "response": "```js\nfunction f(x) {\n  if (x) {\n    return 1;\n  }\n  return 2;\n}\n```", "lang": "JS"},
    {"instruction": "g", "response": "def g(x):\n    return x\n", "lang": "python"},
    {"instruction": "?", "response": "x", "lang": "cobol"},
    {"instruction": "?", "response": "y", "lang": None},
]


def test_a_language_column_picks_each_rows_language_and_counts_unknown_ones():
    config = GenerateConfig(num_samples=2, language_column="lang", timeout=None)
    results = [process_row(row, i, config) for i, row in enumerate(ROWS)]
    assert [r.skip_reason for r in results] == [None, None, None, "unknown_language", "unknown_language"]
    assert results[0].program == "int add(int a, int b) {\n  return a + b;\n}"
    assert all(apply_edits(edits) == r.program for r in results[:3] for edits in r.samples)


def test_rows_do_not_depend_on_the_number_of_processes():
    config = GenerateConfig(num_samples=2, language_column="lang", timeout=None)
    one, two = GenerationReport(), GenerationReport()
    serial = [r.samples for r in generate(ROWS, config, num_proc=1, report=one, progress=False)]
    parallel = [r.samples for r in generate(ROWS, config, num_proc=2, report=two, progress=False)]
    assert serial == parallel and one.skipped == two.skipped == {"unknown_language": 2}


def test_a_fixed_language_applies_to_every_row():
    config = GenerateConfig(num_samples=1, language="c", timeout=None)
    result = process_row(ROWS[0], 0, config)
    assert result.skip_reason is None and result.samples[0][-1].startswith("@@")
    with pytest.raises(ValueError, match="cobol"):
        GenerateConfig(language="cobol")


CHILD_TIMEOUT = 300.0
"""Seconds the forked child may take to answer (a worker start on a loaded machine is seconds)."""


def _names_missing(errors) -> bool:
    return [(e.line, e.message.startswith("Cannot find name")) for e in errors] == [(1, True)]


def test_a_worker_is_restarted_after_close_and_in_a_forked_child():
    linter = get_linter("tsc-js")
    assert _names_missing(linter.lint("qzxUndefined1;"))
    linter.worker.close()
    assert _names_missing(linter.lint("qzxUndefined2;"))
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child must start its own worker, never share the parent's pipes
        # whatever happens here, the child must never return into pytest (it would run the rest
        # of the suite a second time): it always leaves through os._exit
        code = 1
        try:
            ok = _names_missing(linter.lint("qzxUndefined3;"))
            os.write(write, b"1" if ok else b"0")
            code = 0
        finally:
            os._exit(code)
    os.close(write)
    answer = b""
    try:
        ready, _, _ = select.select([read], [], [], CHILD_TIMEOUT)
        answer = os.read(read, 1) if ready else b""
    finally:
        if not answer:
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(read)
    assert answer == b"1"
    assert _names_missing(linter.lint("qzxUndefined4;"))


def test_the_builder_takes_a_language_column(tmp_path):
    import json

    from lintseq_hf.dataset.builder import LintSeqBuilder

    path = tmp_path / "mixed.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in ROWS), encoding="utf-8")
    builder = LintSeqBuilder(
        config_name="lintseq", data_files={"train": str(path)}, cache_dir=str(tmp_path / "cache"),
        num_samples=1, language_column="lang",
    )  # fmt: skip
    builder.download_and_prepare()
    rows = builder.as_dataset("train").to_list()
    assert [row["source_row"] for row in rows] == [0, 1, 2]
    assert all(apply_edits(row["edits"]) == row["program"] for row in rows)
    assert builder.reports()["train"].skipped == {"unknown_language": 2}


def test_compiler_linters_choose_another_linter_for_a_language(monkeypatch):
    from lintseq_hf.lint import registry
    from lintseq_hf.lint.compilers.gcc import GccReferenceLinter

    class CountingGcc(GccReferenceLinter):
        name = "counting-gcc"
        calls = 0

        def _lint(self, text):
            CountingGcc.calls += 1
            return super()._lint(text)

    monkeypatch.setitem(registry._REGISTERED, "counting-gcc", CountingGcc)
    try:
        chosen = GenerateConfig(num_samples=2, language_column="lang", timeout=None, compiler_linters="C=counting-gcc")
        assert chosen.row_linter("c") == "counting-gcc" and chosen.row_linter("javascript") == "tsc-js"
        results = [process_row(row, i, chosen) for i, row in enumerate(ROWS[:2])]
        assert CountingGcc.calls > 0
        reference = GenerateConfig(num_samples=2, language_column="lang", timeout=None, compiler_linters="c=gcc-reference")
        assert [r.samples for r in results] == [process_row(row, i, reference).samples for i, row in enumerate(ROWS[:2])]
    finally:
        registry.reset_linter("counting-gcc")
    # C++'s default is libclang++; g++ (one process per state, shared precompiled headers) stays selectable
    assert GenerateConfig().row_linter("cpp") == "libclang++"
    assert GenerateConfig(compiler_linters="cpp=g++").row_linter("cpp") == "g++"
    for bad, named in (("c", "'c' is not"), ("cobol=gcc", "cobol"), ("python=fast", "Python"), ("c=nope", "nope")):
        with pytest.raises(ValueError, match=named):
            GenerateConfig(compiler_linters=bad)
