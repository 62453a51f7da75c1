"""HTTP content negotiation: parse Accept (with q-values) and pick the best offer."""
from __future__ import annotations

from dataclasses import dataclass

from starlette.exceptions import HTTPException  # (not fastapi: query workers import this module, and not FastAPI)


@dataclass(frozen=True)
class MediaRange:
    type: str
    subtype: str
    q: float
    specificity: int

    def matches(self, media_type: str) -> bool:
        main, _, sub = media_type.partition("/")
        return (self.type in ("*", main)) and (self.subtype in ("*", sub))


def parse_accept(header: str | None) -> list[MediaRange]:
    if not header or not header.strip():
        return [MediaRange("*", "*", 1.0, 0)]
    ranges = []
    for part in header.split(","):
        fields = [f.strip() for f in part.split(";")]
        if not fields[0] or "/" not in fields[0]:
            continue
        main, _, sub = fields[0].lower().partition("/")
        q = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        specificity = (main != "*") + (sub != "*")
        ranges.append(MediaRange(main, sub, q, specificity))
    return ranges or [MediaRange("*", "*", 1.0, 0)]


def choose(accept: str | None, offers: list[str]) -> str | None:
    """The offer with the highest q (the most specific matching range decides its q);
    ties go to the earlier offer, so the order of `offers` states the server's preference."""
    ranges = parse_accept(accept)
    best, best_q = None, 0.0
    for offer in offers:
        matching = [r for r in ranges if r.matches(offer)]
        if not matching:
            continue
        q = max(matching, key=lambda r: r.specificity).q
        if q > best_q:
            best, best_q = offer, q
    return best


def choose_or_406(accept: str | None, offers: list[str]) -> str:
    chosen = choose(accept, offers)
    if chosen is None:
        raise HTTPException(406, detail=f"none of the requested types ({accept}) can be served here; available: {', '.join(offers)}")
    return chosen
