"""The read model of source anchors (loader.anchors_rdf): a statement's anchors, and the statements
an O*NET task or descriptor grounds. Read by the statement's and the anchor's pages, /trace and
the profiles, each from one fixed query.

An anchor's code (`task/5`, `skill/writing`) is the one an editor writes under the statement to
confirm or reject it, so pages show it. An anchor among an imported O*NET release's data has the
release it came from (`data`) and a code naming that release (`onet-27.0/task/19147`).
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from skillsgraph.iris import anchor_code, onet_anchor_code, onet_anchor_source
from skillsgraph.vocab import SKOS

from ..store_access import Reader, iri, value

EDITORIAL, MACHINE = "editorial", "machine-suggestion"
RELATED_MATCH = SKOS.relatedMatch


@dataclass(frozen=True)
class Anchor:
    mapping: str
    target: str
    code: str
    name: str
    method: str            # editorial | machine-suggestion
    method_iri: str
    method_label: str
    score: Decimal | None  # a machine's suggestion's
    rank: int | None
    justification: str | None  # an editor's
    data: str | None = None        # the O*NET release it was computed from, when among that release's data
    data_label: str | None = None

    @property
    def confirmed(self) -> bool:
        return self.method == EDITORIAL

    def as_json(self) -> dict:
        """The anchor in the JSON of /trace (terms of the JSON-LD context)."""
        out = {"id": self.mapping, "type": "Mapping", "relation": RELATED_MATCH,
               "annotatedTarget": {"id": self.target, "notation": self.code, "prefLabel": self.name},
               "mappingMethod": self.method_iri}
        if self.score is not None:
            out["similarityScore"] = str(self.score)
        if self.rank is not None:
            out["suggestionRank"] = self.rank
        if self.justification:
            out["justification"] = self.justification
        if self.data:
            out["wasDerivedFrom"] = {"id": self.data, "label": self.data_label}
        return out


@dataclass(frozen=True)
class Grounded:
    """A statement an anchor grounds."""
    statement: str
    label: str
    release: str
    release_label: str
    method: str
    method_label: str
    score: Decimal | None
    rank: int | None
    data: str | None = None        # as Anchor's
    data_label: str | None = None


def read_anchors(reader: Reader, statement: str, release: str) -> list[Anchor]:
    """One statement's anchors: the editors' first, then the machine's by rank."""
    return read_release_anchors(reader, release).get(statement, [])


def read_release_anchors(reader: Reader, release: str) -> dict[str, list[Anchor]]:
    """Every statement's anchors in a release, by statement IRI, each list in read_anchors' order
    (kept while served: every statement's page reads its release's)."""
    if reader.recent is None:
        return _read_release_anchors(reader, release)
    return reader.recent.kept(("anchors", release), lambda: _read_release_anchors(reader, release))


def _read_release_anchors(reader: Reader, release: str) -> dict[str, list[Anchor]]:
    out: dict[str, list[Anchor]] = {}
    for r in reader.select("release-anchors", release=iri(release)):
        out.setdefault(r["statement"].value, []).append(_anchor(r))
    # The page's own anchors before those among imported releases' data, each part in the query's order.
    return {s: sorted(anchors, key=lambda a: (not a.confirmed, a.data or "")) for s, anchors in out.items()}


def _anchor(r: dict) -> Anchor:
    """One row of release-anchors.rq."""
    target, mapping = r["target"].value, r["mapping"].value
    code = onet_anchor_code(mapping) or anchor_code(target) or target
    return Anchor(mapping, target, code, value(r.get("targetName")) or target,
                  r["method"].value, r["m"].value, r["methodLabel"].value, _decimal(r.get("score")),
                  _integer(r.get("rank")), value(r.get("justification")), *_data(mapping))


def _data(mapping: str) -> tuple[str | None, str | None]:
    """The O*NET release an anchor among its data came from, and how pages name it."""
    source = onet_anchor_source(mapping)
    return (source[0], f"O*NET {source[1]}") if source else (None, None)


def read_grounded(reader: Reader, target: str) -> list[Grounded]:
    """The statements a task or descriptor grounds, by release (at most the query's 500)."""
    return [Grounded(r["statement"].value, r["label"].value, r["release"].value, r["releaseLabel"].value,
                     r["method"].value, r["methodLabel"].value, _decimal(r.get("score")), _integer(r.get("rank")),
                     *_data(r["mapping"].value))
            for r in reader.select("anchor-statements", target=iri(target))]


def _decimal(term) -> Decimal | None:
    return None if term is None else Decimal(term.value)


def _integer(term) -> int | None:
    return None if term is None else int(term.value)


__all__ = ["Anchor", "Grounded", "read_anchors", "read_grounded", "read_release_anchors", "EDITORIAL", "MACHINE"]
