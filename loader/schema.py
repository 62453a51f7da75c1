"""The shape of the source data files, as pydantic models.

Every model forbids unknown keys, so a misspelt key is an error rather than silently
dropped data. Code formats are checked here, early, with messages that show a valid
example; the SHACL shapes check them again on the RDF.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Union

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

NonEmpty = Annotated[str, StringConstraints(strip_whitespace=False, min_length=1, pattern=r"\S")]
CODE_PATTERN = r"^[a-z0-9][a-z0-9.-]*$"
Code = Annotated[str, StringConstraints(pattern=CODE_PATTERN)]
OnetSocCode = Annotated[str, StringConstraints(pattern=r"^\d{2}-\d{4}\.\d{2}$")]
CipCode = Annotated[str, StringConstraints(pattern=r"^\d{2}\.\d{4}$")]
IssuedDate = Annotated[str, StringConstraints(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")]
Url = Annotated[str, StringConstraints(pattern=r"^https?://\S+$")]

# Human wording for each pattern above, used when a value does not match.
PATTERN_EXAMPLES = {
    CODE_PATTERN: "a lower-case code of letters, digits, '.' and '-', e.g. 'critical-thinking'",
    r"^\d{2}-\d{4}\.\d{2}$": "an O*NET-SOC code NN-NNNN.NN, e.g. '29-1129.01'",
    r"^\d{2}\.\d{4}$": "a CIP code NN.NNNN written as a quoted string, e.g. '51.2301'",
    r"^\d{4}(-\d{2}(-\d{2})?)?$": "a date YYYY, YYYY-MM or YYYY-MM-DD as a quoted string, e.g. \"2025-09\"",
    r"^https?://\S+$": "an absolute http(s) URL, e.g. https://www.onetcenter.org/",
    r"\S": "a non-empty text",
    r"^\d{2}\.\d{2}$": "a release code YY.MM as a quoted string, e.g. '26.05'",
    r"^\d(\.[A-Za-z0-9]+)*$": "an O*NET element ID, e.g. '2.B.1.a'",
    r"^\d{8}$": "an eight-digit UNSPSC code as a quoted string, e.g. '43232202'",
    r"^(count|percent|decimal|score|skill|concept|text)$": "one of count, percent, decimal, score, skill, concept, text",
    r"^[A-Za-z0-9_]+$": "a code of letters, digits and '_', e.g. 'Q2_ai_augmented'",
    r"^((competency|ai-use)/[a-z0-9-]+|durable/[a-z0-9-]+/[a-z0-9-]+)/[1-9][0-9]*$":
        "a statement's IRI path under the previous release, e.g. 'competency/proficient/3' or 'durable/communication/applying/2'",
}


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


# ---- registries -------------------------------------------------------------------

class SourceEntry(Strict):
    title: NonEmpty
    citation: NonEmpty
    publisher: NonEmpty
    chip: NonEmpty | None = None
    creator: NonEmpty | None = None
    version: NonEmpty | None = None
    issued: IssuedDate | None = None
    licence: Url | None = None
    url: Url | None = None


class SourcesFile(Strict):
    sources: dict[str, SourceEntry] = Field(min_length=1)


class CatalogueEntry(Strict):
    code: Code
    title: NonEmpty
    publisher: NonEmpty
    rights: NonEmpty
    occupations_with_source_data: int = Field(ge=0)
    sources: list[str]
    ai_use_note: NonEmpty
    durable_skills_note: NonEmpty


class CatalogueFile(Strict):
    catalogue: CatalogueEntry


class LevelEntry(Strict):
    code: Code
    label: NonEmpty
    role: NonEmpty | None = None


class ScaleEntry(Strict):
    title: NonEmpty
    description: NonEmpty
    source: str | None = None
    levels: list[LevelEntry] = Field(min_length=1)


class ScalesFile(Strict):
    scales: dict[str, ScaleEntry]


class DomainEntry(Strict):
    number: int = Field(ge=1)
    code: Code
    label: NonEmpty


class DomainsFile(Strict):
    source: str
    domains: list[DomainEntry] = Field(min_length=1)


class DescriptorEntry(Strict):
    name: NonEmpty
    element_id: Annotated[str, StringConstraints(pattern=r"^\d(\.[A-Za-z0-9]+)*$")] | None = None
    unspsc: Annotated[str, StringConstraints(pattern=r"^\d{8}$")] | None = None


class DescriptorsFile(Strict):
    skills: list[DescriptorEntry]
    knowledge: list[DescriptorEntry]
    abilities: list[DescriptorEntry]
    work_styles: list[DescriptorEntry]
    technology: list[DescriptorEntry]


class MetricEntry(Strict):
    label: NonEmpty
    kind: Annotated[str, StringConstraints(pattern=r"^(count|percent|decimal|score|skill|concept|text)$")]
    max: int | None = None
    scheme: str | None = None


class MetricGroupEntry(Strict):
    label: NonEmpty
    source: str
    metrics: dict[str, MetricEntry]


class CodedConcept(Strict):
    code: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_]+$")]
    label: NonEmpty


class CodeListEntry(Strict):
    label: NonEmpty
    source: str
    concepts: list[CodedConcept]


class EvidenceFile(Strict):
    groups: dict[str, MetricGroupEntry]
    schemes: dict[str, CodeListEntry]


# ---- frameworks ---------------------------------------------------------------------

class Descriptors(Strict):
    source: str
    skills: list[NonEmpty]
    knowledge: list[NonEmpty]
    abilities: list[NonEmpty]
    work_styles: list[NonEmpty]
    technology: list[NonEmpty]


class JobZoneEntry(Strict):
    number: int = Field(ge=1, le=5)
    name: NonEmpty


class OccupationEntry(Strict):
    onet_soc: OnetSocCode
    title: NonEmpty
    job_zone: JobZoneEntry
    related_titles: list[NonEmpty]
    rapids_apprenticeships: list[NonEmpty]
    cip: list[CipCode]
    tasks: list[NonEmpty]
    descriptors: Descriptors


# A statement of the previous release, named by its IRI path under that release
# (README "IRIs": how a later release names what it replaces or withdraws).
StatementPath = Annotated[str, StringConstraints(
    pattern=r"^((competency|ai-use)/[a-z0-9-]+|durable/[a-z0-9-]+/[a-z0-9-]+)/[1-9][0-9]*$")]


SENTENCE_PATTERN = r"^\S.*\S[.!?]$"
Justification = Annotated[str, StringConstraints(pattern=SENTENCE_PATTERN)]
AnchorCode = Annotated[str, StringConstraints(pattern=r"^[a-z-]+/[a-z0-9-]+$")]
PATTERN_EXAMPLES[r"^[a-z-]+/[a-z0-9-]+$"] = ("an anchor code: task/<position> or <kind>/<slug of the name>, "
                                             "e.g. 'task/5' or 'skill/social-perceptiveness'")


class AnchorDecisions(Strict):
    """An editor's verdict on a statement's source anchors (README "Source anchors"): `confirm`
    maps an anchor code to the sentence that justifies it, `reject` lists the codes that do not hold."""
    confirm: dict[AnchorCode, Justification] = {}
    reject: list[AnchorCode] = []


class Statement(Strict):
    label: NonEmpty
    text: NonEmpty
    replaces: list[StatementPath] = []
    anchors: AnchorDecisions | None = None


class CitedStatement(Strict):
    label: NonEmpty
    text: NonEmpty
    cites: list[str] = []
    replaces: list[StatementPath] = []
    anchors: AnchorDecisions | None = None


class Withdrawal(Strict):
    """A statement of the previous release dropped with no successor, and why."""
    statement: StatementPath
    note: NonEmpty


EvidenceValue = Union[int, float, str]


class FrameworkEntry(Strict):
    release: Annotated[str, StringConstraints(pattern=r"^\d{2}\.\d{2}$")]
    catalogue: str
    context: NonEmpty
    competencies: dict[str, list[Statement]]
    ai_use: dict[str, list[CitedStatement]]
    durable_skills: dict[str, dict[str, list[CitedStatement]]]
    evidence: dict[str, EvidenceValue]
    withdrawn: list[Withdrawal] = []


class FrameworkFile(Strict):
    occupation: OccupationEntry
    framework: FrameworkEntry


def as_decimal(value: int | float) -> Decimal:
    """YAML gives floats; the graph keeps the decimal as written (5.6, not 5.5999...)."""
    return Decimal(str(value))


# ---- editorial scale mappings (registries/scale-mappings.yaml) ------------------------

MAPPING_RELATION_PATTERN = r"^(exactMatch|closeMatch|broadMatch|narrowMatch|relatedMatch)$"
ELEMENT_ID_PATTERN = r"^\d(\.[A-Za-z0-9]+)*$"
PATTERN_EXAMPLES.update({
    MAPPING_RELATION_PATTERN: "a SKOS mapping relation: exactMatch, closeMatch, broadMatch, narrowMatch or relatedMatch",
    SENTENCE_PATTERN: "a sentence ending with '.', saying why the mapping holds",
    r"^\d{4}-\d{2}-\d{2}$": "a date YYYY-MM-DD as a quoted string, e.g. \"2026-05-01\"",
})
MappingRelation = Annotated[str, StringConstraints(pattern=MAPPING_RELATION_PATTERN)]


class LevelMapping(Strict):
    """A framework mastery level -> a durable-skill proficiency level."""
    mastery: Code
    proficiency: Code
    relation: MappingRelation
    justification: Justification


class DomainMapping(Strict):
    """A durable-skill domain -> an O*NET skill, named by its element ID."""
    domain: Code
    element_id: Annotated[str, StringConstraints(pattern=ELEMENT_ID_PATTERN)]
    relation: MappingRelation
    justification: Justification


class ScaleMappingsFile(Strict):
    date: Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$")]
    levels: list[LevelMapping] = Field(min_length=1)
    domains: list[DomainMapping] = Field(min_length=1)
