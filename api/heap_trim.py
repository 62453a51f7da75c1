"""Freed heap handed back to the operating system while the server runs.

glibc's malloc gives each busy thread an arena of its own (up to eight per core) and returns a
freed page to the system only from the top of a heap; what the request threads free inside
their arenas stays resident, so under load the server's memory kept climbing (808 MiB in the
first quarter of a 60 s load test, 911 MiB in the last) with no Python object behind it
(tracemalloc over the load test's mix, in process: 95 KB more after six rounds). malloc_trim(0)
walks every arena and releases its free pages.

Decided by interleaved runs of the load test (benchmarks/README.md, "Load test"; each variant
twice, medians): trimming every 5 s, off the request path (a thread of the pool; ctypes lets go
of the GIL), held the server's peak at 439 / 447 MiB in the first / last quarter, against
643 / 751 MiB untrimmed, at the same throughput (145 against 134 req/s). Limiting the arenas
instead (MALLOC_ARENA_MAX=2) kept 704 MiB on the loaded machine, and earlier runs of it and of
mallopt(M_ARENA_MAX) cost a fifth to a third of the throughput: the threads then queue for the
arenas' locks.
"""
from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import logging
import os
from contextlib import asynccontextmanager
from typing import AsyncIterator, Callable

from starlette.concurrency import run_in_threadpool

# Seconds between trims; SKILLSGRAPH_HEAP_TRIM=0 turns trimming off (the benchmark's comparison).
EVERY = float(os.environ.get("SKILLSGRAPH_HEAP_TRIM", "5"))


def trimmer() -> Callable[[], int] | None:
    """glibc's malloc_trim(0), or None where the C library has none (musl, macOS)."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None)
        trim = libc.malloc_trim
    except (OSError, AttributeError):
        return None
    trim.argtypes, trim.restype = [ctypes.c_size_t], ctypes.c_int
    return lambda: trim(0)  # ctypes releases the GIL for the call: the event loop keeps serving


async def _trim_every(seconds: float, trim: Callable[[], int]) -> None:
    while True:
        await asyncio.sleep(seconds)
        await run_in_threadpool(trim)


@asynccontextmanager
async def trimming(seconds: float = EVERY) -> AsyncIterator[None]:
    """Trim the heap every `seconds` while the block runs (the server's lifespan)."""
    trim = trimmer() if seconds > 0 else None
    if trim is None:
        if seconds > 0:
            logging.getLogger("skillsgraph").info("no malloc_trim in this C library: freed heap stays resident")
        yield
        return
    task = asyncio.create_task(_trim_every(seconds, trim))
    try:
        yield
    finally:
        task.cancel()


__all__ = ["trimmer", "trimming", "EVERY"]
