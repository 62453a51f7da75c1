"""Rendered documents kept for reuse, bounded in bytes, each representation held once.

The store is read-only while serving, so a rendered document never goes stale; what must not
happen is that varying what does not change the document (an Accept spelt another way, a
parameter no route reads) stores it again. Two maps:

- request -> representation: a digest of what a route reads from the request (the resource,
  its location base, Accept, Accept-Profile and the parameters it takes), a few bytes each, at
  most REQUESTS;
- representation -> response: by resource, location base, parameters, Content-Type,
  Content-Profile and ETag, so every Accept negotiated to the same document shares one copy; at
  most BYTE_BUDGET bytes, least recently used first out. (By location base, api/locations.py: a
  document's links are built from it, and one client's Host must never reach another's answer.)

A request carrying a parameter no route reads is answered but not cached: its links (which
repeat the request's parameters) belong to it alone.
"""
from __future__ import annotations

import hashlib
from collections import OrderedDict

from fastapi import Request, Response

from . import locations
from .bounded_map import BoundedMap

KNOWN_PARAMETERS = {"format", "_profile", "iri"}
REQUESTS = 65536
BYTE_BUDGET = 64 << 20


def request_key(request: Request, resource) -> tuple[bytes, tuple] | None:
    """What the route reads from this request, as a digest, and the part of it that shapes the
    document beyond its negotiation (the resource, the host its links are on, the parameters
    its links repeat); None when the request is not to be cached."""
    params = request.query_params.multi_items()
    if any(name not in KNOWN_PARAMETERS for name, _ in params):
        return None
    shape = (resource, locations.base(request), tuple(sorted(params)))
    digest = hashlib.blake2b(digest_size=16)
    for part in (repr(shape), request.headers.get("accept", ""), request.headers.get("accept-profile", "")):
        digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
    return digest.digest(), shape


def _size(response: Response) -> int:
    return len(getattr(response, "body", b"")) + sum(len(k) + len(v) for k, v in response.raw_headers) + 256


class DocumentCache:
    def __init__(self, byte_budget: int = BYTE_BUDGET, requests: int = REQUESTS):
        self.byte_budget, self.requests = byte_budget, requests
        self._requests: OrderedDict[bytes, tuple] = OrderedDict()
        self._documents: BoundedMap[Response] = BoundedMap(byte_budget, _size)

    @property
    def bytes(self) -> int:
        return self._documents.bytes

    def get(self, key: tuple[bytes, tuple]) -> Response | None:
        representation = self._requests.get(key[0])
        if representation is None:
            return None
        response = self._documents.get(representation)
        if response is None:
            del self._requests[key[0]]  # its document was evicted
            return None
        self._requests.move_to_end(key[0])
        return response

    def put(self, key: tuple[bytes, tuple], response: Response) -> Response:
        """Keep the response (or the copy already held of the same document); the one to send."""
        headers = response.headers
        representation = (key[1], headers.get("content-type"), headers.get("content-profile"), headers.get("etag"),
                          response.status_code)
        held = self._documents.get(representation)
        if held is None:
            if not self._documents.put(representation, response):
                return response  # too large to keep beside the others
            held = response
        self._requests[key[0]] = representation
        self._requests.move_to_end(key[0])
        while len(self._requests) > self.requests:
            self._requests.popitem(last=False)
        return held
