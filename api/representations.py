"""One resource, many representations: content negotiation, ETags and Link headers for RDF documents."""
from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from typing import Callable, Iterable

import pyoxigraph as ox
from fastapi import HTTPException, Request, Response
from starlette.concurrency import run_in_threadpool
from rdflib import Graph

from skillsgraph.resources import context_file

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


@lru_cache(maxsize=1)
def shipped_context() -> dict:
    return json.loads(context_file().read_text(encoding="utf-8"))["@context"]


def context_url(request: Request) -> str:
    return request.app.state.settings.namespace + "context.jsonld"


def negotiate(request: Request, offers: list[str]) -> str:
    """?format= wins over Accept, so that links people paste select a format."""
    fmt = request.query_params.get("format")
    if fmt is not None:
        media = FORMAT_PARAMS.get(fmt.lower())
        if media is None or media not in offers:
            names = ", ".join(FORMAT_NAMES[o] for o in offers)
            raise HTTPException(400, detail=f"unknown format {fmt!r}; use one of {names}")
        return media
    accept = request.headers.get("accept")
    if accept and "application/json" in accept and JSONLD in offers and "ld+json" not in accept:
        accept = accept.replace("application/json", JSONLD)
    return choose_or_406(accept, offers)


def to_rdflib(triples: Iterable[ox.Triple]) -> Graph:
    data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    g = Graph()
    g.parse(data=data, format="nt")
    for prefix, value in shipped_context().items():
        if isinstance(value, str) and value.endswith(("/", "#")) and not prefix.startswith("@"):
            g.bind(prefix, value, override=True)
    return g


def serialize(triples: list[ox.Triple], media: str, request: Request) -> bytes:
    if media == NTRIPLES:
        return b"".join(sorted(line + b"\n" for line in ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).splitlines() if line))
    if media == RDFXML:
        return ox.serialize(triples, format=ox.RdfFormat.RDF_XML)
    graph = to_rdflib(triples)
    if media == TURTLE:
        return graph.serialize(format="turtle", encoding="utf-8")
    return compact_jsonld(graph, request)


def compact_jsonld(graph: Graph, request: Request, extra: dict | None = None) -> bytes:
    """JSON-LD compacted with the shipped context, which the document references by URL."""
    doc = json.loads(graph.serialize(format="json-ld", context=shipped_context(), auto_compact=True))
    doc["@context"] = context_url(request)
    if extra:
        doc.update(extra)
    return json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8")


def etag_for(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def respond(request: Request, body: bytes, media: str, *, alternates: dict[str, str] | None = None,
            extra_links: list[str] = ()) -> Response:
    """A 200 with ETag, Vary and Link headers, or a 304 when the client already has this body."""
    etag = etag_for(body)
    links = [f'<{url}>; rel="alternate"; type="{mt}"' for mt, url in (alternates or {}).items() if mt != media]
    links.append(f'<{context_url(request)}>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"')
    links.extend(extra_links)
    headers = {"ETag": etag, "Vary": "Accept", "Link": ", ".join(links), "Cache-Control": "public, max-age=300"}
    if_none_match = request.headers.get("if-none-match", "")
    conditional = not getattr(request.state, "unconditional", False)
    if conditional and (etag in [t.strip() for t in if_none_match.split(",")] or if_none_match.strip() == "*"):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=CONTENT_TYPES[media], headers=headers)


def alternates_for(request: Request, offers: list[str]) -> dict[str, str]:
    base = str(request.url.replace(query=None))
    return {media: f"{base}?format={FORMAT_NAMES[media]}" for media in offers}


async def graph_response(request: Request, triples: list[ox.Triple], *,
                         html: Callable[[dict[str, str]], Response] | None = None,
                         jsonld: Callable[[], bytes] | None = None) -> Response:
    """Serve a set of triples in the negotiated format; `html` and `jsonld` override those two.

    Rendering (pages query the store, framing and serialising are CPU work) runs in a worker
    thread so that it never holds up the event loop."""
    offers = RDF_OFFERS + ([HTML] if html else [])
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
