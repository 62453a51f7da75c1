"""Mapping facts made in the build: the editorial scale mappings of registries/scale-mappings.yaml
and the identity of each O*NET descriptor with its content-model element.

A mapping is a node of its own (sg:Mapping, the OWL axiom-annotation form SSSOM's RDF uses)
with its method, date and, where known, confidence, justification and source; the plain SKOS
triple is written beside it so that simple SPARQL needs no reification (ontology, "Mappings").

Mapping IRIs: <NS>mapping/<dataset>/<subject path>/<object path>, where a path is the node's
IRI below the namespace (scale/mastery/emerging, durable-domain/communication,
onet/element/2.A.1.d): deterministic from codes, and unique because the dataset and both
ends are in it. This module imports nothing from rdf_mapping, which uses it.
"""
from __future__ import annotations

from decimal import Decimal

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, SKOS, XSD

from skillsgraph.config import ONTOLOGY_NS

from .iris import Iris
from .source_data import MASTERY, PROFICIENCY, Registries

SG = Namespace(ONTOLOGY_NS)
EDITORIAL_DATASET = "skillsgraph-editorial"
DESCRIPTORS_DATASET = "onet-descriptors"
METHODS = {
    "published-crosswalk": "published crosswalk",
    "editorial": "editorial judgement",
    "machine-suggestion": "machine suggestion",
}
RELATIONS = {name: SKOS[name] for name in ("exactMatch", "closeMatch", "broadMatch", "narrowMatch", "relatedMatch")}


def method_iri(iris: Iris, method: str) -> URIRef:
    return URIRef(f"{iris.ns}mapping-method/{method}")


def element_iri(iris: Iris, element_id: str) -> URIRef:
    """An O*NET content-model element, as the O*NET importer mints it (loader.onet_rdf)."""
    return URIRef(f"{iris.ns}onet/element/{element_id}")


def mapping_iri(iris: Iris, dataset: str, subject: URIRef, obj: URIRef) -> URIRef:
    return URIRef(f"{iris.ns}mapping/{dataset}/{_path(iris, subject)}/{_path(iris, obj)}")


def _path(iris: Iris, node: URIRef) -> str:
    value = str(node)
    if not value.startswith(iris.ns):
        raise ValueError(f"{value} is not under the namespace {iris.ns}: a mapping IRI needs a path for it")
    return value[len(iris.ns):]


def add_method(g: Graph, iris: Iris, method: str) -> URIRef:
    """The method concept, written into each graph that uses it so the graph validates alone."""
    m = method_iri(iris, method)
    scheme = URIRef(f"{iris.ns}mapping-method")
    g.add((m, RDF.type, SG.MappingMethod))
    g.add((m, SKOS.prefLabel, Literal(METHODS[method], lang="en")))
    g.add((m, SKOS.notation, Literal(method)))
    g.add((m, SKOS.inScheme, scheme))
    g.add((scheme, RDF.type, SKOS.ConceptScheme))
    g.add((scheme, SKOS.prefLabel, Literal("Mapping methods", lang="en")))
    return m


def add_mapping(g: Graph, iris: Iris, dataset: str, subject: URIRef, relation: str, obj: URIRef, method: str, *,
                date: Literal | None = None, confidence: Decimal | None = None, justification: str | None = None,
                derived_from: URIRef | None = None) -> URIRef:
    """One mapping node and its plain SKOS triple."""
    node = mapping_iri(iris, dataset, subject, obj)
    prop = RELATIONS[relation]
    g.add((subject, prop, obj))
    g.add((node, RDF.type, SG.Mapping))
    g.add((node, OWL.annotatedSource, subject))
    g.add((node, OWL.annotatedProperty, prop))
    g.add((node, OWL.annotatedTarget, obj))
    g.add((node, SG.mappingMethod, add_method(g, iris, method)))
    if date is not None:
        g.add((node, DCTERMS.date, date))
    if confidence is not None:
        g.add((node, SG.confidence, Literal(confidence, datatype=XSD.decimal)))
    if justification is not None:
        g.add((node, SG.justification, Literal(justification, lang="en")))
    if derived_from is not None:
        g.add((node, PROV.wasDerivedFrom, derived_from))
    return node


def add_element_identity(g: Graph, iris: Iris, descriptor: URIRef, element_id: str) -> None:
    """A descriptor is the O*NET element its ID names: O*NET publishes the ID for the name, so
    the identity is published, not judged; it resolves once a release is imported."""
    add_mapping(g, iris, DESCRIPTORS_DATASET, descriptor, "exactMatch", element_iri(iris, element_id),
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
        add_mapping(g, iris, EDITORIAL_DATASET, iris.domain(m.domain), m.relation, element_iri(iris, m.element_id),
                    "editorial", date=date, justification=_one_line(m.justification))
    return g


def _one_line(text: str) -> str:
    return " ".join(text.split())
