"""Query worker processes: each opens the store read-only and answers one job at a time.

sparql/workers.py starts one template process, `python -m skillsgraph.api.sparql.worker
CONTROL STORE BUDGET PARENT`, which has imported everything a worker needs but opened
nothing, and stays single-threaded. For each worker the server sends it one end of a socket
pair over CONTROL; the template forks, and the child opens the store and serves jobs on that
socket: a fresh worker costs a fork and a store opening (tens of milliseconds), not a new
interpreter (half a second of CPU). The template reaps its children and tells the server how
each ended ("exited PID STATUS"), the status saying why a query's worker died.

A job comes as a pickled Job and is answered by a header tuple and, for a result, its bytes
in chunks (so neither side copies a large result whole into one message). A worker confines
itself first (sparql/sandbox.py).
"""
from __future__ import annotations

import os
import select
import socket
import sys
from multiprocessing.connection import Connection

import pyoxigraph as ox

from skillsgraph.store.base import QueryRefused, QuerySyntaxError, QueryTimeout
from skillsgraph.store.oxigraph_store import OxigraphStore

from . import sandbox
from .evaluation import Job, evaluate
from .policy import SERVICE_REFUSED
from .protocol import ProtocolError

CHUNK = 1 << 20


def answer(conn: Connection, store: OxigraphStore, job: Job) -> None:
    try:
        result = evaluate(store, job)
    except ProtocolError as exc:
        conn.send(("error", exc.status, exc.message, exc.headers))
    except QuerySyntaxError as exc:
        conn.send(("syntax", str(exc)))
    except QueryTimeout:
        conn.send(("timeout",))
    except QueryRefused as exc:
        conn.send(("refused", str(exc)))
    except MemoryError:
        conn.send(("memory",))
    except PermissionError:  # the network filter stopped the engine opening a connection: a SERVICE call
        conn.send(("error", 403, SERVICE_REFUSED, {}))
    except Exception as exc:  # the engine's own failures (a SERVICE call it may not make, say)
        conn.send(("failed", f"{type(exc).__name__}: {exc}"))
    else:
        body = memoryview(result.body)
        conn.send(("ok", result.content_type, result.truncated, len(body)))
        for start in range(0, len(body), CHUNK):
            conn.send_bytes(body[start:start + CHUNK])


def serve_jobs(fd: int, location: str, budget: int, parent: int) -> None:
    sandbox.die_with_parent(parent)
    conn = Connection(fd)
    store = OxigraphStore(ox.Store.read_only(location))
    offline = sandbox.no_network()
    sandbox.lower_priority()
    sandbox.cap_memory(budget)
    conn.send(("ready", offline))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return  # the pool closed its end: retired, or the server is stopping
        answer(conn, store, job)


def _fork_worker(control: socket.socket, fd: int, location: str, budget: int) -> None:
    template = os.getpid()
    pid = os.fork()
    if pid == 0:
        status = 1
        try:
            control.close()
            serve_jobs(fd, location, budget, template)
            status = 0
        finally:
            os._exit(status)
    os.close(fd)
    control.sendall(f"spawned {pid}\n".encode())


def _reap(control: socket.socket) -> None:
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        control.sendall(f"exited {pid} {os.waitstatus_to_exitcode(status)}\n".encode())


def template(control_fd: int, location: str, budget: int, parent: int) -> None:
    sandbox.die_with_parent(parent)
    control = socket.socket(fileno=control_fd)
    while True:
        ready, _, _ = select.select([control], [], [], 0.05)
        _reap(control)
        if not ready:
            continue
        message, fds, _, _ = socket.recv_fds(control, 16, 4)
        if not message:
            return  # the server has gone: its workers follow (they die with this process)
        for fd in fds:
            _fork_worker(control, fd, location, budget)


if __name__ == "__main__":
    template(int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
