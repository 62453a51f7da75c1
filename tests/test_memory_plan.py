"""The memory store's plan of a query with bound variables (store/memory_plan.py) answers what
rdflib's own plan answers, in the same order: the fixed queries of a document, run with the
resource bound, against rdflib over the same data with the same initial bindings. No app, no
server: the store and rdflib directly, over the session's bundled build."""
from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Dataset as RdfDataset, URIRef
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue

from graph_support import NAMESPACE

RESOURCES = [
    "framework/29-1129.01/v26.05/competency/proficient/3",
    "framework/29-1129.01/v26.05/ai-use/developing/1",
    "framework/29-1129.01/v26.05",
    "framework/29-1129.01",
    "occupation/29-1129.01",
    "source/safi-2026",
]


@pytest.fixture(scope="module")
def stores(built, tmp_path_factory):
    """The memory store and a plain rdflib dataset, both read from the bundled build."""
    from skillsgraph.store.memory_store import MemoryStore
    file = tmp_path_factory.mktemp("memory-plan") / "build.nq"
    file.write_bytes(built.nquads)
    plain = RdfDataset(default_union=True)
    plain.parse(file, format="nquads")
    return MemoryStore.from_nquads(file), plain


def _answers(result) -> list:
    from skillsgraph.store.memory_store import to_ox
    if result.type == "SELECT":
        return [{str(v): to_ox(row[v]) for v in result.vars if row[v] is not None} for row in result]
    return [ox.Triple(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in result.graph]


# rdflib's own plan of describe.rq takes up to a second a resource: three of them, of three kinds.
@pytest.mark.parametrize("name, resources", [("describe", RESOURCES[::2]), ("resource-kind", RESOURCES)],
                         ids=["describe", "resource-kind"])
def test_bound_queries_answer_as_rdflibs_own_plan(stores, name, resources):
    from skillsgraph.api.store_access import query_text
    from skillsgraph.store.base import Dataset, Limits
    store, plain = stores
    text = query_text(name)
    unplanned = prepareQuery(text)
    for path in resources:
        resource = NAMESPACE + path
        ours = store.query(text, Dataset(), Limits(), bindings={"resource": ox.NamedNode(resource)})
        answers = ours.triples if name == "describe" else ours.rows
        expected = _answers(plain.query(unplanned, initBindings={"resource": URIRef(resource)}))
        assert answers == expected, path
        assert answers or name == "resource-kind", f"{path} has no description: the comparison shows nothing"


def test_a_filter_runs_where_its_variables_are_bound():
    from skillsgraph.store.memory_plan import planned
    query = prepareQuery("""SELECT * WHERE { ?r ?p0 ?s . FILTER(isIRI(?s) && STRSTARTS(STR(?s), STR(?r)))
                            ?s ?p ?o FILTER(?o != 1) }""")
    algebra = planned(query.algebra, frozenset({"r"}))
    found, pending = [], [algebra]
    while pending:
        node = pending.pop()
        if isinstance(node, CompValue):
            found.append(node)
            pending.extend(node.values())
        elif isinstance(node, (list, tuple)):
            pending.extend(node)
    joins = [n for n in found if n.name == "Join" and n.get("lazy")]
    assert len(joins) == 1, algebra
    first, conjuncts = joins[0].p1, 0
    while first.name == "Filter":  # isIRI(?s) and STRSTARTS(...), each as soon as ?s is bound
        first, conjuncts = first.p, conjuncts + 1
    assert conjuncts == 2 and first.name == "BGP" and len(first.triples) == 1, algebra
    assert [n.p.name for n in found if n.name == "Filter"].count("Join") == 1, "?o's filter needs the whole pattern"
