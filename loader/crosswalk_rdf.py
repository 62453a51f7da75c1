"""Crosswalk files -> mapping facts with provenance, one named graph per file and release.

``import_crosswalk(kind, file, namespace, home)`` reads a published crosswalk file
(loader.crosswalk_read, loader.crosswalk_kinds), checks every row, and writes the graph
<NS>graph/crosswalk/<kind>-<release> as canonical sorted N-Quads, through a rename, to
$SKILLSGRAPH_HOME/imports/crosswalk-<kind>-<release>.nq, which `skillsgraph serve` serves beside
the build. When any row has a problem nothing is written and SourceDataError lists them all.

The graph holds, for every row that is a mapping: the mapping node (loader.mapping_rdf, method
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

import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS

from .crosswalk_kinds import KINDS, Kind, Node, Pair, cardinality_relations
from .crosswalk_read import MAX_PROBLEMS, RowError, Table, problem, read_table
from .errors import SourceDataError, SourceProblem
from .iris import Iris
from .mapping_rdf import SG, add_mapping, write_graphs
from .rdf_mapping import NamedGraph, new_graph, text

METHOD = "published-crosswalk"
RELEASE_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*\Z")
ESCO_OCCUPATIONS = URIRef("http://data.europa.eu/esco/concept-scheme/occupations")


@dataclass(frozen=True)
class Scheme:
    path: str
    cls: URIRef
    label: str


SCHEMES = {
    "onet-soc2019": Scheme("occupation", SG.Occupation, "O*NET-SOC 2019"),
    "onet-soc2010": Scheme("onet-soc2010", SG.CodedConcept, "O*NET-SOC 2010"),
    "soc2018": Scheme("soc2018", SG.CodedConcept, "2018 Standard Occupational Classification (SOC)"),
    "cip2020": Scheme("cip2020", SG.InstructionalProgram, "Classification of Instructional Programs (CIP) 2020"),
    "isco08": Scheme("isco08", SG.CodedConcept, "ISCO-08"),
    "esco-code": Scheme("esco-code", SG.CodedConcept, "ESCO occupation codes"),
}


@dataclass
class CrosswalkImport:
    kind: Kind
    release: str
    graph: URIRef
    target: Path | None
    rows: int = 0
    mappings: int = 0
    skipped: int = 0            # rows that state no mapping (NO MATCH)
    duplicates: int = 0
    triples: int = 0
    seconds: float = 0.0
    payload: bytes | None = field(default=None, repr=False)


def node_iri(iris: Iris, node: Node) -> URIRef:
    if node.scheme == "esco":
        return URIRef(node.code)
    return URIRef(f"{iris.ns}{SCHEMES[node.scheme].path}/{node.code}")


def graph_iri(iris: Iris, kind: Kind, release: str) -> URIRef:
    return iris.graph(f"crosswalk/{kind.name}-{release}")


def source_iri(iris: Iris, kind: Kind, release: str) -> URIRef:
    return iris.source(f"{kind.name}-{release}")


def output_file(home: Path, kind: str, release: str) -> Path:
    return Path(home) / "imports" / f"crosswalk-{kind}-{release}.nq"


# ---- reading ----------------------------------------------------------------------------------

def _kind(name: str) -> Kind:
    if name not in KINDS:
        raise SourceDataError([SourceProblem(Path(name), None, None, "KIND",
                                             f"{name!r} is not a crosswalk kind; expected one of {', '.join(KINDS)}")])
    return KINDS[name]


def _check_file(kind: Kind, path: Path, release: str) -> None:
    if not RELEASE_RE.match(release):
        raise SourceDataError([problem(path, None, "--release", f"{release!r} is not a release name; use letters, "
                                       "digits, '.', '-' or '_', e.g. 2020")])
    if path.suffix.lower() not in kind.forms:
        raise SourceDataError([problem(path, None, "", f"is a {path.suffix or 'file without suffix'}; the {kind.name} "
                                       f"crosswalk is published as {' or '.join(kind.forms)} ({kind.published_as})")])


def read_pairs(kind: Kind, table: Table) -> tuple[list[tuple[int, Pair]], int]:
    """(line, pair) of every row that is a mapping, and how many rows state none; raises
    SourceDataError with every problem (up to MAX_PROBLEMS) when any row is wrong."""
    pairs: list[tuple[int, Pair]] = []
    problems: list[SourceProblem] = []
    skipped = hidden = 0
    width = len(kind.columns)
    for line, values in table.rows:
        try:
            if any(str(v).strip() for v in values[width:] if v is not None):
                raise RowError("", f"has {len(values)} cells; the header has {width}")
            pair = kind.parse(table.cells(kind.columns, values))
        except RowError as exc:
            if len(problems) < MAX_PROBLEMS:
                problems.append(problem(table.file, line, f"column {exc.column!r}" if exc.column else "", exc.message))
            else:
                hidden += 1
            continue
        if pair is None:
            skipped += 1
        else:
            pairs.append((line, pair))
    if hidden:
        problems.append(problem(table.file, None, "", f"{hidden} more problem(s) not shown"))
    if problems:
        raise SourceDataError(problems)
    return pairs, skipped


def _first_of_each(pairs: list[tuple[int, Pair]]) -> tuple[list[tuple[int, Pair]], int]:
    """The first row of each subject-object pair: a repeated row states nothing new."""
    seen: set[tuple] = set()
    out = []
    for line, pair in pairs:
        key = (pair.subject.key, pair.obj.key)
        if key not in seen:
            seen.add(key)
            out.append((line, pair))
    return out, len(pairs) - len(out)


# ---- RDF --------------------------------------------------------------------------------------

def _add_node(g: Graph, iris: Iris, node: Node) -> URIRef:
    iri = node_iri(iris, node)
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


def _add_source(g: Graph, iris: Iris, kind: Kind, release: str, table: Table, result: CrosswalkImport) -> URIRef:
    s = source_iri(iris, kind, release)
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
        f"{table.file.name}{sheet}: header on line {table.header_line}, {result.rows} rows, {result.mappings} mappings, "
        f"{result.skipped} rows stating no match, {result.duplicates} repeated rows")))
    for line, cells in table.preamble:
        g.add((s, SKOS.note, Literal(f"line {line}: " + " | ".join(c for c in cells if c))))
    graph = graph_iri(iris, kind, release)
    g.add((graph, PROV.wasDerivedFrom, s))
    g.add((graph, DCTERMS.title, text(f"Mappings of the {title}")))
    return s


def crosswalk_graph(kind: Kind, release: str, iris: Iris, table: Table, pairs: list[tuple[int, Pair]],
                    result: CrosswalkImport) -> NamedGraph:
    g = new_graph()
    source = _add_source(g, iris, kind, release, table, result)
    dataset = f"{kind.name}-{release}"
    for line, pair in pairs:
        subject, obj = _add_node(g, iris, pair.subject), _add_node(g, iris, pair.obj)
        add_mapping(g, iris, dataset, subject, pair.relation, obj, METHOD, derived_from=source, row=line)
    return NamedGraph(graph_iri(iris, kind, release), g)


# ---- the import ---------------------------------------------------------------------------------

def import_crosswalk(kind_name: str, file: Path, namespace: str, home: Path | None = None, *,
                     target: Path | None = None, release: str | None = None) -> CrosswalkImport:
    """Import one crosswalk file: writes target, or else <home>/imports/crosswalk-<kind>-<release>.nq;
    with neither, keeps the N-Quads in the result. Raises SourceDataError, writing nothing."""
    started = time.perf_counter()
    kind, path = _kind(kind_name), Path(file)
    release = release or kind.default_release
    _check_file(kind, path, release)
    table = read_table(path, kind.layout(path))
    pairs, skipped = read_pairs(kind, table)
    pairs, duplicates = _first_of_each(pairs)
    if kind.by_cardinality:
        pairs = list(zip([line for line, _ in pairs], cardinality_relations([p for _, p in pairs])))
    iris = Iris(namespace)
    if target is None and home is not None:
        target = output_file(home, kind.name, release)
    result = CrosswalkImport(kind, release, graph_iri(iris, kind, release), target, rows=len(table.rows),
                             mappings=len(pairs), skipped=skipped, duplicates=duplicates)
    payload = write_graphs([crosswalk_graph(kind, release, iris, table, pairs, result)], target)
    result.triples = payload.count(b"\n")
    result.payload = payload if target is None else None
    result.seconds = time.perf_counter() - started
    return result


__all__ = ["CrosswalkImport", "SCHEMES", "crosswalk_graph", "graph_iri", "import_crosswalk", "node_iri",
           "output_file", "source_iri"]
