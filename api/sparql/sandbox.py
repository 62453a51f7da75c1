"""What a query worker process gives up before it runs any query (Linux).

- It dies with the server (skillsgraph.child_processes): PR_SET_PDEATHSIG sends it SIGKILL when
  the thread that started it ends, and the pool starts every worker from one thread that lives as
  long as the server.
- It cannot reach the network: a seccomp filter makes socket(AF_INET/AF_INET6) fail, so no
  SERVICE clause, however it is spelt, makes the engine send a request anywhere.
- Its address space is capped (RLIMIT_AS): a query that needs more fails to allocate and ends
  the worker, not the server.
- It runs at a lower CPU priority than the server, so the event loop stays responsive while
  every worker is busy.
"""
from __future__ import annotations

import ctypes
import os
import platform
import resource
import struct

from skillsgraph.child_processes import die_with_parent, libc as _libc  # noqa: F401 (die_with_parent: a worker's first step)

PR_SET_NO_NEW_PRIVS = 38
PR_SET_SECCOMP = 22
SECCOMP_MODE_FILTER = 2
SECCOMP_RET_ALLOW = 0x7FFF0000
SECCOMP_RET_ERRNO = 0x00050000
EACCES = 13
AF_INET, AF_INET6 = 2, 10
# (audit architecture, number of the socket syscall) per machine.
_SOCKET_SYSCALL = {"x86_64": (0xC000003E, 41), "aarch64": (0xC00000B7, 198)}
WORKER_NICENESS = 5


def _instruction(code: int, jt: int, jf: int, k: int) -> bytes:
    return struct.pack("HBBI", code, jt, jf, k)


def no_network() -> bool:
    """Install the filter; False where seccomp is unavailable (then the lexical SERVICE check is all)."""
    arch = _SOCKET_SYSCALL.get(platform.machine())
    if arch is None:
        return False
    audit_arch, socket_nr = arch
    load, jump_eq, ret = 0x20, 0x15, 0x06
    program = b"".join([
        _instruction(load, 0, 0, 4),                 # seccomp_data.arch
        _instruction(jump_eq, 0, 5, audit_arch),     # another ABI: allow
        _instruction(load, 0, 0, 0),                 # seccomp_data.nr
        _instruction(jump_eq, 0, 3, socket_nr),      # not socket(): allow
        _instruction(load, 0, 0, 16),                # args[0], the address family
        _instruction(jump_eq, 2, 0, AF_INET),
        _instruction(jump_eq, 1, 0, AF_INET6),
        _instruction(ret, 0, 0, SECCOMP_RET_ALLOW),
        _instruction(ret, 0, 0, SECCOMP_RET_ERRNO | EACCES),
    ])
    filters = ctypes.create_string_buffer(program)
    fprog = struct.pack("HxxxxxxQ", len(program) // 8, ctypes.addressof(filters))
    fprog_buffer = ctypes.create_string_buffer(fprog)
    libc = _libc()
    if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        return False
    return libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.addressof(fprog_buffer), 0, 0) == 0


def address_space() -> int:
    """The bytes of address space this process holds now (VmSize)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def cap_memory(budget_bytes: int) -> None:
    """Allow what the process holds now (the opened store, the interpreter) plus the budget."""
    limit = address_space() + budget_bytes
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def lower_priority() -> None:
    os.nice(WORKER_NICENESS)
