"""The classifications the crosswalks land on, as a researcher meets them over HTTP: SOC, CIP,
ISCO and ESCO concepts served as linked data and as pages, each with its label, definition and
its broader and narrower concepts linked (both ways), on every store kind that serves the
bundled published files; ESCO's own IRIs (another publisher's) are described at /describe?iri=.

In-process (app_fixtures.api, once per store kind): what the app answers needs no socket. The
memory store serves the build without the published files (serve says so), so there the
concepts are not found."""
from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urljoin

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS

from server_fixtures import NAMESPACE

ESCO_ART_THERAPIST = "http://data.europa.eu/esco/occupation/eb48ccbd-75f2-4799-81be-443034858473"
ESCO_RECREATIONAL_THERAPIST = "http://data.europa.eu/esco/occupation/f9395e4d-d66f-49ce-a8f5-721991139e79"

# concept -> (label, start of its definition or None, a broader concept, a narrower concept)
CONCEPTS = {
    "soc2018/29-1120": ("Therapists", None, "soc2018/29-1000", "soc2018/29-1129"),
    "soc2018/29-1129": ("Therapists, All Other", "All therapists not listed separately.", "soc2018/29-1120", None),
    "cip2020/51.23": ("Rehabilitation and Therapeutic Professions.", "Instructional content for this group",
                      "cip2020/51", "cip2020/51.2301"),
    "cip2020/51.2301": ("Art Therapy/Therapist.", "A program that prepares individuals, in consultation",
                        "cip2020/51.23", None),
    "isco08/2269": ("Health professionals not elsewhere classified", "This unit group covers health",
                    "isco08/226", ESCO_RECREATIONAL_THERAPIST),
    ESCO_ART_THERAPIST: ("art therapist", "Art therapists help patients overcome psychological",
                         ESCO_RECREATIONAL_THERAPIST, None),
    ESCO_RECREATIONAL_THERAPIST: ("recreational therapist", None, "isco08/2269", ESCO_ART_THERAPIST),
}


def _iri(code: str) -> str:
    return code if code.startswith("http://data.europa.eu/") else NAMESPACE + code


def _url(api, iri: str) -> tuple[str, dict]:
    """Where the server describes an IRI: its own path for a namespace IRI, /describe for ESCO's."""
    if iri.startswith(NAMESPACE):
        return api.url_for(iri), {}
    return api.base_url + "/describe", {"iri": iri}


class _Rows(HTMLParser):
    """The property rows of a resource page: property IRI -> the IRIs its links name (their title)."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, list[tuple[str, str]]] = {}
        self.lead, self.h1 = "", ""
        self._in: str | None = None
        self._prop: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("dt", "dd", "h1") or (tag == "p" and a.get("class") == "lead"):
            self._in = "lead" if tag == "p" else tag
        elif tag == "a" and self._in == "dt":
            self._prop = a.get("title")
            self.rows.setdefault(self._prop, [])
        elif tag == "a" and self._in == "dd" and self._prop and a.get("title"):
            self.rows[self._prop].append((a["title"], a.get("href", "")))

    def handle_endtag(self, tag):
        if tag in ("dt", "h1", "p") and self._in in ("dt", "h1", "lead"):
            self._in = None

    def handle_data(self, data):
        if self._in == "h1":
            self.h1 += data
        elif self._in == "lead":
            self.lead += data


def _assert_not_classified(api, iri: str) -> None:
    """Without the published files the concept is unknown, or (a CIP code the framework names)
    known by its code alone, outside any hierarchy."""
    url, params = _url(api, iri)
    response = api.client.get(url, params=params, headers={"Accept": "text/turtle"})
    assert response.status_code in (200, 404), response.status_code
    if response.status_code == 200:
        g = Graph().parse(data=response.text, format="turtle")
        assert not set(g.objects(URIRef(iri), SKOS.broader)), "the build alone has no classification hierarchy"


def _turtle(api, iri: str) -> Graph:
    url, params = _url(api, iri)
    response = api.client.get(url, params=params, headers={"Accept": "text/turtle"})
    assert response.status_code == 200, (iri, response.status_code, response.text[:300])
    return Graph().parse(data=response.text, format="turtle")


@pytest.mark.parametrize("code", list(CONCEPTS))
def test_a_concept_dereferences_with_label_definition_broader_and_narrower(api, code):
    iri = URIRef(_iri(code))
    url, params = _url(api, str(iri))
    if not api.published:
        _assert_not_classified(api, str(iri))
        return
    label, definition, broader, narrower = CONCEPTS[code]
    g = _turtle(api, str(iri))
    assert Literal(label, lang="en") in set(g.objects(iri, SKOS.prefLabel))
    if definition:
        texts = [str(o) for p in (SKOS.definition, DCTERMS.description) for o in g.objects(iri, p)]
        assert any(t.startswith(definition) for t in texts), texts
    assert URIRef(_iri(broader)) in set(g.objects(iri, SKOS.broader))
    assert iri in set(_turtle(api, _iri(broader)).objects(URIRef(_iri(broader)), SKOS.narrower)), \
        "its broader concept lists it among its narrower ones"
    if narrower:
        assert URIRef(_iri(narrower)) in set(g.objects(iri, SKOS.narrower))
    assert g.value(URIRef(_iri(broader)), SKOS.prefLabel) is not None, "the linked concept comes with its label"


@pytest.mark.parametrize("code", list(CONCEPTS))
def test_a_concept_has_a_page_linking_its_broader_and_narrower_pages(api, code):
    iri = _iri(code)
    url, params = _url(api, iri)
    response = api.client.get(url, params=params, headers={"Accept": "text/html"})
    if not api.published:
        _assert_not_classified(api, iri)
        return
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    label, definition, broader, narrower = CONCEPTS[code]
    page = _Rows()
    page.feed(response.text)
    assert page.h1.strip().lower() == label.lower()
    if definition:
        assert page.lead.startswith(definition)
    links = {str(SKOS.broader): broader, str(SKOS.narrower): narrower}
    for prop, target in links.items():
        if target is None:
            continue
        found = dict(page.rows.get(prop, []))
        assert _iri(target) in found, (prop, sorted(found)[:5])
        # Every concept link leads to that concept's page on this server, which names it.
        followed = api.client.get(urljoin(str(response.url), found[_iri(target)]), headers={"Accept": "text/html"})
        assert followed.status_code == 200, found[_iri(target)]
        named = _h1(followed.text)
        assert named and (target not in CONCEPTS or named.lower() == CONCEPTS[target][0].lower()), named


def _h1(html: str) -> str:
    page = _Rows()
    page.feed(html)
    return page.h1.strip()


def test_describe_keeps_the_iri_in_its_alternates_and_refuses_what_it_cannot_describe(api):
    response = api.client.get(api.base_url + "/describe", params={"iri": ESCO_ART_THERAPIST},
                              headers={"Accept": "application/ld+json"})
    if api.published:
        assert response.status_code == 200
        alternates = [part for part in response.headers["link"].split(", ") if 'rel="alternate"' in part]
        turtle = next(a for a in alternates if "text/turtle" in a)
        assert "iri=http%3A%2F%2Fdata.europa.eu%2Fesco%2Foccupation%2Feb48ccbd" in turtle and "format=ttl" in turtle
        again = api.client.get(turtle[1:turtle.index(">")])
        assert again.status_code == 200 and again.headers["content-type"].startswith("text/turtle")
        assert (URIRef(ESCO_ART_THERAPIST), SKOS.notation, Literal("2269.9.2")) in \
            Graph().parse(data=again.text, format="turtle")
    else:
        assert response.status_code == 404
    unknown = api.client.get(api.base_url + "/describe", params={"iri": "http://data.europa.eu/esco/occupation/none"})
    assert unknown.status_code == 404 and "none" in unknown.text
    bad = api.client.get(api.base_url + "/describe", params={"iri": "not an iri"})
    assert bad.status_code == 400 and "not an absolute IRI" in bad.text
    missing = api.client.get(api.base_url + "/describe")
    assert missing.status_code == 400 and "iri" in missing.text, "the iri parameter is required"
    ours = api.client.get(api.base_url + "/describe", params={"iri": NAMESPACE + "soc2018/29-1129"})
    assert ours.status_code == 303 and ours.headers["location"] == "/soc2018/29-1129", \
        "a namespace IRI is served at its own path"
