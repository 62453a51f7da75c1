"""The search results page: ranked results with what matched, facets to narrow them, paging."""
from __future__ import annotations

from urllib.parse import urlencode

from fastapi.responses import HTMLResponse

from ..search_entries import KIND_LABELS, SCHEME_LABELS
from ..search_index import FACETS, Hit, Results
from .frame import Page

KIND_NAMES = {"occupation": "Occupation", "programme": "Programme", "skill": "Skill", "statement": "Statement"}
FACET_TITLES = {"kind": "Kind", "scheme": "Scheme", "level": "Level"}


def _link(here: Page, params: dict, **changes) -> str:
    chosen = {**params, **changes}
    return here.to("search?" + urlencode({k: v for k, v in chosen.items() if v is not None}))


def _value_label(facet: str, value: str) -> str:
    return {"kind": KIND_LABELS, "scheme": SCHEME_LABELS}.get(facet, {}).get(value, value)


def _facets(page: Page, results: Results, params: dict) -> list[dict]:
    out = []
    for name in FACETS:
        values = [{"label": _value_label(name, v), "count": n, "selected": params.get(name) == v,
                   "href": _link(page, params, page=None, **{name: None if params.get(name) == v else v})}
                  for v, n in results.facets[name].items()]
        if values:
            out.append({"title": FACET_TITLES[name], "options": values})
    return out


def _hit(page: Page, hit: Hit) -> dict:
    occupation_framework = hit.kind == "occupation" and hit.framework
    where = SCHEME_LABELS.get(hit.scheme, hit.scheme) + (f" {hit.code}" if hit.code else "")
    return {"title": hit.label, "href": page.href(hit.framework if occupation_framework else hit.iri),
            "kind": KIND_NAMES[hit.kind] + (" with a framework" if occupation_framework else ""),
            "where": where, "own_href": page.href(hit.iri) if occupation_framework else None,
            "matched": hit.matched if hit.matched not in (hit.label, hit.code) else None,
            "framework": {"href": page.href(hit.framework), "text": hit.framework_label or "framework"}
            if hit.framework else None,
            "level": hit.level, "iri": hit.iri}


def render(page: Page, results: Results, params: dict, number: int, size: int,
           alternates: dict[str, str]) -> HTMLResponse:
    first = (number - 1) * size + 1
    context = {
        "q": params["q"], "results": results, "facets": _facets(page, results, params),
        "hits": [_hit(page, h) for h in results.hits], "first": first, "last": first + len(results.hits) - 1,
        "previous": _link(page, params, page=number - 1, size=size) if number > 1 else None,
        "next": _link(page, params, page=number + 1, size=size) if first + len(results.hits) - 1 < results.total else None,
    }
    return page.render("search.html", f"Search: {params['q']}", context,
                       alternates=page.alternate_links(alternates))


__all__ = ["render"]
