"""The embedded store's merge written from N-Quads lines (store/merge_lines.py): the same default
graph as the quads parsed one by one, on the bundled build and on lines of every shape; a file
it does not take apart is merged the general way, with nothing added twice."""
from __future__ import annotations

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
