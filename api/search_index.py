"""The full-text search index: SQLite FTS5 (Python's own sqlite3), in memory, built once per store.

Every text of every resource (api.search_entries) is one row of an FTS5 table in its normal
form (api.search_text); codes sit in a plain table looked up by prefix; how a query's words
are read (prefixes, typos, a letter alone) is api.search_reading's. A text scores its weight
(its field's, times BM25's length factor for a word found once: fixed at build) times the
query's IDF, plus a bonus when it is the query itself, starts with it or holds its words
whole; a resource ranks by its best text, an occupation with a framework above one without.

Nothing scores every match. Texts are stored in bands (one facet group, one boost), each in
descending weight, so ranking (api.search_ranking) reads each band's texts that earn each
bonus best first and stops once no unread text can rank: a broad word reads a few dozen
texts of its streams, and a filter only picks bands. Facets and totals count resources: for
a query of one word (or of words any of which will do) in a second FTS5 table with one row
per resource, whose ids run by facet group, so counting needs no join; a query of several
words counts the distinct resources of the texts holding them all. A query matching more
than MAX_MATCHES (texts of several words, results of one) is refused (TooBroad) before its
groups are counted or it is ranked. Over the catalogue (154,565 resources, 404,282 texts,
load 4 to 6): "management" 174 -> 2.6 ms, "therapist" 302 -> 8.5 ms (it reads 34 of its
14,880 texts), and "co" (133,402 texts), once refused, 13 ms, most of it counting its 106,063
results; benchmarks/README.md has the table. The index is built in 10-17 s at that size.
"""
from __future__ import annotations

import sqlite3
import threading
import time
from dataclasses import dataclass, field
from itertools import groupby

from . import search_reading
from .search_entries import FIELD_WEIGHTS, Resource
from .search_ranking import Stream, best
from .search_text import is_code, normal, words

FACETS = ("kind", "scheme", "level")
# Rank boosts: an occupation with a framework first, O*NET-SOC's own before other schemes'.
FRAMEWORK_BOOST, ONET_BOOST = 6.0, 1.0
EXACT, STARTS, WHOLE = 20.0, 8.0, 4.0
BM25_K1, BM25_B = 1.2, 0.75  # FTS5's own
MAX_MATCHES = 200_000  # texts a query of several words (results, for one word) may match and be counted
# A resource's id holds its facet group above GROUP_SHIFT; a text's rowid holds its band above BAND_SHIFT.
GROUP_SHIFT, BAND_SHIFT = 20, 32

SCHEMA = """
CREATE TABLE resource(id INTEGER PRIMARY KEY, iri TEXT, kind TEXT, scheme TEXT, label TEXT, code TEXT, level TEXT,
                      level_iri TEXT, framework TEXT, framework_label TEXT);
CREATE TABLE entry(id INTEGER PRIMARY KEY, resource INTEGER, weight REAL, text TEXT, norm TEXT);
CREATE VIRTUAL TABLE entry_fts USING fts5(norm, content='entry', content_rowid='id', tokenize='unicode61 remove_diacritics 2', prefix='2 3');
CREATE VIRTUAL TABLE resource_fts USING fts5(norm, content='', detail='none', tokenize='unicode61 remove_diacritics 2', prefix='2 3');
CREATE TABLE code(code TEXT, resource INTEGER);
CREATE VIRTUAL TABLE entry_vocab USING fts5vocab('entry_fts', 'row');
CREATE TABLE term(id INTEGER PRIMARY KEY, term TEXT UNIQUE, docs INTEGER);
CREATE VIRTUAL TABLE term_tri USING fts5(term, content='term', content_rowid='id', tokenize='trigram');
"""
FILL = """
INSERT INTO entry_fts(entry_fts) VALUES ('rebuild');
CREATE INDEX code_prefix ON code(code);
CREATE INDEX entry_norm ON entry(norm);
INSERT INTO term(term, docs) SELECT term, doc FROM entry_vocab ORDER BY term;
INSERT INTO term_tri(term_tri) VALUES ('rebuild');
"""
RESOURCE_COLUMNS = "r.iri, r.kind, r.scheme, r.label, r.code, r.level, r.level_iri, r.framework, r.framework_label"
FILTERS = "(:kind IS NULL OR r.kind = :kind) AND (:scheme IS NULL OR r.scheme = :scheme) AND (:level IS NULL OR r.level = :level)"
BAND_ROWS = ("SELECT e.resource, e.weight, e.text FROM entry_fts CROSS JOIN entry e ON e.id = entry_fts.rowid"
             " WHERE entry_fts MATCH :match AND entry_fts.rowid BETWEEN :low AND :high ORDER BY entry_fts.rowid")
STARTING_ROWS = "SELECT id, resource, weight, text, norm FROM entry WHERE norm >= :q AND norm < :upper ORDER BY norm, id LIMIT :few"
FEW_STARTING = 500  # texts that start with the query, scored one by one rather than streamed from FTS5
# The groups of a query of one word (or of words any of which will do) are counted per resource;
# a query of several words has to find texts holding them all, then count their resources.
RESOURCE_COUNT = "SELECT COUNT(*) FROM resource_fts WHERE resource_fts MATCH :match"
RESOURCE_GROUPS = "SELECT rowid >> :shift, COUNT(*) FROM resource_fts WHERE resource_fts MATCH :match GROUP BY 1"
GROUP_COUNT = "SELECT COUNT(*) FROM resource_fts WHERE resource_fts MATCH :match AND rowid BETWEEN :low AND :high"
SORTED_GROUPS = 30_000  # up to this many results, grouped by one sort; past it, counted group by group
TEXT_GROUPS = ("SELECT rid >> :shift, COUNT(*) FROM (SELECT DISTINCT e.resource AS rid FROM entry_fts"
               " CROSS JOIN entry e ON e.id = entry_fts.rowid WHERE entry_fts MATCH :match) GROUP BY 1")
TEXT_COUNT = "SELECT COUNT(*) FROM entry_fts WHERE entry_fts MATCH :match"
HIT = "SELECT " + RESOURCE_COLUMNS + " FROM resource r WHERE r.id = ?"
CODE_MATCH = "FROM code c JOIN resource r ON r.id = c.resource WHERE c.code >= :q AND c.code < :upper"
CODE_HITS = ("SELECT " + RESOURCE_COLUMNS + ", MIN(c.code) AS text, MAX(CASE WHEN c.code = :q THEN 1 ELSE 0 END) AS exact "
             + CODE_MATCH + " AND " + FILTERS + " GROUP BY r.id ORDER BY exact DESC, text, r.iri LIMIT :limit OFFSET :offset")
CODE_GROUPS = ("SELECT r.kind, r.scheme, r.level, COUNT(DISTINCT r.id) " + CODE_MATCH + " GROUP BY r.kind, r.scheme, r.level")
LAST_CHARACTER = search_reading.LAST_CHARACTER


class TooBroad(ValueError):
    """A query matching more texts than a search counts; the message says how many."""

    def __init__(self, query: str, matches: int, what: str = "texts"):
        super().__init__(f"q={query!r} matches {matches:,} {what}, more than the {MAX_MATCHES:,} a search ranks: "
                         "add a word, or more letters")
        self.matches = matches


@dataclass
class Hit:
    iri: str
    kind: str
    scheme: str
    label: str
    code: str | None
    level: str | None
    level_iri: str | None
    framework: str | None
    framework_label: str | None
    matched: str  # the text (or code) it was found by


@dataclass
class Results:
    query: str
    total: int
    hits: list[Hit]
    facets: dict[str, dict[str, int]]  # facet -> value -> how many results have it
    corrected: str | None = None  # the query as it was read, when a word was taken for a typo
    filters: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class _Band:
    """The texts of one facet group's resources with one boost: rowids low..high, best first."""
    low: int
    high: int
    group: tuple[str, str, str | None]  # (kind, scheme, level)
    boost: float
    top_weight: float


class SearchIndex:
    def __init__(self, resources: list[Resource]):
        started = time.perf_counter()
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        self._lock = threading.Lock()
        self._db.executescript(SCHEMA)
        self._groups: list[tuple] = []
        self._bands: list[_Band] = []
        self._load(resources)
        self._db.executescript(FILL)
        self.resources = len(resources)
        self.texts = self._db.execute("SELECT COUNT(*) FROM entry").fetchone()[0]
        self.build_seconds = time.perf_counter() - started

    def _load(self, resources: list[Resource]) -> None:
        """Resources numbered by facet group, texts by band and, within one, by weight: the order
        ranking reads them in. Every sort ends on a unique key, so a build is repeatable."""
        self._groups = sorted({(r.kind, r.scheme, r.level) for r in resources}, key=lambda g: tuple((v is not None, v or "") for v in g))
        group_of = {g: i for i, g in enumerate(self._groups)}
        by_group = sorted(resources, key=lambda r: (group_of[(r.kind, r.scheme, r.level)], r.iri))
        rows, texts, codes, documents = [], [], [], []
        for g, members in groupby(by_group, key=lambda r: group_of[(r.kind, r.scheme, r.level)]):
            for n, r in enumerate(members, start=1):
                rid = (g << GROUP_SHIFT) | n
                rows.append((rid, r.iri, r.kind, r.scheme, r.label or r.code or r.iri, r.code, r.level, r.level_iri,
                             r.framework, r.framework_label))
                norms = {text: normal(text) for text in r.texts}
                boost = _boost(r)
                texts.extend((-boost, g, FIELD_WEIGHTS[kind], len(norms[text].split()), rid, text, norms[text])
                             for text, kind in r.texts.items())
                codes.extend((c, rid) for c in sorted(r.codes))
                documents.append((rid, " ".join(norms[t] for t in sorted(r.texts))))
        self._db.executemany("INSERT INTO resource VALUES (?,?,?,?,?,?,?,?,?,?)", rows)
        self._db.executemany("INSERT INTO code VALUES (?,?)", codes)
        self._db.executemany("INSERT INTO resource_fts(rowid, norm) VALUES (?,?)", documents)
        self._db.executemany("INSERT INTO entry VALUES (?,?,?,?,?)", self._banded(texts))

    def _banded(self, texts: list[tuple]) -> list[tuple]:
        lengths = sum(t[3] for t in texts) / max(1, len(texts))
        weighed = sorted((boost, g, -weight * _length_factor(size, lengths), rid, text, norm)
                         for boost, g, weight, size, rid, text, norm in texts)
        entries = []
        for band, ((boost, g), members) in enumerate(groupby(weighed, key=lambda t: t[:2]), start=1):
            members = list(members)
            low = band << BAND_SHIFT
            self._bands.append(_Band(low, low + len(members) - 1, self._groups[g], -boost, -members[0][2]))
            entries.extend((low + n, rid, -weight, text, norm) for n, (_, _, weight, rid, text, norm) in enumerate(members))
        return entries

    def search(self, query: str, offset: int = 0, limit: int = 20, **filters: str | None) -> Results:
        """The results of a query, best first, with the facets of every result it matches."""
        chosen = {name: filters.get(name) for name in FACETS}
        with self._lock:
            found = self._codes(query.strip(), chosen, offset, limit) if is_code(query) else None
            return found or self._text(query, chosen, offset, limit)

    def _codes(self, query: str, chosen: dict, offset: int, limit: int) -> Results | None:
        """Resources with a code that starts with the query, the code itself first; None when no code does."""
        bound = {"q": query, "upper": query + LAST_CHARACTER}
        groups = self._db.execute(CODE_GROUPS, bound).fetchall()
        if not groups:
            return None
        rows = self._db.execute(CODE_HITS, {**bound, **chosen, "limit": limit, "offset": offset}).fetchall()
        return _results(query, groups, chosen, [Hit(*row[:10]) for row in rows])

    def _text(self, query: str, chosen: dict, offset: int, limit: int) -> Results:
        reading = search_reading.read(self._db, words(query), self.texts)
        if reading is None:
            return Results(query, 0, [], {name: {} for name in FACETS}, filters={k: v for k, v in chosen.items() if v})
        match, every_word = reading.match, len(reading.words) > 1
        groups = self._count(query, match, every_word)
        if not groups and every_word:
            match, every_word = reading.any_word, False
            groups = self._count(query, match, False)
        found = {tuple(g[:3]) for g in groups}
        hits = self._rank(reading, match, every_word, found, chosen, offset + limit)[offset:] if groups else []
        results = _results(query, groups, chosen, hits)
        results.corrected = reading.normal if reading.corrected else None
        return results

    def _count(self, query: str, match: str, every_word: bool) -> list[tuple]:
        """The (kind, scheme, level, resources) groups of every match."""
        if every_word:
            matches = self._db.execute(TEXT_COUNT, {"match": match}).fetchone()[0]
            if matches > MAX_MATCHES:
                raise TooBroad(query, matches)
            counted = self._db.execute(TEXT_GROUPS, {"match": match, "shift": GROUP_SHIFT}).fetchall() if matches else []
        else:
            counted = self._resource_groups(query, match)
        return [(*self._groups[g], n) for g, n in counted if n]

    def _resource_groups(self, query: str, match: str) -> list[tuple[int, int]]:
        # Sorting many results by group costs more than counting each group's range of ids.
        total = self._db.execute(RESOURCE_COUNT, {"match": match}).fetchone()[0]
        if total > MAX_MATCHES:
            raise TooBroad(query, total, "results")
        if total <= SORTED_GROUPS:
            return self._db.execute(RESOURCE_GROUPS, {"match": match, "shift": GROUP_SHIFT}).fetchall()
        return [(g, self._db.execute(GROUP_COUNT, {"match": match, "low": g << GROUP_SHIFT,
                                                   "high": ((g + 1) << GROUP_SHIFT) - 1}).fetchone()[0])
                for g in range(len(self._groups))]

    def _rank(self, reading: search_reading.Reading, match: str, every_word: bool, groups: set[tuple],
              chosen: dict, wanted: int) -> list[Hit]:
        """The first `wanted` results, best first (ties by label, then IRI)."""
        bands = [b for b in self._bands if b.group in groups
                 and all(v is None or v == b.group[i] for i, v in enumerate(chosen.values()))]
        starting = self._starting(reading, every_word, bands)
        kinds = [(match, 0.0), (f"({match}) AND ({reading.whole})", WHOLE)]
        if starting is None:  # too many to score one by one: streamed like the rest
            starting = []
            kinds += [(f"({match}) AND {reading.starts}", STARTS),
                      (f"({match}) AND ({reading.whole}) AND {reading.starts}", STARTS + WHOLE)]
        streams = [Stream(b.top_weight, bonus, b.boost, self._rows(expression, b)) for b in bands
                   for expression, bonus in kinds] + starting
        hits = []
        for found in best(streams, reading.idf, wanted):
            row = self._db.execute(HIT, (found.resource,)).fetchone()
            hits.append((-found.score, row[3], row[0], Hit(*row, found.text)))
        return [hit for *_, hit in sorted(hits, key=lambda h: h[:3])][:wanted]

    def _rows(self, expression: str, band: _Band):
        return lambda: self._db.execute(BAND_ROWS, {"match": expression, "low": band.low, "high": band.high})

    def _starting(self, reading: search_reading.Reading, every_word: bool, bands: list[_Band]) -> list[Stream] | None:
        """The texts that start with the query as read, each its own stream, if they are few."""
        rows = self._db.execute(STARTING_ROWS, {"q": reading.normal, "upper": reading.normal + LAST_CHARACTER,
                                                "few": FEW_STARTING + 1}).fetchall()
        if len(rows) > FEW_STARTING:
            return None
        streams = []
        for rowid, resource, weight, text, norm in rows:
            band = next((b for b in bands if b.low <= rowid <= b.high), None)
            matches, whole = reading.holds(norm, every_word)
            if band and matches:
                bonus = (EXACT if norm == reading.normal else STARTS) + (WHOLE if whole else 0.0)
                streams.append(Stream(weight, bonus, band.boost, lambda row=(resource, weight, text): iter([row])))
        return streams


def _boost(r: Resource) -> float:
    return (FRAMEWORK_BOOST if r.framework and r.kind == "occupation" else 0.0) + (
        ONET_BOOST if r.scheme == "onet-soc" else 0.0)


def _length_factor(size: int, mean: float) -> float:
    """BM25's weight of a word found once in a text of `size` words, texts holding `mean` words on average."""
    return (BM25_K1 + 1.0) / (1.0 + BM25_K1 * (1.0 - BM25_B + BM25_B * size / mean))


def _results(query: str, groups: list[tuple], chosen: dict[str, str | None], hits: list[Hit]) -> Results:
    """Totals and facet counts from the (kind, scheme, level, count) groups of every match: each
    facet counts the results that the other facets' choices keep."""
    facets: dict[str, dict[str, int]] = {name: {} for name in FACETS}
    total = 0
    for *values, count in groups:
        fields = dict(zip(FACETS, values))
        keeps = {name: chosen[name] is None or fields[name] == chosen[name] for name in FACETS}
        if all(keeps.values()):
            total += count
        for name in FACETS:
            if fields[name] is not None and all(k for other, k in keeps.items() if other != name):
                facets[name][fields[name]] = facets[name].get(fields[name], 0) + count
    return Results(query, total, hits, {n: dict(sorted(v.items())) for n, v in facets.items()},
                   filters={k: v for k, v in chosen.items() if v})


__all__ = ["SearchIndex", "Results", "Hit", "FACETS", "MAX_MATCHES", "TooBroad"]
