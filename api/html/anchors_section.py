"""The source-anchor parts of a resource page: a statement's anchors (each with its code, method,
score and rank, or the editors' justification, and the O*NET release it came from when it is
among an imported release's data), and, on the page of an O*NET task, descriptor, DWA or
technology example, the statements it grounds; each anchor with its "Report a problem with this
anchor" link (this project's), each O*NET resource with its "Suggest an O*NET correction" (O*NET's)."""
from __future__ import annotations

from skillsgraph.iris import anchor_code, is_onet_anchor_target

from ..corrections import correction_link
from ..model.anchors import read_anchors, read_grounded
from ..model.resource import STATEMENT, Described
from ..store_access import Reader
from .frame import Page


def anchors_context(page: Page, reader: Reader, resource: Described, title: str) -> dict:
    """What the template shows of anchors for this resource (nothing for most resources)."""
    settings = page.request.app.state.settings
    template = settings.correction_url
    if resource.kind.name == STATEMENT:
        return {"anchors": [{
            "code": a.code, "name": a.name, "href": page.href(a.target), "iri": a.target, "mapping": a.mapping,
            "method": a.method, "method_label": a.method_label, "confirmed": a.confirmed,
            "score": str(a.score) if a.score is not None else None, "rank": a.rank, "justification": a.justification,
            "correction": correction_link(settings.anchor_report_url, a.mapping, a.name, about=resource.iri),
            "data": a.data_label, "data_href": page.href(a.data) if a.data else None,
        } for a in read_anchors(reader, resource.iri, resource.kind.release)]}
    code = anchor_code(resource.iri)
    if code is None and not is_onet_anchor_target(resource.iri):
        return {}
    return {"anchor_code": code, "correction": correction_link(template, resource.iri, title),
            "grounds": [{"text": g.label, "href": page.href(g.statement), "iri": g.statement,
                         "release": g.release_label, "release_href": page.href(g.release),
                         "method_label": g.method_label, "score": str(g.score) if g.score is not None else None,
                         "rank": g.rank, "data": g.data_label} for g in read_grounded(reader, resource.iri)]}


__all__ = ["anchors_context"]
