"""Excel workbooks (.xlsx): a sheet's rows as cell values, and its height without reading it.

Rows are read by calamine (Rust), which parses a sheet 4-7x faster than openpyxl's read-only
mode (O*NET 29.3's 37 workbooks: 3.6 s against 16.7 s) for about 30 MiB more at its largest
sheet (Skills, 61,531 rows). Its values are given as openpyxl gave them, which every reader was
written against and the tests' own openpyxl reading checks: an empty cell is None, and a whole
number is an int (Excel writes one without a point, which openpyxl reads as int; calamine reads
every number as a float). Across the real workbooks in ../shared the two readings are equal,
value and type, cell by cell.
"""
from __future__ import annotations

import posixpath
import re
import zipfile
from pathlib import Path
from typing import Iterator
from xml.etree import ElementTree

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_PACKAGE_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="[A-Z]*\$?\d*:?\$?[A-Z]*\$?(\d+)"')


class MissingSheet(LookupError):
    """The workbook has no sheet of that name; `names` are the sheets it has."""

    def __init__(self, sheet: str, names: list[str]):
        self.sheet, self.names = sheet, names
        super().__init__(sheet)


def sheet_values(path: Path, sheet: str | None = None) -> tuple[str, Iterator[tuple[int, list[object]]]]:
    """The sheet's name (the first sheet's when None) and (row number, cell values) of each of its
    rows from row 1, as wide as its widest row. Raises MissingSheet; a file that is no workbook
    raises the library's own error, which readers report with the file's name."""
    from python_calamine import CalamineWorkbook
    workbook = CalamineWorkbook.from_path(str(path))
    try:
        names = list(workbook.sheet_names)
        if sheet is not None and sheet not in names:
            raise MissingSheet(sheet, names)
        found = workbook.get_sheet_by_name(sheet if sheet is not None else names[0])  # read whole, here
    finally:
        workbook.close()
    return found.name, _rows(found)


def _rows(sheet) -> Iterator[tuple[int, list[object]]]:
    first_row, first_column = sheet.start or (0, 0)  # the sheet's range begins at its first cell that holds a value
    for number in range(1, first_row + 1):
        yield number, []
    lead = [None] * first_column
    for number, row in enumerate(sheet.iter_rows(), start=first_row + 1):
        yield number, lead + [_as_openpyxl(value) for value in row]


def _as_openpyxl(value: object) -> object:
    if value == "":
        return None
    if type(value) is float and value.is_integer():
        return int(value)
    return value


def sheet_height(path: Path) -> int | None:
    """The number of rows of the first sheet, from the <dimension> the workbook records at the top
    of the sheet (for progress: nothing else is read); None if it records none."""
    with zipfile.ZipFile(path) as archive:
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        first = workbook.find(f"{_MAIN}sheets/{_MAIN}sheet")
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
        if first is None:
            return None
        target = next((r.get("Target") for r in rels.iter(f"{_PACKAGE_RELS}Relationship")
                       if r.get("Id") == first.get(_REL_ID)), None)
        if target is None:
            return None
        member = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        with archive.open(member) as sheet:
            head = sheet.read(4096)
    found = _DIMENSION.search(head)
    return int(found.group(1)) if found and found.group(1) else None


__all__ = ["MissingSheet", "sheet_values", "sheet_height"]
