"""Pages for every kind of resource, as a researcher reads them in a browser: the registries
(/sources, /scales, /domains) list what their documents hold; /occupations pages through every
occupation; an occupation's page shows its O*NET facts, tasks, descriptors, programmes and every
published mapping with its source, and charts its importance and level ratings once an O*NET
release is imported; a framework page charts its statements per level and domain; a statement
links its trace, its occupation and its LER profiles; no page holds an inline script, style or
event handler (a strict Content-Security-Policy would block them).

In-process (app_fixtures.api, once per store kind). The ratings need an imported O*NET release:
one app (oxigraph, the default store) serves the build with the 30.3 excerpt of
tests/onet_excerpts, whose Essential Skills rows are the real 29.3 ratings of 29-1129.01.
"""
from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import pytest
import yaml
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import RDF, SKOS

from app_fixtures import first_store_kind, write_build
from graph_support import DATA_DIR
from server_fixtures import NAMESPACE

HTML = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
SG = Namespace(NAMESPACE + "ontology#")
OCCUPATION = "occupation/29-1129.01"
STATEMENT = "framework/29-1129.01/v26.05/competency/proficient/3"
RELEASE = "framework/29-1129.01/v26.05"
EXCERPT_30_3 = Path(__file__).parent / "onet_excerpts" / "db_30_3_text"
# The real 29.3 ratings of 29-1129.01 that the excerpt's Essential Skills.txt holds: (IM, LV).
RATED = {"Reading Comprehension": ("3.88", "4"), "Active Listening": ("4", "4"),
         "Social Perceptiveness": ("4.25", "4.88"), "Coordination": ("3.25", "3.25")}


class _Page(HTMLParser):
    """Links (with their text), ids, inline scripts and styles, and the text of one element by id."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self.ids: set[str] = set()
        self.inline: list[str] = []
        self.titles: list[str] = []
        self._href: str | None = None
        self._text: list[str] = []
        self._script_src = True
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        for name in a:
            if name.startswith("on") or name == "style":
                self.inline.append(f"<{tag} {name}=...>")
        if tag == "style":
            self.inline.append("<style>")
        if tag == "script":
            self._script_src = "src" in a or a.get("type") == "application/ld+json"
        if tag == "a" and "href" in a:
            self._href, self._text = a["href"], []
        self._in_title = tag == "title"

    def handle_endtag(self, tag):
        if tag == "a" and self._href is not None:
            self.links.append((self._href, " ".join("".join(self._text).split())))
            self._href = None
        self._in_title = False

    def handle_data(self, data):
        if self._href is not None:
            self._text.append(data)
        if self._in_title:
            self.titles.append(data)
        if not self._script_src and data.strip():
            self.inline.append("<script> with inline code")
            self._script_src = True

    def hrefs(self, base: str) -> dict[str, str]:
        """Absolute link target -> its text (the last link to a target wins)."""
        return {urljoin(base, href): text for href, text in self.links}


def get_page(api, path: str) -> tuple[_Page, str, str]:
    url = api.base_url + "/" + path
    r = api.client.get(url, headers=HTML, timeout=60)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html"), (path, r.status_code, r.text[:300])
    parsed = _Page()
    parsed.feed(r.text)
    assert not parsed.inline, (path, parsed.inline)
    return parsed, r.text, url


def graph_of(api, path: str) -> Graph:
    r = api.client.get(api.base_url + "/" + path, headers={"Accept": "text/turtle"}, timeout=60)
    assert r.status_code == 200, path
    return Graph().parse(data=r.text, format="turtle")


def url(api, iri) -> str:
    return api.url_for(str(iri))


# ---- the registries -----------------------------------------------------------------------------

def test_sources_page_links_every_source_of_its_document_with_its_title(api):
    graph = graph_of(api, "sources")
    sources = set(graph.subjects(RDF.type, SG.Source))
    registry = yaml.safe_load((DATA_DIR / "registries" / "sources.yaml").read_text(encoding="utf-8"))["sources"]
    assert len(sources) == len(registry) + api.published  # the registry's, and each bundled release served
    page, _html, here = get_page(api, "sources")
    links = page.hrefs(here)
    for source in sources:
        title = next((str(t) for t in graph.objects(source, URIRef("http://purl.org/dc/terms/title"))), None)
        assert url(api, source) in links, source
        if title:
            assert links[url(api, source)] == title, source
    assert f"{len(sources)} sources" in _html


def test_sources_page_says_how_many_statements_cite_each_source(api):
    page, html, here = get_page(api, "sources")
    # O*NET 30.2 is cited by the AI-use and durable-skill statements of the reference framework.
    row = re.search(r'<tr id="onet-30.2">(.*?)</tr>', html, re.DOTALL)
    assert row, "the O*NET 30.2 row"
    cited = int(re.search(r"(\d+) statements?", row.group(1)).group(1))
    query = ("PREFIX cito: <http://purl.org/spar/cito/> SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE "
             f"{{ ?s cito:citesAsEvidence <{NAMESPACE}source/onet-30.2> }}")
    expected = api.client.get(api.base_url + "/sparql", params={"query": query},
                              headers={"Accept": "application/sparql-results+json"}).json()
    assert cited == int(expected["results"]["bindings"][0]["n"]["value"]) > 0


def test_scales_page_lists_every_level_with_its_rank_role_and_correspondence(api):
    graph = graph_of(api, "scales")
    levels = set(graph.subjects(SG.rank, None))
    assert len(levels) == 8
    page, html, here = get_page(api, "scales")
    links = page.hrefs(here)
    for level in levels:
        label = str(graph.value(level, SKOS.prefLabel))
        assert url(api, level) in links and label in links.values(), level
        role = graph.value(level, SG.roleTitle)
        if role is not None:
            assert str(role) in html
    # Each mastery level corresponds to the proficiency level of the same rank, shown on both sides.
    assert html.count(">closeMatch<") == 8


def test_domains_page_lists_each_domain_with_its_onet_matches_and_statements(api):
    graph = graph_of(api, "domains")
    domains = set(graph.subjects(RDF.type, SG.DurableSkillDomain))
    assert len(domains) == 10
    page, html, here = get_page(api, "domains")
    links = page.hrefs(here)
    for domain in domains:
        code = str(graph.value(domain, SKOS.notation))
        row = re.search(rf'<tr id="{re.escape(code)}">(.*?)</tr>', html, re.DOTALL).group(1)
        assert str(graph.value(domain, SKOS.prefLabel)) in row
        for relation in (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch, SKOS.relatedMatch):
            for element in graph.objects(domain, relation):
                assert url(api, element) in links, (domain, element)
                assert f">{relation.split('#')[-1]}<" in row
    communication = re.search(r'<tr id="communication">(.*?)</tr>', html, re.DOTALL).group(1)
    assert re.search(r">12 <span", communication), "the reference framework's 12 communication statements"


# ---- collections --------------------------------------------------------------------------------

def test_occupations_page_pages_through_the_same_members_as_its_json_ld(api):
    total = api.client.get(api.base_url + "/occupations", params={"size": 20}).json()["totalItems"]
    number = 2 if total > 20 else 1  # the kinds that serve the build alone know one occupation
    doc = api.client.get(api.base_url + "/occupations", params={"size": 20, "page": number}).json()
    page, html, here = get_page(api, f"occupations?size=20&page={number}")
    rows = re.findall(r"<tr><td><code>([^<]+)</code></td><td><a href=\"([^\"]+)\">", html)
    assert [code for code, _ in rows] == [m["onetSocCode"] for m in doc["member"]]
    assert [urljoin(here, href) for _, href in rows] == [url(api, m["id"]) for m in doc["member"]]
    assert f"of {doc['totalItems']}" in html
    links = page.hrefs(here)
    if number == 2:
        assert urljoin(here, "occupations?page=1&size=20") in links and urljoin(here, "occupations?page=3&size=20") in links
    last = max(1, -(-doc["totalItems"] // 20))
    final, final_html, _ = get_page(api, f"occupations?size=20&page={last}")
    assert 'rel="next"' not in final_html and ('rel="prev"' in final_html) == (last > 1)


def test_the_occupations_page_links_the_reference_framework(api):
    page, html, here = get_page(api, "occupations?size=500")
    links = page.hrefs(here)
    assert links[url(api, NAMESPACE + OCCUPATION)] == "Art Therapists"
    framework = [href for href, text in links.items() if text == "Skills framework"]
    assert url(api, NAMESPACE + "framework/29-1129.01") in framework


# ---- an occupation ------------------------------------------------------------------------------

def test_occupation_page_shows_its_facts_tasks_descriptors_and_programmes(api, seed):
    page, html, here = get_page(api, OCCUPATION)
    assert "<h1>Art Therapists</h1>" in html
    assert re.search(r"<dt>O\*NET-SOC</dt><dd>29-1129.01</dd>", html)
    assert re.search(r"<dt>SOC</dt><dd><a [^>]+>29-1129</a>", html)
    assert re.search(r"<dt>Job zone</dt><dd><a [^>]+>5 · Extensive Preparation</a>", html)
    tasks = unescape(re.search(r'<section id="tasks".*?</section>', html, re.DOTALL).group(0))
    for task in seed.tasks:
        assert task in tasks
    assert tasks.count("<li>") == len(seed.tasks), "each task once"
    programmes = re.search(r'<section id="programmes".*?</section>', html, re.DOTALL).group(0)
    assert re.findall(r">(\d\d\.\d{4})</a>", programmes) == sorted(seed.cip)
    descriptors = re.search(r'<section id="descriptors".*?</section>\s*</div>\s*</section>', html, re.DOTALL).group(0)
    assert "Social Perceptiveness" in descriptors
    links = page.hrefs(here)
    assert url(api, NAMESPACE + RELEASE) in links
    for target in ("soc2018", "cip2020", "isco", "esco"):
        assert urljoin(here, f"/crosswalk?from=onet-soc%3A29-1129.01&to={target}") in links


def test_occupation_page_lists_every_published_mapping_with_its_source(api):
    page, html, here = get_page(api, OCCUPATION)
    if not api.published:  # this kind serves the build alone (server_fixtures.PUBLISHED_KINDS): no mapping to list
        assert 'id="mappings"' not in html
        return
    section = re.search(r'<section id="mappings".*?(?=<section id="(?:ratings|descriptors)")', html, re.DOTALL).group(0)
    cip = re.search(r'<section id="mappings-cip2020">.*?</section>', section, re.DOTALL).group(0)
    row = re.search(r"<tr><td><a [^>]*><code>51.2301</code></a></td>(.*?)</tr>", cip, re.DOTALL).group(1)
    assert "Art Therapy/Therapist." in row and "relatedMatch" in row and "CC BY 4.0" in row
    assert "CIP 2020 to O*NET-SOC 2019" in row
    esco = re.search(r'<section id="mappings-esco">.*?</section>', section, re.DOTALL).group(0)
    assert "art therapist" in esco
    soc = re.search(r'<section id="mappings-soc2018">.*?</section>', section, re.DOTALL).group(0)
    assert "<code>29-1129</code>" in soc
    # As many rows as the occupation has mapping nodes to these code lists, each once.
    query = ("PREFIX owl: <http://www.w3.org/2002/07/owl#> PREFIX sg: <https://w3id.org/skillsgraph/ontology#> "
             "SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE { { ?m owl:annotatedSource ?o } UNION { ?m owl:annotatedTarget ?o } "
             f"?m a sg:Mapping . VALUES ?o {{ <{NAMESPACE}{OCCUPATION}> }} }}")
    n = int(api.client.get(api.base_url + "/sparql", params={"query": query},
                           headers={"Accept": "application/sparql-results+json"}).json()["results"]["bindings"][0]["n"]["value"])
    assert section.count("<tr><td>") == n > 20


# ---- links from a statement and a release -------------------------------------------------------

def test_statement_page_links_its_trace_occupation_and_profiles(api):
    page, html, here = get_page(api, STATEMENT)
    links = page.hrefs(here)
    assert links[url(api, NAMESPACE + OCCUPATION)] == "Occupation: Art Therapists"
    assert urljoin(here, "/trace/" + STATEMENT) in links
    profiles = {href.rsplit("=", 1)[1]: href for href in links if "_profile=" in href}
    assert set(profiles) == {"ctdl-asn", "case", "ob3", "schema-org", "csv"}
    assert all(href == urljoin(here, f"/{STATEMENT}?_profile={token}") for token, href in profiles.items())
    # One followed (tests/test_profiles.py serves each): the statement's own row, in its profile.
    r = api.client.get(profiles["csv"])
    assert r.status_code == 200 and r.headers.get("content-profile") and NAMESPACE + STATEMENT in r.text


def test_framework_page_links_its_profiles_occupation_and_crosswalks(api):
    page, html, here = get_page(api, RELEASE)
    links = page.hrefs(here)
    assert {h.rsplit("=", 1)[1] for h in links if "_profile=" in h} == {"ctdl-asn", "case", "ob3", "schema-org", "csv"}
    assert links[url(api, NAMESPACE + OCCUPATION)] == "Occupation 29-1129.01"
    for target in ("soc2018", "cip2020", "isco", "esco"):
        assert urljoin(here, f"/crosswalk?from=onet-soc:29-1129.01&to={target}") in links
    assert api.client.get(urljoin(here, "/crosswalk?from=onet-soc:29-1129.01&to=esco"), headers=HTML).status_code == 200


# ---- charts -------------------------------------------------------------------------------------

def _cells(svg: str) -> dict[str, int]:
    """'row, column' -> the count a grid chart prints in that cell."""
    return {m.group(1): int(m.group(2)) for m in re.finditer(r"<title>([^<]+): (\d+) statements</title>", svg)}


def test_framework_chart_counts_the_statements_per_level_and_domain(api):
    _page, html, _ = get_page(api, RELEASE)
    graph = graph_of(api, RELEASE)
    label = {s: str(o) for s, o in graph.subject_objects(SKOS.prefLabel)}

    def expected(cls) -> dict[tuple, int]:
        counts: dict[tuple, int] = {}
        for s in graph.subjects(RDF.type, cls):
            key = (label[graph.value(s, SG.domain)],) if cls == SG.DurableSkillStatement else ()
            key += (label[graph.value(s, SG.level)],)
            counts[key] = counts.get(key, 0) + 1
        return counts
    levels = re.search(r'<figure class="chart" id="chart-levels">(.*?)</svg>', html, re.DOTALL).group(1)
    cells = _cells(levels)
    for name, cls in (("Competencies", SG.CompetencyStatement), ("AI use", SG.AIUseStatement)):
        assert {k.split(", ", 1)[1]: v for k, v in cells.items() if k.startswith(name + ",")} == \
            {k[0]: v for k, v in expected(cls).items()}
    domains = re.search(r'<figure class="chart" id="chart-domains">(.*?)</svg>', html, re.DOTALL).group(1)
    assert {tuple(k.split(", ")): v for k, v in _cells(domains).items() if v} == expected(SG.DurableSkillStatement)
    # Each cell links to its list on the page.
    for anchor in re.findall(r'<a href="#([^"]+)"><title>', levels + domains):
        assert f'id="{anchor}"' in html, anchor


@pytest.fixture(scope="module")
def rated_api(apps, built, tmp_path_factory):
    """The build with an O*NET release imported (the 30.3 excerpt), as `serve` serves imports."""
    from skillsgraph.loader.onet.importer import import_release
    home = tmp_path_factory.mktemp("rated-home")
    build_file = write_build(home, built.nquads)
    result = import_release(EXCERPT_30_3, NAMESPACE, home, workers=1)
    imported = sorted((home / "imports").glob("onet-*.nq"))
    assert imported, result
    return apps.app(first_store_kind(), home, build_file, [(f, None) for f in imported])


def test_occupation_page_charts_its_importance_and_level_ratings(rated_api):
    page, html, here = get_page(rated_api, OCCUPATION)
    section = re.search(r'<section id="ratings".*?(?=<section id="descriptors")', html, re.DOTALL).group(0)
    assert re.search(r'<a href="[^"]*source/onet-30.3">[^<]*30.3[^<]*</a>', section)
    skills = re.search(r'<figure class="chart" id="ratings-skills">(.*?)</figure>', section, re.DOTALL).group(1)
    titles = re.findall(r"<title>([^<]+)</title>", skills)
    for name, (importance, level) in RATED.items():
        assert f"{name}: importance {importance}, level {level}" in titles
    # Bars by importance, most important first.
    values = [float(re.search(r"importance ([\d.]+)", t).group(1)) for t in titles]
    assert values == sorted(values, reverse=True) and len(values) == 4
    # The framework's own descriptor lists carry the same ratings beside each rated descriptor.
    descriptors = html[html.index('<section id="descriptors"'):]
    for name, (importance, level) in RATED.items():
        assert re.search(rf">{name}</a> <span class=\"tag\" title=\"importance\">IM {importance}</span> "
                         rf"<span class=\"tag\" title=\"level\">LV {level}</span>", descriptors), name


def test_occupation_page_without_ratings_has_no_chart(api):
    _page, html, _ = get_page(api, OCCUPATION)
    assert 'id="ratings"' not in html and "O*NET ratings" not in html
