"""The values of a crosswalk row, each checked: a code that is not of its scheme's form is a
RowError naming the column, the value and the form expected.

Excel stores codes that look like numbers as numbers, and a number forgets its zeros: CIP
01.0101 comes back as 1.0101 and 51.2300 as 51.23. CIP codes are rebuilt from the number (two
digits, a point, four digits); ESCO codes cannot be (0110.10 and 0110.1 are different ESCO
occupations), so a fractional number where an ESCO code belongs is an error, not a guess.
"""
from __future__ import annotations

import re
from decimal import Decimal

from .. import tables
from ..iris import ESCO_IRI_FORMS, is_esco_iri
from ..tables import RowError
from .table import text

SOC_RE = re.compile(r"\d{2}-\d{4}\Z")
CIP_RE = re.compile(r"(\d{1,2})\.(\d{1,4})\Z")
ESCO_CODE_RE = re.compile(r"\d{4}(\.\d+)*\Z")

Cells = dict[str, object]


def title(cells: Cells, column: str) -> str:
    value = text(cells[column])
    if not value:
        raise RowError(column, "is empty; a title is required")
    return value


def onet_soc_code(cells: Cells, column: str) -> str:
    return tables.onet_soc_code(text(cells[column]), column)


def soc_code(cells: Cells, column: str) -> str:
    value = text(cells[column])
    if not SOC_RE.match(value):
        raise RowError(column, f"{value!r} is not a SOC code; expected NN-NNNN, e.g. 29-1129")
    return value


def cip_code(cells: Cells, column: str) -> str:
    """NN.NNNN, from text or from the number Excel made of it (1.0101 -> 01.0101, 51.23 -> 51.2300)."""
    raw = cells[column]
    if isinstance(raw, bool):
        raw = str(raw)
    if isinstance(raw, (int, float)):
        value = format(Decimal(repr(float(raw))), "f")
    else:
        value = text(raw)
    m = CIP_RE.match(value) or re.fullmatch(r"(\d{1,2})()", value)
    if not m:
        raise RowError(column, f"{value!r} is not a CIP code; expected NN.NNNN, e.g. 51.2301 "
                               "(a number such as 1.0101 is read as 01.0101)")
    return f"{m.group(1).zfill(2)}.{m.group(2).ljust(4, '0')}"


def esco_code(cells: Cells, column: str) -> str:
    """An ESCO occupation code (0110.10) or an ISCO-08 unit group code (0110), kept as text."""
    raw = cells[column]
    if isinstance(raw, float) and not raw.is_integer():
        raise RowError(column, f"{raw!r} is stored as a number; ESCO codes are text (0110.10 and 0110.1 are "
                               "different occupations), so the number cannot be read back as a code")
    value = str(int(raw)).zfill(4) if isinstance(raw, (int, float)) and not isinstance(raw, bool) else text(raw)
    if not ESCO_CODE_RE.match(value):
        raise RowError(column, f"{value!r} is not an ESCO or ISCO-08 code; expected four digits and any "
                               "dotted parts, e.g. 2269 or 2269.1")
    return value


def esco_iri(cells: Cells, column: str) -> str:
    value = text(cells[column])
    if not is_esco_iri(value):
        raise RowError(column, f"{value!r} is not an ESCO occupation or ISCO group IRI; expected {ESCO_IRI_FORMS}")
    return value
