"""One fault in a copy of a published file, for the tests of what an importer rejects: a line of a
text file edited, a cell of a workbook set, a sheet dropped or renamed, a file cut short."""
from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook


def edit_line(src: Path, dst: Path, line: int, old: str, new: str) -> Path:
    """`old` replaced by `new` on one line (1-based) of a UTF-8 file; line ends are kept."""
    lines = src.read_bytes().decode("utf-8").split("\n")
    assert old in lines[line - 1], (line, lines[line - 1])
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    dst.write_bytes("\n".join(lines).encode("utf-8"))
    return dst


def edit_cell(src: Path, dst: Path, sheet: str | None, row: int, column: int, value) -> Path:
    """One cell set (None empties it) on a sheet, the first when None."""
    wb = load_workbook(src)
    (wb[sheet] if sheet else wb.worksheets[0]).cell(row=row, column=column).value = value
    wb.save(dst)
    return dst


def drop_sheet(src: Path, dst: Path, sheet: str) -> Path:
    wb = load_workbook(src)
    del wb[sheet]
    wb.save(dst)
    return dst


def rename_sheet(src: Path, dst: Path, sheet: str, name: str) -> Path:
    wb = load_workbook(src)
    wb[sheet].title = name
    wb.save(dst)
    return dst


def truncate(src: Path, dst: Path, inside: bytes | None = None) -> Path:
    """The file cut short: halfway, or in the middle of the text `inside`."""
    data = src.read_bytes()
    dst.write_bytes(data[:data.index(inside) + len(inside) // 2] if inside else data[:len(data) // 2])
    return dst
