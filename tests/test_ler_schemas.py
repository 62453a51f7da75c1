"""Every LER profile of the release and of three statements (a competency, an AI-use and a durable
statement) against the official schemas in ../shared/vocab/schemas, with jsonschema: zero errors.

CASE 1.1 against 1EdTech's CFPackage schema and the OpenAPI components; CTDL-ASN against the
Credential Registry's schemas of a CompetencyFramework and a Competency (a statement's document
whole, @context included; a release's graph node by node, each with the document's @context, as
the Registry takes a published graph); Open Badges 3.0 against the Achievement schema; schema.org
against the vocabulary's own domains (every property used on a type in its domain). Each
Open Badges alignment's targetUrl is fetched and answers in its targetType.

In-process: the release's documents on every store kind (app_fixtures.api); the statements'
and the schema.org domains on the first kind (one_api), since past the read model a
document cannot depend on the store."""
from __future__ import annotations

import uuid

import pyoxigraph as ox
import pytest

from app_fixtures import bundled_app, first_store_kind
from ler_schemas import FORMATS, all_dicts, case_component, case_package, credential_registry, errors, ob3, types_of
from server_fixtures import NAMESPACE, SHARED

REL = "framework/29-1129.01/v26.05"
STATEMENTS = {"competency": f"{REL}/competency/proficient/3", "ai-use": f"{REL}/ai-use/developing/1",
              "durable": f"{REL}/durable/communication/applying/2"}
PATHS = [REL, *STATEMENTS.values()]
# The form the Registry's schemas allow (api/profiles/ctdl_asn.py says why not the https one).
CTDL_CONTEXT = "http://credreg.net/ctdlasn/schema/context/json"
SCHEMA = "https://schema.org/"


@pytest.fixture(scope="module")
def one_api(apps, bundled_home):
    return bundled_app(apps, first_store_kind(), bundled_home)


def profile(api, path: str, token: str) -> dict:
    r = api.client.get(f"{api.base_url}/{path}", params={"_profile": token}, timeout=60)
    assert r.status_code == 200, r.text
    return r.json()


def uuid5(iri: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, iri))


def test_the_validators_check_formats():
    assert {"uri", "date-time"} <= set(FORMATS.checkers)
    assert errors(case_component("LinkURIDType"), {"title": "t", "identifier": uuid5("x"), "uri": "not a uri"})


# ---- CASE 1.1 -----------------------------------------------------------------------------------

def test_case_release_is_a_valid_cfpackage(api):
    package = profile(api, REL, "case")
    assert errors(case_package(), package) == []
    assert errors(case_component("CFPackageDType"), package) == []
    assert "CFPackageURI" not in package["CFDocument"]
    link_types = {a[end].get("targetType") for a in package["CFAssociations"] for end in ("originNodeURI", "destinationNodeURI")}
    assert link_types == {"CASE", "ext:LinkedData"}


@pytest.mark.parametrize("kind", STATEMENTS)
def test_case_statement_is_a_valid_cfassociation_set(one_api, kind):
    api = one_api
    doc = profile(api, STATEMENTS[kind], "case")
    assert errors(case_component("CFAssociationSetDType"), doc) == []
    assert doc["CFItem"]["identifier"] == uuid5(NAMESPACE + STATEMENTS[kind])


# ---- CTDL-ASN ------------------------------------------------------------------------------------

def _ctids_are_uuid5_of_ids(nodes: list[dict]) -> None:
    for node in nodes:
        assert node["ceterms:ctid"] == "ce-" + uuid5(node["@id"]), node["@id"]
    assert len({n["ceterms:ctid"] for n in nodes}) == len(nodes)


def test_ctdl_release_graph_passes_the_credential_registry_schemas(api):
    doc = profile(api, REL, "ctdl-asn")
    assert doc["@context"] == CTDL_CONTEXT
    graph = doc["@graph"]
    validated = [n for n in graph if n["@type"] in ("ceasn:CompetencyFramework", "ceasn:Competency")]
    assert len(validated) > 100
    found = {n["@id"]: errors(credential_registry(n["@type"]), {"@context": doc["@context"], **n}) for n in validated}
    assert {i: e for i, e in found.items() if e} == {}
    # Every framework, competency, progression model and level has its CTID, the UUID of its IRI.
    assert {n["@type"] for n in graph} == {"ceasn:CompetencyFramework", "ceasn:Competency", "asn:ProgressionModel",
                                          "asn:ProgressionLevel"}
    _ctids_are_uuid5_of_ids(graph)
    groups = [n for n in graph if n["@type"] == "ceasn:Competency" and "#" in n["@id"]]
    assert groups and all(g["ceasn:inLanguage"] == ["en"] for g in groups)


@pytest.mark.parametrize("kind", STATEMENTS)
def test_ctdl_statement_passes_the_credential_registry_schema(one_api, kind):
    api = one_api
    doc = profile(api, STATEMENTS[kind], "ctdl-asn")
    assert doc["@context"] == CTDL_CONTEXT
    assert errors(credential_registry("ceasn:Competency"), doc) == []   # the whole document, @context included
    _ctids_are_uuid5_of_ids([doc])
    assert doc["ceasn:isPartOf"] == [NAMESPACE + REL]


def test_the_registry_schema_refuses_another_context():
    """The validator reads @context: the https form, or none of the Registry's, is an error."""
    node = {"@type": "ceasn:Competency", "@id": NAMESPACE + REL + "/competency/proficient/3"}
    for other in ("https://credreg.net/ctdlasn/schema/context/json", "https://w3id.org/skillsgraph/context.jsonld"):
        found = errors(credential_registry("ceasn:Competency"), {"@context": other, **node})
        assert any(e.startswith("$['@context']") or "@context" in e for e in found), (other, found)


# ---- Open Badges 3.0 ------------------------------------------------------------------------------

def _answers_as_its_target_type(api, alignment: dict, iri: str) -> None:
    r = api.client.get(alignment["targetUrl"], headers={"Accept": "application/ld+json, application/json;q=0.9"},
                       timeout=60)
    assert r.status_code == 200, alignment
    body = r.json()
    kind = alignment["targetType"]
    if kind in ("ceasn:Competency", "CTDL"):
        node = body if "@graph" not in body else next(n for n in body["@graph"] if n["@id"] == iri)
        assert node["@id"] == iri
        assert node["@type"] == ("ceasn:Competency" if kind == "ceasn:Competency" else "ceasn:CompetencyFramework")
    else:
        component = {"CFItem": "CFItemDType", "ext:CFDocument": "CFDocumentDType"}[kind]
        assert errors(case_component(component), body) == []
        assert body["identifier"] == uuid5(iri)
        assert body["uri"] == alignment["targetUrl"]


def test_ob3_release_achievements_pass_the_schema(api):
    doc = profile(api, REL, "ob3")
    found = {a["id"]: errors(ob3("Achievement"), a) for a in doc["@graph"]}
    assert {i: e for i, e in found.items() if e} == {}
    assert all("?" not in a["id"] for a in doc["@graph"])


def test_ob3_framework_achievement_alignments_resolve(one_api):
    framework = profile(one_api, REL, "ob3")["@graph"][0]
    assert framework["id"] == NAMESPACE + REL + "#achievement"
    assert [a["targetType"] for a in framework["alignment"]] == ["CTDL", "ext:CFDocument"]
    for alignment in framework["alignment"]:
        _answers_as_its_target_type(one_api, alignment, NAMESPACE + REL)


@pytest.mark.parametrize("kind", STATEMENTS)
def test_ob3_statement_achievement_has_one_resolving_alignment_per_format(one_api, kind):
    api = one_api
    iri = NAMESPACE + STATEMENTS[kind]
    doc = profile(api, STATEMENTS[kind], "ob3")
    assert errors(ob3("Achievement"), doc) == []   # the whole document: the schema allows other members, @context among them
    assert doc["id"] == iri + "#achievement"
    alignments = doc["alignment"]
    assert [a["targetType"] for a in alignments] == ["ceasn:Competency", "CFItem"]
    assert len({a["targetUrl"] for a in alignments}) == len(alignments)
    for alignment in alignments:
        assert errors(ob3("Alignment"), alignment) == []
        _answers_as_its_target_type(api, alignment, iri)


# ---- schema.org ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def schema_vocabulary() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """(property -> its domainIncludes, type -> itself and every type above it), from schema.org 30.0."""
    store = ox.Store()
    store.load(path=str(SHARED / "vocab" / "ontologies" / "schemaorg-current-https-30.0.ttl"), format=ox.RdfFormat.TURTLE)
    domains: dict[str, set[str]] = {}
    for q in store.quads_for_pattern(None, ox.NamedNode(SCHEMA + "domainIncludes"), None):
        domains.setdefault(q.subject.value[len(SCHEMA):], set()).add(q.object.value[len(SCHEMA):])
    parents: dict[str, set[str]] = {}
    for q in store.quads_for_pattern(None, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#subClassOf"), None):
        if q.object.value.startswith(SCHEMA):
            parents.setdefault(q.subject.value[len(SCHEMA):], set()).add(q.object.value[len(SCHEMA):])

    def above(t: str) -> set[str]:
        out, todo = {t}, [t]
        while todo:
            for p in parents.get(todo.pop(), ()):
                if p not in out:
                    out.add(p)
                    todo.append(p)
        return out
    return domains, {t: above(t) for t in {*parents, *(d for ds in domains.values() for d in ds)}}


@pytest.mark.parametrize("path", PATHS)
def test_schema_org_terms_are_used_within_their_domains(one_api, schema_vocabulary, path):
    api = one_api
    domains, above = schema_vocabulary
    doc = profile(api, path, "schema-org")
    outside = set()
    for node in (n for n in all_dicts(doc) if "@type" in n):
        types = set().union(*(above.get(t, {t}) for t in types_of(node)))
        for prop in (k for k in node if not k.startswith("@")):
            assert prop in domains, f"{prop} is not a schema.org property"
            if not domains[prop] & types:
                outside.add((node["@type"], prop))
    assert outside == set()
    if path != REL:
        assert "inLanguage" not in doc and doc["inDefinedTermSet"]["inLanguage"] == "en"
