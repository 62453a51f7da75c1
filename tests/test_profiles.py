"""Profiles over HTTP: CTDL-ASN, CASE 1.1, Open Badges 3.0, schema.org and CSV for every release
and statement, negotiated by Accept-Profile and _profile, and the bulk downloads. JSON-LD is
expanded offline with the published contexts copied in ../shared/vocab.

In-process (app_fixtures.api, once per store kind): what is checked is the documents the app
answers; pyld's document loader here is the test's own, reading through the same client."""
from __future__ import annotations

import csv
import io
import json
import re
import uuid

import httpx
import pytest
from pyld import jsonld
from rdflib import Graph
from rdflib.namespace import DCAT, DCTERMS

from ler_schemas import all_dicts, types_of
from server_fixtures import NAMESPACE, SHARED

SG = "https://w3id.org/skillsgraph/ontology#"
CONTEXTS = SHARED / "vocab" / "contexts"
ONTOLOGIES = SHARED / "vocab" / "ontologies"
CEASN, CETERMS, ASN = "https://purl.org/ctdlasn/terms/", "https://purl.org/ctdl/terms/", "http://purl.org/ASN/schema/core/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
OB = "https://purl.imsglobal.org/spec/vc/ob/vocab.html#"
LOCAL = {
    "https://credreg.net/ctdlasn/schema/context/json": "ctdlasn-ceasn-context.json",
    # the form the Credential Registry's schemas require, which the CTDL-ASN profile writes
    "http://credreg.net/ctdlasn/schema/context/json": "ctdlasn-ceasn-context.json",
    "https://www.w3.org/ns/credentials/v2": "w3c-credentials-v2.jsonld",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": "openbadges-context-3.0.3.json",
    "https://schema.org/": "schemaorg-context-30.0.jsonld",
}
REL = "framework/29-1129.01/v26.05"
STATEMENT = f"{REL}/competency/proficient/3"
WALLET_ACCEPT = "application/ld+json, application/json;q=0.9"
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
TOKENS = ["ctdl-asn", "case", "ob3", "schema-org", "csv"]
LANG_TAG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]+)*$")


def offline_loader(server, overrides: dict[str, str] | None = None):
    """Published contexts from the local copies, ours from the test server, nothing from the network."""
    files = {**LOCAL, **(overrides or {})}

    def load(url, options=None):
        if url in files:
            document = json.loads((CONTEXTS / files[url]).read_text(encoding="utf-8"))
        elif url.startswith(server.base_url + "/"):  # ours: located on the server that answered
            document = server.client.get(url, headers={"Accept": "application/ld+json"}).json()
        else:
            raise AssertionError(f"unexpected remote fetch of {url}")
        return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url, "document": document}
    return load


def get(server, path: str, **kw) -> httpx.Response:
    return server.client.get(f"{server.base_url}/{path}", timeout=60, **kw)


def profile_doc(server, path: str, token: str) -> httpx.Response:
    r = get(server, path, params={"_profile": token})
    assert r.status_code == 200, r.text
    return r


def expand(server, doc: dict, overrides: dict[str, str] | None = None) -> list:
    return jsonld.expand(doc, {"documentLoader": offline_loader(server, overrides)})


def _is_language_map(node: dict) -> bool:
    return bool(node) and all(LANG_TAG.match(k) and isinstance(v, (str, list)) for k, v in node.items())


def compact_pairs(node) -> int:
    """(node, property) pairs a compacted document states, keywords and their aliases aside."""
    if isinstance(node, list):
        return sum(compact_pairs(n) for n in node)
    if not isinstance(node, dict) or _is_language_map(node):
        return 0
    count = 0
    for key, value in node.items():
        if key == "@graph":
            count += compact_pairs(value)
        elif key not in ("@context", "@id", "@type", "id", "type"):
            count += 1 + compact_pairs(value)
    return count


def expanded_pairs(node) -> int:
    if isinstance(node, list):
        return sum(expanded_pairs(n) for n in node)
    if not isinstance(node, dict) or "@value" in node:
        return 0
    if "@list" in node:
        return expanded_pairs(node["@list"])
    return sum((expanded_pairs(v) if k == "@graph" else 0) if k.startswith("@") else 1 + expanded_pairs(v)
               for k, v in node.items())


def properties(node, found: set | None = None) -> set[str]:
    found = set() if found is None else found
    if isinstance(node, list):
        for n in node:
            properties(n, found)
    elif isinstance(node, dict):
        for k, v in node.items():
            if not k.startswith("@"):
                found.add(k)
            properties(v, found)
    return found


def nodes(expanded, found: list | None = None) -> list[dict]:
    """Every node object in an expanded document."""
    found = [] if found is None else found
    if isinstance(expanded, list):
        for n in expanded:
            nodes(n, found)
    elif isinstance(expanded, dict) and "@value" not in expanded:
        if any(not k.startswith("@") for k in expanded) or "@type" in expanded:
            found.append(expanded)
        for k, v in expanded.items():
            if k != "@value":
                nodes(v, found)
    return found


def assert_nothing_dropped(doc: dict, expanded: list, namespaces: tuple[str, ...]) -> set[str]:
    assert expanded, "expansion gave nothing"
    assert expanded_pairs(expanded) == compact_pairs(doc), "a term was dropped (or merged) by expansion"
    props = properties(expanded)
    strays = sorted(p for p in props if not p.startswith(namespaces))
    assert not strays, f"terms expanded outside the intended vocabularies: {strays}"
    return props


@pytest.fixture(scope="module")
def counts(api) -> dict:
    r = api.client.post(api.base_url + "/sparql", data={"query": f"""PREFIX sg: <{SG}>
        SELECT (COUNT(DISTINCT ?s) AS ?n) (COUNT(DISTINCT ?r) AS ?releases) (COUNT(DISTINCT ?c) AS ?citations) WHERE {{
          {{ ?s sg:framework <{NAMESPACE}{REL}> OPTIONAL {{ ?s sg:citation ?c }} }} UNION {{ ?r a sg:FrameworkRelease }} }}"""},
                   headers={"Accept": "application/sparql-results+json"})
    row = r.json()["results"]["bindings"][0]
    return {"statements": int(row["n"]["value"]), "releases": int(row["releases"]["value"]),
            "citations": int(row["citations"]["value"])}


# ---- CTDL-ASN ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def ctdl_schema_terms() -> set[str]:
    terms = set()
    for name in ("ctdlasn-ceasn-schema.jsonld", "ctdl-ceterms-schema.jsonld"):
        graph = json.loads((ONTOLOGIES / name).read_text(encoding="utf-8"))["@graph"]
        terms |= {n["@id"] for n in graph if isinstance(n.get("@id"), str)}
    prefixes = {"ceasn:": CEASN, "ceterms:": CETERMS, "asn:": ASN, "skos:": SKOS}
    return {next((ns + t[len(p):] for p, ns in prefixes.items() if t.startswith(p)), t) for t in terms}


def test_ctdl_asn_release_expands_to_ctdl_terms_with_nothing_dropped(api, counts, ctdl_schema_terms):
    doc = profile_doc(api, REL, "ctdl-asn").json()
    assert doc["@context"] == "http://credreg.net/ctdlasn/schema/context/json"
    expanded = expand(api, doc)
    props = assert_nothing_dropped(doc, expanded, (CEASN, CETERMS, ASN, SKOS))
    undefined = sorted(p for p in props if p not in ctdl_schema_terms)
    assert not undefined, f"not CTDL/CTDL-ASN terms: {undefined}"
    for term in ("competencyLabel", "competencyText", "isPartOf", "hasChild", "isChildOf", "hasTopChild",
                 "skillEmbodied", "knowledgeEmbodied", "abilityEmbodied", "taskEmbodied", "source",
                 "sourceDocumentation"):
        assert CEASN + term in props, term
    for term in ("occupationType", "instructionalProgramType", "targetNode", "codedNotation", "framework"):
        assert CETERMS + term in props, term
    assert ASN + "hasProgressionLevel" in props and ASN + "hasProgressionModel" in props

    by_id = {n["@id"]: n for n in expanded}
    framework = by_id[NAMESPACE + REL]
    assert framework["@type"] == [CEASN + "CompetencyFramework"]
    competencies = [n for n in expanded if n["@type"] == [CEASN + "Competency"]]
    statements = [n for n in competencies if "#" not in n["@id"]]
    assert len(statements) == counts["statements"]
    for st in statements:
        assert st[CEASN + "isPartOf"] == [{"@id": framework["@id"]}]
        parent = by_id[st[CEASN + "isChildOf"][0]["@id"]]
        assert {"@id": st["@id"]} in parent[CEASN + "hasChild"]
        level = by_id[st[ASN + "hasProgressionLevel"][0]["@id"]]
        assert level["@type"] == [ASN + "ProgressionLevel"]
        assert by_id[level[CEASN + "inProgressionModel"][0]["@id"]]["@type"] == [ASN + "ProgressionModel"]
        assert st[CEASN + "competencyLabel"][0]["@language"] == "en"
    occupation = framework[CETERMS + "occupationType"][0]
    assert occupation["@type"] == [CETERMS + "CredentialAlignmentObject"]
    assert occupation[CETERMS + "codedNotation"][0]["@value"] == "29-1129.01"
    assert occupation[CETERMS + "targetNode"] == [{"@id": NAMESPACE + "occupation/29-1129.01"}]
    cips = {c[CETERMS + "codedNotation"][0]["@value"] for c in framework[CETERMS + "instructionalProgramType"]}
    assert "51.2301" in cips


def test_ctdl_asn_mastery_levels_are_an_ordered_progression_model(api):
    doc = profile_doc(api, REL, "ctdl-asn").json()
    graph = {n["@id"]: n for n in doc["@graph"]}
    model = graph[NAMESPACE + "scale/mastery"]
    assert model["@type"] == "asn:ProgressionModel"
    labels = [graph[lv]["skos:prefLabel"]["en"] for lv in model["skos:hasTopConcept"]]
    assert labels == ["Emerging", "Developing", "Proficient", "Advanced"]
    assert [graph[lv].get("ceterms:precedes") for lv in model["skos:hasTopConcept"]] == model["skos:hasTopConcept"][1:] + [None]


def test_ctdl_asn_statement_is_one_competency(api, ctdl_schema_terms):
    doc = profile_doc(api, STATEMENT, "ctdl-asn").json()
    expanded = expand(api, doc)
    props = assert_nothing_dropped(doc, expanded, (CEASN, CETERMS, ASN, SKOS))
    assert props <= ctdl_schema_terms
    (node,) = expanded
    assert node["@id"] == NAMESPACE + STATEMENT and node["@type"] == [CEASN + "Competency"]
    assert node[CEASN + "competencyLabel"] == [{"@value": "Autonomous treatment planning", "@language": "en"}]
    assert node[ASN + "hasProgressionLevel"] == [{"@id": NAMESPACE + "scale/mastery/proficient"}]


# ---- CASE 1.1 -----------------------------------------------------------------------------------

# Required ([1]) fields of the CASE 1.1 package classes (1EdTech CASE Information Model 1.1, section 7.1).
CASE_REQUIRED = {
    "CFDocument": ["identifier", "uri", "creator", "title", "lastChangeDateTime"],
    "CFItem": ["identifier", "fullStatement", "uri", "lastChangeDateTime"],
    "CFAssociation": ["identifier", "associationType", "uri", "originNodeURI", "destinationNodeURI", "lastChangeDateTime"],
    "CFItemType": ["identifier", "uri", "title", "description", "hierarchyCode", "lastChangeDateTime"],
    "CFLicense": ["identifier", "uri", "title", "licenseText", "lastChangeDateTime"],
    "LinkURI": ["title", "identifier", "uri"],
}
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
DATETIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}([+-]\d{2}:\d{2}|Z)$")


def assert_fields(obj: dict, cls: str) -> None:
    missing = [f for f in CASE_REQUIRED[cls] if obj.get(f) in (None, "", [])]
    assert not missing, f"{cls} {obj.get('uri')} lacks {missing}"
    if "identifier" in obj:
        assert UUID_RE.match(obj["identifier"]), obj["identifier"]
    if "lastChangeDateTime" in obj:
        assert DATETIME_RE.match(obj["lastChangeDateTime"]), obj["lastChangeDateTime"]
    for key in ("originNodeURI", "destinationNodeURI", "CFPackageURI", "licenseURI", "CFItemTypeURI", "CFDocumentURI"):
        if key in obj:
            assert_fields(obj[key], "LinkURI")


def test_case_package_has_every_required_field_and_uuid5_identifiers(api, counts):
    r = profile_doc(api, REL, "case")
    assert r.headers["content-type"].startswith("application/json")
    package = r.json()
    assert set(package) == {"CFDocument", "CFItems", "CFAssociations", "CFDefinitions", "CFRubrics"}
    document = package["CFDocument"]
    assert_fields(document, "CFDocument")
    assert document["caseVersion"] == "1.1"
    everything = [document, *package["CFItems"], *package["CFAssociations"],
                  *package["CFDefinitions"]["CFItemTypes"], *package["CFDefinitions"]["CFLicenses"]]
    for item in package["CFItems"]:
        assert_fields(item, "CFItem")
    for assoc in package["CFAssociations"]:
        assert_fields(assoc, "CFAssociation")
    for item_type in package["CFDefinitions"]["CFItemTypes"]:
        assert_fields(item_type, "CFItemType")
    (licence,) = package["CFDefinitions"]["CFLicenses"]
    assert_fields(licence, "CFLicense")
    assert document["licenseURI"]["identifier"] == licence["identifier"]
    identifiers = [o["identifier"] for o in everything]
    assert len(identifiers) == len(set(identifiers))
    # Same IRI, same UUID, in every build: the UUID is a function of the IRI alone (a CASE uri
    # is where the object is served as CASE; the release's IRI is the document's official source).
    rel = NAMESPACE + REL
    assert document["officialSourceURL"] == rel
    assert document["identifier"] == str(uuid.uuid5(uuid.NAMESPACE_URL, rel))
    statement_items = [i for i in package["CFItems"] if i["CFItemType"] != "Grouping"]
    group_items = [i for i in package["CFItems"] if i["CFItemType"] == "Grouping"]
    for item in statement_items:
        assert item["identifier"] == str(uuid.uuid5(uuid.NAMESPACE_URL, f"{rel}/{item['humanCodingScheme']}"))
    for item in group_items:
        fragment = item["humanCodingScheme"].replace("/", "-")
        assert item["identifier"] == str(uuid.uuid5(uuid.NAMESPACE_URL, f"{rel}#{fragment}"))
    for item_type in package["CFDefinitions"]["CFItemTypes"]:
        assert item_type["identifier"] == str(uuid.uuid5(uuid.NAMESPACE_URL, f"{rel}#item-type-{item_type['typeCode']}"))
    for obj in [document, *package["CFItems"], *package["CFAssociations"], *package["CFDefinitions"]["CFItemTypes"],
                licence]:
        assert obj["uri"].startswith(f"{api.base_url}/ims/case/v1p1/CF") and obj["uri"].endswith("/" + obj["identifier"])
    assert len(statement_items) == counts["statements"]
    assert {a["associationType"] for a in package["CFAssociations"]} == {"isChildOf", "exactMatchOf", "isRelatedTo", "precedes"}


def test_case_tree_reaches_the_document_from_every_item(api):
    package = profile_doc(api, REL, "case").json()
    parent = {}
    for a in package["CFAssociations"]:
        if a["associationType"] == "isChildOf":
            assert a["originNodeURI"]["uri"] not in parent, "an item with two parents"
            parent[a["originNodeURI"]["uri"]] = a["destinationNodeURI"]["uri"]
    root = package["CFDocument"]["uri"]
    for item in package["CFItems"]:
        node, hops = item["uri"], 0
        while node != root:
            node, hops = parent[node], hops + 1
            assert hops < 10
    levels = [a for a in package["CFAssociations"] if a["associationType"] == "precedes"]
    firsts = {a["originNodeURI"]["title"] for a in levels}
    assert "Emerging" in firsts and "Advanced" not in firsts


def test_case_statement_is_its_item_and_associations(api):
    doc = profile_doc(api, STATEMENT, "case").json()
    item = doc["CFItem"]
    assert_fields(item, "CFItem")
    assert item["identifier"] == str(uuid.uuid5(uuid.NAMESPACE_URL, NAMESPACE + STATEMENT))
    assert item["CFDocumentURI"]["identifier"] == str(uuid.uuid5(uuid.NAMESPACE_URL, NAMESPACE + REL))
    # Its uri and its document's answer CASE JSON: the item itself, and the CFDocument.
    assert api.client.get(item["uri"], headers={"Accept": "application/json"}).json() == item
    assert api.client.get(item["CFDocumentURI"]["uri"]).json()["officialSourceURL"] == NAMESPACE + REL
    anchors = api.client.get(f"/trace/{STATEMENT}").json()["statement"]["sourceAnchors"]
    assert anchors, "the statement has source anchors"
    # Its parent, then its source anchors (tests/test_anchors_served.py checks them).
    assert [a["associationType"] for a in doc["CFAssociations"]] == ["isChildOf"] + ["isRelatedTo"] * len(anchors)


# ---- Open Badges 3.0 -----------------------------------------------------------------------------

LOCAL_OB3_CONTEXTS = ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
OB_NAMESPACES = (OB, "https://schema.org/", "https://www.w3.org/2018/credentials#")
ALIGNMENT_FIELDS = {"targetName": "https://schema.org/targetName", "targetUrl": "https://schema.org/targetUrl",
                    "targetDescription": "https://schema.org/targetDescription",
                    "targetFramework": "https://schema.org/targetFramework",
                    "targetCode": OB + "targetCode", "targetType": OB + "targetType"}


@pytest.mark.parametrize("ob_context", ["openbadges-context-3.0.3.json", "openbadges-context-3.0.3.validator-copy.json"])
def test_ob3_achievement_expands_with_every_alignment_field(api, ob_context):
    doc = profile_doc(api, STATEMENT, "ob3").json()
    assert doc["@context"] == LOCAL_OB3_CONTEXTS
    for field in ("id", "type", "name", "description", "criteria"):
        assert doc.get(field), field
    assert doc["achievementType"] == "Competency"
    expanded = expand(api, doc, {"https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": ob_context})
    assert_nothing_dropped(doc, expanded, OB_NAMESPACES)
    (achievement,) = expanded
    assert achievement["@type"] == [OB + "Achievement"]
    alignments = achievement[OB + "alignment"]
    assert len(alignments) == len(doc["alignment"]) == 2
    for compact, node in zip(doc["alignment"], alignments):
        assert node["@type"] == ["https://schema.org/AlignmentObject"]
        for term, iri in ALIGNMENT_FIELDS.items():
            assert node[iri][0]["@value"] == compact[term], term
        # Typed as the published context says (it writes the XSD namespace with https).
        assert node["https://schema.org/targetUrl"][0]["@type"].endswith("/2001/XMLSchema#anyURI")
    assert {a["targetType"] for a in doc["alignment"]} == {"ceasn:Competency", "CFItem"}
    # One alignment per format, each at the location that answers in it.
    by_type = {a["targetType"]: a["targetUrl"] for a in doc["alignment"]}
    assert by_type["ceasn:Competency"] == f"{api.url_for(NAMESPACE + STATEMENT)}?_profile=ctdl-asn"
    assert by_type["CFItem"] == f"{api.base_url}/ims/case/v1p1/CFItems/{uuid.uuid5(uuid.NAMESPACE_URL, NAMESPACE + STATEMENT)}"


def test_ob3_release_result_description_is_the_mastery_levels_in_order(api, counts):
    doc = profile_doc(api, REL, "ob3").json()
    expanded = expand(api, doc)
    assert_nothing_dropped(doc, expanded, OB_NAMESPACES)
    framework, *statements = doc["@graph"]
    assert len(statements) == counts["statements"]
    (result,) = framework["resultDescription"]
    assert result["type"] == ["ResultDescription"] and result["resultType"] == "RubricCriterionLevel"
    assert [lv["name"] for lv in result["rubricCriterionLevel"]] == ["Emerging", "Developing", "Proficient", "Advanced"]
    assert all(lv["type"] == ["RubricCriterionLevel"] for lv in result["rubricCriterionLevel"])


def test_alignment_target_url_dereferences_for_a_wallet_and_a_browser(api):
    doc = profile_doc(api, STATEMENT, "ob3").json()
    alignment = doc["alignment"][0]
    assert alignment["targetType"] == "ceasn:Competency"
    machine = api.client.get(alignment["targetUrl"], headers={"Accept": WALLET_ACCEPT}, timeout=30)
    assert machine.status_code == 200
    assert machine.headers["content-type"].startswith("application/ld+json")
    flat = jsonld.flatten(machine.json(), None, {"documentLoader": offline_loader(api)})
    (node,) = [n for n in flat if n["@id"] == NAMESPACE + STATEMENT]
    assert node["@type"] == [CEASN + "Competency"]
    labels = [v["@value"] for v in node[CEASN + "competencyLabel"]]
    assert alignment["targetName"] in labels
    # The Achievement is a fragment of the statement's IRI, whose page a person reads.
    page, fragment = doc["id"].split("#")
    assert page == NAMESPACE + STATEMENT and fragment == "achievement"
    person = api.client.get(api.url_for(page), headers={"Accept": BROWSER_ACCEPT}, timeout=30)
    assert person.status_code == 200 and person.headers["content-type"].startswith("text/html")
    assert alignment["targetName"] in person.text


# ---- schema.org ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def schema_terms() -> set[str]:
    context = json.loads((CONTEXTS / LOCAL["https://schema.org/"]).read_text(encoding="utf-8"))["@context"]
    return {k for k in context if not k.startswith("@")}


def test_schema_org_occupation_uses_only_schema_org_terms(api, counts, schema_terms):
    doc = profile_doc(api, REL, "schema-org").json()
    used = properties(doc) | {t for n in all_dicts(doc) for t in types_of(n)}
    unknown = sorted(k for k in used if k not in schema_terms and not k.startswith("@"))
    assert not unknown, f"not schema.org terms: {unknown}"
    expanded = expand(api, doc)
    assert_nothing_dropped(doc, expanded, ("http://schema.org/", "https://schema.org/"))
    assert doc["@type"] == "Occupation"
    assert {c["codeValue"] for c in doc["occupationalCategory"]} == {"29-1129.01", "29-1129"}
    terms = [s for s in doc["skills"] if s.get("inDefinedTermSet", {}).get("@id") == NAMESPACE + REL]
    assert len(terms) == counts["statements"]
    assert all(t["@type"] == "DefinedTerm" for t in doc["skills"])
    assert any(e["about"]["codeValue"] == "51.2301" for e in doc["educationRequirements"])


def test_schema_org_statement_is_a_defined_term(api):
    doc = profile_doc(api, STATEMENT, "schema-org").json()
    expanded = expand(api, doc)
    assert_nothing_dropped(doc, expanded, ("http://schema.org/", "https://schema.org/"))
    assert doc["@type"] == "DefinedTerm" and doc["termCode"] == "competency/proficient/3"


# ---- CSV ----------------------------------------------------------------------------------------

def test_csv_of_a_release_parses_one_row_per_statement(api, counts):
    r = profile_doc(api, REL, "csv")
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == counts["statements"]
    assert list(rows[0]) == ["iri", "framework", "kind", "domain", "level", "position", "label", "text",
                             "citations", "citation_iris"]
    assert {row["kind"] for row in rows} == {"competency", "ai-use", "durable"}
    assert all(row["iri"].startswith(NAMESPACE + REL + "/") and row["label"] and row["text"] for row in rows)
    cited = [row for row in rows if row["citation_iris"]]
    assert sum(len(row["citation_iris"].split()) for row in cited) == counts["citations"] > 0
    assert all(len(row["citations"].split("; ")) == len(row["citation_iris"].split()) for row in cited)
    (mine,) = [row for row in rows if row["iri"] == NAMESPACE + STATEMENT]
    assert (mine["level"], mine["position"], mine["label"]) == ("Proficient", "3", "Autonomous treatment planning")


def test_csv_is_reachable_without_a_profile(api, counts):
    by_accept = get(api, REL, headers={"Accept": "text/csv"})
    by_format = get(api, REL, params={"format": "csv"})
    for r in (by_accept, by_format):
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
        assert len(list(csv.reader(io.StringIO(r.text)))) == counts["statements"] + 1


# ---- negotiation by profile -------------------------------------------------------------------

@pytest.mark.parametrize("token", TOKENS)
def test_accept_profile_and_profile_parameter_select_the_same_document(api, token):
    by_token = profile_doc(api, STATEMENT, token)
    uri = by_token.headers["content-profile"].strip("<>")
    by_header = get(api, STATEMENT, headers={"Accept-Profile": f"<{uri}>"})
    by_uri = get(api, STATEMENT, params={"_profile": uri})
    for r in (by_header, by_uri):
        assert r.status_code == 200
        assert r.headers["content-profile"] == f"<{uri}>"
        assert r.content == by_token.content
    assert "Accept-Profile" in by_header.headers["vary"]


def test_accept_profile_q_values_pick_the_preferred_profile(api):
    header = "<https://schema.org/>;q=0.4, <https://purl.imsglobal.org/spec/case/v1p1/>;q=0.9, <urn:example:nothing>"
    r = get(api, STATEMENT, headers={"Accept-Profile": header})
    assert r.status_code == 200
    assert r.headers["content-profile"] == "<https://purl.imsglobal.org/spec/case/v1p1/>"


def test_default_representation_names_its_profile_and_links_every_other(api):
    r = get(api, STATEMENT, headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    assert r.headers["content-profile"] == "<https://w3id.org/skillsgraph/ontology>"
    link = r.headers["link"]
    assert '<https://w3id.org/skillsgraph/ontology>; rel="profile"' in link
    for token in TOKENS:
        assert re.search(rf'\?_profile={token}>; rel="alternate"; type="[^"]+"; profile="[^"]+"', link), token


def test_profile_alternates_listing(api):
    r = get(api, REL, params={"_profile": "alt"})
    assert r.status_code == 200
    assert {p["token"] for p in r.json()["profiles"]} == {"skillsgraph", *TOKENS}


@pytest.mark.parametrize("params, headers, status", [
    ({"_profile": "no-such-profile"}, {}, 406),
    ({}, {"Accept-Profile": "<urn:example:no-such-profile>"}, 406),
    ({}, {"Accept-Profile": "<https://purl.imsglobal.org/spec/case/v1p1/>", "Accept": "text/html"}, 406),
    ({"_profile": ""}, {}, 400),
    ({"_profile": "case,"}, {}, 400),
    ({"_profile": "<https://schema.org/"}, {}, 400),
    ({}, {"Accept-Profile": "<https://schema.org/"}, 400),
    ({}, {"Accept-Profile": "<https://schema.org/>;q=high"}, 400),
])
def test_bad_or_unknown_profiles_are_clear_4xx(api, params, headers, status):
    r = get(api, STATEMENT, params=params, headers=headers)
    assert r.status_code == status, r.text
    assert r.text.startswith(str(status)) and "profile" in r.text.lower()


def test_two_profile_parameters_are_refused(api):
    r = api.client.get(f"{api.base_url}/{STATEMENT}?_profile=case&_profile=ob3")
    assert r.status_code == 400


def test_a_resource_without_profiles_refuses_one_but_serves_its_default(api):
    assert get(api, "occupation/29-1129.01", params={"_profile": "case"}).status_code == 406
    plain = get(api, "occupation/29-1129.01", headers={"Accept": "text/turtle"})
    assert plain.status_code == 200 and "content-profile" not in plain.headers


def test_profile_documents_have_etags_and_answer_304(api):
    first = profile_doc(api, STATEMENT, "ctdl-asn")
    again = get(api, STATEMENT, params={"_profile": "ctdl-asn"}, headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    assert again.headers["content-profile"] == first.headers["content-profile"], "a 304 says which profile it confirms"
    other = profile_doc(api, STATEMENT, "schema-org")
    assert other.headers["etag"] != first.headers["etag"]


# ---- /profiles, bulk, dataset --------------------------------------------------------------------

def test_profiles_page_in_json_ld_and_html(api):
    doc = get(api, "profiles", headers={"Accept": "application/ld+json"}).json()
    expanded = jsonld.expand(doc)
    tokens = {n["http://www.w3.org/ns/dx/prof/hasToken"][0]["@value"] for n in expanded[0]["@graph"]}
    assert tokens == {"skillsgraph", *TOKENS}
    html = get(api, "profiles", headers={"Accept": BROWSER_ACCEPT})
    assert html.headers["content-type"].startswith("text/html")
    for token in TOKENS:
        assert f'id="{token}"' in html.text
    assert get(api, "profile/csv", follow_redirects=False).status_code == 303
    assert get(api, "profile/nope").status_code == 404


def test_every_profile_has_a_bulk_download_listed_in_the_dataset(api, counts):
    g = Graph()
    g.parse(data=get(api, "dataset", headers={"Accept": "text/turtle"}).text, format="turtle")
    listed = {str(g.value(d, DCTERMS.conformsTo)): str(g.value(d, DCAT.downloadURL))
              for d in g.subjects(DCTERMS.conformsTo, None)}
    profiles = {p["token"]: p["uri"] for p in get(api, REL, params={"_profile": "alt"}).json()["profiles"]}
    for token in TOKENS:
        url = listed[profiles[token]]
        assert url.startswith(api.base_url + "/dump/profile/"), url   # a location on the server that answered
        r = api.client.get(url, timeout=120)
        assert r.status_code == 200, url
        if token == "csv":
            rows = list(csv.DictReader(io.StringIO(r.text)))
            assert len({row["framework"] for row in rows}) == counts["releases"]
            assert len([row for row in rows if row["framework"] == NAMESPACE + REL]) == counts["statements"]
        else:
            lines = [json.loads(line) for line in r.text.splitlines()]
            assert len(lines) == counts["releases"]
            assert lines[0] != {}
    assert get(api, "dump/profile/nope.jsonl").status_code == 404


def test_occupation_page_embeds_schema_org_for_crawlers(api, seed):
    page = api.client.get(api.base_url + "/occupation/29-1129.01", headers={"Accept": "text/html"}, timeout=30)
    assert page.status_code == 200
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page.text, re.DOTALL)
    [doc] = [d for d in map(json.loads, blocks) if d.get("@type") == "Occupation"]
    assert {c["codeValue"] for c in doc["occupationalCategory"]} == {"29-1129.01", "29-1129"}
    assert sorted(e["about"]["codeValue"] for e in doc["educationRequirements"]) == sorted(seed.cip)
    assert all(e["@type"] == "EducationalOccupationalCredential" for e in doc["educationRequirements"])
    assert {s["name"] for s in doc["skills"]} >= {"Social Perceptiveness"}
