"""The rdflib in-memory store: for tiny graphs and tests, not for the catalogue."""
from __future__ import annotations

import functools
import threading
import time
from pathlib import Path
from typing import Iterator

import pyoxigraph as ox
import rdflib.plugins.sparql
from rdflib import BNode, Dataset as RdfDataset, Graph, Literal, URIRef
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.parserutils import CompValue

from skillsgraph.vocab import XSD

from .base import (
    Bindings, BooleanResult, Dataset, GraphInfo, GraphResult, Limits, QueryRefused, QueryResult, QuerySyntaxError, QueryTimeout,
    SolutionsResult, Values,
)
from .memory_plan import planned
from .oxigraph_store import rdf_format
from .values import with_values

# Never fetch FROM / FROM NAMED graphs from the web: they name graphs of this store.
rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False

XSD_STRING = XSD.string
RDFLIB_FORMATS = {ox.RdfFormat.N_TRIPLES: "nt", ox.RdfFormat.N_QUADS: "nquads", ox.RdfFormat.TURTLE: "turtle",
                  ox.RdfFormat.TRIG: "trig", ox.RdfFormat.RDF_XML: "xml", ox.RdfFormat.JSON_LD: "json-ld"}


def to_ox(term):
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"unsupported term {term!r}")


def to_rdflib(term):
    """A bound value for rdflib's initBindings (IRIs and literals, as a VALUES block allows)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == XSD_STRING:
            return Literal(term.value)  # rdflib keeps a simple literal's datatype unset, as it parses one
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"a bound value is an IRI or a literal, not {term!r}")


class MemoryStore:
    def __init__(self) -> None:
        self._data = RdfDataset(default_union=True)

    @classmethod
    def from_nquads(cls, nquads_file: Path) -> "MemoryStore":
        store = cls()
        store._data.parse(nquads_file, format="nquads")
        return store

    def load_file(self, file: Path, graph: str | None) -> int:
        fmt = rdf_format(file, graph)
        before = sum(1 for _ in self._data.quads((None, None, None, None)))
        if graph is None:
            self._data.parse(file, format=RDFLIB_FORMATS[fmt])
        else:
            self._data.graph(URIRef(graph)).parse(file, format=RDFLIB_FORMATS[fmt])
        return sum(1 for _ in self._data.quads((None, None, None, None))) - before

    def _view(self, dataset: Dataset) -> RdfDataset:
        if not dataset.specified:
            return self._data
        view = RdfDataset(default_union=False)
        for name in dataset.default_graphs:
            for triple in self._data.graph(URIRef(name)):
                view.default_graph.add(triple)
        for name in dataset.named_graphs:
            named = view.graph(URIRef(name))
            for triple in self._data.graph(URIRef(name)):
                named.add(triple)
        return view

    def query(self, sparql: str, dataset: Dataset, limits: Limits, base_iri: str | None = None,
              bindings: Bindings | None = None, values: Values | None = None) -> QueryResult:
        """One solution goes in as rdflib's initBindings; several rows become a VALUES block, which
        rdflib joins lazily (row by row) only when it comes first in the group."""
        deadline = time.monotonic() + limits.timeout_seconds
        if values is not None:
            sparql = with_values(sparql, values)
        prepared = _prepared(sparql, base_iri, dataset.specified, frozenset(bindings or ()))
        initial = {name: to_rdflib(term) for name, term in (bindings or {}).items()}
        result = self._view(dataset).query(prepared, initBindings=initial or None)
        if result.type == "ASK":
            return BooleanResult(bool(result.askAnswer))
        if result.type == "SELECT":
            variables = [str(v) for v in result.vars]
            rows, truncated = [], False
            for row in result:
                if len(rows) >= limits.max_results:
                    truncated = True
                    break
                _check(deadline, limits)
                rows.append({v: to_ox(row[v]) for v in variables if row[v] is not None})
            return SolutionsResult(variables, rows, truncated)
        triples = [ox.Triple(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in result.graph]
        _check(deadline, limits)
        return GraphResult(triples[: limits.max_results], len(triples) > limits.max_results)

    def graphs(self) -> list[GraphInfo]:
        return sorted((GraphInfo(str(g.identifier), len(g)) for g in self._data.graphs()
                       if isinstance(g.identifier, URIRef) and g.identifier != self._data.default_graph.identifier and len(g)),
                      key=lambda info: info.name)

    def quads(self) -> Iterator[ox.Quad]:
        for s, p, o, g in self._data.quads((None, None, None, None)):
            name = g.identifier if isinstance(g, Graph) else g
            yield ox.Quad(to_ox(s), to_ox(p), to_ox(o), ox.NamedNode(str(name)))

    def triples(self) -> Iterator[ox.Triple]:
        seen = set()
        for s, p, o, _g in self._data.quads((None, None, None, None)):
            if (s, p, o) not in seen:
                seen.add((s, p, o))
                yield ox.Triple(to_ox(s), to_ox(p), to_ox(o))

    def identity(self) -> str | None:
        return None  # loaded afresh by each process, and small: nothing is worth keeping beside it

    def close(self) -> None:
        self._data = RdfDataset()


_PARSING = threading.Lock()


@functools.lru_cache(maxsize=256)
def _prepared(sparql: str, base_iri: str | None, protocol_dataset: bool, bound: frozenset[str] = frozenset()):
    """Parsed and translated once per text and set of bound variables: pyparsing takes longer
    than evaluating most of the app's fixed queries, which come back with other bound values
    (rdflib's prepared queries are meant to be evaluated again with new initBindings).
    pyparsing is not thread-safe: two threads parsing at once (the app counts its facts and
    builds its search index beside the first requests) break each other's parse, so one
    parses at a time."""
    with _PARSING:
        try:
            parsed = parseQuery(sparql)
        except Exception as exc:  # pyparsing's ParseException carries line and column
            message = str(getattr(exc, "msg", exc))
            message = message[:1].lower() + message[1:]
            raise QuerySyntaxError(f"error at {getattr(exc, 'lineno', '?')}:{getattr(exc, 'col', '?')}: {message}") from None
        prepared = translateQuery(parsed, base=base_iri)
    if _calls_service(prepared.algebra):
        raise QueryRefused("the query uses SERVICE, and this store makes no requests to other endpoints")
    if bound:
        prepared.algebra = planned(prepared.algebra, bound)
    if protocol_dataset:
        # SPARQL 1.1 Protocol: a dataset given by the protocol overrides FROM / FROM NAMED.
        prepared.algebra["datasetClause"] = None
    return prepared


def _calls_service(algebra) -> bool:
    """Whether a SERVICE pattern appears anywhere in the parsed query: rdflib would fetch it."""
    pending = [algebra]
    while pending:
        node = pending.pop()
        if isinstance(node, CompValue):
            if node.name == "ServiceGraphPattern":
                return True
            pending.extend(node.values())
        elif isinstance(node, (list, tuple)):
            pending.extend(node)
    return False


def _check(deadline: float, limits: Limits) -> None:
    if time.monotonic() > deadline:
        raise QueryTimeout(f"the query ran longer than the time limit of {limits.timeout_seconds:g} s")
