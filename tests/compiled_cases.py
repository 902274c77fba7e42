"""Fixture problems of HumanEvalPack and MultiPL-E (tests/data, in each benchmark's schema), their honest
solutions in the three scoring modes, and tricks that try to forge a pass, per language."""

from __future__ import annotations

import json
from pathlib import Path

from lintseq_hf.core.edits import diff_insertion, format_completion
from lintseq_hf.evaluation.problems import Problem, load_problems

DATA = Path(__file__).resolve().parent / "data"
FAMILY_FILES = {
    "humanevalpack_cpp": DATA / "humanevalpack" / "cpp.jsonl",
    "humanevalpack_js": DATA / "humanevalpack" / "js.jsonl",
    "humanevalpack_java": DATA / "humanevalpack" / "java.jsonl",
    "humanevalpack_rust": DATA / "humanevalpack" / "rust.jsonl",
    "multiple_cpp": DATA / "multiple" / "humaneval-cpp.jsonl",
    "multiple_js": DATA / "multiple" / "humaneval-js.jsonl",
    "multiple_ts": DATA / "multiple" / "humaneval-ts.jsonl",
    "multiple_java": DATA / "multiple" / "humaneval-java.jsonl",
    "multiple_rs": DATA / "multiple" / "humaneval-rs.jsonl",
}
FENCE = {"cpp": "cpp", "js": "javascript", "ts": "typescript", "java": "java", "rust": "rust"}
_SOLUTIONS = json.loads((DATA / "multiple" / "solutions.json").read_text())["completions"]


def problems(family: str) -> list[Problem]:
    return load_problems(family, FAMILY_FILES[family])


def honest_completion(family: str, problem: Problem) -> str:
    """The text after the prompt: HumanEvalPack's canonical solution, or our MultiPL-E completion."""
    if problem.benchmark == "humanevalpack":
        return problem.canonical_solution
    return _SOLUTIONS[family.removeprefix("multiple_")][problem.task_id]


def whole_program(family: str, problem: Problem) -> str:
    """The honest solution as a whole program (what an edit-sequence or instruction model writes)."""
    body = problem.prompt + honest_completion(family, problem)
    if problem.benchmark == "multiple":
        body += {"cpp": "\n}\n", "rust": "\n}\n", "java": "\n    }\n}\n"}.get(problem.language, "")
    return body.strip() + "\n"


def edit_sequence(program: str) -> str:
    """``program`` as a two-edit LintSeq completion (odd lines first, then the even ones)."""
    lines = program.rstrip("\n").split("\n")
    first = [line for index, line in enumerate(lines) if index % 2 == 0]
    edits = [diff_insertion(first, [True] * len(first)), diff_insertion(lines, [i % 2 == 1 for i in range(len(lines))])]
    return format_completion(edits)


def fenced(program: str, language: str) -> str:
    return f"Here is the solution.\n```{FENCE[language]}\n{program}```\nIt checks every pair.\n"


def honest_samples(family: str) -> list[dict]:
    """One honest sample per problem and mode."""
    samples = []
    for problem in problems(family):
        program = whole_program(family, problem)
        samples += [
            {"task_id": problem.task_id, "mode": "completion", "completion": honest_completion(family, problem)},
            {"task_id": problem.task_id, "mode": "lintseq", "completion": edit_sequence(program)},
            {"task_id": problem.task_id, "mode": "instruct", "completion": fenced(program, problem.language)},
        ]
    return samples


# Tricks on the first fixture problem of each family (has_close_elements), as completion-mode text after the
# prompt. Every one answers wrongly or not at all; the benchmark's own rule passes those marked "forges".
WRONG = {
    "cpp": "    return false;\n}\n", "js": "  return false;\n}\n", "java": "        return false;\n    }\n}",
    "rust": "    false\n}\n",
}
MULTIPLE_WRONG = {"cpp": "    return false;", "js": "  return false;\n}\n", "ts": "  return false;\n}\n",
                  "java": "        return false;", "rust": "    false"}

TRICKS: dict[str, dict[str, str]] = {
    "cpp": {
        "early exit": "    exit(0);\n}\n",
        "fake print then exit": '    printf("All tests passed\\n"); exit(0);\n}\n',
        "abort handler exits 0": ("    return false;\n}\n#include <csignal>\n"
                                  "static int installed = (std::signal(SIGABRT, [](int) { std::_Exit(0); }), 0);\n"),
        "destructor exits 0": "    struct Bye { ~Bye() { std::_Exit(0); } };\n    static Bye bye;\n    exit(1);\n}\n",
        "atexit handler": "    std::atexit([] { std::_Exit(0); });\n    exit(1);\n}\n",
        "writes a guessed nonce": ('    return false;\n}\n#include <unistd.h>\n'
                                   'static int forged = (write(4, "00000000000000000000000000000000", 32), _exit(0), 0);\n'),
        "steals fd 3 in a constructor": ("    return false;\n}\n"
                                         "#include <unistd.h>\n"
                                         "static int stolen = [] { char b[64]; long n = read(3, b, 64);"
                                         " if (n > 0) { write(4, b, n); _exit(0); } return 0; }();\n"),
        "NDEBUG empties assert": "    return false;\n}\n#define NDEBUG\n#include <assert.h>\n",
        "macro rewrites assert": "    return false;\n}\n#define assert(x) ((void)0)\n",
    },
    "js": {
        "early exit": "  process.exit(0);\n}\n",
        "fake print then exit": "  console.log('All tests passed'); process.exit(0);\n}\n",
        "uncaught handler exits 0": "  process.on('uncaughtException', () => process.exit(0));\n  throw new Error('x');\n}\n",
        "exit handler resets code": "  process.on('exit', () => { process.exitCode = 0; });\n  return false;\n}\n",
        "silences console.assert": "  console.assert = () => {};\n  return false;\n}\n",
        "hides stderr": "  process.stderr.write = () => true;\n  return false;\n}\n",
        "writes a guessed nonce": "  require('fs').writeSync(4, '0'.repeat(32)); process.exit(0);\n}\n",
    },
    "java": {
        "early exit": "        System.exit(0);\n        return false;\n    }\n}",
        "fake print then exit": '        System.out.println("All tests passed"); System.exit(0);\n        return false;\n    }\n}',
        "shutdown hook halts 0": ("        Runtime.getRuntime().addShutdownHook(new Thread(() -> Runtime.getRuntime().halt(0)));\n"
                                  "        return false;\n    }\n}"),
    },
    "rust": {
        "early exit": "    std::process::exit(0);\n}\n",
        "fake print then exit": '    println!("test result: ok. 1 passed"); std::process::exit(0);\n}\n',
        "panic hook exits 0": "    std::panic::set_hook(Box::new(|_| std::process::exit(0)));\n    false\n}\n",
        "reads fd 3 and writes it back": ('    let n = std::fs::read("/proc/self/fd/3").unwrap_or_default();\n'
                                          '    let _ = std::fs::write("/proc/self/fd/4", n); std::process::exit(0);\n}\n'),
        "init_array static reads fd 3 first": (
            '    #[link_section = ".init_array"]\n    #[used]\n    static EARLY: extern "C" fn() = early;\n'
            '    extern "C" fn early() {\n'
            '        if let Ok(n) = std::fs::read("/proc/self/fd/3") {\n'
            '            if !n.is_empty() { let _ = std::fs::write("/proc/self/fd/4", n); std::process::exit(0); }\n'
            '        }\n    }\n    false\n}\n'),
    },
}
MULTIPLE_TRICKS = {
    "cpp": {"early exit": "    exit(0);", "abort handler exits 0": "    signal(SIGABRT, [](int) { std::_Exit(0); });\n    return false;"},
    "js": {"early exit": "  process.exit(0);\n}\n", "uncaught handler exits 0":
           "  process.on('uncaughtException', () => process.exit(0));\n  return false;\n}\n"},
    "ts": {"early exit": "  (globalThis as any).process.exit(0);\n  return false;\n}\n",
           "uncaught handler exits 0": ("  const p = (globalThis as any).process;\n  p.on('uncaughtException', () => p.exit(0));\n"
                                        "  throw new Error('x');\n}\n")},
    "java": {"early exit": "        System.exit(0);\n        return false;",
             "shutdown hook halts 0": "        Runtime.getRuntime().addShutdownHook(new Thread(() -> Runtime.getRuntime().halt(0)));\n"
                                      "        return false;"},
    "rust": {"early exit": "    std::process::exit(0);", "panic hook exits 0":
             "    std::panic::set_hook(Box::new(|_| std::process::exit(0)));\n    false"},
}
NOT_COMPILING = {"cpp": "    return false\n}\n", "js": "  return )(;\n}\n", "ts": "  let x: number = 'a';\n  return false;\n}\n",
                 "java": "        return false\n    }\n}", "rust": "    false +\n}\n"}
LOOPING = {"cpp": "    while (true) {}\n}\n", "js": "  while (true) {}\n}\n", "ts": "  while (true) {}\n}\n",
           "java": "        while (true) {}\n    }\n}", "rust": "    loop {}\n}\n"}


def tricks(family: str) -> dict[str, str]:
    """Name → completion-mode text of every forging attempt for ``family``'s first problem."""
    language = problems(family)[0].language
    if family.startswith("humanevalpack_"):
        return dict(TRICKS[language])
    return dict(MULTIPLE_TRICKS[language])


def failing(family: str) -> dict[str, str]:
    """Name → completion text of a wrong, a non-compiling and a looping solution (MultiPL-E: up to the stop token)."""
    language = problems(family)[0].language
    if family.startswith("humanevalpack_"):
        return {"wrong": WRONG[language], "not compiling": NOT_COMPILING[language], "looping": LOOPING[language]}
    strip = language in ("cpp", "java", "rust")  # these completions stop before the function's closing brace

    def cut(text: str) -> str:
        if not strip:
            return text
        return text.rstrip().removesuffix("}").rstrip().removesuffix("}").rstrip() if language == "java" \
            else text.rstrip().removesuffix("}").rstrip()

    return {"wrong": MULTIPLE_WRONG[language], "not compiling": cut(NOT_COMPILING[language]),
            "looping": cut(LOOPING[language])}
