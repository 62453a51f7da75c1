"""`skillsgraph import onet DIR`: an O*NET release folder -> one named graph,
<NS>graph/onet/<version>, written as canonical N-Quads.

``import_release(folder, namespace, home)`` tells the release (loader.onet.release), maps every
file (loader.onet.file_jobs; the Scales Reference first, since every rating is checked against
its ranges), describes the release itself with rdflib, and merges the sorted blocks into one
file written through a rename: when any file has a problem, nothing is written and
SourceDataError lists every problem.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from rdflib import Literal, URIRef

from ..errors import SourceDataError
from ..graphs import CC_BY, DCTERMS, OWL, RDF, RDFS, SG, SKOS, XSD, NamedGraph, new_graph, text
from ..iris import Iris
from ..nquads import canonical_nquads, en, iri, merge_sorted, write_atomically
from .file_jobs import FileJob, FileOutcome, Progress, map_file, map_files
from .release import Release, detect_release
from .triples import PREF, Emitter

PUBLISHER = "U.S. Department of Labor, Employment and Training Administration (USDOL/ETA)"


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


def output_file(home: Path, version: str) -> Path:
    return home / "imports" / f"onet-{version}.nq"


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
    iris = Iris(namespace)
    outcomes: list[FileOutcome] = []
    first = [f for f in rel.files if f.dataset.key == "scales"]
    rest = sorted((f for f in rel.files if f.dataset.key != "scales"), key=lambda f: -f.path.stat().st_size)
    ranges: dict = {}
    for rf in first:  # the Scales Reference gives the ranges every rating is checked against
        outcome = map_file(FileJob(rf, rel.form, namespace, rel.version, {}), progress)
        outcomes.append(outcome)
        ranges.update(outcome.scale_ranges)
    outcomes += map_files([FileJob(rf, rel.form, namespace, rel.version, ranges) for rf in rest], workers, progress)
    problems = [p for o in outcomes for p in o.problems]
    if problems:
        raise SourceDataError(problems)
    order = {rf.label: i for i, rf in enumerate(rel.files)}
    outcomes.sort(key=lambda o: order[o.label])
    description = canonical_nquads([release_graph(rel, iris, outcomes)])
    blocks = [description, _labels(iris, rel.version, outcomes)] + [o.lines for o in outcomes]
    for o in outcomes:
        o.lines = b""
    payload, triples = merge_sorted(blocks)
    del blocks
    if target is not None:
        write_atomically(target, payload)
    return ImportResult(rel, iris.onet_graph(rel.version), target, outcomes, triples, time.perf_counter() - started,
                        payload if target is None else None)


def release_graph(release: Release, iris: Iris, files: list[FileOutcome]) -> NamedGraph:
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
    g.add((s, DCTERMS.license, CC_BY))
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


def _labels(iris: Iris, version: str, outcomes: list[FileOutcome]) -> bytes:
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
            em.t(iri(iris.element(element_id)), PREF, en(name))
    for scale_id, name in scales.items():
        if scale_id not in defined_scales:
            em.t(iri(iris.onet_scale(scale_id)), PREF, en(name))
    return em.sorted_bytes()[0]


__all__ = ["ImportResult", "import_release", "output_file", "release_graph"]
