"""The SPARQL 1.1 Service Description of /sparql.

The W3C manifest ../shared/w3c/sparql11-service-description/manifest.ttl has three entries,
each only a name: GET on the endpoint returns RDF (returns-rdf), the description holds an
sd:endpoint triple naming the endpoint (has-endpoint-triple), and it conforms to the SD
vocabulary (conforms-to-schema). They are run for every entry, then the description's own
content is checked: VoID triple counts, limits, result formats, negotiation.

The manifest's entries run against live servers (server_fixtures.live_server, once per store
kind): they test the service over real HTTP, as the W3C suite is meant to be run. The
description's own content is checked in-process (app_fixtures.api, once per store kind).
"""
from __future__ import annotations

import httpx
import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, XSD

from server_fixtures import SHARED, W3C_GRAPHS

MANIFEST = SHARED / "w3c" / "sparql11-service-description" / "manifest.ttl"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = Namespace("http://rdfs.org/ns/void#")
SG = Namespace("https://w3id.org/skillsgraph/ontology#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
ENT = Namespace("http://www.w3.org/ns/entailment/")
RDF_TYPES = {"text/turtle": "turtle", "application/ld+json": "json-ld", "application/rdf+xml": "xml",
             "application/n-triples": "nt"}

# The SD vocabulary (https://www.w3.org/TR/sparql11-service-description/#vocab):
# property -> (domain, range); a range of None means "an IRI or any resource".
SD_PROPERTIES = {
    SD.endpoint: (SD.Service, None),
    SD.feature: (SD.Service, SD.Feature),
    SD.defaultEntailmentRegime: (SD.Service, SD.EntailmentRegime),
    SD.entailmentRegime: (SD.NamedGraph, SD.EntailmentRegime),
    SD.defaultSupportedEntailmentProfile: (SD.Service, SD.EntailmentProfile),
    SD.supportedEntailmentProfile: (SD.NamedGraph, SD.EntailmentProfile),
    SD.extensionFunction: (SD.Service, SD.Function),
    SD.extensionAggregate: (SD.Service, SD.Aggregate),
    SD.languageExtension: (SD.Service, SD.Feature),
    SD.supportedLanguage: (SD.Service, SD.Language),
    SD.propertyFeature: (SD.Service, SD.Feature),
    SD.defaultDataset: (SD.Service, SD.Dataset),
    SD.availableGraphs: (SD.Service, SD.GraphCollection),
    SD.resultFormat: (SD.Service, FORMATS.Format),
    SD.inputFormat: (SD.Service, FORMATS.Format),
    SD.defaultGraph: (SD.Dataset, SD.Graph),
    SD.namedGraph: (SD.GraphCollection, SD.NamedGraph),
    SD.name: (SD.NamedGraph, None),
    SD.graph: (SD.NamedGraph, SD.Graph),
}
SD_CLASSES = {SD.Service, SD.Language, SD.Function, SD.Aggregate, SD.EntailmentRegime, SD.EntailmentProfile,
              SD.GraphCollection, SD.Dataset, SD.Graph, SD.NamedGraph, SD.Feature}
SUBCLASSES = {SD.Dataset: {SD.GraphCollection}}
# Individuals the vocabularies define, with their classes.
KNOWN_INSTANCES = {
    SD.SPARQL10Query: SD.Language, SD.SPARQL11Query: SD.Language, SD.SPARQL11Update: SD.Language,
    SD.DereferencesURIs: SD.Feature, SD.UnionDefaultGraph: SD.Feature, SD.RequiresDataset: SD.Feature,
    SD.EmptyGraphs: SD.Feature, SD.BasicFederatedQuery: SD.Feature,
    **{ENT[name]: SD.EntailmentRegime for name in ("Simple", "RDF", "RDFS", "D", "OWL-Direct", "OWL-RDF-Based", "RIF")},
    **{FORMATS[name]: FORMATS.Format for name in (
        "SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV", "Turtle",
        "N-Triples", "N-Quads", "N3", "JSON-LD", "RDF_XML", "RDFa", "TriG", "OWL_XML", "OWL_Functional",
        "OWL_Manchester", "POWDER", "POWDER-S", "PROV-N", "PROV-XML", "LD_Patch", "microdata")},
}


def _manifest_entries() -> list[tuple[str, str]]:
    g = Graph().parse(MANIFEST, format="turtle")
    manifest = next(g.subjects(RDF.type, MF.Manifest))
    return [(str(e).rsplit("#", 1)[-1], str(g.value(e, MF.name))) for e in Collection(g, g.value(manifest, MF.entries))]


ENTRIES = _manifest_entries()


def _get_description(server, path: str = "/sparql", accept: str | None = None) -> tuple[httpx.Response, Graph]:
    headers = {"accept": accept} if accept else {}
    response = server.client.get(server.base_url + path, headers=headers, timeout=30)
    assert response.status_code == 200, response.text
    media = response.headers["content-type"].split(";")[0].strip()
    assert media in RDF_TYPES, media
    return response, Graph().parse(data=response.content, format=RDF_TYPES[media])


def _types(g: Graph, node) -> set:
    found = set(g.objects(node, RDF.type))
    if node in KNOWN_INSTANCES:
        found.add(KNOWN_INSTANCES[node])
    for cls in list(found):
        found |= SUBCLASSES.get(cls, set())
    return found


def _service(g: Graph):
    services = list(g.subjects(RDF.type, SD.Service))
    assert len(services) == 1, services
    return services[0]


def check_returns_rdf(server) -> None:
    for accept in (None, "*/*", "text/turtle", "application/rdf+xml", "application/ld+json", "application/n-triples"):
        response, g = _get_description(server, accept=accept)
        if accept and accept != "*/*":
            assert response.headers["content-type"].startswith(accept)
        assert "Accept" in response.headers.get("vary", "")
        assert len(g) > 20 and (None, RDF.type, SD.Service) in g


def check_has_endpoint_triple(server) -> None:
    for path in ("/sparql", "/sparql/"):
        _, g = _get_description(server, path)
        assert (_service(g), SD.endpoint, URIRef(server.base_url + path)) in g


def check_conforms_to_schema(server) -> None:
    _, g = _get_description(server)
    problems = []
    for s, p, o in g:
        if p == RDF.type and str(o).startswith(str(SD)):
            if o not in SD_CLASSES:
                problems.append(f"{o} is not a class of the SD vocabulary")
            continue
        if not str(p).startswith(str(SD)):
            continue
        if p not in SD_PROPERTIES:
            problems.append(f"{p} is not a property of the SD vocabulary")
            continue
        domain, range_ = SD_PROPERTIES[p]
        if domain not in _types(g, s):
            problems.append(f"{s} {p}: the subject is not an {domain}")
        if isinstance(o, Literal):
            problems.append(f"{s} {p} {o!r}: a resource is expected, not a literal")
        elif range_ is None:
            if p in (SD.endpoint, SD.name) and not isinstance(o, URIRef):
                problems.append(f"{s} {p} {o}: an IRI is expected")
        elif range_ not in _types(g, o):
            problems.append(f"{s} {p} {o}: the object is not an {range_}")
        if isinstance(o, URIRef) and str(o).startswith(str(SD)) and o not in KNOWN_INSTANCES and p != SD.endpoint:
            problems.append(f"{o} is not defined by the SD vocabulary")
    assert not problems, "\n".join(problems)
    # the required shape: one service with an endpoint and a supported language
    service = _service(g)
    assert g.value(service, SD.endpoint) is not None
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in g


CHECKS = {"returns-rdf": check_returns_rdf, "has-endpoint-triple": check_has_endpoint_triple,
          "conforms-to-schema": check_conforms_to_schema}


def test_the_manifest_lists_what_is_checked():
    assert {entry for entry, _ in ENTRIES} == set(CHECKS)


@pytest.mark.parametrize("entry", [e for e, _ in ENTRIES])
def test_w3c_service_description(live_server, entry):
    CHECKS[entry](live_server)


# ---- the description's content -----------------------------------------------------------

def _select(server, query: str) -> list[dict]:
    response = server.client.get(server.base_url + "/sparql", params={"query": query}, timeout=30)
    assert response.status_code == 200, response.text
    return response.json()["results"]["bindings"]


def test_void_triple_counts_equal_the_store(api, built, published_build):
    _, g = _get_description(api)
    dataset = g.value(_service(g), SD.defaultDataset)
    assert dataset == URIRef(api.namespace + "dataset")
    assert (dataset, RDF.type, SD.Dataset) in g

    described = {}
    for named in g.objects(dataset, SD.namedGraph):
        graph = g.value(named, SD.graph)
        described[str(g.value(named, SD.name))] = g.value(graph, VOID.triples).toPython()
    # what the served store holds, counted by the endpoint ...
    counted = {row["g"]["value"]: int(row["n"]["value"]) for row in _select(
        api, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")}
    assert described == counted
    # ... and independently: the bundled data as rdflib builds it, its published crosswalks and
    # classifications as the loader imports them, plus the W3C test graphs (1 triple each)
    expected = {name: len(built.dataset.graph(URIRef(name))) for name in built.graph_names}
    published: dict[str, set] = {}
    for q in ox.parse(path=str(published_build.published_file), format=ox.RdfFormat.N_QUADS) if api.published else ():
        published.setdefault(q.graph_name.value, set()).add(q.triple)
    expected.update({name: len(triples) for name, triples in published.items()})
    expected.update({graph: 1 for graph in W3C_GRAPHS.values()})
    assert described == expected

    default_graph = g.value(dataset, SD.defaultGraph)
    assert default_graph is not None and (default_graph, RDF.type, SD.Graph) in g
    union = g.value(default_graph, VOID.triples)
    assert union.datatype == XSD.integer
    distinct = _select(api, "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }")
    triples = {q.triple for q in ox.parse(built.nquads, format=ox.RdfFormat.N_QUADS)}
    triples = triples.union(*published.values())
    assert union.toPython() == int(distinct[0]["n"]["value"]) == len(triples) + len(W3C_GRAPHS)


def test_limits_and_truncation_header_are_described(api):
    _, g = _get_description(api)
    service = _service(g)
    timeout, max_results = g.value(service, SG.queryTimeout), g.value(service, SG.maxResults)
    # the serve command's defaults, which are Limits()'s (this fixture sets none)
    assert timeout.datatype == XSD.decimal and float(timeout.toPython()) == 10.0
    assert max_results.datatype == XSD.integer and max_results.toPython() == 100_000
    assert str(g.value(service, SG.truncationHeader)) == "X-SPARQL-Truncated"
    comment = str(g.value(service, RDFS.comment))
    assert "X-SPARQL-Truncated" in comment and "100000" in comment and "10 s" in comment


def test_result_formats_and_features_are_listed(api):
    _, g = _get_description(api)
    service = _service(g)
    assert set(g.objects(service, SD.resultFormat)) == {
        FORMATS.SPARQL_Results_JSON, FORMATS.SPARQL_Results_XML, FORMATS.SPARQL_Results_CSV,
        FORMATS.SPARQL_Results_TSV, FORMATS.Turtle, FORMATS["N-Triples"], FORMATS["JSON-LD"], FORMATS.RDF_XML}
    assert set(g.objects(service, SD.feature)) == {SD.UnionDefaultGraph}
    assert set(g.objects(service, SD.supportedLanguage)) == {SD.SPARQL11Query}  # no SPARQL11Update: read-only
    assert g.value(service, SD.defaultEntailmentRegime) == ENT.Simple


def test_each_format_describes_the_same_graph(api):
    """Turtle, JSON-LD, RDF/XML and N-Triples carry the same description (up to blank nodes)."""
    from rdflib.compare import isomorphic
    graphs = [_get_description(api, accept=media)[1] for media in RDF_TYPES]
    for other in graphs[1:]:
        assert isomorphic(graphs[0], other)


def test_description_negotiation_edges(api):
    # q-values: N-Triples preferred over Turtle
    response, _ = _get_description(api, accept="text/turtle;q=0.5, application/n-triples")
    assert response.headers["content-type"].startswith("application/n-triples")
    # an Accept nothing matches still gets the description (in Turtle): it is what GET /sparql is for
    response, g = _get_description(api, accept="image/png")
    assert response.headers["content-type"].startswith("text/turtle") and (None, RDF.type, SD.Service) in g
    # HEAD answers the same headers without a body
    head = api.client.head(api.base_url + "/sparql", timeout=30)
    assert head.status_code == 200 and head.headers["content-type"].startswith("text/turtle") and head.content == b""


def test_a_browser_gets_the_query_page(api):
    """With text/html preferred, GET /sparql answers the query page (api/html/query_page.py), and
    a client that asks for RDF still gets the description."""
    from skillsgraph.api.html import query_page
    response = api.client.get(api.base_url + "/sparql", timeout=30, headers={
        "accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "Accept" in response.headers.get("vary", "")
    for example in query_page.example_queries(api.namespace):
        assert f'data-example="{example["id"]}"' in response.text
    described = api.client.get(api.base_url + "/sparql", timeout=30, headers={"accept": "text/turtle"})
    assert described.headers["content-type"].startswith("text/turtle")
    Graph().parse(data=described.content, format="turtle")
