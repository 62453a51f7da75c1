"""Last-Modified on every document, and 304 for If-Modified-Since.

The served data changes only with a build (or an import), so one time stands for every
document: the newest of the build file's and the imports' modification times. A restart of
the same build reopens the same file, so the time is stable across restarts; a new build
moves it. Over an external store the time is the publication's, from its record: a replica
has no build file of its own. As RFC 9110 asks, If-None-Match (the ETag) wins over If-Modified-Since.
"""
from __future__ import annotations

from datetime import datetime, timezone
from email.utils import format_datetime, parsedate_to_datetime

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from skillsgraph.config import Settings
from skillsgraph.store.base import Store
from skillsgraph.store.sparql_store import SparqlStore


def build_time(settings: Settings) -> datetime:
    """When the served data last changed, to the second (HTTP dates have no finer grain)."""
    files = [settings.build_file, *sorted((settings.home / "imports").glob("*.nq"))]
    stamps = [f.stat().st_mtime for f in files if f.is_file()]
    seconds = int(max(stamps)) if stamps else 0
    return datetime.fromtimestamp(seconds, tz=timezone.utc)


def data_time(settings: Settings, store: Store) -> datetime:
    """When the data this store serves last changed: its publication's time, else the build's."""
    published = store.published_at() if isinstance(store, SparqlStore) else None
    return published or build_time(settings)


def http_date(moment: datetime) -> str:
    return format_datetime(moment, usegmt=True)


def _since(value: str | None) -> datetime | None:
    """The If-Modified-Since date, or None when absent or not a date (then it is ignored)."""
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


class LastModifiedMiddleware:
    """Adds Last-Modified to successful GET/HEAD answers that lack one; turns them into a 304
    when the client's copy is as new as the data."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        modified = scope["app"].state.generation.modified  # the served data's (api/served.py)
        header = http_date(modified)
        request_headers = Headers(scope=scope)
        since = _since(request_headers.get("if-modified-since"))
        fresh = since is not None and "if-none-match" not in request_headers and modified <= since
        swallowing = False

        async def send_with_date(message: Message) -> None:
            nonlocal swallowing
            if message["type"] == "http.response.start" and message["status"] in (200, 304):
                headers = MutableHeaders(scope=message)
                headers.setdefault("Last-Modified", header)
                if message["status"] == 200 and fresh and headers.get("last-modified") == header:
                    message = _not_modified(message)
                    swallowing = True
            elif message["type"] == "http.response.body" and swallowing:
                if message.get("more_body", False):
                    return  # the body the client already has is dropped
                message = {"type": "http.response.body", "body": b""}
            await send(message)

        await self.app(scope, receive, send_with_date)


def _not_modified(start: Message) -> Message:
    keep = {b"etag", b"last-modified", b"vary", b"link", b"cache-control", b"content-location", b"expires"}
    headers = [(k, v) for k, v in start["headers"] if k.lower() in keep]
    return {"type": "http.response.start", "status": 304, "headers": headers}


__all__ = ["LastModifiedMiddleware", "build_time", "data_time", "http_date"]
