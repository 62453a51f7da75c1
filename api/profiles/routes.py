"""The routes of profiles: the /profiles page, our profile URIs, and each profile's bulk download.

(Profiles of a dereferenced IRI are chosen in profiles/negotiation.py, for api/linked_data.py.)
"""
from __future__ import annotations

import json
from typing import Iterator

from fastapi import APIRouter, HTTPException, Path, Request, Response
from fastapi.responses import StreamingResponse

from skillsgraph.vocab import DCAT, DCTERMS, PROF

from .. import locations
from ..html.frame import Page
from ..model.release import read_release, release_iris
from ..openapi_description import answers, negotiated
from ..representations import HTML, JSONLD, negotiate as negotiate_format, respond
from ..store_access import reader
from . import CSV, JSONL, PROFILES, Profile, csv_export, exports
from .locations import Locations
from .negotiation import encode

router = APIRouter()


# ---- /profiles ------------------------------------------------------------------------------

def profiles_document(namespace: str, base: str) -> dict:
    """The profiles in the W3C Profiles Vocabulary (PROF); downloads are locations under `base`."""
    return {
        "@context": {"prof": str(PROF), "dcterms": str(DCTERMS), "dcat": str(DCAT),
                     "token": "prof:hasToken", "title": "dcterms:title", "description": "dcterms:description",
                     "specification": {"@id": "dcterms:conformsTo", "@type": "@id"},
                     "mediaType": "dcat:mediaType", "download": {"@id": "dcat:downloadURL", "@type": "@id"}},
        "@id": namespace + "profiles",
        "@graph": [{"@id": p.uri, "@type": "prof:Profile", "token": p.token, "title": p.title,
                    "description": p.description, "specification": p.specification, "mediaType": p.media_type,
                    **({} if p.is_default else {"download": f"{base}dump/profile/{p.bulk_name}"})}
                   for p in PROFILES.values()],
    }


@router.get("/profiles", summary="The profiles every framework release and statement can be had in",
            description="W3C Content Negotiation by Profile: ask with `Accept-Profile: <URI>` or `?_profile=token`. "
                        "JSON-LD (PROF vocabulary) or HTML.", **negotiated([JSONLD, HTML]))
async def profiles_page(request: Request) -> Response:
    media = negotiate_format(request, [JSONLD, HTML])
    doc = profiles_document(request.app.state.settings.namespace, locations.base(request))
    if media == HTML:
        page = Page(request)
        html = page.render("profiles.html", "Profiles", {"profiles": list(PROFILES.values()), "namespace":
                           request.app.state.settings.namespace}, jsonld=doc)
        return respond(request, html.body, HTML)
    return respond(request, encode(doc), JSONLD, own_context=False)


@router.get("/profile/{token}", include_in_schema=False)
async def profile_uri(token: str, request: Request) -> Response:
    # Our own profile URIs (…/profile/csv) resolve to their entry on the profiles page.
    if token not in PROFILES:
        raise HTTPException(404, detail=f"no profile {token!r}; see /profiles")
    return Response(status_code=303, headers={"Location": f"../profiles#{token}"})


# ---- bulk ------------------------------------------------------------------------------------

@router.get("/dump/profile/{name}", summary="Every release in one profile, streamed",
            description="`<token>.jsonl` (one JSON document per framework release per line) for the JSON profiles, "
                        "`csv.csv` for the CSV profile.", responses=answers([JSONL, CSV], [404]))
async def bulk(request: Request, name: str = Path(..., json_schema_extra={"enum": [p.bulk_name for p in exports()]})
               ) -> Response:
    profile = next((p for p in exports() if p.bulk_name == name), None)
    if profile is None:
        raise HTTPException(404, detail=f"no profile dump {name!r}; available: "
                                        + ", ".join(p.bulk_name for p in exports()))
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    media = "text/csv; charset=utf-8" if profile.media_type == CSV else JSONL
    # Where the documents' links go, settled (or refused) before the first byte is sent.
    where = Locations.of(request)
    return StreamingResponse(_bulk_lines(request, profile, where), media_type=media, headers=headers)


def _bulk_lines(request: Request, profile: Profile, where: Locations) -> Iterator[bytes]:
    """One release at a time, so memory holds one release whatever the catalogue's size."""
    store = reader(request)
    if profile.media_type == CSV:
        yield csv_export.header().encode("utf-8")
    for iri in release_iris(store):
        release = read_release(store, iri)
        if profile.media_type == CSV:
            yield csv_export.rows(release, release.statements).encode("utf-8")
        else:
            yield json.dumps(profile.build_release(release, where), ensure_ascii=False).encode("utf-8") + b"\n"


__all__ = ["router", "profiles_document"]
