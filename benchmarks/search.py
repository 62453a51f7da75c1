"""Search over a served data set: the full-text index (api.search_index) against the CONTAINS
scan /search ran before it (search-contains.rq, beside this file), on the same store, in-process.

    python benchmarks/search.py --home "$SKILLSGRAPH_HOME"    # a home `skillsgraph build` has written
    python benchmarks/search.py                               # builds the bundled data in a new home first
    python benchmarks/search.py --catalogue 998 --onet ../shared/onet/db_27_0_text --home var/search-998
        # the catalogue size: 998 synthetic frameworks with the bundled crosswalks and
        # classifications, built under the synthetic namespace, with O*NET 27.0 imported

Reports the index's build (reading the store, then indexing) and, for each query, the median
and p95 of the index's answer (a page of 20, with its facets) and of the scan's (every match),
each timed over --repeat runs after one warm-up. Nothing leaves the process.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from timing import Timing  # noqa: E402 (the benchmark's modules live beside it)

from skillsgraph.api.search_entries import read_resources  # noqa: E402
from skillsgraph.api.search_index import SearchIndex, TooBroad  # noqa: E402
from skillsgraph.store.base import Dataset, Limits  # noqa: E402
from skillsgraph.store.factory import open_store  # noqa: E402
from skillsgraph.resources import data_dir  # noqa: E402
from skillsgraph.synthetic import SYNTHETIC_NAMESPACE  # noqa: E402
from skillsgraph.vocab import DEFAULT_NAMESPACE, sparql_prefixes  # noqa: E402

QUERIES = ("art psychotherapist", "art therap", "arts thrapist", "nurse", "management", "teacher", "data", "29-1129",
           "therapist", "co", "th", "manag")
SCAN = sparql_prefixes() + (HERE / "search-contains.rq").read_text(encoding="utf-8")


def _timed(run, repeat: int) -> tuple[Timing, object]:
    answer = run()
    timing = Timing()
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        timing.samples.append(time.perf_counter() - started)
    return timing, answer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--home", type=Path, help="a home holding skillsgraph.nq (and published.nq, imports/*.nq)")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--catalogue", type=int, help="build N synthetic frameworks (with the bundled published files) into --home first")
    parser.add_argument("--onet", type=Path, help="with --catalogue: an O*NET text release to take codes from and import")
    args = parser.parse_args()
    home = args.home or Path(tempfile.mkdtemp(prefix="search-bench-"))
    namespace = SYNTHETIC_NAMESPACE if args.catalogue else DEFAULT_NAMESPACE
    if args.catalogue and not (home / "skillsgraph.nq").exists():
        _catalogue(home, args.catalogue, args.onet)
    elif not (home / "skillsgraph.nq").exists():
        subprocess.run([sys.executable, "-m", "skillsgraph.cli", "build"], check=True,
                       env={**os.environ, "SKILLSGRAPH_HOME": str(home)}, cwd=HERE.parent)
    extras = [(f, None) for f in [home / "published.nq", *sorted((home / "imports").glob("*.nq"))] if f.exists()]
    started = time.perf_counter()
    store = open_store("oxigraph", home, home / "skillsgraph.nq", extras, None)
    print(f"store: {len(extras) + 1} files opened in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    resources = read_resources(store, namespace)
    read = time.perf_counter() - started
    index = SearchIndex(resources)
    print(f"index: {index.resources:,} resources, {index.texts:,} texts; read from the store {read:.2f} s, "
          f"indexed {index.build_seconds:.2f} s")
    limits = Limits(timeout_seconds=600, max_results=10_000_000)
    print("| query | index: results | median | p95 | CONTAINS scan: results | median | p95 | median ratio |")
    print("|---|---|---|---|---|---|---|---|")
    for q in QUERIES:
        try:
            found, hits = _timed(lambda: index.search(q, 0, 20), args.repeat)
        except TooBroad as refused:  # refused before ranking: time the refusal, then the scan as for the others
            found, _ = _timed(lambda: _refusal(index, q), args.repeat)
            hits = type("Refused", (), {"total": f"refused: {refused.matches:,} texts match"})()
        scanned, rows = _timed(lambda: store.query(SCAN, Dataset(), limits, bindings={"needle": ox.Literal(q.lower())}).rows,
                               max(3, args.repeat // 5))
        print(f"| `{q}` | {hits.total} | {found.median * 1000:.2f} ms | {found.p95 * 1000:.2f} ms | {len(rows)} | "
              f"{scanned.median * 1000:.1f} ms | {scanned.p95 * 1000:.1f} ms | {scanned.median / found.median:.0f}x |")


def _refusal(index: SearchIndex, q: str) -> None:
    try:
        index.search(q, 0, 20)
    except TooBroad:
        pass


def _catalogue(home: Path, occupations: int, onet: Path | None) -> None:
    """The catalogue-size data: N synthetic frameworks (real O*NET-SOC codes and titles from
    `onet`), the bundled published files beside them, built and with `onet` imported."""
    data = home / "data"
    env = {**os.environ, "SKILLSGRAPH_HOME": str(home), "SKILLSGRAPH_NAMESPACE": SYNTHETIC_NAMESPACE}
    cli = [sys.executable, "-m", "skillsgraph.cli"]
    subprocess.run([*cli, "generate", "--occupations", str(occupations), "--out", str(data),
                    *(["--onet", str(onet)] if onet else [])], check=True, env=env, stdout=subprocess.DEVNULL)
    shutil.copytree(data_dir() / "published", data / "published")
    for step in (["build", "--data", str(data)], *([["import", "onet", str(onet), "--data", str(data)]] if onet else [])):
        started = time.perf_counter()
        subprocess.run([*cli, *step], check=True, env=env, cwd=HERE.parent, stdout=subprocess.DEVNULL)
        print(f"{step[0]}: {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
