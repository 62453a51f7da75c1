"""Serving profiles: negotiation on dereferenced IRIs, the /profiles page, bulk downloads.

`negotiate` wraps the default representation of an IRI: a release or a statement may be
asked for in a profile (then the profile's builder answers), everything else answers as
before. Every answer for a profiled resource says which profile it conforms to
(Content-Profile) and links to the others (Link rel="alternate" with profile=).
"""
from __future__ import annotations

import json
from typing import Awaitable, Callable, Iterator

from fastapi import APIRouter, HTTPException, Request, Response
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from ..negotiation import choose
from ..representations import HTML, JSONLD, RDF_OFFERS, negotiate as negotiate_format, respond
from . import CSV, DEFAULT, PROFILES, Profile, csv_export, exports
from .model import read_release, release_iris, resource_kind, store_select
from .selection import ProfileRequest, requested

router = APIRouter()
JSONL = "application/x-ndjson"
PROF = "http://www.w3.org/ns/dx/prof/"


def _select(request: Request):
    return store_select(request.app.state.store, request.app.state.limits)


async def negotiate(request: Request, iri: str, default: Callable[[], Awaitable[Response]]) -> Response:
    """The profile the request asks for, or the default representation, with profile headers."""
    wanted = requested(request)
    kind = await run_in_threadpool(resource_kind, _select(request), iri)
    if kind is None:
        if wanted is not None and wanted.explicit and (wanted.alt or DEFAULT not in wanted.profiles):
            raise HTTPException(406, detail=f"<{iri}> has no profiles but the default ({DEFAULT.token}); "
                                             "profiles are served for framework releases and their statements")
        return await default()
    if wanted is not None and wanted.alt:
        return _alternates_listing(request, iri)
    profile = _pick(request, wanted)
    if profile.is_default:
        return _annotate(await default(), request, DEFAULT)
    body = await run_in_threadpool(_render, request, profile, kind, iri)
    return _annotate(respond(request, body, profile.media_type), request, profile)


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


def _render(request: Request, profile: Profile, kind: tuple[str, str], iri: str) -> bytes:
    what, release_iri = kind
    release = read_release(_select(request), release_iri)
    if what == "release":
        doc = profile.build_release(release)
    else:
        statement = release.statement(iri)
        if statement is None:
            raise HTTPException(404, detail=f"<{iri}> is not a statement of <{release_iri}>")
        doc = profile.build_statement(release, statement)
    return _encode(doc)


def _encode(doc) -> bytes:
    return (doc if isinstance(doc, str) else json.dumps(doc, ensure_ascii=False, indent=2)).encode("utf-8")


def _base(request: Request) -> str:
    return str(request.url.replace(query=None))


def profile_links(base: str, chosen: Profile) -> list[str]:
    links = [f'<{chosen.uri}>; rel="profile"']
    for p in PROFILES.values():
        if p is not chosen:
            links.append(f'<{base}?_profile={p.token}>; rel="alternate"; type="{p.media_type}"; profile="{p.uri}"')
    return links


def _annotate(response: Response, request: Request, chosen: Profile) -> Response:
    links = ", ".join(profile_links(_base(request), chosen))
    existing = response.headers.get("link")
    response.headers["Link"] = f"{existing}, {links}" if existing else links
    response.headers["Content-Profile"] = f"<{chosen.uri}>"
    response.headers["Vary"] = "Accept, Accept-Profile"
    return response


def _alternates_listing(request: Request, iri: str) -> Response:
    base = _base(request)
    doc = {"resource": iri, "profiles": [
        {"token": p.token, "uri": p.uri, "title": p.title, "mediaType": p.media_type, "url": f"{base}?_profile={p.token}"}
        for p in PROFILES.values()]}
    return Response(_encode(doc), media_type="application/json", headers={"Vary": "Accept, Accept-Profile"})


# ---- /profiles ------------------------------------------------------------------------------

def profiles_document(namespace: str) -> dict:
    """The profiles in the W3C Profiles Vocabulary (PROF)."""
    return {
        "@context": {"prof": PROF, "dcterms": "http://purl.org/dc/terms/", "dcat": "http://www.w3.org/ns/dcat#",
                     "token": "prof:hasToken", "title": "dcterms:title", "description": "dcterms:description",
                     "specification": {"@id": "dcterms:conformsTo", "@type": "@id"},
                     "mediaType": "dcat:mediaType", "download": {"@id": "dcat:downloadURL", "@type": "@id"}},
        "@id": namespace + "profiles",
        "@graph": [{"@id": p.uri, "@type": "prof:Profile", "token": p.token, "title": p.title,
                    "description": p.description, "specification": p.specification, "mediaType": p.media_type,
                    **({} if p.is_default else {"download": f"{namespace}dump/profile/{p.bulk_name}"})}
                   for p in PROFILES.values()],
    }


@router.get("/profiles", summary="The profiles every framework release and statement can be had in",
            description="W3C Content Negotiation by Profile: ask with `Accept-Profile: <URI>` or `?_profile=token`. "
                        "JSON-LD (PROF vocabulary) or HTML.")
async def profiles_page(request: Request) -> Response:
    media = negotiate_format(request, [JSONLD, HTML])
    doc = profiles_document(request.app.state.settings.namespace)
    if media == HTML:
        from .. import pages
        page = pages._Page(request)
        html = page.render("profiles.html", "Profiles", {"profiles": list(PROFILES.values()), "namespace":
                           request.app.state.settings.namespace}, jsonld=doc)
        return respond(request, html.body, HTML)
    return respond(request, _encode(doc), JSONLD)


@router.get("/profile/{token}", include_in_schema=False)
async def profile_uri(token: str, request: Request) -> Response:
    # Our own profile URIs (…/profile/csv) resolve to their entry on the profiles page.
    if token not in PROFILES:
        raise HTTPException(404, detail=f"no profile {token!r}; see /profiles")
    return Response(status_code=303, headers={"Location": f"../profiles#{token}"})


# ---- bulk ------------------------------------------------------------------------------------

@router.get("/dump/profile/{name}", summary="Every release in one profile, streamed",
            description="`<token>.jsonl` (one JSON document per framework release per line) for the JSON profiles, "
                        "`csv.csv` for the CSV profile.")
async def bulk(name: str, request: Request) -> Response:
    profile = next((p for p in exports() if p.bulk_name == name), None)
    if profile is None:
        raise HTTPException(404, detail=f"no profile dump {name!r}; available: "
                                        + ", ".join(p.bulk_name for p in exports()))
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    media = "text/csv; charset=utf-8" if profile.media_type == CSV else JSONL
    return StreamingResponse(_bulk_lines(request, profile), media_type=media, headers=headers)


def _bulk_lines(request: Request, profile: Profile) -> Iterator[bytes]:
    """One release at a time, so memory holds one release whatever the catalogue's size."""
    select = _select(request)
    if profile.media_type == CSV:
        yield csv_export.header().encode("utf-8")
    for iri in release_iris(select):
        release = read_release(select, iri)
        if profile.media_type == CSV:
            yield csv_export.rows(release, release.statements).encode("utf-8")
        else:
            yield json.dumps(profile.build_release(release), ensure_ascii=False).encode("utf-8") + b"\n"


def add_distributions(graph, dataset, namespace: str) -> None:
    """Each profile's bulk download as a dcat:Distribution conforming to the profile."""
    from rdflib import Literal, URIRef
    from rdflib.namespace import DCAT, DCTERMS, RDF
    for p in exports():
        dist = URIRef(f"{namespace}dataset#profile-{p.token}")
        url = URIRef(f"{namespace}dump/profile/{p.bulk_name}")
        media = "text/csv" if p.media_type == CSV else JSONL
        graph.add((dataset, DCAT.distribution, dist))
        graph.add((dist, RDF.type, DCAT.Distribution))
        graph.add((dist, DCTERMS.title, Literal(f"All framework releases as {p.title}", lang="en")))
        graph.add((dist, DCAT.downloadURL, url))
        graph.add((dist, DCAT.mediaType, URIRef(f"https://www.iana.org/assignments/media-types/{media}")))
        graph.add((dist, DCTERMS.conformsTo, URIRef(p.uri)))


__all__ = ["router", "negotiate", "add_distributions", "profiles_document"]
