"""The headers that keep a browser from misusing an answer (issue 11), and request values written
into links encoded.

Every answer: X-Content-Type-Options: nosniff and a Referrer-Policy; every page a
Content-Security-Policy of this server's own files and no framing, which the pages keep: no
inline script or style, nothing loaded from another host; the data stays readable from any
origin. (That the pages still run under the policy in a browser, with no console error, is
test_browser.py's.)

In-process (app_fixtures), on one store kind (the first of SKILLSGRAPH_TEST_STORES): the headers
are the app's, whatever its store.
"""
from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest

from app_fixtures import bundled_app, first_store_kind

STATEMENT = "framework/29-1129.01/v26.05/ai-use/developing/1"
PAGES = ["/", "/sparql", "/docs", "/occupation/29-1129.01", "/framework/29-1129.01/v26.05", f"/{STATEMENT}",
         "/ontology", "/dataset", "/profiles", "/search?q=therapist", f"/trace/{STATEMENT}",
         "/crosswalk?from=onet-soc:29-1129.01&to=soc2018"]
ANSWERS = [("/occupation/29-1129.01", "application/ld+json"), ("/occupation/29-1129.01", "text/turtle"),
           ("/sparql?query=ASK%7B%7D", "application/sparql-results+json"), ("/occupations", "text/turtle"),
           ("/crosswalk?from=onet-soc:29-1129.01&to=soc2018", "text/csv"), ("/context.jsonld", "*/*"),
           ("/openapi.json", "*/*"), ("/static/docs.js", "*/*"), ("/nothing-here", "*/*"),
           ("/search?q=x", "*/*"), ("/sitemap.xml", "*/*")]
HTML = {"accept": "text/html"}


@pytest.fixture(scope="module")
def api(apps, bundled_home):
    return bundled_app(apps, first_store_kind(), bundled_home)


class PageParts(HTMLParser):
    """What a Content-Security-Policy of 'self' forbids a page, collected as it is read."""

    def __init__(self):
        super().__init__()
        self.inline_scripts, self.inline_styles, self.handlers, self.loaded = 0, 0, [], []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.handlers += [name for name in attributes if name.startswith("on")]
        if "style" in attributes:
            self.inline_styles += 1
        if tag == "style":
            self.inline_styles += 1
        if tag == "script":
            # Data blocks (JSON, JSON-LD) are not run, and a policy lets them be.
            runs = attributes.get("type", "text/javascript") in ("text/javascript", "module", "")
            self._in_script = runs and "src" not in attributes
            if "src" in attributes:
                self.loaded.append(attributes["src"])
        if tag == "link" and attributes.get("rel") in ("stylesheet", "icon"):
            self.loaded.append(attributes["href"])
        if tag == "img" and "src" in attributes:
            self.loaded.append(attributes["src"])

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.inline_scripts += 1


@pytest.mark.parametrize("path", PAGES)
def test_a_page_has_a_policy_of_its_own_files_and_keeps_it(api, path):
    response = api.client.get(path, headers=HTML)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    policy = {d.split()[0]: d.split()[1:] for d in response.headers["content-security-policy"].split("; ")}
    assert policy["default-src"] == ["'self'"] and policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"] and policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'self'"]
    assert "unsafe" not in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    parts = PageParts()
    parts.feed(response.text)
    assert parts.inline_scripts == 0 and parts.inline_styles == 0 and parts.handlers == []
    assert parts.loaded and all(not urlsplit(url).scheme and not url.startswith("//") for url in parts.loaded), parts.loaded


@pytest.mark.parametrize("path, accept", ANSWERS)
def test_every_answer_is_not_to_be_sniffed_and_the_data_stays_open_to_any_origin(api, path, accept):
    response = api.client.get(path, headers={"accept": accept, "origin": "https://elsewhere.example"})
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert response.headers["access-control-allow-origin"] == "*"
    assert "content-security-policy" not in response.headers, "the policy is for pages"


def test_a_preflight_and_a_304_carry_them_too(api):
    preflight = api.client.options("/sparql", headers={"origin": "https://elsewhere.example",
                                                       "access-control-request-method": "POST"})
    assert preflight.status_code == 200 and preflight.headers["x-content-type-options"] == "nosniff"
    first = api.client.get("/occupation/29-1129.01", headers=HTML)
    again = api.client.get("/occupation/29-1129.01", headers={**HTML, "if-none-match": first.headers["etag"]})
    assert again.status_code == 304 and again.headers["x-content-type-options"] == "nosniff"


def test_the_docs_are_started_from_a_file_served_as_a_script(api):
    page = api.client.get("/docs").text
    assert 'src="static/docs.js"' in page and 'data-openapi="openapi.json"' in page
    script = api.client.get("/static/docs.js")
    assert script.status_code == 200 and "javascript" in script.headers["content-type"]
    assert "SwaggerUIBundle(" in script.text


# ---- request values written into links ---------------------------------------------------------

AWKWARD = 'art & "therapy" <b>#1</b> 100%'


def test_search_writes_q_encoded_into_its_paging_links(api):
    """q with '&', '"', '<', '#' and '%' comes back whole from every link that repeats it: the
    JSON-LD view's pages, the page's paging and facet links, the Link header's alternates."""
    query = {"q": AWKWARD, "size": "1", "page": "2"}
    doc = api.client.get("/search", params={**query, "q": "therapist"}).json()
    assert doc["view"]["next"]
    doc = api.client.get("/search", params=query).json()
    for name in ("id", "first", "last", "previous"):
        assert parse_qs(urlsplit(doc["view"][name]).query)["q"] == [AWKWARD], doc["view"][name]
    page = api.client.get("/search", params=query, headers=HTML)
    hrefs = [value for name, value in PageLinks.of(page.text) if "q=" in value]
    assert hrefs, "the page links to other pages of its results"
    for href in hrefs:
        assert parse_qs(urlsplit(href).query)["q"] == [AWKWARD], href
    assert AWKWARD not in page.text, "shown only escaped"
    for link in page.headers["link"].split(", "):
        target = link.split(">;")[0].lstrip("<")
        if "q=" in target:
            assert parse_qs(urlsplit(target).query)["q"] == [AWKWARD], target


def test_a_location_made_from_the_request_is_a_uri(api):
    """Whatever the request's path or query holds, a location made from it (the crosswalk's id,
    a framework's redirect) is percent-encoded."""
    crosswalk = api.client.get("/crosswalk", params={"from": "onet-soc:29-1129.01", "to": "soc2018",
                                                       "suggestions": "false", "x": AWKWARD}).json()
    assert not set(' "<>') & set(crosswalk["id"]), crosswalk["id"]
    redirect = api.client.get("/framework/29-1129.01", params={"format": "ttl", "x": AWKWARD})
    assert redirect.status_code == 303 and not set(' "<>') & set(redirect.headers["location"])


class PageLinks(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        self.links += [(tag, value) for name, value in attrs if name == "href" and value]

    @classmethod
    def of(cls, html: str) -> list[tuple[str, str]]:
        parser = cls()
        parser.feed(html)
        return parser.links
