"""1EdTech CASE 1.1: a release as its CASE objects, the one mapping the profile and the REST API share.

CASE identifies everything by UUID. Ours are uuid5 of an IRI (`iris.uuid_of`): of the release,
a statement, a group of the tree, or a fragment of the release for what CASE defines per
document (item types, licence, concepts, subject, rubrics), so the same IRI gives the same UUID
in every build and each identifier belongs to one release. An association's UUID is derived
from its origin, type and destination IRIs the same way. A CASE `uri` is where the object is
served as CASE JSON (the REST API, `Locations.case`); links to nodes outside CASE (levels,
domains, O*NET descriptors) keep their IRIs and say so with an `ext:` target type.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from skillsgraph.iris import last_code, uuid_of

from ..model.release import KIND_TITLES, Release, Scale, Statement
from .locations import Locations
from .tree import Group, build_tree

CASE_VERSION = "1.1"
CASE_NODE, LINKED_DATA = "CASE", "ext:LinkedData"  # target types: a CASE object; one of our RDF resources
LICENCE_TITLES = {"https://creativecommons.org/licenses/by/4.0/": "Creative Commons Attribution 4.0 International (CC BY 4.0)"}
ITEM_TYPES = {
    "group": ("Grouping", "A heading that groups the statements of a framework release (by kind, domain or level)."),
    "competency": ("Competency statement", "What a worker at a mastery level of the occupation does."),
    "ai-use": ("AI-use statement", "How a worker at a mastery level uses, directs and evaluates AI tools."),
    "durable": ("Durable-skill statement", "A durable-skill domain at one proficiency level, written for the occupation."),
}
DESCRIPTOR_TITLES = {"skill": "O*NET skill", "knowledge": "O*NET knowledge area", "ability": "O*NET ability",
                     "task": "O*NET task"}


@dataclass
class Framework:
    """Every CASE object of one release, as a CFPackage holds them, and where each is served."""
    document: dict
    items: list[dict]
    associations: list[dict]
    item_types: list[dict]
    licences: list[dict]
    concepts: list[dict]
    subjects: list[dict]
    rubrics: list[dict]
    where: Locations
    groupings: list[dict] = field(default_factory=list)

    def package(self) -> dict:
        definitions = {"CFConcepts": self.concepts, "CFSubjects": self.subjects, "CFLicenses": self.licences,
                       "CFItemTypes": self.item_types, "CFAssociationGroupings": self.groupings}
        out = {"CFDocument": self.document, "CFItems": self.items, "CFAssociations": self.associations,
               "CFDefinitions": {k: v for k, v in definitions.items() if v}, "CFRubrics": self.rubrics}
        return {k: v for k, v in out.items() if v != []}

    def document_link(self) -> dict:
        return _link(self.document["title"], self.document["identifier"], self.document["uri"])

    def standalone_document(self) -> dict:
        return _with_package(self.document, self.where)

    def standalone_item(self, item: dict) -> dict:
        return {**item, "CFDocumentURI": self.document_link()}

    def standalone_association(self, association: dict) -> dict:
        return {**association, "CFDocumentURI": self.document_link()}

    def item_associations(self, item: dict) -> dict:
        """A CFAssociationSet: the item and every association it is the origin or destination of."""
        mine = [a for a in self.associations
                if item["identifier"] in (a["originNodeURI"]["identifier"], a["destinationNodeURI"]["identifier"])]
        return {"CFItem": self.standalone_item(item), "CFAssociations": mine}

    def identifiers(self) -> list[str]:
        """Every identifier the REST API answers for this release."""
        return [self.document["identifier"]] + [o["identifier"] for o in self._objects()]

    def answer(self, collection: str, identifier: str) -> dict | None:
        """The REST API's answer for one object of this release (None: not one of them)."""
        if collection in ("CFDocuments", "CFPackages"):
            if identifier != self.document["identifier"]:
                return None
            return self.standalone_document() if collection == "CFDocuments" else self.package()
        found = next((o for o in getattr(self, COLLECTIONS[collection]) if o["identifier"] == identifier), None)
        if found is None:
            return None
        views = {"CFItems": self.standalone_item, "CFItemAssociations": self.item_associations,
                 "CFAssociations": self.standalone_association,
                 "CFItemTypes": lambda t: {"CFItemTypes": [t]}, "CFConcepts": lambda c: {"CFConcepts": [c]},
                 "CFSubjects": lambda s: {"CFSubjects": [s]}}
        return views.get(collection, lambda o: o)(found)

    def _objects(self) -> list[dict]:
        return [o for name in dict.fromkeys(COLLECTIONS.values()) for o in getattr(self, name)]


# The REST API's collections of single objects, and the field of a Framework each reads from.
COLLECTIONS = {"CFItems": "items", "CFItemAssociations": "items", "CFAssociations": "associations",
               "CFItemTypes": "item_types", "CFLicenses": "licences", "CFConcepts": "concepts",
               "CFSubjects": "subjects", "CFRubrics": "rubrics", "CFAssociationGroupings": "groupings"}


def framework(release: Release, where: Locations) -> Framework:
    groups, _parent_of = build_tree(release, with_levels=True)
    fw = Framework(_document(release, where), [], [], _item_types(release, where), [_licence(release, where)],
                   _concepts(release, where), _subjects(release, where), [], where,
                   [_suggestions_grouping(release, where)] if release.anchors else [])
    fw.items = [_group_item(release, fw, g) for g in groups] + [_statement_item(release, fw, st) for st in release.statements]
    fw.associations = _associations(release, fw, groups)
    fw.rubrics = _rubrics(release, fw, groups)
    return fw


def standalone_document(release: Release, where: Locations) -> dict:
    """A release's CFDocument outside its package, from the release's own facts alone."""
    return _with_package(_document(release, where), where)


def release_document(release: Release, where: Locations) -> dict:
    return framework(release, where).package()


def statement_document(release: Release, statement: Statement, where: Locations) -> dict:
    """The CFItem with its associations, as the REST API's getCFItemAssociations answers it."""
    fw = framework(release, where)
    (item,) = [i for i in fw.items if i["identifier"] == uuid_of(statement.iri)]
    return fw.item_associations(item)


# ---- links ------------------------------------------------------------------------------------

def _link(title: str, identifier: str, uri: str, target_type: str | None = None) -> dict:
    out = {"title": title, "identifier": identifier, "uri": uri}
    if target_type:
        out["targetType"] = target_type
    return out


def _case_link(where: Locations, collection: str, iri: str, title: str) -> dict:
    identifier = uuid_of(iri)
    return _link(title, identifier, where.case(collection, identifier))


def _drop_none(obj: dict) -> dict:
    return {k: v for k, v in obj.items() if v is not None}


# ---- the document and its definitions ---------------------------------------------------------

def _with_package(document: dict, where: Locations) -> dict:
    """The CFDocument outside its package: it then names the package it heads."""
    package = where.case("CFPackages", document["identifier"])
    return {**document, "CFPackageURI": _link(document["title"], document["identifier"], package)}


def _document(release: Release, where: Locations) -> dict:
    identifier = uuid_of(release.iri)
    subjects = [_link(s["title"], s["identifier"], s["uri"]) for s in _subjects(release, where)]
    return _drop_none({
        "identifier": identifier, "uri": where.case("CFDocuments", identifier),
        "frameworkType": "Occupational skills framework", "caseVersion": CASE_VERSION,
        "creator": release.publisher_name or "skillsgraph", "title": release.label,
        "lastChangeDateTime": release.changed, "officialSourceURL": release.iri,
        "publisher": release.publisher_name, "description": release.context, "language": release.language,
        "version": release.version, "adoptionStatus": "Adopted",
        "licenseURI": _licence_link(release, where),
        "notes": f"O*NET-SOC {release.onet_code}: {release.title}" if release.onet_code else None,
        "subject": [s["title"] for s in subjects] or None, "subjectURI": subjects or None,
    })


def _item_type_iri(release: Release, key: str) -> str:
    return f"{release.iri}#item-type-{key}"


def _item_types(release: Release, where: Locations) -> list[dict]:
    out = []
    for key, (title, text) in ITEM_TYPES.items():
        identifier = uuid_of(_item_type_iri(release, key))
        out.append({"identifier": identifier, "uri": where.case("CFItemTypes", identifier), "title": title,
                    "description": text, "hierarchyCode": key, "typeCode": key, "lastChangeDateTime": release.changed})
    return out


def _licence_title(release: Release) -> str:
    return LICENCE_TITLES.get(release.licence, release.licence)


def _licence_link(release: Release, where: Locations) -> dict:
    return _case_link(where, "CFLicenses", f"{release.iri}#licence", _licence_title(release))


def _licence(release: Release, where: Locations) -> dict:
    text = " ".join(filter(None, [release.rights, f"Licensed under {_licence_title(release)}: {release.licence}"]))
    link = _licence_link(release, where)
    return {"identifier": link["identifier"], "uri": link["uri"], "title": link["title"],
            "description": "The licence of this framework release.", "licenseText": text,
            "lastChangeDateTime": release.changed}


def _concept_iri(release: Release, code: str) -> str:
    return f"{release.iri}#concept-{code}"


def _concepts(release: Release, where: Locations) -> list[dict]:
    """The durable-skill domains the release writes statements for."""
    used = {st.domain.iri for st in release.statements if st.domain}
    out = []
    for d in (d for d in release.domains if d.iri in used):
        link = _case_link(where, "CFConcepts", _concept_iri(release, d.code), d.label)
        out.append({"identifier": link["identifier"], "uri": link["uri"], "title": d.label, "keywords": d.label,
                    "hierarchyCode": str(d.number or d.code),
                    "description": f"The durable-skill domain {d.label} ({d.iri}).",
                    "lastChangeDateTime": release.changed})
    return out


def _subjects(release: Release, where: Locations) -> list[dict]:
    """The occupation the framework is for, coded in O*NET-SOC (else SOC)."""
    code = release.onet_code or release.soc_code
    if not code:
        return []
    link = _case_link(where, "CFSubjects", f"{release.iri}#subject", release.title)
    return [{"identifier": link["identifier"], "uri": link["uri"], "title": release.title, "hierarchyCode": code,
             "description": f"The occupation {release.title} ({release.occupation}).",
             "lastChangeDateTime": release.changed}]


# ---- items ----------------------------------------------------------------------------------

def _item(release: Release, fw: Framework, iri: str, statement: str, type_key: str, code: str, **extra) -> dict:
    title, _ = ITEM_TYPES[type_key]
    identifier = uuid_of(iri)
    return _drop_none({
        "identifier": identifier, "fullStatement": statement, "CFItemType": title,
        "uri": fw.where.case("CFItems", identifier), "humanCodingScheme": code, "language": release.language,
        "CFItemTypeURI": _case_link(fw.where, "CFItemTypes", _item_type_iri(release, type_key), title),
        "licenseURI": _licence_link(release, fw.where), "lastChangeDateTime": release.changed, **extra})


def _concept_of(release: Release, fw: Framework, domain) -> dict:
    if domain is None:
        return {}
    return {"conceptKeywords": [domain.label],
            "conceptKeywordsURI": _case_link(fw.where, "CFConcepts", _concept_iri(release, domain.code), domain.label)}


def _group_item(release: Release, fw: Framework, group: Group) -> dict:
    domain = next((d for d in release.domains if d.iri == group.exact_match), None)
    return _item(release, fw, group.iri, group.text, "group", group.code, abbreviatedStatement=group.label,
                 **_concept_of(release, fw, domain))


def _statement_item(release: Release, fw: Framework, st: Statement) -> dict:
    return _item(release, fw, st.iri, st.text, st.kind, st.code, abbreviatedStatement=st.label,
                 alternativeLabel=st.label, listEnumeration=str(st.position), language=st.language,
                 notes=f"{KIND_TITLES[st.kind]} at the {st.level.label} level", **_concept_of(release, fw, st.domain))


# ---- associations -----------------------------------------------------------------------------

def _association(release: Release, fw: Framework, kind: str, origin: tuple[str, dict], destination: tuple[str, dict],
                 sequence: int | None = None, grouping: dict | None = None) -> dict:
    """origin and destination: (IRI, link); the identifier comes from the IRIs, never from locations."""
    key = f"{origin[0]} {kind} {destination[0]}"
    identifier = uuid_of(key)
    return _drop_none({"identifier": identifier, "associationType": kind, "sequenceNumber": sequence,
                       "uri": fw.where.case("CFAssociations", identifier), "originNodeURI": origin[1],
                       "destinationNodeURI": destination[1], "CFAssociationGroupingURI": grouping,
                       "lastChangeDateTime": release.changed})


def _associations(release: Release, fw: Framework, groups: list[Group]) -> list[dict]:
    by_iri = {g.iri: g for g in groups}

    def node(iri: str) -> tuple[str, dict]:
        g = by_iri.get(iri)
        title = g.label if g else release.statement(iri).label
        identifier = uuid_of(iri)
        return iri, _link(title, identifier, fw.where.case("CFItems", identifier), CASE_NODE)

    def outside(iri: str, title: str) -> tuple[str, dict]:
        return iri, _link(title, uuid_of(iri), iri, LINKED_DATA)

    doc = (release.iri, {**fw.document_link(), "targetType": CASE_NODE})
    out = [_association(release, fw, "isChildOf", node(g.iri), doc, n)
           for n, g in enumerate((g for g in groups if g.parent is None), 1)]
    for g in groups:
        out += [_association(release, fw, "isChildOf", node(child), node(g.iri), n) for n, child in enumerate(g.children, 1)]
        if g.exact_match:
            out.append(_association(release, fw, "exactMatchOf", node(g.iri), outside(g.exact_match, g.label)))
    # Within one parent, the group of a lower level precedes the group of the next level.
    for parent in groups:
        levels = sorted((g for g in groups if g.parent == parent.iri and g.level is not None), key=lambda g: g.level.rank)
        out += [_association(release, fw, "precedes", node(a.iri), node(b.iri)) for a, b in zip(levels, levels[1:])]
    # The competency statements as a whole relate to the O*NET descriptors and tasks that ground them.
    top = next((g for g in groups if g.code == "competency"), None)
    if top is not None:
        out += [_association(release, fw, "isRelatedTo", node(top.iri),
                             outside(d.iri, f"{DESCRIPTOR_TITLES[d.kind]}: {d.label}"), n)
                for n, d in enumerate(release.descriptors, 1)]
    return out + _anchor_links(release, fw, node, outside)


def _anchor_links(release: Release, fw: Framework, node, outside) -> list[dict]:
    """Each statement isRelatedTo the O*NET tasks and descriptors that ground it (its source
    anchors), best first; the machine's suggestions in a grouping of their own."""
    if not fw.groupings:
        return []
    suggested = fw.groupings[0]
    grouping = _link(suggested["title"], suggested["identifier"], suggested["uri"])
    return [_association(release, fw, "isRelatedTo", node(st.iri), outside(a.target, a.name), n,
                         None if a.confirmed else grouping)
            for st in release.statements for n, a in enumerate(release.anchors.get(st.iri, []), 1)]


def _suggestions_grouping(release: Release, where: Locations) -> dict:
    link = _case_link(where, "CFAssociationGroupings", f"{release.iri}#association-grouping-machine-suggestion",
                      "Machine-suggested source anchors")
    return {"identifier": link["identifier"], "uri": link["uri"], "title": link["title"],
            "description": "Source anchors a lexical ranker suggested and no editor has reviewed; the "
                           "associations outside this grouping were confirmed by the editors.",
            "lastChangeDateTime": release.changed}


# ---- rubrics: each scale, its criteria the groups written at its levels -------------------------

def _rubrics(release: Release, fw: Framework, groups: list[Group]) -> list[dict]:
    by_scale: dict[str, list[tuple[Group, list[Group]]]] = {}
    for g in groups:
        levels = sorted((c for c in groups if c.parent == g.iri and c.level is not None), key=lambda c: c.level.rank)
        if levels:
            by_scale.setdefault(levels[0].level.scale, []).append((g, levels))
    return [_rubric(release, fw, release.scales[s], criteria) for s, criteria in by_scale.items()
            if s in release.scales]


def _rubric(release: Release, fw: Framework, scale: Scale, criteria: list[tuple[Group, list[Group]]]) -> dict:
    rubric_iri = f"{release.iri}#rubric-{last_code(scale.iri)}"
    rubric_id = uuid_of(rubric_iri)
    uri = fw.where.case("CFRubrics", rubric_id)
    out = []
    for position, (group, levels) in enumerate(criteria, 1):
        criterion_iri = f"{rubric_iri}/{group.code}"
        criterion_id = uuid_of(criterion_iri)
        out.append({
            "identifier": criterion_id, "uri": f"{uri}#{criterion_id}", "category": group.label,
            "description": group.text, "CFItemURI": _case_link(fw.where, "CFItems", group.iri, group.label),
            "position": position, "rubricId": rubric_id, "lastChangeDateTime": release.changed,
            "CFRubricCriterionLevels": [_criterion_level(release, uri, criterion_iri, lv) for lv in levels]})
    return _drop_none({"identifier": rubric_id, "uri": uri, "title": scale.label, "description": scale.description,
                       "lastChangeDateTime": release.changed, "CFRubricCriteria": out})


def _criterion_level(release: Release, rubric_uri: str, criterion_iri: str, group: Group) -> dict:
    """A level of a criterion: the group of its statements at that level."""
    identifier, level = uuid_of(f"{criterion_iri}/{group.level.code}"), group.level
    return _drop_none({"identifier": identifier, "uri": f"{rubric_uri}#{identifier}", "quality": level.label,
                       "description": f"{group.text} Typical role: {level.role}." if level.role else group.text,
                       "position": level.rank, "rubricCriterionId": uuid_of(criterion_iri),
                       "lastChangeDateTime": release.changed})
