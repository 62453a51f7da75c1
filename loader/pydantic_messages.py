"""Turn pydantic validation errors into SourceProblems that say what would be right."""
from __future__ import annotations

import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from .errors import SourceProblem
from .schema import PATTERN_EXAMPLES
from .source_files import LocatedDocument

_TYPE_NOUNS = {
    "string_type": "a text", "int_type": "a whole number", "int_from_float": "a whole number",
    "float_type": "a number", "list_type": "a list", "dict_type": "a mapping of keys to values",
    "model_type": "a mapping of keys to values", "bool_type": "true or false", "decimal_type": "a number",
}
_UNION_TAGS = {"int", "float", "str", "function-after[as_decimal()]"}


def problems_from(error: ValidationError, doc: LocatedDocument, model: type[BaseModel]) -> list[SourceProblem]:
    seen: set[tuple] = set()
    out = []
    for item in error.errors(include_url=False):
        loc = tuple(part for part in item["loc"] if part not in _UNION_TAGS)
        # A value failing every member of a union yields one error per member: report once.
        if loc in seen:
            continue
        seen.add(loc)
        out.append(doc.problem(loc, _message(item, loc, model, doc.written.get(loc))))
    return out


def _message(item: dict[str, Any], loc: tuple, model: type[BaseModel], written: str | None = None) -> str:
    kind, value = item["type"], item.get("input")
    if kind == "string_type" and written is not None:
        # YAML read an unquoted code as a number: say it as written (51.2300, not 51.23) and how to keep it.
        read = "" if str(value) == written else f" as the number {value!r}"
        return f"expected a text, got number {written} (YAML reads it unquoted{read}); quote it: '{written}'"
    if kind == "missing":
        return f"missing required key {loc[-1]!r}; add it (see the README's 'Source data' section)"
    if kind == "extra_forbidden":
        allowed = _allowed_keys(model, loc[:-1])
        hint = f"; allowed keys here: {', '.join(allowed)}" if allowed else ""
        return f"unknown key {loc[-1]!r}{hint}"
    if kind == "string_pattern_mismatch":
        wanted = PATTERN_EXAMPLES.get(item["ctx"]["pattern"], f"text matching {item['ctx']['pattern']}")
        return f"{value!r} is not valid: expected {wanted}"
    if kind in ("string_too_short", "too_short"):
        return "must not be empty"
    if kind in _TYPE_NOUNS:
        return f"expected {_TYPE_NOUNS[kind]}, got {_describe(value)}"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return f"{value!r} is out of range: {item['msg'].lower()}"
    return f"{item['msg']} (got {_describe(value)})"


def _describe(value: Any) -> str:
    names = {str: "text", int: "whole number", float: "number", list: "list", dict: "mapping", bool: "true/false", type(None): "nothing (null)"}
    return f"{names.get(type(value), type(value).__name__)} {value!r}" if not isinstance(value, (list, dict)) else names[type(value)]


def _allowed_keys(model: type[BaseModel], loc: tuple) -> list[str]:
    """Walk the model's type annotations along `loc` to the mapping the unknown key sits in."""
    current: Any = model
    for part in loc:
        current = _step(current, part)
        if current is None:
            return []
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _unwrap(tp: Any) -> Any:
    args = [a for a in typing.get_args(tp) if a is not type(None)]
    if typing.get_origin(tp) in (typing.Union, getattr(__import__("types"), "UnionType", None)) and len(args) == 1:
        return _unwrap(args[0])
    if typing.get_origin(tp) is typing.Annotated:
        return _unwrap(args[0])
    return tp


def _step(tp: Any, part: Any) -> Any:
    tp = _unwrap(tp)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        field = tp.model_fields.get(part)
        return field.annotation if field else None
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin is list and isinstance(part, int):
        return args[0]
    if origin is dict:
        return args[1]
    return None
