"""Read an O*NET database release folder: tell its form, version and layout, check each
file's header and every value, and give back typed rows.

O*NET publishes each release in several forms. Two are read here:

- text: one tab-delimited UTF-8 file per table (``Skills.txt``), unquoted, ``n/a`` for
  a missing value;
- Excel: one workbook per table (``Skills.xlsx``), read with openpyxl in read-only mode
  one row at a time (61,530 rows of Skills never sit in memory at once). The Excel layout
  adds an occupation ``Title`` column after each O*NET-SOC code (``Related Title`` after
  the related code) and a ``Scale Name`` after each ``Scale ID``; an empty cell stands
  for ``n/a``.

The layout of the files changes between releases; each layout a file is known in is
listed in FILES below, with the exact column names of the O*NET data dictionary
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

Every problem is a loader.errors.SourceProblem naming the file, its line (the row number
of a workbook, the header being row 1, so both forms count alike), the column, what is
wrong and what would be right, e.g. ``Skills.txt:3: column 'Data Value': 'abc' is not a
number``.
"""
from __future__ import annotations

import csv
import datetime as _dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Callable, Iterator, NamedTuple

from .errors import SourceDataError, SourceProblem

TEXT, EXCEL = "text", "excel"
SUFFIX = {TEXT: ".txt", EXCEL: ".xlsx"}
README = "Read Me.txt"
NA = "n/a"
MAX_PROBLEMS_PER_FILE = 20

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

MONTHS = {name: n for n, name in enumerate(
    ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
     "November", "December"), start=1)}

SOC_RE = re.compile(r"\d{2}-\d{4}\.\d{2}\Z")
ELEMENT_RE = re.compile(r"\d+(\.[A-Za-z0-9]+)*\Z")
SCALE_RE = re.compile(r"[A-Z]{2,3}\Z")
DECIMAL_RE = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)\Z")
INTEGER_RE = re.compile(r"\d+\Z")
DATE_RE = re.compile(r"(0[1-9]|1[0-2])/(\d{4})\Z")
SOURCE_CODE_RE = re.compile(r"\d{2}\Z")
VERSION_RE = re.compile(r"\d+\.\d+\Z")


# ---- what a release holds ------------------------------------------------------------------

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


@dataclass(frozen=True)
class ReleaseFile:
    dataset: Dataset
    name: str          # the file's name without suffix, e.g. "Essential Skills"
    path: Path

    @property
    def label(self) -> str:
        return self.path.name


@dataclass
class Release:
    folder: Path
    form: str
    version: str
    issued: str | None            # YYYY-MM, from Read Me
    dictionary: str | None        # the documentation URL Read Me names
    files: list[ReleaseFile]
    skipped: list[str]            # "Skills (file not in this release)"
    ignored: list[str]            # files present that are not imported
    layout: list[str] = field(default_factory=list)

    @property
    def form_label(self) -> str:
        return "tab-delimited text" if self.form == TEXT else "Excel"


def _problem(file: Path | str, line: int | None, key: str, message: str) -> SourceProblem:
    return SourceProblem(Path(file), line, None, key, message)


def read_readme(folder: Path) -> tuple[str | None, str | None, str | None, list[SourceProblem]]:
    """(version, issued YYYY-MM, dictionary URL, problems) from the release's 'Read Me.txt'."""
    path = folder / README
    if not path.is_file():
        return None, None, None, []
    try:
        lines = [line.strip() for line in path.read_text(encoding="utf-8-sig").splitlines()]
    except (OSError, UnicodeDecodeError) as exc:
        return None, None, None, [_problem(README, None, "", f"cannot be read as UTF-8 text: {exc}")]
    text_lines = [(n, line) for n, line in enumerate(lines, start=1) if line]
    version = issued = dictionary = None
    problems: list[SourceProblem] = []
    if text_lines:
        n, first = text_lines[0]
        m = re.fullmatch(r"O\*NET (\d+\.\d+) Database", first)
        if m:
            version = m.group(1)
        else:
            problems.append(_problem(README, n, "", f"{first!r} does not name the release; expected e.g. 'O*NET 29.3 Database'"))
    if len(text_lines) > 1:
        n, second = text_lines[1]
        m = re.fullmatch(r"([A-Z][a-z]+) (\d{4}) Release", second)
        if m and m.group(1) in MONTHS:
            issued = f"{m.group(2)}-{MONTHS[m.group(1)]:02d}"
    for _, line in text_lines:
        m = re.fullmatch(r"(https?://\S*/dictionary/\S+)", line)
        if m:
            dictionary = m.group(1)
    return version, issued, dictionary, problems


def detect_release(folder: Path, release: str | None = None) -> Release:
    """Tell the form, version and layout of a release folder; raises SourceDataError when it cannot."""
    folder = Path(folder)
    if not folder.is_dir():
        raise SourceDataError([_problem(folder, None, "", "is not a folder; expected an O*NET release folder such as db_29_3_excel")])
    entries = sorted(p for p in folder.iterdir() if p.is_file())
    texts = [p for p in entries if p.suffix.lower() == ".txt" and p.name != README]
    workbooks = [p for p in entries if p.suffix.lower() == ".xlsx" and not p.name.startswith("~$")]
    known = {name for d in FILES for name in d.names}
    known_texts = [p for p in texts if p.stem in known]
    known_books = [p for p in workbooks if p.stem in known]
    if known_texts and known_books:
        raise SourceDataError([_problem(folder, None, "", "holds both text (.txt) and Excel (.xlsx) files of O*NET tables, "
                                        f"e.g. {known_texts[0].name} and {known_books[0].name}; give a folder of one form")])
    if not known_texts and not known_books:
        expected = ", ".join(sorted(known))
        raise SourceDataError([_problem(folder, None, "", "holds no O*NET table this importer reads, as .txt or .xlsx; "
                                        f"expected some of: {expected}")])
    form = TEXT if known_texts else EXCEL
    suffix = SUFFIX[form]

    version, issued, dictionary, problems = read_readme(folder)
    if problems:
        raise SourceDataError(problems)
    if release is not None:
        if not VERSION_RE.match(release):
            raise SourceDataError([_problem(folder, None, "--release", f"{release!r} is not a release version; expected e.g. 29.3")])
        if version is not None and version != release:
            raise SourceDataError([_problem(folder / README, None, "--release",
                                            f"--release {release} disagrees with '{README}', which names release {version}")])
        version = release
    if version is None:
        raise SourceDataError([_problem(folder, None, "", f"cannot tell which O*NET release this is: no '{README}' naming it "
                                        "('O*NET 29.3 Database'); give the version with --release, e.g. --release 29.3")])

    files: list[ReleaseFile] = []
    skipped: list[str] = []
    layout: list[str] = []
    used: set[str] = set()
    for dataset in FILES:
        present = [name for name in dataset.names if (folder / f"{name}{suffix}").is_file()]
        if dataset.key == "skills":
            if "Skills" in present and len(present) > 1:
                raise SourceDataError([_problem(folder, None, "", "holds both Skills and the 30.3 split of it "
                                                "(Essential Skills, Transferable Skills); expected one layout")])
            if present and "Skills" not in present:
                layout.append("Skills split into Essential Skills and Transferable Skills (30.3 and later)")
                for name in ("Essential Skills", "Transferable Skills"):
                    if name not in present:
                        skipped.append(f"{name} (file not in this release)")
        elif len(present) > 1:
            raise SourceDataError([_problem(folder, None, "", f"holds both {' and '.join(present)}, two layouts of "
                                            f"{dataset.label}; expected one")])
        elif present and present[0] != dataset.variants[0].file:
            layout.append(f"{dataset.label} named {present[0]} (30.3 and later)")
        if not present:
            skipped.append(f"{dataset.label} (file not in this release)")
        for name in present:
            files.append(ReleaseFile(dataset, name, folder / f"{name}{suffix}"))
            used.add(f"{name}{suffix}")
    ignored = [p.name for p in entries if p.name not in used and p.name != README]
    return Release(folder, form, version, issued, dictionary, files, skipped, ignored, layout)


# ---- reading rows ------------------------------------------------------------------------------

def count_rows(path: Path, form: str) -> int | None:
    """Data rows in a file, cheaply (for progress): newlines of a text file, the dimension of a sheet."""
    try:
        if form == TEXT:
            with open(path, "rb") as handle:
                data = handle.read()
            lines = data.count(b"\n") + (0 if data.endswith(b"\n") or not data else 1)
            return max(lines - 1, 0)
        from openpyxl import load_workbook
        wb = load_workbook(path, read_only=True, data_only=True)
        try:
            return max((wb.worksheets[0].max_row or 1) - 1, 0)
        finally:
            wb.close()
    except Exception:  # a broken file is reported by the reader, with its reason
        return None


def iter_text_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """(line number, fields) of a tab-delimited O*NET text file, header first; blank lines skipped."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE, strict=False)
        for fields in reader:
            if fields == [] or fields == [""]:
                continue
            yield reader.line_num, fields


def excel_cell(value) -> str:
    """An openpyxl cell value as the text form writes it; an empty cell is ''."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "Y" if value else "N"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):  # repr is the shortest form that reads back as the same float; no exponent
        return str(int(value)) if value.is_integer() else format(Decimal(repr(value)), "f")
    if isinstance(value, (_dt.datetime, _dt.date)):
        return f"{value.month:02d}/{value.year:04d}"
    return str(value)


def iter_excel_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """(row number, cells as text) of the first sheet of a workbook, header first; empty rows skipped."""
    from openpyxl import load_workbook
    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = wb.worksheets[0]
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [excel_cell(v) for v in row]
            while cells and cells[-1] == "":
                cells.pop()
            if cells:
                yield number, cells
    finally:
        wb.close()


def iter_rows(path: Path, form: str) -> Iterator[tuple[int, list[str]]]:
    return iter_text_rows(path) if form == TEXT else iter_excel_rows(path)


def read_error(path: Path, form: str, exc: BaseException) -> SourceProblem:
    if isinstance(exc, UnicodeDecodeError):
        return _problem(path.name, None, "", f"is not UTF-8 text ({exc.reason} at byte {exc.start}); "
                                             "O*NET text files are UTF-8")
    if form == EXCEL:
        return _problem(path.name, None, "", f"cannot be read as an Excel workbook (.xlsx): {exc}")
    return _problem(path.name, None, "", f"cannot be read: {exc}")


# ---- checking a header -----------------------------------------------------------------------------

def match_header(rf: ReleaseFile, form: str, header: list[str], line: int) -> tuple[Variant | None, SourceProblem | None]:
    """The variant whose columns the header has exactly, or a problem saying what was expected."""
    found = tuple(h.strip() for h in header)
    variants = [v for v in rf.dataset.variants if v.file == rf.name]
    for variant in variants:
        if found == variant.header(form):
            return variant, None
    if len(variants) == 1:
        expected = variants[0].header(form)
        message = _header_difference(found, expected)
    else:
        message = "matches no known layout of {}: {}".format(
            rf.name, "; ".join(f"{v.layout}: {', '.join(v.header(form))}" for v in variants))
        message += f"; found: {', '.join(found)}"
    form_label = "text" if form == TEXT else "Excel"
    return None, _problem(rf.label, line, "header", f"{message} ({form_label} layout of {rf.name})")


def _header_difference(found: tuple[str, ...], expected: tuple[str, ...]) -> str:
    for i, (f, e) in enumerate(zip(found, expected), start=1):
        if f != e:
            return f"column {i} is {f!r} where {e!r} is expected; expected columns: {', '.join(expected)}"
    if len(found) < len(expected):
        return f"has {len(found)} columns, missing {', '.join(expected[len(found):])}; expected columns: {', '.join(expected)}"
    return f"has {len(found)} columns, {len(found) - len(expected)} more than expected: {', '.join(found[len(expected):])}; " \
           f"expected columns: {', '.join(expected)}"


# ---- checking values -------------------------------------------------------------------------------------

class RowError(Exception):
    """A value of one row is wrong: the column and the message."""

    def __init__(self, column: str, message: str):
        self.column = column
        self.message = message
        super().__init__(message)


def absent(value: str) -> bool:
    return value == "" or value == NA


def canonical_decimal(value: str) -> str:
    """The canonical lexical form of an xsd:decimal, as Oxigraph gives it back: 4.1200 -> 4.12, 5.0 -> 5."""
    d = Decimal(value)
    text = format(d.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", "+0", ""):
        text = "0"
    return text.lstrip("+")


class Row:
    """One data row, read by column name, with the checks of the O*NET data dictionary."""

    __slots__ = ("fields", "index")

    def __init__(self, fields: list[str], index: dict[str, int]):
        self.fields = fields
        self.index = index

    def raw(self, column: str) -> str:
        i = self.index[column]
        return self.fields[i].strip() if i < len(self.fields) else ""

    def text(self, column: str) -> str:
        value = self.raw(column)
        if absent(value):
            raise RowError(column, "is empty; a value is required")
        return value

    def optional_text(self, column: str) -> str | None:
        value = self.raw(column)
        return None if absent(value) else value

    def code(self, column: str = CODE) -> str:
        value = self.raw(column)
        if not SOC_RE.match(value):
            raise RowError(column, f"{value!r} is not an O*NET-SOC code; expected NN-NNNN.NN, e.g. 29-1129.01")
        return value

    def element(self, column: str = "Element ID") -> str:
        value = self.raw(column)
        if not ELEMENT_RE.match(value):
            raise RowError(column, f"{value!r} is not a content-model element ID; expected a dotted ID such as 2.B.1.a")
        return value

    def scale(self, column: str = "Scale ID") -> str:
        value = self.raw(column)
        if not SCALE_RE.match(value):
            raise RowError(column, f"{value!r} is not a scale ID; expected two or three capital letters such as IM or LV")
        return value

    def decimal(self, column: str) -> str:
        value = self.raw(column)
        if absent(value):
            raise RowError(column, "is empty; a number is required")
        if not DECIMAL_RE.match(value):
            raise RowError(column, f"{value!r} is not a number")
        return canonical_decimal(value)

    def optional_decimal(self, column: str) -> str | None:
        return None if absent(self.raw(column)) else self.decimal(column)

    def integer(self, column: str) -> str:
        value = self.raw(column)
        if absent(value):
            raise RowError(column, "is empty; a whole number is required")
        if not INTEGER_RE.match(value):
            raise RowError(column, f"{value!r} is not a whole number")
        return str(int(value))

    def optional_integer(self, column: str) -> str | None:
        return None if absent(self.raw(column)) else self.integer(column)

    def signed_integer(self, column: str) -> str:
        value = self.raw(column)
        if not re.fullmatch(r"[+-]?\d+", value):
            raise RowError(column, f"{value!r} is not a whole number")
        return str(int(value))

    def flag(self, column: str) -> bool:
        value = self.raw(column)
        if value not in ("Y", "N"):
            raise RowError(column, f"{value!r} is not Y or N")
        return value == "Y"

    def optional_flag(self, column: str) -> bool | None:
        value = self.raw(column)
        if absent(value):
            return None
        if value not in ("Y", "N"):
            raise RowError(column, f"{value!r} is not Y, N or n/a")
        return value == "Y"

    def date(self, column: str = "Date") -> str:
        """MM/YYYY -> YYYY-MM (an xsd:gYearMonth)."""
        value = self.raw(column)
        m = DATE_RE.match(value)
        if not m:
            raise RowError(column, f"{value!r} is not a date MM/YYYY, e.g. 08/2023")
        return f"{m.group(2)}-{m.group(1)}"

    def choice(self, column: str, allowed: tuple[str, ...], optional: bool = False) -> str | None:
        value = self.raw(column)
        if optional and absent(value):
            return None
        if value not in allowed:
            extra = " (or n/a)" if optional else ""
            raise RowError(column, f"{value!r} is not one of {', '.join(allowed)}{extra}")
        return value


# ---- typed rows ---------------------------------------------------------------------------------------------

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


def row_key(record: NamedTuple) -> tuple | None:
    """What must be unique within a file, or None."""
    if isinstance(record, Rating):
        return (record.code, record.element_id, record.scale_id)
    if isinstance(record, TaskStatement):
        return (record.task_id,)
    if isinstance(record, (Occupation, JobZone)):
        return (record.code,)
    if isinstance(record, Element):
        return (record.id,)
    if isinstance(record, Scale):
        return (record.id,)
    if isinstance(record, JobZoneReference):
        return (record.zone,)
    if isinstance(record, RelatedOccupation):
        return (record.code, record.related_code)
    return None


def describe_key(record: NamedTuple) -> str:
    if isinstance(record, Rating):
        return f"rating of {record.code}, element {record.element_id}, scale {record.scale_id}"
    if isinstance(record, TaskStatement):
        return f"Task ID {record.task_id}"
    if isinstance(record, RelatedOccupation):
        return f"link {record.code} -> {record.related_code}"
    if isinstance(record, Element):
        return f"Element ID {record.id}"
    if isinstance(record, Scale):
        return f"Scale ID {record.id}"
    if isinstance(record, JobZoneReference):
        return f"Job Zone {record.zone}"
    return f"O*NET-SOC code {record.code}"


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


class FileReader:
    """The checked, typed rows of one file, one at a time.

    Iterating yields the rows; problems gather on the reader (``problems``). Once a
    problem is found the rest of the file is still checked, so that the report is
    complete, but no more rows are yielded: a file with problems is never half mapped.
    """

    def __init__(self, rf: ReleaseFile, form: str, scale_ranges: dict[str, tuple[Decimal, Decimal]] | None = None,
                 on_row: Callable[[int], None] | None = None):
        self.file = rf
        self.form = form
        self.ranges = dict(DEFAULT_SCALE_RANGES)
        self.ranges.update(scale_ranges or {})
        self.on_row = on_row
        self.variant: Variant | None = None
        self.rows = 0
        self.problems: list[SourceProblem] = []
        self.hidden_problems = 0

    def add(self, problem: SourceProblem) -> None:
        if len(self.problems) < MAX_PROBLEMS_PER_FILE:
            self.problems.append(problem)
        else:
            self.hidden_problems += 1

    def all_problems(self) -> list[SourceProblem]:
        if not self.hidden_problems:
            return list(self.problems)
        return self.problems + [_problem(self.file.label, None, "", f"{self.hidden_problems} more problem(s) not shown")]

    def __iter__(self) -> Iterator[NamedTuple]:
        rf, form = self.file, self.form
        parse = None
        index: dict[str, int] = {}
        width = 0
        ws_layout = "old"
        seen: dict[tuple, int] = {}
        source = iter_rows(rf.path, form)
        while True:
            try:
                line, fields = next(source)
            except StopIteration:
                break
            except Exception as exc:  # an unreadable file: bad encoding, not a workbook, ...
                self.add(read_error(rf.path, form, exc))
                return
            if parse is None:
                variant, problem = match_header(rf, form, fields, line)
                if problem:
                    self.add(problem)
                    return
                self.variant = variant
                header = variant.header(form)
                index = {c: i for i, c in enumerate(header)}
                width = len(header)
                parse = row_parser(variant)
                ws_layout = "new" if variant.columns == WORK_STYLES_WI_COLUMNS else "old"
                continue
            self.rows += 1
            if self.on_row is not None and self.rows % 2000 == 0:
                self.on_row(self.rows)
            if len(fields) != width and (form == TEXT or len(fields) > width):
                what = "tab-separated fields" if form == TEXT else "cells"
                self.add(_problem(rf.label, line, "", f"has {len(fields)} {what}; the header has {width}"))
                continue
            try:
                record = parse(Row(fields, index))
                if isinstance(record, Rating):
                    check_rating_scale(record, rf.dataset.key, self.ranges, ws_layout)
            except RowError as exc:
                self.add(_problem(rf.label, line, f"column {exc.column!r}", exc.message))
                continue
            key = row_key(record)
            if key is not None:
                first = seen.get(key)
                if first is not None:
                    self.add(_problem(rf.label, line, "", f"{describe_key(record)} again; first on line {first}"))
                    continue
                seen[key] = line
            if not self.problems:
                yield record
        if parse is None:
            self.add(_problem(rf.label, None, "header", "the file is empty; expected a header row"))
        if self.on_row is not None:
            self.on_row(self.rows)
