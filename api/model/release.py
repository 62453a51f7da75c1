"""The read model of a framework release, which profiles, the framework page and schema.org render.

Renderers never see triples: they get a `Release` (and, for a statement, the `Statement`
inside it), so each only maps fields, and the store is read the same way whatever the
document. The release page shows more than the profiles do (the evidence pack, the job
zone, every source with its publisher and licence): all of it is read here, once.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from skillsgraph.iris import last_code, path_under
from skillsgraph.vocab import SG

from ..store_access import Reader, iri, value
from .anchors import Anchor, read_release_anchors
from .occupation import Descriptor, Occupation, read_occupation
from .registry import Domain, Level, Scale, Source, read_domains, read_scales

KINDS = {SG.CompetencyStatement: "competency", SG.AIUseStatement: "ai-use", SG.DurableSkillStatement: "durable"}
KIND_TITLES = {"competency": "Competency statement", "ai-use": "AI-use statement", "durable": "Durable-skill statement"}
# The descriptors the profiles align the competency statements with, in their order.
PROFILE_DESCRIPTORS = ("skill", "knowledge", "ability", "task")
# The dataset's own licence (the /dataset description states the same), used where a
# release names none of its own.
DATASET_LICENCE = "https://creativecommons.org/licenses/by/4.0/"


@dataclass(frozen=True)
class Statement:
    iri: str
    kind: str
    label: str
    text: str
    language: str
    level: Level
    position: int
    domain: Domain | None
    citations: tuple[str, ...]  # source IRIs, in the order the statement cites them
    code: str  # its path under the release, e.g. competency/proficient/3


@dataclass(frozen=True)
class Observation:
    """One value of the evidence pack, as the store holds it."""
    iri: str
    metric: str
    metric_label: str | None
    kind: str | None
    group: str | None
    group_label: str | None
    value: str | None
    ref: str | None
    ref_label: str | None
    unit: str | None
    max: str | None
    source: str | None


@dataclass
class Release:
    iri: str
    version: str
    label: str
    title: str
    context: str | None
    language: str
    occupation: str
    onet_code: str | None
    soc_code: str | None
    publisher: str | None
    publisher_name: str | None
    rights: str | None
    licence: str
    series: str | None = None
    zone: str | None = None
    zone_number: str | None = None
    zone_label: str | None = None
    catalogue: str | None = None
    catalogue_title: str | None = None
    ai_note: str | None = None
    durable_note: str | None = None
    statements: list[Statement] = field(default_factory=list)
    scales: dict[str, Scale] = field(default_factory=dict)
    domains: list[Domain] = field(default_factory=list)
    sources: dict[str, Source] = field(default_factory=dict)  # the catalogue's and those cited as evidence
    all_sources: list[Source] = field(default_factory=list)  # and the evidence's and rankings', by title
    evidence: list[Observation] = field(default_factory=list)
    occupation_facts: Occupation | None = None
    anchors: dict[str, list[Anchor]] = field(default_factory=dict)  # statement IRI -> its source anchors

    def confirmed_anchors(self, statement: Statement) -> list[Anchor]:
        """The anchors editors confirmed for a statement: what the LER profiles align it to."""
        return [a for a in self.anchors.get(statement.iri, []) if a.confirmed]

    def statement(self, iri: str) -> Statement | None:
        return next((s for s in self.statements if s.iri == iri), None)

    @property
    def changed(self) -> str:
        """A fixed timestamp for the release: the catalogue numbers releases by year and
        month (v.26.05 is May 2026), so every build of a release says the same."""
        m = re.fullmatch(r"(\d{2})\.(\d{2})", self.version)
        return f"20{m.group(1)}-{m.group(2)}-01T00:00:00+00:00" if m else "1970-01-01T00:00:00+00:00"

    @property
    def descriptors(self) -> list[Descriptor]:
        """The O*NET skills, knowledge, abilities and tasks the profiles align with, in their order."""
        found: dict[str, Descriptor] = {}
        for d in self.occupation_facts.descriptors:
            if d.kind in PROFILE_DESCRIPTORS:
                found.setdefault(d.iri, d)
        return sorted(found.values(), key=lambda d: (PROFILE_DESCRIPTORS.index(d.kind),
                                                     d.position if d.position is not None else 10**6, d.iri))

    @property
    def cips(self) -> list[tuple[str, str]]:
        """(IRI, CIP code) of the occupation's programmes, by code."""
        return sorted({(p.iri, p.code or last_code(p.iri)) for p in self.occupation_facts.programmes}, key=lambda c: c[1])

    def levels_of(self, cls: str) -> list[Level]:
        """The levels of one class (sg:MasteryLevel, sg:ProficiencyLevel), by rank."""
        return sorted((lv for s in self.scales.values() for lv in s.levels if lv.cls == cls), key=lambda lv: lv.rank)


def release_iris(reader: Reader) -> list[str]:
    return sorted(r["r"].value for r in reader.select("releases"))


def read_release(reader: Reader, release_iri: str) -> Release:
    """The release's read model (kept while served: renderers map it, and never change it)."""
    if reader.recent is None:
        return _read_release(reader, release_iri)
    return reader.recent.kept(("release", release_iri), lambda: _read_release(reader, release_iri))


def _read_release(reader: Reader, release_iri: str) -> Release:
    release = _header(reader, release_iri)
    release.scales = read_scales(reader)
    release.domains = read_domains(reader)
    release.sources, release.all_sources = _sources(reader, release_iri)
    release.statements = _statements(reader, release)
    release.evidence = _evidence(reader, release_iri)
    release.occupation_facts = read_occupation(reader, release.occupation)
    release.anchors = read_release_anchors(reader, release_iri)
    return release


def _lang(row: dict, key: str) -> str | None:
    return getattr(row.get(key), "language", None) or None


def _header(reader: Reader, release_iri: str) -> Release:
    rows = reader.select("release-header", release=iri(release_iri))
    if not rows:
        raise LookupError(f"no framework release <{release_iri}>")
    row = rows[0]
    v = {k: value(t) for k, t in row.items()}
    title = v.get("title") or release_iri
    return Release(iri=release_iri, version=v.get("version") or "", label=v.get("label") or title, title=title,
                   context=v.get("context"), language=_lang(row, "title") or "en", occupation=v["occ"],
                   onet_code=v.get("onet"), soc_code=v.get("soc"), publisher=v.get("publisher"),
                   publisher_name=v.get("publisherName"), rights=v.get("rights"),
                   licence=v.get("licence") or DATASET_LICENCE, series=v.get("series"), zone=v.get("zone"),
                   zone_number=v.get("zoneNumber"), zone_label=v.get("zoneLabel"), catalogue=v.get("catalogue"),
                   catalogue_title=v.get("catalogueTitle"), ai_note=v.get("aiNote"), durable_note=v.get("durableNote"))


def _sources(reader: Reader, release_iri: str) -> tuple[dict[str, Source], list[Source]]:
    rows = reader.select("release-sources", release=iri(release_iri))

    def source(row: dict) -> Source:
        v = {k: value(t) for k, t in row.items()}
        return Source(v["src"], v.get("title") or v["src"], v.get("chip"), v.get("citation"), v.get("page"),
                      v.get("publisher"), v.get("creator"), v.get("version"), v.get("issued"), v.get("licence"))
    cited: dict[str, Source] = {}
    for row in sorted((r for r in rows if r["cited"].value == "true"), key=lambda r: (r["src"].value, value(r.get("title")) or "")):
        cited.setdefault(row["src"].value, source(row))
    every: dict[str, Source] = {}
    for row in sorted(rows, key=lambda r: (value(r.get("title")) or r["src"].value).lower()):
        every.setdefault(row["src"].value, source(row))
    return dict(sorted(cited.items())), list(every.values())


def _statements(reader: Reader, release: Release) -> list[Statement]:
    node = iri(release.iri)
    cites: dict[str, list[tuple[int, str]]] = {}
    for row in reader.select("release-citations", release=node):
        cites.setdefault(row["s"].value, []).append((int(value(row.get("n")) or 0), row["src"].value))
    levels = {lv.iri: lv for scale in release.scales.values() for lv in scale.levels}
    domains = {d.iri: d for d in release.domains}
    out = []
    for row in reader.select("release-statements", release=node):
        s, level = row["s"].value, row["level"].value
        out.append(Statement(
            iri=s, kind=KINDS[row["type"].value], label=value(row.get("label")) or "", text=value(row.get("text")) or "",
            language=_lang(row, "text") or _lang(row, "label") or release.language,
            level=levels.get(level) or Level(level, last_code(level), last_code(level), 0, None, ""),
            position=int(value(row.get("position")) or 0), domain=domains.get(value(row.get("domain")) or ""),
            citations=tuple(src for _n, src in sorted(cites.get(s, []))), code=path_under(release.iri, s)))
    kind_order = list(KIND_TITLES)
    out.sort(key=lambda st: (kind_order.index(st.kind), st.domain.number if st.domain else 0, st.level.rank,
                             st.position, st.iri))
    return out


def _evidence(reader: Reader, release_iri: str) -> list[Observation]:
    keys = ("obs", "metric", "metricLabel", "kind", "group", "groupLabel", "value", "ref", "refLabel", "unit", "max", "src")
    return [Observation(*(value(row.get(k)) for k in keys)) for row in reader.select("release-evidence", release=iri(release_iri))]


__all__ = ["Release", "Statement", "Level", "Scale", "Domain", "Source", "Observation", "KINDS", "KIND_TITLES",
           "read_release", "release_iris"]
