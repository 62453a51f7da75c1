"""Labels for what a page shows: names of resources, of properties, and values as the page writes them.

Names come from the triples a page already has where they say so and from the store for the
rest, in as few queries as possible (one per 200 resources); the ontology's own labels are
read once per server. Terms of other vocabularies have labels of their own below.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable

import pyoxigraph as ox

from skillsgraph.vocab import (
    CITO, DCAT, DCTERMS, FOAF, OWL, PREFIXES as VOCABULARY, PROV, RDF, RDFS, SCHEMA, SG, SH, SKOS, UNIT, VOID, XSD,
)

from ..model.resource import NAME_PROPERTIES, best_literal
from skillsgraph.store.base import Values

from ..served import Generation
from ..store_access import Reader, iri as iri_term
from .frame import Page

RDF_TYPE = RDF.type
# The prefixes a page abbreviates IRIs with, in the order they are tried.
CURIE_PREFIXES = {p: VOCABULARY[p] for p in ("sg", "rdf", "rdfs", "xsd", "owl", "skos", "dcterms", "dcat", "prov",
                                             "foaf", "cito", "schema", "unit", "void", "sh")}
COLLAPSE_AFTER = 12
NAMES_PER_QUERY = 200

# Labels for the terms of other vocabularies the data uses (the ontology graph labels ours).
BUILTIN_LABELS = {
    RDF_TYPE: "type", RDFS + "label": "label", RDFS + "comment": "comment", RDFS + "subClassOf": "subclass of",
    RDFS + "subPropertyOf": "subproperty of", RDFS + "domain": "domain", RDFS + "range": "range",
    RDFS + "seeAlso": "see also", RDFS + "isDefinedBy": "defined by",
    OWL + "versionInfo": "version", OWL + "inverseOf": "inverse of", OWL + "disjointWith": "disjoint with",
    OWL + "Class": "OWL class", OWL + "ObjectProperty": "object property", OWL + "DatatypeProperty": "datatype property",
    OWL + "AnnotationProperty": "annotation property", OWL + "Ontology": "ontology",
    SKOS + "prefLabel": "preferred label", SKOS + "altLabel": "alternative label", SKOS + "notation": "notation",
    SKOS + "definition": "definition", SKOS + "scopeNote": "scope note", SKOS + "inScheme": "in scheme",
    SKOS + "hasTopConcept": "top concept", SKOS + "closeMatch": "close match", SKOS + "exactMatch": "exact match",
    SKOS + "Concept": "concept", SKOS + "ConceptScheme": "concept scheme",
    DCTERMS + "title": "title", DCTERMS + "description": "description", DCTERMS + "publisher": "publisher",
    DCTERMS + "creator": "creator", DCTERMS + "license": "licence", DCTERMS + "source": "source",
    DCTERMS + "issued": "issued", DCTERMS + "modified": "modified", DCTERMS + "rights": "rights",
    DCTERMS + "bibliographicCitation": "citation", DCTERMS + "isVersionOf": "version of",
    DCTERMS + "hasPart": "has part", DCTERMS + "alternative": "alternative title",
    DCAT + "dataset": "dataset", DCAT + "inSeries": "in series", DCAT + "distribution": "distribution",
    DCAT + "downloadURL": "download URL", DCAT + "mediaType": "media type", DCAT + "compressFormat": "compression",
    DCAT + "Dataset": "dataset", DCAT + "Distribution": "distribution",
    PROV + "wasDerivedFrom": "derived from", FOAF + "page": "web page", FOAF + "homepage": "home page",
    CITO + "citesAsEvidence": "cites as evidence", CITO + "hasCitingEntity": "citing entity",
    CITO + "hasCitedEntity": "cited entity", CITO + "hasCitationCharacterization": "characterisation",
    SCHEMA + "name": "name", SCHEMA + "value": "value", SCHEMA + "valueReference": "value",
    SCHEMA + "unitCode": "unit", SCHEMA + "maxValue": "maximum value",
    VOID + "triples": "triples", VOID + "subset": "subset", VOID + "dataDump": "data dump",
    VOID + "sparqlEndpoint": "SPARQL endpoint", VOID + "uriSpace": "URI space", VOID + "vocabulary": "vocabulary",
    VOID + "Dataset": "VoID dataset",
    SH + "NodeShape": "node shape", SH + "PropertyShape": "property shape", SH + "property": "property constraint",
    SH + "path": "path", SH + "targetClass": "target class", SH + "message": "message", SH + "severity": "severity",
}
LICENCE_NAMES = {
    "https://creativecommons.org/licenses/by/4.0/": "CC BY 4.0",
    "http://creativecommons.org/licenses/by/4.0/": "CC BY 4.0",
    "https://creativecommons.org/publicdomain/zero/1.0/": "CC0 1.0",
    "https://creativecommons.org/licenses/by-sa/4.0/": "CC BY-SA 4.0",
    "https://creativecommons.org/publicdomain/mark/1.0/": "Public Domain Mark 1.0",
}
UNIT_SUFFIX = {UNIT + "PERCENT": " %"}

# Datatypes not worth a tag next to a value: plain strings and numbers read as what they are.
QUIET_DATATYPES = {XSD + t for t in ("string", "integer", "decimal", "positiveInteger", "nonNegativeInteger", "double",
                                     "boolean")} | {RDF + "langString"}



def vocabulary_labels(reader: Reader, generation: Generation, namespace: str) -> dict[str, str]:
    """rdfs:label of every term of the ontology (read once per generation from its graph in the store)."""
    def read() -> dict[str, str]:
        found: dict[str, list] = {}
        for row in reader.select("vocabulary-labels", graph=iri_term(namespace + "graph/ontology")):
            found.setdefault(row["t"].value, []).append(row["l"])
        return {t: best_literal(ls).value for t, ls in found.items() if best_literal(ls) is not None}
    return generation.kept("vocabulary labels", read)


def names(reader: Reader, iris: Iterable[str], triples: Iterable[ox.Triple] = (),
          fetched: set[str] | None = None) -> dict[str, dict[str, str]]:
    """For each IRI: its 'label' (best name) and 'chip' (sg:chipLabel), from the given triples
    where they say so and from the store for the rest (noted in `fetched`)."""
    wanted = set(iris)
    props = set(NAME_PROPERTIES) | {SG.chipLabel}
    values: dict[str, dict[str, list]] = {i: {} for i in wanted}
    for t in triples:
        s = t.subject.value if isinstance(t.subject, ox.NamedNode) else None
        if s in wanted and t.predicate.value in props:
            values[s].setdefault(t.predicate.value, []).append(t.object)
    missing = sorted(i for i in wanted if not values[i])
    if fetched is not None:
        fetched.update(missing)
    for start in range(0, len(missing), NAMES_PER_QUERY):
        rows = Values.column("s", (iri_term(i) for i in missing[start:start + NAMES_PER_QUERY]))
        for row in reader.select("names", rows):
            values[row["s"].value].setdefault(row["p"].value, []).append(row["o"])
    out: dict[str, dict[str, str]] = {}
    for i in wanted:
        entry = {}
        for p in NAME_PROPERTIES:
            best = best_literal(values[i].get(p, []))
            if best is not None:
                entry["label"] = best.value
                break
        chip = best_literal(values[i].get(SG.chipLabel, []))
        if chip is not None:
            entry["chip"] = chip.value
        out[i] = entry
    return out


def humanise(iri: str) -> str:
    """'targetClass' -> 'target class'; acronyms ('SOC', 'URI') keep their capitals."""
    local = re.split(r"[#/]", iri.rstrip("/#"))[-1] or iri
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", local).replace("_", " ").replace("-", " ").split()
    return " ".join(w.lower() if w[1:].islower() or len(w) == 1 else w for w in words) or local


def curie(iri: str) -> str | None:
    for prefix, ns in CURIE_PREFIXES.items():
        if iri.startswith(ns) and re.fullmatch(r"[A-Za-z_][\w.-]*", iri[len(ns):] or "-"):
            return f"{prefix}:{iri[len(ns):]}"
    return None


def tail(iri: str, namespace: str) -> str:
    """An IRI as short as a page may write it: its path under the namespace, or a CURIE."""
    return iri[len(namespace):] if iri.startswith(namespace) else (curie(iri) or iri)


def natural_key(text: str) -> list:
    return [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", text)]


# ---- values and rows -------------------------------------------------------------------------

@dataclass
class Val:
    text: str
    kind: str = "literal"  # literal | iri | bnode
    href: str | None = None
    iri: str | None = None
    lang: str | None = None
    datatype: str | None = None
    external: bool = False
    note: str | None = None
    nested: list["Row"] | None = None  # a blank node's own properties, shown in place


@dataclass
class Row:
    label: str
    prop: str
    values: list[Val]
    prop_href: str | None = None

    @property
    def collapsed(self) -> bool:
        return len(self.values) > COLLAPSE_AFTER


@dataclass
class Node:
    """A resource as the page shows it: title, types, lead text and labelled rows."""
    iri: str
    title: str
    anchor: str | None = None
    types: list[Val] = field(default_factory=list)
    lead: list[Val] = field(default_factory=list)
    literal_rows: list[Row] = field(default_factory=list)
    link_rows: list[Row] = field(default_factory=list)


class Labeller:
    """Turns terms into displayable values, with names resolved in as few queries as possible."""

    def __init__(self, page: Page, reader: Reader, triples: list[ox.Triple]):
        self.page = page
        self.triples = triples
        self.vocab = vocabulary_labels(reader, page.request.app.state.generation, page.namespace)
        linked = {t.object.value for t in triples if isinstance(t.object, ox.NamedNode)}
        linked |= {t.subject.value for t in triples if isinstance(t.subject, ox.NamedNode)}
        self.reader = reader
        self.fetched: set[str] = set()
        self._read = names(reader, linked, triples, self.fetched)
        self.names = dict(self._read)
        self.names.update({i: n for i, n in self._derived_names().items() if "label" not in self.names.get(i, {})})

    def store_names(self, iris: list[str]) -> dict[str, dict[str, str]]:
        """Names as the store alone gives them (a chip is never in a page's triples), reusing
        what was read already."""
        out = {i: self._read[i] for i in iris if i in self.fetched}
        rest = [i for i in iris if i not in out]
        return {**out, **(names(self.reader, rest) if rest else {})}

    def _derived_names(self) -> dict[str, dict[str, str]]:
        """Nodes without a name of their own (citations, anchors, observations) are named
        after what they point to and their place in their list."""
        out = {}
        by_subject: dict[str, dict[str, list]] = {}
        for t in self.triples:
            if isinstance(t.subject, ox.NamedNode):
                by_subject.setdefault(t.subject.value, {}).setdefault(t.predicate.value, []).append(t.object)
        for s, props in by_subject.items():
            for pointer in (CITO + "hasCitedEntity", SG + "anchors", SG + "metric"):
                target = next((o for o in props.get(pointer, []) if isinstance(o, ox.NamedNode)), None)
                if target is None:
                    continue
                name = self.names.get(target.value, {})
                label = name.get("chip") or name.get("label") or tail(target.value, self.page.namespace)
                position = next((o.value for o in props.get(SG + "position", [])), None)
                out[s] = {"label": f"{label} (#{position})" if position else label}
                break
        return out

    def label_of(self, iri: str) -> str:
        return self.names.get(iri, {}).get("label") or self.vocab.get(iri) or BUILTIN_LABELS.get(iri) \
            or tail(iri, self.page.namespace)

    def property_label(self, iri: str) -> str:
        return self.vocab.get(iri) or BUILTIN_LABELS.get(iri) or humanise(iri)

    def blank_rows(self, node: ox.BlankNode, depth: int) -> list[Row]:
        """A blank node has no page of its own: its properties are shown where it is used."""
        if depth > 4:
            return []
        props: dict[str, list] = {}
        for t in self.triples:
            if t.subject == node:
                props.setdefault(t.predicate.value, []).append(t.object)
        return [Row(self.property_label(p), p, [self.value(o, depth + 1) for o in sorted(objs, key=str)],
                    self.page.href(p)) for p, objs in sorted(props.items(), key=lambda kv: self.property_label(kv[0]).lower())]

    def value(self, term, depth: int = 0) -> Val:
        if isinstance(term, ox.NamedNode):
            href = self.page.href(term.value)
            external = not term.value.startswith(self.page.namespace)
            name = self.names.get(term.value, {}).get("label")
            text = name or self.vocab.get(term.value) or BUILTIN_LABELS.get(term.value) or \
                LICENCE_NAMES.get(term.value) or (curie(term.value) if external else None) or \
                (term.value if external else tail(term.value, self.page.namespace))
            return Val(text, "iri", href, term.value, external=external)
        if isinstance(term, ox.BlankNode):
            return Val("(anonymous node)", "bnode", nested=self.blank_rows(term, depth))
        if isinstance(term, ox.Literal):
            dt = term.datatype.value if term.datatype else None
            shown_dt = None if dt is None or dt in QUIET_DATATYPES else (curie(dt) or dt)
            return Val(term.value, "literal", lang=term.language or None, datatype=shown_dt)
        return Val(str(term))


