"""HEAD on every GET route (RFC 9110 §9.3.2): the headers GET would send, and no body.

The request runs as the GET it stands for, so that every route, negotiation and conditional
answers HEAD exactly as GET; the body is dropped, and a streamed body (a dump) is stopped at
its first chunk rather than made in full for nobody.
"""
from __future__ import annotations

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Set in the scope of a HEAD answered as its GET: a route whose GET is costly to start (a dump
# not written yet) may answer it more cheaply.
HEAD = "skillsgraph.head"


def is_head(request: Request) -> bool:
    return bool(request.scope.get(HEAD))


class _BodyDropped(Exception):
    """Raised into the app once the headers are sent: the rest of a streamed body is not wanted."""


class HeadAsGetMiddleware:
    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return
        started = False

        async def headers_only(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                await send(message)
            elif message["type"] == "http.response.body":
                if message.get("more_body", False):
                    raise _BodyDropped
                await send({"type": "http.response.body", "body": b""})
            else:
                await send(message)

        try:
            await self.app({**scope, "method": "GET", HEAD: True}, receive, headers_only)
        except _BodyDropped:
            await send({"type": "http.response.body", "body": b""})
        except Exception:
            if not started:
                raise
            # The headers went out; whatever failed after them belongs to the body HEAD drops.
            await send({"type": "http.response.body", "body": b""})


__all__ = ["HEAD", "HeadAsGetMiddleware", "is_head"]
