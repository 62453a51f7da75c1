"""Dereferenceable IRIs: every IRI minted under the namespace is served at the same path, and
the IRIs of vocabularies imported from elsewhere (ESCO's) are described at /describe?iri=.

One request, read straight through: what kind of resource the IRI names (one query); a
framework answers 303 to its latest release; a release or statement asked for in a profile
gets that profile's document; anything else its description (one more query) in the
negotiated format, or its page.
"""
from __future__ import annotations

import asyncio
from typing import Awaitable, Callable

from fastapi import APIRouter, HTTPException, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from . import writers
from .document_cache import request_key
from .html import framework_page, resource_page
from .html.frame import Page
from .model.resource import FRAMEWORK, RELEASE, Kind, read_described, read_kind
from .profiles import DEFAULT
from .profiles import negotiation as profiles
from .representations import context_url, graph_response, respond
from .store_access import Reader, iri as iri_term, reader

router = APIRouter()
NOT_MODIFIED_HEADERS = ("etag", "vary", "link", "cache-control", "content-profile", "last-modified")


@router.get("/describe", summary="Describe an IRI minted elsewhere (ESCO's, say) that the graph holds facts about",
            description="e.g. /describe?iri=http://data.europa.eu/esco/occupation/eb48ccbd-75f2-4799-81be-443034858473. "
                        "The IRI stays the publisher's; this is where its description in this graph is served, "
                        "with the same content negotiation as namespace IRIs. A namespace IRI is redirected (303) "
                        "to its own path.")
async def describe(request: Request, iri: str = Query(..., description="The absolute IRI to describe")) -> Response:
    namespace = request.app.state.settings.namespace
    try:
        iri_term(iri)
    except ValueError:
        raise HTTPException(400, detail=f"iri={iri!r} is not an absolute IRI") from None
    if iri.startswith(namespace):
        return Response(status_code=303, headers={"Location": "/" + iri[len(namespace):], "Vary": "Accept"})
    return await _cached(request, ("describe", iri), lambda: _described_elsewhere(request, iri))


@router.get("/{path:path}", include_in_schema=True, summary="Dereference an IRI minted under the namespace",
            description="Any IRI under the namespace, e.g. /occupation/29-1129.01 or "
                        "/framework/29-1129.01/v26.05/competency/proficient/3. Content negotiation by Accept "
                        "(JSON-LD, Turtle, N-Triples, RDF/XML, HTML) or ?format=jsonld|ttl|nt|rdf|html.")
async def dereference(path: str, request: Request) -> Response:
    return await _cached(request, ("path", path), lambda: _dereference(path, request))


async def _cached(request: Request, resource: tuple, render: Callable[[], Awaitable[Response]]) -> Response:
    # Concurrent misses on one key share a single rendering instead of each framing the same document.
    cache, pending = request.app.state.document_cache, request.app.state.document_pending
    key = request_key(request, resource)
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


async def _described_elsewhere(request: Request, iri: str) -> Response:
    store = reader(request)
    kind = await run_in_threadpool(read_kind, store, iri)
    return await _described(request, store, iri, kind)


async def _dereference(path: str, request: Request) -> Response:
    namespace = request.app.state.settings.namespace
    iri = namespace + path
    try:
        iri_term(iri)
    except ValueError:
        raise HTTPException(404, detail=f"no resource at /{path}") from None
    store = reader(request)
    kind = await run_in_threadpool(read_kind, store, iri)
    if kind.name == FRAMEWORK:
        query_string = f"?{request.url.query}" if request.url.query else ""
        return Response(status_code=303, headers={"Location": f"/{kind.release[len(namespace):]}{query_string}",
                                                  "Vary": "Accept"})
    profile = profiles.choose_profile(request, iri, kind)
    if profile == profiles.ALTERNATES:
        return profiles.alternates_listing(request, iri)
    if profile is not None and not profile.is_default:
        body = await run_in_threadpool(profiles.document, store, profile, kind, iri)
        return profiles.annotate(respond(request, body, profile.media_type), request, profile)
    response = await _described(request, store, iri, kind)
    return profiles.annotate(response, request, DEFAULT) if profile is not None else response


async def _described(request: Request, store: Reader, iri: str, kind: Kind) -> Response:
    """The resource in our own RDF: a release as one framed document, anything else as described."""
    if kind.name == RELEASE:
        triples = await run_in_threadpool(store.construct, "release-document", release=iri_term(iri))
        return await graph_response(
            request, triples,
            html=lambda alternates: framework_page.render(Page(request), store, iri, iri, alternates),
            jsonld=lambda: writers.framed_release(triples, iri, context_url(request)))
    resource = await run_in_threadpool(read_described, store, iri, kind)
    if not resource.found:
        raise HTTPException(404, detail=f"no resource with IRI <{iri}>: check the code in the path")
    return await graph_response(request, resource.triples,
                                html=lambda alternates: resource_page.render(Page(request), store, resource, alternates))


__all__ = ["router"]
