"""Read one file of an O*NET release: its rows (tab-delimited text, or the first sheet of a
workbook, through loader.tables), its header matched against the layouts it is known in, and
every row checked and typed (loader.onet.records).

Every problem is a loader.errors.SourceProblem naming the file, its line (the row number
of a workbook, the header being row 1, so both forms count alike), the column, what is
wrong and what would be right, e.g. ``Skills.txt:3: column 'Data Value': 'abc' is not a
number``.
"""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Callable, Iterator, NamedTuple

from ..errors import SourceProblem
from ..tables import (
    Problems, RowError, cell_text, delimited_rows, header_difference, problem, row_problem, sheet_rows, trim_end,
)
from ..workbooks import sheet_height
from .layouts import DEFAULT_SCALE_RANGES, EXCEL, TEXT, WORK_STYLES_WI_COLUMNS, Variant
from .records import Rating, check_rating_scale, describe_key, row_key, row_parser
from .release import ReleaseFile
from .values import Row


def count_rows(path: Path, form: str) -> int | None:
    """Data rows in a file, cheaply (for progress): newlines of a text file, the dimension of a sheet."""
    try:
        if form == TEXT:
            with open(path, "rb") as handle:
                data = handle.read()
            lines = data.count(b"\n") + (0 if data.endswith(b"\n") or not data else 1)
            return max(lines - 1, 0)
        height = sheet_height(path)
        return None if height is None else max(height - 1, 0)
    except Exception:  # a broken file is reported by the reader, with its reason
        return None


def iter_rows(path: Path, form: str) -> Iterator[tuple[int, list[str]]]:
    """(line, fields) of each row, header first: tab-delimited text, unquoted; or the first sheet
    of a workbook, read one row at a time (61,530 rows of Skills never sit in memory at once),
    each cell as the text form writes it, without the empty cells a row ends with."""
    if form == TEXT:
        return delimited_rows(path, "\t", quoted=False)
    return ((n, cells) for n, values in sheet_rows(path) if (cells := trim_end([cell_text(v) for v in values])))


def read_error(path: Path, form: str, exc: BaseException) -> SourceProblem:
    if isinstance(exc, UnicodeDecodeError):
        return problem(path.name, None, "", f"is not UTF-8 text ({exc.reason} at byte {exc.start}); "
                                            "O*NET text files are UTF-8")
    if form == EXCEL:
        return problem(path.name, None, "", f"cannot be read as an Excel workbook (.xlsx): {exc}")
    return problem(path.name, None, "", f"cannot be read: {exc}")


def match_header(rf: ReleaseFile, form: str, header: list[str], line: int) -> tuple[Variant | None, SourceProblem | None]:
    """The variant whose columns the header has exactly, or a problem saying what was expected."""
    found = tuple(h.strip() for h in header)
    variants = [v for v in rf.dataset.variants if v.file == rf.name]
    for variant in variants:
        if found == variant.header(form):
            return variant, None
    if len(variants) == 1:
        message = header_difference(found, variants[0].header(form), count_found=True)
    else:
        message = "matches no known layout of {}: {}".format(
            rf.name, "; ".join(f"{v.layout}: {', '.join(v.header(form))}" for v in variants))
        message += f"; found: {', '.join(found)}"
    form_label = "text" if form == TEXT else "Excel"
    return None, problem(rf.label, line, "header", f"{message} ({form_label} layout of {rf.name})")


class FileReader:
    """The checked, typed rows of one file, one at a time.

    Iterating yields the rows; problems gather on the reader (``all_problems()``). Once a
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
        self.problems = Problems(rf.label)

    def all_problems(self) -> list[SourceProblem]:
        return self.problems.all()

    def __iter__(self) -> Iterator[NamedTuple]:
        rf, form = self.file, self.form
        source = iter_rows(rf.path, form)
        header = self._next(source)
        if header is None:
            return
        variant, found = match_header(rf, form, header[1], header[0])
        if found:
            self.problems.add(found)
            return
        self.variant = variant
        columns = variant.header(form)
        index = {c: i for i, c in enumerate(columns)}
        parse = row_parser(variant)
        ws_layout = "new" if variant.columns == WORK_STYLES_WI_COLUMNS else "old"
        seen: dict[tuple, int] = {}
        while (row := self._next(source)) is not None:
            line, fields = row
            self.rows += 1
            if self.on_row is not None and self.rows % 2000 == 0:
                self.on_row(self.rows)
            record = self._record(line, fields, index, parse, ws_layout)
            if record is not None and self._unique(record, line, seen) and not self.problems:
                yield record
        if self.on_row is not None:
            self.on_row(self.rows)

    def _next(self, source: Iterator[tuple[int, list[str]]]) -> tuple[int, list[str]] | None:
        """The next row, or None at the end; an unreadable file (bad encoding, not a workbook, ...)
        ends it with its problem, an empty one with 'expected a header row'."""
        try:
            return next(source)
        except StopIteration:
            if self.variant is None:
                self.problems.add(problem(self.file.label, None, "header", "the file is empty; expected a header row"))
        except Exception as exc:
            self.problems.add(read_error(self.file.path, self.form, exc))
        return None

    def _record(self, line: int, fields: list[str], index: dict[str, int], parse: Callable[[Row], NamedTuple],
                ws_layout: str) -> NamedTuple | None:
        width = len(index)
        if len(fields) != width and (self.form == TEXT or len(fields) > width):
            what = "tab-separated fields" if self.form == TEXT else "cells"
            self.problems.add(problem(self.file.label, line, "", f"has {len(fields)} {what}; the header has {width}"))
            return None
        try:
            record = parse(Row(fields, index))
            if isinstance(record, Rating):
                check_rating_scale(record, self.file.dataset.key, self.ranges, ws_layout)
        except RowError as exc:
            self.problems.add(row_problem(self.file.label, line, exc))
            return None
        return record

    def _unique(self, record: NamedTuple, line: int, seen: dict[tuple, int]) -> bool:
        key = row_key(record)
        if key is None:
            return True
        first = seen.get(key)
        if first is not None:
            self.problems.add(problem(self.file.label, line, "", f"{describe_key(record)} again; first on line {first}"))
            return False
        seen[key] = line
        return True


def release_records(release, keys: tuple[str, ...]) -> Iterator[NamedTuple]:
    """The checked rows of the release's files of these datasets (Dataset.key), file by file;
    raises SourceDataError with every problem of a file once it has been read whole."""
    from ..errors import SourceDataError
    for rf in release.files:
        if rf.dataset.key not in keys:
            continue
        reader = FileReader(rf, release.form)
        yield from reader
        if reader.all_problems():
            raise SourceDataError(reader.all_problems())
