"""The read model of an occupation: its O*NET descriptors and tasks, titles and programmes.

A framework release embeds its occupation's (profiles and the framework page render them),
and the occupation's own page describes it for crawlers with schema.org (api/schema_org.py).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from skillsgraph.vocab import SG

from ..store_access import Reader, iri, value

# The property that links a descriptor, and the kind it makes it.
DESCRIPTOR_KINDS = {SG.skill: "skill", SG.knowledge: "knowledge", SG.ability: "ability",
                    SG.workStyle: "work-style", SG.technology: "technology", SG.task: "task"}


@dataclass(frozen=True)
class Descriptor:
    iri: str
    kind: str  # skill | knowledge | ability | work-style | technology | task
    label: str | None  # a task's text
    code: str | None  # its O*NET element ID
    position: int | None  # where the occupation's source ranks it
    source: str | None  # the source of that ranking
    scheme: str | None
    scheme_label: str | None


@dataclass(frozen=True)
class Programme:
    iri: str
    code: str | None  # its CIP code (skos:notation)


@dataclass
class Occupation:
    iri: str
    descriptors: list[Descriptor] = field(default_factory=list)  # in the order the store answers
    related_titles: list[str] = field(default_factory=list)
    rapids_codes: list[str] = field(default_factory=list)
    programmes: list[Programme] = field(default_factory=list)
    ranking_sources: set[str] = field(default_factory=set)  # the sources that rank its descriptors

    def of_kind(self, kind: str) -> list[Descriptor]:
        return [d for d in self.descriptors if d.kind == kind]


@dataclass(frozen=True)
class FrameworkLink:
    """A framework release written for the occupation, as its page lists it."""
    iri: str
    label: str | None
    version: str | None


def read_occupation(reader: Reader, occupation: str) -> Occupation:
    node = iri(occupation)
    out = Occupation(occupation)
    seen, matched = set(), set()
    for row in reader.select("occupation-descriptors", occupation=node):
        if row.get("same") is not None:
            matched.add(row["same"].value)
        if row.get("src") is not None and row["kind"].value != SG.task:
            out.ranking_sources.add(row["src"].value)
        key = (row["kind"].value, row["d"].value)
        if key in seen:  # one descriptor, several rankings or schemes: the first row stands for it
            continue
        seen.add(key)
        position = value(row.get("n"))
        out.descriptors.append(Descriptor(
            row["d"].value, DESCRIPTOR_KINDS[row["kind"].value], value(row.get("label")), value(row.get("code")),
            int(position) if position is not None else None, value(row.get("src")), value(row.get("scheme")),
            value(row.get("schemeLabel"))))
    # A release's task that one of the page's tasks matches is that task again.
    out.descriptors = [d for d in out.descriptors if not (d.kind == "task" and d.iri in matched)]
    for row in reader.select("occupation-facts", occupation=node):
        prop, obj = row["p"].value, row["o"].value
        if prop == SG.relatedTitle:
            out.related_titles.append(obj)
        elif prop == SG.rapidsCode:
            out.rapids_codes.append(obj)
        else:
            out.programmes.append(Programme(obj, value(row.get("code"))))
    return out


def read_statement_occupation(reader: Reader, statement: str) -> tuple[str, str | None] | None:
    """The occupation a statement's release is written for, and its English title."""
    rows = sorted(reader.select("statement-occupation", statement=iri(statement)),
                  key=lambda r: (getattr(r.get("title"), "language", "") not in ("en", ""), value(r.get("title")) or ""))
    return (rows[0]["occupation"].value, value(rows[0].get("title"))) if rows else None


def read_frameworks(reader: Reader, occupation: str) -> list[FrameworkLink]:
    return [FrameworkLink(r["r"].value, value(r.get("label")), value(r.get("v")))
            for r in reader.select("occupation-frameworks", occupation=iri(occupation))]


# ---- what the occupation's own page adds: O*NET's data about it and its published mappings ----

# The scales of the ratings the page charts: importance and level.
IMPORTANCE, LEVEL = "IM", "LV"
# O*NET content-model areas by element ID prefix, in the order the page shows them.
RATING_AREAS = (("2.A", "Skills"), ("2.B", "Skills"), ("2.C", "Knowledge"), ("1.A", "Abilities"),
                ("1.C", "Work styles"), ("4.A", "Work activities"))


@dataclass(frozen=True)
class Rating:
    """One element's ratings for the occupation in one O*NET release."""
    element: str
    element_id: str
    label: str
    importance: float | None
    level: float | None


@dataclass(frozen=True)
class Mapping:
    """A published mapping with the occupation at one end, as the source file states it."""
    iri: str
    forward: bool  # the occupation is the mapping's subject
    other: str
    relation: str  # SKOS property IRI
    code: str | None
    label: str | None
    scheme: str | None
    method: str | None
    source: str | None
    source_title: str | None
    licence: str | None
    row: int | None


@dataclass
class OccupationProfile:
    """The occupation's page: its facts, O*NET ratings by area, titles and mappings."""
    occupation: Occupation
    code: str | None = None
    soc: str | None = None
    title: str | None = None
    description: str | None = None
    zone: str | None = None
    zone_number: str | None = None
    zone_label: str | None = None
    ratings_release: str | None = None  # the newest imported release that rates the occupation
    ratings: dict[str, list[Rating]] = field(default_factory=dict)  # area -> ratings, by importance
    titles: dict[str, list[str]] = field(default_factory=dict)  # "alternate" | "reported" -> titles
    mappings: list[Mapping] = field(default_factory=list)

    def rating_of(self, element: str) -> Rating | None:
        return next((r for area in self.ratings.values() for r in area if r.element == element), None)


def read_profile(reader: Reader, occupation: str) -> OccupationProfile:
    node = iri(occupation)
    profile = OccupationProfile(read_occupation(reader, occupation))
    rows = sorted(reader.select("occupation-header", occupation=node), key=lambda r: [value(r.get(k)) or "" for k in sorted(r)])
    if rows:
        v = {k: value(t) for k, t in rows[0].items()}
        english = [value(r["title"]) for r in rows if r.get("title") is not None and r["title"].language in ("en", "")]
        profile.code, profile.soc, profile.description = v.get("code"), v.get("soc"), v.get("description")
        profile.title = english[0] if english else v.get("title")
        profile.zone, profile.zone_number, profile.zone_label = v.get("zone"), v.get("zoneNumber"), v.get("zoneLabel")
    profile.ratings_release, profile.ratings = _ratings(reader.select("occupation-ratings", occupation=node))
    for row in reader.select("occupation-titles", occupation=node):
        profile.titles.setdefault(row["kind"].value, []).append(row["label"].value)
    profile.titles = {k: sorted(set(v), key=str.lower) for k, v in sorted(profile.titles.items())}
    profile.mappings = _mappings(reader.select("occupation-mappings", occupation=node))
    return profile


def _ratings(rows: list[dict]) -> tuple[str | None, dict[str, list[Rating]]]:
    """The ratings of the newest release that has any (releases sort by version)."""
    releases = sorted({r["release"].value for r in rows}, key=_version_key)
    if not releases:
        return None, {}
    newest = releases[-1]
    values: dict[str, dict] = {}
    for r in rows:
        if r["release"].value != newest:
            continue
        entry = values.setdefault(r["element"].value, {"id": r["id"].value, "label": value(r.get("label"))})
        entry[r["scale"].value] = float(r["value"].value)
    areas: dict[str, list[Rating]] = {}
    for element, v in values.items():
        area = next((name for prefix, name in RATING_AREAS if v["id"].startswith(prefix + ".")), None)
        if area:
            areas.setdefault(area, []).append(Rating(element, v["id"], v["label"] or v["id"], v.get(IMPORTANCE), v.get(LEVEL)))
    order = [name for _p, name in RATING_AREAS]
    return newest, {a: sorted(areas[a], key=lambda r: (-(r.importance or 0), -(r.level or 0), r.label))
                    for a in sorted(areas, key=order.index)}


def _version_key(release: str) -> list:
    return [int(p) if p.isdigit() else p for p in release.rsplit("-", 1)[-1].split(".")]


def _mappings(rows: list[dict]) -> list[Mapping]:
    """One mapping per node: of several labels or schemes of the code at its other end, the first
    in order (English labels first)."""
    rows = sorted(rows, key=lambda r: (r["m"].value, getattr(r.get("label"), "language", "") not in ("en", ""),
                                       *(value(r.get(k)) or "" for k in ("label", "scheme", "sourceTitle"))))
    out: dict[str, Mapping] = {}
    for r in rows:
        if r["m"].value in out:
            continue
        row = value(r.get("row"))
        out[r["m"].value] = Mapping(r["m"].value, r["forward"].value == "true", r["other"].value, r["relation"].value,
                                    value(r.get("code")), value(r.get("label")), value(r.get("scheme")),
                                    value(r.get("method")), value(r.get("source")), value(r.get("sourceTitle")),
                                    value(r.get("licence")), int(row) if row else None)
    return list(out.values())


__all__ = ["Occupation", "Descriptor", "Programme", "FrameworkLink", "Rating", "Mapping", "OccupationProfile",
           "read_occupation", "read_frameworks", "read_profile", "read_statement_occupation", "IMPORTANCE", "LEVEL"]
