"""The tables of an O*NET release the importer reads, and each layout each table is known in.

The layout of the files changes between releases; each layout a file is known in is listed in
FILES, with the exact column names of the O*NET data dictionary
(https://www.onetcenter.org/dictionary/<version>/text/):

- Work Styles: up to 30.0 importance ratings (IM) with N, standard error, confidence
  bounds and Recommend Suppress; from 30.1 Work Styles Impact (WI, -3 to +3) and
  Distinctiveness Rank (DR, 0 = not ranked, else 1 to 10) with Data Value, Date and
  Domain Source only.
- From 30.3: Alternate Titles is named Job Titles (column Job Title); Skills is split
  into Essential Skills and Transferable Skills (same columns); Technology Skills becomes
  Software Skills, filed under content-model elements instead of UNSPSC commodities
  (Workplace Example, Element ID, Element Name, Hot Technology, In Demand).
- Technology Skills gained In Demand in 27.1.

The Excel form adds an occupation ``Title`` column after each O*NET-SOC code (``Related Title``
after the related code) and a ``Scale Name`` after each ``Scale ID`` (excel_columns).
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

TEXT, EXCEL = "text", "excel"
SUFFIX = {TEXT: ".txt", EXCEL: ".xlsx"}

CODE = "O*NET-SOC Code"
RATING_COLUMNS = (CODE, "Element ID", "Element Name", "Scale ID", "Data Value", "N", "Standard Error",
                  "Lower CI Bound", "Upper CI Bound", "Recommend Suppress", "Not Relevant", "Date", "Domain Source")
WORK_STYLES_IM_COLUMNS = tuple(c for c in RATING_COLUMNS if c != "Not Relevant")
WORK_STYLES_WI_COLUMNS = (CODE, "Element ID", "Element Name", "Scale ID", "Data Value", "Date", "Domain Source")

# Ranges of the scales the rating files use, when the release's Scales Reference does not
# give them (it is read first and wins): IM and LV from the Scales Reference of every
# release; WI and DR from the 30.1 dictionary's description of Work Styles.
DEFAULT_SCALE_RANGES = {"IM": (Decimal(1), Decimal(5)), "LV": (Decimal(0), Decimal(7)),
                        "WI": (Decimal(-3), Decimal(3)), "DR": (Decimal(0), Decimal(10))}


@dataclass(frozen=True)
class Variant:
    """One layout of one file: its name and its columns in the text form."""
    file: str
    layout: str
    columns: tuple[str, ...]

    def header(self, form: str) -> tuple[str, ...]:
        return excel_columns(self.columns) if form == EXCEL else self.columns


@dataclass(frozen=True)
class Dataset:
    """A table the importer reads; some are named differently, or split, in some releases."""
    key: str
    label: str
    variants: tuple[Variant, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(v.file for v in self.variants))


def excel_columns(columns: tuple[str, ...]) -> tuple[str, ...]:
    """The Excel layout: Title after the O*NET-SOC code, Related Title after the related code, Scale Name after Scale ID."""
    extra = {CODE: "Title", "Related O*NET-SOC Code": "Related Title", "Scale ID": "Scale Name"}
    out: list[str] = []
    for i, column in enumerate(columns):
        out.append(column)
        following = columns[i + 1] if i + 1 < len(columns) else None
        if column in extra and following != extra[column]:
            out.append(extra[column])
    return tuple(out)


def _one(key: str, label: str, file: str, columns: tuple[str, ...], layout: str = "all releases") -> Dataset:
    return Dataset(key, label, (Variant(file, layout, columns),))


FILES: tuple[Dataset, ...] = (
    _one("content_model", "Content Model Reference", "Content Model Reference", ("Element ID", "Element Name", "Description")),
    _one("scales", "Scales Reference", "Scales Reference", ("Scale ID", "Scale Name", "Minimum", "Maximum")),
    _one("job_zone_reference", "Job Zone Reference", "Job Zone Reference",
         ("Job Zone", "Name", "Experience", "Education", "Job Training", "Examples", "SVP Range")),
    _one("occupations", "Occupation Data", "Occupation Data", (CODE, "Title", "Description")),
    Dataset("alternate_titles", "Alternate Titles", (
        Variant("Alternate Titles", "up to 30.2", (CODE, "Alternate Title", "Short Title", "Source(s)")),
        Variant("Job Titles", "30.3 and later", (CODE, "Job Title", "Short Title", "Source(s)")))),
    _one("reported_titles", "Sample of Reported Titles", "Sample of Reported Titles",
         (CODE, "Reported Job Title", "Shown in My Next Move")),
    _one("tasks", "Task Statements", "Task Statements",
         (CODE, "Task ID", "Task", "Task Type", "Incumbents Responding", "Date", "Domain Source")),
    Dataset("skills", "Skills", (
        Variant("Skills", "up to 30.2", RATING_COLUMNS),
        Variant("Essential Skills", "30.3 and later", RATING_COLUMNS),
        Variant("Transferable Skills", "30.3 and later", RATING_COLUMNS))),
    _one("knowledge", "Knowledge", "Knowledge", RATING_COLUMNS),
    _one("abilities", "Abilities", "Abilities", RATING_COLUMNS),
    _one("work_activities", "Work Activities", "Work Activities", RATING_COLUMNS),
    Dataset("work_styles", "Work Styles", (
        Variant("Work Styles", "up to 30.0 (IM)", WORK_STYLES_IM_COLUMNS),
        Variant("Work Styles", "30.1 and later (WI, DR)", WORK_STYLES_WI_COLUMNS))),
    Dataset("technology", "Technology Skills", (
        Variant("Technology Skills", "up to 27.0", (CODE, "Example", "Commodity Code", "Commodity Title", "Hot Technology")),
        Variant("Technology Skills", "27.1 to 30.2", (CODE, "Example", "Commodity Code", "Commodity Title", "Hot Technology", "In Demand")),
        Variant("Software Skills", "30.3 and later", (CODE, "Workplace Example", "Element ID", "Element Name", "Hot Technology", "In Demand")))),
    _one("job_zones", "Job Zones", "Job Zones", (CODE, "Job Zone", "Date", "Domain Source")),
    _one("related", "Related Occupations", "Related Occupations", (CODE, "Related O*NET-SOC Code", "Relatedness Tier", "Index")),
)
DATASETS = {d.key: d for d in FILES}
RATING_SCALES = {"skills": {"IM", "LV"}, "knowledge": {"IM", "LV"}, "abilities": {"IM", "LV"},
                 "work_activities": {"IM", "LV"}}

