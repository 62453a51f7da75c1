"""The pages of the shared registries: /sources (every source, its publisher, release, licence
and how many statements cite it), /scales (each level scale, its levels and their editorial
correspondences) and /domains (the durable-skill domains, what each matches among O*NET's
skills and how many statements it holds). Each renders its read model (api/model/registry.py).
"""
from __future__ import annotations

from fastapi.responses import HTMLResponse

from ..model.registry import read_domain_entries, read_level_matches, read_scales, read_source_entries
from ..store_access import Reader
from .frame import Page
from .labels import LICENCE_NAMES, names

# How the kinds of source read on the page.
SOURCE_KINDS = {"CrosswalkRelease": "crosswalk", "ClassificationRelease": "classification", "OnetRelease": "O*NET release"}
INTRO = {
    "sources": "Every source the graph cites or imports: the catalogue's references, the evidence pack's, "
               "and each published crosswalk, classification and O*NET release, with its publisher, release and licence.",
    "scales": "The two ordered level scales: mastery levels of the competency and AI-use statements, and "
              "proficiency levels of the durable-skill statements, with the editors' correspondences between them.",
    "domains": "The ten durable-skill domains, their proficiency statements in the frameworks, and what each "
               "corresponds to among O*NET's skills (editorial mappings with their SKOS relation).",
}


def render_sources(page: Page, reader: Reader, alternates: list[dict]) -> HTMLResponse:
    rows = [{"iri": e.source.iri, "href": page.href(e.source.iri), "title": e.source.title, "chip": e.source.chip,
             "citation": e.source.citation if e.source.citation != e.source.title else None,
             "publisher": e.source.publisher, "version": e.source.version, "issued": e.source.issued,
             "licence": e.source.licence, "licence_name": LICENCE_NAMES.get(e.source.licence or "", e.source.licence),
             "page": e.source.page, "kinds": [SOURCE_KINDS.get(k.rsplit("#", 1)[-1], k.rsplit("#", 1)[-1]) for k in e.kinds],
             "cited_by": e.cited_by} for e in read_source_entries(reader)]
    return page.render("sources.html", "Sources", {"rows": rows, "intro": INTRO["sources"]}, alternates=alternates)


def render_scales(page: Page, reader: Reader, alternates: list[dict]) -> HTMLResponse:
    scales = read_scales(reader)
    matches = read_level_matches(reader)
    labels = {lv.iri: lv.label for s in scales.values() for lv in s.levels}
    view = [{"iri": s.iri, "href": page.href(s.iri), "label": s.label, "description": s.description,
             "levels": [{"iri": lv.iri, "href": page.href(lv.iri), "label": lv.label, "rank": lv.rank, "code": lv.code,
                         "role": lv.role, "matches": [{"relation": m.relation, "href": page.href(m.target),
                                                       "label": labels.get(m.target, m.target)}
                                                      for m in matches.get(lv.iri, [])]} for lv in s.levels]}
            for s in sorted(scales.values(), key=lambda s: s.label)]
    return page.render("scales.html", "Level scales", {"scales": view, "intro": INTRO["scales"]}, alternates=alternates)


def render_domains(page: Page, reader: Reader, alternates: list[dict]) -> HTMLResponse:
    entries = read_domain_entries(reader)
    unnamed = {m.target for e in entries for m in e.matches if not m.label}
    found = names(reader, unnamed) if unnamed else {}
    view = [{"iri": e.domain.iri, "href": page.href(e.domain.iri), "label": e.domain.label, "number": e.domain.number,
             "code": e.domain.code, "statements": e.statements, "releases": e.releases,
             "matches": [{"relation": m.relation, "href": page.href(m.target),
                          "label": m.label or found.get(m.target, {}).get("label") or m.target.rsplit("/", 1)[-1]}
                         for m in e.matches]} for e in entries]
    return page.render("domains.html", "Durable-skill domains", {"domains": view, "intro": INTRO["domains"]},
                       alternates=alternates)


RENDERERS = {"sources": render_sources, "scales": render_scales, "domains": render_domains}

__all__ = ["RENDERERS", "render_sources", "render_scales", "render_domains"]
