"""The loader's IRIs: skillsgraph.iris minting rdflib terms."""
from __future__ import annotations

from rdflib import URIRef

from skillsgraph.iris import DESCRIPTOR_SEGMENTS, Iris as _Iris, slug, statement_path


class Iris(_Iris[URIRef]):
    def __init__(self, namespace: str):
        super().__init__(namespace, URIRef)


__all__ = ["DESCRIPTOR_SEGMENTS", "Iris", "slug", "statement_path"]
