"""Map one checked framework release to RDF: its occupation (tasks, related titles, CIP codes,
O*NET descriptors and the page anchors they were read from), the release, its statements with
their citations, and its evidence pack, all in the release's own named graph.

Every node has a minted IRI (no blank nodes), so identical input gives identical bytes.
"""
from __future__ import annotations

from typing import Iterable

from rdflib import Graph, Literal, URIRef

from .graphs import CITO, DCAT, DCTERMS, PROV, RDF, RDFS, SCHEMA, SG, SKOS, UNIT, XSD, NamedGraph, new_graph, pos, text
from .iris import DESCRIPTOR_SEGMENTS, Iris
from .registry_rdf import DESCRIPTOR_CLASSES
from .schema import CitedStatement, FrameworkFile, Statement, as_decimal
from .source_data import MASTERY, PROFICIENCY, FrameworkSource, Registries

DESCRIPTOR_LINKS = {
    "skills": SG.skill, "knowledge": SG.knowledge, "abilities": SG.ability,
    "work_styles": SG.workStyle, "technology": SG.technology,
}
UNITS = {"count": UNIT.NUM, "percent": UNIT.PERCENT, "decimal": UNIT.UNITLESS, "score": UNIT.UNITLESS}


def framework_graph_name(iris: Iris, content: FrameworkFile) -> URIRef:
    return iris.framework_graph(content.occupation.onet_soc, content.framework.release)


def framework_named_graph(framework: FrameworkSource, reg: Registries, iris: Iris) -> NamedGraph:
    return NamedGraph(framework_graph_name(iris, framework.content), framework_graph(framework.content, reg, iris))


def framework_graph(content: FrameworkFile, reg: Registries, iris: Iris) -> Graph:
    g = new_graph()
    occ = _occupation(g, content, iris)
    rel = _release(g, content, reg, iris, occ)
    fw = content.framework
    for level, statements in fw.competencies.items():
        _statements(g, iris, rel, SG.CompetencyStatement, "competency", iris.level(MASTERY, level), level, statements)
    for level, statements in fw.ai_use.items():
        _statements(g, iris, rel, SG.AIUseStatement, "ai-use", iris.level(MASTERY, level), level, statements)
    for domain, levels in fw.durable_skills.items():
        for level, statements in levels.items():
            _statements(g, iris, rel, SG.DurableSkillStatement, "durable", iris.level(PROFICIENCY, level), level,
                        statements, domain=domain)
    _evidence(g, content, reg, iris, rel)
    return g


def _occupation(g: Graph, content: FrameworkFile, iris: Iris) -> URIRef:
    o = content.occupation
    occ = iris.occupation(o.onet_soc)
    g.add((occ, RDF.type, SG.Occupation))
    g.add((occ, SKOS.prefLabel, text(o.title)))
    g.add((occ, SCHEMA.name, text(o.title)))
    g.add((occ, SG.onetSocCode, Literal(o.onet_soc)))
    g.add((occ, SG.socCode, Literal(o.onet_soc[:7])))
    zone = iris.job_zone(o.job_zone.number)
    g.add((occ, SG.jobZone, zone))
    g.add((zone, RDF.type, SG.JobZone))
    g.add((zone, SKOS.prefLabel, text(o.job_zone.name)))
    g.add((zone, SG.jobZoneNumber, Literal(o.job_zone.number, datatype=XSD.integer)))
    for n, title in enumerate(o.related_titles, start=1):
        g.add((occ, SG.relatedTitle, text(title)))
        _related_title(g, iris.related_title(o.onet_soc, n), occ, title, n)
    for code in o.rapids_apprenticeships:
        g.add((occ, SG.rapidsCode, Literal(code)))
    for code in o.cip:
        cip = iris.cip(code)
        g.add((occ, SG.instructionalProgram, cip))
        g.add((cip, RDF.type, SG.InstructionalProgram))
        g.add((cip, SKOS.notation, Literal(code)))
    anchor_source = iris.source(o.descriptors.source)
    for kind in DESCRIPTOR_CLASSES:
        for n, name in enumerate(getattr(o.descriptors, kind), start=1):
            d = iris.descriptor(kind, name)
            g.add((occ, DESCRIPTOR_LINKS[kind], d))
            _anchor(g, iris.anchor(o.onet_soc, DESCRIPTOR_SEGMENTS[kind], n), occ, d, n, anchor_source)
    for n, task_text in enumerate(o.tasks, start=1):
        task = iris.task(o.onet_soc, n)
        g.add((occ, SG.task, task))
        g.add((task, RDF.type, SG.Task))
        g.add((task, SG.taskText, text(task_text)))
        g.add((task, SG.occupation, occ))
        _anchor(g, iris.anchor(o.onet_soc, "task", n), occ, task, n, anchor_source)
    return occ


def _related_title(g: Graph, node: URIRef, occ: URIRef, title: str, n: int) -> None:
    # A node beside the literal, so that a release's matching alternate title can be mapped to it.
    g.add((node, RDF.type, SG.RelatedTitle))
    g.add((node, SKOS.prefLabel, text(title)))
    g.add((node, SG.occupation, occ))
    g.add((node, SG.position, pos(n)))


def _anchor(g: Graph, anchor: URIRef, occ: URIRef, target: URIRef, n: int, source: URIRef) -> None:
    g.add((occ, SG.sourceAnchor, anchor))
    g.add((anchor, RDF.type, SG.SourceAnchor))
    g.add((anchor, SG.anchors, target))
    g.add((anchor, SG.position, pos(n)))
    g.add((anchor, PROV.wasDerivedFrom, source))


def _release(g: Graph, content: FrameworkFile, reg: Registries, iris: Iris, occ: URIRef) -> URIRef:
    o, fw = content.occupation, content.framework
    framework = iris.framework(o.onet_soc)
    rel = iris.release(o.onet_soc, fw.release)
    catalogue = reg.catalogue.catalogue
    g.add((framework, RDF.type, SG.Framework))
    g.add((framework, SKOS.prefLabel, text(f"{o.title} framework")))
    g.add((framework, SG.occupation, occ))
    g.add((framework, SG.release, rel))
    g.add((rel, RDF.type, SG.FrameworkRelease))
    g.add((rel, SKOS.prefLabel, text(f"{o.title} framework v.{fw.release}")))
    g.add((rel, DCTERMS.title, text(o.title)))
    g.add((rel, SG.releaseVersion, Literal(fw.release)))
    g.add((rel, DCTERMS.isVersionOf, framework))
    g.add((rel, DCAT.inSeries, framework))  # DCAT 3
    g.add((rel, SG.occupation, occ))
    g.add((rel, SG.contextCovered, text(fw.context)))
    g.add((rel, DCTERMS.publisher, iris.agent(catalogue.publisher)))
    g.add((iris.catalogue(catalogue.code), DCAT.dataset, rel))
    return rel


def _statements(g: Graph, iris: Iris, rel: URIRef, cls: URIRef, kind: str, level_iri: URIRef, level: str,
                statements: Iterable[Statement | CitedStatement], domain: str | None = None) -> None:
    for n, statement in enumerate(statements, start=1):
        s = iris.statement(rel, kind, level, n, domain)
        g.add((s, RDF.type, cls))
        g.add((s, SKOS.prefLabel, text(statement.label)))
        g.add((s, SG.statementText, text(statement.text)))
        g.add((s, SG.level, level_iri))
        g.add((s, SG.position, pos(n)))
        g.add((s, SG.framework, rel))
        g.add((s, SKOS.inScheme, rel))
        if domain:
            g.add((s, SG.domain, iris.domain(domain)))
        for j, code in enumerate(getattr(statement, "cites", []), start=1):
            _citation(g, iris.citation(s, j), s, iris.source(code), j)


def _citation(g: Graph, citation: URIRef, statement: URIRef, source: URIRef, n: int) -> None:
    g.add((statement, SG.citation, citation))
    g.add((statement, CITO.citesAsEvidence, source))
    g.add((citation, RDF.type, SG.Citation))
    g.add((citation, CITO.hasCitingEntity, statement))
    g.add((citation, CITO.hasCitedEntity, source))
    g.add((citation, CITO.hasCitationCharacterization, CITO.citesAsEvidence))
    g.add((citation, SG.position, pos(n)))


def _evidence(g: Graph, content: FrameworkFile, reg: Registries, iris: Iris, rel: URIRef) -> None:
    groups = {code: (group, m) for group in reg.evidence.groups.values() for code, m in group.metrics.items()}
    for code, value in content.framework.evidence.items():
        group, metric = groups[code]
        obs = iris.observation(rel, code)
        g.add((rel, SG.evidence, obs))
        g.add((obs, RDF.type, SG.EvidenceObservation))
        g.add((obs, RDFS.label, text(f"{group.label}: {metric.label}")))
        g.add((obs, SG.metric, iris.metric(code)))
        g.add((obs, PROV.wasDerivedFrom, iris.source(group.source)))
        g.add(_observed_value(iris, obs, metric, value))
        if metric.kind in UNITS:
            g.add((obs, SCHEMA.unitCode, UNITS[metric.kind]))
        if metric.max is not None:
            g.add((obs, SCHEMA.maxValue, Literal(metric.max, datatype=XSD.integer)))


def _observed_value(iris: Iris, obs: URIRef, metric, value) -> tuple:
    if metric.kind == "skill":
        return obs, SCHEMA.valueReference, iris.descriptor("skills", value)
    if metric.kind == "concept":
        return obs, SCHEMA.valueReference, iris.coded(metric.scheme, value)
    if metric.kind == "text":
        return obs, SCHEMA.value, Literal(value)
    if metric.kind == "count":
        return obs, SCHEMA.value, Literal(value, datatype=XSD.integer)
    return obs, SCHEMA.value, Literal(as_decimal(value), datatype=XSD.decimal)
