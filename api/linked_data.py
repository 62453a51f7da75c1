"""Dereferenceable IRIs: every IRI minted under the namespace is served at the same path, and
the IRIs of vocabularies imported from elsewhere (ESCO's) are described at /describe?iri=.

One request, read straight through: what kind of resource the IRI names (one query); a
framework answers 303 to its latest release; a release or statement asked for in a profile
gets that profile's document; anything else its description (one more query) in the
negotiated format, or its page.
"""
from __future__ import annotations

from typing import Callable

import pyoxigraph as ox
from fastapi import APIRouter, HTTPException, Path, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from . import locations, rendered, writers
from .html import framework_page, resource_page
from .html.frame import Page
from .model.resource import FRAMEWORK, RELEASE, Described, Kind, read_described, read_kind, read_release_document
from .openapi_description import negotiated, redirect
from .profiles import CSV, DEFAULT, PROFILES, Locations
from .profiles import negotiation as profiles
from .representations import HTML, RDF_OFFERS, context_url, graph_response, respond
from .store_access import Reader, iri as iri_term, reader

router = APIRouter()
# The store reads kept for a resource's other representations, in estimated bytes: a release's
# read is thousands of triples (a megabyte and more), so a bound in entries let a crawl of the
# releases hold a gigabyte.
READS_BUDGET = 32 << 20
TRIPLE_OVERHEAD = 300  # bytes of a triple read beyond its terms' characters (pyoxigraph, measured)
ENTRY_OVERHEAD = 1024  # of an entry, its key and an empty read (a 404's) included: never free to keep
SAMPLED = 256  # triples a large read's size is estimated from
# An absolute IRI, as far as its form goes: a scheme, a colon, no space (pyoxigraph decides the rest).
ABSOLUTE_IRI = r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$"
RESOURCE = negotiated([*RDF_OFFERS, HTML], [404], extra=redirect("A namespace IRI: its own path"))
# What a release or statement is also served as, by profile (_profile=, Accept-Profile; api/profiles).
PROFILED = negotiated(dict.fromkeys([*RDF_OFFERS, HTML, CSV, *(p.media_type for p in PROFILES.values()),
                                     "application/json"]), [404], extra=redirect("A framework: its latest release"))
PROFILED["openapi_extra"]["parameters"] += [
    {"name": "_profile", "in": "query", "required": False, "schema": {"type": "string", "minLength": 1},
     "description": "Profile tokens or URIs, best first, comma-separated (see /profiles); 'alt' lists them"},
    {"name": "Accept-Profile", "in": "header", "required": False, "schema": {"type": "string"},
     "description": "Profile URIs in <>, with q-values (W3C Content Negotiation by Profile)"}]


@router.get("/describe", summary="Describe an IRI minted elsewhere (ESCO's, say) that the graph holds facts about",
            description="e.g. /describe?iri=http://data.europa.eu/esco/occupation/eb48ccbd-75f2-4799-81be-443034858473. "
                        "The IRI stays the publisher's; this is where its description in this graph is served, "
                        "with the same content negotiation as namespace IRIs. A namespace IRI is redirected (303) "
                        "to its own path.", **RESOURCE)
async def describe(request: Request, iri: str = Query(..., description="The absolute IRI to describe", min_length=1,
                                                      json_schema_extra={"pattern": ABSOLUTE_IRI})) -> Response:
    namespace = request.app.state.settings.namespace
    try:
        iri_term(iri)
    except ValueError:
        raise HTTPException(400, detail=f"iri={iri!r} is not an absolute IRI") from None
    if iri.startswith(namespace):
        return Response(status_code=303, headers={"Location": "/" + iri[len(namespace):], "Vary": "Accept"})
    return await rendered.cached(request, lambda: _described_elsewhere(request, iri))


@router.get("/{path:path}", include_in_schema=True, summary="Dereference an IRI minted under the namespace",
            description="Any IRI under the namespace, e.g. /occupation/29-1129.01 or "
                        "/framework/29-1129.01/v26.05/competency/proficient/3. Content negotiation by Accept "
                        "(JSON-LD, Turtle, N-Triples, RDF/XML, HTML) or ?format=jsonld|ttl|nt|rdf|html; a framework "
                        "release or statement also in the profiles of /profiles.", **PROFILED)
async def dereference(request: Request, path: str = Path(..., min_length=1)) -> Response:
    return await rendered.cached(request, lambda: _dereference(path, request))


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
        query = locations.query_string(request)
        return Response(status_code=303, headers={"Location": f"/{kind.release[len(namespace):]}{query}",
                                                  "Vary": "Accept"})
    profile = profiles.choose_profile(request, iri, kind)
    if profile == profiles.ALTERNATES:
        return profiles.alternates_listing(request, iri)
    if profile is not None and not profile.is_default:
        body = await run_in_threadpool(profiles.document, store, profile, kind, iri, Locations.of(request))
        return profiles.annotate(respond(request, body, profile.media_type, own_context=False), request, profile)
    response = await _described(request, store, iri, kind)
    return profiles.annotate(response, request, DEFAULT) if profile is not None else response


async def _described(request: Request, store: Reader, iri: str, kind: Kind) -> Response:
    """The resource in our own RDF: a release as one framed document, anything else as described."""
    if kind.name == RELEASE:
        triples = await _read_once(request, ("release", iri), lambda: read_release_document(store, iri))
        return await graph_response(
            request, triples,
            html=lambda alternates: framework_page.render(Page(request), store, iri, iri, alternates),
            jsonld=lambda: writers.framed_release(triples, iri, context_url(request)))
    resource = await _read_once(request, ("described", iri), lambda: read_described(store, iri, kind))
    if not resource.found:
        raise HTTPException(404, detail=f"no resource with IRI <{iri}>: check the code in the path")
    return await graph_response(request, resource.triples,
                                html=lambda alternates: resource_page.render(Page(request), store, resource, alternates))


async def _read_once(request: Request, key: tuple, read: Callable):
    """One store read per resource serves every representation of it (each format, each page):
    the store is read-only while serving."""
    reads = request.app.state.generation.reads
    held = reads.get(key)
    if held is None:
        held = await run_in_threadpool(read)
        reads.put(key, held)
    return held


def read_size(read: list[ox.Triple] | Described) -> int:
    """A store read's bytes, estimated from the terms of an even spread of at most SAMPLED
    triples: summing every term of a release's 2,800 triples took 2.4 ms of its first request."""
    triples = read.triples if isinstance(read, Described) else read
    sample = triples[::len(triples) // SAMPLED + 1]
    characters = sum(len(t.subject.value) + len(t.predicate.value) + len(t.object.value) for t in sample)
    return ENTRY_OVERHEAD + len(triples) * TRIPLE_OVERHEAD + characters * len(triples) // max(len(sample), 1)


__all__ = ["router"]
