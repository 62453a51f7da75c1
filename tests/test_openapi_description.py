"""The OpenAPI description says what the server does (issue 11): media types, status codes and
parameter rules as served, tried by Schemathesis.

In-process (app_fixtures), on one store kind (the first of SKILLSGRAPH_TEST_STORES): the
description is the app's, whatever its store, and Schemathesis's requests go through the same
client as every API test. A bounded run: a fixed number of examples per operation, derandomized,
so that every run sends the same requests. (The live server's run, with the process under
test, is test_hostile_requests.py's.)
"""
from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance, negative_data_rejection, not_a_server_error, response_headers_conformance,
    response_schema_conformance, status_code_conformance,
)
from schemathesis.generation import GenerationMode

from app_fixtures import bundled_app, first_store_kind

# Valid requests (each answer must be documented: status, media type, body schema, headers)
# and invalid ones (each must also be refused with a 4xx: a rule documented is a rule kept).
EXAMPLES = {GenerationMode.POSITIVE: 5, GenerationMode.NEGATIVE: 4}
CONFORMANCE = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
               response_headers_conformance]
RDF = {"application/ld+json", "text/turtle", "application/n-triples", "application/rdf+xml"}


@pytest.fixture(scope="module")
def api(apps, bundled_home):
    return bundled_app(apps, first_store_kind(), bundled_home)


@pytest.fixture(scope="module")
def description(api) -> dict:
    response = api.client.get("/openapi.json")
    assert response.status_code == 200
    return response.json()


def operations(description: dict):
    for path, methods in description["paths"].items():
        for method, operation in methods.items():
            yield f"{method.upper()} {path}", operation


def test_no_operation_documents_fastapi_defaults_the_server_never_sends(description):
    """No 422 (bad parameters are 400s with a message), no JSON validation-error bodies, no
    200 claimed as application/json where the route answers in other types, no null parameter."""
    assert "HTTPValidationError" not in str(description)
    for label, operation in operations(description):
        responses = operation["responses"]
        assert "422" not in responses, label
        for parameter in operation.get("parameters", []):
            assert "anyOf" not in parameter["schema"], (label, parameter)
        served = set(responses["200"].get("content", {}))
        assert served, f"{label}: no media type documented for its 200"
        if "application/json" in served:
            assert label.startswith(("GET /search/suggest", "GET /ims/case/", "GET /context.jsonld", "GET /{path}")), label


@pytest.mark.parametrize("label, media", [
    ("GET /ontology", RDF | {"text/html"}),
    ("GET /dataset", RDF | {"text/html"}),
    ("GET /occupations", RDF),
    ("GET /search", RDF | {"text/html"}),
    ("GET /crosswalk", {"application/ld+json", "text/csv", "text/html"}),
    ("GET /trace/{statement}", {"application/ld+json", "text/html"}),
    ("GET /sitemap.xml", {"application/xml"}),
    ("GET /dump/{name}", {"application/n-triples", "application/n-quads", "text/turtle", "application/ld+json",
                          "application/gzip"}),
    ("GET /{path}", RDF | {"text/html", "text/csv", "application/json"}),
    ("GET /sparql", RDF | {"text/html", "application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                           "text/tab-separated-values"}),
])
def test_each_route_documents_the_media_types_it_serves(description, label, media):
    found = dict(operations(description))[label]
    assert set(found["responses"]["200"]["content"]) == media


@pytest.mark.parametrize("label, status", [
    ("GET /trace/{statement}", {"200", "304", "400", "404", "406", "429", "503"}),
    ("GET /crosswalk", {"200", "304", "400", "404", "406"}),
    ("GET /occupations", {"200", "304", "400", "404", "406"}),
    ("GET /sitemap-{number}.xml", {"200", "304", "404"}),
    ("GET /describe", {"200", "303", "304", "400", "404", "406"}),
])
def test_each_route_documents_the_status_codes_it_sends(description, label, status):
    assert set(dict(operations(description))[label]["responses"]) == status


def test_parameters_document_the_rules_their_routes_check(description):
    ops = dict(operations(description))
    search = {p["name"]: p["schema"] for p in ops["GET /search"]["parameters"]}
    assert search["q"]["minLength"] == 2 and search["kind"]["enum"] == ["occupation", "programme", "skill", "statement"]
    crosswalk = {p["name"]: p["schema"] for p in ops["GET /crosswalk"]["parameters"]}
    assert "soc2018" in crosswalk["to"]["enum"] and crosswalk["from"]["pattern"]
    describe = {p["name"]: p["schema"] for p in ops["GET /describe"]["parameters"]}
    assert describe["iri"]["minLength"] == 1, "an empty iri= is refused"
    query = next(p for p in ops["GET /sparql"]["parameters"] if p["name"] == "query")
    assert query["schema"]["minLength"] == 1, "an empty query= is refused"
    trace = ops["GET /trace/{statement}"]["parameters"][0]["schema"]
    assert trace["pattern"].startswith("^framework/")
    formats = next(p for p in ops["GET /ontology"]["parameters"] if p["name"] == "format")["schema"]["enum"]
    assert {"jsonld", "ttl", "nt", "rdf", "html"} <= set(formats)


def _run(api, operation, mode: GenerationMode) -> None:
    checks = CONFORMANCE + ([negative_data_rejection] if mode == GenerationMode.NEGATIVE else [])

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES[mode], deadline=None, suppress_health_check=list(HealthCheck), derandomize=True,
              database=None)
    def check(case) -> None:
        sent = case.as_transport_kwargs(base_url=api.base_url)
        body = sent.get("data")
        # A dump is the whole graph (tens of megabytes): HEAD, answered as its GET without the body.
        method = "HEAD" if case.path.startswith("/dump/") else sent["method"]
        response = api.client.request(method, sent["url"], params=sent.get("params"),
                                      headers=sent.get("headers"),
                                      content=body if isinstance(body, (bytes, str)) else None,
                                      data=body if isinstance(body, dict) else None)
        case.validate_response(response, checks=checks)
    check()


def test_generated_requests_get_documented_answers_and_invalid_ones_a_4xx(api, description):
    """Every operation, valid and invalid requests generated from its description: no 5xx, every
    answer's status, media type, headers and JSON body as documented, every invalid request
    refused with a 4xx."""
    schema = schemathesis.openapi.from_dict(description)
    operations_ = [result.ok() for result in schema.get_all_operations()]
    assert len(operations_) >= 30
    failures = []
    for operation in operations_:
        for mode in EXAMPLES:
            if mode == GenerationMode.NEGATIVE and not operation.definition.raw.get("parameters") \
                    and "requestBody" not in operation.definition.raw:
                continue  # nothing to get wrong
            try:
                _run(api, operation, mode)
            except BaseException as exc:  # a failed check (an exception group): collected, reported below
                if isinstance(exc, (KeyboardInterrupt, SystemExit)):
                    raise
                failures.append(f"{operation.label} ({mode.value}): {exc}"[:1500])
    assert not failures, "\n\n".join(failures)
