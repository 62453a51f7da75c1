"""The build's jobs: one framework file each, read, mapped and validated on its own small graph
(the release plus the shared registries and the ontology), never the catalogue at once.

A job's output, the framework's canonical N-Quads (sorted lines), is cached under the file's key
(loader.inputs), so a rebuild of unchanged sources reuses it. Jobs run in this process when
there is one worker (or one job), else in a process pool over the cores; each worker is handed
the registries, read and mapped once by the build, when it starts.
"""
from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Callable, Iterable

from rdflib import Graph

from skillsgraph.child_processes import die_with_parent

from .anchors_rdf import anchor_graphs
from .errors import SourceDataError, SourceProblem
from .framework_rdf import framework_named_graph
from .graphs import NamedGraph
from .iris import Iris
from .lineage import names_predecessors
from .nquads import canonical_nquads, merge_sorted, term, write_atomically
from .source_data import Registries, read_framework, release_key
from .validation import Validator, Violation

Progress = Callable[[int, int], None]   # (jobs done, jobs in all)
NAMES_PREDECESSORS = "names-predecessors"


@dataclass(frozen=True)
class Job:
    file: Path
    key: str


@dataclass(frozen=True)
class Shared:
    """What every job needs, the same for all of them."""
    registries: Registries
    registry_graph: Graph
    iris: Iris
    cache_dir: Path | None

    @cached_property
    def validator(self) -> Validator:
        """Made where the jobs run (each pool worker makes its own), on first use."""
        return Validator(self.registry_graph)


@dataclass
class Outcome:
    file: Path
    nquads: bytes = b""  # sorted lines
    release_key: tuple[str, str] | None = None
    names_predecessors: bool = False  # it replaces or withdraws statements of an earlier release
    problems: list[SourceProblem] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)
    reused: bool = False
    anchor_graphs: tuple[str, ...] = ()  # the names of its anchors' graphs (loader.anchors_rdf)


def run_job(job: Job, shared: Shared) -> Outcome:
    reused = cached_outcome(job, shared)
    if reused is not None:
        return reused
    cached, key_file = _cache_files(job, shared)
    try:
        framework = read_framework(job.file, shared.registries)
    except SourceDataError as exc:
        return Outcome(job.file, problems=exc.problems)
    ng = framework_named_graph(framework, shared.registries, shared.iris)
    anchors = anchor_graphs(framework.content, shared.iris)
    checked = _with_editorial(ng, anchors.editorial)
    ntriples = canonical_nquads([checked]).replace(f" {term(ng.name)} .\n".encode("utf-8"), b" .\n")
    violations = shared.validator.violations(checked.graph, str(ng.name), ntriples)
    key = release_key(framework)
    if violations:
        return Outcome(job.file, violations=violations, release_key=key)
    names = names_predecessors(framework)
    editorial = [anchors.editorial] if anchors.editorial else []
    nquads, _lines = merge_sorted([canonical_nquads([ng, *editorial]), anchors.machine.payload()])
    graphs = (str(anchors.machine.name), *(str(e.name) for e in editorial))
    if cached:
        write_atomically(cached, nquads)
        write_atomically(key_file, f"{key[0]}\n{key[1]}\n{NAMES_PREDECESSORS if names else ''}\n{' '.join(graphs)}\n"
                         .encode("utf-8"))
    return Outcome(job.file, nquads, key, names_predecessors=names, anchor_graphs=graphs)


def cached_outcome(job: Job, shared: Shared) -> Outcome | None:
    """The job's outcome from the cache, if a build has kept one under its key."""
    cached, key_file = _cache_files(job, shared)
    if not (cached and cached.exists() and key_file.exists()):
        return None
    code, release, names, graphs = (key_file.read_text(encoding="utf-8").split("\n") + ["", ""])[:4]
    return Outcome(job.file, cached.read_bytes(), (code, release), names_predecessors=names == NAMES_PREDECESSORS,
                   reused=True, anchor_graphs=tuple(graphs.split()))


def _cache_files(job: Job, shared: Shared) -> tuple[Path | None, Path | None]:
    """Where the job's N-Quads and its release key are kept (None, None without a cache)."""
    if shared.cache_dir is None:
        return None, None
    cached = shared.cache_dir / f"{job.key}.nq"
    return cached, cached.with_suffix(".key")


def _with_editorial(ng: NamedGraph, editorial: NamedGraph | None) -> NamedGraph:
    """What SHACL checks: the release, with its editors' anchors, which name its statements. The
    machine's anchors are left out: made by code from checked input, their shape is the tests'
    to check (tests/test_anchors.py), where it would cost every build half again of its validation."""
    if editorial is None:
        return ng
    both = Graph()
    both += ng.graph
    both += editorial.graph
    return NamedGraph(ng.name, both)


def run_jobs(jobs: list[Job], shared: Shared, workers: int | None = None,
             on_progress: Progress | None = None) -> list[Outcome]:
    """Every job's outcome, in the order of `jobs`. Cached outcomes are read here and only the
    others go to the pool: handing each worker's cached N-Quads back through the pool cost
    4 s of a rebuild at 998 frameworks (1.6 GB pickled), and a pool for one job its start."""
    workers = workers or os.cpu_count() or 1
    if shared.cache_dir is not None:
        shared.cache_dir.mkdir(parents=True, exist_ok=True)
    outcomes: dict[int, Outcome] = {}
    for i, job in enumerate(jobs):
        cached = cached_outcome(job, shared)
        if cached is not None:
            outcomes[i] = cached
    if on_progress:
        on_progress(len(outcomes), len(jobs))
    todo = [i for i in range(len(jobs)) if i not in outcomes]
    if workers == 1 or len(todo) <= 1:
        outcomes.update(zip(todo, _collect((run_job(jobs[i], shared) for i in todo), len(outcomes), len(jobs),
                                           on_progress)))
    else:
        with ProcessPoolExecutor(max_workers=workers, initializer=_start_worker,
                                 initargs=(shared, os.getpid())) as pool:
            fresh = pool.map(_run_in_worker, [jobs[i] for i in todo], chunksize=4)
            outcomes.update(zip(todo, _collect(fresh, len(outcomes), len(jobs), on_progress)))
    return [outcomes[i] for i in range(len(jobs))]


def _collect(outcomes: Iterable[Outcome], done: int, total: int, on_progress: Progress | None) -> list[Outcome]:
    """The outcomes as they come, reported as `done` more of `total`."""
    collected: list[Outcome] = []
    for outcome in outcomes:
        collected.append(outcome)
        if on_progress:
            on_progress(done + len(collected), total)
    return collected


# ---- in a pool worker ------------------------------------------------------------------------

_worker_shared: Shared | None = None


def _start_worker(shared: Shared, parent: int) -> None:
    global _worker_shared
    die_with_parent(parent)
    _worker_shared = shared


def _run_in_worker(job: Job) -> Outcome:
    return run_job(job, _worker_shared)


__all__ = ["Job", "Outcome", "Shared", "run_job", "run_jobs"]
