"""Reading published tables, for both importers (loader.onet, loader.crosswalk): delimited text
and Excel rows with the line or sheet-row number people see, header checks, and row errors that
name the file, the line, the column, what is wrong and what would be right.

Lines are counted as the file counts them: the first line of a delimited record (a quoted field
can span lines), the row number of a sheet (the header of a table at its top is row 1, so both
forms of a file count alike).
"""
from __future__ import annotations

import csv
import datetime as _dt
import re
from decimal import Decimal
from pathlib import Path
from typing import Iterator

from .errors import SourceDataError, SourceProblem

MAX_PROBLEMS_PER_FILE = 20
ONET_SOC_RE = re.compile(r"\d{2}-\d{4}\.\d{2}\Z")


class RowError(Exception):
    """A value of one row is wrong: the column and the reason."""

    def __init__(self, column: str, message: str):
        self.column = column
        self.message = message
        super().__init__(message)


class RecordError(csv.Error):
    """A malformed delimited record, with the line it began on; its text is the csv module's."""

    def __init__(self, line: int, message: str):
        self.line = line
        super().__init__(message)


def problem(file: Path | str, line: int | None, key: str, message: str) -> SourceProblem:
    return SourceProblem(Path(file), line, None, key, message)


def row_problem(file: Path | str, line: int, error: RowError) -> SourceProblem:
    return problem(file, line, f"column {error.column!r}" if error.column else "", error.message)


class Problems:
    """The problems of one file: the first MAX_PROBLEMS_PER_FILE in full, the rest counted, so
    that one run shows what is wrong without a screenful per broken column."""

    def __init__(self, file: Path | str):
        self.file = file
        self.shown: list[SourceProblem] = []
        self.hidden = 0

    def add(self, found: SourceProblem) -> None:
        if len(self.shown) < MAX_PROBLEMS_PER_FILE:
            self.shown.append(found)
        else:
            self.hidden += 1

    def __bool__(self) -> bool:
        return bool(self.shown)

    def all(self) -> list[SourceProblem]:
        if not self.hidden:
            return list(self.shown)
        return self.shown + [problem(self.file, None, "", f"{self.hidden} more problem(s) not shown")]


# ---- rows ---------------------------------------------------------------------------------------

def delimited_rows(path: Path, delimiter: str, quoted: bool) -> Iterator[tuple[int, list[str]]]:
    """(line, fields) of each non-blank record of a UTF-8 file. `quoted`: CSV quoting, strictly
    (a field may hold the delimiter and line breaks); else every character is data (O*NET's text
    form). Raises RecordError, with the record's first line, on a malformed record."""
    quoting = csv.QUOTE_MINIMAL if quoted else csv.QUOTE_NONE
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, delimiter=delimiter, quoting=quoting, strict=quoted)
        start = 1
        while True:
            try:
                fields = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise RecordError(start, str(exc)) from None
            if fields and fields != [""]:
                yield start, fields
            start = reader.line_num + 1


def sheet_rows(path: Path, sheet: str | None = None, table: str = "the table") -> Iterator[tuple[int, list[object]]]:
    """(row number, raw cell values) of every row of a workbook's sheet (the first when None)."""
    from openpyxl import load_workbook
    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        if sheet is not None and sheet not in wb.sheetnames:
            raise SourceDataError([problem(path.name, None, "sheet", f"has no sheet {sheet!r}; {table} is on sheet "
                                           f"{sheet!r}; sheets found: {', '.join(wb.sheetnames)}")])
        ws = wb[sheet] if sheet is not None else wb.worksheets[0]
        for number, row in enumerate(ws.iter_rows(values_only=True), start=1):
            yield number, list(row)
    finally:
        wb.close()


def cell_text(value: object) -> str:
    """A cell value as a delimited text file writes it; an empty cell is ''."""
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


def trim_end(cells: list[str]) -> list[str]:
    """The cells without the empty ones a row ends with (a sheet's rows are as wide as its widest)."""
    while cells and cells[-1] == "":
        cells.pop()
    return cells


# ---- headers and codes ----------------------------------------------------------------------------

def header_difference(found: tuple[str, ...], expected: tuple[str, ...], *, count_found: bool = False) -> str:
    """What is wrong with a header, and the columns that would be right. `count_found`: name the
    width of a header that has columns more than expected, before the surplus."""
    want = f"expected columns: {', '.join(expected)}"
    for i, (f, e) in enumerate(zip(found, expected), start=1):
        if f != e:
            return f"column {i} is {f!r} where {e!r} is expected; {want}"
    if len(found) < len(expected):
        return f"has {len(found)} columns, missing {', '.join(expected[len(found):])}; {want}"
    extra, surplus = len(found) - len(expected), ", ".join(found[len(expected):])
    if count_found:
        return f"has {len(found)} columns, {extra} more than expected: {surplus}; {want}"
    return f"has {extra} column(s) more than expected: {surplus}; {want}"


def onet_soc_code(value: str, column: str) -> str:
    if not ONET_SOC_RE.match(value):
        raise RowError(column, f"{value!r} is not an O*NET-SOC code; expected NN-NNNN.NN, e.g. 29-1129.01")
    return value
