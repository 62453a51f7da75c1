"""The SHACL shapes reject broken RDF on their own, whatever the loader lets through.

Each case changes one thing in the valid built graph (the registries and the framework
release, as the loader validates them) and expects the shape's own message for it, about
the node it broke. A pyshacl run over the graph takes about a second, so the cases are
applied together and validated in one run: each case breaks a node (or a property of a
node) that no other case touches, the unbroken graph conforms (tested first), so every
violation comes from some case, and each test finds its own by focus node, path and message.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Callable

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS, XSD

from graph_support import CITO, NAMESPACE, SCHEMA, SG


@dataclass(frozen=True)
class Case:
    name: str
    target: str  # key into the `nodes` fixture: the node the case changes
    focus: str  # the node the violation must be about (the release, for checks across statements)
    path: str | None  # the violation's sh:resultPath, None for node-level (SPARQL) constraints
    change: Callable[[Graph, dict, URIRef], None]  # (graph, nodes, the target node)
    fragments: tuple[str, ...]  # text the violation's message must contain ("{...}" filled from nodes)


def _set(prop, value):
    return lambda g, n, node: g.set((node, prop, value(n) if callable(value) else value))


def _remove(prop):
    return lambda g, n, node: g.remove((node, prop, None))


def _copy_from(prop, other: str):
    """Give the target the value of `prop` that node `other` has."""
    return lambda g, n, node: g.set((node, prop, g.value(n[other], prop)))


CASES = [
    Case("missing-prefLabel", "c1", "c1", "skos:prefLabel", _remove(SKOS.prefLabel),
         ("needs exactly one non-empty skos:prefLabel with a language tag",)),
    Case("duplicate-prefLabel", "c2", "c2", "skos:prefLabel",
         lambda g, n, node: g.add((node, SKOS.prefLabel, Literal("A second label", lang="en"))),
         ("needs exactly one non-empty skos:prefLabel", "duplicated")),
    Case("prefLabel-without-language-tag", "c3", "c3", "skos:prefLabel",
         lambda g, n, node: g.set((node, SKOS.prefLabel, Literal(str(g.value(node, SKOS.prefLabel))))),
         ("with a language tag", "untagged")),
    Case("malformed-onetSocCode", "occupation", "occupation", "sg:onetSocCode", _set(SG.onetSocCode, Literal("29-1129.1")),
         ("O*NET-SOC code of the form NN-NNNN.NN",)),
    Case("malformed-socCode", "occupation", "occupation", "sg:socCode", _set(SG.socCode, Literal("29-112")),
         ("SOC 2018 code of the form NN-NNNN",)),
    Case("malformed-CIP-notation", "cip", "cip", "skos:notation", _set(SKOS.notation, Literal("51.23")),
         ("CIP code of the form NN.NNNN",)),
    Case("statement-without-level", "c4", "c4", "sg:level", _remove(SG.level),
         ("needs exactly one level (sg:level)",)),
    Case("competency-at-a-durable-proficiency-level", "c5", "c5", "sg:level",
         _set(SG.level, lambda n: n["proficiency_emerging"]),
         ("competency and AI-use statements are written at a mastery level", "not at a durable-skill proficiency level")),
    Case("durable-statement-at-a-mastery-level", "d1", "d1", "sg:level", _set(SG.level, lambda n: n["mastery_emerging"]),
         ("durable-skill statements are written at a durable-skill proficiency level", "not at a mastery level")),
    Case("domain-of-a-competency-statement", "c7", "c7", "rdf:type",
         lambda g, n, node: g.add((node, SG.domain, g.value(n["d1"], SG.domain))),
         ("only a durable-skill statement (rdf:type sg:DurableSkillStatement) has a durable-skill domain",)),
    Case("empty-statement-text", "c6", "c6", "sg:statementText", _set(SG.statementText, Literal("", lang="en")),
         ("needs exactly one non-empty statement text",)),
    Case("citation-of-an-unknown-source", "citation", "citation", "cito:hasCitedEntity",
         _set(CITO.hasCitedEntity, URIRef(NAMESPACE + "source/no-such-source")),
         ("not a known sg:Source", "a citation must point to a source in the sources registry")),
    Case("duplicate-position-in-a-level", "p2", "release", None, _copy_from(SG.position, "p1"),
         ("{p1}", "{p2}", "hold the same position (1) in one level of this release")),
    Case("duplicate-label-in-a-level", "l2", "release", None, _copy_from(SKOS.prefLabel, "l1"),
         ("{l1}", "{l2}", "have the same label (Comprehensive program design) in one level of this release")),
    Case("percentage-101", "augment_share", "release", None,
         _set(SCHEMA.value, Literal(Decimal("101"), datatype=XSD.decimal)),
         ("{augment_share}", "percentage 101 is outside 0-100")),
    Case("unknown-SAFI-quadrant", "quadrant", "release", None,
         _set(SCHEMA.valueReference, URIRef(NAMESPACE + "code-list/safi-quadrants/Q5_unknown")),
         ("{quadrant}", "Q5_unknown is not a code of", "unknown codes (such as an unknown SAFI quadrant) are not allowed")),
]


@pytest.fixture(scope="module")
def nodes(built) -> dict[str, URIRef]:
    """The nodes the cases break, found by class, level and position rather than by IRI pattern."""
    g = built.data_graph
    occupation = next(g.subjects(SG.onetSocCode, Literal("29-1129.01")))
    release = next(r for r in g.subjects(SG.occupation, occupation) if (r, RDF.type, SG.FrameworkRelease) in g)

    def level(cls, label: str) -> URIRef:
        found = [s for s in g.subjects(RDF.type, cls) if (s, SKOS.prefLabel, Literal(label, lang="en")) in g]
        assert len(found) == 1
        return found[0]

    def statement(cls, level_iri: URIRef, pos: int, domain_number: int | None = None) -> URIRef:
        found = [s for s in g.subjects(RDF.type, cls)
                 if (s, SG.level, level_iri) in g and int(g.value(s, SG.position)) == pos
                 and (domain_number is None or int(g.value(g.value(s, SG.domain), SG.domainNumber)) == domain_number)]
        assert len(found) == 1, (cls, level_iri, pos, found)
        return found[0]

    def observation(metric_label: str) -> URIRef:
        found = [o for o in g.objects(release, SG.evidence)
                 if (g.value(o, SG.metric), SKOS.prefLabel, Literal(metric_label, lang="en")) in g]
        assert len(found) == 1
        return found[0]

    emerging, developing = level(SG.MasteryLevel, "Emerging"), level(SG.MasteryLevel, "Developing")
    proficient = level(SG.MasteryLevel, "Proficient")
    n = {f"c{i}": statement(SG.CompetencyStatement, emerging, i) for i in range(1, 8)}
    n.update(
        d1=statement(SG.DurableSkillStatement, level(SG.ProficiencyLevel, "Emerging"), 1, domain_number=1),
        p1=statement(SG.CompetencyStatement, developing, 1), p2=statement(SG.CompetencyStatement, developing, 2),
        l1=statement(SG.CompetencyStatement, proficient, 1), l2=statement(SG.CompetencyStatement, proficient, 2),
        citation=g.value(statement(SG.AIUseStatement, emerging, 1), SG.citation),
        occupation=occupation, release=release,
        cip=next(iter(g.objects(occupation, SG.instructionalProgram))),
        mastery_emerging=emerging, proficiency_emerging=level(SG.ProficiencyLevel, "Emerging"),
        augment_share=observation("Augment share"), quadrant=observation("Quadrant"),
    )
    return n


def test_the_valid_graph_conforms(built):
    from skillsgraph.loader.validation import validate_graph
    assert validate_graph(built.data_graph, "valid") == []


@pytest.fixture(scope="module")
def violations(built, nodes):
    """All cases applied to one copy of the valid graph, validated once."""
    from skillsgraph.loader.validation import validate_graph
    changed = [(c.target, c.path) for c in CASES]
    assert len(set(changed)) == len(changed), "each case must change a node (or property) no other case touches"
    g = Graph()
    g += built.data_graph
    for case in CASES:
        case.change(g, nodes, nodes[case.target])
    return validate_graph(g, "broken")


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_shape_rejects(nodes, violations, case):
    about = [v for v in violations if v.focus == str(nodes[case.focus]) and (case.path is None or v.path == case.path)]
    fragments = [f.format(**{k: str(v) for k, v in nodes.items()}) for f in case.fragments]
    assert any(all(f in v.message for f in fragments) for v in about), \
        f"no violation of <{nodes[case.focus]}> {case.path or ''} says {fragments}:\n" + "\n".join(map(str, violations))


def test_every_violation_belongs_to_a_case(nodes, violations):
    expected_focus = {str(nodes[c.focus]) for c in CASES}
    assert violations and {v.focus for v in violations} <= expected_focus
    assert not any("{$" in v.message or "{?" in v.message for v in violations), "unfilled message template"


def test_positions_count_within_a_level(built, nodes):
    """The first statements of two levels both hold position 1 without a violation (see the conforming graph)."""
    g = built.data_graph
    assert int(g.value(nodes["c1"], SG.position)) == int(g.value(nodes["p1"], SG.position)) == 1
