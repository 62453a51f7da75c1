"""The research questions, asked the way researchers ask them: the named queries of queries/*.rq
over the SPARQL endpoint, and /crosswalk and /trace over HTTP, all against the bundled data.
Expected answers come from the reference page (tests/seed_page.py), not from the loader.

In-process (app_fixtures.api, once per store kind): the answers are the subject, not a socket."""
from __future__ import annotations

import csv
import html
import io
from pathlib import Path

import httpx
import pytest

import yaml

from server_fixtures import REPO

QUERIES = REPO / "queries"
SG = "https://w3id.org/skillsgraph/ontology#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
RELEASE_PATH = "framework/29-1129.01/v26.05"
LEVELS = ["Emerging", "Developing", "Proficient", "Advanced"]


def run_named(server, name: str) -> list[dict[str, str]]:
    query = (QUERIES / name).read_text(encoding="utf-8")
    response = server.client.post(server.base_url + "/sparql", data={"query": query},
                          headers={"Accept": "application/sparql-results+json"}, timeout=60)
    assert response.status_code == 200, response.text
    return [{k: v["value"] for k, v in b.items()} for b in response.json()["results"]["bindings"]]


# ---- the named query library ---------------------------------------------------------------------

def test_every_named_query_is_titled_and_documented():
    files = sorted(QUERIES.glob("*.rq"))
    assert len(files) >= 5
    for file in files:
        lines = file.read_text(encoding="utf-8").splitlines()
        assert lines[0].startswith("# title: "), file.name
        assert any(line.startswith("# Question:") for line in lines), f"{file.name} says which question it answers"


def test_statements_by_level_answers_the_page(api, seed):
    rows = run_named(api, "statements-by-level.rq")
    expected = [(level, seed.roles[level], n) for level in LEVELS for n in range(1, len(seed.competencies[level]) + 1)]
    assert [(r["level"], r["roleTitle"], int(r["position"])) for r in rows] == expected
    for r in rows:
        page_item = seed.competencies[r["level"]][int(r["position"]) - 1]
        assert page_item.startswith(r["label"]), (r["label"], page_item)


def test_statement_sources_names_every_cited_source(api, seed, chip_sources):
    rows = run_named(api, "statement-sources.rq")
    expected = sorted((level, item.position, n, chip_sources[chip]) for level, items in seed.ai_use.items()
                      for item in items for n, chip in enumerate(item.chips, start=1))
    got = sorted((r["statement"].split("/")[-2].capitalize(), int(r["statement"].split("/")[-1]),
                  int(r["citationPosition"]), r["source"].rsplit("/", 1)[-1]) for r in rows)
    assert got == expected
    assert all(r["title"] and r.get("version") for r in rows), "every cited source names its release"


def test_occupation_cip_lists_the_page_programmes(api, seed):
    rows = run_named(api, "occupation-cip.rq")
    assert [r["cip"] for r in rows] == sorted(seed.cip)
    assert {r["soc"] for r in rows} == {seed.code[:7]} and {r["title"] for r in rows} == {seed.title}


def test_durable_domain_coverage_counts_each_level(api, seed):
    rows = run_named(api, "durable-domain-coverage.rq")
    got = {(int(r["number"]), r["level"]): int(r["statements"]) for r in rows}
    expected = {(d.number, level): len(items) for d in seed.domains for level, items in d.levels.items() if items}
    assert got == expected


def test_evidence_with_sources_gives_each_page_value_its_source(api, seed, chip_sources):
    rows = run_named(api, "evidence-with-sources.rq")
    assert len(rows) == len({(e.group, e.label) for e in seed.evidence if e.label} | {("WEF cluster", None)})
    shown = {r["label"]: r.get("value") or r.get("concept") for r in rows}
    for line in seed.evidence:
        if line.label:
            value = line.value.removesuffix("%").split(" / ")[0]
            assert shown[f"{line.group}: {line.label}"] in (value, value.replace("_ai_augmented", " AI-augmented")), line
    assert shown["WEF cluster: WEF cluster"] in [e.value for e in seed.evidence if e.group == "WEF cluster"]
    assert all(r["sourceTitle"] for r in rows)
    assert {r["source"].rsplit("/", 1)[-1] for r in rows} <= set(chip_sources.values())


def test_scale_mappings_give_every_editorial_mapping_with_its_justification(api, seed):
    rows = run_named(api, "scale-mappings.rq")
    editorial = yaml.safe_load((REPO / "data" / "registries" / "scale-mappings.yaml").read_text(encoding="utf-8"))
    levels = [r for r in rows if r["fromScheme"] == "Framework mastery levels"]
    assert [(int(r["fromRank"]), r["from"], r["relation"].rsplit("#", 1)[-1]) for r in levels] == [
        (n, level, m["relation"]) for n, (level, m) in enumerate(zip(LEVELS, editorial["levels"]), start=1)]
    assert [int(r["toRank"]) for r in levels] == [1, 2, 3, 4], "ordered scales map rung to rung"
    domains = sorted((r["from"], r["elementId"], r["relation"].rsplit("#", 1)[-1]) for r in rows if r not in levels)
    names = {d.name.lower().replace(" ", "-"): d.name for d in seed.domains}
    assert domains == sorted((names[m["domain"]], m["element_id"], m["relation"]) for m in editorial["domains"])
    assert {d for d, _, _ in domains} == set(names.values()), "all ten durable-skill domains are mapped"
    assert all(r["justification"].strip() and r["method"] == "editorial judgement" for r in rows)


def test_named_queries_are_listed_on_the_query_page(api):
    page = api.client.get(api.base_url + "/sparql", headers={"Accept": "text/html"}, timeout=30)
    assert page.status_code == 200
    for file in QUERIES.glob("*.rq"):
        title = file.read_text(encoding="utf-8").splitlines()[0].removeprefix("# title: ").strip()
        assert title in html.unescape(page.text), title


# ---- /crosswalk ---------------------------------------------------------------------------------

def crosswalk(server, accept: str = "application/ld+json", **params) -> httpx.Response:
    return server.client.get(server.base_url + "/crosswalk", params=params, headers={"Accept": accept}, timeout=60)


ONET_CIP = "Education: CIP 2020 to O*NET-SOC 2019 Crosswalk (2020)"


def _by_framework(server, paths: list[dict]) -> tuple[list[dict], list[dict]]:
    """The paths whose first hop the framework release asserts, and the others (the bundled crosswalks')."""
    ours = [p for p in paths if p["hops"][0]["assertedBy"]["id"] == server.namespace + RELEASE_PATH]
    return ours, [p for p in paths if p not in ours]


def test_occupation_to_cip_lists_the_page_programmes_with_provenance(api, seed):
    response = crosswalk(api, **{"from": "onet-soc:29-1129.01", "to": "cip2020"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/ld+json")
    doc = response.json()
    assert doc["startsAt"]["id"] == api.namespace + "occupation/29-1129.01"
    ours, published = _by_framework(api, doc["paths"])
    assert sorted(p["target"]["notation"] for p in ours) == sorted(seed.cip)
    for path in ours:
        [hop] = path["hops"]
        assert hop["relation"] == SG + "instructionalProgram" and hop["inverse"] is False
        assert hop["assertedBy"]["prefLabel"].startswith(seed.title)
    # O*NET's education crosswalk pairs Art Therapists with the same ten programmes
    assert sorted(p["target"]["notation"] for p in published) == (sorted(seed.cip) if api.published else [])
    for path in published:
        [hop] = path["hops"]
        assert hop["relation"] == SKOS + "relatedMatch" and hop["inverse"] is True
        assert hop["assertedBy"]["wasDerivedFrom"]["title"] == ONET_CIP


def test_cip_to_framework_goes_through_the_occupation(api):
    doc = crosswalk(api, **{"from": "cip2020:51.2301", "to": "framework"}).json()
    [path], published = _by_framework(api, doc["paths"])
    assert [h["to"]["id"].rsplit("/", 2)[-2:] for h in path["hops"]] == [["occupation", "29-1129.01"], ["29-1129.01", "v26.05"]]
    assert [h["inverse"] for h in path["hops"]] == [True, True]
    assert "impliedRelation" not in path, "framework links are not SKOS mappings"
    assert len(published) == (1 if api.published else 0)
    for path in published:   # through O*NET's education crosswalk, then the framework's own link
        assert [h["to"]["id"].rsplit("/", 2)[-2:] for h in path["hops"]] == [["occupation", "29-1129.01"],
                                                                             ["29-1129.01", "v26.05"]]
        assert path["hops"][0]["assertedBy"]["wasDerivedFrom"]["title"] == ONET_CIP
        assert path["hops"][1]["assertedBy"]["id"] == api.namespace + RELEASE_PATH


def test_crosswalk_as_csv_for_spreadsheets(api, seed):
    for response in (crosswalk(api, accept="text/csv", **{"from": "onet-soc:29-1129.01", "to": "cip2020"}),
                     crosswalk(api, accept="*/*", **{"from": "onet-soc:29-1129.01", "to": "cip2020", "format": "csv"})):
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(response.text)))
        ours = [r for r in rows if r["asserted_by"] == api.namespace + RELEASE_PATH]
        published = [r for r in rows if r not in ours]
        assert sorted(r["to_code"] for r in ours) == sorted(seed.cip)
        assert sorted(r["to_code"] for r in published) == (sorted(seed.cip) if api.published else [])
        assert {r["source_title"] for r in published} <= {ONET_CIP}
        assert {r["path"] for r in rows} == {str(n) for n in range(1, len(rows) + 1)}
        assert len(rows) == len(seed.cip) * (2 if api.published else 1)


@pytest.mark.parametrize("params, status, words", [
    ({"from": "cip:51", "to": "framework"}, 400, "expected <scheme>:<code>"),
    ({"from": "cip2020:51.23", "to": "framework"}, 400, "not a CIP 2020 code"),
    ({"from": "onet-soc:29-1129.01", "to": "naics"}, 400, "unknown scheme"),
    ({"from": "esco:not-a-uuid", "to": "onet-soc"}, 400, "not a ESCO occupations code"),
    ({"from": "soc2018:11-1111", "to": "framework"}, 404, "no SOC 2018 code 11-1111"),
    ({"to": "framework"}, 400, "from"),
])
def test_bad_crosswalk_questions_say_what_is_wrong(api, params, status, words):
    response = crosswalk(api, **params)
    assert response.status_code == status, response.text
    assert words in response.text


def test_crosswalk_refuses_formats_it_cannot_give(api):
    response = crosswalk(api, accept="application/rdf+xml", **{"from": "onet-soc:29-1129.01", "to": "cip2020"})
    assert response.status_code == 406


# ---- /trace/{statement} -------------------------------------------------------------------------

def test_trace_follows_a_statement_to_its_sources_and_programmes(api, seed, chip_sources):
    item = seed.ai_use["Developing"][0]
    response = api.client.get(f"{api.base_url}/trace/{RELEASE_PATH}/ai-use/developing/{item.position}",
                         headers={"Accept": "application/ld+json"}, timeout=60)
    assert response.status_code == 200, response.text
    doc = response.json()
    statement = doc["statement"]
    assert statement["prefLabel"] == item.label and statement["statementText"] == item.text
    assert statement["level"]["prefLabel"] == "Developing"
    assert statement["framework"]["id"] == api.namespace + RELEASE_PATH
    assert statement["occupation"]["onetSocCode"] == seed.code and statement["occupation"]["socCode"] == seed.code[:7]
    cited = [c["citedEntity"]["id"].rsplit("/", 1)[-1] for c in statement["citation"]]
    assert cited == [chip_sources[chip] for chip in item.chips]
    assert all(c["citedEntity"]["versionInfo"] for c in statement["citation"])
    towards = {c["towards"]: c["paths"] for c in doc["crosswalks"]}
    assert set(towards) == {"soc2018", "cip2020", "isco", "esco"}
    targets = [p["target"]["notation"] for p in towards["cip2020"]]
    assert sorted(set(targets)) == sorted(seed.cip), "the page's programmes (and O*NET's, the same ones)"
    assert len(targets) == len(seed.cip) * (2 if api.published else 1)


@pytest.mark.parametrize("path, status", [
    (f"{RELEASE_PATH}/ai-use/developing/99", 404),
    (f"{RELEASE_PATH}", 404),
    ("occupation/29-1129.01", 404),
])
def test_trace_of_what_is_not_a_statement_is_a_404(api, path, status):
    response = api.client.get(f"{api.base_url}/trace/{path}", timeout=30)
    assert response.status_code == status
    assert "no statement" in response.text


def test_a_store_read_past_the_time_limit_is_503_not_a_500(apps, bundled_home):
    """An overloaded server's document reads run past the time limit: that is the load, not the
    request, so the answer is 503 with Retry-After and the path, never an internal error."""
    from app_fixtures import bundled_app
    from skillsgraph.store.base import Limits
    slow = bundled_app(apps, "memory", bundled_home, Limits(timeout_seconds=1e-9))
    for path in (f"/trace/{RELEASE_PATH}/ai-use/developing/1", f"/{RELEASE_PATH}"):
        response = slow.client.get(f"{slow.base_url}{path}", headers={"Accept": "application/ld+json"})
        assert response.status_code == 503, (path, response.status_code, response.text[:200])
        assert path in response.text and "time limit" in response.text
        assert response.headers["retry-after"] == "5"
