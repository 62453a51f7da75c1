"""Search over HTTP: /search (JSON-LD for programs, a results page for browsers) and
/search/suggest (what the header's search box offers as a person types).

The index (api.search_index) is built once per store: in a worker thread when the server
starts, or at the first search when nothing started it (an app called in-process).
"""
from __future__ import annotations

import json
import logging
import threading
import weakref
from contextlib import asynccontextmanager
from urllib.parse import urlencode

from fastapi import APIRouter, FastAPI, HTTPException, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from skillsgraph.vocab import SG

from . import writers
from .documents import COLLECTION_PAGE, collection_response, hydra_page
from .html import search_page
from .html.frame import Page
from .openapi_description import JSON_OBJECT, answers, negotiated
from .representations import HTML, JSONLD, RDF_OFFERS, alternates_for, negotiate, respond
from .search_entries import KIND_LABELS, SCHEME_LABELS, read_resources
from .search_index import Hit, Results, SearchIndex, TooBroad

log = logging.getLogger("skillsgraph")
_indexes: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # store -> namespace -> (its generation, index)
_building = threading.Lock()
SUGGESTIONS = 8
SUGGESTIONS_ANSWER = {**JSON_OBJECT, "required": ["query", "suggestions"], "properties": {
    "query": {"type": "string"}, "corrected": {"type": "string"},
    "suggestions": {"type": "array", "maxItems": SUGGESTIONS, "items": {
        "type": "object", "required": ["label", "kind", "detail", "href"],
        "properties": {"label": {"type": "string"}, "kind": {"type": "string"}, "detail": {"type": "string"},
                       "href": {"type": ["string", "null"]}, "matched": {"type": ["string", "null"]}}}}}}
MEMBER_TYPES = {"occupation": "Concept", "programme": "InstructionalProgram", "skill": "Concept",
                "statement": "Statement"}
SEARCH_CONTEXT = {"matchedTitle": {"@id": SG.matchedTitle}, "searchKind": {"@id": SG.searchKind},
                  "correctedQuery": {"@id": SG.correctedQuery},
                  "facets": {"@id": SG.searchFacets, "@type": "@json"}}


def search_index(app: FastAPI) -> SearchIndex:
    """The index of the data the app's store serves now, built on first need; one build at a time.
    Apps over one store share it; a new publication (api/served.py) replaces it."""
    store, namespace, identity = app.state.store, app.state.settings.namespace, app.state.generation.identity
    with _building:
        by_namespace = _indexes.setdefault(store, {})
        held = by_namespace.get(namespace)
        if held is None or held[0] != identity:
            index = SearchIndex(read_resources(store, namespace))
            log.info("search index: %d resources, %d texts, built in %.1f s", index.resources, index.texts,
                     index.build_seconds)
            by_namespace[namespace] = held = (identity, index)
        return held[1]


@asynccontextmanager
async def build_at_start(app: FastAPI):
    # A running server builds its index at once, beside serving, so the first search finds it ready.
    threading.Thread(target=search_index, args=(app,), name="search-index", daemon=True).start()
    yield


router = APIRouter(lifespan=build_at_start)


def _choice(value: str | None, known: dict[str, str], name: str) -> str | None:
    if value is not None and value not in known:
        raise HTTPException(400, detail=f"{name}={value!r}: unknown {name}; use one of {', '.join(known)}")
    return value


def member(hit: Hit) -> dict:
    """A result as JSON-LD: an O*NET-SOC occupation as /search has always given it, other kinds alike."""
    out: dict = {"id": hit.iri, "type": "Occupation" if hit.scheme == "onet-soc" else MEMBER_TYPES[hit.kind],
                 "searchKind": hit.kind, "scheme": hit.scheme, "prefLabel": hit.label}
    if hit.code:
        out["onetSocCode" if hit.scheme == "onet-soc" else "notation"] = hit.code
    out["matchedTitle"] = hit.matched
    if hit.level_iri:
        out["level"] = hit.level_iri
    if hit.framework:
        out["framework"] = hit.framework
    return out


def _document(request: Request, results: Results, params: dict, page: int, size: int) -> dict:
    kept = urlencode({k: v for k, v in params.items() if v is not None})
    doc = hydra_page(request, "search", [member(h) for h in results.hits], results.total, page, size,
                     extra_query=kept + "&")
    doc["@context"] = [doc["@context"], SEARCH_CONTEXT]
    doc["facets"] = results.facets
    if results.corrected:
        doc["correctedQuery"] = results.corrected
    return doc


@router.get("/search", summary="Search occupations, classifications, programmes, skills and statements",
            description="Full-text search, ranked: O*NET-SOC occupations by title and every related, alternate and "
            "reported title; SOC, CIP, ISCO and ESCO concepts by label (preferred, alternative, hidden) and code; "
            "statements by label and text. Words match as prefixes and survive a typo or two; a query that looks "
            "like a code (29-1129, 51.2301) looks codes up. `kind`, `scheme` and `level` narrow the results; the "
            "answer's `facets` count the results of each value. JSON-LD (Hydra paging) by default, an HTML page "
            "for browsers.", **negotiated([*RDF_OFFERS, HTML], schemas={JSONLD: COLLECTION_PAGE}))
async def search(request: Request, q: str = Query(..., min_length=2, max_length=200),
                 kind: str | None = Query(None, description="One of: " + ", ".join(KIND_LABELS),
                                          json_schema_extra={"enum": list(KIND_LABELS)}),
                 scheme: str | None = Query(None, description="One of: onet-soc, framework, " + ", ".join(
                     s for s in SCHEME_LABELS if s not in ("onet-soc", "framework")),
                                            json_schema_extra={"enum": list(SCHEME_LABELS)}),
                 level: str | None = Query(None, max_length=80, description="A statement level, by label."),
                 page: int = Query(1, ge=1), size: int = Query(50, ge=1, le=500)) -> Response:
    media = negotiate(request, [*RDF_OFFERS, HTML])
    filters = {"kind": _choice(kind, KIND_LABELS, "kind"), "scheme": _choice(scheme, SCHEME_LABELS, "scheme"),
               "level": level}
    index = await run_in_threadpool(search_index, request.app)
    try:
        results = await run_in_threadpool(index.search, q, (page - 1) * size, size, **filters)
    except TooBroad as exc:
        raise HTTPException(400, detail=str(exc)) from None
    params = {"q": q, **filters}
    if media == HTML:
        alternates = alternates_for(request, RDF_OFFERS)
        body = search_page.render(Page(request), results, params, page, size, alternates).body
        return respond(request, body, HTML, alternates=alternates)
    return await collection_response(request, _document(request, results, params, page, size),
                                     [writers.shipped_context(), SEARCH_CONTEXT])


def suggestion(hit: Hit, page: Page) -> dict:
    """One line under the search box: where it leads (a framework when the occupation has one)."""
    target = hit.framework if hit.kind == "occupation" and hit.framework else hit.iri
    detail = [SCHEME_LABELS.get(hit.scheme, hit.scheme) + (f" {hit.code}" if hit.code else "")]
    if hit.kind == "statement":
        detail = [hit.framework_label or "", hit.level or ""]
    elif hit.framework:
        detail.append("framework")
    return {"label": hit.label, "matched": hit.matched if hit.matched != hit.label else None,
            "kind": hit.kind, "detail": " · ".join(d for d in detail if d), "href": page.href(target)}


@router.get("/search/suggest", summary="Suggestions for a search box",
            description="The best few results for what has been typed so far, each with the path of its page "
                        "relative to the site's root; what the header's search box of every page shows.",
            responses=answers(["application/json"], [400], schemas={"application/json": SUGGESTIONS_ANSWER}))
async def suggest(request: Request, q: str = Query(..., min_length=1, max_length=200)) -> Response:
    index = await run_in_threadpool(search_index, request.app)
    try:  # a query too broad to count (see MAX_MATCHES) suggests nothing until more is typed
        results = await run_in_threadpool(index.search, q, 0, SUGGESTIONS) if len(q.strip()) >= 2 else None
    except TooBroad:
        results = None
    root = Page(request, "")
    doc = {"query": q, "suggestions": [suggestion(h, root) for h in results.hits] if results else []}
    if results and results.corrected:
        doc["corrected"] = results.corrected
    return Response(json.dumps(doc, ensure_ascii=False).encode("utf-8"), media_type="application/json",
                    headers={"Cache-Control": "public, max-age=300"})


__all__ = ["router", "search_index"]
