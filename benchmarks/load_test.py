"""The load test: many clients at once for a minute over what real users ask (issue 11's "done
when"): every answer a success, latency as each client sees it, and the server's memory before,
during and after, which must stay flat.

    python benchmarks/run.py --load-only                  # 32 clients, 60 s, 100 occupations
    python benchmarks/run.py --load-only --load-clients 64 --load-duration 120

A synthetic catalogue is built with the repository's bundled crosswalks and classifications
(so /crosswalk and /trace have real paths to draw) and O*NET 27.0 imported beside it, then one
`skillsgraph serve` takes the mix below from wrk, each connection a client of its own. Every
request of the mix names a different resource of many occupations, so a cache that grew with
the requests would show in the memory samples. After it, on the same server, another client's
latency beside one that floods the endpoint (benchmarks/flood.py).
"""
from __future__ import annotations

import statistics
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psutil

from clients import Request, WrkResult, document, sparql, wrk
from dataset import NAMESPACE, Catalogue, prepare
from flood import Flood, measure_flood
from peers import Peer, start_skillsgraph
from timing import mib, ms
from workload import AGGREGATE, queries

BUNDLED = Path(__file__).resolve().parent.parent / "data" / "published"
FORMATS = ("application/ld+json", "text/turtle", "application/n-triples", "application/rdf+xml", "text/html")
OCCUPATIONS_ASKED = 24  # how many occupations' documents the mix walks through
TARGETS = ("soc2018", "cip2020", "esco")
SAMPLE_EVERY = 0.5  # seconds between memory samples
SETTLE = 5.0        # seconds after the run before the "after" sample


@dataclass(frozen=True)
class Sample:
    server: int = 0        # resident bytes of the server's own process
    workers: int = 0       # of its children together (the query workers and their template)
    processes: int = 0     # how many children
    largest: int = 0       # of the largest child


@dataclass
class Memory:
    """The server's own process and its query workers (child processes, each bounded by
    --query-memory, and more of them while many queries run), sampled apart: a leak in the
    server shows in the first, a worker's growth in the largest child."""
    started: Sample = Sample()   # just after the start
    before: Sample = Sample()    # after one of each request of the mix
    during: list[Sample] = field(default_factory=list)
    after: Sample = Sample()

    def quarters(self, measure: str) -> tuple[int, int]:
        """The largest sample of the run's first and of its last quarter: flat memory keeps them close."""
        n = max(1, len(self.during) // 4)
        return (max(getattr(s, measure) for s in self.during[:n]),
                max(getattr(s, measure) for s in self.during[-n:]))


@dataclass
class LoadTest:
    occupations: int
    clients: int
    seconds: float
    mix: dict[str, int]              # kind of request: how many of the mix
    result: WrkResult | None = None
    memory: Memory = field(default_factory=Memory)
    flood: Flood | None = None  # after the load: another client beside one that floods (benchmarks/flood.py)

    def lines(self) -> list[str]:
        r, m = self.result, self.memory
        failed = ", ".join(f"{n:,} x {status}" for status, n in sorted(r.statuses.items())) or "none by status"
        kinds = ", ".join(f"{kind} {n}" for kind, n in self.mix.items())
        rows = [f"### Load test: {self.clients} clients for {self.seconds:.0f} s, {self.occupations} occupations "
                "+ bundled crosswalks + O*NET 27.0", "",
                f"Mix ({sum(self.mix.values())} distinct requests, sent in turn): {kinds}.", "",
                "| measure | value |", "|---|---|",
                f"| requests answered | {r.requests:,} ({r.rate:,.1f} req/s) |",
                f"| failed (4xx/5xx, resets, timeouts) | {r.errors:,} ({failed}) |",
                f"| latency p50 / p95 / p99 | {ms(r.p50)} / {ms(r.p95)} / {ms(r.p99)} |"]
        for measure, name in (("server", "server process"), ("workers", "query workers together"),
                              ("largest", "largest query worker")):
            first, last = m.quarters(measure)
            during = [getattr(s, measure) for s in m.during]
            rows += [f"| {name}: memory just after the start / after one of each request | "
                     f"{mib(getattr(m.started, measure))} / {mib(getattr(m.before, measure))} |",
                     f"| {name}: during, median / peak | {mib(int(statistics.median(during)))} / {mib(max(during))} |",
                     f"| {name}: peak in the first / last quarter of the run | {mib(first)} / {mib(last)} |",
                     f"| {name}: {SETTLE:.0f} s after | {mib(getattr(m.after, measure))} |"]
        counts = [s.processes for s in m.during]
        rows.append(f"| query worker processes: at the start / during, most / after | {m.started.processes} / "
                    f"{max(counts)} / {m.after.processes} |")
        return rows + (self.flood.lines() if self.flood else []) + [""]


def mix(cat: Catalogue, peer: Peer) -> dict[str, list[Request]]:
    """What the users of a public skills graph ask, by kind: SPARQL (the benchmark's questions
    but the catalogue-wide aggregate), documents in every format, crosswalks, traces, the sitemap."""
    base = peer.base_url
    codes = cat.codes[:OCCUPATIONS_ASKED]
    path = lambda iri: iri[len(NAMESPACE) - 1:]  # noqa: E731 (served at the IRI's path)
    statement = lambda code: f"{path(cat.release(code))}/ai-use/developing/1"  # noqa: E731
    asked = [q for q in queries(cat, peer.sparql_url) if q.name != AGGREGATE]
    return {
        "SPARQL": [sparql(peer.sparql_url, "ASK {}"), *(sparql(peer.sparql_url, q.text) for q in asked)],
        "documents": [document(base + path(cat.release(code)), FORMATS[i % len(FORMATS)])
                      for i, code in enumerate(codes)]
                     + [document(base + statement(code), FORMATS[i % len(FORMATS)]) for i, code in enumerate(codes)]
                     + [document(f"{base}/occupations?page={n}&size=20") for n in (1, 2, 3)],
        "/crosswalk": [document(f"{base}/crosswalk?from=onet-soc:{code}&to={TARGETS[i % len(TARGETS)]}")
                       for i, code in enumerate(codes)],
        "/trace": [document(base + "/trace" + statement(code)) for code in codes[:8]],
        "sitemap": [document(f"{base}/sitemap.xml", "application/xml"), document(f"{base}/sitemap-1.xml", "application/xml")],
    }


def _interleaved(kinds: dict[str, list[Request]]) -> list[Request]:
    """The kinds taken in turn, so that every stretch of the run carries the whole mix."""
    longest = max(len(requests) for requests in kinds.values())
    return [requests[i] for i in range(longest) for requests in kinds.values() if i < len(requests)]


def _rss(peer: Peer) -> Sample:
    server, children = 0, []
    for pid in peer.pids:
        try:
            rss = psutil.Process(pid).memory_info().rss
        except psutil.Error:
            continue
        if pid == peer.process.pid:
            server = rss
        else:
            children.append(rss)
    return Sample(server, sum(children), len(children), max(children, default=0))


def _sample(peer: Peer, into: list[Sample], stop: threading.Event) -> None:
    while not stop.wait(SAMPLE_EVERY):
        into.append(_rss(peer))


def run_load(peer: Peer, cat: Catalogue, clients: int, seconds: float) -> LoadTest:
    kinds = mix(cat, peer)
    test = LoadTest(cat.occupations, clients, seconds, {kind: len(r) for kind, r in kinds.items()})
    test.memory.started = _rss(peer)
    _warm(kinds)
    test.memory.before = _rss(peer)
    stop = threading.Event()
    sampler = threading.Thread(target=_sample, args=(peer, test.memory.during, stop), daemon=True)
    sampler.start()
    try:
        test.result = wrk(_interleaved(kinds), clients, seconds, threads=2, count_statuses=True)
    finally:
        stop.set()
        sampler.join()
    time.sleep(SETTLE)
    test.memory.after = _rss(peer)
    test.flood = measure_flood(peer.sparql_url)
    return test


def measure_load(work: Path, occupations: int, onet: Path, clients: int, seconds: float) -> LoadTest:
    """A catalogue with the bundled data, one server, and the load."""
    cat = prepare(work, occupations, onet, published=BUNDLED)
    peer = start_skillsgraph(cat)
    try:
        return run_load(peer, cat, clients, seconds)
    finally:
        peer.stop()


def _warm(kinds: dict[str, list[Request]]) -> None:
    """One of each request first, as a server that has been up a while has answered each once;
    any failure here is the mix's own fault (a wrong path), not the load's."""
    with httpx.Client(timeout=600) as client:
        for request in _interleaved(kinds):
            answer = client.request(request.method, request.url, data=request.form or None, headers=request.headers)
            if answer.status_code != 200:
                raise RuntimeError(f"load test mix: {request.url} answered {answer.status_code} {answer.text[:200]}")


__all__ = ["LoadTest", "measure_load", "run_load"]
