"""Source anchors among an imported O*NET release: every statement of every framework ranked
against the release's task statements, Detailed Work Activities and technology examples of the
statement's occupation, written to <NS>graph/anchors/onet-<version>/machine-suggestion in
$SKILLSGRAPH_HOME/imports/anchors-onet-<version>.nq.

Computed when the release is imported, with its links (loader.onet.unit commits the three files
as one unit), for the same reason as the links: it reads the frameworks and the release's own
files, so data flows one way (data/ and the release folder -> imports/ -> the store) and the
build never reads an import. Its `.inputs` stamp names the framework files it read (their
digest); `serve` says when the frameworks changed since, and a re-import recomputes it.

Each kind is ranked on its own (a statement's best task, best DWAs and best technology
examples), by the build's ranker and thresholds (loader.anchors_rdf: TOP_K, MIN_SHARE, picked on
this very release's Tasks to DWAs links), so a kind with long texts never crowds out another.
The occupation's DWAs are those O*NET links to its tasks (Tasks to DWAs); the release graph does
not describe DWAs, so this graph labels each one it names. Every mapping is derived from both
the statement's release and the O*NET release, and its IRI is minted from codes
(Iris.onet_anchor): the statement, the kind and the Task ID, DWA ID or commodity and example.
Editors confirm or reject the page's own anchors only (loader.anchors_rdf); these stay the
machine's suggestions.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import URIRef

from skillsgraph.iris import Iris as TextIris

from ..anchor_candidates import statements
from ..anchors_rdf import MACHINE, RELATION, TOP_K, Ranked, statement_query, suggested
from ..errors import SourceDataError
from ..graphs import RDF, SG, SKOS
from ..iris import Iris, slug
from ..lexical_ranker import BM25, terms
from ..mappings_rdf import add_method, scored_mapping_lines
from ..nquads import QuadLines, en, iri, plain, write_atomically
from ..source_data import SourceData
from ..tables import problem
from .home_files import files_key, stamp_file
from .layouts import SUFFIX
from .reader import iter_rows, release_records
from .records import TaskStatement, Technology
from .release import Release

KINDS = ("task", "dwa", "technology")
DWA_FILES = {"links": ("Tasks to DWAs", ("O*NET-SOC Code", "Task ID", "DWA ID")),
             "titles": ("DWA Reference", ("DWA ID", "DWA Title"))}


@dataclass(frozen=True)
class OnetCandidate:
    kind: str     # task | dwa | technology
    key: str      # Task ID | DWA ID | <commodity code>/<slug of the example>
    target: str   # the IRI the anchor points to
    text: str     # what the ranker reads


@dataclass
class OccupationData:
    """The release's candidates of each occupation, by kind, in the release's row order (ties' order)."""
    by_code: dict[str, dict[str, list[OnetCandidate]]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(list)))
    dwa_titles: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


@dataclass
class AnchorResult:
    version: str
    graph: URIRef
    target: Path | None
    statements: int = 0
    anchors: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    notes: list[str] = field(default_factory=list)
    payload: bytes = b""


def read_occupation_data(release: Release, codes: set[str], text: TextIris) -> OccupationData:
    """Tasks, technology examples and DWAs of `codes`, read with the importer's checked reader
    (tasks, technology) or by header (the two DWA files, which the release graph leaves out)."""
    out = OccupationData()
    tasks: dict[tuple[str, str], None] = {}
    positions: dict[str, int] = defaultdict(int)
    for r in release_records(release, ("tasks", "technology")):
        if isinstance(r, Technology):
            positions[r.code] += 1   # the importer's place of the example among its occupation's rows
            if r.code in codes:
                _add_technology(out, text, release.version, r, positions[r.code])
        elif isinstance(r, TaskStatement) and r.code in codes:
            out.by_code[r.code]["task"].append(OnetCandidate("task", r.task_id, text.onet_task(r.task_id), r.task))
            tasks[(r.code, r.task_id)] = None
    _read_dwas(release, codes, tasks, text, out)
    return out


def _add_technology(out: OccupationData, text: TextIris, version: str, r: Technology, n: int) -> None:
    category = r.commodity_code or r.element_id or "none"
    key = f"{category}/{slug(r.example)}"
    known = out.by_code[r.code]["technology"]
    if all(c.key != key for c in known):   # the same example twice under one category is one anchor
        words = f"{r.example} {r.commodity_title or r.element_name or ''}"
        known.append(OnetCandidate("technology", key, text.technology(version, r.code, n), words))


def _read_dwas(release: Release, codes: set[str], tasks: dict, text: TextIris, out: OccupationData) -> None:
    rows = {}
    for role, (name, columns) in DWA_FILES.items():
        path = release.folder / f"{name}{SUFFIX[release.form]}"
        if not path.is_file():
            out.notes.append(f"no {path.name} in the release: no DWA anchors")
            return
        rows[role] = list(_table(path, release.form, columns))
    out.dwa_titles = {dwa: title for dwa, title in rows["titles"]}
    for code, task_id, dwa in rows["links"]:
        if code in codes and (code, task_id) in tasks and dwa in out.dwa_titles:
            known = out.by_code[code]["dwa"]
            if all(c.key != dwa for c in known):
                known.append(OnetCandidate("dwa", dwa, text.element(dwa), out.dwa_titles[dwa]))


def _table(path: Path, form: str, columns: tuple[str, ...]):
    """The named columns of each row of a file read by its header."""
    source = iter_rows(path, form)
    _, header = next(source, (1, []))
    missing = [c for c in columns if c not in header]
    if missing:
        raise SourceDataError([problem(path.name, 1, "", f"the header has no column {', '.join(map(repr, missing))}; "
                                                         f"it needs {', '.join(columns)} (it has {', '.join(header)})")])
    index = [header.index(c) for c in columns]
    for _, fields in source:
        if len(fields) >= len(header):
            yield tuple(fields[i].strip() for i in index)


def anchor_lines(data: SourceData, release: Release, iris: Iris, result: AnchorResult) -> QuadLines:
    """Every statement's best anchors of each kind among its occupation's release data."""
    text, version = TextIris(iris.ns), release.version
    source = str(iris.onet_source(version))
    codes = {fw.content.occupation.onet_soc for fw in data.frameworks}
    found = read_occupation_data(release, codes, text)
    result.notes += found.notes
    out = QuadLines(iris.onet_anchors_graph(version, MACHINE))
    add_method(out, iris, MACHINE)
    rankers: dict[tuple[str, str], BM25] = {}
    named: set[str] = set()
    for fw in sorted(data.frameworks, key=lambda f: (f.content.occupation.onet_soc, f.content.framework.release)):
        occ, release_text = fw.content.occupation.onet_soc, text.release(fw.content.occupation.onet_soc, fw.content.framework.release)
        kinds = found.by_code.get(occ, {})
        for at in statements(fw.content):
            result.statements += 1
            statement = text.statement(release_text, at.kind, at.level, at.position, at.domain)
            query = terms(statement_query(at))   # once for the three kinds' corpora
            for kind in KINDS:
                cands = kinds.get(kind, [])
                if not cands:
                    continue
                ranker = rankers.get((occ, kind)) or rankers.setdefault((occ, kind), BM25([c.text for c in cands]))
                ranked = [Ranked(cands[s.index], s, n) for n, s in enumerate(ranker.ranked(query, TOP_K), start=1)]
                for r in suggested(ranked):
                    c = r.candidate
                    scored_mapping_lines(out, text, f"anchors-onet-{version}", statement, RELATION, c.target, MACHINE,
                                         release_text, r.scored.text, r.rank,
                                         node=text.onet_anchor(version, statement, kind, c.key), also_from=source)
                    result.anchors[kind] += 1
                    if kind == "dwa":
                        named.add(c.key)
    for dwa in sorted(named):
        node = iri(text.element(dwa))
        out.t(node, _A, _ELEMENT)
        out.t(node, _NOTATION, plain(dwa))
        out.t(node, _PREF, en(found.dwa_titles[dwa]))
    return out


_A, _ELEMENT, _NOTATION, _PREF = iri(RDF.type), iri(SG.OnetElement), iri(SKOS.notation), iri(SKOS.prefLabel)


def frameworks_key(data: SourceData) -> str:
    """The digest of the framework files the anchors were computed from (the `.inputs` stamp)."""
    return files_key([fw.file for fw in data.frameworks])


def anchor_release(data: SourceData, release: Release, namespace: str, target: Path | None = None,
                   stamp: Path | None = None) -> AnchorResult:
    """Rank data's statements among the release's data; write target and its stamp when given
    (loader.onet.unit gives staged paths, committed with the release)."""
    iris = Iris(namespace)
    result = AnchorResult(release.version, iris.onet_anchors_graph(release.version, MACHINE), target)
    result.payload = anchor_lines(data, release, iris, result).payload()
    if target is not None:
        write_atomically(target, result.payload)
        write_atomically(stamp or stamp_file(target), frameworks_key(data).encode("utf-8"))
    return result

