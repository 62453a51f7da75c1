"""Source anchors among an imported O*NET release's data (loader/onet/release_anchors.py): every
statement of the reference release ranked against O*NET 27.0's task statements, Detailed Work
Activities and technology examples of 29-1129.01, as scored machine-suggestion mappings in
graph/anchors/onet-27.0/machine-suggestion; deterministic, minted from codes, stale once the
framework files change; served on the statement's page, the anchor's page, /trace and the named
queries with the release they came from; each with the right report link.

The anchors are computed from the real release folder (../shared/onet/db_27_0_text, about a
second); the served app (oxigraph, the default store) holds the build, the anchors and the lines
of the session's 27.0 import (onet_fixtures.imported_27) that describe what the anchors name and
the release itself: the whole release is 230 MB, and nothing here reads the rest of it.
"""
from __future__ import annotations

import csv
import html
import re
import shutil
from pathlib import Path
from urllib.parse import unquote

import pytest
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import OWL, PROV, SKOS

from app_fixtures import first_store_kind, write_build
from graph_support import DATA_DIR, NAMESPACE
from onet_fixtures import TEXT_27
from test_crosswalk_queries import run_named

CODE = "29-1129.01"
RELEASE = f"{NAMESPACE}framework/{CODE}/v26.05"
GRAPH = URIRef(NAMESPACE + "graph/anchors/onet-27.0/machine-suggestion")
SOURCE = URIRef(NAMESPACE + "source/onet-27.0")
SG = "https://w3id.org/skillsgraph/ontology#"
STATEMENT = f"{RELEASE}/competency/proficient/3"


def _tsv(name: str) -> list[dict[str, str]]:
    with open(TEXT_27 / f"{name}.txt", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


@pytest.fixture(scope="module")
def computed():
    from skillsgraph.loader.onet.release import detect_release
    from skillsgraph.loader.onet.release_anchors import anchor_release
    from skillsgraph.loader.source_data import read_source_data
    return anchor_release(read_source_data(DATA_DIR), detect_release(TEXT_27), NAMESPACE)


@pytest.fixture(scope="module")
def graph(computed) -> Dataset:
    ds = Dataset()
    ds.parse(data=computed.payload.decode("utf-8"), format="nquads")
    return ds


def _mappings(graph: Dataset) -> list[URIRef]:
    return sorted(graph.graph(GRAPH).subjects(OWL.annotatedSource, None))


def test_the_same_inputs_give_the_same_bytes(computed):
    from skillsgraph.loader.onet.release import detect_release
    from skillsgraph.loader.onet.release_anchors import anchor_release
    from skillsgraph.loader.source_data import read_source_data
    again = anchor_release(read_source_data(DATA_DIR), detect_release(TEXT_27), NAMESPACE)
    assert again.payload == computed.payload and computed.payload.endswith(b" .\n")


def test_every_statement_sharing_a_word_has_anchors_each_a_scored_mapping(computed, graph):
    g = graph.graph(GRAPH)
    assert computed.statements == 142 and all(computed.anchors[k] > 0 for k in ("task", "dwa", "technology"))
    by_statement: dict[str, set[str]] = {}
    for m in _mappings(graph):
        statement, target = str(g.value(m, OWL.annotatedSource)), str(g.value(m, OWL.annotatedTarget))
        kind = "task" if "/onet/task/" in target else "dwa" if "/onet/element/" in target else "technology"
        by_statement.setdefault(statement, set()).add(kind)
        assert g.value(m, OWL.annotatedProperty) == SKOS.relatedMatch
        assert (URIRef(statement), SKOS.relatedMatch, URIRef(target)) in g
        assert str(g.value(m, URIRef(SG + "mappingMethod"))) == NAMESPACE + "mapping-method/machine-suggestion"
        assert set(g.objects(m, PROV.wasDerivedFrom)) == {URIRef(RELEASE), SOURCE}, "both releases it was computed from"
        assert float(g.value(m, URIRef(SG + "similarityScore"))) > 0
        assert int(g.value(m, URIRef(SG + "suggestionRank"))) in (1, 2)
    assert len(by_statement) >= 141
    # A statement has an anchor of a kind exactly when it shares a (stemmed) word with one of the
    # occupation's rows of that kind, read here from the release files themselves.
    from skillsgraph.loader.anchor_candidates import statements
    from skillsgraph.loader.anchors_rdf import statement_query
    from skillsgraph.loader.iris import statement_path
    from skillsgraph.loader.lexical_ranker import terms
    from skillsgraph.loader.source_data import read_source_data
    tasks = {r["Task ID"]: r["Task"] for r in _tsv("Task Statements") if r["O*NET-SOC Code"] == CODE}
    titles = {r["DWA ID"]: r["DWA Title"] for r in _tsv("DWA Reference")}
    words = {"task": set(terms(" ".join(tasks.values()))),
             "dwa": set(terms(" ".join(titles[r["DWA ID"]] for r in _tsv("Tasks to DWAs")
                                       if r["O*NET-SOC Code"] == CODE and r["Task ID"] in tasks))),
             "technology": set(terms(" ".join(f"{r['Example']} {r['Commodity Title']}" for r in _tsv("Technology Skills")
                                              if r["O*NET-SOC Code"] == CODE)))}
    [framework] = [f for f in read_source_data(DATA_DIR).frameworks if f.content.occupation.onet_soc == CODE]
    for at in statements(framework.content):
        statement = f"{RELEASE}/{statement_path(at.kind, at.level, at.position, at.domain)}"
        shared = {kind for kind, known in words.items() if set(terms(statement_query(at))) & known}
        assert by_statement.get(statement, set()) == shared, statement


def test_mapping_iris_are_minted_from_codes(graph):
    g = graph.graph(GRAPH)
    task_ids = {r["Task ID"] for r in _tsv("Task Statements") if r["O*NET-SOC Code"] == CODE}
    for m in _mappings(graph):
        statement, target = str(g.value(m, OWL.annotatedSource)), str(g.value(m, OWL.annotatedTarget))
        prefix = f"{NAMESPACE}mapping/anchors-onet-27.0/{statement[len(NAMESPACE):]}/"
        assert str(m).startswith(prefix)
        key = str(m)[len(prefix):]
        if "/onet/task/" in target:
            assert key == f"task/{target.rsplit('/', 1)[1]}" and key[5:] in task_ids
        elif "/onet/element/" in target:
            assert key == f"dwa/{target.rsplit('/', 1)[1]}"
        else:   # the example's commodity code and name, never its row's place
            assert re.fullmatch(r"technology/\d{8}/[a-z0-9-]+", key), key


def test_dwas_are_the_occupations_own_and_labelled(graph):
    g = graph.graph(GRAPH)
    tasks = {r["Task ID"] for r in _tsv("Task Statements") if r["O*NET-SOC Code"] == CODE}
    own = {r["DWA ID"] for r in _tsv("Tasks to DWAs") if r["O*NET-SOC Code"] == CODE and r["Task ID"] in tasks}
    titles = {r["DWA ID"]: r["DWA Title"] for r in _tsv("DWA Reference")}
    dwas = {str(g.value(m, OWL.annotatedTarget)).rsplit("/", 1)[1] for m in _mappings(graph)
            if "/onet/element/" in str(g.value(m, OWL.annotatedTarget))}
    assert dwas and dwas <= own
    for dwa in dwas:
        assert g.value(URIRef(f"{NAMESPACE}onet/element/{dwa}"), SKOS.prefLabel) == Literal(titles[dwa], lang="en")


def test_technology_anchors_name_the_imported_examples(graph, imported_27):
    g = graph.graph(GRAPH)
    targets = {str(g.value(m, OWL.annotatedTarget)).encode() for m in _mappings(graph)
               if "/technology/" in str(g.value(m, OWL.annotatedTarget))}
    typed = set()
    with open(imported_27.target, "rb") as handle:
        for line in handle:
            if line.endswith(b"#TechnologyExample> <" + NAMESPACE.encode() + b"graph/onet/27.0> .\n"):
                typed.add(line[1:line.index(b">")])
    assert targets and targets <= typed


def test_scores_fall_with_rank_and_keep_the_builds_share(graph):
    from skillsgraph.loader.anchors_rdf import MIN_SHARE
    g = graph.graph(GRAPH)
    by_kind: dict[tuple, dict[int, float]] = {}
    for m in _mappings(graph):
        kind = str(m).rsplit("/", 2)[-2] if "/technology/" not in str(m) else "technology"
        key = (str(g.value(m, OWL.annotatedSource)), kind.split("/")[0] if kind != "technology" else kind)
        by_kind.setdefault(key, {})[int(g.value(m, URIRef(SG + "suggestionRank")))] = float(g.value(m, URIRef(SG + "similarityScore")))
    assert any(len(ranks) == 2 for ranks in by_kind.values())
    for ranks in by_kind.values():
        if 2 in ranks:
            assert ranks[1] >= ranks[2] >= ranks[1] * MIN_SHARE


def test_changed_frameworks_make_the_anchors_stale(tmp_path, computed):
    from skillsgraph.loader.onet.home_files import anchors_file, files_key, stale_anchors, stamp_file
    from skillsgraph.loader.onet.release_anchors import frameworks_key
    from skillsgraph.loader.source_data import read_source_data
    from skillsgraph.loader.source_files import framework_paths
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR / "frameworks", data / "frameworks")
    shutil.copytree(DATA_DIR / "registries", data / "registries")
    imports = tmp_path / "home" / "imports"
    imports.mkdir(parents=True)
    (imports / "onet-27.0.nq").write_bytes(b"")
    assert stale_anchors(imports, data) == [imports / "onet-27.0.nq"], "no anchors at all"
    target = anchors_file(tmp_path / "home", "27.0")
    target.write_bytes(computed.payload)
    stamp_file(target).write_text(frameworks_key(read_source_data(data)), encoding="utf-8")
    assert frameworks_key(read_source_data(data)) == files_key(framework_paths(data)), "the import's stamp, from the files alone"
    assert stale_anchors(imports, data) == []
    framework = data / "frameworks" / f"{CODE}.yaml"
    framework.write_text(framework.read_text(encoding="utf-8").replace("Client observation records", "Client records", 1),
                         encoding="utf-8")
    assert stale_anchors(imports, data) == [imports / "onet-27.0.nq"]


def test_the_command_writes_the_anchors_with_the_release(cli_27, computed):
    """`skillsgraph import onet` (onet_fixtures.cli_27) commits the anchors and their stamp with the release."""
    home, result = cli_27
    assert result.returncode == 0, result.stderr
    assert (home / "imports" / "anchors-onet-27.0.nq").read_bytes() == computed.payload
    assert (home / "imports" / "anchors-onet-27.0.inputs").is_file()
    assert "anchored 142 framework statements in O*NET 27.0's data" in result.stdout.decode("utf-8")


# ---- served -------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def served(apps, tmp_path_factory, built, computed, imported_27):
    """The build, the anchors and the 27.0 lines about what they name (and the release's own node)."""
    home = tmp_path_factory.mktemp("release-anchors-home")
    build_file = write_build(home, built.nquads)
    anchors = home / "imports" / "anchors-onet-27.0.nq"
    anchors.parent.mkdir(parents=True, exist_ok=True)
    anchors.write_bytes(computed.payload)
    named = {line.split(b" ", 3)[2] for line in computed.payload.splitlines() if b"#annotatedTarget>" in line}
    named |= {b"<" + str(SOURCE).encode() + b">", b"<" + f"{NAMESPACE}occupation/{CODE}".encode() + b">"}
    excerpt = home / "imports" / "onet-27.0-excerpt.nq"
    with open(imported_27.target, "rb") as source, open(excerpt, "wb") as out:
        for line in source:
            if line[:line.index(b" ")] in named:
                out.write(line)
    return apps.app(first_store_kind(), home, build_file, [(excerpt, None), (anchors, None)])


def _onet_task(computed) -> str:
    line = next(l for l in computed.payload.decode().splitlines()
                if l.startswith(f"<{STATEMENT}> <{SKOS.relatedMatch}> <{NAMESPACE}onet/task/"))
    return line.split(" ")[2][1:-1]


def test_a_statements_page_lists_release_anchors_with_their_release_and_report_link(served):
    page = served.client.get(STATEMENT[len(NAMESPACE) - 1:], headers={"Accept": "text/html"}).text
    section = page[page.index('id="source-anchors"'):]
    section = section[:section.index("</section>")]
    assert "O*NET 27.0" in section and "<code>onet-27.0/task/" in section and "<code>onet-27.0/dwa/" in section
    assert "<code>task/" in section, "the page's own anchors stay"
    links = [unquote(html.unescape(h)) for h in re.findall(r'class="correction small" rel="nofollow" href="([^"]+)"', section)]
    assert links and all(link.startswith("mailto:maintainers@skillsgraph.example.org") for link in links)
    assert any(NAMESPACE + "mapping/anchors-onet-27.0/" in link for link in links)


def test_trace_names_the_release_an_anchor_came_from(served):
    anchors = served.client.get(f"/trace{STATEMENT[len(NAMESPACE) - 1:]}").json()["statement"]["sourceAnchors"]
    onet = [a for a in anchors if a.get("wasDerivedFrom")]
    assert onet and all(a["wasDerivedFrom"]["id"] == str(SOURCE) for a in onet)
    assert {a["annotatedTarget"]["notation"].split("/")[1] for a in onet} >= {"task", "dwa"}
    assert any("wasDerivedFrom" not in a for a in anchors), "and the page's own"


def test_an_onet_task_lists_the_statements_it_grounds_with_the_onet_correction_link(served, computed):
    task = _onet_task(computed)
    page = served.client.get(task[len(NAMESPACE) - 1:], headers={"Accept": "text/html"}).text
    grounds = page[page.index('id="grounds"'):]
    assert "O*NET 27.0" in grounds and 'title="' + STATEMENT + '"' in grounds
    [link] = re.findall(r'class="correction" rel="nofollow" href="([^"]+)"', page)
    link = unquote(html.unescape(link))
    assert link.startswith("mailto:onet@onetcenter.org") and task in link, "O*NET's text is O*NET's to correct"


def test_a_dwa_page_lists_the_statements_it_grounds(served, graph):
    g = graph.graph(GRAPH)
    dwa = next(str(g.value(m, OWL.annotatedTarget)) for m in _mappings(graph)
               if "/onet/element/" in str(g.value(m, OWL.annotatedTarget)))
    page = served.client.get(dwa[len(NAMESPACE) - 1:], headers={"Accept": "text/html"}).text
    assert 'id="grounds"' in page and "O*NET 27.0" in page


def test_named_queries_give_the_release_of_each_anchor(served, computed):
    rows = run_named(served, "statement-anchors.rq")
    onet = [r for r in rows if r.get("onetRelease")]
    assert onet and all(r["onetRelease"] == str(SOURCE) for r in onet)
    anchored = {line.split(" ", 1)[0][1:-1] for line in computed.payload.decode().splitlines()
                if line.split(" ", 2)[1] == f"<{SKOS.relatedMatch}>"}
    assert {r["statement"] for r in onet} == anchored and len(anchored) == 141
    grounded = run_named(served, "anchor-statements.rq")
    task = _onet_task(computed)
    assert any(r["anchor"] == task and r["statement"] == STATEMENT and r["onetRelease"] == str(SOURCE) for r in grounded)


def test_profiles_state_release_anchors_as_suggestions_only(served, computed):
    import uuid
    path = STATEMENT[len(NAMESPACE) - 1:]
    doc = served.client.get(path, params={"_profile": "case"}).json()
    origin = str(uuid.uuid5(uuid.NAMESPACE_URL, STATEMENT))
    related = [a for a in doc["CFAssociations"] if a["associationType"] == "isRelatedTo"
               and a["originNodeURI"]["identifier"] == origin]
    onet = [a for a in related if "/onet/task/" in a["destinationNodeURI"]["uri"]]
    assert _onet_task(computed) in {a["destinationNodeURI"]["uri"] for a in onet}
    assert all(a["CFAssociationGroupingURI"]["title"] == "Machine-suggested source anchors" for a in onet)
    ctdl = served.client.get(path, params={"_profile": "ctdl-asn"}).json()
    assert not [t for t in ctdl.get("ceasn:alignTo", []) if "/onet/task/" in t], "a suggestion is no alignment"


# ---- the report links' settings ----------------------------------------------------------------

def test_anchor_report_and_onet_correction_defaults_and_checks(monkeypatch):
    from skillsgraph.config import Settings
    settings = Settings()
    assert settings.correction_url.startswith("mailto:onet@onetcenter.org")
    assert settings.anchor_report_url.startswith("mailto:maintainers@skillsgraph.example.org")
    monkeypatch.setenv("SKILLSGRAPH_ANCHOR_REPORT_URL", "https://example.org/issues/new?title={subject}&body={body}")
    assert Settings().anchor_report_url == "https://example.org/issues/new?title={subject}&body={body}"
    monkeypatch.setenv("SKILLSGRAPH_ANCHOR_REPORT_URL", "https://example.org/report")
    with pytest.raises(ValueError, match="SKILLSGRAPH_ANCHOR_REPORT_URL must be an http"):
        Settings()


def test_a_report_link_carries_the_iri_and_says_whose_problem_it_is():
    from skillsgraph.api.corrections import correction_link
    anchor = correction_link("mailto:x@example.org?subject={subject}&body={body}", "https://e/mapping/1", "Task",
                             about="https://e/statement")
    assert "Source anchor problem" in unquote(anchor) and "https://e/mapping/1" in unquote(anchor)
    onet = correction_link("https://example.org/new?iri={iri}&title={subject}", "https://e/onet/task/1", "Task")
    assert unquote(onet).startswith("https://example.org/new?iri=https://e/onet/task/1") and "O*NET correction" in unquote(onet)
