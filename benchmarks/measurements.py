"""The measurements of one catalogue size, taken over every peer in interleaved rounds (each
round asks every peer in turn, in an order that rotates), so that a noisy moment of a shared
machine falls on all of them alike."""
from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pyoxigraph as ox

from clients import Request, WrkResult, document, sparql, timed, wrk
from dataset import NAMESPACE, Catalogue
from peers import Peer, Starts
from timing import Timing, peak_rss
from workload import AGGREGATE, Query

TRIVIAL = "ASK {}"


@dataclass
class Settings:
    requests: int = 200          # httpx requests per query and peer, at most
    budget: float = 30.0         # seconds per query and peer, at most (at least one request)
    rounds: int = 4
    wrk_seconds: float = 5.0     # per query and peer, for latency with one connection
    load_seconds: float = 10.0   # per throughput measurement
    connections: tuple[int, ...] = (8, 32)


@dataclass
class Results:
    cat: Catalogue
    starts: Starts
    peers: list[Peer]
    queries: list[Query]
    triples: int = 0
    httpx: dict[tuple[str, str], Timing] = field(default_factory=dict)        # (query, peer)
    wrk: dict[tuple[str, str], WrkResult] = field(default_factory=dict)       # (query, peer)
    floor: dict[str, Timing] = field(default_factory=dict)                    # query: in-process pyoxigraph
    documents: dict[str, Timing] = field(default_factory=dict)                # skillsgraph's own
    throughput: dict[tuple[str, int, str], WrkResult] = field(default_factory=dict)  # (mix, connections, peer)
    cores: dict[tuple[str, str], WrkResult] = field(default_factory=dict)     # (peer, "1"|"2")
    serve_peak: dict[str, int] = field(default_factory=dict)


def rotated(items: list, by: int) -> list:
    return items[by % len(items):] + items[:by % len(items)]


def measure(results: Results, settings: Settings) -> None:
    peers, queries = results.peers, results.queries
    by_name = {p.name: p for p in peers}
    per_round = max(1, settings.requests // settings.rounds)
    with httpx.Client(timeout=900) as client:
        for r in range(settings.rounds):
            for q in [Query("trivial round trip (ASK {})", TRIVIAL), *queries]:
                for peer in rotated(peers, r):
                    timing = results.httpx.setdefault((q.name, peer.name), Timing())
                    timed(client, sparql(peer.sparql_url, q.text), timing, per_round, settings.budget / settings.rounds)
        _documents(client, results, by_name["skillsgraph"], settings)
    for i, q in enumerate(queries):
        for peer in rotated(peers, i):
            results.wrk[(q.name, peer.name)] = wrk([sparql(peer.sparql_url, q.text)], 1, settings.wrk_seconds)
    _throughput(results, settings)
    results.floor = floor(results.cat.floor_store, queries, settings)
    results.triples = _count(by_name["skillsgraph"])
    results.serve_peak = {p.name: sum(peak_rss(pid) for pid in p.pids) for p in peers}


def mixes(peer: Peer, queries: list[Query]) -> dict[str, list[Request]]:
    every = [sparql(peer.sparql_url, q.text) for q in queries]
    lean = [sparql(peer.sparql_url, q.text) for q in queries if q.name != AGGREGATE]
    return {"every query": every, f"without {AGGREGATE}": lean}


def _throughput(results: Results, settings: Settings) -> None:
    mix_names = list(mixes(results.peers[0], results.queries))
    for m, mix in enumerate(mix_names):
        for connections in settings.connections:
            for peer in rotated(results.peers, m + connections):
                requests = mixes(peer, results.queries)[mix]
                results.throughput[(mix, connections, peer.name)] = wrk(requests, connections, settings.load_seconds, threads=2)
    lean = mix_names[1]
    for peer in results.peers:  # the same mix on one core, then on both again
        requests = mixes(peer, results.queries)[lean]
        peer.pin("0")
        try:
            results.cores[(peer.name, "1")] = wrk(requests, 8, settings.load_seconds, threads=2)
        finally:
            peer.pin(",".join(str(c) for c in range(os.cpu_count() or 1)))
        results.cores[(peer.name, "2")] = wrk(requests, 8, settings.load_seconds, threads=2)


def _documents(client: httpx.Client, results: Results, peer: Peer, settings: Settings) -> None:
    """skillsgraph's documents: a release's framed JSON-LD the first time it is asked for (a
    different release each time) and again, a page of /occupations, and /dataset."""
    base, cat = peer.base_url, results.cat
    first = results.documents.setdefault("framework JSON-LD document, first request", Timing())
    path = lambda code: cat.release(code)[len(NAMESPACE) - 1:]  # noqa: E731 (served at the IRI's path)
    for code in cat.codes[1:1 + min(settings.requests, 50)]:
        timed(client, document(base + path(code)), first, 1, settings.budget)
    again = [("framework JSON-LD document, again", document(base + path(cat.codes[1]))),
             ("a page of /occupations", document(f"{base}/occupations?page=2&size=10")),
             ("/dataset", document(f"{base}/dataset"))]
    for name, request in again:
        timed(client, request, results.documents.setdefault(name, Timing()), settings.requests, settings.budget)


def floor(store_dir: Path, queries: list[Query], settings: Settings) -> dict[str, Timing]:
    """The same queries through pyoxigraph in-process on the bulk-loaded store: no HTTP at all."""
    store = ox.Store.read_only(str(store_dir))
    out = {}
    for q in queries:
        timing = out[q.name] = Timing()
        started = time.perf_counter()
        for _ in range(settings.requests):
            t = time.perf_counter()
            list(store.query(q.text, use_default_graph_as_union=True))
            timing.samples.append(time.perf_counter() - t)
            if time.perf_counter() - started > settings.budget:
                break
    return out


def _count(peer: Peer) -> int:
    answer = httpx.post(peer.sparql_url, data={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"},
                        headers={"Accept": "application/sparql-results+json"}, timeout=900).json()
    return int(answer["results"]["bindings"][0]["n"]["value"])
