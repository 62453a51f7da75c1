"""Answers rendered once and kept for the life of the app.

The store is read-only while served, so an answer made for one request never goes stale for
another with the same location (the base URL its links are made from), path, query string and
negotiation headers. Concurrent misses on one key share a single rendering instead of each
making the same document; a client that already holds the answer's ETag gets a 304.
"""
from __future__ import annotations

import asyncio
from typing import Awaitable, Callable

from fastapi import Request, Response

from . import locations

CACHE_SIZE = 4096
NOT_MODIFIED_HEADERS = ("etag", "vary", "link", "cache-control", "content-profile", "last-modified")


def _key(request: Request) -> tuple:
    headers = request.headers
    return (locations.base(request), request.url.path, request.url.query, headers.get("accept", ""),
            headers.get("accept-profile", ""))


async def cached(request: Request, render: Callable[[], Awaitable[Response]]) -> Response:
    cache, pending = request.app.state.document_cache, request.app.state.document_pending
    key = _key(request)
    if key not in cache:
        task = pending.get(key)
        if task is None:
            request.state.unconditional = True  # the cached copy must be the full 200, not a 304
            task = pending[key] = asyncio.ensure_future(render())
            task.add_done_callback(lambda _t: pending.pop(key, None))
        rendered = await asyncio.shield(task)
        cache[key] = rendered
        if len(cache) > CACHE_SIZE:
            cache.pop(next(iter(cache)))
    response = cache[key]
    etag = response.headers.get("etag")
    if etag and etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers={k: v for k, v in response.headers.items()
                                                  if k.lower() in NOT_MODIFIED_HEADERS})
    return response


__all__ = ["cached"]
