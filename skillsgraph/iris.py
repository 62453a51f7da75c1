"""Mint and parse IRIs. Every IRI is built from codes and positions under one namespace,
never from row order or random ids, so the same input always yields the same IRIs.

Shared by the loader (which mints rdflib terms: Iris(namespace, URIRef)) and the API
(which reads codes back out of IRIs it is given), so that minting and parsing stay a pair.
No third-party import here: the term type is the caller's.
"""
from __future__ import annotations

import re
from typing import Callable, Generic, TypeVar

T = TypeVar("T", bound=str)

DESCRIPTOR_SEGMENTS = {
    "skills": "skill", "knowledge": "knowledge", "abilities": "ability",
    "work_styles": "work-style", "technology": "technology",
}


def slug(text: str) -> str:
    """'Judgment and Decision Making' -> 'judgment-and-decision-making'."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def statement_path(kind: str, level: str, position: int, domain: str | None = None) -> str:
    """A statement's path under its release, e.g. 'competency/proficient/3': also how a later
    release's source file names the statements it replaces or withdraws."""
    middle = f"{kind}/{domain}/{level}" if domain else f"{kind}/{level}"
    return f"{middle}/{position}"


class Iris(Generic[T]):
    def __init__(self, namespace: str, term: Callable[[str], T] = str):
        self.ns = namespace
        self._term = term

    def _iri(self, path: str) -> T:
        return self._term(self.ns + path)

    # occupations and codes
    def occupation(self, code: str) -> T:
        return self._iri(f"occupation/{code}")

    def task(self, code: str, position: int) -> T:
        return self._iri(f"occupation/{code}/task/{position}")

    def anchor(self, code: str, kind: str, position: int) -> T:
        return self._iri(f"occupation/{code}/anchor/{kind}/{position}")

    def job_zone(self, number: int) -> T:
        return self._iri(f"job-zone/{number}")

    def cip(self, code: str) -> T:
        return self._iri(f"cip2020/{code}")

    def descriptor_scheme(self, kind: str) -> T:
        return self._iri(f"onet/{DESCRIPTOR_SEGMENTS[kind]}")

    def descriptor(self, kind: str, name: str) -> T:
        return self._iri(f"onet/{DESCRIPTOR_SEGMENTS[kind]}/{slug(name)}")

    def element(self, element_id: str) -> T:
        """An O*NET content-model element: the framework's descriptors map to it by ID, and an
        imported release (loader.onet_rdf) describes it, so both must mint it here."""
        return self._iri(f"onet/element/{element_id}")

    # frameworks and statements
    def catalogue(self, code: str) -> T:
        return self._iri(f"catalogue/{code}")

    def framework(self, code: str) -> T:
        return self._iri(f"framework/{code}")

    def release(self, code: str, version: str) -> T:
        return self._iri(f"framework/{code}/v{version}")

    def statement(self, release: str, kind: str, level: str, position: int, domain: str | None = None) -> T:
        return self._term(f"{release}/{statement_path(kind, level, position, domain)}")

    def citation(self, statement: str, position: int) -> T:
        return self._term(f"{statement}/citation/{position}")

    def observation(self, release: str, metric: str) -> T:
        return self._term(f"{release}/evidence/{metric}")

    # shared registries
    def scale(self, code: str) -> T:
        return self._iri(f"scale/{code}")

    def level(self, scale: str, code: str) -> T:
        return self._iri(f"scale/{scale}/{code}")

    def domain_scheme(self) -> T:
        return self._iri("durable-domain")

    def domain(self, code: str) -> T:
        return self._iri(f"durable-domain/{code}")

    def source(self, code: str) -> T:
        return self._iri(f"source/{code}")

    def agent(self, name: str) -> T:
        return self._iri(f"agent/{slug(name)}")

    def metric_group(self, code: str) -> T:
        return self._iri(f"metric-group/{code}")

    def metric(self, code: str) -> T:
        return self._iri(f"metric/{code}")

    def code_list(self, code: str) -> T:
        return self._iri(f"code-list/{code}")

    def coded(self, scheme: str, code: str) -> T:
        return self._iri(f"code-list/{scheme}/{code}")

    def graph(self, name: str) -> T:
        return self._iri(f"graph/{name}")


# ---- parsing
# The codes an IRI was minted from, read back where the data states no skos:notation.

def last_code(iri: str) -> str:
    """The code of an IRI minted as `.../<code>`: scale/mastery -> 'mastery',
    scale/mastery/proficient -> 'proficient', cip2020/51.2301 -> '51.2301'."""
    return iri.rstrip("/").rsplit("/", 1)[-1]


def path_under(parent: str, iri: str) -> str:
    """An IRI's path below the IRI it was minted under (a statement's under its release:
    'competency/proficient/3'); the last code when it is not under it."""
    return iri[len(parent) + 1:] if iri.startswith(parent + "/") else last_code(iri)
