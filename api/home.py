"""The home, `/`: its page for people, and for machines the catalogue that page shows, in RDF.

A browser (or a client that states no preference) gets the page; `Accept: application/ld+json`
(or Turtle, N-Triples, RDF/XML, or ?format=) gets the namespace root as a dcat:Catalog of the
dataset and the framework releases served, each page linking the others as alternates.
"""
from __future__ import annotations

import pyoxigraph as ox
from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from skillsgraph.vocab import DCAT, DCTERMS, RDF, RDFS

from .html import home_page
from .representations import graph_response
from .store_access import reader

router = APIRouter()
TITLE = "skillsgraph: occupational skills frameworks as linked data"


def catalogue(namespace: str, rows: list[dict]) -> list[ox.Triple]:
    home = ox.NamedNode(namespace)
    triples = [ox.Triple(home, ox.NamedNode(RDF.type), ox.NamedNode(DCAT.Catalog)),
               ox.Triple(home, ox.NamedNode(DCTERMS.term("title")), ox.Literal(TITLE, language="en")),
               ox.Triple(home, ox.NamedNode(DCAT.dataset), ox.NamedNode(namespace + "dataset"))]
    for row in rows:
        triples += [ox.Triple(home, ox.NamedNode(DCTERMS.hasPart), row["release"]),
                    ox.Triple(row["release"], ox.NamedNode(RDFS.label),
                              ox.Literal(f"{row['title'].value} v.{row['version'].value}", language="en"))]
    return triples


@router.get("/", include_in_schema=False)
async def home(request: Request) -> Response:
    rows = await run_in_threadpool(reader(request).select, "home-frameworks")
    triples = catalogue(request.app.state.settings.namespace, rows)
    return await graph_response(request, triples, prefer_html=True,
                                html=lambda alternates: home_page.render(request, rows, alternates))


__all__ = ["router", "catalogue"]
