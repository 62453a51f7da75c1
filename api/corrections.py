"""The "Suggest an O*NET correction" link of an anchor or an O*NET descriptor or task: a link out
(a prefilled issue form or a mailto, Settings.correction_url) that carries the resource's IRI, so
a reader reports a problem with no account here and nothing is ever written to the graph."""
from __future__ import annotations

from urllib.parse import quote


def correction_link(template: str, iri: str, name: str, about: str | None = None) -> str:
    """The template with {iri}, {subject} and {body} filled in, each URL-encoded; `about` is the
    statement an anchor grounds, when the report is about the anchor rather than the O*NET text."""
    subject = f"O*NET correction: {name}"
    lines = [f"Resource: {iri}", f"Name: {name}"]
    if about:
        lines.append(f"Source anchor of: {about}")
    lines += ["", "What is wrong, and what would be right:", ""]
    fields = {"iri": quote(iri, safe=""), "subject": quote(subject, safe=""), "body": quote("\n".join(lines), safe="")}
    out = template
    for key, value in fields.items():
        out = out.replace("{" + key + "}", value)
    return out


__all__ = ["correction_link"]
