"""For crawlers: /robots.txt and a sitemap (protocol 0.9) of every occupation, framework
release and statement page, each with the time the data was built as its lastmod.

Up to SKILLSGRAPH_SITEMAP_PAGE_SIZE URLs (default 50,000, the protocol's limit), /sitemap.xml
is one urlset; beyond that it is a sitemap index of /sitemap-<n>.xml pages. URLs are this
server's (api/locations.py), at each IRI's path, because a sitemap may only list URLs of its own host.
"""
from __future__ import annotations

import asyncio
import math
import os
from xml.sax.saxutils import escape

from fastapi import APIRouter, HTTPException, Path, Request, Response

from . import locations
from .openapi_description import answers
from .representations import etag_for
from .store_access import select

router = APIRouter()

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
PROTOCOL_LIMIT = 50_000
TOP_LEVEL = ("", "occupations", "dataset", "sources", "scales", "domains")


def page_size() -> int:
    try:
        size = int(os.environ.get("SKILLSGRAPH_SITEMAP_PAGE_SIZE", PROTOCOL_LIMIT))
    except ValueError:
        size = PROTOCOL_LIMIT
    return min(max(size, 1), PROTOCOL_LIMIT)


async def _paths(request: Request) -> list[str]:
    """Every page's path, in a stable order; read once per generation of the served data."""
    generation = request.app.state.generation
    cached = generation.held("sitemap paths")
    if cached is not None:
        return cached
    ns = request.app.state.settings.namespace
    rows = await select(request, "sitemap-pages")
    found = sorted({r["s"].value[len(ns):] for r in rows if r["s"].value.startswith(ns)})
    return generation.keep("sitemap paths", [*TOP_LEVEL, *found])


def _lastmod(request: Request) -> str:
    modified = request.app.state.generation.modified
    return modified.strftime("%Y-%m-%dT%H:%M:%S+00:00")


def _xml(request: Request, body: str) -> Response:
    payload = ('<?xml version="1.0" encoding="UTF-8"?>\n' + body).encode("utf-8")
    etag = etag_for(payload)
    headers = {"ETag": etag, "Cache-Control": "public, max-age=300"}
    if etag in [t.strip() for t in request.headers.get("if-none-match", "").split(",")]:
        return Response(status_code=304, headers=headers)
    return Response(payload, media_type="application/xml", headers=headers)


def _urlset(request: Request, paths: list[str]) -> str:
    base, lastmod = locations.base(request), _lastmod(request)
    urls = "".join(f"  <url><loc>{escape(base + p)}</loc><lastmod>{lastmod}</lastmod></url>\n" for p in paths)
    return f'<urlset xmlns="{SITEMAP_NS}">\n{urls}</urlset>\n'


@router.get("/sitemap.xml", summary="Sitemap for crawlers (protocol 0.9)",
            description="Every occupation, framework release and statement page, with lastmod. A sitemap index "
                        "of /sitemap-<n>.xml pages when there are more URLs than one sitemap may hold.",
            responses=answers(["application/xml"], [304]))
async def sitemap(request: Request) -> Response:
    paths = await _paths(request)
    size = page_size()
    if len(paths) <= size:
        return _xml(request, _urlset(request, paths))
    base, lastmod = locations.base(request), _lastmod(request)
    pages = "".join(f"  <sitemap><loc>{escape(base)}sitemap-{n}.xml</loc><lastmod>{lastmod}</lastmod></sitemap>\n"
                    for n in range(1, math.ceil(len(paths) / size) + 1))
    return _xml(request, f'<sitemapindex xmlns="{SITEMAP_NS}">\n{pages}</sitemapindex>\n')


@router.get("/sitemap-{number}.xml", summary="One page of the sitemap index",
            responses=answers(["application/xml"], [304, 404]))
async def sitemap_page(request: Request, number: str = Path(..., json_schema_extra={"pattern": "^[0-9]{1,9}$"})) -> Response:
    paths = await _paths(request)
    size = page_size()
    last = max(1, math.ceil(len(paths) / size))
    # isascii: '²' is a digit to str.isdigit but no number to int(); the length bounds int()'s work.
    if not (number.isascii() and number.isdigit() and len(number) <= 9) or not 1 <= int(number) <= last:
        raise HTTPException(404, detail=f"no sitemap page {number!r}; pages run from 1 to {last} (see /sitemap.xml)")
    start = (int(number) - 1) * size
    return _xml(request, await asyncio.to_thread(_urlset, request, paths[start:start + size]))


@router.get("/robots.txt", include_in_schema=False)
async def robots(request: Request) -> Response:
    body = f"User-agent: *\nAllow: /\nDisallow: /sparql?\n\nSitemap: {locations.base(request)}sitemap.xml\n"
    return Response(body, media_type="text/plain; charset=utf-8", headers={"Cache-Control": "public, max-age=3600"})


__all__ = ["router", "page_size"]
