"""`skillsgraph publish` and the read-only `sparql` store: endpoints, credentials, what a publish
changes, what readers see while it runs and when it fails, and streaming reads with limits.

Real external servers (server_fixtures.start_external): a module's own `oxigraph serve`, one
started with --union-default-graph, and a Virtuoso (the write side's digest sign-in); the
publisher runs in-process where the step under test is the publish itself, and as the CLI
where the subject is what a user sees (messages, exit status). A connection that drops
mid-publish is a real socket cut by a proxy in front of the server.
"""
from __future__ import annotations

import re
import socket
import threading
import tracemalloc
from pathlib import Path

import anyio
import httpx
import pyoxigraph as ox
import pytest

from app_fixtures import write_build
from server_fixtures import (
    NAMESPACE, W3C_EXTRAS, W3C_LOADS, External, free_port, publish_env, run_cli, start_external,
    start_oxigraph_server, stop_process,
)
from skillsgraph.store.base import Dataset, Limits, QueryTimeout
from skillsgraph.store.endpoints import Credentials, EndpointError, endpoints_from, preset
from skillsgraph.store.publication import DEFAULT_GRAPH, RECORD
from skillsgraph.store.publish import Publisher, PublishError
from skillsgraph.store.sparql_store import NotPublished, SparqlStore

COUNT_ALL = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
# One query, so one snapshot of the server: the default graph's size, and each named graph's.
STATE = ("SELECT ?g ?n WHERE { { SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o } } UNION "
         "{ SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g } }")


# ---- endpoints and credentials (no server) ----------------------------------------------------

@pytest.mark.parametrize("engine, query, update, store", [
    ("oxigraph", "http://h:7878/query", "http://h:7878/update", "http://h:7878/store"),
    ("virtuoso", "http://h:7878/sparql", "http://h:7878/sparql-auth", "http://h:7878/sparql-graph-crud-auth"),
    ("fuseki", "http://h:7878/query", "http://h:7878/update", "http://h:7878/data"),
])
def test_presets_lay_out_each_engine(engine, query, update, store):
    made = preset(engine, "http://h:7878/")
    assert (made.query, made.update, made.graph_store, made.engine) == (query, update, store, engine)


def test_each_url_is_settable_and_credentials_come_from_the_environment():
    env = {"SKILLSGRAPH_SPARQL_ENDPOINT": "http://h/ds", "SKILLSGRAPH_SPARQL_ENGINE": "fuseki",
           "SKILLSGRAPH_SPARQL_STORE_URL": "http://other/gsp", "SKILLSGRAPH_SPARQL_USER": "writer",
           "SKILLSGRAPH_SPARQL_PASSWORD": "s3cret-pw"}
    made = endpoints_from(None, env=env)
    assert (made.query, made.update, made.graph_store) == ("http://h/ds/query", "http://h/ds/update", "http://other/gsp")
    assert made.credentials.user == "writer" and made.credentials.scheme == "basic"
    assert "s3cret-pw" not in repr(made) and "s3cret-pw" not in repr(made.credentials)
    assert made.hide("echoed s3cret-pw back") == "echoed *** back"
    assert endpoints_from(None, env={**env, "SKILLSGRAPH_SPARQL_ENGINE": "virtuoso",
                                     "SKILLSGRAPH_SPARQL_STORE_URL": ""}).credentials.scheme == "digest"
    only_query = endpoints_from(None, query="http://h/q", env={})
    assert (only_query.query, only_query.update) == ("http://h/q", None)


@pytest.mark.parametrize("args, env, says", [
    ((None,), {}, "no SPARQL server given"),
    (("http://h",), {"SKILLSGRAPH_SPARQL_ENGINE": "graphdb"}, "unknown engine 'graphdb'"),
    (("h:7878",), {}, r"must be an http\(s\) URL"),
    (("http://h",), {"SKILLSGRAPH_SPARQL_USER": "u", "SKILLSGRAPH_SPARQL_AUTH": "kerberos"}, "basic, digest"),
])
def test_bad_endpoint_settings_say_which(args, env, says):
    with pytest.raises(EndpointError, match=says):
        endpoints_from(*args, env=env)


def test_publishing_needs_the_write_urls():
    with pytest.raises(PublishError, match="update and Graph Store URLs"):
        Publisher(endpoints_from(None, query="http://h/q", env={}))


# ---- a server of this module's own ------------------------------------------------------------

@pytest.fixture(scope="module")
def builds(tmp_path_factory, built) -> dict[str, list[tuple[Path, str | None]]]:
    """Two builds: the bundled data, and the same with the W3C protocol graphs added."""
    home = tmp_path_factory.mktemp("publish-builds")
    build_file = write_build(home, built.nquads)
    return {"base": [(build_file, None)], "more": [(build_file, None), *W3C_EXTRAS]}


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory) -> External:
    external = start_external("sparql", tmp_path_factory.mktemp("publish-oxigraph"))
    yield external
    external.stop()


def _state(store: SparqlStore) -> tuple[int, frozenset]:
    """What a reader sees: the default graph's size and each named graph with its size."""
    rows = store.query(STATE, Dataset(), Limits()).rows
    total = next(int(row["n"].value) for row in rows if "g" not in row)
    return total, frozenset((row["g"].value, int(row["n"].value)) for row in rows if "g" in row)


def _publish(external: External, files, **options):
    publisher = Publisher(external.endpoints, **options)
    try:
        return publisher.publish(files)
    finally:
        publisher.close()


def test_publish_reports_changes_and_an_unchanged_build_is_a_no_op(oxigraph, builds, built):
    first = _publish(oxigraph, builds["base"])
    reader = SparqlStore(oxigraph.endpoints, refresh_seconds=0)
    total, graphs = _state(reader)
    assert total == len(built.graph) and {g for g, _ in graphs} == set(built.graph_names)
    assert not first.unchanged and first.count("changed") + first.count("added") + first.count("unchanged") == len(graphs)
    again = _publish(oxigraph, builds["base"])
    assert again.unchanged and again.digest == first.digest and "nothing to publish" in again.summary
    more = _publish(oxigraph, builds["more"], refresh_seconds=0)
    assert (more.count("added"), more.count("changed"), more.count("removed")) == (len(W3C_EXTRAS), 0, 0)
    assert more.count("unchanged") == len(graphs)
    back = _publish(oxigraph, builds["base"])
    assert (back.count("removed"), back.count("added")) == (len(W3C_EXTRAS), 0)
    assert _state(reader) == (total, graphs)  # the bookkeeping graphs are never among them


def test_the_same_files_published_again_are_not_read_and_a_changed_byte_is(oxigraph, builds, tmp_path, monkeypatch):
    """The record keeps the digest of the files as read: a publish of the same files says
    there is nothing to do without parsing them (44 s and gigabytes at 998 frameworks); a copy
    under another name is the same files; one byte more is read again."""
    import skillsgraph.store.publish as publish
    first = _publish(oxigraph, builds["base"])
    record = SparqlStore(oxigraph.endpoints, refresh_seconds=0).read_record()
    assert len(record.inputs) == 32 and record.digest == first.digest
    reads = []
    monkeypatch.setattr(publish.Inputs, "content", lambda inputs: reads.append(inputs) or pytest.fail("read again"))
    copy = tmp_path / "copy.nq"
    copy.write_bytes(builds["base"][0][0].read_bytes())
    again = _publish(oxigraph, [(copy, None)])
    assert again.unchanged and again.digest == first.digest and not reads
    monkeypatch.undo()
    with copy.open("ab") as more:
        more.write(b"\n")  # a blank line: the same triples in other bytes
    same = _publish(oxigraph, [(copy, None)])
    assert same.unchanged and same.digest == first.digest


def test_a_replica_dates_its_answers_by_the_publication_not_by_a_build_file(oxigraph, builds, tmp_path):
    """A replica's home holds no build: Last-Modified is the time in the publication's record
    (before, 1 January 1970, so that every If-Modified-Since got a 304 after any publish)."""
    from datetime import datetime, timedelta, timezone
    from skillsgraph.api.app import create_app
    from skillsgraph.api.freshness import http_date
    from skillsgraph.config import Settings
    started = datetime.now(timezone.utc).replace(microsecond=0)
    files = builds["base"]
    published = _publish(oxigraph, files)
    if published.unchanged:  # the server held it already: publish the other build
        files = builds["more"]
        published = _publish(oxigraph, files)
    assert not published.unchanged
    store = SparqlStore(oxigraph.endpoints, refresh_seconds=0)
    moment = store.published_at()
    assert started <= moment <= datetime.now(timezone.utc)
    app = create_app(Settings(namespace=NAMESPACE, home=tmp_path), store)

    def health(**headers: str) -> httpx.Response:
        async def ask() -> httpx.Response:
            async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as client:
                return await client.get("/health", headers=headers)
        return anyio.run(ask)

    assert health().headers["last-modified"] == http_date(moment)
    assert health(**{"If-Modified-Since": http_date(moment - timedelta(seconds=1))}).status_code == 200
    assert health(**{"If-Modified-Since": http_date(moment)}).status_code == 304
    again = _publish(oxigraph, files)
    assert again.unchanged and store.published_at() == moment  # a no-op publish keeps the time
    store.close()


def test_a_running_replica_answers_from_a_new_publication_with_nothing_kept_of_the_old(oxigraph, builds, tmp_path):
    """What a replica keeps (rendered documents, the counted graphs, Last-Modified) belongs to the
    publication it read them from (api/served.py): after a publish the same app, not restarted,
    describes the new one."""
    import time

    import rdflib
    from skillsgraph.api.app import create_app
    from skillsgraph.config import Settings
    _publish(oxigraph, builds["base"])
    store = SparqlStore(oxigraph.endpoints, refresh_seconds=0)
    app = create_app(Settings(namespace=NAMESPACE, home=tmp_path), store)

    def described() -> tuple[set[str], str, str]:
        async def ask() -> httpx.Response:
            async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as client:
                return await client.get("/dataset", headers={"Accept": "text/turtle"})
        response = anyio.run(ask)
        assert response.status_code == 200, response.text[:300]
        graph = rdflib.Graph().parse(data=response.content, format="turtle")
        subsets = {str(o) for o in graph.objects(predicate=rdflib.URIRef("http://rdfs.org/ns/void#subset"))}
        return subsets, response.headers["etag"], response.headers["last-modified"]

    before, etag, modified = described()
    assert described() == (before, etag, modified)  # kept: the same answer again
    time.sleep(1.1)  # a publication's time is to the second
    _publish(oxigraph, builds["more"])
    after, new_etag, new_modified = described()
    assert len(after) == len(before) + len(W3C_EXTRAS) and before < after
    assert new_etag != etag and new_modified != modified
    store.close()


def test_readers_see_the_whole_previous_or_the_whole_new_publication(oxigraph, builds):
    """A reader asking again and again while publishes switch between two builds sees one of
    the two states each time, never a mix (graphs added, the merge grown, or the reverse)."""
    reader = SparqlStore(oxigraph.endpoints, refresh_seconds=0.2)
    _publish(oxigraph, builds["base"])
    old = _state(reader)
    _publish(oxigraph, builds["more"], refresh_seconds=0.2)
    new = _state(reader)
    assert old != new
    seen, done = [], threading.Event()

    def read() -> None:
        while not done.is_set():
            seen.append(_state(reader))
            done.wait(0.01)  # a pause, so that the publishes get the cores too
    thread = threading.Thread(target=read)
    thread.start()
    try:
        for files in [builds["base"], builds["more"]]:
            _publish(oxigraph, files, refresh_seconds=0.2)
    finally:
        done.set()
        thread.join()
    assert seen and set(seen) <= {old, new}, set(seen) - {old, new}


def test_serving_only_reads(oxigraph, builds):
    """The sparql store asks the query URL only: any number of API processes can share a server."""
    _publish(oxigraph, builds["base"])
    asked = []
    client = httpx.Client(event_hooks={"request": [lambda r: asked.append((r.method, str(r.url).split("?")[0]))]})
    store = SparqlStore(oxigraph.endpoints, client)
    store.record()
    store.query("ASK { ?s ?p ?o }", Dataset(), Limits())
    store.graphs()
    assert sum(1 for _ in store.quads()) > 0 and sum(1 for _ in store.triples()) > 0
    store.close()
    assert asked and set(asked) == {("POST", oxigraph.endpoints.query)}


def test_a_variable_spelt_like_a_keyword_names_no_dataset(oxigraph, builds, built):
    """?from and ?graph are variables: the query still reads the publication's default graph."""
    _publish(oxigraph, builds["base"])
    store = SparqlStore(oxigraph.endpoints)
    rows = store.query("SELECT (COUNT(*) AS ?from) WHERE { ?graph ?p ?o }", Dataset(), Limits()).rows
    store.close()
    assert int(rows[0]["from"].value) == len(built.graph)


def test_results_stream_under_the_row_and_time_limits(oxigraph, builds, built):
    _publish(oxigraph, builds["base"])
    store = SparqlStore(oxigraph.endpoints)
    cut = store.query("SELECT * WHERE { ?s ?p ?o }", Dataset(), Limits(max_results=5))
    assert len(cut.rows) == 5 and cut.truncated
    whole = store.query("SELECT * WHERE { ?s ?p ?o }", Dataset(), Limits(max_results=10**6))
    assert len(whole.rows) == len(built.graph) and not whole.truncated
    graph = store.query("CONSTRUCT WHERE { ?s ?p ?o }", Dataset(), Limits(max_results=7))
    assert len(graph.triples) == 7 and graph.truncated
    with pytest.raises(QueryTimeout):
        store.query("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", Dataset(),
                    Limits(timeout_seconds=0.5))
    store.close()


def test_a_dump_streams_with_bounded_memory(oxigraph, builds, built):
    """Python holds a parse buffer, not the graph: the peak is a small part of the dump's size."""
    _publish(oxigraph, builds["base"])
    store = SparqlStore(oxigraph.endpoints)
    size = len(built.nquads)
    tracemalloc.start()
    try:
        count = sum(1 for _ in store.quads())
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
        store.close()
    assert count == built.nquads.count(b"\n")
    assert peak < size / 4, (peak, size)


# ---- bad input: each a clear message, and readers see what they saw ----------------------------

def _cli_publish(home: Path, env: dict, *args: str) -> tuple[int, str]:
    done = run_cli(home, ["publish", "--data", str(home / "data"), *args], env)
    return done.returncode, done.stdout + done.stderr


@pytest.fixture(scope="module")
def cli_home(tmp_path_factory) -> Path:
    """A home with the bundled frameworks and registries (data/ without the published files, too
    large for these tests' loads), built once, as `skillsgraph publish --data` finds it."""
    import shutil

    from server_fixtures import REPO
    home = tmp_path_factory.mktemp("publish-cli")
    shutil.copytree(REPO / "data", home / "data", ignore=shutil.ignore_patterns("published"))
    done = run_cli(home, ["build", "--data", str(home / "data")])
    assert done.returncode == 0, done.stderr
    return home


def test_an_unreachable_server_is_a_clear_message(cli_home):
    port = free_port()  # nothing listens there
    code, said = _cli_publish(cli_home, {"SKILLSGRAPH_SPARQL_ENDPOINT": f"http://127.0.0.1:{port}"})
    assert code == 1 and "cannot reach the SPARQL server" in said and f"127.0.0.1:{port}" in said
    assert "Traceback" not in said and "nothing was published" in said


def test_a_file_that_breaks_off_is_named_with_its_line_and_readers_keep_what_they_saw(cli_home, oxigraph, builds, tmp_path):
    """A real W3C file cut off inside a literal, given with --load: the message names the file
    and the line, and the publication already on the server is the one readers still see."""
    _publish(oxigraph, builds["base"])
    reader = SparqlStore(oxigraph.endpoints, refresh_seconds=0)
    before = reader.read_record(), _state(reader)
    real, graph = W3C_EXTRAS[0]
    broken = tmp_path / real.name
    broken.write_bytes(real.read_bytes() + b'<http://example.org/s> <http://example.org/p> "cut off\n')
    code, said = _cli_publish(cli_home, publish_env(oxigraph), f"--load={broken}={graph}")
    assert code == 1 and "cannot read what is to be published" in said and "nothing was published" in said
    assert re.search(rf"{re.escape(str(broken))}: .*line \d+", said) and "Traceback" not in said
    assert (reader.read_record(), _state(reader)) == before


def test_serving_a_server_without_a_publication_is_a_clear_message(tmp_path):
    process, base = start_oxigraph_server(tmp_path)
    try:
        from skillsgraph.store.sparql_store import wait_until_ready
        wait_until_ready(preset("oxigraph", base))
        done = run_cli(tmp_path, ["serve", "--store", "sparql", "--sparql-endpoint", base, "--port", str(free_port())],
                       timeout=60)
    finally:
        stop_process(process)
    assert done.returncode == 1 and "holds no skillsgraph publication" in done.stderr
    assert "skillsgraph publish --to" in done.stderr and "Traceback" not in done.stderr


class CuttingProxy:
    """A TCP proxy to a server that cuts every connection once `budget` bytes went upstream in all."""

    def __init__(self, target_port: int, budget: int):
        self.budget, self.target_port = budget, target_port
        self.listener = socket.create_server(("127.0.0.1", free_port()))
        self.port = self.listener.getsockname()[1]
        self.sent, self.cut = 0, False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
            threading.Thread(target=self._pipe, args=(client, upstream, True), daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client, False), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket, counted: bool) -> None:
        try:
            while chunk := source.recv(65536):
                if counted:
                    self.sent += len(chunk)
                    if self.sent > self.budget:
                        self.cut = True
                        break
                sink.sendall(chunk)
        except OSError:
            pass
        for end in (source, sink):
            try:
                end.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            end.close()

    def close(self) -> None:
        self.listener.close()


def test_a_connection_dropped_mid_publish_leaves_readers_unchanged(oxigraph, builds, built):
    _publish(oxigraph, builds["base"])
    reader = SparqlStore(oxigraph.endpoints, refresh_seconds=0)
    before = _state(reader)
    port = int(oxigraph.base_url.rsplit(":", 1)[1])
    proxy = CuttingProxy(port, budget=len(built.nquads) // 3)  # past the first reads, inside the staging
    try:
        with pytest.raises(PublishError) as failed:
            _publish(External(preset("oxigraph", f"http://127.0.0.1:{proxy.port}"), None, ""), builds["more"])
    finally:
        proxy.close()
    message = str(failed.value)
    assert proxy.cut and "the connection to" in message and "while staging" in message
    assert "readers still see the previous publication" in message
    assert _state(reader) == before
    assert not _publish(oxigraph, builds["more"]).unchanged  # and the next publish goes through


def test_a_first_publish_loads_each_graph_under_its_name_and_a_cut_one_publishes_nothing(tmp_path, builds, built):
    """Into an empty server nothing is staged or switched (one PUT per graph under its own name, the
    record last); cut before the record, readers find no publication, and the next publish completes."""
    empty = start_external("sparql", tmp_path)
    try:
        port = int(empty.base_url.rsplit(":", 1)[1])
        proxy = CuttingProxy(port, budget=len(built.nquads) // 3)
        try:
            with pytest.raises(PublishError) as failed:
                _publish(External(preset("oxigraph", f"http://127.0.0.1:{proxy.port}"), None, ""), builds["base"])
        finally:
            proxy.close()
        assert proxy.cut and "while loading graph" in str(failed.value)
        assert "readers still find no publication there" in str(failed.value)
        reader = SparqlStore(empty.endpoints, refresh_seconds=0)
        with pytest.raises(NotPublished):
            reader.record()
        asked: list[str] = []
        client = httpx.Client(timeout=600, event_hooks={"request": [lambda r: asked.append(r.method)]})
        published = Publisher(empty.endpoints, client).publish(builds["base"])
        client.close()
        assert published.count("added") == len(built.graph_names) and set(asked) == {"POST", "PUT"}
        assert asked.count("POST") == 2  # the record read before and after: no update request, no MOVE
        total, graphs = _state(reader)
        assert total == len(built.graph) and {g for g, _ in graphs} == set(built.graph_names)
        reader.close()
    finally:
        empty.stop()


def test_a_server_whose_default_graph_is_the_union_of_its_graphs_answers_alike(tmp_path, builds, built):
    """The sparql store names its default graph on every query, so a server's own default graph,
    a bag of every graph there (`oxigraph serve --union-default-graph`), changes nothing."""
    process, base = start_oxigraph_server(tmp_path, ["--union-default-graph"])
    try:
        external = External(preset("oxigraph", base), None, base)
        from skillsgraph.store.sparql_store import wait_until_ready
        wait_until_ready(external.endpoints)
        _publish(external, builds["base"])
        reader = SparqlStore(external.endpoints)
        total, graphs = _state(reader)
        raw = httpx.post(external.endpoints.query, data={"query": COUNT_ALL},
                         headers={"Accept": "application/sparql-results+json"}).json()
    finally:
        stop_process(process)
    assert total == len(built.graph) and {g for g, _ in graphs} == set(built.graph_names)
    # What the store adapts to: the server's own default graph counts each graph, bookkeeping included.
    assert int(raw["results"]["bindings"][0]["n"]["value"]) > total


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory) -> External:
    external = start_external("virtuoso", tmp_path_factory.mktemp("publish-virtuoso"))
    yield external
    external.stop()


def test_wrong_credentials_are_a_clear_message_that_never_shows_the_password(virtuoso, cli_home):
    env = publish_env(virtuoso)
    code, said = _cli_publish(cli_home, env)
    assert code == 0, said
    reader = SparqlStore(virtuoso.endpoints, refresh_seconds=0)
    before = (reader.read_record(), _state(reader))
    wrong = "not-the-password-" + "x1"
    # A build the server does not hold (one more graph), so that publish has something to write.
    code, said = _cli_publish(cli_home, {**env, "SKILLSGRAPH_SPARQL_PASSWORD": wrong}, *W3C_LOADS[:1])
    assert code == 1 and "refused to write as 'dba' (401)" in said and "SKILLSGRAPH_SPARQL_PASSWORD" in said
    assert wrong not in said and "Traceback" not in said
    assert (reader.read_record(), _state(reader)) == before
    code, said = _cli_publish(cli_home, {**env, "SKILLSGRAPH_SPARQL_USER": ""}, *W3C_LOADS[:1])
    assert code == 1 and "without credentials" in said
    assert RECORD.startswith("urn:") and DEFAULT_GRAPH.startswith("urn:")


def test_virtuoso_answers_as_the_embedded_store_where_it_writes_terms_its_own_way(virtuoso, builds, built):
    """Blank node labels (nodeID://...), booleans and language tags, as the store reads them from
    Virtuoso, are the terms the build holds; its syntax errors come without its echo of the query."""
    from skillsgraph.store.base import QuerySyntaxError
    _publish(virtuoso, builds["base"])
    store = SparqlStore(virtuoso.endpoints)
    every = store.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o }", Dataset(), Limits(max_results=10**6))
    kinds = {type(term) for row in every.rows for term in row.values()}
    assert ox.BlankNode in kinds or not any(isinstance(s, ox.BlankNode) for s, _, _ in _triples(built.nquads))
    literals = {term for row in every.rows for term in row.values() if isinstance(term, ox.Literal)}
    assert literals == {o for _, _, o in _triples(built.nquads) if isinstance(o, ox.Literal)}
    with pytest.raises(QuerySyntaxError) as error:
        store.query("SELECT * WHERE {\n  ?s ?p ?o .\n  FILTER(?o = ) }", Dataset(), Limits())
    store.close()
    assert str(error.value).startswith("line 3: syntax error") and "urn:x-skillsgraph" not in str(error.value)


def test_on_virtuoso_the_switch_is_one_request_per_operation_with_the_record_last(virtuoso, builds, built):
    """Virtuoso runs each operation of a request in its own transaction, but writes one log for
    the request: the whole switch of the bundled data with O*NET in one request passed its
    50 MB TransactionAfterImageLimit (SR325) and switched nothing. So each MOVE goes alone."""
    _publish(virtuoso, builds["base"])
    lines: list[str] = []
    more = _publish(virtuoso, builds["more"], refresh_seconds=0, progress=lines.append)
    switched = [line for line in lines if line.startswith("switched [")]
    moved = more.count("added") + more.count("changed") + 2  # and the merge, then the record
    assert len(switched) == moved and all(f"[{n}/{moved}]" in line for n, line in enumerate(switched, start=1))
    assert str(ox.NamedNode(RECORD)) in switched[-1] and str(ox.NamedNode(DEFAULT_GRAPH)) in switched[-2]
    reader = SparqlStore(virtuoso.endpoints, refresh_seconds=0)
    assert reader.read_record().digest == more.digest
    assert {g for g, _ in _state(reader)[1]} == set(built.graph_names) | {graph for _, graph in W3C_EXTRAS}
    reader.close()


def _triples(nquads: bytes) -> set[tuple]:
    return {(q.subject, q.predicate, q.object) for q in ox.parse(nquads, format=ox.RdfFormat.N_QUADS)}


def test_two_replicas_and_a_publish_together_never_answer_half_a_publication(oxigraph, builds, tmp_path):
    """`serve --store sparql --workers 2`: two API processes read over HTTP while publishes
    switch back and forth; every answer is one whole publication or the other."""
    import psutil

    from server_fixtures import start_server, stop_server
    reader = SparqlStore(oxigraph.endpoints, refresh_seconds=0)
    _publish(oxigraph, builds["more"], refresh_seconds=0)
    new = _state(reader)
    _publish(oxigraph, builds["base"])
    old = _state(reader)
    server = start_server(tmp_path, ["--store", "sparql", "--workers", "2"], env=publish_env(oxigraph), loads=[])
    seen, failures, done = [], [], threading.Event()

    def read() -> None:
        with httpx.Client(base_url=server.base_url, timeout=30) as client:
            while not done.is_set():
                answer = client.post("/sparql", data={"query": STATE}, headers={"Accept": "application/sparql-results+json"})
                if answer.status_code != 200:
                    failures.append(answer.text)
                    continue
                rows = answer.json()["results"]["bindings"]
                seen.append((next(int(r["n"]["value"]) for r in rows if "g" not in r),
                             frozenset((r["g"]["value"], int(r["n"]["value"])) for r in rows if "g" in r)))
                done.wait(0.01)
    readers = [threading.Thread(target=read) for _ in range(2)]
    try:
        workers = len(psutil.Process(server.process.pid).children())  # uvicorn's worker processes
        for thread in readers:
            thread.start()
        for files in [builds["more"], builds["base"]]:
            _publish(oxigraph, files, refresh_seconds=1.0)
    finally:
        done.set()
        for thread in readers:
            thread.join()
        stop_server(server)
    assert workers >= 2
    assert not failures and seen and set(seen) <= {old, new}, (failures[:3], set(seen) - {old, new})
    assert new in seen
