"""1EdTech CASE 1.1: the release as a CFPackage (CFDocument, CFItems, CFAssociations, CFDefinitions).

CASE identifies everything by UUID. Ours are uuid5 of the IRI (URL namespace), so the same
IRI gives the same UUID in every build and anyone can recompute one from an IRI; an
association's UUID is derived from its origin, type and destination the same way.
"""
from __future__ import annotations

import uuid

from ..model.release import KIND_TITLES, Release, Statement
from .tree import Group, build_tree

CASE_VERSION = "1.1"
LICENCE_TITLES = {"https://creativecommons.org/licenses/by/4.0/": "Creative Commons Attribution 4.0 International (CC BY 4.0)"}
ITEM_TYPES = {
    "group": ("Grouping", "A heading that groups the statements of a framework release (by kind, domain or level)."),
    "competency": ("Competency statement", "What a worker at a mastery level of the occupation does."),
    "ai-use": ("AI-use statement", "How a worker at a mastery level uses, directs and evaluates AI tools."),
    "durable": ("Durable-skill statement", "A durable-skill domain at one proficiency level, written for the occupation."),
}
DESCRIPTOR_TITLES = {"skill": "O*NET skill", "knowledge": "O*NET knowledge area", "ability": "O*NET ability",
                     "task": "O*NET task"}


def uuid_for(iri: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, iri))


def release_document(release: Release) -> dict:
    groups, parent_of = build_tree(release, with_levels=True)
    items = [_group_item(release, g) for g in groups] + [_statement_item(release, st) for st in release.statements]
    return {
        "CFDocument": _document(release),
        "CFItems": items,
        "CFAssociations": _associations(release, groups, parent_of),
        "CFDefinitions": {"CFItemTypes": _item_types(release), "CFLicenses": [_licence(release)],
                          "CFAssociationGroupings": [_suggestions_grouping(release)]},
    }


def statement_document(release: Release, statement: Statement) -> dict:
    """The CFItem with its associations, as a CASE getCFItemAssociations answer (CFAssociationSet)."""
    groups, parent_of = build_tree(release, with_levels=True)
    mine = [a for a in _associations(release, groups, parent_of)
            if statement.iri in (a["originNodeURI"]["uri"], a["destinationNodeURI"]["uri"])]
    return {"CFItem": {**_statement_item(release, statement), "CFDocumentURI": _document_link(release)},
            "CFAssociations": mine}


def _link(iri: str, title: str, target_type: str | None = None) -> dict:
    out = {"title": title, "identifier": uuid_for(iri), "uri": iri}
    if target_type:
        out["targetType"] = target_type
    return out


def _document_link(release: Release) -> dict:
    return _link(release.iri, release.label)


def _document(release: Release) -> dict:
    out = {
        "identifier": uuid_for(release.iri), "uri": release.iri, "frameworkType": "Occupational skills framework",
        "caseVersion": CASE_VERSION, "creator": release.publisher_name or "skillsgraph", "title": release.label,
        "lastChangeDateTime": release.changed, "officialSourceURL": release.iri,
        "publisher": release.publisher_name, "description": release.context, "language": release.language,
        "version": release.version, "adoptionStatus": "Adopted",
        "licenseURI": _link(_licence_iri(release), _licence_title(release)),
        "CFPackageURI": _link(release.iri, release.label),
        "notes": f"O*NET-SOC {release.onet_code}: {release.title}" if release.onet_code else None,
    }
    return {k: v for k, v in out.items() if v is not None}


def _item_type_iri(release: Release, key: str) -> str:
    return f"{release.iri}#item-type-{key}"


def _item_types(release: Release) -> list[dict]:
    return [{"identifier": uuid_for(_item_type_iri(release, key)), "uri": _item_type_iri(release, key),
             "title": title, "description": text, "hierarchyCode": key, "typeCode": key,
             "lastChangeDateTime": release.changed} for key, (title, text) in ITEM_TYPES.items()]


def _licence_iri(release: Release) -> str:
    return release.licence


def _licence_title(release: Release) -> str:
    return LICENCE_TITLES.get(release.licence, release.licence)


def _licence(release: Release) -> dict:
    text = " ".join(filter(None, [release.rights, f"Licensed under {_licence_title(release)}: {release.licence}"]))
    return {"identifier": uuid_for(_licence_iri(release)), "uri": _licence_iri(release), "title": _licence_title(release),
            "description": "The licence of this framework release.", "licenseText": text,
            "lastChangeDateTime": release.changed}


def _item(release: Release, iri: str, statement: str, type_key: str, code: str, **extra) -> dict:
    title, _ = ITEM_TYPES[type_key]
    out = {"identifier": uuid_for(iri), "fullStatement": statement, "CFItemType": title, "uri": iri,
           "humanCodingScheme": code, "language": release.language,
           "CFItemTypeURI": _link(_item_type_iri(release, type_key), title),
           "licenseURI": _link(_licence_iri(release), _licence_title(release)),
           "lastChangeDateTime": release.changed, **extra}
    return {k: v for k, v in out.items() if v is not None}


def _group_item(release: Release, group: Group) -> dict:
    return _item(release, group.iri, group.text, "group", group.code, abbreviatedStatement=group.label)


def _statement_item(release: Release, st: Statement) -> dict:
    return _item(release, st.iri, st.text, st.kind, st.code, abbreviatedStatement=st.label,
                 alternativeLabel=st.label, listEnumeration=str(st.position), language=st.language,
                 educationLevel=None, notes=f"{KIND_TITLES[st.kind]} at the {st.level.label} level")


def _association(release: Release, kind: str, origin: dict, destination: dict, sequence: int | None = None,
                 grouping: dict | None = None) -> dict:
    key = f"{origin['uri']} {kind} {destination['uri']}"
    iri = f"{release.iri}#association-{uuid_for(key)}"
    out = {"identifier": uuid_for(key), "associationType": kind, "sequenceNumber": sequence, "uri": iri,
           "originNodeURI": origin, "destinationNodeURI": destination, "CFAssociationGroupingURI": grouping,
           "lastChangeDateTime": release.changed}
    return {k: v for k, v in out.items() if v is not None}


def _associations(release: Release, groups: list[Group], parent_of: dict[str, str]) -> list[dict]:
    by_iri = {g.iri: g for g in groups}
    doc = _link(release.iri, release.label, "CFDocument")

    def node(iri: str) -> dict:
        g = by_iri.get(iri)
        st = None if g else release.statement(iri)
        return _link(iri, g.label if g else st.label, "CFItem")

    out = []
    for position, g in enumerate((g for g in groups if g.parent is None), 1):
        out.append(_association(release, "isChildOf", node(g.iri), doc, position))
    for g in groups:
        for position, child in enumerate(g.children, 1):
            out.append(_association(release, "isChildOf", node(child), node(g.iri), position))
        if g.exact_match:
            out.append(_association(release, "exactMatchOf", node(g.iri), _link(g.exact_match, g.label)))
    out += _level_progressions(release, groups, node)
    out += _descriptor_links(release, groups, node)
    out += _anchor_links(release, node)
    return out


def _suggestions_grouping(release: Release) -> dict:
    iri = f"{release.iri}#association-grouping-machine-suggestion"
    return {"identifier": uuid_for(iri), "uri": iri, "title": "Machine-suggested source anchors",
            "description": "Source anchors a lexical ranker suggested and no editor has reviewed; the "
                           "associations outside this grouping were confirmed by the editors.",
            "lastChangeDateTime": release.changed}


def _anchor_links(release: Release, node) -> list[dict]:
    """Each statement isRelatedTo the O*NET tasks and descriptors that ground it (its source
    anchors), best first; the machine's suggestions in a grouping of their own."""
    suggestions = _suggestions_grouping(release)
    grouping = _link(suggestions["uri"], suggestions["title"])
    return [_association(release, "isRelatedTo", node(st.iri), _link(a.target, a.name), n,
                         None if a.confirmed else grouping)
            for st in release.statements for n, a in enumerate(release.anchors.get(st.iri, []), 1)]


def _level_progressions(release: Release, groups: list[Group], node) -> list[dict]:
    """Within one parent, the group of a lower level precedes the group of the next level."""
    out = []
    for parent in groups:
        levels = [g for g in groups if g.parent == parent.iri and g.level is not None]
        levels.sort(key=lambda g: g.level.rank)
        for a, b in zip(levels, levels[1:]):
            out.append(_association(release, "precedes", node(a.iri), node(b.iri)))
    return out


def _descriptor_links(release: Release, groups: list[Group], node) -> list[dict]:
    """The competency statements as a whole relate to the O*NET descriptors and tasks that ground them."""
    top = next((g for g in groups if g.code == "competency"), None)
    if top is None:
        return []
    return [_association(release, "isRelatedTo", node(top.iri),
                         _link(d.iri, f"{DESCRIPTOR_TITLES[d.kind]}: {d.label}"), n)
            for n, d in enumerate(release.descriptors, 1)]
