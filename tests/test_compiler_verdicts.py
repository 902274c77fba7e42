"""The compiler backends' verdicts: today's GCC defaults, states that cannot be checked past a
fatal error, the fork-server backends agreeing with the one-process-per-state references, and
Go's type-check worker -- all through the real tools."""

from __future__ import annotations

import pytest

from lintseq_hf.lint.base import unchecked
from lintseq_hf.lint.compilers.gcc import GCC14_C_ERRORS, c_error_flags, gcc_major_version
from lintseq_hf.lint.registry import available_linters, get_linter


def _lines(errors):
    return sorted({e.line for e in errors})


@pytest.mark.parametrize("name", ["gcc", "gcc-reference"])
def test_c_calls_before_any_declaration_are_errors_as_in_gcc_14(name):
    state = "int main(void) {\n  int n = helper(3);\n  return n;\n}"
    errors = get_linter(name).lint(state)
    assert _lines(errors) == [2]
    assert "implicit declaration of function 'helper'" in errors[0].message


@pytest.mark.parametrize(
    "state, line",
    [
        ("static counter;\nint f(void) { return counter; }", 1),  # implicit int
        ("int f(void) {\n  int *p = 1;\n  return *p;\n}", 2),  # int-conversion
        ("int f(void) {\n  long *q = 0;\n  int *p = q;\n  return *p;\n}", 3),  # incompatible-pointer-types
        ("int f(void) {\n  return;\n}", 2),  # return-mismatch
        ("void f(void) {\n  return 1;\n}", 2),  # return-mismatch
    ],
)
def test_the_other_errors_gcc_14_made_default_count(state, line):
    assert _lines(get_linter("gcc").lint(state)) == [line]
    assert _lines(get_linter("gcc-reference").lint(state)) == [line]


def test_warnings_that_stay_warnings_in_gcc_14_do_not_count():
    state = "int f(int x) {\n  if (x) return 1;\n}\nint g(void) { int unused; return 0; }"
    assert get_linter("gcc").lint(state) == []


def test_the_gcc_14_flags_are_those_this_gcc_knows():
    program = get_linter("gcc").program
    flags = c_error_flags(program)
    if gcc_major_version(program) >= 14:
        assert flags == ()
    else:
        assert set(flags) <= {f"-Werror={w}" for w in GCC14_C_ERRORS}
        assert "-Werror=implicit-function-declaration" in flags


@pytest.mark.parametrize("name", ["gcc", "g++", "g++-fork", "gcc-reference", "g++-reference"])
def test_a_missing_header_stops_gcc_and_the_verdict_says_unchecked(name):
    state = '#include <stdio.h>\n#include "project_config.h"\nint main(void) { return undefined_name; }'
    errors = get_linter(name).lint(state)
    assert unchecked(errors)
    assert [(e.msg_id, e.line) for e in errors if e.fatal] == [("fatal", 2)]
    assert not unchecked(get_linter(name).lint("#include <stdio.h>\nint main(void) { return 0; }"))


@pytest.mark.parametrize("name", ["rustc", "rustc-reference"])
def test_rustc_checks_the_rest_of_a_state_past_a_crate_or_import_it_cannot_find(name):
    errors = get_linter(name).lint('extern crate serde_json_not_here;\npub fn f() -> u8 { "a" }')
    assert not unchecked(errors) and _lines(errors) == [1, 2]
    errors = get_linter(name).lint('use not_here::Thing;\npub fn f() -> u8 { "a" }')
    assert not unchecked(errors) and _lines(errors) == [1, 2]


C_STATES = [
    "#include <stdio.h>\nint main(void) {\n  printf(\"x\");\n",  # end of input inside a function
    "struct s { int a;\n",
    "#include <stdio.h>\n\n#include <stdlib.h>\nint main(void) { char *p = malloc(1); return p; }",
    '#include <string.h>  // strlen\n#include "zlib.h"\nint f(const char *s) { return strlen(s) + undefined; }',
    "#include <stdio.h>\n#include <nothere.h>\nint x;",
    "/* unterminated\nint x;",
    "int x = \"abc\n;",
    "#if 1\nint x;\n",
    "#include <stdio.h>\r\nint main(void) {\r\n  return y;\r\n}\r\n",
    "#include <stdio.h>\nconst char *s = \"é\";\nint main(void) { return zé; }",
    '#include "<stdin>"\nint x;',
    "#include <stdio.h>\n#define local static\nlocal int f(void) { return g(); }",
    "#pragma once\n#include <stdio.h>\nint main(void) { puts(1); }",
    "",
]
CPP_STATES = [
    "#include <vector>\n#include <iostream>\nint main() {\n  std::vector<int> v;\n  std::cout << v.size();\n}",
    "#include <vector>\nint main() {\n  std::vector<int> v;\n  return v.nope();\n}",
    "#include <string>\nstruct A {\n  std::string s;\n",
    "#include <map>\ntemplate <typename T> T twice(T x) { return x + x; }\nint f() { return twice(std::map<int, int>()); }",
    "#include <cstdio>\n#include \"missing.hpp\"\nint main() { return 0; }",
    "int main() { return undefined; }",
]
RUST_STATES = [
    "pub fn f() -> u8 { 1 }",
    "pub fn f() -> u8 { }",
    "fn f( {",
    "#![no_std]\nuse std::fmt;",
    "mod elsewhere;\n",
    "use std::collections::HashMap;\npub fn f() -> HashMap<u8, u8> { HashMap::new() }\npub fn g() { let x: u8 = \"s\"; }",
    "macro_rules! m { ($x:expr) => { $x + } }\npub fn f() -> u8 { m!(1) }",
    'pub const S: &str = include_str!("data.txt");',  # refused in standard input, read next to a file
]


@pytest.mark.parametrize(
    "fast, reference, states",
    [("gcc", "gcc-reference", C_STATES), ("g++-fork", "g++-reference", CPP_STATES), ("rustc", "rustc-reference", RUST_STATES)],
)
def test_fork_server_backends_give_the_reference_verdicts(fast, reference, states):
    for state in states:
        assert get_linter(fast).lint(state) == get_linter(reference).lint(state), state


def test_every_language_state_of_a_program_is_checked_by_its_own_header_block_server():
    linter = get_linter("gcc")
    program = "#include <stdio.h>\n#include <string.h>\nint f(const char *s) { return (int)strlen(s); }"
    for state in (program, program.replace("#include <string.h>\n", ""), program + "\nint g(void) { return h(); }"):
        assert linter.lint(state) == get_linter("gcc-reference").lint(state)


def test_reference_and_go_linters_are_registered():
    assert {"gcc-reference", "g++-reference", "rustc-reference", "go"} <= set(available_linters())


GO_PROGRAM = 'package main\n\nimport (\n\t"fmt"\n\t"strings"\n)\n\nfunc main() {\n\tfmt.Println(strings.ToUpper("x"))\n}\n'


def test_go_clean_program_and_its_type_errors():
    go = get_linter("go")
    assert go.lint(GO_PROGRAM) == []
    errors = go.lint("package main\n\nfunc f() int {\n\treturn \"s\"\n}\n\nfunc g() {\n\th()\n}\n")
    assert _lines(errors) == [4, 8] and {e.msg_id for e in errors} == {"type"}
    assert _lines(go.lint("package main\n\nfunc f() int {\n}\n")) == [4]  # missing return


def test_go_syntax_errors_stop_before_type_checking():
    errors = get_linter("go").lint("package main\n\nfunc main() {\n\tif x {\n}\n")
    assert [(e.msg_id, e.line) for e in errors] == [("syntax", 5)]
    assert [(e.msg_id, e.line) for e in get_linter("go").lint("func main() {}\n")] == [("syntax", 1)]


def test_go_unused_variables_and_imports_do_not_count():
    state = 'package main\n\nimport (\n\t"fmt"\n\t"strings"\n)\n\nfunc main() {\n\tx := 1\n\tfmt.Println()\n}\n'
    assert get_linter("go").lint(state) == []


def test_go_packages_outside_the_standard_library_are_one_error_at_the_import():
    state = 'package main\n\nimport "github.com/example/thing"\n\nfunc main() {\n\tthing.Do()\n\t_ = thing.Value\n}\n'
    assert _lines(get_linter("go").lint(state)) == [3]


def test_go_worker_restarts_after_it_was_stopped():
    go = get_linter("go")
    go.lint(GO_PROGRAM)
    go.close()
    assert _lines(go.lint("package main\n\nvar x int = \"s\"\n")) == [3]


def _verdicts_in_a_child(name: str, states: list[str]) -> list[list[tuple[int, str]]]:
    """Verdicts of ``states`` from the process-wide linter ``name`` in a forked child process."""
    import multiprocessing

    with multiprocessing.get_context("fork").Pool(1) as pool:
        return pool.apply(_lines_and_ids, (name, states))


def _lines_and_ids(name: str, states: list[str]) -> list[list[tuple[int, str]]]:
    linter = get_linter(name)
    return [[(e.line, e.msg_id) for e in linter.lint(s)] for s in states]


@pytest.mark.parametrize("name", ["gcc", "rustc"])
def test_a_forked_process_starts_fork_servers_of_its_own(name):
    if name == "gcc":
        states = ["#include <stdio.h>\nint main(void) { return missing; }", "#include <stdio.h>\nint main(void) { return 0; }"]
    else:
        states = ["pub fn f() -> u8 { missing }", "pub fn f() -> u8 { 1 }"]
    linter = get_linter(name)
    expected = _lines_and_ids(name, states)  # the parent's servers are up
    fallbacks = linter.fallbacks
    assert _verdicts_in_a_child(name, [s + "\n" for s in states]) == expected
    assert _lines_and_ids(name, [s + "\n\n" for s in states]) == expected  # the parent's still answer
    assert linter.fallbacks == fallbacks


def test_g_plus_plus_uses_a_block_precompiled_by_an_earlier_linter_from_its_first_state(tmp_path, monkeypatch):
    from lintseq_hf.lint.compilers.gcc import GxxLinter

    monkeypatch.setenv("LINTSEQ_PCH_CACHE", str(tmp_path))
    states = ["#include <vector>\nint f() { return std::vector<int>().size(); }", "#include <vector>\nint g() { return missing; }"]
    first = GxxLinter()
    assert [first.lint(s) for s in states] == [get_linter("g++-reference").lint(s) for s in states]
    assert list(tmp_path.glob("*/block.h.gch"))  # built the second time the block was seen, as the reference
    second = GxxLinter()
    state = "#include <vector>\nint h() { return std::vector<long>().nope(); }"
    assert second.lint(state) == get_linter("g++-reference").lint(state) != []
    assert second._headers == {"#include <vector>\n": str(next(tmp_path.glob("*/block.h")))}  # from its first state


def test_g_plus_plus_keeps_the_most_recent_blocks_and_the_text_of_the_others(tmp_path, monkeypatch):
    from lintseq_hf.lint.compilers import gcc

    monkeypatch.setenv("LINTSEQ_PCH_CACHE", str(tmp_path))
    monkeypatch.setattr(gcc, "MAX_SHARED_HEADERS", 1)
    linter = gcc.GxxLinter()
    first, second = "#include <climits>\n", "#include <cstddef>\n"
    for block in (first, second):
        for body in ("int a = CHAR_BIT;", "int b = missing;"):
            state = block + body
            assert linter.lint(state) == get_linter("g++-reference").lint(state)
    assert len(list(tmp_path.glob("*/block.h.gch"))) == 1 and len(list(tmp_path.glob("*/block.h"))) == 2
    state = first + "int c = CHAR_BIT + missing;"  # its .gch was removed: GCC reads the block's text
    assert linter._headers[first] is not None and linter.lint(state) == get_linter("g++-reference").lint(state) != []


def test_g_plus_plus_fork_restarts_a_block_server_it_let_go(tmp_path, monkeypatch):
    from lintseq_hf.lint.compilers import gcc

    monkeypatch.setenv("LINTSEQ_PCH_CACHE", str(tmp_path))
    monkeypatch.setattr(gcc, "MAX_SERVERS", 1)
    linter = gcc.GxxForkLinter()
    for round_ in range(3):  # each block's server is stopped when the other's starts
        for block in ("#include <climits>\n", "#include <cstddef>\n"):
            state = f"{block}int v{round_} = CHAR_BIT + missing;"
            assert linter.lint(state) == get_linter("g++-reference").lint(state)
    assert linter.fallbacks == 0
    linter.close()
