"""The typed rows of an O*NET release, one NamedTuple per kind of row, and the functions that
check and type one row of a file in each layout (row_parser), say what must be unique in a file
(row_key) and check a rating against its scale.
"""
from __future__ import annotations

import re
from decimal import Decimal
from typing import Callable, NamedTuple

from ..tables import RowError
from .layouts import RATING_SCALES, WORK_STYLES_WI_COLUMNS, Variant
from .values import Row

SOURCE_CODE_RE = re.compile(r"\d{2}\Z")


class Element(NamedTuple):
    id: str
    name: str
    description: str


class Scale(NamedTuple):
    id: str
    name: str
    minimum: str
    maximum: str


class JobZoneReference(NamedTuple):
    zone: str
    name: str
    experience: str
    education: str
    training: str
    examples: str
    svp_range: str


class Occupation(NamedTuple):
    code: str
    title: str
    description: str


class AlternateTitle(NamedTuple):
    code: str
    title: str
    short_title: str | None
    sources: tuple[str, ...]


class ReportedTitle(NamedTuple):
    code: str
    title: str
    shown_in_my_next_move: bool


class TaskStatement(NamedTuple):
    code: str
    task_id: str
    task: str
    task_type: str | None
    incumbents_responding: str | None
    date: str
    domain_source: str


class Rating(NamedTuple):
    code: str
    element_id: str
    element_name: str
    scale_id: str
    scale_name: str | None      # Excel layout only
    value: str
    n: str | None
    standard_error: str | None
    lower_ci: str | None
    upper_ci: str | None
    recommend_suppress: bool | None
    not_relevant: bool | None
    date: str
    domain_source: str


class Technology(NamedTuple):
    code: str
    example: str
    commodity_code: str | None      # Technology Skills
    commodity_title: str | None
    element_id: str | None          # Software Skills (30.3 and later)
    element_name: str | None
    hot_technology: bool
    in_demand: bool | None


class JobZone(NamedTuple):
    code: str
    zone: str
    date: str
    domain_source: str


class RelatedOccupation(NamedTuple):
    code: str
    related_code: str
    tier: str
    index: str


TIERS = ("Primary-Short", "Primary-Long", "Supplemental")


def _element(row: Row) -> Element:
    return Element(row.element(), row.text("Element Name"), row.text("Description"))


def _scale(row: Row) -> Scale:
    lo, hi = row.signed_integer("Minimum"), row.signed_integer("Maximum")
    if Decimal(lo) > Decimal(hi):
        raise RowError("Maximum", f"{hi} is below the minimum {lo}")
    return Scale(row.scale(), row.text("Scale Name"), lo, hi)


def _job_zone_number(row: Row, column: str = "Job Zone") -> str:
    zone = row.integer(column)
    if not 1 <= int(zone) <= 5:
        raise RowError(column, f"{zone} is not a job zone; expected 1 to 5")
    return zone


def _job_zone_reference(row: Row) -> JobZoneReference:
    return JobZoneReference(_job_zone_number(row), row.text("Name"), row.text("Experience"), row.text("Education"),
                            row.text("Job Training"), row.text("Examples"), row.text("SVP Range"))


def _occupation(row: Row) -> Occupation:
    return Occupation(row.code(), row.text("Title"), row.text("Description"))


def _alternate_title(column: str) -> Callable[[Row], AlternateTitle]:
    def parse(row: Row) -> AlternateTitle:
        sources = tuple(s.strip() for s in row.text("Source(s)").split(","))
        for s in sources:
            if not SOURCE_CODE_RE.match(s):
                raise RowError("Source(s)", f"{row.raw('Source(s)')!r} is not a comma-separated list of two-digit source codes, e.g. 04,06")
        return AlternateTitle(row.code(), row.text(column), row.optional_text("Short Title"), sources)
    return parse


def _reported_title(row: Row) -> ReportedTitle:
    return ReportedTitle(row.code(), row.text("Reported Job Title"), row.flag("Shown in My Next Move"))


def _task(row: Row) -> TaskStatement:
    return TaskStatement(row.code(), row.integer("Task ID"), row.text("Task"),
                         row.choice("Task Type", ("Core", "Supplemental"), optional=True),
                         row.optional_integer("Incumbents Responding"), row.date(), row.text("Domain Source"))


def _rating(full: bool, not_relevant: bool) -> Callable[[Row], Rating]:
    def parse(row: Row) -> Rating:
        scale_name = row.optional_text("Scale Name") if "Scale Name" in row.index else None
        if full:
            return Rating(row.code(), row.element(), row.text("Element Name"), row.scale(), scale_name,
                          row.decimal("Data Value"), row.optional_integer("N"), row.optional_decimal("Standard Error"),
                          row.optional_decimal("Lower CI Bound"), row.optional_decimal("Upper CI Bound"),
                          row.optional_flag("Recommend Suppress"),
                          row.optional_flag("Not Relevant") if not_relevant else None,
                          row.date(), row.text("Domain Source"))
        return Rating(row.code(), row.element(), row.text("Element Name"), row.scale(), scale_name,
                      row.decimal("Data Value"), None, None, None, None, None, None, row.date(), row.text("Domain Source"))
    return parse


def _technology(row: Row) -> Technology:
    in_demand = row.flag("In Demand") if "In Demand" in row.index else None
    if "Workplace Example" in row.index:
        return Technology(row.code(), row.text("Workplace Example"), None, None, row.element(), row.text("Element Name"),
                          row.flag("Hot Technology"), in_demand)
    commodity = row.raw("Commodity Code")
    if not re.fullmatch(r"\d{8}", commodity):
        raise RowError("Commodity Code", f"{commodity!r} is not a UNSPSC commodity code; expected eight digits, e.g. 43232202")
    return Technology(row.code(), row.text("Example"), commodity, row.text("Commodity Title"), None, None,
                      row.flag("Hot Technology"), in_demand)


def _job_zone(row: Row) -> JobZone:
    return JobZone(row.code(), _job_zone_number(row), row.date(), row.text("Domain Source"))


def _related(row: Row) -> RelatedOccupation:
    index = row.integer("Index")
    if int(index) < 1:
        raise RowError("Index", f"{index} is not a rank; expected 1 or more")
    return RelatedOccupation(row.code(), row.code("Related O*NET-SOC Code"), row.choice("Relatedness Tier", TIERS), index)


def row_parser(variant: Variant) -> Callable[[Row], NamedTuple]:
    """The function that checks and types one row of a file in this layout."""
    name = variant.file
    simple = {
        "Content Model Reference": _element, "Scales Reference": _scale, "Job Zone Reference": _job_zone_reference,
        "Occupation Data": _occupation, "Sample of Reported Titles": _reported_title, "Task Statements": _task,
        "Technology Skills": _technology, "Software Skills": _technology, "Job Zones": _job_zone,
        "Related Occupations": _related,
    }
    if name in simple:
        return simple[name]
    if name == "Alternate Titles":
        return _alternate_title("Alternate Title")
    if name == "Job Titles":
        return _alternate_title("Job Title")
    if variant.columns == WORK_STYLES_WI_COLUMNS:
        return _rating(full=False, not_relevant=False)
    return _rating(full=True, not_relevant="Not Relevant" in variant.columns)


# What must be unique within a file, for each kind of row that has a key, and how a repeat is named.
_UNIQUE: dict[type, tuple[Callable[[NamedTuple], tuple], Callable[[NamedTuple], str]]] = {
    Rating: (lambda r: (r.code, r.element_id, r.scale_id),
             lambda r: f"rating of {r.code}, element {r.element_id}, scale {r.scale_id}"),
    TaskStatement: (lambda r: (r.task_id,), lambda r: f"Task ID {r.task_id}"),
    Occupation: (lambda r: (r.code,), lambda r: f"O*NET-SOC code {r.code}"),
    JobZone: (lambda r: (r.code,), lambda r: f"O*NET-SOC code {r.code}"),
    Element: (lambda r: (r.id,), lambda r: f"Element ID {r.id}"),
    Scale: (lambda r: (r.id,), lambda r: f"Scale ID {r.id}"),
    JobZoneReference: (lambda r: (r.zone,), lambda r: f"Job Zone {r.zone}"),
    RelatedOccupation: (lambda r: (r.code, r.related_code), lambda r: f"link {r.code} -> {r.related_code}"),
}


def row_key(record: NamedTuple) -> tuple | None:
    """What must be unique within a file, or None."""
    unique = _UNIQUE.get(type(record))
    return unique[0](record) if unique else None


def describe_key(record: NamedTuple) -> str:
    return _UNIQUE[type(record)][1](record)


def check_rating_scale(record: Rating, dataset: str, ranges: dict[str, tuple[Decimal, Decimal]],
                       work_styles_layout: str | None = None) -> None:
    """The scale is one the file uses and the value lies on it (e.g. IM 1 to 5, LV 0 to 7)."""
    if dataset == "work_styles":
        allowed = {"WI", "DR"} if work_styles_layout == "new" else {"IM"}
    else:
        allowed = RATING_SCALES.get(dataset)
    if allowed is not None and record.scale_id not in allowed:
        raise RowError("Scale ID", f"{record.scale_id!r} is not a scale of this file; expected {' or '.join(sorted(allowed))}")
    bounds = ranges.get(record.scale_id)
    if bounds is not None:
        lo, hi = bounds
        if not lo <= Decimal(record.value) <= hi:
            raise RowError("Data Value", f"{record.value} is outside the {record.scale_id} scale ({lo} to {hi})")

