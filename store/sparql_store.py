"""Any SPARQL 1.1 server, read over the SPARQL protocol only: what `skillsgraph publish` put there.

For deployments that outgrow one machine: a standard triple store (or a cluster of one) behind
an endpoint, and as many stateless API processes as needed. This store never writes: opening
it reads the publication's record (store/publication.py), and any number of processes may
open it at once.

Every query that names no dataset of its own is sent with the publication's merge as its
default graph and, when it mentions GRAPH, the record's graphs as its named graphs; the
record is read again when it is older than `refresh_seconds`, so a process sees a new
publication within that time (a publish waits that long before it switches to graphs it
adds, store/publish.py).

Answers stream: results are parsed as they arrive, at most the row limit (plus one, to know
it was cut) is kept, and the connection is closed as soon as the limit or the time limit is
reached, which also stops the server's work; dumps stream graph by graph. Results are asked
for as SPARQL XML, the one results format every engine writes correctly (Virtuoso's JSON
writes booleans as 1 and 0, its TSV is not the standard's); Virtuoso's blank node labels
(nodeID://b1) are made valid labels on the way.
"""
from __future__ import annotations

import io
import re
import time
from datetime import datetime
from typing import Iterator
from urllib.parse import urlencode

import httpx
import pyoxigraph as ox

from .base import (
    Bindings, BooleanResult, Dataset, GraphInfo, GraphResult, Limits, QueryRefused, QueryResult, QuerySyntaxError,
    QueryTimeout, SolutionsResult, StoreUnavailable, Values,
)
from .endpoints import Endpoints
from .publication import DEFAULT_GRAPH, READ_RECORD, RECORD, RECORD_TERMS, Record, record_from_rows
from .sparql_text import masked
from .values import with_bound

XML_RESULTS = "application/sparql-results+xml"
NTRIPLES = "application/n-triples"
FORM = "application/x-www-form-urlencoded"
# One type per query form: Virtuoso answers 406 unless the first type it is offered fits the form.
ACCEPT = {"graph": f"{NTRIPLES}, text/turtle;q=0.5", "results": XML_RESULTS}
# Keywords, not variables or prefixed names spelt alike (?from, ex:graph).
_FORM = re.compile(r"(?<![?$\w:])(SELECT|ASK|CONSTRUCT|DESCRIBE)(?![\w:-])", re.IGNORECASE)
GRAPH_FORMATS = {NTRIPLES: ox.RdfFormat.N_TRIPLES, "text/plain": ox.RdfFormat.N_TRIPLES, "text/turtle": ox.RdfFormat.TURTLE}
_NAMES_DATASET = re.compile(r"(?<![?$\w:])FROM(?![\w:-])", re.IGNORECASE)
_NAMES_GRAPHS = re.compile(r"(?<![?$\w:])GRAPH(?![\w:-])", re.IGNORECASE)
_VIRTUOSO_BNODE = b"<bnode>nodeID://"
_VIRTUOSO_ERROR = re.compile(r"^Virtuoso \w+ Error \w+: (SPARQL compiler, )?")
DUMP_GRAPH = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"
DUMP_DEFAULT = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
COUNT_GRAPHS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
DUMP_LIMITS = Limits(timeout_seconds=3600, max_results=10**12)


class NotPublished(Exception):
    """The server answers but holds no publication of skillsgraph."""


def _unshift(message: str, offset: int) -> str:
    """Move an 'error at 1:C' position back over the BASE this store put before the query."""
    match = re.match(r"error at 1:(\d+)", message)
    if not match or not offset:
        return message
    return f"error at 1:{max(1, int(match.group(1)) - offset)}" + message[match.end():]


def _form(sparql: str, dataset: Dataset) -> bytes:
    """A query by URL-encoded POST, with its dataset: the protocol's one form every server takes."""
    fields = [("query", sparql), *(("default-graph-uri", g) for g in dataset.default_graphs),
              *(("named-graph-uri", g) for g in dataset.named_graphs)]
    return urlencode(fields).encode("ascii")


def _own_words(message: str) -> str:
    """A server's error without the query it echoes back (Virtuoso's holds this store's own
    dataset and BASE lines) and without its boilerplate: `Virtuoso 37000 Error SP030: SPARQL
    compiler, line 3: syntax error at ')' before '}'` -> `line 3: syntax error at ')' before '}'`."""
    message = message.split("\n\nSPARQL query:", 1)[0].strip()
    return _VIRTUOSO_ERROR.sub("", message)


class _Body(io.RawIOBase):
    """A streamed answer as a file for pyoxigraph's parsers, cut off at a deadline."""

    def __init__(self, chunks: Iterator[bytes], deadline: float):
        self._chunks, self._deadline, self._buffer = chunks, deadline, b""
        self.timed_out = False

    def readable(self) -> bool:
        return True

    def readinto(self, target) -> int:
        while not self._buffer:
            if time.monotonic() > self._deadline:
                self.timed_out = True
                raise TimeoutError("time limit")
            try:
                self._buffer = next(self._chunks)
            except StopIteration:
                return 0
        size = min(len(target), len(self._buffer))
        target[:size], self._buffer = self._buffer[:size], self._buffer[size:]
        return size


def _valid_bnodes(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """XML results with Virtuoso's `nodeID://` prefix taken off blank node labels, across chunk
    edges (in XML text '<bnode>' can only be markup: a literal's '<' is escaped)."""
    tail = b""
    keep = len(_VIRTUOSO_BNODE) - 1
    for chunk in chunks:
        text = (tail + chunk).replace(_VIRTUOSO_BNODE, b"<bnode>")
        text, tail = text[:-keep], text[-keep:]
        if text:
            yield text
    if tail:
        yield tail


class SparqlStore:
    def __init__(self, endpoints: Endpoints, client: httpx.Client | None = None, refresh_seconds: float = 1.0):
        self.endpoints = endpoints
        self.refresh_seconds = refresh_seconds
        self._client = client or httpx.Client(timeout=httpx.Timeout(60.0, connect=5.0))
        self._record: Record | None = None
        self._read_at = float("-inf")

    # ---- the publication ---------------------------------------------------------------

    def record(self) -> Record:
        """The publication read at most refresh_seconds ago; NotPublished if there is none."""
        if time.monotonic() - self._read_at > self.refresh_seconds or self._record is None:
            found = self.read_record()
            if found is None:
                raise NotPublished(f"the SPARQL server at {self.endpoints.query} holds no skillsgraph publication: "
                                   "load it first with `skillsgraph publish --to URL`")
            self._record, self._read_at = found, time.monotonic()
        return self._record

    def held_record(self) -> Record | None:
        """The record as last read, while it is younger than refresh_seconds (no request made)."""
        fresh = time.monotonic() - self._read_at <= self.refresh_seconds
        return self._record if fresh else None

    def published_at(self) -> datetime | None:
        """When the publication served was published (None: a record of older code)."""
        published = self.record().published
        return datetime.fromisoformat(published.replace("Z", "+00:00")) if published else None

    def read_record(self) -> Record | None:
        result = self._send(READ_RECORD, Dataset(named_graphs=(RECORD,)), DUMP_LIMITS, bindings=RECORD_TERMS)
        return record_from_rows(result.rows)

    @staticmethod
    def _accept(sparql: str) -> str:
        form = _FORM.search(masked(sparql))
        return ACCEPT["graph" if form and form.group(1).upper() in ("CONSTRUCT", "DESCRIBE") else "results"]

    def _dataset_for(self, sparql: str, dataset: Dataset) -> Dataset:
        """The request's own dataset, the query's FROM, or else the publication's."""
        if dataset.specified:
            return dataset
        text = masked(sparql)
        if _NAMES_DATASET.search(text):
            return dataset
        graphs = tuple(sorted(self.record().graphs)) if _NAMES_GRAPHS.search(text) else ()
        return Dataset((DEFAULT_GRAPH,), graphs)

    # ---- reading -------------------------------------------------------------------

    def query(self, sparql: str, dataset: Dataset, limits: Limits, base_iri: str | None = None,
              bindings: Bindings | None = None, values: Values | None = None) -> QueryResult:
        """The protocol carries no bound values: one solution and several rows alike go into the
        query as a VALUES block."""
        return self._send(sparql, self._dataset_for(sparql, dataset), limits, base_iri, bindings, values)

    def _send(self, sparql: str, dataset: Dataset, limits: Limits, base_iri: str | None = None,
              bindings: Bindings | None = None, values: Values | None = None) -> QueryResult:
        sparql = with_bound(sparql, bindings, values)
        prefix = ""
        if base_iri:
            # The protocol has no base parameter; a leading BASE is valid before any prologue.
            # It goes on the first line, so only first-line columns in error messages move.
            prefix = f"BASE <{base_iri}> "
            sparql = prefix + sparql
        deadline = time.monotonic() + limits.timeout_seconds
        try:
            with self._client.stream("POST", self.endpoints.query, content=_form(sparql, dataset),
                                     headers={"Accept": self._accept(sparql), "Content-Type": FORM},
                                     timeout=httpx.Timeout(limits.timeout_seconds + 1, connect=5.0)) as response:
                if response.status_code != 200:
                    self._refuse(response, len(prefix))
                return self._read(response, limits, deadline)
        except httpx.TimeoutException:
            raise QueryTimeout(f"the query ran longer than the time limit of {limits.timeout_seconds:g} s") from None
        except httpx.TransportError as exc:
            raise StoreUnavailable(f"the SPARQL server at {self.endpoints.query} did not answer: {exc}") from None

    def _refuse(self, response: httpx.Response, offset: int) -> None:
        text = _own_words(response.read().decode("utf-8", "replace").strip())
        if response.status_code == 400:
            raise QuerySyntaxError(_unshift(text or "the SPARQL server rejected the query", offset))
        if response.status_code in (401, 403, 405):
            raise QueryRefused(text or f"the SPARQL server answered {response.status_code}")
        raise StoreUnavailable(f"the SPARQL server at {self.endpoints.query} answered {response.status_code}: {text[:300]}")

    def _read(self, response: httpx.Response, limits: Limits, deadline: float) -> QueryResult:
        media = response.headers.get("content-type", "").split(";")[0].strip()
        chunks = response.iter_bytes()
        body = _Body(chunks if media in GRAPH_FORMATS else _valid_bnodes(chunks), deadline)
        stream = io.BufferedReader(body)
        try:
            if media in GRAPH_FORMATS:
                triples = []
                for quad in ox.parse(stream, format=GRAPH_FORMATS[media]):
                    triples.append(quad.triple)
                    if len(triples) > limits.max_results:
                        return GraphResult(triples[:limits.max_results], True)
                return GraphResult(triples, False)
            parsed = ox.parse_query_results(stream, format=ox.QueryResultsFormat.XML)
            if isinstance(parsed, ox.QueryBoolean):
                return BooleanResult(bool(parsed))
            variables = [v.value for v in parsed.variables]
            rows = []
            for solution in parsed:
                if len(rows) == limits.max_results:
                    return SolutionsResult(variables, rows, True)
                rows.append({name: solution[name] for name in variables if solution[name] is not None})
            return SolutionsResult(variables, rows, False)
        except (OSError, SyntaxError, ValueError) as exc:
            if body.timed_out:
                raise QueryTimeout(f"the query ran longer than the time limit of {limits.timeout_seconds:g} s") from None
            raise StoreUnavailable(f"the SPARQL server at {self.endpoints.query} sent an answer that does not parse "
                                   f"as {media or 'SPARQL XML results'}: {exc}") from None

    def graphs(self) -> list[GraphInfo]:
        result = self.query(COUNT_GRAPHS, Dataset(), DUMP_LIMITS)
        return [GraphInfo(row["g"].value, int(row["n"].value)) for row in result.rows]

    def _stream_triples(self, sparql: str, dataset: Dataset, bindings: Bindings | None = None) -> Iterator[ox.Triple]:
        try:
            with self._client.stream("POST", self.endpoints.query, content=_form(with_bound(sparql, bindings, None), dataset),
                                     headers={"Accept": NTRIPLES, "Content-Type": FORM},
                                     timeout=httpx.Timeout(600, connect=5.0)) as response:
                if response.status_code != 200:
                    self._refuse(response, 0)
                media = response.headers.get("content-type", "").split(";")[0].strip()
                body = io.BufferedReader(_Body(response.iter_bytes(), float("inf")))
                for quad in ox.parse(body, format=GRAPH_FORMATS.get(media, ox.RdfFormat.N_TRIPLES)):
                    yield quad.triple
        except httpx.TransportError as exc:
            raise StoreUnavailable(f"the SPARQL server at {self.endpoints.query} did not answer: {exc}") from None

    def quads(self) -> Iterator[ox.Quad]:
        """Graph by graph, each graph's triples as they arrive: memory holds one parse buffer."""
        for name in sorted(self.record().graphs):
            graph = ox.NamedNode(name)
            for triple in self._stream_triples(DUMP_GRAPH, Dataset((), (name,)), {"g": graph}):
                yield ox.Quad(triple.subject, triple.predicate, triple.object, graph)

    def triples(self) -> Iterator[ox.Triple]:
        """The default graph: the merge the publication wrote, a set already."""
        yield from self._stream_triples(DUMP_DEFAULT, Dataset((DEFAULT_GRAPH,), ()))

    def identity(self) -> str | None:
        return None  # a publish changes the server's data under every reader, at any time

    def close(self) -> None:
        self._client.close()


def wait_until_ready(endpoints: Endpoints, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            if httpx.post(endpoints.query, data={"query": "ASK {}"}, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(f"no SPARQL server answered at {endpoints.query} within {timeout:g} s")
        time.sleep(0.2)
