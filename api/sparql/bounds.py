"""What no honest query needs, refused before the engine sees it: size, nesting, long chains.

Oxigraph parses and evaluates recursively: `STR(` nested 1,600 deep, `EXISTS` 800 deep,
`{ }` 3,200 deep or chains of 12,800 `&&`, `+` or `UNION` overflow its stack (a worker
dies of it, sparql/workers.py; the memory store's rdflib and an external server fare no
better). The limits below are far from both: hand-written and generated queries alike stay
within a few levels and a few hundred operators. Counted over the text with its strings,
IRIs and comments blanked (store/sparql_text.py), in one linear pass.
"""
from __future__ import annotations

import re

from skillsgraph.store.sparql_text import masked

from .protocol import ProtocolError

MAX_QUERY_BYTES = 128 << 10
MAX_DEPTH = 64
MAX_OPERATORS = 2000

_BRACKETS = re.compile(r"[(\[{]|[)\]}]")
# Binary operators and the keywords that join patterns; '-' is left out (it is part of names).
_OPERATORS = re.compile(r"&&|\|\||[+*/|^!]|(?<![\w?$:])(?:UNION|OPTIONAL|MINUS)(?![\w:-])", re.IGNORECASE)


def _position(text: str, offset: int) -> str:
    line = text.count("\n", 0, offset) + 1
    return f"line {line}, column {offset - (text.rfind(chr(10), 0, offset) + 1) + 1}"


def check(query: str) -> None:
    """ProtocolError(413) for an oversized query, (400) for one nested or chained too far."""
    size = len(query.encode("utf-8"))
    if size > MAX_QUERY_BYTES:
        raise ProtocolError(413, f"the query is {size:,} bytes long; this endpoint accepts queries of at most "
                                 f"{MAX_QUERY_BYTES:,} bytes")
    text = masked(query)
    depth = 0
    for bracket in _BRACKETS.finditer(text):
        if bracket.group() in "([{":
            depth += 1
            if depth > MAX_DEPTH:
                raise ProtocolError(400, f"the query nests groups, lists or expressions more than {MAX_DEPTH} levels "
                                         f"deep (at {_position(query, bracket.start())}); no query needs that many")
        else:
            depth -= 1
    operators = sum(1 for _ in _OPERATORS.finditer(text))
    if operators > MAX_OPERATORS:
        raise ProtocolError(400, f"the query chains {operators:,} operators (&&, ||, +, *, /, |, UNION, OPTIONAL, "
                                 f"MINUS ...); this endpoint accepts at most {MAX_OPERATORS:,}")
