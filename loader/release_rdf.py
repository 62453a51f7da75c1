"""The source node of an imported published release, for every importer of published files
(loader.crosswalk, loader.classification): what it is (title, version), who publishes it under
which licence and with which attribution text, where it is downloaded, and each file imported,
as a dcat:Distribution with the file's SHA-256, so that every fact derived from it can be traced
to the exact bytes it was read from.

Writers take an rdflib Graph or a loader.nquads.QuadLines: anything with add((s, p, o)).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from rdflib import Literal, URIRef

from .graphs import DCAT, DCTERMS, FOAF, OWL, RDF, RDFS, SG, SKOS, Triples, text
from .iris import Iris

@dataclass(frozen=True)
class Publication:
    """What a publisher says of a release: the same for every copy of it."""
    title: str
    publisher: str
    license: URIRef | None
    page: str                 # where the release is downloaded from
    attribution: str          # the text its licence or publisher asks reusers to show


@dataclass(frozen=True)
class ImportedFile:
    name: str
    sha256: str
    summary: str              # what was read from it: rows, header line, counts


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def add_release(g: Triples, iris: Iris, source: URIRef, code: str, version: str, pub: Publication,
                classes: Iterable[URIRef], files: Iterable[ImportedFile]) -> URIRef:
    """The release node `source`, its publisher and its files."""
    title = f"{pub.title} ({version})"
    for cls in (SG.Source, *classes):
        g.add((source, RDF.type, cls))
    g.add((source, SKOS.notation, Literal(code)))
    g.add((source, RDFS.label, text(title)))
    g.add((source, DCTERMS.title, text(title)))
    g.add((source, OWL.versionInfo, Literal(version)))
    agent = iris.agent(pub.publisher)
    g.add((source, DCTERMS.publisher, agent))
    g.add((agent, RDF.type, SG.Agent))
    g.add((agent, RDFS.label, text(pub.publisher)))
    if pub.license is not None:
        g.add((source, DCTERMS.license, pub.license))
    g.add((source, FOAF.page, URIRef(pub.page)))
    g.add((source, SG.attribution, text(pub.attribution)))
    for f in files:
        node = iris.source_file(source, f.name)
        g.add((source, DCAT.distribution, node))
        g.add((node, RDF.type, DCAT.Distribution))
        g.add((node, DCTERMS.title, Literal(f.name)))
        g.add((node, SG.sha256, Literal(f.sha256)))
        g.add((source, SG.importedFile, Literal(f"{f.name}: {f.summary}")))
        if pub.license is not None:
            g.add((node, DCTERMS.license, pub.license))
    return source
