"""Mapping facts made in the build: the editorial scale mappings of registries/scale-mappings.yaml
and the identity of each O*NET descriptor with its content-model element.

A mapping is a node of its own (sg:Mapping, the OWL axiom-annotation form SSSOM's RDF uses)
with its method, date and, where known, confidence, justification and source; the plain SKOS
triple is written beside it so that simple SPARQL needs no reification (ontology, "Mappings").

Mapping IRIs: <NS>mapping/<dataset>/<subject path>/<object path>, where a path is the node's
IRI below the namespace (scale/mastery/emerging, durable-domain/communication,
onet/element/2.A.1.d): deterministic from codes, and unique because the dataset and both
ends are in it. The mapping writer itself is loader.mapping_rdf's, shared with the crosswalk
importers. This module imports nothing from rdf_mapping, which uses it.
"""
from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

from .iris import Iris
from .mapping_rdf import add_mapping
from .source_data import MASTERY, PROFICIENCY, Registries

EDITORIAL_DATASET = "skillsgraph-editorial"
DESCRIPTORS_DATASET = "onet-descriptors"


def add_element_identity(g: Graph, iris: Iris, descriptor: URIRef, element_id: str) -> None:
    """A descriptor is the O*NET element its ID names: O*NET publishes the ID for the name, so
    the identity is published, not judged; it resolves once a release is imported."""
    add_mapping(g, iris, DESCRIPTORS_DATASET, descriptor, "exactMatch", iris.element(element_id),
                "published-crosswalk")


def scale_mappings_graph(reg: Registries, iris: Iris) -> Graph:
    """The editorial mappings: mastery levels -> proficiency levels, domains -> O*NET skills."""
    g = Graph()
    sm = reg.scale_mappings
    date = Literal(sm.date, datatype=XSD.date)
    for m in sm.levels:
        add_mapping(g, iris, EDITORIAL_DATASET, iris.level(MASTERY, m.mastery), m.relation,
                    iris.level(PROFICIENCY, m.proficiency), "editorial", date=date, justification=_one_line(m.justification))
    for m in sm.domains:
        add_mapping(g, iris, EDITORIAL_DATASET, iris.domain(m.domain), m.relation, iris.element(m.element_id),
                    "editorial", date=date, justification=_one_line(m.justification))
    return g


def _one_line(text: str) -> str:
    return " ".join(text.split())
