"""Rust states checked many at a time in one rustc call (lintseq_hf/lint/compilers/rustc_batch.py):
every verdict must be the one-process-per-state reference's. Each hazard below is a case where a
naive batch (every state a module of one crate) gives a different verdict, shown by running the
naive batch, and where ``RustcLinter.lint_many`` gives the reference's."""

from __future__ import annotations

import shutil

import pytest

import language_corpora as corpora
from lintseq_hf.core.sampler import LintSeqOptions, sample_edits_many, sample_edits_traced
from lintseq_hf.dataset.transform import GenerateConfig, process_row, sample_seed
from lintseq_hf.lint.base import LintError
from lintseq_hf.lint.compilers import rustc_batch
from lintseq_hf.lint.compilers.rustc import RustcLinter, RustcReferenceLinter
from lintseq_hf.lint.compilers.rustc_batch import RustcBatches
from lintseq_hf.lint.compilers.rustc_batch_rules import batch_hazard, may_stop, root_attributes, surely_stops

pytestmark = pytest.mark.skipif(shutil.which("rustc") is None, reason="needs rustc")

TYPE_ERROR = "pub fn typed() -> u32 {\n    \"text\"\n}\n"
UNRESOLVED = "use crate::{Version};\n\npub fn resolve(v: &Version) -> u32 {\n    helper(v)\n}\n"


def verdict(errors: list[LintError]) -> list[tuple[int, int, str, str]]:
    """Errors in any order: rustc orders a batch's diagnostics its own way (docs/languages.md)."""
    return sorted((e.line, e.column, e.msg_id, e.message) for e in errors)


@pytest.fixture(scope="module")
def reference() -> RustcReferenceLinter:
    return RustcReferenceLinter()


@pytest.fixture()
def linter():
    linter = RustcLinter()
    yield linter
    linter.close()


def naive(linter: RustcLinter, texts: list[str]) -> rustc_batch.BatchResult:
    """One rustc call on ``texts`` as modules, without the protocol."""
    linter.lint_many(["fn warm_a() {}", "fn warm_b() {}"])  # sets up the batch folder
    assert linter.batches is not None
    return linter.batches.run(texts)


def assert_reference(linter: RustcLinter, reference: RustcReferenceLinter, texts: list[str]) -> None:
    got = linter.lint_many(texts)
    assert [verdict(v) for v in got] == [verdict(reference.lint(t)) for t in texts]


def test_an_impl_of_a_trait_not_found_stops_type_checking_for_the_whole_crate(linter, reference):
    stopper = "pub struct Wrapper;\n\nimpl Serialize for Wrapper {\n}\n"
    run = naive(linter, [TYPE_ERROR, stopper])
    assert not run.complete and run.errors[0] == []  # the canary's warning is missing, the type error too
    assert reference.lint(TYPE_ERROR) and may_stop(stopper) and not may_stop(TYPE_ERROR)
    assert_reference(linter, reference, [TYPE_ERROR, stopper, UNRESOLVED])


def test_a_stop_may_stop_missed_splits_the_batch_down_to_states_alone(linter, reference, monkeypatch):
    stopper = "pub struct Wrapper;\n\nimpl Serialize for Wrapper {\n}\n"
    monkeypatch.setattr("lintseq_hf.lint.compilers.rustc.may_stop", lambda text: False)
    assert_reference(linter, reference, [TYPE_ERROR, stopper, UNRESOLVED, "pub fn fine() {}\n"])


STOPS = "pub struct Wrapper;\n\nimpl Serialize for Wrapper {\n}\n\nfn unresolved() {\n    helper();\n}\n"
IMPORTED = (
    "use serde::ser::{Serialize, Serializer};\n\npub struct Version;\n\nimpl Serialize for Version {\n"
    "    fn serialize<S>(&self, s: S) -> Result<S::Ok, S::Error>\n    where\n        S: Serializer,\n    {\n    }\n}\n"
)


def test_states_that_stop_rustc_share_a_batch_and_keep_what_they_have_alone(linter, reference):
    hidden = "#[cfg(feature = \"never\")]\nimpl Serialize for Wrapper {\n}\n\npub fn typed() -> u32 {\n    \"text\"\n}\n"
    generic = "use serde::Serialize;\n\npub enum Either<L, R> {\n    Left(L),\n    Right(R),\n}\n\nimpl<L, R> Serialize for Either<L, R> {\n}\n"
    texts = [STOPS, IMPORTED, hidden, generic]
    assert all(may_stop(text) for text in texts)
    linter.lint_many(["fn warm_a() {}", "fn warm_b() {}"])
    assert linter.batches is not None
    run = linter.batches.run(texts, stoppers=True)
    assert run.complete and not run.finished  # the stop canary's E0119 came, the unused variable's warning not
    # a state that does not stop alone loses its type error in the batch: it goes alone
    assert run.errors[2] == [] and [e.msg_id for e in reference.lint(hidden)] == ["E0308"]
    assert not surely_stops(hidden, run.errors[2])
    # another module's generic type makes rustc lower a signature it never reaches alone: only
    # resolution's errors are taken from a batch that stopped
    assert "E0220" in {e.msg_id for e in run.errors[1]} and [e.msg_id for e in reference.lint(IMPORTED)] == ["E0433"]
    assert surely_stops(STOPS, run.errors[0]) and surely_stops(IMPORTED, run.errors[1])
    assert verdict(run.errors[0]) == verdict(reference.lint(STOPS))
    assert_reference(linter, reference, [*texts, TYPE_ERROR, UNRESOLVED])
    # IMPORTED stops alone too but has more than resolution's errors: alone (it would stop any batch)
    assert linter.batches.alone["stops, not only resolution errors"] == 1


def test_a_failed_glob_import_silences_unresolved_names_in_every_module(linter, reference):
    glob = "use crate::backport::*;\n\npub fn uses() -> u32 {\n    1\n}\n"
    run = naive(linter, [glob, UNRESOLVED])
    assert run.failed_globs == {0}
    assert [e.msg_id for e in run.errors[1]] == ["E0432"]  # helper(v): E0425 alone, silent here
    assert "E0425" in {e.msg_id for e in reference.lint(UNRESOLVED)}
    assert_reference(linter, reference, [glob, UNRESOLVED])


def test_an_impl_with_an_error_hides_the_missing_items_of_every_impl_of_its_trait(linter, reference):
    missing = "use crate::parse::Error;\nuse core::fmt::{self, Display};\n\nstruct Quoted(char);\n\nimpl Display for Quoted {\n}\n"
    broken = "use crate::{Prerelease};\nuse core::fmt::{self, Display};\n\nimpl Display for Prerelease {\n}\n"
    run = naive(linter, [missing, broken])
    assert run.complete and [e.msg_id for e in run.errors[0]] == ["E0432"]  # E0046 (`fmt` missing) is not
    assert [e.msg_id for e in reference.lint(missing)] == ["E0432", "E0046"]
    assert_reference(linter, reference, [missing, broken, TYPE_ERROR])


def test_a_missing_item_hides_nothing_in_other_impls_of_its_trait(linter, reference):
    first = "use std::fmt::Display;\n\npub struct Q;\n\nimpl Display for Q {\n}\n"
    second = first.replace("Q", "Z")
    run = naive(linter, [first, second])
    assert [[e.msg_id for e in errors] for errors in run.errors] == [["E0046"], ["E0046"]]
    assert_reference(linter, reference, [first, second, TYPE_ERROR])
    assert linter.batches is not None and sum(linter.batches.alone.values()) == 0


def test_late_errors_borrow_check_and_const_eval_beside_type_and_parse_errors(linter, reference):
    borrow = "pub fn moved() {\n    let v = vec![1];\n    let w = v;\n    let x = v;\n}\n"
    const = "pub const C: u8 = 255 + 1;\n"
    parse = "pub fn early() -> u32 {\n    1\n}\n\n#[derive(Debug)]\n"  # rustc: expected item after attributes
    clean = "pub fn fine() -> u32 {\n    2\n}\n"
    assert reference.lint(borrow) and reference.lint(const) and reference.lint(parse)
    assert batch_hazard(parse) is None  # tree-sitter reads it; rustc's code-less parse error sends it alone
    assert_reference(linter, reference, [borrow, TYPE_ERROR, const, parse, clean, UNRESOLVED])


def test_crate_paths_that_may_resolve_in_the_state_go_alone(linter, reference):
    resolves = "pub struct Foo;\n\npub fn make() -> crate::Foo {\n    Foo\n}\n"
    silent = "use crate::Bar;\n\npub fn call() {\n    crate::Bar::new();\n}\n"  # alone: the failed import, quiet
    fine = "use crate::{Comparator, Version};\n\npub fn cmp(a: &Comparator, b: &Version) {}\n"
    assert batch_hazard(resolves) and batch_hazard(silent) and batch_hazard(fine) is None
    run = naive(linter, [resolves, silent, fine])
    assert verdict(run.errors[0]) != verdict(reference.lint(resolves))
    assert verdict(run.errors[1]) != verdict(reference.lint(silent))
    assert verdict(run.errors[2]) == verdict(reference.lint(fine))
    assert_reference(linter, reference, [resolves, silent, fine, TYPE_ERROR])


@pytest.mark.parametrize(
    "text",
    [
        "#![feature(never_type)]\npub fn a() {}\n",
        "pub fn a() {}\n\n#![allow(dead_code)]\n",
        "mod other;\n",
        "pub fn a() {\n    super::b();\n}\n",
        "pub fn a() -> &'static str {\n    include_str!(\"x.txt\")\n}\n",
        "#[macro_export]\nmacro_rules! m {\n    () => { $crate::a() };\n}\n\npub fn a() {}\n\npub fn b() {\n    m!();\n}\n",
        "#[macro_export]\nmacro_rules! m {\n    () => {};\n}\n#[macro_export]\nmacro_rules! m {\n    () => {};\n}\n",
        "#[no_mangle]\npub extern \"C\" fn exported() {}\n",
        "extern crate serde;\n",
        "pub fn a() {\n    self::b();\n}\n",
        "pub fn lintseq_s0() {}\n",
    ],
)
def test_what_a_module_sees_differently_goes_alone(linter, reference, text):
    assert batch_hazard(text) is not None
    assert_reference(linter, reference, [text, TYPE_ERROR, UNRESOLVED])


def test_paths_printed_in_full_when_another_state_defines_the_name(linter, reference, monkeypatch):
    first = "pub struct Foo;\n\npub fn a(x: Foo) {\n    x.nope();\n}\n"
    second = "pub struct Foo;\n\npub fn b(x: Foo) {\n    x.missing();\n}\n"
    with monkeypatch.context() as patched:
        patched.setattr(rustc_batch, "_own_paths_as_alone", lambda message, index: message)
        raw = naive(linter, [first, second])
    assert "lintseq_s0::Foo" in raw.errors[0][0].message  # rustc: `Foo` is not unique in the batch's crate
    assert verdict(raw.errors[0]) != verdict(reference.lint(first))
    run = naive(linter, [first, second])  # a state's own top-level item printed as alone: `Foo`
    assert run.suspect == set() and [verdict(e) for e in run.errors] == [verdict(reference.lint(t)) for t in (first, second)]
    assert_reference(linter, reference, [first, second])
    # deeper: alone rustc may trim `inner::Foo` to `Foo`; such a state is checked alone
    nested = [f"pub mod inner {{\n    pub struct Foo;\n}}\n\npub fn {name}(x: inner::Foo) {{\n    x.nope();\n}}\n" for name in "ab"]
    run = naive(linter, nested)
    assert "lintseq_s0::inner::Foo" in run.errors[0][0].message and run.suspect == {0, 1}
    assert_reference(linter, reference, nested)


NO_STD = "#![cfg_attr(not(feature = \"std\"), no_std)]\n\nuse std::fmt;\n\npub fn typed() -> u32 {\n    \"text\"\n}\n"


def test_states_with_the_same_crate_level_attributes_share_a_root_that_carries_them(linter, reference):
    documented = "#![doc(html_root_url = \"https://docs.rs/x/1/\")]\n#![cfg_attr(not(feature = \"std\"), no_std)]\n\nuse core::fmt;\nuse std::vec::Vec;\n"
    assert batch_hazard(NO_STD) is None and batch_hazard(documented) is None
    run = naive(linter, [NO_STD, TYPE_ERROR])  # a module's #![no_std] is ignored: std resolves
    assert [e.msg_id for e in reference.lint(NO_STD)] == ["E0432", "E0308"] and [e.msg_id for e in run.errors[0]] == ["E0308"]
    texts = [NO_STD, documented, NO_STD.replace("u32", "u8"), documented.replace("Vec", "String"), TYPE_ERROR, UNRESOLVED]
    assert_reference(linter, reference, texts)
    assert linter.batches is not None and sum(linter.batches.alone.values()) == 0


def test_a_hazard_written_only_in_a_comment_is_none(linter, reference):
    commented = "//! Disable to make the library `#![no_std]`.\n\n/// see super::helper and `mod x;`\npub fn a() -> u32 {\n    \"// a string\" /* super:: */\n}\n"
    assert batch_hazard(commented) is None
    assert batch_hazard(commented.replace("/* super:: */", "; super::c()")) is not None  # `//` in a string opens no comment
    assert_reference(linter, reference, [commented, TYPE_ERROR, UNRESOLVED])
    assert linter.batches is not None and linter.batches.alone["hazard"] == 0


def test_exported_macros_batch_apart_from_states_that_name_them(linter, reference, monkeypatch):
    exporter = "#[macro_export]\nmacro_rules! try_left {\n    ($e:expr) => {\n        $crate::Left($e)\n    };\n}\n\npub fn typed() -> u32 {\n    \"text\"\n}\n"
    also = exporter.replace("typed", "other")
    user = "use crate::try_left;\n\npub fn plain() {}\n"
    assert batch_hazard(exporter) is None and batch_hazard(user) is None
    with monkeypatch.context() as patched:
        patched.setattr(rustc_batch, "_exported_twice", lambda message, exported, index: False)
        raw = naive(linter, [exporter, also])
    assert "E0428" in {e.msg_id for e in raw.errors[1]} and "E0428" not in {e.msg_id for e in reference.lint(also)}
    run = naive(linter, [exporter, user])  # alone `crate::try_left` is not there, in the batch it is
    assert run.errors[1] == [] and [e.msg_id for e in reference.lint(user)] == ["E0432"]
    assert_reference(linter, reference, [exporter, also, user, TYPE_ERROR])


def test_parse_errors_in_a_batch_are_the_states_alone(linter, reference):
    item = "pub fn typed() -> u32 {\n    \"text\"\n}\n\n#[derive(Debug)]\n"  # rustc stops: expected item
    expression = "pub fn typed() -> u32 {\n    \"text\"\n}\n\nfn broken() {\n    let x = ;\n}\n"  # recovered
    unclosed = "pub fn typed() -> u32 {\n    \"text\"\n\nfn broken() {\n}\n"
    assert [e.msg_id for e in reference.lint(item)] == ["error"]  # the type error is never reached alone
    assert {e.msg_id for e in reference.lint(expression)} == {"error", "E0308"}
    run = naive(linter, [item, expression, TYPE_ERROR])
    assert run.complete and [verdict(e) for e in run.errors] == [verdict(reference.lint(t)) for t in (item, expression, TYPE_ERROR)]
    assert not naive(linter, [unclosed, TYPE_ERROR]).complete  # an unbalanced delimiter stops the crate
    assert_reference(linter, reference, [item, expression, unclosed, TYPE_ERROR, UNRESOLVED])


def test_crashes_and_timeouts_send_the_states_alone(linter, reference, monkeypatch):
    texts = [TYPE_ERROR, UNRESOLVED, "pub fn fine() {}\n"]
    naive(linter, texts)
    assert linter.batches is not None
    monkeypatch.setattr(linter.batches, "_compile", lambda root: (9, ""))  # killed by SIGKILL
    assert_reference(linter, reference, texts)
    linter.cache.data.clear()
    monkeypatch.setattr(linter.batches, "_compile", lambda root: (256, "thread 'rustc' panicked: internal compiler error"))
    assert_reference(linter, reference, texts)


def test_a_plain_rustc_process_per_batch_gives_the_same_verdicts(reference, tmp_path):
    linter = RustcLinter()
    args = [*linter.args[:-1], rustc_batch.ROOT_FILE]
    args[args.index("-o") + 1] = str(tmp_path / "state.rmeta")
    batches = RustcBatches(args, str(tmp_path), use_fork_server=False)
    texts = [TYPE_ERROR, UNRESOLVED, "pub fn fine() {}\n", "pub fn also_fine() {}\n"]
    got = batches.check(texts, linter.lint)
    assert [verdict(v) for v in got] == [verdict(reference.lint(t)) for t in texts]
    assert batches.calls >= 1
    linter.close()


def test_lint_many_is_lint_on_real_states_memoized(linter, reference):
    states: dict[str, None] = {}

    class Recorder:
        name = "rustc-reference"

        def lint(self, text: str) -> list[LintError]:
            states[text] = None
            return reference.lint(text)

    for program in corpora.shortest("rust", 4):
        sample_edits_traced(program, seed=0, language="rust", linter=Recorder(), precheck=False)  # type: ignore[arg-type]
    texts = list(states)
    assert len(texts) > 8
    assert_reference(linter, reference, texts)
    calls = linter.calls
    assert [verdict(v) for v in linter.lint_many(texts[:5])] == [verdict(reference.lint(t)) for t in texts[:5]]
    assert linter.calls == calls  # memoized
    assert linter.batches is not None and linter.batches.calls < len(texts)


@pytest.mark.slow
def test_batched_sequences_are_the_references_on_real_programs():
    programs = corpora.shortest("rust", 12)
    jobs = [(program, seed) for index, program in enumerate(programs) for seed in (index, index + 1)]
    batched = sample_edits_many(jobs, language="rust", linter="rustc")
    for (program, seed), outcome in zip(jobs, batched):
        assert not isinstance(outcome, Exception)
        edits, _ = sample_edits_traced(program, seed=seed, language="rust", linter="rustc-reference")
        assert outcome[0] == edits


def test_generate_rows_keep_their_sequences_and_failures():
    program = corpora.shortest("rust", 2)[1]
    row = {"instruction": "write it", "response": program}
    config = GenerateConfig(language="rust", code_column="response", instruction_column="instruction", num_samples=3, seed=7)
    result = process_row(row, 0, config)
    assert result.skip_reason is None
    expected = [
        sample_edits_traced(program, seed=sample_seed(7, result.key, k), language="rust")[0]
        for k in range(3)
    ]
    assert result.samples == expected
    # a budget that the first sample passes and a later one does not: the same skip, detail and count
    options = LintSeqOptions()
    first = sample_edits_traced(program, seed=sample_seed(7, result.key, 0), language="rust", options=options)[1]
    tight = GenerateConfig(
        language="rust", code_column="response", instruction_column="instruction", num_samples=3, seed=7,
        options={"max_lint_chars": first.lint_chars},
    )
    skipped = process_row(row, 0, tight)
    sequential_calls = 0
    for k in range(3):
        try:
            sequential_calls += sample_edits_traced(
                program, seed=sample_seed(7, result.key, k), language="rust",
                options=LintSeqOptions(max_lint_chars=first.lint_chars),
            )[1].lint_calls
        except Exception as err:  # noqa: BLE001  (the sequential path's own failure, compared below)
            assert skipped.skip_reason == "work_budget" and skipped.detail == f"sample {k}: {err}"
            assert skipped.lint_calls == sequential_calls + err.lint_calls  # type: ignore[attr-defined]
            break
    else:
        pytest.fail("every sample fits the first one's budget: pick another program or seed")


def test_rows_sampled_together_come_out_as_rows_alone(monkeypatch):
    """generate samples several rows' sequences together (presample): rustc then gets states of
    many rows per call, and every row, skipped ones included, is what process_row makes of it alone."""
    from lintseq_hf.dataset import transform

    programs = corpora.shortest("rust", 4)
    rows = [{"instruction": f"task {i}", "response": p} for i, p in enumerate(programs)]
    rows.insert(2, {"instruction": "not code", "response": "this is prose, not a Rust program {"})
    rows.append({"instruction": "no code"})
    config = GenerateConfig(language="rust", code_column="response", instruction_column="instruction", num_samples=2, seed=3)
    alone = [process_row(row, index, config) for index, row in enumerate(rows)]
    sizes: list[int] = []
    original = transform.sample_edits_many

    def recording(jobs, **kwargs):
        sizes.append(len(jobs))
        return original(jobs, **kwargs)

    monkeypatch.setattr(transform, "sample_edits_many", recording)
    together = list(transform.generate(rows, config, progress=False))
    assert sizes and sizes[0] > 2 * config.num_samples  # one call for the sequences of several rows
    assert len(sizes) == 1  # and no row went back to sampling alone
    assert [(r.index, r.skip_reason, r.detail, r.samples, r.lint_calls) for r in together] == [
        (r.index, r.skip_reason, r.detail, r.samples, r.lint_calls) for r in alone
    ]
    assert [r.skip_reason for r in together].count(None) == len(programs)


def test_comments_are_read_out_and_strings_kept():
    from lintseq_hf.lint.compilers.rustc_source import leading_root_attributes, strip_comments

    text = "//! #![no_std]\n/* a /* nested */ super:: */ fn f<'a>(x: &'a str) -> char {\n    let s = \"// kept\"; let r = r#\"/* kept */\"#; '\\''\n}\n"
    code = strip_comments(text)
    assert code.count("\n") == text.count("\n") and "super" not in code and "#!" not in code
    assert "\"// kept\"" in code and "r#\"/* kept */\"#" in code and "&'a str" in code
    assert strip_comments("fn f() {} /* unterminated") == "fn f() {} /* unterminated"  # read as it is
    attributes = "#![doc = r#\"\n]\"#]\n#![cfg_attr(not(feature = \"std\"), no_std)]\nfn f() {}\n"
    assert leading_root_attributes(attributes) == ("#![doc = r#\"\n]\"#]", "#![cfg_attr(not(feature = \"std\"), no_std)]")
    assert leading_root_attributes("#![feature(never_type)]\n") is None
    assert leading_root_attributes("#![cfg_attr(x, feature(never_type))]\n") is None
    assert leading_root_attributes("#![doc = include_str!(\"README.md\")]\n") is None
    assert leading_root_attributes("fn f() {}\n#![no_std]\n") is None
    assert leading_root_attributes("fn f() { let s = \"#![no_std]\"; }\n") == ()


NO_STD_STOPS = (
    "#![cfg_attr(not(feature = \"std\"), no_std)]\n\nuse std::convert::AsRef;\n\n#[cfg(feature = \"std\")]\n"
    "pub fn only_with_std() {}\n\nmacro_rules! twice {\n    ($e:expr) => {\n        $e + $e\n    };\n}\n\n"
    "pub struct Name(u8);\n\nimpl AsRef<u8> for Name {\n    fn as_ref(&self) -> &u8 {\n        &self.0\n    }\n}\n\n"
    "pub fn typed() -> u32 {\n    \"text\"\n}\n"
)


def test_a_no_std_state_importing_a_trait_from_std_stops_rustc_and_batches_with_stoppers(linter, reference):
    # no_std: `use std::...` fails, and the failed import hides the prelude's `AsRef`: the impl
    # names a trait rustc does not find, which stops type checking (the E0308 is never reported)
    assert [e.msg_id for e in reference.lint(NO_STD_STOPS)] == ["E0433"]
    with_std = NO_STD_STOPS.split("\n", 1)[1]
    assert may_stop(NO_STD_STOPS) and not may_stop(with_std)
    no_std_type_error = "#![cfg_attr(not(feature = \"std\"), no_std)]\n\npub fn typed() -> u32 {\n    \"text\"\n}\n"
    linter.lint_many(["fn warm_a() {}", "fn warm_b() {}"])
    assert linter.batches is not None
    run = linter.batches.run([NO_STD_STOPS, no_std_type_error], root_attributes(NO_STD_STOPS))
    assert not run.complete  # in a plain batch it stops the other state's checks too
    # it surely stops alone: cfg and macro definitions elsewhere change nothing of the impl
    assert surely_stops(NO_STD_STOPS, reference.lint(NO_STD_STOPS))
    gated = NO_STD_STOPS.replace("impl AsRef", "#[cfg(feature = \"std\")]\nimpl AsRef")
    impl_start = NO_STD_STOPS.index("impl AsRef")
    impl_end = NO_STD_STOPS.index("pub fn typed")
    in_macro = (NO_STD_STOPS[:impl_start] + NO_STD_STOPS[impl_end:]).replace(
        "        $e + $e\n", "        $e + $e\n    };\n    (impl) => {\nimpl AsRef<u8> for Name {}\n"
    )
    assert "E0308" in {e.msg_id for e in reference.lint(gated)} and "E0308" in {e.msg_id for e in reference.lint(in_macro)}
    assert not surely_stops(gated, reference.lint(gated)) and not surely_stops(in_macro, reference.lint(in_macro))
    second = NO_STD_STOPS.replace("Name", "Other")
    assert_reference(linter, reference, [NO_STD_STOPS, second, no_std_type_error, gated, TYPE_ERROR])


def test_doc_and_lint_level_attributes_batch_with_states_without_them(linter, reference):
    documented = (
        "#![doc(html_root_url = \"https://docs.rs/x/1/\")]\n#![deny(unused_variables)]\n\n"
        "pub fn typed() -> u32 {\n    let unused = 1;\n    \"text\"\n}\n"
    )
    run = naive(linter, [documented, TYPE_ERROR])  # in a module: warnings, as the crate root's lints are capped
    assert verdict(run.errors[0]) == verdict(reference.lint(documented))
    assert_reference(linter, reference, [documented, TYPE_ERROR, UNRESOLVED])
    assert linter.batches is not None and sum(linter.batches.alone.values()) == 0


def test_states_checked_again_for_different_reasons_share_a_batch(linter, reference):
    shown = (
        "use core::fmt::{self, Display};\n\npub struct Shown;\n\nimpl Display for Shown {\n"
        "    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {\n        Ok(())\n    }\n}\n"
    )
    broken = "use crate::{Prerelease};\nuse core::fmt::{self, Display};\n\nimpl Display for Prerelease {\n}\n"
    clean = "pub fn fine() -> u32 {\n    2\n}\n"
    # `shown` is checked again apart from `broken` (an impl of its trait with an error), `clean`
    # because the batch had errors: both in one batch of the next round, neither alone
    assert_reference(linter, reference, [shown, broken, clean])
    assert linter.batches is not None and sum(linter.batches.alone.values()) == 0


def test_clean_states_of_a_stop_batch_that_did_not_stop_are_checked_again_in_a_plain_batch(linter, reference):
    gated = "#[cfg(feature = \"never\")]\nimpl Serialize for Wrapper {{\n}}\n\npub fn {}() -> u32 {{\n    {}\n}}\n"
    texts = [gated.format("typed", "\"text\""), gated.format("fine", "1"), gated.format("also_fine", "2")]
    assert all(may_stop(text) for text in texts)
    assert_reference(linter, reference, texts)
    assert linter.batches is not None and sum(linter.batches.alone.values()) == 0


def test_the_top_level_is_read_past_strings_lifetimes_and_bodies():
    from lintseq_hf.lint.compilers.rustc_source import top_level_prefix

    code = (
        "use a::b;\n#[cfg(x)]\nimpl<'a> A for B<'a> { fn f() { let s = \"}\"; let c = '}'; } }\n"
        "macro_rules! m { () => { impl X for Y {} } }\nimpl C for D {}\nconst S: &str = \"open"
    )
    assert top_level_prefix(code, code.index("impl<")) == "\n#[cfg(x)]\n"
    assert top_level_prefix(code, code.index("impl X")) is None  # a macro's body
    assert top_level_prefix(code, code.index("impl C")) == "\n"
    assert top_level_prefix(code, code.index("let s")) is None
    assert top_level_prefix(code, len(code)) is None  # after an unterminated string
