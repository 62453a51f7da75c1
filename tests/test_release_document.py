"""The release's JSON-LD document, nested directly from its triples, is byte for byte the one
pyld's framing writes (pyld kept as the oracle): for the bundled release, for synthetic releases
of the test data generator, and for releases bent to reach pyld's corner cases (triples in any
order, statements and citations the frame does not match, cycles, embeds the frame allows once,
literals of every kind). The document still expands to exactly the release's triples."""
from __future__ import annotations

import json
import random

import pyoxigraph as ox
import pytest

from skillsgraph.api import writers
from skillsgraph.api.jsonld_compaction import Compactor
from skillsgraph.api.release_framing import FRAME_EXTRA, RELEASE_FRAME, framed
from skillsgraph.api.model.resource import read_release_document
from skillsgraph.api.store_access import Reader
from skillsgraph.store.base import Limits
from skillsgraph.store.oxigraph_store import OxigraphStore
from skillsgraph.vocab import CITO, DCTERMS, RDF, RDFS, SCHEMA, SG, SKOS, XSD

from graph_support import SYNTHETIC_FRAMEWORKS

CONTEXT_URL = "https://example.org/context.jsonld"


def store_of(nquads: bytes) -> ox.Store:
    """The build's quads in their graphs, and their triples in the default graph, as served."""
    store = ox.Store()
    store.bulk_load(nquads, format=ox.RdfFormat.N_QUADS)
    store.extend(ox.Quad(*q.triple) for q in ox.parse(nquads, format=ox.RdfFormat.N_QUADS))
    return store


def releases(store: ox.Store) -> list[str]:
    rows = store.query(f"SELECT ?r WHERE {{ ?r a <{SG.FrameworkRelease}> }} ORDER BY ?r")
    return [row["r"].value for row in rows]


def release_triples(store: ox.Store, iri: str) -> list[ox.Triple]:
    """What the API reads for a release document, as it reads it."""
    return read_release_document(Reader(OxigraphStore(store), Limits()), iri)


def by_pyld(triples: list[ox.Triple], iri: str) -> bytes:
    """The document as the API wrote it with pyld: framed, statements ordered, json.dumps."""
    doc = writers.framed_by_pyld(triples, iri)
    writers._order_statements(doc)
    doc["@context"] = [CONTEXT_URL, FRAME_EXTRA]
    return json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8")


def assert_as_pyld_frames(triples: list[ox.Triple], iri: str) -> bytes:
    assert framed(triples, iri, writers.release_compactor(), RELEASE_FRAME) is not None, "not the direct nesting"
    ours = writers.framed_release(triples, iri, CONTEXT_URL)
    expected = by_pyld(triples, iri)
    if ours != expected:
        at = next(i for i, (a, b) in enumerate(zip(ours, expected)) if a != b) if len(ours) == len(expected) \
            else min(len(ours), len(expected))
        raise AssertionError(f"differs from pyld at byte {at}:\n{ours[at - 300:at + 200].decode(errors='replace')}\n"
                             f"---- pyld:\n{expected[at - 300:at + 200].decode(errors='replace')}")
    return ours


def assert_expands_to(document: bytes, triples: list[ox.Triple]) -> None:
    doc = json.loads(document)
    assert set(writers.expanded_triples(doc, [writers.shipped_context(), FRAME_EXTRA])) == set(triples)


@pytest.fixture(scope="module")
def bundled(built) -> tuple[str, list[ox.Triple]]:
    store = store_of(built.nquads)
    [iri] = releases(store)
    return iri, release_triples(store, iri)


@pytest.fixture(scope="module")
def synthetic(synthetic_built) -> tuple[ox.Store, list[str]]:
    store = store_of(synthetic_built)
    return store, releases(store)


def small(triples: list[ox.Triple], keep: int, seed: int) -> list[ox.Triple]:
    """The release with `keep` statements of each kind (a random choice) and what they reach, shuffled."""
    rng = random.Random(seed)
    kinds: dict[str, list[str]] = {}
    for t in triples:
        if t.predicate.value == str(RDF.type) and t.object.value.endswith("Statement"):
            kinds.setdefault(t.object.value, []).append(t.subject.value)
    kept = {s for statements in kinds.values() for s in rng.sample(statements, min(keep, len(statements)))}
    release = next(t.object.value for t in triples if t.predicate.value == str(SG.framework))
    subjects = reached(triples, {release} | kept)
    out = [t for t in triples if t.subject.value in subjects]
    rng.shuffle(out)
    return out


def reached(triples: list[ox.Triple], start: set[str]) -> set[str]:
    """The subjects reached from `start` through node values, statements not in `start` left out."""
    links: dict[str, set[str]] = {}
    statements = {t.subject.value for t in triples if t.predicate.value == str(SG.framework)}
    for t in triples:
        if isinstance(t.object, ox.NamedNode) and t.object.value not in statements:
            links.setdefault(t.subject.value, set()).add(t.object.value)
    seen, todo = set(start), list(start)
    while todo:
        for o in links.get(todo.pop(), ()):
            if o not in seen:
                seen.add(o)
                todo.append(o)
    return seen


# ---- the bundled release and synthetic ones ---------------------------------------------------

def test_the_bundled_release_reads_as_pyld_frames_it(bundled):
    iri, triples = bundled
    document = assert_as_pyld_frames(triples, iri)
    assert len(json.loads(document)["statements"]) == 40 + 14 + 88


def test_synthetic_releases_read_as_pyld_frames_them(synthetic):
    store, iris = synthetic
    assert len(iris) == SYNTHETIC_FRAMEWORKS
    first = release_triples(store, iris[0])
    assert_as_pyld_frames(first, iris[0])  # whole, as the store answers
    for seed, iri in enumerate(iris[1:]):  # the others smaller and in another order, to keep pyld quick
        assert_as_pyld_frames(small(release_triples(store, iri), 8, seed), iri)


def test_a_synthetic_release_document_expands_to_its_triples(synthetic):
    store, iris = synthetic
    triples = small(release_triples(store, iris[-1]), 4, 7)
    assert_expands_to(writers.framed_release(triples, iris[-1], CONTEXT_URL), triples)


# ---- pyld's corner cases, on a small release ----------------------------------------------------

@pytest.fixture(scope="module")
def few(bundled) -> tuple[str, list[ox.Triple]]:
    iri, triples = bundled
    return iri, small(triples, 3, 1)


def statements_of(triples: list[ox.Triple], kind: str) -> list[str]:
    return sorted({t.subject.value for t in triples if t.predicate == ox.NamedNode(str(RDF.type))
                   and t.object == ox.NamedNode(SG.term(kind))})


def node(iri: str) -> ox.NamedNode:
    return ox.NamedNode(str(iri))


def test_any_order_of_the_triples_gives_pyld_s_document(few):
    iri, triples = few
    for seed in range(3):
        shuffled = list(triples)
        random.Random(seed).shuffle(shuffled)
        assert_as_pyld_frames(shuffled + shuffled[:40], iri)  # duplicates too


def test_statements_and_citations_the_frame_does_not_match_are_left_out_as_pyld_leaves_them(few):
    iri, triples = few
    durable = statements_of(triples, "DurableSkillStatement")[0]
    competency = statements_of(triples, "CompetencyStatement")[0]
    bare = [t for t in triples if not (t.subject.value == competency and t.predicate.value == str(SG.level))]
    no_cited = [t for t in bare if not (t.subject.value.startswith(durable + "/citation/")
                                        and t.predicate.value == str(CITO.hasCitedEntity))]
    document = json.loads(assert_as_pyld_frames(no_cited, iri))
    assert competency not in {s["id"] for s in document["statements"]}


def test_cycles_self_references_and_once_embeds_give_pyld_s_document(few):
    iri, triples = few
    levels = sorted({t.object.value for t in triples if t.predicate.value == str(SG.level)})
    source = next(t.object.value for t in triples if t.predicate.value == str(CITO.hasCitedEntity))
    occupation = next(t.object.value for t in triples if t.predicate.value == str(SG.occupation))
    extra = [
        ox.Triple(node(levels[0]), node(SKOS.closeMatch), node(levels[1])),   # a cycle between levels
        ox.Triple(node(levels[1]), node(SKOS.closeMatch), node(levels[0])),
        ox.Triple(node(levels[0]), node(RDFS.seeAlso), node(levels[0])),      # a node naming itself
        ox.Triple(node(iri), node(DCTERMS.source), node(levels[0])),          # embedded once under the release ...
        ox.Triple(node(iri), node(RDFS.seeAlso), node(levels[0])),            # ... and then a reference
        ox.Triple(node(iri), node(DCTERMS.references), node(source)),
        ox.Triple(node(occupation), node(DCTERMS.references), node(source)),  # @always under the occupation
        ox.Triple(node(source), node(DCTERMS.isPartOf), node(iri)),           # back up to the release
    ]
    assert_as_pyld_frames(triples + extra, iri)


def test_literals_of_every_kind_compact_as_pyld_compacts_them(few):
    iri, triples = few
    # on the occupation, not a statement: statements are ordered by their one type and position
    statement = node(next(t.object.value for t in triples if t.predicate.value == str(SG.occupation)))
    lit = ox.Literal
    extra = [
        ox.Triple(statement, node(SKOS.prefLabel), lit("étiquette", language="fr")),
        ox.Triple(statement, node(SKOS.prefLabel), lit("no language")),
        ox.Triple(statement, node(SKOS.notation), lit("A-1")),
        ox.Triple(statement, node(SKOS.notation), lit("A-1 in English", language="en")),
        ox.Triple(statement, node(SG.position), lit("7", datatype=node(XSD.integer))),
        ox.Triple(statement, node(SG.rank), lit("2", datatype=node(XSD.positiveInteger))),
        ox.Triple(statement, node(DCTERMS.issued), lit("2026-05-01", datatype=node(XSD.date))),
        ox.Triple(statement, node(DCTERMS.extent), lit("x", datatype=node("https://example.org/my_type"))),
        ox.Triple(statement, node(SG.statementText), lit('quotes " and \\ and \n\t\u0001 \u2028 \U0001F600')),
        ox.Triple(statement, node(SG.statementText), lit("plain text", language="en")),
        ox.Triple(statement, node(SCHEMA.about), node(SCHEMA.Thing)),              # an IRI with a prefix
        ox.Triple(statement, node(SG.relation), node(SKOS.exactMatch)),             # a @vocab term's value
        ox.Triple(statement, node(SG.label), lit("a property without a term")),
        ox.Triple(statement, node("https://example.org/p"), node("https://example.org/o")),
        ox.Triple(statement, node(RDF.type), node(SKOS.Concept)),                   # a second type
        ox.Triple(statement, node(RDF.type), node("https://example.org/Kind")),     # a type without a term
        ox.Triple(statement, node(RDF.type), lit("a literal type")),
    ]
    document = assert_as_pyld_frames(triples + extra, iri)
    assert_expands_to(document, list(dict.fromkeys(triples + extra)))


def test_a_release_without_statements_or_triples_gives_pyld_s_document(few):
    iri, triples = few
    assert_as_pyld_frames([t for t in triples if t.predicate.value != str(SG.framework)], iri)
    assert_as_pyld_frames([t for t in triples if t.subject.value != iri], iri)
    assert_as_pyld_frames([], iri)


def test_what_the_nesting_does_not_model_is_left_to_pyld(few):
    iri, triples = few
    blank = triples + [ox.Triple(node(iri), node(RDFS.seeAlso), ox.BlankNode("b0")),
                       ox.Triple(ox.BlankNode("b0"), node(RDFS.label), ox.Literal("a blank node"))]
    for odd in (blank, triples + [ox.Triple(node(iri), node(RDFS.comment), ox.Literal("@null"))]):
        assert framed(odd, iri, writers.release_compactor(), RELEASE_FRAME) is None
        assert writers.framed_release(odd, iri, CONTEXT_URL) == by_pyld(odd, iri)


def test_a_context_beyond_what_the_compaction_models_is_refused():
    for context in ({"@vocab": "https://example.org/"}, {"t": {"@id": "https://example.org/t", "@nest": "n"}},
                    {"t": {"@id": "https://example.org/t", "@container": "@language"}}, {"t": "@graph"}):
        with pytest.raises(ValueError, match="not support"):
            Compactor(context)


def test_a_compacted_document_is_the_same_bytes_under_any_hash_seed():
    """rdflib's JSON-LD writer follows its store's set order, which the hash seed changes from
    process to process: a resource read under seeds 1, 2 and 3 gave three documents (and three
    ETags, one per `serve --workers` process). Nodes and values now come in one order; a
    @list keeps its own."""
    import os
    import subprocess
    import sys
    code = (
        "import sys, pyoxigraph as ox\n"
        "from skillsgraph.api.writers import compacted\n"
        "ns = 'https://w3id.org/skillsgraph/'\n"
        "nt = ''.join(f'<{ns}cip2010/0{i}> <http://www.w3.org/2004/02/skos/core#altLabel> \"label {j} of {i}\"@en .\\n'\n"
        "             f'<{ns}cip2010/0{i}> <http://www.w3.org/2004/02/skos/core#broader> <{ns}cip2010/{j}> .\\n'\n"
        "             for i in range(5) for j in range(6))\n"
        "triples = [q.triple for q in ox.parse(nt.encode(), format=ox.RdfFormat.N_TRIPLES)]\n"
        "sys.stdout.buffer.write(compacted(triples, 'http://example.org/context.jsonld'))\n")
    outputs = {subprocess.run([sys.executable, "-c", code], capture_output=True, check=True,
                              env={**os.environ, "PYTHONHASHSEED": str(seed)}).stdout for seed in (1, 2, 3)}
    assert len(outputs) == 1
    doc = json.loads(outputs.pop())
    assert [n["id"] for n in doc["@graph"]] == sorted(n["id"] for n in doc["@graph"]) and len(doc["@graph"]) == 5
    ordered = {"@context": "x", "hops": [3, 1, 2], "other": [3, 1, 2], "inner": {"@list": ["b", "a"]}}
    assert writers._in_stable_order(ordered) == {**ordered, "other": [1, 2, 3]}


@pytest.mark.parametrize("colon_terms", [False, True], ids=["prefixes", "with colon terms"])
def test_iris_compact_as_pyld_compacts_them(colon_terms):
    """Compact IRIs come from a term whose IRI ends in a gen-delim, looked up by the IRI's own
    leading parts; a context with a term holding a colon (which may compact an IRI from a
    term of any IRI) is read term by term instead. Both as pyld compacts a node's @id and @type."""
    from pyld import jsonld
    context = {"ex": "https://example.org/", "exv": "https://example.org/vocab#", "deep": "https://example.org/a/b/",
               "name": "https://schema.org/name", "schema": "https://schema.org/", "q": "https://example.org/a?",
               "Thing": "https://example.org/Thing"}
    if colon_terms:
        context |= {"ex:Other": "https://example.org/Other", "schema:nameX": "https://schema.org/nameX"}
    iris = ["https://example.org/a/b/c", "https://example.org/a/b/", "https://example.org/vocab#term",
            "https://example.org/Thing", "https://example.org/Other", "https://example.org/x", "https://schema.org/nameX",
            "https://schema.org/name", "https://example.org/a?x=1", "https://other.org/z", "https://example.org/"]
    compactor = Compactor(context)
    for iri in iris:
        expected = jsonld.compact({"@id": iri, "@type": iri}, {"@context": context})
        assert (compactor.iri(iri, False), compactor.iri(iri, True)) == (expected["@id"], expected["@type"]), iri


def test_the_compactor_keeps_a_bounded_memory_of_iris_and_documents_stay_the_same(synthetic, monkeypatch):
    """The compactor all documents share remembers at most KEPT IRIs per cache: documents framed
    while its caches fill and start again are the bytes a fresh compactor writes."""
    from skillsgraph.api import jsonld_compaction
    store, iris = synthetic
    reads = [(iri, release_triples(store, iri)) for iri in iris]
    fresh = [writers.framed_release(triples, iri, CONTEXT_URL) for iri, triples in reads]
    monkeypatch.setattr(jsonld_compaction, "KEPT", 50)
    shared = Compactor(writers.framing_context())
    monkeypatch.setattr(writers, "release_compactor", lambda: shared)
    for _ in range(2):
        assert [writers.framed_release(triples, iri, CONTEXT_URL) for iri, triples in reads] == fresh
    caches = [shared._iris, shared._property_terms, shared._references]
    assert all(0 < len(cache) <= 50 for cache in caches), [len(c) for c in caches]
