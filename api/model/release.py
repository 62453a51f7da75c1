"""What every profile is built from: one framework release read from the store by SPARQL.

Builders never see triples: they get a `Release` (and, for a statement, the `Statement`
inside it), so each profile module only maps fields, and the store is read once per
document whatever the profile.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from skillsgraph.store.base import Dataset, SolutionsResult

from ..store_access import iri_literal

SG = "https://w3id.org/skillsgraph/ontology#"
PREFIXES = f"""PREFIX sg: <{SG}>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX dcat: <http://www.w3.org/ns/dcat#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX cito: <http://purl.org/spar/cito/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
"""
KINDS = {SG + "CompetencyStatement": "competency", SG + "AIUseStatement": "ai-use", SG + "DurableSkillStatement": "durable"}
KIND_TITLES = {"competency": "Competency statement", "ai-use": "AI-use statement", "durable": "Durable-skill statement"}
DESCRIPTOR_KINDS = {SG + "skill": "skill", SG + "knowledge": "knowledge", SG + "ability": "ability"}
# The dataset's own licence (the /dataset description states the same), used where a
# release names none of its own.
DATASET_LICENCE = "https://creativecommons.org/licenses/by/4.0/"

Select = Callable[[str], list[dict]]


@dataclass(frozen=True)
class Level:
    iri: str
    code: str
    label: str
    rank: int
    role: str | None
    scale: str


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
class Descriptor:
    iri: str
    kind: str  # skill | knowledge | ability | task
    label: str
    code: str | None


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
    statements: list[Statement] = field(default_factory=list)
    scales: dict[str, Scale] = field(default_factory=dict)
    domains: list[Domain] = field(default_factory=list)
    sources: dict[str, Source] = field(default_factory=dict)
    descriptors: list[Descriptor] = field(default_factory=list)
    cips: list[tuple[str, str]] = field(default_factory=list)  # (IRI, notation)

    def statement(self, iri: str) -> Statement | None:
        return next((s for s in self.statements if s.iri == iri), None)

    @property
    def changed(self) -> str:
        """A fixed timestamp for the release: the catalogue numbers releases by year and
        month (v.26.05 is May 2026), so every build of a release says the same."""
        m = re.fullmatch(r"(\d{2})\.(\d{2})", self.version)
        return f"20{m.group(1)}-{m.group(2)}-01T00:00:00+00:00" if m else "1970-01-01T00:00:00+00:00"


def store_select(store, limits) -> Select:
    def run(sparql: str) -> list[dict]:
        result = store.query(PREFIXES + sparql, Dataset(), limits)
        assert isinstance(result, SolutionsResult), "a SELECT query was expected"
        return result.rows
    return run


def _v(row: dict, key: str) -> str | None:
    term = row.get(key)
    return None if term is None else term.value


def _lang(row: dict, key: str) -> str | None:
    return getattr(row.get(key), "language", None) or None


def resource_kind(select: Select, iri: str) -> tuple[str, str] | None:
    """('release', iri) or ('statement', its release IRI) for IRIs that have profiles."""
    rows = select(f"""SELECT ?t ?r WHERE {{ {iri_literal(iri)} a ?t .
        OPTIONAL {{ {iri_literal(iri)} sg:framework ?r }}
        FILTER(?t IN (sg:FrameworkRelease, sg:CompetencyStatement, sg:AIUseStatement, sg:DurableSkillStatement)) }} LIMIT 1""")
    if not rows:
        return None
    if rows[0]["t"].value == SG + "FrameworkRelease":
        return "release", iri
    return ("statement", rows[0]["r"].value) if rows[0].get("r") else None


def release_iris(select: Select) -> list[str]:
    return sorted(r["r"].value for r in select("SELECT DISTINCT ?r WHERE { ?r a sg:FrameworkRelease }"))


def read_release(select: Select, iri: str) -> Release:
    release = _header(select, iri)
    release.scales = _scales(select)
    release.domains = _domains(select)
    release.sources = _sources(select, iri)
    release.statements = _statements(select, iri, release)
    release.descriptors = _descriptors(select, release.occupation)
    release.cips = _cips(select, release.occupation)
    return release


def _header(select: Select, iri: str) -> Release:
    r = iri_literal(iri)
    rows = select(f"""SELECT ?occ ?title ?version ?label ?context ?onet ?soc ?publisher ?publisherName ?rights ?licence WHERE {{
        {r} sg:occupation ?occ . ?occ skos:prefLabel ?title .
        OPTIONAL {{ {r} sg:releaseVersion ?version }} OPTIONAL {{ {r} skos:prefLabel ?label }}
        OPTIONAL {{ {r} sg:contextCovered ?context }}
        OPTIONAL {{ ?occ sg:onetSocCode ?onet }} OPTIONAL {{ ?occ sg:socCode ?soc }}
        OPTIONAL {{ {r} dcterms:publisher ?publisher . OPTIONAL {{ ?publisher rdfs:label ?publisherName }} }}
        OPTIONAL {{ ?cat dcat:dataset {r} . OPTIONAL {{ ?cat dcterms:rights ?rights }} OPTIONAL {{ ?cat dcterms:license ?catLicence }} }}
        OPTIONAL {{ {r} dcterms:license ?ownLicence }}
        BIND(COALESCE(?ownLicence, ?catLicence) AS ?licence)
    }} LIMIT 1""")
    if not rows:
        raise LookupError(f"no framework release <{iri}>")
    row = rows[0]
    title = _v(row, "title") or iri
    return Release(iri=iri, version=_v(row, "version") or "", label=_v(row, "label") or title, title=title,
                   context=_v(row, "context"), language=_lang(row, "title") or "en", occupation=row["occ"].value,
                   onet_code=_v(row, "onet"), soc_code=_v(row, "soc"), publisher=_v(row, "publisher"),
                   publisher_name=_v(row, "publisherName"), rights=_v(row, "rights"),
                   licence=_v(row, "licence") or DATASET_LICENCE)


def _scales(select: Select) -> dict[str, Scale]:
    rows = select("""SELECT ?scale ?scaleLabel ?scaleDescription ?level ?label ?rank ?role ?code WHERE {
        ?level sg:rank ?rank ; skos:inScheme ?scale . ?scale a sg:LevelScale .
        OPTIONAL { ?scale skos:prefLabel ?scaleLabel } OPTIONAL { ?scale dcterms:description ?scaleDescription }
        OPTIONAL { ?level skos:prefLabel ?label } OPTIONAL { ?level sg:roleTitle ?role } OPTIONAL { ?level skos:notation ?code }
    }""")
    levels: dict[str, list[Level]] = {}
    names: dict[str, tuple[str, str | None]] = {}
    for row in rows:
        scale = row["scale"].value
        code = _v(row, "code") or row["level"].value.rsplit("/", 1)[-1]
        levels.setdefault(scale, []).append(Level(row["level"].value, code, _v(row, "label") or code, int(row["rank"].value),
                                                  _v(row, "role"), scale))
        names[scale] = (_v(row, "scaleLabel") or scale, _v(row, "scaleDescription"))
    return {s: Scale(s, names[s][0], names[s][1], tuple(sorted(set(lv), key=lambda x: x.rank))) for s, lv in levels.items()}


def _domains(select: Select) -> list[Domain]:
    rows = select("""SELECT ?d ?label ?number ?code WHERE { ?d a sg:DurableSkillDomain .
        OPTIONAL { ?d skos:prefLabel ?label } OPTIONAL { ?d sg:domainNumber ?number } OPTIONAL { ?d skos:notation ?code } }""")
    out = {Domain(r["d"].value, _v(r, "code") or r["d"].value.rsplit("/", 1)[-1], _v(r, "label") or r["d"].value,
                  int(_v(r, "number") or 0)) for r in rows}
    return sorted(out, key=lambda d: (d.number, d.code))


def _sources(select: Select, iri: str) -> dict[str, Source]:
    r = iri_literal(iri)
    rows = select(f"""SELECT ?src ?title ?chip ?citation ?page WHERE {{
        {{ SELECT DISTINCT ?src WHERE {{ {{ ?cat dcat:dataset {r} ; dcterms:source ?src }}
                                        UNION {{ ?s sg:framework {r} ; cito:citesAsEvidence ?src }} }} }}
        OPTIONAL {{ ?src dcterms:title ?title }} OPTIONAL {{ ?src sg:chipLabel ?chip }}
        OPTIONAL {{ ?src dcterms:bibliographicCitation ?citation }} OPTIONAL {{ ?src foaf:page ?page }} }}""")
    out: dict[str, Source] = {}
    for row in sorted(rows, key=lambda x: (x["src"].value, _v(x, "title") or "")):
        src = row["src"].value
        out.setdefault(src, Source(src, _v(row, "title") or src, _v(row, "chip"), _v(row, "citation"), _v(row, "page")))
    return dict(sorted(out.items()))


def _statements(select: Select, iri: str, release: Release) -> list[Statement]:
    r = iri_literal(iri)
    rows = select(f"""SELECT ?s ?type ?label ?text ?level ?position ?domain WHERE {{
        ?s sg:framework {r} ; a ?type ; sg:level ?level .
        VALUES ?type {{ sg:CompetencyStatement sg:AIUseStatement sg:DurableSkillStatement }}
        OPTIONAL {{ ?s skos:prefLabel ?label }} OPTIONAL {{ ?s sg:statementText ?text }}
        OPTIONAL {{ ?s sg:position ?position }} OPTIONAL {{ ?s sg:domain ?domain }} }}""")
    cites: dict[str, list[tuple[int, str]]] = {}
    for row in select(f"""SELECT ?s ?n ?src WHERE {{ ?s sg:framework {r} ; sg:citation ?c .
            ?c cito:hasCitedEntity ?src . OPTIONAL {{ ?c sg:position ?n }} }}"""):
        cites.setdefault(row["s"].value, []).append((int(_v(row, "n") or 0), row["src"].value))
    levels = {lv.iri: lv for scale in release.scales.values() for lv in scale.levels}
    domains = {d.iri: d for d in release.domains}
    out = []
    for row in rows:
        s = row["s"].value
        level = levels.get(row["level"].value) or Level(row["level"].value, row["level"].value.rsplit("/", 1)[-1],
                                                        row["level"].value.rsplit("/", 1)[-1], 0, None, "")
        out.append(Statement(iri=s, kind=KINDS[row["type"].value], label=_v(row, "label") or "", text=_v(row, "text") or "",
                             language=_lang(row, "text") or _lang(row, "label") or release.language, level=level,
                             position=int(_v(row, "position") or 0),
                             domain=domains.get(_v(row, "domain") or ""),
                             citations=tuple(src for _n, src in sorted(cites.get(s, []))),
                             code=s[len(iri) + 1:] if s.startswith(iri + "/") else s.rsplit("/", 1)[-1]))
    kind_order = list(KIND_TITLES)
    out.sort(key=lambda st: (kind_order.index(st.kind), st.domain.number if st.domain else 0, st.level.rank,
                             st.position, st.iri))
    return out


def _descriptors(select: Select, occupation: str) -> list[Descriptor]:
    o = iri_literal(occupation)
    rows = select(f"""SELECT ?p ?d ?label ?code ?n WHERE {{
        {{ {o} ?p ?d . VALUES ?p {{ sg:skill sg:knowledge sg:ability }}
          OPTIONAL {{ ?d skos:prefLabel ?label }} OPTIONAL {{ ?d sg:onetElementId ?code }} }}
        UNION {{ {o} sg:task ?d . BIND(sg:task AS ?p) OPTIONAL {{ ?d sg:taskText ?label }} }}
        OPTIONAL {{ {o} sg:sourceAnchor ?a . ?a sg:anchors ?d ; sg:position ?n }} }}""")
    kinds = {**DESCRIPTOR_KINDS, SG + "task": "task"}
    seen: dict[str, tuple] = {}
    for row in rows:
        d = row["d"].value
        seen.setdefault(d, (list(kinds.values()).index(kinds[row["p"].value]), int(_v(row, "n") or 10**6),
                            Descriptor(d, kinds[row["p"].value], _v(row, "label") or d.rsplit("/", 1)[-1], _v(row, "code"))))
    return [entry[2] for entry in sorted(seen.values(), key=lambda e: (e[0], e[1], e[2].iri))]


def _cips(select: Select, occupation: str) -> list[tuple[str, str]]:
    rows = select(f"""SELECT ?c ?code WHERE {{ {iri_literal(occupation)} sg:instructionalProgram ?c .
        OPTIONAL {{ ?c skos:notation ?code }} }}""")
    return sorted({(r["c"].value, _v(r, "code") or r["c"].value.rsplit("/", 1)[-1]) for r in rows}, key=lambda c: c[1])
