"""The SHACL shapes read into plain Python once: what each shape targets and what it requires,
for loader.conformance to evaluate without pyshacl.

Only the constraint components and targets SHACL Core and SPARQL define and the shapes use are
read. A shape using anything else (a path that is not one predicate, an unknown sh: parameter,
a SPARQL constraint on a property shape) is marked `opaque` with what was not understood:
loader.conformance never answers for such a shape, which leaves the answer to pyshacl.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from .graphs import OWL, RDF, RDFS, SH

# Parameters that say nothing about conformance (sh:flags is read with sh:pattern).
_NEUTRAL = {SH.message, SH.name, SH.description, SH.order, SH.group, SH.severity, SH.path, SH.flags,
            SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target,
            SH.prefixes, SH.declare, SH.defaultValue}
_VALUE = {SH.minCount, SH.maxCount, SH.datatype, SH.minLength, SH.maxLength, SH["class"], SH.nodeKind,
          SH.hasValue, SH.minInclusive, SH.maxInclusive, SH.minExclusive, SH.maxExclusive}
_LISTS = {SH.languageIn, SH["in"]}
_SHAPE_LISTS = {SH["or"]: "or", SH.xone: "xone", SH["and"]: "and"}
_SHAPES = {SH.property: "property", SH["not"]: "not", SH.node: "node"}


@dataclass(eq=False)
class Shape:
    node: Node
    path: URIRef | None = None  # a property shape's predicate
    target_classes: list[URIRef] = field(default_factory=list)
    target_nodes: list[Node] = field(default_factory=list)
    target_subjects_of: list[URIRef] = field(default_factory=list)
    target_objects_of: list[URIRef] = field(default_factory=list)
    target_queries: list[str] = field(default_factory=list)  # SPARQL targets, prefixes applied: SELECT ?this
    constraints: list[tuple[str, Any]] = field(default_factory=list)  # (component, its parameter)
    queries: list[str] = field(default_factory=list)  # SPARQL constraints, prefixes applied, $this unbound
    opaque: list[str] = field(default_factory=list)  # what this module could not read

    @property
    def targeted(self) -> bool:
        return bool(self.target_classes or self.target_nodes or self.target_subjects_of
                    or self.target_objects_of or self.target_queries)


@dataclass(frozen=True)
class Plan:
    shapes: list[Shape]  # every shape with a target

    @property
    def opaque(self) -> dict[str, list[str]]:
        """What could not be read, by shape, over every shape reachable from a targeted one."""
        seen: dict[int, Shape] = {}
        todo = list(self.shapes)
        while todo:
            shape = todo.pop()
            if id(shape) not in seen:
                seen[id(shape)] = shape
                todo += [s for _kind, arg in shape.constraints for s in _nested(arg)]
        return {str(s.node): s.opaque for s in seen.values() if s.opaque}


def _nested(arg: Any) -> list[Shape]:
    if isinstance(arg, Shape):
        return [arg]
    if isinstance(arg, tuple) and arg and all(isinstance(a, Shape) for a in arg):
        return list(arg)
    return []


@lru_cache(maxsize=4)
def plan_of(shapes: Graph) -> Plan:
    """The plan of a shapes graph (rdflib graphs hash by identity, so each graph is read once)."""
    return _Reader(shapes).plan()


class _Reader:
    def __init__(self, g: Graph):
        self.g = g
        self.shapes: dict[Node, Shape] = {}

    def plan(self) -> Plan:
        targeted = {s for p in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)
                    for s in self.g.subjects(p, None)}
        shape_types = (SH.NodeShape, SH.PropertyShape)
        for cls in (RDFS.Class, OWL.Class):  # a shape that is also a class targets its instances
            targeted |= {s for s in self.g.subjects(RDF.type, cls) if any((s, RDF.type, t) in self.g for t in shape_types)}
        return Plan([self.shape(node) for node in targeted])

    def shape(self, node: Node) -> Shape:
        if node in self.shapes:
            return self.shapes[node]
        shape = self.shapes[node] = Shape(node)
        g = self.g
        path = g.value(node, SH.path)
        if path is not None:
            if isinstance(path, URIRef):
                shape.path = path
            else:
                shape.opaque.append("a path that is not a single predicate")
        shape.target_classes = list(g.objects(node, SH.targetClass))
        if any((node, RDF.type, c) in g for c in (RDFS.Class, OWL.Class)):
            shape.target_classes.append(node)
        shape.target_nodes = list(g.objects(node, SH.targetNode))
        shape.target_subjects_of = list(g.objects(node, SH.targetSubjectsOf))
        shape.target_objects_of = list(g.objects(node, SH.targetObjectsOf))
        for target in g.objects(node, SH.target):
            if (target, RDF.type, SH.SPARQLTarget) in g and g.value(target, SH.select) is not None:
                shape.target_queries.append(self.query_text(target))
            else:
                shape.opaque.append("a target that is not a SPARQL target")
        for p, o in g.predicate_objects(node):
            self.parameter(shape, p, o)
        return shape

    def parameter(self, shape: Shape, p: Node, o: Node) -> None:
        if not str(p).startswith(str(SH)) or p in _NEUTRAL:
            return
        name = str(p)[len(str(SH)):]
        if p in _VALUE:
            shape.constraints.append((name, o))
        elif p == SH.pattern:
            shape.constraints.append((name, self.pattern(shape.node, o)))
        elif p in _LISTS:
            items = tuple(self.g.items(o))
            shape.constraints.append((name, frozenset(str(i).lower() for i in items) if p == SH.languageIn else items))
        elif p in _SHAPES:
            shape.constraints.append((_SHAPES[p], self.shape(o)))
        elif p in _SHAPE_LISTS:
            shape.constraints.append((_SHAPE_LISTS[p], tuple(self.shape(s) for s in self.g.items(o))))
        elif p == SH.sparql:
            self.sparql(shape, o)
        elif p == SH.deactivated and o == Literal(False):
            return
        else:
            shape.opaque.append(f"sh:{name}")

    def pattern(self, node: Node, pattern: Node) -> re.Pattern:
        # As pyshacl compiles it: sh:flags "i" and "m", nothing else.
        flags = str(self.g.value(node, SH.flags) or "").lower()
        return re.compile(str(pattern), (re.I if "i" in flags else 0) | (re.M if "m" in flags else 0))

    def sparql(self, shape: Shape, constraint: Node) -> None:
        text = self.g.value(constraint, SH.select)
        if shape.path is not None:
            shape.opaque.append("a SPARQL constraint on a property shape")
        elif text is None or self.g.value(constraint, SH.deactivated) == Literal(True):
            shape.opaque.append("a SPARQL constraint without sh:select")
        elif re.search(r"[?$](currentShape|shapesGraph|PATH)\b", str(text)):
            shape.opaque.append("a SPARQL constraint using $currentShape, $shapesGraph or $PATH")
        else:
            shape.queries.append(self.query_text(constraint))

    def query_text(self, node: Node) -> str:
        prefixes = {}
        for declaring in self.g.objects(node, SH.prefixes):
            for declare in self.g.objects(declaring, SH.declare):
                prefixes[str(self.g.value(declare, SH.prefix))] = str(self.g.value(declare, SH.namespace))
        head = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(prefixes.items()))
        return head + str(self.g.value(node, SH.select))


__all__ = ["Plan", "Shape", "plan_of"]
