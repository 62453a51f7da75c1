"""schema.org: the release as the Occupation it describes, its statements as DefinedTerms.

Extends what the HTML pages embed for crawlers (pages.schema_org_jsonld): the same
CategoryCodes for O*NET-SOC and SOC, plus the framework's statements as skills in the
release's DefinedTermSet, the O*NET skills in theirs, and the CIP programmes as
education requirements.
"""
from __future__ import annotations

from .model import KIND_TITLES, Release, Statement

CONTEXT = "https://schema.org/"
ONET_SOC_SET = {"@type": "CategoryCodeSet", "name": "O*NET-SOC 2019", "url": "https://www.onetcenter.org/taxonomy.html"}
SOC_SET = {"@type": "CategoryCodeSet", "name": "2018 Standard Occupational Classification (SOC)",
           "url": "https://www.bls.gov/soc/2018/"}
CIP_SET = {"@type": "CategoryCodeSet", "name": "Classification of Instructional Programs (CIP 2020)",
           "url": "https://nces.ed.gov/ipeds/cipcode/"}


def release_document(release: Release) -> dict:
    term_set = _term_set(release)
    occupation = {
        "@context": CONTEXT, "@type": "Occupation", "@id": release.occupation, "url": release.occupation,
        "name": release.title, "description": release.context,
        "occupationalCategory": _categories(release),
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
    return {"@type": "DefinedTermSet", "@id": release.iri, "url": release.iri, "name": release.label}


def _term(release: Release, st: Statement, term_set: dict) -> dict:
    return {"@type": "DefinedTerm", "@id": st.iri, "url": st.iri, "name": st.label, "description": st.text,
            "termCode": st.code, "inDefinedTermSet": term_set,
            "additionalType": KIND_TITLES[st.kind], "inLanguage": st.language}


def _categories(release: Release) -> list[dict]:
    out = []
    if release.onet_code:
        out.append({"@type": "CategoryCode", "codeValue": release.onet_code, "name": release.title,
                    "inCodeSet": ONET_SOC_SET})
    if release.soc_code:
        out.append({"@type": "CategoryCode", "codeValue": release.soc_code, "inCodeSet": SOC_SET})
    return out


def _onet_skills(release: Release) -> list[dict]:
    return [{"@type": "DefinedTerm", "@id": d.iri, "url": d.iri, "name": d.label,
             **({"termCode": d.code} if d.code else {}),
             "inDefinedTermSet": {"@type": "DefinedTermSet", "name": "O*NET skills"}}
            for d in release.descriptors if d.kind == "skill"]


def programme(iri: str, code: str) -> dict:
    """A CIP programme as schema.org educationRequirements (also embedded in occupation pages)."""
    return {"@type": "EducationalOccupationalCredential", "name": f"A programme in CIP {code}",
            "about": {"@type": "CategoryCode", "@id": iri, "codeValue": code, "inCodeSet": CIP_SET}}
