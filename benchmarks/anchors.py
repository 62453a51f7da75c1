"""How good and how cheap the source anchors are (README "Source anchors"). One command, from the
repository root:

    python benchmarks/anchors.py [--onet ../shared/onet/db_27_0_text] [--cost 998]

It prints three tables, the figures of benchmarks/README.md "Source anchors":

1. O*NET's own links, `Tasks to DWAs` of a text release: for every task of every occupation, its
   Detailed Work Activities ranked by the same ranker among all the DWAs of its occupation's
   tasks; recall@k (the share of a task's DWAs within its top k, averaged over tasks) and MRR
   (the reciprocal rank of its first DWA).
2. The hand-labelled pairs of benchmarks/anchor-labels.yaml (statement -> anchor, each with its
   reason) over the reference framework: recall@k and MRR as above, then the precision and recall
   of what the build keeps (the best TOP_K scoring at least MIN_SHARE of the best) for a grid of
   both, so that the build's values are read off a table. The labels are not exhaustive: a kept
   anchor nobody labelled counts against precision even where it is right, so precision is a floor.
3. With --cost N: the anchors' share of the build's work, over N synthetic frameworks
   (`skillsgraph generate`): each framework's job timed whole and its anchors alone, in one process.
"""
from __future__ import annotations

import argparse
import csv
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

from skillsgraph.loader.anchors_rdf import MIN_SHARE, TOP_K, anchor_graphs, ranked_candidates, suggested
from skillsgraph.loader.iris import statement_path
from skillsgraph.loader.lexical_ranker import BM25
from skillsgraph.loader.source_data import read_framework, read_registries

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
ONET_27 = ROOT.parent / "shared" / "onet" / "db_27_0_text"
LABELS = HERE / "anchor-labels.yaml"
KS = (1, 3, 5, 10)


def _tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def _rank_metrics(runs: list[tuple[list[str], set[str]]], ks=KS) -> dict[str, float]:
    """runs: (ranked ids, relevant ids) per query -> recall@k (mean over queries) and MRR."""
    out = {f"recall@{k}": statistics.fmean(len(set(r[:k]) & rel) / len(rel) for r, rel in runs) for k in ks}
    out["MRR"] = statistics.fmean(next((1 / (i + 1) for i, x in enumerate(r) if x in rel), 0.0) for r, rel in runs)
    return out


def dwa_runs(onet: Path) -> list[tuple[list[str], set[str]]]:
    """Each task with DWAs: its occupation's DWAs (of all its tasks) ranked by the task's text."""
    titles = {r["DWA ID"]: r["DWA Title"] for r in _tsv(onet / "DWA Reference.txt")}
    tasks = {(r["O*NET-SOC Code"], r["Task ID"]): r["Task"] for r in _tsv(onet / "Task Statements.txt")}
    links: dict[str, dict[str, set[str]]] = {}
    for r in _tsv(onet / "Tasks to DWAs.txt"):
        links.setdefault(r["O*NET-SOC Code"], {}).setdefault(r["Task ID"], set()).add(r["DWA ID"])
    runs = []
    for code in sorted(links):
        dwas = sorted({d for ds in links[code].values() for d in ds})
        ranker = BM25([titles[d] for d in dwas])
        for task_id in sorted(links[code]):
            text = tasks.get((code, task_id))
            if text is None:
                continue
            ranked = [dwas[s.index] for s in ranker.ranked(text)]
            runs.append((ranked, links[code][task_id]))
    return runs


def label_runs(labels_file: Path) -> tuple[list[tuple[list[str], set[str]]], dict[str, list]]:
    """(ranked anchor codes, labelled codes) per labelled statement, and each statement's ranking."""
    doc = yaml.safe_load(labels_file.read_text(encoding="utf-8"))
    registries = read_registries(ROOT / "data")
    framework = read_framework(ROOT / "data" / "frameworks" / doc["framework"], registries)
    wanted: dict[str, set[str]] = {}
    for item in doc["labels"]:
        wanted.setdefault(item["statement"], set()).add(item["anchor"])
    ranking = {statement_path(at.kind, at.level, at.position, at.domain): ranked
               for at, ranked in ranked_candidates(framework.content)}
    missing = sorted(set(wanted) - set(ranking))
    if missing:
        sys.exit(f"{labels_file}: no such statements in the release: {', '.join(missing)}")
    return [([r.candidate.code for r in ranking[s]], wanted[s]) for s in sorted(wanted)], \
        {s: ranking[s] for s in sorted(wanted)}


def kept_quality(ranking: dict[str, list], wanted: dict[str, set[str]], top_k: int, share: float) -> tuple[float, float, float]:
    """Micro precision, recall and the mean anchors kept per statement, for one setting."""
    kept = {s: {r.candidate.code for r in suggested(ranked, top_k, share)} for s, ranked in ranking.items()}
    hits = sum(len(kept[s] & wanted[s]) for s in kept)
    n_kept, n_wanted = sum(len(k) for k in kept.values()), sum(len(w) for w in wanted.values())
    return hits / n_kept if n_kept else 0.0, hits / n_wanted, n_kept / len(kept)


def cost(n: int) -> dict[str, float]:
    """Seconds of N synthetic frameworks' jobs, whole and of their anchors, in one process."""
    from skillsgraph.loader.framework_jobs import Job, Shared, run_job
    from skillsgraph.loader.graphs import union
    from skillsgraph.loader.iris import Iris
    from skillsgraph.loader.registry_rdf import registry_graphs
    from skillsgraph.synthetic import SYNTHETIC_NAMESPACE, generate
    with tempfile.TemporaryDirectory() as tmp:
        files = generate(Path(tmp) / "data", n, ROOT / "data")
        registries = read_registries(Path(tmp) / "data")
        iris = Iris(SYNTHETIC_NAMESPACE)
        shared = Shared(registries, union(registry_graphs(registries, iris)), iris, None)
        jobs = anchors = 0.0
        for file in files:
            started = time.perf_counter()
            run_job(Job(file, ""), shared)
            jobs += time.perf_counter() - started
            content = read_framework(file, registries).content
            started = time.perf_counter()
            anchor_graphs(content, iris).machine.payload()
            anchors += time.perf_counter() - started
    return {"frameworks": n, "jobs s": jobs, "anchors s": anchors, "anchors ms per framework": anchors / n * 1000,
            "share of the jobs": anchors / jobs}


def _table(title: str, rows: list[dict]) -> str:
    head = list(rows[0])
    lines = [f"### {title}", "", "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in rows:
        lines.append("| " + " | ".join(f"{v:.3f}" if isinstance(v, float) else str(v) for v in row.values()) + " |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--onet", type=Path, default=ONET_27, help="an O*NET text release (with Tasks to DWAs.txt)")
    parser.add_argument("--labels", type=Path, default=LABELS)
    parser.add_argument("--cost", type=int, default=0, help="time the anchors of this many synthetic frameworks")
    args = parser.parse_args()
    if (args.onet / "Tasks to DWAs.txt").is_file():
        runs = dwa_runs(args.onet)
        print(_table(f"O*NET {args.onet.name}: each task's DWAs among its occupation's ({len(runs)} tasks)",
                     [{"ranker": "BM25, stemmed", **_rank_metrics(runs)}]))
    else:
        print(f"(no Tasks to DWAs.txt in {args.onet}: the O*NET figures are left out)\n")
    runs, ranking = label_runs(args.labels)
    wanted = {s: rel for (_, rel), s in zip(runs, ranking)}
    pairs = sum(len(w) for w in wanted.values())
    print(_table(f"Reference framework: {pairs} hand-labelled pairs over {len(runs)} statements",
                 [{"ranker": "BM25, stemmed", **_rank_metrics(runs)}]))
    grid = []
    for top_k in (1, 2, 3, 5):
        for share in (0.0, 0.5, 0.7):
            p, r, per = kept_quality(ranking, wanted, top_k, share)
            mark = " (the build's)" if (top_k, share) == (TOP_K, MIN_SHARE) else ""
            grid.append({"TOP_K": f"{top_k}{mark}", "MIN_SHARE": str(share), "kept per statement": per,
                         "precision (floor)": p, "recall": r})
    print(_table("What the build keeps, by setting", grid))
    if args.cost:
        print(_table("Cost in the build (one process)", [cost(args.cost)]))


if __name__ == "__main__":
    main()
