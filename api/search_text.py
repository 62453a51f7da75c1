"""The text side of search: how texts and queries are normalised, how close two words are,
and what a query means (its words, whether it is a code).

Texts are indexed, and queries looked up, in one normal form: accents dropped, lower case,
every run of characters that are not letters or digits one space. The full-text index's
tokenizer splits that form into the same words, so a stored form can be compared with a
query's form directly (an exact title, a title that starts with the query).
"""
from __future__ import annotations

import re
import unicodedata

CODE = re.compile(r"^\d[\d.\-]*$")
MAX_WORDS = 8


def normal(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(c if c.isalnum() else " " for c in decomposed if not unicodedata.combining(c))
    return " ".join(kept.lower().split())


def words(query: str) -> list[str]:
    """The words of a query, in order, at most MAX_WORDS of them."""
    return normal(query).split()[:MAX_WORDS]


def is_code(query: str) -> bool:
    """A query that looks like a code (29-1129.01, 51.23, 2269) is looked up among codes."""
    return bool(CODE.match(query.strip()))


def distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (edits, adjacent swaps included), or limit + 1 once past limit."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before, row = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            current[j] = min(row[j] + 1, current[j - 1] + 1, row[j - 1] + (ca != cb))
            if before is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], before[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        before, row = row, current
    return row[-1]


def allowed_edits(word: str) -> int:
    """How many typos a word may carry and still find its like: none in the shortest words."""
    return 0 if len(word) < 4 else 1 if len(word) < 7 else 2


def trigrams(word: str) -> list[str]:
    return sorted({word[i:i + 3] for i in range(len(word) - 2)})


def phrase(word: str) -> str:
    """A word as an FTS5 string (a normal-form word has no quote to escape)."""
    return f'"{word}"'


__all__ = ["normal", "words", "is_code", "distance", "allowed_edits", "trigrams", "phrase"]
