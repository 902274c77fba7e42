"""The libclang linters (``libclang``, ``libclang++``) against GCC's verdicts (``gcc-reference``,
``g++-reference``): the lines they flag, which is what the sampler acts on, on GCC 14's errors,
the places GCC reports once, errors blamed on an ``#include`` or a ``#define``, a missing header;
the worker's crash and restart, fork safety, and the same sequences as the reference on real
programs -- all through the real tools (libclang: ``scripts/setup.sh languages``)."""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
from pathlib import Path

import language_tools as tools
import pytest

from lintseq_hf.core.sampler import default_linter, sample_edits
from lintseq_hf.lint.base import unchecked
from lintseq_hf.lint.compilers import libclang
from lintseq_hf.lint.compilers.tools import ToolError, ToolMissingError
from lintseq_hf.lint.registry import get_linter, linter_class

DATA = Path(__file__).parent / "data"


def _lines(errors):
    return sorted({e.line for e in errors})


def _same_as_gcc(state: str, language: str = "c") -> list[int]:
    """The lines libclang flags in ``state``, asserted equal to GCC's."""
    ours, reference = ("libclang", "gcc-reference") if language == "c" else ("libclang++", "g++-reference")
    expected = get_linter(reference).lint(state)
    found = get_linter(ours).lint(state)
    assert _lines(found) == _lines(expected), (found, expected)
    assert unchecked(found) == unchecked(expected)
    return _lines(found)


@pytest.mark.parametrize(
    "state, line",
    [
        ("int main(void) {\n  int n = helper(3);\n  return n;\n}", 2),  # implicit function declaration
        ("static counter;\nint f(void) { return counter; }", 1),  # implicit int
        ("int f(void) {\n  int *p = 1;\n  return *p;\n}", 2),  # int-conversion
        ("int f(void) {\n  long *q = 0;\n  int *p = q;\n  return *p;\n}", 3),  # incompatible-pointer-types
        ("int f(void) {\n  return;\n}", 2),  # return-mismatch
        ("void f(void) {\n  return 1;\n}", 2),  # return-mismatch
    ],
)
def test_the_errors_gcc_14_made_default_count_as_for_gcc(state, line):
    assert _same_as_gcc(state) == [line]


def test_warnings_that_stay_warnings_in_gcc_14_do_not_count():
    state = ("int f(int x) {\n  if (x) return 1;\n}\nint g(void) { int unused; return 0; }\n"
             "const int *c; int *p;\nvoid h(void) { p = c; }\n")  # discarded qualifiers: a GCC warning
    assert _same_as_gcc(state) == []


def test_gcc_reports_an_undeclared_name_once_per_function_and_an_implicit_function_once_per_file():
    state = ("int f(void) {\n  x = 1;\n  x = 2;\n  helper();\n  return x;\n}\n"
             "int g(void) {\n  helper();\n  return x;\n}\n")
    assert _same_as_gcc(state) == [2, 4, 9]


def test_gcc_reports_a_macro_bodys_error_on_the_define_line():
    state = "#define CALL(v) (v ? 0 : undefined_call(v))\nint f(int v) {\n  return CALL(v);\n}\n"
    assert _same_as_gcc(state) == [1]


def test_a_header_error_is_blamed_on_the_include_line():
    state = "typedef double FILE;\n#include <stdio.h>\nint main(void) { return 0; }\n"
    assert _same_as_gcc(state) == [2]


@pytest.mark.parametrize("language", ["c", "cpp"])
def test_a_missing_header_is_fatal_on_its_include_line(language):
    state = '#include <stdio.h>\n#include "project_config.h"\nint main(void) { return undefined_name; }\n'
    assert _same_as_gcc(state, language) == [2]
    assert unchecked(get_linter("libclang" if language == "c" else "libclang++").lint(state))


def test_gcc_skips_the_body_of_a_function_whose_signature_is_wrong():
    c_state = "void f(bin *in, int k)\n{\n  undeclared_fn();\n}\nbin g(int a)\n{\n  return zz;\n}\n"
    assert _same_as_gcc(c_state) == [1, 5, 7]
    cpp_state = ("#include <iostream>\nstd::vector<int> p(int m) {\n  std::vector<int> r;\n  return zz;\n}\n"
                 "int f(bin a) {\n  return yy;\n}\nint h() { return qq; }\n")
    assert _same_as_gcc(cpp_state, "cpp") == [2, 6, 9]


def test_cpp_undeclared_names_per_block_scope_and_std_without_a_header():
    state = ("int f() {\n  if (n > 0) {\n    n = 1;\n  }\n  for (;;) { n = 2; break; }\n  return n;\n}\n"
             "int g() {\n  std::cout << 1;\n  std::cout << 2;\n  int *p = 0;\n  delete q;\n  delete q;\n  return 0;\n}\n")
    assert _same_as_gcc(state, "cpp") == [2, 5, 6, 9, 10, 12, 13]


def test_clean_cpp_with_standard_headers_and_templates():
    state = ("#include <iostream>\n#include <vector>\n#include <algorithm>\n\ntemplate <typename T>\n"
             "T biggest(const std::vector<T> &v) { return *std::max_element(v.begin(), v.end()); }\n"
             "int main() {\n  std::vector<int> v{3, 1, 2};\n  std::cout << biggest(v) << std::endl;\n}\n")
    assert _same_as_gcc(state, "cpp") == []
    broken = state.replace("v.end()", "v.end(), 1, 2")
    assert _same_as_gcc(broken, "cpp") != []


def test_a_killed_worker_is_replaced_by_a_new_one():
    linter = linter_class("libclang")()
    try:
        assert linter.lint("int f(void) { return g(); }") != []
        os.kill(linter.worker._process.pid, signal.SIGKILL)
        linter.worker._process.wait()
        assert _lines(linter.lint("int f(void) { return h(); }")) == [1]
        assert linter.worker.starts == 2
    finally:
        linter.close()
    assert not os.path.exists(linter.worker.cwd)


def test_a_worker_dying_on_a_state_is_a_tool_error_then_a_new_worker_answers():
    linter = linter_class("libclang")()
    arguments = linter.worker.args
    try:
        # a worker that reads the request and dies, as one would if libclang crashed on the state
        linter.worker.args = [sys.executable, "-c", "import os, sys; sys.stdin.readline(); os.abort()"]
        with pytest.raises(ToolError, match="libclang failed on a state .*worker exited"):
            linter.lint("int f(void) { return g(); }")
        linter.worker.args = arguments
        assert _lines(linter.lint("int f(void) { return g(); }")) == [1]
    finally:
        linter.close()


def _lint_in_child(linter, text, queue):
    queue.put(_lines(linter.lint(text)))


def test_a_forked_process_gets_a_worker_of_its_own():
    linter = linter_class("libclang")()
    try:
        assert _lines(linter.lint("int f(void) { return g(); }")) == [1]
        parent_worker = linter.worker._process.pid
        context = multiprocessing.get_context("fork")
        queue = context.Queue()
        child = context.Process(target=_lint_in_child, args=(linter, "int a;\nint f(void) { return k(); }", queue))
        child.start()
        assert queue.get(timeout=120) == [2]
        child.join(timeout=120)
        assert child.exitcode == 0
        assert linter.worker._process.pid == parent_worker
        assert _lines(linter.lint("int b;\nint c;\nint f(void) { return m(); }")) == [3]
    finally:
        linter.close()


def test_missing_libclang_names_the_install_command(monkeypatch):
    monkeypatch.setenv(libclang.LIBCLANG_VARIABLE, "/nonexistent/libclang.so")
    with pytest.raises(ToolMissingError, match="LINTSEQ_LIBCLANG"):
        libclang.find_libclang()
    monkeypatch.delenv(libclang.LIBCLANG_VARIABLE)
    monkeypatch.setattr(libclang.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(ToolMissingError, match="scripts/setup.sh languages") as raised:
        libclang.find_libclang()
    # C's and C++'s default linters: one line that names the install command and GCC as the way around it
    assert "\n" not in str(raised.value) and "linter='gcc' or 'g++'" in str(raised.value) and "cpp=g++" in str(raised.value)
    for language in ("c", "cpp"):
        with pytest.raises(ToolMissingError, match="scripts/setup.sh languages"):
            linter_class(default_linter(language))()


def _shortest(language: str, count: int) -> list[str]:
    if language == "c":
        found = [u for p in sorted((DATA / "c").glob("*.c")) for u in tools.units(p.read_text(encoding="utf-8"), "c", {"function_definition"})]
    else:
        found = [p.read_text(encoding="utf-8") for p in sorted((DATA / "cpp").glob("**/*.cpp"))]
    return sorted(found, key=len)[:count]


@pytest.mark.slow
@pytest.mark.parametrize("language, ours, reference", [("c", "libclang", "gcc-reference"), ("cpp", "libclang++", "g++-reference")])
def test_the_same_sequences_as_the_reference_on_real_programs(language, ours, reference):
    for seed, program in enumerate(_shortest(language, 4)):
        expected = sample_edits(program, seed=seed, language=language, linter=reference)
        assert sample_edits(program, seed=seed, language=language, linter=ours) == expected
        assert sample_edits(program, seed=seed, language=language, linter=ours, precheck=False) == expected


def test_a_forked_process_closing_its_linter_leaves_the_parents_worker_alone():
    linter = linter_class("libclang++")()
    try:
        assert _lines(linter.lint("#include <vector>\nint f() { return g(); }")) == [2]
        context = multiprocessing.get_context("fork")
        child = context.Process(target=_lint_and_close, args=(linter,))
        child.start()
        child.join(timeout=120)
        assert child.exitcode == 0
        assert os.path.isdir(linter.worker.cwd)
        assert _lines(linter.lint("#include <vector>\nint a;\nint f() { return h(); }")) == [3]
    finally:
        linter.close()


def _lint_and_close(linter):
    assert _lines(linter.lint("#include <vector>\nint f() { return k(); }")) == [2]
    linter.close()


def test_cpp_declarations_gxx_rejects_declare_nothing():
    # g++ re-reads a declaration whose type has an error as an expression: its name is never
    # declared (or, with a wrong parameter type and a non-void result, a variable)
    state = ("#include <iostream>\nint f(bin a) {\n  return 1;\n}\nvoid g(string s) {\n}\nstd::vector<int> v(3);\n"
             "node *front, *rear;\nint h() {\n  f(1);\n  g(\"x\");\n  v[0] = 1;\n  front = 0;\n  if (rear) { rear = 0; }\n"
             "  rear = 0;\n  std::vector<int> w(2);\n  w[0] = 1;\n  { w[1] = 2; }\n  node *t = front;\n  delete t;\n"
             "  return f(2);\n}\nint k() { f(3); g(\"y\"); return v[1]; }\n")
    assert _same_as_gcc(state, "cpp") == [2, 5, 7, 8, 10, 11, 12, 13, 14, 15, 16, 17, 19, 20, 21, 23]


def test_cpp_a_call_only_argument_dependent_lookup_could_resolve():
    # g++ also reports min_element (only ADL through vect could find it); not abs (declared at
    # file scope by <cstdlib>), mine (declared here) or std::min_element
    state = ("#include <algorithm>\n#include <cstdlib>\nint mine(int a);\n"
             "int one() { return *min_element(vect.begin(), vect.end()); }\n"
             "int two() { return *std::min_element(vect.begin(), vect.end()); }\n"
             "int three() { return mine(vect.size()); }\nint four() { return abs(vect.size()); }\n"
             "int five() { if (vect.size()) cnt = 1; else cnt = 2; return 0; }\n")
    assert _same_as_gcc(state, "cpp") == [4, 5, 6, 7, 8]
    called = {e.message for e in get_linter("libclang++").lint(state) if "vect" not in e.message and "cnt" not in e.message}
    assert called == {"use of undeclared identifier 'min_element'"}
    with_using = state.replace("int mine(int a);", "using namespace std;")
    assert not any("min_element" in e.message for e in get_linter("libclang++").lint(with_using))


def test_c_a_variable_of_an_unknown_type_is_reported_at_each_member_access():
    state = ("int f(void) {\n  z_stream strm;\n  strm.zalloc = 0;\n  strm.opaque = 0;\n  int *p = (int *)&strm;\n"
             "  return strm.avail_in + helper(p);\n}\n")
    assert _same_as_gcc(state) == [2, 3, 4, 6]


def test_an_unknown_namespace_at_every_use_and_c_file_scope_names_once():
    state = ("#include <cassert>\nint main() {\n  assert(math::is_prime(2));\n  assert(math::is_prime(3));\n"
             "  std::cout << 1;\n  return 0;\n}\n")
    assert _same_as_gcc(state, "cpp") == [3, 4, 5]
    assert _same_as_gcc("unsigned char in[SIZE];\nunsigned char out[SIZE];\nint f(void) { return SIZE; }\n") == [1]


def test_a_new_c_include_list_is_checked_through_its_prefixs_preamble(tmp_path, monkeypatch):
    # the worker's policy in this process: the list (stdio, string, "missing.h") is first parsed
    # through the unit of (stdio) with the rest of its includes in the main file's body
    cindex = pytest.importorskip("clang.cindex")
    from lintseq_hf.lint.compilers import libclang_worker as worker

    if not cindex.Config.loaded:
        cindex.Config.set_library_file(libclang.find_libclang())
    monkeypatch.chdir(tmp_path)
    checker = worker.Checker("c", [*libclang.COMMON_FLAGS, *libclang.C_FLAGS])
    longer = "#include <stdio.h>\n#include <string.h>\nint main(void) {\n  return (int)strlen(\"ab\") + VALUE;\n}\n"
    states = [
        "#include <stdio.h>\nint main(void) {\n  return 0;\n}\n",
        *(longer.replace("VALUE", str(value)) for value in range(worker.PREFIX_STATES["c"] - 1)),
        longer.replace("VALUE", "undefined_name"),
        "#include <stdio.h>\n#include <string.h>\n#include \"missing.h\"\nint main(void) {\n  return 0;\n}\n",
    ]
    keys = []
    for state in states:
        found = checker.check(state)
        keys.append(sorted(checker.units))
        expected = get_linter("gcc-reference").lint(state)
        assert sorted({line for line, *_ in found}) == _lines(expected), (state, found, expected)
        assert any(code == "fatal" for _, _, code, _ in found) == unchecked(expected)
    one, two = ("#include <stdio.h>",), ("#include <stdio.h>", "#include <string.h>")
    assert keys[1] == keys[worker.PREFIX_STATES["c"] - 1] == [one]  # the prefix's unit only
    assert keys[worker.PREFIX_STATES["c"]] == [one, two]  # the list's 8th state: a preamble of its own
    assert keys[-1] == [one, two]  # (stdio, string, "missing.h"): through (stdio, string), fatal on line 3
    assert _same_as_gcc(states[-2]) == [4]


def _checker(language, tmp_path, monkeypatch):
    """A worker's checker in this process, in ``tmp_path``."""
    cindex = pytest.importorskip("clang.cindex")
    from lintseq_hf.lint.compilers import libclang_worker as worker

    if not cindex.Config.loaded:
        cindex.Config.set_library_file(libclang.find_libclang())
    monkeypatch.chdir(tmp_path)
    flags = libclang.C_FLAGS if language == "c" else libclang.CXX_FLAGS
    return worker.Checker(language, [*libclang.COMMON_FLAGS, *flags])


def _check_as_gcc(checker, state: str, reference: str) -> None:
    found = checker.check(state)
    expected = get_linter(reference).lint(state)
    assert sorted({line for line, *_ in found}) == _lines(expected), (state, found, expected)


def test_a_new_c_list_of_standard_headers_is_checked_through_a_unit_of_some_of_them_in_another_order(tmp_path, monkeypatch):
    # (string.h, stdio.h) through the unit of (stdio.h), <string.h> parsed after it: the standard's
    # headers may be included in any order with the same effect
    checker = _checker("c", tmp_path, monkeypatch)
    _check_as_gcc(checker, "#include <stdio.h>\nint main(void) {\n  return 0;\n}\n", "gcc-reference")
    state = "#include <string.h>\n#include <stdio.h>\nint main(void) {\n  printf(\"%d\", (int)strlen(\"ab\"));\n  return gone;\n}\n"
    _check_as_gcc(checker, state, "gcc-reference")
    assert list(checker.units) == [("#include <stdio.h>",)]


def test_cpp_lists_are_checked_on_the_saved_ast_of_a_header_other_lists_had(tmp_path, monkeypatch):
    # (cstring, iostream): a unit on the saved AST of <iostream> (the first list had it), <cstring>
    # its preamble; an error the compiler places in a header is blamed on the include that brought
    # the header in, which depends on the order: such a state is checked again by a plain unit
    checker = _checker("c++", tmp_path, monkeypatch)
    iostream = "#include <iostream>"
    _check_as_gcc(checker, "#include <iostream>\nint main() {\n  std::cout << 1;\n}\n", "g++-reference")
    assert list(checker.units) == [(iostream,)] and not checker.asts  # no other list had <iostream> yet
    state = "#include <cstring>\n#include <iostream>\nint main() {\n  std::cout << std::strlen(\"ab\") << gone;\n}\n"
    _check_as_gcc(checker, state, "g++-reference")
    assert list(checker.asts) == [iostream] and list(checker.chained) == [("#include <cstring>", iostream)]
    assert list(checker.units) == [(iostream,)]
    # std::min of a type without <: the error is in bits/stl_algobase.h, which <iostream> brings in
    # (line 2); on <iostream>'s AST the unit knows no include of that header. (A fresh reference:
    # one that saw the block before compiles it precompiled, and g++ then names no include, line 0)
    state = state.replace("int main", "struct P { int x; };\nint main").replace("  std::cout", "  P a{1}, b{2};\n  std::min(a, b);\n  std::cout")
    assert _lines(linter_class("g++-reference")().lint(state)) == [2, 7]
    assert sorted({line for line, *_ in checker.check(state)}) == [2, 7]
    assert ("#include <cstring>", iostream) in checker.units  # checked again by a plain unit


def test_c_an_unknown_type_that_clang_reads_as_a_name_is_gccs_unknown_type_at_each_declaration():
    # clang: "use of undeclared identifier 'clock_t'" (once per function by the rule for names);
    # GCC: "unknown type name" at each declaration, which declares its names (silent at their uses)
    state = ("int main(void) {\n  clock_t start = clock();\n  clock_t end = clock();\n  return (int)(end - start);\n}\n"
             "void f(int n) {\n  for (uint8_t i = 0; i < n; i++) {\n    n += i;\n  }\n  for (uint8_t i = 0; i < n; i++) {\n  }\n}\n")
    assert _same_as_gcc(state) == [2, 3, 7, 10]
    # a parameter starting with an unknown type: GCC gives up on the function (its body unchecked);
    # an unknown type after a qualifier is read as a type, and the body is checked
    assert _same_as_gcc("int64_t g(int a, int64_t x) {\n  uint32_t y = 1;\n  return y + zz;\n}\n") == [1]
    assert _same_as_gcc("int64_t g(const int64_t *x, int n) {\n  uint32_t y = 1;\n  return y + zz + n;\n}\n") == [1, 2, 3]


def test_c_a_library_functions_name_used_as_a_value_is_an_undeclared_name_for_gcc():
    # clang declares index() and remainder() implicitly and reports the conversions that follow
    state = "int f(int *a) {\n  int k = index;\n  a[0] = a[index] + k;\n  return remainder < 10 ? remainder : 0;\n}\n"
    assert _same_as_gcc(state) == [2, 4]


def test_c_an_error_in_a_continued_define_is_bound_where_the_macro_is_used():
    # GCC reports the first use on the line the token is spelled on, and binds the name in the
    # function where the macro is used
    assert _same_as_gcc("#define LEN \\\n    (MAX_DENO + 10)\nint f(void) {\n  return LEN;\n}\n") == [2]
    assert _same_as_gcc("#define LEN \\\n    (MAX_DENO + 10)\nint f(void) {\n  int a = MAX_DENO;\n  return LEN + a;\n}\n") == [4]


def test_cpp_an_undeclared_template_argument_of_a_declarations_type_at_each_declaration():
    state = ("#include <vector>\nint f() {\n  std::vector<uint32_t> a = {1, 2};\n  std::vector<uint32_t> b = {3};\n"
             "  int n = 0;\n  n += k;\n  n += k;\n  return n;\n}\n")
    assert _same_as_gcc(state, "cpp") == [3, 4, 6]


def test_cpp_a_label_at_the_end_of_a_block_is_an_error_before_cpp23():
    state = "int f(int c) {\n  switch (c) {\n  case 1:\n    return 2;\n  case 3:\n  }\n  return 0;\n}\n"
    assert _same_as_gcc(state, "cpp") == [6]
    assert _same_as_gcc(state) == []  # C (gnu17): GCC accepts it


@pytest.mark.parametrize("language", ["c", "cpp"])
def test_a_case_label_whose_value_is_undeclared_last_in_its_block(language):
    # clang (C) adds "expected statement" at the `}`; GCC reports the value only (g++ the `}` too)
    state = "int f(int c) {\n  switch (c) {\n  case 1:\n    return 2;\n  case ZZ: /* gone */\n  }\n  return 0;\n}\n"
    assert _same_as_gcc(state, language) == ([5] if language == "c" else [5, 6])


def test_cpp_an_array_whose_bound_has_an_error_is_never_declared():
    state = ("void power(int x) {\n  int res[MAX];\n  int size = 0;\n  while (x != 0) {\n    res[size++] = x % 10;\n"
             "    x /= 10;\n  }\n}\nint dp[MAX][MAX];\nint g() {\n  if (dp[1][2] == 0) {\n    return dp[0][0];\n  }\n"
             "  return dp[1][1];\n}\n")
    assert _same_as_gcc(state, "cpp") == [2, 5, 9, 11, 14]


@pytest.mark.parametrize("language", ["c", "cpp"])
def test_the_end_of_input_inside_a_construct_is_on_the_last_line_with_text_as_for_gcc(language):
    # (the input check reads an error there as a syntax error of the original: tests/test_languages_real.py)
    assert _same_as_gcc("int f(void) {\n  return 1;\n\n\n", language) == [2]
    assert _same_as_gcc("#include <stdio.h>\nint f(void) {\n  if (1) {\n  return 1;\n}\n", language) == [5]


@pytest.mark.parametrize(
    "state, lines",
    [
        # a vexing parse with an undeclared name: g++ reads a variable initialized with it, once per scope
        ("#include <vector>\nint main() {\n    std::vector<int> v(n);\n    for (int i = 0; i < n; i++) {\n    }\n"
         "    return v.size();\n}\n", [3]),
        # a parameter list g++ enters: a failed template type ends it (it and the later parameters
        # undeclared in the checked body) ...
        ("#include <iostream>\nint f(int a, const std::vector<int> &v, int m) {\n    int k = v.size();\n"
         "    return k + m + a;\n}\n", [2, 3, 4]),
        # ... an unknown type name makes the parameter an int (member access on it an error)
        ("#include <iostream>\nvoid g(int a, string s) {\n    std::cout << s.size();\n    x = a;\n}\n", [2, 3, 4]),
        # a result type with an error: g++ skips the rest of the function, its parameters too
        ("#include <iostream>\nstd::vector<int> f(int n,\n                   const std::vector<int> &v) {\n"
         "    return v;\n}\n", [2]),
        # an initializer with an undeclared name: g++ skips the declaration's later declarators
        ("int main() {\n    int L = q, R = 3;\n    return R + L;\n}\n", [2, 3]),
        # a member whose type has an error is dropped: its uses in member functions are undeclared
        ("class S {\n    node *head;\n    int n;\n    void clear() { head = nullptr; n = 0; }\n};\n", [2, 4]),
        # ... a member function too, and each access to a dropped member (x.m, p->m, this->m) is an error
        ("class C {\n public:\n    int x;\n    value_type get(int n) { return n; }\n    void add() { x = get(1); }\n};\n"
         "int main() {\n    C c;\n    C *p = &c;\n    int a = c.get(1);\n    return a + p->get(2);\n}\n", [4, 5, 10, 11]),
        # a variable whose template type has an undeclared argument is an int: subscripts and members fail
        ("#include <array>\nint main() {\n    std::array<int, N> n{};\n    for (int i = 0; i < n.size(); i++) {\n    }\n"
         "    return n[0];\n}\n", [3, 4, 6]),
        # a range-for over an unknown type: g++ skips to the end of the loop's body and fails there
        ("#include <vector>\nint f(const std::vector<int> &pts) {\n    int s = 0;\n    for (Point p : pts) {\n"
         "        s += 1;\n    }\n    return s;\n}\n", [4, 6, 7]),
        # a rejected declaration g++ does not read on: its name is undeclared at the next use
        ("int main() {\n    T x = 5;\n    x = 1;\n}\n", [2, 3]),
        # ... and one it reads on (a type name, not a keyword, in the template's arguments)
        ("#include <cstdint>\nint main() {\n    std::vector<int32_t> a = {1};\n    std::vector<int> b = {1};\n"
         "    a = {2};\n    b = {2};\n}\n", [3, 4, 6]),
        # a header's function-like macro (assert) is no call: no lookup of it for an undeclared argument
        ("#include <cassert>\nint f(int a, int b) { return a + b; }\nvoid test() {\n    assert(f(1,\n"
         "             missing) == 15);\n}\n", [5]),
    ],
)
def test_cpp_gxx_recoveries_after_an_erroneous_declaration(state, lines):
    assert _same_as_gcc(state, "cpp") == lines


def test_cpp_samples_through_libclang_by_default_as_through_g_plus_plus():
    program = ("#include <iostream>\n#include <vector>\nint twice(int x) {\n    return 2 * x;\n}\nint main() {\n"
               "    std::vector<int> v(3, 1);\n    std::cout << twice(v[0]) << std::endl;\n    return 0;\n}\n")
    assert default_linter("cpp") == "libclang++"
    for seed in range(3):
        assert sample_edits(program, seed=seed, language="cpp") == sample_edits(program, seed=seed, language="cpp", linter="g++")
