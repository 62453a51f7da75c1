"""One resource, many representations: content negotiation, ETags and Link headers for RDF documents."""
from __future__ import annotations

import hashlib
from typing import Callable
from urllib.parse import urlencode

import pyoxigraph as ox
from fastapi import HTTPException, Request, Response
from starlette.concurrency import run_in_threadpool

from . import locations, writers
from .negotiation import choose_or_406

JSONLD, TURTLE, NTRIPLES, RDFXML, HTML, CSV = (
    "application/ld+json", "text/turtle", "application/n-triples", "application/rdf+xml", "text/html", "text/csv")
# Server preference when the client is indifferent (Accept absent or */*): JSON-LD first.
RDF_OFFERS = [JSONLD, TURTLE, NTRIPLES, RDFXML]
FORMAT_PARAMS = {"jsonld": JSONLD, "json": JSONLD, "ttl": TURTLE, "turtle": TURTLE, "nt": NTRIPLES,
                 "rdf": RDFXML, "xml": RDFXML, "html": HTML, "csv": CSV}
FORMAT_NAMES = {JSONLD: "jsonld", TURTLE: "ttl", NTRIPLES: "nt", RDFXML: "rdf", HTML: "html", CSV: "csv"}
CONTENT_TYPES = {JSONLD: "application/ld+json", TURTLE: "text/turtle; charset=utf-8",
                 NTRIPLES: "application/n-triples", RDFXML: "application/rdf+xml", HTML: "text/html; charset=utf-8",
                 CSV: "text/csv; charset=utf-8; header=present", "application/json": "application/json"}


def context_url(request: Request) -> str:
    return locations.location(request, "context.jsonld")


def negotiate(request: Request, offers: list[str]) -> str:
    """?format= wins over Accept, so that links people paste select a format."""
    fmt = request.query_params.get("format")
    if fmt is not None:
        media = FORMAT_PARAMS.get(fmt.lower())
        if media is None or media not in offers:
            names = ", ".join(name for name, media in FORMAT_PARAMS.items() if media in offers)
            raise HTTPException(400, detail=f"unknown format {fmt!r}; use one of {names}")
        return media
    accept = request.headers.get("accept")
    if accept and "application/json" in accept and JSONLD in offers and "ld+json" not in accept:
        accept = accept.replace("application/json", JSONLD)
    return choose_or_406(accept, offers)


def serialize(triples: list[ox.Triple], media: str, request: Request) -> bytes:
    if media == NTRIPLES:
        return writers.ntriples(triples)
    if media == RDFXML:
        return writers.rdf_xml(triples)
    if media == TURTLE:
        return writers.turtle(triples)
    return writers.compacted(triples, context_url(request))


def etag_for(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def respond(request: Request, body: bytes, media: str, *, alternates: dict[str, str] | None = None,
            extra_links: list[str] = (), own_context: bool = True) -> Response:
    """A 200 with ETag, Vary and Link headers, or a 304 when the client already has this body.

    The JSON-LD context link goes only on RDF in our own terms (`own_context`: the document's
    JSON-LD form is compacted with that context): on a page, a CSV, CASE JSON or a profile's
    JSON-LD with its own context, a processor reading plain JSON with it would get wrong or no nodes."""
    etag = etag_for(body)
    links = [f'<{url}>; rel="alternate"; type="{mt}"' for mt, url in (alternates or {}).items() if mt != media]
    if own_context and media in RDF_OFFERS:
        links.append(f'<{context_url(request)}>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"')
    links.extend(extra_links)
    headers = {"ETag": etag, "Vary": "Accept", "Cache-Control": "public, max-age=300"}
    if links:
        headers["Link"] = ", ".join(links)
    if_none_match = request.headers.get("if-none-match", "")
    conditional = not getattr(request.state, "unconditional", False)
    if conditional and (etag in [t.strip() for t in if_none_match.split(",")] or if_none_match.strip() == "*"):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=CONTENT_TYPES[media], headers=headers)


def alternates_for(request: Request, offers: list[str]) -> dict[str, str]:
    """Each format's location: this resource's, its other query parameters (a page, /describe's iri) kept."""
    here = locations.here(request)
    kept = [(name, value) for name, value in request.query_params.multi_items() if name != "format"]
    return {media: f"{here}?{urlencode([*kept, ('format', FORMAT_NAMES[media])])}" for media in offers}


async def graph_response(request: Request, triples: list[ox.Triple], *,
                         html: Callable[[dict[str, str]], Response] | None = None,
                         jsonld: Callable[[], bytes] | None = None, prefer_html: bool = False) -> Response:
    """Serve a set of triples in the negotiated format; `html` and `jsonld` override those two,
    and `prefer_html` makes the page the answer for a client without a preference.

    Rendering (pages query the store, framing and serialising are CPU work) runs in a worker
    thread so that it never holds up the event loop."""
    offers = RDF_OFFERS + ([HTML] if html else [])
    if html and prefer_html:
        offers = [HTML, *RDF_OFFERS]
    media = negotiate(request, offers)
    alternates = alternates_for(request, offers)
    if media == HTML:
        page = await run_in_threadpool(html, alternates)
        return respond(request, page.body, HTML, alternates=alternates)
    if media == JSONLD and jsonld:
        body = await run_in_threadpool(jsonld)
    else:
        body = await run_in_threadpool(serialize, triples, media, request)
    return respond(request, body, media, alternates=alternates)
