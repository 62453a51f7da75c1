"""O*NET release rows -> RDF: one named graph per release, written as canonical N-Quads.

``import_release(folder, namespace, target)`` reads a release folder (loader.onet_release),
maps every row to triples in the graph <NAMESPACE>graph/onet/<version> and writes the
graph, sorted, through loader.build.write_atomically: when any file has a problem,
nothing is written and SourceDataError lists every problem.

IRIs (OnetIris, under the one namespace; no blank nodes, every node minted from codes):

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

The graph is large (29.3: about 2.7 million triples), far beyond what an rdflib Graph
holds comfortably, so rows are written straight to N-Quads lines in exactly the form
loader.build.canonical_nquads gives (rdflib's N-Triples escaping, graph name appended,
lines sorted); the small description of the release is made with rdflib and
canonical_nquads itself. Decimals are written in their canonical form (4.1200 -> 4.12),
the form Oxigraph gives back, so a dump of a store the file was loaded into is the file.
Files are mapped in parallel, one process per core, each returning its lines sorted; the
parent merges them.
"""
from __future__ import annotations

import heapq
import io
import os
import queue as queue_module
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Callable, Iterable

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

from .build import canonical_nquads, write_atomically
from .errors import SourceDataError, SourceProblem
from .iris import Iris
from .onet_release import (
    EXCEL, AlternateTitle, Element, FileReader, JobZone, JobZoneReference, Occupation, Rating, RelatedOccupation,
    Release, ReleaseFile, ReportedTitle, Scale, TaskStatement, Technology, count_rows, detect_release,
)
from .rdf_mapping import SCHEMA, SG, NamedGraph, new_graph, text

PUBLISHER = "U.S. Department of Labor, Employment and Training Administration (USDOL/ETA)"
LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")


class OnetIris(Iris):
    """Iris, with the IRIs of O*NET releases."""

    def onet_source(self, version: str) -> URIRef:
        return self.source(f"onet-{version}")

    def onet_graph(self, version: str) -> URIRef:
        return self.graph(f"onet/{version}")

    def content_model(self) -> URIRef:
        return self._iri("onet/content-model")

    def onet_scale(self, scale_id: str) -> URIRef:
        return self._iri(f"onet/scale/{scale_id}")

    def onet_task(self, task_id: str) -> URIRef:
        return self._iri(f"onet/task/{task_id}")

    def unspsc(self, commodity_code: str) -> URIRef:
        return self._iri(f"onet/unspsc/{commodity_code}")

    def rating(self, version: str, code: str, element_id: str, scale_id: str) -> URIRef:
        return self._iri(f"onet/{version}/rating/{code}/{element_id}/{scale_id}")

    def alternate_title(self, version: str, code: str, n: int) -> URIRef:
        return self._iri(f"onet/{version}/title/{code}/{n}")

    def reported_title(self, version: str, code: str, n: int) -> URIRef:
        return self._iri(f"onet/{version}/reported-title/{code}/{n}")

    def technology(self, version: str, code: str, n: int) -> URIRef:
        return self._iri(f"onet/{version}/technology/{code}/{n}")

    def job_zone_assignment(self, version: str, code: str) -> URIRef:
        return self._iri(f"onet/{version}/job-zone/{code}")

    def related(self, version: str, code: str, related_code: str) -> URIRef:
        return self._iri(f"onet/{version}/related/{code}/{related_code}")


# ---- N-Quads terms, written as rdflib's N-Triples serializer writes them ----------------------

def _esc(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"').replace("\r", "\\r")


def n_iri(value: str) -> str:
    return f"<{value}>"


def n_str(value: str) -> str:
    return f'"{_esc(value)}"'


def n_en(value: str) -> str:
    return f'"{_esc(value)}"@en'


_DEC, _INT, _BOOL, _GYM = (f"^^<{XSD.decimal}>", f"^^<{XSD.integer}>", f"^^<{XSD.boolean}>", f"^^<{XSD.gYearMonth}>")


def n_dec(value: str) -> str:
    return f'"{value}"{_DEC}'


def n_int(value: str | int) -> str:
    return f'"{value}"{_INT}'


def n_bool(value: bool) -> str:
    return f'"{"true" if value else "false"}"{_BOOL}'


def n_gym(value: str) -> str:
    return f'"{value}"{_GYM}'


A = n_iri(RDF.type)
P = {name: n_iri(SG[name]) for name in (
    "occupation", "element", "scale", "sampleSize", "standardError", "lowerCIBound", "upperCIBound",
    "recommendSuppress", "notRelevant", "domainSource", "taskText", "taskType", "incumbentsResponding", "task",
    "onetSocCode", "socCode", "alternateTitle", "reportedTitle", "shortTitle", "titleSource", "shownInMyNextMove",
    "technologyExample", "commodity", "hotTechnology", "inDemand", "unspscCode", "jobZone", "jobZoneNumber",
    "assignedJobZone", "jobZoneExperience", "jobZoneEducation", "jobZoneTraining", "jobZoneExamples", "svpRange",
    "relatedOccupation", "relatednessTier", "relatednessIndex", "position")}
C = {name: n_iri(SG[name]) for name in (
    "Occupation", "OnetElement", "OnetScale", "OnetRating", "Task", "AlternateTitle", "ReportedTitle",
    "TechnologyExample", "TechnologyCategory", "JobZone", "JobZoneAssignment", "OccupationRelation")}
PREF, NOTATION, DEFINITION, BROADER, IN_SCHEME, TOP_OF = (n_iri(SKOS.prefLabel), n_iri(SKOS.notation), n_iri(SKOS.definition),
                                                          n_iri(SKOS.broader), n_iri(SKOS.inScheme), n_iri(SKOS.topConceptOf))
DESCRIPTION, DATE, DERIVED = n_iri(DCTERMS.description), n_iri(DCTERMS.date), n_iri(PROV.wasDerivedFrom)
VALUE, MIN, MAX = n_iri(SCHEMA.value), n_iri(SCHEMA.minValue), n_iri(SCHEMA.maxValue)


class Emitter:
    """Collects the N-Quads lines of one file's rows in the release graph."""

    def __init__(self, iris: OnetIris, version: str):
        self.iris = iris
        self.version = version
        self.suffix = f" {n_iri(iris.onet_graph(version))} .\n"
        self.source = n_iri(iris.onet_source(version))
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
        return n_iri(self.iris.occupation(code))

    def element(self, element_id: str, name: str | None = None) -> str:
        el = n_iri(self.iris.element(element_id))
        self.t(el, A, C["OnetElement"])
        self.t(el, NOTATION, n_str(element_id))
        self.t(el, IN_SCHEME, n_iri(self.iris.content_model()))
        if name is not None and element_id not in self.element_names:
            self.element_names[element_id] = name
        return el

    def scale(self, scale_id: str, name: str | None = None) -> str:
        sc = n_iri(self.iris.onet_scale(scale_id))
        self.t(sc, A, C["OnetScale"])
        self.t(sc, NOTATION, n_str(scale_id))
        if name is not None and scale_id not in self.scale_names:
            self.scale_names[scale_id] = name
        return sc

    # one method per kind of row ------------------------------------------------------------

    def content_model_row(self, r: Element) -> None:
        el = self.element(r.id)
        self.defined.add(r.id)
        self.t(el, PREF, n_en(r.name))
        self.t(el, DEFINITION, n_en(r.description))
        scheme = n_iri(self.iris.content_model())
        if "." in r.id:
            self.t(el, BROADER, n_iri(self.iris.element(r.id.rsplit(".", 1)[0])))
        else:
            self.t(el, TOP_OF, scheme)

    def scale_row(self, r: Scale) -> None:
        sc = self.scale(r.id)
        self.defined.add(r.id)
        self.t(sc, PREF, n_en(r.name))
        self.t(sc, MIN, n_int(r.minimum))
        self.t(sc, MAX, n_int(r.maximum))

    def job_zone_reference_row(self, r: JobZoneReference) -> None:
        z = n_iri(self.iris.job_zone(int(r.zone)))
        self.t(z, A, C["JobZone"])
        self.t(z, P["jobZoneNumber"], n_int(r.zone))
        self.t(z, PREF, n_en(r.name))
        self.t(z, P["jobZoneExperience"], n_en(r.experience))
        self.t(z, P["jobZoneEducation"], n_en(r.education))
        self.t(z, P["jobZoneTraining"], n_en(r.training))
        self.t(z, P["jobZoneExamples"], n_en(r.examples))
        self.t(z, P["svpRange"], n_str(r.svp_range))

    def occupation_row(self, r: Occupation) -> None:
        occ = self.occ(r.code)
        self.t(occ, A, C["Occupation"])
        self.t(occ, PREF, n_en(r.title))
        self.t(occ, DESCRIPTION, n_en(r.description))
        self.t(occ, P["onetSocCode"], n_str(r.code))
        self.t(occ, P["socCode"], n_str(r.code[:7]))

    def alternate_title_row(self, r: AlternateTitle) -> None:
        n = self.next_position(r.code)
        node = n_iri(self.iris.alternate_title(self.version, r.code, n))
        occ = self.occ(r.code)
        self.t(occ, P["alternateTitle"], node)
        self.t(node, A, C["AlternateTitle"])
        self.t(node, PREF, n_en(r.title))
        self.t(node, P["occupation"], occ)
        self.t(node, P["position"], n_int(n))
        if r.short_title is not None:
            self.t(node, P["shortTitle"], n_en(r.short_title))
        for code in r.sources:
            self.t(node, P["titleSource"], n_str(code))

    def reported_title_row(self, r: ReportedTitle) -> None:
        n = self.next_position(r.code)
        node = n_iri(self.iris.reported_title(self.version, r.code, n))
        occ = self.occ(r.code)
        self.t(occ, P["reportedTitle"], node)
        self.t(node, A, C["ReportedTitle"])
        self.t(node, PREF, n_en(r.title))
        self.t(node, P["occupation"], occ)
        self.t(node, P["position"], n_int(n))
        self.t(node, P["shownInMyNextMove"], n_bool(r.shown_in_my_next_move))

    def task_row(self, r: TaskStatement) -> None:
        task = n_iri(self.iris.onet_task(r.task_id))
        occ = self.occ(r.code)
        self.t(occ, P["task"], task)
        self.t(task, A, C["Task"])
        self.t(task, NOTATION, n_str(r.task_id))
        self.t(task, P["taskText"], n_en(r.task))
        self.t(task, P["occupation"], occ)
        if r.task_type is not None:
            self.t(task, P["taskType"], n_str(r.task_type))
        if r.incumbents_responding is not None:
            self.t(task, P["incumbentsResponding"], n_int(r.incumbents_responding))
        self.t(task, DATE, n_gym(r.date))
        self.t(task, P["domainSource"], n_str(r.domain_source))
        self.t(task, DERIVED, self.source)

    def rating_row(self, r: Rating) -> None:
        node = n_iri(self.iris.rating(self.version, r.code, r.element_id, r.scale_id))
        self.t(node, A, C["OnetRating"])
        self.t(node, P["occupation"], self.occ(r.code))
        self.t(node, P["element"], self.element(r.element_id, r.element_name))
        self.t(node, P["scale"], self.scale(r.scale_id, r.scale_name))
        self.t(node, VALUE, n_dec(r.value))
        if r.n is not None:
            self.t(node, P["sampleSize"], n_int(r.n))
        if r.standard_error is not None:
            self.t(node, P["standardError"], n_dec(r.standard_error))
        if r.lower_ci is not None:
            self.t(node, P["lowerCIBound"], n_dec(r.lower_ci))
        if r.upper_ci is not None:
            self.t(node, P["upperCIBound"], n_dec(r.upper_ci))
        if r.recommend_suppress is not None:
            self.t(node, P["recommendSuppress"], n_bool(r.recommend_suppress))
        if r.not_relevant is not None:
            self.t(node, P["notRelevant"], n_bool(r.not_relevant))
        self.t(node, DATE, n_gym(r.date))
        self.t(node, P["domainSource"], n_str(r.domain_source))
        self.t(node, DERIVED, self.source)

    def technology_row(self, r: Technology) -> None:
        n = self.next_position(r.code)
        node = n_iri(self.iris.technology(self.version, r.code, n))
        occ = self.occ(r.code)
        self.t(occ, P["technologyExample"], node)
        self.t(node, A, C["TechnologyExample"])
        self.t(node, PREF, n_en(r.example))
        self.t(node, P["occupation"], occ)
        self.t(node, P["position"], n_int(n))
        self.t(node, P["hotTechnology"], n_bool(r.hot_technology))
        if r.in_demand is not None:
            self.t(node, P["inDemand"], n_bool(r.in_demand))
        if r.commodity_code is not None:
            commodity = n_iri(self.iris.unspsc(r.commodity_code))
            self.t(node, P["commodity"], commodity)
            self.t(commodity, A, C["TechnologyCategory"])
            self.t(commodity, NOTATION, n_str(r.commodity_code))
            self.t(commodity, P["unspscCode"], n_str(r.commodity_code))
            self.t(commodity, PREF, n_en(r.commodity_title))
        if r.element_id is not None:
            self.t(node, P["element"], self.element(r.element_id, r.element_name))
        self.t(node, DERIVED, self.source)

    def job_zone_row(self, r: JobZone) -> None:
        occ = self.occ(r.code)
        zone = n_iri(self.iris.job_zone(int(r.zone)))
        node = n_iri(self.iris.job_zone_assignment(self.version, r.code))
        self.t(occ, P["jobZone"], zone)
        self.t(zone, A, C["JobZone"])
        self.t(zone, P["jobZoneNumber"], n_int(r.zone))
        self.t(node, A, C["JobZoneAssignment"])
        self.t(node, P["occupation"], occ)
        self.t(node, P["assignedJobZone"], zone)
        self.t(node, DATE, n_gym(r.date))
        self.t(node, P["domainSource"], n_str(r.domain_source))
        self.t(node, DERIVED, self.source)

    def related_row(self, r: RelatedOccupation) -> None:
        node = n_iri(self.iris.related(self.version, r.code, r.related_code))
        self.t(node, A, C["OccupationRelation"])
        self.t(node, P["occupation"], self.occ(r.code))
        self.t(node, P["relatedOccupation"], self.occ(r.related_code))
        self.t(node, P["relatednessTier"], n_str(r.tier))
        self.t(node, P["relatednessIndex"], n_int(r.index))
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


# ---- one file ------------------------------------------------------------------------------------

@dataclass
class FileOutcome:
    label: str
    dataset: str
    rows: int = 0
    triples: int = 0
    seconds: float = 0.0
    lines: bytes = b""
    problems: list[SourceProblem] = field(default_factory=list)
    element_names: dict[str, str] = field(default_factory=dict)
    scale_names: dict[str, str] = field(default_factory=dict)
    defined: set[str] = field(default_factory=set)
    scale_ranges: dict[str, tuple[Decimal, Decimal]] = field(default_factory=dict)
    layout: str = ""


@dataclass(frozen=True)
class _Job:
    file: ReleaseFile
    form: str
    namespace: str
    version: str
    scale_ranges: dict


Progress = Callable[[str, str, int, int | None], None]   # (event, file label, rows done, total rows)


def map_file(job: _Job, progress: Progress | None = None) -> FileOutcome:
    """Read, check and map one file of a release."""
    started = time.perf_counter()
    rf = job.file
    outcome = FileOutcome(rf.label, rf.dataset.label)
    total = count_rows(rf.path, job.form)
    if progress:
        progress("start", rf.label, 0, total)
    emitter = Emitter(OnetIris(job.namespace), job.version)
    reader = FileReader(rf, job.form, job.scale_ranges,
                        on_row=(lambda n: progress("advance", rf.label, n, total)) if progress else None)
    for record in reader:
        emitter.row(record)
        if isinstance(record, Scale):
            outcome.scale_ranges[record.id] = (Decimal(record.minimum), Decimal(record.maximum))
    outcome.rows = reader.rows
    outcome.problems = reader.all_problems()
    outcome.layout = reader.variant.layout if reader.variant else ""
    if not outcome.problems:
        outcome.lines, outcome.triples = emitter.sorted_bytes()
        outcome.element_names = emitter.element_names
        outcome.scale_names = emitter.scale_names
        outcome.defined = emitter.defined
    outcome.seconds = time.perf_counter() - started
    if progress:
        progress("done", rf.label, outcome.rows, total)
    return outcome


_progress_queue = None


def _init_worker(progress_queue) -> None:
    global _progress_queue
    _progress_queue = progress_queue


def _queue_progress(event: str, label: str, done: int, total: int | None) -> None:
    _progress_queue.put((event, label, done, total))


def _run_in_worker(job: _Job) -> FileOutcome:
    return map_file(job, _queue_progress if _progress_queue is not None else None)


# ---- a whole release ------------------------------------------------------------------------------

@dataclass
class ImportResult:
    release: Release
    graph: URIRef
    target: Path | None
    files: list[FileOutcome]
    triples: int
    seconds: float
    payload: bytes | None = None

    @property
    def rows(self) -> int:
        return sum(f.rows for f in self.files)


def release_graph(release: Release, iris: OnetIris, files: list[FileOutcome]) -> NamedGraph:
    """The description of the release itself, with rdflib."""
    g = new_graph()
    s = iris.onet_source(release.version)
    title = f"O*NET {release.version} Database"
    g.add((s, RDF.type, SG.Source))
    g.add((s, RDF.type, SG.OnetRelease))
    g.add((s, SKOS.notation, Literal(f"onet-{release.version}")))
    g.add((s, RDFS.label, text(title)))
    g.add((s, DCTERMS.title, text(title)))
    g.add((s, OWL.versionInfo, Literal(release.version)))
    if release.issued:
        g.add((s, DCTERMS.issued, Literal(release.issued, datatype=XSD.gYearMonth)))
    agent = iris.agent(PUBLISHER)
    g.add((s, DCTERMS.publisher, agent))
    g.add((agent, RDF.type, SG.Agent))
    g.add((agent, RDFS.label, text(PUBLISHER)))
    g.add((s, DCTERMS.license, LICENSE))
    if release.dictionary:
        g.add((s, RDFS.seeAlso, URIRef(release.dictionary)))
    for f in files:
        g.add((s, SG.importedFile, Literal(f"{f.label}: {f.rows} rows")))
    for skipped in release.skipped:
        g.add((s, SG.skippedFile, Literal(skipped)))
    scheme = iris.content_model()
    g.add((scheme, RDF.type, SKOS.ConceptScheme))
    g.add((scheme, SKOS.prefLabel, text("O*NET Content Model")))
    return NamedGraph(iris.onet_graph(release.version), g)


def _labels(iris: OnetIris, version: str, outcomes: list[FileOutcome]) -> bytes:
    """Labels of elements and scales that the release's references do not give, from the data files' names."""
    defined_elements = {i for o in outcomes if o.dataset == "Content Model Reference" for i in o.defined}
    defined_scales = {i for o in outcomes if o.dataset == "Scales Reference" for i in o.defined}
    em = Emitter(iris, version)
    elements: dict[str, str] = {}
    scales: dict[str, str] = {}
    for o in outcomes:
        for k, v in o.element_names.items():
            elements.setdefault(k, v)
        for k, v in o.scale_names.items():
            scales.setdefault(k, v)
    for element_id, name in elements.items():
        if element_id not in defined_elements:
            em.t(n_iri(iris.element(element_id)), PREF, n_en(name))
    for scale_id, name in scales.items():
        if scale_id not in defined_scales:
            em.t(n_iri(iris.onet_scale(scale_id)), PREF, n_en(name))
    return em.sorted_bytes()[0]


def _merge(blocks: Iterable[bytes]) -> tuple[bytes, int]:
    """Merge sorted blocks of lines into one sorted block without repeats."""
    out = io.BytesIO()
    count = 0
    previous = None
    for line in heapq.merge(*(io.BytesIO(b) for b in blocks if b)):
        if line != previous:
            out.write(line)
            count += 1
            previous = line
    return out.getvalue(), count


def import_release(folder: Path, namespace: str, home: Path | None = None, *, target: Path | None = None,
                   release: str | None = None, workers: int | None = None, progress: Progress | None = None,
                   on_release: Callable[[Release], None] | None = None) -> ImportResult:
    """Import one O*NET release folder.

    Writes target, or else <home>/imports/onet-<version>.nq; with neither, writes nothing
    and keeps the N-Quads in the result's payload. Raises SourceDataError, writing
    nothing, when the folder or any file has a problem.
    """
    started = time.perf_counter()
    rel = detect_release(folder, release)
    if target is None and home is not None:
        target = output_file(home, rel.version)
    if on_release:
        on_release(rel)
    iris = OnetIris(namespace)
    outcomes: list[FileOutcome] = []
    first = [f for f in rel.files if f.dataset.key == "scales"]
    rest = sorted((f for f in rel.files if f.dataset.key != "scales"), key=lambda f: -f.path.stat().st_size)
    ranges: dict = {}
    for rf in first:  # the Scales Reference gives the ranges every rating is checked against
        outcome = map_file(_Job(rf, rel.form, namespace, rel.version, {}), progress)
        outcomes.append(outcome)
        ranges.update(outcome.scale_ranges)
    jobs = [_Job(rf, rel.form, namespace, rel.version, ranges) for rf in rest]
    outcomes += _run_jobs(jobs, workers, progress)
    problems = [p for o in outcomes for p in o.problems]
    if problems:
        raise SourceDataError(problems)
    order = {rf.label: i for i, rf in enumerate(rel.files)}
    outcomes.sort(key=lambda o: order[o.label])
    description = canonical_nquads([release_graph(rel, iris, outcomes)])
    blocks = [description, _labels(iris, rel.version, outcomes)] + [o.lines for o in outcomes]
    for o in outcomes:
        o.lines = b""
    payload, triples = _merge(blocks)
    del blocks
    if target is not None:
        write_atomically(target, payload)
    return ImportResult(rel, iris.onet_graph(rel.version), target, outcomes, triples, time.perf_counter() - started,
                        payload if target is None else None)


def _run_jobs(jobs: list[_Job], workers: int | None, progress: Progress | None) -> list[FileOutcome]:
    workers = min(workers or os.cpu_count() or 1, max(len(jobs), 1))
    if workers <= 1:
        return [map_file(job, progress) for job in jobs]
    import multiprocessing
    progress_queue = multiprocessing.get_context().Queue() if progress else None
    outcomes: list[FileOutcome] = []
    with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=(progress_queue,)) as pool:
        pending = {pool.submit(_run_in_worker, job) for job in jobs}
        while pending:
            done, pending = wait(pending, timeout=0.1, return_when=FIRST_COMPLETED)
            _drain(progress_queue, progress)
            for future in done:
                outcomes.append(future.result())
    _drain(progress_queue, progress)
    return outcomes


def _drain(progress_queue, progress: Progress | None) -> None:
    if progress_queue is None or progress is None:
        return
    while True:
        try:
            event = progress_queue.get_nowait()
        except queue_module.Empty:
            return
        progress(*event)


def output_file(home: Path, version: str) -> Path:
    return home / "imports" / f"onet-{version}.nq"


__all__ = ["ImportResult", "OnetIris", "import_release", "output_file", "EXCEL"]
