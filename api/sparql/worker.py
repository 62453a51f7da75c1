"""A query worker process: opens the store read-only and answers one job at a time.

Started by sparql/workers.py as `python -m skillsgraph.api.sparql.worker FD STORE BUDGET PARENT`.
FD is its end of a socket pair; each job comes as a pickled Job and is answered by a header
tuple and, for a result, its bytes in chunks (so neither side copies a large result whole
into one message). The process confines itself first (sparql/sandbox.py).
"""
from __future__ import annotations

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


def main(fd: int, location: str, budget: int, parent: int) -> None:
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


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
