"""Test programs for HumanEvalPack and MultiPL-E in C++, JavaScript, TypeScript, Java and Rust.

Two layers. :func:`assemble` builds the program exactly as each benchmark's own harness does (the
bigcode harness for HumanEvalPack, MultiPL-E's ``prompt + completion + "\\n" + tests``), from a
completion or, in the ``lintseq``/``instruct`` modes, from a whole program that takes the place of
prompt + completion; :func:`plain_command` is that benchmark's run rule (one subprocess, for the
comparison tests and benchmarks). :func:`sandbox_job` adds the test driver that makes a pass
unforgeable: it reads a per-run nonce on fd 3 before any candidate code runs and writes it back on
fd 4 after the tests returned (docs/sandbox.md, "Compiled languages"); identifiers it adds carry a
random per-run suffix, so candidate code cannot name them. The table in docs/evaluation.md lists,
per benchmark and language, how the program is assembled, compiled, run and judged.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

from lintseq_hf.evaluation.java_driver import java_driver
from lintseq_hf.evaluation.problems import Problem
from lintseq_hf.evaluation.toolchains import JVM_FLAGS, toolchain
from lintseq_hf.sandbox.compiled import CompiledJob

CPP_IMPORT_HELPER = (
    "using namespace std;", "#include<stdlib.h>", "#include<algorithm>", "#include<cmath>", "#include<math.h>",
    "#include<numeric>", "#include<stdio.h>", "#include<vector>", "#include<set>", "#include<map>",
    "#include<queue>", "#include<stack>", "#include<list>", "#include<deque>", "#include<boost/any.hpp>",
    "#include<string>", "#include<climits>", "#include<cstring>", "#include<iostream>", "#include<sstream>",
    "#include<fstream>",
)
"""The lines the bigcode harness prepends to every HumanEvalPack C++ program (its ``IMPORT_HELPER``)."""
COMPILE_TIMEOUT = {"cpp": 60.0, "js": 10.0, "ts": 60.0, "java": 60.0, "rust": 120.0}
"""Our compile budget per language (seconds): compile time measures the machine, not the sample, so it is
generous on a loaded machine; the benchmarks' own compile limits are listed in docs/evaluation.md."""
RUN_TIMEOUT = {
    ("humanevalpack", "cpp"): 60.0, ("humanevalpack", "js"): 10.0, ("humanevalpack", "java"): 10.0,
    ("humanevalpack", "rust"): 300.0,
    ("multiple", "cpp"): 15.0, ("multiple", "js"): 5.0, ("multiple", "ts"): 15.0, ("multiple", "java"): 15.0,
    ("multiple", "rust"): 5.0,
}
"""Each benchmark's own time limit on a program (seconds), the default run budget of ``lintseq score``:
HumanEvalPack's per-language ``LANGUAGE_TO_TIMEOUT`` (bigcode ``tasks/humanevalpack.py``; its executor bounds
the whole sample by it), MultiPL-E's per-language evaluators (``eval_<lang>.py``: ``safe_subprocess.run``'s 15 s
default, ``node`` and the Rust binary 5 s)."""
PYTHON_RUN_TIMEOUT = 10.0
"""The authors' per-program limit for the Python benchmarks."""


def run_timeout(problem: Problem) -> float:
    """The default run budget of ``problem``: its benchmark's own limit (:data:`RUN_TIMEOUT`), 10 s for Python."""
    if problem.language == "python":
        return PYTHON_RUN_TIMEOUT
    try:
        return RUN_TIMEOUT[(problem.benchmark, problem.language)]
    except KeyError:
        raise ValueError(f"{problem.task_id}: no run time limit for {problem.benchmark} {problem.language}") from None


@dataclass(frozen=True)
class Assembled:
    """A program and its tests, joined as the benchmark's harness joins them: ``program + "\\n" + tests``."""

    program: str
    tests: str

    @property
    def source(self) -> str:
        return self.program + "\n" + self.tests


def brace_cut(code: str, language: str) -> str:
    """HumanEvalPack's ``remove_last_block``: cut a completion where the function's braces close
    (Java: the class's), or at the last ``}`` when they never do."""
    depth = 2 if language == "java" else 1
    for index, char in enumerate(code):
        depth += char == "{"
        depth -= char == "}"
        if depth == 0:
            return code[: index + 1]
    if language == "java":
        main = code.find("public static void main")
        if main != -1:
            code = code[:main] + "}"
        if "}" in code:
            code = code[: code.rfind("}")] + "}"
        if code.count("{") - 1 == code.count("}"):
            code += "\n}"
        return code
    return code[: code.rfind("}")] + "}" if "}" in code else code


def stop_at(completion: str, stop_tokens: tuple[str, ...]) -> str:
    """A completion cut at its first stop token (MultiPL-E's ``stop_tokens``)."""
    cut = min((i for i in (completion.find(t) for t in stop_tokens) if i >= 0), default=len(completion))
    return completion[:cut]


def assemble(problem: Problem, code: str, mode: str) -> Assembled:
    """The benchmark's program for ``code`` (a completion after ``problem.prompt`` in ``completion`` mode,
    a whole program otherwise)."""
    if problem.benchmark == "humanevalpack":
        return _assemble_humanevalpack(problem, code, mode)
    if problem.benchmark == "multiple":
        return _assemble_multiple(problem, code, mode)
    raise ValueError(f"{problem.task_id}: not a HumanEvalPack or MultiPL-E problem")


def _header_lines(prompt: str) -> list[str]:
    """The prompt's import lines (``#include``, ``using``, ``import``, ``use``), the part a whole program may omit."""
    pattern = re.compile(r"^\s*(#include|using namespace|import\s|use\s)")
    return [line for line in prompt.split("\n") if pattern.match(line)]


def _with_headers(prompt: str, program: str) -> str:
    missing = [line for line in _header_lines(prompt) if line.strip() not in program]
    return "\n".join([*missing, program]) if missing else program


def _assemble_humanevalpack(problem: Problem, code: str, mode: str) -> Assembled:
    language = problem.language
    if mode == "completion":  # the harness prompts with the stripped prompt: the model writes the whitespace after it
        head = problem.prompt.rstrip()
        program = head + brace_cut((problem.prompt + code)[len(head):].rstrip(), language)
    else:
        program = _with_headers(problem.prompt, code)
    if language == "cpp":
        program = ("\n".join(CPP_IMPORT_HELPER) + "\n" + program.split("int main")[0]).strip()
    elif language == "java":
        program = program.replace("public class Main {\n    }", "").strip()
    elif language == "rust":
        program = _rust_declarations(problem.declaration, program)
        return Assembled(program, "\n" + rand_08_ranges(problem.test))
    return Assembled(program, "\n" + problem.test)


def _rust_declarations(declaration: str, program: str) -> str:
    """The harness's Rust rule: ``fn main(){}`` if missing, the declaration's lines the program lacks
    (a ``fn`` line only if that function is absent), and the program cut before a second ``fn main()``."""
    head = "" if "fn main()" in program else "fn main(){}\n"
    for line in declaration.split("\n"):
        if line.strip() not in program:
            if line.strip().startswith("fn") and line.strip().split("(")[0] in program:
                continue
            head += line.strip() + "\n"
    return head + "fn main()".join(program.split("fn main()")[0:2])


_GEN_RANGE = re.compile(r"\.gen_range\s*\(")


def rand_08_ranges(tests: str) -> str:
    """HumanEvalPack's Rust tests written for ``rand`` 0.4 with the ``rand`` 0.8 we link (Debian's): the
    two-argument ``gen_range(low, high)`` (Rust/32, Rust/50) becomes ``gen_range(low..high)``, the same
    half-open range in 0.8's one-argument form. The rest of the rand API they use (``thread_rng``, ``gen``,
    ``random``) is the same in both. Only the trusted tests are adapted, never the candidate's code."""
    out, position = [], 0
    for match in _GEN_RANGE.finditer(tests):
        if match.start() < position:
            continue
        arguments, end = _call_arguments(tests, match.end())
        if len(arguments) == 2:
            out.append(tests[position:match.end()] + f"{arguments[0].strip()}..{arguments[1].strip()})")
            position = end
    return "".join(out) + tests[position:]


def _call_arguments(text: str, start: int) -> tuple[list[str], int]:
    """The top-level comma-separated arguments of the call whose ``(`` ends just before ``start``, and the
    index after its ``)`` (bracket nesting and char/string literals such as ``b'z'`` are skipped)."""
    depth, arguments, begin, index = 0, [], start, start
    while index < len(text):
        char = text[index]
        if char in "\"'" and (char == '"' or text[index + 2:index + 3] == "'" or text[index + 1:index + 2] == "\\"):
            close = text.find(char, index + 1)
            while close > 0 and text[close - 1] == "\\":
                close = text.find(char, close + 1)
            index = close if close > 0 else index
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            if depth == 0:
                arguments.append(text[begin:index])
                return [a for a in arguments if a.strip()], index + 1
            depth -= 1
        elif char == "," and depth == 0:
            arguments.append(text[begin:index])
            begin = index + 1
        index += 1
    return [], len(text)


def _assemble_multiple(problem: Problem, code: str, mode: str) -> Assembled:
    tests = problem.test
    if mode == "completion":
        return Assembled(problem.prompt + stop_at(code, problem.stop_tokens), tests)
    program = _with_headers(problem.prompt, code.rstrip())
    if problem.language in ("cpp", "java", "rust") and tests.lstrip().startswith("}"):
        # The tests begin by closing the function the prompt opened; a whole program closed it already.
        tests = tests.lstrip()[1:]
        if problem.language == "java":  # the tests' main belongs inside the class, which the tests close
            cut = program.rfind("}")
            program = program[:cut] if cut >= 0 else program
    return Assembled(program, tests)


# ---- the benchmark's own run rule (one plain subprocess; no isolation, no nonce) ----

@dataclass(frozen=True)
class PlainRule:
    """Files, compile commands and run command of the benchmark's own rule, and how it judges."""

    files: dict[str, str]
    compile: tuple[tuple[str, ...], ...]
    run: tuple[str, ...]
    quiet: bool
    compile_timeout: float
    timeout: float
    env: dict[str, str] = field(default_factory=dict)


def plain_rule(problem: Problem, assembled: Assembled) -> PlainRule:
    """The benchmark's run rule for ``assembled`` (docs/evaluation.md), with our tools' absolute paths."""
    language, benchmark = problem.language, problem.benchmark
    tools = toolchain(language)
    timeout = run_timeout(problem)
    source = assembled.source
    if language == "cpp":
        std = "-std=c++11" if benchmark == "humanevalpack" else "-std=c++17"
        # CodeGeeX's rule (cited by the bigcode harness) links OpenSSL for CPP/162 (string_to_md5) only
        extra = ("-lcrypto", "-lssl") if benchmark == "humanevalpack" and "162" in problem.task_id else ()
        return PlainRule({"main.cpp": source}, ((tools.tools["g++"], std, "main.cpp", "-o", "prog", *extra),),
                         ("./prog",), False, COMPILE_TIMEOUT[language], timeout)
    if language == "js":  # NODE_PATH: the npm packages the programs require (js-md5), as CodeGeeX's image sets it
        return PlainRule({"main.js": source}, (), (tools.tools["node"], "main.js"), benchmark == "humanevalpack",
                         COMPILE_TIMEOUT[language], timeout, {"NODE_PATH": tools.extra["node_path"]})
    if language == "ts":
        tsc = (tools.tools["node"], tools.tools["tsc"], "--target", "esnext", "main.ts")
        return PlainRule({"main.ts": source}, (tsc,), (tools.tools["node"], "main.js"), False,
                         COMPILE_TIMEOUT[language], timeout, {"NODE_PATH": tools.extra["node_path"]})
    if language == "java":
        main = "Main" if benchmark == "humanevalpack" else "Problem"
        classpath = f".:{tools.extra['classpath']}"
        javac = (tools.tools["javac"], *(f"-J{flag}" for flag in JVM_FLAGS), "-encoding", "UTF8", "-cp", classpath,
                 "-d", ".", f"{main}.java")
        run = (tools.tools["java"], *JVM_FLAGS, *(("-ea",) if benchmark == "multiple" else ()), "-cp", classpath, main)
        return PlainRule({f"{main}.java": source}, (javac,), run, False, COMPILE_TIMEOUT[language], timeout)
    if language == "rust":
        rustc = [tools.tools["rustc"], "main.rs", "-o", "prog"]
        if benchmark == "humanevalpack":  # a cargo project with rand, regex, md5; `cargo test`
            rustc += ["--edition", "2021", "--test", *_rust_externs(tools.extra)]
        return PlainRule({"main.rs": source}, (tuple(rustc),), ("./prog",), False, COMPILE_TIMEOUT[language], timeout)
    raise ValueError(f"{problem.task_id}: no run rule for language {language!r}")


@dataclass(frozen=True)
class PlainOutcome:
    """What the benchmark's own rule says about a program, and where its time went."""

    passed: bool
    stage: str
    compile_seconds: float
    run_seconds: float


def run_plain(rule: PlainRule) -> PlainOutcome:
    """Apply the benchmark's own rule in a plain subprocess: compile, run, pass on exit 0 (and, under
    ``quiet``, no output). No isolation and no nonce: only for programs you trust (tests, benchmarks).
    Each command starts a session of its own, as each sandboxed sample does: the scheduler (autogroups)
    then weighs both alike on a loaded machine (benchmarks/compiled_scoring.py)."""
    import subprocess
    import tempfile
    import time
    from pathlib import Path

    with tempfile.TemporaryDirectory(prefix="lintseq-plain-") as folder:
        for name, text in rule.files.items():
            Path(folder, name).write_text(text, encoding="utf-8")
        start = time.monotonic()
        for command in rule.compile:
            try:
                done = subprocess.run(command, cwd=folder, capture_output=True, timeout=rule.compile_timeout,
                                      check=False, start_new_session=True)
            except subprocess.TimeoutExpired:
                return PlainOutcome(False, "compile timeout", time.monotonic() - start, 0.0)
            if done.returncode != 0:
                return PlainOutcome(False, "compile error", time.monotonic() - start, 0.0)
        compiled = time.monotonic()
        try:
            done = subprocess.run(rule.run, cwd=folder, capture_output=True, timeout=rule.timeout, check=False,
                                  env={**os.environ, **rule.env}, start_new_session=True)
        except subprocess.TimeoutExpired:
            return PlainOutcome(False, "timeout", compiled - start, time.monotonic() - compiled)
        passed = done.returncode == 0 and not (rule.quiet and (done.stdout or done.stderr))
        return PlainOutcome(passed, "passed" if passed else "failed", compiled - start, time.monotonic() - compiled)


def _rust_externs(extra: dict[str, str]) -> list[str]:
    flags = ["-L", f"dependency={extra['deps']}"]
    for name in ("rand", "regex", "md5"):
        flags += ["--extern", f"{name}={extra[name]}"]
    return flags


# ---- the sandbox job: the same program with the nonce driver ----

def sandbox_job(problem: Problem, assembled: Assembled, *, suffix: str | None = None) -> CompiledJob:
    """The :class:`CompiledJob` that judges ``assembled``: the benchmark's rule plus the nonce driver."""
    name = "lintseq_" + (suffix or os.urandom(8).hex())
    rule = plain_rule(problem, assembled)
    language, benchmark = problem.language, problem.benchmark
    if language == "cpp":
        source = _cpp_driven(assembled, name)
        return CompiledJob({"main.cpp": source}, rule.compile, rule.run, quiet=rule.quiet,
                           compile_timeout=rule.compile_timeout, remove_after_compile=("main.cpp",))
    if language in ("js", "ts"):
        file = "main.ts" if language == "ts" else "main.js"
        return CompiledJob({file: _js_driven(assembled, name, typescript=language == "ts")}, rule.compile, rule.run,
                           env=rule.env, quiet=rule.quiet, compile_timeout=rule.compile_timeout,
                           remove_after_compile=("main.ts",) if language == "ts" else ())
    if language == "java":
        main = "Main" if benchmark == "humanevalpack" else "Problem"
        driver, built = "L" + name, java_driver(rule.compile[0][0])  # the driver class: prebuilt, renamed
        javac = (rule.compile[0][0], *built.javac_flags, *rule.compile[0][1:])
        return CompiledJob({f"{main}.java": assembled.source}, (javac,), (*rule.run[:-1], driver),
                           compile_timeout=rule.compile_timeout, remove_after_compile=(f"{main}.java",),
                           binary_files={f"{driver}.class": built.driver_class(driver, main)})
    if language == "rust":
        if benchmark == "humanevalpack":
            source = _rust_driven_tests(assembled, name)
            rustc = [flag for flag in rule.compile[0] if flag != "--test"] + ["--cfg", "test"]
        else:
            source = _rust_driven_main(assembled, name)
            rustc = list(rule.compile[0])
        # std as a shared object, found through the binary's rpath: a link several times cheaper than
        # copying std into each binary (docs/performance.md, "Scoring compiled languages")
        libdir = toolchain("rust").extra["libdir"]
        rustc += ["-C", "prefer-dynamic", "-C", f"link-arg=-Wl,-rpath,{libdir}"]
        return CompiledJob({"main.rs": source}, (tuple(rustc),), rule.run, compile_timeout=rule.compile_timeout,
                           remove_after_compile=("main.rs",))
    raise ValueError(f"{problem.task_id}: no sandbox rule for language {language!r}")


_MAIN_C = re.compile(r"\bint\s+main\s*\(")
_DEFINE = re.compile(r"^\s*(?:#|%:|\?\?=)\s*define\s+([A-Za-z_]\w*)", re.MULTILINE)


def _cpp_driven(assembled: Assembled, name: str) -> str:
    """The nonce is read in ``.preinit_array`` (before every constructor the candidate may declare) into a
    static buffer only the driver can name; the tests' ``main`` is renamed and called from ours, which
    writes the nonce back after it returns. Macros the program defined are undone before the tests, and
    ``assert`` is re-armed (a ``#define NDEBUG`` or ``#define assert(x)`` cannot empty them)."""
    spliced = assembled.program.replace("\\\n", "")
    undefs = sorted(set(_DEFINE.findall(spliced)))
    head = (f'extern "C" long read(int, void *, unsigned long);\n'
            f'extern "C" long write(int, const void *, unsigned long);\n'
            f'extern "C" int close(int);\n'
            f"static char {name}_nonce[64];\nstatic long {name}_size;\n"
            f"static void {name}_take(int, char **, char **) {{\n"
            f"  long got;\n"
            f"  while ({name}_size < 64 && (got = read(3, {name}_nonce + {name}_size, 64 - {name}_size)) > 0) "
            f"{name}_size += got;\n"
            f"  close(3);\n}}\n"
            f'__attribute__((section(".preinit_array"), used)) static void (*{name}_early)(int, char **, char **) = '
            f"{name}_take;\n")
    guard = "".join(f"#undef {macro}\n" for macro in undefs) + "#undef NDEBUG\n#include <assert.h>\n"
    tests = _MAIN_C.sub(f"int {name}_main(", assembled.tests)
    tail = f"\nint main() {{\n  {name}_main();\n  write(4, {name}_nonce, {name}_size);\n  return 0;\n}}\n"
    return head + assembled.program + "\n" + guard + tests + tail


def _js_driven(assembled: Assembled, name: str, *, typescript: bool) -> str:
    """The first statement reads the nonce and deletes the source file (its random names with it),
    counts failed ``console.assert`` calls (HumanEvalPack's tests; hiding stderr cannot hide them),
    freezes ``console``, ``JSON`` and ``assert`` (the objects the tests judge with), and keeps a frozen
    closure that writes the nonce back if no assertion failed; the last statement calls it."""
    declare = "declare var require: any;\ndeclare var __filename: any;\n" if typescript else ""
    head = (f"{declare}const {name} = (() => {{ const fs = require('fs'); const nonce = fs.readFileSync(3); "
            f"fs.closeSync(3); for (const file of [__filename, __filename.replace(/\\.js$/, '.ts')]) "
            f"{{ try {{ fs.unlinkSync(file); }} catch (e) {{}} }} const write = fs.writeSync; "
            f"const check = console.assert; let failures = 0; "
            f"console.assert = function (value, ...rest) {{ if (!value) failures++; "
            f"return check.call(console, value, ...rest); }}; "
            f"Object.freeze(console); Object.freeze(JSON); Object.freeze(require('assert')); "
            f"return Object.freeze(() => {{ if (failures === 0) write(4, nonce); }}); }})();\n")
    return head + assembled.source + f"\n{name}();\n"


def _rust_nonce_main(name: str, calls: str) -> str:
    """The driver: a function in ``.preinit_array`` (before every ``.init_array`` entry the program may
    declare) reads fd 3 into a static only the driver names and closes it; our ``fn main`` calls the tests,
    then writes the nonce on fd 4. libc's ``read``/``write``/``close`` are declared in a module of ours
    (no name of the program's can clash), as the C++ driver declares them: std's file machinery cost a
    measurable share of a MultiPL-E sample's run."""
    return (f"\n#[allow(non_upper_case_globals, dead_code)]\nstatic mut {name}_nonce: [u8; 64] = [0; 64];\n"
            f"#[allow(non_upper_case_globals, dead_code)]\nstatic mut {name}_size: usize = 0;\n"
            f"mod {name}_libc {{\n"
            f'    extern "C" {{\n'
            f"        pub fn read(fd: i32, buffer: *mut u8, count: usize) -> isize;\n"
            f"        pub fn write(fd: i32, buffer: *const u8, count: usize) -> isize;\n"
            f"        pub fn close(fd: i32) -> i32;\n"
            f"    }}\n}}\n"
            f'extern "C" fn {name}_take() {{\n'
            f"    unsafe {{\n"
            f"        let nonce = ::std::ptr::addr_of_mut!({name}_nonce) as *mut u8;\n"
            f"        let size = ::std::ptr::addr_of_mut!({name}_size);\n"
            f"        while *size < 64 {{\n"
            f"            let got = {name}_libc::read(3, nonce.add(*size), 64 - *size);\n"
            f"            if got <= 0 {{ break; }}\n"
            f"            *size += got as usize;\n"
            f"        }}\n"
            f"        {name}_libc::close(3);\n"
            f"    }}\n}}\n"
            f'#[link_section = ".preinit_array"]\n#[used]\n#[allow(non_upper_case_globals)]\n'
            f'static {name}_early: extern "C" fn() = {name}_take;\n'
            f"\nfn main() {{\n"
            f"{calls}"
            f"    unsafe {{ {name}_libc::write(4, ::std::ptr::addr_of!({name}_nonce) as *const u8, "
            f"*::std::ptr::addr_of!({name}_size)); }}\n}}\n")


_MAIN_RS = re.compile(r"\bfn\s+main\s*\(")


def _rust_driven_main(assembled: Assembled, name: str) -> str:
    """MultiPL-E: the tests' ``fn main`` becomes a function our ``main`` calls between nonce and write-back."""
    matches = list(_MAIN_RS.finditer(assembled.tests))
    if not matches:
        raise ValueError("the Rust tests define no fn main")
    last = matches[-1]
    tests = assembled.tests[: last.start()] + f"fn {name}_main(" + assembled.tests[last.end():]
    return assembled.program + "\n" + tests + _rust_nonce_main(name, f"    {name}_main();\n")


_RUST_TEST = re.compile(r"#\[test\]((?:\s|//[^\n]*|/\*[\s\S]*?\*/|#\[[^\]]*\])*)fn\s+(\w+)")
"""A ``#[test]`` function: the attribute, then whitespace, comments (Rust/50 puts one there) and other
attributes, then ``fn name``."""


def _rust_driven_tests(assembled: Assembled, name: str) -> str:
    """HumanEvalPack: its ``#[test]`` functions (compiled with ``--cfg test``, no libtest) are called in
    order by our ``main`` between nonce and write-back; the program's own ``fn main`` is renamed."""
    names = [match.group(2) for match in _RUST_TEST.finditer(assembled.tests)]
    if not names:
        raise ValueError("the Rust tests define no #[test] function")
    tests = _RUST_TEST.sub(lambda m: f"{m.group(1)}pub fn {m.group(2)}", assembled.tests)
    program = _MAIN_RS.sub(f"#[allow(dead_code)] fn {name}_program_main(", assembled.program)
    calls = "".join(f"    tests::{test}();\n" for test in names)
    return program + "\n" + tests + _rust_nonce_main(name, calls)
