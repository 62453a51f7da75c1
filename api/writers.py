"""Triples as documents: N-Triples and RDF/XML by Oxigraph, Turtle and JSON-LD by rdflib, a
release nested as pyld frames it (release_framing; pyld itself for what that does not model).

Two JSON-LD engines remain, each for what only it does here: pyld's framing defines the
release document (rdflib cannot frame; release_framing reproduces it without pyld), and rdflib
writes every other JSON-LD document. pyld could compact those too, but not to the same
document: for a property typed @vocab it writes a value the context names as a term
("exactMatch") where rdflib writes the compact IRI ("skos:exactMatch"), and served documents
do not change. Terms reach rdflib directly, not through N-Triples text.
"""
from __future__ import annotations

import json
from functools import lru_cache
from typing import Iterable

import orjson
import pyoxigraph as ox
from pyld import jsonld
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.plugins.shared.jsonld.context import Context

from skillsgraph.resources import context_file
from skillsgraph.vocab import RDF, XSD

from . import release_framing
from .jsonld_compaction import Compactor
from .release_framing import FRAME_EXTRA, RELEASE_FRAME

STATEMENT_ORDER = {"CompetencyStatement": 0, "AIUseStatement": 1, "DurableSkillStatement": 2}


@lru_cache(maxsize=1)
def shipped_context() -> dict:
    return json.loads(context_file().read_text(encoding="utf-8"))["@context"]


def ntriples(triples: list[ox.Triple]) -> bytes:
    """Sorted, so that the same triples always read the same."""
    return b"".join(sorted(line + b"\n" for line in ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).splitlines() if line))


def rdf_xml(triples: list[ox.Triple]) -> bytes:
    return ox.serialize(triples, format=ox.RdfFormat.RDF_XML)


def _rdflib_term(term):
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    # A simple literal has no datatype in rdflib, as rdflib's own parsers read one.
    return Literal(term.value) if term.datatype.value == XSD.string else Literal(term.value, datatype=URIRef(term.datatype.value))


@lru_cache(maxsize=1)
def _compaction_context() -> Context:
    """The shipped context as rdflib reads it, read once: reading it again for every document
    took half of a document's time. rdflib's JSON-LD writer only reads a context it is given."""
    return Context(shipped_context())


def _graph_of(triples: Iterable[ox.Triple]) -> Graph:
    g = Graph()
    for t in triples:
        g.add((_rdflib_term(t.subject), _rdflib_term(t.predicate), _rdflib_term(t.object)))
    return g


def rdflib_graph(triples: Iterable[ox.Triple]) -> Graph:
    """The triples in rdflib, with the shipped context's prefixes bound (for Turtle)."""
    g = _graph_of(triples)
    for prefix, value in shipped_context().items():
        if isinstance(value, str) and value.endswith(("/", "#")) and not prefix.startswith("@"):
            g.bind(prefix, value, override=True)
    return g


def turtle(triples: list[ox.Triple]) -> bytes:
    return rdflib_graph(triples).serialize(format="turtle", encoding="utf-8")


def compacted(triples: list[ox.Triple], context_url: str) -> bytes:
    """JSON-LD compacted with the shipped context, which the document references by URL (with
    a context given, rdflib's JSON-LD writer has no use for the graph's prefixes: none bound)."""
    doc = json.loads(_graph_of(triples).serialize(format="json-ld", context=_compaction_context(), auto_compact=True))
    doc["@context"] = context_url
    return json.dumps(_in_stable_order(doc), ensure_ascii=False, indent=2).encode("utf-8")


def _in_stable_order(value, key: str | None = None):
    """Nodes and the values of each property in one order: rdflib's writer follows its store's
    set order, which Python's hash seed changes from process to process (the same resource read
    three ways under three seeds, so ETags differed between workers and restarts). Ordered
    values (@list, and terms whose container is @list) keep their order."""
    if isinstance(value, dict):
        return {k: _in_stable_order(v, k) for k, v in value.items()}
    if isinstance(value, list):
        items = [_in_stable_order(v) for v in value]
        if key == "@list" or key in _list_terms():
            return items
        return sorted(items, key=_order_key)
    return value


def _order_key(value) -> tuple[str, str]:
    """Nodes by their IRI (the context calls @id `id`), then anything by its JSON."""
    node = value.get("id", value.get("@id", "")) if isinstance(value, dict) else ""
    return str(node), json.dumps(value, sort_keys=True, ensure_ascii=False)


@lru_cache(maxsize=1)
def _list_terms() -> frozenset[str]:
    return frozenset(k for k, v in shipped_context().items() if isinstance(v, dict) and v.get("@container") == "@list")


def expanded_triples(doc: dict, context) -> list[ox.Triple]:
    """The triples of a JSON-LD document written for `context` (the shipped context, inline: no fetch)."""
    nquads = jsonld.to_rdf({**doc, "@context": context}, {"format": "application/n-quads"})
    return [q.triple for q in ox.parse(nquads.encode("utf-8"), format=ox.RdfFormat.N_QUADS)]


@lru_cache(maxsize=1)
def framing_context() -> dict:
    return {**shipped_context(), **FRAME_EXTRA}


@lru_cache(maxsize=1)
def release_compactor() -> Compactor:
    return Compactor(framing_context())


def framed_release(triples: list[ox.Triple], iri: str, context_url: str) -> bytes:
    """JSON-LD framed as release -> statements (with level, domain) -> citations -> sources:
    the document pyld frames, nested directly (release_framing) unless the triples hold what
    only pyld writes so (a blank node, a list)."""
    framed = release_framing.framed(triples, iri, release_compactor(), RELEASE_FRAME)
    if framed is None:
        framed = framed_by_pyld(triples, iri)
    _order_statements(framed)
    framed["@context"] = [context_url, FRAME_EXTRA]
    # orjson writes what json.dumps(ensure_ascii=False, indent=2) writes, 100 times faster.
    return orjson.dumps(framed, option=orjson.OPT_INDENT_2)


def framed_by_pyld(triples: list[ox.Triple], iri: str) -> dict:
    """The release framed by pyld: what the direct nesting reproduces (and the tests' oracle)."""
    # pyld reads the terms as its N-Quads parser would give them, keeping every datatype
    # (rdflib would turn xsd:positiveInteger into a native number, read back as xsd:integer).
    expanded = jsonld.from_rdf({"@default": [_pyld_triple(t) for t in dict.fromkeys(triples)]}, {})
    frame = {"@context": framing_context(), "@id": iri, **RELEASE_FRAME}
    return jsonld.frame(expanded, frame, {"omitGraph": True, "omitDefault": True})


def _pyld_term(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "IRI", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "blank node", "value": f"_:{term.value}"}
    if term.language:
        return {"type": "literal", "value": term.value, "datatype": str(RDF.langString), "language": term.language}
    return {"type": "literal", "value": term.value, "datatype": term.datatype.value}


def _pyld_triple(t: ox.Triple) -> dict:
    return {"subject": _pyld_term(t.subject), "predicate": _pyld_term(t.predicate), "object": _pyld_term(t.object)}


def _number(node, key: str) -> int:
    # Compacted with type coercion, whole numbers arrive as their lexical strings.
    return int(node.get(key, 0)) if isinstance(node, dict) else 0


def _order_statements(doc: dict) -> None:
    def key(st: dict) -> tuple:
        return (STATEMENT_ORDER.get(st.get("type"), 9), _number(st.get("domain"), "domainNumber"),
                _number(st.get("level"), "rank"), _number(st, "position"))
    if isinstance(doc.get("statements"), list):
        doc["statements"].sort(key=key)
        for st in doc["statements"]:
            if isinstance(st.get("citation"), list):
                st["citation"].sort(key=lambda c: _number(c, "position"))


__all__ = ["shipped_context", "ntriples", "rdf_xml", "turtle", "compacted", "expanded_triples", "framed_release", "framed_by_pyld",
           "framing_context", "release_compactor", "rdflib_graph"]
