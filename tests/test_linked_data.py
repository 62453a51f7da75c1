"""Linked data over HTTP: every statement IRI dereferences in every format, content
negotiation, conditional requests, errors, documents and dumps.

In-process (app_fixtures.api, once per store kind): these check what the app answers, which
needs no socket. On the memory store test_every_statement_dereferences_in_every_format is
the suite's slowest test (568 documents, each an rdflib CONSTRUCT of ~0.1 s): slow because
of what it checks."""
from __future__ import annotations

import functools
import gzip
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

import rdflib

import pyoxigraph as ox
import pytest
from pyld import jsonld
from rdflib import Graph
from rdflib.compare import isomorphic

from server_fixtures import NAMESPACE

SG = "https://w3id.org/skillsgraph/ontology#"
FORMATS = {
    "application/ld+json": "json-ld",
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
}


def sparql_select(server, query: str) -> list[dict]:
    r = server.client.post(server.base_url + "/sparql", data={"query": query},
                   headers={"Accept": "application/sparql-results+json"}, timeout=30)
    assert r.status_code == 200, r.text
    return r.json()["results"]["bindings"]


def local_loader(server, fetched: list[str] | None = None):
    """A pyld document loader that may reach only the server under test, as a harvester that
    fetches from the host it harvests: any other host (the namespace's w3id.org among them) is
    refused. `fetched` collects what it loaded."""
    def load(url, options=None):
        assert url.startswith(server.base_url + "/"), f"a fetch outside the server under test: {url}"
        r = server.client.get(url, headers={"Accept": "application/ld+json"})
        r.raise_for_status()
        if fetched is not None:
            fetched.append(url)
        return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url, "document": r.json()}
    return load


def parse(body: bytes, fmt: str, server) -> Graph:
    g = Graph()
    if fmt == "json-ld":
        expanded = jsonld.expand(json.loads(body), {"documentLoader": local_loader(server)})
        g.parse(data=jsonld.to_rdf(expanded, {"format": "application/n-quads"}), format="nquads")
    else:
        g.parse(data=body, format=fmt)
    return g


@pytest.fixture(scope="module")
def statement_iris(api) -> list[str]:
    rows = sparql_select(api, f"""PREFIX sg: <{SG}>
        SELECT ?s WHERE {{ ?s a ?c FILTER(?c IN (sg:CompetencyStatement, sg:AIUseStatement, sg:DurableSkillStatement)) }}""")
    iris = sorted(r["s"]["value"] for r in rows)
    assert len(iris) == 40 + 14 + 88
    return iris


OX_FORMATS = {"json-ld": ox.RdfFormat.N_QUADS, "turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES,
              "xml": ox.RdfFormat.RDF_XML}
PREF_LABEL = f"<{rdflib.SKOS.prefLabel}>".encode()


def test_every_statement_dereferences_in_every_format(api, statement_iris):
    """Every format of every statement gives the same triples, read by pyoxigraph's parsers (the
    JSON-LD expanded by pyld first, as a harvester would); the first statement of each kind is
    read by rdflib's parsers too. With no blank node, the same set of N-Triples lines is the
    same graph; with one, rdflib's isomorphism decides."""
    client = api.client
    first_of_kind = {iri.rsplit("/", 3)[1]: iri for iri in reversed(statement_iris)}
    for iri in statement_iris:
        lines = {}
        for media, fmt in FORMATS.items():
            r = client.get(api.url_for(iri), headers={"Accept": media})
            assert r.status_code == 200, (iri, media, r.text)
            assert r.headers["content-type"].startswith(media), (iri, media)
            lines[media] = _document_lines(r.content, fmt, api)
        reference = lines["application/n-triples"]
        assert len(reference) > 5
        if any(b"_:" in line for doc in lines.values() for line in doc) or iri in first_of_kind.values():
            graphs = {media: parse(client.get(api.url_for(iri), headers={"Accept": media}).content, fmt, api)
                      for media, fmt in FORMATS.items()}
            assert all(isomorphic(g, graphs["application/n-triples"]) for g in graphs.values()), iri
        for media, doc in lines.items():
            assert doc == reference, (iri, media, sorted(doc ^ reference)[:4])
        assert any(PREF_LABEL in line.split(b" ", 2)[1] for line in reference), iri


def _document_lines(body: bytes, fmt: str, server) -> set[bytes]:
    """A document's triples as N-Triples lines written by pyoxigraph from what it parsed."""
    if fmt == "json-ld":
        expanded = jsonld.expand(json.loads(body), {"documentLoader": local_loader(server)})
        body = jsonld.to_rdf(expanded, {"format": "application/n-quads"}).encode("utf-8")
    return _lines(body, OX_FORMATS[fmt], graphs=False)


def test_statement_document_holds_its_citations_and_level(api):
    iri = NAMESPACE + "framework/29-1129.01/v26.05/ai-use/developing/1"
    r = api.client.get(api.url_for(iri), headers={"Accept": "text/turtle"})
    g = Graph().parse(data=r.content, format="turtle")
    q = f"""PREFIX sg: <{SG}> PREFIX cito: <http://purl.org/spar/cito/>
        SELECT ?pos ?source WHERE {{ <{iri}> sg:citation ?c . ?c sg:position ?pos ; cito:hasCitedEntity ?source }} ORDER BY ?pos"""
    assert [str(row.source) for row in g.query(q)] == [NAMESPACE + "source/aei-2026-03-24", NAMESPACE + "source/safi-2026"]


def test_jsonld_document_expands_to_the_triples_the_store_holds(api):
    iri = NAMESPACE + "occupation/29-1129.01"
    r = api.client.get(api.url_for(iri), headers={"Accept": "application/ld+json"})
    doc = r.json()
    # the context is located on the server that answered; the document's IRIs stay in the namespace
    assert doc["@context"] == api.base_url + "/context.jsonld"
    fetched = parse(r.content, "json-ld", api)
    assert (rdflib.URIRef(iri), None, None) in fetched
    own = Graph().parse(data=api.client.post(api.base_url + "/sparql", data={
        "query": f"CONSTRUCT {{ <{iri}> ?p ?o }} WHERE {{ <{iri}> ?p ?o }}"}, headers={"Accept": "application/n-triples"}).content, format="nt")
    assert len(own) > 50
    missing = set(own) - set(fetched)
    assert not missing, sorted(missing)[:5]


def test_framework_document_is_framed_levels_statements_citations_sources(api):
    iri = NAMESPACE + "framework/29-1129.01/v26.05"
    r = api.client.get(api.url_for(iri), headers={"Accept": "application/ld+json"}, timeout=60)
    assert r.status_code == 200
    doc = r.json()
    statements = doc["statements"]
    assert len(statements) == 142
    competencies = [s for s in statements if s["type"] == "CompetencyStatement"]
    assert [s["level"]["prefLabel"] for s in competencies[:10]] == ["Emerging"] * 10
    assert [int(s["position"]) for s in competencies[:10]] == list(range(1, 11))
    cited = [s for s in statements if s.get("citation")]
    first = cited[0]["citation"][0]
    assert first["citedEntity"]["type"] == "Source" and "title" in first["citedEntity"]
    graph = parse(r.content, "json-ld", api)
    store_triples = Graph().parse(data=api.client.get(api.url_for(iri), headers={"Accept": "application/n-triples"}).content, format="nt")
    assert isomorphic(graph, store_triples)


def test_latest_framework_iri_redirects_to_current_release(api):
    r = api.client.get(api.url_for(NAMESPACE + "framework/29-1129.01"), headers={"Accept": "text/turtle"})
    assert r.status_code == 303
    assert r.headers["location"] == "/framework/29-1129.01/v26.05"


def test_conditional_requests_and_headers(api):
    url = api.url_for(NAMESPACE + "occupation/29-1129.01")
    first = api.client.get(url, headers={"Accept": "text/turtle"})
    etag = first.headers["etag"]
    assert first.headers["vary"].startswith("Accept")
    links = first.headers["link"]
    for media in ("application/ld+json", "application/n-triples", "application/rdf+xml", "text/html"):
        assert f'type="{media}"' in links
    assert 'rel="http://www.w3.org/ns/json-ld#context"' in links
    again = api.client.get(url, headers={"Accept": "text/turtle", "If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    plain = api.client.get(url, headers={"Accept": "text/turtle"})
    assert plain.status_code == 200 and plain.content == first.content


@pytest.mark.parametrize("fmt,media", [("ttl", "text/turtle"), ("nt", "application/n-triples"),
                                       ("jsonld", "application/ld+json"), ("rdf", "application/rdf+xml"), ("html", "text/html")])
def test_format_parameter_selects_representation(api, fmt, media):
    r = api.client.get(api.url_for(NAMESPACE + "source/onet-30.2") + f"?format={fmt}")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith(media)


def test_q_values_are_honoured(api):
    url = api.url_for(NAMESPACE + "source/onet-30.2")
    r = api.client.get(url, headers={"Accept": "application/ld+json;q=0.5, text/turtle;q=0.9"})
    assert r.headers["content-type"].startswith("text/turtle")
    r = api.client.get(url, headers={"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"})
    assert r.headers["content-type"].startswith("text/html")
    r = api.client.get(url, headers={"Accept": "*/*"})
    assert r.headers["content-type"].startswith("application/ld+json")


def test_errors(api):
    r = api.client.get(api.base_url + "/occupation/99-9999.99")
    assert r.status_code == 404 and "99-9999.99" in r.text
    r = api.client.get(api.url_for(NAMESPACE + "source/onet-30.2"), headers={"Accept": "image/png"})
    assert r.status_code == 406 and "text/turtle" in r.text
    r = api.client.get(api.url_for(NAMESPACE + "source/onet-30.2") + "?format=pdf")
    assert r.status_code == 400 and "ttl" in r.text
    r = api.client.get(api.base_url + "/occupation/<script>")
    assert r.status_code == 404


def test_occupations_paging_visits_every_occupation_once(api):
    expected = {r["o"]["value"] for r in sparql_select(api, f"PREFIX sg: <{SG}> SELECT ?o WHERE {{ ?o a sg:Occupation }}")}
    seen = []
    # Pages of 50: the bundled crosswalks name 1,016 occupations, and a page each would take minutes.
    url = api.base_url + "/occupations?size=50"
    while url:
        doc = api.client.get(url).json()
        assert doc["totalItems"] == len(expected)
        seen += [m["id"] for m in doc["member"]]
        nxt = doc["view"].get("next")
        assert nxt is None or nxt.startswith(api.base_url + "/occupations?"), nxt   # a location on this server
        url = nxt
    assert sorted(seen) == sorted(expected) and len(seen) == len(set(seen))
    for page in sorted({1, 2, len(seen)} & set(range(1, len(seen) + 1))):   # and pages of one, at both ends
        doc = api.client.get(api.base_url + f"/occupations?size=1&page={page}").json()
        assert [m["id"] for m in doc["member"]] == [seen[page - 1]]
        assert ("next" in doc["view"]) == (page < len(seen))
    assert api.client.get(api.base_url + "/occupations?page=99").status_code == 404
    assert api.client.get(api.base_url + "/occupations?size=0").status_code == 400


def test_search_finds_related_titles(api):
    doc = api.client.get(api.base_url + "/search", params={"q": "board certified"}).json()
    assert [m["onetSocCode"] for m in doc["member"]] == ["29-1129.01"]
    assert "Board Certified" in doc["member"][0]["matchedTitle"]
    assert api.client.get(api.base_url + "/search", params={"q": "zzzzqqq"}).json()["totalItems"] == 0
    assert api.client.get(api.base_url + "/search").status_code == 400


# Sources: the registry's 7 and the releases of the bundled crosswalks and classifications the server serves.
@pytest.mark.parametrize("path,cls,count", [("/sources", "Source", 7), ("/scales", "Level", 8), ("/domains", "DurableSkillDomain", 10)])
def test_registry_documents(api, path, cls, count):
    count += api.published if cls == "Source" else 0
    g = Graph().parse(data=api.client.get(api.base_url + path, headers={"Accept": "text/turtle"}).content, format="turtle")
    n = len(list(g.query(f"PREFIX sg: <{SG}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
                         f"SELECT DISTINCT ?s WHERE {{ ?s a ?c . FILTER(?c IN (sg:{cls}, sg:MasteryLevel, sg:ProficiencyLevel)) }}")))
    assert n == count


def _served_files(server) -> list[Path]:
    """The build file and the bundled published graphs the server serves."""
    return [server.home / "skillsgraph.nq"] + ([server.home / "published.nq"] if server.published else [])


def _lines(data: bytes, fmt: ox.RdfFormat, graphs: bool = True) -> set[bytes]:
    """Every quad (or, without `graphs`, its triple) as one line of N-Quads written by pyoxigraph
    from what it parsed, whatever the format it came in: sets of lines compare the half a million
    statements of the dumps several times faster than sets of terms (which rdflib takes minutes
    to read in every format)."""
    parsed = ox.parse(data, format=fmt)
    if not graphs:
        parsed = (q.triple for q in parsed)
    return set(ox.serialize(parsed, format=ox.RdfFormat.N_QUADS if graphs else ox.RdfFormat.N_TRIPLES).splitlines())


@dataclass(frozen=True)
class NquadsDump:
    """What the tests read of the N-Quads dump: its quads and its triples as _lines gives them,
    and how many quads each named graph holds."""
    quads: set[bytes]
    triples: set[bytes]
    per_graph: dict[str, int]


@pytest.fixture(scope="module")
def nquads_dump(api) -> NquadsDump:
    """The N-Quads dump of each store kind, fetched (plain and gzipped) and parsed once for the
    tests below: 128 MB, a million quads, over the bundled crosswalks and classifications."""
    nq = api.client.get(api.base_url + "/dump/skillsgraph.nq", timeout=120).content
    # gzip changes nothing but the bytes on the wire
    assert gzip.decompress(api.client.get(api.base_url + "/dump/skillsgraph.nq.gz", timeout=120).content) == nq
    quads = _lines(nq, ox.RdfFormat.N_QUADS)
    per_graph: Counter[str] = Counter()
    parsed = 0

    def triples() -> Iterator[ox.Triple]:
        nonlocal parsed
        for quad in ox.parse(nq, format=ox.RdfFormat.N_QUADS):
            parsed += 1
            if isinstance(quad.graph_name, ox.NamedNode):
                per_graph[quad.graph_name.value] += 1
            yield quad.triple
    union = set(ox.serialize(triples(), format=ox.RdfFormat.N_TRIPLES).splitlines())
    # No quad twice: each graph's count is then its number of distinct quads.
    assert parsed == len(quads)
    return NquadsDump(quads, union, dict(per_graph))


@pytest.fixture(scope="module")
def served_file_lines() -> Callable[[Path], set[bytes]]:
    """_lines of a file the servers serve, parsed once for every store kind that serves it."""
    return functools.lru_cache(maxsize=None)(lambda path: _lines(path.read_bytes(), ox.RdfFormat.N_QUADS))


def test_dumps_reparse_to_the_full_graph(api, nquads_dump, served_file_lines):
    for served in _served_files(api):
        assert served_file_lines(served) <= nquads_dump.quads  # the server also holds the W3C test graphs
    nt = api.client.get(api.base_url + "/dump/skillsgraph.nt", timeout=120).content
    for name, fmt, body in (("skillsgraph.nt", ox.RdfFormat.N_TRIPLES, nt),
                            ("skillsgraph.ttl", ox.RdfFormat.TURTLE, None), ("skillsgraph.jsonld", ox.RdfFormat.JSON_LD, None)):
        body = body if body is not None else api.client.get(api.base_url + "/dump/" + name, timeout=120).content
        assert _lines(body, fmt) == nquads_dump.triples, name
    # The same triples in the same order: gzip changes nothing but the bytes on the wire.
    assert gzip.decompress(api.client.get(api.base_url + "/dump/skillsgraph.nt.gz", timeout=120).content) == nt
    assert api.client.get(api.base_url + "/dump/other.nt").status_code == 404


def test_dataset_description_counts(api, nquads_dump):
    g = Graph().parse(data=api.client.get(api.base_url + "/dataset", headers={"Accept": "text/turtle"},
                                     timeout=120).content, format="turtle")
    rows = list(g.query("""PREFIX void: <http://rdfs.org/ns/void#> PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT ?sub ?n WHERE { ?d void:subset ?sub . ?sub void:triples ?n }"""))
    served = nquads_dump.per_graph
    for sub, n in rows:
        assert int(n) == served[str(sub)], sub
    assert len(rows) == len(served)  # every named graph
    licences = list(g.objects(predicate=rdflib.DCTERMS.license))
    # the registry's 7 sources and the releases of the bundled crosswalks and classifications it serves
    assert licences and len(list(g.objects(predicate=rdflib.DCTERMS.source))) == 7 + api.published


def test_context_ontology_and_shapes_are_served(api):
    ctx = api.client.get(api.base_url + "/context.jsonld").json()
    assert ctx["@context"]["statementText"] == "sg:statementText"
    onto = Graph().parse(data=api.client.get(api.base_url + "/ontology", headers={"Accept": "text/turtle"}).content, format="turtle")
    assert len(onto) > 300
    shapes = Graph().parse(data=api.client.get(api.base_url + "/shapes?format=ttl").content, format="turtle")
    assert len(list(shapes.subjects(predicate=rdflib.RDF.type, object=rdflib.URIRef("http://www.w3.org/ns/shacl#NodeShape")))) > 20


def test_openapi_docs(api):
    assert api.client.get(api.base_url + "/docs").status_code == 200
    spec = api.client.get(api.base_url + "/openapi.json").json()
    for path in ("/occupations", "/search", "/dataset", "/dump/{name}"):
        assert path in spec["paths"], path


def test_cors_preflight(api):
    r = api.client.options(api.base_url + "/occupations", headers={
        "Origin": "https://example.org", "Access-Control-Request-Method": "GET"})
    assert r.status_code == 200 and r.headers["access-control-allow-origin"] in ("*", "https://example.org")
