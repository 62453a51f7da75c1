"""Queries in worker processes that can be killed: a small pool over the on-disk store.

Threads could not stop a query (pyoxigraph holds the GIL and has no cancel), and a query that
overflows the engine's stack or exhausts memory aborted the whole server. Here each query runs
in a worker process (sparql/worker.py) that opened the store read-only: past its deadline the
worker is killed, so its CPU comes back at once, and a crash ends the worker only. Either way
a fresh worker takes its place.

The pool keeps `warm` workers, and while fewer than `most` exist it keeps `SPARES` idle ones
ready beyond those busy, so a cheap query from one client finds a worker even while others
run heavy ones. Workers are forked by a template process (sparql/worker.py; the server's
handles of it and of the workers are sparql/worker_processes.py), so a replacement costs tens
of milliseconds, not an interpreter's start. The template is started from one
thread that lives as long as the pool: it dies with that thread (sandbox.die_with_parent),
hence with the server, and every worker dies with the template.
"""
from __future__ import annotations

import asyncio
import atexit
import logging
import queue
import signal
import tempfile
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import BinaryIO

from skillsgraph.store.base import QueryRefused, QuerySyntaxError, QueryTimeout

from .evaluation import Job
from .protocol import ProtocolError
from .worker_processes import READY_TIMEOUT, Template, Worker

SPARES = 2
# The longest a query waits for the first workers to start (a fork and a store opening each,
# after the template's start): bounded, so that workers that cannot start give a 503, not a
# request held for as long as new ones keep being tried.
STARTING_WAIT = 10.0
IDLE_RETIRE_SECONDS = 10.0  # how often workers beyond the warm ones and the spare may retire
INLINE_BYTES = 4 << 20  # larger results are spooled to a temporary file, not held in the server's memory
# A result up to this size is read on the event loop: it comes in one write of the worker's
# (multiprocessing sends a message of up to 16 KiB with its length in one call), so once the
# socket is readable the read cannot wait on the worker. Larger ones are read on a thread.
LOOP_BYTES = 16 << 10
log = logging.getLogger("skillsgraph.sparql")


class WorkerFailed(Exception):
    """The worker could not answer: it crashed, ran out of memory, or the engine failed."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


class NoWorker(Exception):
    """No worker became free within the wait; `starting` when none had started yet."""

    def __init__(self, starting: bool = False):
        super().__init__("no query worker could start" if starting else "every query worker is busy")
        self.starting = starting


@dataclass
class Reply:
    content_type: str
    truncated: bool
    size: int
    body: bytes | BinaryIO


def _memory_failure(budget: int) -> WorkerFailed:
    return WorkerFailed(503, f"the query needed more memory than one query may use ({budget >> 20} MiB); "
                             "it was stopped: narrow it down and try again")


def _crash_failure(status: int | None, budget: int) -> WorkerFailed:
    if status == -signal.SIGSEGV:
        return WorkerFailed(400, "the query exhausted the query engine's stack (it is nested or chained too deeply); "
                                 "it was stopped, and nothing else was affected")
    if status == -signal.SIGABRT:  # what the engine does when an allocation fails
        return _memory_failure(budget)
    return WorkerFailed(503, f"the query engine failed on this query (exit status {status}); it was stopped, "
                             "and nothing else was affected")


def _failure(header: tuple, budget: int) -> Exception:
    kind = header[0]
    if kind == "error":
        return ProtocolError(header[1], header[2], header[3])
    if kind == "syntax":
        return QuerySyntaxError(header[1])
    if kind == "timeout":
        return QueryTimeout("time limit")
    if kind == "refused":
        return QueryRefused(header[1])
    if kind == "memory":
        return _memory_failure(budget)
    return WorkerFailed(503, f"the query engine could not run this query: {header[1]}")


class _Overdue(Exception):
    pass


class WorkerPool:
    def __init__(self, location: str, warm: int = 2, most: int = 10, budget: int = 1 << 30):
        self.location, self.warm, self.most, self.budget = location, warm, max(most, 1), budget
        self._cond = threading.Condition()
        self._idle: list[Worker] = []
        self._busy: set[Worker] = set()
        self._alive = 0       # starting, idle or busy
        self._starting = 0
        self._requests: queue.Queue = queue.Queue()
        self._spawner: threading.Thread | None = None
        self._template: Template | None = None
        self._closed = False

    # ---- the spawner thread: every worker is started (and retired) here ----------------------

    def _spawner_main(self) -> None:
        while True:
            try:
                request = self._requests.get(timeout=IDLE_RETIRE_SECONDS)
            except queue.Empty:
                self._retire_extra()
                continue
            if request is None:
                return
            try:
                if self._template is None or not self._template.alive:
                    self._template = Template(self.location, self.budget)
                worker = Worker(self._template, *self._template.fork())
            except (OSError, queue.Empty):
                log.exception("cannot start a query worker")
                worker = None
            threading.Thread(target=self._settle, args=(worker,), name="sparql-worker-ready", daemon=True).start()

    def _settle(self, worker: Worker | None) -> None:
        ready = worker is not None and worker.wait_ready(READY_TIMEOUT)
        if worker is not None and not ready:
            log.error("a query worker did not start (exit status %s)", worker.stop())
        with self._cond:
            self._starting -= 1
            if ready and not self._closed:
                self._idle.append(worker)
            else:
                self._alive -= 1
            self._cond.notify_all()
        if ready and self._closed:
            worker.stop()

    def _retire_extra(self) -> None:
        """One idle worker beyond the warm ones and the spares retires: a burst has passed."""
        with self._cond:
            if self._alive <= self.warm or len(self._idle) <= SPARES:
                return
            worker = self._idle.pop(0)
            self._alive -= 1
        worker.retire()

    def _ensure_spares(self) -> None:
        """Under the lock: ask for workers up to `warm`, and spares while fewer than `most` exist."""
        if self._spawner is None:
            self._spawner = threading.Thread(target=self._spawner_main, name="sparql-workers", daemon=True)
            self._spawner.start()
            atexit.register(self.close)
        while self._alive < self.most and (self._alive < self.warm or len(self._idle) + self._starting < SPARES):
            self._alive += 1
            self._starting += 1
            self._requests.put(True)

    def start(self) -> None:
        with self._cond:
            self._ensure_spares()

    # ---- lending workers ------------------------------------------------------------------

    def _take(self, wait: float) -> Worker:
        asked = time.monotonic()
        end = asked + wait
        with self._cond:
            while not self._idle:
                self._ensure_spares()
                first = not self._busy and self._starting
                if first:  # the first workers are starting: worth the wait, up to a point
                    end = max(end, min(time.monotonic() + 1, asked + STARTING_WAIT))
                remaining = end - time.monotonic()
                if remaining <= 0 or self._closed:
                    raise NoWorker(starting=not self._busy)  # none idle, none busy: none has started
                self._cond.wait(remaining)
            return self._lend()

    def _take_idle(self) -> Worker | None:
        """An idle worker, lent at once; None when every worker is busy or starting."""
        with self._cond:
            return self._lend() if self._idle else None

    def _lend(self) -> Worker:
        """Under the lock, with a worker idle."""
        worker = self._idle.pop()
        self._busy.add(worker)
        self._ensure_spares()
        return worker

    def _give_back(self, worker: Worker) -> None:
        with self._cond:
            self._busy.discard(worker)
            self._idle.append(worker)
            self._cond.notify()

    def _discard(self, worker: Worker) -> int:
        status = worker.stop()
        with self._cond:
            self._busy.discard(worker)
            self._alive -= 1
            if not self._closed:
                self._ensure_spares()
            self._cond.notify_all()
        return status

    def pids(self) -> list[int]:
        with self._cond:
            return [w.pid for w in [*self._idle, *self._busy]]

    # ---- running a job ----------------------------------------------------------------------

    def run(self, job: Job, timeout: float, wait: float) -> Reply:
        """Blocking (call it on a thread): the job's reply within `timeout` seconds of getting a
        worker, which takes at most `wait`. Raises what the store would raise in-process
        (QuerySyntaxError, QueryTimeout, QueryRefused, ProtocolError), WorkerFailed, or NoWorker."""
        worker = self._take(wait)
        deadline = time.monotonic() + timeout
        try:
            worker.conn.send(job)
            header = self._receive(worker, deadline, worker.conn.recv)
            if header[0] != "ok":
                self._give_back(worker)
                raise _failure(header, self.budget)
            _, content_type, truncated, size = header
            body = self._body(worker, deadline, size)
        except _Overdue:
            self._discard(worker)
            raise QueryTimeout("time limit") from None
        except (EOFError, OSError):
            raise _crash_failure(self._discard(worker), self.budget) from None
        self._give_back(worker)
        return Reply(content_type, truncated, size, body)

    async def answer(self, job: Job, timeout: float, wait: float, limiter=None) -> Reply:
        """run(), awaited on the event loop: with a worker idle, the job is sent and its answer
        awaited there, without a thread to hand the request to and back (that hop was 160 us
        of a 470 us ASK); otherwise, and for a result over LOOP_BYTES, on a thread as run()."""
        worker = self._take_idle()
        if worker is None:
            return await _on_thread(self.run, job, timeout, wait, limiter=limiter)
        deadline = time.monotonic() + timeout
        try:
            header, body = await self._exchange(worker, job, deadline, limiter)
        except _Overdue:
            await _on_thread(self._discard, worker)
            raise QueryTimeout("time limit") from None
        except (EOFError, OSError):
            raise _crash_failure(await _on_thread(self._discard, worker), self.budget) from None
        except asyncio.CancelledError:
            # The client went away with the job still running: the worker is stopped, not
            # lent again with an answer still to come.
            threading.Thread(target=self._discard, args=(worker,), name="sparql-worker-stop", daemon=True).start()
            raise
        self._give_back(worker)
        if header[0] != "ok":
            raise _failure(header, self.budget)
        _, content_type, truncated, size = header
        return Reply(content_type, truncated, size, body)

    async def _exchange(self, worker: Worker, job: Job, deadline: float, limiter) -> tuple[tuple, bytes | BinaryIO]:
        worker.conn.send(job)
        await _readable(worker.conn, deadline)
        header = worker.conn.recv()
        if header[0] != "ok":
            return header, b""
        size = header[3]
        if size > LOOP_BYTES:
            return header, await _on_thread(self._body, worker, deadline, size, limiter=limiter)
        if not size:
            return header, b""
        await _readable(worker.conn, deadline)
        return header, worker.conn.recv_bytes()

    @staticmethod
    def _receive(worker: Worker, deadline: float, read):
        if not worker.conn.poll(max(0.0, deadline - time.monotonic())):
            raise _Overdue()
        return read()

    def _body(self, worker: Worker, deadline: float, size: int) -> bytes | BinaryIO:
        if size <= INLINE_BYTES:
            chunks, received = [], 0
            while received < size:
                chunks.append(self._receive(worker, deadline, worker.conn.recv_bytes))
                received += len(chunks[-1])
            return b"".join(chunks)
        spool = tempfile.TemporaryFile()
        try:
            received = 0
            while received < size:
                chunk = self._receive(worker, deadline, worker.conn.recv_bytes)
                spool.write(chunk)
                received += len(chunk)
        except BaseException:
            spool.close()
            raise
        spool.seek(0)
        return spool

    def close(self) -> None:
        with self._cond:
            if self._closed:
                return
            self._closed = True
            workers = [*self._idle, *self._busy]
            self._idle.clear()
            self._cond.notify_all()
        for worker in workers:
            worker.stop()
        self._requests.put(None)
        if self._template is not None:
            self._template.stop()


async def _on_thread(function, *args, limiter=None):
    import anyio  # the server's; the pool itself runs without an event loop too
    return await anyio.to_thread.run_sync(function, *args, limiter=limiter)


async def _readable(conn: Connection, deadline: float) -> None:
    """Until the worker has written to `conn`; _Overdue past the deadline."""
    if conn.poll(0):
        return
    loop = asyncio.get_running_loop()
    ready = loop.create_future()
    fd = conn.fileno()
    loop.add_reader(fd, lambda: ready.done() or ready.set_result(None))
    try:
        await asyncio.wait_for(ready, max(0.0, deadline - time.monotonic()))
    except asyncio.TimeoutError:
        raise _Overdue() from None
    finally:
        loop.remove_reader(fd)


def pool_for(store, limits, most: int = 10) -> WorkerPool | None:
    """A pool over the store's files, for a store on disk (Oxigraph); None for the others: the
    memory store lives only in this process, and the sparql store's queries run in its server."""
    location = getattr(store, "location", None)
    if location is None:
        return None
    return WorkerPool(str(location), most=most, budget=limits.memory_mb << 20)
