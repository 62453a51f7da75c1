"""Reading a SPARQL 1.1 Protocol request (https://www.w3.org/TR/sparql11-protocol/): the query
and its dataset from GET, a form POST or a direct POST, every malformed request a clear 4xx.

Updates are refused before anything runs, whichever way they come (an `update` parameter, a
POST of application/sparql-update).
"""
from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl

import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import PlainTextResponse

from skillsgraph.store.base import Dataset

READ_ONLY = "this endpoint is read-only: SPARQL Update, LOAD ... are not accepted"
FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
UPDATE = "application/sparql-update"
ALLOWED_METHODS = "GET, HEAD, POST, OPTIONS"
MAX_BODY = 1 << 20  # bytes: far beyond any hand-written query
BODY_SECONDS = 10.0  # for the whole body to arrive
# A body refused unread: the connection ends with the answer, so the rest is never read.
_CLOSE = {"Connection": "close"}

_SYNTAX_POSITION = re.compile(r"^error at (\d+):(\d+):\s*", re.S)


class ProtocolError(Exception):
    """A request the endpoint answers with a 4xx/5xx and a plain message."""

    def __init__(self, status: int, message: str, headers: dict | None = None):
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers or {}


def plain(status: int, message: str, headers: dict | None = None) -> PlainTextResponse:
    return PlainTextResponse(f"{status} {message}\n", status_code=status,
                             headers={"Vary": "Accept", **(headers or {})})


@dataclass
class Operation:
    query: str | None
    dataset: Dataset


def _decode_utf8(data: bytes, what: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProtocolError(400, f"{what} is not valid UTF-8: the byte at offset {exc.start} (0x{data[exc.start]:02x}) "
                                 f"cannot be decoded; SPARQL requests must be sent in UTF-8") from None


def _parse_pairs(text: str, what: str) -> list[tuple[str, str]]:
    try:
        return parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict")
    except UnicodeDecodeError as exc:
        raise ProtocolError(400, f"{what} holds a percent-encoded value that is not UTF-8 ({exc.reason} at "
                                 f"byte {exc.start} of the decoded value); encode parameters as UTF-8") from None
    except ValueError as exc:
        raise ProtocolError(400, f"{what} cannot be read: {exc}") from None


def _url_pairs(request: Request) -> list[tuple[str, str]]:
    raw = request.scope.get("query_string", b"")
    return _parse_pairs(_decode_utf8(raw, "the URL's query string"), "the URL's query string")


def _values(pairs: list[tuple[str, str]], name: str) -> list[str]:
    return [v for k, v in pairs if k == name]


def _check_no_update(pairs: list[tuple[str, str]]) -> None:
    if any(k == "update" for k, _ in pairs):
        raise ProtocolError(403, f"{READ_ONLY} (the request has an 'update' parameter)")


def _dataset(pairs: list[tuple[str, str]]) -> Dataset:
    graphs = {}
    for name in ("default-graph-uri", "named-graph-uri"):
        values = _values(pairs, name)
        for value in values:
            try:
                ox.NamedNode(value)
            except ValueError:
                raise ProtocolError(400, f"{name} {value!r} is not an absolute IRI") from None
        graphs[name] = tuple(dict.fromkeys(values))
    return Dataset(default_graphs=graphs["default-graph-uri"], named_graphs=graphs["named-graph-uri"])


def _single_query(values: list[str], where: str) -> str | None:
    if len(values) > 1:
        raise ProtocolError(400, f"the request has {len(values)} 'query' parameters {where}; send exactly one")
    return values[0] if values else None


def _media_type(request: Request) -> tuple[str | None, dict[str, str]]:
    header = request.headers.get("content-type")
    if header is None or not header.strip():
        return None, {}
    main, *params = header.split(";")
    parsed = {}
    for param in params:
        key, _, value = param.partition("=")
        parsed[key.strip().lower()] = value.strip().strip('"')
    return main.strip().lower(), parsed


def _check_charset(params: dict[str, str], media: str) -> None:
    charset = params.get("charset")
    if charset is not None and charset.lower().replace("_", "-") not in ("utf-8", "utf8"):
        raise ProtocolError(400, f"the body is declared as {media}; charset={charset}, but SPARQL requests "
                                 "must be sent in UTF-8 (charset=utf-8 or no charset)")


async def _read_body(request: Request) -> bytes:
    """The body, refused (413) as soon as it passes MAX_BODY, whether it declared its length or
    comes in chunks, and (408) when it does not arrive in time (shorter than its Content-Length)."""
    declared = request.headers.get("content-length", "")
    if declared.isascii() and declared.isdigit() and (len(declared) > 12 or int(declared) > MAX_BODY):
        raise ProtocolError(413, f"the request body has {declared} bytes; at most {MAX_BODY} are accepted", _CLOSE)
    chunks: list[bytes] = []
    size = 0

    async def read() -> None:
        nonlocal size
        async for chunk in request.stream():
            size += len(chunk)
            if size > MAX_BODY:
                raise ProtocolError(413, f"the request body has more than {MAX_BODY} bytes, the most accepted", _CLOSE)
            chunks.append(chunk)
    try:
        await asyncio.wait_for(read(), BODY_SECONDS)
    except asyncio.TimeoutError:
        raise ProtocolError(408, f"the request body did not arrive within {BODY_SECONDS:g} s (is it shorter than "
                                 "its Content-Length?)", _CLOSE) from None
    return b"".join(chunks)


async def post_operation(request: Request) -> Operation:
    media, params = _media_type(request)
    url_pairs = _url_pairs(request)
    _check_no_update(url_pairs)
    if media is None:
        raise ProtocolError(415, f"a POST needs a Content-Type: {FORM} (query=...) or {DIRECT} (the query as "
                                 "the body); this request has none")
    if media == UPDATE:
        raise ProtocolError(403, f"{READ_ONLY} (the request is a POST of {UPDATE})")
    if media not in (FORM, DIRECT):
        raise ProtocolError(415, f"a POST of {media} is not a SPARQL query; send {FORM} (query=...) "
                                 f"or {DIRECT} (the query as the body)")
    _check_charset(params, media)
    body = await _read_body(request)
    if media == FORM:
        text = _decode_utf8(body, "the form body")
        body_pairs = _parse_pairs(text, "the form body")
        _check_no_update(body_pairs)
        pairs = url_pairs + body_pairs
        query = _single_query(_values(pairs, "query"), "in the URL and form body")
        if query is None:
            raise ProtocolError(400, f"the form body has no 'query' parameter; send query=... ({FORM})")
        return Operation(query, _dataset(pairs))
    if _values(url_pairs, "query"):
        raise ProtocolError(400, f"the query is given twice: as the {DIRECT} body and as a 'query' parameter "
                                 "in the URL; send it once")
    return Operation(_decode_utf8(body, "the request body"), _dataset(url_pairs))


def get_operation(request: Request) -> Operation:
    pairs = _url_pairs(request)
    _check_no_update(pairs)
    return Operation(_single_query(_values(pairs, "query"), "in the URL"), _dataset(pairs))


def syntax_message(text: str, query: str) -> str:
    """The parser's message with its position spelled out, and the line in question with a caret."""
    m = _SYNTAX_POSITION.match(text)
    if not m:
        return f"SPARQL syntax error: {' '.join(text.split())}"
    line, column = int(m.group(1)), int(m.group(2))
    detail = " ".join(text[m.end():].split())
    if len(detail) > 300:
        detail = detail[:297] + "..."
    message = f"SPARQL syntax error at line {line}, column {column}: {detail}"
    lines = query.split("\n")
    if 1 <= line <= len(lines):
        source = lines[line - 1].rstrip("\r").replace("\t", " ")
        start = max(0, column - 60)
        message += f"\n  {source[start:start + 120]}\n  {' ' * (column - 1 - start)}^"
    return message


def not_acceptable(accept: str | None, offers: list[str], what: str) -> ProtocolError:
    return ProtocolError(406, f"none of the requested types ({accept}) can be served for {what}; "
                              f"available: {', '.join(offers)}")
