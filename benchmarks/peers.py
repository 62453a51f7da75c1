"""The servers a run measures side by side, each serving the same catalogue: skillsgraph itself,
`oxigraph serve` (PyPI's oxigraph), Virtuoso (in virtuoso.py) and rdflib-endpoint.

Every peer is a `Peer`: a SPARQL endpoint URL that takes the SPARQL 1.1 Protocol's form POST,
the process behind it, and what it cost to get there (loading the data, starting). Any
measurement that takes a Peer runs against all of them alike.
"""
from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import pyoxigraph as ox

from dataset import Catalogue, cli
from timing import free_port, stop, wait_ready

ASK = {"query": "ASK { ?s ?p ?o }"}


@dataclass
class Peer:
    name: str
    sparql_url: str
    process: subprocess.Popen
    load_seconds: float = 0.0     # putting the data in, where that is a step of its own
    start_seconds: float = 0.0    # from launch to the first answer, the data already loaded
    notes: list[str] = field(default_factory=list)
    base_url: str = ""            # where the peer's own documents live (skillsgraph only)

    @property
    def pids(self) -> list[int]:
        """The server's process and its children (a server may hand requests to workers)."""
        try:
            root = psutil.Process(self.process.pid)
            return [root.pid, *(c.pid for c in root.children(recursive=True))]
        except psutil.Error:
            return []

    def pin(self, cores: str) -> None:
        """Run every thread of every process of the peer on these cores only ("0", "0,1")."""
        for pid in self.pids:
            subprocess.run(["taskset", "-a", "-p", "-c", cores, str(pid)], check=True, stdout=subprocess.DEVNULL)

    def stop(self) -> None:
        stop(self.process)


def tool(name: str, how: str) -> str:
    """The path of a command the benchmark drives, or a clear message saying how to get it."""
    found = shutil.which(name) or shutil.which(name, path=str(Path(sys.executable).parent))
    if not found:
        raise SystemExit(f"benchmark: `{name}` not found; {how} (or leave this peer out: see --help)")
    return found


# ---- skillsgraph ---------------------------------------------------------------------------------

def start_skillsgraph(cat: Catalogue, port: int | None = None, name: str = "skillsgraph",
                      store: tuple[str, ...] = ()) -> Peer:
    """`skillsgraph serve` over the catalogue's build, or over the store `store` names
    (`--store sparql ...`: an external server the catalogue was published to)."""
    port = port or free_port()
    args = cli("serve", "--port", str(port), *(store or ("--data", str(cat.data))), "--log-level", "warning",
               "--max-results", "1000000", "--timeout", "600")
    started = time.perf_counter()
    process = subprocess.Popen(args, env=cat.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    wait_ready(f"{base}/health", process)
    return Peer(name, f"{base}/sparql", process, start_seconds=time.perf_counter() - started, base_url=base)


RESTARTS = 5


@dataclass
class Starts:
    first: float = 0.0            # a new home: the store is loaded from the build and the imports
    restart: float = 0.0          # the same server started again, nothing changed: restarts' median
    restarts: list[float] = field(default_factory=list)  # RESTARTS such starts (one alone varies by a third)
    after_unchanged_build: float = 0.0  # `skillsgraph build` on unchanged data, then serve: loads nothing


def skillsgraph_starts(cat: Catalogue) -> tuple[Peer, Starts]:
    """skillsgraph started three times; the last one keeps running as the peer."""
    starts = Starts()
    peer = start_skillsgraph(cat)
    starts.first = peer.start_seconds
    peer.stop()
    for _ in range(RESTARTS):
        peer = start_skillsgraph(cat)
        starts.restarts.append(peer.start_seconds)
        peer.stop()
    starts.restart = statistics.median(starts.restarts)
    subprocess.run(cli("build", "--data", str(cat.data)), env=cat.env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peer = start_skillsgraph(cat)
    starts.after_unchanged_build = peer.start_seconds
    return peer, starts


# ---- oxigraph serve ------------------------------------------------------------------------------

def start_oxigraph(cat: Catalogue, work: Path) -> Peer:
    """`oxigraph load` of the same files into a new store, then `oxigraph serve` over it, its
    default graph the union of all graphs (as skillsgraph's and Virtuoso's are)."""
    oxigraph = tool("oxigraph", "install it with `python -m pip install oxigraph` (a test extra)")
    location = work / f"oxigraph-serve-{cat.occupations}"
    shutil.rmtree(location, ignore_errors=True)
    started = time.perf_counter()
    files = [arg for f in cat.files for arg in ("--file", str(f))]
    subprocess.run([oxigraph, "load", "--location", str(location), *files], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    loaded = time.perf_counter() - started
    port = free_port()
    started = time.perf_counter()
    process = subprocess.Popen([oxigraph, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}",
                                "--union-default-graph"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/query"
    wait_ready(url, process, data=ASK)
    return Peer("oxigraph serve", url, process, loaded, time.perf_counter() - started)


# ---- rdflib-endpoint -----------------------------------------------------------------------------

def start_rdflib(cat: Catalogue, work: Path) -> Peer:
    """rdflib-endpoint serving the same triples (one N-Triples file) from rdflib's memory store;
    its start is rdflib parsing them."""
    endpoint = tool("rdflib-endpoint", "install the benchmark extra: python -m pip install -e '.[bench]'")
    nt = work / f"rdflib-{cat.occupations}.nt"
    with open(nt, "wb") as out:
        seen: set[bytes] = set()
        for file in cat.files:
            for quad in ox.parse(path=str(file), format=ox.RdfFormat.N_QUADS):
                line = str(quad.triple).encode() + b" .\n"
                if line not in seen:
                    seen.add(line)
                    out.write(line)
        del seen
    port = free_port()
    started = time.perf_counter()
    process = subprocess.Popen([endpoint, "serve", str(nt), "--host", "127.0.0.1", "--port", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"  # rdflib-endpoint's SPARQL endpoint is its root path
    wait_ready(url, process, data=ASK)
    nt.unlink(missing_ok=True)
    return Peer("rdflib-endpoint", url, process, start_seconds=time.perf_counter() - started)
