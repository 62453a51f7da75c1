"""skillsgraph over external triple stores (issue 14): the catalogue published with
`skillsgraph publish` into an empty `oxigraph serve` and an empty Virtuoso, then the benchmark
queries through `skillsgraph serve --store sparql` over each, beside skillsgraph on its
embedded store, in interleaved rounds; and the memory of an API process on each external store
while it streams the largest dump.

    python benchmarks/run.py --external-only --external-occupations 100

What a row means:
- publish: `skillsgraph publish --to` into the empty server, wall time and the peak memory of
  the publishing process; "again" is the same build published a second time (a no-op).
- queries: the same SPARQL over HTTP (httpx, medians and p95), each API process answering
  from its own store.
- dump: GET /dump/skillsgraph.nq of the API process on the external store, read to the end;
  the API process's resident memory before, its peak during the download, and the dump's size.
"""
from __future__ import annotations

import shutil
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psutil

from clients import sparql, timed
from dataset import Catalogue, cli, prepare
from measurements import TRIVIAL, rotated
from peers import ASK, Peer, start_skillsgraph, tool
from timing import Timing, free_port, mib, ms, run_measured, stop, wait_ready
from workload import Query, queries

from skillsgraph.store.virtuoso_server import HOW, start_virtuoso

PASSWORD = "benchmark-dba-secret"
DUMP = "/dump/skillsgraph.nq"


@dataclass
class Engine:
    name: str          # "oxigraph serve", "Virtuoso"
    preset: str        # the --engine preset
    base_url: str
    stop: object       # () -> None
    env: dict[str, str] = field(default_factory=dict)  # credentials for publish


@dataclass
class DumpRead:
    bytes: int = 0
    seconds: float = 0.0
    rss_before: int = 0
    rss_peak: int = 0


@dataclass
class ExternalResults:
    cat: Catalogue
    publish: dict[str, tuple[float, int]] = field(default_factory=dict)   # engine: (seconds, peak bytes)
    publish_again: dict[str, float] = field(default_factory=dict)
    httpx: dict[tuple[str, str], Timing] = field(default_factory=dict)    # (query, peer)
    dumps: dict[str, DumpRead] = field(default_factory=dict)
    peers: list[str] = field(default_factory=list)
    query_names: list[str] = field(default_factory=list)


def start_engines(cat: Catalogue, work: Path) -> list[Engine]:
    oxigraph = tool("oxigraph", "install it with `python -m pip install oxigraph` (a test extra)")
    tool("virtuoso-t", HOW)
    location = work / f"external-oxigraph-{cat.occupations}"
    shutil.rmtree(location, ignore_errors=True)
    port = free_port()
    process = subprocess.Popen([oxigraph, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    wait_ready(base + "/query", process, data=ASK)
    engines = [Engine("oxigraph serve", "oxigraph", base, lambda: stop(process))]
    server = start_virtuoso(work / f"external-virtuoso-{cat.occupations}", free_port(), free_port(),
                            buffers=170_000, password=PASSWORD)
    engines.append(Engine("Virtuoso", "virtuoso", server.base_url, server.stop,
                          {"SKILLSGRAPH_SPARQL_USER": "dba", "SKILLSGRAPH_SPARQL_PASSWORD": PASSWORD}))
    return engines


def publish(cat: Catalogue, engine: Engine) -> tuple[float, int]:
    args = cli("publish", "--to", engine.base_url, "--engine", engine.preset, "--data", str(cat.data))
    return run_measured(args, env={**cat.env, **engine.env})


def serve_over(cat: Catalogue, engine: Engine) -> Peer:
    return start_skillsgraph(cat, name=f"skillsgraph on {engine.name}",
                             store=("--store", "sparql", "--engine", engine.preset, "--sparql-endpoint", engine.base_url))


def read_dump(peer: Peer) -> DumpRead:
    """The largest dump read to its end, the API process's memory sampled every 20 ms."""
    process = psutil.Process(peer.process.pid)
    read = DumpRead(rss_before=process.memory_info().rss)
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            read.rss_peak = max(read.rss_peak, process.memory_info().rss)
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started = time.perf_counter()
    try:
        with httpx.stream("GET", peer.base_url + DUMP, timeout=3600) as answer:
            answer.raise_for_status()
            for chunk in answer.iter_raw():
                read.bytes += len(chunk)
    finally:
        read.seconds = time.perf_counter() - started
        done.set()
        sampler.join()
    return read


def measure_external(work: Path, occupations: int, onet: Path | None, requests: int, budget: float,
                     rounds: int) -> ExternalResults:
    cat = prepare(work, occupations, onet)
    results = ExternalResults(cat)
    engines = start_engines(cat, work)
    peers: list[Peer] = []
    try:
        for engine in engines:
            results.publish[engine.name] = publish(cat, engine)
            results.publish_again[engine.name] = publish(cat, engine)[0]
        peers.append(start_skillsgraph(cat))
        peers += [serve_over(cat, engine) for engine in engines]
        asked = [Query("trivial round trip (ASK {})", TRIVIAL), *queries(cat, peers[0].sparql_url)]
        results.peers, results.query_names = [p.name for p in peers], [q.name for q in asked]
        per_round = max(1, requests // rounds)
        with httpx.Client(timeout=900) as client:
            for r in range(rounds):
                for q in asked:
                    for peer in rotated(peers, r):
                        timing = results.httpx.setdefault((q.name, peer.name), Timing())
                        timed(client, sparql(peer.sparql_url, q.text), timing, per_round, budget / rounds)
        for peer in peers[1:]:
            results.dumps[peer.name] = read_dump(peer)
    finally:
        for peer in peers:
            peer.stop()
        for engine in engines:
            engine.stop()
    return results


def lines(results: ExternalResults) -> list[str]:
    """The section's markdown: publishing, then the queries with a column per API process."""
    out = [f"#### {results.cat.occupations} occupations, published into each engine", "",
           "| engine | publish (peak memory of `skillsgraph publish`) | publish again (unchanged) |", "|---|---|---|"]
    for name, (seconds, peak) in results.publish.items():
        out.append(f"| {name} | {ms(seconds)} ({mib(peak)}) | {ms(results.publish_again[name])} |")
    out += ["", "| query (httpx): median / p95 | " + " | ".join(results.peers) + " |",
            "|---|" + "---|" * len(results.peers)]
    for q in results.query_names:
        cells = []
        for peer in results.peers:
            timing = results.httpx.get((q, peer))
            cells.append(f"{ms(timing.median)} / {ms(timing.p95)}" if timing else "")
        out.append(f"| {q} | " + " | ".join(cells) + " |")
    out += ["", "| streaming the largest dump (`/dump/skillsgraph.nq`) | size | seconds | API process: before / peak |",
            "|---|---|---|---|"]
    for name, read in results.dumps.items():
        out.append(f"| {name} | {mib(read.bytes)} | {read.seconds:.1f} s | {mib(read.rss_before)} / {mib(read.rss_peak)} |")
    return out
