"""The classification importers over excerpts cut from the real published files
(tests/classification_excerpts/): BLS's 2018 SOC, NCES's CIP 2020 and ESCO v1.2.0 as SKOS concept
schemes at the IRIs the crosswalks name, with titles, definitions, levels and broader/narrower
links; CIP 2010 codes CIP 2020 moved or deleted as replacement facts; ESCO's ISCO-08 groups as our
isco08/ concepts; files a folder lacks reported as skipped, and imported where a folder has them
(ESCO's layout excerpts); each graph with its release node, files and checksums; the graphs
conform to the shapes, and the shapes catch a concept out of its hierarchy and a replacement
without its successor; the command."""
from __future__ import annotations

import hashlib
import shutil

import pytest
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

from graph_support import NAMESPACE, REPO, run_cli

from skillsgraph.loader.classification.importer import import_classification
from skillsgraph.loader.errors import SourceDataError

EXCERPTS = REPO / "tests" / "classification_excerpts"
NS = Namespace(NAMESPACE)
SG = Namespace("https://w3id.org/skillsgraph/ontology#")
ESCO = Namespace("http://data.europa.eu/esco/")
ART_THERAPIST = ESCO["occupation/eb48ccbd-75f2-4799-81be-443034858473"]
PUBLIC_DOMAIN = URIRef("https://creativecommons.org/publicdomain/mark/1.0/")
PATHS = {"soc": EXCERPTS / "bls-soc-2018", "cip": EXCERPTS / "nces-cip-2020", "esco": EXCERPTS / "esco-v1.2.0-en"}
RELEASES = {"soc": "2018", "cip": "2020", "esco": "1.2.0"}


class Imported:
    def __init__(self, kind: str, path=None):
        self.result = import_classification(kind, [path or PATHS[kind]], NAMESPACE)
        dataset = Dataset()
        dataset.parse(data=self.result.payload, format="nquads")
        self.name = NS[f"graph/classification/{kind}-{RELEASES[kind]}"]
        self.names = {g.identifier for g in dataset.graphs() if len(g)}
        self.g = dataset.graph(self.name)
        self.source = NS[f"source/{kind}-{RELEASES[kind]}"]


@pytest.fixture(scope="module")
def imported() -> dict[str, Imported]:
    return {kind: Imported(kind) for kind in PATHS}


def soc(code: str) -> URIRef:
    return NS[f"soc2018/{code}"]


def cip(code: str) -> URIRef:
    return NS[f"cip2020/{code}"]


def chain(g: Graph, node: URIRef) -> list[str]:
    """The notations from a concept up its broader links to the top."""
    out = [str(g.value(node, SKOS.notation))]
    while (up := g.value(node, SKOS.broader)) is not None:
        assert (up, SKOS.narrower, node) in g, "every broader link is written both ways"
        out.append(str(g.value(up, SKOS.notation)))
        node = up
    return out


# ---- each graph and its release ------------------------------------------------------------------

def test_each_classification_is_one_graph_with_its_release(imported):
    publishers = {"soc": "U.S. Bureau of Labor Statistics (BLS)",
                  "cip": "U.S. Department of Education, National Center for Education Statistics (NCES)",
                  "esco": "European Commission, Directorate-General for Employment, Social Affairs and Inclusion"}
    for kind, imp in imported.items():
        assert imp.names == {imp.name}, kind
        assert (imp.name, PROV.wasDerivedFrom, imp.source) in imp.g
        assert (imp.source, RDF.type, SG.ClassificationRelease) in imp.g and (imp.source, RDF.type, SG.Source) in imp.g
        assert imp.g.value(imp.source, OWL.versionInfo) == Literal(RELEASES[kind])
        assert imp.g.value(imp.g.value(imp.source, DCTERMS.publisher), RDFS.label) == Literal(publishers[kind], lang="en")
        assert str(imp.g.value(imp.source, URIRef("http://xmlns.com/foaf/0.1/page"))).startswith("https://")
        assert str(imp.g.value(imp.source, SG.attribution)).strip()
        files = {str(imp.g.value(f, DCTERMS.title)): str(imp.g.value(f, SG.sha256))
                 for f in imp.g.objects(imp.source, DCAT.distribution)}
        folder = PATHS[kind]
        assert files == {name: hashlib.sha256((folder / name).read_bytes()).hexdigest() for name in files}
        assert set(files) == {p.name for p in folder.iterdir()}, "every file read, with its checksum"
    assert imported["soc"].g.value(imported["soc"].source, DCTERMS.license) == PUBLIC_DOMAIN
    assert str(imported["esco"].g.value(imported["esco"].source, SG.attribution)) == \
        "This service uses the ESCO classification of the European Commission."


def test_files_the_folder_lacks_are_skipped_and_said_so(imported):
    imp = imported["esco"]
    skipped = {str(o) for o in imp.g.objects(imp.source, SG.skippedFile)}
    assert skipped == {"skills_en.csv (file not in this folder)", "occupationSkillRelations_en.csv (file not in this folder)"}
    assert imp.result.skipped == ["skills_en.csv (file not in this folder)",
                                  "occupationSkillRelations_en.csv (file not in this folder)"]


# ---- SOC 2018 -----------------------------------------------------------------------------------

def test_soc_groups_have_titles_definitions_levels_and_their_place(imported):
    g = imported["soc"].g
    node = soc("29-1129")
    assert g.value(node, SKOS.prefLabel) == Literal("Therapists, All Other", lang="en")
    assert g.value(node, SKOS.definition) == Literal("All therapists not listed separately.", lang="en")
    assert g.value(node, SG.classificationLevel) == Literal("Detailed Occupation", lang="en")
    assert (node, RDF.type, SKOS.Concept) in g and (node, RDF.type, SG.CodedConcept) in g
    assert g.value(node, SKOS.inScheme) == NS["code-list/soc2018"]
    assert chain(g, node) == ["29-1129", "29-1120", "29-1000", "29-0000"]
    assert g.value(soc("29-1120"), SKOS.prefLabel) == Literal("Therapists", lang="en")
    assert g.value(soc("29-0000"), SKOS.topConceptOf) == NS["code-list/soc2018"]
    assert (NS["code-list/soc2018"], SKOS.hasTopConcept, soc("29-0000")) in g
    assert g.value(NS["code-list/soc2018"], SKOS.prefLabel) == Literal("2018 Standard Occupational Classification (SOC)",
                                                                        lang="en")
    assert g.value(soc("29-1120"), SKOS.definition) is None, "BLS defines the detailed occupations only"


def test_soc_occupations_numbered_past_ten_stay_in_their_broad_group(imported):
    g = imported["soc"].g
    assert chain(g, soc("29-1229")) == ["29-1229", "29-1210", "29-1000", "29-0000"]
    assert g.value(soc("29-1221"), SKOS.broader) == soc("29-1210")


def test_soc_rows_are_counted_by_level(imported):
    [structure, definitions] = imported["soc"].result.files
    assert structure.summary == ("sheet 2018 Structure, header on line 8, 29 rows: 2 Major Group, 2 Minor Group, "
                                 "3 Broad Group, 22 Detailed Occupation")
    assert definitions.summary == "sheet 2018 SOC, header on line 8, 29 rows, 22 definitions"


# ---- CIP 2020 -----------------------------------------------------------------------------------

def test_cip_codes_keep_their_notation_titles_definitions_and_place(imported):
    g = imported["cip"].g
    art = cip("51.2301")
    assert g.value(art, SKOS.notation) == Literal("51.2301")
    assert g.value(art, SKOS.prefLabel) == Literal("Art Therapy/Therapist.", lang="en")
    assert str(g.value(art, SKOS.definition)).startswith("A program that prepares individuals, in consultation with other "
                                                         "rehabilitation team members")
    assert (art, RDF.type, SG.InstructionalProgram) in g
    assert chain(g, art) == ["51.2301", "51.23", "51"]
    assert (cip("51.23"), RDF.type, SG.CodedConcept) in g and (cip("51.23"), RDF.type, SG.InstructionalProgram) not in g
    assert g.value(cip("51"), SKOS.topConceptOf) == NS["code-list/cip2020"]
    assert [g.value(cip(c), SG.classificationLevel) for c in ("51", "51.23", "51.2301")] == [
        Literal("2-digit series", lang="en"), Literal("4-digit series", lang="en"), Literal("6-digit code", lang="en")]
    assert g.value(art, SG.cipAction) == Literal("No substantive changes", lang="en")
    assert g.value(art, SG.textChanged) == Literal(False)


def test_cip_cross_references_and_examples(imported):
    g = imported["cip"].g
    assert set(g.objects(cip("51.2302"), RDFS.seeAlso)) == {cip("51.3601")}
    assert set(g.objects(cip("14.0501"), RDFS.seeAlso)) == {cip("31.0505"), cip("26.0913")}
    assert g.value(cip("51.3601"), SKOS.prefLabel) == Literal("Movement Therapy and Movement Education.", lang="en")
    assert {str(e) for e in g.objects(cip("31.0507"), SKOS.example)} == {"Fitness Technician", "Fitness Trainer",
                                                                         "Personal Trainer"}
    assert {str(e) for e in g.objects(cip("51.2313"), SKOS.example)} == {"Equine-Assisted Therapy"}


def test_cip_moves_and_deletions_are_replacement_facts(imported):
    g = imported["cip"].g
    old, new = NS["cip2010/01.0309"], cip("01.1004")
    assert g.value(old, DCTERMS.isReplacedBy) == new and (new, DCTERMS.replaces, old) in g
    assert g.value(old, SKOS.changeNote) == Literal("Moved from 01.0309 to 01.1004", lang="en")
    assert g.value(old, SKOS.inScheme) == NS["code-list/cip2010"]
    assert g.value(old, SG.cipAction) == Literal("Moved from", lang="en")
    assert g.value(new, SG.cipAction) == Literal("Moved to", lang="en")
    assert not list(g.triples((cip("01.0309"), None, None))), "a CIP 2010 code CIP 2020 left is not a CIP 2020 code"
    deleted = NS["cip2010/51.19"]
    assert g.value(deleted, DCTERMS.isReplacedBy) == cip("51.1202")
    assert g.value(deleted, SKOS.changeNote) == Literal("Deleted, Report under 51.1202", lang="en")


def test_cip_quotes_nces_does_not_double_are_read_as_text(imported):
    definition = str(imported["cip"].g.value(cip("43"), SKOS.definition))
    assert definition.endswith('Note: this series is titled "Security and Protective Services" in the Canadian CIP.')


# ---- ESCO v1.2.0 --------------------------------------------------------------------------------

def test_esco_occupations_at_escos_iris(imported):
    g = imported["esco"].g
    a = ART_THERAPIST
    assert (a, RDF.type, URIRef("http://data.europa.eu/esco/model#Occupation")) in g
    assert g.value(a, SKOS.prefLabel) == Literal("art therapist", lang="en")
    assert Literal("dramatherapist", lang="en") in set(g.objects(a, SKOS.altLabel))
    assert g.value(a, SKOS.notation) == Literal("2269.9.2")
    assert str(g.value(a, DCTERMS.description)).startswith("Art therapists help patients overcome psychological")
    assert g.value(a, SG.iscoGroup) == NS["isco08/2269"]
    assert g.value(a, SG.status) == Literal("released")
    assert g.value(a, DCTERMS.modified) == Literal("2024-01-25T10:44:37.919Z", datatype=XSD.dateTime)
    assert g.value(a, SG.regulatedProfessionNote) == ESCO["regulated-professions/unregulated"]
    assert set(g.objects(a, SKOS.inScheme)) == {ESCO["concept-scheme/occupations"], ESCO["concept-scheme/member-occupations"]}
    assert chain(g, a)[-1] == "2", "up the occupation pillar to an ISCO-08 major group"


def test_esco_isco_groups_are_our_isco08_concepts(imported):
    g = imported["esco"].g
    group = NS["isco08/2269"]
    assert g.value(group, SKOS.exactMatch) == ESCO["isco/C2269"]
    assert g.value(group, SKOS.prefLabel) == Literal("Health professionals not elsewhere classified", lang="en")
    assert g.value(group, SKOS.inScheme) == NS["code-list/isco08"]
    assert chain(g, group) == ["2269", "226", "22", "2"]
    assert g.value(NS["isco08/2"], SKOS.topConceptOf) == NS["code-list/isco08"]
    assert not list(g.triples((ESCO["isco/C2269"], SKOS.broader, None))), "the hierarchy is on our concepts"
    assert (ART_THERAPIST, SKOS.broader, None) in g


def test_esco_skills_hierarchy_schemes_and_collections(imported):
    g = imported["esco"].g
    top = ESCO["skill/e35a5936-091d-4e87-bafe-f264e55bd656"]
    assert g.value(top, SKOS.prefLabel) == Literal("language skills and knowledge", lang="en")
    assert g.value(top, SKOS.topConceptOf) == ESCO["concept-scheme/skills-hierarchy"]
    assert g.value(ESCO["skill/43f425aa-f45d-4bb4-a200-6f82fa211b66"], SKOS.broader) == top
    scheme = ESCO["concept-scheme/occupations"]
    assert (scheme, RDF.type, SKOS.ConceptScheme) in g
    assert g.value(scheme, SKOS.prefLabel) == Literal("ESCO Occupations", lang="en")
    assert len(set(g.objects(scheme, SKOS.hasTopConcept))) > 5
    digital = NS["esco-collection/digital-skills"]
    assert (digital, RDF.type, SKOS.Collection) in g
    members = set(g.objects(digital, SKOS.member))
    assert len(members) == 3 and all(g.value(m, SKOS.prefLabel) is not None for m in members)
    assert {str(g.value(m, SG.skillType)) for m in members} <= {"knowledge", "skill/competence"}
    assert len({c for c in g.subjects(RDF.type, SKOS.Collection)}) == 7
    relations = list(g.triples((None, SG.optionalSkill, None))) + list(g.triples((None, SG.essentialSkill, None)))
    assert len(relations) == 3, "the skill-skill relations"


def test_a_folder_with_the_skill_files_imports_them(tmp_path):
    """skills_en.csv and occupationSkillRelations_en.csv in their published layout
    (tests/classification_excerpts/esco-layout/, layout excerpts: no real copy exists here)."""
    folder = tmp_path / "esco"
    shutil.copytree(PATHS["esco"], folder)
    for f in (EXCERPTS / "esco-layout").glob("*.csv"):
        shutil.copy(f, folder / f.name)
    imp = Imported("esco", folder)
    assert imp.result.skipped == [] and not list(imp.g.objects(imp.source, SG.skippedFile))
    names = {f.name for f in imp.result.files}
    assert {"skills_en.csv", "occupationSkillRelations_en.csv"} <= names
    skill = ESCO["skill/000f1d3d-220f-4789-9c0a-cc742521fb02"]   # Haskell
    assert (skill, RDF.type, URIRef("http://data.europa.eu/esco/model#Skill")) in imp.g
    assert imp.g.value(skill, SKOS.prefLabel) == Literal("Haskell", lang="en")
    assert imp.g.value(skill, SG.reuseLevel) == Literal("sector-specific")
    assert Literal("Haskell techniques", lang="en") in set(imp.g.objects(skill, SKOS.altLabel))
    assert (ART_THERAPIST, SG.essentialSkill, skill) in imp.g
    assert len(list(imp.g.triples((ART_THERAPIST, SG.optionalSkill, None)))) == 2


# ---- shapes -------------------------------------------------------------------------------------

def _violations(graph: Graph) -> list:
    from skillsgraph.loader.validation import validate_graph
    return validate_graph(graph, "test")


def test_the_classification_graphs_conform_to_the_shapes(imported):
    data = Graph()
    for imp in imported.values():
        data += imp.g
    assert _violations(data) == []


def test_shapes_catch_a_concept_out_of_its_hierarchy_and_a_replacement_without_successor(imported):
    g = Graph() + imported["soc"].g + imported["cip"].g
    g.remove((soc("29-1129"), SKOS.broader, None))
    g.remove((NS["cip2010/01.0309"], DCTERMS.isReplacedBy, None))
    g.remove((NS["cip2010/51.19"], SKOS.changeNote, None))
    g.remove((cip("51.1202"), DCTERMS.replaces, NS["cip2010/51.19"]))
    g.set((NS["source/soc-2018"], SG.attribution, Literal("")))
    found = {(v.focus, v.message) for v in _violations(g)}
    assert (str(soc("29-1129")), "needs its place in the hierarchy: a skos:broader concept, or skos:topConceptOf its "
                                 "scheme") in found
    assert any(f == str(NS["cip2010/01.0309"]) and "needs the code that replaces it" in m for f, m in found)
    assert any(f == str(NS["cip2010/51.19"]) and "note of what became of it" in m for f, m in found)
    assert any(f == str(NS["cip2010/51.19"]) and "the code that replaces it must say so" in m for f, m in found)
    assert not any(f == str(NS["cip2010/01.0309"]) and "must say so" in m for f, m in found), "01.1004 still does"
    assert any(f == str(NS["source/soc-2018"]) and "attribution" in m for f, m in found)


# ---- bad input and the command ---------------------------------------------------------------------

def test_a_folder_without_the_required_files_is_rejected(tmp_path):
    folder = tmp_path / "esco"
    shutil.copytree(PATHS["esco"], folder)
    (folder / "occupations_en.csv").unlink()
    with pytest.raises(SourceDataError) as raised:
        import_classification("esco", [folder], NAMESPACE)
    [problem] = raised.value.problems
    assert "holds no occupations_en.csv" in problem.message and "ISCOGroups_en.csv, occupations_en.csv" in problem.message


def test_soc_and_cip_read_only_the_edition_their_iris_name():
    with pytest.raises(SourceDataError) as raised:
        import_classification("soc", [PATHS["soc"]], NAMESPACE, release="2010")
    assert "reads the 2018 edition" in str(raised.value)


def test_the_same_files_give_the_same_bytes(imported):
    assert import_classification("cip", [PATHS["cip"]], NAMESPACE).payload == imported["cip"].result.payload


def test_the_command_imports_a_classification(tmp_path):
    home = tmp_path / "home"
    run = run_cli("import", "classification", "soc", str(PATHS["soc"]), home=home)
    assert run.returncode == 0, run.stderr.decode()
    out = " ".join(run.stdout.decode().split())
    assert "soc_structure_2018.xlsx: sheet 2018 Structure, header on line 8, 29 rows" in out
    target = home / "imports" / "classification-soc-2018.nq"
    assert f"wrote {target}" in out and target.read_bytes() == import_classification("soc", [PATHS["soc"]],
                                                                                      NAMESPACE).payload
    bad = run_cli("import", "classification", "cip", str(PATHS["soc"]), home=home)
    assert bad.returncode == 1 and b"holds no CIPCode2020.csv" in bad.stderr and b"nothing was written" in bad.stderr
