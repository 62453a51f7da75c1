"""Broken copies of a valid graph, one per constraint of the shapes: for every property constraint
of every targeted shape that has a focus node in the graph, a change to one focus node that breaks
that constraint (a missing value, one too many, the wrong datatype, language, length, pattern,
class, range, list member or node kind), plus hand-made faults for the node-level, SPARQL-based
and lineage constraints. tests/test_conformance.py runs pyshacl over them (each fault must be
reported where it was made) and the fast check (each fault alone must be caught).
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Callable

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, SKOS, XSD
from rdflib.term import Node

from graph_support import NAMESPACE, SG
from skillsgraph.loader.conformance import Context, _Run
from skillsgraph.loader.shape_plan import Plan, Shape

SH = "http://www.w3.org/ns/shacl#"
UNKNOWN = URIRef(NAMESPACE + "no-such-node")


@dataclass(frozen=True)
class Fault:
    name: str
    focus: URIRef  # the node pyshacl must report
    path: URIRef | None  # the path it must report (None: a node-level or SPARQL-based constraint)
    change: Callable[[Graph], None]


def constraint_faults(plan: Plan, context: Context, graph: Graph) -> list[Fault]:
    """One fault per (targeted shape, property shape, constraint) with a focus node in graph,
    spreading the faults of one shape over its focus nodes."""
    run = _Run(graph, context, None)
    out: list[Fault] = []
    for shape in sorted(plan.shapes, key=lambda s: str(s.node)):
        if shape.target_queries:
            continue  # focus nodes chosen by a query: the hand-made faults cover them
        focus = sorted(run.focus_nodes(shape), key=str)
        if not focus:
            continue
        n = 0
        for kind, prop in shape.constraints:
            if kind != "property":
                continue
            for ckind, arg in prop.constraints:
                change = _breaking(ckind, arg, prop.path, graph)
                if change is None:
                    continue
                node = focus[n % len(focus)]
                n += 1
                out.append(Fault(f"{_short(shape.node)}/{_short(prop.path)}/{ckind}", node, prop.path,
                                 _on(node, change)))
    return out


def _on(node: URIRef, change: Callable[[Graph, URIRef], None]) -> Callable[[Graph], None]:
    return lambda g: change(g, node)


def _short(node: Node) -> str:
    text = str(node)
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _replace(value: Callable[[Graph, URIRef, URIRef], Node]) -> Callable[[URIRef], Callable]:
    def on_path(path: URIRef) -> Callable[[Graph, URIRef], None]:
        def change(g: Graph, node: URIRef) -> None:
            new = value(g, node, path)
            g.remove((node, path, None))
            g.add((node, path, new))
        return change
    return on_path


def _like(g: Graph, node: URIRef, path: URIRef, text: str) -> Literal:
    """A literal with the given text and the datatype or language of the node's current value."""
    old = g.value(node, path)
    if isinstance(old, Literal):
        return Literal(text, lang=old.language, datatype=old.datatype)
    return Literal(text)


def _breaking(kind: str, arg, path: URIRef, graph: Graph) -> Callable[[Graph, URIRef], None] | None:
    if kind == "minCount":
        return (lambda g, node: g.remove((node, path, None))) if int(arg) > 0 else None
    if kind == "maxCount":
        def add_values(g: Graph, node: URIRef) -> None:
            old = g.value(node, path)
            for i in range(int(arg) + 1):
                number = isinstance(old, Literal) and isinstance(old.value, (int, Decimal)) and old.datatype
                extra = Literal(old.value + 1000 + i, datatype=old.datatype) if number else _like(g, node, path, f"extra {i}")
                g.add((node, path, extra))
        return add_values
    if kind == "datatype":
        wrong = Literal("wrong type") if arg == RDF.langString else Literal("wrong type", lang="en")
        return _replace(lambda g, node, p: wrong)(path)
    if kind == "languageIn":
        return _replace(lambda g, node, p: Literal(str(g.value(node, p) or "text"), lang="de"))(path)
    if kind == "minLength":
        return _replace(lambda g, node, p: _like(g, node, p, ""))(path) if int(arg) > 0 else None
    if kind == "maxLength":
        return _replace(lambda g, node, p: _like(g, node, p, "x" * (int(arg) + 1)))(path)
    if kind == "pattern":
        return _replace(lambda g, node, p: _like(g, node, p, " "))(path)
    if kind == "class":
        return _replace(lambda g, node, p: UNKNOWN)(path)
    if kind in ("minInclusive", "minExclusive", "maxInclusive", "maxExclusive"):
        step = -1 if kind.startswith("min") else 1
        return _replace(lambda g, node, p: Literal(arg.value + step, datatype=arg.datatype))(path)
    if kind == "in":
        return _replace(lambda g, node, p: Literal("not one of the listed values"))(path)
    if kind == "nodeKind":
        return _replace(lambda g, node, p: Literal("not an IRI") if arg == URIRef(SH + "IRI") else UNKNOWN)(path)
    if kind == "hasValue":
        return _replace(lambda g, node, p: Literal("not the wanted value"))(path)
    if kind == "or":
        return _replace(lambda g, node, p: Literal("matches none of the alternatives", lang="en"))(path)
    return None


def first(graph: Graph, cls: URIRef) -> URIRef:
    return sorted(graph.subjects(RDF.type, cls), key=str)[0]


def hand_made_faults(graph: Graph) -> list[Fault]:
    """The node-level and SPARQL-based constraints, and shapes whose targets no valid graph has."""
    occupation = first(graph, SG.Occupation)
    release = first(graph, SG.FrameworkRelease)
    statements = sorted((s for s in graph.subjects(SG.framework, release)
                         if (s, RDF.type, SG.CompetencyStatement) in graph), key=str)
    observations = sorted(graph.objects(release, SG.evidence), key=str)
    percent = next(o for o in observations if (o, URIRef("https://schema.org/unitCode"),
                                              URIRef("http://qudt.org/vocab/unit/PERCENT")) in graph)
    referenced = next(o for o in observations if (o, URIRef("https://schema.org/valueReference"), None) in graph)
    maximum = next((o for o in observations if (o, URIRef("https://schema.org/maxValue"), None) in graph), None)
    proficiency = first(graph, SG.ProficiencyLevel)
    scale = first(graph, SG.LevelScale)
    levels = sorted(graph.subjects(SKOS.inScheme, scale), key=str)
    mapping = first(graph, SG.Mapping)
    editorial = next(m for m in sorted(graph.subjects(RDF.type, SG.Mapping), key=str)
                     if (m, SG.justification, None) in graph)
    schema = "https://schema.org/"
    faults = [
        Fault("soc-code-not-a-prefix-of-the-onet-code", occupation, None,
              lambda g: g.set((occupation, SG.socCode, Literal("11-1111")))),
        Fault("two-statements-share-a-position", release, None,
              lambda g: g.set((statements[1], SG.position, g.value(statements[0], SG.position)))),
        Fault("two-statements-share-a-label", release, None,
              lambda g: g.set((statements[3], SKOS.prefLabel, g.value(statements[2], SKOS.prefLabel)))),
        Fault("percentage-above-100", release, None,
              lambda g: g.set((percent, URIRef(schema + "value"), Literal(Decimal("101"), datatype=XSD.decimal)))),
        Fault("unknown-code-of-a-code-list", release, None,
              lambda g: g.set((referenced, URIRef(schema + "valueReference"), UNKNOWN))),
        Fault("evidence-with-a-value-and-a-reference", referenced, None,
              lambda g: g.add((referenced, URIRef(schema + "value"), Literal(Decimal("1"), datatype=XSD.decimal)))),
        Fault("a-level-of-both-scales", proficiency, None,
              lambda g: g.add((proficiency, RDF.type, SG.MasteryLevel))),
        Fault("two-levels-share-a-rank", scale, None,
              lambda g: g.set((levels[1], SG.rank, g.value(levels[0], SG.rank)))),
        Fault("mapping-without-its-plain-triple", mapping, OWL.annotatedSource,
              lambda g: g.remove((g.value(mapping, OWL.annotatedSource), g.value(mapping, OWL.annotatedProperty),
                                  g.value(mapping, OWL.annotatedTarget)))),
        Fault("editorial-mapping-without-justification", editorial, SG.justification,
              lambda g: g.remove((editorial, SG.justification, None))),
        Fault("deprecated-non-statement", occupation, None,
              lambda g: g.add((occupation, OWL.deprecated, Literal(True)))),
        Fault("crosswalk-row-without-its-release", UNKNOWN, None,
              lambda g: g.add((UNKNOWN, SG.crosswalkRow, Literal(3)))),
        Fault("crosswalk-release-without-anything", URIRef(NAMESPACE + "crosswalk/x"), None,
              lambda g: g.add((URIRef(NAMESPACE + "crosswalk/x"), RDF.type, SG.CrosswalkRelease))),
    ]
    if maximum is not None:
        faults.append(Fault("score-above-its-maximum", release, None,
                            lambda g: g.set((maximum, URIRef(schema + "value"),
                                             Literal(g.value(maximum, URIRef(schema + "maxValue")).value + 1)))))
    return faults


def lineage_faults(graph: Graph, old: URIRef, new: URIRef) -> list[Fault]:
    """Deprecation links that point backwards in time (graph holds two releases of one framework)."""
    olds = sorted((s for s in graph.subjects(SG.framework, old) if (s, RDF.type, SG.CompetencyStatement) in graph), key=str)
    news = sorted((s for s in graph.subjects(SG.framework, new) if (s, RDF.type, SG.CompetencyStatement) in graph), key=str)
    a, b = olds[0], olds[1]

    def replaced_by_an_older(g: Graph) -> None:
        g.add((a, OWL.deprecated, Literal(True)))
        g.add((a, SG.deprecatedIn, new))
        g.add((a, DCTERMS.isReplacedBy, olds[2]))

    def deprecated_in_its_own_release(g: Graph) -> None:
        g.add((b, OWL.deprecated, Literal(True)))
        g.add((b, SG.deprecatedIn, old))
        g.add((b, DCTERMS.isReplacedBy, news[0]))

    def deprecated_without_successor_or_note(g: Graph) -> None:
        c = olds[3]
        g.add((c, OWL.deprecated, Literal(True)))
        g.add((c, SG.deprecatedIn, new))
    return [Fault("replaced-by-an-older-statement", a, None, replaced_by_an_older),
            Fault("deprecated-in-its-own-release", b, None, deprecated_in_its_own_release),
            Fault("deprecated-without-successor-or-note", olds[3], None, deprecated_without_successor_or_note)]


def applied(graph: Graph, faults: list[Fault]) -> Graph:
    g = Graph()
    g += graph
    for fault in faults:
        fault.change(g)
    return g


class Journal(Graph):
    """A copy of a graph that can take back the changes made to it: one copy serves every fault."""

    def __init__(self, graph: Graph):
        super().__init__(store="SimpleMemory")
        self += graph
        self.log: list[tuple[str, tuple]] = []
        from skillsgraph.loader.nquads import triple_lines
        self._lines = triple_lines(graph)  # the unchanged graph's N-Triples

    def ntriples(self) -> bytes:
        """The graph as it is now, as N-Triples (what the build hands the fast check with each
        graph): the unchanged graph's lines, written once, with the changes the log holds."""
        from skillsgraph.loader.nquads import triple_lines
        added, removed = set(), set()
        for undo, triple in self.log:  # "remove" undoes an addition, "add" a removal
            (added if undo == "remove" else removed).add(triple)
            (removed if undo == "remove" else added).discard(triple)
        lines = (self._lines - triple_lines(removed)) | triple_lines(added)
        return "".join(lines).encode("utf-8")

    def add(self, triple):
        if triple not in self:
            self.log.append(("remove", triple))
        return super().add(triple)

    def remove(self, pattern):
        for triple in list(self.triples(pattern)):
            self.log.append(("add", triple))
        return super().remove(pattern)

    @contextmanager
    def changed_by(self, fault: Fault):
        fault.change(self)
        try:
            yield self
        finally:
            for op, triple in reversed(self.log):
                getattr(Graph, op)(self, triple)
            self.log.clear()


def batches(faults: list[Fault]) -> list[list[Fault]]:
    """Faults grouped for one pyshacl run per group, so that each violation belongs to one fault:
    a change to one property of a node only breaks constraints on that property, so no two faults
    of a group break the same property of the same node; and a fault found by its node alone (path
    None: a node-level or SPARQL-based constraint) or one that changes its node's type (which
    shapes target it) shares its node with no other fault of its group."""
    groups: list[tuple[list[Fault], set]] = []
    for fault in faults:
        alone = fault.path is None or fault.path == RDF.type
        keys = {(fault.focus, fault.path), (fault.focus, None)}
        for group, taken in groups:
            if (fault.focus, fault.path) not in taken and (fault.focus, None) not in taken \
                    and (not alone or all(f.focus != fault.focus for f in group)):
                group.append(fault)
                taken.update(keys if alone else {(fault.focus, fault.path)})
                break
        else:
            groups.append(([fault], keys if alone else {(fault.focus, fault.path)}))
    return [group for group, _taken in groups]


__all__ = ["Fault", "Journal", "applied", "batches", "constraint_faults", "hand_made_faults", "lineage_faults"]
