"""Where a client fetches things: locations on the host that served the answer.

IRIs are identifiers and stay in the namespace (by default https://w3id.org/skillsgraph/,
which resolves only through the redirect registered for it, deploy/w3id.htaccess). Every link
a client is meant to follow (JSON-LD contexts, paging, the SPARQL endpoint, dumps and
downloads, alternates, sitemap entries) is a location on this server instead: at
SKILLSGRAPH_PUBLIC_URL when set (behind a proxy the request's own Host is the proxy's
backend, not the address clients use), else at the request's own base URL. This module is
the one place a path becomes a location.
"""
from __future__ import annotations

import re
from urllib.parse import quote

from fastapi import HTTPException, Request

# What may stay as it is in a location's path and query (RFC 3986's unreserved and sub-delims,
# and ':' '@' '/' '?'): anything else a request carried (a space, '<', '"', non-ASCII) is
# percent-encoded, so that a location is always a URI, safe in a Link header and in a page.
_PATH_SAFE = "/:@!$&'()*+,;=-._~"
_QUERY_SAFE = _PATH_SAFE + "?%"
# A Host header as RFC 3986 has a host and port: a name or an IPv4 address, or an IPv6 one in brackets.
_HOST = re.compile(r"(?:[A-Za-z0-9._~-]+|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?")


def base(request: Request) -> str:
    """The location of the server's root, ending in '/'."""
    public = request.app.state.settings.public_url
    if public:
        return public
    host = request.headers.get("host")
    if host is not None and not _HOST.fullmatch(host):
        # Links are made from it: one that is no host would make them no URLs.
        raise HTTPException(400, detail=f"the Host header {host!r} is not a host name or address with an optional port")
    return str(request.base_url).rstrip("/") + "/"


def location(request: Request, path: str) -> str:
    """The location of a path of this server (given with or without its leading '/')."""
    return base(request) + path.lstrip("/")


def here(request: Request) -> str:
    """The location of what was requested, without its query string."""
    path = request.url.path
    root = request.scope.get("root_path") or ""
    if root and path.startswith(root):
        path = path[len(root):]
    return location(request, quote(path, safe=_PATH_SAFE))


def query_string(request: Request) -> str:
    """The request's query string, '?' first, percent-encoded where it must be ('' without one)."""
    query = quote(request.url.query, safe=_QUERY_SAFE)
    return f"?{query}" if query else ""


def requested(request: Request) -> str:
    """The location of what was requested, its query string included (an answer computed from it)."""
    return here(request) + query_string(request)


__all__ = ["base", "location", "here", "query_string", "requested"]
