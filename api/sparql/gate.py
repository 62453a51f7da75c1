"""Running store work on threads, off the event loop, bounded: the queries of the stores whose
data no other process can open (memory; sparql, whose queries run in its server anyway), and
the service description's counts. (On the on-disk store, endpoint queries run in killable
worker processes instead: sparql/workers.py.)

Work runs on worker threads, never on the event loop, and a request waits for its
query at most the time limit (plus a small margin): a query that produces nothing for
longer (a big aggregate, a sort) still gets its 503 on time. Its thread cannot be stopped
from outside and finishes on its own, so it keeps its place under the concurrency bound
until then: at most MAX_RUNNING queries run at once and at most MAX_ADMITTED are
admitted (running or waiting); beyond that the answer is an immediate 503.
"""
from __future__ import annotations

import asyncio
import threading
from typing import Any, Callable

from skillsgraph.store.base import Limits

from .protocol import ProtocolError

MAX_RUNNING = 4
MAX_ADMITTED = 32

class QueryGate:
    """Runs blocking store work on its own daemon thread, bounded by two semaphores."""

    def __init__(self, running: int = MAX_RUNNING, admitted: int = MAX_ADMITTED):
        self._running = threading.BoundedSemaphore(running)
        self._admitted = threading.BoundedSemaphore(admitted)

    async def run(self, work: Callable[[], Any], timeout: float) -> Any:
        """work() on a worker thread; raises asyncio.TimeoutError if it takes longer than timeout
        (including the wait for a free slot), ProtocolError(503) if too many are admitted."""
        if not self._admitted.acquire(blocking=False):
            raise ProtocolError(503, "too many queries are waiting to run; try again in a moment",
                                {"Retry-After": "1"})
        loop = asyncio.get_running_loop()
        future: asyncio.Future = loop.create_future()
        abandoned = threading.Event()

        def settle(ok: bool, value: Any) -> None:
            if not future.done():
                future.set_result(value) if ok else future.set_exception(value)

        def thread_main() -> None:
            outcome = None
            try:
                if not self._running.acquire(timeout=timeout):
                    return  # the request has given up waiting already
                try:
                    if not abandoned.is_set():
                        outcome = (True, work())
                except BaseException as exc:  # handed over to the request
                    outcome = (False, exc)
                finally:
                    self._running.release()
            finally:
                # Free the slot before the answer goes out, so that a client sending its next
                # query at once never finds its own finished query still counted.
                self._admitted.release()
                if outcome is not None:
                    try:
                        loop.call_soon_threadsafe(settle, *outcome)
                    except RuntimeError:
                        pass  # the event loop has closed: nobody is waiting any more

        threading.Thread(target=thread_main, name="sparql-query", daemon=True).start()
        try:
            return await asyncio.wait_for(future, timeout)
        finally:
            if future.cancelled():  # timed out, or the client went away: a query not yet started never will
                abandoned.set()


gate = QueryGate()


def deadline(limits: Limits) -> float:
    """How long a request waits for its query: the limit and a margin, so that a streaming
    query stopped by the store itself reports first and serialisation has time to finish."""
    return limits.timeout_seconds + 0.25 + 0.05 * limits.timeout_seconds


def timeout_message(limits: Limits) -> str:
    return (f"the query did not finish within the time limit of {limits.timeout_seconds:g} s; "
            "narrow it down (a more selective pattern, a LIMIT) and try again")
