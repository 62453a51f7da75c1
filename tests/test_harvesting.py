"""For harvesters: a crawler that may fetch only from the host it harvests.

It reads the sitemap, fetches every document as JSON-LD and expands it with a document loader
that refuses any other host (so every `@context` must be located here, not at the namespace's
w3id.org), follows every paging link to the end and fetches every dump the dataset description
names, all with the default namespace, whose IRIs stay as they are. Then HTTP as the RFCs say:
HEAD answers GET's headers on every route of the OpenAPI description (and the routes it leaves
out), CORS exposes what a browser client reads, the JSON-LD context link only on our own RDF,
the home and the collections in RDF formats, and SKILLSGRAPH_PUBLIC_URL for a server behind a proxy.

In-process (app_fixtures). The crawl is complete twice: over the bundled build without its
published crosswalks and classifications (one occupation, its release and 142 statements, with
every dump fetched whole), served from an Oxigraph store of its own, opened in a tenth of a
second; and over the
bundled data (the first store kind's app): all 1,165 documents of its sitemap, most of them the
occupations of the bundled crosswalks, every page of /occupations to the end, and every dump and
download asked with HEAD (the dumps of the bundled data are fetched whole and reparsed by
test_linked_data). Each document is fetched from the app and expanded by pyld; each crawl fetches
its one context once and keeps it resolved (harvester_options), as a harvester caches it.
"""
from __future__ import annotations

import gzip
import xml.etree.ElementTree as ET
from pathlib import Path

import pyoxigraph as ox
import pytest
from pyld import jsonld
from pyld.context_resolver import ContextResolver

from app_fixtures import bundled_app, first_store_kind, write_build
from server_fixtures import NAMESPACE, W3C_EXTRAS
from test_linked_data import local_loader

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
HYDRA = "http://www.w3.org/ns/hydra/core#"
VOID_DUMP = "http://rdfs.org/ns/void#dataDump"
DCAT_DOWNLOAD = "http://www.w3.org/ns/dcat#downloadURL"
STATEMENT = "framework/29-1129.01/v26.05/competency/proficient/3"
RELEASE = "framework/29-1129.01/v26.05"


@pytest.fixture(scope="module")
def small_home(tmp_path_factory, built) -> Path:
    return tmp_path_factory.mktemp("build-only-home")


@pytest.fixture(scope="module")
def small(apps, built, small_home):
    """The bundled build without its published crosswalks and classifications, on Oxigraph."""
    build_file = write_build(small_home, built.nquads)
    return apps.app("oxigraph", small_home, build_file, W3C_EXTRAS)


@pytest.fixture(scope="module")
def full(apps, bundled_home):
    """The bundled data with its published graphs, on the first store kind."""
    return bundled_app(apps, first_store_kind(), bundled_home)


def _on_host(server, url: str) -> str:
    assert url.startswith(server.base_url + "/"), f"a link outside the server that answered: {url}"
    return url


def sitemap_locations(server) -> list[str]:
    root = ET.fromstring(server.client.get(server.base_url + "/sitemap.xml").content)
    if root.tag == f"{SM}sitemapindex":
        pages = [ET.fromstring(server.client.get(_on_host(server, e.findtext(f"{SM}loc"))).content)
                 for e in root.findall(f"{SM}sitemap")]
    else:
        pages = [root]
    return [_on_host(server, e.findtext(f"{SM}loc")) for page in pages for e in page.findall(f"{SM}url")]


def harvester_options(server, fetched: list[str] | None = None) -> dict:
    """pyld's options for one crawl: the loader that reaches only the server, and a context
    resolver kept for the whole crawl, so each context is fetched and processed once, as a
    harvester caches it. pyld's own resolver keeps a fetched context across documents only when
    the loader tags it, and would key it by canonical JSON of the whole context once more for
    every document (half the time of a complete crawl of the bundled data); the loader still
    refuses any URL off the server, and a document whose context is elsewhere reaches it."""
    loader = local_loader(server, fetched)
    return {"documentLoader": loader, "contextResolver": ContextResolver({}, loader)}


def expand_document(server, url: str, options: dict | None = None) -> list:
    """The document at url as JSON-LD, expanded with a loader that reaches only the server."""
    r = server.client.get(url, headers={"Accept": "application/ld+json"}, timeout=60)
    assert r.status_code == 200, (url, r.status_code, r.text[:200])
    assert r.headers["content-type"].startswith("application/ld+json"), url
    expanded = jsonld.expand(r.json(), {**(options or harvester_options(server)), "base": url})
    assert any(isinstance(node, dict) and node for node in expanded), f"{url} expands to no node"
    return expanded


def node_ids(expanded) -> set[str]:
    found = set()
    for node in expanded:
        if isinstance(node, dict):
            if "@id" in node:
                found.add(node["@id"])
            found |= node_ids(node.get("@graph", []))
    return found


def crawl(server, locations: list[str]) -> None:
    """Every location fetched and expanded by pyld; each names its context on the server (one
    context for all, fetched once)."""
    fetched: list[str] = []
    options = harvester_options(server, fetched)
    for url in locations:
        expanded = expand_document(server, url, options)
        path = url[len(server.base_url) + 1:]
        if path.startswith(("occupation/", "framework/")):
            # the document is about its IRI, in the namespace, not about the location it was fetched from
            assert NAMESPACE + path in node_ids(expanded), url
    assert fetched == [server.base_url + "/context.jsonld"]


def follow_pages(server, first: str, size: int = 50) -> list[str]:
    """Every page of a Hydra collection from `first`, by view.next, checking first and last on the way."""
    members, url, pages = [], first, 0
    while url:
        [page] = [n for n in expand_document(server, url) if HYDRA + "view" in n]
        assert page["@id"] == NAMESPACE + "occupations"   # the collection keeps its IRI
        [view] = page[HYDRA + "view"]
        members += [m["@id"] for m in page.get(HYDRA + "member", [])]
        for rel in ("first", "last"):
            assert server.client.get(_on_host(server, view[HYDRA + rel][0]["@id"])).status_code == 200
        url = _on_host(server, view[HYDRA + "next"][0]["@id"]) if HYDRA + "next" in view else None
        pages += 1
    total = page[HYDRA + "totalItems"][0]["@value"]
    assert len(members) == len(set(members)) == total and pages == -(-total // size)
    return members


def dataset_links(server) -> dict[str, set[str]]:
    """The dumps and downloads /dataset names, read from its JSON-LD as a harvester reads it."""
    nquads = jsonld.to_rdf(expand_document(server, server.base_url + "/dataset"), {"format": "application/n-quads"})
    links: dict[str, set[str]] = {VOID_DUMP: set(), DCAT_DOWNLOAD: set()}
    for quad in ox.parse(nquads.encode("utf-8"), format=ox.RdfFormat.N_QUADS):
        if quad.predicate.value in links:
            links[quad.predicate.value].add(quad.object.value)
    return links


def test_the_smaller_build_is_crawled_completely(small):
    locations = sitemap_locations(small)
    assert len(locations) == 6 + 1 + 1 + 142   # the top-level documents, the occupation, its release, statements
    crawl(small, locations)
    assert follow_pages(small, small.base_url + "/occupations") == [NAMESPACE + "occupation/29-1129.01"]


def test_the_crawler_refuses_a_context_off_the_server(small):
    options = harvester_options(small)
    node = {"@id": NAMESPACE + "occupation/29-1129.01", "prefLabel": "Art Therapists"}
    assert jsonld.expand({"@context": small.base_url + "/context.jsonld", **node}, options)
    with pytest.raises(jsonld.JsonLdError) as refused:
        jsonld.expand({"@context": NAMESPACE + "context.jsonld", **node}, options)
    causes, error = [], refused.value
    while error is not None:
        causes.append(str(error))
        error = error.__cause__ or error.__context__
    assert any("a fetch outside the server under test" in c for c in causes), causes


def test_every_dump_of_the_smaller_build_is_fetched_whole(small):
    links = dataset_links(small)
    assert len(links[VOID_DUMP]) == 8 and links[VOID_DUMP] <= links[DCAT_DOWNLOAD]
    union = {q.triple for q in ox.parse(path=str(small.home / "skillsgraph.nq"), format=ox.RdfFormat.N_QUADS)}
    for url in sorted(links[VOID_DUMP]):
        r = small.client.get(_on_host(small, url), timeout=120)
        assert r.status_code == 200, url
        body = gzip.decompress(r.content) if url.endswith(".gz") else r.content
        fmt = {"nt": ox.RdfFormat.N_TRIPLES, "nq": ox.RdfFormat.N_QUADS, "ttl": ox.RdfFormat.TURTLE,
               "jsonld": ox.RdfFormat.JSON_LD}[url.removesuffix(".gz").rsplit(".", 1)[1]]
        assert union <= {q.triple for q in ox.parse(body, format=fmt)}, url
    for url in sorted(links[DCAT_DOWNLOAD] - links[VOID_DUMP]):   # the profile downloads
        assert small.client.get(_on_host(small, url), timeout=120).status_code == 200, url


def test_the_bundled_data_is_crawled_completely_and_paged_to_the_end(full):
    locations = sitemap_locations(full)
    assert len(locations) == 6 + 1016 + 1 + 142
    crawl(full, locations)
    # pages of 500 (the largest): a page of the 1,016 occupations takes about as long at any size
    assert len(follow_pages(full, full.base_url + "/occupations?size=500", 500)) == 1016
    links = dataset_links(full)
    assert len(links[VOID_DUMP]) == 8
    for url in sorted(links[VOID_DUMP] | links[DCAT_DOWNLOAD]):
        head = full.client.head(_on_host(full, url), timeout=120)
        assert head.status_code == 200 and head.content == b"", url


# ---- HEAD ---------------------------------------------------------------------------------

# A real value for each path parameter of the OpenAPI description, and the query a route needs.
PATH_VALUES = {"name": {"/dump/{name}": "skillsgraph.nt", "/dump/profile/{name}": "csv.csv"},
               "statement": STATEMENT, "number": "1", "path": "occupation/29-1129.01"}
REQUIRED_QUERIES = {"/search": "?q=therap", "/search/suggest": "?q=art", "/crosswalk": "?from=onet-soc:29-1129.01&to=soc2018",
                    "/describe": "?iri=http%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2Fdata1.rdf"}
# GET routes the description leaves out, answers that are not 200, and other negotiations.
MORE = ["/", "/robots.txt", "/health", "/.well-known/void", "/static/site.css", "/profile/csv", "/sparql/",
        f"/{RELEASE}", f"/{STATEMENT}?_profile=case", f"/{RELEASE}?format=csv", "/framework/29-1129.01",
        "/occupation/99-9999.99", "/dump/nothing", "/sparql?query=ASK%7B%7D", "/occupations?format=ttl"]


def _value(name: str, path: str) -> str:
    value = PATH_VALUES[name]
    return value[path] if isinstance(value, dict) else value


def case_ids(server) -> dict[str, str]:
    """A real sourcedId for each collection of the CASE REST API, read from the first package."""
    base = server.base_url + "/ims/case/v1p1/"
    [doc, *_] = server.client.get(base + "CFDocuments").json()["CFDocuments"]
    package = server.client.get(base + "CFPackages/" + doc["identifier"]).json()
    definitions = package["CFDefinitions"]
    first = {name: definitions[name][0]["identifier"]
             for name in ("CFItemTypes", "CFLicenses", "CFConcepts", "CFSubjects", "CFAssociationGroupings")
             if definitions.get(name)}
    item = package["CFItems"][0]["identifier"]
    return {"CFDocuments": doc["identifier"], "CFPackages": doc["identifier"], "CFItems": item,
            "CFItemAssociations": item, "CFAssociations": package["CFAssociations"][0]["identifier"],
            "CFRubrics": package["CFRubrics"][0]["identifier"], **first}


def openapi_get_urls(server) -> list[str]:
    spec = server.client.get(server.base_url + "/openapi.json").json()
    ids = case_ids(server)
    urls = []
    for path, operations in spec["paths"].items():
        if "get" not in operations:
            continue
        filled = path
        for parameter in operations["get"].get("parameters", []):
            if parameter["in"] == "path":
                value = ids[path.split("/")[-2]] if parameter["name"] == "sourcedId" else _value(parameter["name"], path)
                filled = filled.replace("{" + parameter["name"] + "}", value)
        urls.append(filled + REQUIRED_QUERIES.get(path, ""))
    return urls


def test_head_answers_what_get_answers_on_every_route(small):
    urls = openapi_get_urls(small)
    assert len(urls) == 20 + 12 and all("{" not in u for u in urls), urls   # 12: the CASE REST API
    for url in urls + MORE:
        for accept in ("*/*", "text/turtle", "text/html"):
            headers = {"Accept": accept}
            get = small.client.get(small.base_url + url, headers=headers, timeout=120)
            head = small.client.head(small.base_url + url, headers=headers, timeout=120)
            assert head.status_code == get.status_code, (url, accept)
            assert head.content == b"", (url, accept)
            assert dict(head.headers) == dict(get.headers), (url, accept)
    assert small.client.get(small.base_url + "/").status_code == 200


def test_head_of_a_conditional_request_is_a_304_like_get(small):
    url = small.base_url + f"/{STATEMENT}"
    etag = small.client.get(url).headers["etag"]
    head = small.client.head(url, headers={"If-None-Match": etag})
    assert head.status_code == 304 and head.headers["etag"] == etag


# ---- CORS, Link headers, formats ------------------------------------------------------------

def test_cors_exposes_what_a_browser_client_reads(small):
    r = small.client.get(small.base_url + f"/{STATEMENT}", headers={"Origin": "https://wallet.example"})
    exposed = {h.strip().lower() for h in r.headers["access-control-expose-headers"].split(",")}
    assert {"content-profile", "link", "etag", "last-modified"} <= exposed
    preflight = small.client.options(small.base_url + "/dataset", headers={
        "Origin": "https://wallet.example", "Access-Control-Request-Method": "HEAD"})
    assert preflight.status_code == 200 and "HEAD" in preflight.headers["access-control-allow-methods"]


CONTEXT_REL = 'rel="http://www.w3.org/ns/json-ld#context"'


@pytest.mark.parametrize("query,has_context", [
    ("?_profile=case", False), ("?_profile=csv", False), ("?format=csv", False), ("?_profile=ob3", False),
    ("?format=jsonld", True), ("?format=ttl", True), ("?format=html", False)])
def test_the_context_link_goes_only_on_our_own_rdf(small, query, has_context):
    r = small.client.get(small.base_url + f"/{STATEMENT}{query}")
    assert r.status_code == 200
    assert (CONTEXT_REL in r.headers.get("link", "")) == has_context, r.headers.get("link")
    if has_context:
        assert f"<{small.base_url}/context.jsonld>; {CONTEXT_REL}" in r.headers["link"]


def test_the_home_answers_json_ld_to_a_machine_and_html_to_a_browser(small):
    machine = small.client.get(small.base_url + "/", headers={"Accept": "application/ld+json"})
    assert machine.status_code == 200 and machine.headers["content-type"].startswith("application/ld+json")
    expanded = jsonld.expand(machine.json(), {"documentLoader": local_loader(small)})
    [home] = [n for n in expanded if n["@id"] == NAMESPACE]
    assert {p["@id"] for p in home["http://purl.org/dc/terms/hasPart"]} == {NAMESPACE + RELEASE}
    assert 'type="text/turtle"' in machine.headers["link"] and 'type="text/html"' in machine.headers["link"]
    turtle = small.client.get(small.base_url + "/?format=ttl")
    assert turtle.headers["content-type"].startswith("text/turtle") and NAMESPACE.encode() in turtle.content
    for accept in (None, "*/*", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"):
        page = small.client.get(small.base_url + "/", headers={"Accept": accept} if accept else {})
        assert page.headers["content-type"].startswith("text/html"), accept
    assert small.client.get(small.base_url + "/", headers={"Accept": "image/png"}).status_code == 406


@pytest.mark.parametrize("media,fmt", [("text/turtle", ox.RdfFormat.TURTLE), ("application/n-triples", ox.RdfFormat.N_TRIPLES),
                                       ("application/rdf+xml", ox.RdfFormat.RDF_XML)])
def test_collections_are_served_in_rdf_formats(small, media, fmt):
    jsonld_page = small.client.get(small.base_url + "/occupations?size=1")
    expected = {q.triple for q in ox.parse(jsonld.to_rdf(jsonld.expand(jsonld_page.json(), {
        "documentLoader": local_loader(small)}), {"format": "application/n-quads"}).encode(), format=ox.RdfFormat.N_QUADS)}
    r = small.client.get(small.base_url + "/occupations?size=1", headers={"Accept": media})
    assert r.status_code == 200 and r.headers["content-type"].startswith(media)
    assert {q.triple for q in ox.parse(r.content, format=fmt)} == expected and len(expected) > 5
    assert f'<{small.base_url}/occupations?size=1&format=ttl>; rel="alternate"' in jsonld_page.headers["link"]
    found = small.client.get(small.base_url + "/search?q=art%20ther", headers={"Accept": media})
    assert found.status_code == 200 and NAMESPACE.encode() + b"occupation/29-1129.01" in found.content


# ---- behind a proxy ---------------------------------------------------------------------------

PUBLIC = "https://skills.example.org/graph/"


@pytest.fixture(scope="module")
def proxied(apps, small):
    """The smaller build's store, its app told the public address it is reached at."""
    return apps.app("oxigraph", small.home, small.home / "skillsgraph.nq", W3C_EXTRAS,
                    env={"SKILLSGRAPH_PUBLIC_URL": PUBLIC.rstrip("/")})


def test_a_public_url_locates_every_link_and_keeps_every_iri(proxied):
    doc = proxied.client.get(proxied.base_url + f"/{STATEMENT}", headers={"Accept": "application/ld+json"}).json()
    assert doc["@context"] == PUBLIC + "context.jsonld"
    page = proxied.client.get(proxied.base_url + "/occupations?size=1").json()
    assert page["id"] == NAMESPACE + "occupations" and page["view"]["first"] == PUBLIC + "occupations?page=1&size=1"
    sitemap = proxied.client.get(proxied.base_url + "/sitemap.xml").text
    assert f"<loc>{PUBLIC}{STATEMENT}</loc>" in sitemap and "testserver" not in sitemap
    assert f"Sitemap: {PUBLIC}sitemap.xml" in proxied.client.get(proxied.base_url + "/robots.txt").text
    dataset = proxied.client.get(proxied.base_url + "/dataset", headers={"Accept": "application/n-triples"}).text
    assert f"<http://rdfs.org/ns/void#sparqlEndpoint> <{PUBLIC}sparql>" in dataset
    assert f"<http://rdfs.org/ns/void#dataDump> <{PUBLIC}dump/skillsgraph.nt>" in dataset
    assert f"<{NAMESPACE}dataset> <http://rdfs.org/ns/void#uriSpace> \"{NAMESPACE}\"" in dataset
    assert "testserver" not in dataset
    links = proxied.client.get(proxied.base_url + f"/{STATEMENT}?format=ttl").headers["link"]
    assert f"<{PUBLIC}{STATEMENT}?_profile=case>" in links and "testserver" not in links


def test_a_public_url_must_be_an_http_url():
    from skillsgraph.config import Settings
    for bad in ("skills.example.org", "ftp://skills.example.org/", "https://skills.example.org/?x=1"):
        with pytest.raises(ValueError, match="SKILLSGRAPH_PUBLIC_URL"):
            Settings(public_url=bad)
    assert Settings(public_url="https://skills.example.org").public_url == "https://skills.example.org/"
