"""`skillsgraph serve --workers N`: N API processes on one port (uvicorn's workers), each with
its own store opened read-only, none of them loading or writing anything.

The parent prepares what is served once (the build, and for the embedded store the on-disk
store, loaded if need be), then hands each worker what to open through the environment
(SKILLSGRAPH_REPLICA, JSON): the on-disk store's location or the external server's endpoints.
The memory store has no replicas: each process would parse the whole build again.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from fastapi import FastAPI

from skillsgraph.config import Settings
from skillsgraph.store.base import Limits

ENV = "SKILLSGRAPH_REPLICA"


def describe(kind: str, location: Path | None, limits: Limits) -> str:
    """What a worker opens, as the environment carries it (an external server's endpoints come
    from the SKILLSGRAPH_SPARQL_* settings every worker inherits: no password travels here)."""
    return json.dumps({"kind": kind, "location": str(location) if location else None,
                       "limits": [limits.timeout_seconds, limits.max_results, limits.memory_mb]})


def app() -> FastAPI:
    """One worker's app (uvicorn's factory)."""
    import pyoxigraph as ox

    from skillsgraph.api.app import create_app
    from skillsgraph.store.endpoints import endpoints_from
    from skillsgraph.store.factory import open_sparql
    from skillsgraph.store.oxigraph_store import OxigraphStore
    replica = json.loads(os.environ[ENV])
    timeout, max_results, memory = replica["limits"]
    if replica["kind"] == "sparql":
        store = open_sparql(endpoints_from(None))
    else:
        location = Path(replica["location"])
        store = OxigraphStore(ox.Store.read_only(str(location)), location)
    return create_app(Settings(), store, Limits(timeout_seconds=timeout, max_results=max_results, memory_mb=memory))
