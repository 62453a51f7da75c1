"""Source anchors as served: in a statement's documents and page (with score and method), on the
page and in the document of each task or descriptor (the statements it grounds), in /trace, in
the named queries (one per direction) and in the LER profiles; with the "Suggest an O*NET
correction" link out on anchor and descriptor pages.

In-process (app_fixtures.api, once per store kind) over the bundled data, whose reference framework
confirms four anchors and rejects one (data/frameworks/29-1129.01.yaml)."""
from __future__ import annotations

import uuid

import html
import json
from urllib.parse import unquote

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, SKOS

from test_crosswalk_queries import run_named

RELEASE = "framework/29-1129.01/v26.05"
SG = "https://w3id.org/skillsgraph/ontology#"
CONFIRMED = f"{RELEASE}/competency/developing/6"      # task/7 confirmed
SUGGESTED = f"{RELEASE}/competency/emerging/1"        # task/1 suggested, score 8.5058, rank 1
MIXED = f"{RELEASE}/competency/proficient/2"          # task/5 confirmed, task/4 rejected, the rest suggested
TASK_1, TASK_7 = "occupation/29-1129.01/task/1", "occupation/29-1129.01/task/7"


def _turtle(api, path: str) -> Graph:
    response = api.client.get(f"/{path}", headers={"Accept": "text/turtle"})
    assert response.status_code == 200, response.text
    return Graph().parse(data=response.text, format="turtle")


def test_a_statements_document_has_its_anchors_with_score_rank_and_method(api):
    g = _turtle(api, SUGGESTED)
    statement, task = URIRef(api.namespace + SUGGESTED), URIRef(api.namespace + TASK_1)
    assert (statement, SKOS.relatedMatch, task) in g
    [mapping] = [m for m in g.subjects(OWL.annotatedSource, statement) if g.value(m, OWL.annotatedTarget) == task]
    assert str(g.value(mapping, URIRef(SG + "similarityScore"))) == "8.5058"
    assert int(g.value(mapping, URIRef(SG + "suggestionRank"))) == 1
    assert str(g.value(mapping, URIRef(SG + "mappingMethod"))) == api.namespace + "mapping-method/machine-suggestion"


def test_a_statements_json_ld_names_its_confirmed_anchor(api):
    response = api.client.get(f"/{CONFIRMED}", headers={"Accept": "application/ld+json"})
    assert response.status_code == 200
    text = response.text
    assert api.namespace + TASK_7 in text and "The statement is task 7" in text


def test_a_statements_page_lists_its_anchors_with_score_method_and_a_correction_link(api):
    page = api.client.get(f"/{SUGGESTED}", headers={"Accept": "text/html"}).text
    section = page[page.index('id="source-anchors"'):]
    section = section[:section.index("</section>")]
    assert "Observe and document client reactions" in section
    assert "<code>task/1</code>" in section and "machine suggestion" in section and "8.5058" in section
    mixed = api.client.get(f"/{MIXED}", headers={"Accept": "text/html"}).text
    rows = mixed[mixed.index('id="source-anchors"'):]
    assert rows.index("editorial judgement") < rows.index("machine suggestion"), "the editors' anchors first"
    assert "<code>task/5</code>" in rows and "<code>task/4</code>" not in rows, "confirmed, and rejected"
    links = [unquote(html.unescape(h)) for h in _hrefs(rows, 'class="correction small"')]
    assert links and all(link.startswith("mailto:") for link in links)
    assert any(api.namespace + "mapping/anchors/" + MIXED in link for link in links)


def test_a_task_lists_the_statements_it_grounds_and_links_a_correction(api):
    page = api.client.get(f"/{TASK_7}", headers={"Accept": "text/html"}).text
    grounds = page[page.index('id="grounds"'):]
    assert "Treatment plan integration" in grounds and "editorial judgement" in grounds
    [link] = _hrefs(page, 'class="correction"')
    assert api.namespace + TASK_7 in unquote(html.unescape(link))
    assert "<code>task/7</code>" in page
    g = _turtle(api, TASK_7)
    assert (URIRef(api.namespace + CONFIRMED), SKOS.relatedMatch, URIRef(api.namespace + TASK_7)) in g


def test_a_descriptor_page_lists_statements_and_links_a_correction(api):
    page = api.client.get("/onet/skill/social-perceptiveness", headers={"Accept": "text/html"}).text
    assert 'id="grounds"' in page and "Social perceptiveness" in page
    [link] = _hrefs(page, 'class="correction"')
    assert api.namespace + "onet/skill/social-perceptiveness" in unquote(html.unescape(link))


def test_trace_includes_the_anchors(api):
    doc = api.client.get(f"/trace/{CONFIRMED}").json()
    anchors = doc["statement"]["sourceAnchors"]
    assert anchors[0]["annotatedTarget"] == {"id": api.namespace + TASK_7, "notation": "task/7",
                                             "prefLabel": anchors[0]["annotatedTarget"]["prefLabel"]}
    assert anchors[0]["mappingMethod"] == api.namespace + "mapping-method/editorial"
    assert anchors[0]["justification"].startswith("The statement is task 7")
    mixed = api.client.get(f"/trace/{MIXED}").json()["statement"]["sourceAnchors"]
    machine = [a for a in mixed if "similarityScore" in a]
    assert machine and all(a["suggestionRank"] >= 1 for a in machine)
    assert mixed[0]["annotatedTarget"]["notation"] == "task/5" and "similarityScore" not in mixed[0]
    assert "sourceAnchors" in json.dumps(api.client.get("/context.jsonld").json())


def test_named_queries_answer_both_directions(api):
    rows = run_named(api, "statement-anchors.rq")
    by_statement = {}
    for r in rows:
        by_statement.setdefault(r["statement"], []).append(r)
    assert len(by_statement) == 142, "every statement of the reference release has anchors"
    confirmed = [r for r in by_statement[api.namespace + CONFIRMED] if r["method"] == "editorial"]
    assert [r["anchor"] for r in confirmed] == [api.namespace + TASK_7]
    grounded = run_named(api, "anchor-statements.rq")
    assert any(r["statement"] == api.namespace + CONFIRMED and r["anchor"] == api.namespace + TASK_7 for r in grounded)
    assert all(r["method"] in ("editorial", "machine-suggestion") for r in grounded)


def _hrefs(text: str, marker: str) -> list[str]:
    out = []
    for chunk in text.split(marker)[1:]:
        at = chunk.index('href="') + len('href="')
        out.append(chunk[at:chunk.index('"', at)])
    return out


# ---- the LER profiles ---------------------------------------------------------------------------

def _profile(api, path: str, token: str) -> dict:
    response = api.client.get(f"/{path}", params={"_profile": token})
    assert response.status_code == 200, response.text
    return response.json()


def test_ctdl_asn_aligns_a_statement_to_its_confirmed_anchors(api):
    assert _profile(api, CONFIRMED, "ctdl-asn")["ceasn:alignTo"] == [api.namespace + TASK_7]
    assert "ceasn:alignTo" not in _profile(api, SUGGESTED, "ctdl-asn"), "suggestions are not alignments"


def test_case_relates_a_statement_to_its_anchors_suggestions_grouped(api):
    doc = _profile(api, MIXED, "case")
    # CASE names a node by the UUID of its IRI (its uri is where the REST API serves it).
    mixed = str(uuid.uuid5(uuid.NAMESPACE_URL, api.namespace + MIXED))
    related = [a for a in doc["CFAssociations"] if a["associationType"] == "isRelatedTo"
               and a["originNodeURI"]["identifier"] == mixed]
    confirmed = [a for a in related if "CFAssociationGroupingURI" not in a]
    assert [a["destinationNodeURI"]["uri"] for a in confirmed] == [api.namespace + "occupation/29-1129.01/task/5"]
    suggested = [a for a in related if "CFAssociationGroupingURI" in a]
    assert suggested and all(a["CFAssociationGroupingURI"]["title"] == "Machine-suggested source anchors"
                             for a in suggested)
    package = _profile(api, RELEASE, "case")
    [grouping] = package["CFDefinitions"]["CFAssociationGroupings"]
    assert grouping["uri"] == suggested[0]["CFAssociationGroupingURI"]["uri"]


def test_ob3_aligns_an_achievement_to_confirmed_onet_anchors_only(api):
    onet = [a for a in _profile(api, CONFIRMED, "ob3")["alignment"] if a.get("targetType") == "ext:ONetElement"]
    assert [(a["targetUrl"], a["targetCode"]) for a in onet] == [(api.namespace + TASK_7, "task/7")]
    assert not [a for a in _profile(api, SUGGESTED, "ob3")["alignment"] if a.get("targetType") == "ext:ONetElement"]
