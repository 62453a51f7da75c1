"""`skillsgraph import onet DIR`: the O*NET release importer (loader/onet/).

Both real releases in ../shared/onet are imported whole, once per session, in-process (27.0
text, 29.3 Excel) and 27.0 once more through the command (onet_fixtures.py, shared with
test_framework_links.py). No server: the N-Quads are the subject. Every expectation is derived
from the files themselves by readers written here, independently of the importer: the
csv module for the text form and a zip + regular-expression reader of the sheet XML for the
workbooks (the importer uses openpyxl). The N-Quads are loaded into pyoxigraph and questioned with SPARQL.
The excerpts in tests/onet_excerpts/ cover the layouts the real copies lack (Work Styles
before and from 30.1, the 30.3 renames and splits); malformed copies cover the problems.
"""
from __future__ import annotations

import csv
import html
import re
import shutil
import zipfile
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest
import yaml
from rdflib import Dataset, Graph, URIRef

from graph_support import NAMESPACE, REPO, run_cli
from onet_fixtures import EXCEL_29, TEXT_27
from skillsgraph.loader.errors import SourceDataError
from skillsgraph.loader.graphs import NamedGraph
from skillsgraph.loader.iris import Iris
from skillsgraph.loader.nquads import canonical_nquads
from skillsgraph.loader.onet.importer import import_release

EXCERPTS = Path(__file__).parent / "onet_excerpts"
NS = NAMESPACE
SGO = "https://w3id.org/skillsgraph/ontology#"
XSD = "http://www.w3.org/2001/XMLSchema#"
PUBLISHER = "U.S. Department of Labor, Employment and Training Administration (USDOL/ETA)"
ART_THERAPISTS = "29-1129.01"
PREFIXES = f"""PREFIX sg: <{SGO}> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <https://schema.org/> PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX xsd: <{XSD}>
"""
# The tables the importer reads, by the names O*NET gives their files (30.3 names after the |).
TABLES = {
    "Content Model Reference": ["Content Model Reference"], "Scales Reference": ["Scales Reference"],
    "Job Zone Reference": ["Job Zone Reference"], "Occupation Data": ["Occupation Data"],
    "Alternate Titles": ["Alternate Titles", "Job Titles"], "Sample of Reported Titles": ["Sample of Reported Titles"],
    "Task Statements": ["Task Statements"], "Skills": ["Skills", "Essential Skills", "Transferable Skills"],
    "Knowledge": ["Knowledge"], "Abilities": ["Abilities"], "Work Activities": ["Work Activities"],
    "Work Styles": ["Work Styles"], "Technology Skills": ["Technology Skills", "Software Skills"],
    "Job Zones": ["Job Zones"], "Related Occupations": ["Related Occupations"],
}


# ---- independent readers of the release files ------------------------------------------------

def read_text(path: Path) -> list[dict[str, str]]:
    """A tab-delimited O*NET text file as dicts; O*NET's 'n/a' stays as written."""
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    header = rows[0]
    return [dict(zip(header, row)) for row in rows[1:] if row]


_ROW = re.compile(rb'<row\b[^>]*?(?:/>|>(.*?)</row>)', re.S)
_CELL = re.compile(rb'<c\b([^>]*?)(?:/>|>(.*?)</c>)', re.S)
_REF = re.compile(rb'\br="([A-Z]+)\d+"')
_TYPE = re.compile(rb'\bt="([^"]+)"')
_V = re.compile(rb'<v>(.*?)</v>', re.S)
_T = re.compile(rb'<t\b[^>]*>(.*?)</t>', re.S)
_SI = re.compile(rb'<si>(.*?)</si>', re.S)


def _xml_text(raw: bytes) -> str:
    return html.unescape(raw.decode("utf-8"))


def _column(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n - 1


def read_xlsx(path: Path) -> list[dict[str, str | None]]:
    """The first sheet of a workbook as dicts, read from its XML with regular expressions (not
    with openpyxl, which the importer uses): cells as the file stores them, numbers as their
    digits, an empty cell as None."""
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        shared = [_xml_text(b"".join(_T.findall(si))) for si in _SI.findall(z.read("xl/sharedStrings.xml"))] \
            if "xl/sharedStrings.xml" in names else []
        sheet = z.read(sorted(n for n in names if n.startswith("xl/worksheets/sheet"))[0])
    rows: list[list[str | None]] = []
    for row in _ROW.finditer(sheet):
        cells: dict[int, str | None] = {}
        for attrs, body in _CELL.findall(row.group(1) or b""):
            kind = _TYPE.search(attrs)
            kind = kind.group(1) if kind else None
            if kind == b"inlineStr":
                value = _xml_text(b"".join(_T.findall(body)))
            else:
                v = _V.search(body) if body else None
                value = None if v is None else shared[int(v.group(1))] if kind == b"s" else _xml_text(v.group(1))
            cells[_column(_REF.search(attrs).group(1))] = value
        rows.append([cells.get(i) for i in range(max(cells) + 1)] if cells else [])
    header = rows[0]
    return [dict(zip(header, r)) for r in rows[1:] if any(v is not None for v in r)]


_tables: dict[Path, list[dict]] = {}


def table(path: Path) -> list[dict]:
    """A release file's rows, read once per session."""
    if path not in _tables:
        _tables[path] = read_text(path) if path.suffix == ".txt" else read_xlsx(path)
    return _tables[path]


def present(value: str | None) -> bool:
    return value not in (None, "", "n/a")


def dec(value: str) -> Decimal:
    return Decimal(value)


def expected_skipped(folder: Path, suffix: str) -> list[str]:
    """'<table> (file not in this release)' for each table none of whose file names is in the folder."""
    return [f"{name} (file not in this release)" for name, files in TABLES.items()
            if not any((folder / f"{f}{suffix}").is_file() for f in files)]


# ---- importing the real releases, once (onet_fixtures.py: imported_27, imported_29, cli_27) ---------

def _store(path: Path) -> ox.Store:
    store = ox.Store()
    store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
    return store


@pytest.fixture(scope="module", autouse=True)
def _forget_tables():
    """The release tables and stores are large: let them go when this module is done."""
    yield
    _tables.clear()


@pytest.fixture(scope="module")
def store_27(cli_27, imported_27) -> ox.Store:
    home, _ = cli_27
    return _store(home / "imports" / "onet-27.0.nq")


@pytest.fixture(scope="module")
def store_29(imported_29) -> ox.Store:
    # lenient: skips re-validating IRIs and literals (a third faster); the 27.0 file is loaded strictly
    store = ox.Store()
    store.bulk_load(path=str(imported_29.target), format=ox.RdfFormat.N_QUADS, lenient=True)
    return store


def select(store: ox.Store, query: str) -> list[dict[str, str]]:
    results = store.query(PREFIXES + query, use_default_graph_as_union=True)
    names = [v.value for v in results.variables]
    return [{n: (s[n].value if s[n] is not None else None) for n in names} for s in results]


def count(store: ox.Store, where: str) -> int:
    rows = select(store, f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}")
    return int(rows[0]["n"])


def graph_of(version: str) -> str:
    return f"{NS}graph/onet/{version}"


# ---- the whole 27.0 text release -------------------------------------------------------------------

def test_27_imports_every_file_with_the_rows_of_the_file(imported_27):
    assert imported_27.release.version == "27.0" and imported_27.release.form == "text"
    assert imported_27.target == imported_27.target.parent.parent / "imports" / "onet-27.0.nq"
    by_label = {f.label: f.rows for f in imported_27.files}
    for label, rows in by_label.items():
        assert rows == len(table(TEXT_27 / label)), label
    assert by_label["Occupation Data.txt"] == 1016
    assert by_label["Task Statements.txt"] == 19265
    assert by_label["Alternate Titles.txt"] == 52754


def test_27_skipped_and_ignored_files_are_reported(imported_27, cli_27):
    expected = expected_skipped(TEXT_27, ".txt")
    assert imported_27.release.skipped == expected
    assert {"Skills (file not in this release)", "Knowledge (file not in this release)",
            "Abilities (file not in this release)", "Work Activities (file not in this release)"} == set(expected)
    assert "Tools Used.txt" in imported_27.release.ignored and "Work Values.txt" in imported_27.release.ignored
    _, proc = cli_27
    assert proc.returncode == 0, proc.stderr.decode()
    stdout = proc.stdout.decode()
    for line in expected:
        assert f"skipped: {line}" in stdout
    assert "Tools Used.txt" in stdout


def test_27_counts_in_the_graph_match_the_files(store_27):
    g = graph_of("27.0")
    assert count(store_27, f"GRAPH <{g}> {{ ?o a sg:Occupation }}") == len(table(TEXT_27 / "Occupation Data.txt")) == 1016
    assert count(store_27, f"GRAPH <{g}> {{ ?t a sg:Task }}") == len(table(TEXT_27 / "Task Statements.txt")) == 19265
    assert count(store_27, f"GRAPH <{g}> {{ ?t a sg:AlternateTitle }}") == len(table(TEXT_27 / "Alternate Titles.txt")) == 52754
    technology = table(TEXT_27 / "Technology Skills.txt")
    assert count(store_27, f"GRAPH <{g}> {{ ?t a sg:TechnologyExample }}") == len(technology) == 30826
    related = table(TEXT_27 / "Related Occupations.txt")
    assert count(store_27, f"GRAPH <{g}> {{ ?r a sg:OccupationRelation }}") == len(related) == 18460
    assert count(store_27, f"GRAPH <{g}> {{ ?r a sg:ReportedTitle }}") == len(table(TEXT_27 / "Sample of Reported Titles.txt"))
    assert count(store_27, f"GRAPH <{g}> {{ ?r a sg:OnetRating }}") == len(table(TEXT_27 / "Work Styles.txt"))
    commodities = {r["Commodity Code"] for r in technology}
    assert count(store_27, f"GRAPH <{g}> {{ ?c a sg:TechnologyCategory }}") == len(commodities)


def test_27_the_command_writes_the_same_bytes_as_the_function(imported_27, cli_27):
    home, proc = cli_27
    assert proc.returncode == 0
    assert (home / "imports" / "onet-27.0.nq").read_bytes() == imported_27.target.read_bytes()
    assert b"Traceback" not in proc.stderr
    assert "rows/s" in proc.stderr.decode() and "distinct triples" in proc.stdout.decode()


def test_27_a_task_row_field_by_field(store_27):
    rows = [r for r in table(TEXT_27 / "Task Statements.txt") if r["O*NET-SOC Code"] == ART_THERAPISTS]
    row = rows[0]
    task = f"{NS}onet/task/{row['Task ID']}"
    got = select(store_27, f"""SELECT ?text ?type ?n ?date ?source ?occ ?id ?from WHERE {{ GRAPH <{graph_of('27.0')}> {{
        <{task}> a sg:Task ; skos:notation ?id ; sg:taskText ?text ; sg:taskType ?type ; sg:incumbentsResponding ?n ;
        dcterms:date ?date ; sg:domainSource ?source ; sg:occupation ?occ ; prov:wasDerivedFrom ?from .
        ?occ sg:task <{task}> }} }}""")
    month, year = row["Date"].split("/")
    assert got == [{"text": row["Task"], "type": row["Task Type"], "n": row["Incumbents Responding"],
                    "date": f"{year}-{month}", "source": row["Domain Source"], "occ": f"{NS}occupation/{ART_THERAPISTS}",
                    "id": row["Task ID"], "from": f"{NS}source/onet-27.0"}]
    # a task whose Task Type and Incumbents Responding are n/a has neither triple
    na = next(r for r in table(TEXT_27 / "Task Statements.txt") if r["Task Type"] == "n/a" and r["Incumbents Responding"] == "n/a")
    assert count(store_27, f"<{NS}onet/task/{na['Task ID']}> sg:taskType|sg:incumbentsResponding ?x") == 0
    assert count(store_27, f"<{NS}onet/task/{na['Task ID']}> sg:taskText ?x") == 1


def test_27_an_alternate_title_field_by_field(store_27):
    rows = [r for r in table(TEXT_27 / "Alternate Titles.txt") if r["O*NET-SOC Code"] == ART_THERAPISTS]
    n, row = next((i, r) for i, r in enumerate(rows, start=1) if present(r["Short Title"]))
    node = f"{NS}onet/27.0/title/{ART_THERAPISTS}/{n}"
    got = select(store_27, f"""SELECT ?label ?short ?occ ?pos WHERE {{ <{node}> a sg:AlternateTitle ; skos:prefLabel ?label ;
        sg:shortTitle ?short ; sg:occupation ?occ ; sg:position ?pos . ?occ sg:alternateTitle <{node}> }}""")
    assert got == [{"label": row["Alternate Title"], "short": row["Short Title"], "occ": f"{NS}occupation/{ART_THERAPISTS}",
                    "pos": str(n)}]
    sources = {r["s"] for r in select(store_27, f"SELECT ?s WHERE {{ <{node}> sg:titleSource ?s }}")}
    assert sources == set(row["Source(s)"].split(","))
    assert count(store_27, f"?o sg:alternateTitle ?t . ?t skos:prefLabel ?l . FILTER(?o = <{NS}occupation/{ART_THERAPISTS}>)") == len(rows)


def test_27_technology_related_occupations_and_job_zones(store_27):
    g = graph_of("27.0")
    tech = [r for r in table(TEXT_27 / "Technology Skills.txt") if r["O*NET-SOC Code"] == ART_THERAPISTS]
    got = select(store_27, f"""SELECT ?pos ?label ?code ?title ?hot WHERE {{ GRAPH <{g}> {{
        <{NS}occupation/{ART_THERAPISTS}> sg:technologyExample ?t . ?t sg:position ?pos ; skos:prefLabel ?label ;
        sg:hotTechnology ?hot ; sg:commodity ?c . ?c sg:unspscCode ?code ; skos:prefLabel ?title }} }}""")
    assert sorted((int(r["pos"]), r["label"], r["code"], r["title"], r["hot"]) for r in got) == [
        (i, r["Example"], r["Commodity Code"], r["Commodity Title"], "true" if r["Hot Technology"] == "Y" else "false")
        for i, r in enumerate(tech, start=1)]
    assert count(store_27, f"GRAPH <{g}> {{ ?t sg:inDemand ?x }}") == 0  # 27.0 has no In Demand column
    related = [r for r in table(TEXT_27 / "Related Occupations.txt") if r["O*NET-SOC Code"] == ART_THERAPISTS]
    got = select(store_27, f"""SELECT ?to ?tier ?index WHERE {{ GRAPH <{g}> {{ ?r a sg:OccupationRelation ;
        sg:occupation <{NS}occupation/{ART_THERAPISTS}> ; sg:relatedOccupation ?to ; sg:relatednessTier ?tier ;
        sg:relatednessIndex ?index }} }}""")
    assert sorted((r["to"], r["tier"], int(r["index"])) for r in got) == sorted(
        (f"{NS}occupation/{r['Related O*NET-SOC Code']}", r["Relatedness Tier"], int(r["Index"])) for r in related)
    zone_row = next(r for r in table(TEXT_27 / "Job Zones.txt") if r["O*NET-SOC Code"] == ART_THERAPISTS)
    reference = {r["Job Zone"]: r for r in table(TEXT_27 / "Job Zone Reference.txt")}[zone_row["Job Zone"]]
    zone = Iris(NS).job_zone(int(zone_row["Job Zone"]))
    got = select(store_27, f"""SELECT ?name ?svp ?exp ?n ?date WHERE {{ GRAPH <{g}> {{
        <{NS}occupation/{ART_THERAPISTS}> sg:jobZone <{zone}> . <{zone}> a sg:JobZone ; skos:prefLabel ?name ;
        sg:svpRange ?svp ; sg:jobZoneExperience ?exp ; sg:jobZoneNumber ?n .
        ?a sg:occupation <{NS}occupation/{ART_THERAPISTS}> ; sg:assignedJobZone <{zone}> ; dcterms:date ?date }} }}""")
    month, year = zone_row["Date"].split("/")
    assert got == [{"name": reference["Name"], "svp": reference["SVP Range"], "exp": reference["Experience"],
                    "n": zone_row["Job Zone"], "date": f"{year}-{month}"}]


def test_27_content_model_and_scales(store_27):
    g = graph_of("27.0")
    elements = {r["Element ID"]: r for r in table(TEXT_27 / "Content Model Reference.txt")}
    sp = elements["2.B.1.a"]
    got = select(store_27, f"""SELECT ?label ?def ?broader ?notation WHERE {{ GRAPH <{g}> {{
        <{NS}onet/element/2.B.1.a> a sg:OnetElement ; skos:prefLabel ?label ; skos:definition ?def ;
        skos:broader ?broader ; skos:notation ?notation }} }}""")
    assert got == [{"label": sp["Element Name"], "def": sp["Description"], "broader": f"{NS}onet/element/2.B.1",
                    "notation": "2.B.1.a"}]
    assert count(store_27, f"GRAPH <{g}> {{ ?e skos:broader ?p }}") == sum(1 for i in elements if "." in i)
    tops = {r["e"] for r in select(store_27, f"SELECT ?e WHERE {{ GRAPH <{g}> {{ ?e skos:topConceptOf <{NS}onet/content-model> }} }}")}
    assert tops == {f"{NS}onet/element/{i}" for i in elements if "." not in i}
    scales = {r["Scale ID"]: r for r in table(TEXT_27 / "Scales Reference.txt")}
    for sid in ("IM", "LV"):
        got = select(store_27, f"""SELECT ?name ?min ?max WHERE {{ <{NS}onet/scale/{sid}> a sg:OnetScale ;
            skos:prefLabel ?name ; schema:minValue ?min ; schema:maxValue ?max }}""")
        assert got == [{"name": scales[sid]["Scale Name"], "min": scales[sid]["Minimum"], "max": scales[sid]["Maximum"]}]


# ---- the whole 29.3 Excel release -----------------------------------------------------------------------

def test_29_imports_every_file_with_the_rows_of_the_file(imported_29):
    assert imported_29.release.version == "29.3" and imported_29.release.form == "excel"
    assert imported_29.release.issued == "2025-05"
    by_label = {f.label: f.rows for f in imported_29.files}
    for label, rows in by_label.items():
        assert rows == len(table(EXCEL_29 / label)), label
    assert by_label["Skills.xlsx"] == 61530
    assert imported_29.release.skipped == expected_skipped(EXCEL_29, ".xlsx") == [
        "Abilities (file not in this release)", "Work Activities (file not in this release)"]


def test_29_every_skills_and_knowledge_row_is_a_rating(store_29):
    g = graph_of("29.3")
    for name in ("Skills.xlsx", "Knowledge.xlsx"):
        rows = table(EXCEL_29 / name)
        prefixes = sorted({".".join(r["Element ID"].split(".")[:2]) for r in rows})
        filter_ = " || ".join(f'STRSTARTS(?id, "{p}.")' for p in prefixes)
        got = select(store_29, f"""SELECT ?code ?id ?scale WHERE {{ GRAPH <{g}> {{ ?r a sg:OnetRating ; sg:occupation ?o ;
            sg:element ?e ; sg:scale ?s . ?e skos:notation ?id . ?s skos:notation ?scale
            BIND(STRAFTER(STR(?o), "/occupation/") AS ?code) FILTER({filter_}) }} }}""")
        keys = {(r["code"], r["id"], r["scale"]) for r in got}
        assert keys == {(r["O*NET-SOC Code"], r["Element ID"], r["Scale ID"]) for r in rows}, name
        assert len(keys) == len(rows)
    assert len(table(EXCEL_29 / "Skills.xlsx")) == 61530


def test_29_a_rating_row_with_all_its_fields(store_29):
    row = next(r for r in table(EXCEL_29 / "Knowledge.xlsx")
               if r["Scale ID"] == "LV" and all(present(r[c]) for c in ("Standard Error", "Lower CI Bound", "Not Relevant"))
               and r["Recommend Suppress"] == "Y")
    node = f"{NS}onet/29.3/rating/{row['O*NET-SOC Code']}/{row['Element ID']}/{row['Scale ID']}"
    got = select(store_29, f"""SELECT ?p ?o (DATATYPE(?o) AS ?dt) WHERE {{ GRAPH <{graph_of('29.3')}> {{ <{node}> ?p ?o }} }}""")
    values = {r["p"].rsplit("#", 1)[-1].rsplit("/", 1)[-1]: (r["o"], r["dt"]) for r in got}
    month, year = row["Date"].split("/")
    assert values["type"][0] == SGO + "OnetRating"
    assert values["occupation"][0] == f"{NS}occupation/{row['O*NET-SOC Code']}"
    assert values["element"][0] == f"{NS}onet/element/{row['Element ID']}"
    assert values["scale"][0] == f"{NS}onet/scale/LV"
    for prop, column in (("value", "Data Value"), ("standardError", "Standard Error"),
                         ("lowerCIBound", "Lower CI Bound"), ("upperCIBound", "Upper CI Bound")):
        assert dec(values[prop][0]) == dec(row[column]) and values[prop][1] == XSD + "decimal", prop
    assert values["sampleSize"] == (str(int(row["N"])), XSD + "integer")
    assert values["recommendSuppress"] == ("true", XSD + "boolean")
    assert values["notRelevant"] == ("true" if row["Not Relevant"] == "Y" else "false", XSD + "boolean")
    assert values["date"] == (f"{year}-{month}", XSD + "gYearMonth")
    assert values["domainSource"][0] == row["Domain Source"]
    assert values["wasDerivedFrom"][0] == f"{NS}source/onet-29.3"
    assert len(got) == len(values) == 14
    # an importance row: Not Relevant is empty in the workbook, so there is no sg:notRelevant
    im = f"{NS}onet/29.3/rating/{row['O*NET-SOC Code']}/{row['Element ID']}/IM"
    assert count(store_29, f"<{im}> schema:value ?v") == 1
    assert count(store_29, f"<{im}> sg:notRelevant ?v") == 0


def test_29_social_perceptiveness_of_art_therapists_by_sparql(store_29):
    rows = {r["Scale ID"]: r for r in table(EXCEL_29 / "Skills.xlsx")
            if r["O*NET-SOC Code"] == ART_THERAPISTS and r["Element ID"] == "2.B.1.a"}
    got = select(store_29, f"""SELECT ?scale ?value ?name WHERE {{ GRAPH <{graph_of('29.3')}> {{
        ?r a sg:OnetRating ; sg:occupation <{NS}occupation/{ART_THERAPISTS}> ; sg:element ?e ; sg:scale ?s ; schema:value ?value .
        ?e skos:notation "2.B.1.a" ; skos:prefLabel ?name . ?s skos:notation ?scale }} }} ORDER BY ?scale""")
    assert [(r["scale"], dec(r["value"])) for r in got] == [("IM", dec(rows["IM"]["Data Value"])),
                                                          ("LV", dec(rows["LV"]["Data Value"]))]
    assert [(r["scale"], r["value"]) for r in got] == [("IM", "4.25"), ("LV", "4.88")]
    assert {r["name"] for r in got} == {"Social Perceptiveness"}


@pytest.mark.parametrize("version", ["27.0", "29.3"])
def test_tasks_of_art_therapists_by_sparql(version, store_27, store_29):
    store, path = (store_27, TEXT_27 / "Task Statements.txt") if version == "27.0" else (store_29, EXCEL_29 / "Task Statements.xlsx")
    rows = [r for r in table(path) if r["O*NET-SOC Code"] == ART_THERAPISTS]
    got = select(store, f"""SELECT ?id ?text WHERE {{ GRAPH <{graph_of(version)}> {{
        <{NS}occupation/{ART_THERAPISTS}> sg:task ?t . ?t skos:notation ?id ; sg:taskText ?text }} }}""")
    assert rows and sorted((r["id"], r["text"]) for r in got) == sorted((str(r["Task ID"]), r["Task"]) for r in rows)


def test_29_in_demand_and_related_titles(store_29):
    g = graph_of("29.3")
    technology = table(EXCEL_29 / "Technology Skills.xlsx")
    assert count(store_29, f"GRAPH <{g}> {{ ?t sg:inDemand true }}") == sum(r["In Demand"] == "Y" for r in technology)
    assert count(store_29, f"GRAPH <{g}> {{ ?t sg:hotTechnology true }}") == sum(r["Hot Technology"] == "Y" for r in technology)
    titles = table(EXCEL_29 / "Alternate Titles.xlsx")
    assert count(store_29, f"GRAPH <{g}> {{ ?t a sg:AlternateTitle }}") == len(titles)
    assert count(store_29, f"GRAPH <{g}> {{ ?t sg:shortTitle ?s }}") == sum(present(r["Short Title"]) for r in titles)
    reported = table(EXCEL_29 / "Sample of Reported Titles.xlsx")
    assert count(store_29, f"GRAPH <{g}> {{ ?t sg:shownInMyNextMove true }}") == sum(r["Shown in My Next Move"] == "Y" for r in reported)
    ws = table(EXCEL_29 / "Work Styles.xlsx")
    assert count(store_29, f"GRAPH <{g}> {{ ?r sg:scale <{NS}onet/scale/IM> ; sg:element ?e . ?e skos:notation ?id FILTER STRSTARTS(?id, '1.C') }}") == len(ws)


# ---- what every imported graph says and how it is written ---------------------------------------------------

@pytest.mark.parametrize("version", ["27.0", "29.3"])
def test_the_release_is_described(version, store_27, store_29, imported_27, imported_29):
    store, result = (store_27, imported_27) if version == "27.0" else (store_29, imported_29)
    source = f"{NS}source/onet-{version}"
    readme = (result.release.folder / "Read Me.txt").read_text(encoding="utf-8").splitlines()
    month, year = readme[1].split()[:2]
    months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
              "November", "December"]
    got = select(store, f"""SELECT ?title ?version ?issued ?publisher ?license ?label WHERE {{ GRAPH <{graph_of(version)}> {{
        <{source}> a sg:Source , sg:OnetRelease ; dcterms:title ?title ; owl:versionInfo ?version ; dcterms:issued ?issued ;
        dcterms:publisher ?publisher ; dcterms:license ?license . ?publisher a sg:Agent ; rdfs:label ?label }} }}""")
    assert got == [{"title": f"O*NET {version} Database", "version": version,
                    "issued": f"{year}-{months.index(month) + 1:02d}",
                    "publisher": f"{NS}agent/u-s-department-of-labor-employment-and-training-administration-usdol-eta",
                    "license": "https://creativecommons.org/licenses/by/4.0/", "label": PUBLISHER}]
    assert readme[0] == f"O*NET {version} Database"
    # the same agent IRI as the sources registry mints for O*NET's publisher
    registry = yaml.safe_load((REPO / "data" / "registries" / "sources.yaml").read_text(encoding="utf-8"))
    onet_publishers = {s["publisher"] for code, s in registry["sources"].items() if code.startswith("onet")}
    assert {str(Iris(NS).agent(p)) for p in onet_publishers} == {got[0]["publisher"]}
    imported = {r["f"] for r in select(store, f"SELECT ?f WHERE {{ <{source}> sg:importedFile ?f }}")}
    assert imported == {f"{f.label}: {len(table(result.release.folder / f.label))} rows" for f in result.files}
    skipped = {r["f"] for r in select(store, f"SELECT ?f WHERE {{ <{source}> sg:skippedFile ?f }}")}
    assert skipped == set(result.release.skipped)


@pytest.mark.parametrize("version", ["27.0", "29.3"])
def test_one_graph_no_blank_nodes_typed_numbers(version, store_27, store_29, imported_27, imported_29):
    store, result = (store_27, imported_27) if version == "27.0" else (store_29, imported_29)
    assert len(store) == result.triples
    got = select(store, f"""SELECT (COUNT(*) AS ?n) (SUM(IF(isBlank(?s) || isBlank(?o), 1, 0)) AS ?blank)
                            WHERE {{ GRAPH <{graph_of(version)}> {{ ?s ?p ?o }} }}""")
    assert got == [{"n": str(len(store)), "blank": "0"}]
    for prop, datatype in (("schema:value", "decimal"), ("sg:standardError", "decimal"), ("sg:sampleSize", "integer"),
                           ("sg:position", "integer"), ("sg:recommendSuppress", "boolean"), ("dcterms:date", "gYearMonth")):
        assert count(store, f"?s {prop} ?o FILTER(DATATYPE(?o) != xsd:{datatype})") == 0, prop
    # Oxigraph gives back exactly what was written (canonical decimals, sorted lines): the whole file
    # for 27.0, every line about the ratings of one occupation for 29.3 (decimals from the workbook's floats)
    written = result.target.read_bytes()
    if version == "27.0":
        dumped = sorted(store.dump(format=ox.RdfFormat.N_QUADS).splitlines(keepends=True))
        assert b"".join(dumped) == written
    else:
        marker = f"<{NS}onet/29.3/rating/{ART_THERAPISTS}/".encode()
        start = written.index(marker)
        end = written.rindex(marker)
        ours = written[start:written.index(b"\n", end) + 1].splitlines(keepends=True)
        assert len(ours) > 1000
        subjects = {ox.NamedNode(line[1:line.index(b">")].decode()) for line in ours}
        theirs: list[bytes] = []
        for subject in subjects:
            quads = store.quads_for_pattern(subject, None, None)
            theirs += ox.serialize(quads, format=ox.RdfFormat.N_QUADS).splitlines(keepends=True)
        assert sorted(theirs) == ours


@pytest.mark.parametrize("version", ["27.0", "29.3"])
def test_every_ontology_term_used_is_defined(version, store_27, store_29):
    store = store_27 if version == "27.0" else store_29
    ontology = Graph().parse(REPO / "ontology" / "skillsgraph.ttl")
    used = {r["t"] for r in select(store, "SELECT DISTINCT ?t WHERE { GRAPH ?g { ?s ?t ?o } }")}
    used |= {r["t"] for r in select(store, "SELECT DISTINCT ?t WHERE { GRAPH ?g { ?s a ?t } }")}
    ours = sorted(t for t in used if t.startswith(SGO))
    assert len(ours) > 20
    for term in ours:
        labels = list(ontology.objects(URIRef(term), URIRef("http://www.w3.org/2000/01/rdf-schema#label")))
        definitions = list(ontology.objects(URIRef(term), URIRef("http://www.w3.org/2004/02/skos/core#definition")))
        assert len(labels) == 1 and len(definitions) == 1, term


def test_occupations_join_the_framework_iris(store_29):
    occupation = Iris(NS).occupation(ART_THERAPISTS)  # the IRI loader/framework_rdf gives the framework's occupation
    row = next(r for r in table(EXCEL_29 / "Occupation Data.xlsx") if r["O*NET-SOC Code"] == ART_THERAPISTS)
    got = select(store_29, f"SELECT ?label ?desc WHERE {{ <{occupation}> a sg:Occupation ; skos:prefLabel ?label ; dcterms:description ?desc }}")
    assert got == [{"label": row["Title"], "desc": row["Description"]}]
    framework = yaml.safe_load((REPO / "data" / "frameworks" / f"{ART_THERAPISTS}.yaml").read_text(encoding="utf-8"))
    assert framework["occupation"]["onet_soc"] == ART_THERAPISTS


# ---- excerpts in the layouts the real copies lack ------------------------------------------------------------

def _import_excerpt(folder: Path, **kwargs):
    result = import_release(folder, NS, workers=1, **kwargs)
    dataset = Dataset()
    dataset.parse(data=result.payload.decode("utf-8"), format="nquads")
    return result, dataset


def _has(dataset: Dataset, version: str, s: str, p: str, o) -> bool:
    g = dataset.graph(URIRef(graph_of(version)))
    return (URIRef(s), URIRef(p), o) in g


def _lit(value: str, datatype: str | None = None, lang: str | None = None):
    from rdflib import Literal
    return Literal(value, datatype=URIRef(XSD + datatype) if datatype else None, lang=lang)


def test_excerpt_work_styles_from_30_1_wi_and_dr():
    result, ds = _import_excerpt(EXCERPTS / "db_30_1_text")
    assert result.release.version == "30.1" and result.release.issued == "2025-12"
    rows = table(EXCERPTS / "db_30_1_text" / "Work Styles.txt")
    assert [f.rows for f in result.files] == [len(rows)]
    base = f"{NS}onet/30.1/rating/{ART_THERAPISTS}"
    assert _has(ds, "30.1", f"{base}/1.C.1.b/WI", SGO + "scale", URIRef(f"{NS}onet/scale/WI"))
    assert _has(ds, "30.1", f"{base}/1.C.1.b/WI", "https://schema.org/value", _lit("-0.4", "decimal"))
    assert _has(ds, "30.1", f"{base}/1.C.1.a/DR", "https://schema.org/value", _lit("1", "decimal"))
    assert _has(ds, "30.1", f"{base}/1.C.1.a/DR", SGO + "domainSource", _lit("AI/Expert"))
    assert _has(ds, "30.1", f"{base}/1.C.1.a/DR", "http://purl.org/dc/terms/date", _lit("2025-12", "gYearMonth"))
    assert _has(ds, "30.1", f"{NS}onet/30.1/rating/29-1141.01/1.C.1.a/WI", "https://schema.org/value", _lit("1.1", "decimal"))
    assert _has(ds, "30.1", f"{NS}onet/element/1.C.1.b", "http://www.w3.org/2004/02/skos/core#prefLabel",
                _lit("Achievement Orientation", lang="en"))
    ratings = set(ds.graph(URIRef(graph_of("30.1"))).subjects(URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                                                               URIRef(SGO + "OnetRating")))
    assert len(ratings) == len(rows)
    # the 30.1 layout has no sample size, standard error, bounds or flags
    for prop in ("sampleSize", "standardError", "lowerCIBound", "upperCIBound", "recommendSuppress", "notRelevant"):
        assert not list(ds.graph(URIRef(graph_of("30.1"))).triples((None, URIRef(SGO + prop), None))), prop


def test_excerpt_work_styles_before_30_1_im():
    folder = EXCERPTS / "db_27_0_work_styles"
    result, ds = _import_excerpt(folder)
    rows = table(folder / "Work Styles.txt")
    full = next(r for r in rows if present(r["Standard Error"]))
    node = f"{NS}onet/27.0/rating/{full['O*NET-SOC Code']}/{full['Element ID']}/IM"
    assert _has(ds, "27.0", node, SGO + "sampleSize", _lit(full["N"], "integer"))
    assert _has(ds, "27.0", node, SGO + "standardError", _lit(full["Standard Error"], "decimal"))
    assert _has(ds, "27.0", node, SGO + "lowerCIBound", _lit(full["Lower CI Bound"], "decimal"))
    assert _has(ds, "27.0", node, SGO + "recommendSuppress", _lit("false", "boolean"))
    sparse = next(r for r in rows if r["O*NET-SOC Code"] == ART_THERAPISTS)
    node = f"{NS}onet/27.0/rating/{ART_THERAPISTS}/{sparse['Element ID']}/IM"
    assert _has(ds, "27.0", node, "https://schema.org/value", _lit(sparse["Data Value"], "decimal"))
    g = ds.graph(URIRef(graph_of("27.0")))
    assert not list(g.triples((URIRef(node), URIRef(SGO + "standardError"), None)))
    assert not list(g.triples((URIRef(node), URIRef(SGO + "recommendSuppress"), None)))
    assert result.release.skipped == expected_skipped(folder, ".txt")


def test_excerpt_30_3_renamed_and_split_files():
    folder = EXCERPTS / "db_30_3_text"
    result, ds = _import_excerpt(folder)
    assert [f.label for f in result.files] == ["Occupation Data.txt", "Job Titles.txt", "Essential Skills.txt",
                                               "Transferable Skills.txt", "Software Skills.txt"]
    assert "Skills (file not in this release)" not in result.release.skipped
    assert result.release.skipped == expected_skipped(folder, ".txt")
    assert any("Essential Skills and Transferable Skills" in note for note in result.release.layout)
    titles = table(folder / "Job Titles.txt")
    n, row = next((i, r) for i, r in enumerate(titles, start=1) if present(r["Short Title"]))
    node = f"{NS}onet/30.3/title/{ART_THERAPISTS}/{n}"
    assert _has(ds, "30.3", node, "http://www.w3.org/2004/02/skos/core#prefLabel", _lit(row["Job Title"], lang="en"))
    assert _has(ds, "30.3", node, SGO + "shortTitle", _lit(row["Short Title"], lang="en"))
    assert _has(ds, "30.3", f"{NS}occupation/{ART_THERAPISTS}", SGO + "alternateTitle", URIRef(node))
    for file, element in (("Essential Skills.txt", "2.A.1.a"), ("Transferable Skills.txt", "2.B.1.a")):
        lv = next(r for r in table(folder / file) if r["Element ID"] == element and r["Scale ID"] == "LV")
        rating = f"{NS}onet/30.3/rating/{ART_THERAPISTS}/{element}/LV"
        assert _has(ds, "30.3", rating, "https://schema.org/value", _lit(str(dec(lv["Data Value"]).normalize()), "decimal"))
        assert _has(ds, "30.3", rating, SGO + "notRelevant", _lit("false", "boolean"))
        assert _has(ds, "30.3", rating, SGO + "upperCIBound", _lit(format(dec(lv["Upper CI Bound"]).normalize(), "f"), "decimal"))
    software = table(folder / "Software Skills.txt")
    for n, row in enumerate(software, start=1):
        node = f"{NS}onet/30.3/technology/{ART_THERAPISTS}/{n}"
        assert _has(ds, "30.3", node, "http://www.w3.org/2004/02/skos/core#prefLabel", _lit(row["Workplace Example"], lang="en"))
        assert _has(ds, "30.3", node, SGO + "element", URIRef(f"{NS}onet/element/{row['Element ID']}"))
        assert _has(ds, "30.3", node, SGO + "inDemand", _lit("true" if row["In Demand"] == "Y" else "false", "boolean"))
        assert _has(ds, "30.3", f"{NS}onet/element/{row['Element ID']}", "http://www.w3.org/2004/02/skos/core#prefLabel",
                    _lit(row["Element Name"], lang="en"))
    assert not list(ds.graph(URIRef(graph_of("30.3"))).triples((None, URIRef(SGO + "commodity"), None)))


@pytest.mark.parametrize("folder", ["db_27_0_work_styles", "db_30_1_text", "db_30_3_text"])
def test_excerpt_output_is_what_canonical_nquads_writes(folder):
    result, ds = _import_excerpt(EXCERPTS / folder)
    graphs = [NamedGraph(g.identifier, Graph() + g) for g in ds.graphs() if len(g)]
    assert len(graphs) == 1
    assert canonical_nquads(graphs) == result.payload
    assert b"_:" not in result.payload


# ---- the Excel layout of the excerpts: Title after the code, Scale Name after the Scale ID ----------------------------

def _to_xlsx(text_file: Path, target: Path) -> None:
    """Write a text excerpt as O*NET's Excel form writes the same table."""
    from openpyxl import Workbook
    rows = read_text(text_file)
    titles = {r["O*NET-SOC Code"]: r["Title"] for r in read_text(TEXT_27 / "Occupation Data.txt")}
    scale_names = {"IM": "Importance", "LV": "Level", "WI": "Work Styles Impact", "DR": "Distinctiveness Rank"}
    header: list[str] = []
    columns = list(rows[0])
    for i, column in enumerate(columns):
        header.append(column)
        if column == "O*NET-SOC Code" and columns[i + 1:i + 2] != ["Title"]:
            header.append("Title")
        if column == "Scale ID":
            header.append("Scale Name")
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for r in rows:
        out = []
        for column in header:
            value = {"Title": titles.get(r["O*NET-SOC Code"]), "Scale Name": scale_names.get(r.get("Scale ID"))}.get(column, r.get(column))
            if value == "n/a":
                value = None
            elif column in ("Data Value", "Standard Error", "Lower CI Bound", "Upper CI Bound") and value is not None:
                value = float(value)
            elif column == "N" and value is not None:
                value = int(value)
            out.append(value)
        ws.append(out)
    wb.save(target)


@pytest.mark.parametrize("folder", ["db_30_1_text", "db_30_3_text"])
def test_excerpt_excel_layout_gives_the_same_triples(folder, tmp_path):
    source = EXCERPTS / folder
    (tmp_path / "Read Me.txt").write_bytes((source / "Read Me.txt").read_bytes())
    for file in source.glob("*.txt"):
        if file.name != "Read Me.txt":
            _to_xlsx(file, tmp_path / f"{file.stem}.xlsx")
    text_result = import_release(source, NS, workers=1)
    excel_result = import_release(tmp_path, NS, workers=1)
    assert excel_result.release.form == "excel"
    text_lines = set(text_result.payload.decode().splitlines())
    excel_lines = set(excel_result.payload.decode().splitlines())
    differing = {line.split(" ")[0] for line in text_lines ^ excel_lines}
    # only the release description (file names) and the scale labels the Excel layout adds differ
    assert differing <= {f"<{NS}source/onet-{text_result.release.version}>", f"<{NS}onet/scale/IM>", f"<{NS}onet/scale/LV>",
                         f"<{NS}onet/scale/WI>", f"<{NS}onet/scale/DR>"}
    assert len(text_lines & excel_lines) > 30


# ---- malformed files are rejected, nothing is written ------------------------------------------------------

SKILLS_HEADER = "\t".join(("O*NET-SOC Code", "Element ID", "Element Name", "Scale ID", "Data Value", "N", "Standard Error",
                           "Lower CI Bound", "Upper CI Bound", "Recommend Suppress", "Not Relevant", "Date", "Domain Source"))


def _skills_release(tmp_path: Path) -> Path:
    """A small 27.0-layout release: real Read Me and Occupation Data, and a Skills.txt from the excerpt's rows."""
    folder = tmp_path / "release"
    folder.mkdir()
    shutil.copy(TEXT_27 / "Read Me.txt", folder / "Read Me.txt")
    shutil.copy(EXCERPTS / "db_30_3_text" / "Occupation Data.txt", folder / "Occupation Data.txt")
    essential = (EXCERPTS / "db_30_3_text" / "Essential Skills.txt").read_text(encoding="utf-8").splitlines()
    assert essential[0] == SKILLS_HEADER
    (folder / "Skills.txt").write_text("\n".join(essential) + "\n", encoding="utf-8")
    return folder


def _break(folder: Path, line: int, column: str, value: str) -> None:
    path = folder / "Skills.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    fields = lines[line - 1].split("\t")
    fields[SKILLS_HEADER.split("\t").index(column)] = value
    lines[line - 1] = "\t".join(fields)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


BROKEN = {
    "header": (1, "Data Value", "Data Valu",
               "Skills.txt:1: header: column 5 is 'Data Valu' where 'Data Value' is expected"),
    "code": (3, "O*NET-SOC Code", "29-1129",
             "Skills.txt:3: column 'O*NET-SOC Code': '29-1129' is not an O*NET-SOC code; expected NN-NNNN.NN"),
    "rating": (3, "Data Value", "abc", "Skills.txt:3: column 'Data Value': 'abc' is not a number"),
    "flag": (2, "Recommend Suppress", "X", "Skills.txt:2: column 'Recommend Suppress': 'X' is not Y, N or n/a"),
    "range": (2, "Data Value", "5.50", "Skills.txt:2: column 'Data Value': 5.5 is outside the IM scale (1 to 5)"),
    "date": (4, "Date", "2021-08", "Skills.txt:4: column 'Date': '2021-08' is not a date MM/YYYY"),
}


def test_the_release_for_malformed_files_is_sound(tmp_path):
    result = import_release(_skills_release(tmp_path), NS, workers=1)
    assert [f.rows for f in result.files] == [1, 4]


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_malformed_file_is_rejected_with_file_line_and_reason(case, tmp_path):
    folder = _skills_release(tmp_path)
    line, column, value, message = BROKEN[case]
    _break(folder, line, column, value)
    home = tmp_path / "home"
    previous = home / "imports" / "onet-27.0.nq"
    previous.parent.mkdir(parents=True)
    previous.write_bytes(b"previous import\n")
    with pytest.raises(SourceDataError) as raised:
        import_release(folder, NS, home, workers=1)
    messages = [str(p) for p in raised.value.problems]
    assert len(messages) == 1 and messages[0].startswith(message), messages
    assert previous.read_bytes() == b"previous import\n"
    assert sorted(p.name for p in previous.parent.iterdir()) == ["onet-27.0.nq"]


@pytest.mark.parametrize("case", ["header", "code", "rating", "flag"])
def test_the_command_rejects_a_malformed_file(case, tmp_path):
    folder = _skills_release(tmp_path)
    line, column, value, message = BROKEN[case]
    _break(folder, line, column, value)
    home = tmp_path / "home"
    proc = run_cli("import", "onet", str(folder), home=home)
    stderr = proc.stderr.decode()
    assert proc.returncode == 1
    assert message in stderr and "nothing was written" in stderr
    assert "Traceback" not in stderr + proc.stdout.decode()
    assert not (home / "imports").exists() or not any((home / "imports").iterdir())


def test_a_malformed_workbook_names_its_row(tmp_path):
    folder = tmp_path / "release"
    folder.mkdir()
    shutil.copy(EXCEL_29 / "Read Me.txt", folder / "Read Me.txt")
    _to_xlsx(EXCERPTS / "db_30_3_text" / "Essential Skills.txt", folder / "Skills.xlsx")
    from openpyxl import load_workbook
    wb = load_workbook(folder / "Skills.xlsx")
    ws = wb.active
    header = [c.value for c in ws[1]]
    ws.cell(row=4, column=header.index("Recommend Suppress") + 1, value="maybe")
    ws.cell(row=5, column=header.index("O*NET-SOC Code") + 1, value="29-1129.1")
    wb.save(folder / "Skills.xlsx")
    with pytest.raises(SourceDataError) as raised:
        import_release(folder, NS, tmp_path / "home", workers=1)
    assert [str(p) for p in raised.value.problems] == [
        "Skills.xlsx:4: column 'Recommend Suppress': 'maybe' is not Y, N or n/a",
        "Skills.xlsx:5: column 'O*NET-SOC Code': '29-1129.1' is not an O*NET-SOC code; expected NN-NNNN.NN, e.g. 29-1129.01",
    ]
    assert not (tmp_path / "home").exists()


def test_a_wrong_work_styles_header_names_both_layouts(tmp_path):
    folder = tmp_path / "release"
    shutil.copytree(EXCERPTS / "db_30_1_text", folder)
    path = folder / "Work Styles.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("Domain Source", "Source", 1), encoding="utf-8")
    with pytest.raises(SourceDataError) as raised:
        import_release(folder, NS, workers=1)
    message = str(raised.value.problems[0])
    assert message.startswith("Work Styles.txt:1: header: matches no known layout of Work Styles")
    assert "up to 30.0 (IM)" in message and "30.1 and later (WI, DR)" in message


def test_a_duplicate_rating_is_rejected(tmp_path):
    folder = _skills_release(tmp_path)
    path = folder / "Skills.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(lines + [lines[1]]) + "\n", encoding="utf-8")
    with pytest.raises(SourceDataError) as raised:
        import_release(folder, NS, workers=1)
    assert [str(p) for p in raised.value.problems] == [
        f"Skills.txt:6: rating of {ART_THERAPISTS}, element 2.A.1.a, scale IM again; first on line 2"]


# ---- the version: from Read Me, or --release ---------------------------------------------------------

def test_without_read_me_the_version_must_be_given(tmp_path):
    folder = _skills_release(tmp_path)
    (folder / "Read Me.txt").unlink()
    with pytest.raises(SourceDataError) as raised:
        import_release(folder, NS, workers=1)
    assert "cannot tell which O*NET release this is" in str(raised.value) and "--release" in str(raised.value)
    proc = run_cli("import", "onet", str(folder), home=tmp_path / "home")
    assert proc.returncode == 1 and b"--release" in proc.stderr and b"Traceback" not in proc.stderr
    proc = run_cli("import", "onet", str(folder), "--release", "27.1", home=tmp_path / "home")
    assert proc.returncode == 0, proc.stderr.decode()
    written = (tmp_path / "home" / "imports" / "onet-27.1.nq").read_text(encoding="utf-8")
    assert f"<{NS}source/onet-27.1> <http://www.w3.org/2002/07/owl#versionInfo> \"27.1\" <{graph_of('27.1')}> .\n" in written
    assert "<http://purl.org/dc/terms/issued>" not in written


def test_a_release_contradicting_read_me_is_refused(tmp_path):
    folder = _skills_release(tmp_path)
    with pytest.raises(SourceDataError) as raised:
        import_release(folder, NS, release="29.3", workers=1)
    assert "--release 29.3 disagrees with 'Read Me.txt', which names release 27.0" in str(raised.value)


def test_an_unknown_extra_file_is_ignored_and_listed(tmp_path):
    folder = _skills_release(tmp_path)
    (folder / "My Notes.txt").write_text("not an O*NET table\n", encoding="utf-8")
    result = import_release(folder, NS, workers=1)
    assert result.release.ignored == ["My Notes.txt"]
    assert [f.label for f in result.files] == ["Occupation Data.txt", "Skills.txt"]
    proc = run_cli("import", "onet", str(folder), home=tmp_path / "home")
    assert proc.returncode == 0 and "My Notes.txt" in proc.stdout.decode()


def test_a_folder_of_both_forms_is_refused(tmp_path):
    folder = _skills_release(tmp_path)
    _to_xlsx(EXCERPTS / "db_30_3_text" / "Essential Skills.txt", folder / "Knowledge.xlsx")
    with pytest.raises(SourceDataError) as raised:
        import_release(folder, NS, workers=1)
    assert "holds both text (.txt) and Excel (.xlsx) files" in str(raised.value)


def test_workbook_numbers_are_read_as_written():
    from skillsgraph.loader.onet.values import canonical_decimal
    from skillsgraph.loader.tables import cell_text as excel_cell
    # openpyxl gives floats and ints; the importer writes them as the text form would, never with an exponent
    assert [excel_cell(v) for v in (4.12, 0.125, 5.0, 28, 1e-05, None)] == ["4.12", "0.125", "5", "28", "0.00001", ""]
    assert [canonical_decimal(v) for v in ("4.1200", "5.00", "-0.40", "0.0000", "+3", "100")] == ["4.12", "5", "-0.4", "0", "3", "100"]
