"""What a publish sends (store/publish_content.py), read in chunks and spilled to a file: the
same graph bodies, counts, digests and merge as every file parsed whole and each graph
serialised at once, on the bundled build, the ontology given a graph of its own twice (a file
with a graph, and triples the merge holds once), and a spill many times smaller than a graph."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pyoxigraph as ox
import pytest

from app_fixtures import write_build
from server_fixtures import REPO
from skillsgraph.store.oxigraph_store import rdf_format
from skillsgraph.store.publication import LAYOUT
from skillsgraph.store import publish_content
from skillsgraph.store.publish_content import QUADS_PER_CHUNK, SPILL_BYTES, Content, Inputs

ONTOLOGY = REPO / "ontology" / "skillsgraph.ttl"
ANOTHER_BUILD = '<http://example.org/s> <http://example.org/p> "o" <urn:x-test:g> .\n'


def read_content(files: list[tuple[Path, str | None]], max_buffered: int = SPILL_BYTES) -> Content:
    """What a publish of these files sends (the files closed again once read)."""
    with Inputs(files) as inputs:
        return inputs.content(max_buffered)


@pytest.fixture(scope="module")
def files(built, tmp_path_factory) -> list[tuple[Path, str | None]]:
    build = write_build(tmp_path_factory.mktemp("publish-content"), built.nquads)
    return [(build, None), (ONTOLOGY, "urn:x-test:ontology")]


def _whole(files: list[tuple[Path, str | None]]) -> tuple[dict[str, bytes], bytes, int]:
    """Every file parsed at once: each graph's triples serialised whole, and the merge as the
    triples in the order first met, each once."""
    graphs: dict[str, list[ox.Triple]] = {}
    merge: dict[ox.Triple, None] = {}
    for file, graph in files:
        for quad in ox.parse(path=str(file), format=rdf_format(file, graph)):
            name = graph or (quad.graph_name.value if isinstance(quad.graph_name, ox.NamedNode) else None)
            if name is not None:
                graphs.setdefault(name, []).append(quad.triple)
            merge[quad.triple] = None
    bodies = {name: ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) for name, triples in graphs.items()}
    return bodies, ox.serialize(list(merge), format=ox.RdfFormat.N_TRIPLES), len(merge)


@pytest.mark.parametrize("quads_per_chunk, max_buffered", [(500, 1 << 10), (QUADS_PER_CHUNK, SPILL_BYTES)])
def test_the_content_read_in_chunks_is_every_graph_serialised_whole(files, monkeypatch, quads_per_chunk, max_buffered):
    monkeypatch.setattr(publish_content, "QUADS_PER_CHUNK", quads_per_chunk)
    bodies, merge, distinct = _whole(files)
    with read_content(files, max_buffered=max_buffered) as content:
        assert set(content.graphs) == set(bodies)
        assert {name: bytes(body) for name, body in content.graphs.items()} == bodies
        assert {name: body.length for name, body in content.graphs.items()} == {n: len(b) for n, b in bodies.items()}
        assert content.counts == {name: body.count(b"\n") for name, body in bodies.items()}
        assert content.digests == {name: hashlib.sha256(body).hexdigest()[:32] for name, body in bodies.items()}
        assert bytes(content.merge) == merge and content.merge_triples == distinct
        whole = hashlib.sha256(LAYOUT.encode())
        for name, body in sorted(bodies.items()):
            whole.update(f"{name}\0{hashlib.sha256(body).hexdigest()[:32]}\0".encode())
        assert content.record().digest == whole.hexdigest()[:24]
        if max_buffered < 1 << 20:  # small chunks, spilled after each: bodies lie in pieces
            assert max(len(body.segments) for body in content.graphs.values()) > 1
            assert len(content.merge.segments) > 1


def test_the_ontology_in_two_graphs_is_in_the_merge_once():
    triples = [t.triple for t in ox.parse(path=str(ONTOLOGY), format=ox.RdfFormat.TURTLE)]
    twice = [(ONTOLOGY, "urn:x-test:ontology-a"), (ONTOLOGY, "urn:x-test:ontology-b")]
    with read_content(twice) as content:
        assert content.counts == {"urn:x-test:ontology-a": len(triples), "urn:x-test:ontology-b": len(triples)}
        assert content.merge_triples == len(set(triples)) and bytes(content.merge).count(b"\n") == len(set(triples))
        assert content.digests["urn:x-test:ontology-a"] == content.digests["urn:x-test:ontology-b"]


def test_a_body_is_sent_again_whole_after_a_challenge(files):
    with read_content(files, max_buffered=64 << 10) as content:
        body = max(content.graphs.values(), key=lambda b: b.length)
        first, again = b"".join(body), b"".join(body)
        assert first == again and len(first) == body.length and not hasattr(body, "read")


def test_a_file_that_breaks_off_raises_and_keeps_no_spill(tmp_path, built, monkeypatch):
    import skillsgraph.store.publish_content as module
    broken = tmp_path / "broken.nq"
    broken.write_bytes(built.nquads[:len(built.nquads) // 2] + b'\n<http://s> <http://p> "unclosed .\n')
    spills: list[module._Spill] = []

    class Watched(module._Spill):
        def __init__(self, *args):
            super().__init__(*args)
            spills.append(self)
    monkeypatch.setattr(module, "_Spill", Watched)
    with pytest.raises(SyntaxError, match=r"broken\.nq: .*line \d+"):
        read_content([(broken, None)], max_buffered=64 << 10)
    assert len(spills) == 1 and spills[0].file.closed


def test_a_build_replaced_during_a_publish_is_read_as_it_was_opened(files, tmp_path):
    """A build is written beside its file and renamed over it: the publish that opened the old
    file hashes and reads the old bytes, both, and the new file is other files."""
    build = tmp_path / "skillsgraph.nq"
    build.write_bytes(files[0][0].read_bytes())
    with read_content([(build, None)]) as before:
        old_digests = before.digests
    with Inputs([(build, None)]) as inputs:
        newer = tmp_path / "skillsgraph.nq.new"
        newer.write_bytes(ANOTHER_BUILD.encode())
        newer.replace(build)
        digest = inputs.digest()
        with inputs.content() as content:
            assert content.digests == old_digests
    with Inputs([(build, None)]) as replaced:
        assert replaced.digest() != digest
        with replaced.content() as content:
            assert set(content.digests) == {"urn:x-test:g"}

