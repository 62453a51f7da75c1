"""What an occupation's page adds to a resource page: its O*NET facts (code, job zone,
description, titles), the frameworks written for it, its tasks and descriptors with their
importance and level ratings when an O*NET release is imported (charted), its programmes, and
every published mapping to SOC, CIP, ISCO, ESCO and O*NET-SOC 2010 with its source and licence.

Rendered from the occupation's read model (api/model/occupation.py `read_profile`).
"""
from __future__ import annotations

from urllib.parse import urlencode

from skillsgraph.iris import Iris, is_esco_iri, last_code
from skillsgraph.vocab import SKOS

from ..model.occupation import OccupationProfile, read_profile
from ..store_access import Reader
from .charts import Bar, bars
from .frame import Page
from .labels import LICENCE_NAMES, humanise, names, natural_key

# The code lists a mapping lands in, by the first segment of the code's path, in page order.
SCHEMES = {"soc2018": "SOC 2018", "cip2020": "CIP 2020", "isco08": "ISCO-08", "esco": "ESCO",
           "onet-soc2010": "O*NET-SOC 2010", "occupation": "O*NET-SOC 2019", "esco-code": "ESCO (code only)"}
CROSSWALK_TARGETS = (("soc2018", "SOC 2018"), ("cip2020", "CIP 2020"), ("isco", "ISCO-08"), ("esco", "ESCO"))
DESCRIPTOR_HEADINGS = [("skill", "Skills"), ("knowledge", "Knowledge"), ("ability", "Abilities"),
                       ("work-style", "Work styles"), ("technology", "Technology")]
# A mapping relation read from the occupation's side when the occupation is its object.
INVERSE = {SKOS.broadMatch: SKOS.narrowMatch, SKOS.narrowMatch: SKOS.broadMatch}
CHARTED = 15  # ratings a chart shows per area (by importance); the table below lists every one
IMPORTANCE_MAX, LEVEL_MAX = 5, 7  # O*NET's IM and LV scales


def occupation_view(page: Page, reader: Reader, occupation: str) -> dict:
    profile = read_profile(reader, occupation)
    code = profile.code or last_code(occupation)
    return {
        "facts": _facts(page, profile),
        "description": profile.description,
        "crosswalk_links": [{"href": page.to("crosswalk?" + urlencode({"from": f"onet-soc:{code}", "to": target})),
                             "text": f"Crosswalk to {name}"} for target, name in CROSSWALK_TARGETS],
        "mappings": _mappings(page, profile),
        "ratings": _ratings(page, profile),
        "ratings_release": _release(page, reader, profile.ratings_release) if profile.ratings_release else None,
        "descriptor_groups": _descriptors(page, profile),
        "tasks": [{"text": d.label or "", "href": page.href(d.iri), "code": d.code}
                  for d in sorted(profile.occupation.of_kind("task"), key=lambda d: natural_key(d.iri))],
        "related_titles": sorted(set(profile.occupation.related_titles)),
        "onet_titles": profile.titles,
        "programmes": [{"code": p.code or last_code(p.iri), "href": page.href(p.iri)}
                       for p in sorted({p.iri: p for p in profile.occupation.programmes}.values(),
                                       key=lambda p: p.code or last_code(p.iri))],
    }


def _release(page: Page, reader: Reader, release: str) -> dict:
    return {"href": page.href(release), "text": names(reader, [release])[release].get("label") or last_code(release)}


def _facts(page: Page, p: OccupationProfile) -> list[dict]:
    iris = Iris(page.namespace)
    facts = [("O*NET-SOC", p.code, None), ("SOC", p.soc, page.href(iris.code_node("soc2018", p.soc)) if p.soc else None)]
    if p.zone_number:
        facts.append(("Job zone", f"{p.zone_number}" + (f" · {p.zone_label}" if p.zone_label else ""), page.href(p.zone)))
    return [{"label": k, "value": v, "href": h} for k, v, h in facts if v]


def _scheme_of(page: Page, iri: str) -> str:
    if is_esco_iri(iri):
        return "esco"
    path = iri[len(page.namespace):] if iri.startswith(page.namespace) else ""
    return path.split("/", 1)[0] if "/" in path else "other"


def _mappings(page: Page, p: OccupationProfile) -> list[dict]:
    """The mappings grouped by the code list they land in; each hop as its file states it."""
    groups: dict[str, list[dict]] = {}
    for m in p.mappings:
        scheme = _scheme_of(page, m.other)
        if scheme not in SCHEMES:
            continue
        relation = m.relation if m.forward else INVERSE.get(m.relation, m.relation)
        groups.setdefault(scheme, []).append({
            "code": m.code or last_code(m.other), "label": m.label, "href": page.href(m.other), "iri": m.other,
            "relation": relation.rsplit("#", 1)[-1], "method": humanise(m.method) if m.method else None,
            "source": m.source_title or (last_code(m.source) if m.source else None),
            "source_href": page.href(m.source) if m.source else None,
            "licence": LICENCE_NAMES.get(m.licence or "", m.licence), "licence_href": m.licence, "row": m.row,
            "mapping_href": page.href(m.iri)})
    order = list(SCHEMES)
    return [{"scheme": SCHEMES[s], "id": f"mappings-{s}",
             "rows": sorted(rows, key=lambda r: (natural_key(r["code"]), r["source"] or ""))}
            for s, rows in sorted(groups.items(), key=lambda kv: order.index(kv[0]))]


def _ratings(page: Page, p: OccupationProfile) -> list[dict]:
    out = []
    for area, ratings in p.ratings.items():
        has_level = any(r.level is not None for r in ratings)
        chart = bars([Bar(r.label, r.importance, r.level, page.href(r.element)) for r in ratings[:CHARTED]],
                     IMPORTANCE_MAX, f"{area}: importance and level ratings", LEVEL_MAX if has_level else None,
                     ("importance", "level"))
        out.append({"area": area, "id": "ratings-" + area.lower().replace(" ", "-"), "chart": chart,
                    "has_level": has_level, "count": len(ratings), "charted": min(CHARTED, len(ratings)),
                    "rows": [{"label": r.label, "id": r.element_id, "href": page.href(r.element),
                              "importance": _number(r.importance), "level": _number(r.level)} for r in ratings]})
    return out


def _number(value: float | None) -> str | None:
    """A rating as O*NET prints it, without trailing zeros (4.00 -> 4, 3.880 -> 3.88)."""
    return None if value is None else f"{value:g}"


def _descriptors(page: Page, p: OccupationProfile) -> list[dict]:
    """The descriptors its source ranks (the framework page's lists), each with its ratings when
    an imported release rates the element it is the same as."""
    groups, iris = [], Iris(page.namespace)
    for kind, heading in DESCRIPTOR_HEADINGS:
        found = {d.iri: d for d in p.occupation.of_kind(kind)}.values()
        rows = []
        for d in sorted(found, key=lambda d: (d.position if d.position is not None else 10**6, d.label or d.iri)):
            rating = p.rating_of(iris.element(d.code)) if d.code else None
            rows.append({"label": d.label or humanise(d.iri), "href": page.href(d.iri), "code": d.code,
                         "importance": _number(rating.importance) if rating else None,
                         "level": _number(rating.level) if rating else None})
        if rows:
            groups.append({"heading": heading, "rows": rows, "rated": any(r["importance"] is not None for r in rows)})
    return groups


__all__ = ["occupation_view"]
