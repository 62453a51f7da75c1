"""What the public endpoint will not run: updates, and federated SERVICE calls.

Oxigraph would execute SERVICE by fetching from the named endpoint, which would let any
caller make this server send requests anywhere. Keywords are found lexically, after
blanking comments, strings and IRIs (store/sparql_text.py, in linear time), so a variable such
as ?service or a string that mentions SERVICE or INSERT is not mistaken for one. This is the
first line only: a query worker cannot open a network connection at all (sparql/sandbox.py),
and the memory store refuses SERVICE from the parsed query.
"""
from __future__ import annotations

import re

from skillsgraph.store.sparql_text import masked

SERVICE_REFUSED = ("federated queries are not accepted here: the query uses SERVICE, and this endpoint makes "
                   "no requests to other endpoints")

_SERVICE = re.compile(r"(?<![?$\w:])SERVICE(?![\w:-])", re.IGNORECASE)
_PROLOGUE = re.compile(r"(?i)\s*(?:BASE\b|PREFIX\s*[^\s:]*:)")
_UPDATE_WORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
_UPDATE_ANYWHERE = re.compile(r"(?i)(?<![?$\w:])(?:INSERT\s+DATA|DELETE\s+(?:DATA|WHERE)|LOAD|CLEAR|DROP|CREATE)(?![\w:-])")


def refuses_service(query: str) -> bool:
    return bool(_SERVICE.search(masked(query)))


def update_keyword(query: str) -> str | None:
    """The update operation a text starts with (INSERT, LOAD ...), after its prologue, or None."""
    cleaned = masked(query)
    position = 0
    while m := _PROLOGUE.match(cleaned, position):
        position = m.end()
    word = re.match(r"\s*([A-Za-z]+)", cleaned[position:])
    if word and word.group(1).upper() in _UPDATE_WORDS:
        return word.group(1).upper()
    return None


def holds_update(query: str) -> bool:
    """Whether an update operation appears anywhere, e.g. after a query in one request."""
    return bool(_UPDATE_ANYWHERE.search(masked(query)))
