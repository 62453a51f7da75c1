"""The home page: the frameworks served, and where to go from here."""
from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse

from ..store_access import value
from .frame import Page

# The framework the home page invites a visitor to open first, when it is served.
FEATURED = "framework/29-1129.01/v26.05"
LINKS = {"query": "sparql", "docs": "docs", "occupations": "occupations", "dataset": "dataset",
         "ontology": "ontology", "shapes": "shapes", "context": "context.jsonld",
         "dump_nq": "dump/skillsgraph.nq.gz", "dump_nt": "dump/skillsgraph.nt.gz",
         "dump_ttl": "dump/skillsgraph.ttl.gz", "dump_jsonld": "dump/skillsgraph.jsonld.gz"}


def render(request: Request, rows: list[dict], alternates: dict[str, str]) -> HTMLResponse:
    """The page of the releases `rows` (home-frameworks.rq) lists, linking the home's other formats."""
    page = Page(request, "")
    frameworks = [{"href": page.href(r["release"].value), "title": r["title"].value, "code": value(r.get("code")),
                   "version": r["version"].value, "statements": int(r["statements"].value)} for r in rows]
    featured = page.namespace + FEATURED
    context = {
        "frameworks": frameworks,
        "featured_href": page.href(featured) if any(r["release"].value == featured for r in rows)
        else (frameworks[0]["href"] if frameworks else None),
        "links": {name: page.to(path) for name, path in LINKS.items()},
        "namespace": page.namespace,
    }
    return page.render("home.html", "skillsgraph: occupational skills frameworks as linked data", context,
                       alternates=page.alternate_links(alternates))
