"""Plain CSV: one row per statement, for people who live in spreadsheets."""
from __future__ import annotations

import csv
import io
from typing import Iterable

from ..model.release import Release, Statement

COLUMNS = ["iri", "framework", "kind", "domain", "level", "position", "label", "text", "citations", "citation_iris"]


def header() -> str:
    return _rows([COLUMNS])


def rows(release: Release, statements: Iterable[Statement]) -> str:
    return _rows([_row(release, st) for st in statements])


def release_document(release: Release) -> str:
    return header() + rows(release, release.statements)


def statement_document(release: Release, statement: Statement) -> str:
    return header() + rows(release, [statement])


def _row(release: Release, st: Statement) -> list[str]:
    sources = [release.sources.get(src) for src in st.citations]
    chips = [(s.chip or s.title) if s else src for s, src in zip(sources, st.citations)]
    return [st.iri, release.iri, st.kind, st.domain.label if st.domain else "", st.level.label, str(st.position),
            st.label, st.text, "; ".join(chips), " ".join(st.citations)]


def _rows(values: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(values)
    return out.getvalue()
