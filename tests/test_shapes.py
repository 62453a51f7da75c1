"""The SHACL shapes reject broken RDF on their own, whatever the loader lets through.

Each case takes the valid built graph, changes one thing and runs the shapes through the
loader's validate_graph; the violation must name the broken node and carry the shape's
message for that problem.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Callable

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS, XSD

from graph_support import CITO, NAMESPACE, SCHEMA, SG

REL = URIRef(NAMESPACE + "framework/29-1129.01/v26.05")
OCC = URIRef(NAMESPACE + "occupation/29-1129.01")


@pytest.fixture(scope="module")
def nodes(built):
    """Nodes of the valid graph that the cases break, found by class and label, not by IRI pattern."""
    g = built.data_graph

    def statement(cls, label: str) -> URIRef:
        found = [s for s in g.subjects(SKOS.prefLabel, Literal(label, lang="en")) if (s, RDF.type, cls) in g]
        assert len(found) == 1, (cls, label, found)
        return found[0]

    def level(cls, label: str) -> URIRef:
        found = [s for s in g.subjects(RDF.type, cls) if (s, SKOS.prefLabel, Literal(label, lang="en")) in g]
        assert len(found) == 1
        return found[0]

    def observation(metric_label: str) -> URIRef:
        found = [o for o in g.objects(REL, SG.evidence)
                 if (g.value(o, SG.metric), SKOS.prefLabel, Literal(metric_label, lang="en")) in g]
        assert len(found) == 1
        return found[0]

    first = statement(SG.CompetencyStatement, "Client observation records")
    second = statement(SG.CompetencyStatement, "Art therapy session protocols")
    ai = statement(SG.AIUseStatement, "Session documentation setup")
    return {
        "first": first, "second": second,
        "durable": statement(SG.DurableSkillStatement, "Client intake communication"),
        "ai_citation": g.value(ai, SG.citation),
        "occupation": OCC, "release": REL,
        "cip": next(iter(g.objects(OCC, SG.instructionalProgram))),
        "mastery_emerging": level(SG.MasteryLevel, "Emerging"),
        "proficiency_emerging": level(SG.ProficiencyLevel, "Emerging"),
        "augment_share": observation("Augment share"),
        "quadrant": observation("Quadrant"),
    }


def _set(s, p, o) -> Callable[[Graph], None]:
    return lambda g: g.set((s, p, o))


# (id, the node the violation is about, its path or None, a change, text the message must contain)
CASES: list[tuple[str, str, str | None, Callable[[dict], Callable[[Graph], None]], tuple[str, ...]]] = [
    ("missing-prefLabel", "first", "skos:prefLabel",
     lambda n: lambda g: g.remove((n["first"], SKOS.prefLabel, None)),
     ("needs exactly one non-empty skos:prefLabel with a language tag",)),
    ("two-prefLabels", "first", "skos:prefLabel",
     lambda n: lambda g: g.add((n["first"], SKOS.prefLabel, Literal("Another label", lang="en"))),
     ("needs exactly one non-empty skos:prefLabel", "missing, duplicated, empty or untagged")),
    ("prefLabel-without-language-tag", "first", "skos:prefLabel",
     lambda n: _set(n["first"], SKOS.prefLabel, Literal("Client observation records")),
     ("with a language tag", "untagged")),
    ("malformed-onetSocCode", "occupation", "sg:onetSocCode",
     lambda n: _set(n["occupation"], SG.onetSocCode, Literal("29-1129.1")),
     ("O*NET-SOC code of the form NN-NNNN.NN",)),
    ("malformed-socCode", "occupation", "sg:socCode",
     lambda n: _set(n["occupation"], SG.socCode, Literal("29-112")),
     ("SOC 2018 code of the form NN-NNNN",)),
    ("socCode-not-part-of-onetSocCode", "occupation", None,
     lambda n: _set(n["occupation"], SG.socCode, Literal("29-1128")),
     ("SOC code 29-1128 is not the first part of O*NET-SOC code 29-1129.01",)),
    ("malformed-CIP-notation", "cip", "skos:notation",
     lambda n: _set(n["cip"], SKOS.notation, Literal("51.23")),
     ("CIP code of the form NN.NNNN",)),
    ("statement-without-level", "first", "sg:level",
     lambda n: lambda g: g.remove((n["first"], SG.level, None)),
     ("needs exactly one level (sg:level)",)),
    ("competency-at-a-proficiency-level", "first", "sg:level",
     lambda n: _set(n["first"], SG.level, n["proficiency_emerging"]),
     ("competency and AI-use statements are written at a mastery level", "not at a durable-skill proficiency level")),
    ("durable-statement-at-a-mastery-level", "durable", "sg:level",
     lambda n: _set(n["durable"], SG.level, n["mastery_emerging"]),
     ("durable-skill statements are written at a durable-skill proficiency level", "not at a mastery level")),
    ("empty-statement-text", "first", "sg:statementText",
     lambda n: _set(n["first"], SG.statementText, Literal("", lang="en")),
     ("needs exactly one non-empty statement text",)),
    ("citation-of-an-unknown-source", "ai_citation", "cito:hasCitedEntity",
     lambda n: _set(n["ai_citation"], CITO.hasCitedEntity, URIRef(NAMESPACE + "source/no-such-source")),
     ("not a known sg:Source", "a citation must point to a source in the sources registry")),
    ("percentage-101", "release", None,
     lambda n: _set(n["augment_share"], SCHEMA.value, Literal(Decimal("101"), datatype=XSD.decimal)),
     ("percentage 101 is outside 0-100",)),
    ("unknown-SAFI-quadrant", "release", None,
     lambda n: _set(n["quadrant"], SCHEMA.valueReference, URIRef(NAMESPACE + "code-list/safi-quadrants/Q5_unknown")),
     ("Q5_unknown is not a code of", "unknown codes (such as an unknown SAFI quadrant) are not allowed")),
]


def violations_after(built, change: Callable[[Graph], None]):
    from skillsgraph.loader.validation import validate_graph
    g = Graph()
    g += built.data_graph
    change(g)
    return validate_graph(g, "test")


def test_the_valid_graph_conforms(built):
    from skillsgraph.loader.validation import validate_graph
    assert validate_graph(built.data_graph, "test") == []


@pytest.mark.parametrize("name,focus,path,change,fragments", CASES, ids=[c[0] for c in CASES])
def test_shape_rejects(built, nodes, name, focus, path, change, fragments):
    violations = violations_after(built, change(nodes))
    assert violations, f"{name}: the shapes accepted the broken graph"
    about = [v for v in violations if v.focus == str(nodes[focus]) and (path is None or v.path == path)]
    assert about, "\n".join(map(str, violations))
    assert any(all(f in v.message for f in fragments) for v in about), "\n".join(map(str, about))
    assert not any("{$" in v.message or "{?" in v.message for v in violations), "unfilled message template"


def test_duplicate_position_within_a_level(built, nodes):
    first, second = nodes["first"], nodes["second"]
    taken = built.data_graph.value(first, SG.position)
    violations = violations_after(built, _set(second, SG.position, taken))
    messages = [v.message for v in violations if v.focus == str(nodes["release"])]
    assert any("hold the same position (1) in one level of this release" in m
               and str(first) in m and str(second) in m for m in messages), "\n".join(map(str, violations))


def test_duplicate_label_within_a_level(built, nodes):
    first, second = nodes["first"], nodes["second"]
    label = built.data_graph.value(first, SKOS.prefLabel)
    violations = violations_after(built, _set(second, SKOS.prefLabel, label))
    messages = [v.message for v in violations if v.focus == str(nodes["release"])]
    assert any("have the same label (Client observation records) in one level" in m for m in messages), \
        "\n".join(map(str, violations))


def test_same_position_in_different_levels_is_fine(built, nodes):
    """Positions count within a level: the first statement of two levels may both be 1."""
    g = built.data_graph
    assert g.value(nodes["first"], SG.position) == g.value(nodes["durable"], SG.position)
    assert int(g.value(nodes["first"], SG.position)) == 1
