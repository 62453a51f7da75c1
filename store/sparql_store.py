"""Any SPARQL 1.1 server, over the standard protocols only: Query, Update and the Graph Store Protocol.

For deployments that outgrow one machine: a cluster of a standard triple store behind an
endpoint, and as many stateless API workers as needed.

The default graph is the RDF merge of the named graphs, a set: loading writes each named graph
and adds its triples to the server's own default graph, which a store keeps as a set. The
server must therefore query its own default graph, not a union of its graphs (a union is a bag
on Oxigraph and others: run `oxigraph serve` without --union-default-graph).
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import httpx
import pyoxigraph as ox

from .base import (
    Bindings, BooleanResult, Dataset, GraphInfo, GraphResult, Limits, QueryResult, QueryRefused, QuerySyntaxError,
    QueryTimeout, SolutionsResult, Values,
)
from .values import with_bound
from .oxigraph_store import rdf_format

JSON_RESULTS = "application/sparql-results+json"
NTRIPLES = "application/n-triples"


@dataclass(frozen=True)
class Endpoints:
    query: str
    update: str
    graph_store: str

    @classmethod
    def oxigraph(cls, base: str) -> "Endpoints":
        base = base.rstrip("/")
        return cls(f"{base}/query", f"{base}/update", f"{base}/store")


def term_from_json(value: dict):
    kind = value["type"]
    if kind == "uri":
        return ox.NamedNode(value["value"])
    if kind == "bnode":
        return ox.BlankNode(value["value"])
    if kind in ("literal", "typed-literal"):
        if "xml:lang" in value:
            direction = {"ltr": ox.BaseDirection.LTR, "rtl": ox.BaseDirection.RTL}.get(value.get("its:dir", ""))
            if direction is not None:
                return ox.Literal(value["value"], language=value["xml:lang"], direction=direction)
            return ox.Literal(value["value"], language=value["xml:lang"])
        if "datatype" in value:
            return ox.Literal(value["value"], datatype=ox.NamedNode(value["datatype"]))
        return ox.Literal(value["value"])
    if kind == "triple":
        t = value["value"]
        return ox.Triple(term_from_json(t["subject"]), term_from_json(t["predicate"]), term_from_json(t["object"]))
    raise ValueError(f"unknown term type {kind!r} in SPARQL JSON results")


def _unshift(message: str, offset: int) -> str:
    """Move an 'error at 1:C' position back over the BASE this store put before the query."""
    match = re.match(r"error at 1:(\d+)", message)
    if not match or not offset:
        return message
    return f"error at 1:{max(1, int(match.group(1)) - offset)}" + message[match.end():]


class SparqlStore:
    def __init__(self, endpoints: Endpoints, client: httpx.Client | None = None):
        self.endpoints = endpoints
        self._client = client or httpx.Client(timeout=httpx.Timeout(60.0, connect=5.0))

    # ---- reading -------------------------------------------------------------------

    def _params(self, dataset: Dataset) -> list[tuple[str, str]]:
        return [("default-graph-uri", g) for g in dataset.default_graphs] + [("named-graph-uri", g) for g in dataset.named_graphs]

    def query(self, sparql: str, dataset: Dataset, limits: Limits, base_iri: str | None = None,
              bindings: Bindings | None = None, values: Values | None = None) -> QueryResult:
        """The protocol carries no bound values: one solution and several rows alike go into the
        query as a VALUES block."""
        accept = f"{JSON_RESULTS}, {NTRIPLES};q=0.9"
        sparql = with_bound(sparql, bindings, values)
        prefix = ""
        if base_iri:
            # The protocol has no base parameter; a leading BASE is valid before any prologue.
            # It goes on the first line, so only first-line columns in error messages move.
            prefix = f"BASE <{base_iri}> "
            sparql = prefix + sparql
        try:
            response = self._client.post(self.endpoints.query, params=self._params(dataset), content=sparql.encode("utf-8"),
                                         headers={"Content-Type": "application/sparql-query", "Accept": accept},
                                         timeout=limits.timeout_seconds + 1)
        except httpx.TimeoutException:
            raise QueryTimeout(f"the query ran longer than the time limit of {limits.timeout_seconds:g} s") from None
        if response.status_code == 400:
            raise QuerySyntaxError(_unshift(response.text.strip() or "the SPARQL server rejected the query", len(prefix)))
        if response.status_code in (401, 403, 405):
            raise QueryRefused(response.text.strip())
        response.raise_for_status()
        media = response.headers.get("content-type", "").split(";")[0].strip()
        if media == NTRIPLES or media.startswith("text/turtle"):
            fmt = ox.RdfFormat.N_TRIPLES if media == NTRIPLES else ox.RdfFormat.TURTLE
            triples = [q.triple for q in ox.parse(response.content, format=fmt)]
            return GraphResult(triples[: limits.max_results], len(triples) > limits.max_results)
        body = response.json()
        if "boolean" in body:
            return BooleanResult(bool(body["boolean"]))
        variables = body["head"].get("vars", [])
        bindings = body["results"]["bindings"]
        rows = [{k: term_from_json(v) for k, v in b.items()} for b in bindings[: limits.max_results]]
        return SolutionsResult(variables, rows, len(bindings) > limits.max_results)

    def graphs(self) -> list[GraphInfo]:
        result = self.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g",
                            Dataset(), Limits(timeout_seconds=120, max_results=10_000_000))
        return [GraphInfo(row["g"].value, int(row["n"].value)) for row in result.rows]

    def quads(self) -> Iterator[ox.Quad]:
        for info in self.graphs():
            with self._client.stream("GET", self.endpoints.graph_store, params={"graph": info.name},
                                     headers={"Accept": NTRIPLES}) as response:
                response.raise_for_status()
                for quad in ox.parse(response.read(), format=ox.RdfFormat.N_TRIPLES):
                    yield ox.Quad(quad.subject, quad.predicate, quad.object, ox.NamedNode(info.name))

    def triples(self) -> Iterator[ox.Triple]:
        response = self._client.post(self.endpoints.query, content=b"CONSTRUCT { ?s ?p ?o } WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }",
                                     headers={"Content-Type": "application/sparql-query", "Accept": NTRIPLES}, timeout=600)
        response.raise_for_status()
        for quad in ox.parse(response.content, format=ox.RdfFormat.N_TRIPLES):
            yield quad.triple

    # ---- writing (loading a build) ---------------------------------------------------

    def replace_graph(self, graph: str, ntriples: bytes) -> None:
        """Graph Store Protocol PUT: the named graph's content becomes exactly `ntriples`."""
        response = self._client.put(self.endpoints.graph_store, params={"graph": graph}, content=ntriples,
                                    headers={"Content-Type": NTRIPLES}, timeout=600)
        response.raise_for_status()

    def load_nquads(self, nquads_file: Path, fmt: ox.RdfFormat = ox.RdfFormat.N_QUADS) -> dict[str, int]:
        """Write each named graph of a build into the server, one PUT per graph."""
        by_graph: dict[str, list[ox.Triple]] = {}
        for quad in ox.parse(path=str(nquads_file), format=fmt):
            by_graph.setdefault(quad.graph_name.value, []).append(quad.triple)
        for graph, triples in by_graph.items():
            self.replace_graph(graph, ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES))
            self._add_to_default_graph(triples)
        return {graph: len(triples) for graph, triples in by_graph.items()}

    def clear_default_graph(self) -> None:
        """Empty the server's default graph before a load: the merge is rebuilt from what is loaded."""
        response = self._client.put(self.endpoints.graph_store, params={"default": ""}, content=b"",
                                    headers={"Content-Type": NTRIPLES}, timeout=600)
        response.raise_for_status()

    def _add_to_default_graph(self, triples: list[ox.Triple]) -> None:
        """Graph Store Protocol POST to the default graph: the server merges, so a triple
        already there stays one."""
        response = self._client.post(self.endpoints.graph_store, params={"default": ""},
                                     content=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES),
                                     headers={"Content-Type": NTRIPLES}, timeout=600)
        response.raise_for_status()

    def load_file(self, file: Path, graph: str | None) -> int:
        fmt = rdf_format(file, graph)
        if graph is None:
            return sum(self.load_nquads(file, fmt).values())
        triples = [q.triple for q in ox.parse(path=str(file), format=fmt)]
        self.replace_graph(graph, ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES))
        self._add_to_default_graph(triples)
        return len(triples)

    def close(self) -> None:
        self._client.close()


def wait_until_ready(endpoints: Endpoints, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            if httpx.post(endpoints.query, content=b"ASK {}", headers={"Content-Type": "application/sparql-query"}, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(f"no SPARQL server answered at {endpoints.query} within {timeout:g} s")
        time.sleep(0.2)
