"""The pre-check (lintseq_hf.core.precheck): it settles a state that is provably clean, refuses each
hazard the compiler would flag (every refusal here is checked against the real compiler: settling
it would have been a wrong verdict), and sampling with it gives the reference's sequences."""

from __future__ import annotations

import pytest

import language_tools as tools
from lintseq_hf.core.precheck import PreCheck, precheck_for
from lintseq_hf.core.sampler import sample_edits_traced
from lintseq_hf.lint.base import LintError
from lintseq_hf.lint.registry import get_linter

REFERENCE = {"c": "gcc-reference", "cpp": "g++-reference", "rust": "rustc-reference"}
FAST = {"c": "gcc", "cpp": "g++", "rust": "rustc"}


def _verdict(language: str, program: str, deleted: set[int]) -> tuple[bool, list]:
    """Whether the pre-check settles ``program`` less the 0-based lines ``deleted``, and the
    reference compiler's errors on that state (the original must be clean)."""
    compiler = get_linter(REFERENCE[language])
    assert compiler.lint(program) == [], program
    lines = program.split("\n")
    check = PreCheck(language)
    check.clean(list(range(len(lines))), [])
    kept = [i for i in range(len(lines)) if i not in deleted]
    text = "\n".join(lines[i] for i in kept)
    return check.settles(lines, kept, text), compiler.lint(text)


def _lines(program: str, *texts: str) -> set[int]:
    """0-based indices of the lines of ``program`` whose stripped text is one of ``texts``."""
    found = {i for i, line in enumerate(program.split("\n")) if line.strip() in texts}
    assert len(found) >= len(texts), (texts, program)
    return found


SAFE = {
    "c": ("#include <stdio.h>\n\nstatic int unused(int a) {\n    return a + 1;\n}\n\nint main(void) {\n"
          "    int spare = 3;\n    printf(\"hi\\n\");\n    return 0;\n}\n",
          ("int spare = 3;",)),
    "cpp": ("#include <vector>\n\nint main() {\n    std::vector<int> v{1, 2};\n    int spare = 3;\n"
            "    v.push_back(4);\n    return static_cast<int>(v.size());\n}\n",
            ("int spare = 3;", "v.push_back(4);")),
    "rust": ("fn helper(x: u32) -> u32 {\n    x + 1\n}\n\npub fn run(values: &[u32]) -> u32 {\n"
             "    let total: u32 = values.iter().sum();\n    println!(\"{}\", total);\n    total\n}\n",
             ("println!(\"{}\", total);",)),
}


@pytest.mark.parametrize("language", sorted(SAFE))
def test_an_unreferenced_statement_is_settled_and_the_compiler_agrees(language):
    program, texts = SAFE[language]
    settled, errors = _verdict(language, program, _lines(program, *texts))
    assert settled and errors == []


def test_a_whole_unreferenced_function_and_main_are_settled():
    program = SAFE["c"][0]
    lines = program.split("\n")
    whole = set(range(lines.index("static int unused(int a) {"), lines.index("static int unused(int a) {") + 3))
    settled, errors = _verdict("c", program, whole)
    assert settled and errors == []
    main = set(range(lines.index("int main(void) {"), len(lines) - 1))
    settled, errors = _verdict("c", program, main | whole)
    assert settled and errors == []


HAZARDS = {
    # name: (language, clean program, lines deleted)
    "c-name-still-used": ("c", "int main(void) {\n    int x = 1;\n    return x;\n}\n", ("int x = 1;",)),
    "c-include-still-used": ("c", "#include <stdio.h>\nint main(void) {\n    printf(\"x\");\n    return 0;\n}\n",
                             ("#include <stdio.h>",)),
    "c-define-before-include": (
        "c", "#define _GNU_SOURCE\n#include <stdio.h>\nint f(char **s) {\n    return asprintf(s, \"x\");\n}\n",
        ("#define _GNU_SOURCE",)),
    "c-token-pasting": ("c", "#define CALL(x) x##_impl()\nvoid foo_impl(void) {\n}\nvoid g(void) {\n    CALL(foo);\n}\n",
                        ("void foo_impl(void) {", "}")),
    "c-braceless-body": ("c", "void f(int c) {\n    if (c)\n        c++;\n}\n", ("c++;",)),
    "c-label-still-used": ("c", "void f(void) {\n    goto out;\nout:\n    return;\n}\n", ("out:", "return;")),
    "c-statement-expression-value": ("c", "int f(void) {\n    int y = ({\n        1;\n    });\n    return y;\n}\n", ("1;",)),
    "c-preprocessor-conditional": ("c", "#if 1\n#define N 1\n#endif\nint a[N];\n", ("#define N 1",)),
    "cpp-deduced-return": ("cpp", "auto f() {\n    int a = 1;\n    return a;\n}\nint b = f();\n", ("return a;",)),
    "cpp-implicit-begin": (
        "cpp", "struct R {};\nint *begin(R &) { return nullptr; }\nint *end(R &) { return nullptr; }\n"
        "int f(R &r) {\n    int s = 0;\n    for (int x : r) s += x;\n    return s;\n}\n",
        ("int *begin(R &) { return nullptr; }",)),
    "cpp-constructor": ("cpp", "struct S {\n    S(int) {}\n};\nS s = 1;\n", ("S(int) {}",)),
    "cpp-operator": ("cpp", "struct A {};\nbool operator<(A, A) { return true; }\nbool f(A a) { return a < a; }\n",
                     ("bool operator<(A, A) { return true; }",)),
    "cpp-constexpr": (
        "cpp", "constexpr int f() {\n    int r = 1;\n    r += 1;\n    return r;\n}\nstatic_assert(f() == 2, \"\");\n",
        ("r += 1;",)),
    "cpp-template-specialization": (
        "cpp", "template <class T> struct H;\ntemplate <>\nstruct H<int> {\n    static const int v = 1;\n};\nint x = H<int>::v;\n",
        ("template <>", "struct H<int> {", "static const int v = 1;", "};")),
    "rust-tail-expression": ("rust", "pub fn f() -> i32 {\n    let a = 1;\n    a\n}\n", ("a",)),
    "rust-diverging-statement": (
        "rust", "fn helper() {}\npub fn f() -> i32 {\n    std::process::exit(1);\n    helper();\n}\n",
        ("std::process::exit(1);",)),
    "rust-type-inference": (
        "rust", "pub fn f() -> usize {\n    let mut v = Vec::new();\n    v.push(1u8);\n    v.len()\n}\n", ("v.push(1u8);",)),
    "rust-initialization": ("rust", "pub fn f() -> i32 {\n    let x: i32;\n    x = 1;\n    x\n}\n", ("x = 1;",)),
    "rust-return-path": (
        "rust", "pub fn f(v: Vec<u8>, c: bool) {\n    if c {\n        drop(v);\n        return;\n        println!(\"gone\");\n"
        "    }\n    drop(v);\n}\n", ("return;",)),
    "rust-impl": ("rust", "pub struct S;\nimpl S {\n    pub fn new() -> S {\n        S\n    }\n}\npub fn f() -> S {\n"
                  "    S::new()\n}\n", ("impl S {", "pub fn new() -> S {", "S", "}")),
    "rust-attribute-left-behind": ("rust", "#[inline]\nfn a() {}\npub struct B;\n", ("fn a() {}",)),
    "rust-doc-comment-left-behind": ("rust", "pub struct B;\n/// A doc comment.\nfn a() {}\n", ("fn a() {}",)),
    "rust-trait-import": ("rust", "use std::fmt::Write;\npub fn f(s: &mut String) {\n    s.write_str(\"x\").unwrap();\n}\n",
                          ("use std::fmt::Write;",)),
    "rust-macro-rules": ("rust", "macro_rules! m {\n    () => { 1 };\n}\npub fn f() -> i32 {\n    m!()\n}\n",
                         ("macro_rules! m {", "() => { 1 };", "}")),
}


@pytest.mark.parametrize("name", sorted(HAZARDS))
def test_each_hazard_is_refused_and_the_compiler_confirms_it(name):
    language, program, texts = HAZARDS[name]
    lines = program.split("\n")
    if name == "rust-impl":
        deleted = set(range(1, 6))
    elif name == "rust-macro-rules":
        deleted = {0, 1, 2}
    elif name == "c-token-pasting":
        deleted = {1, 2}
    elif name == "cpp-template-specialization":
        deleted = {1, 2, 3, 4}
    else:
        deleted = _lines(program, *texts)
    assert all(lines[i].strip() for i in deleted)
    settled, errors = _verdict(language, program, deleted)
    assert errors, f"{name}: the state is clean, so this is no hazard"
    assert not settled, name


def test_a_rust_import_that_failed_may_go_while_another_failed_one_stays():
    program = "use crate::{Alpha, Beta};\nuse crate::Gamma;\n\npub fn f() -> u32 {\n    1\n}\n"
    compiler = get_linter("rustc-reference")
    original = compiler.lint(program)
    assert {e.msg_id for e in original} == {"E0432"} and {e.line for e in original} == {1, 2}
    lines = program.split("\n")
    check = PreCheck("rust")
    check.clean(list(range(len(lines))), original)
    kept = [i for i in range(len(lines)) if i != 0]
    text = "\n".join(lines[i] for i in kept)
    assert check.settles(lines, kept, text)
    assert [(e.msg_id, lines[1]) for e in compiler.lint(text)] == [("E0432", "use crate::Gamma;")]
    # the last failed import does not go: the compiler's phases could change with it
    check.clean(kept, compiler.lint(text))
    rest = [i for i in kept if i != 1]
    assert not check.settles(lines, rest, "\n".join(lines[i] for i in rest))


def test_a_line_the_compiler_flagged_in_the_state_before_is_not_settled():
    program = "int main(void) {\n    undeclared();\n    return 0;\n}\n"
    lines = program.split("\n")
    check = PreCheck("c")
    check.clean(list(range(len(lines))), [LintError("error", 2, 5, "implicit declaration of function 'undeclared'")])
    kept = [0, 2, 3, 4]
    assert not check.settles(lines, kept, "\n".join(lines[i] for i in kept))


def test_the_fast_linters_use_it_by_default_and_the_references_and_python_do_not():
    assert precheck_for(get_linter("gcc"), "c") is not None
    assert precheck_for(get_linter("rustc"), "rust") is not None
    assert precheck_for(get_linter("gcc-reference"), "c") is None
    assert precheck_for(get_linter("rustc-reference"), "rust") is None
    assert precheck_for(get_linter("fast"), "python") is None
    program = SAFE["c"][0]
    _, fast = sample_edits_traced(program, seed=0, language="c")
    _, reference = sample_edits_traced(program, seed=0, language="c", linter="gcc-reference")
    assert fast.settled > 0 and reference.settled == 0
    assert fast.steps == reference.steps and fast.lint_chars == reference.lint_chars
    with pytest.raises(ValueError, match="python"):
        PreCheck("python")


def _real(language: str, count: int) -> list[str]:
    if language == "c":
        found = [u for p in sorted((tools.DATA / "c").glob("*.c"))
                 for u in tools.units(p.read_text(encoding="utf-8"), "c", {"function_definition"})]
    elif language == "rust":
        context = {"use_declaration", "macro_definition", "enum_item", "struct_item", "trait_item", "type_item",
                   "inner_attribute_item", "line_comment", "block_comment"}
        found = [u for p in sorted((tools.DATA / "rust").glob("**/*.rs"))
                 for u in tools.units(p.read_text(encoding="utf-8"), "rust", {"function_item", "impl_item"}, context)]
    else:
        found = [p.read_text(encoding="utf-8") for p in sorted((tools.DATA / "cpp").glob("**/*.cpp"))]
    shortest = sorted(range(len(found)), key=lambda i: (len(found[i]), i))[:count]
    return [found[i] for i in sorted(shortest)]


@pytest.mark.slow
@pytest.mark.parametrize("language", ["c", "cpp", "rust"])
def test_sequences_with_the_precheck_equal_the_references_on_real_programs(language):
    settled = 0
    for index, program in enumerate(_real(language, 4)):
        check = PreCheck(language, record=True)
        ours, trace = sample_edits_traced(program, seed=index, language=language, linter=FAST[language], precheck=check)
        theirs = sample_edits_traced(program, seed=index, language=language, linter=REFERENCE[language])[0]
        assert ours == theirs, (language, index)
        assert trace.settled == len(check.texts)
        settled += trace.settled
    assert settled > 0


def test_a_statement_using_a_declaring_macro_of_the_file_is_refused():
    program = "#define DECLARE(x) int x = 0\nint f(void) {\n    DECLARE(count);\n    return count;\n}\n"
    lines = program.split("\n")
    check = PreCheck("c")
    check.clean(list(range(len(lines))), [])
    kept = [0, 1, 3, 4, 5]
    text = "\n".join(lines[i] for i in kept)
    assert get_linter("gcc-reference").lint(text)  # count is undeclared without it
    assert not check.settles(lines, kept, text)
