"""Dumps over an on-disk Oxigraph store are written once, as files keyed by the store, and served
as files (api/dump_files.py): conditional GETs and ranges answer from them, a new build is never
answered with an older store's dump, and a dump being written is never seen half made.

In-process (Starlette's TestClient) over stores of three quads, each in a home of its own made
here: the point is a home whose build changes, which the session's shared stores never do.
The dumps of the bundled data, on every store kind, are test_linked_data's.
"""
from __future__ import annotations

import gzip
import threading
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from disk_support import fill, small_disk
from skillsgraph.api.app import create_app
from skillsgraph.api.dump_files import dumps_folder
from skillsgraph.config import Settings
from skillsgraph.store.factory import open_store

NAMESPACE = "https://example.org/sg/"
GRAPH = "https://example.org/graph/"


def _build(home: Path, label: str) -> None:
    """A build of two graphs sharing one triple, whose object says which build it is."""
    home.mkdir(parents=True, exist_ok=True)
    shared = f'<{NAMESPACE}s> <{NAMESPACE}p> "{label}"'
    (home / "skillsgraph.nq").write_text(
        f"{shared} <{GRAPH}a> .\n{shared} <{GRAPH}b> .\n<{NAMESPACE}t> <{NAMESPACE}p> <{NAMESPACE}s> <{GRAPH}b> .\n",
        encoding="utf-8")


@pytest.fixture
def serve(tmp_path):
    """Opens the home's current build as `serve` does, and an app over it; all closed at the end."""
    opened = []

    def open_app() -> TestClient:
        store = open_store("oxigraph", tmp_path, tmp_path / "skillsgraph.nq", [])
        client = TestClient(create_app(Settings(namespace=NAMESPACE, home=tmp_path), store))
        opened.append((client, store))
        return client
    yield open_app
    for client, store in opened:
        client.close()
        store.close()


def _folder(client: TestClient) -> Path:
    state = client.app.state
    return dumps_folder(state.settings.home, state.store.identity())


def test_a_dump_is_written_once_and_served_as_a_file(tmp_path, serve):
    _build(tmp_path, "first")
    client = serve()
    first = client.get("/dump/skillsgraph.nt")
    assert first.status_code == 200 and first.headers["content-type"] == "application/n-triples"
    assert first.content.count(b"\n") == 2  # the merge: the shared triple once
    written = _folder(client) / "skillsgraph.nt"
    assert written.read_bytes() == first.content
    assert first.headers["content-length"] == str(len(first.content)) and first.headers["accept-ranges"] == "bytes"
    stamp = written.stat().st_mtime_ns
    again = client.get("/dump/skillsgraph.nt")
    assert again.content == first.content and again.headers["etag"] == first.headers["etag"]
    assert written.stat().st_mtime_ns == stamp  # served from the file, not written again
    gz = client.get("/dump/skillsgraph.nq.gz")
    assert gz.headers["content-type"] == "application/gzip"
    assert gzip.decompress(gz.content) == (_folder(client) / "skillsgraph.nq").read_bytes()
    assert gzip.decompress(gz.content).count(b"\n") == 3  # each named graph's quads
    # nothing staged is left behind
    assert not [p.name for p in _folder(client).parent.iterdir() if p.name.startswith(".")]


def test_a_head_before_any_get_writes_nothing(tmp_path, serve):
    _build(tmp_path, "first")
    client = serve()
    head = client.head("/dump/skillsgraph.nq.gz")
    assert head.status_code == 200 and head.content == b"" and head.headers["content-type"] == "application/gzip"
    assert not _folder(client).exists()
    assert gzip.decompress(client.get("/dump/skillsgraph.nq.gz").content).count(b"\n") == 3
    assert (_folder(client) / "skillsgraph.nq.gz").is_file()


def test_conditional_requests_and_ranges_answer_from_the_file(tmp_path, serve):
    _build(tmp_path, "first")
    client = serve()
    full = client.get("/dump/skillsgraph.nq")
    etag, modified = full.headers["etag"], full.headers["last-modified"]
    not_modified = client.get("/dump/skillsgraph.nq", headers={"If-None-Match": etag})
    assert not_modified.status_code == 304 and not_modified.content == b"" and not_modified.headers["etag"] == etag
    assert client.get("/dump/skillsgraph.nq", headers={"If-Modified-Since": modified}).status_code == 304
    assert client.get("/dump/skillsgraph.nq", headers={"If-None-Match": '"other"'}).status_code == 200
    part = client.get("/dump/skillsgraph.nq", headers={"Range": "bytes=10-29"})
    assert part.status_code == 206 and part.content == full.content[10:30]
    assert part.headers["content-range"] == f"bytes 10-29/{len(full.content)}"
    head = client.head("/dump/skillsgraph.nq")
    assert head.status_code == 200 and head.content == b"" and head.headers["content-length"] == str(len(full.content))
    assert client.get("/dump/skillsgraph.xml").status_code == 404


def test_a_new_build_is_never_answered_with_the_old_dump(tmp_path, serve):
    _build(tmp_path, "first")
    old = serve()
    old_answer = old.get("/dump/skillsgraph.nt")
    old_gz = old.get("/dump/skillsgraph.nt.gz").content
    assert b'"first"' in old_answer.content
    _build(tmp_path, "second and longer")
    new = serve()
    assert _folder(new) != _folder(old)
    body = new.get("/dump/skillsgraph.nt")
    assert b'"second and longer"' in body.content and b'"first"' not in body.content
    assert gzip.decompress(new.get("/dump/skillsgraph.nt.gz").content) == body.content != gzip.decompress(old_gz)
    assert body.headers["etag"] != old_answer.headers["etag"]
    # The previous store's dumps stay for a process that still serves it; older ones go.
    assert old.get("/dump/skillsgraph.nt").content == old_answer.content
    _build(tmp_path, "third")
    newest = serve()
    assert b'"third"' in newest.get("/dump/skillsgraph.nt").content
    assert not _folder(old).exists() and _folder(new).is_dir()
    assert old.get("/dump/skillsgraph.nt").content == old_answer.content  # written again, not lost


def test_concurrent_first_requests_wait_for_one_writing(tmp_path, serve):
    _build(tmp_path, "first")
    clients = [serve(), serve()]  # two apps over one store, as two processes serving one home
    bodies: list[bytes] = []

    def fetch(client: TestClient) -> None:
        bodies.append(client.get("/dump/skillsgraph.ttl.gz").content)
    threads = [threading.Thread(target=fetch, args=(clients[i % 2],)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(bodies) == 6 and len(set(bodies)) == 1
    assert b'"first"' in gzip.decompress(bodies[0])
    # Turtle is written from the N-Triples dump, written first (api/dump_files.py); nothing else.
    assert sorted(p.name for p in _folder(clients[0]).iterdir()) == ["skillsgraph.nt", "skillsgraph.ttl", "skillsgraph.ttl.gz"]


def test_turtle_and_json_ld_read_from_the_n_triples_dump_are_the_stores_own_serialisation(tmp_path, serve):
    """The other formats are written from the N-Triples file: byte for byte what serialising the
    store's merge gives, blank nodes included."""
    import pyoxigraph as ox
    _build(tmp_path, "first")
    with open(tmp_path / "skillsgraph.nq", "a", encoding="utf-8") as build:
        build.write(f'_:b1 <{NAMESPACE}p> _:b2 <{GRAPH}a> .\n_:b2 <{NAMESPACE}p> "x"@en <{GRAPH}a> .\n')
    client = serve()
    store = client.app.state.store
    for name, fmt in (("skillsgraph.ttl", ox.RdfFormat.TURTLE), ("skillsgraph.jsonld", ox.RdfFormat.STREAMING_JSON_LD)):
        answer = client.get("/dump/" + name)
        assert answer.status_code == 200
        assert answer.content == ox.serialize(store.triples(), format=fmt), name
    assert b"_:" in client.get("/dump/skillsgraph.nt").content


def test_a_dump_that_cannot_be_written_is_streamed_whole_and_leaves_no_file(tmp_path):
    """A full disk under the home: the dump is still answered, whole, streamed as over an external
    store, and nothing half written is left to be served later."""
    with small_disk(tmp_path / "disk", "8m") as disk:
        home = disk / "home"
        _build(home, "full")
        store = open_store("oxigraph", home, home / "skillsgraph.nq", [])
        client = TestClient(create_app(Settings(namespace=NAMESPACE, home=home), store))
        try:
            fill(disk, leave=0)
            answer = client.get("/dump/skillsgraph.nt")
            assert answer.status_code == 200 and answer.text.count("\n") == 2 and '"full"' in answer.text
            folder = _folder(client)
            assert not folder.is_dir() or not any(folder.iterdir())
        finally:
            client.close()
            store.close()
