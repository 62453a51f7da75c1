"""The code lists (SKOS concept schemes) that published codes are minted in, for the crosswalk and
classification importers alike, so that both describe a scheme in the same words and a crosswalk
hop lands on the classification's own concept.

Each scheme of skillsgraph.iris.CODE_PATHS is <NS>code-list/<scheme>. `classified` schemes have a
classification importer here (loader.classification): the classification gives their concepts
their preferred labels (SKOS allows one per language), so a crosswalk file's title of such a
code is written as a plain rdfs:label, the label that file uses. O*NET-SOC codes have no
classification file of their own: O*NET's crosswalks are where their titles are published.
"""
from __future__ import annotations

from dataclasses import dataclass

from rdflib import Literal, URIRef

from .graphs import RDF, SG, SKOS, Triples, text
from .iris import Iris


@dataclass(frozen=True)
class Scheme:
    cls: URIRef
    label: str
    classified: bool = False


SCHEMES = {
    "onet-soc2019": Scheme(SG.Occupation, "O*NET-SOC 2019"),
    "onet-soc2010": Scheme(SG.CodedConcept, "O*NET-SOC 2010"),
    "soc2018": Scheme(SG.CodedConcept, "2018 Standard Occupational Classification (SOC)", classified=True),
    "cip2020": Scheme(SG.InstructionalProgram, "Classification of Instructional Programs (CIP) 2020", classified=True),
    "cip2010": Scheme(SG.CodedConcept, "Classification of Instructional Programs (CIP) 2010", classified=True),
    "isco08": Scheme(SG.CodedConcept, "ISCO-08", classified=True),
    "esco-code": Scheme(SG.CodedConcept, "ESCO occupation codes"),
}


def add_code_list(g: Triples, iris: Iris, scheme: str) -> URIRef:
    code_list = iris.code_list(scheme)
    g.add((code_list, RDF.type, SKOS.ConceptScheme))
    g.add((code_list, SKOS.prefLabel, text(SCHEMES[scheme].label)))
    return code_list


def add_code(g: Triples, iris: Iris, scheme: str, code: str, cls: URIRef | None = None) -> URIRef:
    """A code's node in its scheme: type, notation and scheme (its labels are the caller's)."""
    iri = iris.code_node(scheme, code)
    g.add((iri, RDF.type, cls or SCHEMES[scheme].cls))
    g.add((iri, SKOS.notation, Literal(code)))
    g.add((iri, SKOS.inScheme, add_code_list(g, iris, scheme)))
    return iri
