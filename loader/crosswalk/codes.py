"""The values of a crosswalk row, each checked: a code that is not of its scheme's form is a
RowError naming the column, the value and the form expected.

Excel stores codes that look like numbers as numbers, and a number forgets its zeros: CIP
01.0101 comes back as 1.0101 and 51.2300 as 51.23. CIP codes are rebuilt from the number (two
digits, a point, four digits); ESCO and ISCO codes cannot be (0110.10 and 0110.1 are different
ESCO occupations, 0110 and 110 different ISCO groups), so a number where one belongs is an error,
not a guess. (The real workbooks hold every code as text.)
"""
from __future__ import annotations

import re
from decimal import Decimal

from .. import tables
from ..iris import ESCO_IRI_FORMS, is_esco_iri
from ..tables import RowError, text

SOC_RE = re.compile(r"\d{2}-\d{4}\Z")
CIP_RE = re.compile(r"(\d{1,2})\.(\d{1,4})\Z")
# An ESCO occupation code (an ISCO-08 unit group and dotted parts, 2269.9.2), or an ISCO-08
# group of any level: major (2), sub-major (22), minor (226, or 818) and unit (2269).
ESCO_CODE_RE = re.compile(r"(\d{4}(\.\d+)+|\d{1,4})\Z")

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
    """An ESCO occupation code (0110.10) or an ISCO-08 group code (0110, 818), kept as text."""
    raw = cells[column]
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        raise RowError(column, f"{raw!r} is stored as a number; ESCO and ISCO codes are text (0110.10 and 0110.1 are "
                               "different occupations, 0110 and 110 different groups), so the number cannot be read "
                               "back as a code; store the cell as text")
    value = text(raw)
    if not ESCO_CODE_RE.match(value):
        raise RowError(column, f"{value!r} is not an ESCO occupation or ISCO-08 group code; expected an ISCO-08 "
                               "group of one to four digits (2, 22, 226, 2269) or an ESCO occupation code, four "
                               "digits and dotted parts (2269.9.2)")
    return value


def esco_iri(cells: Cells, column: str) -> str:
    value = text(cells[column])
    if not is_esco_iri(value):
        raise RowError(column, f"{value!r} is not an ESCO occupation or ISCO group IRI; expected {ESCO_IRI_FORMS}")
    return value
