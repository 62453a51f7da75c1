"""Real SPARQL clients against the live endpoint, and the endpoint's behaviour at its edges.

Clients: SPARQLWrapper (JSON, XML, CSV, TSV; GET, POST form, POST direct), rdflib's
SPARQLStore (GET, POST, POST_FORM) and Comunica (Node, tests/js) with the endpoint as a
'sparql' source. Then: content negotiation, the exact results formats, errors and refusals,
CORS, the event loop staying responsive under a slow query, the time limit and truncation.

Which server each part uses, and why:
- the real clients open sockets of their own: live servers (server_fixtures.live_server);
- negotiation, results formats, errors, refusals, CORS, the API description and truncation
  are what the app answers: in-process (app_fixtures.api; truncation on an app over the same
  store with Limits(max_results=5)), once per store kind;
- the event loop under a slow query and the time limit are properties of a running server:
  the live server of each kind (on the memory store one started for this module and stopped
  at its end, so that the query it leaves running, 80 s of rdflib, dies with it instead of
  holding a core for the rest of the suite), and one started with --timeout 0.05
  --max-results 5, which also shows that the serve options reach the limits.
"""
from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import socket
import subprocess
import threading
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urljoin

import httpx
import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, XSD
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from rdflib.query import Result
from SPARQLWrapper import CSV, JSON, JSONLD, N3, POST, POSTDIRECTLY, RDFXML, TSV, TURTLE, URLENCODED, XML, SPARQLWrapper

from app_fixtures import bundled_app
from graph_support import copy_data
from server_fixtures import API_KINDS, stop_server

JS_DIR = Path(__file__).resolve().parent / "js"
SG = "https://w3id.org/skillsgraph/ontology#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROFICIENT = "https://w3id.org/skillsgraph/scale/mastery/proficient"
LABELS_QUERY = f"""PREFIX sg: <{SG}>
PREFIX skos: <{SKOS}>
SELECT ?position ?label WHERE {{
  ?statement a sg:CompetencyStatement ;
             sg:level <{PROFICIENT}> ;
             sg:position ?position ;
             skos:prefLabel ?label .
}}
ORDER BY ?position"""
ASK_TRUE = f"PREFIX sg: <{SG}> ASK {{ ?s a sg:CompetencyStatement }}"
ASK_FALSE = "ASK { <http://example.org/nothing> ?p ?o }"
CONSTRUCT_QUERY = f"""PREFIX sg: <{SG}>
PREFIX skos: <{SKOS}>
CONSTRUCT {{ ?statement skos:prefLabel ?label ; sg:position ?position }} WHERE {{
  ?statement a sg:CompetencyStatement ; sg:level <{PROFICIENT}> ; sg:position ?position ; skos:prefLabel ?label .
}}"""
# A cross join with nothing to stream: Oxigraph computes all 3400 × 3400 rows before the one
# count comes out (about 2 s here), so only a deadline in the endpoint can cut it short. The
# LIMITs keep its cost the same however the data grows.
SLOW_SIDE = 3400
SLOW_QUERY = ("SELECT (COUNT(*) AS ?n) WHERE { "
              f"{{ SELECT ?a ?c WHERE {{ ?a ?b ?c }} LIMIT {SLOW_SIDE} }} "
              f"{{ SELECT ?d ?f WHERE {{ ?d ?e ?f }} LIMIT {SLOW_SIDE} }} }}")


@pytest.fixture(scope="module")
def endpoint(live_server) -> str:
    return live_server.base_url + "/sparql"


@pytest.fixture(scope="module")
def expected_labels(built) -> list[str]:
    """The answer, computed by rdflib over the bundled data: an engine other than the server's."""
    rows = built.graph.query(LABELS_QUERY)
    labels = [(int(row.position), str(row.label)) for row in rows]
    assert len(labels) == 10 and [p for p, _ in labels] == list(range(1, 11))
    return [label for _, label in labels]


def _wrapper(url: str, query: str, fmt: str, method: str = "GET", request_method: str = URLENCODED) -> SPARQLWrapper:
    sparql = SPARQLWrapper(url)
    sparql.setQuery(query)
    sparql.setReturnFormat(fmt)
    sparql.setMethod(method)
    sparql.setRequestMethod(request_method)
    return sparql


# ---- SPARQLWrapper -----------------------------------------------------------------------

def _labels_from(fmt: str, converted) -> list[str]:
    if fmt == JSON:
        return [b["label"]["value"] for b in converted["results"]["bindings"]]
    if fmt == XML:  # a DOM document
        labels = []
        for result in converted.getElementsByTagName("result"):
            for binding in result.getElementsByTagName("binding"):
                if binding.getAttribute("name") == "label":
                    literal = binding.getElementsByTagName("literal")[0]
                    assert literal.getAttribute("xml:lang") == "en"
                    labels.append(literal.firstChild.data)
        return labels
    text = converted.decode("utf-8") if isinstance(converted, bytes) else converted
    if fmt == CSV:
        assert "\r\n" in text
        rows = list(csv.reader(io.StringIO(text)))
        assert rows[0] == ["position", "label"]
        return [label for _, label in rows[1:]]
    if fmt == TSV:
        lines = text.rstrip("\n").split("\n")
        assert lines[0] == "?position\t?label"
        labels = []
        for line in lines[1:]:
            _, label = line.split("\t")
            assert label.startswith('"') and label.endswith('"@en'), label
            labels.append(label[1:-4])
        return labels
    raise AssertionError(fmt)


@pytest.mark.parametrize("method,request_method", [("GET", URLENCODED), (POST, URLENCODED), (POST, POSTDIRECTLY)],
                         ids=["get", "post-form", "post-direct"])
@pytest.mark.parametrize("fmt", [JSON, XML, CSV, TSV])
def test_sparqlwrapper_select(endpoint, expected_labels, fmt, method, request_method):
    result = _wrapper(endpoint, LABELS_QUERY, fmt, method, request_method).query()
    assert result.response.status == 200
    assert _labels_from(fmt, result.convert()) == expected_labels


@pytest.mark.parametrize("fmt", [JSON, XML])
def test_sparqlwrapper_ask(endpoint, fmt):
    answers = []
    for query in (ASK_TRUE, ASK_FALSE):
        converted = _wrapper(endpoint, query, fmt).query().convert()
        if fmt == JSON:
            answers.append(converted["boolean"])
        else:
            answers.append(converted.getElementsByTagName("boolean")[0].firstChild.data == "true")
    assert answers == [True, False]


@pytest.mark.parametrize("fmt", [CSV, TSV])
def test_sparqlwrapper_ask_in_csv_or_tsv_is_not_acceptable(endpoint, fmt):
    """The CSV/TSV results format defines no boolean: an ASK asking only for it gets 406, with the
    types that would do."""
    with pytest.raises(HTTPError) as caught:
        _wrapper(endpoint, ASK_TRUE, fmt).query()
    assert caught.value.code == 406
    message = caught.value.read().decode()
    assert "application/sparql-results+json" in message and "application/sparql-results+xml" in message


def _expected_construct(built) -> Graph:
    g = Graph()
    for triple in built.graph.query(CONSTRUCT_QUERY):
        g.add(triple)
    assert len(g) == 20
    return g


@pytest.mark.parametrize("fmt", [RDFXML, TURTLE, JSONLD, N3, JSON, XML, CSV, TSV])
def test_sparqlwrapper_construct(endpoint, built, fmt):
    """Every return format SPARQLWrapper offers for CONSTRUCT: the RDF ones by their own Accept,
    the others by */* (SPARQLWrapper's fallback), which gets Turtle."""
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # SPARQLWrapper's notice about the */* fallback
        result = _wrapper(endpoint, CONSTRUCT_QUERY, fmt).query()
        media = result.response.headers["content-type"].split(";")[0]
        converted = result.convert()
    if isinstance(converted, Graph):
        g = converted
    else:
        g = Graph().parse(data=converted, format={"text/turtle": "turtle", "application/n-triples": "nt"}[media])
    expected_media = {RDFXML: "application/rdf+xml", XML: "application/rdf+xml", JSONLD: "application/ld+json"}
    assert media == expected_media.get(fmt, "text/turtle")
    assert isomorphic(g, _expected_construct(built))


# ---- rdflib's SPARQLStore ----------------------------------------------------------------

@pytest.mark.parametrize("method", ["GET", "POST", "POST_FORM"])
def test_rdflib_sparqlstore(endpoint, built, expected_labels, method):
    store = SPARQLStore(query_endpoint=endpoint, method=method, returnFormat="json")
    g = Graph(store=store)
    rows = list(g.query(LABELS_QUERY))
    assert [str(row.label) for row in rows] == expected_labels
    assert all(row.label.language == "en" and row.position.datatype == XSD.integer for row in rows)
    assert g.query(ASK_TRUE).askAnswer is True and g.query(ASK_FALSE).askAnswer is False
    xml_store = SPARQLStore(query_endpoint=endpoint, method=method)  # the default "xml": RDF/XML for graphs
    constructed = Graph()
    for triple in Graph(store=xml_store).query(CONSTRUCT_QUERY):
        constructed.add(triple)
    assert isomorphic(constructed, _expected_construct(built))
    # the statement count, through the store's triples() (a SELECT the store writes itself)
    statements = set(Graph(store=store).subjects(RDF.type, URIRef(SG + "CompetencyStatement")))
    assert len(statements) == len(set(built.graph.subjects(RDF.type, URIRef(SG + "CompetencyStatement"))))


# ---- Comunica (Node) -------------------------------------------------------------------

@pytest.fixture(scope="session")
def comunica() -> Path:
    """tests/js with its node_modules: installed with `npm ci` from the committed lock file if missing."""
    assert shutil.which("node") and shutil.which("npm"), "Node.js and npm are needed for the Comunica test"
    if not (JS_DIR / "node_modules" / "@comunica" / "query-sparql").is_dir():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=JS_DIR, check=True, timeout=900,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    return JS_DIR / "comunica-query.mjs"


def run_comunica(script: Path, url: str, query: str) -> dict:
    done = subprocess.run(["node", str(script), url, query], cwd=script.parent, capture_output=True, text=True,
                          timeout=120, env={**os.environ, "NODE_NO_WARNINGS": "1"})
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_comunica_gets_the_same_answer_as_sparqlwrapper(comunica, endpoint, expected_labels):
    via_comunica = run_comunica(comunica, endpoint, LABELS_QUERY)
    via_wrapper = _wrapper(endpoint, LABELS_QUERY, JSON).query().convert()
    assert via_comunica["head"]["vars"] == via_wrapper["head"]["vars"] == ["position", "label"]
    assert via_comunica["results"]["bindings"] == via_wrapper["results"]["bindings"]
    assert [b["label"]["value"] for b in via_comunica["results"]["bindings"]] == expected_labels
    assert {b["label"].get("xml:lang") for b in via_comunica["results"]["bindings"]} == {"en"}


# ---- content negotiation -------------------------------------------------------------------

SMALL_SELECT = "SELECT ?s WHERE { ?s a <http://xmlns.com/foaf/0.1/Document> } ORDER BY ?s"


# The endpoint's path: the clients of both the in-process apps and the live servers have their base URL.
SPARQL = "/sparql"


def _get(server, query: str, accept: str | None = None, **params) -> httpx.Response:
    headers = {"accept": accept} if accept is not None else {}
    return server.client.get(SPARQL, params={"query": query, **params}, headers=headers, timeout=30)


def _media(response: httpx.Response) -> str:
    return response.headers["content-type"].split(";")[0].strip()


@pytest.mark.parametrize("accept,media", [
    (None, "application/sparql-results+json"),
    ("*/*", "application/sparql-results+json"),
    ("application/json", "application/sparql-results+json"),
    ("application/sparql-results+json;q=0.5, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
    ("application/sparql-results+xml;q=0.2, application/sparql-results+json;q=0.8", "application/sparql-results+json"),
    ("text/*", "text/csv"),
    ("text/csv;q=0.1, text/tab-separated-values", "text/tab-separated-values"),
    ("image/png, application/sparql-results+xml;q=0.1", "application/sparql-results+xml"),
])
def test_select_negotiation(api, accept, media):
    response = _get(api, SMALL_SELECT, accept)
    assert response.status_code == 200 and _media(response) == media
    assert "Accept" in response.headers["vary"]
    # read back by rdflib's parser for the format
    rdflib_format = {"application/sparql-results+json": "json", "application/sparql-results+xml": "xml",
                     "text/csv": "csv", "text/tab-separated-values": "tsv"}[media]
    result = Result.parse(io.BytesIO(response.content), format=rdflib_format)
    assert [str(row.s) for row in result] == [f"http://kasei.us/2009/09/sparql/data/data{i}.rdf" for i in (1, 2, 3)]


@pytest.mark.parametrize("accept,media", [
    (None, "text/turtle"), ("*/*", "text/turtle"), ("application/n-triples", "application/n-triples"),
    ("application/ld+json", "application/ld+json"), ("application/rdf+xml", "application/rdf+xml"),
    ("text/turtle;q=0.3, application/rdf+xml;q=0.6, application/ld+json;q=0.5", "application/rdf+xml"),
])
def test_construct_in_each_graph_format_reparses(api, built, accept, media):
    response = _get(api, CONSTRUCT_QUERY, accept)
    assert response.status_code == 200 and _media(response) == media
    rdflib_format = {"text/turtle": "turtle", "application/n-triples": "nt", "application/ld+json": "json-ld",
                     "application/rdf+xml": "xml"}[media]
    assert isomorphic(Graph().parse(data=response.content, format=rdflib_format), _expected_construct(built))


def test_nothing_acceptable_is_406_with_the_available_types(api):
    response = _get(api, SMALL_SELECT, "image/png")
    assert response.status_code == 406 and _media(response) == "text/plain"
    assert "image/png" in response.text and "application/sparql-results+json" in response.text and "text/csv" in response.text
    # a graph result asked for as SPARQL results: 406 naming the graph formats
    response = _get(api, CONSTRUCT_QUERY, "application/sparql-results+json")
    assert response.status_code == 406 and "text/turtle" in response.text and "application/ld+json" in response.text
    # a zero q-value excludes
    response = _get(api, SMALL_SELECT, "application/sparql-results+json;q=0, image/png")
    assert response.status_code == 406


# ---- the results formats, exactly -------------------------------------------------------------

TERMS_QUERY = r"""SELECT ?iri ?bnode ?lang ?integer ?decimal ?custom ?plain ?tricky ?unbound ?tab WHERE {
  BIND(<http://example.org/x?a=1&b=2> AS ?iri)
  BIND(BNODE("n") AS ?bnode)
  BIND("chat"@fr AS ?lang)
  BIND(42 AS ?integer)
  BIND(2.5 AS ?decimal)
  BIND("v"^^<http://example.org/dt> AS ?custom)
  BIND("plain" AS ?plain)
  BIND("a,b \"q\"\nline2" AS ?tricky)
  BIND("tab\there" AS ?tab)
}"""
# The store kinds whose engine has no RDF 1.2 terms.
SPARQL_11_ONLY = ("memory", "virtuoso")
TERM_VARS = ["iri", "bnode", "lang", "integer", "decimal", "custom", "plain", "tricky", "unbound", "tab"]


def test_json_results_exactly(api):
    document = _get(api, TERMS_QUERY, "application/sparql-results+json").json()
    assert document["head"] == {"vars": TERM_VARS}
    [row] = document["results"]["bindings"]
    assert row.pop("bnode")["type"] == "bnode"
    assert row == {
        "iri": {"type": "uri", "value": "http://example.org/x?a=1&b=2"},
        "lang": {"type": "literal", "value": "chat", "xml:lang": "fr"},
        "integer": {"type": "literal", "value": "42", "datatype": str(XSD.integer)},
        "decimal": {"type": "literal", "value": "2.5", "datatype": str(XSD.decimal)},
        "custom": {"type": "literal", "value": "v", "datatype": "http://example.org/dt"},
        "plain": {"type": "literal", "value": "plain"},
        "tricky": {"type": "literal", "value": 'a,b "q"\nline2'},
        "tab": {"type": "literal", "value": "tab\there"},
    }
    assert _get(api, "ASK {}", "application/sparql-results+json").json() == {"head": {}, "boolean": True}


def test_xml_results_exactly(api):
    ns = "{http://www.w3.org/2005/sparql-results#}"
    root = ET.fromstring(_get(api, TERMS_QUERY, "application/sparql-results+xml").content)
    assert [v.get("name") for v in root.find(ns + "head")] == TERM_VARS
    [result] = root.find(ns + "results")
    bindings = {b.get("name"): b[0] for b in result}
    assert "unbound" not in bindings
    assert bindings["iri"].tag == ns + "uri" and bindings["iri"].text == "http://example.org/x?a=1&b=2"
    assert bindings["bnode"].tag == ns + "bnode" and bindings["bnode"].text
    assert bindings["lang"].get("{http://www.w3.org/XML/1998/namespace}lang") == "fr"
    assert bindings["integer"].get("datatype") == str(XSD.integer) and bindings["integer"].text == "42"
    assert bindings["plain"].attrib == {} and bindings["plain"].text == "plain"
    assert bindings["tricky"].text == 'a,b "q"\nline2' and bindings["tab"].text == "tab\there"
    ask = ET.fromstring(_get(api, "ASK { ?s ?p <http://nowhere.example/> }", "application/sparql-results+xml").content)
    assert ask.find(ns + "boolean").text == "false" and ask.find(ns + "results") is None


def test_csv_results_exactly(api):
    """RFC 4180: CRLF line ends, quoted fields where a comma, quote or line break occurs, plain
    strings (no language tags or datatypes), _:label for blank nodes, empty for unbound."""
    response = _get(api, TERMS_QUERY, "text/csv")
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8")
    header, row, end = text.split("\r\n")
    assert header == ",".join(TERM_VARS) and end == ""
    cells = next(csv.reader(io.StringIO(row + "\r\n")))
    bnode = cells[1]
    assert bnode.startswith("_:") and len(bnode) > 2
    assert row == ",".join(["http://example.org/x?a=1&b=2", bnode, "chat", "42", "2.5", "v", "plain",
                            '"a,b ""q""\nline2"', "", "tab\there"])


def test_tsv_results_exactly(api):
    """TSV: ?variables in the header, terms in Turtle/N-Triples syntax, tabs and newlines escaped."""
    response = _get(api, TERMS_QUERY, "text/tab-separated-values")
    text = response.content.decode("utf-8")
    header, row, end = text.split("\n")
    assert header == "\t".join("?" + v for v in TERM_VARS) and end == ""
    cells = row.split("\t")
    assert cells[1].startswith("_:")
    assert cells == ["<http://example.org/x?a=1&b=2>", cells[1], '"chat"@fr', "42", "2.5",
                     '"v"^^<http://example.org/dt>', '"plain"', r'"a,b \"q\"\nline2"', "", r'"tab\there"']
    # Oxigraph's own TSV parser reads it back to the same terms
    [solution] = list(ox.parse_query_results(response.content, format=ox.QueryResultsFormat.TSV))
    assert solution["tricky"] == ox.Literal('a,b "q"\nline2') and solution["tab"] == ox.Literal("tab\there")
    assert solution["decimal"] == ox.Literal("2.5", datatype=ox.NamedNode(str(XSD.decimal)))
    assert solution["unbound"] is None


@pytest.mark.parametrize("accept,fmt", [
    ("application/sparql-results+json", ox.QueryResultsFormat.JSON),
    ("application/sparql-results+xml", ox.QueryResultsFormat.XML),
    ("text/tab-separated-values", ox.QueryResultsFormat.TSV)])
def test_triple_terms_and_directional_literals(api, accept, fmt):
    """RDF 1.2 terms, written as the SPARQL 1.2 drafts (and Oxigraph's parser) expect. rdflib,
    behind the memory store, and Virtuoso 7 speak SPARQL 1.1 only: there the query is a clear
    syntax error."""
    query = 'SELECT ?t ?d WHERE { BIND(<<( <http://e/s> <http://e/p> "o"@en )>> AS ?t) BIND("x"@ar--rtl AS ?d) }'
    response = _get(api, query, accept)
    if api.store in SPARQL_11_ONLY:
        _plain_error(response, 400, "SPARQL syntax error")
        return
    assert response.status_code == 200, response.text
    [solution] = list(ox.parse_query_results(response.content, format=fmt))
    assert solution["t"] == ox.Triple(ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p"), ox.Literal("o", language="en"))
    assert solution["d"] == ox.Literal("x", language="ar", direction=ox.BaseDirection.RTL)


def test_triple_terms_cannot_be_rdfxml_or_jsonld(api):
    query = "CONSTRUCT { <http://e/a> <http://e/says> <<( <http://e/s> <http://e/p> <http://e/o> )>> } WHERE {}"
    if api.store in SPARQL_11_ONLY:  # as above
        _plain_error(_get(api, query, "text/turtle"), 400, "SPARQL syntax error")
        return
    assert _get(api, query, "application/rdf+xml").status_code == 406
    response = _get(api, query, "application/rdf+xml, text/turtle;q=0.5")
    assert response.status_code == 406 and "triple terms" in response.text
    turtle = _get(api, query, "text/turtle")
    assert turtle.status_code == 200 and "<<(" in turtle.text


# ---- the dataset and the base IRI ------------------------------------------------------------

def test_dataset_parameters_in_the_form_body(api):
    """For a form POST, default-graph-uri / named-graph-uri may come in the body as well as the URL."""
    query = "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s"
    body = {"query": query, "default-graph-uri": ["http://kasei.us/2009/09/sparql/data/data1.rdf",
                                                  "http://kasei.us/2009/09/sparql/data/data3.rdf"]}
    response = api.client.post(SPARQL, data=body, timeout=30)
    assert response.status_code == 200
    assert [b["s"]["value"] for b in response.json()["results"]["bindings"]] == [
        "http://kasei.us/2009/09/sparql/data/data1.rdf", "http://kasei.us/2009/09/sparql/data/data3.rdf"]
    mixed = api.client.post(SPARQL + "?named-graph-uri=http%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2Fdata2.rdf",
                       data={"query": "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"}, timeout=30)
    assert [b["g"]["value"] for b in mixed.json()["results"]["bindings"]] == ["http://kasei.us/2009/09/sparql/data/data2.rdf"]


def test_relative_iris_resolve_against_the_endpoint(api):
    response = api.client.post(SPARQL, content="CONSTRUCT { <s> <p> 1 } WHERE {}", timeout=30,
                          headers={"content-type": "application/sparql-query", "accept": "application/n-triples"})
    assert response.status_code == 200
    [triple] = list(ox.parse(response.content, format=ox.RdfFormat.N_TRIPLES))
    assert triple.subject == ox.NamedNode(urljoin(api.base_url + SPARQL, "s"))


# ---- errors and refusals ---------------------------------------------------------------------

def _plain_error(response: httpx.Response, status: int, *fragments: str) -> None:
    assert response.status_code == status, (response.status_code, response.text)
    assert _media(response) == "text/plain"
    assert response.text.startswith(f"{status} ")
    for fragment in fragments:
        assert fragment in response.text, (fragment, response.text)


def test_syntax_error_says_where(api):
    """400 with the parser's position as line and column, and the line itself with a caret under it."""
    response = _get(api, "SELECT * WHERE {\n  ?s ?p ?o .\n  FILTER(?o = ) }")
    _plain_error(response, 400, "SPARQL syntax error at line 3, column ", "\n    FILTER(?o = ) }\n")
    assert re.search(r"\n  \s*\^$", response.text.rstrip("\n"))
    response = api.client.post(SPARQL, data={"query": "ASK {"}, timeout=30)
    _plain_error(response, 400, "SPARQL syntax error at line 1, column 6: expected")
    assert response.text.endswith("\n  ASK {\n       ^\n")


def test_wrong_or_missing_media_type_on_post(api):
    _plain_error(api.client.post(SPARQL, content="ASK {}", headers={"content-type": "text/plain"}, timeout=30), 415,
                 "text/plain", "application/sparql-query", "application/x-www-form-urlencoded")
    _plain_error(api.client.post(SPARQL, content=b"ASK {}", timeout=30), 415, "Content-Type")
    _plain_error(api.client.post(SPARQL, content=b"--x\r\n", headers={"content-type": "multipart/form-data; boundary=x"},
                            timeout=30), 415, "multipart/form-data")


def test_malformed_requests(api):
    # two queries
    _plain_error(api.client.get(SPARQL + "?query=ASK%7B%7D&query=ASK%7B%7D", timeout=30), 400, "2 'query' parameters")
    # the query both in the URL and as the body
    _plain_error(api.client.post(SPARQL + "?query=ASK%7B%7D", content="ASK {}", timeout=30,
                            headers={"content-type": "application/sparql-query"}), 400, "twice")
    # bodies and parameters that are not UTF-8
    _plain_error(api.client.post(SPARQL, content="ASK { ?s ?p \"caf\u00e9\" }".encode("latin-1"), timeout=30,
                            headers={"content-type": "application/sparql-query"}), 400, "not valid UTF-8", "offset 16 (0xe9)")
    _plain_error(api.client.post(SPARQL, content=b"query=ASK%20%7B%20%3Fs%20%3Fp%20%22caf%E9%22%20%7D", timeout=30,
                            headers={"content-type": "application/x-www-form-urlencoded"}), 400, "not UTF-8")
    _plain_error(api.client.get(SPARQL + "?query=ASK%20%7B%22%E9%22%7D", timeout=30), 400, "UTF-8")
    # a form without a query, an empty query, a graph that is not an IRI
    _plain_error(api.client.post(SPARQL, data={"default-graph-uri": "http://example.org/g"}, timeout=30), 400,
                 "no 'query' parameter")
    _plain_error(_get(api, "   "), 400, "empty")
    _plain_error(_get(api, "ASK {}", **{"default-graph-uri": "not an iri"}), 400, "default-graph-uri", "not an absolute IRI")


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_other_methods_are_405(api, method):
    response = api.client.request(method, SPARQL + "?query=ASK%7B%7D", content=b"ASK {}", timeout=30)
    _plain_error(response, 405, method)
    assert "POST" in response.headers["allow"] and "PUT" not in response.headers["allow"]


READ_ONLY = "read-only: SPARQL Update, LOAD ... are not accepted"


@pytest.mark.parametrize("how", ["form", "url", "direct", "sparql-update", "query-param"])
@pytest.mark.parametrize("update", [
    "INSERT DATA { <http://example.org/s> <http://example.org/p> 1 }",
    "LOAD <http://127.0.0.1:9/data.ttl>",
    "PREFIX ex: <http://example.org/> # a comment mentioning SELECT\nDELETE WHERE { ?s ?p ?o }",
    "CLEAR ALL",
], ids=["insert-data", "load", "delete-where", "clear-all"])
def test_updates_are_refused(api, how, update):
    if how == "form":
        response = api.client.post(SPARQL, data={"update": update}, timeout=30)
    elif how == "url":
        response = api.client.get(SPARQL, params={"update": update}, timeout=30)
    elif how == "sparql-update":
        response = api.client.post(SPARQL, content=update, headers={"content-type": "application/sparql-update"}, timeout=30)
    elif how == "direct":
        response = api.client.post(SPARQL, content=update, headers={"content-type": "application/sparql-query"}, timeout=30)
    else:
        response = api.client.post(SPARQL, data={"query": update}, timeout=30)
    _plain_error(response, 403, READ_ONLY)
    still_there = _get(api, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").json()
    assert int(still_there["results"]["bindings"][0]["n"]["value"]) > 3000


def test_service_is_refused_before_anything_runs(api):
    """SERVICE is refused without the server ever calling out: a listener on a local port
    named by the query receives no connection."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(0.5)
    port = listener.getsockname()[1]
    try:
        for query in (f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
                      f"ASK {{ service silent <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"):
            _plain_error(_get(api, query), 403, "SERVICE")
            _plain_error(api.client.post(SPARQL, data={"query": query}, timeout=30), 403, "SERVICE")
        with pytest.raises(socket.timeout):
            listener.accept()
    finally:
        listener.close()
    # the word in a string, a variable or an IRI is not the keyword
    ok = _get(api, 'SELECT ?service WHERE { BIND("SERVICE <http://x/>" AS ?service) }')
    assert ok.status_code == 200 and ok.json()["results"]["bindings"][0]["service"]["value"] == "SERVICE <http://x/>"


# ---- CORS and the API description --------------------------------------------------------

def test_cors_preflight_and_cross_origin_post(api):
    origin = "http://client.example"
    preflight = api.client.options(SPARQL, timeout=30, headers={
        "Origin": origin, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"})
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] in ("*", origin)
    assert "POST" in preflight.headers["access-control-allow-methods"]
    assert "content-type" in preflight.headers["access-control-allow-headers"].lower()
    response = api.client.post(SPARQL, content="ASK {}", timeout=30,
                          headers={"Origin": origin, "content-type": "application/sparql-query"})
    assert response.status_code == 200 and response.json()["boolean"] is True
    assert response.headers["access-control-allow-origin"] in ("*", origin)
    assert "X-SPARQL-Truncated" in response.headers["access-control-expose-headers"]
    # a plain OPTIONS (no preflight) lists the methods
    options = api.client.options(SPARQL, timeout=30)
    assert options.status_code == 204 and "POST" in options.headers["allow"]


def test_openapi_documents_the_endpoint(api):
    spec = api.client.get("/openapi.json", timeout=30).json()
    operations = spec["paths"]["/sparql"]
    assert set(operations) == {"get", "post"}
    assert "Service Description" in operations["get"]["description"] and operations["get"]["summary"]
    assert {p["name"] for p in operations["get"]["parameters"]} == {"query", "default-graph-uri", "named-graph-uri"}
    assert set(operations["post"]["requestBody"]["content"]) == {"application/sparql-query",
                                                                 "application/x-www-form-urlencoded"}
    assert "text/csv" in operations["get"]["responses"]["200"]["content"]
    assert "/sparql/" not in spec["paths"]


# ---- the event loop, the time limit, truncation ---------------------------------------------

@pytest.fixture(scope="module", params=API_KINDS)
def deadline_server(request, live_servers):
    """The live server of each kind; on the memory store, one for this module's slow queries
    only, stopped at its end: rdflib computes the slow query for 80 s more after its 503, and
    that ends with the process (a copy of the session's build: it does not build). rdflib
    answers the slow query past any limit, so that server's is 3 s rather than the default 10 s:
    each test waits for it."""
    if request.param != "memory":
        yield live_servers.of_kind(request.param)
        return
    server = live_servers.start(live_servers.new_home("deadline-home-memory"), "memory", ["--timeout", "3"])
    yield server
    stop_server(server)


@pytest.fixture(scope="module")
def limited_server(live_servers):
    """A live server started with a 0.05 s time limit and at most 5 results (a copy of the build),
    over the bundled frameworks without the bundled published files: its description counts the
    triples it serves within the limit, and the half million of the published graphs take longer."""
    home = live_servers.new_home("limited-home")
    data = copy_data(home)
    shutil.rmtree(data / "published")
    server = live_servers.start(home, "oxigraph", ["--data", str(data), "--timeout", "0.05", "--max-results", "5"])
    yield server
    stop_server(server)


def test_a_slow_query_does_not_block_the_server(deadline_server):
    """While a query that takes seconds runs, /health and a quick query are answered: both
    complete before the slow one (the order of completion, not a timer, is what is asserted)."""
    completed: list[str] = []
    slow_response: list[httpx.Response] = []

    def slow() -> None:
        slow_response.append(httpx.get(deadline_server.base_url + SPARQL, params={"query": SLOW_QUERY}, timeout=120))
        completed.append("slow")

    thread = threading.Thread(target=slow)
    thread.start()
    time.sleep(0.4)  # the slow query is now being evaluated on the server
    assert httpx.get(deadline_server.base_url + "/health", timeout=60).status_code == 200
    completed.append("health")
    assert _get(deadline_server, "ASK {}").json()["boolean"] is True
    completed.append("quick query")
    thread.join(timeout=120)
    assert completed == ["health", "quick query", "slow"]
    [response] = slow_response
    if deadline_server.store == "oxigraph":
        total = int(_get(deadline_server, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").json()["results"]["bindings"][0]["n"]["value"])
        assert response.status_code == 200
        assert int(response.json()["results"]["bindings"][0]["n"]["value"]) == min(total, SLOW_SIDE) ** 2
    else:  # a slower engine may run past its limit: then a 503, still after the others
        assert response.status_code in (200, 503)


def test_a_query_past_the_time_limit_is_503_at_the_deadline(limited_server, deadline_server):
    """The slow query on the 0.05 s server answers 503 before the same query completes on the
    10 s server (on the memory store's, 503 at its 3 s limit): the endpoint's deadline cut it
    short, it did not wait for the count."""
    completed: list[tuple[str, httpx.Response]] = []

    def run(name: str, url: str) -> None:
        response = httpx.get(url, params={"query": SLOW_QUERY}, timeout=120)
        completed.append((name, response))

    threads = [threading.Thread(target=run, args=("unlimited", deadline_server.base_url + SPARQL)),
               threading.Thread(target=run, args=("limited", limited_server.base_url + SPARQL))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert [name for name, _ in completed] == ["limited", "unlimited"]
    _plain_error(dict(completed)["limited"], 503, "time limit of 0.05 s")
    # the server is fine afterwards, and its description states the limit
    assert _get(limited_server, "ASK {}").json() == {"head": {}, "boolean": True}
    sd = Graph().parse(data=limited_server.client.get(SPARQL, timeout=30).content, format="turtle")
    timeouts = list(sd.objects(None, URIRef(SG + "queryTimeout")))
    assert [float(t) for t in timeouts] == [0.05]


def test_the_serve_options_set_the_limits(limited_server):
    """--timeout and --max-results of `skillsgraph serve` reach the endpoint: the description
    states both, and a result longer than 5 is cut to 5 and flagged."""
    sd = Graph().parse(data=limited_server.client.get(SPARQL, timeout=30).content, format="turtle")
    assert [float(t) for t in sd.objects(None, URIRef(SG + "queryTimeout"))] == [0.05]
    assert [int(n) for n in sd.objects(None, URIRef(SG + "maxResults"))] == [5]
    response = _get(limited_server, "SELECT ?s WHERE { ?s ?p ?o } LIMIT 6")
    assert response.status_code == 200 and response.headers["x-sparql-truncated"] == "true"
    assert len(response.json()["results"]["bindings"]) == 5


@pytest.fixture(scope="module")
def truncating(api, apps, bundled_home):
    """An app returning at most 5 results, over the same store as `api`. Its time limit is a
    minute: the whole-store queries below are answered in full by the external server behind a
    `sparql` store before they are cut (the half million triples of the bundled crosswalks and
    classifications take 11 s on two busy cores, past the default 10 s)."""
    from skillsgraph.store.base import Limits
    return bundled_app(apps, api.store, bundled_home, Limits(max_results=5, timeout_seconds=60))


def test_truncated_results_are_flagged(truncating):
    response = _get(truncating, "SELECT ?s ?p ?o WHERE { ?s ?p ?o }")
    assert response.status_code == 200 and response.headers["x-sparql-truncated"] == "true"
    assert len(response.json()["results"]["bindings"]) == 5
    for accept in ("text/csv", "application/sparql-results+xml"):
        flagged = _get(truncating, "SELECT ?s ?p ?o WHERE { ?s ?p ?o }", accept)
        assert flagged.headers["x-sparql-truncated"] == "true"
    graph = _get(truncating, "CONSTRUCT WHERE { ?s ?p ?o }", "application/n-triples")
    assert graph.headers["x-sparql-truncated"] == "true"
    assert len(list(ox.parse(graph.content, format=ox.RdfFormat.N_TRIPLES))) == 5
    # exactly at the limit, or below it: complete, no flag
    for query in ("SELECT ?s WHERE { ?s ?p ?o } LIMIT 5", SMALL_SELECT):
        complete = _get(truncating, query)
        assert complete.status_code == 200 and "x-sparql-truncated" not in complete.headers
    sd = Graph().parse(data=truncating.client.get(SPARQL, timeout=30).content, format="turtle")
    assert [int(n) for n in sd.objects(None, URIRef(SG + "maxResults"))] == [5]
