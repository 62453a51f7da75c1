"""The read model of any resource: what kind of thing an IRI names, and its description.

The kind is read once per request (one query): a framework answers 303 to its latest
release, a release and its statements have profiles, anything else is a described resource.
The description is the resource's own triples and those of the nodes it owns (describe.rq);
every page and document of a resource that is not a release is rendered from it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import pyoxigraph as ox

from skillsgraph.store.base import Values
from skillsgraph.vocab import DCTERMS, RDF, RDFS, SCHEMA, SG, SKOS

from ..store_access import Reader, iri

FRAMEWORK, RELEASE, STATEMENT, OTHER = "framework", "release", "statement", "other"

# Properties whose literal is a resource's name, in order of preference (names.rq reads the same).
NAME_PROPERTIES = [SKOS.prefLabel, RDFS.label, DCTERMS.term("title"), SCHEMA.name, SG.taskText, SKOS.notation, SG.onetSocCode]
# Properties whose literal describes a resource, in order of preference.
LEAD_PROPERTIES = [SG.statementText, SG.taskText, SG.contextCovered, DCTERMS.description, SKOS.definition,
                   DCTERMS.bibliographicCitation, RDFS.comment]


def _literal_rank(term: ox.Literal) -> int:
    lang = term.language or ""
    return 0 if lang in ("en", "en-us", "en-gb") else 1 if not lang else 2


def best_literal(terms: list) -> ox.Literal | None:
    """The literal to show: English first, then untagged, then any; the smallest of equals."""
    literals = [t for t in terms if isinstance(t, ox.Literal)]
    return min(literals, key=lambda t: (_literal_rank(t), t.value)) if literals else None


@dataclass(frozen=True)
class Kind:
    name: str  # framework | release | statement | other
    release: str | None = None  # a framework's latest release, the release itself, a statement's release

    @property
    def profiled(self) -> bool:
        return self.name in (RELEASE, STATEMENT)


def read_kind(reader: Reader, resource: str) -> Kind:
    rows = reader.select("resource-kind", resource=iri(resource))
    return Kind(rows[0]["kind"].value, rows[0]["release"].value) if rows else Kind(OTHER)


@dataclass
class Described:
    """A resource as its triples say: the page and the schema.org of anything but a release."""
    iri: str
    triples: list[ox.Triple]
    kind: Kind = field(default_factory=lambda: Kind(OTHER))

    @cached_property
    def own(self) -> dict[str, list]:
        """The resource's properties: predicate IRI -> its objects."""
        out: dict[str, list] = {}
        for t in self.triples:
            if isinstance(t.subject, ox.NamedNode) and t.subject.value == self.iri:
                out.setdefault(t.predicate.value, []).append(t.object)
        return out

    @cached_property
    def types(self) -> set[str]:
        return {o.value for o in self.own.get(RDF.type, []) if isinstance(o, ox.NamedNode)}

    @property
    def found(self) -> bool:
        return bool(self.own)

    def text(self, *props: str) -> str | None:
        """The best literal of the first of these properties that has one."""
        for p in props:
            best = best_literal(self.own.get(p, []))
            if best is not None:
                return best.value
        return None

    def link(self, prop: str) -> str | None:
        """The first IRI the resource links to by this property."""
        return next((o.value for o in self.own.get(prop, []) if isinstance(o, ox.NamedNode)), None)


def read_described(reader: Reader, resource: str, kind: Kind) -> Described:
    return Described(resource, reader.construct("describe", resource=iri(resource)), kind)


def read_release_document(reader: Reader, release: str) -> list[ox.Triple]:
    """The triples of a release's document (release-document.rq), then those of the levels,
    domains and sources its statements point to, by IRI."""
    triples = reader.construct("release-document", release=iri(release))
    shared = sorted(row["node"].value for row in reader.select("release-references", release=iri(release)))
    if shared:
        triples += reader.construct("nodes", Values.column("node", [iri(node) for node in shared]))
    return triples


__all__ = ["Kind", "Described", "best_literal", "NAME_PROPERTIES", "LEAD_PROPERTIES", "read_kind", "read_described", "read_release_document", "FRAMEWORK", "RELEASE", "STATEMENT", "OTHER"]
