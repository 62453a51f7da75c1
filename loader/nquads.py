"""Canonical N-Quads: every output of the loader (the build, each import) is a sorted list of
unique lines written through a rename, so the same input gives the same bytes and a failed or
interrupted run leaves the previous file in place.

Terms are written by the one N-Triples writer below, in exactly the form rdflib's N-Triples
serialiser gives (the same escapes, no \\u escapes: UTF-8 throughout). The rdflib path
(canonical_nquads, for graphs held as rdflib Graphs) and the fast path of the O*NET importer
(which writes millions of rows straight to lines) both use it, so their lines can be merged.
"""
from __future__ import annotations

import heapq
import io
import os
import re
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Callable, Iterable, Iterator

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from skillsgraph.staging import commit_unit, staged, temp_prefix
from skillsgraph.vocab import XSD

from .graphs import NamedGraph

# Characters an IRI may not hold in N-Triples; rdflib refuses them too.
_NOT_IN_IRI = re.compile(r'[<>" {}|\\^`]')


# ---- terms ------------------------------------------------------------------------------------

def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"').replace("\r", "\\r")


def iri(value: str) -> str:
    return f"<{value}>"


def plain(value: str) -> str:
    return f'"{_escape(value)}"'


def en(value: str) -> str:
    return f'"{_escape(value)}"@en'


def typed(lexical: str, datatype: str) -> str:
    return f'"{_escape(lexical)}"^^<{datatype}>'


_DEC, _INT, _BOOL, _GYM = (f"^^<{XSD.decimal}>", f"^^<{XSD.integer}>", f"^^<{XSD.boolean}>", f"^^<{XSD.gYearMonth}>")


def decimal(value: str) -> str:
    """A decimal already in its canonical lexical form (nothing to escape)."""
    return f'"{value}"{_DEC}'


def integer(value: str | int) -> str:
    return f'"{value}"{_INT}'


def boolean(value: bool) -> str:
    return f'"{"true" if value else "false"}"{_BOOL}'


def year_month(value: str) -> str:
    return f'"{value}"{_GYM}'


def term(node: Node) -> str:
    """An rdflib term, as rdflib's N-Triples serialiser writes it."""
    if isinstance(node, Literal):
        if node.language:
            return f'"{_escape(node)}"@{node.language}'
        return typed(node, node.datatype) if node.datatype else plain(node)
    if isinstance(node, BNode):
        return f"_:{node}"
    if _NOT_IN_IRI.search(node):
        raise ValueError(f"{node!r} is not an IRI that N-Triples can hold (it has one of <>\" {{}}|\\^`); "
                         "percent-encode the character")
    return iri(node)


# ---- lines -------------------------------------------------------------------------------------

def quad_lines(ng: NamedGraph) -> set[str]:
    return _lines(ng.graph, f" {term(ng.name)} .\n")


def triple_lines(triples: Iterable[tuple[Node, Node, Node]]) -> set[str]:
    """N-Triples lines, for readers that take no graph names."""
    return _lines(triples, " .\n")


def _lines(triples: Iterable[tuple[Node, Node, Node]], suffix: str) -> set[str]:
    iris: dict[str, str] = {}  # a graph names each IRI many times: written once

    def written(node: Node) -> str:
        if type(node) is URIRef:
            text = iris.get(node)
            if text is None:
                text = iris[node] = term(node)
            return text
        return term(node)
    return {f"{written(s)} {written(p)} {written(o)}{suffix}" for s, p, o in triples}


class QuadLines:
    """A write-only stand-in for an rdflib Graph: each triple added becomes its canonical line in
    one named graph at once. The importers of published files write hundreds of thousands of
    triples; an rdflib Graph indexes each three times before canonical_nquads reads it back, this
    keeps only the lines (about three times faster). The mapping and source writers take either."""

    def __init__(self, name: Node):
        self.name = name
        self.suffix = f" {term(name)} .\n"
        self.lines: set[str] = set()
        self._terms: dict[Node, str] = {}   # the same nodes and predicates recur on every row

    def _term(self, node: Node) -> str:
        found = self._terms.get(node)
        if found is None:
            found = self._terms[node] = term(node)
        return found

    def add(self, triple: tuple[Node, Node, Node]) -> None:
        s, p, o = triple
        self.lines.add(f"{self._term(s)} {self._term(p)} {self._term(o)}{self.suffix}")

    def t(self, s: str, p: str, o: str) -> None:
        """A triple of terms already written (iri, en, plain, ... above): the fast path."""
        self.lines.add(f"{s} {p} {o}{self.suffix}")

    def __len__(self) -> int:
        return len(self.lines)

    def payload(self) -> bytes:
        return sorted_lines(self.lines)


def sorted_lines(lines: Iterable[str]) -> bytes:
    return "".join(sorted(set(lines))).encode("utf-8")


def canonical_nquads(graphs: Iterable[NamedGraph]) -> bytes:
    """The graphs as unique, sorted N-Quads lines (UTF-8 bytes sort as the text does)."""
    lines: set[str] = set()
    for ng in graphs:
        lines |= quad_lines(ng)
    return sorted_lines(lines)


def merge_sorted(blocks: Iterable[bytes]) -> tuple[bytes, int]:
    """Merge blocks of sorted lines into one sorted block without repeats, and count its lines."""
    out = io.BytesIO()
    count = 0
    previous = None
    for line in heapq.merge(*(io.BytesIO(b) for b in blocks if b)):
        if line != previous:
            out.write(line)
            count += 1
            previous = line
    return out.getvalue(), count


# ---- files -------------------------------------------------------------------------------------

@contextmanager
def _replacing(target: Path) -> Iterator[BinaryIO]:
    """A temporary file beside target, renamed onto it when the block ends without error:
    readers see the old file or the new, never part of one. Its name carries this process's pid,
    so the next writer removes it if this one is killed (skillsgraph.staging)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=temp_prefix(target), suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_atomically(target: Path, payload: bytes) -> None:
    """Write through a temporary file beside the target and a rename: readers see the old file or the new."""
    with _replacing(target) as out:
        out.write(payload)


def write_merged(target: Path, files: list[Path]) -> None:
    """Files of sorted, unique lines merged into one such file at target, through a rename,
    without holding them in memory."""
    handles = [open(f, "rb") for f in files]
    try:
        with _replacing(target) as out:
            previous = None
            for line in heapq.merge(*handles):
                if line != previous:
                    out.write(line)
                    previous = line
    finally:
        for handle in handles:
            handle.close()


def write_with_stamp(target: Path | None, write: Callable[[Path], None], stamp: Path, digest: str) -> None:
    """A file (written by `write` to the path it is given; None: the file is kept as it is) and the
    stamp naming its inputs, as one unit: both are staged complete first (a full disk fails here,
    leaving both as they were), then the old stamp goes, so that an interruption while they are
    renamed into place leaves no stamp claiming the new file was made from the old inputs
    (skillsgraph.staging.commit_unit; the next writer finishes the renames)."""
    files = ([(staged(target), target)] if target is not None else []) + [(staged(stamp), stamp)]
    try:
        if target is not None:
            write(files[0][0])
        write_atomically(files[-1][0], digest.encode("utf-8"))
    except BaseException:
        for source, _ in files:
            source.unlink(missing_ok=True)
        raise
    stamp.unlink(missing_ok=True)
    commit_unit(files)


def write_graphs(graphs: list[NamedGraph], target: Path | None) -> bytes:
    """The graphs as canonical N-Quads, written through a rename when target is given."""
    payload = canonical_nquads(graphs)
    if target is not None:
        write_atomically(target, payload)
    return payload
