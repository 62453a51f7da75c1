"""A published crosswalk file as it is distributed: CSV (UTF-8, quoted fields that may hold
commas and line breaks) or an Excel workbook (one named sheet), with any title or metadata lines
above the header row. Rows are read with loader.tables; this module finds the header where the
file's layout says it is, and keeps the lines above it.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from ..errors import SourceDataError
from ..tables import RecordError, delimited_rows, header_difference, problem, sheet_rows, trim_end


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


def text(value: object) -> str:
    return "" if value is None else str(value).strip()


def read_table(path: Path, layout: Layout) -> Table:
    """The header and rows of a crosswalk file; raises SourceDataError (nothing read) when the
    file cannot be read, the sheet is missing, or the header is not where the layout says."""
    path = Path(path)
    if not path.is_file():
        raise SourceDataError([problem(path.name, None, "", "no such file")])
    try:
        return _read(path, layout)
    except SourceDataError:
        raise
    except UnicodeDecodeError as exc:
        raise SourceDataError([problem(path.name, None, "", f"is not UTF-8 text ({exc.reason} at byte {exc.start})")])
    except RecordError as exc:  # an unclosed quote, a stray quote: say where the record began
        raise SourceDataError([problem(path.name, exc.line, "", f"is not well-formed CSV: {exc}")])
    except Exception as exc:  # not a workbook, a broken zip, ...: say what the library said
        raise SourceDataError([problem(path.name, None, "", f"cannot be read: {exc}")])


def _lines(path: Path, layout: Layout) -> Iterator[tuple[int, list[object]]]:
    if path.suffix.lower() == ".xlsx":
        return sheet_rows(path, layout.sheet, "the crosswalk")
    if path.suffix.lower() == ".csv":
        return delimited_rows(path, ",", quoted=True)
    raise SourceDataError([problem(path.name, None, "", "is neither a .csv nor an .xlsx file; crosswalks are read in "
                                   "the form they are published in")])


def _read(path: Path, layout: Layout) -> Table:
    lines = _lines(path, layout)
    try:
        return _find_header(path, layout, lines)
    finally:
        lines.close()  # closes the workbook even when the header is wrong


def _cells(values: list[object]) -> list[str]:
    return trim_end([text(v) for v in values])


def _find_header(path: Path, layout: Layout, lines: Iterator[tuple[int, list[object]]]) -> Table:
    preamble: list[tuple[int, list[str]]] = []
    for line, values in lines:
        cells = _cells(values)
        if not cells:
            continue
        if tuple(cells) == layout.columns:
            rows = [(n, v) for n, v in lines if _cells(v)]
            return Table(path, line, preamble, rows)
        if cells[0] == layout.columns[0] or len(preamble) >= layout.preamble:
            raise SourceDataError([problem(path.name, line, "header", header_difference(tuple(cells), layout.columns))])
        preamble.append((line, cells))
    raise SourceDataError([problem(path.name, None, "header", "holds no header row; expected columns: "
                                   + ", ".join(layout.columns))])
