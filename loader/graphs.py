"""Named graphs and the rdflib terms the mapping modules write with.

Every namespace comes from skillsgraph.vocab, wrapped in rdflib's Namespace (so `SG.Skill` is a
URIRef, made once and then reused: a framework's mapping names its terms tens of thousands of
times, and rdflib checks each new URIRef character by character); the literal helpers give the forms every graph shares (English text, integer positions,
dates of the precision the source gives).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Protocol

from rdflib import Graph, Literal, URIRef
from rdflib import Namespace as _Namespace

from skillsgraph import vocab


class Namespace(_Namespace):
    def __getattr__(self, name: str) -> URIRef:
        term = super().__getattr__(name)
        self.__dict__[name] = term  # found there next time, without a call
        return term


SG = Namespace(vocab.SG)
RDF = Namespace(vocab.RDF)
RDFS = Namespace(vocab.RDFS)
XSD = Namespace(vocab.XSD)
OWL = Namespace(vocab.OWL)
SKOS = Namespace(vocab.SKOS)
DCTERMS = Namespace(vocab.DCTERMS)
DCAT = Namespace(vocab.DCAT)
PROV = Namespace(vocab.PROV)
FOAF = Namespace(vocab.FOAF)
CITO = Namespace(vocab.CITO)
SCHEMA = Namespace(vocab.SCHEMA)
UNIT = Namespace(vocab.UNIT)
SEMAPV = Namespace(vocab.SEMAPV)
SH = Namespace(vocab.SH)
ESCO = Namespace(vocab.ESCO)
ESCO_MODEL = Namespace(vocab.ESCO_MODEL)

LANG = "en"
# The SKOS mapping relations, in the order messages list them.
MAPPING_RELATIONS = ("exactMatch", "closeMatch", "broadMatch", "narrowMatch", "relatedMatch")
# The licence O*NET's and ESCO's publications carry.
CC_BY = URIRef("https://creativecommons.org/licenses/by/4.0/")
# The prefixes a graph's own serialisations (and pyshacl's reports on it) use.
BOUND_PREFIXES = ("sg", "schema", "cito", "skos", "dcterms", "prov", "dcat", "owl", "foaf", "unit")


class Triples(Protocol):
    """Where writers put triples: an rdflib Graph, or loader.nquads.QuadLines for large imports."""

    def add(self, triple: tuple) -> object: ...


@dataclass
class NamedGraph:
    name: URIRef
    graph: Graph


def new_graph() -> Graph:
    # rdflib's plain triple store: the loader's graphs have no named graphs of their own, and it
    # adds and iterates twice as fast as the default store, which keeps each triple's contexts.
    g = Graph(store="SimpleMemory")
    for prefix in BOUND_PREFIXES:
        g.bind(prefix, Namespace(vocab.PREFIXES[prefix]))
    return g


def union(graphs: Iterable[NamedGraph]) -> Graph:
    g = new_graph()
    for ng in graphs:
        g += ng.graph
    return g


def text(value: str) -> Literal:
    return Literal(value, lang=LANG)


def pos(n: int) -> Literal:
    return Literal(n, datatype=XSD.integer)


def date_literal(value: str) -> Literal:
    """YYYY, YYYY-MM or YYYY-MM-DD, typed by its precision."""
    datatype = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}[len(value)]
    return Literal(value, datatype=datatype)
