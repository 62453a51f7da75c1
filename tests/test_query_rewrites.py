"""Queries rewritten so that Oxigraph evaluates them well give the rows the plain ones gave,
on the bundled data and on a synthetic catalogue. Each rewrite that relies on the data's shape
names the shape; tests/test_shapes.py shows the shape rejects data the rewrite would miscount."""
from __future__ import annotations

import pyoxigraph as ox
import pytest

from skillsgraph.api.store_access import query_text
from skillsgraph.vocab import sparql_prefixes

from graph_support import REPO

BENCHMARK_QUERIES = REPO / "benchmarks" / "queries"
# The queries as they were first written: the answers the rewrites must give. Both rely on
# DomainHolderShape (only a durable-skill statement has an sg:domain) to leave out the type.
PLAIN = {
    "counts per durable domain": """
        SELECT ?domain (COUNT(?s) AS ?n) WHERE {
          ?s a sg:DurableSkillStatement ; sg:domain ?d . ?d skos:prefLabel ?domain
        } GROUP BY ?domain ORDER BY ?domain""",
    "domain statement counts": """
        SELECT ?d (COUNT(DISTINCT ?s) AS ?n) (COUNT(DISTINCT ?release) AS ?releases) WHERE {
          ?s a sg:DurableSkillStatement ; sg:domain ?d ; sg:framework ?release .
        } GROUP BY ?d ORDER BY ?d""",
}
REWRITTEN = {
    "counts per durable domain": (BENCHMARK_QUERIES / "counts-per-durable-domain.rq").read_text(encoding="utf-8"),
    "domain statement counts": query_text("domain-statement-counts") + " ORDER BY ?d",
}


def served(nquads: bytes) -> ox.Store:
    """The quads merged into the default graph, a set, as the oxigraph store serves them."""
    store = ox.Store()
    store.bulk_extend(ox.Quad(q.subject, q.predicate, q.object) for q in ox.parse(nquads, format=ox.RdfFormat.N_QUADS))
    return store


@pytest.fixture(scope="module")
def stores(built, synthetic_built) -> dict[str, ox.Store]:
    return {"bundled": served(built.nquads), "synthetic": served(synthetic_built)}


def rows(store: ox.Store, query: str) -> list[tuple]:
    return [tuple(row) for row in store.query(sparql_prefixes() + query)]


@pytest.mark.parametrize("name", sorted(PLAIN))
def test_a_rewritten_query_answers_as_the_plain_one(stores, name):
    for data, store in stores.items():
        expected = rows(store, PLAIN[name])
        assert len(expected) == 10, (data, expected)  # a row per durable domain, none empty
        assert rows(store, REWRITTEN[name]) == expected, data


def test_the_rewrite_answers_as_the_plain_one_in_rdflib_too(built):
    """The memory store's engine: the same rows (as terms) for the bundled data."""
    def answer(query: str) -> list[tuple]:
        return [tuple(str(v) for v in row) for row in built.graph.query(sparql_prefixes() + query)]
    for name in PLAIN:
        assert answer(REWRITTEN[name]) == answer(PLAIN[name]), name


def test_the_benchmark_query_keeps_its_title():
    """The benchmark finds its aggregate (left out of one mix) by this title."""
    assert REWRITTEN["counts per durable domain"].splitlines()[0] == "# title: counts per durable domain"
