"""Source anchors: each statement of a release grounded in its occupation's tasks and descriptors,
as mapping facts (loader.mappings_rdf) in a named graph per release and method.

The machine's anchors (method machine-suggestion) are the best few of the occupation's anchors
(loader.anchor_candidates) for each statement by the lexical ranker (loader.lexical_ranker): at
most TOP_K, each scoring at least MIN_SHARE of the statement's best, each with its score and its
rank among all the candidates. TOP_K and MIN_SHARE were picked from the evaluation in
benchmarks/anchors.py (benchmarks/README.md, "Source anchors"). An editor's `anchors:` under the
statement decides over the machine: a confirmed anchor becomes an editorial mapping with its
justification (and leaves the machine's graph), a rejected one is not stated at all.

The two graphs never mix, so a reader that wants only what people stand behind reads the
editorial graph (or leaves out the machine-suggestion method, as /crosswalk does by default).
A mapping's IRI is the same whichever method states it: confirming an anchor keeps its IRI.
"""
from __future__ import annotations

from dataclasses import dataclass

from skillsgraph.iris import Iris as TextIris

from .anchor_candidates import Candidate, StatementAt, candidates, statements
from .graphs import NamedGraph, new_graph
from .iris import Iris
from .lexical_ranker import BM25, Scored
from .mappings_rdf import add_mapping, add_method, scored_mapping_lines
from .nquads import QuadLines
from .schema import FrameworkFile

TOP_K = 2
MIN_SHARE = 0.5
ANCHORS_DATASET = "anchors"
RELATION = "relatedMatch"   # a statement is grounded in a task or descriptor, not the same thing
MACHINE, EDITORIAL = "machine-suggestion", "editorial"


@dataclass(frozen=True)
class Ranked:
    candidate: Candidate
    scored: Scored
    rank: int   # among all the occupation's candidates with a score, from 1

    @property
    def score(self) -> float:
        return self.scored.score


def statement_query(at: StatementAt) -> str:
    """What the ranker reads of a statement: its label and text, and its durable-skill domain's name."""
    domain = at.domain.replace("-", " ") if at.domain else ""
    return f"{at.statement.label} {at.statement.text} {domain}"


def ranked_candidates(content: FrameworkFile, limit: int | None = None) -> list[tuple[StatementAt, list[Ranked]]]:
    """Every statement with every candidate that shares a word with it (the best `limit`), best first."""
    cands = candidates(content.occupation)
    ranker = BM25([c.text for c in cands])
    out = []
    for at in statements(content):
        scored = ranker.ranked(statement_query(at), limit)
        out.append((at, [Ranked(cands[s.index], s, n) for n, s in enumerate(scored, start=1)]))
    return out


def suggested(ranked: list[Ranked], top_k: int = TOP_K, min_share: float = MIN_SHARE) -> list[Ranked]:
    """The machine's anchors of one statement: the best top_k scoring at least min_share of the best."""
    if not ranked:
        return []
    floor = ranked[0].score * min_share
    return [r for r in ranked[:top_k] if r.score >= floor]


@dataclass
class AnchorGraphs:
    """A release's anchors: the machine's as canonical lines (thousands of mappings, written
    straight to N-Quads), the editors' as a graph, validated with the release's own."""
    machine: QuadLines
    editorial: NamedGraph | None


def anchor_graphs(content: FrameworkFile, iris: Iris) -> AnchorGraphs:
    """The release's machine graph, and its editorial graph when an editor decided anything."""
    occ, fw = content.occupation, content.framework
    release = iris.release(occ.onet_soc, fw.release)
    machine, editorial = QuadLines(iris.anchors_graph(occ.onet_soc, fw.release, MACHINE)), new_graph()
    add_method(machine, iris, MACHINE)
    text = TextIris(iris.ns)  # the machine's thousands of IRIs as plain text, not validated rdflib terms
    release_text = str(release)
    by_code = {c.code: c for c in candidates(occ)}
    for at, ranked in ranked_candidates(content, TOP_K):
        statement = text.statement(release_text, at.kind, at.level, at.position, at.domain)
        decisions = at.statement.anchors
        confirmed = decisions.confirm if decisions else {}
        dropped = set(confirmed) | set(decisions.reject if decisions else ())
        for r in suggested(ranked):
            if r.candidate.code not in dropped:
                scored_mapping_lines(machine, text, ANCHORS_DATASET, statement, RELATION, r.candidate.iri(text, occ.onet_soc),
                                     MACHINE, release_text, r.scored.text, r.rank)
        for code, justification in confirmed.items():
            add_mapping(editorial, iris, ANCHORS_DATASET, iris.statement(release, at.kind, at.level, at.position, at.domain),
                        RELATION, by_code[code].iri(iris, occ.onet_soc), EDITORIAL, derived_from=release,
                        justification=" ".join(justification.split()))
    named = NamedGraph(iris.anchors_graph(occ.onet_soc, fw.release, EDITORIAL), editorial) if len(editorial) else None
    return AnchorGraphs(machine, named)
