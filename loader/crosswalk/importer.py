"""`skillsgraph import crosswalk KIND FILE`: a published crosswalk file -> its named graph.

``import_crosswalk(kind, file, namespace, home)`` reads the file (loader.tables) in the layout
its kind gives (loader.crosswalk.kinds), checks every row, resolves ESCO codes through an ESCO
classification where the kind names them by code (loader.crosswalk.esco_codes), and writes the
graph <NS>graph/crosswalk/<kind>-<release> (loader.crosswalk.rdf) as canonical sorted N-Quads,
through a rename, to $SKILLSGRAPH_HOME/imports/crosswalk-<kind>-<release>.nq, which `skillsgraph
serve` serves beside the build. Every row below the header is accounted for: a mapping, a row
stating no match, a repeat of an earlier row, or the publisher's footer. When any row has a
problem nothing is written and SourceDataError lists them all.
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import URIRef

from ..bundled import esco_classification
from ..errors import SourceDataError
from ..iris import Iris
from ..nquads import write_atomically
from ..release_rdf import sha256
from ..tables import Problems, RowError, Table, problem, read_table
from .esco_codes import EscoCodes, load_esco_codes, resolve
from .kinds import KINDS, Kind, Pair, cardinality_relations
from .rdf import FileSummary, crosswalk_lines

RELEASE_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*\Z")


@dataclass
class CrosswalkImport:
    kind: Kind
    release: str
    graph: URIRef
    target: Path | None
    summary: FileSummary        # every row below the header accounted for
    triples: int = 0
    seconds: float = 0.0
    payload: bytes | None = field(default=None, repr=False)

    def __getattr__(self, name: str):
        """The summary's counts as the import's own: rows, mappings, skipped (rows stating no
        match), duplicates, footer, resolution, accounting."""
        if name.startswith("__") or name == "summary":
            raise AttributeError(name)
        return getattr(self.summary, name)


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
            problems.add(table.row_problem(line, exc))
            continue
        if pair is None:
            skipped += 1
        else:
            pairs.append((line, pair))
    problems.check()
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


def bundled_esco_codes() -> EscoCodes:
    folder, release = esco_classification()
    return load_esco_codes(folder, release)


def crosswalk_import(kind_name: str, file: Path, namespace: str, *, release: str | None = None,
                     esco: EscoCodes | None = None) -> tuple[CrosswalkImport, bytes]:
    """One crosswalk file's import and its N-Quads, written nowhere; raises SourceDataError.
    `esco`: the ESCO codes to resolve the file's codes through (default: the bundled ESCO release)."""
    started = time.perf_counter()
    kind, path = _kind(kind_name), Path(file)
    release = release or kind.default_release
    _check_file(kind, path, release)
    table = read_table(path, kind.layout(path), f"the {kind.name} crosswalk")
    pairs, skipped = read_pairs(kind, table)
    resolution = ""
    if kind.esco_codes:
        pairs, resolution = resolve(pairs, esco or bundled_esco_codes(), table)
    pairs, duplicates = _first_of_each(pairs)
    if kind.by_cardinality:
        pairs = list(zip([line for line, _ in pairs], cardinality_relations([p for _, p in pairs])))
    iris = Iris(namespace)
    summary = FileSummary(len(table.rows) + len(table.footer), len(pairs), skipped, duplicates, len(table.footer),
                          sha256(path), resolution)
    payload = crosswalk_lines(kind, release, iris, table, pairs, summary).payload()
    result = CrosswalkImport(kind, release, iris.crosswalk_graph(kind.name, release), None, summary,
                             payload.count(b"\n"), time.perf_counter() - started)
    return result, payload


def import_crosswalk(kind_name: str, file: Path, namespace: str, home: Path | None = None, *,
                     target: Path | None = None, release: str | None = None,
                     esco: EscoCodes | None = None) -> CrosswalkImport:
    """Import one crosswalk file: writes target, or else <home>/imports/crosswalk-<kind>-<release>.nq;
    with neither, keeps the N-Quads in the result. Raises SourceDataError, writing nothing."""
    result, payload = crosswalk_import(kind_name, file, namespace, release=release, esco=esco)
    if target is None and home is not None:
        target = output_file(home, result.kind.name, result.release)
    if target is not None:
        write_atomically(target, payload)
    result.target = target
    result.payload = payload if target is None else None
    return result


__all__ = ["CrosswalkImport", "crosswalk_import", "import_crosswalk", "output_file", "read_pairs"]
