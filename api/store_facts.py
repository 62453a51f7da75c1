"""What the served store holds, counted once: its named graphs with their triple counts, the
distinct triples of their union, the sources and the framework releases.

/dataset and the SPARQL service description state these. The store never changes while it is
served, so they are counted once per app, the first time they are needed or, under a server,
as soon as it starts (`warm`): counting the union is a full scan (tens of seconds once O*NET is
imported), which is why it runs without the per-query time limit, never per request, and once
for concurrent first requests alike.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass

import pyoxigraph as ox
from fastapi import Request
from starlette.concurrency import run_in_threadpool

from skillsgraph.store.base import GraphInfo, Limits, Store

from .store_access import Reader

# Counting is not a client's query: it may take as long as the store needs.
COUNTING = Limits(timeout_seconds=3600, max_results=10_000_000)


@dataclass(frozen=True)
class StoreFacts:
    graphs: tuple[GraphInfo, ...]
    union_triples: int
    sources: tuple[ox.NamedNode, ...]
    releases: tuple[ox.NamedNode, ...]


def count(store: Store) -> StoreFacts:
    reader = Reader(store, COUNTING)
    union = reader.select("triple-count")
    return StoreFacts(tuple(store.graphs()), int(union[0]["n"].value) if union else 0,
                      tuple(row["s"] for row in reader.select("sources")),
                      tuple(row["r"] for row in reader.select("releases")))


class FactsOnce:
    """The store's facts, counted by the first caller; later and concurrent callers wait for them."""

    def __init__(self, store: Store):
        self._store = store
        self._lock = threading.Lock()
        self._facts: StoreFacts | None = None

    def get(self) -> StoreFacts:
        with self._lock:
            if self._facts is None:
                self._facts = count(self._store)
            return self._facts

    def warm(self) -> None:
        """Start counting in the background, so that the first request finds the facts ready."""
        threading.Thread(target=self.get, name="store-facts", daemon=True).start()


async def facts(request: Request) -> StoreFacts:
    return await run_in_threadpool(request.app.state.generation.facts.get)


__all__ = ["StoreFacts", "FactsOnce", "count", "facts"]
