"""The full-text search index: SQLite FTS5 (Python's own sqlite3), in memory, built once per store.

Every text of every resource (api.search_entries) is one row of an FTS5 table in its normal
form (api.search_text); codes sit in a plain table looked up by prefix. A query's words are
matched as prefixes ("art therap" finds "Art Therapists"); a word that is no prefix of any
indexed word is replaced by the indexed words within a typo or two of it, found through an
FTS5 trigram index of the vocabulary and checked by edit distance ("thrapist" becomes
"therapist"). Hits rank by BM25 weighted by the kind of text matched, then by whether the
text is the query itself, starts with it, or holds its words whole; a resource ranks by its
best text, an occupation with a framework above one without.

Ranking scores every text a query matches, so a query's cost grows with its matches: over the
catalogue (404,282 texts) "management" (8,230 texts) took 0.3 s and "co" (133,402) 5.3 s on a
busy 2-core machine, holding the index. So a one-letter word matches whole, prefixes of two
or three letters have FTS5 prefix indexes (counting a query's matches takes milliseconds), and
a query matching more than MAX_MATCHES texts is refused (TooBroad) before it is ranked.
"""
from __future__ import annotations

import sqlite3
import threading
import time
from dataclasses import dataclass, field

from .search_entries import FIELD_WEIGHTS, Resource
from .search_text import allowed_edits, distance, is_code, normal, phrase, trigrams, words

FACETS = ("kind", "scheme", "level")
# Rank boosts: an occupation with a framework first, O*NET-SOC's own before other schemes'.
FRAMEWORK_BOOST, ONET_BOOST = 6.0, 1.0
EXACT, STARTS, WHOLE = 20.0, 8.0, 4.0
CORRECTIONS = 5
CANDIDATES = 100
MAX_MATCHES = 20_000  # texts a query may match and still be ranked

SCHEMA = """
CREATE TABLE resource(id INTEGER PRIMARY KEY, iri TEXT, kind TEXT, scheme TEXT, label TEXT, code TEXT, level TEXT,
                      level_iri TEXT, framework TEXT, framework_label TEXT, boost REAL);
CREATE TABLE entry(id INTEGER PRIMARY KEY, resource INTEGER, weight REAL, text TEXT, norm TEXT);
CREATE VIRTUAL TABLE entry_fts USING fts5(norm, content='entry', content_rowid='id', tokenize='unicode61 remove_diacritics 2', prefix='2 3');
CREATE TABLE code(code TEXT, resource INTEGER);
CREATE VIRTUAL TABLE entry_vocab USING fts5vocab('entry_fts', 'row');
CREATE TABLE term(id INTEGER PRIMARY KEY, term TEXT UNIQUE, docs INTEGER);
CREATE VIRTUAL TABLE term_tri USING fts5(term, content='term', content_rowid='id', tokenize='trigram');
"""
FILL = """
INSERT INTO entry_fts(entry_fts) VALUES ('rebuild');
CREATE INDEX code_prefix ON code(code);
INSERT INTO term(term, docs) SELECT term, doc FROM entry_vocab ORDER BY term;
INSERT INTO term_tri(term_tri) VALUES ('rebuild');
"""
RESOURCE_COLUMNS = "r.iri, r.kind, r.scheme, r.label, r.code, r.level, r.level_iri, r.framework, r.framework_label"
FILTERS = "(:kind IS NULL OR r.kind = :kind) AND (:scheme IS NULL OR r.scheme = :scheme) AND (:level IS NULL OR r.level = :level)"
TEXT_HITS = (
    "WITH hit AS MATERIALIZED (SELECT e.resource AS rid, e.text AS text, e.weight * -bm25(entry_fts)"
    "  + CASE WHEN e.norm = :q THEN :exact WHEN substr(e.norm, 1, length(:q)) = :q THEN :starts ELSE 0.0 END"
    "  + CASE WHEN e.id IN (SELECT rowid FROM entry_fts WHERE entry_fts MATCH :whole) THEN :wholebonus ELSE 0.0 END"
    "  AS score FROM entry_fts CROSS JOIN entry e ON e.id = entry_fts.rowid WHERE entry_fts MATCH :match)"
    " SELECT " + RESOURCE_COLUMNS + ", text, MAX(score) + r.boost AS best FROM hit JOIN resource r ON r.id = rid"
    " WHERE " + FILTERS + " GROUP BY r.id ORDER BY best DESC, r.label, r.iri LIMIT :limit OFFSET :offset")
TEXT_GROUPS = (
    "SELECT r.kind, r.scheme, r.level, COUNT(*) FROM (SELECT DISTINCT e.resource AS rid FROM entry_fts"
    " JOIN entry e ON e.id = entry_fts.rowid WHERE entry_fts MATCH :match) JOIN resource r ON r.id = rid"
    " GROUP BY r.kind, r.scheme, r.level")
CODE_MATCH = "FROM code c JOIN resource r ON r.id = c.resource WHERE c.code >= :q AND c.code < :upper"
CODE_HITS = ("SELECT " + RESOURCE_COLUMNS + ", MIN(c.code) AS text, MAX(CASE WHEN c.code = :q THEN 1 ELSE 0 END) AS exact "
             + CODE_MATCH + " AND " + FILTERS + " GROUP BY r.id ORDER BY exact DESC, text, r.iri LIMIT :limit OFFSET :offset")
CODE_GROUPS = ("SELECT r.kind, r.scheme, r.level, COUNT(DISTINCT r.id) " + CODE_MATCH + " GROUP BY r.kind, r.scheme, r.level")
LAST_CHARACTER = "\U0010ffff"


class TooBroad(ValueError):
    """A query matching more texts than a search ranks; the message says how many."""

    def __init__(self, query: str, matches: int):
        super().__init__(f"q={query!r} matches {matches:,} texts, more than the {MAX_MATCHES:,} a search ranks: "
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


@dataclass
class _Reading:
    """What a query's words were taken to mean, in FTS5 syntax."""
    match: str  # every word, as a prefix or its corrections
    any_word: str  # any word: the fallback when no text holds them all
    whole: str  # every word whole
    normal: str  # the query as read, in normal form
    corrected: bool


class SearchIndex:
    def __init__(self, resources: list[Resource]):
        started = time.perf_counter()
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        self._lock = threading.Lock()
        self._db.executescript(SCHEMA)
        self._load(resources)
        self._db.executescript(FILL)
        self.resources = len(resources)
        self.texts = self._db.execute("SELECT COUNT(*) FROM entry").fetchone()[0]
        self.build_seconds = time.perf_counter() - started

    def _load(self, resources: list[Resource]) -> None:
        rows, entries, codes = [], [], []
        for rid, r in enumerate(resources, start=1):
            boost = (FRAMEWORK_BOOST if r.framework and r.kind == "occupation" else 0.0) + (
                ONET_BOOST if r.scheme == "onet-soc" else 0.0)
            rows.append((rid, r.iri, r.kind, r.scheme, r.label or r.code or r.iri, r.code, r.level, r.level_iri,
                         r.framework, r.framework_label, boost))
            for text, kind in sorted(r.texts.items()):
                entries.append((rid, FIELD_WEIGHTS[kind], text, normal(text)))
            codes.extend((c, rid) for c in sorted(r.codes))
        self._db.executemany("INSERT INTO resource VALUES (?,?,?,?,?,?,?,?,?,?,?)", rows)
        self._db.executemany("INSERT INTO entry(resource, weight, text, norm) VALUES (?,?,?,?)", entries)
        self._db.executemany("INSERT INTO code VALUES (?,?)", codes)

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
        reading = self._read(words(query))
        if reading is None:
            return Results(query, 0, [], {name: {} for name in FACETS}, filters={k: v for k, v in chosen.items() if v})
        match = reading.match
        groups = self._groups(query, match)
        if not groups and reading.any_word != match:
            match = reading.any_word
            groups = self._groups(query, match)
        bound = {"q": reading.normal, "match": match, "whole": reading.whole, "exact": EXACT, "starts": STARTS,
                 "wholebonus": WHOLE, "limit": limit, "offset": offset, **chosen}
        rows = self._db.execute(TEXT_HITS, bound).fetchall() if groups else []
        results = _results(query, groups, chosen, [Hit(*row[:10]) for row in rows])
        results.corrected = reading.normal if reading.corrected else None
        return results

    def _groups(self, query: str, match: str) -> list[tuple]:
        matches = self._db.execute("SELECT COUNT(*) FROM entry_fts WHERE entry_fts MATCH ?", (match,)).fetchone()[0]
        if matches > MAX_MATCHES:
            raise TooBroad(query, matches)
        return self._db.execute(TEXT_GROUPS, {"match": match}).fetchall() if matches else []

    def _read(self, query_words: list[str]) -> _Reading | None:
        if not query_words:
            return None
        matches, wholes, read, corrected = [], [], [], False
        for word in query_words:
            if len(word) == 1:  # a letter alone is a word, not the beginning of a third of the index
                matches.append(phrase(word))
                wholes.append(phrase(word))
                read.append(word)
                continue
            if self._is_prefix(word):
                matches.append(phrase(word) + "*")
                wholes.append(phrase(word))
                read.append(word)
                continue
            fixes, as_prefix = self._corrections(word)
            if not fixes:
                matches.append(phrase(word))
                wholes.append(phrase(word))
                read.append(word)
                continue
            corrected = True
            star = "*" if as_prefix else ""
            matches.append("(" + " OR ".join(phrase(f) + star for f in fixes) + ")")
            wholes.append("(" + " OR ".join(phrase(f) for f in fixes) + ")")
            read.append(fixes[0])
        return _Reading(" AND ".join(matches), " OR ".join(matches), " AND ".join(wholes), " ".join(read), corrected)

    def _is_prefix(self, word: str) -> bool:
        return self._db.execute("SELECT 1 FROM term WHERE term >= ? AND term < ? LIMIT 1",
                                (word, word + LAST_CHARACTER)).fetchone() is not None

    def _corrections(self, word: str) -> tuple[list[str], bool]:
        """Indexed words within the typos allowed of this one, nearest and commonest first; failing
        those, beginnings of indexed words within them (the word is still being typed)."""
        limit = allowed_edits(word)
        grams = trigrams(word)
        if not limit or not grams:
            return [], False
        candidates = self._db.execute(
            "SELECT t.term, t.docs FROM term_tri JOIN term t ON t.id = term_tri.rowid WHERE term_tri MATCH ? "
            "ORDER BY bm25(term_tri) LIMIT ?", (" OR ".join(phrase(g) for g in grams), CANDIDATES)).fetchall()
        close = sorted((d, -docs, term) for term, docs in candidates if (d := distance(word, term, limit)) <= limit)
        if close:
            return [term for d, _, term in close if d == close[0][0]][:CORRECTIONS], False
        starts = sorted({(distance(word, term[:k], limit), term[:k]) for term, _ in candidates
                         for k in (len(word) - 1, len(word), len(word) + 1) if len(term) > k >= 3})
        return [p for d, p in starts if d <= limit and d == starts[0][0]][:CORRECTIONS], True


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
