"""A map of what the server keeps between requests, bounded in bytes, least recently used out
first: the rendered documents (document_cache) and the store reads behind them (linked_data).

A bound in entries would let a few large values (the release documents, a megabyte each once
read) take what a thousand small ones were meant to; the bytes are each value's estimate,
made once when it is put.
"""
from __future__ import annotations

from collections import OrderedDict
from typing import Callable, Generic, Hashable, TypeVar

V = TypeVar("V")


class BoundedMap(Generic[V]):
    def __init__(self, byte_budget: int, size: Callable[[V], int]):
        self.byte_budget, self._size = byte_budget, size
        self._values: OrderedDict[Hashable, tuple[V, int]] = OrderedDict()
        self.bytes = 0

    def __len__(self) -> int:
        return len(self._values)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._values

    def get(self, key: Hashable) -> V | None:
        held = self._values.get(key)
        if held is None:
            return None
        self._values.move_to_end(key)
        return held[0]

    def put(self, key: Hashable, value: V) -> bool:
        """Keep the value unless it alone would take more than an eighth of the budget (so it
        cannot empty the map of the others); whether it is kept."""
        size = self._size(value)
        if size > self.byte_budget // 8:
            return False
        if key in self._values:
            self.bytes -= self._values.pop(key)[1]
        self._values[key] = (value, size)
        self.bytes += size
        while self.bytes > self.byte_budget:
            _, (_, evicted) = self._values.popitem(last=False)
            self.bytes -= evicted
        return True


__all__ = ["BoundedMap"]
