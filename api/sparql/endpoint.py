"""The read-only SPARQL 1.1 Protocol endpoint at /sparql (https://www.w3.org/TR/sparql11-protocol/).

Queries come by GET (?query=), by POST as a form (application/x-www-form-urlencoded) or
directly (application/sparql-query). Results are negotiated by Accept (api/sparql_results.py);
GET without a query answers the service description (api/service_description.py), or the
query page for a browser. Updates and SERVICE are refused before anything runs.

Queries run on worker threads, never on the event loop, and a request waits for its
query at most the time limit (plus a small margin): a query that produces nothing for
longer (a big aggregate, a sort) still gets its 503 on time. Its thread cannot be stopped
from outside and finishes on its own, so it keeps its place under the concurrency bound
until then: at most MAX_RUNNING queries run at once and at most MAX_ADMITTED are
admitted (running or waiting); beyond that the answer is an immediate 503.
"""
from __future__ import annotations

import asyncio
import inspect
import re
import threading
from dataclasses import dataclass
from typing import Any, Callable
from urllib.parse import parse_qsl

import pyoxigraph as ox
from fastapi import APIRouter, Request, Response
from fastapi.responses import PlainTextResponse

from skillsgraph.store.base import (
    Dataset, GraphResult, Limits, QueryRefused, QuerySyntaxError, QueryTimeout, SolutionsResult,
)

from . import service_description, sparql_results as results
from .negotiation import choose
from .query_policy import holds_update, refuses_service, update_keyword

router = APIRouter(tags=["SPARQL"])

MAX_RUNNING = 4
MAX_ADMITTED = 32
TRUNCATED_HEADER = service_description.TRUNCATED_HEADER
READ_ONLY = "this endpoint is read-only: SPARQL Update, LOAD ... are not accepted"
FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
UPDATE = "application/sparql-update"
ALLOWED_METHODS = "GET, HEAD, POST, OPTIONS"
MAX_BODY = 1 << 20  # bytes: far beyond any hand-written query

_SYNTAX_POSITION = re.compile(r"^error at (\d+):(\d+):\s*", re.S)


class ProtocolError(Exception):
    """A request the endpoint answers with a 4xx/5xx and a plain message."""

    def __init__(self, status: int, message: str, headers: dict | None = None):
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers or {}


def _plain(status: int, message: str, headers: dict | None = None) -> PlainTextResponse:
    return PlainTextResponse(f"{status} {message}\n", status_code=status,
                             headers={"Vary": "Accept", **(headers or {})})


# ---- running queries off the event loop ----------------------------------------------------

class QueryGate:
    """Runs blocking store work on its own daemon thread, bounded by two semaphores."""

    def __init__(self, running: int = MAX_RUNNING, admitted: int = MAX_ADMITTED):
        self._running = threading.BoundedSemaphore(running)
        self._admitted = threading.BoundedSemaphore(admitted)

    async def run(self, work: Callable[[], Any], timeout: float) -> Any:
        """work() on a worker thread; raises asyncio.TimeoutError if it takes longer than timeout
        (including the wait for a free slot), ProtocolError(503) if too many are admitted."""
        if not self._admitted.acquire(blocking=False):
            raise ProtocolError(503, "too many queries are waiting to run; try again in a moment",
                                {"Retry-After": "1"})
        loop = asyncio.get_running_loop()
        future: asyncio.Future = loop.create_future()
        abandoned = threading.Event()

        def settle(ok: bool, value: Any) -> None:
            if not future.done():
                future.set_result(value) if ok else future.set_exception(value)

        def thread_main() -> None:
            outcome = None
            try:
                if not self._running.acquire(timeout=timeout):
                    return  # the request has given up waiting already
                try:
                    if not abandoned.is_set():
                        outcome = (True, work())
                except BaseException as exc:  # handed over to the request
                    outcome = (False, exc)
                finally:
                    self._running.release()
            finally:
                # Free the slot before the answer goes out, so that a client sending its next
                # query at once never finds its own finished query still counted.
                self._admitted.release()
                if outcome is not None:
                    try:
                        loop.call_soon_threadsafe(settle, *outcome)
                    except RuntimeError:
                        pass  # the event loop has closed: nobody is waiting any more

        threading.Thread(target=thread_main, name="sparql-query", daemon=True).start()
        try:
            return await asyncio.wait_for(future, timeout)
        finally:
            if future.cancelled():  # timed out, or the client went away: a query not yet started never will
                abandoned.set()


_gate = QueryGate()


def _deadline(limits: Limits) -> float:
    """How long a request waits for its query: the limit and a margin, so that a streaming
    query stopped by the store itself reports first and serialisation has time to finish."""
    return limits.timeout_seconds + 0.25 + 0.05 * limits.timeout_seconds


def _timeout_message(limits: Limits) -> str:
    return (f"the query did not finish within the time limit of {limits.timeout_seconds:g} s; "
            "narrow it down (a more selective pattern, a LIMIT) and try again")


# ---- reading the request ---------------------------------------------------------------

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


async def _post_operation(request: Request) -> Operation:
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
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY:
        raise ProtocolError(413, f"the request body has {declared} bytes; at most {MAX_BODY} are accepted")
    body = await request.body()
    if len(body) > MAX_BODY:
        raise ProtocolError(413, f"the request body has more than {MAX_BODY} bytes, the most accepted")
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


def _get_operation(request: Request) -> Operation:
    pairs = _url_pairs(request)
    _check_no_update(pairs)
    return Operation(_single_query(_values(pairs, "query"), "in the URL"), _dataset(pairs))


# ---- checking and running the query --------------------------------------------------------

def _syntax_message(text: str, query: str) -> str:
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


def _not_acceptable(accept: str | None, offers: list[str], what: str) -> ProtocolError:
    return ProtocolError(406, f"none of the requested types ({accept}) can be served for {what}; "
                              f"available: {', '.join(offers)}")


ALL_RESULT_OFFERS = list(dict.fromkeys(results.offers_for("solutions") + results.offers_for("graph")))
_KIND_NAMES = {"solutions": "a SELECT result", "boolean": "an ASK result", "graph": "a CONSTRUCT/DESCRIBE result"}


@dataclass
class Answer:
    body: bytes
    content_type: str
    truncated: bool


def _evaluate(store, query: str, dataset: Dataset, limits: Limits, base_iri: str, accept: str | None) -> Answer:
    """On a worker thread: run the query, choose the format for its kind, serialise."""
    result = store.query(query, dataset, limits, base_iri=base_iri)
    offers = results.offers_for(result.kind)
    chosen = choose(accept, offers)
    if chosen is None:
        raise _not_acceptable(accept, offers, _KIND_NAMES[result.kind])
    fmt = results.format_for(chosen)
    try:
        body = results.serialize(result, fmt)
    except results.Unrepresentable as exc:
        raise ProtocolError(406, str(exc)) from None
    truncated = isinstance(result, (SolutionsResult, GraphResult)) and result.truncated
    return Answer(body, fmt.content_type, truncated)


async def _answer(request: Request, operation: Operation) -> Response:
    query = operation.query
    assert query is not None
    if not query.strip():
        raise ProtocolError(400, "the query is empty")
    keyword = update_keyword(query)
    if keyword:
        raise ProtocolError(403, f"{READ_ONLY} (the request holds a {keyword} operation)")
    if refuses_service(query):
        raise ProtocolError(403, "federated queries are not accepted here: the query uses SERVICE, and this "
                                 "endpoint makes no requests to other endpoints")
    accept = request.headers.get("accept")
    if choose(accept, ALL_RESULT_OFFERS) is None:
        raise _not_acceptable(accept, ALL_RESULT_OFFERS, "any query result")
    store, limits = request.app.state.store, request.app.state.limits
    endpoint = str(request.url.replace(query="", fragment=""))
    try:
        answer: Answer = await _gate.run(
            lambda: _evaluate(store, query, operation.dataset, limits, endpoint, accept), _deadline(limits))
    except asyncio.TimeoutError:
        raise ProtocolError(503, _timeout_message(limits)) from None
    except QueryTimeout:
        raise ProtocolError(503, _timeout_message(limits)) from None
    except QuerySyntaxError as exc:
        if holds_update(query):
            raise ProtocolError(403, f"{READ_ONLY} (the request holds an update operation)") from None
        raise ProtocolError(400, _syntax_message(str(exc), query)) from None
    except QueryRefused as exc:
        raise ProtocolError(403, f"this query is not accepted here: {exc}") from None
    headers = {"Vary": "Accept"}
    if answer.truncated:
        headers[TRUNCATED_HEADER] = "true"
    return Response(answer.body, status_code=200, headers=headers, media_type=answer.content_type)


# ---- the service description ------------------------------------------------------------

SD_HTML = "text/html"


async def _describe(request: Request) -> Response:
    accept = request.headers.get("accept")
    chosen = choose(accept, service_description.OFFERS + [SD_HTML, "application/xhtml+xml"])
    if chosen in (SD_HTML, "application/xhtml+xml"):
        from . import pages
        if hasattr(pages, "render_query_page"):
            page = pages.render_query_page(request)
            if inspect.isawaitable(page):
                page = await page
            if isinstance(page, Response):
                page.headers.setdefault("Vary", "Accept")
            return page
    if chosen not in service_description.OFFERS:
        # A browser without the query page, or an Accept we cannot meet: the description in Turtle
        # is still the most useful answer to a GET of the endpoint.
        chosen = service_description.OFFERS[0]
    store, limits = request.app.state.store, request.app.state.limits
    endpoint = str(request.url.replace(query="", fragment=""))
    dataset_iri = request.app.state.settings.namespace + "dataset"

    def work() -> bytes:
        graphs = store.graphs()
        count = store.query("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }",
                            Dataset(), limits)
        union = int(count.rows[0]["n"].value) if count.rows else 0
        triples = service_description.description(endpoint, dataset_iri, graphs, union, limits)
        return service_description.serialize(triples, chosen)

    try:
        body = await _gate.run(work, _deadline(limits))
    except (asyncio.TimeoutError, QueryTimeout):
        raise ProtocolError(503, "the service description could not be made within the time limit "
                                 f"of {limits.timeout_seconds:g} s") from None
    return Response(body, media_type=results.format_for(chosen).content_type, headers={"Vary": "Accept"})


# ---- routes ---------------------------------------------------------------------------------

_RESULT_CONTENT = {f.media_type: {} for f in [*results.SOLUTION_FORMATS, *results.GRAPH_FORMATS]}
_ERRORS = {
    400: {"description": "Malformed request or SPARQL syntax error (the message gives line and column)",
          "content": {"text/plain": {}}},
    403: {"description": "Refused: SPARQL Update, LOAD, or federated SERVICE", "content": {"text/plain": {}}},
    406: {"description": "None of the Accept types can be served for this result", "content": {"text/plain": {}}},
    503: {"description": "The query ran past the time limit, or too many queries are running",
          "content": {"text/plain": {}}},
}
_GET_DESCRIPTION = """\
Runs a SPARQL 1.1 query given as `query` (SELECT, ASK, CONSTRUCT, DESCRIBE). Without a `query`
parameter, answers the endpoint's **SPARQL 1.1 Service Description** (Turtle by default; JSON-LD,
RDF/XML, N-Triples), or the query page when the client prefers HTML.

**Results** are negotiated by `Accept` (q-values honoured): SELECT in
`application/sparql-results+json` (default; `application/json` is understood too),
`application/sparql-results+xml`, `text/csv`, `text/tab-separated-values`; ASK in JSON or XML;
CONSTRUCT/DESCRIBE in `text/turtle` (default), `application/n-triples`, `application/ld+json`,
`application/rdf+xml`. Nothing acceptable: 406.

**Dataset**: `default-graph-uri` and `named-graph-uri` (repeatable) set the query's RDF dataset;
without them the default graph is the union of all named graphs.

**Limits**: a query runs for at most the configured time (503 past it) and returns at most the
configured number of results; a result cut at that number still answers 200 with the header
`X-SPARQL-Truncated: true`. Both limits are stated in the service description
(`sg:queryTimeout`, `sg:maxResults`).

**Read-only**: `update`, SPARQL Update operations, LOAD and SERVICE are refused with 403.
"""
_POST_DESCRIPTION = """\
Runs a SPARQL 1.1 query sent in the body, either as a form (`application/x-www-form-urlencoded`
with `query=` and optionally `default-graph-uri` / `named-graph-uri`, which may also be given in
the URL) or directly (`application/sparql-query`, UTF-8; dataset parameters in the URL).
Results, limits and refusals as for GET. Other content types: 415; `application/sparql-update`
and an `update` parameter: 403 (the endpoint is read-only); a body that is not UTF-8: 400.
"""
_GRAPH_PARAMETERS = [
    {"name": "default-graph-uri", "in": "query", "required": False, "style": "form", "explode": True,
     "schema": {"type": "array", "items": {"type": "string", "format": "uri"}},
     "description": "A graph of the query's default graph (repeatable)."},
    {"name": "named-graph-uri", "in": "query", "required": False, "style": "form", "explode": True,
     "schema": {"type": "array", "items": {"type": "string", "format": "uri"}},
     "description": "A named graph of the query's dataset (repeatable)."},
]
_GET_OPENAPI = {"parameters": [
    {"name": "query", "in": "query", "required": False, "schema": {"type": "string"},
     "description": "The SPARQL query. Without it: the service description.",
     "example": "SELECT ?g (COUNT(*) AS ?triples) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"},
    *_GRAPH_PARAMETERS,
]}
_POST_OPENAPI = {
    "parameters": _GRAPH_PARAMETERS,
    "requestBody": {"required": True, "content": {
        DIRECT: {"schema": {"type": "string"}, "example": "ASK { ?s ?p ?o }"},
        FORM: {"schema": {"type": "object", "required": ["query"], "properties": {
            "query": {"type": "string"},
            "default-graph-uri": {"type": "array", "items": {"type": "string"}},
            "named-graph-uri": {"type": "array", "items": {"type": "string"}},
        }}},
    }},
}


async def _guarded(request: Request, handler: Callable) -> Response:
    try:
        return await handler(request)
    except ProtocolError as exc:
        return _plain(exc.status, exc.message, exc.headers)


async def _get(request: Request) -> Response:
    operation = _get_operation(request)
    if operation.query is None:
        return await _describe(request)
    return await _answer(request, operation)


async def _post(request: Request) -> Response:
    return await _answer(request, await _post_operation(request))


@router.get("/sparql", summary="SPARQL query (GET), or the service description",
                  description=_GET_DESCRIPTION, openapi_extra=_GET_OPENAPI, response_class=Response,
                  responses={200: {"description": "Query results, or the service description",
                                   "content": _RESULT_CONTENT}, **_ERRORS})
async def sparql_get(request: Request) -> Response:
    return await _guarded(request, _get)


@router.post("/sparql", summary="SPARQL query (POST: form or application/sparql-query)",
             description=_POST_DESCRIPTION, openapi_extra=_POST_OPENAPI, response_class=Response,
             responses={200: {"description": "Query results", "content": _RESULT_CONTENT},
                        415: {"description": "Not a SPARQL query media type", "content": {"text/plain": {}}},
                        **_ERRORS})
async def sparql_post(request: Request) -> Response:
    return await _guarded(request, _post)


# The W3C protocol tests address the endpoint as /sparql/: the same handlers, without a redirect.
router.add_api_route("/sparql/", sparql_get, methods=["GET", "HEAD"], include_in_schema=False)
router.add_api_route("/sparql", sparql_get, methods=["HEAD"], include_in_schema=False)
router.add_api_route("/sparql/", sparql_post, methods=["POST"], include_in_schema=False)


@router.api_route("/sparql", methods=["PUT", "DELETE", "PATCH", "OPTIONS"], include_in_schema=False)
@router.api_route("/sparql/", methods=["PUT", "DELETE", "PATCH", "OPTIONS"], include_in_schema=False)
async def sparql_other_methods(request: Request) -> Response:
    """OPTIONS (other than a CORS preflight, which the middleware answers) lists the methods;
    anything else is 405: the endpoint only reads."""
    if request.method == "OPTIONS":
        return Response(status_code=204, headers={"Allow": ALLOWED_METHODS})
    return _plain(405, f"{request.method} is not allowed on {request.url.path}: the SPARQL endpoint answers "
                       f"queries by GET or POST, and {READ_ONLY}", {"Allow": ALLOWED_METHODS})
