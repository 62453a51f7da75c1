"""The CASE REST API's view of the store: which release each CASE identifier belongs to.

A CASE identifier is a UUID derived from an IRI, so it cannot be read back into one: the
first request reads every release once and keeps, per identifier, the release it belongs
to (the store never changes while served, so this holds for the app's life). Releases and
their CASE objects are then kept for the last few releases asked for, since a consumer
mirroring a framework asks for hundreds of objects of one release in a row.
"""
from __future__ import annotations

import threading
from collections import OrderedDict

from ..model.release import Release, read_release, release_iris
from ..store_access import Reader
from .case import Framework, framework
from .locations import Locations

KEPT = 8  # releases (and their CASE objects per host) kept at once


class CaseCatalogue:
    def __init__(self, namespace: str):
        self._namespace = namespace
        self._lock = threading.Lock()
        self._owner: dict[str, str] | None = None  # identifier -> release IRI
        self._releases: list[str] = []  # in title order, then IRI
        self._read: OrderedDict[str, Release] = OrderedDict()
        self._frameworks: OrderedDict[tuple[str, str], Framework] = OrderedDict()

    def releases(self, reader: Reader) -> list[str]:
        self._index(reader)
        return self._releases

    def owner(self, reader: Reader, identifier: str) -> str | None:
        """The IRI of the release the identifier belongs to, if any."""
        return self._index(reader).get(identifier)

    def framework(self, reader: Reader, release_iri: str, where: Locations) -> Framework:
        key = (release_iri, where.root)
        with self._lock:
            if key in self._frameworks:
                self._frameworks.move_to_end(key)
                return self._frameworks[key]
        built = framework(self._release(reader, release_iri), where)
        with self._lock:
            self._frameworks[key] = built
            while len(self._frameworks) > KEPT:
                self._frameworks.popitem(last=False)
        return built

    def _release(self, reader: Reader, iri: str) -> Release:
        with self._lock:
            if iri in self._read:
                self._read.move_to_end(iri)
                return self._read[iri]
        release = read_release(reader, iri)
        with self._lock:
            self._read[iri] = release
            while len(self._read) > KEPT:
                self._read.popitem(last=False)
        return release

    def _index(self, reader: Reader) -> dict[str, str]:
        if self._owner is not None:
            return self._owner
        with self._lock:  # one request reads the catalogue; the others wait for it
            if self._owner is None:
                owner, titles = {}, {}
                # Identifiers do not depend on where objects are served: any root will do.
                where = Locations("/", self._namespace)
                for iri in release_iris(reader):
                    release = read_release(reader, iri)
                    titles[iri] = release.label
                    owner.update(dict.fromkeys(framework(release, where).identifiers(), iri))
                self._releases = sorted(titles, key=lambda i: (titles[i], i))
                self._owner = owner
        return self._owner


__all__ = ["CaseCatalogue"]
