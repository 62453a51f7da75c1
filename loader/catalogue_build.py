"""Build a whole catalogue: one framework file per job, in parallel, with a cache.

Each framework file is read, mapped and validated with pyshacl on its own small graph
(the release plus the shared registries and the ontology), never the catalogue at once:
pyshacl's cost grows much faster than the graph. Jobs run in a process pool over the
cores. A job's output, the framework's canonical N-Quads, is cached under a digest of
everything it depends on (its file, the registries, ontology, shapes, namespace and the
code version), so a rebuild of unchanged sources reuses it. The result is written through
loader.build.write_atomically: a failed or interrupted build leaves the previous output.
"""
from __future__ import annotations

import hashlib
import os
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from skillsgraph import __version__
from skillsgraph.resources import ontology_dir, shapes_dir

from .build import ValidationFailed, canonical_nquads, write_atomically
from .errors import SourceDataError, SourceProblem
from .iris import Iris
from .lineage import lineage_graphs, names_predecessors, validate_lineage
from .rdf_mapping import NamedGraph, framework_named_graph, map_source_data, new_graph
from .source_data import (
    SourceData, duplicate_releases, list_framework_files, read_framework, read_registries, release_key,
)
from .validation import Violation, ontology_graph, validate_graph


@dataclass
class CatalogueBuild:
    target: Path | None
    frameworks: int = 0
    reused: int = 0
    triples: int = 0
    seconds: float = 0.0
    problems: list[SourceProblem] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)


@dataclass(frozen=True)
class _Job:
    file: Path
    digest: str


@dataclass
class _Outcome:
    file: Path
    lines: list[str] = field(default_factory=list)
    release_key: tuple[str, str] | None = None
    names_predecessors: bool = False  # it replaces or withdraws statements of an earlier release
    problems: list[SourceProblem] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)
    reused: bool = False


# ---- worker side ---------------------------------------------------------------------

_worker: dict = {}


def _init_worker(data_dir: Path, namespace: str, cache_dir: Path | None) -> None:
    registries = read_registries(data_dir)
    iris = Iris(namespace)
    registry_graph = new_graph()
    for ng in map_source_data(SourceData(registries, []), iris):
        registry_graph += ng.graph
    _worker.update(registries=registries, iris=iris, registry_graph=registry_graph, cache_dir=cache_dir)


def _run_job(job: _Job) -> _Outcome:
    cache_dir = _worker["cache_dir"]
    cached = cache_dir / f"{job.digest}.nq" if cache_dir else None
    key_file = cached.with_suffix(".key") if cached else None
    if cached and cached.exists() and key_file.exists():
        code, release, names = (key_file.read_text(encoding="utf-8").split("\n") + [""])[:3]
        return _Outcome(job.file, cached.read_text(encoding="utf-8").splitlines(keepends=True), (code, release),
                        names_predecessors=names == "names-predecessors", reused=True)
    try:
        framework = read_framework(job.file, _worker["registries"])
    except SourceDataError as exc:
        return _Outcome(job.file, problems=exc.problems)
    ng = framework_named_graph(framework, _worker["registries"], _worker["iris"])
    violations = [v for v in validate_graph(_worker["registry_graph"] + ng.graph, str(ng.name))
                  if (_uri(v.focus), None, None) not in _worker["registry_graph"]]
    key = release_key(framework)
    if violations:
        return _Outcome(job.file, violations=violations, release_key=key)
    lines = canonical_nquads([ng]).decode("utf-8").splitlines(keepends=True)
    names = names_predecessors(framework)
    if cached:
        write_atomically(cached, "".join(lines).encode("utf-8"))
        write_atomically(key_file, f"{key[0]}\n{key[1]}\n{'names-predecessors' if names else ''}\n".encode("utf-8"))
    return _Outcome(job.file, lines, key, names_predecessors=names)


def _uri(value: str):
    from rdflib import URIRef
    return URIRef(value)


# ---- parent side -----------------------------------------------------------------------

def _shared_digest(data_dir: Path, namespace: str) -> hashlib._Hash:
    digest = hashlib.sha256(f"{__version__}\0{namespace}\0".encode())
    for folder in (data_dir / "registries", ontology_dir(), shapes_dir()):
        for file in sorted(folder.glob("*")):
            if file.is_file():
                digest.update(file.name.encode() + b"\0" + file.read_bytes())
    code_dir = Path(__file__).resolve().parent
    for module in sorted(code_dir.glob("*.py")):
        digest.update(module.read_bytes())
    return digest


def build_catalogue(data_dir: Path, namespace: str, target: Path | None, cache_dir: Path | None, workers: int | None = None,
                    on_progress: Callable[[int, int], None] | None = None) -> CatalogueBuild:
    """Build every framework of data_dir into one canonical N-Quads file at target (None: check only)."""
    started = time.perf_counter()
    result = CatalogueBuild(target)
    registries = read_registries(data_dir)  # raises SourceDataError: nothing runs on broken registries
    files = list_framework_files(data_dir)
    shared = _shared_digest(data_dir, namespace)
    jobs = []
    for file in files:
        digest = shared.copy()
        digest.update(file.read_bytes())
        jobs.append(_Job(file, digest.hexdigest()[:32]))
    if cache_dir is not None:
        cache_dir.mkdir(parents=True, exist_ok=True)
    outcomes = _run_all(jobs, data_dir, namespace, cache_dir, workers, on_progress)
    for outcome in outcomes:
        result.problems += outcome.problems
        result.violations += outcome.violations
        result.reused += outcome.reused
    result.problems += duplicate_releases([(o.file, o.release_key) for o in outcomes if o.release_key])
    if result.problems:
        raise SourceDataError(result.problems)
    if result.violations:
        raise ValidationFailed(result.violations)
    registry_graphs = map_source_data(SourceData(registries, []), Iris(namespace))
    registry_violations = validate_graph(_union(registry_graphs), "registries")
    if registry_violations:
        raise ValidationFailed(registry_violations)
    ontology = NamedGraph(Iris(namespace).graph("ontology"), ontology_graph())
    lines = set(canonical_nquads([ontology, *registry_graphs]).decode("utf-8").splitlines(keepends=True))
    for outcome in outcomes:
        lines.update(outcome.lines)
    lines.update(_lineage_lines(outcomes, registries, registry_graphs, Iris(namespace)))
    if target is not None:
        write_atomically(target, "".join(sorted(lines)).encode("utf-8"))
    result.frameworks = len(outcomes)
    result.triples = len(lines)
    result.seconds = time.perf_counter() - started
    return result


def _lineage_lines(outcomes: list[_Outcome], registries, registry_graphs: list[NamedGraph], iris: Iris) -> set[str]:
    """The links between releases of one framework (loader.lineage). Jobs see one file each,
    so these are made here, for the few occupations that have more than one release."""
    codes: dict[str, list[Path]] = {}
    for o in outcomes:
        codes.setdefault(o.release_key[0], []).append(o.file)
    # A lone release that names predecessors is read too: lineage_graphs reports it.
    alone = {o.file for o in outcomes if o.names_predecessors}
    files = sorted({f for group in codes.values() if len(group) > 1 for f in group} | alone)
    if not files:
        return set()
    frameworks = [read_framework(f, registries) for f in files]
    links = lineage_graphs(frameworks, iris)
    violations = validate_lineage(frameworks, links, registries, _union(registry_graphs), iris)
    if violations:
        raise ValidationFailed(violations)
    named = [NamedGraph(name, graph) for name, graph in links.items()]
    return set(canonical_nquads(named).decode("utf-8").splitlines(keepends=True))


def _union(graphs: list[NamedGraph]):
    g = new_graph()
    for ng in graphs:
        g += ng.graph
    return g


def _run_all(jobs: list[_Job], data_dir: Path, namespace: str, cache_dir: Path | None, workers: int | None,
             on_progress: Callable[[int, int], None] | None) -> list[_Outcome]:
    workers = workers or os.cpu_count() or 1
    outcomes: list[_Outcome] = []
    if workers == 1 or len(jobs) == 1:
        _init_worker(data_dir, namespace, cache_dir)
        for job in jobs:
            outcomes.append(_run_job(job))
            if on_progress:
                on_progress(len(outcomes), len(jobs))
        return outcomes
    with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker,
                             initargs=(data_dir, namespace, cache_dir)) as pool:
        for outcome in pool.map(_run_job, jobs, chunksize=4):
            outcomes.append(outcome)
            if on_progress:
                on_progress(len(outcomes), len(jobs))
    return outcomes
