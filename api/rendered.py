"""Answers rendered once and kept (document_cache.DocumentCache: bounded in bytes, each
representation held once).

The data is read-only while served (a new publication starts a new generation of these caches,
api/served.py), so an answer made for one request never goes stale for
another with the same location (the base URL its links are made from), path, parameters and
negotiation headers. Concurrent misses on one key share a single rendering instead of each
making the same document; a client that already holds the answer's ETag gets a 304.
"""
from __future__ import annotations

import asyncio
from typing import Awaitable, Callable

from fastapi import Request, Response

from .document_cache import request_key

NOT_MODIFIED_HEADERS = ("etag", "vary", "link", "cache-control", "content-profile", "last-modified")


async def cached(request: Request, render: Callable[[], Awaitable[Response]]) -> Response:
    generation = request.app.state.generation  # this request's, to the end (api/served.py)
    cache, pending = generation.documents, generation.pending
    key = request_key(request, request.url.path)
    if key is None:
        return await render()
    response = cache.get(key)
    if response is None:
        task = pending.get(key[0])
        if task is None:
            request.state.unconditional = True  # the cached copy must be the full 200, not a 304
            task = pending[key[0]] = asyncio.ensure_future(render())
            task.add_done_callback(lambda _t: pending.pop(key[0], None))
        response = cache.put(key, await asyncio.shield(task))
    etag = response.headers.get("etag")
    if etag and etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers={k: v for k, v in response.headers.items()
                                                  if k.lower() in NOT_MODIFIED_HEADERS})
    return response


__all__ = ["cached"]
