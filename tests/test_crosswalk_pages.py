"""The crosswalk explorer: /crosswalk and /trace as pages when a browser asks, drawing the same
paths their JSON-LD gives, every box a link to the code's page, with the form and the downloads
of the same answer; and the links that lead there from framework, occupation and statement pages.

In-process (app_fixtures.api, once per store kind): the pages need no socket.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit

from server_fixtures import NAMESPACE

HTML = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
STATEMENT = "framework/29-1129.01/v26.05/ai-use/developing/1"


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[dict] = []
        self.paths = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a":
            self.links.append(a)
        if tag == "li" and a.get("class") == "path":
            self.paths += 1


def page(api, path: str, **params) -> tuple[_Links, str]:
    r = api.client.get(api.base_url + path, params=params, headers=HTML)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html"), (path, r.status_code)
    parsed = _Links()
    parsed.feed(r.text)
    return parsed, r.text


def test_the_explorer_draws_the_paths_the_json_ld_gives(api):
    params = {"from": "onet-soc:29-1129.01", "to": "cip2020"}
    doc = api.client.get(api.base_url + "/crosswalk", params=params).json()
    links, text = page(api, "/crosswalk", **params)
    assert links.paths == len(doc["paths"]) > 0
    targets = {p["target"]["id"] for p in doc["paths"]}
    assert NAMESPACE + "cip2020/51.2301" in targets
    nodes = {a["title"]: a["href"] for a in links.links if "node" in a.get("class", "")}
    for target in targets:
        assert nodes[target] == target[len(NAMESPACE):]  # each box links to the code's page here
    # Each hop's provenance is on the page: its relation, and for a published mapping its source's licence and row.
    hops = [h for p in doc["paths"] for h in p["hops"]]
    for hop in hops:
        derived = hop["assertedBy"].get("wasDerivedFrom", {})
        if "crosswalkRow" in hop["assertedBy"]:
            assert f"<td>{hop['assertedBy']['crosswalkRow']}</td>" in text
        if "license" in derived:
            assert derived["license"] in text
    downloads = {a.get("href") for a in links.links if a.get("class") == "download"}
    for fmt in ("csv", "jsonld"):
        href = next(h for h in downloads if f"format={fmt}" in h)
        assert dict(parse_qsl(urlsplit(href).query)) == {**params, "format": fmt}
        answer = api.client.get(api.base_url + "/crosswalk" + href)
        assert answer.status_code == 200 and answer.headers["content-type"].startswith(
            "text/csv" if fmt == "csv" else "application/ld+json")
    assert '<select name="to">' in text and 'value="cip2020" selected' in text


def test_the_explorer_keeps_its_errors_plain(api):
    r = api.client.get(api.base_url + "/crosswalk", params={"from": "onet-soc:nope", "to": "cip2020"}, headers=HTML)
    assert r.status_code == 400 and "'nope'" in r.text and r.headers["content-type"].startswith("text/plain")
    assert api.client.get(api.base_url + "/crosswalk", params={"from": "onet-soc:29-1129.01", "to": "cip2020"}).headers[
        "content-type"].startswith("application/ld+json")


def test_a_trace_page_draws_every_scheme_and_cites_the_sources(api):
    doc = api.client.get(api.base_url + "/trace/" + STATEMENT).json()
    links, text = page(api, "/trace/" + STATEMENT)
    assert links.paths == sum(len(c["paths"]) for c in doc["crosswalks"])
    for crosswalk in doc["crosswalks"]:
        assert f'id="towards-{crosswalk["towards"]}"' in text
    hrefs = [a.get("href", "") for a in links.links]
    base = api.base_url + "/trace/" + STATEMENT
    resolved = {urljoin(base, h) for h in hrefs}
    assert api.url_for(NAMESPACE + STATEMENT) in resolved
    for citation in doc["statement"]["citation"]:
        assert api.url_for(citation["citedEntity"]["id"]) in resolved
    assert any(h.endswith("crosswalk?from=onet-soc%3A29-1129.01&to=esco") for h in hrefs)


def test_framework_occupation_and_statement_pages_lead_to_the_explorer(api):
    for path, wanted in (("/framework/29-1129.01/v26.05", "Crosswalks"), ("/occupation/29-1129.01", "Crosswalks"),
                         ("/" + STATEMENT, "Trace")):
        r = api.client.get(api.base_url + path, headers=HTML)
        found = re.search(r'<a (?:class="explore" )?href="([^"]+)">' + wanted, r.text)
        assert found, path
        target = urljoin(api.base_url + path, found.group(1).replace("&amp;", "&"))
        assert api.client.get(target, headers=HTML).status_code == 200, target
