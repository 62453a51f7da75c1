"""Reading published tables, for every importer (loader.onet, loader.crosswalk,
loader.classification): delimited text and Excel rows with the line or sheet-row number people
see, a file's table found where its layout says (header, title lines above it, footer below),
header checks, and row errors that name the file, the line (and sheet), the column, what is wrong
and what would be right.

Lines are counted as the file counts them: the first line of a delimited record (a quoted field
can span lines), the row number of a sheet (the header of a table at its top is row 1, so both
forms of a file count alike).
"""
from __future__ import annotations

import csv
import datetime as _dt
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Callable, Iterator

from .errors import SourceDataError, SourceProblem
from .workbooks import MissingSheet, sheet_values

MAX_PROBLEMS_PER_FILE = 20
# ESCO's conceptSchemes_en.csv lists thousands of top concepts in one cell, beyond the csv
# module's default field limit of 128 KiB.
csv.field_size_limit(1 << 26)
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


def row_problem(file: Path | str, line: int, error: RowError, sheet: str | None = None) -> SourceProblem:
    where = [f"sheet {sheet!r}"] if sheet else []
    where += [f"column {error.column!r}"] if error.column else []
    return problem(file, line, ", ".join(where), error.message)


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

    def check(self) -> None:
        """Raise SourceDataError with every problem, when there is any."""
        if self:
            raise SourceDataError(self.all())


# ---- rows ---------------------------------------------------------------------------------------

def delimited_rows(path: Path, delimiter: str, quoted: bool,
                   prepare: Callable[[str], str] | None = None) -> Iterator[tuple[int, list[str]]]:
    """(line, fields) of each non-blank record of a UTF-8 file. `quoted`: CSV quoting, strictly
    (a field may hold the delimiter and line breaks); else every character is data (O*NET's text
    form). `prepare` turns a publisher's own quoting habits into standard CSV before it is read
    (excel_text_formulas, undoubled_quotes), keeping every line break. Raises RecordError, with
    the record's first line, on a malformed record."""
    quoting = csv.QUOTE_MINIMAL if quoted else csv.QUOTE_NONE
    with open(path, encoding="utf-8-sig", newline="") as handle:
        source = io.StringIO(prepare(handle.read())) if prepare else handle
        reader = csv.reader(source, delimiter=delimiter, quoting=quoting, strict=quoted)
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


# A quoted field, a run of text outside quotes, or a lone quote (which strict parsing rejects).
_CSV_TOKENS = re.compile(r'"(?:[^"]|"")*"|[^"]+|"')
# A quote inside a quoted field that is neither doubled nor next to a field's start or end.
_UNDOUBLED_QUOTE = re.compile(r'(?<=[^,\n="])"(?=[^",\r\n])')


def excel_text_formulas(data: str) -> str:
    """Fields written as Excel text formulas, ="01.0101" (so that spreadsheets keep the zeros),
    as the quoted text they stand for: the '=' before a quoted field is dropped, outside quotes."""
    out = []
    for m in _CSV_TOKENS.finditer(data):
        token = m.group()
        if token[0] != '"' and token.endswith("=") and (len(token) == 1 or token[-2] in ",\n") \
                and data.startswith('"', m.end()):
            token = token[:-1]
        out.append(token)
    return "".join(out)


def undoubled_quotes(data: str) -> str:
    """Quotes that a quoted field holds without doubling them (titled "Security" in ...), doubled,
    as CSV writes them. A quote at a field's start or end is left alone, so an unclosed field
    still fails to parse."""
    return _UNDOUBLED_QUOTE.sub('""', data)


def sheet_rows(path: Path, sheet: str | None = None, table: str = "the table",
               opened: list[str] | None = None) -> Iterator[tuple[int, list[object]]]:
    """(row number, raw cell values) of every row of a workbook's sheet (the first when None);
    the sheet's name is appended to `opened`, for messages that name it."""
    try:
        name, rows = sheet_values(path, sheet)
    except MissingSheet as missing:
        raise SourceDataError([problem(path.name, None, "sheet", f"has no sheet {sheet!r}; {table} is on sheet "
                                       f"{sheet!r}; sheets found: {', '.join(missing.names)}")]) from None
    if opened is not None:
        opened.append(name)
    yield from rows


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


# ---- a file's table ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Layout:
    """Where a file's table is: its exact header, the sheet of a workbook, the line the header
    is on (or, where the publisher documents no fixed line, how many title or metadata lines may
    stand above it), and the text of a footer the publisher puts below the last row."""
    columns: tuple[str, ...]
    sheet: str | None = None
    header_line: int | None = 1
    preamble: int = 0
    footer: re.Pattern | None = None
    prepare: Callable[[str], str] | None = None     # for delimited_rows


@dataclass
class Table:
    file: Path
    header_line: int
    preamble: list[tuple[int, list[str]]]      # the lines above the header, as text
    rows: list[tuple[int, list[object]]]       # (line, raw cell values) below it
    footer: list[tuple[int, list[str]]] = field(default_factory=list)   # the footer lines, as text
    sheet: str | None = None                   # the sheet read, for a workbook

    def cells(self, columns: tuple[str, ...], values: list[object]) -> dict[str, object]:
        padded = list(values) + [None] * (len(columns) - len(values))
        return dict(zip(columns, padded))

    def row_problem(self, line: int, error: RowError) -> SourceProblem:
        return row_problem(self.file.name, line, error, self.sheet)


def text(value: object) -> str:
    return "" if value is None else str(value).strip()


def read_table(path: Path, layout: Layout, what: str = "the table") -> Table:
    """The header and rows of a published file; raises SourceDataError (nothing read) when the
    file cannot be read, the sheet is missing, or the header is not where the layout says."""
    path = Path(path)
    if not path.is_file():
        raise SourceDataError([problem(path.name, None, "", "no such file")])
    try:
        return _read(path, layout, what)
    except SourceDataError:
        raise
    except UnicodeDecodeError as exc:
        raise SourceDataError([problem(path.name, None, "", f"is not UTF-8 text ({exc.reason} at byte {exc.start}); "
                                       "expected the file as published, in UTF-8")])
    except RecordError as exc:  # an unclosed quote, a stray quote: say where the record began
        raise SourceDataError([problem(path.name, exc.line, "", f"is not well-formed CSV: {exc}; a field that holds a "
                                       "quote, a comma or a line break must be quoted, with its quotes doubled")])
    except Exception as exc:  # not a workbook, a broken zip, ...: say what the library said
        form = "an Excel workbook" if path.suffix.lower() == ".xlsx" else "a table"
        raise SourceDataError([problem(path.name, None, "", f"cannot be read as {form} ({type(exc).__name__}: {exc}); "
                                       "expected the complete file as published (a download cut short is not)")])


def _read(path: Path, layout: Layout, what: str) -> Table:
    opened: list[str] = []
    if path.suffix.lower() == ".xlsx":
        lines = sheet_rows(path, layout.sheet, what, opened)
    elif path.suffix.lower() == ".csv":
        lines = delimited_rows(path, ",", quoted=True, prepare=layout.prepare)
    else:
        raise SourceDataError([problem(path.name, None, "", "is neither a .csv nor an .xlsx file; published tables are "
                                       "read in the form they are published in")])
    try:
        return _find_header(path, layout, lines, opened)
    finally:
        lines.close()  # closes the workbook even when the header is wrong


def _cells(values: list[object]) -> list[str]:
    return trim_end([text(v) for v in values])


def _find_header(path: Path, layout: Layout, lines: Iterator[tuple[int, list[object]]], opened: list[str]) -> Table:
    preamble: list[tuple[int, list[str]]] = []

    def wrong(line: int, message: str) -> SourceDataError:
        where = f"sheet {opened[0]!r}, header" if opened else "header"
        return SourceDataError([problem(path.name, line, where, message)])

    for line, values in lines:
        cells = _cells(values)
        if layout.header_line is not None and line > layout.header_line:
            raise wrong(layout.header_line, f"is empty; the header belongs on this line: {', '.join(layout.columns)}")
        if not cells:
            continue
        if tuple(cells) == layout.columns and layout.header_line in (None, line):
            return _body(Table(path, line, preamble, [], sheet=opened[0] if opened else None), layout, lines)
        if (line == layout.header_line if layout.header_line is not None
                else cells[0] == layout.columns[0] or len(preamble) >= layout.preamble):
            raise wrong(line, header_difference(tuple(cells), layout.columns))
        preamble.append((line, cells))
    raise wrong(None, "holds no header row; expected columns: " + ", ".join(layout.columns))


def _body(table: Table, layout: Layout, lines: Iterator[tuple[int, list[object]]]) -> Table:
    """The rows below the header, without blank ones; the publisher's footer lines, where its
    layout has one, are the rows at the end whose first cell is empty and whose text is the footer's."""
    table.rows = [(n, v) for n, v in lines if _cells(v)]
    while layout.footer is not None and table.rows:
        line, values = table.rows[-1]
        cells = _cells(values)
        if cells[0] or not layout.footer.search(" ".join(cells)):
            break
        table.footer.insert(0, (line, cells))
        table.rows.pop()
    return table
