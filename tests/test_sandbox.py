"""The sandbox against hostile programs: none of them may affect the host or the other samples."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import textwrap
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from lintseq_hf.sandbox.host import Sandbox, SandboxLimits
from lintseq_hf.sandbox.host import TestJob as Job

LIMITS = SandboxLimits(timeout=30.0, memory_bytes=1 << 30, max_processes=16)
"""Programs that must pass get a limit that holds on a loaded machine; hostile ones name a short one."""


@pytest.fixture(scope="module")
def sandbox():
    with Sandbox(LIMITS, workers=2) as box:
        yield box


@pytest.fixture(scope="module")
def strong(sandbox):
    """The full isolation the hostile suite proves (root + namespaces, as on the project's machines and CI);
    a host that cannot give it fails loudly instead of checking nothing."""
    isolation = sandbox.isolation
    assert isolation.strong, f"host allows only partial isolation: {isolation} (run the suite as root)"
    return isolation


@pytest.fixture
def victim():
    """A directory of the host that the sandbox can see (outside every private tmpfs)."""
    private = ("/tmp", "/var/tmp", "/dev/shm", "/run/lock")
    places = [Path("/srv"), Path("/var/lib"), Path(__file__).resolve().parent]
    base = next(p for p in places if p.is_dir() and os.access(p, os.W_OK) and not str(p.resolve()).startswith(private))
    path = base / f".lintseq-sandbox-victim-{os.getpid()}"
    path.mkdir()
    (path / "keep.txt").write_text("precious")
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def run(box: Sandbox, source: str, **kwargs):
    return box.run(textwrap.dedent(source), **kwargs)


def sandbox_uid_processes(uid: int) -> list[int]:
    pids = []
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                status = Path(entry.path, "status").read_text()
            except OSError:
                continue
            uids = next(line for line in status.splitlines() if line.startswith("Uid:")).split()[1:]
            if str(uid) in uids:
                pids.append(int(entry.name))
    return pids


def test_a_correct_program_passes(sandbox):
    assert run(sandbox, "import math\nassert math.gcd(12, 18) == 6").passed


def test_an_assertion_failure_is_reported_with_its_message(sandbox):
    result = run(sandbox, "assert 1 + 1 == 3, 'arithmetic'")
    assert result.status == "failed" and "AssertionError: arithmetic" in result.detail


def test_a_syntax_error_fails(sandbox):
    assert run(sandbox, "def f(:\n    pass").status == "failed"


def test_a_crash_is_contained(sandbox):
    result = run(sandbox, "import ctypes\nctypes.string_at(0)")
    assert result.status == "crashed" and "SIGSEGV" in result.detail
    assert run(sandbox, "x = 1").passed


def test_a_busy_loop_times_out(sandbox):
    result = run(sandbox, "while True:\n    pass", timeout=1.0)
    assert result.status == "timeout"


def test_a_sleeping_program_times_out_on_wall_clock(sandbox):
    result = run(sandbox, "import time\ntime.sleep(60)", timeout=1.0)
    assert result.status == "timeout" and result.duration < 10


def test_a_memory_hog_gets_memory_error():
    with Sandbox(SandboxLimits(timeout=20.0, memory_bytes=256 << 20)) as box:
        result = run(box, "blocks = []\nwhile True:\n    blocks.append(bytearray(16 << 20))")
        assert result.status == "failed" and "MemoryError" in result.detail
        assert run(box, "x = bytearray(1 << 20)").passed


def test_exiting_early_does_not_pass(sandbox):
    assert run(sandbox, "import os\nos._exit(0)\nassert False").status == "crashed"


def test_sys_exit_fails(sandbox):
    assert run(sandbox, "import sys\nsys.exit(0)").status == "failed"


def test_a_forged_result_does_not_pass(sandbox):
    source = """
    import os
    os.write(3, b'{"status": "passed", "detail": "", "nonce": "guess"}')
    raise ValueError("tests failed")
    """
    assert not run(sandbox, source).passed


def test_environment_is_scrubbed_and_cwd_is_a_fresh_empty_dir(sandbox, monkeypatch):
    source = """
    import os
    assert "LINTSEQ_SECRET" not in os.environ, "leaked"
    assert os.listdir(".") == [], os.listdir(".")
    assert os.environ["HOME"] == os.getcwd()
    open("scratch.txt", "w").write("mine")
    """
    # workers started before the variable was set cannot see it anyway: start a fresh sandbox
    monkeypatch.setenv("LINTSEQ_SECRET", "hunter2")
    with Sandbox(LIMITS) as box:
        assert run(box, source).passed
        assert run(box, source).passed  # the previous program's file is gone


def test_stdout_flood_does_not_block(sandbox):
    assert run(sandbox, "for _ in range(50000):\n    print('x' * 100)").passed


def test_fork_bomb_is_bounded_and_cleaned_up(sandbox, strong):
    source = """
    import os
    while True:
        try:
            os.fork()
        except OSError:
            pass
    """
    result = run(sandbox, source, timeout=2.0)
    assert result.status in ("timeout", "failed", "crashed")
    assert sandbox_uid_processes(strong.uid) == []
    assert run(sandbox, "import os\npid = os.fork()\nif pid == 0:\n    os._exit(0)\nos.waitpid(pid, 0)").passed


def test_process_count_is_limited(sandbox, strong):
    source = """
    import os, time
    children = 0
    try:
        for _ in range(100):
            if os.fork() == 0:
                time.sleep(30)
                os._exit(0)
            children += 1
    except OSError:
        pass
    assert children < 20, children
    """
    assert run(sandbox, source).passed
    assert sandbox_uid_processes(strong.uid) == []


def test_escaped_daemons_are_killed(sandbox, strong):
    source = """
    import os, time
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            time.sleep(120)
        os._exit(0)
    """
    assert run(sandbox, source).passed
    assert sandbox_uid_processes(strong.uid) == []


def test_os_system_rm_cannot_delete_host_files(sandbox, strong, victim):
    source = f"""
    import os
    assert os.path.exists({str(victim)!r})
    os.system("rm -rf {victim}")
    os.system("rm -rf {victim}/keep.txt")
    """
    assert run(sandbox, source).passed  # the program saw the victim and ran rm
    assert (victim / "keep.txt").read_text() == "precious"


def test_writes_outside_the_work_dir_fail(sandbox, strong, victim):
    source = f"""
    import os
    for path in ({str(victim / "new.txt")!r}, {str(victim / "keep.txt")!r}):
        try:
            open(path, "w").write("pwned")
        except PermissionError:
            pass
        else:
            raise SystemExit("wrote " + path)
    """
    assert run(sandbox, source).passed
    assert not (victim / "new.txt").exists()
    assert (victim / "keep.txt").read_text() == "precious"


def test_world_writable_tmp_is_private(sandbox, strong):
    marker = Path("/tmp") / f"lintseq-sandbox-marker-{os.getpid()}"
    try:
        assert run(sandbox, f"open({str(marker)!r}, 'w').write('x')").passed
        assert not marker.exists()
    finally:
        marker.unlink(missing_ok=True)


def test_socket_connect_cannot_reach_the_host(sandbox, strong):
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.2)
    port = server.getsockname()[1]
    accepted = []

    def accept():
        try:
            accepted.append(server.accept())
        except OSError:
            pass

    thread = threading.Thread(target=accept)
    thread.start()
    source = f"""
    import socket
    for host in ("127.0.0.1", "1.1.1.1"):
        try:
            socket.create_connection((host, {port}), timeout=1)
        except OSError:
            continue
        raise SystemExit("connected to " + host)
    """
    try:
        assert run(sandbox, source).passed
    finally:
        thread.join()
        server.close()
    assert accepted == []


def test_kill_all_cannot_touch_host_processes(sandbox, strong):
    bystander = subprocess.Popen(["sleep", "30"])
    try:
        run(sandbox, "import os, signal\nos.kill(-1, signal.SIGKILL)")
        assert bystander.poll() is None
        assert run(sandbox, "x = 1").passed
    finally:
        bystander.kill()
        bystander.wait()


def test_hostile_samples_do_not_affect_the_others(sandbox):
    hostile = [
        "while True:\n    pass",
        "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass",
        "x = bytearray(1 << 40)",
        "import os\nos.kill(-1, 9)",
    ]
    benign = [f"assert sum(range({n})) == {n * (n - 1) // 2}" for n in range(1, 9)]
    with ThreadPoolExecutor(2) as pool:  # both workers, hostile and benign samples interleaved
        futures = [pool.submit(sandbox.run, program, timeout=timeout) for pair in zip(benign, hostile + hostile)
                   for program, timeout in zip(pair, (LIMITS.timeout, 2.0))]
        results = [future.result() for future in futures]
    assert [r.status for r in results[0::2]] == ["passed"] * 8


def test_without_isolation_the_guard_blocks_processes_and_deletion(victim):
    with Sandbox(LIMITS, isolate=False) as box:
        assert box.isolation.guard and not box.isolation.separate_uid
        result = run(box, f"import os\nos.system('rm -rf {victim}')")
        assert result.status == "failed" and "PermissionError" in result.detail
        result = run(box, f"import shutil\nshutil.rmtree({str(victim)!r})")
        assert result.status == "failed"
        assert run(box, "while True:\n    pass", timeout=1.0).status == "timeout"
        assert run(box, "x = bytearray(1 << 40)").status == "failed"
    assert (victim / "keep.txt").read_text() == "precious"


def test_without_isolation_escaped_daemons_are_still_killed():
    marker = f"{os.getpid() % 1000 + 7000}.25"
    source = f"""
    import os
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            os.execvp("sleep", ["sleep", "{marker}"])
        os._exit(0)
    """
    with Sandbox(LIMITS, isolate=False, guard=False) as box:
        assert run(box, source).passed
    leftovers = subprocess.run(["pgrep", "-f", f"sleep {marker}"], capture_output=True, text=True).stdout
    assert leftovers.strip() == ""


FILL_TMP = """
open("/tmp/left-behind", "w").write("secret")
open("/dev/shm/left-behind", "w").write("secret")
try:
    for number in range(70_000):  # the private /tmp holds 65,536 inodes
        open(f"/tmp/fill-{number}", "w").close()
except OSError:
    pass
"""

SCRATCH = """
import os, tempfile
for place in ("/tmp", "/dev/shm"):
    assert not os.path.exists(os.path.join(place, "left-behind")), "saw the previous sample's file in " + place
    assert not any(name.startswith("fill-") for name in os.listdir(place)), "saw the previous sample's files"
with open(os.path.join(tempfile.gettempdir(), "scratch.txt"), "w") as handle:
    handle.write("mine" * 1000)
with open("/tmp/scratch.txt", "w") as handle:
    handle.write("mine")
"""


def test_a_sample_that_fills_tmp_does_not_deny_the_next_one_on_that_worker(strong):
    """Each program starts from empty, private scratch space: a sample that exhausts /tmp's inodes (and
    leaves files behind) changes nothing for the next sample on the same worker."""
    with Sandbox(LIMITS, workers=1) as box:
        assert run(box, FILL_TMP, timeout=120.0).passed
        result = run(box, SCRATCH)
        assert result.passed, result
        assert run(box, FILL_TMP, timeout=120.0).passed
        job = Job(program="def scratch():\n" + textwrap.indent(SCRATCH, "    ") + "    return 1\n",
                      prompt="", test="assert scratch() == 1\n", entry_point="scratch")
        verdict = box.judge(job)
        assert verdict.passed, verdict


def _shmem_mib() -> int:
    line = next(line for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("Shmem:"))
    return int(line.split()[1]) // 1024


def test_a_samples_scratch_space_gives_its_memory_back(strong):
    """Nothing pins the memory of a sample's tmpfs once its processes are gone."""
    source = """
    for number in range(3):
        with open(f"/tmp/big-{number}", "wb") as handle:
            handle.write(b"x" * (50 << 20))
    shmem = next(line for line in open("/proc/meminfo") if line.startswith("Shmem:"))
    raise ValueError(int(shmem.split()[1]) // 1024)
    """
    with Sandbox(LIMITS, workers=1) as box:
        result = run(box, source)
        assert result.status == "failed" and "ValueError" in result.detail, result
        during = int(result.detail.split(": ")[1].split()[0])
        assert _shmem_mib() < during - 100


SYSV_SEGMENT = """
import ctypes, ctypes.util
libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
found = libc.shmget(0x4C5351, 0, 0)
assert found == -1, "saw the previous sample's segment"
assert libc.shmget(0x4C5351, 1 << 20, 0o1600) >= 0, ctypes.get_errno()  # IPC_CREAT | 0600, never removed
"""


def test_a_samples_system_v_segments_do_not_outlive_it(strong):
    """Each program has an IPC namespace of its own: a segment it never removes goes with it."""
    with Sandbox(LIMITS, workers=1) as box:
        assert run(box, SYSV_SEGMENT).passed
        result = run(box, SYSV_SEGMENT)
        assert result.passed, result
    segments = subprocess.run(["ipcs", "-m"], capture_output=True, text=True, check=True).stdout
    assert "0x004c5351" not in segments  # nor in the host's IPC namespace, pinning its memory
