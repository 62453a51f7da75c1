"""The page of a framework release: statements by mastery level and durable-skill domain, the
evidence pack, the occupation's O*NET descriptors, tasks, titles and CIP codes, the sources.

Rendered from the release's read model (api/model/release.py), the same the profiles use.
"""
from __future__ import annotations

from fastapi.responses import HTMLResponse

from skillsgraph.iris import last_code
from skillsgraph.vocab import SG

from .. import schema_org
from ..model.release import KINDS, Release, read_release
from ..store_access import Reader
from ..profiles import exports
from .charts import Cell, grid
from .frame import Page
from .labels import LICENCE_NAMES, UNIT_SUFFIX, humanise, names, natural_key

DESCRIPTOR_HEADINGS = [("skill", "Skills"), ("knowledge", "Knowledge"), ("ability", "Abilities"),
                       ("work-style", "Work styles"), ("technology", "Technology")]
METRIC_KIND_ORDER = {k: i for i, k in enumerate(["count", "percent", "decimal", "skill", "score", "concept", "text"])}


def render(page: Page, reader: Reader, page_iri: str, release_iri: str, alternates: dict[str, str]) -> HTMLResponse:
    """The release's page; page_iri is the framework's when the framework stands for its latest release."""
    release = read_release(reader, release_iri)
    view = _view(page, reader, release)
    title = f"{release.title} framework" + (f" v.{release.version}" if release.version else "")
    view["is_series"] = page_iri != release_iri
    view["series_iri"] = page_iri
    view["release_href"] = page.href(release_iri)
    return page.render("framework.html", title, view, jsonld=schema_org.release_page(release_iri, release),
                       alternates=page.alternate_links(alternates))


def _header(release: Release) -> dict:
    return {"occ": release.occupation, "title": release.title, "onet": release.onet_code, "soc": release.soc_code,
            "zone": release.zone, "zoneNumber": release.zone_number, "zoneLabel": release.zone_label,
            "version": release.version or None, "context": release.context, "series": release.series,
            "catalogue": release.catalogue, "catalogueTitle": release.catalogue_title, "aiNote": release.ai_note,
            "durableNote": release.durable_note, "rights": release.rights}


def _sources(release: Release) -> list[dict]:
    return [{"iri": s.iri, "title": s.title, "chip": s.chip, "citation": s.citation, "publisher": s.publisher,
             "creator": s.creator, "version": s.version, "issued": s.issued, "licence": s.licence,
             "licence_name": LICENCE_NAMES.get(s.licence or "", s.licence), "page": s.page} for s in release.all_sources]


def _levels(release: Release, cls: str) -> list[dict]:
    return [{"iri": lv.iri, "label": lv.label, "role": lv.role, "rank": lv.rank, "code": lv.code}
            for lv in release.levels_of(cls)]


def _view(page: Page, reader: Reader, release: Release) -> dict:
    sources = _sources(release)
    source_by_iri = {s["iri"]: s for s in sources}
    missing = {src for st in release.statements for src in st.citations if src not in source_by_iri}
    for src, name in names(reader, missing).items():
        source_by_iri[src] = {"iri": src, "title": name.get("label") or src, "chip": name.get("chip")}

    def chip(src: str) -> dict:
        s = source_by_iri.get(src, {"title": src})
        return {"text": s.get("chip") or s.get("title"), "title": s.get("citation") or s.get("title"),
                "href": page.href(src)}

    by_kind: dict[str, list[dict]] = {k: [] for k in KINDS.values()}
    for st in release.statements:
        by_kind[st.kind].append({"iri": st.iri, "kind": st.kind, "label": st.label, "text": st.text,
                                 "level": st.level.iri, "domain": st.domain.iri if st.domain else None,
                                 "position": st.position, "href": page.href(st.iri),
                                 "chips": [chip(c) for c in st.citations]})
    mastery, proficiency = _levels(release, SG.MasteryLevel), _levels(release, SG.ProficiencyLevel)

    def per_level(kind: str) -> list[dict]:
        return [{**lv, "href": page.href(lv["iri"]), "anchor": f"{kind}-{lv['code']}",
                 "statements": [s for s in by_kind[kind] if s["level"] == lv["iri"]]} for lv in mastery]

    occupation = release.occupation_facts
    evidence = _evidence(release)
    for g in evidence:
        g["chip"] = chip(g["source"]) if g.get("source") else None
        for m in g["metrics"]:
            m["href"] = page.href(m["ref"]) if m.get("ref") else None
    header = _header(release)
    return {
        "release": release.iri, "header": header,
        "occupation_href": page.href(release.occupation),
        "series_href": page.href(release.series) if release.series else None,
        "zone_href": page.href(release.zone) if release.zone else None,
        "catalogue_href": page.href(release.catalogue) if release.catalogue else None,
        "competency_levels": per_level("competency"), "ai_levels": per_level("ai-use"),
        "domains": _domains(page, release, by_kind["durable"], proficiency), "proficiency_levels": proficiency,
        "counts": {k: len(v) for k, v in by_kind.items()},
        "evidence": evidence,
        "descriptor_groups": _descriptor_groups(page, release),
        "descriptor_sources": [chip(s) for s in sorted(occupation.ranking_sources)],
        "tasks": [{"iri": d.iri, "text": d.label or "", "href": page.href(d.iri)} for d in sorted(
            occupation.of_kind("task"), key=lambda d: (_rank(d.position), natural_key(d.iri)))],
        "related_titles": sorted(occupation.related_titles), "rapids": sorted(occupation.rapids_codes),
        "cips": [{"iri": p.iri, "code": p.code or last_code(p.iri), "href": page.href(p.iri)}
                 for p in sorted(occupation.programmes, key=lambda p: p.code or last_code(p.iri))],
        "sources": [{**s, "href": page.href(s["iri"])} for s in sources],
        "charts": _charts(release, mastery, proficiency),
        "profiles": profile_links(page.href(release.iri)),
    }


def profile_links(href: str) -> list[dict]:
    """The LER profiles a release or statement is also served in, each a link to that document."""
    return [{"token": p.token, "title": p.title, "href": f"{href}?_profile={p.token}", "media": p.media_type}
            for p in exports()]


def _charts(release: Release, mastery: list[dict], proficiency: list[dict]) -> dict:
    """How many statements each level holds, per section and per durable-skill domain."""
    counts: dict[tuple, int] = {}
    for st in release.statements:
        key = (st.kind, st.domain.iri if st.domain else None, st.level.iri)
        counts[key] = counts.get(key, 0) + 1

    def cell(name: str, kind: str, level: dict, anchor: str, domain: str | None = None) -> Cell:
        n = counts.get((kind, domain, level["iri"]), 0)
        return Cell(n, f"#{anchor}", f"{name}, {level['label']}: {n} statements")
    sections = [(name, kind) for name, kind in (("Competencies", "competency"), ("AI use", "ai-use"))
                if any(k[0] == kind for k in counts)]
    levels = grid([(name, [cell(name, kind, lv, f"{kind}-{lv['code']}") for lv in mastery]) for name, kind in sections],
                  [lv["label"] for lv in mastery], "Statements per mastery level")
    domains = grid([(d.label, [cell(d.label, "durable", lv, f"durable-{d.code}", d.iri) for lv in proficiency])
                    for d in release.domains if any(k[1] == d.iri for k in counts)],
                   [lv["label"] for lv in proficiency], "Durable-skill statements per domain and proficiency level")
    return {"levels": levels, "domains": domains}


def _rank(position: int | None) -> int:
    return position if position is not None else 10**6


def _domains(page: Page, release: Release, durable: list[dict], proficiency: list[dict]) -> list[dict]:
    out = []
    for d in release.domains:
        in_domain = [s for s in durable if s["domain"] == d.iri]
        if not in_domain:
            continue
        out.append({"iri": d.iri, "label": d.label, "number": d.number, "code": d.code, "href": page.href(d.iri),
                    "anchor": f"durable-{d.code}", "count": len(in_domain),
                    "levels": [{**lv, "href": page.href(lv["iri"]),
                                "statements": [s for s in in_domain if s["level"] == lv["iri"]]} for lv in proficiency]})
    return out


def _descriptor_groups(page: Page, release: Release) -> list[dict]:
    groups = []
    for kind, heading in DESCRIPTOR_HEADINGS:
        terms = [{"iri": d.iri, "label": d.label or humanise(d.iri), "n": _rank(d.position)}
                 for d in release.occupation_facts.of_kind(kind)]
        if terms:
            terms.sort(key=lambda t: (t["n"], t["label"]))
            groups.append({"heading": heading, "terms": [{**t, "href": page.href(t["iri"])} for t in terms]})
    return groups


def _evidence(release: Release) -> list[dict]:
    groups: dict[str, dict] = {}
    for o in release.evidence:
        key = o.group or ""
        group = groups.setdefault(key, {"iri": key or None, "label": o.group_label or "Evidence", "source": o.source,
                                        "metrics": []})
        if o.value is not None:
            shown = o.value + UNIT_SUFFIX.get(o.unit or "", "")
            if o.max is not None:
                shown += f" / {o.max}"
        else:
            shown = o.ref_label or o.ref or ""
        label = o.metric_label or humanise(o.metric)
        group["metrics"].append({"iri": o.iri, "label": label[:1].upper() + label[1:], "value": shown, "ref": o.ref,
                                 "kind": o.kind or ""})
    for g in groups.values():
        # Measures first, then what they are about, then qualifiers: the order the catalogue prints them.
        g["metrics"].sort(key=lambda m: (METRIC_KIND_ORDER.get(m["kind"], len(METRIC_KIND_ORDER)), m["label"].lower()))
    return sorted(groups.values(), key=lambda g: g["iri"] or "")


__all__ = ["render"]
