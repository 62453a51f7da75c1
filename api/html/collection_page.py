"""The page of a paged collection (/occupations): its members on this page, each linked to its
own page and to its framework where it has one, and links to the first, previous, next and last
pages. Rendered from the same Hydra document the collection is served as in RDF."""
from __future__ import annotations

import math

from fastapi.responses import HTMLResponse

from .frame import Page

# How many page numbers the pager shows around the current one.
AROUND = 2


def pager(page: Page, path: str, number: int, size: int, total: int, extra: str = "") -> dict:
    last = max(1, math.ceil(total / size))

    def link(n: int) -> str:
        return page.to(f"{path}?{extra}page={n}&size={size}")
    shown = sorted({1, last, *range(max(1, number - AROUND), min(last, number + AROUND) + 1)})
    return {"number": number, "last": last, "total": total, "size": size,
            "first_href": link(1), "last_href": link(last),
            "previous": link(number - 1) if number > 1 else None, "next": link(number + 1) if number < last else None,
            "pages": [{"n": n, "href": link(n), "current": n == number} for n in shown],
            "start": (number - 1) * size + 1, "end": min(total, number * size)}


def render_occupations(page: Page, doc: dict, number: int, size: int, alternates: list[dict]) -> HTMLResponse:
    members = [{"code": m.get("onetSocCode"), "title": m.get("prefLabel") or m.get("onetSocCode"),
                "href": page.href(m["id"]), "framework": page.href(m["framework"]) if m.get("framework") else None}
               for m in doc["member"]]
    view = {"members": members, "pager": pager(page, "occupations", number, size, doc["totalItems"])}
    return page.render("occupations.html", "Occupations", view, alternates=alternates)


__all__ = ["pager", "render_occupations"]
