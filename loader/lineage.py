"""Links between the releases of one framework: what each release keeps, rewords, replaces
and withdraws from the release before it.

Every release mints its own statement IRIs and never loses them. A later release says what
became of each statement of the release before it:

- a statement with the same key (kind, durable-skill domain, level and label) is the same
  statement: unchanged when its text and citations are too (the two are skos:exactMatch),
  reworded otherwise (the old one is deprecated and replaced by the new one);
- a statement may name predecessors in `replaces` (their paths under the previous release,
  e.g. 'competency/proficient/3'): each named one is deprecated and replaced by it;
- `framework.withdrawn` lists statements dropped with no successor, each with a note.

Every statement of the previous release must be accounted for in one of these ways, so a
silent drop is an error. The links are written into the later release's named graph, so an
earlier release's graph is identical whether or not later releases are present.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from itertools import pairwise

from rdflib import Graph, Literal, URIRef

from .errors import SourceDataError, SourceProblem
from .framework_rdf import framework_graph, framework_graph_name
from .graphs import DCAT, DCTERMS, OWL, PROV, SG, SKOS, XSD, new_graph, text
from .iris import Iris, statement_parts, statement_path
from .source_data import FrameworkSource, Registries, release_key
from .source_files import read_yaml
from .validation import Violation, validate_against_registries

SECTIONS = (("competencies", "competency"), ("ai_use", "ai-use"))


@dataclass(frozen=True)
class _Entry:
    path: str  # under its release, e.g. competency/proficient/3
    key: tuple  # what stays the same while a statement is reworded
    content: tuple  # what a rewording changes
    replaces: tuple[str, ...]
    yaml_path: tuple


@dataclass
class _Successor:
    entry: _Entry
    revision: bool  # the same statement reworded (same key), rather than a named successor
    unchanged: bool


def statement_entries(source: FrameworkSource) -> list[_Entry]:
    """Every statement of a release in file order, with its path and key."""
    fw = source.content.framework
    out = []
    for section, kind in SECTIONS:
        for level, statements in getattr(fw, section).items():
            out += [_entry(kind, None, level, n, st, ("framework", section, level, n - 1))
                    for n, st in enumerate(statements, start=1)]
    for domain, levels in fw.durable_skills.items():
        for level, statements in levels.items():
            out += [_entry("durable", domain, level, n, st, ("framework", "durable_skills", domain, level, n - 1))
                    for n, st in enumerate(statements, start=1)]
    return out


def _entry(kind: str, domain: str | None, level: str, n: int, st, yaml_path: tuple) -> _Entry:
    cites = tuple(getattr(st, "cites", ()))
    return _Entry(statement_path(kind, level, n, domain), (kind, domain, level, st.label), (st.label, st.text, cites),
                  tuple(st.replaces), yaml_path)


def names_predecessors(source: FrameworkSource) -> bool:
    """Whether a release replaces or withdraws statements of an earlier one."""
    return bool(source.content.framework.withdrawn) or any(e.replaces for e in statement_entries(source))


def lineage_graphs(frameworks: list[FrameworkSource], iris: Iris) -> dict[URIRef, Graph]:
    """{graph name of a later release: its links to the release before it}; raises
    SourceDataError when a later release leaves a statement unaccounted for or names one
    that does not exist."""
    by_code: dict[str, list[FrameworkSource]] = {}
    for fw in frameworks:
        by_code.setdefault(fw.content.occupation.onet_soc, []).append(fw)
    graphs: dict[URIRef, Graph] = {}
    problems: list[SourceProblem] = []
    for code in sorted(by_code):
        # YY.MM sorts as text in release order.
        releases = sorted(by_code[code], key=lambda fw: release_key(fw)[1])
        problems += _first_release_problems(releases[0])
        aliases: dict[URIRef, set[URIRef]] = {}
        for previous, later in pairwise(releases):
            graph, found = _link(previous, later, iris, aliases)
            graphs[framework_graph_name(iris, later.content)] = graph
            problems += found
    if problems:
        raise SourceDataError(problems)
    return graphs


def _first_release_problems(first: FrameworkSource) -> list[SourceProblem]:
    named = [e for e in statement_entries(first) if e.replaces]
    wanted = [(e.yaml_path + ("replaces",)) for e in named]
    if first.content.framework.withdrawn:
        wanted.append(("framework", "withdrawn"))
    if not wanted:
        return []
    doc = read_yaml(first.file)
    code, version = release_key(first)
    return [doc.problem(path, f"release {version} is the earliest release of {code} in this data folder, so there is "
                              "nothing for it to replace or withdraw; add the earlier release's file, or remove this")
            for path in wanted]


def _link(previous: FrameworkSource, later: FrameworkSource, iris: Iris,
          aliases: dict[URIRef, set[URIRef]]) -> tuple[Graph, list[SourceProblem]]:
    code, old_version = release_key(previous)
    new_version = release_key(later)[1]
    old_rel, new_rel = iris.release(code, old_version), iris.release(code, new_version)
    old_entries = {e.path: e for e in statement_entries(previous)}
    old_by_key = {e.key: e for e in old_entries.values()}
    new_entries = statement_entries(later)
    problems: list[SourceProblem] = []
    doc = None

    def problem(path: tuple, message: str) -> None:
        nonlocal doc
        doc = doc or read_yaml(later.file)
        problems.append(doc.problem(path, message))

    successors: dict[str, list[_Successor]] = {}
    for entry in new_entries:
        for j, named in enumerate(entry.replaces):
            if named in old_entries:
                successors.setdefault(named, []).append(_Successor(entry, False, False))
            else:
                problem(entry.yaml_path + ("replaces", j), _unknown_path(named, old_version, old_entries))
        same = old_by_key.get(entry.key)
        if same is not None and same.path not in entry.replaces:
            successors.setdefault(same.path, []).append(_Successor(entry, True, same.content == entry.content))
    withdrawn: dict[str, str] = {}
    for i, w in enumerate(later.content.framework.withdrawn):
        where = ("framework", "withdrawn", i, "statement")
        if w.statement not in old_entries:
            problem(where, _unknown_path(w.statement, old_version, old_entries))
        elif w.statement in successors:
            kept = ", ".join(s.entry.path for s in successors[w.statement])
            problem(where, f"{w.statement} of release {old_version} has a successor in {new_version} ({kept}); "
                           "a withdrawn statement has none: remove it from framework.withdrawn or from that `replaces`")
        elif w.statement in withdrawn:
            problem(where, f"{w.statement} is listed twice; list each withdrawn statement once")
        else:
            withdrawn[w.statement] = w.note
    for path, entry in old_entries.items():
        if path not in successors and path not in withdrawn:
            problem(("framework",), f"statement {path} of release {old_version} ({entry.key[3]!r}) is not in release "
                                    f"{new_version} (no statement with its label at its level): name it in the `replaces` "
                                    "of its successor, or list it under framework.withdrawn with a note")
    g = new_graph()
    _release_links(g, old_rel, new_rel)
    old_iri = {path: iris.statement(old_rel, *statement_parts(path)) for path in old_entries}
    new_iri = {e.path: iris.statement(new_rel, *statement_parts(e.path)) for e in new_entries}
    carried: dict[URIRef, set[URIRef]] = {}
    for path, found in sorted(successors.items()):
        old = old_iri[path]
        earlier = {old} | aliases.get(old, set())
        if len(found) == 1 and found[0].unchanged:
            target = new_iri[found[0].entry.path]
            g.add((old, SKOS.exactMatch, target))
            g.add((target, SKOS.exactMatch, old))
            carried[target] = earlier
            continue
        for gone in sorted(earlier):
            _deprecate(g, gone, new_rel)
            for s in found:
                successor = new_iri[s.entry.path]
                g.add((gone, DCTERMS.isReplacedBy, successor))
                g.add((successor, DCTERMS.replaces, gone))
                if s.revision and gone == old:
                    g.add((successor, PROV.wasRevisionOf, old))
    for path, note in sorted(withdrawn.items()):
        for gone in sorted({old_iri[path]} | aliases.get(old_iri[path], set())):
            _deprecate(g, gone, new_rel)
            g.add((gone, SKOS.changeNote, text(f"Withdrawn in release {new_version}: {note}")))
    aliases.clear()
    aliases.update(carried)
    return g, problems


def _release_links(g: Graph, old_rel: URIRef, new_rel: URIRef) -> None:
    g.add((new_rel, PROV.wasRevisionOf, old_rel))
    g.add((new_rel, DCAT.previousVersion, old_rel))  # DCAT 3's version chain
    g.add((new_rel, DCTERMS.replaces, old_rel))
    g.add((old_rel, DCTERMS.isReplacedBy, new_rel))


def _deprecate(g: Graph, statement: URIRef, by_release: URIRef) -> None:
    g.add((statement, OWL.deprecated, Literal(True, datatype=XSD.boolean)))
    g.add((statement, SG.deprecatedIn, by_release))


def _unknown_path(path: str, version: str, known: dict[str, _Entry]) -> str:
    close = difflib.get_close_matches(path, list(known), n=1)
    hint = f"; did you mean {close[0]!r} ({known[close[0]].key[3]!r})?" if close else ""
    return (f"release {version} has no statement {path!r} (name a statement by its IRI path under the previous "
            f"release, e.g. 'competency/proficient/3'){hint}")


def validate_lineage(frameworks: list[FrameworkSource], links: dict[URIRef, Graph], registries: Registries,
                     registry_graph: Graph, iris: Iris) -> list[Violation]:
    """SHACL over each later release's links together with every release they join (a
    deprecated statement and its successor live in different releases' graphs)."""
    by_name = {framework_graph_name(iris, fw.content): fw for fw in frameworks}
    out: list[Violation] = []
    for name, graph in sorted(links.items()):
        code, version = release_key(by_name[name])
        data = new_graph() + graph
        for fw in frameworks:
            if fw.content.occupation.onet_soc == code and release_key(fw)[1] <= version:
                data += framework_graph(fw.content, registries, iris)
        out += validate_against_registries(data, registry_graph, str(name))
    return out


__all__ = ["lineage_graphs", "names_predecessors", "statement_entries", "validate_lineage"]
