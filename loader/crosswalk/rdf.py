"""Crosswalk rows -> mapping facts with provenance, in one named graph per file and release,
<NS>graph/crosswalk/<kind>-<release>.

The graph holds, for every row that is a mapping: the mapping node (loader.mappings_rdf, method
published-crosswalk, derived from the file's source node, with its crosswalk row), the plain
SKOS triple, and both code nodes with the title the file gives them. It also holds the source
node, source/<kind>-<release> (loader.release_rdf): a sg:CrosswalkRelease with title, publisher,
version, licence, attribution, download link, the file imported (name, SHA-256, sheet, counts)
and the title lines above the header and the footer below the last row, as notes.

Code nodes (ontology, "Mappings"; loader.code_lists): O*NET-SOC 2019 occupation/<code> (a
sg:Occupation, the framework's own IRI), onet-soc2010/<code>, soc2018/<code>, isco08/<code>,
esco-code/<code> (an ESCO occupation named only by a code its classification release lacks) as
sg:CodedConcept, cip2020/<code> as sg:InstructionalProgram; ESCO occupations keep ESCO's IRIs.
Each is in the SKOS concept scheme code-list/<scheme>, ESCO's in ESCO's own occupations scheme.
The file's title of a code is its skos:prefLabel where no classification gives one (O*NET-SOC),
else an rdfs:label: the classification's concept, the same node, has the preferred label.
"""
from __future__ import annotations

from dataclasses import dataclass

from rdflib import Literal, URIRef

from ..code_lists import SCHEMES, add_code
from ..graphs import DCTERMS, ESCO, PROV, RDF, RDFS, SG, SKOS, Triples, text
from ..iris import Iris
from ..mappings_rdf import add_mapping
from ..nquads import QuadLines
from ..release_rdf import ImportedFile, add_release
from ..tables import Table
from .kinds import Kind, Node, Pair

METHOD = "published-crosswalk"
ESCO_OCCUPATIONS = ESCO["concept-scheme/occupations"]


@dataclass(frozen=True)
class FileSummary:
    """Every row of the file below its header, accounted for; and the file's checksum."""
    rows: int
    mappings: int
    skipped: int       # rows that state no mapping (NO MATCH)
    duplicates: int    # rows repeating an earlier row's pair
    footer: int        # the publisher's footer lines below the last row
    sha256: str
    resolution: str = ""   # how codes were resolved through a classification, where they were

    @property
    def accounting(self) -> str:
        return (f"{self.rows} rows: {self.mappings} mappings, {self.skipped} rows stating no match, "
                f"{self.duplicates} repeated rows, {self.footer} footer lines")

    def text(self, table: Table) -> str:
        sheet = f"sheet {table.sheet}, " if table.sheet else ""
        out = f"{sheet}header on line {table.header_line}, {self.accounting}"
        return out + (f"; {self.resolution}" if self.resolution else "")


def _add_node(g: Triples, iris: Iris, node: Node) -> URIRef:
    if node.scheme == "esco":
        iri = URIRef(node.code)
        g.add((iri, RDF.type, SKOS.Concept))
        g.add((iri, SKOS.inScheme, ESCO_OCCUPATIONS))
        g.add((iri, RDFS.label, text(node.title)))
        return iri
    iri = add_code(g, iris, node.scheme, node.code)
    g.add((iri, RDFS.label if SCHEMES[node.scheme].classified else SKOS.prefLabel, text(node.title)))
    if node.scheme == "onet-soc2019":  # as the framework graphs and O*NET releases describe occupations
        g.add((iri, SG.onetSocCode, Literal(node.code)))
        g.add((iri, SG.socCode, Literal(node.code[:7])))
    return iri


def _add_source(g: Triples, iris: Iris, kind: Kind, release: str, table: Table, summary: FileSummary) -> URIRef:
    s = add_release(g, iris, iris.release_source(kind.name, release), f"{kind.name}-{release}", release,
                    kind.publication, [SG.CrosswalkRelease],
                    [ImportedFile(table.file.name, summary.sha256, summary.text(table))])
    g.add((s, SG.crosswalkFile, Literal(f"{table.file.name}: {summary.text(table)}")))
    for line, cells in table.preamble + table.footer:
        g.add((s, SKOS.note, Literal(f"line {line}: " + " | ".join(c for c in cells if c))))
    graph = iris.crosswalk_graph(kind.name, release)
    g.add((graph, PROV.wasDerivedFrom, s))
    g.add((graph, DCTERMS.title, text(f"Mappings of the {kind.title} ({release})")))
    return s


def crosswalk_lines(kind: Kind, release: str, iris: Iris, table: Table, pairs: list[tuple[int, Pair]],
                    summary: FileSummary) -> QuadLines:
    g = QuadLines(iris.crosswalk_graph(kind.name, release))
    source = _add_source(g, iris, kind, release, table, summary)
    dataset = f"{kind.name}-{release}"
    for line, pair in pairs:
        subject, obj = _add_node(g, iris, pair.subject), _add_node(g, iris, pair.obj)
        node = add_mapping(g, iris, dataset, subject, pair.relation, obj, METHOD, derived_from=source, row=line)
        if pair.note:
            g.add((node, SKOS.note, text(pair.note)))
    return g
