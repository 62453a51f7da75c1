"""One data row of an O*NET file, read by column name, with the checks of the O*NET data
dictionary: each value of the wrong form is a RowError saying what the column holds and what
it should, e.g. ``column 'Data Value': 'abc' is not a number``.
"""
from __future__ import annotations

import re
from decimal import Decimal

from .. import tables
from ..tables import RowError
from .layouts import CODE

NA = "n/a"
ELEMENT_RE = re.compile(r"\d+(\.[A-Za-z0-9]+)*\Z")
SCALE_RE = re.compile(r"[A-Z]{2,3}\Z")
DECIMAL_RE = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)\Z")
INTEGER_RE = re.compile(r"\d+\Z")
DATE_RE = re.compile(r"(0[1-9]|1[0-2])/(\d{4})\Z")


def absent(value: str) -> bool:
    return value == "" or value == NA


def canonical_decimal(value: str) -> str:
    """The canonical lexical form of an xsd:decimal, as Oxigraph gives it back: 4.1200 -> 4.12, 5.0 -> 5."""
    d = Decimal(value)
    text = format(d.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", "+0", ""):
        text = "0"
    return text.lstrip("+")


class Row:
    """One data row, read by column name, with the checks of the O*NET data dictionary."""

    __slots__ = ("fields", "index")

    def __init__(self, fields: list[str], index: dict[str, int]):
        self.fields = fields
        self.index = index

    def raw(self, column: str) -> str:
        i = self.index[column]
        return self.fields[i].strip() if i < len(self.fields) else ""

    def text(self, column: str) -> str:
        value = self.raw(column)
        if absent(value):
            raise RowError(column, "is empty; a value is required")
        return value

    def optional_text(self, column: str) -> str | None:
        value = self.raw(column)
        return None if absent(value) else value

    def code(self, column: str = CODE) -> str:
        return tables.onet_soc_code(self.raw(column), column)

    def element(self, column: str = "Element ID") -> str:
        value = self.raw(column)
        if not ELEMENT_RE.match(value):
            raise RowError(column, f"{value!r} is not a content-model element ID; expected a dotted ID such as 2.B.1.a")
        return value

    def scale(self, column: str = "Scale ID") -> str:
        value = self.raw(column)
        if not SCALE_RE.match(value):
            raise RowError(column, f"{value!r} is not a scale ID; expected two or three capital letters such as IM or LV")
        return value

    def _required(self, column: str, form: re.Pattern, what: str) -> str:
        value = self.raw(column)
        if absent(value):
            raise RowError(column, f"is empty; {what} is required")
        if not form.match(value):
            raise RowError(column, f"{value!r} is not {what}")
        return value

    def decimal(self, column: str) -> str:
        return canonical_decimal(self._required(column, DECIMAL_RE, "a number"))

    def optional_decimal(self, column: str) -> str | None:
        return None if absent(self.raw(column)) else self.decimal(column)

    def integer(self, column: str) -> str:
        return str(int(self._required(column, INTEGER_RE, "a whole number")))

    def optional_integer(self, column: str) -> str | None:
        return None if absent(self.raw(column)) else self.integer(column)

    def signed_integer(self, column: str) -> str:
        value = self.raw(column)
        if not re.fullmatch(r"[+-]?\d+", value):
            raise RowError(column, f"{value!r} is not a whole number")
        return str(int(value))

    def flag(self, column: str) -> bool:
        value = self.raw(column)
        if value not in ("Y", "N"):
            raise RowError(column, f"{value!r} is not Y or N")
        return value == "Y"

    def optional_flag(self, column: str) -> bool | None:
        value = self.raw(column)
        if absent(value):
            return None
        if value not in ("Y", "N"):
            raise RowError(column, f"{value!r} is not Y, N or n/a")
        return value == "Y"

    def date(self, column: str = "Date") -> str:
        """MM/YYYY -> YYYY-MM (an xsd:gYearMonth)."""
        value = self.raw(column)
        m = DATE_RE.match(value)
        if not m:
            raise RowError(column, f"{value!r} is not a date MM/YYYY, e.g. 08/2023")
        return f"{m.group(2)}-{m.group(1)}"

    def choice(self, column: str, allowed: tuple[str, ...], optional: bool = False) -> str | None:
        value = self.raw(column)
        if optional and absent(value):
            return None
        if value not in allowed:
            extra = " (or n/a)" if optional else ""
            raise RowError(column, f"{value!r} is not one of {', '.join(allowed)}{extra}")
        return value

