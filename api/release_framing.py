"""A framework release as one nested JSON-LD document, built straight from its triples.

pyld framed this document on every request (1.6 s for one release, in from_rdf and frame);
here the same nesting is a walk over the release's triples, and the same compaction is
api/jsonld_compaction.py. The document is byte for byte the one pyld writes for RELEASE_FRAME
(the tests hold pyld's output as the oracle), so the walk keeps pyld 2's framing as it is, quirks
included: values in the order of their first triple, properties in IRI order, a node embedded
again wherever the frame says @always unless it is an ancestor other than the parent, a node
pattern matching a node that has any of its properties, and the statements found through the
reverse property framed as top-level matches (each with embeds of its own, none refused as
already embedded). What pyld would write differently for input this walk does not model
(blank nodes, RDF lists, JSON literals, the string "@null") is left to pyld: `framed` says None.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Iterable

import pyoxigraph as ox

from skillsgraph.vocab import RDF, XSD

from .jsonld_compaction import Compactor

ALWAYS, ONCE = "@always", "@once"
RDF_TYPE, RDF_NIL, RDF_JSON, XSD_STRING = str(RDF.type), str(RDF.nil), str(RDF.JSON), str(XSD.string)
# Framing nests a release's statements under it, by the inverse of sg:framework.
FRAME_EXTRA = {"statements": {"@reverse": "sg:framework", "@container": "@set"}}
RELEASE_FRAME = {
    "occupation": {"@embed": ALWAYS},
    "evidence": {"@embed": ALWAYS},
    "statements": {
        "@embed": ALWAYS,
        "level": {"@embed": ALWAYS},
        "domain": {"@embed": ALWAYS},
        "citation": {"@embed": ALWAYS, "citedEntity": {"@embed": ALWAYS}},
    },
}


@dataclass(eq=False)
class Frame:
    """One level of a frame, its terms expanded: what to embed, and which properties a node
    must have one of to match (none: any node matches)."""
    embed: str
    properties: dict[str, "Frame"] = field(default_factory=dict)
    reverse: dict[str, "Frame"] = field(default_factory=dict)
    by_id: bool = False  # a frame naming its node's @id matches by that alone

    @classmethod
    def of(cls, frame: dict, compactor: Compactor) -> "Frame":
        """A frame written in the context's terms, as pyld reads it (@embed defaults to @once)."""
        here = cls(frame.get("@embed", ONCE), by_id="@id" in frame)
        for term, sub in frame.items():
            if term.startswith("@"):
                continue
            mapping = compactor.terms[term]
            (here.reverse if mapping["reverse"] else here.properties)[mapping["@id"]] = cls.of(sub, compactor)
        return here

    def implicit(self) -> "Frame":
        """The frame of a property the frame does not name: any node, with this level's @embed."""
        return IMPLICIT[self.embed]

    @cached_property
    def settled(self) -> bool:
        """@always all the way down, with no reverse property: what it embeds depends on nothing
        but the ancestors."""
        return self.embed == ALWAYS and not self.reverse and all(f.settled for f in self.properties.values())


IMPLICIT = {ALWAYS: Frame(ALWAYS), ONCE: Frame(ONCE)}
REFERENCE = object()  # framed as a reference: the caller writes it as the value of its property


def node_map(triples: Iterable[ox.Triple]) -> dict[str, dict[str, Any]] | None:
    """Subjects as pyld's from_rdf reads them: @id, @type (IRIs of rdf:type) and each property's
    values in the order of their first triple; literals as value objects, without xsd:string.
    None when pyld would read the triples otherwise than this walk writes them: a blank node,
    a list (rdf:nil), a JSON literal, or the string "@null" (which pyld's framing drops)."""
    nodes: dict[str, dict[str, Any]] = {}
    for subject, predicate, o in dict.fromkeys(triples):
        if not isinstance(subject, ox.NamedNode):
            return None
        node = nodes.get(subject.value) or nodes.setdefault(subject.value, {"@id": subject.value})
        p = predicate.value
        if isinstance(o, ox.NamedNode):
            value: dict[str, str] = {"@id": o.value}
            if value["@id"] == RDF_NIL:
                return None
            if p == RDF_TYPE:
                node.setdefault("@type", []).append(value["@id"])
                continue
        elif not isinstance(o, ox.Literal):
            return None
        elif o.language:
            value = {"@value": o.value, "@language": o.language}
        else:
            datatype = o.datatype.value
            value = {"@value": o.value} if datatype == XSD_STRING else {"@value": o.value, "@type": datatype}
            if datatype == RDF_JSON:
                return None
        if value.get("@value") == "@null":
            return None
        node.setdefault(p, []).append(value)
    return nodes


def add_value(target: dict, key: str, value: Any, as_array: bool) -> None:
    """pyld's add_value: a second value turns a single value into an array."""
    if isinstance(value, list):
        if not value and as_array and key not in target:
            target[key] = []
        for v in value:
            add_value(target, key, v, as_array)
    elif key in target:
        if not isinstance(target[key], list):
            target[key] = [target[key]]
        target[key].append(value)
    else:
        target[key] = [value] if as_array else value


class Nesting:
    """pyld 2's framing of one node map and its compaction, in one walk: each node is framed
    and written in compact form at once.

    A node framed @always all the way down (a level, a source) comes out the same wherever it
    recurs, but for one thing: pyld embeds no ancestor (other than the parent) again. So each
    such subtree is written once per answer to the questions "is Y an ancestor?" it asked of
    the ancestors above it, and reused where the same questions get the same answers."""

    def __init__(self, nodes: dict[str, dict[str, Any]], compactor: Compactor):
        self.nodes, self.c = nodes, compactor
        self.stack: list[str] = []  # the nodes being framed, outermost first
        self.depth: dict[str, int] = {}  # node -> its first place in the stack
        self._referrers: dict[str, dict[str, list[str]]] = {}
        self._asked: list[tuple[int, dict[str, bool]]] = []  # per subtree being written: its depth, its questions
        self._written: dict[tuple[str, int], list[tuple[dict[str, bool], Any, dict[str, None]]]] = {}

    def referrers(self, prop: str, iri: str) -> list[str]:
        """The subjects with `iri` as a value of `prop`, in IRI order."""
        if prop not in self._referrers:
            index: dict[str, list[str]] = {}
            for subject in sorted(self.nodes):
                for v in {v["@id"] for v in self.nodes[subject].get(prop, ()) if "@id" in v}:
                    index.setdefault(v, []).append(subject)
            self._referrers[prop] = index
        return self._referrers[prop].get(iri, [])

    def frame(self, iri: str, frame: Frame, embeds: dict[str, None], embedded: bool, prop: str | None) -> Any:
        """The node `iri` framed by `frame`, compacted: a dict, REFERENCE (write it as a reference),
        or None (no match; or, at the top, embedded already)."""
        node = self.nodes.get(iri) or {"@id": iri}
        if frame.properties and not frame.by_id and not any(node.get(p) for p in frame.properties):
            return None
        if prop is None:  # each top-level match keeps its own record of embedded nodes
            embeds = {}
        if not embedded and iri in embeds:
            return None
        if embedded and (self._is_ancestor(iri) or (frame.embed == ONCE and iri in embeds)):
            return REFERENCE
        if embedded and frame.settled:
            return self._settled(iri, node, frame, embeds, prop)
        return self._embed(iri, node, frame, embeds, embedded, prop)

    def _is_ancestor(self, iri: str) -> bool:
        """Whether `iri` is in the stack but for its last node (pyld's test for a circular embed)."""
        depth = self.depth.get(iri, len(self.stack))
        for above, asked in self._asked:
            asked[iri] = depth < above
        return depth < len(self.stack) - 1

    def _settled(self, iri: str, node: dict, frame: Frame, embeds: dict[str, None], prop: str | None) -> Any:
        written = self._written.setdefault((iri, id(frame)), [])
        for asked, out, inner in written:
            if all((y in self.depth) == answer for y, answer in asked.items()):
                for above, outer in self._asked:
                    outer.update((y, self.depth.get(y, above) < above) for y in asked)
                embeds.update(inner)
                return out
        asked, inner = {}, {}
        self._asked.append((len(self.stack), asked))
        out = self._embed(iri, node, frame, inner, True, prop)
        self._asked.pop()
        written.append((asked, out, inner))
        embeds.update(inner)
        return out

    def _embed(self, iri: str, node: dict, frame: Frame, embeds: dict[str, None], embedded: bool, prop: str | None) -> Any:
        embeds[iri] = None
        self.depth.setdefault(iri, len(self.stack))
        self.stack.append(iri)
        properties: dict[str, Any] = {}
        for key in sorted(node):
            if not key.startswith("@"):
                self._values(key, node[key], frame.properties.get(key) or frame.implicit(), embeds, properties)
        reverse: dict[str, Any] = {}
        for reverse_prop, sub in sorted(frame.reverse.items()):
            self._reverse(reverse_prop, iri, sub, embeds, embedded, prop, reverse)
        self.stack.pop()
        if self.depth[iri] == len(self.stack):
            del self.depth[iri]
        return self._written_node(iri, node, properties, reverse)

    def _written_node(self, iri: str, node: dict, properties: dict[str, Any], reverse: dict[str, Any]) -> Any:
        if not properties and not reverse and "@type" not in node:
            return REFERENCE
        out: dict[str, Any] = {self.c.iri("@id", True): self.c.iri(iri, False)}
        for term in list(reverse):
            if self.c.is_reverse(term):
                add_value(out, term, reverse.pop(term), self.c.as_array(term))
        if reverse:
            add_value(out, self.c.iri("@reverse", True), reverse, False)
        if "@type" in node:
            types = [self.c.iri(t, True) for t in node["@type"]]
            add_value(out, self.c.iri("@type", True), types[0] if len(types) == 1 else types, False)
        out.update(properties)  # no property takes the key of @id, @type or a reverse property
        return out

    def _values(self, key: str, values: list[dict], sub: Frame, embeds: dict[str, None], out: dict) -> None:
        for v in values:
            if "@id" in v:
                framed = self.frame(v["@id"], sub, embeds, True, key)
                if framed is None:
                    continue
                term = self.c.node_term(key, v["@id"])
                compacted = self.c.reference(term, v["@id"]) if framed is REFERENCE else framed
            else:
                term = self.c.literal_term(key, v)
                compacted = self.c.literal(term, v)
            add_value(out, term, compacted, self.c.as_array(term))

    def _reverse(self, reverse_prop: str, iri: str, sub: Frame, embeds: dict[str, None], embedded: bool,
                 prop: str | None, out: dict) -> None:
        referrers = self.referrers(reverse_prop, iri)
        if not referrers:
            return
        matches = []
        for subject in referrers:
            # pyld frames these with the parent's property and "embedded" flag (a misspelt key in its code)
            framed = self.frame(subject, sub, embeds, embedded, prop)
            if framed is not None:
                matches.append((subject, framed))
        if not matches:
            add_value(out, self.c.property_term(reverse_prop, [], True), [], True)
        for subject, framed in matches:
            term = self.c.node_term(reverse_prop, subject, True)
            add_value(out, term, self.c.reference(term, subject) if framed is REFERENCE else framed, self.c.as_array(term))


def framed(triples: list[ox.Triple], iri: str, compactor: Compactor, frame: dict) -> dict | None:
    """The document pyld's jsonld.frame gives for {"@context": <the compactor's context>, "@id": iri,
    **frame} (options omitGraph and omitDefault) over these triples, its "@context" left for the
    caller to write; None for triples only pyld writes as pyld does (see node_map)."""
    nodes = node_map(triples)
    if nodes is None:
        return None
    output = Nesting(nodes, compactor).frame(iri, Frame.of({"@id": iri, **frame}, compactor), {}, False, None)
    if output is REFERENCE:  # no triple about the release: pyld frames it if a triple names it
        named = any(isinstance(t.object, ox.NamedNode) and t.object.value == iri for t in triples)
        output = compactor.reference(None, iri) if named else {}
    return {"@context": None, **output}


__all__ = ["FRAME_EXTRA", "RELEASE_FRAME", "Frame", "Nesting", "framed", "node_map"]
