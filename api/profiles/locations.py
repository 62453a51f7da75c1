"""Where the profiles' links point: locations on the host that served the answer.

Identifiers stay in the namespace; what a consumer is meant to fetch (a CASE `uri`, an Open
Badges `targetUrl`) is a location under the server's base (api/locations.py: the public URL or the request's
own base, as for every other link).
"""
from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request

from ..locations import base

CASE_PATH = "ims/case/v1p1/"  # the CASE 1.1 REST API's base path


@dataclass(frozen=True)
class Locations:
    root: str  # the server's base URL, ending in '/'
    namespace: str

    @classmethod
    def of(cls, request: Request) -> "Locations":
        return cls(base(request), request.app.state.settings.namespace)

    def resource(self, iri: str) -> str:
        """Where an IRI minted under the namespace is served; any other IRI is its own location."""
        return self.root + iri[len(self.namespace):] if iri.startswith(self.namespace) else iri

    def profiled(self, iri: str, token: str) -> str:
        """Where a resource is served in one profile."""
        return f"{self.resource(iri)}?_profile={token}"

    def case(self, collection: str, identifier: str) -> str:
        """A CASE object in the REST API: CFItems, CFAssociations, CFDocuments, CFPackages ..."""
        return f"{self.root}{CASE_PATH}{collection}/{identifier}"


__all__ = ["Locations", "CASE_PATH"]
