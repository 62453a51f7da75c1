"""Build: source data -> validated, canonical N-Quads, written atomically. The one pipeline,
for `skillsgraph build`, `validate`, `serve` and the tests alike.

The registries are read, mapped and later validated once; each framework file is a job of its
own (loader.framework_jobs: in this process, or in a pool over the cores, with a cache); the
links between releases of one framework (loader.lineage) are made last, for the few occupations
that have more than one release. Nothing is written unless everything passed: the output, one
file of sorted N-Quads lines (byte-identical for the same input; each job's lines come sorted and
are merged), goes through a temporary file and a rename, followed by its `.inputs` stamp
(loader.inputs).

The published files bundled with the data (data/published/: crosswalks and classifications as
their publishers publish them) are imported too, each into its own graph, into one file beside the build
(loader.published), each kept while its checksums and the importers are unchanged.
They are checked by their importers, row by row, not by the SHACL shapes: shapes run per
framework, and a classification is hundreds of thousands of triples.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Callable

from rdflib import Dataset, Graph, URIRef

from .errors import SourceDataError
from .framework_jobs import Job, Outcome, Shared, run_jobs
from .graphs import NamedGraph, union
from .inputs import build_inputs, write_build
from .iris import Iris
from .lineage import lineage_graphs, validate_lineage
from .nquads import canonical_nquads, merge_sorted
from .published import PublishedGraph, published_graphs
from .registry_rdf import registry_graphs
from .source_data import Registries, duplicate_releases, list_framework_files, read_framework, read_registries
from .validation import ValidationFailed, ontology_graph, validate_graph

# What a build reports as it goes: (stage, steps done, steps in all), e.g. ("validating frameworks", 3, 998).
Stages = Callable[[str, int, int], None]
READING, VALIDATING, IMPORTING = "reading registries", "validating frameworks", "importing published files"


@dataclass
class BuildResult:
    target: Path | None
    nquads: bytes
    graph_names: list[str]   # the ontology, the registries, then each framework release and its anchors
    frameworks: int
    reused: int              # framework results taken from the cache
    seconds: float
    published: list[PublishedGraph] = field(default_factory=list)   # written beside the build

    @property
    def triples(self) -> int:
        return self.nquads.count(b"\n")

    @cached_property
    def graphs(self) -> list[NamedGraph]:
        """The build as rdflib graphs, one per graph name, for callers that read it in Python."""
        dataset = Dataset()
        dataset.parse(data=self.nquads, format="nquads")
        out = []
        for name in map(URIRef, self.graph_names):
            graph = Graph()
            graph += dataset.graph(name)
            out.append(NamedGraph(name, graph))
        return out


def build(data_dir: Path, namespace: str, target: Path | None = None, *, cache_dir: Path | None = None,
          workers: int | None = None, on_progress: Stages | None = None,
          published_file: Path | None = None, published_cache: Path | None = None) -> BuildResult:
    """Build every framework of data_dir, writing target (None: check only, write nothing), and
    its published graphs into published_file (None: only check their checksums), keeping each in
    published_cache. Raises SourceDataError or ValidationFailed, listing every problem, and then
    writes nothing."""
    started = time.perf_counter()
    report = on_progress or (lambda stage, done, total: None)
    iris = Iris(namespace)
    report(READING, 0, 1)
    registries = read_registries(data_dir)  # nothing runs on broken registries
    inputs = build_inputs(data_dir, namespace, list_framework_files(data_dir))
    registry_named = registry_graphs(registries, iris)
    registry_graph = union(registry_named)
    report(READING, 1, 1)
    outcomes = run_jobs([Job(file, key) for file, key in inputs.frameworks],
                        Shared(registries, registry_graph, iris, cache_dir), workers,
                        lambda done, total: report(VALIDATING, done, total))
    _check(outcomes, registry_graph)
    ontology = NamedGraph(iris.graph("ontology"), ontology_graph())
    blocks = [canonical_nquads([ontology, *registry_named]), *(o.nquads for o in outcomes),
              canonical_nquads(_lineage(outcomes, registries, registry_graph, iris))]
    payload, _lines = merge_sorted(blocks)
    del blocks
    published = published_graphs(data_dir, namespace, published_file, published_cache, workers,
                                 lambda done, total: report(IMPORTING, done, total))
    if target is not None:
        write_build(target, payload, inputs.digest)
    names = [str(ng.name) for ng in (ontology, *registry_named)]
    names += [name for o in outcomes for name in (str(iris.framework_graph(*o.release_key)), *o.anchor_graphs)]
    return BuildResult(target, payload, names, len(outcomes), sum(o.reused for o in outcomes),
                       time.perf_counter() - started, published)


def _check(outcomes: list[Outcome], registry_graph: Graph) -> None:
    """Every problem at once: in the files, then SHACL's findings on the frameworks (those whose
    files had none) and on the registries."""
    problems = [p for o in outcomes for p in o.problems]
    problems += duplicate_releases([(o.file, o.release_key) for o in outcomes if o.release_key])
    violations = [v for o in outcomes for v in o.violations] + validate_graph(registry_graph, "registries")
    if problems:
        raise SourceDataError(problems, violations)
    if violations:
        raise ValidationFailed(violations)


def _lineage(outcomes: list[Outcome], registries: Registries, registry_graph: Graph, iris: Iris) -> list[NamedGraph]:
    """The links between releases of one framework. Jobs see one file each, so these are made
    here, from the files of the occupations that have more than one release."""
    codes: dict[str, list[Path]] = {}
    for o in outcomes:
        codes.setdefault(o.release_key[0], []).append(o.file)
    # A lone release that names predecessors is read too: lineage_graphs reports it.
    alone = {o.file for o in outcomes if o.names_predecessors}
    files = sorted({f for group in codes.values() if len(group) > 1 for f in group} | alone)
    if not files:
        return []
    frameworks = [read_framework(f, registries) for f in files]
    links = lineage_graphs(frameworks, iris)
    violations = validate_lineage(frameworks, links, registries, registry_graph, iris)
    if violations:
        raise ValidationFailed(violations)
    return [NamedGraph(name, graph) for name, graph in links.items()]


__all__ = ["BuildResult", "SourceDataError", "ValidationFailed", "Stages", "build"]
