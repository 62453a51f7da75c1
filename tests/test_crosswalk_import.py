"""The crosswalk importers over excerpts of the published files (tests/crosswalk_excerpts/, in the
real layouts): the mapping facts and plain SKOS triples each file yields, CIP codes rebuilt from
Excel's numbers, NO MATCH rows left out, ESCO codes kept as text, relations from Type of Match;
malformed copies rejected with file, line and reason and nothing written; and, served, a path
from the Art Therapists framework to SOC, CIP and ESCO with every hop's source named.

Served in-process (app_fixtures, on the first of SKILLSGRAPH_TEST_STORES): the imports are
made by the real `skillsgraph import crosswalk` command, then opened as `serve` opens them (every
$SKILLSGRAPH_HOME/imports/*.nq beside the build, then the --load files); what is checked is the
answers, not the process."""
from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook
from rdflib import Dataset, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, SKOS

from app_fixtures import first_store_kind, write_build
from server_fixtures import NAMESPACE, REPO, W3C_EXTRAS

from skillsgraph.loader.crosswalk.importer import import_crosswalk
from skillsgraph.loader.errors import SourceDataError

EXCERPTS = REPO / "tests" / "crosswalk_excerpts"
NS = Namespace(NAMESPACE)
SG = Namespace("https://w3id.org/skillsgraph/ontology#")
ESCO_ART_THERAPIST = URIRef("http://data.europa.eu/esco/occupation/3c21e237-53db-4bed-938d-3e8a70ee3d3c")
FILES = {
    "onet-soc-2010-2019": "2010_to_2019_Crosswalk.csv",
    "onet-soc-soc2018": "2019_to_SOC_Crosswalk.csv",
    "cip-soc": "CIP2020_SOC2018_Crosswalk.xlsx",
    "onet-cip": "Education_CIP_to_ONET_SOC.xlsx",
    "esco-onet": "ONET_(Occupations)_0_updated.csv",
    "onet-esco": "ESCO_to_ONET-SOC.xlsx",
}
RELEASES = {"onet-soc-2010-2019": "2019", "onet-soc-soc2018": "2019", "cip-soc": "2020", "onet-cip": "2020",
            "esco-onet": "1.1.0", "onet-esco": "2019"}


class Imported:
    """One excerpt imported: its graph, read back from the N-Quads the importer wrote."""

    def __init__(self, kind: str):
        self.kind = kind
        self.result = import_crosswalk(kind, EXCERPTS / FILES[kind], NAMESPACE)
        dataset = Dataset()
        dataset.parse(data=self.result.payload, format="nquads")
        self.graph_name = URIRef(f"{NAMESPACE}graph/crosswalk/{kind}-{RELEASES[kind]}")
        self.g = dataset.graph(self.graph_name)
        self.source = NS[f"source/{kind}-{RELEASES[kind]}"]
        self.names = {c.identifier for c in dataset.graphs() if len(c)}

    def mapping(self, subject: URIRef, obj: URIRef) -> URIRef:
        nodes = [m for m in self.g.subjects(OWL.annotatedSource, subject) if (m, OWL.annotatedTarget, obj) in self.g]
        assert len(nodes) == 1, (subject, obj, nodes)
        return nodes[0]

    def relation(self, subject: URIRef, obj: URIRef) -> str:
        """The relation of the mapping node, checked against the plain SKOS triple beside it."""
        node = self.mapping(subject, obj)
        prop = self.g.value(node, OWL.annotatedProperty)
        assert (subject, prop, obj) in self.g, "the plain SKOS triple is written beside the node"
        assert self.g.value(node, SG.mappingMethod) == NS["mapping-method/published-crosswalk"]
        assert self.g.value(node, PROV.wasDerivedFrom) == self.source
        return str(prop).rsplit("#", 1)[1]

    def row(self, subject: URIRef, obj: URIRef) -> int:
        return int(self.g.value(self.mapping(subject, obj), SG.crosswalkRow))


@pytest.fixture(scope="module")
def imported() -> dict[str, Imported]:
    return {kind: Imported(kind) for kind in FILES}


def occ(code: str) -> URIRef:
    return NS[f"occupation/{code}"]


# ---- each file -----------------------------------------------------------------------------------

def test_each_file_is_one_graph_that_names_its_source_release(imported):
    for kind, imp in imported.items():
        assert imp.names == {imp.graph_name}, kind
        assert (imp.graph_name, PROV.wasDerivedFrom, imp.source) in imp.g
        assert (imp.source, RDF.type, SG.CrosswalkRelease) in imp.g and (imp.source, RDF.type, SG.Source) in imp.g
        assert imp.g.value(imp.source, OWL.versionInfo) == Literal(RELEASES[kind])
        assert str(imp.g.value(imp.source, SG.crosswalkFile)).startswith(FILES[kind])
        assert imp.g.value(imp.source, DCTERMS.title) is not None and imp.g.value(imp.source, DCTERMS.license) is not None
        assert str(imp.g.value(imp.source, URIRef("http://xmlns.com/foaf/0.1/page"))).startswith("https://")
        assert imp.result.mappings == len(set(imp.g.subjects(RDF.type, SG.Mapping)))


def test_onet_soc_2010_to_2019_recodes_art_therapists_exactly(imported):
    imp = imported["onet-soc-2010-2019"]
    old = NS["onet-soc2010/29-1125.01"]
    assert imp.relation(old, occ("29-1129.01")) == "exactMatch"
    assert imp.row(old, occ("29-1129.01")) == 5
    assert imp.g.value(old, SKOS.notation) == Literal("29-1125.01")
    assert (old, RDF.type, SG.CodedConcept) in imp.g
    assert imp.mapping(old, occ("29-1129.01")) == NS["mapping/onet-soc-2010-2019-2019/onet-soc2010/29-1125.01/occupation/29-1129.01"]


def test_onet_soc_2010_to_2019_relations_follow_splits_and_merges(imported):
    imp = imported["onet-soc-2010-2019"]
    applications, systems = NS["onet-soc2010/15-1132.00"], NS["onet-soc2010/15-1133.00"]
    assert imp.relation(applications, occ("15-1253.00")) == "narrowMatch"    # split: the 2019 code is narrower
    assert imp.relation(systems, occ("15-1252.00")) == "broadMatch"          # merged into a broader 2019 code
    assert imp.relation(applications, occ("15-1252.00")) == "relatedMatch"   # both at once


def test_onet_soc_to_soc2018_puts_art_therapists_under_therapists_all_other(imported):
    imp = imported["onet-soc-soc2018"]
    soc = NS["soc2018/29-1129"]
    assert imp.relation(occ("29-1129.01"), soc) == "broadMatch"
    assert imp.g.value(soc, SKOS.prefLabel) == Literal("Therapists, All Other", lang="en")
    assert imp.g.value(soc, SKOS.inScheme) == NS["code-list/soc2018"]
    assert imp.relation(occ("15-1252.00"), NS["soc2018/15-1252"]) == "exactMatch"
    assert (occ("29-1129.01"), SG.socCode, Literal("29-1129")) in imp.g
    assert (occ("29-1129.01"), RDF.type, SG.Occupation) in imp.g


def test_cip_soc_pads_codes_excel_stored_as_numbers(imported):
    imp = imported["cip-soc"]
    cips = {str(imp.g.value(n, SKOS.notation)) for n in imp.g.subjects(RDF.type, SG.InstructionalProgram)}
    assert {"01.0101", "51.2300", "51.2301", "51.2302", "51.2305", "51.3801"} == cips
    assert imp.relation(NS["cip2020/01.0101"], NS["soc2018/11-9013"]) == "relatedMatch"
    assert imp.relation(NS["cip2020/51.2300"], NS["soc2018/29-1129"]) == "relatedMatch"
    assert imp.relation(NS["cip2020/51.2301"], NS["soc2018/29-1129"]) == "relatedMatch"
    assert imp.row(NS["cip2020/51.2301"], NS["soc2018/29-1129"]) == 4
    assert imp.g.value(NS["cip2020/51.2301"], SKOS.prefLabel) == Literal("Art Therapy/Therapist.", lang="en")


def test_cip_soc_no_match_rows_are_not_mappings(imported):
    imp = imported["cip-soc"]
    assert imp.result.skipped == 1 and imp.result.rows == 7
    assert not list(imp.g.triples((NS["cip2020/99.9999"], None, None)))
    assert not list(imp.g.triples((None, None, NS["soc2018/35-3031"])))
    assert "NO MATCH" not in imp.result.payload.decode()


def test_onet_cip_links_the_programme_to_the_occupation(imported):
    imp = imported["onet-cip"]
    assert imp.relation(NS["cip2020/51.2301"], occ("29-1129.01")) == "relatedMatch"
    assert imp.row(NS["cip2020/51.2301"], occ("29-1129.01")) == 5, "the header is on row 4, below the title rows"
    assert imp.relation(NS["cip2020/51.2300"], occ("29-1129.00")) == "relatedMatch", "51.23 as a number is 51.2300"


def test_esco_onet_takes_the_relation_from_type_of_match(imported):
    imp = imported["esco-onet"]
    assert imp.relation(ESCO_ART_THERAPIST, occ("29-1129.01")) == "exactMatch"
    assert imp.relation(NS["isco08/2269"], occ("29-1129.01")) == "broadMatch"
    assert imp.row(ESCO_ART_THERAPIST, occ("29-1129.01")) == 18, "16 metadata lines and the header stand above"
    assert imp.row(NS["isco08/2269"], occ("29-1129.01")) == 19
    assert imp.g.value(ESCO_ART_THERAPIST, SKOS.prefLabel) == Literal("art therapist", lang="en")
    assert imp.mapping(ESCO_ART_THERAPIST, occ("29-1129.01")) == NS[
        "mapping/esco-onet-1.1.0/esco/occupation/3c21e237-53db-4bed-938d-3e8a70ee3d3c/occupation/29-1129.01"]
    notes = [str(n) for n in imp.g.objects(imp.source, SKOS.note)]
    assert "line 1: Crosswalk between ESCO and O*NET" in notes and len(notes) == 13


def test_onet_esco_keeps_esco_codes_as_text(imported):
    imp = imported["onet-esco"]
    ten, one = NS["esco-code/0110.10"], NS["esco-code/0110.1"]
    assert imp.g.value(ten, SKOS.notation) == Literal("0110.10") and imp.g.value(one, SKOS.notation) == Literal("0110.1")
    assert imp.relation(ten, occ("55-1019.00")) == "relatedMatch"
    assert imp.relation(one, occ("55-1011.00")) == "relatedMatch"
    assert imp.relation(NS["isco08/2269"], occ("29-1129.01")) == "relatedMatch", "a four-digit code is an ISCO-08 group"
    assert imp.relation(NS["esco-code/2269.1"], occ("29-1129.01")) == "relatedMatch"


def test_method_concept_has_its_semapv_match(imported):
    g = imported["cip-soc"].g
    method = NS["mapping-method/published-crosswalk"]
    assert (method, RDF.type, SG.MappingMethod) in g
    assert (method, SKOS.closeMatch, URIRef("https://w3id.org/semapv/vocab/UnspecifiedMatching")) in g


def test_imported_graphs_conform_to_the_shapes(imported):
    from pyshacl import validate
    from rdflib import Graph
    data = Graph()
    for imp in imported.values():
        data += imp.g
    shapes = Graph().parse(REPO / "shapes" / "skillsgraph-shapes.ttl")
    ontology = Graph().parse(REPO / "ontology" / "skillsgraph.ttl")
    conforms, _, text = validate(data, shacl_graph=shapes, ont_graph=ontology, inference="none")
    assert conforms, text


def test_the_excel_form_of_an_onet_crosswalk_gives_the_same_mappings(tmp_path, imported):
    from openpyxl import Workbook
    wb = Workbook()
    wb.active.append(["O*NET-SOC 2019 to 2018 SOC Crosswalk"])
    wb.active.append([])
    wb.active.append([])
    with open(EXCERPTS / FILES["onet-soc-soc2018"], encoding="utf-8", newline="") as handle:
        for row in csv.reader(handle):
            wb.active.append(row)
    wb.save(tmp_path / "2019_to_SOC_Crosswalk.xlsx")
    excel = import_crosswalk("onet-soc-soc2018", tmp_path / "2019_to_SOC_Crosswalk.xlsx", NAMESPACE)
    differ = ("crosswalkRow", "crosswalkFile", "core#note")

    def same(payload: bytes) -> list[str]:
        return [line for line in payload.decode().splitlines() if not any(d in line for d in differ)]
    assert same(excel.payload) == same(imported["onet-soc-soc2018"].result.payload)
    assert "line 1: O*NET-SOC 2019 to 2018 SOC Crosswalk" in excel.payload.decode(), "the title row is kept as a note"
    assert '"8"^^<http://www.w3.org/2001/XMLSchema#integer>' in excel.payload.decode(), "29-1129.01 on row 8"


def test_the_same_file_gives_the_same_bytes():
    first = import_crosswalk("cip-soc", EXCERPTS / FILES["cip-soc"], NAMESPACE).payload
    assert first == import_crosswalk("cip-soc", EXCERPTS / FILES["cip-soc"], NAMESPACE).payload


# ---- malformed copies ------------------------------------------------------------------------------

def _edit_csv(src: Path, dst: Path, line: int, old: str, new: str) -> Path:
    lines = src.read_text(encoding="utf-8").split("\n")
    assert old in lines[line - 1], (line, lines[line - 1])
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    dst.write_text("\n".join(lines), encoding="utf-8")
    return dst


def _edit_xlsx(src: Path, dst: Path, row: int, column: int, value) -> Path:
    wb = load_workbook(src)
    wb.worksheets[0].cell(row=row, column=column, value=value)
    wb.save(dst)
    return dst


def _rename_sheet(src: Path, dst: Path) -> Path:
    wb = load_workbook(src)
    wb.worksheets[0].title = "Sheet1"
    wb.save(dst)
    return dst


BAD = [
    ("wrong header", "onet-soc-soc2018", lambda s, d: _edit_csv(s, d, 1, "2018 SOC Code", "SOC Code"),
     1, "column 3 is 'SOC Code' where '2018 SOC Code' is expected"),
    ("bad code", "onet-soc-2010-2019", lambda s, d: _edit_csv(s, d, 5, "29-1125.01", "29-1125.1"),
     5, "'29-1125.1' is not an O*NET-SOC code"),
    ("non-numeric CIP", "cip-soc", lambda s, d: _edit_xlsx(s, d, 3, 1, "abc"), 3, "'abc' is not a CIP code"),
    ("wrong sheet", "cip-soc", _rename_sheet, None, "has no sheet 'CIP-SOC'"),
    ("unknown match type", "esco-onet", lambda s, d: _edit_csv(s, d, 18, '"exactMatch"', '"sameAs"'),
     18, "'sameAs' is not a match type"),
    ("wrong ESCO header", "esco-onet", lambda s, d: _edit_csv(s, d, 17, '"Type of Match"', '"Match Type"'),
     17, "column 7 is 'Match Type' where 'Type of Match' is expected"),
    ("ESCO code as a number", "onet-esco", lambda s, d: _edit_xlsx(s, d, 8, 1, 110.1), 8, "is stored as a number"),
    ("broken quoting", "esco-onet", lambda s, d: _edit_csv(s, d, 18, '"art therapist",', '"art "therapist",'),
     18, "is not well-formed CSV"),
    ("bad SOC code", "cip-soc", lambda s, d: _edit_xlsx(s, d, 4, 3, "29-11290"), 4, "'29-11290' is not a SOC code"),
]


@pytest.mark.parametrize(("case", "kind", "edit", "line", "reason"), BAD, ids=[b[0] for b in BAD])
def test_malformed_files_are_rejected_with_file_line_and_reason(tmp_path, case, kind, edit, line, reason):
    name = FILES[kind]
    bad = edit(EXCERPTS / name, tmp_path / name)
    home = tmp_path / "home"
    with pytest.raises(SourceDataError) as raised:
        import_crosswalk(kind, bad, NAMESPACE, home)
    problems = raised.value.problems
    assert any(p.file.name == name and p.line == line and reason in p.message for p in problems), \
        [str(p) for p in problems]
    assert not (home / "imports").exists(), "nothing is written"


def test_a_repeated_row_is_one_mapping_from_its_first_line(tmp_path):
    source = EXCERPTS / FILES["onet-soc-soc2018"]
    copy = tmp_path / source.name
    lines = source.read_text(encoding="utf-8").splitlines()
    copy.write_text("\n".join(lines + [lines[4].replace("Art Therapists", "Art therapists")]) + "\n", encoding="utf-8")
    result = import_crosswalk("onet-soc-soc2018", copy, NAMESPACE)
    assert (result.rows, result.mappings, result.duplicates) == (8, 7, 1)
    dataset = Dataset()
    dataset.parse(data=result.payload, format="nquads")
    rows = {int(o) for _, _, o, _ in dataset.quads((None, SG.crosswalkRow, None, None))}
    assert 5 in rows and 9 not in rows
    labels = {str(o) for _, _, o, _ in dataset.quads((occ("29-1129.01"), SKOS.prefLabel, None, None))}
    assert labels == {"Art Therapists"}


def test_a_failed_import_leaves_the_previous_one_untouched(tmp_path):
    home = tmp_path / "home"
    good = import_crosswalk("onet-soc-soc2018", EXCERPTS / FILES["onet-soc-soc2018"], NAMESPACE, home)
    before = good.target.read_bytes()
    bad = _edit_csv(EXCERPTS / FILES["onet-soc-soc2018"], tmp_path / FILES["onet-soc-soc2018"], 5, "29-1129.01", "291129.01")
    with pytest.raises(SourceDataError):
        import_crosswalk("onet-soc-soc2018", bad, NAMESPACE, home)
    assert good.target.read_bytes() == before
    assert sorted(p.name for p in (home / "imports").iterdir()) == ["crosswalk-onet-soc-soc2018-2019.nq"]


def test_the_command_reports_problems_and_writes_nothing(tmp_path):
    name = FILES["cip-soc"]
    bad = _edit_xlsx(EXCERPTS / name, tmp_path / name, 3, 1, "abc")
    env = {**os.environ, "SKILLSGRAPH_HOME": str(tmp_path / "home"), "SKILLSGRAPH_NAMESPACE": NAMESPACE}
    run = subprocess.run([sys.executable, "-m", "skillsgraph.cli", "import", "crosswalk", "cip-soc", str(bad)],
                         env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 1
    assert f"{name}:3: column 'CIP2020Code': 'abc' is not a CIP code" in run.stderr
    assert "nothing was written" in run.stderr
    assert not (tmp_path / "home" / "imports").exists()


# ---- served: from the framework to SOC, CIP and ESCO ------------------------------------------------

def _import_all_with_the_command(home: Path) -> None:
    env = {**os.environ, "SKILLSGRAPH_HOME": str(home), "SKILLSGRAPH_NAMESPACE": NAMESPACE}
    for kind, name in FILES.items():
        run = subprocess.run([sys.executable, "-m", "skillsgraph.cli", "import", "crosswalk", kind, str(EXCERPTS / name)],
                             env=env, capture_output=True, text=True, timeout=120)
        assert run.returncode == 0, run.stderr
        assert f"crosswalk-{kind}-{RELEASES[kind]}.nq" in run.stdout.replace("\n", "")


PATH_QUERY = f"""PREFIX sg: <{SG}> PREFIX skos: <{SKOS}> PREFIX owl: <{OWL}> PREFIX prov: <{PROV}> PREFIX dcterms: <{DCTERMS}>
SELECT ?soc ?socTitle ?socSource ?cip ?cipSource ?esco ?escoLabel ?escoSource WHERE {{
  <{NAMESPACE}framework/29-1129.01/v26.05> sg:occupation ?occ .
  ?m1 owl:annotatedSource ?occ ; owl:annotatedTarget ?soc ; prov:wasDerivedFrom ?s1 .
  ?soc skos:inScheme <{NAMESPACE}code-list/soc2018> ; skos:prefLabel ?socTitle . ?s1 dcterms:title ?socSource .
  ?m2 owl:annotatedSource ?cip ; owl:annotatedTarget ?soc ; prov:wasDerivedFrom ?s2 .
  ?cip skos:notation "51.2301" . ?s2 dcterms:title ?cipSource .
  ?m3 owl:annotatedSource ?esco ; owl:annotatedTarget ?occ ; prov:wasDerivedFrom ?s3 .
  ?esco skos:inScheme <http://data.europa.eu/esco/concept-scheme/occupations> ; skos:prefLabel ?escoLabel .
  ?s3 dcterms:title ?escoSource .
}}"""


@pytest.fixture(scope="module")
def crosswalk_server(tmp_path_factory, apps, built):
    home = tmp_path_factory.mktemp("crosswalk-home")
    _import_all_with_the_command(home)
    build_file = write_build(home, built.nquads)
    imports = [(path, None) for path in sorted((home / "imports").glob("*.nq"))]
    return apps.app(first_store_kind(), home, build_file, imports + W3C_EXTRAS)


def test_served_framework_reaches_soc_cip_and_esco_with_every_source_named(crosswalk_server):
    response = crosswalk_server.client.post(crosswalk_server.base_url + "/sparql", data={"query": PATH_QUERY},
                          headers={"Accept": "application/sparql-results+json"}, timeout=60)
    assert response.status_code == 200, response.text
    rows = [{k: v["value"] for k, v in b.items()} for b in response.json()["results"]["bindings"]]
    assert rows, "no path from the framework to SOC, CIP and ESCO"
    assert {(r["soc"], r["socTitle"], r["cip"], r["esco"]) for r in rows} == {
        (f"{NAMESPACE}soc2018/29-1129", "Therapists, All Other", f"{NAMESPACE}cip2020/51.2301", str(ESCO_ART_THERAPIST))}
    r = rows[0]
    assert r["socSource"] == "O*NET-SOC 2019 to 2018 SOC Crosswalk (2019)"
    assert r["cipSource"] == "CIP 2020 to SOC 2018 Crosswalk (2020)"
    assert r["escoSource"] == "Crosswalk between ESCO and O*NET (1.1.0)" and r["escoLabel"] == "art therapist"


def test_served_plain_triples_answer_simple_sparql(crosswalk_server):
    query = f"""PREFIX skos: <{SKOS}> ASK {{ <{NAMESPACE}onet-soc2010/29-1125.01> skos:exactMatch ?occ .
        ?occ skos:broadMatch <{NAMESPACE}soc2018/29-1129> . <{NAMESPACE}cip2020/51.2301> skos:relatedMatch <{NAMESPACE}soc2018/29-1129> .
        <{ESCO_ART_THERAPIST}> skos:exactMatch ?occ }}"""
    response = crosswalk_server.client.post(crosswalk_server.base_url + "/sparql", data={"query": query},
                          headers={"Accept": "application/sparql-results+json"}, timeout=60)
    assert response.status_code == 200 and response.json()["boolean"] is True


@pytest.mark.parametrize(("to", "target", "source", "row"), [
    ("soc2018", f"{NAMESPACE}soc2018/29-1129", "O*NET-SOC 2019 to 2018 SOC Crosswalk (2019)", "5"),
    ("esco", str(ESCO_ART_THERAPIST), "Crosswalk between ESCO and O*NET (1.1.0)", "18"),
    ("onet-soc2010", f"{NAMESPACE}onet-soc2010/29-1125.01", "O*NET-SOC 2010 to O*NET-SOC 2019 Crosswalk (2019)", "5")])
def test_served_crosswalk_endpoint_follows_the_imported_mappings(crosswalk_server, to, target, source, row):
    response = crosswalk_server.client.get(crosswalk_server.base_url + "/crosswalk", params={"from": "onet-soc:29-1129.01", "to": to},
                         headers={"Accept": "text/csv"}, timeout=60)
    assert response.status_code == 200, response.text
    hops = [r for r in csv.DictReader(response.text.splitlines()) if target in (r["from"], r["to"])]
    assert len(hops) == 1, response.text
    hop = hops[0]
    assert (hop["source_title"], hop["crosswalk_row"], hop["method"]) == (
        source, row, f"{NAMESPACE}mapping-method/published-crosswalk")


def _rows(server, query: str) -> list[dict[str, str]]:
    response = server.client.post(server.base_url + "/sparql", data={"query": query},
                          headers={"Accept": "application/sparql-results+json"}, timeout=60)
    assert response.status_code == 200, response.text
    return [{k: v["value"] for k, v in b.items()} for b in response.json()["results"]["bindings"]]


def test_named_occupation_crosswalks_query_lists_each_mapping_with_its_row(crosswalk_server):
    query = (REPO / "queries" / "occupation-crosswalks.rq").read_text(encoding="utf-8")
    rows = _rows(crosswalk_server, query)
    got = {(r["code"], r["relation"].rsplit("#", 1)[-1], r["direction"], r["sourceTitle"]) for r in rows if "code" in r}
    assert ("29-1129", "broadMatch", "occupation -> other", "O*NET-SOC 2019 to 2018 SOC Crosswalk (2019)") in got
    assert ("29-1125.01", "exactMatch", "other -> occupation", "O*NET-SOC 2010 to O*NET-SOC 2019 Crosswalk (2019)") in got
    assert any(r["other"] == str(ESCO_ART_THERAPIST) and r["sourceTitle"] == "Crosswalk between ESCO and O*NET (1.1.0)"
               for r in rows)
    assert any(code == "51.2301" for code, *_ in got), "O*NET's education crosswalk names the programme"
    assert all(r.get("row", "").isdigit() for r in rows), "every published mapping points at its line in the file"


def test_crosswalk_goes_multi_hop_from_cip_to_esco_listing_every_hop(crosswalk_server):
    response = crosswalk_server.client.get(crosswalk_server.base_url + "/crosswalk", params={"from": "cip2020:51.2301", "to": "esco"},
                         headers={"Accept": "application/ld+json"}, timeout=60)
    assert response.status_code == 200, response.text
    paths = response.json()["paths"]
    assert paths and {p["target"]["id"] for p in paths} == {str(ESCO_ART_THERAPIST)}
    for path in paths:
        hops = path["hops"]
        assert len(hops) >= 2, "no file maps CIP to ESCO directly"
        assert hops[0]["from"]["id"] == f"{NAMESPACE}cip2020/51.2301" and hops[-1]["to"]["id"] == str(ESCO_ART_THERAPIST)
        assert all(a["to"]["id"] == b["from"]["id"] for a, b in zip(hops, hops[1:])), "hops chain end to start"
        for hop in hops:
            asserted = hop["assertedBy"]
            assert asserted.get("wasDerivedFrom", {}).get("title") or asserted["type"] == "FrameworkRelease", hop


def test_trace_reaches_soc_cip_and_esco_through_the_imported_crosswalks(crosswalk_server):
    response = crosswalk_server.client.get(crosswalk_server.base_url + "/trace/framework/29-1129.01/v26.05/competency/proficient/1",
                         timeout=60)
    assert response.status_code == 200, response.text
    towards = {c["towards"]: c["paths"] for c in response.json()["crosswalks"]}
    [soc] = towards["soc2018"]
    assert soc["target"]["notation"] == "29-1129" and soc["impliedRelation"].endswith("broadMatch")
    assert soc["hops"][0]["assertedBy"]["wasDerivedFrom"]["title"] == "O*NET-SOC 2019 to 2018 SOC Crosswalk (2019)"
    assert {p["target"]["id"] for p in towards["esco"]} == {str(ESCO_ART_THERAPIST)}
    cip_sources = {h["assertedBy"].get("wasDerivedFrom", {}).get("title") or h["assertedBy"]["type"]
                   for p in towards["cip2020"] if p["target"]["notation"] == "51.2301" for h in p["hops"]}
    assert "FrameworkRelease" in cip_sources and len(cip_sources) >= 2, "the page and O*NET's education crosswalk both say so"
