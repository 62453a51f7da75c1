"""Crosswalk rows -> mapping facts with provenance, in one named graph per file and release,
<NS>graph/crosswalk/<kind>-<release>.

The graph holds, for every row that is a mapping: the mapping node (loader.mappings_rdf, method
published-crosswalk, derived from the file's source node, with its crosswalk row), the plain
SKOS triple, and both code nodes with the title the file gives them. It also holds the source
node, source/<kind>-<release>: a sg:CrosswalkRelease with title, publisher, version, licence,
download link, the file imported (name, sheet, counts) and any metadata lines above the header.

Code nodes (ontology, "Mappings"): O*NET-SOC 2019 occupation/<code> (a sg:Occupation, the
framework's own IRI), onet-soc2010/<code>, soc2018/<code>, isco08/<code>, esco-code/<code> (an
ESCO occupation named only by its code, in O*NET's ESCO file) as sg:CodedConcept, cip2020/<code>
as sg:InstructionalProgram; ESCO occupations keep ESCO's IRIs. Each is in the SKOS concept scheme
code-list/<scheme>, ESCO's in ESCO's own occupations scheme.
"""
from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef

from ..graphs import DCTERMS, ESCO, FOAF, OWL, PROV, RDF, RDFS, SG, SKOS, NamedGraph, new_graph, text
from ..iris import Iris
from ..mappings_rdf import add_mapping
from .kinds import Kind, Node, Pair
from .table import Table

METHOD = "published-crosswalk"
ESCO_OCCUPATIONS = ESCO["concept-scheme/occupations"]


@dataclass(frozen=True)
class Scheme:
    cls: URIRef
    label: str


SCHEMES = {
    "onet-soc2019": Scheme(SG.Occupation, "O*NET-SOC 2019"),
    "onet-soc2010": Scheme(SG.CodedConcept, "O*NET-SOC 2010"),
    "soc2018": Scheme(SG.CodedConcept, "2018 Standard Occupational Classification (SOC)"),
    "cip2020": Scheme(SG.InstructionalProgram, "Classification of Instructional Programs (CIP) 2020"),
    "isco08": Scheme(SG.CodedConcept, "ISCO-08"),
    "esco-code": Scheme(SG.CodedConcept, "ESCO occupation codes"),
}


@dataclass(frozen=True)
class FileSummary:
    """What the source node says of the file imported."""
    rows: int
    mappings: int
    skipped: int       # rows that state no mapping (NO MATCH)
    duplicates: int


def _add_node(g: Graph, iris: Iris, node: Node) -> URIRef:
    iri = iris.code_node(node.scheme, node.code)
    g.add((iri, SKOS.prefLabel, text(node.title)))
    if node.scheme == "esco":
        g.add((iri, RDF.type, SKOS.Concept))
        g.add((iri, SKOS.inScheme, ESCO_OCCUPATIONS))
        return iri
    scheme = SCHEMES[node.scheme]
    g.add((iri, RDF.type, scheme.cls))
    g.add((iri, SKOS.notation, Literal(node.code)))
    if node.scheme == "onet-soc2019":  # as the framework graphs and O*NET releases describe occupations
        g.add((iri, SG.onetSocCode, Literal(node.code)))
        g.add((iri, SG.socCode, Literal(node.code[:7])))
    code_list = iris.code_list(node.scheme)
    g.add((iri, SKOS.inScheme, code_list))
    g.add((code_list, RDF.type, SKOS.ConceptScheme))
    g.add((code_list, SKOS.prefLabel, text(scheme.label)))
    return iri


def _add_source(g: Graph, iris: Iris, kind: Kind, release: str, table: Table, summary: FileSummary) -> URIRef:
    s = iris.crosswalk_source(kind.name, release)
    title = f"{kind.title} ({release})"
    for cls in (SG.Source, SG.CrosswalkRelease):
        g.add((s, RDF.type, cls))
    g.add((s, SKOS.notation, Literal(f"{kind.name}-{release}")))
    g.add((s, RDFS.label, text(title)))
    g.add((s, DCTERMS.title, text(title)))
    g.add((s, OWL.versionInfo, Literal(release)))
    agent = iris.agent(kind.publisher)
    g.add((s, DCTERMS.publisher, agent))
    g.add((agent, RDF.type, SG.Agent))
    g.add((agent, RDFS.label, text(kind.publisher)))
    if kind.license is not None:
        g.add((s, DCTERMS.license, kind.license))
    g.add((s, FOAF.page, URIRef(kind.download)))
    sheet = f", sheet {kind.sheet}" if kind.sheet and table.file.suffix.lower() == ".xlsx" else ""
    g.add((s, SG.crosswalkFile, Literal(
        f"{table.file.name}{sheet}: header on line {table.header_line}, {summary.rows} rows, {summary.mappings} mappings, "
        f"{summary.skipped} rows stating no match, {summary.duplicates} repeated rows")))
    for line, cells in table.preamble:
        g.add((s, SKOS.note, Literal(f"line {line}: " + " | ".join(c for c in cells if c))))
    graph = iris.crosswalk_graph(kind.name, release)
    g.add((graph, PROV.wasDerivedFrom, s))
    g.add((graph, DCTERMS.title, text(f"Mappings of the {title}")))
    return s


def crosswalk_graph(kind: Kind, release: str, iris: Iris, table: Table, pairs: list[tuple[int, Pair]],
                    summary: FileSummary) -> NamedGraph:
    g = new_graph()
    source = _add_source(g, iris, kind, release, table, summary)
    dataset = f"{kind.name}-{release}"
    for line, pair in pairs:
        subject, obj = _add_node(g, iris, pair.subject), _add_node(g, iris, pair.obj)
        add_mapping(g, iris, dataset, subject, pair.relation, obj, METHOD, derived_from=source, row=line)
    return NamedGraph(iris.crosswalk_graph(kind.name, release), g)
