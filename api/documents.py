"""Documents for harvesters: the paged list of occupations, search, and the shared registries."""
from __future__ import annotations

import json
import math

from fastapi import APIRouter, HTTPException, Query, Request, Response

from .representations import JSONLD, RDF_OFFERS, graph_response, negotiate, respond
from .store_access import construct, select, string_literal

router = APIRouter()

SG = "https://w3id.org/skillsgraph/ontology#"
PREFIXES = (f"PREFIX sg: <{SG}>\nPREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
            "PREFIX dcterms: <http://purl.org/dc/terms/>\n")
HYDRA = {"hydra": "http://www.w3.org/ns/hydra/core#"}


def _hydra_page(request: Request, collection: str, members: list[dict], total: int, page: int, size: int,
                extra_query: str = "") -> dict:
    base = request.app.state.settings.namespace + collection
    last = max(1, math.ceil(total / size))

    def page_url(n: int) -> str:
        return f"{base}?{extra_query}page={n}&size={size}"
    view = {"id": page_url(page), "type": "PartialCollectionView", "first": page_url(1), "last": page_url(last)}
    if page > 1:
        view["previous"] = page_url(page - 1)
    if page < last:
        view["next"] = page_url(page + 1)
    return {"@context": request.app.state.settings.namespace + "context.jsonld", "id": base, "type": "Collection",
            "totalItems": total, "member": members, "view": view}


def _json(request: Request, doc: dict) -> Response:
    negotiate(request, [JSONLD])
    return respond(request, json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8"), JSONLD)


@router.get("/occupations", summary="All occupations, paged (JSON-LD, Hydra paging)",
            description="Ordered by O*NET-SOC code. Each page carries totalItems and first/previous/next/last "
                        "links in its hydra:view, so a harvester can walk every occupation exactly once.")
async def occupations(request: Request, page: int = Query(1, ge=1), size: int = Query(50, ge=1, le=500)) -> Response:
    total = int((await select(request, PREFIXES + "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?o a sg:Occupation }")).rows[0]["n"].value)
    if page > max(1, math.ceil(total / size)):
        raise HTTPException(404, detail=f"page {page} is past the last page ({max(1, math.ceil(total / size))}) at size {size}")
    # Page the occupations first, then fetch what a member shows: an occupation may carry a
    # title from each graph that describes it (framework, O*NET release), and the page must
    # still list it once.
    rows = (await select(request, PREFIXES + f"""
        SELECT ?o ?code (MIN(?t) AS ?title) (SAMPLE(?f) AS ?framework) WHERE {{
          {{ SELECT DISTINCT ?o ?code WHERE {{ ?o a sg:Occupation ; sg:onetSocCode ?code }} ORDER BY ?code LIMIT {size} OFFSET {(page - 1) * size} }}
          OPTIONAL {{ ?o skos:prefLabel ?t }}
          OPTIONAL {{ ?f sg:occupation ?o ; a sg:Framework }}
        }} GROUP BY ?o ?code ORDER BY ?code""")).rows
    members = [{"id": r["o"].value, "type": "Occupation", "onetSocCode": r["code"].value,
                **({"prefLabel": r["title"].value} if "title" in r else {}),
                **({"framework": r["framework"].value} if "framework" in r else {})} for r in rows]
    return _json(request, _hydra_page(request, "occupations", members, total, page, size))


@router.get("/search", summary="Find occupations by title or related title",
            description="Case-insensitive substring match over occupation titles and their related titles.")
async def search(request: Request, q: str = Query(..., min_length=2, max_length=200),
                 page: int = Query(1, ge=1), size: int = Query(50, ge=1, le=500)) -> Response:
    needle = string_literal(q.lower())
    rows = (await select(request, PREFIXES + f"""
        SELECT ?o ?code ?title (SAMPLE(?hit) AS ?matched) WHERE {{
          ?o a sg:Occupation ; sg:onetSocCode ?code ; skos:prefLabel ?title .
          {{ ?o skos:prefLabel ?hit }} UNION {{ ?o sg:relatedTitle ?hit }}
          FILTER(CONTAINS(LCASE(STR(?hit)), {needle}))
        }} GROUP BY ?o ?code ?title ORDER BY ?code""")).rows
    chosen = rows[(page - 1) * size: page * size]
    members = [{"id": r["o"].value, "type": "Occupation", "onetSocCode": r["code"].value,
                "prefLabel": r["title"].value, "matchedTitle": r["matched"].value} for r in chosen]
    doc = _hydra_page(request, "search", members, len(rows), page, size, extra_query=f"q={q}&")
    doc["@context"] = [doc["@context"], {"matchedTitle": {"@id": f"{SG}matchedTitle"}}]
    return _json(request, doc)


REGISTRIES = {
    "sources": ("Sources", "?s a sg:Source . ?s ?p ?o", "OPTIONAL"),
    "scales": ("Level scales", "{ ?s a sg:LevelScale } UNION { ?s a sg:MasteryLevel } UNION { ?s a sg:ProficiencyLevel } ?s ?p ?o", ""),
    "domains": ("Durable-skill domains", "{ ?s a sg:DurableSkillDomain } UNION { ?s a skos:ConceptScheme ; skos:hasTopConcept/a sg:DurableSkillDomain } ?s ?p ?o", ""),
}


def _registry_route(name: str, title: str, pattern: str) -> None:
    async def handler(request: Request) -> Response:
        triples = await construct(request, PREFIXES + f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {pattern} }}")
        from . import pages
        return await graph_response(request, triples,
                              html=lambda alternates: pages.render_resource(request, request.app.state.settings.namespace + name, triples, alternates))
    router.add_api_route(f"/{name}", handler, methods=["GET"], summary=f"{title} (one document)",
                         description=f"All {title.lower()} as one RDF document; content negotiation as for any resource.")


for _name, (_title, _pattern, _) in REGISTRIES.items():
    _registry_route(_name, _title, _pattern)

__all__ = ["router", "RDF_OFFERS"]
