"""The HTML pages in a real headless Chromium (Debian's package, driven by Playwright):
the home page, the Art Therapists framework page, one statement's page and the SPARQL
query page with YASGUI running an example query against the live endpoint; the header's
search box with its suggestions, the crosswalk explorer and a statement's trace, the way from
the framework's chart to its occupation, /occupations and the registries, and the offline API
docs (those on the default store's server only, which serves the classifications).

Every page is checked against the bundled data files (never against hard-coded text),
and no page may make a request to any host but the local server. Screenshots are written
to the pytest temporary directory (printed with -s); look at them after a change of style.

Chromium comes from tests/browser_setup.sh (apt); `playwright install` is never used.

The browser tests use live servers (server_fixtures.live_server, once per store kind): a
browser needs a socket to load pages and run YASGUI's queries from. The last two tests read
pages without a browser and use the app in-process (app_fixtures.api).
"""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
import yaml



REPO = Path(__file__).resolve().parents[1]
FRAMEWORK_FILE = REPO / "data" / "frameworks" / "29-1129.01.yaml"
SCALES_FILE = REPO / "data" / "registries" / "scales.yaml"
SOURCES_FILE = REPO / "data" / "registries" / "sources.yaml"
DOMAINS_FILE = REPO / "data" / "registries" / "durable-domains.yaml"
QUERIES_DIR = REPO / "queries"
NAMESPACE = "https://w3id.org/skillsgraph/"
RELEASE = NAMESPACE + "framework/29-1129.01/v26.05"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
MASTERY = ["emerging", "developing", "proficient", "advanced"]

from playwright import sync_api  # noqa: E402  (a test extra: pip install -e '.[test]')


# ---- the data the pages must show ------------------------------------------------------------

@pytest.fixture(scope="module")
def framework() -> dict:
    return yaml.safe_load(FRAMEWORK_FILE.read_text(encoding="utf-8"))["framework"]


@pytest.fixture(scope="module")
def occupation() -> dict:
    return yaml.safe_load(FRAMEWORK_FILE.read_text(encoding="utf-8"))["occupation"]


@pytest.fixture(scope="module")
def role_titles() -> dict[str, str]:
    levels = yaml.safe_load(SCALES_FILE.read_text(encoding="utf-8"))["scales"]["mastery"]["levels"]
    return {level["code"]: level["role"] for level in levels}


@pytest.fixture(scope="module")
def sources() -> dict[str, dict]:
    return yaml.safe_load(SOURCES_FILE.read_text(encoding="utf-8"))["sources"]


def chip_text(source: dict) -> str:
    return source.get("chip") or source["title"]


# ---- the browser -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def browser():
    # A missing browser is a failure, not a skip: tests/run.sh installs it.
    assert Path(CHROMIUM).exists(), f"no Chromium at {CHROMIUM}: run tests/browser_setup.sh"
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("screenshots")
    print(f"\nscreenshots: {folder}")
    return folder


class Visit:
    """A browser page that records every request it makes and refuses any to another host."""

    def __init__(self, browser, width: int = 1280, height: int = 900):
        self.context = browser.new_context(viewport={"width": width, "height": height})
        self.requests: list[str] = []
        self.refused: list[str] = []
        self.errors: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _route(self, route) -> None:
        if is_local(route.request.url):
            route.continue_()
        else:
            self.refused.append(route.request.url)
            route.abort()

    def external_requests(self) -> list[str]:
        return sorted({u for u in self.requests + self.refused if not is_local(u)})

    def close(self) -> None:
        self.context.close()


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about"):
        return True
    return parts.hostname in LOCAL_HOSTS


@pytest.fixture
def visit(browser):
    v = Visit(browser)
    yield v
    v.close()


def assert_stayed_local(v: Visit) -> None:
    assert v.requests, "the page made no requests at all: was it loaded?"
    assert v.external_requests() == [], f"requests left the machine: {v.external_requests()}"
    assert v.errors == [], f"JavaScript errors: {v.errors}"


def visible_text(page) -> str:
    """The text a person sees (innerText skips hidden elements), with whitespace collapsed."""
    return re.sub(r"\s+", " ", page.inner_text("body"))


def embedded_jsonld(page) -> dict:
    scripts = page.eval_on_selector_all('script[type="application/ld+json"]', "els => els.map(e => e.textContent)")
    assert len(scripts) == 1, f"expected one schema.org block, found {len(scripts)}"
    return json.loads(scripts[0])


# ---- the pages -----------------------------------------------------------------------------------

def test_home_page_links_to_the_framework_and_the_services(live_server, visit, screenshots):
    page = visit.page
    response = page.goto(live_server.base_url + "/", wait_until="networkidle")
    assert response.status == 200 and response.headers["content-type"].startswith("text/html")
    page.screenshot(path=screenshots / "home.png", full_page=True)
    text = visible_text(page)
    assert "Art Therapists" in text and "SPARQL" in text
    hrefs = set(page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"))
    base = live_server.base_url
    for path in ("/sparql", "/docs", "/occupations", "/dataset", "/ontology", "/dump/skillsgraph.nq.gz"):
        assert base + path in hrefs, f"no link to {path} on the home page"
    page.click("text=Open the Art Therapists framework")
    page.wait_for_load_state("networkidle")
    assert page.url == live_server.url_for(RELEASE)
    assert page.locator("h1").inner_text().strip() == "Art Therapists"
    assert_stayed_local(visit)


def test_framework_page_shows_the_whole_framework(live_server, visit, screenshots, framework, occupation,
                                                  role_titles, sources):
    page = visit.page
    # The framework's own IRI stands for its latest release and leads there.
    response = page.goto(live_server.url_for(NAMESPACE + "framework/29-1129.01"), wait_until="networkidle")
    assert response.status == 200 and response.headers["content-type"].startswith("text/html")
    assert page.url == live_server.url_for(RELEASE)
    page.screenshot(path=screenshots / "framework-top.png")
    page.screenshot(path=screenshots / "framework-full.png", full_page=True)
    text = visible_text(page)

    # Header: title, codes, job zone, version, context.
    assert page.locator("h1").inner_text().strip() == occupation["title"]
    for fact in (occupation["onet_soc"], occupation["onet_soc"][:7], occupation["job_zone"]["name"],
                 f"v.{framework['release']}", framework["context"]):
        assert fact in text, f"{fact!r} is not shown in the header"

    # The 40 competency labels, visible, in order within each mastery level, under the four role titles.
    labels = [s["label"] for level in MASTERY for s in framework["competencies"][level]]
    assert len(labels) == 40
    for label in labels:
        assert label in text, f"competency {label!r} is not visible"
    for level in MASTERY:
        section = page.locator(f"#competency-{level}")
        assert section.is_visible()
        shown = section.locator("a.label").all_inner_texts()
        assert shown == [s["label"] for s in framework["competencies"][level]], f"{level} statements out of order"
        assert role_titles[level] in section.inner_text()
    for role in role_titles.values():
        assert role in text

    # AI-use statements with their citation chips, in the order each statement cites.
    shown = page.eval_on_selector_all("#ai-use li", """els => els.map(li => [
        li.querySelector('a.label') ? li.querySelector('a.label').innerText.trim() : null,
        Array.from(li.querySelectorAll('.chip')).map(c => c.innerText.trim())])""")
    expected = [[s["label"], [chip_text(sources[c]) for c in s.get("cites", [])]]
                for level in MASTERY for s in framework["ai_use"].get(level, [])]
    assert shown == expected
    chip = page.locator("#ai-use .chip").first
    assert chip.is_visible()

    # Evidence, durable-skill domains, descriptors, related titles, tasks, CIP codes, sources.
    domains = yaml.safe_load(DOMAINS_FILE.read_text(encoding="utf-8"))["domains"]
    for domain in domains:
        if domain["code"] in framework["durable_skills"]:
            assert page.locator(f"#durable-{domain['code']}").is_visible()
            assert domain["label"] in text
    durable_labels = [s["label"] for levels in framework["durable_skills"].values() for ss in levels.values() for s in ss]
    assert page.locator("#durable-skills a.label").count() == len(durable_labels)
    for name in occupation["descriptors"]["skills"][:5] + occupation["related_titles"][:3] + occupation["tasks"][:2] \
            + occupation["cip"][:2]:
        assert name in text, f"{name!r} is not shown"
    assert page.locator("#evidence .card").count() >= 3
    for source in sources.values():
        if source["title"] in text:
            continue
        pytest.fail(f"source {source['title']!r} is not listed")
    assert "CC BY 4.0" in page.locator("#sources").inner_text()

    # schema.org for crawlers: the release as a DefinedTermSet of all its statements.
    doc = embedded_jsonld(page)
    assert doc["@context"] == "https://schema.org/" and doc["@type"] == "DefinedTermSet"
    assert doc["@id"] == RELEASE
    counted = 40 + sum(len(v) for v in framework["ai_use"].values()) + len(durable_labels)
    assert len(doc["hasDefinedTerm"]) == counted

    # A citation chip leads to the source's own page.
    first_cited = framework["ai_use"]["emerging"][0]["cites"][0]
    page.locator("#ai-use .chip").first.click()
    page.wait_for_load_state("networkidle")
    assert page.url == live_server.url_for(NAMESPACE + f"source/{first_cited}")
    assert page.locator("h1").inner_text().strip() == sources[first_cited]["title"]
    page.screenshot(path=screenshots / "source.png", full_page=True)
    assert_stayed_local(visit)


def test_statement_page_shows_label_text_and_schema_org(live_server, visit, screenshots, framework):
    statement = framework["competencies"]["proficient"][2]
    iri = RELEASE + "/competency/proficient/3"
    page = visit.page
    response = page.goto(live_server.url_for(iri), wait_until="networkidle")
    assert response.status == 200 and response.headers["content-type"].startswith("text/html")
    page.screenshot(path=screenshots / "statement.png", full_page=True)
    assert page.locator("h1").inner_text().strip() == statement["label"]
    assert page.locator("p.lead").inner_text().strip() == statement["text"]
    text = visible_text(page)
    assert "Proficient" in text and "Art Therapists framework" in text
    for name in ("JSON-LD", "Turtle", "N-Triples", "RDF/XML"):
        assert page.locator(f"p.formats >> text={name}").count() == 1
    doc = embedded_jsonld(page)
    assert doc["@context"] == "https://schema.org/"
    assert doc["@type"] == "DefinedTerm"
    assert doc["name"] == statement["label"] and doc["description"] == statement["text"]
    assert doc["inDefinedTermSet"]["@id"] == RELEASE and doc["termCode"] == "competency/proficient/3"
    # The breadcrumb leads back to the level on the framework page.
    page.locator("nav.trail a", has_text="Proficient").click()
    page.wait_for_load_state("networkidle")
    assert page.url == live_server.url_for(RELEASE) + "#competency-proficient"
    assert_stayed_local(visit)


def test_query_page_runs_examples_with_yasgui(live_server, visit, screenshots, framework, sources):
    page = visit.page
    response = page.goto(live_server.base_url + "/sparql", wait_until="networkidle")
    assert response.status == 200 and response.headers["content-type"].startswith("text/html")
    page.wait_for_selector(".yasqe_queryButton")
    domains_with_statements = len(framework["durable_skills"])
    expected = {
        "proficient": [s["label"] for s in framework["competencies"]["proficient"]],
        "ai-use": [s["label"] for level in MASTERY for s in framework["ai_use"].get(level, [])],
        "durable-counts": domains_with_statements,
        "sources": len(sources) + live_server.published,   # and the bundled published releases it serves
    }
    for example, want in expected.items():
        page.click(f"button[data-example='{example}']")
        page.evaluate("document.querySelectorAll('.yasr table').forEach(t => t.setAttribute('data-old', ''))")
        with page.expect_response(lambda r: urlsplit(r.url).path == "/sparql" and r.request.method == "POST") as answer:
            page.click(".yasqe_queryButton")
        assert answer.value.status == 200, answer.value.text()
        rows = want if isinstance(want, int) else len(want)
        page.wait_for_function(
            "n => document.querySelectorAll('.yasr table.dataTable:not([data-old]) tbody tr').length === n"
            " && !document.querySelector('.yasr table.dataTable tbody td.dt-empty')", arg=rows)
        if isinstance(want, list):
            cells = page.eval_on_selector_all(
                ".yasr table.dataTable tbody tr", "trs => trs.map(tr => Array.from(tr.querySelectorAll('td')).map(td => td.innerText.trim()))")
            label_column = [next(c for c in row if c in want) for row in cells]
            assert label_column == want, f"example {example!r} shows the wrong rows"
        if example == "sources":
            # IRIs this server serves link here, not to their canonical host.
            links = page.eval_on_selector_all(".yasr table.dataTable tbody tr td:first-child a", "as => as.map(a => a.href)")
            assert len(links) == expected["sources"]
            assert all(link.startswith(live_server.base_url + "/source/") for link in links), links
        page.screenshot(path=screenshots / f"query-{example}.png", full_page=True)
    # The endpoint is this server's; nothing was kept in the browser.
    assert page.locator(".yasgui input.autocomplete").input_value() == live_server.base_url + "/sparql"
    assert page.evaluate("window.localStorage.length") == 0
    titles = []
    for file in sorted(QUERIES_DIR.glob("*.rq")):
        first = file.read_text(encoding="utf-8").splitlines()[:1]
        match = re.match(r"\s*#\s*title\s*:\s*(.+)", first[0] if first else "", re.IGNORECASE)
        titles.append(match.group(1).strip() if match else file.stem)
    text = visible_text(page)
    for title in titles:
        assert title in text, f"named query {title!r} is not offered"
    assert_stayed_local(visit)


def test_pages_reference_nothing_outside_the_server(api):
    """Stylesheets, scripts, icons and images all come from this server, by relative URL."""
    for path in ("/", "/sparql", "/framework/29-1129.01/v26.05", "/framework/29-1129.01/v26.05/ai-use/developing/1",
                 "/occupation/29-1129.01", "/source/onet-30.2", "/ontology"):
        r = api.client.get(api.base_url + path, headers={"Accept": "text/html"}, follow_redirects=True)
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/html"), path
        loaded = re.findall(r'<(?:script|img|iframe)[^>]*\ssrc="([^"]+)"|<link[^>]*\shref="([^"]+)"', r.text)
        for url in (a or b for a, b in loaded):
            assert not re.match(r"(?i)^(https?:)?//", url), f"{path} loads {url} from elsewhere"
    css = api.client.get(api.base_url + "/static/site.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert "url(" not in css.text and "@import" not in css.text
    yasgui_css = api.client.get(api.base_url + "/static/yasgui/yasgui.min.css").text
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", yasgui_css) and "@import" not in yasgui_css
    assert api.client.get(api.base_url + "/static/yasgui/yasgui.min.js").status_code == 200
    assert api.client.get(api.base_url + "/static/%2e%2e/pages.py").status_code == 404
    assert api.client.get(api.base_url + "/static/nothing-here.css").status_code == 404


def test_occupation_page_describes_the_occupation_for_crawlers(api, occupation):
    r = api.client.get(api.url_for(NAMESPACE + "occupation/" + occupation["onet_soc"]), headers={"Accept": "text/html"})
    assert r.status_code == 200
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', r.text, re.S)
    assert len(blocks) == 1
    doc = json.loads(blocks[0])
    assert doc["@context"] == "https://schema.org/" and doc["@type"] == "Occupation"
    assert doc["name"] == occupation["title"]
    codes = {c["codeValue"]: c for c in doc["occupationalCategory"]}
    assert set(codes) == {occupation["onet_soc"], occupation["onet_soc"][:7]}
    assert all(c["@type"] == "CategoryCode" and c["inCodeSet"]["@type"] == "CategoryCodeSet" for c in codes.values())
    assert [s["name"] for s in doc["skills"]] == occupation["descriptors"]["skills"]
    assert all(s["@type"] == "DefinedTerm" for s in doc["skills"])


# ---- finding one's way: the search box, the crosswalk explorer, the API docs --------------------
# On the default store only (server_fixtures.PUBLISHED_KINDS' first), which serves the bundled
# classifications the explorer's paths land on; a few page visits, the browser is slow.

ESCO_ART_THERAPIST = "http://data.europa.eu/esco/occupation/eb48ccbd-75f2-4799-81be-443034858473"


@pytest.fixture(scope="module")
def published_server(live_servers):
    from server_fixtures import PUBLISHED_KINDS
    return live_servers.of_kind(PUBLISHED_KINDS[0])


@pytest.fixture
def quiet_visit(visit):
    """A visit that also records what the page logs as an error (a failed load, a script's complaint)."""
    visit.console: list[str] = []
    visit.page.on("console", lambda message: visit.console.append(message.text) if message.type == "error" else None)
    yield visit
    assert visit.console == [], f"console errors: {visit.console}"


def _type_and_follow(page, query: str) -> str:
    """Type into the header's search box, wait for the suggestions, open the first one."""
    box = page.locator("form.site-search input[name=q]")
    box.fill("")
    box.press_sequentially(query, delay=20)
    first = page.locator("ul.suggestions li[role=option] a").first
    first.wait_for(state="visible")
    label = first.locator(".label").inner_text()
    first.click()
    page.wait_for_load_state("networkidle")
    return label


def test_the_search_box_reaches_the_framework(published_server, quiet_visit, screenshots, occupation):
    page = quiet_visit.page
    page.goto(published_server.base_url + "/", wait_until="networkidle")
    box = page.locator("form.site-search input[name=q]")
    box.press_sequentially("art therap", delay=20)
    page.locator("ul.suggestions li[role=option]").first.wait_for(state="visible")
    page.screenshot(path=screenshots / "home-search.png")
    for query in ("art psychotherapist", "art therap", "arts thrapist"):
        assert _type_and_follow(page, query) == occupation["title"]
        assert page.url == published_server.url_for(RELEASE), query
        assert page.locator("h1").inner_text().strip() == occupation["title"]
    # Enter without choosing a suggestion opens the results page, the framework first.
    box.fill("art therapist")
    box.press("Enter")
    page.wait_for_load_state("networkidle")
    assert urlsplit(page.url).path == "/search"
    page.screenshot(path=screenshots / "search-results.png")
    first = page.locator("ol.results a.result-title").first
    assert first.inner_text().strip() == occupation["title"]
    first.click()
    page.wait_for_load_state("networkidle")
    assert page.url == published_server.url_for(RELEASE)
    assert_stayed_local(quiet_visit)


def test_the_crosswalk_explorer_follows_paths_from_the_framework(published_server, quiet_visit, screenshots):
    page = quiet_visit.page
    page.goto(published_server.url_for(RELEASE), wait_until="networkidle")
    page.screenshot(path=screenshots / "framework-page.png")
    page.locator("nav.toc a", has_text="Crosswalks").click()
    page.wait_for_load_state("networkidle")
    assert urlsplit(page.url).path == "/crosswalk"
    assert page.locator("li.path").count() >= 1
    page.screenshot(path=screenshots / "crosswalk-explorer.png")
    page.locator("a.node.target", has_text="51.2301").first.click()
    page.wait_for_load_state("networkidle")
    assert page.url == published_server.url_for(NAMESPACE + "cip2020/51.2301")
    assert page.locator("h1").inner_text().strip() == "Art Therapy/Therapist."
    page.go_back(wait_until="networkidle")
    page.select_option("form.crosswalk-form select[name=to]", "esco")
    page.locator("form.crosswalk-form button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert dict(parse_qsl(urlsplit(page.url).query))["to"] == "esco"
    page.locator("a.node.target", has_text="art therapist").first.click()
    page.wait_for_load_state("networkidle")
    parts = urlsplit(page.url)
    assert parts.path == "/describe" and dict(parse_qsl(parts.query))["iri"] == ESCO_ART_THERAPIST
    assert page.locator("h1").inner_text().strip().lower() == "art therapist"
    assert_stayed_local(quiet_visit)


def test_a_statement_leads_to_its_trace(published_server, quiet_visit, screenshots):
    page = quiet_visit.page
    page.goto(published_server.url_for(RELEASE + "/ai-use/developing/1"), wait_until="networkidle")
    page.screenshot(path=screenshots / "statement-page.png")
    page.locator("p.explore a", has_text="Trace").click()
    page.wait_for_load_state("networkidle")
    assert urlsplit(page.url).path == "/trace/framework/29-1129.01/v26.05/ai-use/developing/1"
    for scheme in ("soc2018", "cip2020", "isco", "esco"):
        assert page.locator(f"#towards-{scheme} li.path").count() >= 1, scheme
    assert_stayed_local(quiet_visit)


def test_the_api_docs_render_offline(published_server, quiet_visit, screenshots):
    page = quiet_visit.page
    page.goto(published_server.base_url + "/docs", wait_until="networkidle")
    page.locator(".opblock").first.wait_for(state="visible")
    paths = page.eval_on_selector_all(".opblock-summary-path", "els => els.map(e => e.getAttribute('data-path'))")
    for path in ("/search", "/crosswalk", "/sparql", "/occupations"):
        assert path in paths, f"{path} is not rendered"
    page.screenshot(path=screenshots / "docs.png")
    assert_stayed_local(quiet_visit)


def test_the_framework_page_leads_to_its_occupation_and_the_registries(published_server, quiet_visit, screenshots,
                                                                        occupation):
    """The statements chart links into the page; the occupation, /occupations and the registries
    follow, each drawn from the server alone."""
    page = quiet_visit.page
    page.goto(published_server.url_for(RELEASE), wait_until="networkidle")
    assert page.locator("#chart-levels svg").is_visible() and page.locator("#chart-domains svg").is_visible()
    page.locator('#chart-levels a[href="#competency-proficient"]').click()
    assert urlsplit(page.url).fragment == "competency-proficient"
    page.locator("#explore a", has_text="Occupation").click()
    page.wait_for_load_state("networkidle")
    assert page.url == published_server.url_for(NAMESPACE + "occupation/" + occupation["onet_soc"])
    assert page.locator("h1").inner_text().strip() == occupation["title"]
    programmes = page.locator("#mappings-cip2020 tbody tr")
    assert programmes.count() >= len(occupation["cip"])
    page.screenshot(path=screenshots / "occupation-page.png", full_page=True)
    page.locator("header.site nav a", has_text="Occupations").click()
    page.wait_for_load_state("networkidle")
    assert urlsplit(page.url).path == "/occupations"
    first = page.locator("#occupation-list tbody tr").count()
    page.locator("nav.paging a[rel=next]").first.click()
    page.wait_for_load_state("networkidle")
    assert dict(parse_qsl(urlsplit(page.url).query))["page"] == "2" and page.locator("#occupation-list tbody tr").count() == first
    for path, table in (("/sources", "#source-list"), ("/scales", "table.registry-table"), ("/domains", "#domain-list")):
        page.goto(published_server.base_url + path, wait_until="networkidle")
        assert page.locator(f"{table} tbody tr").count() > 0, path
        page.screenshot(path=screenshots / f"{path.strip('/')}.png")
    assert_stayed_local(quiet_visit)
