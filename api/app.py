"""The FastAPI application: SPARQL endpoint, linked data, documents and pages over one store."""
from __future__ import annotations

import gc
import logging
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from skillsgraph import __version__
from skillsgraph.config import Settings
from skillsgraph.store.base import Limits, QueryTimeout, Store, StoreUnavailable

from . import crosswalk, dataset, documents, heap_trim, home, linked_data, openapi_description, search, sitemap
from .bounded_map import BoundedMap
from .dump_files import dump_files_for
from .freshness import LastModifiedMiddleware
from .head import HeadAsGetMiddleware
from .html import docs_page, routes as page_routes
from .profiles import case_api, routes as profile_routes
from .security_headers import SecurityHeadersMiddleware
from .sparql import endpoint as sparql_endpoint
from .sparql.admission import Admission
from .sparql.gate import MAX_RUNNING
from .sparql.workers import pool_for
from .served import GenerationMiddleware, begin, identity_of

# What a browser client may read of an answer: the profile it got, the links to alternates,
# contexts and profiles, the validators, where it was redirected, a truncated result.
EXPOSED_HEADERS = ["Content-Profile", "Link", "ETag", "Last-Modified", "Content-Location", "Content-Disposition",
                   "Vary", "Location", "X-SPARQL-Truncated"]


def create_app(settings: Settings, store: Store, limits: Limits = Limits()) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI):
        # Under a server: the facts counted at start, the query workers ready before the first
        # query and stopped with it. (In-process test clients count when first asked, and a
        # pool starts on its first query.)
        app.state.generation.facts.warm()
        pool = app.state.query_pool
        if pool is not None:
            pool.start()
        # What the server holds from its start (modules, routes, templates, contexts) lives as
        # long as it does: frozen out of the cyclic collector, whose full collections walked it
        # for 80-97 ms in the middle of every few release documents, freeing nothing. (Collected
        # first: a cycle already garbage would stay frozen for good.)
        gc.collect()
        gc.freeze()
        async with heap_trim.trimming():
            yield
        if pool is not None:
            pool.close()

    app = FastAPI(
        lifespan=lifespan,
        title="skillsgraph",
        version=__version__,
        description="Occupational skills frameworks as linked data: a read-only SPARQL 1.1 endpoint, "
                    "dereferenceable IRIs with content negotiation, harvester documents and dumps.",
        docs_url=None, redoc_url=None,  # /docs is api.html.docs_page, served offline
        # Each route answers in the media types it declares (api/openapi_description.py), never JSON by default.
        default_response_class=Response,
    )
    openapi_description.install(app)
    app.state.settings = settings
    app.state.store = store
    app.state.limits = limits
    app.state.query_pool = pool_for(store, limits)  # None: queries run on threads of this process
    app.state.admission = Admission(app.state.query_pool.most if app.state.query_pool else MAX_RUNNING)
    app.state.trace_admission = crosswalk.trace_admission(limits)
    # What the app keeps of the data it serves: renderings, reads, counts, Last-Modified (api/served.py).
    app.state.generation = begin(app, identity_of(store), _new_reads())
    app.state.dump_files = dump_files_for(settings.home, store)  # None: dumps are streamed
    app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "POST", "HEAD", "OPTIONS"],
                       allow_headers=["*"], expose_headers=EXPOSED_HEADERS)
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(LastModifiedMiddleware)
    app.add_middleware(HeadAsGetMiddleware)  # everything within answers HEAD as its GET
    app.add_middleware(GenerationMiddleware, new_reads=_new_reads)  # outermost: the data's generation first
    _install_error_handlers(app)

    @app.get("/health", include_in_schema=False, response_class=JSONResponse)
    async def health() -> dict:
        # On the loop: a synchronous route is sent to a thread and back (0.16 ms), for nothing here.
        return {"status": "ok"}

    app.include_router(sparql_endpoint.router)
    app.include_router(dataset.router)
    app.include_router(documents.router)
    app.include_router(search.router)
    app.include_router(crosswalk.router)
    app.include_router(home.router)
    app.include_router(page_routes.router)
    app.include_router(docs_page.router)
    app.include_router(sitemap.router)
    app.include_router(profile_routes.router)
    app.include_router(case_api.router)
    # Last: it answers every other path under the namespace.
    app.include_router(linked_data.router)
    return app


def _new_reads() -> BoundedMap:
    return BoundedMap(linked_data.READS_BUDGET, linked_data.read_size)


def _install_error_handlers(app: FastAPI) -> None:
    """Errors are short plain-text messages that say what was wrong, never a traceback."""

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> PlainTextResponse:
        return PlainTextResponse(f"{exc.status_code} {exc.detail}\n" if exc.detail else f"{exc.status_code}\n",
                                 status_code=exc.status_code, headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> PlainTextResponse:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
        return PlainTextResponse(f"400 bad request: {problems}\n", status_code=400)

    @app.exception_handler(QueryTimeout)
    async def busy(request: Request, exc: QueryTimeout) -> PlainTextResponse:
        # A fixed read of a document is cheap when the server is not overloaded: past the time
        # limit it is the load, not the request, so say so and when to come back.
        return PlainTextResponse(f"503 reading {request.url.path} from the store took longer than the time limit "
                                 f"({exc}); the server is busy, try again in a moment\n", status_code=503,
                                 headers={"Retry-After": "5"})

    @app.exception_handler(StoreUnavailable)
    async def store_unavailable(request: Request, exc: StoreUnavailable) -> PlainTextResponse:
        logging.getLogger("skillsgraph").warning("%s: %s", request.url.path, exc)
        return PlainTextResponse("503 the triple store behind this server is unavailable; try again shortly\n",
                                 status_code=503, headers={"Retry-After": "5"})

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> PlainTextResponse:
        # A bug of ours: say so plainly, keep the details in the server log.
        logging.getLogger("skillsgraph").exception("unhandled error on %s", request.url.path)
        return PlainTextResponse("500 internal error: the server could not answer this request; it has been logged\n",
                                 status_code=500)
