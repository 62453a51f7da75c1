"""What the public endpoint will not run: federated SERVICE calls.

Oxigraph would execute SERVICE by fetching from the named endpoint, which would let any
caller make this server send requests anywhere. The keyword is found lexically, after
removing comments, strings and IRIs, so a variable such as ?service or a string that
mentions SERVICE is not mistaken for it.
"""
from __future__ import annotations

import re

_NOISE = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r"|<[^<>\"{}|^`\\\s]*>"
    r"|#[^\n]*",
)
_SERVICE = re.compile(r"(?<![?$\w:])SERVICE(?![\w:-])", re.IGNORECASE)


def refuses_service(query: str) -> bool:
    return bool(_SERVICE.search(_NOISE.sub(" ", query)))
