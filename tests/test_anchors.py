"""Source anchors in the build (loader.anchors_rdf): every statement ranked against its
occupation's tasks and descriptors, deterministic, the editors' confirmations and rejections in
the source data obeyed, an unknown anchor code reported where it is, and the graphs SHACL-valid.

No server and no store: the build of the bundled data (the session's `built`), and the reference
framework read and mapped in this process for the edited copies."""
from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, SKOS, XSD

from graph_support import DATA_DIR, FRAMEWORK_REL, NAMESPACE, SG
from skillsgraph.loader.anchor_candidates import candidates
from skillsgraph.loader.anchors_rdf import anchor_graphs, ranked_candidates
from skillsgraph.loader.build import build
from skillsgraph.loader.errors import SourceDataError
from skillsgraph.loader.framework_rdf import framework_graph
from skillsgraph.loader.graphs import union
from skillsgraph.loader.iris import Iris
from skillsgraph.loader.registry_rdf import registry_graphs
from skillsgraph.loader.source_data import read_framework, read_registries
from skillsgraph.loader.validation import Validator

RELEASE = NAMESPACE + "framework/29-1129.01/v26.05"
MACHINE = URIRef(NAMESPACE + "graph/anchors/29-1129.01/v26.05/machine-suggestion")
EDITORIAL = URIRef(NAMESPACE + "graph/anchors/29-1129.01/v26.05/editorial")
TASK = NAMESPACE + "occupation/29-1129.01/task/"
STATEMENT_CLASSES = (SG.CompetencyStatement, SG.AIUseStatement, SG.DurableSkillStatement)
IRIS = Iris(NAMESPACE)


@pytest.fixture(scope="module")
def registries():
    return read_registries(DATA_DIR)


def _edited(tmp_path: Path, registries, old: str, new: str):
    """The reference framework with one edit, read as the build reads it."""
    text = (DATA_DIR / FRAMEWORK_REL).read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    file = tmp_path / "29-1129.01.yaml"
    file.write_text(text.replace(old, new), encoding="utf-8")
    return read_framework(file, registries)


def _mappings(graph: Graph, statement: str) -> dict[str, URIRef]:
    """target -> mapping node of one statement's anchors in a graph."""
    s = URIRef(statement)
    return {str(graph.value(m, OWL.annotatedTarget)): m for m in graph.subjects(OWL.annotatedSource, s)}


def test_every_statement_of_the_reference_release_has_ranked_anchors(built):
    machine, editorial = built.dataset.graph(MACHINE), built.dataset.graph(EDITORIAL)
    statements = {s for cls in STATEMENT_CLASSES for s in built.graph.subjects(RDF.type, cls)}
    assert len(statements) == 142
    for s in statements:
        anchored = set(machine.objects(s, SKOS.relatedMatch)) | set(editorial.objects(s, SKOS.relatedMatch))
        assert anchored, s
    ranks = sorted(int(r) for r in machine.objects(None, SG.suggestionRank))
    assert ranks[0] == 1 and len(ranks) >= 142


def test_a_machine_anchor_has_its_score_rank_method_and_release(built):
    machine = built.dataset.graph(MACHINE)
    node = _mappings(machine, RELEASE + "/competency/emerging/1")[TASK + "1"]
    assert node == URIRef(NAMESPACE + "mapping/anchors/framework/29-1129.01/v26.05/competency/emerging/1"
                                      "/occupation/29-1129.01/task/1")
    assert machine.value(node, SG.similarityScore) == Literal("8.5058", datatype=XSD.decimal)
    assert machine.value(node, SG.suggestionRank) == Literal(1)
    assert machine.value(node, SG.mappingMethod) == URIRef(NAMESPACE + "mapping-method/machine-suggestion")
    assert machine.value(node, OWL.annotatedProperty) == SKOS.relatedMatch
    assert str(machine.value(node, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"))) == RELEASE
    assert (URIRef(RELEASE + "/competency/emerging/1"), SKOS.relatedMatch, URIRef(TASK + "1")) in machine


def test_anchors_are_deterministic():
    first = build(DATA_DIR, NAMESPACE, workers=1).nquads
    second = build(DATA_DIR, NAMESPACE, workers=1).nquads
    assert first == second
    assert MACHINE.n3().encode() in first


def test_ranks_follow_the_scores_and_ties_the_candidates_order(registries):
    framework = read_framework(DATA_DIR / FRAMEWORK_REL, registries)
    order = [c.code for c in candidates(framework.content.occupation)]
    assert len(order) == 62 and order[0] == "task/1" and order[-1] == "technology/office-suite-software"
    ties = 0
    for _at, ranked in ranked_candidates(framework.content):
        assert [r.rank for r in ranked] == list(range(1, len(ranked) + 1))
        keys = [(-r.score, order.index(r.candidate.code)) for r in ranked]
        assert keys == sorted(keys)
        ties += sum(a[0] == b[0] for a, b in zip(keys, keys[1:]))
    assert ties > 0  # the reference release has equal scores, so the tie-break is exercised


def test_a_confirmed_anchor_is_an_editorial_mapping_with_its_justification(built):
    machine, editorial = built.dataset.graph(MACHINE), built.dataset.graph(EDITORIAL)
    statement = RELEASE + "/competency/developing/6"
    node = _mappings(editorial, statement)[TASK + "7"]
    assert editorial.value(node, SG.mappingMethod) == URIRef(NAMESPACE + "mapping-method/editorial")
    assert str(editorial.value(node, SG.justification)).startswith("The statement is task 7")
    assert editorial.value(node, SG.similarityScore) is None
    assert TASK + "7" not in _mappings(machine, statement)  # it left the machine's graph


def test_a_rejected_anchor_disappears(built, registries, tmp_path):
    statement = RELEASE + "/competency/proficient/2"
    for name in (MACHINE, EDITORIAL):
        assert TASK + "4" not in _mappings(built.dataset.graph(name), statement)
    # without the rejection the machine suggests it
    undecided = _edited(tmp_path, registries, "        reject: [task/4]\n", "")
    machine = _parsed(anchor_graphs(undecided.content, IRIS).machine)
    assert TASK + "4" in _mappings(machine, statement)


def test_an_anchor_confirmed_outside_the_machines_choice_is_stated(registries, tmp_path):
    framework = _edited(tmp_path, registries, "          task/7: The statement is task 7",
                        "          technology/spreadsheet-software: A test's confirmation.\n          task/7: The statement is task 7")
    editorial = anchor_graphs(framework.content, IRIS).editorial.graph
    assert NAMESPACE + "onet/technology/spreadsheet-software" in _mappings(editorial, RELEASE + "/competency/developing/6")


def test_an_unknown_anchor_code_is_reported_with_file_line_and_the_valid_codes(registries, tmp_path):
    with pytest.raises(SourceDataError) as exc:
        _edited(tmp_path, registries, "        reject: [task/4]\n", "        reject: [task/9]\n")
    [problem] = exc.value.problems
    text = (tmp_path / "29-1129.01.yaml").read_text(encoding="utf-8").split("\n")
    assert "reject: [task/9]" in text[problem.line - 1]
    assert problem.file == tmp_path / "29-1129.01.yaml"
    assert "unknown anchor 'task/9'" in problem.message
    for code in ("task/1", "task/8", "skill/social-perceptiveness", "knowledge/fine-arts", "ability/near-vision",
                 "work-style/empathy", "technology/office-suite-software"):
        assert code in problem.message
    assert str(problem).startswith(f"{tmp_path / '29-1129.01.yaml'}:{problem.line}:")


def test_an_unknown_confirmed_code_is_reported_at_its_key(registries, tmp_path):
    with pytest.raises(SourceDataError) as exc:
        _edited(tmp_path, registries, "          skill/writing: Producing", "          skill/writting: Producing")
    [problem] = exc.value.problems
    assert "did you mean 'skill/writing'?" in problem.message
    lines = (tmp_path / "29-1129.01.yaml").read_text(encoding="utf-8").split("\n")
    assert lines[problem.line - 1].strip().startswith("skill/writting:")


def test_an_anchor_both_confirmed_and_rejected_is_reported(registries, tmp_path):
    with pytest.raises(SourceDataError) as exc:
        _edited(tmp_path, registries, "        reject: [task/4]\n", "        reject: [task/5]\n")
    assert "both confirmed and rejected" in str(exc.value.problems[0])


def test_a_confirmation_needs_a_sentence(registries, tmp_path):
    with pytest.raises(SourceDataError) as exc:
        _edited(tmp_path, registries, "is Writing.\n", "is Writing\n")
    assert "sentence" in str(exc.value.problems[0])


@pytest.fixture(scope="module")
def checked(registries):
    """The reference release, its anchors, and the validator with the registries."""
    framework = read_framework(DATA_DIR / FRAMEWORK_REL, registries)
    anchors = anchor_graphs(framework.content, IRIS)
    release = framework_graph(framework.content, registries, IRIS)
    data = release + _parsed(anchors.machine) + anchors.editorial.graph
    return data, Validator(union(registry_graphs(registries, IRIS)))


def test_the_anchor_graphs_conform_to_the_shapes(checked):
    data, validator = checked
    assert validator.violations(data, "anchors") == []


def test_the_shapes_catch_a_suggestion_without_its_score_and_a_scored_editorial_mapping(checked):
    data, validator = checked
    data = data + Graph()
    suggestion = URIRef(NAMESPACE + "mapping/anchors/framework/29-1129.01/v26.05/competency/emerging/1"
                                    "/occupation/29-1129.01/task/1")
    data.remove((suggestion, SG.similarityScore, None))
    confirmed = URIRef(NAMESPACE + "mapping/anchors/framework/29-1129.01/v26.05/competency/developing/6"
                                   "/occupation/29-1129.01/task/7")
    data.add((confirmed, SG.similarityScore, Literal("1.0", datatype=XSD.decimal)))
    data.add((confirmed, SG.suggestionRank, Literal(1)))
    data.add((confirmed, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"), URIRef(RELEASE)))
    messages = sorted(v.message for v in validator.violations(data, "anchors"))
    assert any("has the sg:similarityScore it was ranked by" in m for m in messages)
    assert any("only a machine's suggestion has a score" in m for m in messages)


def _parsed(lines) -> Graph:
    g = Graph()
    g.parse(data=lines.payload().decode("utf-8").replace(f" <{lines.name}> .", " ."), format="nt")
    return g


def test_the_machines_text_writer_writes_add_mappings_triples():
    from decimal import Decimal
    from skillsgraph.iris import Iris as TextIris
    from skillsgraph.loader.mappings_rdf import add_mapping, add_method, scored_mapping_lines
    from skillsgraph.loader.nquads import QuadLines
    statement, task = RELEASE + "/competency/emerging/1", TASK + "1"
    by_terms, by_text = QuadLines(MACHINE), QuadLines(MACHINE)
    add_mapping(by_terms, IRIS, "anchors", URIRef(statement), "relatedMatch", URIRef(task), "machine-suggestion",
                derived_from=URIRef(RELEASE), score=Decimal("8.5058"), rank=1)
    add_method(by_text, IRIS, "machine-suggestion")
    scored_mapping_lines(by_text, TextIris(NAMESPACE), "anchors", statement, "relatedMatch", task, "machine-suggestion",
                         RELEASE, "8.5058", 1)
    assert by_text.payload() == by_terms.payload()
    assert by_text.payload().count(b"\n") == 9 + 7  # the mapping and its plain triple, the method and its scheme
