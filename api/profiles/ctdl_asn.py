"""CTDL-ASN: the release as a ceasn:CompetencyFramework with ceasn:Competency statements.

Written with the published CTDL-ASN context (Credential Engine's), whose terms are the
prefixed names themselves (`ceasn:competencyLabel`), as the Credential Registry writes them.
The release's document is the graph the Registry takes for publishing: every framework,
competency, progression model and level carries its `ceterms:ctid` (the Registry's identifier,
`ce-` and the UUID of the IRI), and each value is single or an array as the Registry's schemas
for a CompetencyFramework and a Competency say.

`@context` is `http://credreg.net/ctdlasn/schema/context/json`, the one form the Registry's
schemas allow (their `@context` is an enum of it). Credential Engine serves the context at
https too, and writes that form in its own files, but the Registry is who takes these
documents: a graph with the https form fails its schema on `@context` alone. Both URLs name
the same context; a harvester that keeps an offline copy of it maps either.
"""
from __future__ import annotations

from skillsgraph.iris import uuid_of

from ..model.release import Release, Scale, Statement
from .tree import Group, build_tree

TOKEN = "ctdl-asn"
CONTEXT = "http://credreg.net/ctdlasn/schema/context/json"
ONET_SOC = ("https://www.onetcenter.org/taxonomy.html", "O*NET-SOC 2019")
SOC = ("https://www.bls.gov/soc/2018/", "2018 Standard Occupational Classification")
CIP = ("https://nces.ed.gov/ipeds/cipcode/", "Classification of Instructional Programs (CIP 2020)")
EMBODIED = {"skill": "ceasn:skillEmbodied", "knowledge": "ceasn:knowledgeEmbodied",
            "ability": "ceasn:abilityEmbodied", "task": "ceasn:taskEmbodied"}


def release_document(release: Release) -> dict:
    groups, parent_of = build_tree(release, with_levels=False)
    graph = [_framework(release, groups)]
    graph += [_group(release, g) for g in groups]
    graph += [_competency(release, st, parent_of[st.iri]) for st in release.statements]
    for scale in _scales_used(release):
        graph += _progression_model(release, scale)
    return {"@context": CONTEXT, "@graph": graph}


def statement_document(release: Release, statement: Statement) -> dict:
    _groups, parent_of = build_tree(release, with_levels=False)
    return {"@context": CONTEXT, **_competency(release, statement, parent_of[statement.iri])}


def ctid(iri: str) -> str:
    return "ce-" + uuid_of(iri)


def _lang(release: Release, text: str | None, language: str | None = None) -> dict | None:
    return {language or release.language: text} if text else None


def _drop_empty(node: dict) -> dict:
    return {k: v for k, v in node.items() if v not in (None, [], {}, "")}


def _framework(release: Release, groups: list[Group]) -> dict:
    return _drop_empty({
        "@id": release.iri, "@type": "ceasn:CompetencyFramework", "ceterms:ctid": ctid(release.iri),
        "ceasn:name": _lang(release, release.label), "ceasn:description": _lang(release, release.context or release.label),
        "ceasn:inLanguage": [release.language],
        "ceasn:publisher": [release.publisher] if release.publisher else [],
        "ceasn:publisherName": _lang(release, release.publisher_name),
        # The Registry's schema takes ceasn:rights as a URI only; the catalogue's is a sentence.
        "ceasn:license": release.licence,
        "ceasn:source": list(release.sources),
        "ceasn:hasTopChild": [g.iri for g in groups if g.parent is None],
        "asn:hasProgressionModel": [s.iri for s in _scales_used(release)],
        "ceterms:occupationType": _occupation_alignments(release),
        "ceterms:instructionalProgramType": [
            _alignment(release, iri, f"CIP {code}", code, CIP) for iri, code in release.cips],
    })


def _occupation_alignments(release: Release) -> list[dict]:
    out = []
    if release.onet_code:
        out.append(_alignment(release, release.occupation, release.title, release.onet_code, ONET_SOC))
    if release.soc_code:
        out.append(_alignment(release, None, release.title, release.soc_code, SOC))
    return out


def _alignment(release: Release, target: str | None, name: str, code: str, framework: tuple[str, str]) -> dict:
    return _drop_empty({"@type": "ceterms:CredentialAlignmentObject", "ceterms:targetNode": target,
                        "ceterms:targetNodeName": _lang(release, name), "ceterms:codedNotation": code,
                        "ceterms:framework": framework[0], "ceterms:frameworkName": _lang(release, framework[1], "en")})


def _group(release: Release, group: Group) -> dict:
    node = {
        "@id": group.iri, "@type": "ceasn:Competency", "ceterms:ctid": ctid(group.iri),
        "ceasn:competencyLabel": _lang(release, group.label, "en"),
        "ceasn:competencyText": _lang(release, group.text, "en"),
        "ceasn:inLanguage": ["en"],
        "ceasn:isPartOf": [release.iri], "ceasn:codedNotation": group.code,
        "ceasn:hasChild": group.children,
        "ceasn:isTopChildOf": release.iri if group.parent is None else None,
        "ceasn:isChildOf": [group.parent] if group.parent else None,
    }
    if group.code == "competency":
        # The occupation's O*NET descriptors and tasks ground its competency statements.
        for d in release.descriptors:
            node.setdefault(EMBODIED[d.kind], []).append(d.iri)
    return _drop_empty(node)


def _competency(release: Release, st: Statement, parent: str) -> dict:
    return _drop_empty({
        "@id": st.iri, "@type": "ceasn:Competency", "ceterms:ctid": ctid(st.iri),
        "ceasn:competencyLabel": _lang(release, st.label, st.language),
        "ceasn:competencyText": _lang(release, st.text, st.language),
        "ceasn:competencyCategory": [_lang(release, {"competency": "Competency", "ai-use": "AI use",
                                                     "durable": "Durable skill"}[st.kind], "en")],
        "ceasn:inLanguage": [st.language],
        "ceasn:isPartOf": [release.iri], "ceasn:isChildOf": [parent],
        "ceasn:codedNotation": st.code, "ceasn:listID": str(st.position),
        "asn:hasProgressionLevel": st.level.iri,
        "ceasn:sourceDocumentation": list(st.citations),
        "ceasn:license": release.licence,
        # The O*NET tasks and descriptors the editors confirmed as its source anchors.
        "ceasn:alignTo": [a.target for a in release.confirmed_anchors(st)],
    })


def _scales_used(release: Release) -> list[Scale]:
    used = {st.level.scale for st in release.statements}
    return [s for iri, s in sorted(release.scales.items()) if iri in used]


def _progression_model(release: Release, scale: Scale) -> list[dict]:
    model = _drop_empty({"@id": scale.iri, "@type": "asn:ProgressionModel", "ceterms:ctid": ctid(scale.iri),
                         "ceasn:name": _lang(release, scale.label, "en"),
                         "ceasn:description": _lang(release, scale.description, "en"),
                         "skos:hasTopConcept": [lv.iri for lv in scale.levels]})
    levels = []
    for i, lv in enumerate(scale.levels):
        nxt = scale.levels[i + 1].iri if i + 1 < len(scale.levels) else None
        levels.append(_drop_empty({
            "@id": lv.iri, "@type": "asn:ProgressionLevel", "ceterms:ctid": ctid(lv.iri),
            "skos:prefLabel": _lang(release, lv.label, "en"), "skos:definition": _lang(release, lv.role, "en"),
            "skos:notation": lv.code, "skos:topConceptOf": scale.iri, "skos:inScheme": scale.iri,
            "ceasn:inProgressionModel": scale.iri, "ceterms:precedes": nxt}))
    return [model, *levels]
