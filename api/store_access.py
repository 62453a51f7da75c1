"""Reading the store from request handlers without blocking the event loop."""
from __future__ import annotations

import pyoxigraph as ox
from fastapi import Request
from starlette.concurrency import run_in_threadpool

from skillsgraph.store.base import Dataset, GraphResult, QueryResult, SolutionsResult


async def query(request: Request, sparql: str) -> QueryResult:
    store, limits = request.app.state.store, request.app.state.limits
    return await run_in_threadpool(store.query, sparql, Dataset(), limits)


async def construct(request: Request, sparql: str) -> list[ox.Triple]:
    result = await query(request, sparql)
    assert isinstance(result, GraphResult), "a CONSTRUCT query was expected"
    return result.triples


async def select(request: Request, sparql: str) -> SolutionsResult:
    result = await query(request, sparql)
    assert isinstance(result, SolutionsResult), "a SELECT query was expected"
    return result


def iri_literal(value: str) -> str:
    """An IRI safe to splice into a query: refuse characters IRIs may not contain."""
    if any(c in value for c in '<>"{}|^`\\ \n\r\t'):
        raise ValueError(f"not a valid IRI: {value!r}")
    return f"<{value}>"


def string_literal(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"'
