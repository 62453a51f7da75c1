"""The load test under variants of the server's memory settings, interleaved, to decide which
keeps the server's memory flat without giving up throughput (the decision is in api/heap_trim.py).

    python benchmarks/load_variants.py --rounds 2             # each variant twice, in turn
    python benchmarks/load_variants.py --reuse --port 8940    # the catalogue of the last run

One catalogue (load_test's: 100 occupations, the bundled data, O*NET 27.0), then in each round
every variant once, in the same order: a new server started with the variant's environment,
the load test's mix, the server stopped. The variants alternate so that a change of the
machine's load (it may be shared) falls on all of them alike; the table gives the median over
the rounds of each figure, and every run's figures with the load average when it started.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from dataset import Catalogue, prepare  # noqa: E402 (the benchmark's modules live beside it)
from load_test import BUNDLED, LoadTest, run_load  # noqa: E402
from peers import start_skillsgraph  # noqa: E402
from run import ONET_27  # noqa: E402
from timing import mib  # noqa: E402

VARIANTS = {
    "no trim": {"SKILLSGRAPH_HEAP_TRIM": "0"},
    "malloc_trim every 5 s": {"SKILLSGRAPH_HEAP_TRIM": "5"},
    "MALLOC_ARENA_MAX=2, no trim": {"SKILLSGRAPH_HEAP_TRIM": "0", "MALLOC_ARENA_MAX": "2"},
}


@dataclass
class Run:
    variant: str
    load: tuple[float, float, float]  # the machine's load average (1, 5, 15 min) at the start
    test: LoadTest

    @property
    def figures(self) -> tuple[float, int, int, int, int]:
        """req/s, failures, server's peak in the first and last quarter, 5 s after."""
        r, m = self.test.result, self.test.memory
        first, last = m.quarters("server")
        return r.rate, r.errors, first, last, m.after.server


def run_variant(cat: Catalogue, name: str, port: int, clients: int, seconds: float) -> Run:
    saved = dict(os.environ)
    os.environ.update(VARIANTS[name])
    try:
        peer = start_skillsgraph(cat, port)
    finally:
        os.environ.clear()
        os.environ.update(saved)
    try:
        load = os.getloadavg()
        return Run(name, load, run_load(peer, cat, clients, seconds))
    finally:
        peer.stop()


def lines(runs: list[Run]) -> list[str]:
    rows = ["| variant | req/s (median) | failed | server peak, first / last quarter (median) | 5 s after | runs |",
            "|---|---|---|---|---|---|"]
    for name in VARIANTS:
        mine = [r for r in runs if r.variant == name]
        if not mine:
            continue
        rate, errors, first, last, after = (statistics.median(f[i] for f in (r.figures for r in mine)) for i in range(5))
        each = "; ".join(f"{r.figures[0]:.0f} req/s, {mib(r.figures[2])} / {mib(r.figures[3])} "
                         f"(load {r.load[0]:.1f})" for r in mine)
        rows.append(f"| {name} | {rate:.1f} | {sum(r.figures[1] for r in mine)} | {mib(int(first))} / "
                    f"{mib(int(last))} | {mib(int(after))} | {each} |")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--occupations", type=int, default=100)
    parser.add_argument("--variants", nargs="+", default=list(VARIANTS), choices=list(VARIANTS))
    parser.add_argument("--port", type=int, default=None, help="the server's port (default: a free one)")
    parser.add_argument("--reuse", action="store_true", help="serve the catalogue the last run prepared")
    args = parser.parse_args()
    work = HERE / "results"
    work.mkdir(exist_ok=True)
    if args.reuse:
        data, home = work / f"data-{args.occupations}-bundled", work / f"home-{args.occupations}-bundled"
        cat = Catalogue(args.occupations, data, home, codes=sorted(p.stem for p in (data / "frameworks").glob("*.yaml")))
    else:
        cat = prepare(work, args.occupations, ONET_27, published=BUNDLED)
    runs = []
    for round_ in range(args.rounds):
        for name in args.variants:
            runs.append(run_variant(cat, name, args.port, args.clients, args.duration))
            print(f"round {round_ + 1}, {name} (load average {runs[-1].load[0]:.1f} at the start):", flush=True)
            print("\n".join(runs[-1].test.lines()), flush=True)
    print("\n".join(lines(runs)))


if __name__ == "__main__":
    main()
