"""The loader's IRIs: skillsgraph.iris minting rdflib terms, so that every loader module mints
and reads IRIs through this one import."""
from __future__ import annotations

from rdflib import URIRef

from skillsgraph.iris import (
    CODE_PATHS, DESCRIPTOR_SEGMENTS, ESCO_IRI_FORMS, Iris as _Iris, is_esco_iri, isco_of_iri, slug, statement_parts,
    statement_path,
)


class Iris(_Iris[URIRef]):
    def __init__(self, namespace: str):
        super().__init__(namespace, URIRef)


__all__ = ["CODE_PATHS", "DESCRIPTOR_SEGMENTS", "ESCO_IRI_FORMS", "Iris", "is_esco_iri", "isco_of_iri", "slug",
           "statement_parts", "statement_path"]
