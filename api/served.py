"""What an app keeps of the data it serves, as one generation per publication.

Everything the API remembers of the data (rendered documents, resource reads, the read models
of the releases read last, the counted facts, the sitemap, the search index, the CASE
catalogue, vocabulary labels, Last-Modified) belongs to the generation it was read from. The
embedded store never changes while served: its one generation lasts as long as the app. An
external store's data is replaced by `skillsgraph publish` under running replicas; the sparql
store reads the publication's record again at most every `refresh_seconds`, and the first
request that sees a new digest starts a new generation, so no replica keeps answering from what
it read of the previous publication. A request holds the generation it began with: what it
renders lands in that generation's caches, never in the next one's.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable, TypeVar

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Receive, Scope, Send

from skillsgraph.store.base import QueryTimeout, StoreUnavailable
from skillsgraph.store.sparql_store import NotPublished, SparqlStore

from .bounded_map import BoundedMap
from .document_cache import DocumentCache
from .freshness import data_time
from .store_facts import FactsOnce

T = TypeVar("T")


@dataclass
class Generation:
    identity: str | None  # the publication's digest; None for a store whose data never changes
    modified: datetime  # Last-Modified of every document, the sitemap's lastmod
    facts: FactsOnce
    reads: BoundedMap  # what the store answered for a resource, by kind of read and IRI
    documents: DocumentCache = field(default_factory=DocumentCache)  # rendered answers (api/rendered.py)
    pending: dict = field(default_factory=dict)  # renderings in progress, shared by concurrent requests
    _kept: dict[str, object] = field(default_factory=dict)
    _locks: dict[str, threading.Lock] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def kept(self, name: str, make: Callable[[], T]) -> T:
        """What `make` returns, made once in this generation (concurrent callers wait for it)."""
        with self._lock:
            lock = self._locks.setdefault(name, threading.Lock())
        with lock:
            if name not in self._kept:
                self._kept[name] = make()
            return self._kept[name]  # type: ignore[return-value]

    def held(self, name: str):
        """What was kept under this name, or None (for what is made by awaiting)."""
        return self._kept.get(name)

    def keep(self, name: str, value: T) -> T:
        """Keeps value under name unless something already is; what is kept."""
        with self._lock:
            return self._kept.setdefault(name, value)  # type: ignore[return-value]


def begin(app: FastAPI, identity: str | None, reads: BoundedMap) -> Generation:
    """A new generation of what the app keeps, for the data its store serves now."""
    state = app.state
    return Generation(identity, data_time(state.settings, state.store), FactsOnce(state.store), reads)


def identity_of(store) -> str | None:
    """What names the data served now: the publication's digest over an external store."""
    return store.record().digest if isinstance(store, SparqlStore) else None


class GenerationMiddleware:
    """Starts a new generation when the external store serves a new publication. The record is
    read on a worker thread, at most once per the store's refresh interval (a blocking read)."""

    def __init__(self, app: ASGIApp, new_reads: Callable[[], BoundedMap]):
        self.app = app
        self.new_reads = new_reads
        self._lock = threading.Lock()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and isinstance(scope["app"].state.store, SparqlStore):
            await self._follow(scope["app"])
        await self.app(scope, receive, send)

    async def _follow(self, app: FastAPI) -> None:
        store: SparqlStore = app.state.store
        try:
            record = store.held_record() or await run_in_threadpool(store.record)
        except (StoreUnavailable, QueryTimeout, NotPublished):
            return  # the request's own read meets it too, and answers with its 503
        if record.digest != app.state.generation.identity:
            with self._lock:
                if record.digest != app.state.generation.identity:
                    app.state.generation = begin(app, record.digest, self.new_reads())
                    app.state.generation.facts.warm()


__all__ = ["Generation", "GenerationMiddleware", "begin", "identity_of"]
