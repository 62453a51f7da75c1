"""The W3C SPARQL 1.1 Protocol test suite, run against the live endpoint.

Every entry of ../shared/w3c/sparql11-protocol/manifest.ttl becomes one test: its requests
are sent as written (the '/sparql/' prefix of ht:absolutePath replaced by the server's
/sparql/, headers and body as given, the body encoded in its cnt:characterEncoding), and
each response is checked against mf:expectedStatus, mf:expectedFormat and mf:expectedBoolean.

The endpoint is read-only, so the update_* tests are expected to be *refused*: their update
requests must answer 4xx with the read-only message, and the ASK that follows each one must
then find that nothing was written (false where the manifest, for an updatable store,
expects true).

Live servers (server_fixtures.live_server, once per store kind): the protocol is HTTP itself
(methods, raw bodies in other encodings, headers as sent), so it is tested over a real socket.
"""
from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest
from rdflib import Graph, Namespace
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS
from rdflib.query import Result

from server_fixtures import W3C_GRAPHS, W3C_PROTOCOL

MANIFEST = W3C_PROTOCOL / "manifest.ttl"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")

STATUS_CLASSES = {HTS.StatusCode2xx: range(200, 300), HTS.StatusCode3xx: range(300, 400),
                  HTS.StatusCode4xx: range(400, 500), HTS.StatusCode5xx: range(500, 600)}
RESULT_FORMATS = {"application/sparql-results+json": "json", "application/sparql-results+xml": "xml",
                  "text/csv": "csv", "text/tab-separated-values": "tsv"}
BOOLEAN_TYPES = {"application/sparql-results+json", "application/sparql-results+xml"}
RDF_FORMATS = {"text/turtle": "turtle", "application/n-triples": "nt", "application/ld+json": "json-ld",
               "application/rdf+xml": "xml"}
READ_ONLY = "read-only"


@dataclass
class Expected:
    statuses: list[range]
    format: str | None
    boolean: bool | None


@dataclass
class ProtocolRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    expected: Expected

    @property
    def is_update(self) -> bool:
        """An update operation (which this endpoint refuses), by media type or parameter."""
        media = self.headers.get("content-type", "").split(";")[0].strip().lower()
        params = [k for k, _ in parse_qsl(urlsplit(self.path).query)]
        if media == "application/x-www-form-urlencoded" and self.body:
            params += [k for k, _ in parse_qsl(self.body.decode("utf-8", "replace"))]
        return media == "application/sparql-update" or "update" in params


@dataclass
class ProtocolTest:
    id: str
    name: str
    requests: list[ProtocolRequest]
    graph_data: list[str] = field(default_factory=list)


def _list(g: Graph, head) -> list:
    return list(Collection(g, head)) if head is not None else []


def load_manifest() -> list[ProtocolTest]:
    g = Graph()
    g.parse(MANIFEST, format="turtle")
    manifest = next(g.subjects(RDF.type, MF.Manifest))
    tests = []
    for entry in _list(g, g.value(manifest, MF.entries)):
        action = g.value(entry, MF.action)
        requests = []
        for req in _list(g, g.value(action, HT.requests)):
            headers = {str(g.value(h, HT.fieldName)).lower(): str(g.value(h, HT.fieldValue))
                       for h in _list(g, g.value(req, HT.headers))}
            body_node = g.value(req, HT.body)
            body = None
            if body_node is not None:
                encoding = str(g.value(body_node, CNT.characterEncoding) or "UTF-8")
                body = str(g.value(body_node, CNT.chars)).encode(encoding)
            resp = g.value(req, HT.resp)
            boolean = g.value(resp, MF.expectedBoolean)
            fmt = g.value(resp, MF.expectedFormat)
            expected = Expected([STATUS_CLASSES[s] for s in g.objects(resp, MF.expectedStatus)],
                                str(fmt) if fmt is not None else None,
                                boolean.toPython() if boolean is not None else None)
            requests.append(ProtocolRequest(str(g.value(req, HT.methodName)), str(g.value(req, HT.absolutePath)),
                                            headers, body, expected))
        graph_data = [str(g.value(d, RDFS.label)) for d in g.objects(entry, UT.graphData)]
        local = str(entry).rsplit("#", 1)[-1]
        tests.append(ProtocolTest(local, str(g.value(entry, MF.name)), requests, graph_data))
    return tests


TESTS = load_manifest()


def test_the_manifest_was_read_whole():
    """34 entries with their requests: a runner that silently lost entries would pass vacuously."""
    assert len(TESTS) == 34
    assert len({t.id for t in TESTS}) == len(TESTS)
    assert all(t.requests and all(r.expected.statuses for r in t.requests) for t in TESTS)
    non_utf8 = next(t for t in TESTS if t.id == "bad_query_non_utf8").requests[0]
    assert non_utf8.body == "ASK {}".encode("utf-16") and non_utf8.body[:2] in (b"\xff\xfe", b"\xfe\xff")


def _media(response: httpx.Response) -> str:
    return response.headers.get("content-type", "").split(";")[0].strip().lower()


def _accepts(accept: str, media: str) -> bool:
    for part in accept.split(","):
        fields = [f.strip().lower() for f in part.split(";")]
        if any(f.replace(" ", "") in ("q=0", "q=0.0", "q=0.00", "q=0.000") for f in fields[1:]):
            continue
        main, _, sub = fields[0].partition("/")
        m_main, _, m_sub = media.partition("/")
        if main in ("*", m_main) and sub in ("*", m_sub):
            return True
    return False


def _parse_boolean(response: httpx.Response) -> bool:
    media = _media(response)
    if media == "application/sparql-results+json":
        document = json.loads(response.content)
        assert set(document) == {"head", "boolean"}, document
        assert isinstance(document["boolean"], bool)
        return document["boolean"]
    root = ET.fromstring(response.content)
    assert root.tag == "{http://www.w3.org/2005/sparql-results#}sparql"
    element = root.find("{http://www.w3.org/2005/sparql-results#}boolean")
    assert element is not None and element.text in ("true", "false"), response.text
    return element.text == "true"


def check_response(request: ProtocolRequest, response: httpx.Response, test: ProtocolTest) -> None:
    expected = request.expected
    where = f"{test.id}: {request.method} {request.path} -> {response.status_code} {response.text[:300]!r}"
    assert response.status_code != 500, where
    assert any(response.status_code in r for r in expected.statuses), where
    if response.status_code >= 400:
        assert _media(response) == "text/plain" and response.text.strip(), where
    if "accept" in request.headers and response.status_code < 300:
        assert _accepts(request.headers["accept"], _media(response)), where
    if expected.format == "boolean":
        assert _media(response) in BOOLEAN_TYPES, where
        value = _parse_boolean(response)
        if expected.boolean is not None:
            assert value is expected.boolean, where
    elif expected.format == "tabular":
        assert _media(response) in RESULT_FORMATS, where
        result = Result.parse(io.BytesIO(response.content), format=RESULT_FORMATS[_media(response)])
        assert result.type == "SELECT" and result.vars, where
    elif expected.format == "RDF":
        assert _media(response) in RDF_FORMATS, where
        Graph().parse(data=response.content, format=RDF_FORMATS[_media(response)],
                      publicID=str(response.request.url))


def send(client: httpx.Client, request: ProtocolRequest) -> httpx.Response:
    assert request.path.startswith("/sparql/"), request.path
    return client.request(request.method, request.path, headers=request.headers, content=request.body)


@pytest.mark.parametrize("test", TESTS, ids=[t.id for t in TESTS])
def test_w3c_protocol(live_server, test: ProtocolTest):
    # The query_dataset_* tests name graphs the fixture must have loaded.
    assert set(test.graph_data) <= set(W3C_GRAPHS.values()), test.graph_data
    with httpx.Client(base_url=live_server.base_url, timeout=30) as client:
        if not test.id.startswith("update_"):
            for request in test.requests:
                check_response(request, send(client, request), test)
            return
        # An update the manifest expects to succeed: here it must be refused, and leave no trace.
        update, *follow_ups = test.requests
        assert update.is_update
        response = send(client, update)
        assert 400 <= response.status_code < 500, f"{test.id}: update answered {response.status_code} {response.text!r}"
        assert _media(response) == "text/plain" and READ_ONLY in response.text, response.text
        for request in follow_ups:
            assert not request.is_update and request.expected.format == "boolean"
            response = send(client, request)
            assert response.status_code == 200, response.text
            assert _parse_boolean(response) is False, f"{test.id}: the refused update left data behind"


def test_update_requests_of_the_manifest_are_all_refused(live_server):
    """Every update request in the manifest (bad_update_* included) answers 4xx, and the data
    the dataset tests rely on is still there afterwards (CLEAR ALL / DROP ALL did nothing)."""
    updates = [(t, r) for t in TESTS for r in t.requests if r.is_update]
    assert len(updates) >= 12
    with httpx.Client(base_url=live_server.base_url, timeout=30) as client:
        for test, request in updates:
            response = send(client, request)
            assert 400 <= response.status_code < 500, f"{test.id}: {response.status_code} {response.text!r}"
        for graph in W3C_GRAPHS.values():
            ask = f"ASK {{ GRAPH <{graph}> {{ <{graph}> a <http://xmlns.com/foaf/0.1/Document> }} }}"
            response = client.get("/sparql/", params={"query": ask})
            assert response.status_code == 200 and response.json()["boolean"] is True, graph
