"""Blocks a developer would recognise (issue 22, docs/languages.md): a brace-less body goes with
its controller, continuation lines with their statement, attributes and macro bodies with their
item, and a Java ``package`` line comes first -- on the cases found in real files."""

from __future__ import annotations

import pytest

from lintseq_hf import apply_edits, sample_edits
from lintseq_hf.core.edits import parse_edit
from lintseq_hf.core.languages import line_blocks
from lintseq_hf.core.show import replay


def _candidates(program: str, language: str) -> list[str]:
    lines = program.split("\n")
    return [lines[i].strip() for i in line_blocks(program, language).candidates]


def _block(program: str, language: str, line: int) -> list[int]:
    return [line, *line_blocks(program, language).children[line]]


def _states(program: str, language: str, seeds: range) -> list[list[str]]:
    """Every forward state of the sequences sampled with ``seeds`` (the real compiler as linter)."""
    out = []
    for seed in seeds:
        edits = sample_edits(program, seed=seed, language=language)
        assert all(parse_edit(edit) for edit in edits) and apply_edits(edits) == program.strip()
        out += [step.lines for step in replay(edits)]
    return out


# curl's ftp-wildcard.c, cut down: the brace-less if/else that lost its body in issue 22
CURL_LIKE = """int run(const char *pattern);
int perform(int rc);

int main(int argc, char **argv)
{
  int rc;
  if(argc == 2)
    rc = run(argv[1]);
  else
    rc = run("ftp://example.com/test/*");
  rc = perform(rc);
  return rc;
}"""


def test_a_braceless_body_and_its_else_go_with_their_if():
    lines = CURL_LIKE.split("\n")
    candidates = _candidates(CURL_LIKE, "c")
    for line in ("rc = run(argv[1]);", "else", 'rc = run("ftp://example.com/test/*");'):
        assert line not in candidates
    assert "if(argc == 2)" in candidates
    start = lines.index("  if(argc == 2)")
    assert _block(CURL_LIKE, "c", start) == [start, start + 1, start + 2, start + 3]


def test_no_state_has_an_if_without_its_own_body():
    for state in _states(CURL_LIKE, "c", range(12)):
        if "  if(argc == 2)" in state:
            at = state.index("  if(argc == 2)")
            assert list(state[at + 1 : at + 4]) == ["    rc = run(argv[1]);", "  else", '    rc = run("ftp://example.com/test/*");'], state


@pytest.mark.parametrize(
    ("language", "program"),
    [
        ("javascript", "function f(x) {\n  for (const y of x)\n    if (y)\n      g(y);\n    else\n      h(y);\n  return 1;\n}"),
        ("java", "class A {\n  int f(int[] x) {\n    for (int y : x)\n      if (y > 0)\n        g(y);\n      else\n        h(y);\n    return 1;\n  }\n}"),
        ("cpp", "int f(int x) {\n  while (x > 0)\n    if (x % 2)\n      x -= 3;\n    else\n      x -= 1;\n  return x;\n}"),
    ],
)
def test_braceless_loops_and_ifs_are_one_unit_in_other_languages(language, program):
    candidates = _candidates(program, language)
    assert not [c for c in candidates if c.startswith(("if", "else", "g(", "h(", "x -="))]
    loop = next(i for i, line in enumerate(program.split("\n")) if line.strip().startswith(("for", "while")))
    assert _block(program, language, loop) == list(range(loop, loop + 5))


# a multi-line signature, as curl's write callbacks are written
SIGNATURE = """#include <stddef.h>

static size_t write_cb(char *data,
                       char *data2, size_t size,
                       size_t nmemb, void *clientp)
{
  size_t total = size * nmemb;
  (void)data;
  return total + sum(1,
                     2);
}"""


def test_continuation_lines_of_a_signature_and_a_call_go_with_their_statement():
    candidates = _candidates(SIGNATURE, "c")
    assert candidates == [
        "#include <stddef.h>", "static size_t write_cb(char *data,", "size_t total = size * nmemb;", "(void)data;",
        "return total + sum(1,",
    ]
    assert _block(SIGNATURE, "c", 2) == list(range(2, 11))


CONTINUATIONS = {
    "javascript": ("function f(a,\n           b) {\n  const x = g(a,\n              b,\n              c);\n  return [x,\n          a];\n}",
                   ["function f(a,", "const x = g(a,", "return [x,"]),
    "typescript": ("export function f(a: number,\n                  b: number): number {\n  const x = g(a,\n              b);\n"
                   "  return x;\n}", ["export function f(a: number,", "const x = g(a,", "return x;"]),
    "java": ("public class A\n    extends B\n    implements C {\n    int f(int a,\n          int b) {\n        return g(a,\n"
             "                 b);\n    }\n}", ["public class A", "int f(int a,", "return g(a,"]),
    "cpp": ("struct P {\n  int x, y;\n  P(int a, int b)\n      : x(a),\n        y(b) {}\n};\nstatic const int table[] = {\n"
            "  1,\n  2,\n};", ["struct P {", "int x, y;", "P(int a, int b)", "static const int table[] = {"]),
    "rust": ("pub fn f(a: i32,\n         b: i32) -> i32 {\n    let x = g(a,\n              b);\n    x\n}",
             ["pub fn f(a: i32,", "let x = g(a,", "x"]),
    "go": ("package p\n\nfunc F(a int,\n\tb int) int {\n\tx := g(a,\n\t\tb)\n\treturn x\n}",
           ["func F(a int,", "x := g(a,", "return x"]),
}
"""Per language, continuation lines (later parameters and arguments, Java's ``extends`` and
``implements``, a C++ initializer list and an array initializer's elements) and the statement
lines that are the only candidates."""


@pytest.mark.parametrize("language", sorted(CONTINUATIONS))
def test_continuation_lines_are_never_candidates_in_any_language(language):
    program, candidates = CONTINUATIONS[language]
    assert _candidates(program, language) == candidates


RUST_MACRO = """#[macro_export]
macro_rules! square {
    ($x:expr) => {
        #[allow(unused_parens)]
        { ($x) * ($x) }
    };
}

#[derive(Debug, Clone)]
#[allow(dead_code)]
pub struct Point {
    x: i32,
    y: i32,
}

impl Point {
    #[inline]
    pub fn norm(&self) -> i32 {
        square!(self.x) + square!(self.y)
    }
}"""


def test_rust_attributes_and_macro_bodies_stay_with_their_item():
    assert _candidates(RUST_MACRO, "rust") == [
        "#[macro_export]", "#[derive(Debug, Clone)]", "x: i32,", "y: i32,", "impl Point {", "#[inline]",
        "square!(self.x) + square!(self.y)",
    ]
    assert _block(RUST_MACRO, "rust", 0) == list(range(0, 7))
    assert _block(RUST_MACRO, "rust", 8) == list(range(8, 14))
    assert _block(RUST_MACRO, "rust", 16) == list(range(16, 20))


def test_no_rust_state_splits_a_macro_or_an_attribute_from_its_item():
    lines = RUST_MACRO.split("\n")
    for state in _states(RUST_MACRO, "rust", range(6)):
        text = "\n".join(state)
        # each unit is either whole (in one piece) or absent, judged by a line only it has
        for first, last, marks in ((0, 6, (0, 1, 3)), (8, 10, (8, 9, 10)), (16, 17, (16, 17))):
            if "\n".join(lines[first : last + 1]) not in text:
                assert not [lines[i] for i in marks if lines[i] in state], (first, state)


def test_a_typescript_decorator_holds_its_member():
    program = "class A {\n  @Input()\n  name = 'a';\n  @HostListener('click')\n  onClick() {\n    go();\n  }\n}"
    assert _candidates(program, "typescript") == ["class A {", "@Input()", "@HostListener('click')", "go();"]
    assert _block(program, "typescript", 3) == [3, 4, 5, 6]


JAVA_PACKAGE = """package org.example.util;

import java.util.ArrayList;
import java.util.List;

public final class Lists {
    private Lists() {
    }

    public static <T> List<T> copy(List<T> items) {
        List<T> out = new ArrayList<>();
        for (T item : items) {
            out.add(item);
        }
        return out;
    }
}"""


def test_the_java_package_line_comes_in_the_first_edit():
    assert "package org.example.util;" not in _candidates(JAVA_PACKAGE, "java")
    for seed in range(4):
        edits = sample_edits(JAVA_PACKAGE, seed=seed, language="java")
        assert apply_edits(edits) == JAVA_PACKAGE
        assert "+package org.example.util;" in edits[0].split("\n"), (seed, edits[0])


GO = """// Package p is an example.
package p

import (
	"fmt"
	"sort"
)

type Person struct {
	Name string
	Age  int
}

func Example() {
	people := []Person{
		{"Bob", 31},
		{"John", 42},
	}
	sort.Slice(people, func(i, j int) bool {
		return people[i].Age > people[j].Age
	})
	switch len(people) {
	case 2:
		fmt.Println(people)
	}
}"""


def test_go_blocks_follow_the_same_rules():
    assert _candidates(GO, "go") == [
        "import (", '"fmt"', '"sort"', "type Person struct {", "Name string", "Age  int", "func Example() {",
        "people := []Person{", "sort.Slice(people, func(i, j int) bool {", "return people[i].Age > people[j].Age",
        "switch len(people) {", "case 2:", "fmt.Println(people)",
    ]
    lines = GO.split("\n")
    # a statement's first line is not the block of the statements after it (Go's bare statement lists)
    start = lines.index("\tpeople := []Person{")
    assert _block(GO, "go", start) == [start, start + 1, start + 2, start + 3]
    case = lines.index("\tcase 2:")
    assert _block(GO, "go", case) == [case, case + 1]
