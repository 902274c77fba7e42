"""Ending a program's process tree: one kill-and-wait, and the sweep for everything it left behind.

Used by the program zygote (:mod:`.program_zygote`) after every program. Stdlib only.
"""

from __future__ import annotations

import os
import select
import signal
import time

_REAP_LIMIT = 10.0


def wait(pid: int, timeout: float) -> tuple[bool, int]:
    """Wait for the child ``pid`` up to ``timeout`` seconds: (timed out, wait status if it exited)."""
    try:
        pidfd = os.pidfd_open(pid)
    except (AttributeError, OSError):
        pidfd = None
    if pidfd is not None:
        try:
            ready, _, _ = select.select([pidfd], [], [], max(timeout, 0.0))
        finally:
            os.close(pidfd)
        if not ready:
            return True, 0
        return False, os.waitpid(pid, 0)[1]
    deadline = time.monotonic() + timeout
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return False, status
        if time.monotonic() >= deadline:
            return True, 0
        time.sleep(0.002)


def stop(pid: int, timeout: float) -> tuple[bool, int]:
    """Wait up to ``timeout`` for the child ``pid`` (a session leader), then SIGKILL its process group
    and it: (whether it had to be killed, its wait status)."""
    killed, status = wait(pid, timeout)
    if killed:
        for kill in (os.killpg, os.kill):
            try:
                kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        _, status = os.waitpid(pid, 0)
    return killed, status


def sweep(pid: int, uid: int | None, subreaper: bool) -> None:
    """Kill and collect whatever the program ``pid`` left behind. As child subreaper, every orphan of
    its tree is our child, so there is nothing to do when no child is left."""
    if subreaper and not _has_children():
        return
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    if uid is None:
        _kill_descendants()
    else:
        for _ in range(2):  # kill(-1) as the sandbox uid reaches every process of that uid
            reaper = os.fork()
            if reaper == 0:
                try:
                    os.setgid(uid)
                    os.setuid(uid)
                    os.kill(-1, signal.SIGKILL)
                except OSError:
                    pass
                finally:
                    os._exit(0)
            os.waitpid(reaper, 0)
    reap_all()


def _kill_descendants() -> None:
    """SIGKILL every descendant of this process (found through /proc parent links)."""
    for _ in range(100):
        parents: dict[int, list[int]] = {}
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            try:
                with open(os.path.join(entry.path, "stat"), "rb") as handle:
                    stat = handle.read()
            except OSError:
                continue
            ppid = int(stat[stat.rindex(b")") + 2 :].split()[1])
            parents.setdefault(ppid, []).append(int(entry.name))
        found, stack = [], list(parents.get(os.getpid(), []))
        while stack:
            pid = stack.pop()
            found.append(pid)
            stack.extend(parents.get(pid, []))
        if not found:
            return
        for pid in found:
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        reap_all(block=False)


def _has_children() -> bool:
    try:
        os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return False
    return True  # running (pid 0) or just reaped: clean up whatever else is left


def reap_all(block: bool = True) -> None:
    """Collect the zombies adopted as child subreaper (they count against RLIMIT_NPROC).

    With ``block``, until no child is left (call it only after everything was killed).
    """
    deadline = time.monotonic() + _REAP_LIMIT
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            if not block or time.monotonic() > deadline:
                return
            time.sleep(0.001)  # killed processes still exiting
