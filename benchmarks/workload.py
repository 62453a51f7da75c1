"""What is asked: the benchmark's SPARQL queries (queries/*.rq beside this file, one question
each), their values bound for a catalogue, and the mixes the throughput runs send."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import httpx
import pyoxigraph as ox

from dataset import NAMESPACE, Catalogue

QUERIES = Path(__file__).resolve().parent / "queries"
AGGREGATE = "counts per durable domain"  # the catalogue-wide one; the other mix leaves it out


@dataclass(frozen=True)
class Query:
    name: str
    text: str  # with its values bound


def queries(cat: Catalogue, endpoint: str) -> list[Query]:
    """Every query file, its variables bound to nodes of this catalogue: the first framework's
    release and its first AI-use statement, and the CIP code most frameworks name."""
    code = cat.codes[0]
    values = {
        "release": cat.release(code),
        "statement": f"{cat.release(code)}/ai-use/developing/1",
        "cip": f"{NAMESPACE}cip2020/{_most_shared_cip(endpoint)}",
    }
    out = []
    for file in sorted(QUERIES.glob("*.rq")):
        text = file.read_text(encoding="utf-8")
        header = dict(line[2:].split(":", 1) for line in text.splitlines() if line.startswith(("# title:", "# bound:")))
        bound = [word[1:] for word in header.get("bound", "").split() if word.startswith("?")]
        out.append(Query(header["title"].strip(), bind(text, {name: values[name] for name in bound})))
    return out


def bind(query: str, values: dict[str, str]) -> str:
    """The query with each variable given one IRI by a VALUES block at the start of its WHERE
    group: the SPARQL Protocol's way to send a query with its values, whatever the server."""
    if not values:
        return query
    block = "".join(f"VALUES ?{name} {{ {ox.NamedNode(iri)} }} " for name, iri in sorted(values.items()))
    at = query.index("WHERE {") + len("WHERE {")
    return query[:at] + "\n  " + block + query[at:]


def _most_shared_cip(endpoint: str) -> str:
    rows = httpx.post(endpoint, data={"query": """PREFIX sg: <https://w3id.org/skillsgraph/ontology#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?code (COUNT(?o) AS ?n) WHERE { ?o sg:instructionalProgram ?c . ?c skos:notation ?code }
        GROUP BY ?code ORDER BY DESC(?n) ?code LIMIT 1"""},
                      headers={"Accept": "application/sparql-results+json"}, timeout=600).json()["results"]["bindings"]
    return rows[0]["code"]["value"]
