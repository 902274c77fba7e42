"""C and C++ verdicts from GCC: ``gcc``/``g++ -fsyntax-only``, errors only (docs/languages.md).

Every ``error:`` and ``fatal error:`` counts (warnings do not); a diagnostic inside a header
is blamed on the state's ``#include`` line that brought it in. C is checked with today's
defaults, GCC 14's: on an older GCC the errors GCC 14 made default are switched on
(:func:`c_error_flags`). The run directory is empty, so quoted includes never find files of the
working directory. A fatal error (a missing header) stops GCC: nothing after it is checked, and
the error says so (``LintError.fatal``).

``gcc-reference``/``g++-reference`` run one compiler process per state. ``gcc`` (and ``g++-fork``)
give the same verdicts faster: a compiler process per leading header block is kept where it opens
the state, with the block already read, and forks once per state
(:mod:`lintseq_hf.lint.compilers.forkserver`); the state is included from a one-line main file
under the name ``<stdin>``, so GCC reports it as it reports the reference's standard input.

C++ standard headers take most of g++'s time. A state's leading block of ``#include <...>``
lines (with blank and ``//`` lines) is therefore compiled once into a precompiled header and
the state compiled with ``-include`` of it, the block's lines left blank so that line numbers
stay; the token stream g++ sees is the same, so are the verdicts. A block that does not
precompile is compiled in place. ``g++`` and ``g++-fork`` keep their precompiled blocks on disk
for every later linter and process (:class:`_SharedHeaders`, ``$LINTSEQ_PCH_CACHE``); the
reference builds its own per linter.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import re
import shlex
import shutil
import subprocess
import tempfile
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

from lintseq_hf.lint.base import LintError, MemoizedLinter
from lintseq_hf.lint.compilers.forkserver import ForkServer, ForkServerUnavailable, child_failed, run_state
from lintseq_hf.lint.compilers.libclang_worker import header_block
from lintseq_hf.lint.compilers.tools import (
    ToolError,
    built_folder,
    cache_root,
    empty_directory,
    require_program,
    tool_environment,
)

_DIAGNOSTIC = re.compile(r"^(?P<file>.*?):(?P<line>\d+):(?P<column>\d+): (?P<kind>fatal error|error|sorry, unimplemented|warning): (?P<message>.*)$")
_TOOL_FAILURE = re.compile(
    r"^(?:[\w.+-]+: )?(?:(?:fatal error|error): (?P<message>.*)|(?P<memory>.*(?:out of memory|virtual memory exhausted).*))$"
)
"""A diagnostic of the compiler itself, with no place in the state (``cc1: out of memory
allocating ...`` under the memory cap, ``g++: fatal error: Killed signal terminated program
cc1plus``): nothing after it was checked, so it is fatal, on line 0."""
_SYSTEM_INCLUDE = re.compile(r"^\s*#\s*include\s*<[^<>]+>\s*(//.*)?$")
_LEADING_INCLUDE = re.compile(r'^(?!.*\\\s*$)\s*#\s*include\s*(?:<[^<>]+>|"[^"]+")\s*(?://.*)?$')
"""A line a fork server's header block may hold: an include (quoted ones too), maybe with a ``//``
comment that does not end in a backslash (which would continue it on the next line)."""
_INCLUDED_FROM = re.compile(r"^(?:In file included|\s+) from <stdin>:(?P<line>\d+)[:,]")


GCC14_C_ERRORS = (
    "implicit-function-declaration",
    "implicit-int",
    "incompatible-pointer-types",
    "int-conversion",
    "return-mismatch",
)
"""Warnings GCC 14 made errors by default in C (its "permerrors")."""

RETURN_MISMATCH = ("'return' with no value, in function returning non-void", "'return' with a value, in function returning void")
"""GCC 14's -Wreturn-mismatch errors, as an older GCC words them (as warnings with no option)."""


@functools.lru_cache(maxsize=None)
def gcc_major_version(program: str) -> int:
    """The major version of the GCC at ``program``."""
    done = subprocess.run([program, "-dumpversion"], capture_output=True, text=True, check=False, env=tool_environment())
    try:
        return int(done.stdout.strip().split(".")[0])
    except ValueError:
        return 0


@functools.lru_cache(maxsize=None)
def c_error_flags(program: str) -> tuple[str, ...]:
    """``-Werror=`` flags that give GCC 14's C errors on this GCC (none on GCC 14 and later).

    Only the warnings this GCC knows; GCC 12 lacks ``-Wreturn-mismatch`` (see
    :data:`RETURN_MISMATCH`). These flags need warnings on: ``-w`` would silence them.
    """
    if gcc_major_version(program) >= 14:
        return ()
    flags = []
    for warning in GCC14_C_ERRORS:
        probe = subprocess.run(
            [program, f"-Werror={warning}", "-fsyntax-only", "-x", "c", "-"], input="", capture_output=True,
            text=True, check=False, env=tool_environment(),
        )
        if probe.returncode == 0:
            flags.append(f"-Werror={warning}")
    return tuple(flags)


MAX_PRIVATE_HEADERS = 8
"""Precompiled header blocks a reference linter keeps in its folder (C++'s are 25-100 MB each);
one evicted and seen again is precompiled again."""


class GccReferenceLinter(MemoizedLinter):
    """C states checked by ``gcc -fsyntax-only -std=gnu17`` (GCC 14's errors), one process per state."""

    name = "gcc-reference"
    compiler = "gcc"
    source_language = "c"
    standard = "gnu17"
    precompile = False
    capped = False
    """Whether the compiler runs hardened, under the memory cap (:func:`~lintseq_hf.lint.compilers.tools.capped_command`)
    and the pipe guard (:func:`~lintseq_hf.lint.compilers.forkserver.pipe_guard`): not the references,
    which stay the one-process-per-state path as measured."""

    def __init__(self, extra_args: tuple[str, ...] = (), cache_size: int = 256) -> None:
        self.program = require_program(self.compiler, "install GCC (Debian: apt-get install gcc g++)")
        upgrades = c_error_flags(self.program) if self.source_language == "c" else ()
        self.promote_return_mismatch = self.source_language == "c" and gcc_major_version(self.program) < 14 and (
            "-Werror=return-mismatch" not in upgrades
        )
        self.options = (
            "-fsyntax-only",
            *(upgrades or ("-w",)),
            "-fdiagnostics-plain-output",
            "-fno-diagnostics-show-caret",
            f"-std={self.standard}",
            *extra_args,
        )
        self.args = (self.program, *self.options, "-x", self.source_language, "-")
        self.cwd = empty_directory("lintseq-gcc-", self)
        super().__init__(cache_size)
        self.extra_args = extra_args
        # header block text -> its .h path (None: does not precompile), the least recently used first
        self._headers: OrderedDict[str, str | None] = OrderedDict()
        self._seen: set[str] = set()

    def _lint(self, text: str) -> list[LintError]:
        """GCC's errors for ``text``, each on its line of ``text``."""
        args, source = self.args, text
        if self.precompile:
            header, lines = _header_block(text)
            path = self._precompiled(header) if header else None
            if path is not None:
                args = (*self.args[:-3], "-include", path, *self.args[-3:])
                source = "\n" * lines + text.split("\n", lines)[-1] if lines else text
        completed = run_state(args, source, cwd=self.cwd, hardened=self.capped)
        return parse_gcc_output(completed.stderr, promote=RETURN_MISMATCH if self.promote_return_mismatch else ())

    def _precompiled(self, header: str) -> str | None:
        """Path of the ``.h`` whose ``.gch`` holds ``header`` precompiled, built the second time a
        block is seen (most blocks of a sampling pass are seen once: building costs more)."""
        if header in self._headers:
            self._headers.move_to_end(header)
            return self._headers[header]
        if header not in self._seen:
            self._seen.add(header)
            return None
        key = hashlib.sha256(header.encode("utf-8", "surrogatepass")).hexdigest()[:20]
        path = os.path.join(self.cwd, f"h{key}.h")
        self._headers[header] = path if self._build_header(header, path) else None
        while len(self._headers) > MAX_PRIVATE_HEADERS:  # tens of MB each: a long run must not fill the disk
            _, old = self._headers.popitem(last=False)
            for name in (old, f"{old}.gch") if old else ():
                with contextlib.suppress(OSError):
                    os.remove(name)
        return self._headers[header]

    def _build_header(self, header: str, path: str) -> bool:
        """Write ``header`` to ``path`` and precompile it (``path.gch``); whether that worked."""
        with open(path, "w", encoding="utf-8", errors="surrogatepass") as handle:
            handle.write(header)
        try:  # the block is the state's text: timed (and capped) as a state's own call
            built = run_state([self.program, "-w", f"-std={self.standard}", *self.extra_args, "-x",
                              f"{self.source_language}-header", path, "-o", path + ".gch"],
                             "", cwd=os.path.dirname(path), hardened=self.capped)
        except ToolError:
            return False  # the state itself is then compiled, and its own call times out
        return built.returncode == 0


class _Cxx:
    """What makes a GCC backend the C++ one: g++, gnu++17, standard headers precompiled."""

    compiler = "g++"
    source_language = "c++"
    standard = "gnu++17"
    precompile = True


class GxxReferenceLinter(_Cxx, GccReferenceLinter):
    """C++ states checked by ``g++ -fsyntax-only -std=gnu++17 -w``, one process per state
    (standard headers precompiled)."""

    name = "g++-reference"


MAIN_FILE = "lintseq-main"
"""The one-line main file a fork server compiles: ``#include "<stdin>"``."""

_STATE_FILE = "<stdin>"
"""The name the state is written under (so that GCC names it as it names standard input)."""

BLOCK_FILE = "lintseq-block.h"
"""The header block a fork server's compiler reads before it forks (``-include``)."""

_MAIN_FILE_DIAGNOSTIC = re.compile(rf"^(?:{MAIN_FILE}\.cc?|.*{BLOCK_FILE}):\d+", re.MULTILINE)

MAX_SERVERS = 8
"""Compiler processes kept per linter (one per header block, least recently used out first)."""


class GccLinter(GccReferenceLinter):
    """C states checked by ``gcc -fsyntax-only -std=gnu17`` (GCC 14's errors) through fork servers:
    the reference's verdicts, faster (module docstring; docs/performance.md measures it)."""

    name = "gcc"
    capped = True

    def __init__(self, extra_args: tuple[str, ...] = (), cache_size: int = 256) -> None:
        super().__init__(extra_args, cache_size)
        self._servers: OrderedDict[str, ForkServer | None] = OrderedDict()  # header block -> server (None: unusable)
        self._commands: dict[bool, list[str] | None] = {}
        self._verified: set[ForkServer] = set()  # servers whose compiler read their block without a word
        self._owner = os.getpid()
        self._folder = empty_directory("lintseq-gcc-servers-", self)
        self.fallbacks = 0

    def _lint(self, text: str) -> list[LintError]:
        """GCC's errors for ``text``, each on its line of ``text``."""
        if _STATE_FILE in text or "lintseq-" in text:  # it could include the server's own files
            self.fallbacks += 1
            return super()._lint(text)
        header, lines = _header_block(text, _LEADING_INCLUDE)
        server = self._server(header) if header else None
        source = "\n" * lines + text.split("\n", lines)[-1] if server is not None and lines else text
        if server is None:
            server = self._server("")
        try:
            status, output = server.compile(source) if server is not None else (0, None)
        except ForkServerUnavailable:
            output = None
        if server is not None and output is not None and server not in self._verified:
            if server.startup_output().strip():  # the block itself has diagnostics: compile it in place
                output = None
            else:
                self._verified.add(server)
        if output is None:
            if server is not None:
                self._forget(server)
            self.fallbacks += 1
            return super()._lint(text)
        failure = child_failed(status)
        if failure is not None:
            raise ToolError(f"{self.compiler} {failure} on a state")
        if _MAIN_FILE_DIAGNOSTIC.search(output):
            # at the end of input C places the error after the include where the reference names a
            # line of the state, and an error may start in the block: ask the reference (rare)
            self.fallbacks += 1
            return super()._lint(text)
        return parse_gcc_output(output, promote=RETURN_MISMATCH if self.promote_return_mismatch else ())

    def _server(self, header: str) -> ForkServer | None:
        """The fork server whose compiler has read ``header`` (None when the block cannot be split off)."""
        if self._owner != os.getpid():  # a forked process: servers and their folders of its own
            self._servers, self._verified = OrderedDict(), set()
            self._owner, self._folder = os.getpid(), empty_directory("lintseq-gcc-servers-", self)
        if header in self._servers:
            self._servers.move_to_end(header)
            return self._servers[header]
        if self.precompile and header and not self._precompile_now(header):
            return None
        server = self._start_server(header)
        self._servers[header] = server
        while len(self._servers) > MAX_SERVERS:
            _, old = self._servers.popitem(last=False)
            if old is not None:
                old.close()
                shutil.rmtree(old.folder, ignore_errors=True)  # its block and precompiled header with it
        return server

    def _start_server(self, header: str) -> ForkServer | None:
        key = hashlib.sha256(header.encode("utf-8", "surrogatepass")).hexdigest()[:20]
        folder = os.path.join(self._folder, f"s{key}")
        os.makedirs(folder, exist_ok=True)
        suffix = ".c" if self.source_language == "c" else ".cc"
        main = MAIN_FILE + suffix
        with open(os.path.join(folder, main), "w", encoding="utf-8") as handle:
            handle.write(f'#include "{_STATE_FILE}"\n')
        if header:
            path = os.path.join(folder, BLOCK_FILE)
            if self.precompile:
                if not self._server_header(header, path):
                    return None
            else:
                with open(path, "w", encoding="utf-8", errors="surrogatepass") as handle:
                    handle.write(header)
        command = self._compiler_command(bool(header), main)
        if command is None:
            return None
        return ForkServer(command, folder=folder, state_name=_STATE_FILE)

    def _precompile_now(self, header: str) -> bool:
        """Whether to precompile ``header`` now: as the reference, the second time it is seen."""
        if header in self._seen:
            return True
        self._seen.add(header)
        return False

    def _server_header(self, header: str, path: str) -> bool:
        """Write ``header`` to a server's ``path`` and precompile it; whether that worked."""
        return self._build_header(header, path)

    def _forget(self, server: ForkServer) -> None:
        """Stop an unusable server; its block is compiled in place from now on (None)."""
        server.close()
        for header, known in self._servers.items():
            if known is server:
                self._servers[header] = None

    def _compiler_command(self, with_block: bool, main: str) -> list[str] | None:
        """The compiler proper (cc1, cc1plus) command line the driver would run in a server's
        folder (paths are relative to it, so one command serves every folder)."""
        if with_block not in self._commands:
            driver = [self.program, *self.options, *(["-include", BLOCK_FILE] if with_block else []), "-x", self.source_language, main]
            self._commands[with_block] = _compiler_command(driver, self.cwd)
        return self._commands[with_block]

    def close(self) -> None:
        """Stop the compiler processes (those this process started)."""
        for server in self._servers.values():
            if server is not None:
                server.close()
        self._servers.clear()


PCH_CACHE_VARIABLE = "LINTSEQ_PCH_CACHE"
"""Where ``g++`` and ``g++-fork`` keep precompiled header blocks (default ``~/.cache/lintseq_hf/pch``)."""

PCH_BLOCK_FILE = "block.h"
"""The header block's name in its folder of the precompiled-header cache (``block.h.gch`` beside it)."""


MAX_SHARED_HEADERS = 32
"""Precompiled blocks kept on disk (about 25 MB each), the least recently used removed first."""


class _SharedHeaders:
    """Precompiled header blocks kept on disk for every linter and process after the first
    (``$LINTSEQ_PCH_CACHE``, keyed by the compiler's version, its options and the block): a
    block precompiled once on a machine is used from its first state on. GCC itself checks that
    a ``.gch`` fits the compilation and otherwise reads the header text beside it (which is never
    removed, so a ``.gch`` removed by another process only costs time): the verdicts stay the
    reference's (docs/performance.md measures it)."""

    program: str
    standard: str
    extra_args: tuple[str, ...]
    _build_header: Callable[[str, str], bool]

    def _shared_header(self, header: str, *, build: bool) -> str | None:
        """Path of the cached ``.h`` whose ``.gch`` holds ``header``, precompiled now if ``build``
        (None: not cached, or the block does not precompile)."""
        root = cache_root(PCH_CACHE_VARIABLE, "pch")
        folder = built_folder(root, "\0".join([_compiler_identity(self.program), self.standard, *self.extra_args, header]))
        path = folder / PCH_BLOCK_FILE
        try:
            if os.path.isfile(f"{path}.gch"):
                os.utime(folder)  # recently used
                return str(path)
            if not build:
                return None
            folder.mkdir(parents=True, exist_ok=True)
            aside = Path(tempfile.mkdtemp(dir=root, prefix="build-"))
            try:
                if not self._build_header(header, str(aside / PCH_BLOCK_FILE)):
                    return None
                os.replace(aside / PCH_BLOCK_FILE, path)  # the same text as any other process writes
                os.replace(aside / f"{PCH_BLOCK_FILE}.gch", f"{path}.gch")
            finally:
                shutil.rmtree(aside, ignore_errors=True)
        except OSError:  # an unwritable cache: compile the block in place
            return None
        with contextlib.suppress(OSError):  # another process may be evicting too
            _evict(root)
        return str(path)


def _evict(root: Path) -> None:
    """Remove the ``.gch`` of all but the :data:`MAX_SHARED_HEADERS` most recently used blocks."""
    built = sorted(root.glob(f"*/{PCH_BLOCK_FILE}.gch"), key=lambda gch: gch.parent.stat().st_mtime, reverse=True)
    for gch in built[MAX_SHARED_HEADERS:]:
        gch.unlink(missing_ok=True)


class GxxForkLinter(_SharedHeaders, _Cxx, GccLinter):
    """C++ states checked by ``g++ -fsyntax-only -std=gnu++17 -w`` through fork servers (standard
    headers precompiled, shared on disk: :class:`_SharedHeaders`). Not the default: a C++
    state's own template work dominates its time, and it saves about a fifth of it
    (docs/performance.md) for up to eight compiler processes held per linter."""

    name = "g++-fork"

    def _precompile_now(self, header: str) -> bool:
        return self._shared_header(header, build=False) is not None or super()._precompile_now(header)

    def _server_header(self, header: str, path: str) -> bool:
        cached = self._shared_header(header, build=True)
        if cached is None:
            return False
        with open(path, "w", encoding="utf-8", errors="surrogatepass") as handle:
            handle.write(header)
        if os.path.lexists(f"{path}.gch"):  # a server for this block ran here before
            os.unlink(f"{path}.gch")
        os.symlink(f"{cached}.gch", f"{path}.gch")
        return True


class GxxLinter(_SharedHeaders, GxxReferenceLinter):
    """C++ states checked by ``g++ -fsyntax-only -std=gnu++17 -w``, one process per state (standard
    headers precompiled, shared on disk: :class:`_SharedHeaders`): the default."""

    name = "g++"
    capped = True

    def _precompiled(self, header: str) -> str | None:
        if header in self._headers:
            return self._headers[header]
        path = self._shared_header(header, build=header in self._seen)  # as the reference: built when seen twice
        if path is None and header not in self._seen:
            self._seen.add(header)
            return None
        self._headers[header] = path
        return path


@functools.lru_cache(maxsize=None)
def _compiler_identity(program: str) -> str:
    """The compiler's path and ``--version`` text: a new compiler gets precompiled headers of its own."""
    done = subprocess.run([program, "--version"], capture_output=True, text=True, check=False, env=tool_environment())
    return f"{os.path.realpath(program)}\n{done.stdout}"


def _compiler_command(driver_args: list[str], cwd: str) -> list[str] | None:
    """The compiler proper (cc1, cc1plus) command line the driver would run for ``driver_args``."""
    shown = subprocess.run([driver_args[0], "-###", *driver_args[1:]], capture_output=True, text=True, cwd=cwd,
                           env=tool_environment(), check=False)
    for line in shown.stderr.splitlines():
        if line.startswith(" ") and ("/cc1" in line.split()[0] or "/cc1plus" in line.split()[0]):
            return shlex.split(line)
    return None


def _header_block(text: str, directive: re.Pattern[str] = _SYSTEM_INCLUDE) -> tuple[str, int]:
    """The leading lines of ``text`` that are ``#include <...>`` (or match ``directive``), blank or
    comments, up to the last such line (as text), and how many lines that is."""
    return header_block(text, directive)


def parse_gcc_output(stderr: str, promote: tuple[str, ...] = ()) -> list[LintError]:
    """Counted errors in GCC's plain diagnostics for a source read from stdin (warnings whose
    message starts with one of ``promote`` count as errors)."""
    errors: list[LintError] = []
    include_line = 0
    for raw in stderr.splitlines():
        included = _INCLUDED_FROM.match(raw)
        if included:
            include_line = int(included.group("line"))
            continue
        found = _DIAGNOSTIC.match(raw)
        if found is None:
            failed = _TOOL_FAILURE.match(raw)
            if failed is not None:
                errors.append(LintError("fatal", 0, 0, failed.group("message") or failed.group("memory"), fatal=True))
            continue
        kind = "fatal" if found.group("kind") == "fatal error" else "error"
        message = found.group("message").replace("[-Werror=", "[-W")
        if found.group("file") == "<stdin>":
            line, column = int(found.group("line")), int(found.group("column"))
            include_line = 0
        else:
            line, column = include_line, 0
        if found.group("kind") == "warning" and not message.startswith(promote or ("\0",)):
            continue
        errors.append(LintError(kind, line, column, message, fatal=kind == "fatal"))
    return errors
