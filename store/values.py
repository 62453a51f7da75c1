"""The one place where RDF terms become query text: a VALUES block for a fixed query.

Only pyoxigraph terms are written, and a term was checked when it was made (ox.NamedNode
refuses a malformed IRI, ox.Literal escapes its quotes), so what lands in the text is one
well-formed term and can never change the query around it. Blank nodes and triple terms
are refused: SPARQL's VALUES holds neither.

The block goes first into the query's outermost group (after its WHERE), where every
engine joins it before the rest of the pattern. A trailing VALUES (the form rdflib's
SPARQLStore writes) means the same, but Oxigraph evaluates it after the whole pattern:
0.8 s against 1 ms for one crosswalk frontier over the O*NET release.
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


def with_bound(query: str, bindings: Bindings | None, values: Values | None) -> str:
    """The query with one solution's bindings and the rows, each a VALUES block joined first."""
    if bindings:
        query = with_values(query, one_row(bindings))
    if values is not None:
        query = with_values(query, values)
    return query


__all__ = ["sparql_term", "values_block", "one_row", "with_bound", "with_values"]
