"""Ways of loading the served files with their merge (the default graph as a set), against the
floor of loading the files alone, interleaved, to decide where the first start's time can go.

    python benchmarks/start_variants.py --occupations 100 --rounds 3

One catalogue (a synthetic catalogue with O*NET 27.0 imported, as benchmarks/run.py builds it),
then in each round every variant once, in the same order, each into a new on-disk store:
- floor: each N-Quads file by pyoxigraph's bulk loader, nothing more;
- today: each file as a start loads it (store/oxigraph_store.load_into: the named graphs on one
  thread while the merge's lines are cut from the file in Python and bulk-loaded);
- merge written ahead: each file's N-Triples written before the clock starts (as a build or an
  import could write them beside their N-Quads), then the named graphs and the merge bulk-loaded
  on two threads, with no Python work in the load;
- one file: the N-Quads and the N-Triples of every file in one file, for one bulk load.
Each store is then compacted (Store.optimize), and a read of 40 frameworks' graphs and of the
default graph is timed before and after, so that what a variant saves on loading is set against
what its reads lose. The table gives medians over the rounds and each variant's ratio to the floor
of the same round.
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import threading
import time
from pathlib import Path
from typing import Callable

import pyoxigraph as ox

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from dataset import Catalogue, prepare  # noqa: E402 (the benchmark's modules live beside it)
from run import ONET_27  # noqa: E402

from skillsgraph.store.merge_lines import write_triples  # noqa: E402
from skillsgraph.store.oxigraph_store import load_into  # noqa: E402

NQ, NT = ox.RdfFormat.N_QUADS, ox.RdfFormat.N_TRIPLES
GRAPH_TRIPLES = "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"
DEFAULT_TRIPLES = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 100000"


class Files:
    """The served N-Quads files, with their merge's N-Triples and the one combined file, written once."""

    def __init__(self, cat: Catalogue, work: Path):
        self.quads = cat.files
        self.triples = [work / f"{f.stem}.nt" for f in self.quads]
        for nquads, ntriples in zip(self.quads, self.triples):
            with open(ntriples, "wb") as out:
                write_triples(nquads, out)
        self.combined = work / "combined.nq"
        with open(self.combined, "wb") as out:
            for file in [*self.quads, *self.triples]:
                with open(file, "rb") as lines:
                    shutil.copyfileobj(lines, out, 1 << 20)


def floor(store: ox.Store, files: Files) -> None:
    for file in files.quads:
        store.bulk_load(path=str(file), format=NQ)


def today(store: ox.Store, files: Files) -> None:
    for file in files.quads:
        load_into(store, file, None)


def merge_written_ahead(store: ox.Store, files: Files) -> None:
    named = threading.Thread(target=floor, args=(store, files))
    named.start()
    for file in files.triples:
        store.bulk_load(path=str(file), format=NT)
    named.join()


def one_file(store: ox.Store, files: Files) -> None:
    store.bulk_load(path=str(files.combined), format=NQ)


VARIANTS: dict[str, Callable[[ox.Store, Files], None]] = {
    "floor": floor, "today": today, "merge written ahead": merge_written_ahead, "one file": one_file}


def reads(store: ox.Store, graphs: list[ox.NamedNode], repeats: int = 5) -> tuple[float, float]:
    """Medians (s): every triple of the given named graphs, and 100,000 of the default graph,
    each term's value read (term decoding is what a slow dictionary costs)."""
    def once() -> tuple[float, float]:
        started = time.perf_counter()
        for graph in graphs:
            for row in store.query(GRAPH_TRIPLES, substitutions={ox.Variable("g"): graph}):
                row["s"].value, row["o"].value
        named = time.perf_counter() - started
        started = time.perf_counter()
        for row in store.query(DEFAULT_TRIPLES):
            row["s"].value, row["o"].value
        return named, time.perf_counter() - started
    runs = [once() for _ in range(repeats)]
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def measure(name: str, files: Files, work: Path) -> dict[str, float]:
    location = work / "store"
    shutil.rmtree(location, ignore_errors=True)
    started = time.perf_counter()
    store = ox.Store(str(location))
    VARIANTS[name](store, files)
    store.flush()
    figures = {"load": time.perf_counter() - started}
    graphs = sorted((g for g in store.named_graphs() if "/framework/" in g.value), key=lambda g: g.value)[:40]
    figures["named read"], figures["default read"] = reads(store, graphs)
    started = time.perf_counter()
    store.optimize()
    figures["optimize"] = time.perf_counter() - started
    figures["named read after"], figures["default read after"] = reads(store, graphs)
    del store
    shutil.rmtree(location, ignore_errors=True)
    return figures


def table(rounds: list[dict[str, dict[str, float]]]) -> str:
    columns = ["load", "optimize", "named read", "named read after", "default read", "default read after"]
    lines = ["| variant | load / floor | " + " | ".join(columns) + " |", "|---|" + "---|" * (len(columns) + 1)]
    for name in VARIANTS:
        ratio = statistics.median(r[name]["load"] / r["floor"]["load"] for r in rounds)
        cells = [statistics.median(r[name][c] for r in rounds) for c in columns]
        shown = [f"{cells[0]:.1f} s", f"{cells[1]:.1f} s", *(f"{v * 1000:.0f} ms" for v in cells[2:])]
        lines.append(f"| {name} | {ratio:.2f}x | " + " | ".join(shown) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--occupations", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--work", type=Path, default=HERE / "results" / "start-variants")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    cat = prepare(args.work, args.occupations, ONET_27)
    files = Files(cat, args.work)
    rounds = []
    for number in range(1, args.rounds + 1):
        rounds.append({name: measure(name, files, args.work) for name in VARIANTS})
        print(f"round {number}: " + ", ".join(f"{n} {f['load']:.1f} s" for n, f in rounds[-1].items()), flush=True)
    print(table(rounds))


if __name__ == "__main__":
    main()
