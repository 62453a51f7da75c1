"""Link the frameworks' tasks and related titles to an imported O*NET release.

A framework page quotes O*NET: its tasks are O*NET task statements and its related titles
O*NET alternate titles, but without their Task IDs or title rows. ``link_release`` reads the
framework files (loader.source_data) and the release's Task Statements and Alternate Titles
(loader.onet.reader, the importer's own checked reader), matches each framework task and
title against the rows of the same occupation by normalised text, and writes the matches to
the graph <NS>graph/links/onet-<version>, in $SKILLSGRAPH_HOME/imports/links-onet-<version>.nq
beside the release (so `skillsgraph serve` serves it with the release).

Method: an exact match of the whole text (after Unicode, case, whitespace, quote and final
full stop normalisation) is O*NET's published identity for that very statement, not a
guess, so it is recorded as method published-crosswalk, relation skos:exactMatch,
confidence 1.0, derived from the release. Anything short of exact is not linked here:
near matches belong to machine suggestions, in a graph of their own.

Descriptors need no matching: the build maps each descriptor with an element ID to
onet/element/<id> itself (loader.mappings_rdf.add_element_identity).
"""
from __future__ import annotations

import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from rdflib import Literal, URIRef

from ..graphs import XSD, NamedGraph, new_graph
from ..iris import Iris
from ..mappings_rdf import add_mapping
from ..nquads import write_graphs
from ..source_data import read_source_data
from .reader import release_records
from .records import AlternateTitle, TaskStatement
from .home_files import links_file
from .release import Release, detect_release

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"})


def normalise(text: str) -> str:
    """The form texts are compared in: typographic differences only, never wording."""
    folded = " ".join(unicodedata.normalize("NFKC", text).translate(_QUOTES).split()).casefold()
    return folded.rstrip(". ")


@dataclass(frozen=True)
class FrameworkTexts:
    code: str
    tasks: tuple[str, ...]
    titles: tuple[str, ...]


@dataclass
class ReleaseTexts:
    """The release's task and alternate-title rows of the wanted occupations."""
    tasks: dict[str, list[tuple[str, str]]] = field(default_factory=lambda: defaultdict(list))    # code -> (Task ID, text)
    titles: dict[str, list[tuple[int, str]]] = field(default_factory=lambda: defaultdict(list))   # code -> (position, title)


@dataclass
class LinkResult:
    version: str
    graph: URIRef
    target: Path | None
    tasks_linked: int = 0
    tasks_total: int = 0
    titles_linked: int = 0
    titles_total: int = 0
    unmatched: list[str] = field(default_factory=list)   # "29-1129.01 related title 8 'Clinical Therapist'"
    payload: bytes = b""


def framework_texts(data_dir: Path) -> list[FrameworkTexts]:
    """Tasks and related titles of every framework file, in page order (positions from 1)."""
    data = read_source_data(data_dir)
    seen: dict[str, FrameworkTexts] = {}
    for fw in data.frameworks:
        o = fw.content.occupation
        # Releases of one framework share the occupation's task and title IRIs; the latest file wins.
        seen[o.onet_soc] = FrameworkTexts(o.onet_soc, tuple(o.tasks), tuple(o.related_titles))
    return [seen[code] for code in sorted(seen)]


def read_release_texts(release: Release, codes: set[str]) -> ReleaseTexts:
    """Task and alternate-title rows of `codes`; titles keep the importer's positions (their
    place among the occupation's rows), so the matched IRIs are the imported nodes."""
    out = ReleaseTexts()
    positions: dict[str, int] = defaultdict(int)
    for record in release_records(release, ("tasks", "alternate_titles")):
        if isinstance(record, AlternateTitle):
            positions[record.code] += 1
            if record.code in codes:
                out.titles[record.code].append((positions[record.code], record.title))
        elif isinstance(record, TaskStatement) and record.code in codes:
            out.tasks[record.code].append((record.task_id, record.task))
    return out


def _index(rows: list[tuple]) -> dict[str, list]:
    by_text: dict[str, list] = defaultdict(list)
    for key, value in rows:
        by_text[normalise(value)].append(key)
    return by_text


def links_graph(frameworks: list[FrameworkTexts], texts: ReleaseTexts, iris: Iris, release: Release,
                result: LinkResult) -> NamedGraph:
    g = new_graph()
    version = release.version
    source = iris.onet_source(version)
    date = Literal(release.issued, datatype=XSD.gYearMonth) if release.issued else None
    dataset = f"onet-{version}"

    def link(subject: URIRef, obj: URIRef) -> None:
        add_mapping(g, iris, dataset, subject, "exactMatch", obj, "published-crosswalk",
                    date=date, confidence=Decimal("1"), derived_from=source)

    for fw in frameworks:
        tasks, titles = _index(texts.tasks.get(fw.code, [])), _index(texts.titles.get(fw.code, []))
        for n, task in enumerate(fw.tasks, start=1):
            ids = tasks.get(normalise(task), [])
            for task_id in ids:
                link(iris.task(fw.code, n), iris.onet_task(task_id))
            result.tasks_total += 1
            result.tasks_linked += bool(ids)
            if not ids:
                result.unmatched.append(f"{fw.code} task {n} {task!r}")
        for n, title in enumerate(fw.titles, start=1):
            found = titles.get(normalise(title), [])
            for position in found:
                link(iris.related_title(fw.code, n), iris.alternate_title(version, fw.code, position))
            result.titles_total += 1
            result.titles_linked += bool(found)
            if not found:
                result.unmatched.append(f"{fw.code} related title {n} {title!r}")
    return NamedGraph(iris.onet_links_graph(version), g)


def link_release(folder: Path, data_dir: Path, namespace: str, home: Path | None = None, *,
                 target: Path | None = None, release: str | None = None) -> LinkResult:
    """Match data_dir's frameworks against the release in folder; write <home>/imports/links-onet-<version>.nq
    (or target). Raises SourceDataError, writing nothing, on a problem in the data or the release."""
    rel = detect_release(folder, release)
    if target is None and home is not None:
        target = links_file(home, rel.version)
    iris = Iris(namespace)
    frameworks = framework_texts(data_dir)
    texts = read_release_texts(rel, {fw.code for fw in frameworks})
    result = LinkResult(rel.version, iris.onet_links_graph(rel.version), target)
    result.payload = write_graphs([links_graph(frameworks, texts, iris, rel, result)], target)
    return result
