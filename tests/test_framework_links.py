"""The framework's O*NET descriptors, tasks and related titles reach the imported O*NET releases
(loader/mappings_rdf.py: descriptor -> element in the build; loader/onet/framework_links.py: tasks
and titles matched at import time, graph/links/onet-<version>).

Both real releases in ../shared/onet are imported once per session into a temporary
SKILLSGRAPH_HOME (onet_fixtures.py, shared with test_onet_import.py), linked, loaded into
pyoxigraph beside the bundled build and questioned with SPARQL. No server. Expectations come from the release files, read here with csv (text) and openpyxl (Excel).
"""
from __future__ import annotations

import csv
import functools
from decimal import Decimal
from pathlib import Path

import openpyxl
import pyoxigraph as ox
import pytest
import yaml
from rdflib import Dataset, URIRef

from graph_support import DATA_DIR, NAMESPACE
from onet_fixtures import EXCEL_29, TEXT_27
from skillsgraph.loader.onet.framework_links import link_release, normalise
from skillsgraph.loader.onet.home_files import links_file
from skillsgraph.loader.validation import validate_graph

NS = NAMESPACE
CODE = "29-1129.01"
FRAMEWORK = yaml.safe_load((DATA_DIR / "frameworks" / f"{CODE}.yaml").read_text(encoding="utf-8"))["occupation"]
REGISTRY = yaml.safe_load((DATA_DIR / "registries" / "onet-descriptors.yaml").read_text(encoding="utf-8"))
PREFIXES = f"""PREFIX sg: <https://w3id.org/skillsgraph/ontology#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX owl: <http://www.w3.org/2002/07/owl#> PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX schema: <https://schema.org/> PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""


# ---- independent readers of the release files ------------------------------------------------

def text_rows(folder: Path, name: str) -> list[dict[str, str]]:
    with open(folder / f"{name}.txt", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def excel_rows(folder: Path, name: str) -> list[dict[str, str]]:
    sheet = openpyxl.load_workbook(folder / f"{name}.xlsx", read_only=True).active
    rows = sheet.iter_rows(values_only=True)
    header = next(rows)
    return [{h: ("" if v is None else str(v)) for h, v in zip(header, row)} for row in rows]


@functools.cache  # a workbook takes seconds to read, and several tests read the same one
def rows_of(version: str, name: str) -> list[dict[str, str]]:
    folder, read = (TEXT_27, text_rows) if version == "27.0" else (EXCEL_29, excel_rows)
    return [r for r in read(folder, name) if r["O*NET-SOC Code"] == CODE]


# ---- fixtures: import, link and load once -------------------------------------------------------

@pytest.fixture(scope="module")
def home(linked_home) -> Path:
    """Both releases imported (once per session, shared with test_onet_import.py) and linked."""
    return linked_home


@pytest.fixture(scope="module")
def store(home, built) -> ox.Store:
    s = ox.Store()
    s.load(built.nquads, format=ox.RdfFormat.N_QUADS)
    for file in sorted((home / "imports").glob("*.nq")):
        s.bulk_load(path=str(file), format=ox.RdfFormat.N_QUADS)
    return s


def select(store: ox.Store, query: str) -> list[dict[str, str]]:
    result = store.query(PREFIXES + query, use_default_graph_as_union=True)
    names = [v.value for v in result.variables]
    return [{n: row[n].value for n in names if row[n] is not None} for row in result]


# ---- tasks ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("version", ["27.0", "29.3"])
def test_the_eight_tasks_reach_their_task_ids_and_statements(store, version):
    expected = {r["Task"]: r["Task ID"] for r in rows_of(version, "Task Statements")}
    got = select(store, f"""SELECT DISTINCT ?n ?text ?id ?statement WHERE {{
        <{NS}occupation/{CODE}> sg:task ?task . ?task sg:taskText ?text .
        ?anchor sg:anchors ?task ; sg:position ?n .
        ?task skos:exactMatch ?onet .
        GRAPH <{NS}graph/onet/{version}> {{ ?onet a sg:Task ; skos:notation ?id ; sg:taskText ?statement ;
                                                 sg:occupation <{NS}occupation/{CODE}> }}
    }} ORDER BY xsd:integer(?n)""")
    assert len(got) == len(FRAMEWORK["tasks"]) == 8
    for row, task in zip(got, FRAMEWORK["tasks"]):
        assert row["text"] == task == row["statement"]
        assert row["id"] == expected[task]


def test_a_task_link_is_a_mapping_with_its_provenance(store):
    task_id = {r["Task"]: r["Task ID"] for r in rows_of("29.3", "Task Statements")}[FRAMEWORK["tasks"][0]]
    got = select(store, f"""SELECT ?g ?method ?confidence ?source ?version ?date WHERE {{
        GRAPH ?g {{ ?m a sg:Mapping ; owl:annotatedSource <{NS}occupation/{CODE}/task/1> ;
                     owl:annotatedProperty skos:exactMatch ; owl:annotatedTarget <{NS}onet/task/{task_id}> ;
                     sg:mappingMethod ?method ; sg:confidence ?confidence ; prov:wasDerivedFrom ?source ; dcterms:date ?date .
                     <{NS}occupation/{CODE}/task/1> skos:exactMatch <{NS}onet/task/{task_id}> }}
        ?source owl:versionInfo ?version }} ORDER BY ?version""")
    # Task IDs are stable across releases: each imported release links the task in its own graph,
    # with its own source and date.
    assert got == [{"g": f"{NS}graph/links/onet-{version}", "method": f"{NS}mapping-method/published-crosswalk",
                    "confidence": "1", "source": f"{NS}source/onet-{version}", "version": version, "date": date}
                   for version, date in (("27.0", "2022-08"), ("29.3", "2025-05"))]


# ---- skills and their 29.3 ratings ------------------------------------------------------------

def test_social_perceptiveness_importance_and_level_in_29_3(store):
    expected = {r["Scale ID"]: Decimal(r["Data Value"]) for r in rows_of("29.3", "Skills")
                if r["Element Name"] == "Social Perceptiveness"}
    got = select(store, f"""SELECT DISTINCT ?scale ?value ?id WHERE {{
        <{NS}occupation/{CODE}> sg:skill ?skill . ?skill skos:prefLabel "Social Perceptiveness"@en ; skos:exactMatch ?el .
        GRAPH <{NS}graph/onet/29.3> {{ ?r a sg:OnetRating ; sg:occupation <{NS}occupation/{CODE}> ; sg:element ?el ;
                                             sg:scale ?s ; schema:value ?value . ?s skos:notation ?scale . ?el skos:notation ?id }}
    }}""")
    assert {r["scale"]: Decimal(r["value"]) for r in got} == expected == {"IM": Decimal("4.25"), "LV": Decimal("4.88")}
    assert {r["id"] for r in got} == {"2.B.1.a"}


def test_the_twenty_skills_reach_element_ids_with_29_3_ratings(store):
    ratings = {(r["Element ID"], r["Scale ID"]): Decimal(r["Data Value"]) for r in rows_of("29.3", "Skills")}
    got = select(store, f"""SELECT DISTINCT ?name ?id ?label ?scale ?value WHERE {{
        <{NS}occupation/{CODE}> sg:skill ?skill . ?skill skos:prefLabel ?name ; sg:onetElementId ?id ; skos:exactMatch ?el .
        GRAPH <{NS}graph/onet/29.3> {{ ?el skos:prefLabel ?label .
            ?r sg:occupation <{NS}occupation/{CODE}> ; sg:element ?el ; sg:scale ?s ; schema:value ?value .
            ?s skos:notation ?scale . FILTER(?scale IN ("IM", "LV")) }}
    }}""")
    names = {r["name"] for r in got}
    assert names == set(FRAMEWORK["descriptors"]["skills"]) and len(names) == 20
    for r in got:
        assert r["label"] == r["name"], "the element ID names a different O*NET element"
        assert Decimal(r["value"]) == ratings[(r["id"], r["scale"])]
    assert len(got) == 40


def test_every_registry_element_id_names_that_element_in_both_releases():
    by_release = {"27.0": {r["Element ID"]: r["Element Name"] for r in text_rows(TEXT_27, "Content Model Reference")},
                  "29.3": {r["Element ID"]: r["Element Name"] for r in excel_rows(EXCEL_29, "Content Model Reference")}}
    checked = 0
    for kind in ("skills", "knowledge", "abilities"):
        for entry in REGISTRY[kind]:
            assert entry.get("element_id"), f"{kind} {entry['name']} has no element ID"
            for version, names in by_release.items():
                assert names[entry["element_id"]] == entry["name"], (version, entry)
            checked += 1
    assert checked == 38
    # Work styles stay without IDs: 1.C.1.a is Achievement/Effort up to 30.0 but Innovation from 30.1.
    assert all("element_id" not in e for e in REGISTRY["work_styles"])
    assert by_release["29.3"]["1.C.1.a"] == "Achievement/Effort"


# ---- related titles ---------------------------------------------------------------------------

@pytest.mark.parametrize("version", ["27.0", "29.3"])
def test_related_titles_reach_alternate_titles(store, version):
    alternate = [r["Alternate Title"] for r in rows_of(version, "Alternate Titles")]
    expected = {t: alternate.index(t) + 1 for t in FRAMEWORK["related_titles"] if t in alternate}
    got = select(store, f"""SELECT DISTINCT ?title ?alt ?position WHERE {{
        ?rt a sg:RelatedTitle ; sg:occupation <{NS}occupation/{CODE}> ; skos:prefLabel ?title ; skos:exactMatch ?node .
        GRAPH <{NS}graph/onet/{version}> {{ <{NS}occupation/{CODE}> sg:alternateTitle ?node .
                                             ?node skos:prefLabel ?alt ; sg:position ?position }}
    }}""")
    assert {r["title"]: int(r["position"]) for r in got} == expected
    assert all(r["title"] == r["alt"] for r in got)
    assert len(expected) == {"27.0": 10, "29.3": 11}[version]
    assert "Clinical Therapist" not in expected  # in the framework, in neither release


def test_links_live_only_in_their_own_graph(store):
    graphs = select(store, f"""SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?m a sg:Mapping ; owl:annotatedSource ?s .
        FILTER(STRSTARTS(STR(?s), "{NS}occupation/{CODE}/")) }} }} ORDER BY ?g""")
    assert [r["g"] for r in graphs] == [f"{NS}graph/links/onet-27.0", f"{NS}graph/links/onet-29.3"]


# ---- the links file ----------------------------------------------------------------------------

def test_linking_is_deterministic_and_reports_what_it_could_not_match(home):
    first = links_file(home, "27.0").read_bytes()
    again = link_release(TEXT_27, DATA_DIR, NS)
    assert again.payload == first
    assert (again.tasks_linked, again.tasks_total, again.titles_linked, again.titles_total) == (8, 8, 10, 12)
    assert again.unmatched == [f"{CODE} related title 8 'Clinical Therapist'", f"{CODE} related title 9 'Cognitive Therapist'"]


def test_the_links_graph_passes_the_shapes(home):
    dataset = Dataset()
    dataset.parse(links_file(home, "29.3"), format="nquads")
    graph = dataset.graph(URIRef(f"{NS}graph/links/onet-29.3"))
    assert len(graph) > 100
    assert validate_graph(graph, "links") == []


def test_normalise_ignores_typography_but_not_wording():
    assert normalise("Talk with clients\u2019  sessions.") == normalise("talk with clients' sessions")
    assert normalise("Design art therapy sessions") != normalise("Design art therapy session")


def test_the_import_command_writes_the_links(cli_27):
    cli_home, proc = cli_27  # `skillsgraph import onet` of 27.0 with --workers 1, run once per session
    assert proc.returncode == 0, proc.stderr.decode()
    out = proc.stdout.decode()
    assert "8/8 tasks, 10/12 related titles" in out
    assert "no exact match in 27.0: 29-1129.01 related title 8 'Clinical Therapist'" in out
    assert links_file(cli_home, "27.0").read_bytes() == link_release(TEXT_27, DATA_DIR, NS).payload
