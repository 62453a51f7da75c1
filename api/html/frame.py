"""The frame every HTML page shares: templates, relative links, the site navigation.

Every page is rendered on the server from the store (no client-side data fetching), links
between pages are relative (so the site works on any host and under any path prefix), and
nothing on any page asks for anything from another host: styles, scripts and the query
editor (YASGUI, vendored under static/yasgui/) are all served from static/.
"""
from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from skillsgraph import __version__
from skillsgraph.vocab import ESCO, ESCO_MODEL

HERE = Path(__file__).resolve().parent
TEMPLATES_DIR = HERE / "templates"
STATIC_DIR = HERE / "static"
FORMAT_NAMES = {"application/ld+json": "JSON-LD", "text/turtle": "Turtle", "application/n-triples": "N-Triples",
                "application/rdf+xml": "RDF/XML"}

# Imported vocabularies whose IRIs are another publisher's: their pages here are /describe?iri=
# (ESCO's data, whose concepts the graph describes; not ESCO's model, whose terms it only uses).
DESCRIBED_HERE, NOT_DESCRIBED = (str(ESCO),), (str(ESCO_MODEL),)

_env = Environment(loader=FileSystemLoader(TEMPLATES_DIR), autoescape=select_autoescape(["html"]),
                   trim_blocks=True, lstrip_blocks=True)


def _json_script(value) -> Markup:
    """JSON safe to place inside <script>: no '</script>' or '<!--' can close it early."""
    text = json.dumps(value, ensure_ascii=False, indent=2)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


_env.filters["json_script"] = _json_script


class Page:
    """What every template needs: relative links from this page, the nav, the version."""

    def __init__(self, request: Request, page_path: str | None = None):
        self.request = request
        self.namespace = request.app.state.settings.namespace
        if page_path is None:
            page_path = request.url.path
            root = request.scope.get("root_path") or ""
            if root and page_path.startswith(root):
                page_path = page_path[len(root):]
        self.path = page_path.lstrip("/")

    def to(self, target: str) -> str:
        """A relative link from this page to a path of this server (without leading '/')."""
        return ("../" * self.path.count("/") + target.lstrip("/")) or "./"

    def href(self, iri: str) -> str | None:
        """Namespace IRIs and those of the vocabularies imported from elsewhere become links on
        this server (the latter to /describe, their description here); other IRIs stay as they are."""
        if iri.startswith(self.namespace):
            return self.to(iri[len(self.namespace):])
        if iri.startswith(DESCRIBED_HERE) and not iri.startswith(NOT_DESCRIBED):
            return self.to("describe?" + urlencode({"iri": iri}))
        return iri if iri.startswith(("http://", "https://")) else None

    def alternate_links(self, alternates: dict[str, str]) -> list[dict]:
        """The formats the resource is also served in, for <link rel=alternate> and the page's own list."""
        out = []
        here = self.request.url.path
        for media, name in FORMAT_NAMES.items():
            url = alternates.get(media)
            if not url:
                continue
            parts = urlsplit(url)
            # The same resource on this server: link relatively, so it works behind any host name.
            href = ("?" + parts.query if parts.query else "./") if parts.path == here else url
            out.append({"media": media, "name": name, "href": href})
        return out

    def render(self, template: str, title: str, context: dict, *, jsonld: dict | None = None,
               alternates: list[dict] | None = None, status_code: int = 200, wide: bool = False) -> HTMLResponse:
        html = _env.get_template(template).render(
            page=self, title=title, jsonld=jsonld, alternates=alternates or [], version=__version__, wide=wide,
            nav=[("Home", self.to("")), ("Query", self.to("sparql")), ("Occupations", self.to("occupations")),
                 ("Dataset", self.to("dataset")), ("Ontology", self.to("ontology")), ("API", self.to("docs"))],
            css=self.to("static/site.css"), **context)
        return HTMLResponse(html, status_code=status_code)


__all__ = ["Page", "STATIC_DIR"]
