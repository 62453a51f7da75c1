"""Serialise a built graph (canonical N-Quads) to the export formats."""
from __future__ import annotations

import json
from pathlib import Path

from rdflib import Dataset, Graph

from skillsgraph.resources import context_file

FORMATS = {
    "nt": "N-Triples, the union of all graphs",
    "nq": "N-Quads, with the named graphs",
    "ttl": "Turtle, the union of all graphs",
    "jsonld": "JSON-LD compacted with ontology/context.jsonld",
}


def shipped_context() -> dict:
    return json.loads(context_file().read_text(encoding="utf-8"))["@context"]


def union_graph(nquads: bytes) -> Graph:
    dataset = Dataset()
    dataset.parse(data=nquads, format="nquads")
    union = Graph()
    for prefix, ns in dataset.namespaces():
        union.bind(prefix, ns)
    for s, p, o, _g in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    return union


def export(nquads: bytes, fmt: str) -> bytes:
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt == "nq":
        return nquads
    if fmt == "nt":
        lines = {line.rsplit(" <", 1)[0] + " .\n" for line in nquads.decode("utf-8").splitlines() if line}
        return "".join(sorted(lines)).encode("utf-8")
    graph = union_graph(nquads)
    _bind_context_prefixes(graph)
    if fmt == "ttl":
        return graph.serialize(format="turtle", encoding="utf-8")
    return graph.serialize(format="json-ld", context=shipped_context(), auto_compact=True, encoding="utf-8")


def _bind_context_prefixes(graph: Graph) -> None:
    for prefix, value in shipped_context().items():
        if isinstance(value, str) and value.endswith(("/", "#")) and not prefix.startswith("@"):
            graph.bind(prefix, value, override=True)


def read_build(path: Path) -> bytes:
    return path.read_bytes()
