"""schema.org, the one builder: for the schema-org profile and for what pages embed for crawlers.

The profile describes a release as the Occupation it is for: CategoryCodes for O*NET-SOC
and SOC, the framework's statements as skills in the release's DefinedTermSet, the O*NET
skills in theirs, the CIP programmes as education requirements. A page embeds its
resource: an occupation as schema:Occupation, a release as its DefinedTermSet, a statement
as a DefinedTerm of it, anything else as a schema:Thing.
"""
from __future__ import annotations

import pyoxigraph as ox

from skillsgraph.vocab import RDFS, SCHEMA, SG, SKOS

from .model.occupation import Occupation
from .model.release import KIND_TITLES, KINDS, Release, Statement
from .model.resource import LEAD_PROPERTIES, NAME_PROPERTIES, Described

CONTEXT = "https://schema.org/"
ONET_SOC_SET = {"@type": "CategoryCodeSet", "name": "O*NET-SOC 2019", "url": "https://www.onetcenter.org/taxonomy.html"}
SOC_SET = {"@type": "CategoryCodeSet", "name": "2018 Standard Occupational Classification (SOC)",
           "url": "https://www.bls.gov/soc/2018/"}
CIP_SET = {"@type": "CategoryCodeSet", "name": "Classification of Instructional Programs (CIP 2020)",
           "url": "https://nces.ed.gov/ipeds/cipcode/"}
STATEMENT_TYPES = {*KINDS, SG.Statement}


def _drop_empty(d: dict) -> dict:
    return {k: v for k, v in d.items() if v not in (None, [], "")}


# ---- the schema-org profile ---------------------------------------------------------------

def release_document(release: Release) -> dict:
    term_set = _term_set(release)
    occupation = {
        "@context": CONTEXT, "@type": "Occupation", "@id": release.occupation, "url": release.occupation,
        "name": release.title, "description": release.context,
        "occupationalCategory": categories(release.onet_code, release.soc_code, release.title),
        "skills": [_term(release, st, term_set) for st in release.statements] + _onet_skills(release),
        "educationRequirements": [programme(iri, code) for iri, code in release.cips],
        "subjectOf": {**term_set, "version": release.version, "license": release.licence,
                      **({"publisher": {"@type": "Organization", "@id": release.publisher,
                                        "name": release.publisher_name}} if release.publisher else {})},
    }
    return {k: v for k, v in occupation.items() if v not in (None, [])}


def statement_document(release: Release, statement: Statement) -> dict:
    return {"@context": CONTEXT, **_term(release, statement, _term_set(release))}


def _term_set(release: Release) -> dict:
    # inLanguage is a CreativeWork's (the set's), not a DefinedTerm's.
    return {"@type": "DefinedTermSet", "@id": release.iri, "url": release.iri, "name": release.label,
            "inLanguage": release.language}


def _term(release: Release, st: Statement, term_set: dict) -> dict:
    return {"@type": "DefinedTerm", "@id": st.iri, "url": st.iri, "name": st.label, "description": st.text,
            "termCode": st.code, "inDefinedTermSet": term_set,
            "additionalType": KIND_TITLES[st.kind]}


def categories(onet: str | None, soc: str | None, name: str | None) -> list[dict]:
    out = []
    if onet:
        out.append({"@type": "CategoryCode", "codeValue": onet, "name": name, "inCodeSet": ONET_SOC_SET})
    if soc:
        out.append({"@type": "CategoryCode", "codeValue": soc, "inCodeSet": SOC_SET})
    return out


def _onet_skills(release: Release) -> list[dict]:
    return [{"@type": "DefinedTerm", "@id": d.iri, "url": d.iri, "name": d.label,
             **({"termCode": d.code} if d.code else {}),
             "inDefinedTermSet": {"@type": "DefinedTermSet", "name": "O*NET skills"}}
            for d in release.descriptors if d.kind == "skill"]


def programme(iri: str, code: str) -> dict:
    """A CIP programme as schema.org educationRequirements."""
    return {"@type": "EducationalOccupationalCredential", "name": f"A programme in CIP {code}",
            "about": {"@type": "CategoryCode", "@id": iri, "codeValue": code, "inCodeSet": CIP_SET}}


# ---- what pages embed ---------------------------------------------------------------------

def _embedded(iri: str, description: dict) -> dict:
    return {**{"@context": CONTEXT, "@id": iri, "url": iri}, **description}


def release_page(page_iri: str, release: Release) -> dict:
    """A release (or the framework standing for it) as its DefinedTermSet, terms in the page's order."""
    kinds = list(KIND_TITLES)
    statements = sorted(release.statements, key=lambda s: (kinds.index(s.kind), s.domain.iri if s.domain else "",
                                                           s.level.iri, s.position, s.iri))
    terms = [_drop_empty({"@type": "DefinedTerm", "@id": s.iri, "url": s.iri, "name": s.label, "description": s.text,
                          "termCode": s.code}) for s in statements]
    return _embedded(page_iri, _drop_empty({
        "@type": "DefinedTermSet", "@id": release.iri, "url": release.iri, "name": release.label,
        "description": release.context, "version": release.version or None,
        "about": _drop_empty({"@type": "Occupation", "@id": release.occupation, "name": release.title}),
        "publisher": _drop_empty({"@type": "Organization", "name": release.publisher_name}) if release.publisher_name else None,
        "hasDefinedTerm": terms}))


def resource_page(resource: Described, occupation: Occupation | None, *, name: str, release_name: str | None,
                  term_code: str | None) -> dict:
    """Any other resource a page shows: `name` is what to call it when its triples do not say,
    `release_name` and `term_code` what a statement's release is called and its path there."""
    if SG.Occupation in resource.types and occupation is not None:
        return _embedded(resource.iri, _occupation(resource, occupation))
    if resource.types & STATEMENT_TYPES:
        out = {"@type": "DefinedTerm", "name": resource.text(SKOS.prefLabel, RDFS.label),
               "description": resource.text(SG.statementText, SKOS.definition)}
        release = resource.link(SG.framework)
        if release:
            out["termCode"] = term_code
            out["inDefinedTermSet"] = {"@type": "DefinedTermSet", "@id": release, "url": release, "name": release_name}
        return _embedded(resource.iri, _drop_empty(out))
    return _embedded(resource.iri, _drop_empty({"@type": "Thing", "name": resource.text(*NAME_PROPERTIES) or name,
                                                "description": resource.text(*LEAD_PROPERTIES)}))


def _occupation(resource: Described, occupation: Occupation) -> dict:
    skills = [d for d in occupation.of_kind("skill") if d.label is not None]
    skills.sort(key=lambda d: (d.position if d.position is not None else 10**6, d.label))
    terms = [_drop_empty({"@type": "DefinedTerm", "@id": d.iri, "name": d.label,
                          "inDefinedTermSet": _drop_empty({"@type": "DefinedTermSet", "@id": d.scheme,
                                                           "name": d.scheme_label}) or None}) for d in skills]
    titles = sorted({o.value for o in resource.own.get(SG.relatedTitle, []) if isinstance(o, ox.Literal)})
    programmes = sorted({(p.iri, p.code) for p in occupation.programmes if p.code is not None}, key=lambda p: (p[1], p[0]))
    return _drop_empty({
        "@type": "Occupation", "name": resource.text(SKOS.prefLabel, SCHEMA.name),
        "occupationalCategory": categories(resource.text(SG.onetSocCode), resource.text(SG.socCode),
                                           resource.text(SKOS.prefLabel)),
        "skills": terms, "alternateName": titles, "educationRequirements": [programme(i, c) for i, c in programmes]})


__all__ = ["release_document", "statement_document", "release_page", "resource_page", "programme", "categories"]
