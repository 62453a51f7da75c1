"""The CASE 1.1 REST API (/ims/case/v1p1/) as a CASE consumer uses it, every body checked against
the component the 1EdTech OpenAPI names for that path and status.

The mirror test does what OpenSALT does to copy a framework from another CASE server: list the
CFDocuments, fetch a document's CFPackage, then every CFItem (and its CFItemAssociations),
CFAssociation, definition and rubric by sourcedId, and every `uri` they name; what it gets back
reassembles into the same package, which is also the `case` profile of the release IRI.

In-process: the list, the package and the errors on every store kind (app_fixtures.api); the
mirror, a thousand requests, on the first kind only (case_api): past the package it reads no
store, so the kinds cannot differ there."""
from __future__ import annotations

import uuid

import pytest

from app_fixtures import bundled_app, first_store_kind
from ler_schemas import all_dicts, case_component, errors, response_component
from server_fixtures import NAMESPACE

REL = "framework/29-1129.01/v26.05"
ROOT = "/ims/case/v1p1"
JSON = {"Accept": "application/json"}


@pytest.fixture(scope="module")
def case_api(apps, bundled_home):
    return bundled_app(apps, first_store_kind(), bundled_home)


def fetch(api, url: str, openapi_path: str, status: int = 200):
    """GET a CASE URL (absolute, or a path under the API root); its body checked against the OpenAPI."""
    r = api.client.get(url if url.startswith("http") else f"{api.base_url}{ROOT}{url}", headers=JSON, timeout=60)
    assert r.status_code == status, (url, r.text[:500])
    assert r.headers["content-type"].startswith("application/json")
    assert "json-ld#context" not in r.headers.get("link", ""), "CASE JSON is not JSON-LD"
    body = r.json()
    assert errors(case_component(response_component(openapi_path, str(status))), body) == [], url
    return body


def uuid5(iri: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, iri))


def _document(api) -> dict:
    listed = fetch(api, "/CFDocuments", "/CFDocuments")["CFDocuments"]
    (doc,) = [d for d in listed if d["officialSourceURL"] == NAMESPACE + REL]
    assert doc["identifier"] == uuid5(NAMESPACE + REL)
    return doc


def test_documents_list_and_package_on_every_store(api):
    doc = _document(api)
    assert fetch(api, doc["uri"], "/CFDocuments/{sourcedId}") == doc
    package = fetch(api, doc["CFPackageURI"]["uri"], "/CFPackages/{sourcedId}")
    profile = api.client.get(f"{api.base_url}/{REL}", params={"_profile": "case"}, timeout=60).json()
    assert package == profile
    assert package["CFDocument"] == {k: v for k, v in doc.items() if k != "CFPackageURI"}


def test_a_framework_mirrored_through_the_api_is_the_same_package(case_api):
    api = case_api
    doc = _document(api)
    package = fetch(api, f"/CFPackages/{doc['identifier']}", "/CFPackages/{sourcedId}")
    fetched: dict[str, dict] = {doc["uri"]: doc}

    def by_id(collection: str, identifier: str) -> dict:
        body = fetch(api, f"/{collection}/{identifier}", f"/{collection}/{{sourcedId}}")
        fetched[f"{api.base_url}{ROOT}/{collection}/{identifier}"] = body
        return body

    def alone(obj: dict, *package_only: str) -> dict:
        return {k: v for k, v in obj.items() if k not in package_only}

    items = []
    for item in package["CFItems"]:
        got = by_id("CFItems", item["identifier"])
        assert got["CFDocumentURI"]["identifier"] == doc["identifier"]
        items.append(alone(got, "CFDocumentURI"))
        related = by_id("CFItemAssociations", item["identifier"])
        assert related["CFItem"] == got and related["CFAssociations"]
    associations = [alone(by_id("CFAssociations", a["identifier"]), "CFDocumentURI") for a in package["CFAssociations"]]
    definitions = package["CFDefinitions"]
    mirrored = {
        "CFDocument": alone(by_id("CFDocuments", doc["identifier"]), "CFPackageURI"),
        "CFItems": items, "CFAssociations": associations,
        "CFDefinitions": {
            "CFConcepts": [by_id("CFConcepts", c["identifier"])["CFConcepts"][0] for c in definitions["CFConcepts"]],
            "CFSubjects": [by_id("CFSubjects", s["identifier"])["CFSubjects"][0] for s in definitions["CFSubjects"]],
            "CFLicenses": [by_id("CFLicenses", x["identifier"]) for x in definitions["CFLicenses"]],
            "CFItemTypes": [by_id("CFItemTypes", t["identifier"])["CFItemTypes"][0] for t in definitions["CFItemTypes"]],
            "CFAssociationGroupings": [by_id("CFAssociationGroupings", g["identifier"])
                                       for g in definitions["CFAssociationGroupings"]]},
        "CFRubrics": [by_id("CFRubrics", r["identifier"]) for r in package["CFRubrics"]],
    }
    assert mirrored == package
    # Each statement's item is the UUID of its IRI; each group's, of the release's fragment for it.
    statements = [i for i in items if i["CFItemType"] != "Grouping"]
    assert all(i["identifier"] == uuid5(f"{NAMESPACE}{REL}/{i['humanCodingScheme']}") for i in statements)
    groups = [i for i in items if i["CFItemType"] == "Grouping"]
    assert all(i["identifier"] == uuid5(f"{NAMESPACE}{REL}#{i['humanCodingScheme'].replace('/', '-')}") for i in groups)
    # Every uri the package names under the API answers CASE JSON: the object it names, or (for a
    # rubric's criteria and levels, which have no endpoint of their own) the rubric that holds them.
    served = {n["uri"] for n in all_dicts(package) if str(n.get("uri", "")).startswith(api.base_url + ROOT)}
    assert len(served) >= len(items) + len(associations)
    for uri in sorted(served):
        located, _, fragment = uri.partition("#")
        body = fetched.get(located) or api.client.get(located, headers=JSON, timeout=60).json()
        if fragment:
            criteria = body["CFRubricCriteria"]
            assert fragment in {c["identifier"] for c in criteria} | {
                lv["identifier"] for c in criteria for lv in c["CFRubricCriterionLevels"]}
        else:
            assert uri in (body.get("uri"), body.get("CFItem", {}).get("uri"), *(
                o["uri"] for key in ("CFConcepts", "CFSubjects", "CFItemTypes") for o in body.get(key, []))), uri


def test_mastery_levels_are_a_rubric_over_the_groups_written_at_them(case_api):
    package = fetch(case_api, f"/CFPackages/{uuid5(NAMESPACE + REL)}", "/CFPackages/{sourcedId}")
    mastery, durable = package["CFRubrics"]
    assert mastery["title"] == "Framework mastery levels"
    assert [c["category"] for c in mastery["CFRubricCriteria"]] == ["Competencies", "AI use"]
    for criterion in mastery["CFRubricCriteria"]:
        assert [lv["quality"] for lv in criterion["CFRubricCriterionLevels"]] == \
            ["Emerging", "Developing", "Proficient", "Advanced"]
        assert criterion["CFRubricCriterionLevels"][0]["description"].endswith("Typical role: Entry / Apprentice.")
    assert len(durable["CFRubricCriteria"]) == len(package["CFDefinitions"]["CFConcepts"]) == 10


@pytest.mark.parametrize("path, minor", [
    ("/CFItems/not-a-uuid", "invalid_uuid"),
    ("/CFItems/00000000-0000-5000-8000-000000000000", "unknownobject"),
    (f"/CFPackages/{uuid5(NAMESPACE + REL + '/competency/proficient/3')}", "unknownobject"),
    (f"/CFItems/{uuid5(NAMESPACE + REL)}", "unknownobject"),
    ("/CFAssociations/12345", "invalid_uuid"),
    ("/CFRubrics/00000000-0000-5000-8000-000000000000", "unknownobject"),
])
def test_unknown_and_malformed_ids_are_404_status_payloads(api, path, minor):
    status = fetch(api, path, path.rsplit("/", 1)[0] + "/{sourcedId}", 404)
    assert status["imsx_codeMajor"] == "failure" and status["imsx_severity"] == "error"
    assert status["imsx_codeMinor"]["imsx_codeMinorField"][0]["imsx_codeMinorFieldValue"] == minor
    assert status["imsx_description"]


@pytest.mark.parametrize("query, field, minor", [
    ("limit=0", "limit", "invalid_selection_field"), ("limit=many", "limit", "invalid_selection_field"),
    ("offset=-1", "offset", "invalid_selection_field"), ("sort=colour", "sort", "invalid_sort_field"),
    ("orderBy=up", "orderBy", "invalid_sort_field"), ("filter=title", "filter", "invalid_selection_field"),
    ("filter=colour='red'", "filter", "invalid_selection_field"), ("fields=colour", "fields", "invalid_selection_field"),
])
def test_bad_list_parameters_are_400_status_payloads(case_api, query, field, minor):
    status = fetch(case_api, f"/CFDocuments?{query}", "/CFDocuments", 400)
    (code,) = status["imsx_codeMinor"]["imsx_codeMinorField"]
    assert (code["imsx_codeMinorFieldName"], code["imsx_codeMinorFieldValue"]) == (field, minor)


def test_documents_page_sort_filter_and_fields(case_api):
    api = case_api
    r = api.client.get(f"{api.base_url}{ROOT}/CFDocuments", params={"limit": 1}, headers=JSON)
    total = int(r.headers["x-total-count"])
    assert total >= 1 and len(r.json()["CFDocuments"]) == 1
    assert 'rel="first"' in r.headers["link"] and 'rel="last"' in r.headers["link"]
    assert ('rel="next"' in r.headers["link"]) == (total > 1)
    beyond = fetch(api, f"/CFDocuments?offset={total}", "/CFDocuments", 404)
    assert beyond["imsx_codeMinor"]["imsx_codeMinorField"][0]["imsx_codeMinorFieldValue"] == "unknownobject"
    found = fetch(api, "/CFDocuments?filter=title~'art therapists' AND language='en'&sort=title&orderBy=desc",
                  "/CFDocuments")["CFDocuments"]
    assert NAMESPACE + REL in {d["officialSourceURL"] for d in found}
    assert fetch(api, "/CFDocuments?filter=title='no such framework'", "/CFDocuments", 404)
    picked = api.client.get(f"{api.base_url}{ROOT}/CFDocuments?fields=identifier,title", headers=JSON).json()
    assert all(set(d) == {"identifier", "title"} for d in picked["CFDocuments"])


def test_an_unknown_endpoint_is_a_404_status_payload_and_items_answer_304(case_api):
    r = case_api.client.get(f"{case_api.base_url}{ROOT}/CFNothing/x", headers=JSON)
    assert r.status_code == 404
    assert errors(case_component("imsx_StatusInfoDType"), r.json()) == []
    item = f"{case_api.base_url}{ROOT}/CFItems/{uuid5(NAMESPACE + REL + '/competency/proficient/3')}"
    first = case_api.client.get(item, headers=JSON)
    again = case_api.client.get(item, headers={**JSON, "If-None-Match": first.headers["etag"]})
    assert first.status_code == 200 and again.status_code == 304


def test_uris_are_on_the_host_that_asked_whatever_was_asked_before(case_api):
    path = f"{case_api.base_url}/{REL}?_profile=case"
    here = case_api.client.get(path).json()
    there = case_api.client.get(path, headers={"Host": "mirror.example"}).json()
    assert here["CFItems"][0]["uri"].startswith(f"{case_api.base_url}{ROOT}/CFItems/")
    assert there["CFItems"][0]["uri"] == here["CFItems"][0]["uri"].replace(case_api.base_url, "http://mirror.example")
    assert there["CFItems"][0]["identifier"] == here["CFItems"][0]["identifier"]
