"""Map the checked registries to RDF, one named graph per registry: what every framework
release refers to (sources, catalogue, scales, durable-skill domains, O*NET descriptors,
evidence metrics, the editorial scale mappings). A build maps them once.

No blank nodes are made: every node has a minted IRI, so the canonical N-Quads of a build are
a plain sorted list of lines and identical input gives identical bytes.
"""
from __future__ import annotations

from rdflib import Graph, Literal, URIRef

from .graphs import (
    DCTERMS, FOAF, OWL, RDF, RDFS, SCHEMA, SG, SKOS, XSD, NamedGraph, date_literal, new_graph, pos, text,
)
from .iris import Iris
from .mappings_rdf import add_element_identity, scale_mappings_graph
from .source_data import MASTERY, Registries

DESCRIPTOR_CLASSES = {
    "skills": SG.Skill, "knowledge": SG.KnowledgeArea, "abilities": SG.Ability,
    "work_styles": SG.WorkStyle, "technology": SG.TechnologyCategory,
}
DESCRIPTOR_SCHEME_LABELS = {
    "skills": "O*NET skills", "knowledge": "O*NET knowledge areas", "abilities": "O*NET abilities",
    "work_styles": "O*NET work styles", "technology": "O*NET technology categories",
}


def registry_graphs(reg: Registries, iris: Iris) -> list[NamedGraph]:
    """Every registry's graph, in a fixed order."""
    return [
        NamedGraph(iris.registry_graph("sources"), sources_graph(reg, iris)),
        NamedGraph(iris.registry_graph("catalogue"), catalogue_graph(reg, iris)),
        NamedGraph(iris.registry_graph("scales"), scales_graph(reg, iris)),
        NamedGraph(iris.registry_graph("durable-domains"), domains_graph(reg, iris)),
        NamedGraph(iris.registry_graph("onet-descriptors"), descriptors_graph(reg, iris)),
        NamedGraph(iris.registry_graph("evidence"), evidence_registry_graph(reg, iris)),
        NamedGraph(iris.registry_graph("scale-mappings"), scale_mappings_graph(reg, iris)),
    ]


def _scheme(g: Graph, node: URIRef, cls: URIRef, label: str, source: URIRef | None = None) -> URIRef:
    g.add((node, RDF.type, cls))
    g.add((node, SKOS.prefLabel, text(label)))
    if source is not None:
        g.add((node, DCTERMS.source, source))
    return node


def _concept(g: Graph, node: URIRef, cls: URIRef, label: str, code: str, scheme: URIRef) -> URIRef:
    g.add((node, RDF.type, cls))
    g.add((node, SKOS.prefLabel, text(label)))
    g.add((node, SKOS.notation, Literal(code)))
    g.add((node, SKOS.inScheme, scheme))
    return node


def _agent(g: Graph, iris: Iris, name: str) -> URIRef:
    agent = iris.agent(name)
    g.add((agent, RDF.type, SG.Agent))
    g.add((agent, RDFS.label, text(name)))
    return agent


def sources_graph(reg: Registries, iris: Iris) -> Graph:
    g = new_graph()
    for code, src in reg.sources.sources.items():
        s = iris.source(code)
        g.add((s, RDF.type, SG.Source))
        g.add((s, SKOS.notation, Literal(code)))
        g.add((s, RDFS.label, text(src.title)))
        g.add((s, DCTERMS.title, text(src.title)))
        g.add((s, DCTERMS.bibliographicCitation, text(src.citation)))
        g.add((s, DCTERMS.publisher, _agent(g, iris, src.publisher)))
        if src.chip:
            g.add((s, SG.chipLabel, text(src.chip)))
        if src.creator:
            g.add((s, DCTERMS.creator, _agent(g, iris, src.creator)))
        if src.version:
            g.add((s, OWL.versionInfo, Literal(src.version)))
        if src.issued:
            g.add((s, DCTERMS.issued, date_literal(src.issued)))
        if src.licence:
            g.add((s, DCTERMS.license, URIRef(src.licence)))
        if src.url:
            g.add((s, FOAF.page, URIRef(src.url)))
    return g


def catalogue_graph(reg: Registries, iris: Iris) -> Graph:
    g = new_graph()
    cat = reg.catalogue.catalogue
    c = iris.catalogue(cat.code)
    g.add((c, RDF.type, SG.Catalogue))
    g.add((c, RDFS.label, text(cat.title)))
    g.add((c, DCTERMS.title, text(cat.title)))
    g.add((c, DCTERMS.publisher, _agent(g, iris, cat.publisher)))
    g.add((c, DCTERMS.rights, text(cat.rights)))
    g.add((c, SG.occupationsWithSourceData, Literal(cat.occupations_with_source_data, datatype=XSD.integer)))
    g.add((c, SG.aiUseNote, text(cat.ai_use_note)))
    g.add((c, SG.durableSkillsNote, text(cat.durable_skills_note)))
    for code in cat.sources:
        g.add((c, DCTERMS.source, iris.source(code)))
    return g


def scales_graph(reg: Registries, iris: Iris) -> Graph:
    g = new_graph()
    for code, scale in reg.scales.scales.items():
        s = _scheme(g, iris.scale(code), SG.LevelScale, scale.title, iris.source(scale.source) if scale.source else None)
        g.add((s, DCTERMS.description, text(scale.description)))
        level_class = SG.MasteryLevel if code == MASTERY else SG.ProficiencyLevel
        for rank, level in enumerate(scale.levels, start=1):
            lv = _concept(g, iris.level(code, level.code), level_class, level.label, level.code, s)
            g.add((lv, SG.rank, pos(rank)))
            g.add((s, SKOS.hasTopConcept, lv))
            if level.role:
                g.add((lv, SG.roleTitle, text(level.role)))
    return g


def domains_graph(reg: Registries, iris: Iris) -> Graph:
    g = new_graph()
    scheme = _scheme(g, iris.domain_scheme(), SKOS.ConceptScheme, "Durable-skill domains", iris.source(reg.domains.source))
    g.add((scheme, DCTERMS.description, text(reg.catalogue.catalogue.durable_skills_note)))
    for domain in reg.domains.domains:
        d = _concept(g, iris.domain(domain.code), SG.DurableSkillDomain, domain.label, domain.code, scheme)
        g.add((d, SG.domainNumber, pos(domain.number)))
        g.add((scheme, SKOS.hasTopConcept, d))
    return g


def descriptors_graph(reg: Registries, iris: Iris) -> Graph:
    g = new_graph()
    for kind, cls in DESCRIPTOR_CLASSES.items():
        scheme = _scheme(g, iris.descriptor_scheme(kind), SKOS.ConceptScheme, DESCRIPTOR_SCHEME_LABELS[kind])
        for entry in getattr(reg.descriptors, kind):
            d = iris.descriptor(kind, entry.name)
            g.add((d, RDF.type, cls))
            g.add((d, SKOS.prefLabel, text(entry.name)))
            g.add((d, SKOS.inScheme, scheme))
            if entry.element_id:
                g.add((d, SG.onetElementId, Literal(entry.element_id)))
                add_element_identity(g, iris, d, entry.element_id)
            if entry.unspsc:
                g.add((d, SG.unspscCode, Literal(entry.unspsc)))
    return g


def evidence_registry_graph(reg: Registries, iris: Iris) -> Graph:
    g = new_graph()
    for gcode, group in reg.evidence.groups.items():
        grp = _scheme(g, iris.metric_group(gcode), SG.MetricGroup, group.label, iris.source(group.source))
        for mcode, metric in group.metrics.items():
            m = _concept(g, iris.metric(mcode), SG.Metric, metric.label, mcode, grp)
            g.add((m, SG.valueKind, Literal(metric.kind)))
            if metric.max is not None:
                g.add((m, SCHEMA.maxValue, Literal(metric.max, datatype=XSD.integer)))
            if metric.scheme:
                g.add((m, SG.codeList, iris.code_list(metric.scheme)))
    for scode, scheme in reg.evidence.schemes.items():
        sch = _scheme(g, iris.code_list(scode), SG.CodeList, scheme.label, iris.source(scheme.source))
        for concept in scheme.concepts:
            _concept(g, iris.coded(scode, concept.code), SKOS.Concept, concept.label, concept.code, sch)
    return g
