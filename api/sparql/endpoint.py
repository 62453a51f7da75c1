"""The read-only SPARQL 1.1 Protocol endpoint at /sparql (https://www.w3.org/TR/sparql11-protocol/).

Queries come by GET (?query=), by POST as a form (application/x-www-form-urlencoded) or
directly (application/sparql-query), read by sparql/protocol.py. Results are negotiated by
Accept (sparql/results.py); GET without a query answers the service description
(sparql/service_description.py), or the query page for a browser. Updates and SERVICE are
refused before anything runs (sparql/policy.py); queries run through sparql/gate.py.
"""
from __future__ import annotations

import asyncio
from functools import lru_cache
from typing import Callable

import anyio
from fastapi import APIRouter, Request, Response
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from skillsgraph.store.base import QueryRefused, QuerySyntaxError, QueryTimeout

from .. import locations, rendered
from ..html import query_page
from ..negotiation import choose
from ..openapi_description import error
from ..representations import etag_for
from ..store_facts import facts
from . import bounds, results, service_description
from .evaluation import Job, evaluate
from .gate import deadline, gate, timeout_message
from .policy import SERVICE_REFUSED, holds_update, refuses_service, update_keyword
from .protocol import (
    ALLOWED_METHODS, DIRECT, FORM, READ_ONLY, Operation, ProtocolError, get_operation, not_acceptable, plain,
    post_operation, syntax_message,
)
from .workers import NoWorker, WorkerFailed, WorkerPool

router = APIRouter(tags=["SPARQL"])


@lru_cache(maxsize=None)
def pool_threads(pool: WorkerPool) -> anyio.CapacityLimiter:
    """Threads that wait on workers: one per worker the pool may have, and as many waiting for one."""
    return anyio.CapacityLimiter(2 * pool.most)


TRUNCATED_HEADER = service_description.TRUNCATED_HEADER

ALL_RESULT_OFFERS = list(dict.fromkeys(results.offers_for("solutions") + results.offers_for("graph")))
# How long a query waits for a free worker before its 503.
QUEUE_WAIT = 2.0
# Queries up to this many characters are screened on the event loop (microseconds); longer ones on a thread.
SCREEN_INLINE = 4096


def _result_response(content_type: str, truncated: bool, size: int, body) -> Response:
    headers = {"Vary": "Accept"}
    if truncated:
        headers[TRUNCATED_HEADER] = "true"
    if isinstance(body, bytes):
        return Response(body, status_code=200, headers=headers, media_type=content_type)

    def chunks():
        with body:
            while chunk := body.read(1 << 20):
                yield chunk
    headers["Content-Length"] = str(size)
    return StreamingResponse(chunks(), status_code=200, headers=headers, media_type=content_type)


async def _run(request: Request, job: Job) -> Response:
    """In a worker process where the store can be reopened there; on a thread otherwise."""
    pool = request.app.state.query_pool
    limits = job.limits
    if pool is None:
        store = request.app.state.store
        answer = await gate.run(lambda: evaluate(store, job), deadline(limits))
        return _result_response(answer.content_type, answer.truncated, len(answer.body), answer.body)
    try:
        reply = await _unless_gone(request, pool.answer(job, deadline(limits), QUEUE_WAIT, limiter=pool_threads(pool)))
    except NoWorker as exc:
        if exc.starting:
            raise ProtocolError(503, "the query workers could not be started (the server's log says why); "
                                     "try again later", {"Retry-After": "10"}) from None
        raise ProtocolError(503, "every query worker is busy; try again in a moment", {"Retry-After": "1"}) from None
    return _result_response(reply.content_type, reply.truncated, reply.size, reply.body)


class ClientGone(Exception):
    """The client closed its connection while its query ran."""


async def _unless_gone(request: Request, answering):
    """The answer, or ClientGone as soon as the client disconnects: its query is cancelled, which
    stops the worker running it, so a client that gives up frees the worker and its own places at
    once instead of at the time limit. (The whole body is read by now: the next message a server
    sends is the disconnect.)"""
    answer = asyncio.ensure_future(answering)
    gone = asyncio.ensure_future(_disconnected(request))
    try:
        await asyncio.wait({answer, gone}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        gone.cancel()
    if answer.done():
        return answer.result()
    answer.cancel()
    # On a thread (no worker was idle), the job cannot be cancelled and ends at its deadline.
    answer.add_done_callback(lambda task: task.cancelled() or task.exception())
    raise ClientGone()


async def _disconnected(request: Request) -> None:
    while (await request.receive())["type"] != "http.disconnect":
        pass


def _screen(query: str) -> None:
    """Refuse what must not reach the engine: oversized or too deeply nested, updates, SERVICE."""
    bounds.check(query)
    keyword = update_keyword(query)
    if keyword:
        raise ProtocolError(403, f"{READ_ONLY} (the request holds a {keyword} operation)")
    if refuses_service(query):
        raise ProtocolError(403, SERVICE_REFUSED)


async def _off_the_loop(scan: Callable[[str], object], query: str):
    """A scan of the query text: linear, but milliseconds for a long query, so then on a thread."""
    if len(query) > SCREEN_INLINE:
        return await anyio.to_thread.run_sync(scan, query)
    return scan(query)


async def _answer(request: Request, operation: Operation) -> Response:
    query = operation.query
    assert query is not None
    if not query.strip():
        raise ProtocolError(400, "the query is empty")
    await _off_the_loop(_screen, query)
    accept = request.headers.get("accept")
    if choose(accept, ALL_RESULT_OFFERS) is None:
        raise not_acceptable(accept, ALL_RESULT_OFFERS, "any query result")
    limits = request.app.state.limits
    endpoint = str(request.url.replace(query="", fragment=""))
    job = Job(query, operation.dataset, limits, endpoint, accept)
    client = request.client.host if request.client else "unknown"
    try:
        async with request.app.state.admission.slot(client):
            return await _run(request, job)
    except (asyncio.TimeoutError, QueryTimeout):
        raise ProtocolError(503, timeout_message(limits)) from None
    except QuerySyntaxError as exc:
        if await _off_the_loop(holds_update, query):
            raise ProtocolError(403, f"{READ_ONLY} (the request holds an update operation)") from None
        raise ProtocolError(400, syntax_message(str(exc), query)) from None
    except QueryRefused as exc:
        raise ProtocolError(403, f"this query is not accepted here: {exc}") from None
    except WorkerFailed as exc:
        raise ProtocolError(exc.status, exc.message) from None
    except ClientGone:
        # Nobody reads it; the log says why the query ended.
        return plain(503, "the client closed the connection before the answer")


# ---- the service description ------------------------------------------------------------

SD_HTML = "text/html"


async def _describe(request: Request) -> Response:
    """Counted once (store_facts), rendered once per location and Accept (rendered)."""
    return await rendered.cached(request, lambda: _description(request))


async def _description(request: Request) -> Response:
    accept = request.headers.get("accept")
    chosen = choose(accept, service_description.OFFERS + [SD_HTML, "application/xhtml+xml"])
    if chosen in (SD_HTML, "application/xhtml+xml"):
        page = query_page.render(request)
        page.headers.setdefault("Vary", "Accept")
        return page
    if chosen not in service_description.OFFERS:
        # An Accept we cannot meet: the description in Turtle is still the most useful answer
        # to a GET of the endpoint.
        chosen = service_description.OFFERS[0]
    counted = await facts(request)
    triples = service_description.description(
        locations.here(request), request.app.state.settings.namespace + "dataset", list(counted.graphs),
        counted.union_triples, request.app.state.limits)
    body = await run_in_threadpool(service_description.serialize, triples, chosen)
    return Response(body, media_type=results.format_for(chosen).content_type,
                    headers={"Vary": "Accept", "ETag": etag_for(body)})


# ---- routes ---------------------------------------------------------------------------------

_RESULT_CONTENT = {f.media_type: {} for f in [*results.SOLUTION_FORMATS, *results.GRAPH_FORMATS]}
# SPARQL 1.1 Query Results JSON: a head, then results (SELECT) or a boolean (ASK).
_RESULT_CONTENT["application/sparql-results+json"] = {"schema": {
    "type": "object", "required": ["head"], "properties": {"head": {"type": "object"}, "boolean": {"type": "boolean"},
                                                         "results": {"type": "object", "required": ["bindings"]}}}}
_ERRORS = {
    400: {"description": "Malformed request or SPARQL syntax error (the message gives line and column)",
          "content": {"text/plain": {}}},
    403: {"description": "Refused: SPARQL Update, LOAD, or federated SERVICE", "content": {"text/plain": {}}},
    406: {"description": "None of the Accept types can be served for this result", "content": {"text/plain": {}}},
    413: error(413),
    429: error(429),
    503: {**error(503), "description": "The query ran past the time limit or its memory, or too many queries are "
                                      "running (the message says which)"},
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
    {"name": "query", "in": "query", "required": False, "schema": {"type": "string", "minLength": 1, "pattern": r"\S"},
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
        return plain(exc.status, exc.message, exc.headers)


async def _get(request: Request) -> Response:
    operation = get_operation(request)
    if operation.query is None:
        return await _describe(request)
    return await _answer(request, operation)


async def _post(request: Request) -> Response:
    return await _answer(request, await post_operation(request))


@router.get("/sparql", summary="SPARQL query (GET), or the service description",
                  description=_GET_DESCRIPTION, openapi_extra=_GET_OPENAPI, response_class=Response,
                  responses={200: {"description": "Query results, or the service description",
                                   "content": {**_RESULT_CONTENT, SD_HTML: {}}}, **_ERRORS})
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
router.add_api_route("/sparql/", sparql_get, methods=["GET"], include_in_schema=False)
router.add_api_route("/sparql/", sparql_post, methods=["POST"], include_in_schema=False)


@router.api_route("/sparql", methods=["PUT", "DELETE", "PATCH", "OPTIONS"], include_in_schema=False)
@router.api_route("/sparql/", methods=["PUT", "DELETE", "PATCH", "OPTIONS"], include_in_schema=False)
async def sparql_other_methods(request: Request) -> Response:
    """OPTIONS (other than a CORS preflight, which the middleware answers) lists the methods;
    anything else is 405: the endpoint only reads."""
    if request.method == "OPTIONS":
        return Response(status_code=204, headers={"Allow": ALLOWED_METHODS})
    return plain(405, f"{request.method} is not allowed on {request.url.path}: the SPARQL endpoint answers "
                       f"queries by GET or POST, and {READ_ONLY}", {"Allow": ALLOWED_METHODS})
