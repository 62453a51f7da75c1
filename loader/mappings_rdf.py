"""Mapping facts as RDF, for every writer of mappings: the build (the editorial scale mappings of
registries/scale-mappings.yaml, and each O*NET descriptor's identity with its content-model
element), the crosswalk importer and the O*NET release links.

A mapping is a node of its own (sg:Mapping, in the OWL axiom-annotation form SSSOM's RDF uses)
with its method, and where known its source, row, date, confidence and justification; the plain
SKOS triple is written beside it so that simple SPARQL needs no reification (ontology, section
"Mappings"). Mapping IRIs are skillsgraph.iris's (Iris.mapping): deterministic from codes, and
unique because the dataset and both ends are in them.

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
from functools import lru_cache

from rdflib import Graph, Literal, URIRef

from skillsgraph.iris import Iris as TextIris

from .graphs import DCTERMS, MAPPING_RELATIONS, OWL, PROV, RDF, SEMAPV, SG, SKOS, XSD, Triples, new_graph
from .iris import Iris
from .nquads import QuadLines, decimal, integer, iri
from .source_data import MASTERY, PROFICIENCY, Registries

RELATIONS = {name: SKOS[name] for name in MAPPING_RELATIONS}
EDITORIAL_DATASET = "skillsgraph-editorial"
DESCRIPTORS_DATASET = "onet-descriptors"


@dataclass(frozen=True)
class Method:
    label: str
    semapv: URIRef


METHODS = {
    "published-crosswalk": Method("published crosswalk", SEMAPV.UnspecifiedMatching),
    "editorial": Method("editorial judgement", SEMAPV.ManualMappingCuration),
    "machine-suggestion": Method("machine suggestion", SEMAPV.LexicalSimilarityThresholdMatching),
}


def add_method(g: Triples, iris: Iris, method: str) -> URIRef:
    """The method concept and its scheme, written into the graph that uses it."""
    m, triples = _method_triples(iris.ns, method)
    for triple in triples:
        g.add(triple)
    return m


@lru_cache(maxsize=None)
def _method_triples(namespace: str, method: str) -> tuple[URIRef, tuple]:
    # Made once: a graph of suggestions names its method on each of thousands of mappings.
    iris = Iris(namespace)
    m, scheme = iris.mapping_method(method), iris.mapping_methods()
    return m, ((m, RDF.type, SG.MappingMethod), (m, SKOS.prefLabel, Literal(METHODS[method].label, lang="en")),
               (m, SKOS.notation, Literal(method)), (m, SKOS.inScheme, scheme), (m, SKOS.closeMatch, METHODS[method].semapv),
               (scheme, RDF.type, SKOS.ConceptScheme), (scheme, SKOS.prefLabel, Literal("Mapping methods", lang="en")))


def add_mapping(g: Triples, iris: Iris, dataset: str, subject: URIRef, relation: str, obj: URIRef, method: str, *,
                date: Literal | None = None, confidence: Decimal | None = None, justification: str | None = None,
                derived_from: URIRef | None = None, row: int | None = None,
                score: Decimal | str | None = None, rank: int | None = None) -> URIRef:
    """One mapping node and its plain SKOS triple; relation is a key of RELATIONS, method of METHODS;
    a ranker's suggestion has its score and its rank among the subject's candidates."""
    node = iris.mapping(dataset, subject, obj)
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
    if score is not None:
        g.add((node, SG.similarityScore, Literal(score, datatype=XSD.decimal)))
    if rank is not None:
        g.add((node, SG.suggestionRank, Literal(rank, datatype=XSD.integer)))
    return node


def scored_mapping_lines(out: QuadLines, iris: TextIris, dataset: str, subject: str, relation: str, obj: str,
                         method: str, derived_from: str, score: str, rank: int, *, node: str | None = None,
                         also_from: str | None = None) -> None:
    """add_mapping's triples for a ranker's suggestion (its score the lexical form, e.g. '8.5058'),
    written straight as N-Quads text with IRIs as plain strings: the source anchors of a catalogue
    are a third of its mappings, and rdflib terms cost most of their time. The method's own
    triples are add_method's. tests/test_anchors.py checks the lines are add_mapping's.
    `node` names the mapping where Iris.mapping's IRI would carry a row's place (an O*NET
    technology example's); `also_from` is a second source it was computed from (an O*NET release)."""
    node, prop = iri(node or iris.mapping(dataset, subject, obj)), iri(RELATIONS[relation])
    s, o = iri(subject), iri(obj)
    out.t(s, prop, o)
    out.t(node, _RDF_TYPE, _SG_MAPPING)
    out.t(node, _SOURCE, s)
    out.t(node, _PROPERTY, prop)
    out.t(node, _TARGET, o)
    out.t(node, _METHOD, iri(iris.mapping_method(method)))
    out.t(node, _DERIVED_FROM, iri(derived_from))
    if also_from is not None:
        out.t(node, _DERIVED_FROM, iri(also_from))
    out.t(node, _SCORE, decimal(score))
    out.t(node, _RANK, integer(rank))


_RDF_TYPE, _SG_MAPPING, _SOURCE, _PROPERTY, _TARGET = (iri(RDF.type), iri(SG.Mapping), iri(OWL.annotatedSource),
                                                       iri(OWL.annotatedProperty), iri(OWL.annotatedTarget))
_METHOD, _DERIVED_FROM, _SCORE, _RANK = (iri(SG.mappingMethod), iri(PROV.wasDerivedFrom), iri(SG.similarityScore),
                                         iri(SG.suggestionRank))


# ---- the build's own mappings ------------------------------------------------------------------

def add_element_identity(g: Graph, iris: Iris, descriptor: URIRef, element_id: str) -> None:
    """A descriptor is the O*NET element its ID names: O*NET publishes the ID for the name, so
    the identity is published, not judged; it resolves once a release is imported."""
    add_mapping(g, iris, DESCRIPTORS_DATASET, descriptor, "exactMatch", iris.element(element_id),
                "published-crosswalk")


def scale_mappings_graph(reg: Registries, iris: Iris) -> Graph:
    """The editorial mappings: mastery levels -> proficiency levels, domains -> O*NET skills."""
    g = new_graph()
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
