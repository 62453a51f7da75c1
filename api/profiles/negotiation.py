"""Profiles on dereferenced IRIs: which one a request gets, its document, the headers that say so.

A release or a statement may be asked for in a profile (then the profile's builder answers);
everything else answers with the default representation, and asking it for another profile
is a 406. Every answer for a profiled resource says which profile it conforms to
(Content-Profile) and links to the others (Link rel="alternate" with profile=).
"""
from __future__ import annotations

import json

from fastapi import HTTPException, Request, Response

from .. import locations
from ..model.release import read_release
from ..model.resource import RELEASE, Kind
from ..negotiation import choose
from ..representations import HTML, JSONLD, RDF_OFFERS
from ..store_access import Reader
from . import CSV, DEFAULT, PROFILES, Profile
from .locations import Locations
from .selection import ProfileRequest, requested

# What `choose` answers for ?_profile=alt: the list of a resource's profiles.
ALTERNATES = "alt"


def choose_profile(request: Request, iri: str, kind: Kind) -> Profile | str | None:
    """The profile to answer with, ALTERNATES, or None for a resource without profiles."""
    wanted = requested(request)
    if not kind.profiled:
        if wanted is not None and wanted.explicit and (wanted.alt or DEFAULT not in wanted.profiles):
            raise HTTPException(406, detail=f"<{iri}> has no profiles but the default ({DEFAULT.token}); "
                                             "profiles are served for framework releases and their statements")
        return None
    if wanted is not None and wanted.alt:
        return ALTERNATES
    return _pick(request, wanted)


def _pick(request: Request, wanted: ProfileRequest | None) -> Profile:
    if wanted is None:
        return _by_media(request)
    if wanted.explicit:
        return wanted.profiles[0]
    accept = request.headers.get("accept")
    for profile in wanted.profiles:
        if not accept or profile.is_default or choose(accept, _media_offers(profile)):
            return profile
    names = ", ".join(p.token for p in wanted.profiles)
    raise HTTPException(406, detail=f"the profiles asked for ({names}) are not served as {accept}")


def _media_offers(profile: Profile) -> list[str]:
    # Wallets and JSON clients ask for application/json; JSON-LD is JSON.
    return [profile.media_type, "application/json"] if profile.media_type == JSONLD else [profile.media_type]


def _by_media(request: Request) -> Profile:
    """Without a profile, CSV is still reachable by media type (Accept: text/csv, ?format=csv)."""
    fmt = request.query_params.get("format")
    if fmt is not None:
        return PROFILES["csv"] if fmt.lower() == "csv" else DEFAULT
    accept = request.headers.get("accept")
    if accept and choose(accept, RDF_OFFERS + [HTML, CSV]) == CSV:
        return PROFILES["csv"]
    return DEFAULT


def document(reader: Reader, profile: Profile, kind: Kind, iri: str, where: Locations) -> bytes:
    """The profile's document of a release or of one of its statements."""
    release = read_release(reader, kind.release)
    if kind.name == RELEASE:
        return encode(profile.build_release(release, where))
    statement = release.statement(iri)
    if statement is None:
        raise HTTPException(404, detail=f"<{iri}> is not a statement of <{kind.release}>")
    return encode(profile.build_statement(release, statement, where))


def encode(doc) -> bytes:
    return (doc if isinstance(doc, str) else json.dumps(doc, ensure_ascii=False, indent=2)).encode("utf-8")


def _base(request: Request) -> str:
    return locations.here(request)


def profile_links(base: str, chosen: Profile) -> list[str]:
    links = [f'<{chosen.uri}>; rel="profile"']
    for p in PROFILES.values():
        if p is not chosen:
            links.append(f'<{base}?_profile={p.token}>; rel="alternate"; type="{p.media_type}"; profile="{p.uri}"')
    return links


def annotate(response: Response, request: Request, chosen: Profile) -> Response:
    links = ", ".join(profile_links(_base(request), chosen))
    existing = response.headers.get("link")
    response.headers["Link"] = f"{existing}, {links}" if existing else links
    response.headers["Content-Profile"] = f"<{chosen.uri}>"
    response.headers["Vary"] = "Accept, Accept-Profile"
    return response


def alternates_listing(request: Request, iri: str) -> Response:
    base = _base(request)
    doc = {"resource": iri, "profiles": [
        {"token": p.token, "uri": p.uri, "title": p.title, "mediaType": p.media_type, "url": f"{base}?_profile={p.token}"}
        for p in PROFILES.values()]}
    return Response(encode(doc), media_type="application/json", headers={"Vary": "Accept, Accept-Profile"})


__all__ = ["choose_profile", "ALTERNATES", "document", "annotate", "alternates_listing", "encode"]
