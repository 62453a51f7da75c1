"""Stable, versioned statement IRIs with a second, changed release of the reference framework
(tests/releases/29-1129.01-v26.11.yaml): what the build links, what the shapes reject, and
what a client gets from the server.

Over HTTP in-process (app_fixtures.versioned_api and api, once per store kind each): the
documents and pages are the subject; no test here needs a socket."""
from __future__ import annotations

import json
import re
from pathlib import Path

import httpx
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, SKOS, XSD

from graph_support import DATA_DIR, NAMESPACE, replace_once
from test_linked_data import FORMATS, parse, sparql_select
from versioned_support import CODE, NEW, OLD, SECOND_RELEASE, versioned_data

SG = "https://w3id.org/skillsgraph/ontology#"
TRUE = Literal(True, datatype=XSD.boolean)
# What the second release changes (see the comment at the top of its file).
REWORDED = ["competency/emerging/1", "competency/proficient/3", "ai-use/developing/2", "durable/communication/applying/1"]
DROPPED, SUCCESSOR = "competency/proficient/9", "competency/proficient/10"
WITHDRAWN = "ai-use/emerging/2"
ADDED = "competency/advanced/11"
MOVED = ("competency/proficient/10", "competency/proficient/9")  # unchanged, one place up


def iri(release: str, path: str = "") -> URIRef:
    return URIRef(NAMESPACE + release + (f"/{path}" if path else ""))


# ==== the build ==========================================================================

@pytest.fixture(scope="module")
def data_dir(versioned) -> Path:
    """The two-release data folder, built once per session (app_fixtures.versioned)."""
    return versioned.data


@pytest.fixture(scope="module")
def versioned_build(versioned):
    """The two-release build: shared with the apps that serve it."""
    return versioned.build


def _graph_lines(nquads: bytes, graph: str) -> list[str]:
    return [line for line in nquads.decode("utf-8").splitlines() if line.endswith(f"<{graph}> .")]


def test_the_first_release_is_identical_whether_or_not_a_later_one_is_present(built, versioned_build):
    from skillsgraph.loader.nquads import canonical_nquads
    old_graph = NAMESPACE + "graph/" + OLD
    alone, together = _graph_lines(built.nquads, old_graph), _graph_lines(canonical_nquads(versioned_build.graphs), old_graph)
    assert len(alone) > 2000
    assert alone == together
    statements = {s for s in built.graph.subjects(URIRef(SG + "framework"), iri(OLD))}
    assert len(statements) == 142
    union = Graph()
    for ng in versioned_build.graphs:
        union += ng.graph
    assert statements == set(union.subjects(URIRef(SG + "framework"), iri(OLD)))


@pytest.fixture(scope="module")
def union(versioned_build) -> Graph:
    g = Graph()
    for ng in versioned_build.graphs:
        g += ng.graph
    return g


def test_reworded_dropped_and_withdrawn_statements_are_deprecated_and_nothing_else(union):
    deprecated = {str(s)[len(NAMESPACE + OLD) + 1:] for s in union.subjects(OWL.deprecated, TRUE)}
    assert deprecated == {*REWORDED, DROPPED, WITHDRAWN}
    for s in union.subjects(OWL.deprecated, TRUE):
        assert (s, URIRef(SG + "deprecatedIn"), iri(NEW)) in union


def test_each_deprecated_statement_names_its_successor_or_says_why_not(union):
    for path in REWORDED:
        old, new = iri(OLD, path), iri(NEW, path)
        assert set(union.objects(old, DCTERMS.isReplacedBy)) == {new}
        assert (new, DCTERMS.replaces, old) in union and (new, PROV.wasRevisionOf, old) in union
        assert union.value(old, SKOS.prefLabel) == union.value(new, SKOS.prefLabel)
        assert union.value(old, URIRef(SG + "statementText")) != union.value(new, URIRef(SG + "statementText"))
    dropped = iri(OLD, DROPPED)
    assert set(union.objects(dropped, DCTERMS.isReplacedBy)) == {iri(NEW, SUCCESSOR)}
    assert str(union.value(iri(NEW, SUCCESSOR), SKOS.prefLabel)) == "Telehealth art therapy delivery"
    assert (iri(NEW, SUCCESSOR), PROV.wasRevisionOf, dropped) not in union  # a successor, not a rewording
    withdrawn = iri(OLD, WITHDRAWN)
    assert list(union.objects(withdrawn, DCTERMS.isReplacedBy)) == []
    assert "Withdrawn in release 26.11" in str(union.value(withdrawn, SKOS.changeNote))


def test_unchanged_statements_match_across_releases_and_stay_current(union):
    old, new = iri(OLD, MOVED[0]), iri(NEW, MOVED[1])
    assert (old, SKOS.exactMatch, new) in union and (new, SKOS.exactMatch, old) in union
    assert (old, OWL.deprecated, None) not in union
    assert union.value(old, SKOS.prefLabel) == union.value(new, SKOS.prefLabel)
    added = iri(NEW, ADDED)
    assert (added, URIRef(SG + "framework"), iri(NEW)) in union
    assert list(union.objects(added, DCTERMS.replaces)) == [] and list(union.objects(added, SKOS.exactMatch)) == []
    matched = set(union.subjects(SKOS.exactMatch, None))
    assert len([s for s in matched if str(s).startswith(NAMESPACE + OLD + "/")]) == 142 - 6


def test_release_chain(union):
    assert (iri(NEW), PROV.wasRevisionOf, iri(OLD)) in union
    assert (iri(NEW), URIRef("http://www.w3.org/ns/dcat#previousVersion"), iri(OLD)) in union
    assert (iri(OLD), DCTERMS.isReplacedBy, iri(NEW)) in union


def test_the_process_pool_and_the_cache_give_the_same_bytes(data_dir, versioned_build, tmp_path):
    from skillsgraph.loader.build import build
    from skillsgraph.loader.nquads import canonical_nquads
    target, cache = tmp_path / "out.nq", tmp_path / "cache"
    first = build(data_dir, NAMESPACE, target, cache_dir=cache, workers=2)
    assert first.reused == 0
    assert target.read_bytes() == canonical_nquads(versioned_build.graphs) == versioned_build.nquads
    again = build(data_dir, NAMESPACE, target, cache_dir=cache, workers=2)
    assert again.reused == again.frameworks == 2
    assert target.read_bytes() == versioned_build.nquads



def test_a_rebuild_from_the_cache_starts_no_pool_and_reads_no_build_back(data_dir, versioned_build, tmp_path,
                                                                        monkeypatch):
    """Cached outcomes are read in this process (not handed back through a pool), and a build
    file whose stamp names these inputs is left as it is without being read back."""
    from skillsgraph.loader import framework_jobs
    from skillsgraph.loader.build import build
    target, cache = tmp_path / "out.nq", tmp_path / "cache"
    build(data_dir, NAMESPACE, target, cache_dir=cache, workers=2)
    written = target.stat().st_mtime_ns

    def no_pool(*args, **kwargs):
        raise AssertionError("a process pool was started for cached jobs")

    def read_bytes(path: Path) -> bytes:
        assert path != target, "the build file was read back"
        return real_read_bytes(path)
    real_read_bytes = Path.read_bytes
    monkeypatch.setattr(framework_jobs, "ProcessPoolExecutor", no_pool)
    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    again = build(data_dir, NAMESPACE, target, cache_dir=cache, workers=2)
    assert again.reused == again.frameworks == 2 and again.nquads == versioned_build.nquads
    assert target.stat().st_mtime_ns == written

# ==== bad input: a later release must account for every earlier statement ================

def _lineage_problems(data: Path) -> list[str]:
    from skillsgraph.loader.errors import SourceDataError
    from skillsgraph.loader.iris import Iris
    from skillsgraph.loader.lineage import lineage_graphs
    from skillsgraph.loader.source_data import read_source_data
    source = read_source_data(data)
    with pytest.raises(SourceDataError) as caught:
        lineage_graphs(source.frameworks, Iris(NAMESPACE))
    return [str(p) for p in caught.value.problems]


def test_a_silent_drop_is_an_error(tmp_path):
    data = versioned_data(tmp_path)
    replace_once(data / "frameworks" / SECOND_RELEASE.name, "      replaces: [competency/proficient/9]\n", "")
    problems = _lineage_problems(data)
    assert len(problems) == 1
    assert "statement competency/proficient/9 of release 26.05 ('Technology-enhanced therapy delivery')" in problems[0]
    assert re.match(rf".*{SECOND_RELEASE.name}:\d+:\d+: framework: ", problems[0])


def test_an_unknown_predecessor_is_an_error_with_a_suggestion(tmp_path):
    data = versioned_data(tmp_path)
    line = replace_once(data / "frameworks" / SECOND_RELEASE.name, "replaces: [competency/proficient/9]",
                        "replaces: [competency/proficent/9]")
    problems = _lineage_problems(data)
    assert any(f"{SECOND_RELEASE.name}:{line}:" in p and "has no statement 'competency/proficent/9'" in p
               and "did you mean 'competency/proficient/9'" in p for p in problems), problems


def test_a_withdrawn_statement_cannot_also_have_a_successor(tmp_path):
    data = versioned_data(tmp_path)
    replace_once(data / "frameworks" / SECOND_RELEASE.name, "  - statement: ai-use/emerging/2\n",
                 "  - statement: competency/proficient/9\n")
    problems = _lineage_problems(data)
    assert any("competency/proficient/9 of release 26.05 has a successor in 26.11" in p for p in problems), problems
    assert any("statement ai-use/emerging/2 of release 26.05" in p for p in problems), problems


def test_the_earliest_release_cannot_replace_anything(tmp_path):
    data = tmp_path / "data"
    import shutil
    shutil.copytree(DATA_DIR, data)
    replace_once(data / "frameworks" / "29-1129.01.yaml", "    - label: Program leadership\n",
                 "    - label: Program leadership\n      replaces: [competency/advanced/1]\n")
    problems = _lineage_problems(data)
    assert len(problems) == 1 and "earliest release of 29-1129.01" in problems[0]


def test_a_malformed_path_is_rejected_by_the_schema(tmp_path):
    from skillsgraph.loader.errors import SourceDataError
    from skillsgraph.loader.source_data import read_source_data
    data = versioned_data(tmp_path)
    replace_once(data / "frameworks" / SECOND_RELEASE.name, "replaces: [competency/proficient/9]", "replaces: [proficient-9]")
    with pytest.raises(SourceDataError) as caught:
        read_source_data(data)
    assert any("e.g. 'competency/proficient/3'" in str(p) for p in caught.value.problems)


# ==== the shapes ==========================================================================

def test_shapes_reject_a_deprecation_without_successor_or_note_and_a_backwards_replacement(versioned_build):
    from skillsgraph.loader.validation import validate_graph
    data = Graph()
    for ng in versioned_build.graphs:
        if "/graph/ontology" not in str(ng.name):
            data += ng.graph
    withdrawn = iri(OLD, WITHDRAWN)
    data.remove((withdrawn, SKOS.changeNote, None))
    # A statement of the newer release "replaced" by one of the older: backwards in time.
    backwards, older = iri(NEW, ADDED), iri(OLD, "competency/advanced/1")
    data.add((backwards, OWL.deprecated, TRUE))
    data.add((backwards, URIRef(SG + "deprecatedIn"), iri(OLD)))
    data.add((backwards, DCTERMS.isReplacedBy, older))
    violations = validate_graph(data, "tampered")
    by_focus = {}
    for v in violations:
        by_focus.setdefault(v.focus, []).append(v.message)
    assert set(by_focus) == {str(withdrawn), str(backwards)}, violations
    assert any("needs dcterms:isReplacedBy naming its successor, or a skos:changeNote" in m for m in by_focus[str(withdrawn)])
    assert any("not a statement of a release of the same framework later than its own" in m for m in by_focus[str(backwards)])
    assert any("not a later release of its own framework" in m for m in by_focus[str(backwards)])


# ==== over HTTP ============================================================================

def _get(server, path: str, **headers) -> httpx.Response:
    return server.client.get(f"{server.base_url}/{path}", headers=headers, timeout=60)


def test_a_dropped_statement_answers_in_every_format_with_its_deprecation_and_replacement(versioned_api):
    dropped, successor = iri(OLD, DROPPED), iri(NEW, SUCCESSOR)
    for media, fmt in FORMATS.items():
        r = _get(versioned_api, f"{OLD}/{DROPPED}", Accept=media)
        assert r.status_code == 200, (media, r.text)
        assert r.headers["content-type"].startswith(media)
        g = parse(r.content, fmt, versioned_api)
        assert (dropped, OWL.deprecated, TRUE) in g, media
        assert (dropped, DCTERMS.isReplacedBy, successor) in g, media
        assert (dropped, URIRef(SG + "deprecatedIn"), iri(NEW)) in g, media
        assert str(g.value(dropped, SKOS.prefLabel)) == "Technology-enhanced therapy delivery"
    r = _get(versioned_api, f"{NEW}/{SUCCESSOR}", Accept="text/turtle")
    g = Graph().parse(data=r.text, format="turtle")
    assert (successor, DCTERMS.replaces, dropped) in g


def test_a_withdrawn_statement_answers_with_its_note(versioned_api):
    r = _get(versioned_api, f"{OLD}/{WITHDRAWN}", Accept="application/n-triples")
    g = Graph().parse(data=r.text, format="nt")
    old = iri(OLD, WITHDRAWN)
    assert (old, OWL.deprecated, TRUE) in g
    assert "Withdrawn in release 26.11" in str(g.value(old, SKOS.changeNote))
    assert g.value(old, DCTERMS.isReplacedBy) is None


def test_the_html_page_of_a_dropped_statement_shows_the_notice_and_links_the_successor(versioned_api):
    r = _get(versioned_api, f"{OLD}/{DROPPED}", Accept="text/html")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    notice = re.search(r'<p class="deprecated"[^>]*>(.*?)</p>', r.text, re.S)
    assert notice, r.text[:2000]
    text = re.sub(r"<[^>]+>", "", notice.group(1))
    assert "Deprecated" in text and "replaced by" in text and "Telehealth art therapy delivery" in text
    assert "v.26.11" in text
    href = re.search(r'<a rel="successor-version" href="([^"]+)"', notice.group(1)).group(1)
    followed = versioned_api.client.get(str(httpx.URL(str(r.url)).join(href)), headers={"Accept": "text/html"}, timeout=60)
    assert followed.status_code == 200
    assert followed.url.path == f"/{NEW}/{SUCCESSOR}"
    assert 'class="deprecated"' not in followed.text


def test_the_withdrawn_statement_page_shows_its_note(versioned_api):
    r = _get(versioned_api, f"{OLD}/{WITHDRAWN}", Accept="text/html")
    notice = re.search(r'<p class="deprecated"[^>]*>(.*?)</p>', r.text, re.S)
    assert notice and "Withdrawn in release 26.11" in notice.group(1) and "replaced by" not in notice.group(1)


def test_current_statements_show_no_notice(versioned_api):
    for path in (f"{OLD}/{MOVED[0]}", f"{NEW}/{MOVED[1]}", f"{NEW}/{ADDED}"):
        r = _get(versioned_api, path, Accept="text/html")
        assert r.status_code == 200 and 'class="deprecated"' not in r.text, path


def test_latest_moves_to_the_new_release(versioned_api, api):
    for server, release in ((versioned_api, NEW), (api, OLD)):
        r = server.client.get(f"{server.base_url}/framework/{CODE}", headers={"Accept": "text/turtle"}, follow_redirects=False)
        assert r.status_code == 303
        assert r.headers["location"] == f"/{release}"


def test_the_old_release_stays_resolvable_with_all_its_statements(versioned_api):
    for release, labels in ((OLD, {"Technology-enhanced therapy delivery"}), (NEW, {"Telehealth art therapy delivery"})):
        r = _get(versioned_api, release, Accept="application/ld+json")
        assert r.status_code == 200
        doc = json.loads(r.content)
        found = {st.get("prefLabel", {}).get("en") if isinstance(st.get("prefLabel"), dict) else st.get("prefLabel")
                 for st in doc["statements"]}
        assert len(doc["statements"]) == 142, release
        assert labels <= found, release
        html = _get(versioned_api, release, Accept="text/html")
        assert html.status_code == 200


def test_statement_iris_of_the_old_release_are_the_same_on_both_servers(versioned_api, api):
    query = f"""PREFIX sg: <{SG}> SELECT ?s WHERE {{ ?s sg:framework <{iri(OLD)}> }}"""
    before = sorted(r["s"]["value"] for r in sparql_select(api, query))
    after = sorted(r["s"]["value"] for r in sparql_select(versioned_api, query))
    assert len(before) == 142 and before == after
    unchanged = _get(versioned_api, f"{OLD}/{MOVED[0]}", Accept="application/n-triples").text
    same = _get(api, f"{OLD}/{MOVED[0]}", Accept="application/n-triples").text
    # Only the links to the new release are new; every triple the old build served is still there.
    assert set(same.splitlines()) <= set(unchanged.splitlines())
    assert f"<{iri(NEW, MOVED[1])}>" in unchanged and "deprecated" not in unchanged
