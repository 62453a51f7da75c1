"""Helper processes end with the process that started them (Linux).

A build, an import or a server starts worker processes (validation and import pools, query
workers). Killed with SIGKILL, the parent cannot stop them, and a pool worker blocked on its
job queue would wait forever (a killed `import onet` left two workers of 150-220 MB running
for twenty minutes). PR_SET_PDEATHSIG has the kernel send the worker SIGKILL when the thread
that started it ends; pools start their workers from the main thread, which lives as long as
the process.

alive() tells whether the process that left a file in the home still runs (skillsgraph.staging).
"""
from __future__ import annotations

import ctypes
import os
import signal

PR_SET_PDEATHSIG = 1


def libc() -> ctypes.CDLL:
    found = ctypes.CDLL(None, use_errno=True)
    found.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    return found


def die_with_parent(parent_pid: int) -> None:
    """Arm the signal in this (child) process; parent_pid is the pid of the process that started it."""
    try:
        libc().prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # no prctl (not Linux): the pools' own shutdown is all
        return
    if os.getppid() != parent_pid:  # the parent ended before the signal was armed
        os._exit(1)


def alive(pid: int) -> bool:
    """Whether a process of this pid runs (a pid reused since errs on the side of keeping its files)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
