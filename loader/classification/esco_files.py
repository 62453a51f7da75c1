"""The files of ESCO's classification download (CSV, one language: <name>_en.csv) as published:
their columns, and the checked values of their cells.

Layout (v1.2.0): header on line 1, no metadata lines; records end in CRLF while line breaks
inside quoted fields are LF; fields are quoted only where needed. Multi-valued cells hold one
value a line (altLabels, hiddenLabels; inScheme and hasTopConcept IRIs, sometimes after a
comma); the collections list theirs separated by ' | '.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..iris import isco_of_iri
from ..tables import RowError

ESCO_ROOT = "http://data.europa.eu/esco/"
_ESCO_IRI = re.compile(re.escape(ESCO_ROOT) + r"[A-Za-z0-9._~/-]+\Z")
_OCCUPATION_CODE = re.compile(r"\d{4}(\.\d+)+\Z")
_ISCO_CODE = re.compile(r"\d{1,4}\Z")
_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z\Z")
RELATION_TYPES = ("essential", "optional")

COLLECTION = ("conceptType", "conceptUri", "preferredLabel", "status", "skillType", "reuseLevel", "altLabels",
              "description", "broaderConceptUri", "broaderConceptPT")
SKILL_COLLECTION_LANG = ("conceptType", "conceptUri", "skillType", "reuseLevel", "preferredLabel", "status",
                         "altLabels", "description", "broaderConceptUri", "broaderConceptPT")


@dataclass(frozen=True)
class EscoFile:
    stem: str                    # occupations: occupations_en.csv
    columns: tuple[str, ...]
    required: bool = False       # every other file refers to these

    def name(self, language: str) -> str:
        return f"{self.stem}_{language}.csv"


OCCUPATIONS = EscoFile("occupations", (
    "conceptType", "conceptUri", "iscoGroup", "preferredLabel", "altLabels", "hiddenLabels", "status", "modifiedDate",
    "regulatedProfessionNote", "scopeNote", "definition", "inScheme", "description", "code"), required=True)
ISCO_GROUPS = EscoFile("ISCOGroups", (
    "conceptType", "conceptUri", "code", "preferredLabel", "status", "altLabels", "inScheme", "description"), required=True)
OCCUPATION_BROADER = EscoFile("broaderRelationsOccPillar", ("conceptType", "conceptUri", "broaderType", "broaderUri"))
SKILLS = EscoFile("skills", (
    "conceptType", "conceptUri", "skillType", "reuseLevel", "preferredLabel", "altLabels", "hiddenLabels", "status",
    "modifiedDate", "scopeNote", "definition", "inScheme", "description"))
SKILL_GROUPS = EscoFile("skillGroups", (
    "conceptType", "conceptUri", "preferredLabel", "altLabels", "hiddenLabels", "status", "modifiedDate", "scopeNote",
    "inScheme", "description", "code"))
SKILLS_HIERARCHY = EscoFile("skillsHierarchy", (
    "Level 0 URI", "Level 0 preferred term", "Level 1 URI", "Level 1 preferred term", "Level 2 URI",
    "Level 2 preferred term", "Level 3 URI", "Level 3 preferred term", "Description", "Scope note", "Level 0 code",
    "Level 1 code", "Level 2 code", "Level 3 code"))
SKILL_BROADER = EscoFile("broaderRelationsSkillPillar", ("conceptType", "conceptUri", "broaderType", "broaderUri"))
SKILL_SKILL = EscoFile("skillSkillRelations", (
    "originalSkillUri", "originalSkillType", "relationType", "relatedSkillType", "relatedSkillUri"))
OCCUPATION_SKILLS = EscoFile("occupationSkillRelations", ("occupationUri", "relationType", "skillType", "skillUri"))
CONCEPT_SCHEMES = EscoFile("conceptSchemes", (
    "conceptType", "conceptSchemeUri", "preferredLabel", "title", "status", "description", "hasTopConcept"))


@dataclass(frozen=True)
class Collection:
    file: EscoFile
    slug: str                    # esco-collection/<slug>
    label: str


COLLECTIONS = tuple(Collection(EscoFile(stem, columns), slug, label) for stem, columns, slug, label in (
    ("digitalSkillsCollection", COLLECTION, "digital-skills", "ESCO digital skills collection"),
    ("greenSkillsCollection", COLLECTION, "green-skills", "ESCO green skills collection"),
    ("languageSkillsCollection", SKILL_COLLECTION_LANG, "language-skills", "ESCO language skills collection"),
    ("transversalSkillsCollection", SKILL_COLLECTION_LANG, "transversal-skills", "ESCO transversal skills collection"),
    ("researchSkillsCollection", COLLECTION, "research-skills", "ESCO research skills collection"),
    ("researchOccupationsCollection", ("conceptType", "conceptUri", "preferredLabel", "status", "altLabels",
                                       "description", "broaderConceptUri", "broaderConceptPT"),
     "research-occupations", "ESCO research occupations collection"),
    ("digCompSkillsCollection", COLLECTION, "digcomp-skills", "ESCO DigComp skills collection"),
))

# In the order they are read: ISCO groups and occupations first, as the others refer to them.
FILES = (ISCO_GROUPS, OCCUPATIONS, OCCUPATION_BROADER, SKILLS, SKILL_GROUPS, SKILLS_HIERARCHY, SKILL_BROADER,
         SKILL_SKILL, OCCUPATION_SKILLS, CONCEPT_SCHEMES, *(c.file for c in COLLECTIONS))


# ---- cells --------------------------------------------------------------------------------------

def esco_iri(c: dict[str, str], column: str, what: str = "concept") -> str:
    value = c[column]
    if not _ESCO_IRI.match(value):
        raise RowError(column, f"{value!r} is not an ESCO {what} IRI; expected {ESCO_ROOT}..., e.g. "
                               f"{ESCO_ROOT}occupation/eb48ccbd-75f2-4799-81be-443034858473")
    return value


def iris(c: dict[str, str], column: str) -> list[str]:
    """The IRIs of a multi-valued cell (one a line, or separated by commas or ' | ')."""
    values = [v for v in re.split(r"[\s,|]+", c[column]) if v]
    for value in values:
        esco_iri({column: value}, column)
    return values


def lines(value: str) -> list[str]:
    return [v.strip() for v in value.split("\n") if v.strip()]


def piped(value: str) -> list[str]:
    return [v.strip() for v in value.split(" | ") if v.strip()]


def expect(c: dict[str, str], column: str, *allowed: str) -> str:
    if c[column] not in allowed:
        raise RowError(column, f"{c[column]!r} is not {' or '.join(repr(a) for a in allowed)}")
    return c[column]


def occupation_code(c: dict[str, str]) -> str:
    if not _OCCUPATION_CODE.match(c["code"]):
        raise RowError("code", f"{c['code']!r} is not an ESCO occupation code; expected its ISCO-08 unit group and "
                               "dotted parts, as text, e.g. 2269.9.2")
    return c["code"]


def isco_code(c: dict[str, str], column: str) -> str:
    if not _ISCO_CODE.match(c[column]):
        raise RowError(column, f"{c[column]!r} is not an ISCO-08 group code; expected one to four digits, e.g. 2269")
    return c[column]


def isco_of(c: dict[str, str], column: str) -> str:
    """The ISCO-08 code of ESCO's IRI of an ISCO group (.../isco/C2269 -> 2269)."""
    code = isco_of_iri(c[column])
    if code is None:
        raise RowError(column, f"{c[column]!r} is not ESCO's IRI of an ISCO-08 group; expected {ESCO_ROOT}isco/C<code>")
    return code


def date_time(c: dict[str, str], column: str) -> str | None:
    value = c[column]
    if value and not _DATE_TIME.match(value):
        raise RowError(column, f"{value!r} is not a date and time; expected e.g. 2024-01-25T11:28:50.295Z")
    return value or None
