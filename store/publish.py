"""`skillsgraph publish --to URL`: a build and the imports, loaded into an external SPARQL server.

How readers never see half a publication: every graph that changed is first loaded under a
staging name (urn:x-skillsgraph:staging/..., one Graph Store Protocol PUT per graph, with
progress), together with the new merge (the default graph) and the new record
(store/publication.py); readers do not see staging graphs, since every query of the `sparql`
store names its dataset. Then one SPARQL Update request switches: MOVE each staged graph onto
its own name, DROP the graphs the build no longer has, MOVE the merge and, last, the record.

Why this and not new graph names behind a pointer: the graph names are the data's (a query's
GRAPH ?g binds them, dumps carry them), so readers must find each graph under its own name;
and the one request of the switch is a single transaction on the servers that run an update
request as one (Oxigraph, Fuseki/TDB2, GraphDB, Neptune), which is the only way a reader sees
either the whole previous or the whole new publication without the store rewriting queries.
Virtuoso commits each operation of a request on its own: there the switch is a run of
server-side MOVEs, one request each, and the record goes last. Nothing is sent again, but
Virtuoso copies a moved graph row by row (about 150 s for a million triples on 2 cores), so
for that long a reader may see some graphs switched and others not; a failure before the
switch (all of the data transfer) leaves what readers see unchanged on every engine.

A graph that a publish adds is first listed in the current record (still empty, it answers
nothing) and the switch waits until every reader has read that record (SparqlStore's
refresh), so no reader's named graphs miss a graph the switched merge already holds.
A build whose digest the server's record already holds is not sent again; files whose digest it
holds are not even read. Into a server that
holds no publication yet, nothing is staged or switched: each graph goes straight under its
own name and the record last (Publisher._first). What is sent is read with bounded memory and
streamed from a file (store/publish_content.py).
"""
from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

import httpx
import pyoxigraph as ox

from .base import StoreUnavailable
from .endpoints import Endpoints
from .publication import DEFAULT_GRAPH, RECORD, STAGING, Record
from .publish_content import Body, Content, Inputs
from .sparql_store import NotPublished, SparqlStore

NTRIPLES = "application/n-triples"
# How long the switch waits, beyond the readers' refresh, for a record naming added graphs to be read.
MARGIN_SECONDS = 0.5
# Engines that commit each operation of an update request on its own: their switch is sent
# one operation per request (see Publisher._switch_one_by_one).
COMMITS_EACH_OPERATION = frozenset({"virtuoso"})
# A staging graph, like every graph of a first publish, is read by no one, so it may be loaded
# without a transaction where the server offers that: Oxigraph server's bulk loader
# (`no_transaction`) put 108k triples in 10 s where its transactional PUT took 78 s (a busy
# 2-core machine).
STAGING_LOAD_PARAMS = {"oxigraph": {"no_transaction": ""}}


class PublishError(Exception):
    """Publishing failed; the message says where and what readers see now."""


@dataclass
class GraphChange:
    name: str
    triples: int
    status: str  # added, changed, unchanged or removed


@dataclass
class Published:
    digest: str
    changes: list[GraphChange] = field(default_factory=list)
    unchanged: bool = False  # the server held this build already: nothing was sent
    seconds: float = 0.0

    def count(self, status: str) -> int:
        return sum(1 for c in self.changes if c.status == status)

    @property
    def summary(self) -> str:
        if self.unchanged:
            return f"nothing to publish: the server holds this build already (digest {self.digest})"
        counts = ", ".join(f"{self.count(s)} {s}" for s in ("added", "changed", "removed", "unchanged"))
        return f"published {self.digest}: graphs {counts}, {self.seconds:.1f}s"


def staging_name(graph: str, digest: str) -> str:
    return STAGING + hashlib.sha256(f"{graph}\0{digest}".encode()).hexdigest()[:32]


Progress = Callable[[str], None]


class Publisher:
    def __init__(self, endpoints: Endpoints, client: httpx.Client | None = None, refresh_seconds: float = 1.0,
                 progress: Progress = lambda line: None):
        if not endpoints.update or not endpoints.graph_store:
            raise PublishError("publishing needs the server's update and Graph Store URLs: give --to with --engine, "
                               "or SKILLSGRAPH_SPARQL_UPDATE_URL and SKILLSGRAPH_SPARQL_STORE_URL")
        self.endpoints = endpoints
        self._client = client or httpx.Client(timeout=httpx.Timeout(600.0, connect=5.0))
        self._auth = endpoints.credentials.auth() if endpoints.credentials else None
        self._reader = SparqlStore(endpoints, self._client, refresh_seconds)
        self.refresh_seconds = refresh_seconds
        self.progress = progress

    def publish(self, files: list[tuple[Path, str | None]]) -> Published:
        started = time.perf_counter()
        previous = self._previous()
        with Inputs(files) as inputs:
            digest = inputs.digest()
            if previous is not None and previous.inputs == digest:
                return Published(previous.digest, unchanged=True, seconds=time.perf_counter() - started)
            content = inputs.content()
        with content:
            return self._publish(previous, content, replace(content.record(), published=_now(), inputs=digest), started)

    def _publish(self, previous: Record | None, content: Content, record: Record, started: float) -> Published:
        if previous is not None and previous.digest == record.digest:
            return Published(record.digest, unchanged=True, seconds=time.perf_counter() - started)
        changes = self._changes(previous, content, record)
        if previous is None:
            self._first(content, record, changes)
            return Published(record.digest, changes, seconds=time.perf_counter() - started)
        self._stage(content, record, changes)
        added = [c.name for c in changes if c.status == "added"]
        if added:
            self._announce(previous, added)
        self._switch(record, changes)
        return Published(record.digest, changes, seconds=time.perf_counter() - started)

    # ---- steps -------------------------------------------------------------------------

    def _previous(self) -> Record | None:
        try:
            return self._reader.read_record()
        except StoreUnavailable as exc:
            raise PublishError(f"cannot reach the SPARQL server: {self.endpoints.hide(str(exc))}; nothing was published") from None
        except NotPublished:
            return None

    @staticmethod
    def _changes(previous: Record | None, content: Content, record: Record) -> list[GraphChange]:
        old = previous.graphs if previous else {}
        changes = []
        for name, digest in sorted(record.graphs.items()):
            status = "added" if name not in old else "unchanged" if old[name] == digest else "changed"
            changes.append(GraphChange(name, content.counts[name], status))
        changes += [GraphChange(name, 0, "removed") for name in sorted(set(old) - set(record.graphs))]
        return changes

    def _first(self, content: Content, record: Record, changes: list[GraphChange]) -> None:
        """Into a server holding no publication: each graph straight under its own name, and the
        record last. Readers find no publication until the record is there, and writing it is
        one PUT, so nothing needs staging or switching: Oxigraph server's switch of the
        998-framework catalogue (one update request of MOVEs) held 13.8 GB and had not finished
        after 50 minutes. A first publish that fails leaves no record; the next one writes every
        graph again."""
        for number, change in enumerate(changes, start=1):
            self._put(change.name, content.graphs[change.name], f"loading graph {change.name} ({number} of {len(changes)})",
                      unread=True, first=True)
            self.progress(f"loaded {change.name}: {change.triples:,} triples [{number}/{len(changes)}]")
        self._put(DEFAULT_GRAPH, content.merge, "loading the default graph (the merge)", unread=True, first=True)
        self.progress(f"loaded the default graph: {content.merge_triples:,} distinct triples")
        self._put(RECORD, _ntriples(record), "writing the record", first=True)
        self._confirm(record, "the record")
        self.progress("wrote the record: the publication is served")

    def _stage(self, content: Content, record: Record, changes: list[GraphChange]) -> None:
        todo = [c for c in changes if c.status in ("added", "changed")]
        for number, change in enumerate(todo, start=1):
            self._put(staging_name(change.name, record.graphs[change.name]), content.graphs[change.name],
                      f"staging graph {change.name} ({number} of {len(todo)})", unread=True)
            self.progress(f"staged {change.name}: {change.triples:,} triples, {change.status} [{number}/{len(todo)}]")
        self._put(staging_name(DEFAULT_GRAPH, record.digest), content.merge, "staging the default graph (the merge)",
                  unread=True)
        self.progress(f"staged the default graph: {content.merge_triples:,} distinct triples")
        self._put(staging_name(RECORD, record.digest), _ntriples(record), "staging the record", unread=True)

    def _announce(self, previous: Record, added: list[str]) -> None:
        """The current record, listing the added graphs too (empty until the switch), read by
        every reader before the switch."""
        listed = Record(previous.digest, {**previous.graphs, **dict.fromkeys(added, "")}, previous.published)
        self._put(RECORD, _ntriples(listed), "listing the added graphs")
        self.progress(f"listed {len(added)} added graph(s); waiting {self.refresh_seconds + MARGIN_SECONDS:g}s for readers")
        time.sleep(self.refresh_seconds + MARGIN_SECONDS)

    def _switch(self, record: Record, changes: list[GraphChange]) -> None:
        operations = []
        for change in changes:
            if change.status in ("added", "changed"):
                operations.append(_move(staging_name(change.name, record.graphs[change.name]), change.name))
            elif change.status == "removed":
                operations.append("DROP SILENT GRAPH " + str(ox.NamedNode(change.name)))
        operations += [_move(staging_name(DEFAULT_GRAPH, record.digest), DEFAULT_GRAPH),
                       _move(staging_name(RECORD, record.digest), RECORD)]
        if self.endpoints.engine in COMMITS_EACH_OPERATION:
            self._switch_one_by_one(operations)
        else:
            self._send("POST", self.endpoints.update, " ;\n".join(operations).encode("utf-8"),
                       "application/sparql-update", "switching to the new graphs", switching=True)
            self.progress(f"switched: {len(operations)} operation(s) in one update request")
        self._confirm(record, "the switch")

    def _confirm(self, record: Record, step: str) -> None:
        found = self._reader.read_record()
        if found is None or found.digest != record.digest:
            raise PublishError(f"the server at {self.endpoints.query} accepted {step} but its record does not "
                               f"name this build ({record.digest}): run publish again")

    def _switch_one_by_one(self, operations: list[str]) -> None:
        """One request per operation, the record's last: where a request is no transaction
        anyway, sending them together only adds up one transaction log (Virtuoso aborts a
        request whose log passes TransactionAfterImageLimit, SR325, 50 MB by default: a
        switch of a few hundred thousand triples)."""
        started = time.perf_counter()
        for number, operation in enumerate(operations, start=1):
            self._send("POST", self.endpoints.update, operation.encode("utf-8"), "application/sparql-update",
                       f"switching operation {number} of {len(operations)} ({operation})", switching=True,
                       partly=number > 1)
            self.progress(f"switched [{number}/{len(operations)}] {operation} ({time.perf_counter() - started:.1f}s)")

    # ---- HTTP ----------------------------------------------------------------------------

    def _put(self, graph: str, body: bytes | Body, what: str, unread: bool = False, first: bool = False) -> None:
        """PUT a graph; one no reader reads yet (`unread`) goes in the server's fastest way."""
        params = {"graph": graph, **(STAGING_LOAD_PARAMS.get(self.endpoints.engine, {}) if unread else {})}
        self._send("PUT", self.endpoints.graph_store, body, NTRIPLES, what, params=params, first=first)

    def _send(self, method: str, url: str, body: bytes | Body, media: str, what: str, params: dict | None = None,
              switching: bool = False, partly: bool = False, first: bool = False) -> None:
        now = ("readers still find no publication there (the server holds no record yet); run publish again"
               if first else
               "the operations before this one are switched, the record still names the previous build: readers see "
               "the graphs switched so far; run publish again to complete the switch" if partly else
               "the server's transaction either completed or did not: readers see the whole previous or the whole new "
               "publication; run publish again to be sure" if switching else
               "readers still see the previous publication (nothing was switched); run publish again")
        try:
            # A switch takes what the server's MOVEs take (Oxigraph server: about a thousand triples a
            # second on a busy machine), so it waits as long as the server works on it.
            # A Body streams from its file, with its length given so that no server meets a chunked PUT.
            headers = {"Content-Type": media, **({"Content-Length": str(body.length)} if isinstance(body, Body) else {})}
            response = self._client.request(method, url, params=params, content=body, auth=self._auth, headers=headers,
                                            timeout=httpx.Timeout(None, connect=5.0) if switching else httpx.USE_CLIENT_DEFAULT)
        except httpx.TransportError as exc:
            raise PublishError(f"the connection to {url} failed while {what}: {self.endpoints.hide(str(exc)) or type(exc).__name__}; "
                               f"{now}") from None
        if response.status_code in (401, 403):
            who = f"as {self.endpoints.credentials.user!r}" if self.endpoints.credentials else "without credentials"
            raise PublishError(f"the server at {url} refused to write {who} ({response.status_code}): set "
                               "SKILLSGRAPH_SPARQL_USER and SKILLSGRAPH_SPARQL_PASSWORD (and SKILLSGRAPH_SPARQL_AUTH: "
                               f"basic or digest) to an account that may write; {now}")
        if response.status_code >= 300:
            detail = self.endpoints.hide(response.text.strip())[:400]
            raise PublishError(f"the server at {url} answered {response.status_code} while {what}: {detail}; {now}")

    def close(self) -> None:
        self._client.close()


def _move(source: str, target: str) -> str:
    return "MOVE SILENT " + str(ox.NamedNode(source)) + " TO " + str(ox.NamedNode(target))


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _ntriples(record: Record) -> bytes:
    return ox.serialize(record.triples(), format=ox.RdfFormat.N_TRIPLES)
