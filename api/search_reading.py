"""What a query's words are taken to mean against the index's vocabulary, in FTS5 syntax.

Words match as prefixes ("art therap" finds "Art Therapists"); a word that is no prefix of any
indexed word is replaced by the indexed words within a typo or two of it, found through an
FTS5 trigram index of the vocabulary and checked by edit distance ("thrapist" becomes
"therapist"). A letter alone is a word, not the beginning of a third of the index. A prefix of
four letters or more that begins few words is spelt out as those words: FTS5 merges a prefix's
words into one list before it reads the first match, spelt out it reads them as it goes.
"""
from __future__ import annotations

import math
import sqlite3
from dataclasses import dataclass

from .search_text import allowed_edits, distance, phrase, trigrams

CORRECTIONS = 5
CANDIDATES = 100
SPELT_OUT = 40  # at most this many words for a prefix spelt out
INDEXED_PREFIX = 3  # FTS5 has prefix indexes up to this length (the index's prefix='2 3')
LAST_CHARACTER = "\U0010ffff"


@dataclass
class Reading:
    """A query as read: FTS5 expressions and what ranking needs of them."""
    words: list[str]  # every word, as a prefix or its corrections
    alternatives: list[tuple[list[str], bool]]  # per word: what it may be, and whether as a beginning
    whole: str  # every word whole
    starts: str  # texts that begin with the query as read
    normal: str  # the query as read, in normal form
    corrected: bool
    idf: float  # the summed IDF of its words, as BM25 weighs them

    @property
    def match(self) -> str:
        return " AND ".join(self.words)

    @property
    def any_word(self) -> str:
        return " OR ".join(self.words)

    def holds(self, norm: str, every_word: bool) -> tuple[bool, bool]:
        """Whether a text in normal form matches (every word, or any), and whether it holds every word whole."""
        tokens = norm.split()
        found = [any(t == a or (prefix and t.startswith(a)) for t in tokens for a in alts)
                 for alts, prefix in self.alternatives]
        whole = all(any(t == a for t in tokens for a in alts) for alts, _ in self.alternatives)
        return (all(found) if every_word else any(found)), whole


def read(db: sqlite3.Connection, query_words: list[str], texts: int) -> Reading | None:
    """The query's words read against the vocabulary of `db` (its `term` table), or None if it has none."""
    if not query_words:
        return None
    matches, wholes, read_as, corrected, idf, alternatives = [], [], [], False, 0.0, []
    for word in query_words:
        if len(word) == 1 or not _is_prefix(db, word):
            fixes, as_prefix = _corrections(db, word) if len(word) > 1 else ([], False)
        else:
            fixes, as_prefix = [word], True
        if not fixes:  # a letter, or a word with nothing near it: itself, whole
            fixes, as_prefix = [word], False
        else:
            corrected = corrected or fixes != [word]
        matches.append(_any(_spelt(db, f) if as_prefix else phrase(f) for f in fixes))
        wholes.append(_any(phrase(f) for f in fixes))
        read_as.append(fixes[0])
        alternatives.append((fixes, as_prefix))
        idf += _idf(sum(_docs(db, f, as_prefix) for f in fixes), texts)
    normal = " ".join(read_as)
    starts = "^" + phrase(normal) + ("" if len(read_as[-1]) == 1 else "*")
    return Reading(matches, alternatives, " AND ".join(wholes), starts, normal, corrected, idf)


def _any(alternatives) -> str:
    alternatives = list(alternatives)
    return alternatives[0] if len(alternatives) == 1 else "(" + " OR ".join(alternatives) + ")"


def _spelt(db: sqlite3.Connection, prefix: str) -> str:
    """A prefix as FTS5 reads it fastest: by its prefix index, or as the words it begins."""
    if len(prefix) <= INDEXED_PREFIX:
        return phrase(prefix) + "*"
    begun = [t for (t,) in db.execute("SELECT term FROM term WHERE term >= ? AND term < ? ORDER BY term LIMIT ?",
                                      (prefix, prefix + LAST_CHARACTER, SPELT_OUT + 1))]
    return phrase(prefix) + "*" if len(begun) > SPELT_OUT else _any(phrase(t) for t in begun)


def _docs(db: sqlite3.Connection, word: str, as_prefix: bool) -> int:
    """How many texts hold the word (or a word it begins), counted from the vocabulary."""
    if as_prefix:
        found = db.execute("SELECT SUM(docs) FROM term WHERE term >= ? AND term < ?", (word, word + LAST_CHARACTER))
    else:
        found = db.execute("SELECT docs FROM term WHERE term = ?", (word,))
    return (found.fetchone() or (0,))[0] or 0


def _idf(docs: int, texts: int) -> float:
    """BM25's IDF as FTS5 computes it (a word in more than half the texts still counts a little)."""
    docs = min(docs, texts)
    return max(1e-6, math.log((texts - docs + 0.5) / (docs + 0.5)))


def _is_prefix(db: sqlite3.Connection, word: str) -> bool:
    return db.execute("SELECT 1 FROM term WHERE term >= ? AND term < ? LIMIT 1",
                      (word, word + LAST_CHARACTER)).fetchone() is not None


def _corrections(db: sqlite3.Connection, word: str) -> tuple[list[str], bool]:
    """Indexed words within the typos allowed of this one, nearest and commonest first; failing
    those, beginnings of indexed words within them (the word is still being typed)."""
    limit = allowed_edits(word)
    grams = trigrams(word)
    if not limit or not grams:
        return [], False
    candidates = db.execute(
        "SELECT t.term, t.docs FROM term_tri JOIN term t ON t.id = term_tri.rowid WHERE term_tri MATCH ? "
        "ORDER BY bm25(term_tri) LIMIT ?", (" OR ".join(phrase(g) for g in grams), CANDIDATES)).fetchall()
    close = sorted((d, -docs, term) for term, docs in candidates if (d := distance(word, term, limit)) <= limit)
    if close:
        return [term for d, _, term in close if d == close[0][0]][:CORRECTIONS], False
    starts = sorted({(distance(word, term[:k], limit), term[:k]) for term, _ in candidates
                     for k in (len(word) - 1, len(word), len(word) + 1) if len(term) > k >= 3})
    return [p for d, p in starts if d <= limit and d == starts[0][0]][:CORRECTIONS], True


__all__ = ["Reading", "read", "LAST_CHARACTER"]
