"""Mapping facts as RDF, shared by every writer of mappings: the crosswalk importers
(loader.crosswalk_*), the editorial mappings and the machine suggestions.

A mapping is a node of its own (sg:Mapping, in the OWL axiom-annotation form SSSOM's RDF
uses) with its method, and where known its source, row, date, confidence and justification;
the plain SKOS triple is written beside it so that simple SPARQL needs no reification
(ontology, section "Mappings").

Mapping IRIs: <NS>mapping/<dataset>/<subject path>/<object path>, where a node's path is its
IRI below the namespace (occupation/29-1129.01, soc2018/29-1129, cip2020/51.2301) or, for
ESCO's own IRIs, below data.europa.eu (esco/occupation/<uuid>): deterministic from codes, and
unique because the dataset and both ends are in it. The signature of ``add_mapping`` is the
one loader.scale_mappings has, plus ``row``, so either can call the other's way; this module
imports neither rdf_mapping nor build at load time, so rdf_mapping's helpers may import it.

Methods are the concepts of the scheme <NS>mapping-method, each written into every graph that
uses it (with the same label everywhere, so the union graph has one label per method) so that
a graph validates alone. Each is skos:closeMatch the SEMAPV term nearest to it; only close,
because ours name who stands behind a mapping, SEMAPV's how it was matched:

- published-crosswalk -> semapv:UnspecifiedMatching: the publisher matched, by a process its
  own documentation describes (linked from the source); we reproduce its rows, not its method.
- editorial -> semapv:ManualMappingCuration: our editors' judgement, with a justification.
- machine-suggestion -> semapv:LexicalSimilarityThresholdMatching: a score over texts, kept
  only above a threshold, never reviewed.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, SKOS, XSD

from skillsgraph.config import ONTOLOGY_NS

from .iris import Iris

if TYPE_CHECKING:  # rdf_mapping builds graphs with this module: importing it here would be a cycle
    from .rdf_mapping import NamedGraph

SG = Namespace(ONTOLOGY_NS)
SEMAPV = Namespace("https://w3id.org/semapv/vocab/")
RELATIONS = {name: SKOS[name] for name in ("exactMatch", "closeMatch", "broadMatch", "narrowMatch", "relatedMatch")}
# Nodes outside the namespace that mappings may name, and the path prefix each gets in a mapping IRI.
EXTERNAL_ROOTS = {"http://data.europa.eu/esco/": "esco/"}


@dataclass(frozen=True)
class Method:
    label: str
    semapv: URIRef


METHODS = {
    "published-crosswalk": Method("published crosswalk", SEMAPV.UnspecifiedMatching),
    "editorial": Method("editorial judgement", SEMAPV.ManualMappingCuration),
    "machine-suggestion": Method("machine suggestion", SEMAPV.LexicalSimilarityThresholdMatching),
}


def method_iri(iris: Iris, method: str) -> URIRef:
    return URIRef(f"{iris.ns}mapping-method/{method}")


def add_method(g: Graph, iris: Iris, method: str) -> URIRef:
    """The method concept and its scheme, written into the graph that uses it."""
    m = method_iri(iris, method)
    scheme = URIRef(f"{iris.ns}mapping-method")
    g.add((m, RDF.type, SG.MappingMethod))
    g.add((m, SKOS.prefLabel, Literal(METHODS[method].label, lang="en")))
    g.add((m, SKOS.notation, Literal(method)))
    g.add((m, SKOS.inScheme, scheme))
    g.add((m, SKOS.closeMatch, METHODS[method].semapv))
    g.add((scheme, RDF.type, SKOS.ConceptScheme))
    g.add((scheme, SKOS.prefLabel, Literal("Mapping methods", lang="en")))
    return m


def node_path(iris: Iris, node: URIRef) -> str:
    """The part of a node's IRI that names it in a mapping IRI."""
    value = str(node)
    if value.startswith(iris.ns):
        return value[len(iris.ns):]
    for root, prefix in EXTERNAL_ROOTS.items():
        if value.startswith(root):
            return prefix + value[len(root):]
    raise ValueError(f"{value} is neither under the namespace {iris.ns} nor under {', '.join(EXTERNAL_ROOTS)}: "
                     "a mapping IRI needs a path for it")


def mapping_iri(iris: Iris, dataset: str, subject: URIRef, obj: URIRef) -> URIRef:
    return URIRef(f"{iris.ns}mapping/{dataset}/{node_path(iris, subject)}/{node_path(iris, obj)}")


def add_mapping(g: Graph, iris: Iris, dataset: str, subject: URIRef, relation: str, obj: URIRef, method: str, *,
                date: Literal | None = None, confidence: Decimal | None = None, justification: str | None = None,
                derived_from: URIRef | None = None, row: int | None = None) -> URIRef:
    """One mapping node and its plain SKOS triple; relation is a key of RELATIONS, method of METHODS."""
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
    if row is not None:
        g.add((node, SG.crosswalkRow, Literal(row, datatype=XSD.integer)))
    return node


def write_graphs(graphs: list["NamedGraph"], target: Path | None) -> bytes:
    """The graphs as canonical sorted N-Quads, written through a rename when target is given."""
    from .build import canonical_nquads, write_atomically  # build imports rdf_mapping, which may import us
    payload = canonical_nquads(graphs)
    if target is not None:
        write_atomically(target, payload)
    return payload


__all__ = ["METHODS", "RELATIONS", "SEMAPV", "add_mapping", "add_method", "mapping_iri", "method_iri", "node_path",
           "write_graphs"]
