"""Map checked source data to RDF, one named graph per registry and per framework release.

No blank nodes are made: every node has a minted IRI, so the canonical N-Quads of a
build are a plain sorted list of lines and identical input gives identical bytes.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, XSD

from skillsgraph.config import ONTOLOGY_NS

from .iris import DESCRIPTOR_SEGMENTS, Iris
from .scale_mappings import add_element_identity, scale_mappings_graph
from .schema import CitedStatement, FrameworkFile, Statement, as_decimal
from .source_data import MASTERY, PROFICIENCY, FrameworkSource, Registries, SourceData

SG = Namespace(ONTOLOGY_NS)
SCHEMA = Namespace("https://schema.org/")
CITO = Namespace("http://purl.org/spar/cito/")
UNIT = Namespace("http://qudt.org/vocab/unit/")
# rdflib's DCAT namespace predates DCAT 3, where dcat:inSeries was added.
DCAT3_IN_SERIES = URIRef("http://www.w3.org/ns/dcat#inSeries")
LANG = "en"

DESCRIPTOR_CLASSES = {
    "skills": SG.Skill, "knowledge": SG.KnowledgeArea, "abilities": SG.Ability,
    "work_styles": SG.WorkStyle, "technology": SG.TechnologyCategory,
}
DESCRIPTOR_LINKS = {
    "skills": SG.skill, "knowledge": SG.knowledge, "abilities": SG.ability,
    "work_styles": SG.workStyle, "technology": SG.technology,
}
DESCRIPTOR_SCHEME_LABELS = {
    "skills": "O*NET skills", "knowledge": "O*NET knowledge areas", "abilities": "O*NET abilities",
    "work_styles": "O*NET work styles", "technology": "O*NET technology categories",
}
UNITS = {"count": UNIT.NUM, "percent": UNIT.PERCENT, "decimal": UNIT.UNITLESS, "score": UNIT.UNITLESS}


def text(value: str) -> Literal:
    return Literal(value, lang=LANG)


def pos(n: int) -> Literal:
    return Literal(n, datatype=XSD.integer)


def new_graph() -> Graph:
    g = Graph()
    for prefix, ns in (("sg", SG), ("schema", SCHEMA), ("cito", CITO), ("skos", SKOS), ("dcterms", DCTERMS),
                       ("prov", PROV), ("dcat", DCAT), ("owl", OWL), ("foaf", FOAF), ("unit", UNIT)):
        g.bind(prefix, ns)
    return g


@dataclass
class NamedGraph:
    name: URIRef
    graph: Graph


def map_source_data(data: SourceData, iris: Iris) -> list[NamedGraph]:
    """All registry graphs, then one graph per framework release."""
    reg = data.registries
    out = [
        NamedGraph(iris.graph("registry/sources"), sources_graph(reg, iris)),
        NamedGraph(iris.graph("registry/catalogue"), catalogue_graph(reg, iris)),
        NamedGraph(iris.graph("registry/scales"), scales_graph(reg, iris)),
        NamedGraph(iris.graph("registry/durable-domains"), domains_graph(reg, iris)),
        NamedGraph(iris.graph("registry/onet-descriptors"), descriptors_graph(reg, iris)),
        NamedGraph(iris.graph("registry/evidence"), evidence_registry_graph(reg, iris)),
        NamedGraph(iris.graph("registry/scale-mappings"), scale_mappings_graph(reg, iris)),
    ]
    for framework in data.frameworks:
        out.append(framework_named_graph(framework, reg, iris))
    return out


def framework_graph_name(iris: Iris, content: FrameworkFile) -> URIRef:
    return iris.graph(f"framework/{content.occupation.onet_soc}/v{content.framework.release}")


def framework_named_graph(framework: FrameworkSource, reg: Registries, iris: Iris) -> NamedGraph:
    return NamedGraph(framework_graph_name(iris, framework.content), framework_graph(framework.content, reg, iris))


# ---- registries ---------------------------------------------------------------------

def _date_literal(value: str) -> Literal:
    datatype = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}[len(value)]
    return Literal(value, datatype=datatype)


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
            g.add((s, DCTERMS.issued, _date_literal(src.issued)))
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
        s = iris.scale(code)
        g.add((s, RDF.type, SG.LevelScale))
        g.add((s, SKOS.prefLabel, text(scale.title)))
        g.add((s, DCTERMS.description, text(scale.description)))
        if scale.source:
            g.add((s, DCTERMS.source, iris.source(scale.source)))
        level_class = SG.MasteryLevel if code == MASTERY else SG.ProficiencyLevel
        for rank, level in enumerate(scale.levels, start=1):
            lv = iris.level(code, level.code)
            g.add((lv, RDF.type, level_class))
            g.add((lv, SKOS.prefLabel, text(level.label)))
            g.add((lv, SKOS.notation, Literal(level.code)))
            g.add((lv, SG.rank, pos(rank)))
            g.add((lv, SKOS.inScheme, s))
            g.add((s, SKOS.hasTopConcept, lv))
            if level.role:
                g.add((lv, SG.roleTitle, text(level.role)))
    return g


def domains_graph(reg: Registries, iris: Iris) -> Graph:
    g = new_graph()
    scheme = iris.domain_scheme()
    g.add((scheme, RDF.type, SKOS.ConceptScheme))
    g.add((scheme, SKOS.prefLabel, text("Durable-skill domains")))
    g.add((scheme, DCTERMS.source, iris.source(reg.domains.source)))
    g.add((scheme, DCTERMS.description, text(reg.catalogue.catalogue.durable_skills_note)))
    for domain in reg.domains.domains:
        d = iris.domain(domain.code)
        g.add((d, RDF.type, SG.DurableSkillDomain))
        g.add((d, SKOS.prefLabel, text(domain.label)))
        g.add((d, SKOS.notation, Literal(domain.code)))
        g.add((d, SG.domainNumber, pos(domain.number)))
        g.add((d, SKOS.inScheme, scheme))
        g.add((scheme, SKOS.hasTopConcept, d))
    return g


def descriptors_graph(reg: Registries, iris: Iris) -> Graph:
    g = new_graph()
    for kind, cls in DESCRIPTOR_CLASSES.items():
        scheme = iris.descriptor_scheme(kind)
        g.add((scheme, RDF.type, SKOS.ConceptScheme))
        g.add((scheme, SKOS.prefLabel, text(DESCRIPTOR_SCHEME_LABELS[kind])))
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
        grp = iris.metric_group(gcode)
        g.add((grp, RDF.type, SG.MetricGroup))
        g.add((grp, SKOS.prefLabel, text(group.label)))
        g.add((grp, DCTERMS.source, iris.source(group.source)))
        for mcode, metric in group.metrics.items():
            m = iris.metric(mcode)
            g.add((m, RDF.type, SG.Metric))
            g.add((m, SKOS.prefLabel, text(metric.label)))
            g.add((m, SKOS.notation, Literal(mcode)))
            g.add((m, SKOS.inScheme, grp))
            g.add((m, SG.valueKind, Literal(metric.kind)))
            if metric.max is not None:
                g.add((m, SCHEMA.maxValue, Literal(metric.max, datatype=XSD.integer)))
            if metric.scheme:
                g.add((m, SG.codeList, iris.code_list(metric.scheme)))
    for scode, scheme in reg.evidence.schemes.items():
        sch = iris.code_list(scode)
        g.add((sch, RDF.type, SG.CodeList))
        g.add((sch, SKOS.prefLabel, text(scheme.label)))
        g.add((sch, DCTERMS.source, iris.source(scheme.source)))
        for concept in scheme.concepts:
            c = iris.coded(scode, concept.code)
            g.add((c, RDF.type, SKOS.Concept))
            g.add((c, SKOS.prefLabel, text(concept.label)))
            g.add((c, SKOS.notation, Literal(concept.code)))
            g.add((c, SKOS.inScheme, sch))
    return g


# ---- one framework release -------------------------------------------------------------

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
        _related_title(g, related_title_iri(iris, o.onet_soc, n), occ, title, n)
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


def related_title_iri(iris: Iris, code: str, position: int) -> URIRef:
    return iris._iri(f"occupation/{code}/related-title/{position}")


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
    g.add((rel, DCAT3_IN_SERIES, framework))
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
    groups = {code: (gcode, group, m) for gcode, group in reg.evidence.groups.items() for code, m in group.metrics.items()}
    for code, value in content.framework.evidence.items():
        _gcode, group, metric = groups[code]
        obs = iris.observation(rel, code)
        g.add((rel, SG.evidence, obs))
        g.add((obs, RDF.type, SG.EvidenceObservation))
        g.add((obs, RDFS.label, text(f"{group.label}: {metric.label}")))
        g.add((obs, SG.metric, iris.metric(code)))
        g.add((obs, PROV.wasDerivedFrom, iris.source(group.source)))
        if metric.kind == "skill":
            g.add((obs, SCHEMA.valueReference, iris.descriptor("skills", value)))
        elif metric.kind == "concept":
            g.add((obs, SCHEMA.valueReference, iris.coded(metric.scheme, value)))
        elif metric.kind == "text":
            g.add((obs, SCHEMA.value, Literal(value)))
        elif metric.kind == "count":
            g.add((obs, SCHEMA.value, Literal(value, datatype=XSD.integer)))
        else:
            g.add((obs, SCHEMA.value, Literal(as_decimal(value), datatype=XSD.decimal)))
        if metric.kind in UNITS:
            g.add((obs, SCHEMA.unitCode, UNITS[metric.kind]))
        if metric.max is not None:
            g.add((obs, SCHEMA.maxValue, Literal(metric.max, datatype=XSD.integer)))
