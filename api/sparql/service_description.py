"""The SPARQL 1.1 Service Description of /sparql (https://www.w3.org/TR/sparql11-service-description/).

What GET /sparql without a query answers: the endpoint, the language, result formats,
features, the default dataset with VoID triple counts per graph, and this server's limits
in two terms of the skillsgraph ontology (sg:queryTimeout in seconds, sg:maxResults), plus
sg:truncationHeader naming the response header that flags a result cut at sg:maxResults.
"""
from __future__ import annotations

from decimal import Decimal

import pyoxigraph as ox

from skillsgraph.store.base import GraphInfo, Limits
from skillsgraph.vocab import ENTAILMENT, PREFIXES as VOCABULARY, RDF, RDFS, SD, SG, VOID, XSD

from . import results

RDF_TYPE = ox.NamedNode(RDF.type)
SIMPLE_ENTAILMENT = ENTAILMENT.Simple
TRUNCATED_HEADER = "X-SPARQL-Truncated"

# The formats a description is offered in, Turtle first (the default for */*).
FORMATS = [results.TURTLE, results.JSONLD, results.RDFXML, results.NTRIPLES]
OFFERS = [f.media_type for f in FORMATS]
PREFIXES = {name: str(VOCABULARY[name]) for name in ("sd", "void", "sg", "rdfs", "xsd", "formats", "ent")}


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _integer(n: int) -> ox.Literal:
    return ox.Literal(str(int(n)), datatype=_n(XSD + "integer"))


def description(endpoint: str, dataset_iri: str, graphs: list[GraphInfo], union_triples: int,
                limits: Limits) -> list[ox.Triple]:
    """The triples of the description.

    endpoint: the URL the request was made to; dataset_iri: the served dataset (described
    with VoID/DCAT at /dataset); union_triples: distinct triples of the default graph,
    which is the union of all named graphs.
    """
    service = ox.BlankNode()
    dataset = _n(dataset_iri)
    default_graph = ox.BlankNode()
    t: list[ox.Triple] = [
        ox.Triple(service, RDF_TYPE, _n(SD + "Service")),
        ox.Triple(service, _n(SD + "endpoint"), _n(endpoint)),
        ox.Triple(service, _n(SD + "supportedLanguage"), _n(SD + "SPARQL11Query")),
        ox.Triple(service, _n(SD + "feature"), _n(SD + "UnionDefaultGraph")),
        ox.Triple(service, _n(SD + "defaultEntailmentRegime"), _n(SIMPLE_ENTAILMENT)),
        ox.Triple(service, _n(RDFS + "label"), ox.Literal("skillsgraph SPARQL endpoint", language="en")),
        ox.Triple(service, _n(RDFS + "comment"), ox.Literal(
            "A read-only SPARQL 1.1 query service (GET, or POST as a form or application/sparql-query). "
            "Without a protocol dataset (default-graph-uri, named-graph-uri) the default graph is the union "
            "of all named graphs. SPARQL Update, LOAD and federated SERVICE calls are refused. "
            f"A query may run for at most {limits.timeout_seconds:g} s (sg:queryTimeout), after which the "
            f"answer is 503; a result holds at most {limits.max_results} solutions or triples (sg:maxResults): "
            f"a longer one is cut there and the response, still 200, carries the header "
            f"'{TRUNCATED_HEADER}: true'.", language="en")),
        ox.Triple(service, _n(SG + "queryTimeout"),
                  ox.Literal(str(Decimal(repr(float(limits.timeout_seconds)))), datatype=_n(XSD + "decimal"))),
        ox.Triple(service, _n(SG + "maxResults"), _integer(limits.max_results)),
        ox.Triple(service, _n(SG + "truncationHeader"), ox.Literal(TRUNCATED_HEADER)),
        ox.Triple(service, _n(SD + "defaultDataset"), dataset),
        ox.Triple(dataset, RDF_TYPE, _n(SD + "Dataset")),
        ox.Triple(dataset, _n(SD + "defaultGraph"), default_graph),
        ox.Triple(default_graph, RDF_TYPE, _n(SD + "Graph")),
        ox.Triple(default_graph, RDF_TYPE, _n(VOID + "Dataset")),
        ox.Triple(default_graph, _n(VOID + "triples"), _integer(union_triples)),
    ]
    for fmt in [*results.SOLUTION_FORMATS, *results.GRAPH_FORMATS]:
        t.append(ox.Triple(service, _n(SD + "resultFormat"), _n(fmt.iri)))
    for info in graphs:
        named, graph = ox.BlankNode(), ox.BlankNode()
        t += [
            ox.Triple(dataset, _n(SD + "namedGraph"), named),
            ox.Triple(named, RDF_TYPE, _n(SD + "NamedGraph")),
            ox.Triple(named, _n(SD + "name"), _n(info.name)),
            ox.Triple(named, _n(SD + "graph"), graph),
            ox.Triple(graph, RDF_TYPE, _n(SD + "Graph")),
            ox.Triple(graph, RDF_TYPE, _n(VOID + "Dataset")),
            ox.Triple(graph, _n(VOID + "triples"), _integer(info.triples)),
        ]
    return t


def serialize(triples: list[ox.Triple], media_type: str) -> bytes:
    fmt = results.format_for(media_type)
    prefixes = PREFIXES if fmt is results.TURTLE else None
    return ox.serialize(triples, format=results.RDF_FORMATS[fmt.media_type], prefixes=prefixes)
