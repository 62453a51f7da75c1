"""Open Badges 3.0: a ready Achievement per statement, aligned to the statement in each framework format.

An issuer copies an Achievement into an OpenBadgeCredential as it is. Each one carries one
alignment per framework format a wallet may know the statement in, each `targetUrl` the
location that answers in that format: the CTDL-ASN competency (the statement in the
ctdl-asn profile) and the CASE CFItem (the REST API). An Achievement's id is a fragment of
the statement's IRI, which this profile of that IRI describes. The release's Achievement
adds a ResultDescription whose rubric levels are the mastery levels.
"""
from __future__ import annotations

from skillsgraph.iris import last_code, uuid_of

from ..model.release import KIND_TITLES, Release, Scale, Statement
from . import ctdl_asn
from .locations import Locations

CONTEXT = ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
TOKEN = "ob3"
ONET_FRAMEWORK = "O*NET"


def achievement_id(iri: str) -> str:
    """The Achievement of a statement or release: a fragment of its IRI (no query string in an id)."""
    return f"{iri}#achievement"


def release_document(release: Release, where: Locations) -> dict:
    return {"@context": CONTEXT, "@graph": achievements(release, where)}


def achievements(release: Release, where: Locations) -> list[dict]:
    """The framework's Achievement first, then one per statement, in document order."""
    return [framework_achievement(release, where)] + [_achievement(release, st, where) for st in release.statements]


def statement_document(release: Release, statement: Statement, where: Locations) -> dict:
    return {"@context": CONTEXT, **_achievement(release, statement, where)}


def _creator(release: Release) -> dict | None:
    if not release.publisher:
        return None
    return {"id": release.publisher, "type": ["Profile"], "name": release.publisher_name or release.publisher}


def _framework_name(release: Release) -> str:
    return release.label


def alignments(release: Release, st: Statement, where: Locations) -> list[dict]:
    common = {"type": ["Alignment"], "targetName": st.label, "targetDescription": st.text,
              "targetFramework": _framework_name(release), "targetCode": st.code}
    return [{**common, "targetType": "ceasn:Competency", "targetUrl": where.profiled(st.iri, ctdl_asn.TOKEN)},
            {**common, "targetType": "CFItem", "targetUrl": where.case("CFItems", uuid_of(st.iri))}] + \
        _onet_alignments(release, st)


def _onet_alignments(release: Release, st: Statement) -> list[dict]:
    """The O*NET tasks and descriptors editors confirmed as the statement's source anchors (machine
    suggestions are not: an issuer copies these alignments into credentials as they are)."""
    return [{"type": ["Alignment"], "targetName": a.name, "targetUrl": a.target,
             "targetDescription": a.justification or a.name, "targetFramework": ONET_FRAMEWORK, "targetCode": a.code,
             "targetType": "ext:ONetElement"} for a in release.confirmed_anchors(st)]


def _achievement(release: Release, st: Statement, where: Locations) -> dict:
    level = f"{st.level.label} level" + (f" ({st.level.role})" if st.level.role else "")
    domain = f" in the {st.domain.label} domain" if st.domain else ""
    out = {
        "id": achievement_id(st.iri), "type": ["Achievement"], "achievementType": "Competency",
        "name": st.label, "description": st.text,
        "criteria": {"narrative": f"Demonstrates, at the {level}{domain} of the {release.label}: "
                                  f"{st.label}: {st.text}"},
        "alignment": alignments(release, st, where),
        "humanCode": st.code, "inLanguage": st.language, "version": release.version,
        "tag": [KIND_TITLES[st.kind], st.level.label] + ([st.domain.label] if st.domain else []),
        "creator": _creator(release),
    }
    return {k: v for k, v in out.items() if v is not None}


def _mastery_scale(release: Release) -> Scale | None:
    """The scale of the competency statements: the four mastery levels."""
    scale = next((st.level.scale for st in release.statements if st.kind == "competency"), None)
    return release.scales.get(scale) if scale else None


def result_description(release: Release) -> dict | None:
    scale = _mastery_scale(release)
    if scale is None:
        return None
    return {
        "id": f"{achievement_id(release.iri)}-result-{last_code(scale.iri)}",
        "type": ["ResultDescription"], "name": scale.label, "resultType": "RubricCriterionLevel",
        "rubricCriterionLevel": [{"id": lv.iri, "type": ["RubricCriterionLevel"], "name": lv.label, "level": lv.code,
                                  **({"description": lv.role} if lv.role else {})} for lv in scale.levels],
    }


def _framework_alignments(release: Release, where: Locations) -> list[dict]:
    common = {"type": ["Alignment"], "targetName": release.label, "targetDescription": release.context or release.label,
              "targetFramework": release.label, "targetCode": release.onet_code or release.iri}
    return [{**common, "targetType": "CTDL", "targetUrl": where.profiled(release.iri, ctdl_asn.TOKEN)},
            {**common, "targetType": "ext:CFDocument", "targetUrl": where.case("CFDocuments", uuid_of(release.iri))}]


def framework_achievement(release: Release, where: Locations) -> dict:
    result = result_description(release)
    out = {
        "id": achievement_id(release.iri), "type": ["Achievement"], "achievementType": "Competency",
        "name": release.label, "description": release.context or release.label,
        "criteria": {"narrative": f"Performs the competencies of the {release.label} at a mastery level, "
                                  "the result saying which."},
        "alignment": _framework_alignments(release, where),
        "resultDescription": [result] if result else None,
        "humanCode": release.onet_code, "inLanguage": release.language, "version": release.version,
        "creator": _creator(release),
    }
    return {k: v for k, v in out.items() if v is not None}
