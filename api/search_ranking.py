"""The best resources of a query, found by reading only the best of its matches.

A text scores `idf * weight + bonus + boost`: `weight` is fixed when the index is built (the
weight of its field times BM25's length factor for a word found once), `idf` is the query's
(the summed IDF of its words), `bonus` what the text shares with the query (it is the query,
starts with it, holds its words whole) and `boost` its resource's. The index keeps its texts in
bands, one per facet group and boost, each in descending weight. So the texts of one band that
earn one bonus (a Stream) come out best first, and a best-first merge of the streams meets every
resource first at its best text. The merge stops once it holds `wanted` resources and no stream
can reach the score of the last of them: everything that can rank among the first `wanted` is
found (ties included), so a page at any offset is exact, and a broad word reads a few hundred
texts, not all it matches.
"""
from __future__ import annotations

import heapq
from collections.abc import Callable, Iterator
from dataclasses import dataclass

Row = tuple[int, float, str]  # (resource, weight, text)


@dataclass(frozen=True)
class Stream:
    top_weight: float  # the weight of its band's best text: none of it weighs more
    bonus: float
    boost: float
    rows: Callable[[], Iterator[Row]]  # opened only when its best could still rank


@dataclass(frozen=True)
class Found:
    score: float
    resource: int
    text: str


def best(streams: list[Stream], idf: float, wanted: int) -> list[Found]:
    """Every resource that can rank among the first `wanted`, each at its best text, best first."""
    # Heap items: (-score, order, stream, its head row, its rows). A stream not yet opened stands
    # in with the best score it could give (no row yet), so it is opened only if that could rank.
    heap: list = [(-_score(s, idf, s.top_weight), i, i, None, None) for i, s in enumerate(streams)]
    heapq.heapify(heap)
    seen: set[int] = set()
    found: list[Found] = []
    order = len(streams)
    while heap:
        negative, _, which, head, rows = heapq.heappop(heap)
        if len(found) >= wanted and -negative < found[wanted - 1].score:
            break
        if rows is None:
            rows = streams[which].rows()
        elif head[0] not in seen:
            seen.add(head[0])
            found.append(Found(-negative, head[0], head[2]))
        head = next(rows, None)
        if head is not None:
            order += 1
            heapq.heappush(heap, (-_score(streams[which], idf, head[1]), order, which, head, rows))
    return found


def _score(stream: Stream, idf: float, weight: float) -> float:
    return idf * weight + stream.bonus + stream.boost


__all__ = ["Stream", "Found", "Row", "best"]
