"""For harvesters, over the two-release data: robots.txt, the sitemap (an index of pages when
large), Last-Modified on every document and If-Modified-Since.

In-process (app_fixtures: the two-release data on the oxigraph store, with
SKILLSGRAPH_SITEMAP_PAGE_SIZE set while its app is made and while each of its tests runs;
api for the bundled data), except the restart test: a restart of `skillsgraph serve` is a
property of the process and the CLI's build reuse, so it starts two real servers."""
from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime, parsedate_to_datetime

import httpx
import pytest

from app_fixtures import versioned_app
from seeded_homes import seed_home
from server_fixtures import start_kind, stop_server
from test_linked_data import sparql_select
from versioned_support import CODE, NEW, OLD, versioned_data

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
SG = "https://w3id.org/skillsgraph/ontology#"
PAGE_SIZE = 100


# A small page size, so that this catalogue needs a sitemap index.
HARVEST_ENV = {"SKILLSGRAPH_SITEMAP_PAGE_SIZE": str(PAGE_SIZE)}


@pytest.fixture(scope="module")
def harvest_app(apps, versioned):
    """The two-release data on the oxigraph store, its app made with the small page size."""
    return versioned_app(apps, "oxigraph", versioned, env=HARVEST_ENV)


@pytest.fixture
def harvest_server(harvest_app, monkeypatch):
    """harvest_app, with the small page size in the environment while the test runs (as the
    server process had it all along), and only then: the bundled-data test below has none."""
    for name, value in HARVEST_ENV.items():
        monkeypatch.setenv(name, value)
    return harvest_app


def _xml(r: httpx.Response) -> ET.Element:
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/xml")
    return ET.fromstring(r.content)


def _locs(root: ET.Element, tag: str) -> list[tuple[str, str]]:
    return [(e.findtext(f"{SM}loc"), e.findtext(f"{SM}lastmod")) for e in root.findall(f"{SM}{tag}")]


def _page_iris(server) -> set[str]:
    rows = sparql_select(server, f"""PREFIX sg: <{SG}> SELECT DISTINCT ?s WHERE {{
        VALUES ?t {{ sg:Occupation sg:FrameworkRelease sg:CompetencyStatement sg:AIUseStatement sg:DurableSkillStatement }}
        ?s a ?t }}""")
    return {r["s"]["value"] for r in rows if r["s"]["value"].startswith(server.namespace)}


def test_robots_txt_points_to_the_sitemap(harvest_server):
    r = harvest_server.client.get(harvest_server.base_url + "/robots.txt")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")
    assert f"Sitemap: {harvest_server.base_url}/sitemap.xml" in r.text.splitlines()
    assert "User-agent: *" in r.text


@pytest.fixture(scope="module")
def sitemap_urls(harvest_app) -> list[tuple[str, str]]:
    with pytest.MonkeyPatch.context() as patch:
        for name, value in HARVEST_ENV.items():
            patch.setenv(name, value)
        return _read_sitemap(harvest_app)


def _read_sitemap(harvest_server) -> list[tuple[str, str]]:
    index = _xml(harvest_server.client.get(harvest_server.base_url + "/sitemap.xml"))
    assert index.tag == f"{SM}sitemapindex"
    pages = _locs(index, "sitemap")
    urls: list[tuple[str, str]] = []
    for n, (loc, lastmod) in enumerate(pages, start=1):
        assert loc == f"{harvest_server.base_url}/sitemap-{n}.xml" and lastmod
        page = _xml(harvest_server.client.get(loc))
        assert page.tag == f"{SM}urlset"
        found = _locs(page, "url")
        assert 0 < len(found) <= PAGE_SIZE
        urls += found
    assert len(pages) == math.ceil(len(urls) / PAGE_SIZE)
    return urls


def test_the_sitemap_lists_every_occupation_release_and_statement_once(harvest_server, sitemap_urls):
    locs = [loc for loc, _ in sitemap_urls]
    assert len(locs) == len(set(locs))
    expected = {harvest_server.url_for(i) for i in _page_iris(harvest_server)}
    # 1,016 occupations (the bundled crosswalks' O*NET-SOC 2019 codes), two releases, 142 statements each
    assert len(expected) == 1016 + 2 + 2 * 142
    assert expected <= set(locs)
    for path in (f"occupation/{CODE}", OLD, NEW, f"{OLD}/competency/proficient/9", f"{NEW}/competency/advanced/11"):
        assert f"{harvest_server.base_url}/{path}" in locs
    # The framework IRI only redirects to its latest release: crawlers are not sent to it.
    assert f"{harvest_server.base_url}/framework/{CODE}" not in locs


def test_lastmod_is_the_time_of_the_build_and_matches_last_modified(harvest_server, sitemap_urls):
    lastmods = {lastmod for _, lastmod in sitemap_urls}
    assert len(lastmods) == 1
    lastmod = datetime.fromisoformat(lastmods.pop())
    built = datetime.fromtimestamp(int((harvest_server.home / "skillsgraph.nq").stat().st_mtime), tz=timezone.utc)
    assert lastmod == built
    r = harvest_server.client.get(harvest_server.base_url + "/sitemap.xml")
    assert parsedate_to_datetime(r.headers["last-modified"]) == built


def test_sampled_sitemap_urls_answer_with_html_pages(harvest_server, sitemap_urls):
    for loc, _ in sitemap_urls[::15]:
        r = harvest_server.client.get(loc, headers={"Accept": "text/html"})
        assert r.status_code == 200, loc
        assert r.headers["content-type"].startswith("text/html"), loc


@pytest.mark.parametrize("page", ["0", "999", "abc", "-1"])
def test_pages_outside_the_index_are_404(harvest_server, page):
    r = harvest_server.client.get(f"{harvest_server.base_url}/sitemap-{page}.xml")
    assert r.status_code == 404
    assert "pages run from 1 to" in r.text


def test_a_small_catalogue_has_one_urlset(api):
    root = _xml(api.client.get(api.base_url + "/sitemap.xml"))
    assert root.tag == f"{SM}urlset"
    locs = {loc for loc, _ in _locs(root, "url")}
    assert {api.url_for(i) for i in _page_iris(api)} <= locs
    assert len(locs) >= 1 + 1 + 142


DOCUMENTS = [
    ("", "text/html"), (f"{OLD}/competency/proficient/9", "text/turtle"), (f"{OLD}/competency/proficient/9", "text/html"),
    (NEW, "application/ld+json"), (f"occupation/{CODE}", "application/n-triples"), ("occupations", "application/ld+json"),
    ("dataset", "text/turtle"), ("sources", "application/ld+json"), ("context.jsonld", "application/ld+json"),
    ("sitemap.xml", "application/xml"), ("robots.txt", "text/plain"),
    ("sparql?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D", "application/sparql-results+json"),
]


@pytest.mark.parametrize("path,accept", DOCUMENTS)
def test_every_document_has_last_modified_and_answers_if_modified_since(harvest_server, path, accept):
    url = f"{harvest_server.base_url}/{path}"
    first = harvest_server.client.get(url, headers={"Accept": accept}, timeout=60)
    assert first.status_code == 200, first.text
    stamp = first.headers["last-modified"]
    modified = parsedate_to_datetime(stamp)
    assert modified.tzinfo is not None and modified <= datetime.now(timezone.utc)
    same = harvest_server.client.get(url, headers={"Accept": accept, "If-Modified-Since": stamp}, timeout=60)
    assert same.status_code == 304 and same.content == b""
    assert same.headers["last-modified"] == stamp
    later = format_datetime(modified + timedelta(days=1), usegmt=True)
    assert harvest_server.client.get(url, headers={"Accept": accept, "If-Modified-Since": later}, timeout=60).status_code == 304
    earlier = format_datetime(modified - timedelta(seconds=1), usegmt=True)
    again = harvest_server.client.get(url, headers={"Accept": accept, "If-Modified-Since": earlier}, timeout=60)
    assert again.status_code == 200 and again.content == first.content


def test_etag_wins_over_if_modified_since_and_a_bad_date_is_ignored(harvest_server):
    url = f"{harvest_server.base_url}/{OLD}/competency/proficient/9"
    first = harvest_server.client.get(url, headers={"Accept": "text/turtle"})
    stamp, etag = first.headers["last-modified"], first.headers["etag"]
    assert etag
    stale_etag = harvest_server.client.get(url, headers={"Accept": "text/turtle", "If-Modified-Since": stamp, "If-None-Match": '"other"'})
    assert stale_etag.status_code == 200
    both = harvest_server.client.get(url, headers={"Accept": "text/turtle", "If-Modified-Since": stamp, "If-None-Match": etag})
    assert both.status_code == 304 and both.headers["last-modified"] == stamp
    for bad in ("yesterday", "", "Mon, 99 Foo 2026 99:99:99 GMT"):
        r = harvest_server.client.get(url, headers={"Accept": "text/turtle", "If-Modified-Since": bad})
        assert r.status_code == 200 and r.content == first.content, bad


def test_last_modified_is_stable_across_a_restart_of_the_same_build(tmp_path, versioned):
    # The first server finds the two-release data built in its home and its store loaded (a copy
    # of the session's versioned home), as a restart after `skillsgraph build --data` finds them.
    home = seed_home(versioned.home, tmp_path / "home")
    data = versioned_data(home)
    first = start_kind(home, "oxigraph", ["--data", str(data)], env=HARVEST_ENV, timeout=180)
    try:
        url = "/" + OLD
        before = httpx.get(first.base_url + url, timeout=60).headers["last-modified"]
        build_mtime = (first.home / "skillsgraph.nq").stat().st_mtime
        # The memory store: a second process must not open the first one's on-disk store.
        again = start_kind(first.home, "memory", ["--data", str(data)])
        try:
            answer = httpx.get(again.base_url + url, timeout=60)
            assert answer.headers.get("last-modified") == before, (answer.status_code, answer.text)
            assert (first.home / "skillsgraph.nq").stat().st_mtime == build_mtime
        finally:
            stop_server(again)
    finally:
        stop_server(first)


def test_post_queries_carry_no_last_modified(harvest_server):
    r = harvest_server.client.post(harvest_server.base_url + "/sparql", data={"query": "ASK { ?s ?p ?o }"},
                   headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200 and "last-modified" not in r.headers
    assert re.match(r"\{", r.text.strip())
