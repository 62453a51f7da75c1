"""The read models of the shared registries: the level scales, the durable-skill domains and
the sources, as their pages (/scales, /domains, /sources) and every framework release read them.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from skillsgraph.iris import last_code
from skillsgraph.vocab import SG

from ..store_access import Reader, value


# A SKOS mapping relation read from its object's side.
INVERSE = {"broadMatch": "narrowMatch", "narrowMatch": "broadMatch"}


@dataclass(frozen=True)
class Level:
    iri: str
    code: str
    label: str
    rank: int
    role: str | None
    scale: str
    cls: str | None = None  # sg:MasteryLevel or sg:ProficiencyLevel


@dataclass(frozen=True)
class Scale:
    iri: str
    label: str
    description: str | None
    levels: tuple[Level, ...]


@dataclass(frozen=True)
class Domain:
    iri: str
    code: str
    label: str
    number: int


@dataclass(frozen=True)
class Source:
    iri: str
    title: str
    chip: str | None
    citation: str | None
    page: str | None
    publisher: str | None = None
    creator: str | None = None
    version: str | None = None
    issued: str | None = None
    licence: str | None = None


@dataclass(frozen=True)
class Match:
    """An editorial correspondence: a SKOS relation to a term of another scheme."""
    relation: str  # the SKOS property's local name: closeMatch, narrowMatch...
    target: str
    label: str | None = None


@dataclass
class DomainEntry:
    """A domain as /domains lists it: what it matches among O*NET's skills, how much it holds."""
    domain: Domain
    matches: list[Match] = field(default_factory=list)
    statements: int = 0
    releases: int = 0


@dataclass
class SourceEntry:
    """A source as /sources lists it: what kind of source, and how many statements cite it."""
    source: Source
    kinds: list[str] = field(default_factory=list)  # class IRIs beside sg:Source
    cited_by: int = 0


def read_scales(reader: Reader) -> dict[str, Scale]:
    levels: dict[str, list[Level]] = {}
    names: dict[str, tuple[str, str | None]] = {}
    for row in reader.select("scales"):
        scale = row["scale"].value
        code = value(row.get("code")) or last_code(row["level"].value)
        levels.setdefault(scale, []).append(Level(row["level"].value, code, value(row.get("label")) or code,
                                                  int(row["rank"].value), value(row.get("role")), scale,
                                                  value(row.get("class"))))
        names[scale] = (value(row.get("scaleLabel")) or scale, value(row.get("scaleDescription")))
    return {s: Scale(s, names[s][0], names[s][1], tuple(sorted(set(lv), key=lambda x: x.rank))) for s, lv in levels.items()}


def read_level_matches(reader: Reader) -> dict[str, list[Match]]:
    """Level IRI -> the levels of the other scale it corresponds to."""
    out: dict[str, list[Match]] = {}
    for row in reader.select("level-matches"):
        relation, level, other = _local(row["relation"].value), row["level"].value, row["other"].value
        out.setdefault(level, []).append(Match(relation, other))
        # Read from the other side too: a mapping stated once holds both ways, broader read as narrower.
        out.setdefault(other, []).append(Match(INVERSE.get(relation, relation), level))
    return {k: sorted(set(v), key=lambda m: m.target) for k, v in out.items()}


def read_domains(reader: Reader) -> list[Domain]:
    out = {Domain(r["d"].value, value(r.get("code")) or last_code(r["d"].value), value(r.get("label")) or r["d"].value,
                  int(value(r.get("number")) or 0)) for r in reader.select("domains")}
    return sorted(out, key=lambda d: (d.number, d.code))


def read_domain_entries(reader: Reader) -> list[DomainEntry]:
    entries = {d.iri: DomainEntry(d) for d in read_domains(reader)}
    matches: dict[str, set[Match]] = {}
    for row in reader.select("domain-matches"):
        matches.setdefault(row["d"].value, set()).add(
            Match(_local(row["relation"].value), row["element"].value, value(row.get("label"))))
    for d, found in matches.items():
        if d in entries:
            entries[d].matches = sorted(found, key=lambda m: (m.label or m.target))
    for row in reader.select("domain-statement-counts"):
        entry = entries.get(row["d"].value)
        if entry:
            entry.statements, entry.releases = int(row["n"].value), int(row["releases"].value)
    return list(entries.values())


def read_source_entries(reader: Reader) -> list[SourceEntry]:
    """Every source, by title; one entry per source whatever the rows (a source with two
    publishers' labels or kinds is one source)."""
    entries: dict[str, SourceEntry] = {}
    for row in sorted(reader.select("source-list"), key=lambda r: tuple(value(r.get(k)) or "" for k in r)):
        v = {k: value(t) for k, t in row.items()}
        entry = entries.get(v["src"])
        if entry is None:
            entry = entries[v["src"]] = SourceEntry(Source(
                v["src"], v.get("title") or last_code(v["src"]), v.get("chip"), v.get("citation"), v.get("page"),
                v.get("publisher"), None, v.get("version"), v.get("issued"), v.get("licence")),
                cited_by=int(v.get("cited") or 0))
        if v["type"] != SG.Source and v["type"] not in entry.kinds:
            entry.kinds.append(v["type"])
    return sorted(entries.values(), key=lambda e: (e.source.title.lower(), e.source.iri))


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


__all__ = ["Level", "Scale", "Domain", "Source", "Match", "DomainEntry", "SourceEntry", "read_scales",
           "read_level_matches", "read_domains", "read_domain_entries", "read_source_entries"]
