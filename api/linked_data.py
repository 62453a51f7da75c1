"""Dereferenceable IRIs: every IRI minted under the namespace is served at the same path."""
from __future__ import annotations

import asyncio
import json

import pyoxigraph as ox
from fastapi import APIRouter, HTTPException, Request, Response
from pyld import jsonld

from . import pages
from .profiles import routes as profiles
from .representations import JSONLD, compact_jsonld, context_url, graph_response, shipped_context
from .store_access import construct, iri_literal, query, select

router = APIRouter()

SG = "https://w3id.org/skillsgraph/ontology#"
PREFIXES = f"PREFIX sg: <{SG}>\nPREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"


def describe_query(iri: str) -> str:
    """The resource's own triples, those of the nodes it owns (IRIs under its own path,
    e.g. a statement's citations or an occupation's tasks), and the labels of what it links to."""
    s, prefix = iri_literal(iri), json.dumps(iri + "/")
    return PREFIXES + f"""CONSTRUCT {{ ?s ?p ?o }} WHERE {{
      {{ BIND({s} AS ?s) ?s ?p ?o }}
      UNION {{ {s} ?p0 ?s . FILTER(isIRI(?s) && STRSTARTS(STR(?s), {prefix})) ?s ?p ?o }}
      UNION {{ {s} ?p0 ?x . FILTER(isIRI(?x) && STRSTARTS(STR(?x), {prefix}))
               ?x ?p1 ?s . FILTER(isIRI(?s) && STRSTARTS(STR(?s), {prefix})) ?s ?p ?o }}
      UNION {{ {s} ?p0 ?s . ?s skos:prefLabel ?o . BIND(skos:prefLabel AS ?p) }}
    }}"""


def release_query(iri: str) -> str:
    """A framework release as one document: the release, its occupation, statements,
    citations, evidence, and the levels, domains and sources they point to."""
    s = iri_literal(iri)
    return PREFIXES + f"""CONSTRUCT {{ ?s ?p ?o }} WHERE {{
      {{ BIND({s} AS ?s) ?s ?p ?o }}
      UNION {{ {s} sg:occupation ?s . ?s ?p ?o }}
      UNION {{ {s} sg:evidence ?s . ?s ?p ?o }}
      UNION {{ ?s sg:framework {s} . ?s ?p ?o }}
      UNION {{ ?st sg:framework {s} ; sg:citation ?s . ?s ?p ?o }}
      UNION {{ ?st sg:framework {s} ; sg:level|sg:domain|<http://purl.org/spar/cito/citesAsEvidence> ?s . ?s ?p ?o
               FILTER(?p != skos:hasTopConcept) }}
    }}"""


FRAME_EXTRA = {"statements": {"@reverse": "sg:framework", "@container": "@set"}}


def framed_release(triples: list[ox.Triple], iri: str, request: Request) -> bytes:
    """JSON-LD framed as release -> statements (with level, domain) -> citations -> sources."""
    # pyld reads N-Quads itself, keeping every datatype (rdflib would turn
    # xsd:positiveInteger into a native number, which JSON-LD reads back as xsd:integer).
    nquads = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
    expanded = jsonld.from_rdf(nquads, {"format": "application/n-quads"})
    context = {**shipped_context(), **FRAME_EXTRA}
    frame = {
        "@context": context, "@id": iri,
        "occupation": {"@embed": "@always"},
        "evidence": {"@embed": "@always"},
        "statements": {
            "@embed": "@always",
            "level": {"@embed": "@always"},
            "domain": {"@embed": "@always"},
            "citation": {"@embed": "@always", "citedEntity": {"@embed": "@always"}},
        },
    }
    framed = jsonld.frame(expanded, frame, {"omitGraph": True, "omitDefault": True})
    _order_statements(framed)
    framed["@context"] = [context_url(request), FRAME_EXTRA]
    return json.dumps(framed, ensure_ascii=False, indent=2).encode("utf-8")


def _order_statements(doc: dict) -> None:
    kinds = {"CompetencyStatement": 0, "AIUseStatement": 1, "DurableSkillStatement": 2}

    def number(node, key: str) -> int:
        # Compacted with type coercion, whole numbers arrive as their lexical strings.
        return int(node.get(key, 0)) if isinstance(node, dict) else 0

    def key(st: dict) -> tuple:
        return (kinds.get(st.get("type"), 9), number(st.get("domain"), "domainNumber"),
                number(st.get("level"), "rank"), number(st, "position"))
    if isinstance(doc.get("statements"), list):
        doc["statements"].sort(key=key)
        for st in doc["statements"]:
            if isinstance(st.get("citation"), list):
                st["citation"].sort(key=lambda c: number(c, "position"))


async def _is_release(request: Request, iri: str) -> bool:
    return bool((await query(request, PREFIXES + f"ASK {{ {iri_literal(iri)} a sg:FrameworkRelease }}")).value)


async def _latest_release(request: Request, iri: str) -> str | None:
    """The newest release of a framework (the framework IRI stands for it)."""
    rows = (await select(request, PREFIXES + f"""SELECT ?r ?v WHERE {{ {iri_literal(iri)} a sg:Framework ; sg:release ?r .
                ?r sg:releaseVersion ?v }} ORDER BY DESC(?v) LIMIT 1""")).rows
    return rows[0]["r"].value if rows else None


@router.get("/{path:path}", include_in_schema=True, summary="Dereference an IRI minted under the namespace",
            description="Any IRI under the namespace, e.g. /occupation/29-1129.01 or "
                        "/framework/29-1129.01/v26.05/competency/proficient/3. Content negotiation by Accept "
                        "(JSON-LD, Turtle, N-Triples, RDF/XML, HTML) or ?format=jsonld|ttl|nt|rdf|html.")
async def dereference(path: str, request: Request) -> Response:
    # The store is read-only while serving, so a rendered document never goes stale. Concurrent
    # misses on one key share a single rendering instead of each framing the same document.
    cache, pending = request.app.state.document_cache, request.app.state.document_pending
    key = (path, request.headers.get("accept", ""), request.headers.get("accept-profile", ""), request.url.query)
    if key not in cache:
        task = pending.get(key)
        if task is None:
            request.state.unconditional = True  # the cached copy must be the full 200, not a 304
            task = pending[key] = asyncio.ensure_future(_dereference(path, request))
            task.add_done_callback(lambda _t: pending.pop(key, None))
        rendered = await asyncio.shield(task)
        cache[key] = rendered
        if len(cache) > 4096:
            cache.pop(next(iter(cache)))
    response = cache[key]
    etag = response.headers.get("etag")
    if etag and etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers={k: v for k, v in response.headers.items() if k.lower() in ("etag", "vary", "link", "cache-control", "content-profile", "last-modified")})
    return response


async def _dereference(path: str, request: Request) -> Response:
    iri = request.app.state.settings.namespace + path
    try:
        iri_literal(iri)
    except ValueError:
        raise HTTPException(404, detail=f"no resource at /{path}")
    latest = await _latest_release(request, iri)
    if latest:
        target = latest[len(request.app.state.settings.namespace):]
        query_string = f"?{request.url.query}" if request.url.query else ""
        return Response(status_code=303, headers={"Location": f"/{target}{query_string}", "Vary": "Accept"})
    return await profiles.negotiate(request, iri, lambda: _default_representation(request, iri))


async def _default_representation(request: Request, iri: str) -> Response:
    if await _is_release(request, iri):
        triples = await construct(request, release_query(iri))
        return await graph_response(
            request, triples,
            html=lambda alternates: _html(request, iri, triples, alternates),
            jsonld=lambda: framed_release(triples, iri, request))
    triples = await construct(request, describe_query(iri))
    if not any(t.subject == ox.NamedNode(iri) for t in triples):
        raise HTTPException(404, detail=f"no resource with IRI <{iri}>: check the code in the path")
    return await graph_response(request, triples,
                          html=lambda alternates: _html(request, iri, triples, alternates))


def _html(request: Request, iri: str, triples: list[ox.Triple], alternates: dict[str, str]) -> Response:
    return pages.render_resource(request, iri, triples, alternates)


__all__ = ["router", "describe_query", "compact_jsonld", "JSONLD"]
