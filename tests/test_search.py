"""Search as people and programs use it: ranked, prefix-aware and typo-tolerant, with facets and
paging, as JSON-LD or as a page, and the suggestions the header's search box shows.

In-process (app_fixtures.api, once per store kind; each store's index is built once, at its first
search). The stores of server_fixtures.PUBLISHED_KINDS also hold the bundled classifications, so
their answers add SOC, CIP, ISCO and ESCO concepts; what holds for every store is asserted on all.
The text side of search (normal form, edit distance) is checked without any app.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

from server_fixtures import NAMESPACE

from skillsgraph.api.search_text import allowed_edits, distance, is_code, normal, words

REPO = Path(__file__).resolve().parents[1]
OCCUPATION = yaml.safe_load((REPO / "data" / "frameworks" / "29-1129.01.yaml").read_text(encoding="utf-8"))["occupation"]
ART_THERAPISTS = NAMESPACE + "occupation/29-1129.01"
RELEASE = NAMESPACE + "framework/29-1129.01/v26.05"
ESCO_ART_THERAPIST = "http://data.europa.eu/esco/occupation/eb48ccbd-75f2-4799-81be-443034858473"
# What a person types for the Art Therapists: a related title, a title cut short, a title with typos.
QUERIES = ("art psychotherapist", "art therap", "arts thrapist")


def search(api, **params) -> dict:
    r = api.client.get(api.base_url + "/search", params=params)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/ld+json")
    return r.json()


# ---- ranking ---------------------------------------------------------------------------------

@pytest.mark.parametrize("query", QUERIES)
def test_the_art_therapists_come_first(api, query):
    doc = search(api, q=query, size=5)
    first = doc["member"][0]
    assert first["id"] == ART_THERAPISTS and first["onetSocCode"] == OCCUPATION["onet_soc"]
    assert first["prefLabel"] == OCCUPATION["title"] and first["framework"] == RELEASE
    titles = [OCCUPATION["title"], *OCCUPATION["related_titles"]]
    assert first["matchedTitle"] in titles


def test_a_typo_is_read_as_the_word_it_misses(api):
    doc = search(api, q="arts thrapist")
    assert doc["correctedQuery"] == "arts therapist"
    assert doc["member"][0]["matchedTitle"] == "Arts Therapist"
    # A query with every word known is read as typed.
    assert "correctedQuery" not in search(api, q="art therapist")


def test_an_exact_title_beats_a_title_that_only_contains_the_words(api):
    doc = search(api, q="art therapist", size=50)
    exact = [m for m in doc["member"] if m["matchedTitle"].lower() == "art therapist"]
    assert exact and doc["member"].index(exact[0]) < 3
    statements = [i for i, m in enumerate(doc["member"]) if m["searchKind"] == "statement"]
    assert statements and min(statements) > doc["member"].index(exact[0])


def test_statements_are_found_by_label_and_by_text(api):
    framework = yaml.safe_load((REPO / "data" / "frameworks" / "29-1129.01.yaml").read_text(encoding="utf-8"))
    statement = framework["framework"]["competencies"]["proficient"][2]
    iri = RELEASE + "/competency/proficient/3"
    by_label = search(api, q=statement["label"], kind="statement")
    assert by_label["member"][0]["id"] == iri and by_label["member"][0]["type"] == "Statement"
    assert by_label["member"][0]["level"] == NAMESPACE + "scale/mastery/proficient"
    by_text = search(api, q=" ".join(statement["text"].split()[:6]), kind="statement")
    assert iri in [m["id"] for m in by_text["member"][:3]]
    assert by_text["member"][[m["id"] for m in by_text["member"]].index(iri)]["matchedTitle"] == statement["text"]


def test_codes_are_looked_up_as_codes(api):
    doc = search(api, q="29-1129.01")
    assert doc["member"][0]["id"] == ART_THERAPISTS
    prefix = search(api, q="29-1129")
    assert ART_THERAPISTS in [m["id"] for m in prefix["member"]]
    assert all(m.get("onetSocCode", m.get("notation", "")).startswith("29-1129") for m in prefix["member"])


def test_classifications_are_searched_by_label_alternative_label_and_code(api):
    cip = search(api, q="51.2301")["member"][0]
    assert cip["id"] == NAMESPACE + "cip2020/51.2301" and cip["type"] == "InstructionalProgram"
    assert cip["notation"] == "51.2301"
    if not api.published:
        # The build alone knows the CIP codes the framework names, by their codes only, and no ESCO.
        assert cip["prefLabel"] == "51.2301"
        assert search(api, q="dramatherapist")["totalItems"] == 0
        return
    assert cip["prefLabel"] == "Art Therapy/Therapist."
    esco = search(api, q="art therapist", scheme="esco")["member"][0]
    assert esco["id"] == ESCO_ART_THERAPIST and esco["prefLabel"] == "art therapist"
    # ESCO's alternative label of the same occupation finds it too.
    assert ESCO_ART_THERAPIST in [m["id"] for m in search(api, q="dramatherapist")["member"][:3]]
    soc = search(api, q="therapists all other", scheme="soc2018")["member"][0]
    assert soc["id"] == NAMESPACE + "soc2018/29-1129"


# ---- facets and paging -------------------------------------------------------------------------

def test_facets_count_what_each_choice_keeps(api):
    everything = search(api, q="therap", size=500)
    kinds = everything["facets"]["kind"]
    assert sum(kinds.values()) == everything["totalItems"] == len(everything["member"])
    assert {m["searchKind"] for m in everything["member"]} == set(kinds)
    for kind, count in kinds.items():
        narrowed = search(api, q="therap", kind=kind, size=500)
        assert narrowed["totalItems"] == count == len(narrowed["member"])
        assert {m["searchKind"] for m in narrowed["member"]} == {kind}
        assert narrowed["facets"]["kind"] == kinds  # a facet's own choice does not narrow its counts
    levels = search(api, q="therap", kind="statement")["facets"]["level"]
    assert "Proficient" in levels
    proficient = search(api, q="therap", level="Proficient", size=500)
    assert proficient["totalItems"] == levels["Proficient"]
    assert {m["level"] for m in proficient["member"]} == {NAMESPACE + "scale/mastery/proficient"}


def test_pages_walk_every_result_once(api):
    whole = [m["id"] for m in search(api, q="art therap", size=500)["member"]]
    seen, page = [], 1
    while True:
        doc = search(api, q="art therap", size=7, page=page)
        seen += [m["id"] for m in doc["member"]]
        if "next" not in doc["view"]:
            break
        query = parse_qs(urlsplit(doc["view"]["next"]).query)
        assert query["q"] == ["art therap"] and query["page"] == [str(page + 1)]
        page += 1
    assert seen == whole and len(set(seen)) == len(seen) == doc["totalItems"]


def test_bad_search_parameters_say_what_is_wrong(api):
    r = api.client.get(api.base_url + "/search", params={"q": "art", "kind": "planet"})
    assert r.status_code == 400 and "kind='planet'" in r.text and "occupation" in r.text
    r = api.client.get(api.base_url + "/search", params={"q": "art", "scheme": "dewey"})
    assert r.status_code == 400 and "scheme='dewey'" in r.text
    assert api.client.get(api.base_url + "/search", params={"q": "x"}).status_code == 400
    assert search(api, q="?!*\"'")["totalItems"] == 0  # no word at all: nothing, not an FTS5 syntax error
    assert search(api, q='"art" OR NEAR(x')["totalItems"] >= 1  # FTS5 syntax in the text is just words


def test_a_query_too_broad_to_rank_is_refused_and_suggests_nothing(api, monkeypatch):
    """Counting a query's results has a bound: past MAX_MATCHES a query is a 400 that says why,
    and the search box suggests nothing yet."""
    from skillsgraph.api import search_index
    matches = search(api, q="therap", size=1)["totalItems"]
    monkeypatch.setattr(search_index, "MAX_MATCHES", 5)
    refused = api.client.get(api.base_url + "/search", params={"q": "therap"})
    assert refused.status_code == 400 and "q='therap' matches" in refused.text
    assert "more than the 5 a search ranks: add a word" in refused.text and matches > 5
    typed = api.client.get(api.base_url + "/search/suggest", params={"q": "therap"})
    assert typed.status_code == 200 and typed.json()["suggestions"] == []
    monkeypatch.undo()
    assert search(api, q="therap", size=1)["totalItems"] == matches


def test_a_broad_beginning_is_answered_with_exact_counts_and_pages(api):
    """Ranking reads only the best of a query's matches, so a beginning found in a good part of
    the index (over the catalogue "co" matched 133,402 texts, once refused) is answered whole."""
    first, second = search(api, q="co", size=20), search(api, q="co", size=20, page=2)
    both = search(api, q="co", size=40)
    assert first["totalItems"] == sum(first["facets"]["kind"].values()) > 40
    assert [m["id"] for m in first["member"] + second["member"]] == [m["id"] for m in both["member"]]
    assert not {m["id"] for m in first["member"]} & {m["id"] for m in second["member"]}
    statements = search(api, q="co", kind="statement", size=500)
    assert statements["totalItems"] == first["facets"]["kind"]["statement"]
    kept = [m["id"] for m in search(api, q="co", size=500)["member"] if m["searchKind"] == "statement"]
    assert kept and [m["id"] for m in statements["member"][:len(kept)]] == kept  # a filter keeps the order
    assert api.client.get(api.base_url + "/search/suggest", params={"q": "co"}).json()["suggestions"]


def _catalogue() -> list:
    """Resources of every boost and several facet groups, with many texts alike (ties to break)."""
    from skillsgraph.api.search_entries import Resource
    resources = []
    for i in range(240):
        kind, scheme, level = [("occupation", "onet-soc", None), ("occupation", "esco", None),
                               ("statement", "framework", "Proficient"), ("statement", "framework", "Novice")][i % 4]
        texts = {f"Care {['aide', 'worker', 'home assistant'][i % 3]} {i % 7}": "pref", f"care {i % 11}": "alternate",
                 "Plan the care of a person with a care plan": "text"}
        resources.append(Resource(f"urn:x:{i:03}", kind, scheme, level=level, texts=texts,
                                  framework="urn:x:framework" if i % 8 == 0 else None))
    return resources


def test_any_page_is_the_slice_of_the_whole_ranking():
    from skillsgraph.api.search_index import SearchIndex
    index = SearchIndex(_catalogue())
    for query in ("care", "car", "care aide", "care plan"):
        whole = index.search(query, 0, 500)
        assert whole.total == len(whole.hits) == len({h.iri for h in whole.hits})
        for offset, limit in ((0, 7), (7, 7), (50, 20), (whole.total - 5, 20)):
            assert index.search(query, offset, limit).hits == whole.hits[offset:offset + limit], (query, offset)
        for kind, scheme, level in (("statement", None, None), (None, "esco", None), (None, None, "Novice")):
            narrowed = index.search(query, 3, 9, kind=kind, scheme=scheme, level=level).hits
            kept = [h for h in whole.hits if h.kind == (kind or h.kind) and h.scheme == (scheme or h.scheme)
                    and h.level == (level or h.level)]
            assert narrowed == kept[3:12], (query, kind, scheme, level)
    # The occupations with a framework come first, then O*NET-SOC's own, then the rest.
    boosted = [h.framework is not None and h.kind == "occupation" for h in index.search("care", 0, 500).hits]
    assert boosted == sorted(boosted, reverse=True) and sum(boosted) == 30


def test_the_ranking_does_not_depend_on_the_order_resources_come_in():
    from skillsgraph.api.search_index import SearchIndex
    resources = _catalogue()
    forward, backward = SearchIndex(resources), SearchIndex(resources[::-1])
    for query in ("care", "care aide", "plan"):
        assert forward.search(query, 0, 500) == backward.search(query, 0, 500)


def test_the_merge_finds_what_scoring_every_text_would():
    import random
    from skillsgraph.api.search_ranking import Stream, best
    rng = random.Random(7)
    streams, scores = [], {}
    for _ in range(12):
        rows = sorted(((rng.randrange(40), round(rng.random(), 2), f"t{rng.randrange(9)}") for _ in range(30)),
                      key=lambda row: -row[1])
        bonus, boost = rng.choice((0.0, 4.0, 8.0)), rng.choice((0.0, 1.0, 7.0))
        streams.append(Stream(rows[0][1], bonus, boost, lambda rows=rows: iter(rows)))
        for resource, weight, _ in rows:
            scores[resource] = max(scores.get(resource, -1.0), 3.0 * weight + bonus + boost)
    for wanted in (1, 5, 17, 40, 100):
        found = best(streams, 3.0, wanted)
        assert [f.score for f in found][:wanted] == sorted(scores.values(), reverse=True)[:wanted]
        assert all(scores[f.resource] == f.score for f in found)  # each resource at its best text
        last = found[min(wanted, len(found)) - 1].score
        assert all(score < last for resource, score in scores.items() if resource not in {f.resource for f in found})


def test_a_stream_that_cannot_rank_is_never_read():
    from skillsgraph.api.search_ranking import Stream, best
    opened = []

    def rows(name, found):
        return lambda: opened.append(name) or iter(found)
    streams = [Stream(1.0, 8.0, 0.0, rows("starts", [(1, 1.0, "a"), (2, 0.9, "b")])),
               Stream(1.0, 0.0, 0.0, rows("plain", [(3, 1.0, "c")]))]
    assert [f.resource for f in best(streams, 2.0, 2)] == [1, 2] and opened == ["starts"]
    assert [f.resource for f in best(streams, 2.0, 3)] == [1, 2, 3] and opened == ["starts", "starts", "plain"]


def test_a_letter_alone_is_a_word_not_a_prefix():
    from skillsgraph.api.search_entries import Resource
    from skillsgraph.api.search_index import SearchIndex
    index = SearchIndex([Resource("urn:x:1", "occupation", "onet-soc", texts={"Vitamin A analyst": "pref"}),
                         Resource("urn:x:2", "occupation", "onet-soc", texts={"Vitamin Analyst Assistant": "pref"})])
    assert [h.iri for h in index.search("vitamin a").hits] == ["urn:x:1"]
    assert {h.iri for h in index.search("vitamin an").hits} == {"urn:x:1", "urn:x:2"}


# ---- representations ------------------------------------------------------------------------

class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []  # (class, href)
        self.forms: list[dict] = []
        self.ld_alternate: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a":
            self.links.append((a.get("class", ""), a.get("href", "")))
        elif tag == "form":
            self.forms.append(a)
        elif tag == "link" and a.get("rel") == "alternate" and a.get("type") == "application/ld+json":
            self.ld_alternate = a["href"]


def parse(text: str) -> _Page:
    page = _Page()
    page.feed(text)
    return page


def test_a_browser_gets_a_results_page_and_a_program_json_ld(api):
    browser = api.client.get(api.base_url + "/search", params={"q": "art psychotherapist"},
                             headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert browser.status_code == 200 and browser.headers["content-type"].startswith("text/html")
    assert "Accept" in browser.headers["vary"]
    page = parse(browser.text)
    results = [href for cls, href in page.links if cls == "result-title"]
    assert results[0] == "framework/29-1129.01/v26.05"  # an occupation with a framework leads to it
    assert "occupation/29-1129.01" in [href for _, href in page.links]
    assert page.ld_alternate and "format=jsonld" in page.ld_alternate
    linked = api.client.get(api.base_url + "/search" + page.ld_alternate)
    assert linked.headers["content-type"].startswith("application/ld+json")
    assert linked.json()["member"][0]["id"] == ART_THERAPISTS
    assert api.client.get(api.base_url + "/search", params={"q": "art", "format": "html"}).headers[
        "content-type"].startswith("text/html")
    as_json = api.client.get(api.base_url + "/search", params={"q": "art"}, headers={"Accept": "application/json"})
    assert as_json.headers["content-type"].startswith("application/ld+json")
    assert api.client.get(api.base_url + "/search", params={"q": "art"}, headers={"Accept": "image/png"}).status_code == 406


def test_the_results_page_narrows_by_facet_and_shows_the_reading(api):
    r = api.client.get(api.base_url + "/search", params={"q": "arts thrapist", "format": "html"})
    assert re.search(r'read as <strong class="corrected">arts therapist</strong>', r.text)
    r = api.client.get(api.base_url + "/search", params={"q": "therap", "format": "html"})
    facet_links = [href for _, href in parse(r.text).links if "kind=" in href]
    assert "search?q=therap&kind=statement" in facet_links
    narrowed = api.client.get(api.base_url + "/" + "search?q=therap&kind=statement&format=html")
    assert 'class="selected"' in narrowed.text and "Statement</span>" in narrowed.text


def test_every_page_has_the_search_box(api):
    for path in ("/", "/framework/29-1129.01/v26.05", "/framework/29-1129.01/v26.05/competency/proficient/3"):
        r = api.client.get(api.base_url + path, headers={"Accept": "text/html"})
        forms = [f for f in parse(r.text).forms if f.get("class") == "site-search"]
        assert len(forms) == 1, path
        depth = path.strip("/").count("/")
        root = "../" * depth if depth else "./"
        assert forms[0]["action"] == ("../" * depth) + "search"
        assert forms[0]["data-suggest"] == ("../" * depth) + "search/suggest" and forms[0]["data-root"] == root
    script = api.client.get(api.base_url + "/static/search.js")
    # The page says where suggestions come from; the script names no host and no path of its own.
    assert script.status_code == 200 and "://" not in script.text and "search/suggest" not in script.text.split("*/", 1)[1]


def test_suggestions_lead_to_the_framework(api):
    for query in QUERIES:
        r = api.client.get(api.base_url + "/search/suggest", params={"q": query})
        assert r.status_code == 200 and r.headers["content-type"] == "application/json"
        first = r.json()["suggestions"][0]
        assert first["href"] == "framework/29-1129.01/v26.05" and first["label"] == OCCUPATION["title"]
        assert "29-1129.01" in first["detail"]
    assert api.client.get(api.base_url + "/search/suggest", params={"q": "a"}).json()["suggestions"] == []


# ---- the text side ------------------------------------------------------------------------------

def test_texts_and_queries_share_one_normal_form():
    assert normal("Art Therapy/Therapist.") == "art therapy therapist"
    assert normal("Thérapeute  d’art") == "therapeute d art"
    assert words("  Board-Certified (ATR-BC) ") == ["board", "certified", "atr", "bc"]
    assert is_code("29-1129.01") and is_code("51.23") and not is_code("art 51")


def test_edit_distance_counts_typos_and_swaps():
    assert distance("thrapist", "therapist", 2) == 1
    assert distance("therpaist", "therapist", 2) == 1  # adjacent letters swapped
    assert distance("psychoterapist", "psychotherapist", 2) == 1
    assert distance("art", "nurse", 2) == 3  # past the limit: limit + 1
    assert [allowed_edits(w) for w in ("art", "arts", "therapy", "therapist")] == [0, 1, 2, 2]
