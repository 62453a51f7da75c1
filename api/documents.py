"""Documents for harvesters: the paged list of occupations and the shared registries (search is api.search)."""
from __future__ import annotations

import json
import math

from fastapi import APIRouter, HTTPException, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from skillsgraph.store.base import Values

from . import locations, writers
from .html import collection_page, registry_pages
from .html.frame import Page
from .openapi_description import JSONLD_DOCUMENT, negotiated
from .representations import HTML, JSONLD, RDF_OFFERS, alternates_for, context_url, graph_response, negotiate, respond, serialize
from .store_access import construct, reader, select

router = APIRouter()
# A Hydra collection page (hydra_page) in JSON-LD.
COLLECTION_PAGE = {**JSONLD_DOCUMENT, "required": ["@context", "id", "type", "totalItems", "member", "view"],
                   "properties": {"totalItems": {"type": "integer", "minimum": 0}, "member": {"type": "array"},
                                  "view": {"type": "object", "required": ["id", "first", "last"]}}}


def hydra_page(request: Request, collection: str, members: list[dict], total: int, page: int, size: int,
               extra_query: str = "") -> dict:
    """A page of a collection: the collection keeps its IRI, its pages are locations on this server."""
    here = locations.location(request, collection)
    last = max(1, math.ceil(total / size))

    def page_url(n: int) -> str:
        return f"{here}?{extra_query}page={n}&size={size}"
    view = {"id": page_url(page), "type": "PartialCollectionView", "first": page_url(1), "last": page_url(last)}
    if page > 1:
        view["previous"] = page_url(page - 1)
    if page < last:
        view["next"] = page_url(page + 1)
    return {"@context": context_url(request), "id": request.app.state.settings.namespace + collection,
            "type": "Collection", "totalItems": total, "member": members, "view": view}


async def collection_response(request: Request, doc: dict, context=None, html=None) -> Response:
    """A collection page as written (JSON-LD) or in the other RDF formats, by negotiation, and
    as a page for browsers when `html` renders one (given the alternates)."""
    offers = [*RDF_OFFERS, HTML] if html else RDF_OFFERS
    media = negotiate(request, offers)
    alternates = alternates_for(request, offers)
    if media == HTML:
        page = await run_in_threadpool(html, Page(request).alternate_links(alternates))
        return respond(request, page.body, HTML, alternates=alternates)
    if media == JSONLD:
        body = json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8")
    else:
        triples = await run_in_threadpool(writers.expanded_triples, doc, context or writers.shipped_context())
        body = await run_in_threadpool(serialize, triples, media, request)
    return respond(request, body, media, alternates=alternates)


@router.get("/occupations", summary="All occupations, paged (JSON-LD, Hydra paging)",
            description="Ordered by O*NET-SOC code. Each page carries totalItems and first/previous/next/last "
                        "links in its hydra:view, so a harvester can walk every occupation exactly once.",
            **negotiated(RDF_OFFERS, [404], schemas={JSONLD: COLLECTION_PAGE}))
async def occupations(request: Request, page: int = Query(1, ge=1), size: int = Query(50, ge=1, le=500)) -> Response:
    total = int((await select(request, "occupation-count"))[0]["n"].value)
    if page > max(1, math.ceil(total / size)):
        raise HTTPException(404, detail=f"page {page} is past the last page ({max(1, math.ceil(total / size))}) at size {size}")
    # Page the occupations first, then read what a member shows (a query cannot take LIMIT and
    # OFFSET as bound values).
    chosen = (await select(request, "occupations"))[(page - 1) * size: page * size]
    members = Values(("o", "code"), tuple((r["o"], r["code"]) for r in chosen))
    rows = await select(request, "occupation-members", members) if chosen else []
    members = [{"id": r["o"].value, "type": "Occupation", "onetSocCode": r["code"].value,
                **({"prefLabel": r["title"].value} if "title" in r else {}),
                **({"framework": r["framework"].value} if "framework" in r else {})} for r in rows]
    doc = hydra_page(request, "occupations", members, total, page, size)
    return await collection_response(request, doc, html=lambda alternates: collection_page.render_occupations(
        Page(request), doc, page, size, alternates))


# Each registry as one document: the query (in api/queries/) that reads it, and its title.
REGISTRIES = {"sources": ("registry-sources", "Sources"), "scales": ("registry-scales", "Level scales"),
              "domains": ("registry-domains", "Durable-skill domains")}


def _registry_route(name: str, query: str, title: str) -> None:
    async def handler(request: Request) -> Response:
        triples = await construct(request, query)
        page = Page(request)
        return await graph_response(request, triples, html=lambda alternates: registry_pages.RENDERERS[name](
            page, reader(request), page.alternate_links(alternates)))
    router.add_api_route(f"/{name}", handler, methods=["GET"], summary=f"{title} (one document)",
                         description=f"All {title.lower()} as one RDF document; content negotiation as for any resource.",
                         **negotiated([*RDF_OFFERS, HTML]))


for _name, (_query, _title) in REGISTRIES.items():
    _registry_route(_name, _query, _title)

__all__ = ["router"]
