"""O*NET release rows -> N-Quads lines of the release graph, <NS>graph/onet/<version>.

The graph is large (29.3: about 2.7 million triples), far beyond what an rdflib Graph holds
comfortably, so each row is written straight to lines with loader.nquads' term writer, the one
canonical_nquads uses, so that the lines merge with those of the rdflib-made description of the
release. Decimals are in their canonical form (4.1200 -> 4.12), the form Oxigraph gives back, so
a dump of a store the file was loaded into is the file.

IRIs (skillsgraph.iris, under the one namespace; no blank nodes, every node minted from codes):

| node | IRI path | notes |
|---|---|---|
| the release | ``source/onet-<version>`` | a sg:Source and sg:OnetRelease |
| occupation | ``occupation/<O*NET-SOC code>`` | the framework graphs' IRI, so everything joins |
| content-model element | ``onet/element/<Element ID>`` | release-independent; skos:broader from the dotted ID |
| content model | ``onet/content-model`` | the skos:ConceptScheme of the elements |
| scale | ``onet/scale/<Scale ID>`` | release-independent |
| task | ``onet/task/<Task ID>`` | Task IDs are stable across releases |
| rating | ``onet/<version>/rating/<code>/<element>/<scale>`` | one row of a rating file |
| alternate title | ``onet/<version>/title/<code>/<n>`` | n: the title's place among its occupation's rows |
| reported title | ``onet/<version>/reported-title/<code>/<n>`` | likewise |
| technology example | ``onet/<version>/technology/<code>/<n>`` | likewise |
| UNSPSC commodity | ``onet/unspsc/<commodity code>`` | a sg:TechnologyCategory with sg:unspscCode |
| job zone | ``job-zone/<n>`` | the framework graphs' IRI |
| job zone assignment | ``onet/<version>/job-zone/<code>`` | with the assignment's date and domain source |
| related-occupation link | ``onet/<version>/related/<code>/<related code>`` | tier and index |

Titles are nodes rather than literals so that each keeps its short title, its source
codes (alternate titles) or its My Next Move flag (reported titles).
"""
from __future__ import annotations

from typing import Callable

from ..graphs import DCTERMS, PROV, RDF, SCHEMA, SG, SKOS
from ..iris import Iris
from ..nquads import boolean, decimal, en, integer, iri, plain, year_month
from .records import (
    AlternateTitle, Element, JobZone, JobZoneReference, Occupation, Rating, RelatedOccupation, ReportedTitle, Scale,
    TaskStatement, Technology,
)

A = iri(RDF.type)
P = {name: iri(SG[name]) for name in (
    "occupation", "element", "scale", "sampleSize", "standardError", "lowerCIBound", "upperCIBound",
    "recommendSuppress", "notRelevant", "domainSource", "taskText", "taskType", "incumbentsResponding", "task",
    "onetSocCode", "socCode", "alternateTitle", "reportedTitle", "shortTitle", "titleSource", "shownInMyNextMove",
    "technologyExample", "commodity", "hotTechnology", "inDemand", "unspscCode", "jobZone", "jobZoneNumber",
    "assignedJobZone", "jobZoneExperience", "jobZoneEducation", "jobZoneTraining", "jobZoneExamples", "svpRange",
    "relatedOccupation", "relatednessTier", "relatednessIndex", "position")}
C = {name: iri(SG[name]) for name in (
    "Occupation", "OnetElement", "OnetScale", "OnetRating", "Task", "AlternateTitle", "ReportedTitle",
    "TechnologyExample", "TechnologyCategory", "JobZone", "JobZoneAssignment", "OccupationRelation")}
PREF, NOTATION, DEFINITION, BROADER, IN_SCHEME, TOP_OF = (iri(SKOS.prefLabel), iri(SKOS.notation), iri(SKOS.definition),
                                                          iri(SKOS.broader), iri(SKOS.inScheme), iri(SKOS.topConceptOf))
DESCRIPTION, DATE, DERIVED = iri(DCTERMS.description), iri(DCTERMS.date), iri(PROV.wasDerivedFrom)
VALUE, MIN, MAX = iri(SCHEMA.value), iri(SCHEMA.minValue), iri(SCHEMA.maxValue)


class Emitter:
    """Collects the N-Quads lines of one file's rows in the release graph."""

    def __init__(self, iris: Iris, version: str):
        self.iris = iris
        self.version = version
        self.suffix = f" {iri(iris.onet_graph(version))} .\n"
        self.source = iri(iris.onet_source(version))
        self.lines: list[str] = []
        self.positions: dict[str, int] = {}
        self.element_names: dict[str, str] = {}
        self.scale_names: dict[str, str] = {}
        self.defined: set[str] = set()   # element or scale IDs this file labels itself (the references)

    def t(self, s: str, p: str, o: str) -> None:
        self.lines.append(f"{s} {p} {o}{self.suffix}")

    def next_position(self, code: str) -> int:
        n = self.positions.get(code, 0) + 1
        self.positions[code] = n
        return n

    def occ(self, code: str) -> str:
        return iri(self.iris.occupation(code))

    def element(self, element_id: str, name: str | None = None) -> str:
        el = iri(self.iris.element(element_id))
        self.t(el, A, C["OnetElement"])
        self.t(el, NOTATION, plain(element_id))
        self.t(el, IN_SCHEME, iri(self.iris.content_model()))
        if name is not None and element_id not in self.element_names:
            self.element_names[element_id] = name
        return el

    def scale(self, scale_id: str, name: str | None = None) -> str:
        sc = iri(self.iris.onet_scale(scale_id))
        self.t(sc, A, C["OnetScale"])
        self.t(sc, NOTATION, plain(scale_id))
        if name is not None and scale_id not in self.scale_names:
            self.scale_names[scale_id] = name
        return sc

    # one method per kind of row ------------------------------------------------------------

    def content_model_row(self, r: Element) -> None:
        el = self.element(r.id)
        self.defined.add(r.id)
        self.t(el, PREF, en(r.name))
        self.t(el, DEFINITION, en(r.description))
        scheme = iri(self.iris.content_model())
        if "." in r.id:
            self.t(el, BROADER, iri(self.iris.element(r.id.rsplit(".", 1)[0])))
        else:
            self.t(el, TOP_OF, scheme)

    def scale_row(self, r: Scale) -> None:
        sc = self.scale(r.id)
        self.defined.add(r.id)
        self.t(sc, PREF, en(r.name))
        self.t(sc, MIN, integer(r.minimum))
        self.t(sc, MAX, integer(r.maximum))

    def job_zone_reference_row(self, r: JobZoneReference) -> None:
        z = iri(self.iris.job_zone(int(r.zone)))
        self.t(z, A, C["JobZone"])
        self.t(z, P["jobZoneNumber"], integer(r.zone))
        self.t(z, PREF, en(r.name))
        self.t(z, P["jobZoneExperience"], en(r.experience))
        self.t(z, P["jobZoneEducation"], en(r.education))
        self.t(z, P["jobZoneTraining"], en(r.training))
        self.t(z, P["jobZoneExamples"], en(r.examples))
        self.t(z, P["svpRange"], plain(r.svp_range))

    def occupation_row(self, r: Occupation) -> None:
        occ = self.occ(r.code)
        self.t(occ, A, C["Occupation"])
        self.t(occ, PREF, en(r.title))
        self.t(occ, DESCRIPTION, en(r.description))
        self.t(occ, P["onetSocCode"], plain(r.code))
        self.t(occ, P["socCode"], plain(r.code[:7]))

    def maybe(self, s: str, p: str, value, write: Callable[..., str]) -> None:
        """The triple, when the row has the value (an optional column)."""
        if value is not None:
            self.t(s, p, write(value))

    def sourced(self, node: str, date: str, domain_source: str) -> None:
        """When and by which of O*NET's domain sources a row was collected, and the release it is from."""
        self.t(node, DATE, year_month(date))
        self.t(node, P["domainSource"], plain(domain_source))
        self.t(node, DERIVED, self.source)

    def positioned(self, code: str, mint: Callable[[str, str, int], str], link: str, cls: str, label: str) -> str:
        """A node of an occupation that is known by its place among the occupation's rows
        (a title, a technology example): minted, linked, typed and labelled."""
        n = self.next_position(code)
        node = iri(mint(self.version, code, n))
        occ = self.occ(code)
        self.t(occ, P[link], node)
        self.t(node, A, C[cls])
        self.t(node, PREF, en(label))
        self.t(node, P["occupation"], occ)
        self.t(node, P["position"], integer(n))
        return node

    def alternate_title_row(self, r: AlternateTitle) -> None:
        node = self.positioned(r.code, self.iris.alternate_title, "alternateTitle", "AlternateTitle", r.title)
        self.maybe(node, P["shortTitle"], r.short_title, en)
        for code in r.sources:
            self.t(node, P["titleSource"], plain(code))

    def reported_title_row(self, r: ReportedTitle) -> None:
        node = self.positioned(r.code, self.iris.reported_title, "reportedTitle", "ReportedTitle", r.title)
        self.t(node, P["shownInMyNextMove"], boolean(r.shown_in_my_next_move))

    def task_row(self, r: TaskStatement) -> None:
        task = iri(self.iris.onet_task(r.task_id))
        occ = self.occ(r.code)
        self.t(occ, P["task"], task)
        self.t(task, A, C["Task"])
        self.t(task, NOTATION, plain(r.task_id))
        self.t(task, P["taskText"], en(r.task))
        self.t(task, P["occupation"], occ)
        self.maybe(task, P["taskType"], r.task_type, plain)
        self.maybe(task, P["incumbentsResponding"], r.incumbents_responding, integer)
        self.sourced(task, r.date, r.domain_source)

    def rating_row(self, r: Rating) -> None:
        node = iri(self.iris.rating(self.version, r.code, r.element_id, r.scale_id))
        self.t(node, A, C["OnetRating"])
        self.t(node, P["occupation"], self.occ(r.code))
        self.t(node, P["element"], self.element(r.element_id, r.element_name))
        self.t(node, P["scale"], self.scale(r.scale_id, r.scale_name))
        self.t(node, VALUE, decimal(r.value))
        self.maybe(node, P["sampleSize"], r.n, integer)
        self.maybe(node, P["standardError"], r.standard_error, decimal)
        self.maybe(node, P["lowerCIBound"], r.lower_ci, decimal)
        self.maybe(node, P["upperCIBound"], r.upper_ci, decimal)
        self.maybe(node, P["recommendSuppress"], r.recommend_suppress, boolean)
        self.maybe(node, P["notRelevant"], r.not_relevant, boolean)
        self.sourced(node, r.date, r.domain_source)

    def technology_row(self, r: Technology) -> None:
        node = self.positioned(r.code, self.iris.technology, "technologyExample", "TechnologyExample", r.example)
        self.t(node, P["hotTechnology"], boolean(r.hot_technology))
        self.maybe(node, P["inDemand"], r.in_demand, boolean)
        if r.commodity_code is not None:
            commodity = iri(self.iris.unspsc(r.commodity_code))
            self.t(node, P["commodity"], commodity)
            self.t(commodity, A, C["TechnologyCategory"])
            self.t(commodity, NOTATION, plain(r.commodity_code))
            self.t(commodity, P["unspscCode"], plain(r.commodity_code))
            self.t(commodity, PREF, en(r.commodity_title))
        if r.element_id is not None:
            self.t(node, P["element"], self.element(r.element_id, r.element_name))
        self.t(node, DERIVED, self.source)

    def job_zone_row(self, r: JobZone) -> None:
        occ = self.occ(r.code)
        zone = iri(self.iris.job_zone(int(r.zone)))
        node = iri(self.iris.job_zone_assignment(self.version, r.code))
        self.t(occ, P["jobZone"], zone)
        self.t(zone, A, C["JobZone"])
        self.t(zone, P["jobZoneNumber"], integer(r.zone))
        self.t(node, A, C["JobZoneAssignment"])
        self.t(node, P["occupation"], occ)
        self.t(node, P["assignedJobZone"], zone)
        self.sourced(node, r.date, r.domain_source)

    def related_row(self, r: RelatedOccupation) -> None:
        node = iri(self.iris.related(self.version, r.code, r.related_code))
        self.t(node, A, C["OccupationRelation"])
        self.t(node, P["occupation"], self.occ(r.code))
        self.t(node, P["relatedOccupation"], self.occ(r.related_code))
        self.t(node, P["relatednessTier"], plain(r.tier))
        self.t(node, P["relatednessIndex"], integer(r.index))
        self.t(node, DERIVED, self.source)

    def row(self, record) -> None:
        _ROWS[type(record)](self, record)

    def sorted_bytes(self) -> tuple[bytes, int]:
        """This file's lines, unique and sorted, as one UTF-8 block, and how many."""
        unique = sorted(set(self.lines))
        self.lines = []
        return "".join(unique).encode("utf-8"), len(unique)


_ROWS = {
    Element: Emitter.content_model_row, Scale: Emitter.scale_row, JobZoneReference: Emitter.job_zone_reference_row,
    Occupation: Emitter.occupation_row, AlternateTitle: Emitter.alternate_title_row,
    ReportedTitle: Emitter.reported_title_row, TaskStatement: Emitter.task_row, Rating: Emitter.rating_row,
    Technology: Emitter.technology_row, JobZone: Emitter.job_zone_row, RelatedOccupation: Emitter.related_row,
}


