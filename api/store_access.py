"""The one way the API reads the store: its fixed queries, by name, run with bound values.

Each fixed query is a file api/queries/<name>.rq whose header says what it answers and which
variables a caller binds; the PREFIX lines of skillsgraph.vocab go before its text here, so
no query spells a namespace. Values are pyoxigraph terms handed to the store, never text.

`Reader` runs queries where blocking is fine (worker threads: page rendering, profile
documents, dumps); the async functions run one off the event loop, for request handlers.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
from fastapi import Request
from starlette.concurrency import run_in_threadpool

from skillsgraph.store.base import Dataset, GraphResult, Limits, SolutionsResult, Store, Term, Values
from skillsgraph.vocab import sparql_prefixes

from .model.recent import Recent

QUERIES = Path(__file__).resolve().parent / "queries"


@lru_cache(maxsize=None)
def query_text(name: str) -> str:
    return sparql_prefixes() + (QUERIES / f"{name}.rq").read_text(encoding="utf-8")


def iri(value: str) -> ox.NamedNode:
    """An IRI as a term; ValueError when it is not a valid IRI (a malformed path, say)."""
    return ox.NamedNode(value)


class Reader:
    """Fixed queries over one store, on the calling thread; `recent` keeps the read models made
    from them in the serving generation (None: every model is read anew)."""

    def __init__(self, store: Store, limits: Limits, recent: Recent | None = None):
        self.store, self.limits, self.recent = store, limits, recent

    def select(self, name: str, values: Values | None = None, **bindings: Term) -> list[dict[str, Term]]:
        result = self.store.query(query_text(name), Dataset(), self.limits, bindings=bindings or None, values=values)
        assert isinstance(result, SolutionsResult), f"{name}.rq is a SELECT query"
        return result.rows

    def construct(self, name: str, values: Values | None = None, **bindings: Term) -> list[ox.Triple]:
        result = self.store.query(query_text(name), Dataset(), self.limits, bindings=bindings or None, values=values)
        assert isinstance(result, GraphResult), f"{name}.rq is a CONSTRUCT query"
        return result.triples


def reader(request: Request) -> Reader:
    state = request.app.state
    return Reader(state.store, state.limits, state.generation.kept("recent read models", Recent))


async def select(request: Request, name: str, values: Values | None = None, **bindings: Term) -> list[dict[str, Term]]:
    return await run_in_threadpool(reader(request).select, name, values, **bindings)


async def construct(request: Request, name: str, **bindings: Term) -> list[ox.Triple]:
    return await run_in_threadpool(reader(request).construct, name, **bindings)


def value(term: Term | None) -> str | None:
    """A term's lexical value, None for an unbound variable."""
    return None if term is None else term.value


__all__ = ["Reader", "reader", "select", "construct", "query_text", "iri", "value"]
