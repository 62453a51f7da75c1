"""Read a published crosswalk file as it is distributed: CSV (UTF-8, quoted fields that may hold
commas and line breaks) or an Excel workbook (one named sheet, read with openpyxl), with any
title or metadata lines above the header row, and check every code in it.

Lines are counted as the file counts them: the first line of a CSV record (a quoted field can
span lines), the row number of a sheet. Every problem is a loader.errors.SourceProblem naming
the file, the line, the column and the reason, e.g. ``CIP2020_SOC2018_Crosswalk.xlsx:7: column
'CIP2020Code': 'abc' is not a CIP code ...``.

Excel stores codes that look like numbers as numbers, and a number forgets its zeros: CIP
01.0101 comes back as 1.0101 and 51.2300 as 51.23. CIP codes are rebuilt from the number (two
digits, a point, four digits); ESCO codes cannot be (0110.10 and 0110.1 are different ESCO
occupations), so a fractional number where an ESCO code belongs is an error, not a guess.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Iterator

from .errors import SourceDataError, SourceProblem

MAX_PROBLEMS = 20

ONET_SOC_RE = re.compile(r"\d{2}-\d{4}\.\d{2}\Z")
SOC_RE = re.compile(r"\d{2}-\d{4}\Z")
CIP_RE = re.compile(r"(\d{1,2})\.(\d{1,4})\Z")
ESCO_CODE_RE = re.compile(r"\d{4}(\.\d+)*\Z")
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
ESCO_OCCUPATION_RE = re.compile(rf"http://data\.europa\.eu/esco/occupation/{UUID}\Z")
ESCO_ISCO_RE = re.compile(r"http://data\.europa\.eu/esco/isco/C(\d{1,4})\Z")


def problem(file: Path, line: int | None, key: str, message: str) -> SourceProblem:
    return SourceProblem(Path(file.name), line, None, key, message)


class RowError(Exception):
    """A value of one row is wrong: the column and the reason."""

    def __init__(self, column: str, message: str):
        self.column = column
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class Layout:
    """Where a file's table is: its exact header, the sheet of a workbook, and how many title
    or metadata lines may stand above the header."""
    columns: tuple[str, ...]
    sheet: str | None = None
    preamble: int = 0


@dataclass
class Table:
    file: Path
    header_line: int
    preamble: list[tuple[int, list[str]]]      # the lines above the header, as text
    rows: list[tuple[int, list[object]]]       # (line, raw cell values) below it

    def cells(self, columns: tuple[str, ...], values: list[object]) -> dict[str, object]:
        padded = list(values) + [None] * (len(columns) - len(values))
        return dict(zip(columns, padded))


# ---- raw lines ------------------------------------------------------------------------------

def _csv_lines(path: Path) -> Iterator[tuple[int, list[object]]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, strict=True)
        start = 1
        while True:
            try:
                fields = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:  # an unclosed quote, a stray quote: say where the record began
                raise SourceDataError([problem(path, start, "", f"is not well-formed CSV: {exc}")])
            yield start, list(fields)
            start = reader.line_num + 1


def _sheet_lines(path: Path, sheet: str | None) -> Iterator[tuple[int, list[object]]]:
    from openpyxl import load_workbook
    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        if sheet is not None and sheet not in wb.sheetnames:
            raise SourceDataError([problem(path, None, "sheet", f"has no sheet {sheet!r}; the crosswalk is on sheet "
                                           f"{sheet!r}; sheets found: {', '.join(wb.sheetnames)}")])
        ws = wb[sheet] if sheet is not None else wb.worksheets[0]
        for number, row in enumerate(ws.iter_rows(values_only=True), start=1):
            yield number, list(row)
    finally:
        wb.close()


def _lines(path: Path, layout: Layout) -> Iterator[tuple[int, list[object]]]:
    if path.suffix.lower() == ".xlsx":
        return _sheet_lines(path, layout.sheet)
    if path.suffix.lower() == ".csv":
        return _csv_lines(path)
    raise SourceDataError([problem(path, None, "", "is neither a .csv nor an .xlsx file; crosswalks are read in "
                                   "the form they are published in")])


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _trimmed(values: list[object]) -> list[str]:
    cells = [_text(v) for v in values]
    while cells and cells[-1] == "":
        cells.pop()
    return cells


# ---- the table ------------------------------------------------------------------------------

def read_table(path: Path, layout: Layout) -> Table:
    """The header and rows of a crosswalk file; raises SourceDataError (nothing read) when the
    file cannot be read, the sheet is missing, or the header is not where the layout says."""
    path = Path(path)
    if not path.is_file():
        raise SourceDataError([problem(path, None, "", "no such file")])
    try:
        return _read(path, layout)
    except SourceDataError:
        raise
    except UnicodeDecodeError as exc:
        raise SourceDataError([problem(path, None, "", f"is not UTF-8 text ({exc.reason} at byte {exc.start})")])
    except csv.Error as exc:
        raise SourceDataError([problem(path, None, "", f"is not well-formed CSV: {exc}")])
    except Exception as exc:  # not a workbook, a broken zip, ...: say what the library said
        raise SourceDataError([problem(path, None, "", f"cannot be read: {exc}")])


def _read(path: Path, layout: Layout) -> Table:
    lines = _lines(path, layout)
    try:
        return _find_header(path, layout, lines)
    finally:
        lines.close()  # closes the workbook even when the header is wrong


def _find_header(path: Path, layout: Layout, lines: Iterator[tuple[int, list[object]]]) -> Table:
    preamble: list[tuple[int, list[str]]] = []
    for line, values in lines:
        cells = _trimmed(values)
        if not cells:
            continue
        if tuple(cells) == layout.columns:
            rows = [(n, v) for n, v in lines if _trimmed(v)]
            return Table(path, line, preamble, rows)
        if cells[0] == layout.columns[0] or len(preamble) >= layout.preamble:
            raise SourceDataError([problem(path, line, "header", _header_difference(tuple(cells), layout.columns))])
        preamble.append((line, cells))
    raise SourceDataError([problem(path, None, "header", "holds no header row; expected columns: "
                                   + ", ".join(layout.columns))])


def _header_difference(found: tuple[str, ...], expected: tuple[str, ...]) -> str:
    want = f"expected columns: {', '.join(expected)}"
    for i, (f, e) in enumerate(zip(found, expected), start=1):
        if f != e:
            return f"column {i} is {f!r} where {e!r} is expected; {want}"
    if len(found) < len(expected):
        return f"has {len(found)} columns, missing {', '.join(expected[len(found):])}; {want}"
    return f"has {len(found) - len(expected)} column(s) more than expected: {', '.join(found[len(expected):])}; {want}"


# ---- values ---------------------------------------------------------------------------------

def title(cells: dict[str, object], column: str) -> str:
    value = _text(cells[column])
    if not value:
        raise RowError(column, "is empty; a title is required")
    return value


def onet_soc_code(cells: dict[str, object], column: str) -> str:
    value = _text(cells[column])
    if not ONET_SOC_RE.match(value):
        raise RowError(column, f"{value!r} is not an O*NET-SOC code; expected NN-NNNN.NN, e.g. 29-1129.01")
    return value


def soc_code(cells: dict[str, object], column: str) -> str:
    value = _text(cells[column])
    if not SOC_RE.match(value):
        raise RowError(column, f"{value!r} is not a SOC code; expected NN-NNNN, e.g. 29-1129")
    return value


def cip_code(cells: dict[str, object], column: str) -> str:
    """NN.NNNN, from text or from the number Excel made of it (1.0101 -> 01.0101, 51.23 -> 51.2300)."""
    raw = cells[column]
    if isinstance(raw, bool):
        raw = str(raw)
    if isinstance(raw, (int, float)):
        text = format(Decimal(repr(float(raw))), "f")
    else:
        text = _text(raw)
    m = CIP_RE.match(text) or re.fullmatch(r"(\d{1,2})()", text)
    if not m:
        raise RowError(column, f"{text!r} is not a CIP code; expected NN.NNNN, e.g. 51.2301 "
                               "(a number such as 1.0101 is read as 01.0101)")
    return f"{m.group(1).zfill(2)}.{m.group(2).ljust(4, '0')}"


def esco_code(cells: dict[str, object], column: str) -> str:
    """An ESCO occupation code (0110.10) or an ISCO-08 unit group code (0110), kept as text."""
    raw = cells[column]
    if isinstance(raw, float) and not raw.is_integer():
        raise RowError(column, f"{raw!r} is stored as a number; ESCO codes are text (0110.10 and 0110.1 are "
                               "different occupations), so the number cannot be read back as a code")
    value = str(int(raw)).zfill(4) if isinstance(raw, (int, float)) and not isinstance(raw, bool) else _text(raw)
    if not ESCO_CODE_RE.match(value):
        raise RowError(column, f"{value!r} is not an ESCO or ISCO-08 code; expected four digits and any "
                               "dotted parts, e.g. 2269 or 2269.1")
    return value


def esco_iri(cells: dict[str, object], column: str) -> str:
    value = _text(cells[column])
    if not (ESCO_OCCUPATION_RE.match(value) or ESCO_ISCO_RE.match(value)):
        raise RowError(column, f"{value!r} is not an ESCO occupation or ISCO group IRI; expected "
                               "http://data.europa.eu/esco/occupation/<uuid> or http://data.europa.eu/esco/isco/C<code>")
    return value


def isco_of_iri(iri: str) -> str | None:
    """ESCO's IRI of an ISCO-08 group -> its code (C2269 -> 2269), or None for an occupation."""
    m = ESCO_ISCO_RE.match(iri)
    return m.group(1) if m else None


__all__ = ["Layout", "RowError", "Table", "cip_code", "esco_code", "esco_iri", "isco_of_iri", "onet_soc_code",
           "problem", "read_table", "soc_code", "title"]
