"""The dataset itself: its JSON-LD context, ontology, shapes, VoID/DCAT description and dumps."""
from __future__ import annotations

import queue
import threading
import zlib
from typing import Iterator

import pyoxigraph as ox
from fastapi import APIRouter, HTTPException, Request, Response
from fastapi.responses import RedirectResponse, StreamingResponse
from starlette.concurrency import run_in_threadpool
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, XSD

from skillsgraph import __version__
from skillsgraph.resources import context_file, ontology_dir, shapes_dir

from .representations import graph_response, negotiate, respond
from .profiles import routes as profile_routes

router = APIRouter()

VOID = Namespace("http://rdfs.org/ns/void#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
SG = Namespace("https://w3id.org/skillsgraph/ontology#")
DUMPS = {
    "nt": (ox.RdfFormat.N_TRIPLES, "application/n-triples", False),
    "nq": (ox.RdfFormat.N_QUADS, "application/n-quads", True),
    "ttl": (ox.RdfFormat.TURTLE, "text/turtle", False),
    "jsonld": (ox.RdfFormat.STREAMING_JSON_LD, "application/ld+json", False),
}
CONTEXT_TYPES = ["application/ld+json", "application/json"]


@router.get("/context.jsonld", summary="The JSON-LD context every document uses")
async def context(request: Request) -> Response:
    media = negotiate(request, CONTEXT_TYPES + ["*/*"]) if request.headers.get("accept") else "application/ld+json"
    body = context_file().read_bytes()
    return respond_static(request, body, "application/ld+json" if media == "*/*" else media)


def respond_static(request: Request, body: bytes, media: str) -> Response:
    from .representations import etag_for
    etag = etag_for(body)
    headers = {"ETag": etag, "Cache-Control": "public, max-age=3600", "Access-Control-Allow-Origin": "*"}
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=media, headers=headers)


def _folder_graph(folder) -> Graph:
    g = Graph()
    for file in sorted(folder.glob("*.ttl")):
        g.parse(file, format="turtle")
    return g


def _graph_triples(g: Graph) -> list[ox.Triple]:
    return list(ox.parse(g.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES))


@router.get("/ontology", summary="The skillsgraph ontology (OWL)", description="Content negotiation: Turtle, JSON-LD, N-Triples, RDF/XML, HTML.")
async def ontology(request: Request) -> Response:
    return await _document(request, _graph_triples(_folder_graph(ontology_dir())), "https://w3id.org/skillsgraph/ontology")


@router.get("/shapes", summary="The SHACL shapes the data is validated with")
async def shapes(request: Request) -> Response:
    return await _document(request, _graph_triples(_folder_graph(shapes_dir())), "https://w3id.org/skillsgraph/shapes")


async def _document(request: Request, triples: list[ox.Triple], iri: str) -> Response:
    from . import pages
    return await graph_response(request, triples, html=lambda alternates: pages.render_resource(request, iri, triples, alternates))


@router.get("/.well-known/void", include_in_schema=False)
async def well_known_void(request: Request) -> Response:
    return RedirectResponse("/dataset", status_code=303)


@router.get("/dataset", summary="VoID and DCAT description of the dataset",
            description="Licence, release, sources, SPARQL endpoint, dumps and triple counts per named graph.")
async def dataset(request: Request) -> Response:
    g = await run_in_threadpool(description_graph, request)
    return await _document(request, _graph_triples(g), request.app.state.settings.namespace + "dataset")


def description_graph(request: Request) -> Graph:
    ns = request.app.state.settings.namespace
    store = request.app.state.store
    graphs = store.graphs()
    d = URIRef(ns + "dataset")
    g = Graph()
    g.bind("void", VOID), g.bind("dcat", DCAT), g.bind("dcterms", DCTERMS), g.bind("sg", SG)
    for t in (VOID.Dataset, DCAT.Dataset):
        g.add((d, RDF.type, t))
    g.add((d, DCTERMS.title, Literal("skillsgraph: occupational skills frameworks as linked data", lang="en")))
    g.add((d, RDFS.label, Literal("skillsgraph dataset", lang="en")))
    g.add((d, DCTERMS.description, Literal("Occupational skills frameworks (mastery levels, competency, AI-use and durable-skill statements, O*NET descriptors, evidence and sources) as RDF.", lang="en")))
    g.add((d, DCTERMS.license, URIRef("https://creativecommons.org/licenses/by/4.0/")))
    g.add((d, DCTERMS.rights, Literal("Includes information from O*NET (USDOL/ETA, CC BY 4.0) and the National Skills Exchange catalogue (© 2026 EBSCOed); see each source's licence.", lang="en")))
    g.add((d, VOID.uriSpace, Literal(ns)))
    g.add((d, VOID.sparqlEndpoint, URIRef(ns + "sparql")))
    g.add((d, VOID.vocabulary, URIRef(str(SG))))
    g.add((d, VOID.triples, Literal(sum(1 for _ in store.triples()), datatype=XSD.integer)))
    g.add((d, FOAF.homepage, URIRef(ns)))
    g.add((d, URIRef("http://www.w3.org/2002/07/owl#versionInfo"), Literal(__version__)))
    for info in graphs:
        sub = URIRef(info.name)
        g.add((d, VOID.subset, sub))
        g.add((sub, RDF.type, VOID.Dataset))
        g.add((sub, SD.name, sub))
        g.add((sub, VOID.triples, Literal(info.triples, datatype=XSD.integer)))
    for row in store.query(
            "PREFIX sg: <https://w3id.org/skillsgraph/ontology#> SELECT DISTINCT ?s WHERE { ?s a sg:Source }",
            __import__("skillsgraph.store.base", fromlist=["Dataset"]).Dataset(), request.app.state.limits).rows:
        g.add((d, DCTERMS.source, URIRef(row["s"].value)))
    for row in store.query(
            "PREFIX sg: <https://w3id.org/skillsgraph/ontology#> SELECT DISTINCT ?r WHERE { ?r a sg:FrameworkRelease }",
            __import__("skillsgraph.store.base", fromlist=["Dataset"]).Dataset(), request.app.state.limits).rows:
        g.add((d, DCTERMS.hasPart, URIRef(row["r"].value)))
    profile_routes.add_distributions(g, d, ns)
    for ext, (_fmt, media, _q) in DUMPS.items():
        for gz in (False, True):
            name = f"skillsgraph.{ext}" + (".gz" if gz else "")
            url = URIRef(f"{ns}dump/{name}")
            dist = URIRef(f"{ns}dataset#dump-{ext}" + ("-gz" if gz else ""))
            g.add((d, VOID.dataDump, url))
            g.add((d, DCAT.distribution, dist))
            g.add((dist, RDF.type, DCAT.Distribution))
            g.add((dist, DCAT.downloadURL, url))
            g.add((dist, DCAT.mediaType, URIRef(f"https://www.iana.org/assignments/media-types/{media}")))
            if gz:
                g.add((dist, DCAT.compressFormat, URIRef("https://www.iana.org/assignments/media-types/application/gzip")))
    return g


@router.get("/dump/{name}", summary="Whole-graph dumps, streamed",
            description="skillsgraph.nt, .nq (with named graphs), .ttl, .jsonld; add .gz for gzip.")
async def dump(name: str, request: Request) -> Response:
    stem, _, ext = name.partition(".")
    gz = ext.endswith(".gz")
    ext = ext[:-3] if gz else ext
    if stem != "skillsgraph" or ext not in DUMPS:
        choices = ", ".join(f"skillsgraph.{e}[.gz]" for e in DUMPS)
        raise HTTPException(404, detail=f"no dump {name!r}; available: {choices}")
    fmt, media, with_graphs = DUMPS[ext]
    store = request.app.state.store
    # Oxigraph iterators must stay on the thread that made them: hand over a factory.
    chunks = _serialize_stream(store.quads if with_graphs else store.triples, fmt)
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    if gz:
        return StreamingResponse(_gzip(chunks), media_type="application/gzip", headers=headers)
    return StreamingResponse(chunks, media_type=media, headers=headers)


class _QueueWriter:
    def __init__(self, q: "queue.Queue[bytes | None]"):
        self.q = q

    def write(self, data: bytes) -> int:
        self.q.put(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass


def _serialize_stream(make_items, fmt: ox.RdfFormat) -> Iterator[bytes]:
    """Serialise in a worker thread and hand chunks over a bounded queue: memory stays flat."""
    q: "queue.Queue[bytes | None]" = queue.Queue(maxsize=64)
    failure: list[BaseException] = []

    def work() -> None:
        try:
            ox.serialize(make_items(), output=_QueueWriter(q), format=fmt)
        except BaseException as exc:  # handed to the consumer, which re-raises it
            failure.append(exc)
        finally:
            q.put(None)

    threading.Thread(target=work, daemon=True).start()
    buffer = bytearray()
    while (chunk := q.get()) is not None:
        buffer += chunk
        if len(buffer) >= 1 << 16:
            yield bytes(buffer)
            buffer.clear()
    if failure:
        raise failure[0]
    if buffer:
        yield bytes(buffer)


def _gzip(chunks: Iterator[bytes]) -> Iterator[bytes]:
    compressor = zlib.compressobj(6, zlib.DEFLATED, 31)
    for chunk in chunks:
        if out := compressor.compress(chunk):
            yield out
    yield compressor.flush()
