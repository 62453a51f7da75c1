"""uvicorn's HTTP stack: its pure-Python parser and asyncio's loop (h11) against httptools and
uvloop, which `skillsgraph serve` gets from the project's dependencies (uvicorn picks them when
they are installed), serving the same store.

    python benchmarks/http_stack.py --rounds 3

The bundled data is built into a new home and its store loaded once; then in each round each
stack in turn: a new uvicorn process over that store (the app `serve --workers` starts), wrk
over 8 connections for --seconds on each request below, the process stopped. The stacks
alternate so that a change of the machine's load falls on both alike; the table gives the
median over the rounds of each figure and the ratio of the medians.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from clients import Request, document, sparql, wrk  # noqa: E402 (the benchmark's modules live beside it)
from timing import free_port, ms, stop, wait_ready  # noqa: E402

from skillsgraph import replicas  # noqa: E402
from skillsgraph.store.base import Limits  # noqa: E402
from skillsgraph.store.factory import open_store  # noqa: E402

STACKS = {"h11 + asyncio": ("h11", "asyncio"), "httptools + uvloop": ("httptools", "uvloop")}


def _requests(base: str) -> dict[str, Request]:
    return {"ASK {} (SPARQL JSON)": sparql(base + "/sparql", "ASK {}"),
            "/health": document(base + "/health", "application/json"),
            "statement JSON-LD": document(base + "/framework/29-1129.01/v26.05/competency/proficient/3")}


def _store_location(home: Path) -> Path:
    """The home's on-disk store, built and loaded as `serve` would, then closed for the workers."""
    env = {**os.environ, "SKILLSGRAPH_HOME": str(home)}
    subprocess.run([sys.executable, "-m", "skillsgraph.cli", "build"], env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    extras = [(f, None) for f in [home / "published.nq", *sorted((home / "imports").glob("*.nq"))] if f.exists()]
    store = open_store("oxigraph", home, home / "skillsgraph.nq", extras, None)
    location = store.location
    store.close()
    return location


def _run(stack: tuple[str, str], location: Path, seconds: float) -> dict[str, tuple[float, float]]:
    """(requests per second, median latency) per request, over one new process of this stack."""
    port = free_port()
    env = {**os.environ, replicas.ENV: replicas.describe("oxigraph", location, Limits())}
    process = subprocess.Popen([sys.executable, "-m", "uvicorn", "skillsgraph.replicas:app", "--factory",
                                "--port", str(port), "--http", stack[0], "--loop", stack[1], "--log-level", "warning"],
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_ready(base + "/health", process)
        out = {}
        for name, request in _requests(base).items():
            wrk([request], 8, 1)  # warm: the first answer of a kind fills caches
            result = wrk([request], 8, seconds)
            out[name] = (result.rate, result.p50)
        return out
    finally:
        stop(process)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=8.0, help="wrk's duration per request and stack")
    args = parser.parse_args()
    location = _store_location(Path(tempfile.mkdtemp(prefix="http-stack-")))
    runs: dict[str, list[dict]] = {name: [] for name in STACKS}
    for _ in range(args.rounds):
        for name, stack in STACKS.items():
            runs[name].append(_run(stack, location, args.seconds))
    baseline, candidate = STACKS
    print(f"| request (wrk, 8 connections; medians of {args.rounds} rounds) | {baseline}: req/s, p50 "
          f"| {candidate}: req/s, p50 | throughput ratio |")
    print("|---|---|---|---|")
    for request in runs[baseline][0]:
        rate = {n: statistics.median(r[request][0] for r in runs[n]) for n in STACKS}
        p50 = {n: statistics.median(r[request][1] for r in runs[n]) for n in STACKS}
        print(f"| {request} | {rate[baseline]:.0f}, {ms(p50[baseline])} | {rate[candidate]:.0f}, "
              f"{ms(p50[candidate])} | {rate[candidate] / rate[baseline]:.2f}x |")


if __name__ == "__main__":
    main()
