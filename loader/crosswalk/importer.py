"""`skillsgraph import crosswalk KIND FILE`: a published crosswalk file -> its named graph.

``import_crosswalk(kind, file, namespace, home)`` reads the file (loader.crosswalk.table) in the
layout its kind gives (loader.crosswalk.kinds), checks every row, and writes the graph
<NS>graph/crosswalk/<kind>-<release> (loader.crosswalk.rdf) as canonical sorted N-Quads, through
a rename, to $SKILLSGRAPH_HOME/imports/crosswalk-<kind>-<release>.nq, which `skillsgraph serve`
serves beside the build. When any row has a problem nothing is written and SourceDataError
lists them all.
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import URIRef

from ..errors import SourceDataError
from ..iris import Iris
from ..nquads import write_graphs
from ..tables import Problems, RowError, problem, row_problem
from .kinds import KINDS, Kind, Pair, cardinality_relations
from .rdf import FileSummary, crosswalk_graph
from .table import Table, read_table

RELEASE_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*\Z")


@dataclass
class CrosswalkImport:
    kind: Kind
    release: str
    graph: URIRef
    target: Path | None
    rows: int = 0
    mappings: int = 0
    skipped: int = 0            # rows that state no mapping (NO MATCH)
    duplicates: int = 0
    triples: int = 0
    seconds: float = 0.0
    payload: bytes | None = field(default=None, repr=False)


def output_file(home: Path, kind: str, release: str) -> Path:
    return Path(home) / "imports" / f"crosswalk-{kind}-{release}.nq"


def _kind(name: str) -> Kind:
    if name not in KINDS:
        raise SourceDataError([problem(name, None, "KIND", f"{name!r} is not a crosswalk kind; expected one of "
                                                           f"{', '.join(KINDS)}")])
    return KINDS[name]


def _check_file(kind: Kind, path: Path, release: str) -> None:
    if not RELEASE_RE.match(release):
        raise SourceDataError([problem(path.name, None, "--release", f"{release!r} is not a release name; use letters, "
                                       "digits, '.', '-' or '_', e.g. 2020")])
    if path.suffix.lower() not in kind.forms:
        raise SourceDataError([problem(path.name, None, "", f"is a {path.suffix or 'file without suffix'}; the "
                                       f"{kind.name} crosswalk is published as {' or '.join(kind.forms)} "
                                       f"({kind.published_as})")])


def read_pairs(kind: Kind, table: Table) -> tuple[list[tuple[int, Pair]], int]:
    """(line, pair) of every row that is a mapping, and how many rows state none; raises
    SourceDataError with every problem (the first ones in full) when any row is wrong."""
    pairs: list[tuple[int, Pair]] = []
    problems = Problems(table.file.name)
    skipped = 0
    width = len(kind.columns)
    for line, values in table.rows:
        try:
            if any(str(v).strip() for v in values[width:] if v is not None):
                raise RowError("", f"has {len(values)} cells; the header has {width}")
            pair = kind.parse(table.cells(kind.columns, values))
        except RowError as exc:
            problems.add(row_problem(table.file.name, line, exc))
            continue
        if pair is None:
            skipped += 1
        else:
            pairs.append((line, pair))
    if problems:
        raise SourceDataError(problems.all())
    return pairs, skipped


def _first_of_each(pairs: list[tuple[int, Pair]]) -> tuple[list[tuple[int, Pair]], int]:
    """The first row of each subject-object pair: a repeated row states nothing new."""
    seen: set[tuple] = set()
    out = []
    for line, pair in pairs:
        key = (pair.subject.key, pair.obj.key)
        if key not in seen:
            seen.add(key)
            out.append((line, pair))
    return out, len(pairs) - len(out)


def import_crosswalk(kind_name: str, file: Path, namespace: str, home: Path | None = None, *,
                     target: Path | None = None, release: str | None = None) -> CrosswalkImport:
    """Import one crosswalk file: writes target, or else <home>/imports/crosswalk-<kind>-<release>.nq;
    with neither, keeps the N-Quads in the result. Raises SourceDataError, writing nothing."""
    started = time.perf_counter()
    kind, path = _kind(kind_name), Path(file)
    release = release or kind.default_release
    _check_file(kind, path, release)
    table = read_table(path, kind.layout(path))
    pairs, skipped = read_pairs(kind, table)
    pairs, duplicates = _first_of_each(pairs)
    if kind.by_cardinality:
        pairs = list(zip([line for line, _ in pairs], cardinality_relations([p for _, p in pairs])))
    iris = Iris(namespace)
    if target is None and home is not None:
        target = output_file(home, kind.name, release)
    summary = FileSummary(len(table.rows), len(pairs), skipped, duplicates)
    result = CrosswalkImport(kind, release, iris.crosswalk_graph(kind.name, release), target, rows=summary.rows,
                             mappings=summary.mappings, skipped=skipped, duplicates=duplicates)
    payload = write_graphs([crosswalk_graph(kind, release, iris, table, pairs, summary)], target)
    result.triples = payload.count(b"\n")
    result.payload = payload if target is None else None
    result.seconds = time.perf_counter() - started
    return result


__all__ = ["CrosswalkImport", "import_crosswalk", "output_file", "read_pairs"]
