"""The one place where RDF terms become query text: a VALUES block for a fixed query.

Only pyoxigraph terms are written, and a term was checked when it was made (ox.NamedNode
refuses a malformed IRI, ox.Literal escapes its quotes), so what lands in the text is one
well-formed term and can never change the query around it. Blank nodes and triple terms
are refused: SPARQL's VALUES holds neither.

The block goes first into the query's outermost group (after its WHERE), where every
engine joins it before the rest of the pattern. A trailing VALUES (the form rdflib's
SPARQLStore writes) means the same, but Oxigraph evaluates it after the whole pattern:
0.8 s against 1 ms for one crosswalk frontier over the O*NET release. When that group is a
UNION, the block goes first into each branch instead (the same solutions: a join distributes
over a union): Oxigraph and Virtuoso both evaluate every branch unbound before joining a block
that stands beside the UNION, 0.55 s against 1 ms for one occupation's document (describe.rq)
over the bundled crosswalks and classifications, seconds on Virtuoso.
"""
from __future__ import annotations

import re

import pyoxigraph as ox

from .base import Bindings, Term, Values
from .sparql_text import masked

_WHERE = re.compile(r"(?<![?$\w:])WHERE\s*\{", re.IGNORECASE)


def sparql_term(term: Term | None) -> str:
    """A term as SPARQL writes it (None: UNDEF)."""
    if term is None:
        return "UNDEF"
    if isinstance(term, (ox.NamedNode, ox.Literal)):
        return str(term)
    raise TypeError(f"a VALUES block holds IRIs and literals only, not {term!r}")


def values_block(values: Values) -> str:
    names = " ".join("?" + name for name in values.variables)
    if len(values.variables) == 1:
        return "VALUES " + names + " { " + " ".join(sparql_term(row[0]) for row in values.rows) + " }"
    rows = " ".join("(" + " ".join(sparql_term(t) for t in row) + ")" for row in values.rows)
    return "VALUES (" + names + ") { " + rows + " }"


def one_row(bindings: Bindings) -> Values:
    names = tuple(bindings)
    return Values(names, (tuple(bindings[name] for name in names),))


def with_values(query: str, values: Values) -> str:
    """The query with the rows joined first in its outermost group."""
    where = _WHERE.search(masked(query))
    if where is None:
        raise ValueError("a query run with bound values must spell its outermost group as WHERE { ... }")
    return query[:where.end()] + " " + values_block(values) + query[where.end():]


def _union_branches(query: str, where_end: int) -> list[int] | None:
    """Where each branch of the outermost group begins, when that group is a UNION of groups
    and nothing else (None otherwise)."""
    text = masked(query)
    depth, starts, outside = 0, [], []
    for position in range(where_end, len(text)):
        char = text[position]
        if char == "{":
            if depth == 0:
                starts.append(position + 1)
            depth += 1
        elif char == "}":
            if depth == 0:
                return starts if len(starts) > 1 and "".join(outside).split() == ["UNION"] * (len(starts) - 1) else None
            depth -= 1
        elif depth == 0:
            outside.append(char)
    return None


def with_values_in_branches(query: str, values: Values) -> str:
    """The rows joined first in each branch of an outermost UNION (else as with_values)."""
    where = _WHERE.search(masked(query))
    branches = _union_branches(query, where.end()) if where else None
    if not branches:
        return with_values(query, values)
    block = " " + values_block(values) + " "
    for start in reversed(branches):
        query = query[:start] + block + query[start:]
    return query


def with_bound(query: str, bindings: Bindings | None, values: Values | None) -> str:
    """The query with one solution's bindings and the rows, each a VALUES block joined first
    (first in each branch of an outermost UNION)."""
    if bindings:
        query = with_values_in_branches(query, one_row(bindings))
    if values is not None:
        query = with_values_in_branches(query, values)
    return query


__all__ = ["sparql_term", "values_block", "one_row", "with_bound", "with_values", "with_values_in_branches"]
