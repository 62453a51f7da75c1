"""An N-Quads file read as N-Triples: each line without its graph name, for Oxigraph's own bulk
loader to put into the default graph (the merge, api/oxigraph_store.py).

Writing the merge from Python objects (every quad parsed, a new Quad made, bulk_extend) took as
long as the bulk load of the file itself: 11 s for the bundled data's million quads. Cutting the
graph term off each line in bytes, into a temporary N-Triples file for `bulk_load`, takes 6.4 s
for the same.

Where a line's graph name ends needs no full parse: IRIs and blank node labels hold no white
space, and a literal's last double quote is its closing one (a quote inside it is escaped, and
no other term may hold one). So the tokens after that quote, or all of a line without literals,
say whether a graph name is there. A line of any other shape (a comment after the dot, a
directive) raises NotPlain before anything is loaded, and the caller merges the file its
general way instead.
"""
from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

LINES_PER_CHUNK = 4096


class NotPlain(ValueError):
    """A line this reader does not take apart: the file is merged from parsed quads instead."""


def triple_line(line: bytes) -> bytes | None:
    """The N-Triples line of an N-Quads line (None for a blank line or a comment)."""
    stripped = line.strip()
    if not stripped or stripped.startswith(b"#"):
        return None
    quote = stripped.rfind(b'"')
    if quote < 0:  # subject, predicate, object, graph name: none holds white space
        terms = stripped.split()
        if terms[-1] != b"." or len(terms) not in (4, 5):
            raise NotPlain(_shown(line))
        return b" ".join(terms[:3]) + b" .\n"
    rest = stripped[quote + 1:].split()  # after the literal: a tag or datatype, a graph name, the dot
    suffix = rest[0] if rest and rest[0].startswith((b"@", b"^^")) else b""
    names = rest[1:-1] if suffix else rest[:-1]
    if not rest or rest[-1] != b"." or len(names) > 1 or not all(n.startswith((b"<", b"_:")) for n in names):
        raise NotPlain(_shown(line))
    return stripped[:quote + 1] + suffix + b" .\n"


def _shown(line: bytes) -> str:
    return line[:200].decode("utf-8", "replace")


def write_triples(file: Path, out: BinaryIO) -> int:
    """Writes the N-Triples lines of an N-Quads file to `out`; the number of statements. Raises
    NotPlain, having written part of them, at a line it does not take apart."""
    statements = 0
    with open(file, "rb") as lines:
        chunk: list[bytes] = []
        for line in lines:
            triple = triple_line(line)
            if triple is not None:
                chunk.append(triple)
            if len(chunk) >= LINES_PER_CHUNK:
                out.write(b"".join(chunk))
                statements += len(chunk)
                chunk.clear()
        out.write(b"".join(chunk))
    return statements + len(chunk)


__all__ = ["NotPlain", "triple_line", "write_triples"]
