"""The report links: "Suggest an O*NET correction" on an O*NET task, descriptor, DWA or technology
example (Settings.correction_url: O*NET's text is the O*NET Center's to correct), and "Report a
problem with this anchor" on each source anchor (Settings.anchor_report_url: which statement a
resource grounds is this project's doing, the machine's or its editors'). Each is a link out (a
prefilled issue form or a mailto) that carries the resource's IRI, so a reader reports a problem
with no account here and nothing is ever written to the graph."""
from __future__ import annotations

from urllib.parse import quote


def correction_link(template: str, iri: str, name: str, about: str | None = None) -> str:
    """The template with {iri}, {subject} and {body} filled in, each URL-encoded; `about` is the
    statement an anchor grounds, when the report is about the anchor rather than the O*NET text."""
    subject = f"Source anchor problem: {name}" if about else f"O*NET correction: {name}"
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
