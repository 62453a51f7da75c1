"""The dataset itself: its JSON-LD context, ontology, shapes, VoID/DCAT description (api/dataset_description.py) and dumps."""
from __future__ import annotations

import queue
import threading
import zlib
from typing import Iterator

import pyoxigraph as ox
from fastapi import APIRouter, HTTPException, Path, Request, Response
from fastapi.responses import RedirectResponse, StreamingResponse

from skillsgraph.resources import context_file, ontology_dir, shapes_dir
from skillsgraph.vocab import DEFAULT_NAMESPACE

from . import locations, rendered
from .dataset_description import description
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


@router.get("/dump/{name}", summary="Whole-graph dumps, streamed",
            description="skillsgraph.nt, .nq (with named graphs), .ttl, .jsonld; add .gz for gzip.",
            responses=answers([*dict.fromkeys(media for _f, media, _q in DUMPS.values()), "application/gzip"], [404]))
async def dump(request: Request, name: str = Path(..., json_schema_extra={"enum": DUMP_NAMES})) -> Response:
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


class _Stopped(Exception):
    """The consumer went away (a HEAD, a client that hung up): serialising stops."""


class _QueueWriter:
    def __init__(self, q: "queue.Queue[bytes | None]", stopped: threading.Event):
        self.q, self.stopped = q, stopped

    def write(self, data: bytes) -> int:
        if not _hand_over(self.q, bytes(data), self.stopped):
            raise _Stopped
        return len(data)

    def flush(self) -> None:
        pass


def _hand_over(q: "queue.Queue[bytes | None]", item: bytes | None, stopped: threading.Event) -> bool:
    """Put `item` on the queue unless the consumer stops first; whether it was put."""
    while not stopped.is_set():
        try:
            q.put(item, timeout=0.5)
            return True
        except queue.Full:
            continue
    return False


def _serialize_stream(make_items, fmt: ox.RdfFormat) -> Iterator[bytes]:
    """Serialise in a worker thread and hand chunks over a bounded queue: memory stays flat.
    A consumer that stops early (the generator is closed) stops the worker too."""
    q: "queue.Queue[bytes | None]" = queue.Queue(maxsize=64)
    failure: list[BaseException] = []
    stopped = threading.Event()

    def work() -> None:
        try:
            ox.serialize(make_items(), output=_QueueWriter(q, stopped), format=fmt)
        except _Stopped:
            pass
        except BaseException as exc:  # handed to the consumer, which re-raises it
            failure.append(exc)
        finally:
            _hand_over(q, None, stopped)

    threading.Thread(target=work, daemon=True).start()
    try:
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
    finally:
        stopped.set()


def _gzip(chunks: Iterator[bytes]) -> Iterator[bytes]:
    compressor = zlib.compressobj(6, zlib.DEFLATED, 31)
    for chunk in chunks:
        if out := compressor.compress(chunk):
            yield out
    yield compressor.flush()
