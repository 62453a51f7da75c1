"""What a publication leaves on an external server besides the data's own named graphs, and
how a reader finds it.

  urn:x-skillsgraph:default-graph   the default graph: the RDF merge of the named graphs, a set
  urn:x-skillsgraph:publication     the record: the build's digest and each graph with its digest,
                                    and when it was published (the API's Last-Modified)
  urn:x-skillsgraph:staging/N       graphs being loaded by a publish, not yet switched to

No reader depends on what the server calls its default graph (a union of all graphs on
Virtuoso, its own graph on Oxigraph, either on Fuseki): every query that names no dataset of
its own is sent with the merge as its default graph and the record's graphs as its named
graphs, so neither Virtuoso's system graphs nor the bookkeeping graphs above are ever seen.
"""
from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from skillsgraph.vocab import PUBLICATION, XSD

DEFAULT_GRAPH = PUBLICATION.term("default-graph")
RECORD = PUBLICATION.term("publication")
STAGING = PUBLICATION.term("staging/")
DIGEST = ox.NamedNode(PUBLICATION.digest)
HOLDS = ox.NamedNode(PUBLICATION.graph)
PUBLISHED = ox.NamedNode(PUBLICATION.published)
INPUTS = ox.NamedNode(PUBLICATION.inputs)
XSD_DATETIME = ox.NamedNode(XSD.dateTime)
# Changed whenever what a publication writes changes: a publish of older code's layout reloads.
LAYOUT = "publication-1"

# Run with RECORD as the one named graph and RECORD_TERMS bound.
READ_RECORD = """SELECT ?what ?digest ?published ?inputs WHERE {
  GRAPH ?record { { ?what ?digestOf ?digest } UNION { ?record ?holds ?what } UNION { ?record ?publishedAt ?published }
                   UNION { ?record ?inputsOf ?inputs } }
}"""
RECORD_TERMS = {"record": ox.NamedNode(RECORD), "digestOf": DIGEST, "holds": HOLDS, "publishedAt": PUBLISHED,
                "inputsOf": INPUTS}


@dataclass(frozen=True)
class Record:
    """A publication as its record states it: the digest of all of it, each graph's, and when
    it was published (xsd:dateTime, UTC, to the second; "" in a record of older code). The
    time is no part of the digest: a build published again is the same publication. `inputs`
    is the digest of the files as they were read (store/publish_content.Inputs.digest), which
    tells a publish of the same files that there is nothing to do before it reads them."""
    digest: str
    graphs: dict[str, str]
    published: str = ""
    inputs: str = ""

    def triples(self) -> list[ox.Triple]:
        record = ox.NamedNode(RECORD)
        out = [ox.Triple(record, DIGEST, ox.Literal(self.digest))]
        for name, digest in sorted(self.graphs.items()):
            out += [ox.Triple(record, HOLDS, ox.NamedNode(name)), ox.Triple(ox.NamedNode(name), DIGEST, ox.Literal(digest))]
        if self.published:
            out.append(ox.Triple(record, PUBLISHED, ox.Literal(self.published, datatype=XSD_DATETIME)))
        if self.inputs:
            out.append(ox.Triple(record, INPUTS, ox.Literal(self.inputs)))
        return out


def record_from_rows(rows: list[dict]) -> Record | None:
    """The record from READ_RECORD's rows (None: the server holds no publication)."""
    digest, graphs, listed, published, inputs = None, {}, set(), "", ""
    for row in rows:
        if "published" in row or "inputs" in row:
            published = row["published"].value if "published" in row else published
            inputs = row["inputs"].value if "inputs" in row else inputs
            continue
        what, value = row["what"].value, row.get("digest")
        if what == RECORD and value is not None:
            digest = value.value
        elif value is not None:
            graphs[what] = value.value
        else:
            listed.add(what)
    if digest is None:
        return None
    return Record(digest, {name: graphs.get(name, "") for name in listed}, published, inputs)


def is_bookkeeping(graph: str) -> bool:
    return graph.startswith(PUBLICATION)
