"""The dataset itself: its JSON-LD context, ontology, shapes, VoID/DCAT description (api/dataset_description.py) and dumps."""
from __future__ import annotations

import logging
from pathlib import Path as FilePath

import pyoxigraph as ox
from fastapi import APIRouter, HTTPException, Path, Request, Response
from fastapi.responses import FileResponse, RedirectResponse, StreamingResponse
from starlette.concurrency import run_in_threadpool

from skillsgraph.resources import context_file, ontology_dir, shapes_dir
from skillsgraph.vocab import DEFAULT_NAMESPACE

from . import locations, rendered
from .dataset_description import description
from .dump_files import DumpFiles
from .dump_stream import gzipped, serialize_stream
from .freshness import http_date
from .head import is_head
from .html import resource_page
from .html.frame import Page
from .model.resource import Described
from .openapi_description import JSONLD_DOCUMENT, answers, negotiated
from .profiles import ONTOLOGY
from .representations import HTML, RDF_OFFERS, etag_for, graph_response, negotiate
from .store_access import reader
from .store_facts import facts

router = APIRouter()

# The shapes document, like the ontology's, has one fixed IRI whatever the namespace of the data.
SHAPES = DEFAULT_NAMESPACE + "shapes"
DUMPS = {
    "nt": (ox.RdfFormat.N_TRIPLES, "application/n-triples", False),
    "nq": (ox.RdfFormat.N_QUADS, "application/n-quads", True),
    "ttl": (ox.RdfFormat.TURTLE, "text/turtle", False),
    "jsonld": (ox.RdfFormat.STREAMING_JSON_LD, "application/ld+json", False),
}
CONTEXT_TYPES = ["application/ld+json", "application/json"]
# Each document of the dataset: an RDF document in every format, and a page.
DOCUMENT = negotiated([*RDF_OFFERS, HTML])
DUMP_NAMES = [f"skillsgraph.{ext}{gz}" for ext in DUMPS for gz in ("", ".gz")]


@router.get("/context.jsonld", summary="The JSON-LD context every document uses",
            **negotiated(CONTEXT_TYPES, schemas={"application/json": JSONLD_DOCUMENT}))
async def context(request: Request) -> Response:
    media = negotiate(request, CONTEXT_TYPES + ["*/*"]) if request.headers.get("accept") else "application/ld+json"
    body = context_file().read_bytes()
    return respond_static(request, body, "application/ld+json" if media == "*/*" else media)


def respond_static(request: Request, body: bytes, media: str) -> Response:
    etag = etag_for(body)
    headers = {"ETag": etag, "Cache-Control": "public, max-age=3600", "Access-Control-Allow-Origin": "*"}
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=media, headers=headers)


def _folder_triples(folder) -> list[ox.Triple]:
    """The triples of a folder's Turtle files, each once, in the order the files have them."""
    triples = (q.triple for file in sorted(folder.glob("*.ttl")) for q in ox.parse(path=str(file), format=ox.RdfFormat.TURTLE))
    return list(dict.fromkeys(triples))


@router.get("/ontology", summary="The skillsgraph ontology (OWL)", description="Content negotiation: Turtle, JSON-LD, N-Triples, RDF/XML, HTML.",
            **DOCUMENT)
async def ontology(request: Request) -> Response:
    # Rendered once: each parse of the files names the blank nodes afresh, and an answer
    # (its ETag) must not change from one request to the next.
    return await rendered.cached(request, lambda: _document(request, _folder_triples(ontology_dir()), ONTOLOGY))


@router.get("/shapes", summary="The SHACL shapes the data is validated with", **DOCUMENT)
async def shapes(request: Request) -> Response:
    return await rendered.cached(request, lambda: _document(request, _folder_triples(shapes_dir()), SHAPES))


async def _document(request: Request, triples: list[ox.Triple], iri: str) -> Response:
    resource = Described(iri, triples)
    return await graph_response(request, triples, html=lambda alternates: resource_page.render(
        Page(request), reader(request), resource, alternates))


@router.get("/.well-known/void", include_in_schema=False)
async def well_known_void(request: Request) -> Response:
    return RedirectResponse("/dataset", status_code=303)


@router.get("/dataset", summary="VoID and DCAT description of the dataset",
            description="Licence, release, sources, SPARQL endpoint, dumps and triple counts per named graph.",
            **DOCUMENT)
async def dataset(request: Request) -> Response:
    """Counted once (store_facts), rendered once per location and negotiation (rendered)."""
    return await rendered.cached(request, lambda: _dataset(request))


async def _dataset(request: Request) -> Response:
    namespace = request.app.state.settings.namespace
    dumps = {ext: media for ext, (_fmt, media, _q) in DUMPS.items()}
    triples = description(await facts(request), namespace, locations.base(request), dumps)
    return await _document(request, triples, namespace + "dataset")


@router.get("/dump/{name}", summary="Whole-graph dumps",
            description="skillsgraph.nt, .nq (with named graphs), .ttl, .jsonld; add .gz for gzip. Over the "
                        "embedded store each is written once and served as a file (Range, ETag, 304s); over an "
                        "external store, streamed.",
            responses=answers([*dict.fromkeys(media for _f, media, _q in DUMPS.values()), "application/gzip"], [404]))
async def dump(request: Request, name: str = Path(..., json_schema_extra={"enum": DUMP_NAMES})) -> Response:
    stem, _, ext = name.partition(".")
    gz = ext.endswith(".gz")
    ext = ext[:-3] if gz else ext
    if stem != "skillsgraph" or ext not in DUMPS:
        choices = ", ".join(f"skillsgraph.{e}[.gz]" for e in DUMPS)
        raise HTTPException(404, detail=f"no dump {name!r}; available: {choices}")
    fmt, media, with_graphs = DUMPS[ext]
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    files: DumpFiles | None = request.app.state.dump_files
    stem = f"skillsgraph.{ext}"
    # A HEAD before the first GET is answered from the stream's first chunk, as over an external
    # store: it writes no file of a hundred megabytes that nobody may fetch.
    if files is None or (is_head(request) and files.written(stem, gz) is None):
        return _streamed(request, fmt, with_graphs, gz, media, headers)
    try:
        path = await run_in_threadpool(files.path, stem, fmt, with_graphs, gz)
    except OSError as exc:  # a full disk, a home made read-only: the dump is streamed, not kept
        logging.getLogger("skillsgraph").warning("dump %s not written to %s: %s; streamed instead", name, files.folder, exc)
        return _streamed(request, fmt, with_graphs, gz, media, headers)
    return _file_answer(request, path, "application/gzip" if gz else media, headers)


def _streamed(request: Request, fmt: ox.RdfFormat, with_graphs: bool, gz: bool, media: str,
              headers: dict[str, str]) -> Response:
    store = request.app.state.store
    # Oxigraph iterators must stay on the thread that made them: hand over a factory.
    chunks = serialize_stream(store.quads if with_graphs else store.triples, fmt)
    return StreamingResponse(gzipped(chunks) if gz else chunks, media_type="application/gzip" if gz else media,
                             headers=headers)


def _file_answer(request: Request, path: FilePath, media: str, headers: dict[str, str]) -> Response:
    """A written dump: its ETag names the store, the file and its size (the file never changes
    once written); Last-Modified is the data's, as on every document."""
    stat = path.stat()
    headers = {**headers, "ETag": f'"{path.parent.name}-{path.name}-{stat.st_size}"',
               "Last-Modified": http_date(request.app.state.generation.modified)}
    if headers["ETag"] in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers={k: v for k, v in headers.items() if k != "Content-Disposition"})
    return FileResponse(path, media_type=media, headers=headers, stat_result=stat)
