"""What the server keeps between requests is bounded in bytes, and the heap its threads free
goes back to the system (issue 11: memory flat under load and under a crawl)."""
from __future__ import annotations

import asyncio

import pyoxigraph as ox

from skillsgraph.api import heap_trim
from skillsgraph.api.bounded_map import BoundedMap
from skillsgraph.api.linked_data import ENTRY_OVERHEAD, TRIPLE_OVERHEAD, read_size
from skillsgraph.api.model.resource import Described


def test_the_least_recently_used_go_first_once_past_the_byte_budget():
    kept = BoundedMap(800, len)
    for key in "abcd":
        assert kept.put(key, "x" * 100)
    assert kept.get("a") == "x" * 100  # now the most recently used
    for key in "efgh":
        kept.put(key, "x" * 100)
    kept.put("i", "x" * 100)
    assert kept.bytes <= 800 and "a" in kept and "b" not in kept and "i" in kept
    assert len(kept) == 8


def test_a_value_over_an_eighth_of_the_budget_is_not_kept_and_a_new_value_replaces_the_old():
    kept = BoundedMap(800, len)
    assert not kept.put("big", "x" * 101) and "big" not in kept and kept.bytes == 0
    kept.put("k", "x" * 50)
    kept.put("k", "x" * 20)
    assert kept.bytes == 20 and kept.get("k") == "x" * 20


def test_a_store_read_costs_its_terms_and_an_empty_one_is_not_free():
    triple = ox.Triple(ox.NamedNode("http://example.org/s"), ox.NamedNode("http://example.org/p"), ox.Literal("o"))
    assert read_size(Described("http://example.org/missing", [])) == ENTRY_OVERHEAD
    assert read_size([triple] * 10) > ENTRY_OVERHEAD + 10 * len("http://example.org/s")
    assert read_size(Described("http://example.org/s", [triple] * 10)) == read_size([triple] * 10)


def test_a_large_read_is_estimated_from_a_spread_of_its_triples_within_a_few_percent():
    s, p = ox.NamedNode("http://example.org/s"), ox.NamedNode("http://example.org/p")
    triples = [ox.Triple(s, p, ox.Literal("x" * (i % 700))) for i in range(5000)]  # lengths that vary along the read
    exact = ENTRY_OVERHEAD + sum(len(t.subject.value) + len(t.predicate.value) + len(t.object.value) + TRIPLE_OVERHEAD
                                 for t in triples)
    assert abs(read_size(triples) - exact) < 0.03 * exact


def test_the_heap_is_trimmed_while_the_server_runs(monkeypatch):
    trim = heap_trim.trimmer()
    assert trim is not None and trim() in (0, 1)  # glibc: 1 when memory went back to the system
    trims = []
    monkeypatch.setattr(heap_trim, "trimmer", lambda: lambda: trims.append(1) or 0)

    async def run() -> int:
        async with heap_trim.trimming(0.01):
            await asyncio.sleep(0.2)
        count = len(trims)
        await asyncio.sleep(0.05)
        return len(trims) - count
    assert asyncio.run(run()) == 0  # stopped with the block
    assert trims


def test_what_the_server_holds_from_its_start_is_frozen_out_of_the_collector(tmp_path):
    import gc

    from skillsgraph.api.app import create_app
    from skillsgraph.config import Settings
    from skillsgraph.store.oxigraph_store import OxigraphStore
    app = create_app(Settings(namespace="https://example.org/", home=tmp_path), OxigraphStore(ox.Store()))

    async def started() -> int:
        async with app.router.lifespan_context(app):
            return gc.get_freeze_count()
    gc.unfreeze()
    try:
        assert asyncio.run(started()) > 0
    finally:
        gc.unfreeze()  # the rest of the suite collects as usual
