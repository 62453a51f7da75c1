"""The skillsgraph benchmark: one command, one table, every peer measured in the same run.

    python benchmarks/run.py                  # 100 and 998 occupations, every peer
    python benchmarks/run.py --occupations 200 --small 0 --requests 40 --no-rdflib   # a quick look
    python benchmarks/run.py --dataset-only   # /dataset with O*NET imported, alone (benchmarks/dataset_answer.py)
    python benchmarks/run.py --load-only      # the load test alone (benchmarks/load_test.py)
    python benchmarks/run.py --external-only  # published into external stores (benchmarks/external_stores.py)

For each catalogue size: generate a synthetic catalogue shaped like the reference framework
(real O*NET-SOC codes, so the real O*NET 27.0 release imported beside it joins), build it
(timed, then rebuilt unchanged and after a one-framework edit), import O*NET, load the same
N-Quads files into a plain pyoxigraph store (the floor), start skillsgraph (first start,
restart, start after an unchanged build) and the peers on the same files (`oxigraph serve`,
Virtuoso, rdflib-endpoint), then time the queries of benchmarks/queries/ on every peer, with
httpx and with wrk, in interleaved rounds, skillsgraph's documents, and throughput with wrk
(every query, and every query but the catalogue-wide aggregate; on both cores and on one).
Then the load test: 32 clients for 60 s over a realistic mix, with the server's memory. Last,
the catalogue published into an empty `oxigraph serve` and an empty Virtuoso and served from
each by `serve --store sparql`, beside the embedded store.
All traffic stays on 127.0.0.1. Results go to stdout and to benchmarks/README.md.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rich.console import Console

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from dataset import bulk_load_floor, default_graph_cost, prepare  # noqa: E402 (the benchmark's modules live beside it)
from dataset_answer import measure_dataset  # noqa: E402
from external_stores import lines as external_lines, measure_external  # noqa: E402
from load_test import measure_load  # noqa: E402
from measurements import Results, Settings, measure  # noqa: E402
from peers import Peer, skillsgraph_starts, start_oxigraph, start_rdflib  # noqa: E402
from report import table, write_readme  # noqa: E402
from virtuoso import start_virtuoso  # noqa: E402
from workload import queries  # noqa: E402

ONET_27 = HERE.parent.parent / "shared" / "onet" / "db_27_0_text"
console = Console()


def bench_size(work: Path, occupations: int, args: argparse.Namespace, settings: Settings) -> Results:
    console.print(f"[bold]{occupations} occupations[/bold]")
    onet = None if args.no_onet else args.onet
    cat = prepare(work, occupations, onet)
    console.print(f"  built in {cat.build_seconds:.1f}s; rebuilt unchanged in {cat.rebuild_unchanged_seconds:.1f}s, "
                  f"after one change in {cat.rebuild_one_changed_seconds:.1f}s")
    bulk_load_floor(cat, work)
    console.print(f"  bulk_load floor {cat.bulk_load_seconds:.1f}s")
    default_graph_cost(cat, work)
    console.print(f"  merged default graph: load {cat.merged_load_seconds:.1f}s, distinct scan "
                  f"{cat.scan_merged_seconds:.1f}s (union {cat.scan_union_seconds:.1f}s)")
    peers: list[Peer] = []
    try:
        skillsgraph, starts = skillsgraph_starts(cat)
        peers.append(skillsgraph)
        console.print(f"  skillsgraph: first start {starts.first:.1f}s, restart {starts.restart:.1f}s")
        if not args.no_oxigraph:
            peers.append(start_oxigraph(cat, work))
        if not args.no_virtuoso:
            peers.append(start_virtuoso(cat, work, args.virtuoso_buffers))
        if not args.no_rdflib:
            peers.append(start_rdflib(cat, work))
        for peer in peers[1:]:
            console.print(f"  {peer.name}: loaded in {peer.load_seconds:.1f}s, started in {peer.start_seconds:.1f}s")
        results = Results(cat, starts, peers, queries(cat, skillsgraph.sparql_url))
        measure(results, settings)
    finally:
        for peer in peers:
            peer.stop()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--occupations", type=int, default=998)
    parser.add_argument("--small", type=int, default=100, help="a second, smaller catalogue for the growth curve (0: none)")
    parser.add_argument("--requests", type=int, default=200, help="httpx requests per query and peer, at most")
    parser.add_argument("--budget", type=float, default=30.0, help="seconds per query and peer, at most")
    parser.add_argument("--rounds", type=int, default=4, help="interleaved rounds over the peers")
    parser.add_argument("--wrk-seconds", type=float, default=5.0, help="wrk latency run per query and peer")
    parser.add_argument("--load-seconds", type=float, default=10.0, help="wrk throughput run")
    parser.add_argument("--onet", type=Path, default=ONET_27, help="the O*NET text release imported beside the catalogue")
    parser.add_argument("--no-onet", action="store_true", help="import no O*NET release")
    parser.add_argument("--no-oxigraph", action="store_true", help="leave out the `oxigraph serve` peer")
    parser.add_argument("--no-virtuoso", action="store_true", help="leave out the Virtuoso peer")
    parser.add_argument("--virtuoso-buffers", type=int, default=170_000, help="Virtuoso's NumberOfBuffers (8 KiB each)")
    parser.add_argument("--no-rdflib", action="store_true", help="leave out the rdflib-endpoint peer")
    parser.add_argument("--no-readme", action="store_true", help="do not update benchmarks/README.md")
    parser.add_argument("--dataset-only", action="store_true", help="only /dataset with O*NET imported, alone")
    parser.add_argument("--dataset-occupations", type=int, default=10, help="the catalogue's size for --dataset-only")
    parser.add_argument("--port", type=int, default=None, help="skillsgraph's port for --dataset-only (default: a free one)")
    parser.add_argument("--load-only", action="store_true", help="only the load test")
    parser.add_argument("--load-clients", type=int, default=32, help="the load test's clients (connections)")
    parser.add_argument("--load-duration", type=float, default=60.0, help="the load test's seconds")
    parser.add_argument("--load-occupations", type=int, default=100, help="the load test's catalogue size (0: no load test)")
    parser.add_argument("--external-only", action="store_true", help="only the external stores' publish and queries")
    parser.add_argument("--external-occupations", type=int, default=998,
                        help="the external stores' catalogue size (0: no external stores)")
    args = parser.parse_args()
    if args.dataset_only:
        work = HERE / "results"
        work.mkdir(exist_ok=True)
        answer = measure_dataset(work, args.dataset_occupations, args.onet, args.requests, args.port)
        print("\n".join(answer.lines()))
        return
    if args.load_only:
        print("\n".join(_load_test(args)))
        return
    if args.external_only:
        print("\n".join(_external(args)))
        return
    settings = Settings(requests=args.requests, budget=args.budget, rounds=args.rounds,
                        wrk_seconds=args.wrk_seconds, load_seconds=args.load_seconds)
    work = HERE / "results"
    work.mkdir(exist_ok=True)
    runs = [bench_size(work, n, args, settings) for n in (args.small, args.occupations) if n]
    extras = [*(_load_test(args) if args.load_occupations else []), "",
              *(_external(args) if args.external_occupations else [])]
    text = table(runs, settings) + "\n" + "\n".join(extras)
    print(text)  # plain: the table's lines must not be wrapped to the terminal
    if not args.no_readme:
        write_readme(HERE / "README.md", text)


def _load_test(args: argparse.Namespace) -> list[str]:
    work = HERE / "results"
    work.mkdir(exist_ok=True)
    console.print(f"[bold]load test: {args.load_clients} clients, {args.load_duration:.0f} s[/bold]")
    onet = None if args.no_onet else args.onet
    return measure_load(work, args.load_occupations, onet, args.load_clients, args.load_duration).lines()


def _external(args: argparse.Namespace) -> list[str]:
    work = HERE / "results"
    work.mkdir(exist_ok=True)
    console.print(f"[bold]external stores: {args.external_occupations} occupations[/bold]")
    onet = None if args.no_onet else args.onet
    return external_lines(measure_external(work, args.external_occupations, onet, args.requests, args.budget,
                                           args.rounds))


if __name__ == "__main__":
    main()
