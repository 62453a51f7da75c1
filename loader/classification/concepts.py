"""SKOS concepts as N-Quads lines, the one writer of the classification importers.

A classification is tens of thousands of concepts (ESCO: about 250,000 triples), so its triples
are written as lines straight away (loader.nquads.QuadLines, in the canonical term form), not
built up in an rdflib Graph. Every hierarchy link is written both ways (skos:broader and
skos:narrower), so that a reader at either end sees it without inference.
"""
from __future__ import annotations

from typing import Iterable

from rdflib import URIRef

from ..graphs import DCTERMS, RDF, SKOS
from ..nquads import QuadLines, en, iri, plain

A = iri(RDF.type)
PREF, ALT, HIDDEN = iri(SKOS.prefLabel), iri(SKOS.altLabel), iri(SKOS.hiddenLabel)
NOTATION, DEFINITION, SCOPE, EXAMPLE, CHANGE = (iri(SKOS.notation), iri(SKOS.definition), iri(SKOS.scopeNote),
                                                iri(SKOS.example), iri(SKOS.changeNote))
IN_SCHEME, TOP_OF, HAS_TOP = iri(SKOS.inScheme), iri(SKOS.topConceptOf), iri(SKOS.hasTopConcept)
BROADER, NARROWER, MEMBER = iri(SKOS.broader), iri(SKOS.narrower), iri(SKOS.member)
DESCRIPTION = iri(DCTERMS.description)
CONCEPT, SCHEME, COLLECTION = iri(SKOS.Concept), iri(SKOS.ConceptScheme), iri(SKOS.Collection)


class Concepts(QuadLines):
    """The lines of one classification graph; IRIs are given as plain strings."""

    def __init__(self, graph: URIRef):
        super().__init__(graph)

    def concept(self, node: str, types: Iterable[str] = (), scheme: str | None = None, notation: str = "",
                label: str = "") -> str:
        """A concept of a scheme, with its notation and preferred label where given; returns its term."""
        s = iri(node)
        self.t(s, A, CONCEPT)
        for cls in types:
            self.t(s, A, iri(cls))
        if scheme:
            self.t(s, IN_SCHEME, iri(scheme))
        if notation:
            self.t(s, NOTATION, plain(notation))
        if label:
            self.t(s, PREF, en(label))
        return s

    def scheme(self, node: str, label: str) -> None:
        self.t(iri(node), A, SCHEME)
        self.t(iri(node), PREF, en(label))

    def collection(self, node: str, label: str) -> None:
        self.t(iri(node), A, COLLECTION)
        self.t(iri(node), PREF, en(label))

    def text(self, node: str, predicate: str, value: str) -> None:
        """An English text, when the cell has one."""
        if value.strip():
            self.t(iri(node), predicate, en(value.strip()))

    def texts(self, node: str, predicate: str, values: Iterable[str]) -> None:
        for value in values:
            self.text(node, predicate, value)

    def link(self, node: str, predicate: str, target: str) -> None:
        self.t(iri(node), predicate, iri(target))

    def broader(self, narrower: str, broader: str) -> None:
        self.t(iri(narrower), BROADER, iri(broader))
        self.t(iri(broader), NARROWER, iri(narrower))

    def top(self, concept: str, scheme: str) -> None:
        self.t(iri(concept), TOP_OF, iri(scheme))
        self.t(iri(scheme), HAS_TOP, iri(concept))
