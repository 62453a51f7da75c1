"""`skillsgraph import classification KIND PATH...`: a published classification -> its named graph,
<NS>graph/classification/<kind>-<release>, with its release node source/<kind>-<release>.

Kinds: soc (BLS's 2018 SOC workbooks, loader.classification.soc), cip (NCES's CIPCode2020.csv,
loader.classification.cip), esco (a folder of ESCO's CSV files, loader.classification.esco).
PATH is the folder the files were downloaded to, or the files themselves. The graph holds the
concept scheme and its concepts, which are the code nodes crosswalks name (code-list/soc2018,
cip2020, isco08; ESCO's own IRIs), and the release node (loader.release_rdf: title, publisher,
version, licence, download page, attribution, each file with its SHA-256 and counts, the files
skipped). Written as canonical sorted N-Quads through a rename to
$SKILLSGRAPH_HOME/imports/classification-<kind>-<release>.nq; nothing is written when any row
has a problem.
"""
from __future__ import annotations

import re
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from rdflib import Literal, URIRef

from ..errors import SourceDataError
from .. import publishers as pub
from ..graphs import DCTERMS, PROV, SG, text
from ..iris import Iris
from ..nquads import write_atomically
from ..release_rdf import ImportedFile, Publication, add_release, sha256
from ..tables import problem
from . import cip, esco, esco_files, soc
from .concepts import Concepts

VERSION_RE = re.compile(r"\d+(\.\d+)*\Z")


@dataclass(frozen=True)
class Read:
    """What one kind's reader made of its files: (file name, what was read from it), the files skipped."""
    files: list[tuple[str, str]]
    skipped: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ClassificationKind:
    name: str
    publication: Publication
    default_release: str
    fixed_release: bool              # its concept IRIs name the edition (soc2018/, cip2020/)
    files: tuple[str, ...]           # the files it reads, named as published
    required: tuple[str, ...]
    read: Callable[[dict[str, Path], Concepts, Iris], Read]


@dataclass
class ClassificationImport:
    kind: ClassificationKind
    release: str
    graph: URIRef
    target: Path | None
    files: list[ImportedFile]
    skipped: list[str]
    triples: int = 0
    seconds: float = 0.0
    payload: bytes | None = field(default=None, repr=False)


def _read_soc(paths: dict[str, Path], out: Concepts, iris: Iris) -> Read:
    table, groups = soc.read_structure(paths[soc.STRUCTURE])
    levels = Counter(g.level for g in groups)
    files = [(soc.STRUCTURE, f"sheet {table.sheet}, header on line {table.header_line}, {len(groups)} rows: "
                             + ", ".join(f"{levels[level]} {level}" for level in soc.LEVELS))]
    definitions: dict[str, str] = {}
    skipped = []
    if soc.DEFINITIONS in paths:
        table, definitions = soc.read_definitions(paths[soc.DEFINITIONS], {g.code: g for g in groups})
        defined = sum(1 for d in definitions.values() if d)
        files.append((soc.DEFINITIONS, f"sheet {table.sheet}, header on line {table.header_line}, {len(table.rows)} "
                                       f"rows, {defined} definitions"))
    else:
        skipped.append(f"{soc.DEFINITIONS} (not given: the groups have no definitions)")
    soc.soc_concepts(out, iris, groups, definitions)
    return Read(files, skipped)


def _read_cip(paths: dict[str, Path], out: Concepts, iris: Iris) -> Read:
    table, codes = cip.read_cip(paths[cip.FILE])
    actions = Counter(c.action for c in codes)
    cip.cip_concepts(out, iris, codes)
    return Read([(cip.FILE, f"header on line {table.header_line}, {len(codes)} rows: "
                            + ", ".join(f"{actions[a]} {a}" for a in cip.ACTIONS))])


def _read_esco(paths: dict[str, Path], out: Concepts, iris: Iris) -> Read:
    folder = paths[esco_files.OCCUPATIONS.name("en")].parent
    tables = esco.esco_tables(folder)
    counts = esco.write_esco(out, iris, tables)
    return Read([(name, f"{rows} rows") for name, rows in counts], tables.skipped)


KINDS: dict[str, ClassificationKind] = {k.name: k for k in (
    ClassificationKind("soc", Publication(
        "2018 Standard Occupational Classification (SOC)", pub.BLS, pub.US_PUBLIC_DOMAIN,
        "https://www.bls.gov/soc/2018/home.htm",
        "2018 Standard Occupational Classification, U.S. Bureau of Labor Statistics, on behalf of the Office of "
        "Management and Budget; a work of the U.S. federal government."),
        "2018", True, (soc.STRUCTURE, soc.DEFINITIONS), (soc.STRUCTURE,), _read_soc),
    ClassificationKind("cip", Publication(
        "Classification of Instructional Programs (CIP) 2020", pub.NCES, pub.US_PUBLIC_DOMAIN,
        "https://nces.ed.gov/ipeds/cipcode/",
        "Classification of Instructional Programs 2020, National Center for Education Statistics (NCES); a work of "
        "the U.S. federal government."),
        "2020", True, (cip.FILE,), (cip.FILE,), _read_cip),
    ClassificationKind("esco", Publication(
        "ESCO classification (English)", pub.ESCO, pub.EU_REUSE, "https://esco.ec.europa.eu/en/use-esco/download",
        pub.ESCO_ATTRIBUTION),
        "1.2.0", False, tuple(f.name("en") for f in esco_files.FILES),
        tuple(f.name("en") for f in esco_files.FILES if f.required), _read_esco),
)}


def output_file(home: Path, kind: str, release: str) -> Path:
    return Path(home) / "imports" / f"classification-{kind}-{release}.nq"


def locate(kind: ClassificationKind, paths: list[Path]) -> dict[str, Path]:
    """The kind's files among `paths` (folders holding them, or the files); raises SourceDataError
    naming what is missing or not the kind's."""
    found: dict[str, Path] = {}
    for path in map(Path, paths):
        if path.is_dir():
            found.update({name: path / name for name in kind.files if (path / name).is_file()})
        elif path.name in kind.files:
            found[path.name] = path
        else:
            raise SourceDataError([problem(path.name, None, "", f"is not a file of the {kind.name} classification; it "
                                           f"reads {', '.join(kind.files)} (or a folder holding them)")])
    missing = [name for name in kind.required if name not in found]
    if missing:
        where = ", ".join(str(Path(p).name) for p in paths)
        raise SourceDataError([problem(where, None, "", f"holds no {' or '.join(missing)}; the {kind.name} "
                                       f"classification is read from {', '.join(kind.required)} as published")])
    return found


def _kind(name: str, release: str | None) -> tuple[ClassificationKind, str]:
    if name not in KINDS:
        raise SourceDataError([problem(name, None, "KIND", f"{name!r} is not a classification kind; expected one of "
                                                           f"{', '.join(KINDS)}")])
    kind = KINDS[name]
    release = release or kind.default_release
    if kind.fixed_release and release != kind.default_release:
        raise SourceDataError([problem(name, None, "--release", f"{release!r}: the {name} importer reads the "
                                       f"{kind.default_release} edition, whose codes its IRIs name; expected "
                                       f"{kind.default_release}")])
    if not VERSION_RE.match(release):
        raise SourceDataError([problem(name, None, "--release", f"{release!r} is not a release; expected e.g. 1.2.0")])
    return kind, release


def classification_lines(kind_name: str, paths: list[Path], namespace: str, release: str | None = None
                         ) -> tuple[ClassificationKind, str, Concepts, list[ImportedFile], list[str]]:
    """The classification's graph as lines, with the files read and skipped; raises SourceDataError."""
    kind, release = _kind(kind_name, release)
    located = locate(kind, paths)
    iris = Iris(namespace)
    out = Concepts(iris.classification_graph(kind.name, release))
    read = kind.read(located, out, iris)
    files = [ImportedFile(name, sha256(located[name]), summary) for name, summary in read.files]
    source = add_release(out, iris, iris.release_source(kind.name, release), f"{kind.name}-{release}", release,
                         kind.publication, [SG.ClassificationRelease], files)
    for skipped in read.skipped:
        out.add((source, SG.skippedFile, Literal(skipped)))
    graph = iris.classification_graph(kind.name, release)
    out.add((graph, PROV.wasDerivedFrom, source))
    out.add((graph, DCTERMS.title, text(f"The {kind.publication.title} ({release})")))
    return kind, release, out, files, read.skipped


def import_classification(kind_name: str, paths: list[Path], namespace: str, home: Path | None = None, *,
                          target: Path | None = None, release: str | None = None) -> ClassificationImport:
    """Import one classification: writes target, or else <home>/imports/classification-<kind>-<release>.nq;
    with neither, keeps the N-Quads in the result. Raises SourceDataError, writing nothing."""
    started = time.perf_counter()
    kind, release, out, files, skipped = classification_lines(kind_name, paths, namespace, release)
    if target is None and home is not None:
        target = output_file(home, kind.name, release)
    payload = out.payload()
    if target is not None:
        write_atomically(target, payload)
    return ClassificationImport(kind, release, Iris(namespace).classification_graph(kind.name, release), target, files,
                                skipped, payload.count(b"\n"), time.perf_counter() - started,
                                payload if target is None else None)


__all__ = ["KINDS", "ClassificationImport", "classification_lines", "import_classification", "output_file"]
