"""Editorial scale mappings (data/registries/scale-mappings.yaml -> graph/registry/scale-mappings):
mastery levels <-> durable-skill proficiency levels, durable-skill domains <-> O*NET skills.

Expectations are read from the YAML file itself; the graph is the bundled build. Broken copies
of the file are rejected by the loader with file, line, key path and reason, and broken
mapping nodes by the SHACL shapes with a readable message."""
from __future__ import annotations

from dataclasses import dataclass

import pytest
import yaml
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, SKOS

from graph_support import DATA_DIR, NAMESPACE, replace_once
from skillsgraph.loader.errors import SourceDataError
from skillsgraph.loader.source_data import read_registries
from skillsgraph.loader.validation import validate_graph

SG = Namespace("https://w3id.org/skillsgraph/ontology#")
NS = NAMESPACE
FILE = "registries/scale-mappings.yaml"
MAPPINGS = yaml.safe_load((DATA_DIR / FILE).read_text(encoding="utf-8"))
DOMAINS = [d["code"] for d in yaml.safe_load((DATA_DIR / "registries" / "durable-domains.yaml").read_text())["domains"]]
SKILL_IDS = {d["element_id"]: d["name"] for d in
             yaml.safe_load((DATA_DIR / "registries" / "onet-descriptors.yaml").read_text())["skills"]}
EDITORIAL = URIRef(f"{NS}mapping-method/editorial")
GRAPH = URIRef(f"{NS}graph/registry/scale-mappings")


@pytest.fixture(scope="module")
def graph(built) -> Graph:
    return built.dataset.graph(GRAPH)


def expected_mappings() -> list[tuple[URIRef, str, URIRef, str]]:
    out = [(URIRef(f"{NS}scale/mastery/{m['mastery']}"), m["relation"],
            URIRef(f"{NS}scale/durable-proficiency/{m['proficiency']}"), m["justification"]) for m in MAPPINGS["levels"]]
    out += [(URIRef(f"{NS}durable-domain/{m['domain']}"), m["relation"],
             URIRef(f"{NS}onet/element/{m['element_id']}"), m["justification"]) for m in MAPPINGS["domains"]]
    return out


def test_each_mapping_is_present_with_its_justification(graph):
    expected = expected_mappings()
    assert len(expected) == len(set(graph.subjects(RDF.type, SG.Mapping))) == 20
    for subject, relation, obj, justification in expected:
        prop = SKOS[relation]
        assert (subject, prop, obj) in graph, "the plain SKOS triple is missing"
        nodes = [m for m in graph.subjects(OWL.annotatedSource, subject) if (m, OWL.annotatedTarget, obj) in graph]
        assert len(nodes) == 1
        node = nodes[0]
        assert str(node) == f"{NS}mapping/skillsgraph-editorial/{subject[len(NS):]}/{obj[len(NS):]}"
        assert graph.value(node, OWL.annotatedProperty) == prop
        assert graph.value(node, SG.mappingMethod) == EDITORIAL
        assert graph.value(node, SG.justification) == Literal(" ".join(justification.split()), lang="en")
        assert str(graph.value(node, URIRef("http://purl.org/dc/terms/date"))) == MAPPINGS["date"]


def test_the_four_levels_pair_by_rank_and_every_domain_is_mapped():
    assert [(m["mastery"], m["proficiency"]) for m in MAPPINGS["levels"]] == [
        ("emerging", "emerging"), ("developing", "developing"), ("proficient", "applying"), ("advanced", "exceeding")]
    assert {m["domain"] for m in MAPPINGS["domains"]} == set(DOMAINS) and len(DOMAINS) == 10
    assert {m["element_id"] for m in MAPPINGS["domains"]} <= set(SKILL_IDS)


def test_editorial_mappings_claim_no_identity(graph):
    # Judgements between different scales are never the same concept.
    assert not list(graph.triples((None, SKOS.exactMatch, None)))
    assert dict(graph.subject_objects(SKOS.closeMatch)).get(URIRef(f"{NS}durable-domain/critical-thinking")) \
        == URIRef(f"{NS}onet/element/2.A.2.a")


def test_the_mapping_graph_passes_the_shapes(graph):
    assert validate_graph(graph, "scale-mappings") == []


def test_descriptors_map_to_their_elements(built):
    g = built.dataset.graph(URIRef(f"{NS}graph/registry/onet-descriptors"))
    skill = URIRef(f"{NS}onet/skill/social-perceptiveness")
    assert (skill, SKOS.exactMatch, URIRef(f"{NS}onet/element/2.B.1.a")) in g
    identities = list(g.subject_objects(SKOS.exactMatch))
    assert len(identities) == sum(1 for _ in g.subject_objects(SG.onetElementId)) == 38


# ---- broken files ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Broken:
    name: str
    old: str
    new: str
    key_path: str
    fragments: tuple[str, ...]


CASES = [
    Broken("unknown-relation", "    proficiency: applying\n    relation: closeMatch\n",
           "    proficiency: applying\n    relation: sameAs\n", "levels[2].relation",
           ("'sameAs' is not valid", "a SKOS mapping relation")),
    Broken("justification-not-a-sentence", "      Both are the first of four ordered rungs and both describe performance under guidance;\n"
           "      a mastery level places a whole occupational role (Entry / Apprentice) while a proficiency\n"
           "      level grades one durable skill, so they are close rather than the same.\n",
           "      close\n", "levels[0].justification", ("a sentence ending with '.'",)),
    Broken("missing-justification", "    relation: closeMatch\n    justification: >-\n"
           "      Both are the first of four ordered rungs and both describe performance under guidance;\n"
           "      a mastery level places a whole occupational role (Entry / Apprentice) while a proficiency\n"
           "      level grades one durable skill, so they are close rather than the same.\n",
           "    relation: closeMatch\n", "levels[0].justification", ("missing required key 'justification'",)),
    Broken("unknown-domain", "  - domain: fortitude\n", "  - domain: fortitud\n", "domains[15].domain",
           ("unknown durable-skill domain 'fortitud'", "did you mean 'fortitude'?")),
    Broken("unknown-element", "    element_id: 2.B.5.a   # Time Management\n", "    element_id: 2.B.5.z\n",
           "domains[15].element_id", ("unknown O*NET skill element ID '2.B.5.z'", "registries/onet-descriptors.yaml")),
    Broken("level-of-the-wrong-scale", "    proficiency: applying\n", "    proficiency: proficient\n", "levels[2].proficiency",
           ("unknown durable-proficiency level 'proficient'",)),
    Broken("duplicate", "  - domain: communication\n    element_id: 2.A.1.c   # Writing\n",
           "  - domain: communication\n    element_id: 2.A.1.d   # Writing\n", "domains[1]",
           ("duplicate domain mapping 'communication -> 2.A.1.d'",)),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_a_broken_file_is_rejected_with_file_and_reason(data_copy, case):
    line = replace_once(data_copy / FILE, case.old, case.new)
    with pytest.raises(SourceDataError) as info:
        read_registries(data_copy)
    problems = [p for p in info.value.problems if p.key_path == case.key_path]
    assert problems, [str(p) for p in info.value.problems]
    problem = problems[0]
    assert problem.file == data_copy / FILE
    assert problem.line is not None and abs(problem.line - line) <= 3
    text = str(problem)
    assert text.startswith(f"{data_copy / FILE}:{problem.line}")
    for fragment in case.fragments:
        assert fragment in text


def test_an_unmapped_domain_is_reported(data_copy):
    text = (data_copy / FILE).read_text(encoding="utf-8")
    start = text.index("  - domain: fortitude\n")
    (data_copy / FILE).write_text(text[:start], encoding="utf-8")
    with pytest.raises(SourceDataError) as info:
        read_registries(data_copy)
    assert any("durable-skill domain 'fortitude' has no mapping" in str(p) and str(p).startswith(str(data_copy / FILE))
               for p in info.value.problems)


# ---- the shapes on broken mapping nodes ----------------------------------------------------------

def _break(graph: Graph, triple_to_drop=None, add=()) -> Graph:
    g = Graph()
    for t in graph:
        if t != triple_to_drop:
            g.add(t)
    for t in add:
        g.add(t)
    return g


def _node(graph: Graph) -> tuple[URIRef, URIRef, URIRef, URIRef]:
    node = URIRef(f"{NS}mapping/skillsgraph-editorial/scale/mastery/emerging/scale/durable-proficiency/emerging")
    return node, graph.value(node, OWL.annotatedSource), graph.value(node, OWL.annotatedProperty), graph.value(node, OWL.annotatedTarget)


def test_the_shapes_want_a_justification_for_editorial_mappings(graph):
    node = _node(graph)[0]
    broken = _break(graph, (node, SG.justification, graph.value(node, SG.justification)))
    messages = [v.message for v in validate_graph(broken, "t") if v.focus == str(node)]
    assert messages == ["an editorial mapping needs its sg:justification: the sentence that says why it holds"]


def test_the_shapes_want_the_plain_triple_and_a_sane_confidence(graph):
    node, s, p, o = _node(graph)
    broken = _break(graph, (s, p, o), add=[(node, SG.confidence, Literal("1.5", datatype=URIRef("http://www.w3.org/2001/XMLSchema#decimal"))),
                                            (node, OWL.annotatedProperty, OWL.sameAs)])
    messages = sorted(v.message for v in validate_graph(broken, "t") if v.focus == str(node))
    assert any("the plain SKOS triple" in m for m in messages)
    assert any("sg:confidence, where given, is one xsd:decimal from 0 to 1" in m for m in messages)
    assert any("needs exactly one relation" in m for m in messages)
