"""Whether a graph conforms to the shapes, answered fast: the plan of loader.shape_plan evaluated
over plain dictionaries (SHACL Core) and an in-memory Oxigraph store (the SPARQL-based
constraints and targets, each query run once for all focus nodes instead of parsed and run once
per focus node, as pyshacl does).

It answers yes or no, nothing more: loader.validation asks pyshacl for the report when the answer
is no, so every violation anyone reads is pyshacl's own. A "no" where pyshacl finds nothing costs
time; a "yes" where pyshacl would find a violation would let bad data through, so each component
below decides as pyshacl does (the comments say where it is stricter), and anything this module
cannot decide (a shape it could not read, a query Oxigraph rejects, a blank node in a SPARQL
answer) is a "no".

Longer than the layout's 400 lines, for one job: each SHACL Core component is decided here
beside the others, so that each can be read against pyshacl's own in one place.
"""
from __future__ import annotations

import datetime
from decimal import Decimal
from functools import cached_property
from typing import Any, Callable, Iterable

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from .graphs import RDF, RDFS, SH, XSD
from .nquads import triple_lines
from .shape_plan import Plan, Shape

_EMPTY: frozenset = frozenset()


class _Undecided(Exception):
    """Something this module cannot evaluate: the answer is left to pyshacl."""


class Triples:
    """A graph as dictionaries, over an optional shared part (registries and ontology) read once."""

    def __init__(self, triples: Iterable[tuple[Node, Node, Node]], under: Triples | None = None):
        self.under = under
        spo: dict[Node, dict[Node, set[Node]]] = {}
        for s, p, o in triples:
            by_p = spo.get(s)
            if by_p is None:
                spo[s] = {p: {o}}
            else:
                values = by_p.get(p)
                if values is None:
                    by_p[p] = {o}
                else:
                    values.add(o)
        self.spo = spo
        self._supers: dict[Node, set[Node]] = {}

    @cached_property
    def instances(self) -> dict[Node, set[Node]]:
        """rdf:type, read backwards."""
        return self._backwards(RDF.type)

    @cached_property
    def subclasses(self) -> dict[Node, set[Node]]:
        """rdfs:subClassOf, read backwards."""
        return self._backwards(RDFS.subClassOf)

    def _backwards(self, p: Node) -> dict[Node, set[Node]]:
        out: dict[Node, set[Node]] = {}
        for s, by_p in self.spo.items():
            for o in by_p.get(p, ()):
                out.setdefault(o, set()).add(s)
        return out

    def _merged(self, mine: Any, theirs: Any) -> Any:
        if not theirs:
            return mine
        return theirs if not mine else mine | theirs

    def own(self) -> Iterable[tuple[Node, Node, Node]]:
        """The triples read, without the shared part: reading them back from rdflib costs as much
        again as reading them here."""
        for s, by_p in self.spo.items():
            for p, values in by_p.items():
                for o in values:
                    yield s, p, o

    def objects(self, s: Node, p: Node) -> set[Node] | frozenset:
        mine = self.spo.get(s)
        mine = mine.get(p, _EMPTY) if mine else _EMPTY
        return self._merged(mine, self.under.objects(s, p)) if self.under else mine

    def instances_of(self, cls: Node) -> set[Node] | frozenset:
        mine = self.instances.get(cls, _EMPTY)
        return self._merged(mine, self.under.instances_of(cls)) if self.under else mine

    def subjects_of(self, p: Node) -> set[Node] | frozenset:
        mine = {s for s, by_p in self.spo.items() if p in by_p}
        return self._merged(mine, self.under.subjects_of(p)) if self.under else mine

    def objects_of(self, p: Node) -> set[Node]:
        return {o for s in self.subjects_of(p) for o in self.objects(s, p)}

    def direct_subclasses(self, cls: Node) -> set[Node] | frozenset:
        mine = self.subclasses.get(cls, _EMPTY)
        return self._merged(mine, self.under.direct_subclasses(cls)) if self.under else mine

    def subclasses_of(self, cls: Node) -> set[Node]:
        """cls and every class below it (rdfs:subClassOf*, as pyshacl finds a target class's instances)."""
        found, todo = {cls}, [cls]
        while todo:
            for sub in self.direct_subclasses(todo.pop()):
                if sub not in found:
                    found.add(sub)
                    todo.append(sub)
        return found

    def superclasses_of(self, cls: Node) -> set[Node]:
        """cls and every class above it (rdfs:subClassOf*, as sh:class reads it)."""
        if cls not in self._supers:
            found, todo = {cls}, [cls]
            while todo:
                for sup in self.objects(todo.pop(), RDFS.subClassOf):
                    if sup not in found:
                        found.add(sup)
                        todo.append(sup)
            self._supers[cls] = found
        return self._supers[cls]


class Context:
    """What every checked graph is read with: the plan, and the data every graph is validated
    together with (the ontology, and the registries when given), indexed and serialised once.
    Focus nodes that are subjects of the registries are not checked: their violations are the
    registries' own, reported by the registries' run."""

    def __init__(self, plan: Plan, ontology: Graph, registries: Graph | None = None):
        self.plan = plan
        shared = [*ontology, *(registries if registries is not None else ())]
        self.shared = Triples(shared)
        self.shared_ntriples = ntriples(shared)
        self.shared_lines = frozenset(self.shared_ntriples.splitlines(keepends=True))
        self.skipped = frozenset(registries.subjects()) if registries is not None else _EMPTY
        self._store: ox.Store | None = None
        self._uses = 0
        self._compiled: dict[int, Holds] = {}

    def __getstate__(self) -> dict:
        return {**self.__dict__, "_store": None, "_compiled": {}}  # an Oxigraph store stays in its process

    def compiled(self, shape: Shape) -> Holds:
        """shape as one function: whether a node conforms to its SHACL Core constraints (its SPARQL
        constraints are run by _Run for all focus nodes at once)."""
        holds = self._compiled.get(id(shape))
        if holds is None:
            holds = _compile(shape, self._compiled)
        return holds

    def store_with(self, data_ntriples: bytes) -> ox.Store:
        """The shared data in the default graph and data in _CHECKED: one store, loaded with the
        shared data once (per _STORE_USES graphs) and emptied of each graph's data after its checks
        (release_store).

        Queries read the two graphs as one, which counts a triple held by both twice: so the
        data's copies of shared triples are left out. Oxigraph also stores literals in canonical
        form ("01"^^xsd:integer as "1"), merging triples rdflib keeps apart: a graph where that
        happens is left undecided."""
        if self._store is None or self._uses >= _STORE_USES:
            self._store = ox.Store()
            self._store.load(self.shared_ntriples, format=ox.RdfFormat.N_TRIPLES)
            self._uses = 0
        self._uses += 1
        lines = {line for line in data_ntriples.splitlines(keepends=True) if line not in self.shared_lines}
        self._store.load(b"".join(lines), format=ox.RdfFormat.N_TRIPLES, to_graph=_CHECKED)
        if int(next(iter(self._store.query(_COUNT_CHECKED)))["n"].value) != len(lines):
            raise _Undecided("Oxigraph merged literals that rdflib keeps apart")
        return self._store

    def release_store(self) -> None:
        if self._store is not None:
            self._store.clear_graph(_CHECKED)


_CHECKED = ox.NamedNode("urn:x-skillsgraph:checked-graph")
# Oxigraph keeps every string a store has held, emptied graphs included, and slows as they pile
# up: a store serves this many graphs, then a new one is made.
_STORE_USES = 20
_COUNT_CHECKED = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <urn:x-skillsgraph:checked-graph> { ?s ?p ?o } }"


def ntriples(triples: Iterable[tuple[Node, Node, Node]]) -> bytes:
    """N-Triples for Oxigraph; raises ValueError for a term N-Triples cannot hold."""
    return "".join(triple_lines(triples)).encode("utf-8")


def conforms(data: Graph, context: Context, data_ntriples: bytes | None = None) -> bool:
    """True only if pyshacl would find no violation in data (with the context's shared data) outside
    the skipped focus nodes. data_ntriples, when given, must be data as N-Triples."""
    try:
        return _Run(data, context, data_ntriples).conforms()
    except (_Undecided, RecursionError):  # pyshacl stops a shape that recurses: so does pyshacl's run here
        return False
    finally:
        context.release_store()


class _Run:
    def __init__(self, data: Graph, context: Context, data_ntriples: bytes | None):
        self.context = context
        self.triples = Triples(data, under=context.shared)
        self.data = data
        self.data_ntriples = data_ntriples
        self._store: ox.Store | None = None  # loaded on the first query

    def conforms(self) -> bool:
        for shape in self.context.plan.shapes:
            focus = self.focus_nodes(shape) - self.context.skipped
            if not focus:
                continue
            if shape.opaque:
                raise _Undecided(shape.opaque)
            failing = self.sparql_failures(shape)
            holds = self.context.compiled(shape)
            for node in focus:
                if node in failing or not holds(self, node):
                    return False
        return True

    def focus_nodes(self, shape: Shape) -> set[Node]:
        t = self.triples
        found: set[Node] = set(shape.target_nodes)
        for target in shape.target_classes:
            for cls in t.subclasses_of(target):
                found |= t.instances_of(cls)
        for p in shape.target_subjects_of:
            found |= t.subjects_of(p)
        for p in shape.target_objects_of:
            found |= t.objects_of(p)
        for query in shape.target_queries:
            found |= self.this_values(query)
        return found

    def sparql_failures(self, shape: Shape) -> set[Node]:
        failing: set[Node] = set()
        for query in shape.queries:
            failing |= self.this_values(query)
        return failing

    def this_values(self, query: str) -> set[Node]:
        """?this of every answer; any answer without an IRI there leaves the question undecided."""
        try:
            solutions = list(self.store().query(query, use_default_graph_as_union=True))
        except (SyntaxError, OSError, ValueError) as exc:
            raise _Undecided(str(exc)) from None
        out = set()
        for solution in solutions:
            try:
                this = solution["this"]
            except KeyError:
                this = None
            if not isinstance(this, ox.NamedNode):
                raise _Undecided("an answer whose ?this is not an IRI")
            out.add(URIRef(this.value))
        return out

    def store(self) -> ox.Store:
        if self._store is None:
            try:
                payload = self.data_ntriples if self.data_ntriples is not None else ntriples(self.triples.own())
                self._store = self.context.store_with(payload)
            except (SyntaxError, OSError, ValueError) as exc:
                raise _Undecided(str(exc)) from None
        return self._store



# ---- the constraint components, each as pyshacl evaluates it --------------------------------

Holds = Callable[["_Run", Node], bool]   # does a node conform to a shape?
Check = Callable[["_Run", Any], bool]    # do a shape's value nodes meet one constraint?


def _compile(shape: Shape, compiled: dict[int, Holds]) -> Holds:
    checks: list[Check] = []
    path = shape.path

    def holds(run: _Run, focus: Node) -> bool:
        values = run.triples.objects(focus, path) if path is not None else (focus,)
        for check in checks:
            if not check(run, values):
                return False
        return True
    compiled[id(shape)] = holds  # before its constraints: a shape may reach itself
    checks += [_check(kind, arg, compiled) for kind, arg in shape.constraints]
    return holds


def _nested(shape: Shape, compiled: dict[int, Holds]) -> Holds:
    """A shape reached through sh:property, sh:node or a logical constraint."""
    if shape.opaque or shape.queries:
        def undecided(run: _Run, focus: Node) -> bool:
            raise _Undecided(shape.opaque or "a SPARQL constraint in a nested shape")
        return undecided
    return compiled.get(id(shape)) or _compile(shape, compiled)


def _check(kind: str, arg: Any, compiled: dict[int, Holds]) -> Check:
    if kind in ("property", "node"):
        sub = _nested(arg, compiled)
        return lambda run, values: all(sub(run, v) for v in values)
    if kind == "not":
        sub = _nested(arg, compiled)
        return lambda run, values: not any(sub(run, v) for v in values)
    if kind in ("and", "or", "xone"):
        subs = [_nested(s, compiled) for s in arg]
        if kind == "and":
            return lambda run, values: all(all(h(run, v) for h in subs) for v in values)
        if kind == "or":
            return lambda run, values: all(any(h(run, v) for h in subs) for v in values)
        return lambda run, values: all(sum(h(run, v) for h in subs) == 1 for v in values)
    return _VALUE_CHECKS[kind](arg)


def _datatype_matches(v: Node, datatype: Node) -> bool:
    if not isinstance(v, Literal):
        return False
    if v.datatype == datatype:
        return getattr(v, "ill_typed", None) is not True and _value_fits(v, datatype)
    if datatype == RDFS.Literal:
        return True
    if datatype == RDFS.Datatype and v.datatype:
        return True
    if v.datatype is None and v.language is None and datatype == XSD.string:
        return _value_fits(v, datatype)
    return bool(datatype == RDF.langString and v.language and _value_fits(v, datatype))


_PYTHON_TYPES = {XSD.string: (str, bytes), RDF.langString: (str, bytes), XSD.integer: int, XSD.float: float,
                 XSD.decimal: Decimal, XSD.boolean: bool, XSD.date: datetime.date, XSD.time: datetime.time,
                 XSD.dateTime: datetime.datetime}


def _value_fits(v: Literal, datatype: Node) -> bool:
    expected = _PYTHON_TYPES.get(datatype)
    return expected is None or isinstance(v.value, expected)


def _as_text(v: Node) -> str:
    if isinstance(v, Literal) and v.value is not None and v.datatype in (None, RDF.langString, XSD.string):
        return str(v.value)
    return str(v)


def _language_matches(v: Node, languages: frozenset) -> bool:
    if not isinstance(v, Literal) or not v.language:
        return False
    lang = str(v.language).lower()
    return "*" in languages or lang in languages or lang.split("-")[0] in languages


def _class_check(cls: Node) -> Check:
    def check(run: _Run, values: Any) -> bool:
        t = run.triples
        for v in values:
            if isinstance(v, Literal) or not any(cls in t.superclasses_of(c) for c in t.objects(v, RDF.type)):
                return False
        return True
    return check


def _node_kind(v: Node, kind: Node) -> bool:
    if isinstance(v, BNode):
        return kind in (SH.BlankNode, SH.BlankNodeOrLiteral, SH.BlankNodeOrIRI)
    if isinstance(v, Literal):
        return kind in (SH.Literal, SH.BlankNodeOrLiteral, SH.IRIOrLiteral)
    return kind in (SH.IRI, SH.IRIOrLiteral, SH.BlankNodeOrIRI)


def _number(v: Node) -> Any:
    """A literal's value when it is a plain number, else None. Ranges pass only for numbers
    (stricter than pyshacl, which also orders dates and strings: those values are left to it)."""
    if isinstance(v, Literal) and getattr(v, "ill_typed", None) is not True:
        value = v.value
        if isinstance(value, (int, Decimal, float)) and not isinstance(value, bool) and value == value:
            return value
    return None


def _in_range(compare: Callable[[Any, Any], bool]) -> Callable[[Any], Check]:
    def make(bound: Node) -> Check:
        limit = _number(bound)
        return lambda run, values: limit is not None and all(
            (n := _number(v)) is not None and compare(n, limit) for v in values)
    return make


def _each(test: Callable[[Node], bool]) -> Check:
    return lambda run, values: all(test(v) for v in values)


def _min_length(n: int) -> Callable[[Node], bool]:
    return lambda v: n == 0 or (not isinstance(v, BNode) and len(_as_text(v)) >= n)


_VALUE_CHECKS: dict[str, Callable[[Any], Check]] = {
    "minCount": lambda n: (lambda run, values, n=int(n.value): len(values) >= n),
    "maxCount": lambda n: (lambda run, values, n=int(n.value): len(values) <= n),
    "datatype": lambda d: _each(lambda v: _datatype_matches(v, d)),
    "minLength": lambda n: _each(_min_length(n.value)),
    "maxLength": lambda n: _each(lambda v: not isinstance(v, BNode) and len(_as_text(v)) <= n.value),
    "pattern": lambda rx: _each(lambda v: not isinstance(v, BNode) and rx.search(_as_text(v)) is not None),
    "languageIn": lambda langs: _each(lambda v: _language_matches(v, langs)),
    "class": _class_check,
    "nodeKind": lambda kind: _each(lambda v: _node_kind(v, kind)),
    "in": lambda allowed: _each(lambda v: v in allowed),
    "hasValue": lambda wanted: (lambda run, values: any(v == wanted for v in values)),
    "minInclusive": _in_range(lambda v, m: v >= m),
    "maxInclusive": _in_range(lambda v, m: v <= m),
    "minExclusive": _in_range(lambda v, m: v > m),
    "maxExclusive": _in_range(lambda v, m: v < m),
}


__all__ = ["Context", "Triples", "conforms", "ntriples"]
