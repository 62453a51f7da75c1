"""Cutting excerpts from the real published files (../shared/crosswalks, ../shared/classifications):
the helpers the two excerpt scripts share (tests/crosswalk_excerpts/make_excerpts.py and
tests/classification_excerpts/make_excerpts.py).

An excerpt keeps the file's layout exactly: a CSV keeps its encoding, byte-order mark, line ends
and each kept record's bytes; a workbook keeps its sheets, their names and order, the title rows
above the header, the header and each kept row's cells, as text (openpyxl writes them again, so
the zip's bytes differ from the original's, not the cells).
"""
from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Callable, Iterable

from openpyxl import Workbook, load_workbook

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
CROSSWALKS = SHARED / "crosswalks"
CLASSIFICATIONS = SHARED / "classifications"

Record = tuple[int, str, list[str]]   # (first line, the record's text as in the file, its fields)


def csv_records(path: Path, prepare: Callable[[str], str] | None = None) -> tuple[str, str, list[Record]]:
    """(byte-order mark, line end, records) of a CSV file; each record's text is kept verbatim.
    `prepare` makes a publisher's quoting readable for parsing only (NCES's ="01" codes)."""
    raw = path.read_bytes().decode("utf-8")
    bom = "\ufeff" if raw.startswith("\ufeff") else ""
    text = raw[len(bom):]
    ending = "\r\n" if "\r\n" in text.split("\n", 1)[0] + "\n" else "\n"
    lines = text.splitlines(keepends=True)
    parsed = prepare(text) if prepare else text
    reader = csv.reader(io.StringIO(parsed, newline=""))
    records, start = [], 1
    for fields in reader:
        end = reader.line_num
        records.append((start, "".join(lines[start - 1:end]), fields))
        start = end + 1
    return bom, ending, records


def write_csv(target: Path, bom: str, records: Iterable[Record]) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "w", encoding="utf-8", newline="") as out:
        out.write(bom + "".join(text for _, text, _ in records))


def sheet_rows(path: Path) -> dict[str, list[tuple]]:
    """Every sheet's rows, in order, as cell values."""
    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        return {ws.title: [tuple(row) for row in ws.iter_rows(values_only=True)] for ws in wb.worksheets}
    finally:
        wb.close()


def write_workbook(target: Path, sheets: dict[str, list[tuple]]) -> None:
    """A workbook of these sheets, in this order; every cell as the text the original holds."""
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append([None if v is None else v for v in row])
    target.parent.mkdir(parents=True, exist_ok=True)
    wb.save(target)


def closure(rows: list, keys: Callable[[object], tuple[str, ...]], seeds: set[str]) -> list:
    """The rows that share a key with the seeds, or with a row already kept, until no more do:
    so that what the importer infers from the whole file (cardinality) is the same in the excerpt."""
    wanted = set(seeds)
    while True:
        kept = [r for r in rows if wanted & set(keys(r))]
        grown = wanted | {k for r in kept for k in keys(r)}
        if grown == wanted:
            return kept
        wanted = grown
