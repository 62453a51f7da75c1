"""The page of any resource but a framework release: its title, types, properties labelled and
linked, what refers to it, the formats it is also served in, and its schema.org for crawlers.

A statement's page adds the trail back into its framework page, the sources it cites and,
once a later release changed it, what became of it, its source anchors, and links to its trace,
its occupation and its LER profiles; an occupation's page is occupation_page's view (its
properties kept below it); an O*NET task's or descriptor's lists the statements it grounds.
"""
from __future__ import annotations

from urllib.parse import urlencode

import pyoxigraph as ox
from fastapi.responses import HTMLResponse

from skillsgraph.iris import last_code, path_under
from skillsgraph.vocab import CITO, DCTERMS, OWL, RDFS, SCHEMA, SG, SKOS

from .. import schema_org
from ..model.occupation import read_frameworks, read_occupation, read_statement_occupation
from ..model.release import KINDS
from ..model.resource import LEAD_PROPERTIES, STATEMENT, Described, best_literal
from ..store_access import Reader
from .anchors_section import anchors_context
from .frame import Page
from .framework_page import profile_links
from .labels import RDF_TYPE, Labeller, Node, Row, Val, natural_key, tail
from .occupation_page import occupation_view

# Rows shown first on a resource page, in this order; the rest follow alphabetically.
FIRST_PROPERTIES = [SKOS.prefLabel, RDFS.label, DCTERMS.term("title"), SCHEMA.name, SKOS.notation,
                    SG.onetSocCode, SG.socCode, SG.statementText, SG.taskText, SG.level,
                    SG.domain, SG.position, SG.framework, SG.occupation, SG.releaseVersion]
SECTIONS = {"competency": ("Competencies", "competencies"), "ai-use": ("AI use", "ai-use"),
            "durable": ("Durable skills", "durable-skills")}


def render(page: Page, reader: Reader, resource: Described, alternates: dict[str, str]) -> HTMLResponse:
    iri, triples, types = resource.iri, resource.triples, resource.types
    lab = Labeller(page, reader, triples)
    main = _node(lab, iri, triples)
    # Nodes that belong to this document (fragments of its IRI: ontology terms, distributions).
    parts = sorted({t.subject.value for t in triples if isinstance(t.subject, ox.NamedNode)
                    and t.subject.value.startswith(iri + "#")}, key=natural_key)
    part_nodes = sorted((_node(lab, p, triples) for p in parts), key=_part_order)
    context = {
        "node": main, "parts": part_nodes, "incoming": _incoming(lab, iri, triples), "iri": iri,
        "parts_heading": "Terms" if OWL.Ontology in types else "Parts",
        "frameworks": _frameworks(page, reader, iri) if SG.Occupation in types else [],
        "chips": _citation_chips(lab, resource),
        "trail": _trail(lab, resource),
        "deprecation": _deprecation(lab, resource),
        **anchors_context(page, reader, resource, main.title),
        "explore": _explore(page, reader, resource),
        "profiles": profile_links(page.href(iri)) if resource.kind.name == STATEMENT else [],
    }
    template = "resource.html"
    if SG.Occupation in types:
        template, context["occ"] = "occupation.html", occupation_view(page, reader, iri)
    return page.render(template, main.title, context, jsonld=_schema_org(page, reader, lab, resource),
                       alternates=page.alternate_links(alternates))


def _schema_org(page: Page, reader: Reader, lab: Labeller, resource: Described) -> dict:
    occupation = read_occupation(reader, resource.iri) if SG.Occupation in resource.types else None
    release = resource.link(SG.framework)
    term_code = (path_under(release, resource.iri) if resource.iri.startswith(release + "/")
                 else tail(resource.iri, page.namespace)) if release else None
    # The release is linked, so its best skos:prefLabel is among the page's triples.
    release_name = lab.names.get(release, {}).get("label") if release else None
    return schema_org.resource_page(resource, occupation, name=tail(resource.iri, page.namespace),
                                    release_name=release_name, term_code=term_code)


def _node(lab: Labeller, iri: str, triples: list[ox.Triple]) -> Node:
    outgoing: dict[str, list] = {}
    for t in triples:
        if isinstance(t.subject, ox.NamedNode) and t.subject.value == iri:
            outgoing.setdefault(t.predicate.value, []).append(t.object)
    title = lab.label_of(iri)
    node = Node(iri, title[:1].upper() + title[1:])
    if "#" in iri:
        node.anchor = iri.rsplit("#", 1)[1]
    node.types = sorted((lab.value(o) for o in outgoing.pop(RDF_TYPE, []) if isinstance(o, ox.NamedNode)),
                        key=lambda v: v.text.lower())
    for p in LEAD_PROPERTIES:
        best = best_literal(outgoing.get(p, []))
        if best is not None:
            node.lead = [lab.value(best)]
            break
    order = {p: i for i, p in enumerate(FIRST_PROPERTIES)}
    for p in sorted(outgoing, key=lambda p: (order.get(p, len(order)), lab.property_label(p).lower())):
        values = [lab.value(o) for o in outgoing[p]]
        if all(v.kind == "literal" for v in values):
            values.sort(key=lambda v: (_literal_rank(v), natural_key(v.text)))
            node.literal_rows.append(Row(lab.property_label(p), p, values, lab.page.href(p)))
        else:
            values.sort(key=lambda v: (v.kind != "iri", natural_key(v.iri or v.text)) if v.iri and not v.external
                        else (v.kind != "iri", natural_key(v.text)))
            node.link_rows.append(Row(lab.property_label(p), p, values, lab.page.href(p)))
    return node


def _literal_rank(v: Val) -> int:
    lang = v.lang or ""
    return 0 if lang.startswith("en") else 1 if not lang else 2


def _part_order(node: Node) -> tuple:
    """Classes, then properties, then anything else; by name within each."""
    kinds = {t.iri for t in node.types}
    rank = 0 if kinds & {OWL.Class, RDFS.Class} else 1 if any("Property" in k for k in kinds) else 2
    return rank, node.title.lower()


def _incoming(lab: Labeller, iri: str, triples: list[ox.Triple]) -> list[Row]:
    """What refers to this resource (other than its own parts and nodes under its path)."""
    incoming: dict[str, list] = {}
    for t in triples:
        if isinstance(t.object, ox.NamedNode) and t.object.value == iri and isinstance(t.subject, ox.NamedNode) \
                and t.subject.value != iri and not t.subject.value.startswith((iri + "/", iri + "#")):
            incoming.setdefault(t.predicate.value, []).append(t.subject)
    return [Row(lab.property_label(p), p, sorted((lab.value(s) for s in subjects), key=lambda v: natural_key(v.text)),
                lab.page.href(p)) for p, subjects in sorted(incoming.items())]


def _explore(page: Page, reader: Reader, resource: Described) -> list[dict]:
    """Where a researcher goes next: a statement's trace and occupation, an occupation's crosswalks."""
    if {SG.CompetencyStatement, SG.AIUseStatement, SG.DurableSkillStatement} & set(resource.types):
        links = [{"href": page.to("trace/" + tail(resource.iri, page.namespace)), "text": "Trace to sources, SOC, CIP and ESCO"}]
        occupation = read_statement_occupation(reader, resource.iri)
        if occupation:
            links.append({"href": page.href(occupation[0]), "text": f"Occupation: {occupation[1] or tail(occupation[0], page.namespace)}",
                          "rel": "occupation"})
        return links
    code = resource.text(SG.onetSocCode) if SG.Occupation in resource.types else None
    query = urlencode({"from": f"onet-soc:{code}", "to": "cip2020"})
    return [{"href": page.to("crosswalk?" + query), "text": "Crosswalks (explorer)"}] if code else []


def _frameworks(page: Page, reader: Reader, occupation: str) -> list[dict]:
    found = sorted(read_frameworks(reader, occupation), key=lambda f: natural_key(f.version or ""), reverse=True)
    return [{"href": page.href(f.iri), "text": f.label or f.iri} for f in found]


def _deprecation(lab: Labeller, resource: Described) -> dict | None:
    """For a statement a later release reworded, replaced or withdrew: which release, its
    successors and the note, so that a reader who followed an old link sees it at once."""
    own = resource.own
    if not any(isinstance(o, ox.Literal) and o.value == "true" for o in own.get(OWL.deprecated, [])):
        return None

    def link(term) -> dict:
        return {"text": lab.label_of(term.value), "href": lab.page.href(term.value), "iri": term.value}
    successors = sorted((link(o) for o in own.get(DCTERMS.isReplacedBy, []) if isinstance(o, ox.NamedNode)),
                        key=lambda d: natural_key(d["iri"]))
    releases = [link(o) for o in own.get(SG.deprecatedIn, []) if isinstance(o, ox.NamedNode)]
    notes = sorted(o.value for o in own.get(SKOS.changeNote, []) if isinstance(o, ox.Literal))
    return {"successors": successors, "release": releases[0] if releases else None, "notes": notes}


def _citation_chips(lab: Labeller, resource: Described) -> list[dict]:
    """The sources a statement cites, in its order, from its citation nodes (which it owns)."""
    citations = [o.value for o in resource.own.get(SG.citation, []) if isinstance(o, ox.NamedNode)]
    if not citations:
        return []
    about: dict[str, dict[str, list]] = {c: {} for c in citations}
    for t in resource.triples:
        if isinstance(t.subject, ox.NamedNode) and t.subject.value in about:
            about[t.subject.value].setdefault(t.predicate.value, []).append(t.object)
    rows = [(next((int(n.value) for n in about[c].get(SG.position, [])), 0), src.value)
            for c in citations for src in about[c].get(CITO.hasCitedEntity, [])]
    rows.sort(key=lambda r: r[0])
    names = lab.store_names([src for _n, src in rows])
    return [{"text": names[src].get("chip") or names[src].get("label") or src, "title": names[src].get("label"),
             "href": lab.page.href(src)} for _n, src in rows]


def _trail(lab: Labeller, resource: Described) -> list[dict]:
    """For a statement: framework release › section › level, linking back into the framework page."""
    kind = next((KINDS[t] for t in resource.types if t in KINDS), None)
    if not kind:
        return []
    own = {p: o.value for p, objects in resource.own.items() for o in objects if isinstance(o, ox.NamedNode)}
    release, level, domain = own.get(SG.framework), own.get(SG.level), own.get(SG.domain)
    if not release or not level:
        return []
    href = lab.page.href(release)
    section = SECTIONS[kind]
    trail = [{"text": lab.label_of(release), "href": href}, {"text": section[0], "href": f"{href}#{section[1]}"}]
    if domain:
        trail.append({"text": lab.label_of(domain), "href": f"{href}#durable-{last_code(domain)}"})
        trail.append({"text": lab.label_of(level), "href": f"{href}#durable-{last_code(domain)}"})
    else:
        trail.append({"text": lab.label_of(level), "href": f"{href}#{kind}-{last_code(level)}"})
    return trail


__all__ = ["render"]
