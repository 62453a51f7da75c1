"""Which profile a request asks for: `_profile=` (tokens or URIs), else `Accept-Profile`.

The query parameter wins over the header (a pasted link must select what it says), and
names profiles in order of preference, comma-separated. The header lists `<URI>`s with
optional q-values, as in the W3C draft. Bad syntax is a 400; nothing we know is a 406.
"""
from __future__ import annotations

from dataclasses import dataclass

from fastapi import HTTPException, Request

from . import PROFILES, Profile, lookup

ALT = "alt"  # the draft's token for "list the profiles this resource has"


@dataclass(frozen=True)
class ProfileRequest:
    profiles: list[Profile]   # acceptable profiles, best first
    explicit: bool            # from _profile= (Accept is then not consulted)
    alt: bool = False


def requested(request: Request) -> ProfileRequest | None:
    values = request.query_params.getlist("_profile")
    if len(values) > 1:
        raise HTTPException(400, detail="give _profile once (several profiles: one comma-separated list, best first)")
    if values:
        return _from_query(values[0])
    header = request.headers.get("accept-profile")
    if header is not None and header.strip():
        return ProfileRequest(_from_header(header), explicit=False)
    return None


def _from_query(value: str) -> ProfileRequest:
    names = [n.strip() for n in value.split(",")]
    if not value.strip() or any(not n for n in names):
        raise HTTPException(400, detail=f"_profile={value!r} is empty or has an empty entry; {_choices()}")
    if names == [ALT]:
        return ProfileRequest([], explicit=True, alt=True)
    for n in names:
        if n.startswith("<") != n.endswith(">"):
            raise HTTPException(400, detail=f"unbalanced angle brackets in _profile entry {n!r}")
    known = [p for p in map(lookup, names) if p is not None]
    if not known:
        raise HTTPException(406, detail=f"no profile {value!r} here; {_choices()}")
    return ProfileRequest(known, explicit=True)


def _from_header(header: str) -> list[Profile]:
    ranked: list[tuple[float, int, Profile]] = []
    for i, part in enumerate(header.split(",")):
        name, q = _parse_entry(part)
        profile = lookup(name)
        if profile is not None and q > 0:
            ranked.append((-q, i, profile))
    if not ranked:
        raise HTTPException(406, detail=f"none of the profiles in Accept-Profile ({header}) is served here; {_choices()}")
    return [p for _q, _i, p in sorted(ranked, key=lambda r: (r[0], r[1]))]


def _parse_entry(part: str) -> tuple[str, float]:
    fields = [f.strip() for f in part.split(";")]
    name = fields[0]
    if not name or name.startswith("<") != name.endswith(">"):
        raise HTTPException(400, detail=f"Accept-Profile entry {part.strip()!r} is not a <URI> (or a token)")
    q = 1.0
    for param in fields[1:]:
        key, _, value = param.partition("=")
        if key.strip().lower() == "q":
            try:
                q = float(value)
            except ValueError:
                raise HTTPException(400, detail=f"bad q-value {value!r} in Accept-Profile")
            if not 0 <= q <= 1:
                raise HTTPException(400, detail=f"q-value {value!r} in Accept-Profile is outside 0..1")
    return name, q


def _choices() -> str:
    return "available: " + ", ".join(f"{p.token} <{p.uri}>" for p in PROFILES.values()) + " (see /profiles)"
