"""Reading SPARQL text without parsing it: where its strings, IRIs and comments are.

One pass from left to right, every step forward, and every pattern possessive (nothing is
tried twice), so any text, however hostile (16 KB of quotes and backslashes, say), costs time
in proportion to its length. A backslash outside a string escapes the next character, as in a
prefixed name's `ex:a\\#` or `ex:a\\'`: neither starts a comment nor a string.
"""
from __future__ import annotations

import re
from typing import Iterator

_SPECIAL = re.compile(r"""[#"'<\\]""")
_IRI = re.compile(r"<[^<>\"{}|^`\\\x00-\x20]*+>")
_STRINGS = {
    '"""': re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*+"""', re.S),
    "'''": re.compile(r"'''(?:[^'\\]|\\.|'(?!''))*+'''", re.S),
    '"': re.compile(r'"(?:[^"\\\n\r]|\\.)*+"'),
    "'": re.compile(r"'(?:[^'\\\n\r]|\\.)*+'"),
}


def _string_end(text: str, start: int) -> int:
    quote = text[start] * 3 if text.startswith(text[start] * 3, start) else text[start]
    match = _STRINGS[quote].match(text, start)
    return match.end() if match else len(text)  # never closed: the rest is the string (and a syntax error)


def opaque_spans(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each string, IRI and comment, in order."""
    position = 0
    while (found := _SPECIAL.search(text, position)) is not None:
        start, char = found.start(), found.group()
        if char == "\\":
            position = start + 2
            continue
        if char == "#":
            end = text.find("\n", start)
            end = len(text) if end < 0 else end
        elif char == "<":
            iri = _IRI.match(text, start)
            if iri is None:
                position = start + 1  # a less-than sign
                continue
            end = iri.end()
        else:
            end = _string_end(text, start)
        yield start, end
        position = end


def masked(text: str) -> str:
    """The text with every string, IRI and comment blanked out, every other character where it was."""
    parts, position = [], 0
    for start, end in opaque_spans(text):
        parts += [text[position:start], " " * (end - start)]
        position = end
    parts.append(text[position:])
    return "".join(parts)
