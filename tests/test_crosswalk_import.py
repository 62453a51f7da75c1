"""The crosswalk importers over excerpts cut from the real published files (tests/crosswalk_excerpts/,
in the real layouts): the mapping facts and plain SKOS triples each file yields, with the relation
the whole file gives each row, both forms of a file giving the same mappings, CIP codes rebuilt from
numbers, NO MATCH rows left out, O*NET's ESCO codes resolved to ESCO's occupations and our ISCO-08
groups (and codes ESCO recoded since the release O*NET used, by title or kept), every row accounted
for (mapped, no match, repeated, footer), relations from Type of Match; malformed copies rejected
with file, line, sheet, column and reason and nothing written; and, served by default, a path from
the Art Therapists framework to SOC, CIP and ESCO with every hop's source named.

Served in-process (app_fixtures, on the first of SKILLSGRAPH_TEST_STORES): the bundled build and
its published graphs, with the ESCO portal's crosswalk imported by the real `skillsgraph import
crosswalk` command, opened as `serve` opens them (the published graphs and every
$SKILLSGRAPH_HOME/imports/*.nq beside the build, then the --load files); what is checked is the
answers, not the process."""
from __future__ import annotations

import csv
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Dataset, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL, PROV, RDF, RDFS, SKOS

from app_fixtures import first_store_kind, published_extras
from file_edits import edit_cell, edit_line, rename_sheet, truncate
from server_fixtures import NAMESPACE, REPO, W3C_EXTRAS

from skillsgraph.loader.crosswalk.importer import import_crosswalk
from skillsgraph.loader.errors import SourceDataError

EXCERPTS = REPO / "tests" / "crosswalk_excerpts"
NS = Namespace(NAMESPACE)
SG = Namespace("https://w3id.org/skillsgraph/ontology#")
ESCO_ART_THERAPIST = URIRef("http://data.europa.eu/esco/occupation/eb48ccbd-75f2-4799-81be-443034858473")
ESCO_LIEUTENANT = URIRef("http://data.europa.eu/esco/occupation/b223f402-0318-4e27-8691-df6e7f7295d2")      # 0110.10
ESCO_BUSINESS_MANAGER = URIRef("http://data.europa.eu/esco/occupation/544cd9cf-e2ee-4ac0-8a02-7147af6b97d7")  # 1213.5
FILES = {
    "onet-soc-2010-2019": "2010_to_2019_Crosswalk.csv",
    "onet-soc-soc2018": "2019_to_SOC_Crosswalk.csv",
    "cip-soc": "CIP2020_SOC2018_Crosswalk.xlsx",
    "onet-cip": "Education_CIP_to_ONET_SOC.xlsx",
    "esco-onet": "ONET_(Occupations)_0_updated.csv",
    "onet-esco": "ESCO_to_ONET-SOC.xlsx",
}
# The other form of the files published in two.
OTHER_FORMS = {"onet-soc-2010-2019": "2010_to_2019_Crosswalk.xlsx", "onet-soc-soc2018": "2019_to_SOC_Crosswalk.xlsx",
               "cip-soc": "CIP2020_SOC2018_Crosswalk.csv"}
RELEASES = {"onet-soc-2010-2019": "2019", "onet-soc-soc2018": "2019", "cip-soc": "2020", "onet-cip": "2020",
            "esco-onet": "1.1.0", "onet-esco": "2019"}
DATA_SHEETS = {"cip-soc": "CIP-SOC"}


class Imported:
    """One excerpt imported: its graph, read back from the N-Quads the importer wrote."""

    def __init__(self, kind: str, name: str | None = None):
        self.kind = kind
        self.file = EXCERPTS / (name or FILES[kind])
        self.result = import_crosswalk(kind, self.file, NAMESPACE)
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


def test_each_source_names_its_attribution_and_the_file_with_its_checksum(imported):
    for kind, imp in imported.items():
        assert str(imp.g.value(imp.source, SG.attribution)).strip(), kind
        [file] = imp.g.objects(imp.source, DCAT.distribution)
        assert (file, RDF.type, DCAT.Distribution) in imp.g
        assert imp.g.value(file, DCTERMS.title) == Literal(FILES[kind])
        assert str(imp.g.value(file, SG.sha256)) == hashlib.sha256(imp.file.read_bytes()).hexdigest()
    assert "O*NET® is a trademark of USDOL/ETA" in str(imported["onet-cip"].g.value(imported["onet-cip"].source,
                                                                                    SG.attribution))


def test_every_row_is_accounted_for(imported):
    counts = {kind: (i.result.rows, i.result.mappings, i.result.skipped, i.result.duplicates, i.result.footer)
              for kind, i in imported.items()}
    assert counts == {"onet-soc-2010-2019": (13, 13, 0, 0, 0), "onet-soc-soc2018": (6, 6, 0, 0, 0),
                      "cip-soc": (20, 14, 6, 0, 0), "onet-cip": (19, 19, 0, 0, 0), "esco-onet": (2, 2, 0, 0, 0),
                      "onet-esco": (25, 24, 0, 0, 1)}
    for i in imported.values():
        assert i.result.rows == i.result.mappings + i.result.skipped + i.result.duplicates + i.result.footer
        assert i.result.accounting in str(i.g.value(i.source, SG.crosswalkFile))


def test_onet_soc_2010_to_2019_recodes_art_therapists_exactly(imported):
    imp = imported["onet-soc-2010-2019"]
    old = NS["onet-soc2010/29-1125.01"]
    assert imp.relation(old, occ("29-1129.01")) == "exactMatch"
    assert imp.row(old, occ("29-1129.01")) == 12
    assert imp.g.value(old, SKOS.notation) == Literal("29-1125.01")
    assert imp.g.value(old, SKOS.prefLabel) == Literal("Art Therapists", lang="en")
    assert (old, RDF.type, SG.CodedConcept) in imp.g
    assert imp.mapping(old, occ("29-1129.01")) == NS["mapping/onet-soc-2010-2019-2019/onet-soc2010/29-1125.01/occupation/29-1129.01"]


def test_onet_soc_2010_to_2019_relations_follow_splits_and_merges(imported):
    imp = imported["onet-soc-2010-2019"]
    split = NS["onet-soc2010/11-2031.00"]             # Public Relations and Fundraising Managers
    assert imp.relation(split, occ("11-2032.00")) == "narrowMatch"     # split: each 2019 code is narrower
    assert imp.relation(split, occ("11-2033.00")) == "narrowMatch"
    assert imp.relation(NS["onet-soc2010/11-2011.01"], occ("11-2011.00")) == "broadMatch"   # merged into a broader code
    assert imp.relation(NS["onet-soc2010/15-1132.00"], occ("15-1252.00")) == "relatedMatch"  # split and merged at once
    assert imp.relation(NS["onet-soc2010/15-1199.01"], occ("15-1253.00")) == "broadMatch"


def test_onet_soc_to_soc2018_puts_art_therapists_under_therapists_all_other(imported):
    imp = imported["onet-soc-soc2018"]
    soc = NS["soc2018/29-1129"]
    assert imp.relation(occ("29-1129.01"), soc) == "broadMatch"
    assert imp.row(occ("29-1129.01"), soc) == 6
    assert imp.g.value(soc, RDFS.label) == Literal("Therapists, All Other", lang="en")
    assert imp.g.value(soc, SKOS.prefLabel) is None, "the SOC classification gives SOC codes their preferred labels"
    assert imp.g.value(soc, SKOS.inScheme) == NS["code-list/soc2018"]
    assert imp.relation(occ("15-1252.00"), NS["soc2018/15-1252"]) == "exactMatch"
    assert imp.relation(occ("11-1011.03"), NS["soc2018/11-1011"]) == "broadMatch"
    assert (occ("29-1129.01"), SG.socCode, Literal("29-1129")) in imp.g
    assert (occ("29-1129.01"), RDF.type, SG.Occupation) in imp.g
    assert imp.g.value(occ("29-1129.01"), SKOS.prefLabel) == Literal("Art Therapists", lang="en")


def test_cip_soc_pairs_art_therapy_with_therapists_all_other(imported):
    imp = imported["cip-soc"]
    cips = {str(imp.g.value(n, SKOS.notation)) for n in imp.g.subjects(RDF.type, SG.InstructionalProgram)}
    assert cips == {"01.0000", "51.2300", "51.2301", "51.2302", "51.2305", "51.2313", "51.2315", "51.2316", "51.2317",
                    "51.2399", "51.3601"}
    assert imp.relation(NS["cip2020/51.2301"], NS["soc2018/29-1129"]) == "relatedMatch"
    assert imp.relation(NS["cip2020/51.2301"], NS["soc2018/25-1071"]) == "relatedMatch"
    assert imp.row(NS["cip2020/51.2301"], NS["soc2018/29-1129"]) == 10
    assert imp.g.value(NS["cip2020/51.2301"], RDFS.label) == Literal("Art Therapy/Therapist.", lang="en")
    assert "sheet CIP-SOC, header on line 1" in str(imp.g.value(imp.source, SG.crosswalkFile))


def test_cip_codes_stored_as_numbers_are_read_with_their_zeros(tmp_path, imported):
    """The real workbooks hold codes as text; a copy whose cells Excel turned into numbers
    (01.0000 -> 1, 51.2300 -> 51.23) gives the same mappings."""
    copy = edit_cell(EXCERPTS / FILES["cip-soc"], tmp_path / FILES["cip-soc"], "CIP-SOC", 2, 1, 1.0)
    edit_cell(copy, copy, "CIP-SOC", 8, 1, 51.23)
    numbers = import_crosswalk("cip-soc", copy, NAMESPACE)
    differ = ("crosswalkFile", "sha256", "importedFile")
    assert [line for line in numbers.payload.decode().splitlines() if not any(d in line for d in differ)] == \
        [line for line in imported["cip-soc"].result.payload.decode().splitlines() if not any(d in line for d in differ)]


def test_cip_soc_no_match_rows_are_not_mappings(imported):
    imp = imported["cip-soc"]
    assert imp.result.skipped == 6 and imp.result.rows == 20
    assert not list(imp.g.triples((NS["cip2020/99.9999"], None, None)))
    assert not list(imp.g.triples((NS["cip2020/01.0508"], None, None))), "a programme paired only with 99-9999"
    assert not list(imp.g.triples((None, None, NS["soc2018/13-1074"]))), "an occupation paired only with 99.9999"
    assert "NO MATCH" not in imp.result.payload.decode()


def test_onet_cip_links_the_programme_to_the_occupation(imported):
    imp = imported["onet-cip"]
    assert imp.relation(NS["cip2020/51.2301"], occ("29-1129.01")) == "relatedMatch"
    assert imp.row(NS["cip2020/51.2301"], occ("29-1129.01")) == 14, "the header is on row 4, below the title rows"
    assert imp.relation(NS["cip2020/51.2300"], occ("29-1129.01")) == "relatedMatch"
    assert imp.g.value(NS["cip2020/51.2301"], RDFS.label) == Literal("Art Therapy/Therapist", lang="en"), \
        "O*NET's CIP titles have no final full stop"
    programmes = {str(imp.g.value(s, SKOS.notation)) for s in imp.g.subjects(SKOS.relatedMatch, occ("29-1129.01"))}
    assert programmes == {"51.2300", "51.2301", "51.2302", "51.2305", "51.2313", "51.2315", "51.2316", "51.2317",
                          "51.2399", "51.3601"}


def test_esco_onet_takes_the_relation_from_type_of_match(imported):
    imp = imported["esco-onet"]
    assert imp.relation(ESCO_ART_THERAPIST, occ("29-1129.01")) == "exactMatch"
    assert imp.relation(NS["isco08/2269"], occ("29-1129.01")) == "broadMatch"
    assert imp.row(ESCO_ART_THERAPIST, occ("29-1129.01")) == 18, "16 metadata lines and the header stand above"
    assert imp.row(NS["isco08/2269"], occ("29-1129.01")) == 19
    assert imp.g.value(ESCO_ART_THERAPIST, RDFS.label) == Literal("art therapist", lang="en")
    assert imp.mapping(ESCO_ART_THERAPIST, occ("29-1129.01")) == NS[
        "mapping/esco-onet-1.1.0/esco/occupation/eb48ccbd-75f2-4799-81be-443034858473/occupation/29-1129.01"]
    notes = [str(n) for n in imp.g.objects(imp.source, SKOS.note)]
    assert "line 1: Crosswalk between ESCO and O*NET" in notes and len(notes) == 13


def test_onet_esco_resolves_codes_through_the_esco_classification(imported):
    imp = imported["onet-esco"]
    assert imp.relation(ESCO_ART_THERAPIST, occ("29-1129.01")) == "relatedMatch"   # 2269.9.2
    assert imp.row(ESCO_ART_THERAPIST, occ("29-1129.01")) == 18
    assert imp.relation(NS["isco08/2269"], occ("29-1129.01")) == "relatedMatch", "a four-digit code is an ISCO-08 group"
    assert imp.relation(NS["isco08/818"], occ("49-9098.00")) == "relatedMatch", "so is a three-digit one"
    assert imp.g.value(NS["isco08/818"], SKOS.notation) == Literal("818")
    esco = {s for s in imp.g.subjects(SKOS.relatedMatch, occ("29-1129.01")) if str(s).startswith("http://data.europa.eu/")}
    assert len(esco) == 10 and ESCO_ART_THERAPIST in esco
    assert not list(imp.g.triples((NS["esco-code/2269.9.2"], None, None))), "a code the classification has is its IRI"


def test_onet_esco_keeps_esco_codes_as_text(imported):
    """0110.10 (lieutenant) is not 0110.1 (air force officer)."""
    imp = imported["onet-esco"]
    assert imp.relation(ESCO_LIEUTENANT, occ("33-1011.00")) == "relatedMatch"
    assert imp.g.value(ESCO_LIEUTENANT, RDFS.label) == Literal("lieutenant", lang="en")


def test_onet_esco_reads_codes_esco_recoded_since_by_title_or_keeps_them(imported):
    """The file used ESCO v1.1.0 (its footer says so); ESCO v1.2.0 coded business manager 1213.5
    (1120.2 before) and has no contact tracing agent (4229.1)."""
    imp = imported["onet-esco"]
    node = imp.mapping(ESCO_BUSINESS_MANAGER, occ("11-1021.00"))
    assert "code 1120.2 is not in ESCO 1.2.0" in str(imp.g.value(node, SKOS.note))
    kept = NS["esco-code/4229.1"]
    assert imp.relation(kept, occ("19-1041.00")) == "relatedMatch"
    assert imp.g.value(kept, SKOS.prefLabel) == Literal("contact tracing agent", lang="en")
    assert "neither by code nor by title" in str(imp.g.value(imp.mapping(kept, occ("19-1041.00")), SKOS.note))
    assert imp.result.resolution == ("codes resolved through ESCO 1.2.0 (the file used ESCO 1.1.0): 15 rows ESCO "
                                     "occupation by code, 4 rows ISCO-08 group by code, 2 rows ESCO occupation by title, "
                                     "3 rows kept as its code")


def test_onet_esco_footer_is_counted_and_kept_as_a_note(imported):
    imp = imported["onet-esco"]
    assert imp.result.footer == 1
    notes = {str(n) for n in imp.g.objects(imp.source, SKOS.note)}
    assert ("line 30: This publication uses the ESCO classification of the European Commission. ESCO v1.1.0 used."
            in notes)
    assert "line 1: O*NET-SOC 2019 Crosswalks" in notes


def test_onet_esco_code_in_neither_list_is_a_row_error(tmp_path):
    """Without a footer naming another ESCO release, a code neither ESCO list has is an error: the
    codes ESCO recoded after v1.1.0 too, then."""
    name = FILES["onet-esco"]
    bad = edit_cell(EXCERPTS / name, tmp_path / name, None, 30, 2, None)
    edit_cell(bad, bad, None, 18, 1, "2269.9.99")
    with pytest.raises(SourceDataError) as raised:
        import_crosswalk("onet-esco", bad, NAMESPACE, tmp_path / "home")
    problems = raised.value.problems
    assert {p.line for p in problems} == {10, 11, 18, 23, 24, 25}   # 2269.9.99, and 1120.2 and 4229.1
    [problem] = [p for p in problems if p.line == 18]
    assert problem.file.name == name
    assert problem.key_path == "sheet 'O-NET-SOC 2019 Crosswalks', column 'ESCO/ISCO Code'"
    assert "'2269.9.99' is neither an occupation code nor an ISCO-08 group of ESCO 1.2.0" in problem.message
    assert "e.g. 2269.9.2" in problem.message
    assert not (tmp_path / "home" / "imports").exists()


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


# Lines that name the file read, not what it states.
FILE_LINES = ("crosswalkRow", "crosswalkFile", "core#note", "sha256", "importedFile", "/file/", "dcat#distribution")


def _same(payload: bytes) -> list[str]:
    return [line for line in payload.decode().splitlines() if not any(d in line for d in FILE_LINES)]


@pytest.mark.parametrize("kind", sorted(OTHER_FORMS))
def test_both_published_forms_give_the_same_mappings(kind, imported):
    other = Imported(kind, OTHER_FORMS[kind])
    assert _same(other.result.payload) == _same(imported[kind].result.payload)
    assert (other.result.rows, other.result.mappings) == (imported[kind].result.rows, imported[kind].result.mappings)


def test_the_excel_form_counts_rows_as_the_sheet_does():
    excel = Imported("onet-soc-soc2018", OTHER_FORMS["onet-soc-soc2018"])
    notes = {str(n) for n in excel.g.objects(excel.source, SKOS.note)}
    assert "line 1: O*NET-SOC 2019 Occupation Listings" in notes, "the title rows are kept as notes"
    assert "line 2: Crosswalk O*NET-SOC 2019 to 2018 SOC" in notes
    assert excel.row(occ("29-1129.01"), NS["soc2018/29-1129"]) == 9, "29-1129.01 on row 9, below the header on row 4"
    assert "sheet O-NET-SOC 2019 Occupation Listi, header on line 4" in str(excel.g.value(excel.source, SG.crosswalkFile))


def test_the_same_file_gives_the_same_bytes():
    first = import_crosswalk("cip-soc", EXCERPTS / FILES["cip-soc"], NAMESPACE).payload
    assert first == import_crosswalk("cip-soc", EXCERPTS / FILES["cip-soc"], NAMESPACE).payload


# ---- malformed copies ------------------------------------------------------------------------------

def _rename_sheet(src: Path, dst: Path) -> Path:
    return rename_sheet(src, dst, "CIP-SOC", "Sheet1")


BAD = [
    ("wrong header", "onet-soc-soc2018", lambda s, d: edit_line(s, d, 1, "2018 SOC Code", "SOC Code"),
     1, "column 3 is 'SOC Code' where '2018 SOC Code' is expected"),
    ("bad code", "onet-soc-2010-2019", lambda s, d: edit_line(s, d, 12, "29-1125.01", "29-1125.1"),
     12, "'29-1125.1' is not an O*NET-SOC code"),
    ("non-numeric CIP", "cip-soc", lambda s, d: edit_cell(s, d, "CIP-SOC", 3, 1, "abc"), 3, "'abc' is not a CIP code"),
    ("wrong sheet", "cip-soc", _rename_sheet, None, "has no sheet 'CIP-SOC'"),
    ("truncated workbook", "cip-soc", truncate, None, "cannot be read as an Excel workbook"),
    ("unknown match type", "esco-onet", lambda s, d: edit_line(s, d, 18, '"exactMatch"', '"sameAs"'),
     18, "'sameAs' is not a match type"),
    ("wrong ESCO header", "esco-onet", lambda s, d: edit_line(s, d, 17, '"Type of Match"', '"Match Type"'),
     17, "column 7 is 'Match Type' where 'Type of Match' is expected"),
    ("ESCO code as a number", "onet-esco", lambda s, d: edit_cell(s, d, None, 8, 1, 110.1), 8, "is stored as a number"),
    ("wrong title-row header", "onet-cip", lambda s, d: edit_cell(s, d, None, 4, 1, "CIP Code"),
     4, "column 1 is 'CIP Code' where '2020 CIP Code' is expected"),
    ("broken quoting", "esco-onet", lambda s, d: edit_line(s, d, 18, '"art therapist",', '"art "therapist",'),
     18, "is not well-formed CSV"),
    ("bad SOC code", "cip-soc", lambda s, d: edit_cell(s, d, "CIP-SOC", 10, 3, "29-11290"), 10,
     "'29-11290' is not a SOC code"),
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
    sheet = DATA_SHEETS.get(kind)
    if sheet and line is not None:
        assert all(f"sheet {sheet!r}" in p.key_path for p in problems), [str(p) for p in problems]
    assert not (home / "imports").exists(), "nothing is written"


def test_a_repeated_row_is_one_mapping_from_its_first_line(tmp_path):
    source = EXCERPTS / FILES["onet-soc-soc2018"]
    copy = tmp_path / source.name
    lines = source.read_text(encoding="utf-8").splitlines()
    assert lines[5].startswith("29-1129.01,Art Therapists")
    copy.write_text("\n".join(lines + [lines[5].replace("Art Therapists", "Art therapists")]) + "\n", encoding="utf-8")
    result = import_crosswalk("onet-soc-soc2018", copy, NAMESPACE)
    assert (result.rows, result.mappings, result.duplicates) == (7, 6, 1)
    dataset = Dataset()
    dataset.parse(data=result.payload, format="nquads")
    rows = {int(o) for _, _, o, _ in dataset.quads((None, SG.crosswalkRow, None, None))}
    assert 6 in rows and 8 not in rows
    labels = {str(o) for _, _, o, _ in dataset.quads((occ("29-1129.01"), SKOS.prefLabel, None, None))}
    assert labels == {"Art Therapists"}


def test_a_failed_import_leaves_the_previous_one_untouched(tmp_path):
    home = tmp_path / "home"
    good = import_crosswalk("onet-soc-soc2018", EXCERPTS / FILES["onet-soc-soc2018"], NAMESPACE, home)
    before = good.target.read_bytes()
    bad = edit_line(EXCERPTS / FILES["onet-soc-soc2018"], tmp_path / FILES["onet-soc-soc2018"], 6, "29-1129.01", "291129.01")
    with pytest.raises(SourceDataError):
        import_crosswalk("onet-soc-soc2018", bad, NAMESPACE, home)
    assert good.target.read_bytes() == before
    assert sorted(p.name for p in (home / "imports").iterdir()) == ["crosswalk-onet-soc-soc2018-2019.nq"]


def test_the_command_reports_problems_and_writes_nothing(tmp_path):
    name = FILES["cip-soc"]
    bad = edit_cell(EXCERPTS / name, tmp_path / name, "CIP-SOC", 3, 1, "abc")
    env = {**os.environ, "SKILLSGRAPH_HOME": str(tmp_path / "home"), "SKILLSGRAPH_NAMESPACE": NAMESPACE}
    run = subprocess.run([sys.executable, "-m", "skillsgraph.cli", "import", "crosswalk", "cip-soc", str(bad)],
                         env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 1
    assert f"{name}:3: sheet 'CIP-SOC', column 'CIP2020Code': 'abc' is not a CIP code" in run.stderr
    assert "nothing was written" in run.stderr
    assert not (tmp_path / "home" / "imports").exists()


def test_the_command_accounts_for_every_row(tmp_path):
    env = {**os.environ, "SKILLSGRAPH_HOME": str(tmp_path / "home"), "SKILLSGRAPH_NAMESPACE": NAMESPACE}
    run = subprocess.run([sys.executable, "-m", "skillsgraph.cli", "import", "crosswalk", "onet-esco",
                          str(EXCERPTS / FILES["onet-esco"])], env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    out = " ".join(run.stdout.split())
    assert "25 rows: 24 mappings, 0 rows stating no match, 0 repeated rows, 1 footer lines" in out
    assert "2 rows ESCO occupation by title, 3 rows kept as its code" in out


# ---- served by default: from the framework to SOC, CIP and ESCO ------------------------------------
# The server serves the bundled crosswalks and classifications (data/published/, the real files)
# with no import; the ESCO portal's crosswalk, of which no real copy exists, is imported from its
# documented-layout excerpt with the command, as a user adds a release.

PORTAL = "Crosswalk between ESCO and O*NET (1.1.0)"
ONET_ESCO = "ESCO to O*NET-SOC Crosswalk (2019)"


def _import_portal_crosswalk(home: Path) -> None:
    env = {**os.environ, "SKILLSGRAPH_HOME": str(home), "SKILLSGRAPH_NAMESPACE": NAMESPACE}
    run = subprocess.run([sys.executable, "-m", "skillsgraph.cli", "import", "crosswalk", "esco-onet",
                          str(EXCERPTS / FILES["esco-onet"])], env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "crosswalk-esco-onet-1.1.0.nq" in run.stdout.replace("\n", "")


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
def crosswalk_server(tmp_path_factory, apps, published_build):
    home = tmp_path_factory.mktemp("crosswalk-home")
    _import_portal_crosswalk(home)
    kind = first_store_kind()
    imports = [(path, None) for path in sorted((home / "imports").glob("*.nq"))]
    return apps.app(kind, home, published_build.build_file,
                    published_extras(kind, published_build.published_file) + imports + W3C_EXTRAS)


def test_served_framework_reaches_soc_cip_and_esco_with_every_source_named(crosswalk_server):
    response = crosswalk_server.client.post(crosswalk_server.base_url + "/sparql", data={"query": PATH_QUERY},
                          headers={"Accept": "application/sparql-results+json"}, timeout=60)
    assert response.status_code == 200, response.text
    rows = [{k: v["value"] for k, v in b.items()} for b in response.json()["results"]["bindings"]]
    assert rows, "no path from the framework to SOC, CIP and ESCO"
    assert {(r["soc"], r["socTitle"], r["cip"]) for r in rows} == {
        (f"{NAMESPACE}soc2018/29-1129", "Therapists, All Other", f"{NAMESPACE}cip2020/51.2301")}
    assert {r["socSource"] for r in rows} == {"O*NET-SOC 2019 to 2018 SOC Crosswalk (2019)"}
    assert {r["cipSource"] for r in rows} == {"CIP 2020 to SOC 2018 Crosswalk (2020)"}
    art = {(r["escoLabel"], r["escoSource"]) for r in rows if r["esco"] == str(ESCO_ART_THERAPIST)}
    assert art == {("art therapist", PORTAL), ("art therapist", ONET_ESCO)}
    assert len({r["esco"] for r in rows if r["escoSource"] == ONET_ESCO}) == 10, "O*NET pairs ten ESCO occupations"


def test_served_plain_triples_answer_simple_sparql(crosswalk_server):
    query = f"""PREFIX skos: <{SKOS}> ASK {{ <{NAMESPACE}onet-soc2010/29-1125.01> skos:exactMatch ?occ .
        ?occ skos:broadMatch <{NAMESPACE}soc2018/29-1129> . <{NAMESPACE}cip2020/51.2301> skos:relatedMatch <{NAMESPACE}soc2018/29-1129> .
        <{ESCO_ART_THERAPIST}> skos:exactMatch ?occ }}"""
    response = crosswalk_server.client.post(crosswalk_server.base_url + "/sparql", data={"query": query},
                          headers={"Accept": "application/sparql-results+json"}, timeout=60)
    assert response.status_code == 200 and response.json()["boolean"] is True


@pytest.mark.parametrize(("to", "target", "hops"), [
    ("soc2018", f"{NAMESPACE}soc2018/29-1129", {("O*NET-SOC 2019 to 2018 SOC Crosswalk (2019)", "437")}),
    ("esco", str(ESCO_ART_THERAPIST), {(PORTAL, "18"), (ONET_ESCO, "1930")}),
    ("onet-soc2010", f"{NAMESPACE}onet-soc2010/29-1125.01", {("O*NET-SOC 2010 to O*NET-SOC 2019 Crosswalk (2019)", "528")})])
def test_served_crosswalk_endpoint_follows_the_published_mappings(crosswalk_server, to, target, hops):
    response = crosswalk_server.client.get(crosswalk_server.base_url + "/crosswalk", params={"from": "onet-soc:29-1129.01", "to": to},
                         headers={"Accept": "text/csv"}, timeout=60)
    assert response.status_code == 200, response.text
    found = [r for r in csv.DictReader(response.text.splitlines()) if target in (r["from"], r["to"])]
    assert {(h["source_title"], h["crosswalk_row"]) for h in found} == hops, response.text
    assert {h["method"] for h in found} == {f"{NAMESPACE}mapping-method/published-crosswalk"}


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
    assert any(r["other"] == str(ESCO_ART_THERAPIST) and r["sourceTitle"] == PORTAL for r in rows)
    assert ("2269.9.2", "relatedMatch", "other -> occupation", ONET_ESCO) in got
    assert ("2269", "relatedMatch", "other -> occupation", ONET_ESCO) in got, "the ISCO-08 group"
    assert any(code == "51.2301" for code, *_ in got), "O*NET's education crosswalk names the programme"
    assert all(r.get("row", "").isdigit() for r in rows), "every published mapping points at its line in the file"


def test_crosswalk_goes_multi_hop_from_cip_to_esco_listing_every_hop(crosswalk_server):
    response = crosswalk_server.client.get(crosswalk_server.base_url + "/crosswalk", params={"from": "cip2020:51.2301", "to": "esco"},
                         headers={"Accept": "application/ld+json"}, timeout=60)
    assert response.status_code == 200, response.text
    paths = response.json()["paths"]
    assert paths and str(ESCO_ART_THERAPIST) in {p["target"]["id"] for p in paths}
    for path in paths:
        hops = path["hops"]
        assert len(hops) >= 2, "no file maps CIP to ESCO directly"
        assert hops[0]["from"]["id"] == f"{NAMESPACE}cip2020/51.2301" and hops[-1]["to"]["id"] == path["target"]["id"]
        assert all(a["to"]["id"] == b["from"]["id"] for a, b in zip(hops, hops[1:])), "hops chain end to start"
        for hop in hops:
            asserted = hop["assertedBy"]
            assert asserted.get("wasDerivedFrom", {}).get("title") or asserted["type"] == "FrameworkRelease", hop


def test_trace_reaches_soc_cip_and_esco_through_the_published_crosswalks(crosswalk_server):
    response = crosswalk_server.client.get(crosswalk_server.base_url + "/trace/framework/29-1129.01/v26.05/competency/proficient/1",
                         timeout=60)
    assert response.status_code == 200, response.text
    towards = {c["towards"]: c["paths"] for c in response.json()["crosswalks"]}
    [soc] = towards["soc2018"]
    assert soc["target"]["notation"] == "29-1129" and soc["impliedRelation"].endswith("broadMatch")
    assert soc["hops"][0]["assertedBy"]["wasDerivedFrom"]["title"] == "O*NET-SOC 2019 to 2018 SOC Crosswalk (2019)"
    assert str(ESCO_ART_THERAPIST) in {p["target"]["id"] for p in towards["esco"]}
    assert "2269" in {p["target"].get("notation") for p in towards["isco"]}
    cip_sources = {h["assertedBy"].get("wasDerivedFrom", {}).get("title") or h["assertedBy"]["type"]
                   for p in towards["cip2020"] if p["target"]["notation"] == "51.2301" for h in p["hops"]}
    assert "FrameworkRelease" in cip_sources and len(cip_sources) >= 2, "the page and O*NET's education crosswalk both say so"
