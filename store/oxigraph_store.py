"""The embedded Oxigraph store: queries run on Oxigraph's own SPARQL engine.

SPARQL's default graph is the RDF merge of the named graphs: a set, in which a triple held by
eight graphs is one triple. Oxigraph's union default graph is a bag (that triple matches eight
times, and COUNTs and joins multiply), so the merge is written once, when files are loaded, into
the store's own default graph, which Oxigraph keeps as a set; queries then read that graph. It
costs a second copy of each distinct triple; for N-Quads the merge is bulk-loaded from the
file's lines without their graph names (store/merge_lines.py), 0.6-0.8x the time it took from
parsed quads.
"""
from __future__ import annotations

import itertools
import json
import tempfile
import threading
import time
from pathlib import Path
from typing import Callable, Iterator

import pyoxigraph as ox

from .base import (
    Bindings, BooleanResult, Dataset, GraphInfo, GraphResult, Limits, QueryResult, QuerySyntaxError, QueryTimeout,
    SolutionsResult, Values,
)
from .merge_lines import NotPlain, write_triples
from .values import with_bound

RDF_FORMATS = {".nt": ox.RdfFormat.N_TRIPLES, ".nq": ox.RdfFormat.N_QUADS, ".ttl": ox.RdfFormat.TURTLE,
               ".trig": ox.RdfFormat.TRIG, ".rdf": ox.RdfFormat.RDF_XML, ".owl": ox.RdfFormat.RDF_XML,
               ".jsonld": ox.RdfFormat.JSON_LD}


def rdf_format(file: Path, graph: str | None) -> ox.RdfFormat:
    fmt = RDF_FORMATS.get(file.suffix.lower())
    if fmt is None:
        raise ValueError(f"{file}: unknown RDF file type {file.suffix!r}; use one of {', '.join(RDF_FORMATS)}")
    if graph is None and not fmt.supports_datasets:
        raise ValueError(f"{file}: a {fmt.name} file holds no graph names; say which graph it goes into (FILE=GRAPH-IRI)")
    return fmt


def load_into(store: ox.Store, file: Path, graph: str | None) -> int:
    """Load an RDF file into `graph`, or, for N-Quads/TriG with graph None, into the graphs the
    file names; its triples join the store's default graph, the merge. Returns the number of
    statements the file holds.

    The named graphs and the merge are loaded at once, on two threads: pyoxigraph's bulk loader
    lets go of the interpreter, and one after the other they took 1.7x the named graphs' load
    alone where together they take 1.2x (100 frameworks with O*NET 27.0, 2 cores). A file that
    does not load raises its own loader's error, the named graphs' first."""
    fmt = rdf_format(file, graph)
    named = _Loading(lambda: store.bulk_load(path=str(file), format=fmt,
                                             **({} if graph is None else {"to_graph": ox.NamedNode(graph)})))
    try:
        statements = _merge_lines(store, file, fmt)
    except BaseException:
        named.wait()
        raise
    named.wait()
    if statements is None:
        # Only after the named graphs: a bulk_extend that fails while another bulk load runs on
        # the same in-memory store never returns (pyoxigraph 0.4), and the named graphs' loader
        # has by now reported any syntax error the file holds.
        statements = _merge_parsed(store, file, fmt)
    return statements


class _Loading(threading.Thread):
    """A load on its own thread, whose failure is raised where it is waited for."""

    def __init__(self, load: Callable[[], None]):
        super().__init__(name="store-load", daemon=True)
        self._load, self._failure = load, None
        self.start()

    def run(self) -> None:
        try:
            self._load()
        except BaseException as exc:  # handed over to wait()
            self._failure = exc

    def wait(self) -> None:
        self.join()
        if self._failure is not None:
            raise self._failure


def _merge_lines(store: ox.Store, file: Path, fmt: ox.RdfFormat) -> int | None:
    """An N-Quads file's lines, without their graph names, into the default graph; the number
    of statements the file holds, or None when the file is not one this reader takes apart."""
    if fmt != ox.RdfFormat.N_QUADS:
        return None
    with tempfile.NamedTemporaryFile(suffix=".nt") as triples:
        try:
            statements = write_triples(file, triples)
        except NotPlain:
            return None
        triples.flush()
        store.bulk_load(path=triples.name, format=ox.RdfFormat.N_TRIPLES)
        return statements


def _merge_parsed(store: ox.Store, file: Path, fmt: ox.RdfFormat) -> int:
    """The file's triples, parsed, into the default graph; the number of statements it holds."""
    count = 0

    def merged() -> Iterator[ox.Quad]:
        nonlocal count
        for quad in ox.parse(path=str(file), format=fmt):
            count += 1
            yield ox.Quad(quad.subject, quad.predicate, quad.object)
    store.bulk_extend(merged())
    return count


GRAPH_COUNT = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


def count_graphs(store: ox.Store) -> list[GraphInfo]:
    """Each named graph with its triples, by name: the aggregate asked graph by graph, its graph
    bound, which reads each graph's own range of the index (0.62 s against 0.98 s for one
    aggregate over every quad, 100 frameworks with O*NET 27.0)."""
    names = sorted((g for g in store.named_graphs() if isinstance(g, ox.NamedNode)), key=lambda g: g.value)
    return [GraphInfo(g.value, _triples_in(store, g)) for g in names]


def _triples_in(store: ox.Store, graph: ox.NamedNode) -> int:
    for row in store.query(GRAPH_COUNT, substitutions={ox.Variable("g"): graph}):
        return int(row["n"].value)
    return 0  # a graph without triples has no group


def counts_file(location: Path) -> Path:
    """Where the graph counts of the on-disk store at `location` are kept, beside it."""
    return location.with_name(location.name + ".graphs.json")


def write_counts(store: ox.Store, target: Path) -> None:
    target.write_text(json.dumps([[info.name, info.triples] for info in count_graphs(store)]), encoding="utf-8")


class OxigraphStore:
    def __init__(self, store: ox.Store, location: Path | None = None):
        self._store = store
        # Where it lives on disk, if it does: other processes (the query workers) open it there.
        self.location = location

    @classmethod
    def in_memory(cls, nquads_file: Path) -> "OxigraphStore":
        loaded = cls(ox.Store())
        loaded.load_file(nquads_file, None)
        return loaded

    def load_file(self, file: Path, graph: str | None) -> int:
        """Add an RDF file to the store (see load_into); the number of statements it holds.
        (Counting the store before and after walked every quad twice per file, in Python.)"""
        return load_into(self._store, file, graph)

    def query(self, sparql: str, dataset: Dataset, limits: Limits, base_iri: str | None = None,
              bindings: Bindings | None = None, values: Values | None = None) -> QueryResult:
        """One solution and several rows alike become a VALUES block joined first. Not Oxigraph's
        own substitution (SEP-0007): it does not lead the join order, and over the bundled
        crosswalks and classifications a statement's trace took 3 s with it (13 s for an IRI that
        is no statement), against 10 ms."""
        deadline = time.monotonic() + limits.timeout_seconds
        sparql = with_bound(sparql, bindings, values)
        try:
            result = self._store.query(sparql, base_iri=base_iri, **_dataset_arguments(dataset))
        except SyntaxError as exc:
            raise QuerySyntaxError(str(exc)) from None
        if isinstance(result, ox.QueryBoolean):
            return BooleanResult(bool(result))
        if isinstance(result, ox.QuerySolutions):
            variables = [v.value for v in result.variables]
            rows, truncated = _take(({v: s[v] for v in variables if s[v] is not None} for s in result), limits, deadline)
            return SolutionsResult(variables, rows, truncated)
        triples, truncated = _take(iter(result), limits, deadline)
        return GraphResult(triples, truncated)

    def graphs(self) -> list[GraphInfo]:
        """Counted when the store was loaded (store/factory.py keeps them beside it), else now."""
        kept = counts_file(self.location) if self.location is not None else None
        if kept is not None and kept.is_file():
            return [GraphInfo(name, n) for name, n in json.loads(kept.read_text(encoding="utf-8"))]
        return count_graphs(self._store)

    def quads(self) -> Iterator[ox.Quad]:
        """The quads of the named graphs (the default graph is their merge, not more data), graph by
        graph: filtering one scan of every quad walked the whole merge before the first named quad,
        9 s over the bundled data before a dump's first byte. Chained in C: a generator's frame per
        quad cost 15 % of writing the N-Quads dump."""
        return itertools.chain.from_iterable(self._store.quads_for_pattern(None, None, None, g)
                                             for g in self._store.named_graphs())

    def triples(self) -> Iterator[ox.Triple]:
        """Every distinct triple of the union of all graphs, streamed."""
        return (q.triple for q in self._store.quads_for_pattern(None, None, None, ox.DefaultGraph()))

    def identity(self) -> str | None:
        """An on-disk store is named by the digest of what was loaded into it (store/factory.py), and
        read only; one in memory has no name."""
        return self.location.name if self.location is not None else None

    def close(self) -> None:
        self._store = None  # type: ignore[assignment]


def _dataset_arguments(dataset: Dataset) -> dict:
    if not dataset.specified:
        return {}  # the store's default graph, where the merge was written, and every named graph
    return {
        "default_graph": [ox.NamedNode(g) for g in dataset.default_graphs] or [ox.DefaultGraph()],
        "named_graphs": [ox.NamedNode(g) for g in dataset.named_graphs],
    }


def _take(items: Iterator, limits: Limits, deadline: float) -> tuple[list, bool]:
    """Collect at most max_results items, checking the deadline as results stream in."""
    out = []
    for item in items:
        if len(out) >= limits.max_results:
            return out, True
        if time.monotonic() > deadline:
            raise QueryTimeout(f"the query ran longer than the time limit of {limits.timeout_seconds:g} s")
        out.append(item)
    if time.monotonic() > deadline:
        raise QueryTimeout(f"the query ran longer than the time limit of {limits.timeout_seconds:g} s")
    return out, False
