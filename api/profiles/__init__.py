"""Profiles of framework releases and statements, by token and by profile URI.

A profile is a way of describing the same resource in another community's model
(W3C "Content Negotiation by Profile"): each has a short token for `_profile=`, a URI for
`Accept-Profile` / `Content-Profile`, one media type, and a builder from a `Release`
(and a statement of it) to the document. `skillsgraph` is the default: our own RDF,
negotiated by Accept as before, so it has no builder.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Union

import pyoxigraph as ox

from skillsgraph.vocab import DCAT, DCTERMS, DEFAULT_NAMESPACE, RDF, SG

from .. import schema_org
from ..model.release import Release, Statement
from . import case, csv_export, ctdl_asn, open_badges
from .locations import Locations

Document = Union[dict, str]
CSV = "text/csv"


@dataclass(frozen=True)
class Profile:
    token: str
    uri: str
    title: str
    media_type: str
    description: str
    specification: str
    # Each builder is also given where the answer's links are located (profiles/locations.py).
    build_release: Callable[[Release, Locations], Document] | None = None
    build_statement: Callable[[Release, Statement, Locations], Document] | None = None

    @property
    def is_default(self) -> bool:
        return self.build_release is None

    @property
    def bulk_name(self) -> str:
        """The whole-catalogue download: one JSON document per line, or one CSV."""
        return f"{self.token}.csv" if self.media_type == CSV else f"{self.token}.jsonl"


def _naming_iris_only(module) -> tuple[Callable, Callable]:
    """The builders of a profile whose documents link to IRIs only, called as the others are."""
    return (lambda release, _where: module.release_document(release),
            lambda release, statement, _where: module.statement_document(release, statement))


# The ontology document: its namespace without the '#'.
ONTOLOGY = SG.rstrip("#")
JSONL = "application/x-ndjson"

DEFAULT = Profile(
    "skillsgraph", ONTOLOGY, "skillsgraph (default)", "application/ld+json",
    "Our own RDF, in the skillsgraph ontology: JSON-LD, Turtle, N-Triples, RDF/XML or HTML by Accept.",
    ONTOLOGY)

PROFILES: dict[str, Profile] = {p.token: p for p in [
    DEFAULT,
    Profile(ctdl_asn.TOKEN, "https://purl.org/ctdlasn/terms/", "CTDL-ASN", "application/ld+json",
            "Credential Engine's competency framework model: the release as a ceasn:CompetencyFramework, statements "
            "as ceasn:Competency, levels as an asn:ProgressionModel, occupation and CIP codes as alignment objects.",
            "https://credreg.net/ctdlasn/terms", *_naming_iris_only(ctdl_asn)),
    Profile("case", "https://purl.imsglobal.org/spec/case/v1p1/", "1EdTech CASE 1.1", "application/json",
            "A CASE 1.1 CFPackage (CFDocument, CFItems, CFAssociations, CFDefinitions, CFRubrics) for a release; the "
            "CFItem and its associations for a statement; every object also at its `uri` in the CASE 1.1 REST API "
            "(/ims/case/v1p1/). UUIDs are uuid5 of our IRIs.",
            "https://www.imsglobal.org/spec/case/v1p1/", case.release_document, case.statement_document),
    Profile(open_badges.TOKEN, "https://purl.imsglobal.org/spec/ob/v3p0/", "Open Badges 3.0 Achievement", "application/ld+json",
            "A ready Open Badges 3.0 Achievement (achievementType Competency) aligned to the statement IRI; for a "
            "release, its Achievement with the mastery levels as a ResultDescription, then every statement's.",
            "https://www.imsglobal.org/spec/ob/v3p0/", open_badges.release_document, open_badges.statement_document),
    Profile("schema-org", "https://schema.org/", "schema.org", "application/ld+json",
            "The occupation as schema:Occupation with CategoryCodes, the statements as DefinedTerms of the "
            "release's DefinedTermSet, CIP programmes as education requirements.",
            "https://schema.org/Occupation", *_naming_iris_only(schema_org)),
    Profile("csv", DEFAULT_NAMESPACE + "profile/csv", "CSV of statements", CSV,
            "One row per statement: IRI, framework, kind, domain, level, position, label, text, citations.",
            "https://www.rfc-editor.org/rfc/rfc4180", *_naming_iris_only(csv_export)),
]}
BY_URI: dict[str, Profile] = {p.uri: p for p in PROFILES.values()}


def lookup(name: str) -> Profile | None:
    """A profile by token or URI (angle brackets optional)."""
    name = name.strip()
    if name.startswith("<") and name.endswith(">"):
        name = name[1:-1].strip()
    return PROFILES.get(name) or BY_URI.get(name)


def exports() -> list[Profile]:
    """The profiles with documents of their own (all but the default)."""
    return [p for p in PROFILES.values() if not p.is_default]


def distributions(dataset: str, namespace: str, base: str) -> list[ox.Triple]:
    """Each profile's bulk download as a dcat:Distribution of the dataset, conforming to the profile;
    the download is a location under `base`, the server that answers."""
    out = []
    for p in exports():
        dist = ox.NamedNode(f"{namespace}dataset#profile-{p.token}")
        media = "text/csv" if p.media_type == CSV else JSONL
        out += [ox.Triple(ox.NamedNode(dataset), ox.NamedNode(DCAT.distribution), dist),
                ox.Triple(dist, ox.NamedNode(RDF.type), ox.NamedNode(DCAT.Distribution)),
                ox.Triple(dist, ox.NamedNode(DCTERMS.term("title")), ox.Literal(f"All framework releases as {p.title}", language="en")),
                ox.Triple(dist, ox.NamedNode(DCAT.downloadURL), ox.NamedNode(f"{base}dump/profile/{p.bulk_name}")),
                ox.Triple(dist, ox.NamedNode(DCAT.mediaType), ox.NamedNode(f"https://www.iana.org/assignments/media-types/{media}")),
                ox.Triple(dist, ox.NamedNode(DCTERMS.conformsTo), ox.NamedNode(p.uri))]
    return out


__all__ = ["Profile", "PROFILES", "DEFAULT", "Locations", "lookup", "exports", "distributions", "CSV", "JSONL"]
