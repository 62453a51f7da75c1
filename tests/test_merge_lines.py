"""The embedded store's merge written from N-Quads lines (store/merge_lines.py): the same default
graph as the quads parsed one by one, on the bundled build and on lines of every shape; a file
it does not take apart is merged the general way, with nothing added twice."""
from __future__ import annotations

import threading
from pathlib import Path

import pyoxigraph as ox
import pytest

from skillsgraph.store.merge_lines import NotPlain, triple_line
from skillsgraph.store.oxigraph_store import load_into

SHAPES = [
    (b'<http://s> <http://p> <http://o> <http://g> .\n', b'<http://s> <http://p> <http://o> .\n'),
    (b'<http://s> <http://p> <http://o> .\n', b'<http://s> <http://p> <http://o> .\n'),
    (b'_:b1 <http://p> "a \\" b"@en-GB <http://g> .\n', b'_:b1 <http://p> "a \\" b"@en-GB .\n'),
    (b'<http://s> <http://p> "1"^^<http://www.w3.org/2001/XMLSchema#integer> _:g .\n',
     b'<http://s> <http://p> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'),
    (b'<http://s>\t<http://p>  "x y <http://not-a-graph> ."  <http://g> .\n',
     b'<http://s>\t<http://p>  "x y <http://not-a-graph> ." .\n'),
    (b'\n', None),
    (b'# a comment\n', None),
]


@pytest.mark.parametrize("line, triple", SHAPES)
def test_a_line_loses_its_graph_name_only(line, triple):
    assert triple_line(line) == triple


@pytest.mark.parametrize("line", [b'<http://s> <http://p> <http://o> <http://g> . # said "twice"\n',
                                  b'<http://s> <http://p> "x" <http://g> <http://h> .\n',
                                  b'<http://s> <http://p> <<( <http://a> <http://b> "x" )>> .\n'])
def test_a_line_of_another_shape_is_not_taken_apart(line):
    with pytest.raises(NotPlain):
        triple_line(line)


def _merge(store: ox.Store) -> set[ox.Triple]:
    return {q.triple for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())}


def _parsed_merge(file: Path) -> set[ox.Triple]:
    return {q.triple for q in ox.parse(path=str(file), format=ox.RdfFormat.N_QUADS)}


def test_the_bundled_builds_merge_is_its_set_of_triples(built, tmp_path):
    file = tmp_path / "skillsgraph.nq"
    file.write_bytes(built.nquads)
    store = ox.Store()
    assert load_into(store, file, None) == built.nquads.count(b"\n")
    assert _merge(store) == _parsed_merge(file) and len(_merge(store)) == len(built.graph)


def test_a_file_it_cannot_take_apart_is_merged_from_parsed_quads(tmp_path):
    file = tmp_path / "commented.nq"
    file.write_bytes(b'<http://s> <http://p> "x"@en <http://g1> .\n<http://s> <http://p> "x"@en <http://g2> .\n'
                     b'<http://s> <http://q> <http://o> <http://g1> . # a comment after the dot\n')
    store = ox.Store()
    assert load_into(store, file, None) == 3
    assert _merge(store) == _parsed_merge(file) and len(_merge(store)) == 2


def test_the_named_graphs_load_beside_the_merge_as_they_would_alone(built, tmp_path):
    """load_into loads the named graphs and the merge on two threads: the named graphs hold what
    a plain bulk load of the file gives."""
    file = tmp_path / "skillsgraph.nq"
    file.write_bytes(built.nquads)
    store, plain = ox.Store(), ox.Store()
    load_into(store, file, None)
    plain.bulk_load(path=str(file), format=ox.RdfFormat.N_QUADS)
    named = set(store.quads_for_pattern(None, None, None, None)) - {
        q for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())}
    assert named == set(plain) and len(named) == built.nquads.count(b"\n")


def test_a_file_that_does_not_parse_raises_the_named_loads_error_and_the_other_thread_ends(tmp_path):
    file = tmp_path / "broken.nq"
    file.write_bytes(b'<http://s> <http://p> <http://o> <http://g> .\n<http://s> <http://p> "open <http://g> .\n')
    with pytest.raises(SyntaxError) as raised:
        load_into(ox.Store(), file, None)
    assert "(broken.nq, line 2)" in str(raised.value)  # the file itself, not the merge's temporary file
    assert not [t for t in threading.enumerate() if t.name == "store-load"]


def test_a_long_file_that_does_not_parse_never_leaves_the_load_waiting(tmp_path):
    """Thousands of good lines before the bad one: both loads are well under way when one fails
    (two bulk loads failing at once on one store once waited on each other for ever)."""
    file = tmp_path / "broken.nq"
    file.write_bytes(b"".join(b"<http://s%d> <http://p> <http://o> <http://g> .\n" % i for i in range(20000))
                     + b'<http://s> <http://p> "open <http://g> .\n')
    outcomes: list[BaseException] = []

    def load_many() -> None:
        for _ in range(20):
            try:
                load_into(ox.Store(), file, None)
            except SyntaxError as exc:
                outcomes.append(exc)
    loading = threading.Thread(target=load_many, daemon=True)
    loading.start()
    loading.join(timeout=300)  # a guard against a hang, far above the second it takes
    assert not loading.is_alive(), f"load_into still waiting after {len(outcomes)} of 20 loads"
    assert len(outcomes) == 20 and all("(broken.nq, line 20001)" in str(e) for e in outcomes)


def test_graph_counts_asked_graph_by_graph_are_the_one_aggregates_and_an_empty_graph_counts_zero(built, tmp_path):
    from skillsgraph.store.oxigraph_store import count_graphs
    file = tmp_path / "skillsgraph.nq"
    file.write_bytes(built.nquads)
    store = ox.Store()
    load_into(store, file, None)
    store.add_graph(ox.NamedNode("http://example.org/empty"))
    whole = {row["g"].value: int(row["n"].value) for row in store.query(
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")}
    counted = {info.name: info.triples for info in count_graphs(store)}
    assert counted == {**whole, "http://example.org/empty": 0} and len(whole) > 1
