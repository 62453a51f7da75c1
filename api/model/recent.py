"""The read models made last, kept for the next requests of the same resource.

A release's read model takes a dozen fixed queries (its statements, anchors, evidence, sources,
occupation and registries), and a client reading one framework asks for several documents of
it in a row: each profile, the page, the CASE objects of a mirror. The store is read-only while
served, so a model made once in a generation (api/served.py) stays true for all of its life.
Bounded in entries: every release's model is of the same order of size.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Callable, Hashable, TypeVar

T = TypeVar("T")
KEPT = 16  # models kept at once


class Recent:
    def __init__(self, kept: int = KEPT):
        self.kept_at_most = kept
        self._lock = threading.Lock()
        self._models: OrderedDict[Hashable, object] = OrderedDict()

    def kept(self, key: Hashable, make: Callable[[], T]) -> T:
        """The model kept under key, else made now (outside the lock, so one slow read never
        holds up the others) and kept."""
        with self._lock:
            if key in self._models:
                self._models.move_to_end(key)
                return self._models[key]  # type: ignore[return-value]
        made = make()
        with self._lock:
            self._models[key] = made
            while len(self._models) > self.kept_at_most:
                self._models.popitem(last=False)
        return made


__all__ = ["Recent", "KEPT"]
