"""Named graphs and the rdflib terms the mapping modules write with.

Every namespace comes from skillsgraph.vocab, wrapped in rdflib's Namespace (so `SG.Skill` is a
URIRef); the literal helpers give the forms every graph shares (English text, integer positions,
dates of the precision the source gives).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Protocol

from rdflib import Graph, Literal, Namespace, URIRef

from skillsgraph import vocab


class _Namespace(Namespace):
    """rdflib's Namespace, each term made once: importers name the same terms on every row, and
    rdflib makes a new URIRef on every attribute access."""

    def __getattr__(self, name: str) -> URIRef:
        value = super().__getattr__(name)
        self.__dict__[name] = value
        return value


SG = _Namespace(vocab.SG)
RDF = _Namespace(vocab.RDF)
RDFS = _Namespace(vocab.RDFS)
XSD = _Namespace(vocab.XSD)
OWL = _Namespace(vocab.OWL)
SKOS = _Namespace(vocab.SKOS)
DCTERMS = _Namespace(vocab.DCTERMS)
DCAT = _Namespace(vocab.DCAT)
PROV = _Namespace(vocab.PROV)
FOAF = _Namespace(vocab.FOAF)
CITO = _Namespace(vocab.CITO)
SCHEMA = _Namespace(vocab.SCHEMA)
UNIT = _Namespace(vocab.UNIT)
SEMAPV = _Namespace(vocab.SEMAPV)
SH = _Namespace(vocab.SH)
ESCO = _Namespace(vocab.ESCO)
ESCO_MODEL = _Namespace(vocab.ESCO_MODEL)

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
    g = Graph()
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
