"""Crosswalk queries for researchers: /crosswalk (code to scheme, hop by hop) and /trace (statement
to sources and on to SOC, CIP and ESCO), every hop with where it comes from."""
from __future__ import annotations

import asyncio
import csv
import io
import json

from fastapi import APIRouter, HTTPException, Path, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from skillsgraph.iris import STATEMENT_IRI_PATH, is_statement_path
from skillsgraph.store.base import Limits
from skillsgraph.vocab import SG

from . import locations, rendered
from .crosswalk_paths import SCHEMES, CrosswalkInputError, Hop, Scheme, compose, in_scheme, parse_from, parse_to, shortest_paths
from .crosswalk_reader import framework_hops, known, labels, mapping_hops
from .html import crosswalk_page
from .html.frame import Page
from .model.anchors import read_anchors
from .openapi_description import negotiated
from .representations import CSV, HTML, JSONLD, context_url, negotiate, respond
from .sparql.admission import Admission
from .sparql.protocol import ProtocolError
from .store_access import iri as iri_term, reader, select

router = APIRouter()

TRACE_SCHEMES = ("soc2018", "cip2020", "isco", "esco")
# Traces computed at once: four keep two cores busy with their store queries (measured: more
# only lengthen everyone else's answers, fewer lower the traces answered per second).
TRACES_RUNNING = 4
# What `from` must look like for parse_from to read it (documented, not enforced here: parse_from's
# message says more): a scheme's name, a colon, a code.
FROM_PATTERN = r"^\s*[A-Za-z0-9-]+\s*:.*\S"


def _bad_input(exc: CrosswalkInputError) -> HTTPException:
    return HTTPException(400, detail=str(exc))


async def _read_hops(request: Request, nodes: list[str], include_suggestions: bool) -> list[Hop]:
    return await mapping_hops(request, nodes, include_suggestions) + await framework_hops(request, nodes)


async def find_paths(request: Request, start: str, scheme: Scheme, include_suggestions: bool = False) -> list[list[Hop]]:
    namespace = request.app.state.settings.namespace

    async def read(nodes: list[str]) -> list[Hop]:
        return await _read_hops(request, nodes, include_suggestions)
    return await shortest_paths(start, lambda iri: in_scheme(iri, scheme, namespace), read)


def _node(iri: str, names: dict[str, dict[str, str]]) -> dict:
    out: dict = {"id": iri}
    if "notation" in names.get(iri, {}):
        out["notation"] = names[iri]["notation"]
    if "label" in names.get(iri, {}):
        out["prefLabel"] = names[iri]["label"]
    return out


def _hop_document(hop: Hop, names: dict[str, dict[str, str]]) -> dict:
    d = hop.details
    asserted: dict = {"id": hop.node, "type": "Mapping" if hop.kind == "mapping" else "FrameworkRelease"}
    if hop.kind == "mapping":
        asserted["mappingMethod"] = d.get("method")
        for key, name in (("row", "crosswalkRow"), ("confidence", "confidence"), ("justification", "justification"),
                          ("date", "dcterms:date")):
            if key in d:
                asserted[name] = d[key]
    if hop.kind == "framework" and "sourceTitle" in d:
        asserted["prefLabel"] = d["sourceTitle"]
    if hop.kind == "mapping" and "source" in d:
        source = {"id": d["source"]}
        for key, name in (("sourceTitle", "title"), ("version", "versionInfo"), ("licence", "license")):
            if key in d:
                source[name] = d[key]
        asserted["wasDerivedFrom"] = source
    return {"type": "CrosswalkHop", "from": _node(hop.start, names), "to": _node(hop.end, names),
            "relation": d.get("property", hop.relation), "inverse": d.get("inverse", False), "assertedBy": asserted}


def paths_document(paths: list[list[Hop]], names: dict[str, dict[str, str]]) -> list[dict]:
    out = []
    for path in paths:
        doc = {"type": "CrosswalkPath", "target": _node(path[-1].end, names),
               "hops": [_hop_document(h, names) for h in path]}
        implied = compose([h.relation for h in path])
        if implied:
            doc["impliedRelation"] = implied
        out.append(doc)
    return out


def _path_nodes(paths: list[list[Hop]]) -> set[str]:
    return {n for path in paths for h in path for n in (h.start, h.end)}


def _csv(paths: list[list[Hop]], names: dict[str, dict[str, str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["path", "hop", "from", "from_code", "from_label", "relation", "inverse", "to", "to_code",
                     "to_label", "asserted_by", "method", "source", "source_title", "source_version", "licence",
                     "crosswalk_row", "confidence"])
    for p, path in enumerate(paths, start=1):
        for h, hop in enumerate(path, start=1):
            d, a, b = hop.details, names.get(hop.start, {}), names.get(hop.end, {})
            writer.writerow([p, h, hop.start, a.get("notation", ""), a.get("label", ""), d.get("property", hop.relation),
                             str(d.get("inverse", False)).lower(), hop.end, b.get("notation", ""), b.get("label", ""),
                             hop.node, d.get("method", ""), d.get("source", ""), d.get("sourceTitle", ""),
                             d.get("version", ""), d.get("licence", ""), d.get("row", ""), d.get("confidence", "")])
    return buffer.getvalue().encode("utf-8")


@router.get("/crosswalk", summary="Crosswalk a code to another scheme, hop by hop, with provenance",
            description="`from` is `<scheme>:<code>` and `to` a scheme; schemes: " + ", ".join(
                f"`{s.name}` ({s.label})" for s in SCHEMES.values()) + ". Answers every shortest path (direct "
            "mappings when there are any, else up to four hops), each hop with its relation, method and source "
            "(dataset, release, licence, file row). JSON-LD by default; CSV with `Accept: text/csv` or `?format=csv`. "
            "Machine-suggested mappings are left out unless `suggestions=true`. Browsers get the crosswalk "
            "explorer: each path drawn, with a form for the start code and target scheme.",
            **negotiated([JSONLD, CSV, HTML], [404]))
async def crosswalk(request: Request, from_: str = Query(..., alias="from", max_length=200, examples=["onet-soc:29-1129.01"],
                                                         json_schema_extra={"pattern": FROM_PATTERN}),
                    to: str = Query(..., max_length=40, examples=["soc2018"], json_schema_extra={"enum": list(SCHEMES)}),
                    suggestions: bool = Query(False, description="Include machine-suggested mappings.")) -> Response:
    media = negotiate(request, [JSONLD, CSV, HTML])
    namespace = request.app.state.settings.namespace
    try:
        scheme_from, start = parse_from(from_, namespace)
        scheme_to = parse_to(to)
    except CrosswalkInputError as exc:
        raise _bad_input(exc) from None
    if not await known(request, start):
        raise HTTPException(404, detail=f"no {scheme_from.label} code {from_.partition(':')[2]} in the graph: <{start}>")
    paths = await find_paths(request, start, scheme_to, suggestions)
    names = await labels(request, _path_nodes(paths) | {start})
    if media == CSV:
        return respond(request, _csv(paths, names), CSV)
    if media == HTML:
        code = start[len(scheme_from.prefix(namespace)):]
        page = crosswalk_page.render_crosswalk(Page(request), start, scheme_from, scheme_to, code, suggestions, paths, names)
        return respond(request, page.body, HTML)
    doc = {"@context": context_url(request), "id": locations.requested(request),
           "startsAt": {**_node(start, names), "scheme": scheme_from.name}, "towards": scheme_to.name,
           "paths": paths_document(paths, names)}
    return respond(request, json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8"), JSONLD)


# ---- /trace/{statement} ------------------------------------------------------------------------

async def _statement(request: Request, iri: str) -> dict:
    rows = await select(request, "trace-statement", statement=iri_term(iri))
    if not rows:
        raise HTTPException(404, detail=f"no statement with IRI <{iri}>: /trace/ takes the path of a competency, "
                                       "AI-use or durable-skill statement")
    r = {k: v.value for k, v in rows[0].items()}
    doc = {"id": iri, "type": r["type"][len(SG):], "prefLabel": r["label"], "position": int(r["position"]),
           "level": {"id": r["level"], "prefLabel": r["levelLabel"],
                     **({"inScheme": {"id": r["scale"], "prefLabel": r["scaleLabel"]}} if "scale" in r else {})},
           "framework": {"id": r["release"], "prefLabel": r["releaseLabel"],
                         **({"releaseVersion": r["version"]} if "version" in r else {}),
                         **({"isVersionOf": r["framework"]} if "framework" in r else {})},
           "occupation": {"id": r["occupation"], "onetSocCode": r["code"],
                          **({"prefLabel": r["occupationLabel"]} if "occupationLabel" in r else {}),
                          **({"socCode": r["soc"]} if "soc" in r else {})}}
    if "text" in r:
        doc["statementText"] = r["text"]
    if "domain" in r:
        doc["domain"] = {"id": r["domain"], "prefLabel": r["domainLabel"]}
    return doc


async def _citations(request: Request, iri: str) -> list[dict]:
    rows = await select(request, "trace-citations", statement=iri_term(iri))
    out = []
    for r in rows:
        v = {k: x.value for k, x in r.items()}
        source = {"id": v["source"], **{name: v[k] for k, name in (("title", "title"), ("version", "versionInfo"),
                                                                    ("licence", "license"), ("page", "page")) if k in v}}
        if "publisher" in v:
            source["publisher"] = {"id": v["publisher"], **({"rdfs:label": v["publisherName"]} if "publisherName" in v else {})}
        out.append({"id": v["c"], "type": "Citation", "position": int(v["position"]), "citedEntity": source})
    return out


TRACE_DESCRIPTION = (
    "From a statement (its IRI's path, e.g. `framework/29-1129.01/v26.05/ai-use/developing/1`) to its level and "
    "scale, framework release, occupation, citations and their sources (with release and licence), its source "
    "anchors (O*NET tasks and descriptors, with method and score), and every crosswalk path from the occupation to "
    "SOC 2018, CIP 2020, ISCO-08 and ESCO. JSON-LD; browsers get the paths drawn. A path that names no statement is "
    "a 404 at once; a trace runs within the query time limit (503 past it), a few at a time per client (429 beyond).")


@router.get("/trace/{statement:path}", summary="Trace a statement to its sources and on to SOC, CIP and ESCO",
            description=TRACE_DESCRIPTION, **negotiated([JSONLD, HTML], [404, 429, 503]))
async def trace(request: Request, statement: str = Path(..., json_schema_extra={"pattern": f"^{STATEMENT_IRI_PATH}$"},
                                                         examples=["framework/29-1129.01/v26.05/ai-use/developing/1"])
                ) -> Response:
    if not is_statement_path(statement):
        raise HTTPException(404, detail=f"no statement at /trace/{statement}: /trace/ takes the path of a competency, "
                                        "AI-use or durable-skill statement, e.g. "
                                        "framework/29-1129.01/v26.05/ai-use/developing/1")
    media = negotiate(request, [JSONLD, HTML])
    iri = request.app.state.settings.namespace + statement
    return await rendered.cached(request, lambda: _gated_trace(request, iri, media))


def trace_admission(limits: Limits) -> Admission:
    """Where traces wait their turn (app.state.trace_admission): per client and in all, as queries
    do, each for at most the query time limit."""
    return Admission(TRACES_RUNNING, wait=limits.timeout_seconds, what="traces")


async def _gated_trace(request: Request, iri: str, media: str) -> Response:
    """The statement first (one query: an unknown one is a 404 without waiting behind others'
    traces), then the rest of the trace, a few dozen queries: admitted like a SPARQL query (its
    client's share, a wait in turn), and given up (its remaining queries never start) past the
    query time limit."""
    doc = await _statement(request, iri)
    limits = request.app.state.limits
    client = request.client.host if request.client else "unknown"
    try:
        async with request.app.state.trace_admission.slot(client):
            return await asyncio.wait_for(_trace(request, doc, media), limits.timeout_seconds)
    except ProtocolError as exc:
        raise HTTPException(exc.status, detail=exc.message, headers=exc.headers) from None
    except asyncio.TimeoutError:
        raise HTTPException(503, detail=f"the trace did not finish within the time limit of {limits.timeout_seconds:g} s; "
                                        "try again in a moment") from None


async def _trace(request: Request, doc: dict, media: str) -> Response:
    iri = doc["id"]
    doc["citation"] = await _citations(request, iri)
    anchors = await run_in_threadpool(read_anchors, reader(request), iri, doc["framework"]["id"])
    doc["sourceAnchors"] = [a.as_json() for a in anchors]
    occupation = doc["occupation"]["id"]
    crosswalks, all_paths = [], []
    for name in TRACE_SCHEMES:
        paths = await find_paths(request, occupation, SCHEMES[name])
        all_paths.extend(paths)
        crosswalks.append((name, paths))
    names = await labels(request, _path_nodes(all_paths))
    if media == HTML:
        return respond(request, crosswalk_page.render_trace(Page(request), doc, crosswalks, names).body, HTML)
    answer = {"@context": context_url(request), "id": locations.requested(request), "statement": doc,
              "crosswalks": [{"towards": name, "paths": paths_document(paths, names)} for name, paths in crosswalks]}
    return respond(request, json.dumps(answer, ensure_ascii=False, indent=2).encode("utf-8"), JSONLD)
