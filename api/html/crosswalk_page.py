"""The crosswalk explorer: /crosswalk and /trace as pages, each path drawn as code boxes joined by
arrows labelled with the hop's relation and source, every hop's provenance in a table below.

The pages draw what api.crosswalk found (the same paths its JSON-LD and CSV give); a form picks
the start code and target scheme, and links fetch the same answer as CSV or JSON-LD.
"""
from __future__ import annotations

from urllib.parse import urlencode

from fastapi.responses import HTMLResponse

from skillsgraph.vocab import SG, SKOS

from ..crosswalk_paths import SCHEMES, Hop, Scheme, compose, in_scheme
from .frame import Page
from .labels import LICENCE_NAMES

RELATIONS = {SKOS.exactMatch: "exact match", SKOS.closeMatch: "close match", SKOS.broadMatch: "broader",
             SKOS.narrowMatch: "narrower", SKOS.relatedMatch: "related", SG.occupation: "framework for",
             SG.instructionalProgram: "instructional programme"}
START_SCHEMES = [s for s in SCHEMES.values() if s.name != "framework"]


def _relation(iri: str, inverse: bool = False) -> str:
    name = RELATIONS.get(iri) or iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    return f"{name} (read backwards)" if inverse else name


def _scheme_of(iri: str, namespace: str) -> Scheme | None:
    return next((s for s in SCHEMES.values() if in_scheme(iri, s, namespace)), None)


def _node(page: Page, iri: str, names: dict, role: str = "") -> dict:
    scheme = _scheme_of(iri, page.namespace)
    found = names.get(iri, {})
    code = found.get("notation") or iri.rstrip("/").rsplit("/", 1)[-1]
    return {"href": page.href(iri), "iri": iri, "scheme": scheme.label if scheme else "", "code": code,
            "name": found.get("label", ""), "role": role}


def _edge(page: Page, hop: Hop) -> dict:
    d = hop.details
    title, version = d.get("sourceTitle") or "", d.get("version") or ""
    source = title if version in title else f"{title} {version}".strip()
    licence = d.get("licence")
    return {"relation": _relation(hop.relation), "stated": _relation(d.get("property", hop.relation), d.get("inverse", False)),
            "method": d.get("methodLabel") or (d["method"].rsplit("/", 1)[-1] if d.get("method") else
                                                "asserted by the framework" if hop.kind == "framework" else ""),
            "source": source, "source_href": page.href(d["source"]) if d.get("source") else None,
            "licence": LICENCE_NAMES.get(licence, licence) if licence else "", "licence_href": licence,
            "row": d.get("row", ""), "confidence": d.get("confidence", ""),
            "node_href": page.href(hop.node), "node": hop.node}


def path_views(page: Page, paths: list[list[Hop]], names: dict) -> list[dict]:
    """Each path as boxes and arrows: [node, edge, node, ...], with its hops' provenance."""
    views = []
    for path in paths:
        steps = [{"node": _node(page, path[0].start, names, "start")}]
        for i, hop in enumerate(path):
            steps.append({"edge": _edge(page, hop)})
            steps.append({"node": _node(page, hop.end, names, "target" if i == len(path) - 1 else "")})
        implied = compose([h.relation for h in path])
        views.append({"steps": steps, "hops": [s["edge"] for s in steps if "edge" in s],
                      "implied": _relation(implied) if implied else None})
    return views


def downloads(page: Page, path: str, params: list[tuple[str, str]]) -> list[dict]:
    """The same answer as CSV and JSON-LD (where the route gives CSV)."""
    formats = (("csv", "CSV"), ("jsonld", "JSON-LD")) if path == "crosswalk" else (("jsonld", "JSON-LD"),)
    return [{"href": "?" + urlencode([*params, ("format", f)]), "name": name} for f, name in formats]


def render_crosswalk(page: Page, start: str, scheme_from: Scheme, scheme_to: Scheme, code: str,
                     suggestions: bool, paths: list[list[Hop]], names: dict) -> HTMLResponse:
    params = [("from", f"{scheme_from.name}:{code}"), ("to", scheme_to.name)] + (
        [("suggestions", "true")] if suggestions else [])
    context = {"start": _node(page, start, names, "start"), "scheme_from": scheme_from, "scheme_to": scheme_to,
               "code": code, "suggestions": suggestions, "schemes": START_SCHEMES, "targets": list(SCHEMES.values()),
               "paths": path_views(page, paths, names), "downloads": downloads(page, "crosswalk", params)}
    title = f"Crosswalk: {scheme_from.label} {code} to {scheme_to.label}"
    return page.render("crosswalk.html", title, context, wide=True)


def render_trace(page: Page, statement: dict, crosswalks: list[tuple[str, list[list[Hop]]]],
                 names: dict) -> HTMLResponse:
    occupation = statement["occupation"]
    context = {"statement": statement, "statement_href": page.href(statement["id"]),
               "framework_href": page.href(statement["framework"]["id"]),
               "occupation_href": page.href(occupation["id"]),
               "citations": [{**c, "href": page.href(c["citedEntity"]["id"])} for c in statement.get("citation", [])],
               "towards": [{"scheme": SCHEMES[name], "paths": path_views(page, paths, names),
                            "explore": page.to("crosswalk?" + urlencode(
                                {"from": f"onet-soc:{occupation['onetSocCode']}", "to": name}))}
                           for name, paths in crosswalks],
               "downloads": downloads(page, "trace", [])}
    return page.render("trace.html", f"Trace: {statement['prefLabel']}", context, wide=True)


__all__ = ["render_crosswalk", "render_trace", "path_views"]
