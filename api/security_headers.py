"""The headers that keep a browser from misreading or misusing an answer, on every answer.

Every answer: `X-Content-Type-Options: nosniff` (a Turtle or CSV document is never run as a
script or shown as a page because it looks like one) and a Referrer-Policy that sends other
sites the origin only. Pages also get a Content-Security-Policy that lets them load only what
this server serves (their scripts and styles are the package's own, under /static; YASGUI and
Swagger UI included), never inline script, and that forbids framing them elsewhere
(frame-ancestors, and X-Frame-Options for older browsers). The data stays readable from any
origin (Access-Control-Allow-Origin: *, set by the CORS middleware).
"""
from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

EVERY_ANSWER = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "strict-origin-when-cross-origin"}
# data: images are the vendored Swagger UI stylesheet's own (inlined icons).
PAGE_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
               "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
               "frame-ancestors 'none'")
PAGES = {"Content-Security-Policy": PAGE_POLICY, "X-Frame-Options": "DENY"}
PAGE_TYPES = ("text/html", "application/xhtml+xml")


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                added = dict(EVERY_ANSWER)
                if headers.get("content-type", "").lower().startswith(PAGE_TYPES):
                    added.update(PAGES)
                for name, value in added.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)


__all__ = ["SecurityHeadersMiddleware", "PAGE_POLICY"]
