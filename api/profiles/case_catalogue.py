"""The CASE REST API's view of the store: which release each CASE identifier belongs to.

A CASE identifier is a UUID derived from an IRI, so it cannot be read back into one: the
first request reads every release once and keeps, per identifier, the release it belongs
to, and each release's own facts for the list of CFDocuments (the store never changes while
served, so this holds for the app's life). Releases and their CASE objects are then kept
for the last few releases asked for, since a consumer mirroring a framework asks for
hundreds of objects of one release in a row.
"""
from __future__ import annotations

import dataclasses
import threading

from ..model.recent import Recent
from ..model.release import Release, read_release, release_iris
from ..store_access import Reader
from .case import Framework, framework, standalone_document
from .locations import Locations


class CaseCatalogue:
    def __init__(self, namespace: str):
        self._namespace = namespace
        self._lock = threading.Lock()
        self._owner: dict[str, str] | None = None  # identifier -> release IRI
        self._releases: list[Release] = []  # each release's own facts (no statements), by title, then IRI
        self._frameworks = Recent()  # (release IRI, root) -> Framework; the releases are the reader's

    def documents(self, reader: Reader, where: Locations) -> list[dict]:
        """Every release's CFDocument, without reading the store again."""
        self._index(reader)
        return [standalone_document(release, where) for release in self._releases]

    def owner(self, reader: Reader, identifier: str) -> str | None:
        """The IRI of the release the identifier belongs to, if any."""
        return self._index(reader).get(identifier)

    def framework(self, reader: Reader, release_iri: str, where: Locations) -> Framework:
        return self._frameworks.kept((release_iri, where.root),
                                     lambda: framework(read_release(reader, release_iri), where))

    def _index(self, reader: Reader) -> dict[str, str]:
        if self._owner is not None:
            return self._owner
        with self._lock:  # one request reads the catalogue; the others wait for it
            if self._owner is None:
                owner, releases = {}, []
                # Identifiers do not depend on where objects are served: any root will do.
                where = Locations("/", self._namespace)
                for iri in release_iris(reader):
                    release = read_release(reader, iri)
                    owner.update(dict.fromkeys(framework(release, where).identifiers(), iri))
                    releases.append(dataclasses.replace(release, statements=[], evidence=[], sources={},
                                                        all_sources=[], occupation_facts=None))
                self._releases = sorted(releases, key=lambda r: (r.label, r.iri))
                self._owner = owner
        return self._owner


__all__ = ["CaseCatalogue"]
