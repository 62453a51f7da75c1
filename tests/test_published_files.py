"""The real published files (../shared/crosswalks, ../shared/classifications) imported as
published: every file, both forms where both exist, with every row accounted for and the rows
about Art Therapists each with its source row; each real file with one fault introduced rejected
with file, line (or sheet and row), column and reason, nothing written and a previous import left
as it was; the bundled copies (data/published/) equal to them and to their recorded checksums,
built by `skillsgraph build` each into its own graph, cached; and the multi-hop facts a researcher
follows over the built graphs: CIP 51.2301 to ESCO's art therapist, the framework's occupation to
ISCO-08, each hop landing on a concept with its title, definition and place."""
from __future__ import annotations

import hashlib
import re
import shutil
import time
from pathlib import Path

import pytest
import pyoxigraph as ox
from rdflib import Graph as RdfGraph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from file_edits import drop_sheet, edit_cell, edit_line, truncate
from graph_support import DATA_DIR, NAMESPACE, SHARED, build_published, copy_data

from skillsgraph.loader.bundled import entries
from skillsgraph.loader.classification.importer import import_classification
from skillsgraph.loader.crosswalk.importer import import_crosswalk
from skillsgraph.loader.errors import SourceDataError

CROSSWALKS, CLASSIFICATIONS = SHARED / "crosswalks", SHARED / "classifications"
PUBLISHED = DATA_DIR / "published"
NS = Namespace(NAMESPACE)
SG = Namespace("https://w3id.org/skillsgraph/ontology#")
ART = URIRef(NAMESPACE + "occupation/29-1129.01")
ESCO_ART_THERAPIST = URIRef("http://data.europa.eu/esco/occupation/eb48ccbd-75f2-4799-81be-443034858473")
ESCO = "http://data.europa.eu/esco/occupation/"

# file -> (kind, rows, mappings, rows stating no match, repeated rows, footer lines)
REAL_CROSSWALKS = {
    "onet/2010_to_2019_Crosswalk.csv": ("onet-soc-2010-2019", 1164, 1164, 0, 0, 0),
    "onet/2010_to_2019_Crosswalk.xlsx": ("onet-soc-2010-2019", 1164, 1164, 0, 0, 0),
    "onet/2019_to_SOC_Crosswalk.csv": ("onet-soc-soc2018", 1016, 1016, 0, 0, 0),
    "onet/2019_to_SOC_Crosswalk.xlsx": ("onet-soc-soc2018", 1016, 1016, 0, 0, 0),
    "nces/CIP2020_SOC2018_Crosswalk.xlsx": ("cip-soc", 6097, 5723, 374, 0, 0),
    "nces/CIP2020_SOC2018_Crosswalk.csv": ("cip-soc", 6097, 5723, 374, 0, 0),
    "onet/Education_CIP_to_ONET_SOC.xlsx": ("onet-cip", 8501, 8501, 0, 0, 0),
    "onet/ESCO_to_ONET-SOC.xlsx": ("onet-esco", 8628, 8627, 0, 0, 1),
}
# The CIP codes the crosswalks pair with Art Therapists, and their rows: NCES (with SOC 29-1129) and O*NET.
NCES_ROWS = {"51.2300": 4541, "51.2301": 4543, "51.2302": 4545, "51.2305": 4547, "51.2313": 4566, "51.2315": 4571,
             "51.2316": 4573, "51.2317": 4575, "51.2399": 4577, "51.3601": 4640}
ONET_CIP_ROWS = {"51.2300": 6351, "51.2301": 6355, "51.2302": 6359, "51.2305": 6363, "51.2313": 6393, "51.2315": 6400,
                 "51.2316": 6404, "51.2317": 6408, "51.2399": 6412, "51.3601": 6504}
# The ESCO concepts O*NET pairs with Art Therapists: code -> row.
ESCO_ROWS = {"2230.1": 1655, "2230.2.3": 1679, "2266.2": 1794, "2269": 1823, "2269.4": 1859, "2269.5": 1871,
             "2269.9.2": 1930, "2269.9.3": 1934, "2269.9.4": 1940, "2634.2.4": 3198, "3259.2": 4532}


def read_back(payload: bytes) -> RdfGraph:
    """One import's one named graph, read by Oxigraph's parser into rdflib: half the time of
    rdflib's own N-Quads parser (this module reads back over a million triples)."""
    from skillsgraph.store.memory_store import to_rdflib
    quads = list(ox.parse(payload, format=ox.RdfFormat.N_QUADS))
    [name] = {q.graph_name for q in quads}
    graph, terms = RdfGraph(identifier=URIRef(name.value)), {}

    def term(t):
        found = terms.get(t)
        if found is None:
            found = terms[t] = to_rdflib(t)
        return found
    for q in quads:
        graph.add((term(q.subject), term(q.predicate), term(q.object)))
    return graph


class Graph:
    """One import's graph, read back, and its mappings by (subject, object)."""

    def __init__(self, payload: bytes):
        self.g = read_back(payload)
        self.rows = {}
        for m in self.g.subjects(RDF.type, SG.Mapping):
            key = (self.g.value(m, OWL.annotatedSource), self.g.value(m, OWL.annotatedTarget))
            self.rows[key] = (str(self.g.value(m, OWL.annotatedProperty)).rsplit("#", 1)[1],
                              int(self.g.value(m, SG.crosswalkRow)))

    def about(self, node: URIRef) -> dict:
        return {k: v for k, v in self.rows.items() if node in k}


@pytest.fixture(scope="module")
def crosswalks() -> dict[str, tuple[object, Graph]]:
    out = {}
    for name, (kind, *_) in REAL_CROSSWALKS.items():
        result = import_crosswalk(kind, CROSSWALKS / name, NAMESPACE)
        out[name] = (result, Graph(result.payload))
    return out


# ---- crosswalks ----------------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(REAL_CROSSWALKS))
def test_every_real_crosswalk_imports_with_every_row_accounted_for(crosswalks, name):
    result, graph = crosswalks[name]
    _, *counts = REAL_CROSSWALKS[name]
    assert [result.rows, result.mappings, result.skipped, result.duplicates, result.footer] == counts
    assert len(graph.rows) == result.mappings
    sha = str(graph.g.value(graph.g.value(NS[f"source/{result.kind.name}-{result.release}"], URIRef(
        "http://www.w3.org/ns/dcat#distribution")), SG.sha256))
    assert sha == hashlib.sha256((CROSSWALKS / name).read_bytes()).hexdigest()


@pytest.mark.parametrize("pair", [("onet/2010_to_2019_Crosswalk.csv", "onet/2010_to_2019_Crosswalk.xlsx"),
                                  ("onet/2019_to_SOC_Crosswalk.csv", "onet/2019_to_SOC_Crosswalk.xlsx"),
                                  ("nces/CIP2020_SOC2018_Crosswalk.csv", "nces/CIP2020_SOC2018_Crosswalk.xlsx")])
def test_both_forms_of_a_real_crosswalk_state_the_same_mappings(crosswalks, pair):
    csv_form, excel = (crosswalks[name][1].rows for name in pair)
    offset = 3 if pair[1].startswith("onet/") else 0   # O*NET's workbooks have three rows above the header
    assert {k: (rel, row + offset) for k, (rel, row) in csv_form.items()} == excel


def test_the_2010_recoding_of_art_therapists(crosswalks):
    _, csv_form = crosswalks["onet/2010_to_2019_Crosswalk.csv"]
    _, excel = crosswalks["onet/2010_to_2019_Crosswalk.xlsx"]
    assert csv_form.about(NS["onet-soc2010/29-1125.01"]) == {(NS["onet-soc2010/29-1125.01"], ART): ("exactMatch", 525)}
    assert excel.about(ART) == {(NS["onet-soc2010/29-1125.01"], ART): ("exactMatch", 528)}


def test_art_therapists_under_soc_29_1129(crosswalks):
    _, excel = crosswalks["onet/2019_to_SOC_Crosswalk.xlsx"]
    assert excel.about(ART) == {(ART, NS["soc2018/29-1129"]): ("broadMatch", 437)}
    assert {k[0] for k in excel.about(NS["soc2018/29-1129"])} == {NS[f"occupation/29-1129.0{n}"] for n in range(3)}
    assert crosswalks["onet/2019_to_SOC_Crosswalk.csv"][1].about(ART) == {(ART, NS["soc2018/29-1129"]): ("broadMatch", 434)}


def test_the_cip_codes_nces_pairs_with_soc_29_1129(crosswalks):
    for name in ("nces/CIP2020_SOC2018_Crosswalk.xlsx", "nces/CIP2020_SOC2018_Crosswalk.csv"):
        _, graph = crosswalks[name]
        pairs = graph.about(NS["soc2018/29-1129"])
        assert {str(k[0]).rsplit("/", 1)[1]: row for k, (rel, row) in pairs.items()} == NCES_ROWS
        assert {rel for rel, _ in pairs.values()} == {"relatedMatch"}
        assert graph.g.value(NS["cip2020/51.2301"], RDFS.label) == Literal("Art Therapy/Therapist.", lang="en")


def test_the_cip_codes_onet_pairs_with_art_therapists(crosswalks):
    _, graph = crosswalks["onet/Education_CIP_to_ONET_SOC.xlsx"]
    pairs = {k: v for k, v in graph.about(ART).items() if k[1] == ART}
    assert {str(k[0]).rsplit("/", 1)[1]: row for k, (rel, row) in pairs.items()} == ONET_CIP_ROWS
    assert graph.g.value(NS["cip2020/51.2301"], RDFS.label) == Literal("Art Therapy/Therapist", lang="en")


def test_the_esco_concepts_onet_pairs_with_art_therapists(crosswalks):
    result, graph = crosswalks["onet/ESCO_to_ONET-SOC.xlsx"]
    pairs = {k[0]: row for k, (rel, row) in graph.about(ART).items()}
    codes = {}
    for node, row in pairs.items():
        code = str(graph.g.value(node, SKOS.notation)) if str(node).startswith(NAMESPACE) else None
        codes[code or _esco_code(node)] = row
    assert codes == ESCO_ROWS
    assert pairs[ESCO_ART_THERAPIST] == 1930 and pairs[NS["isco08/2269"]] == 1823
    assert result.resolution == ("codes resolved through ESCO 1.2.0 (the file used ESCO 1.1.0): 7566 rows ESCO occupation "
                                 "by code, 921 rows ISCO-08 group by code, 119 rows ESCO occupation by title, 21 rows kept "
                                 "as its code")
    three_digit = {str(graph.g.value(n, SKOS.notation)) for (n, _) in graph.rows if str(n).startswith(NAMESPACE + "isco08/")}
    assert {"818", "821", "921"} <= three_digit


def _esco_code(iri: URIRef) -> str:
    import csv
    with open(CLASSIFICATIONS / "esco-v1.2.0-en" / "occupations_en.csv", encoding="utf-8", newline="") as handle:
        return next(r["code"] for r in csv.DictReader(handle) if r["conceptUri"] == str(iri))


# ---- classifications -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def classifications() -> dict[str, tuple[object, object]]:
    out = {}
    for kind, path in (("soc", "bls-soc-2018"), ("cip", "nces-cip-2020"), ("esco", "esco-v1.2.0-en")):
        result = import_classification(kind, [CLASSIFICATIONS / path], NAMESPACE)
        out[kind] = (result, Graph(result.payload).g)
    return out


def test_real_soc_has_its_groups_titles_and_definitions(classifications):
    result, g = classifications["soc"]
    assert [f.summary for f in result.files] == [
        "sheet 2018 Structure, header on line 8, 1447 rows: 23 Major Group, 98 Minor Group, 459 Broad Group, 867 Detailed "
        "Occupation", "sheet 2018 SOC, header on line 8, 1447 rows, 867 definitions"]
    node = NS["soc2018/29-1129"]
    assert g.value(node, SKOS.prefLabel) == Literal("Therapists, All Other", lang="en")
    assert g.value(node, SKOS.definition) == Literal("All therapists not listed separately.", lang="en")
    assert g.value(node, SKOS.broader) == NS["soc2018/29-1120"]
    assert len(set(g.subjects(SG.classificationLevel, None))) == 1447
    assert len(set(g.subjects(SKOS.topConceptOf, NS["code-list/soc2018"]))) == 23


def test_real_cip_has_its_codes_and_the_2010_changes(classifications):
    result, g = classifications["cip"]
    assert [f.summary for f in result.files] == [
        "header on line 1, 2848 rows: 1994 No substantive changes, 544 New, 149 Moved to, 149 Moved from, 12 Deleted"]
    assert g.value(NS["cip2020/51.2301"], SKOS.prefLabel) == Literal("Art Therapy/Therapist.", lang="en")
    assert g.value(NS["cip2020/51.2301"], SKOS.broader) == NS["cip2020/51.23"]
    replaced = set(g.subjects(DCTERMS.isReplacedBy, None))
    assert len(replaced) == 161 and all(str(r).startswith(NAMESPACE + "cip2010/") for r in replaced)
    assert g.value(NS["cip2010/01.0309"], DCTERMS.isReplacedBy) == NS["cip2020/01.1004"]


def test_real_esco_has_its_occupations_and_isco_groups(classifications):
    result, g = classifications["esco"]
    counts = dict(f.summary.split(": ") if ": " in f.summary else (f.name, f.summary) for f in result.files)
    assert counts["occupations_en.csv"] == "3039 rows" and counts["ISCOGroups_en.csv"] == "619 rows"
    assert result.skipped == ["skills_en.csv (file not in this folder)",
                              "occupationSkillRelations_en.csv (file not in this folder)"]
    assert g.value(ESCO_ART_THERAPIST, SKOS.notation) == Literal("2269.9.2")
    assert len(set(g.subjects(SG.iscoGroup, None))) == 3039
    assert len(set(g.subjects(SKOS.exactMatch, None))) == 619
    assert g.value(NS["isco08/2269"], SKOS.broader) == NS["isco08/226"]


# ---- one fault in a real file ------------------------------------------------------------------------

FAULTS = [  # (file, edit, line, key path, words of the message)
    ("onet/2019_to_SOC_Crosswalk.csv", lambda s, d: edit_line(s, d, 1, "2018 SOC Code", "SOC 2018 Code"), 1, "header",
     "column 3 is 'SOC 2018 Code' where '2018 SOC Code' is expected"),
    ("onet/2010_to_2019_Crosswalk.xlsx", lambda s, d: edit_cell(s, d, None, 528, 1, "29-1125.1"), 528,
     "sheet 'O-NET-SOC 2019 Occupation Listi', column 'O*NET-SOC 2010 Code'", "'29-1125.1' is not an O*NET-SOC code"),
    ("nces/CIP2020_SOC2018_Crosswalk.xlsx", lambda s, d: drop_sheet(s, d, "CIP-SOC"), None, "sheet",
     "has no sheet 'CIP-SOC'; the cip-soc crosswalk is on sheet 'CIP-SOC'; sheets found: File Guide, SOC-CIP"),
    ("nces/CIP2020_SOC2018_Crosswalk.csv", lambda s, d: edit_line(s, d, 4543, '"Therapists, All Other"',
                                                                   '"Therapists, "All Other"'), 4543, "",
     "is not well-formed CSV"),
    ("onet/Education_CIP_to_ONET_SOC.xlsx", truncate, None, "", "cannot be read as an Excel workbook"),
    ("onet/ESCO_to_ONET-SOC.xlsx", lambda s, d: edit_cell(s, d, None, 1930, 1, "2269,9,2"), 1930,
     "sheet 'O-NET-SOC 2019 Crosswalks', column 'ESCO/ISCO Code'", "'2269,9,2' is not an ESCO occupation or ISCO-08 group code"),
]


@pytest.mark.parametrize(("name", "edit", "line", "key", "words"), FAULTS, ids=[f[0] for f in FAULTS])
def test_a_real_crosswalk_with_one_fault_is_rejected(tmp_path, name, edit, line, key, words):
    kind = REAL_CROSSWALKS[name][0]
    home = tmp_path / "home"
    good = import_crosswalk(kind, CROSSWALKS / name, NAMESPACE, home)
    before = good.target.read_bytes()
    bad = edit(CROSSWALKS / name, tmp_path / Path(name).name)
    with pytest.raises(SourceDataError) as raised:
        import_crosswalk(kind, bad, NAMESPACE, home)
    problems = raised.value.problems
    assert any(p.file.name == Path(name).name and p.line == line and p.key_path == key and words in p.message
               for p in problems), [str(p) for p in problems]
    assert good.target.read_bytes() == before, "the previous import is left as it was"
    assert [p.name for p in (home / "imports").iterdir()] == [good.target.name]


CLASSIFICATION_FAULTS = [  # (kind, folder, file, edit, line, key path, words)
    ("soc", "bls-soc-2018", "soc_structure_2018.xlsx", lambda s, d: edit_cell(s, d, None, 8, 3, "Broad"), 8,
     "sheet '2018 Structure', header", "column 3 is 'Broad' where 'Broad Group' is expected"),
    ("soc", "bls-soc-2018", "soc_2018_definitions.xlsx", lambda s, d: edit_cell(s, d, None, 551, 3, "Therapists, Others"),
     551, "sheet '2018 SOC', column 'SOC Title'", "disagrees with soc_structure_2018.xlsx, which titles 29-1129 "
                                                 "'Therapists, All Other'"),
    ("cip", "nces-cip-2020", "CIPCode2020.csv", lambda s, d: edit_line(s, d, 2069, '="51.2301"', '="51.231"'), 2069,
     "column 'CIPCode'", "'51.231' is not a CIP code; expected NN, NN.NN or NN.NNNN"),
    ("cip", "nces-cip-2020", "CIPCode2020.csv", lambda s, d: edit_line(s, d, 2069, '"Art Therapy/Therapist."',
                                                                       '"Art Therapy/Therapist.'), 2069, "",
     "is not well-formed CSV"),
    ("esco", "esco-v1.2.0-en", "occupations_en.csv", lambda s, d: edit_line(s, d, 31499, ",2269,art therapist,",
                                                                             ",2299,art therapist,"), 31499,
     "column 'iscoGroup'", "'2299' is not an ISCO-08 group of ISCOGroups_en.csv"),
    ("esco", "esco-v1.2.0-en", "ISCOGroups_en.csv",
     lambda s, d: truncate(s, d, b"This unit group covers health professionals not classified elsewhere"), 1975, "",
     "is not well-formed CSV"),
]


@pytest.mark.parametrize(("kind", "folder", "name", "edit", "line", "key", "words"), CLASSIFICATION_FAULTS,
                         ids=[f"{f[0]}-{f[2]}-{f[4]}" for f in CLASSIFICATION_FAULTS])
def test_a_real_classification_with_one_fault_is_rejected(tmp_path, kind, folder, name, edit, line, key, words):
    home = tmp_path / "home"
    copy = tmp_path / folder
    shutil.copytree(CLASSIFICATIONS / folder, copy)
    good = import_classification(kind, [copy], NAMESPACE, home)
    before = good.target.read_bytes()
    (copy / name).chmod(0o644)
    edit(CLASSIFICATIONS / folder / name, copy / name)
    with pytest.raises(SourceDataError) as raised:
        import_classification(kind, [copy], NAMESPACE, home)
    problems = raised.value.problems
    assert any(p.file.name == name and p.line == line and p.key_path == key and words in p.message
               for p in problems), [str(p) for p in problems]
    assert good.target.read_bytes() == before


# ---- the bundled copies and the build ----------------------------------------------------------------

SHARED_COPIES = {"onet/": CROSSWALKS / "onet", "nces/CIP2020": CROSSWALKS / "nces", "nces/CIPCode": CLASSIFICATIONS / "nces-cip-2020",
                 "bls/": CLASSIFICATIONS / "bls-soc-2018", "esco/v1.2.0-en/": CLASSIFICATIONS / "esco-v1.2.0-en"}


def test_the_bundled_files_are_the_published_ones_with_their_recorded_checksums():
    readme = (PUBLISHED / "README.md").read_text(encoding="utf-8")
    listed = dict(re.findall(r"^\| `([^`]+)` \|.*?`([0-9a-f]{64})`", readme, flags=re.M))
    manifest = {name: sha for e in entries(DATA_DIR) for name, sha in e.files}
    files = sorted(str(p.relative_to(PUBLISHED)) for p in PUBLISHED.rglob("*") if p.is_file()
                   and p.name not in ("README.md", "manifest.yaml"))
    assert sorted(manifest) == files and sorted(listed) == files, "README and manifest list every bundled file"
    for name in files:
        sha = hashlib.sha256((PUBLISHED / name).read_bytes()).hexdigest()
        assert manifest[name] == listed[name] == sha, name
        [shared] = [folder for prefix, folder in SHARED_COPIES.items() if name.startswith(prefix)]
        assert (shared / Path(name).name).read_bytes() == (PUBLISHED / name).read_bytes(), "kept byte for byte"


def test_the_build_imports_each_bundled_file_into_its_own_graph(published_build):
    published = published_build.result.published
    assert {p.graph for p in published} == {NAMESPACE + f"graph/{g}" for g in (
        "classification/soc-2018", "classification/cip-2020", "classification/esco-1.2.0",
        "crosswalk/onet-soc-2010-2019-2019", "crosswalk/onet-soc-soc2018-2019", "crosswalk/cip-soc-2020",
        "crosswalk/onet-cip-2020", "crosswalk/onet-esco-2019")}
    graphs = {line.rsplit(b" <", 1)[1] for line in published_build.published_file.read_bytes().splitlines()}
    assert {g.decode()[:-3] for g in graphs} == {p.graph for p in published}
    assert sum(p.triples for p in published) == len(published_build.published_file.read_bytes().splitlines())
    assert not any(p.reused for p in published)


def test_an_unchanged_rebuild_imports_nothing_again(published_build, tmp_path):
    home = tmp_path / "home"
    shutil.copytree(published_build.home, home)
    stamp = (home / "published.nq").stat().st_mtime_ns
    started = time.perf_counter()
    again = build_published(home)
    assert all(p.reused for p in again.result.published)
    assert (home / "published.nq").stat().st_mtime_ns == stamp, "the merged file is not written again"
    assert (home / "published.nq").read_bytes() == published_build.published_file.read_bytes()
    assert time.perf_counter() - started < 30


def test_a_changed_bundled_file_fails_the_build_and_writes_nothing(published_build, tmp_path):
    data = copy_data(tmp_path)
    changed = data / "published" / "onet" / "2019_to_SOC_Crosswalk.xlsx"
    changed.chmod(0o644)
    changed.write_bytes(changed.read_bytes() + b"\0")
    home = tmp_path / "home"
    shutil.copytree(published_build.home, home)
    before = (home / "published.nq").read_bytes()
    with pytest.raises(SourceDataError) as raised:
        build_published(home, data_dir=data)
    [problem] = raised.value.problems
    assert problem.file == changed and "where manifest.yaml records 68488984" in problem.message
    assert (home / "published.nq").read_bytes() == before


# ---- the multi-hop facts, over the built graphs ---------------------------------------------------------

PREFIXES = ("PREFIX sg: <https://w3id.org/skillsgraph/ontology#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
            "PREFIX owl: <http://www.w3.org/2002/07/owl#> PREFIX prov: <http://www.w3.org/ns/prov#> "
            "PREFIX dcterms: <http://purl.org/dc/terms/> ")


@pytest.fixture(scope="module")
def store(published_build):
    return published_build.store()


def _select(store, query: str) -> list[dict[str, str]]:
    result = store.query(PREFIXES + query, use_default_graph_as_union=True)
    return [{v.value: s[v].value for v in result.variables if s[v] is not None} for s in result]


def test_from_cip_51_2301_to_escos_art_therapist(store):
    rows = _select(store, f"""SELECT DISTINCT ?row1 ?source1 ?row2 ?source2 ?label WHERE {{
        <{NAMESPACE}cip2020/51.2301> skos:relatedMatch ?occ .
        ?m1 owl:annotatedSource <{NAMESPACE}cip2020/51.2301> ; owl:annotatedTarget ?occ ; sg:crosswalkRow ?row1 ;
            prov:wasDerivedFrom/dcterms:title ?source1 .
        <{ESCO_ART_THERAPIST}> skos:relatedMatch ?occ ; skos:prefLabel ?label .
        ?m2 owl:annotatedSource <{ESCO_ART_THERAPIST}> ; owl:annotatedTarget ?occ ; sg:crosswalkRow ?row2 ;
            prov:wasDerivedFrom/dcterms:title ?source2 .
        FILTER(?occ = <{ART}>) }}""")
    assert rows == [{"row1": "6355", "source1": "Education: CIP 2020 to O*NET-SOC 2019 Crosswalk (2020)",
                     "row2": "1930", "source2": "ESCO to O*NET-SOC Crosswalk (2019)", "label": "art therapist"}]


def test_from_the_frameworks_occupation_to_isco(store):
    rows = _select(store, f"""SELECT DISTINCT ?code ?label ?row ?up WHERE {{
        <{NAMESPACE}framework/29-1129.01/v26.05> sg:occupation ?occ .
        ?isco skos:relatedMatch ?occ ; skos:inScheme <{NAMESPACE}code-list/isco08> ; skos:notation ?code ;
              skos:prefLabel ?label ; skos:broader/skos:notation ?up .
        ?m owl:annotatedSource ?isco ; owl:annotatedTarget ?occ ; sg:crosswalkRow ?row }}""")
    assert rows == [{"code": "2269", "label": "Health professionals not elsewhere classified", "row": "1823", "up": "226"}]
    via_esco = _select(store, f"""SELECT DISTINCT ?group WHERE {{
        <{NAMESPACE}framework/29-1129.01/v26.05> sg:occupation ?occ . <{ESCO_ART_THERAPIST}> skos:relatedMatch ?occ ;
        sg:iscoGroup/skos:notation ?group }}""")
    assert via_esco == [{"group": "2269"}]


@pytest.mark.parametrize(("concept", "label", "definition", "broader"), [
    (f"{NAMESPACE}soc2018/29-1129", "Therapists, All Other", "All therapists not listed separately.", "29-1120"),
    (f"{NAMESPACE}cip2020/51.2301", "Art Therapy/Therapist.", "A program that prepares individuals, in consultation", "51.23"),
    (str(ESCO_ART_THERAPIST), "art therapist", "Art therapists help patients overcome psychological", None),
    (f"{NAMESPACE}isco08/2269", "Health professionals not elsewhere classified", "This unit group covers health", "226"),
])
def test_each_hop_lands_on_a_concept_with_title_definition_and_place(store, concept, label, definition, broader):
    [row] = _select(store, f"""SELECT ?label (SAMPLE(?d) AS ?definition) (SAMPLE(?b) AS ?broader) (COUNT(DISTINCT ?n) AS ?narrower)
        WHERE {{ <{concept}> skos:prefLabel ?label . OPTIONAL {{ <{concept}> skos:definition|dcterms:description ?d }}
        OPTIONAL {{ <{concept}> skos:broader ?b }} OPTIONAL {{ ?b2 skos:narrower <{concept}> BIND(?b2 AS ?n) }} }}
        GROUP BY ?label""")
    assert row["label"] == label and row["definition"].startswith(definition)
    assert row["broader"] and int(row["narrower"]) >= 1, "its broader concept lists it among its narrower ones"
    if broader:
        assert _select(store, f"SELECT ?n WHERE {{ <{concept}> skos:broader/skos:notation ?n }}") == [{"n": broader}]


@pytest.mark.parametrize("name", sorted(str(p.relative_to(PUBLISHED)) for p in PUBLISHED.rglob("*.xlsx")))
def test_each_bundled_workbook_reads_as_openpyxl_reads_it(name):
    """loader/workbooks.py reads with calamine and gives what openpyxl gives, which the readers
    were written against: every row of every sheet, cell by cell, value and type (openpyxl's
    trailing empty cells and empty strings read as no value, as every reader takes them)."""
    from openpyxl import load_workbook

    from skillsgraph.loader.workbooks import sheet_height, sheet_values
    path = PUBLISHED / name
    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        for index, sheet in enumerate(workbook.worksheets):
            expected = [(number, _typed([None if v == "" else v for v in row]))
                        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1)]
            title, rows = sheet_values(path, sheet.title)
            assert title == sheet.title
            assert _without_empty_end([(n, _typed(row)) for n, row in rows]) == _without_empty_end(expected), sheet.title
            if index == 0:
                assert sheet_height(path) == sheet.max_row
    finally:
        workbook.close()


def _typed(row: list) -> list:
    values = [(type(v).__name__, v) for v in row]
    while values and values[-1][1] is None:
        values.pop()
    return values


def _without_empty_end(rows: list) -> list:
    while rows and not rows[-1][1]:
        rows.pop()
    return rows
