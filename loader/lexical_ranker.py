"""A lexical ranker: Okapi BM25 over stemmed words, small and deterministic.

Written out here rather than taken from a BM25 package because the corpora are tiny (an
occupation's few dozen tasks and descriptors) and the build must give the same scores byte for
byte everywhere: the terms are summed in one fixed order, scores are rounded to SCORE_PLACES
decimals, and ties are broken by the documents' order, never by hashing or by a sort's whims.
Words are lower-cased, stop words dropped and the rest reduced by the Snowball English stemmer
(a pure-Python package, the same on every platform), so "assessments" meets "assess".
"""
from __future__ import annotations

import heapq
import math
import re
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

K1, B = 1.2, 0.75           # the usual Okapi constants (Robertson and Zaragoza, 2009)
SCORE_PLACES = 4
_WORD = re.compile(r"[a-z0-9]+")
# Function words that carry no topic; a short fixed list, so the ranking never depends on a download.
STOP_WORDS = frozenset("""
a about above across after against all also an and any are as at be been being between both but by can
do does during each either for from has have how if in into is it its may more most must no nor not of
on or other others over own per same should so some such than that the their them then there these they
this those through to under up upon use used using via was were what when where whether which while who
whom why will with within without would
""".split())
_STEMMER = snowballstemmer.stemmer("english")


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    return _STEMMER.stemWord(word)


def terms(text: str) -> list[str]:
    """The stemmed content words of a text, in order."""
    return [_stem(w) for w in _WORD.findall(text.lower()) if w not in STOP_WORDS and len(w) > 1]


@dataclass(frozen=True)
class Scored:
    index: int    # the document's place in the corpus
    score: float  # rounded to SCORE_PLACES decimals (correctly, as round() does)

    @property
    def text(self) -> str:
        """The score as written in the graph: xsd:decimal's canonical form of it rounded to
        SCORE_PLACES decimals ('8.5058', '8.5', '3.0'), which every RDF format writes back alike."""
        fixed = f"{self.score:.{SCORE_PLACES}f}".rstrip("0")
        return fixed + "0" if fixed.endswith(".") else fixed


class BM25:
    """A corpus of documents, scored against queries with Okapi BM25 (idf as in Lucene: never negative)."""

    def __init__(self, documents: list[str]):
        docs = [_counts(terms(d)) for d in documents]
        n = len(docs)
        lengths = [sum(c.values()) for c in docs]
        avg = (sum(lengths) / n) if n and sum(lengths) else 1.0
        self._size = n
        # Each term's postings, (document, weight) in corpus order, its idf and length norm folded in.
        self._postings: dict[str, list[tuple[int, float]]] = {}
        df: dict[str, int] = {}
        for counts in docs:
            for t in counts:
                df[t] = df.get(t, 0) + 1
        for i, (counts, length) in enumerate(zip(docs, lengths)):
            norm = K1 * (1 - B + B * length / avg)
            for t, tf in counts.items():
                idf = math.log(1 + (n - df[t] + 0.5) / (df[t] + 0.5))
                self._postings.setdefault(t, []).append((i, idf * tf * (K1 + 1) / (tf + norm)))

    def _totals(self, query: str | list[str]) -> dict[int, float]:
        # A query term counts once, and the terms are added in the query's order, so the same
        # query always sums the same way.
        totals: dict[int, float] = {}
        for t in dict.fromkeys(terms(query) if isinstance(query, str) else query):
            for i, weight in self._postings.get(t, ()):
                totals[i] = totals.get(i, 0.0) + weight
        return totals

    def scores(self, query: str) -> list[float]:
        """Every document's score for the query, in corpus order."""
        totals = self._totals(query)
        return [round(totals.get(i, 0.0), SCORE_PLACES) for i in range(self._size)]

    def ranked(self, query: str | list[str], limit: int | None = None) -> list[Scored]:
        """The documents with a score above zero, best first (the best `limit` of them when given);
        equal (rounded) scores in corpus order. A query is a text, or its terms() when one query
        is asked of several corpora."""
        keys = ((-round(x, SCORE_PLACES), i) for i, x in self._totals(query).items())
        best = heapq.nsmallest(limit, keys) if limit is not None else sorted(keys)
        return [Scored(i, -negative) for negative, i in best if negative < 0]


def _counts(words: list[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for w in words:
        out[w] = out.get(w, 0) + 1
    return out
