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
   (`skillsgraph generate`): each framework's job timed whole and its anchors alone, in one process;
   and, with the O*NET release, the anchors among its data (loader.onet.release_anchors) for N
   synthetic frameworks of its real occupations, against the import of the release they join.
4. With --embeddings: the same rankings by WordLlama's static embeddings (the `wordllama` wheel
   ships its 16 MB weights and tokenizer, read from the package, never downloaded), alone and
   fused with BM25 by reciprocal rank fusion, on both test sets: the evidence for or against an
   embedding ranker in the build (benchmarks/README.md).
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


def onet_cost(n: int, onet: Path) -> dict[str, float]:
    """Seconds of the anchors among a release's data for N synthetic frameworks of its real
    occupations, and of the import of that release (what `import onet` does besides)."""
    from skillsgraph.loader.onet.importer import import_release
    from skillsgraph.loader.onet.release import detect_release
    from skillsgraph.loader.onet.release_anchors import anchor_release
    from skillsgraph.loader.source_data import read_source_data
    from skillsgraph.synthetic import SYNTHETIC_NAMESPACE, generate
    real = [(r["O*NET-SOC Code"], r["Title"]) for r in _tsv(onet / "Occupation Data.txt")]
    with tempfile.TemporaryDirectory() as tmp:
        generate(Path(tmp) / "data", n, ROOT / "data", real)
        data = read_source_data(Path(tmp) / "data")
        started = time.perf_counter()
        result = anchor_release(data, detect_release(onet), SYNTHETIC_NAMESPACE)
        anchors = time.perf_counter() - started
    started = time.perf_counter()
    import_release(onet, SYNTHETIC_NAMESPACE)
    imported = time.perf_counter() - started
    return {"frameworks": n, "statements": result.statements, "anchors": sum(result.anchors.values()),
            "anchors s": anchors, "import s": imported, "share of the import": anchors / imported}


def _rrf(*rankings: list[str], k: int = 60) -> list[str]:
    """Reciprocal rank fusion (Cormack et al., 2009): each item scores the sum of 1/(k + rank)."""
    score: dict[str, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking, start=1):
            score[item] = score.get(item, 0.0) + 1 / (k + rank)
    return sorted(score, key=lambda item: (-score[item], item))


def _embedder():
    """WordLlama's own model, from the files its wheel ships (no download: disable_download)."""
    import wordllama
    from wordllama import WordLlama
    return WordLlama.load(cache_dir=Path(wordllama.__file__).parent, disable_download=True)


def _by_embedding(query, ids: list[str], vectors) -> list[str]:
    """ids by the cosine of their (normalised) vectors with the query's, best first."""
    import numpy as np
    sims = np.round(vectors @ query, 4)   # rounded: ties by corpus order
    return [ids[i] for i in np.argsort(-sims, kind="stable")]


def embedding_tables(onet: Path, labels: Path) -> list[tuple[str, list[dict]]]:
    """BM25, embeddings and their fusion on the DWA links and on the hand-labelled pairs."""
    model = _embedder()
    out = []
    if (onet / "Tasks to DWAs.txt").is_file():
        titles = {r["DWA ID"]: r["DWA Title"] for r in _tsv(onet / "DWA Reference.txt")}
        tasks = {(r["O*NET-SOC Code"], r["Task ID"]): r["Task"] for r in _tsv(onet / "Task Statements.txt")}
        links: dict[str, dict[str, set[str]]] = {}
        for r in _tsv(onet / "Tasks to DWAs.txt"):
            links.setdefault(r["O*NET-SOC Code"], {}).setdefault(r["Task ID"], set()).add(r["DWA ID"])
        import numpy as np
        ids = sorted(titles)
        vector = dict(zip(ids, model.embed([titles[d] for d in ids], norm=True)))
        task_keys = sorted(tasks)
        task_vector = dict(zip(task_keys, model.embed([tasks[k] for k in task_keys], norm=True)))
        runs: dict[str, list] = {"BM25, stemmed": [], "WordLlama 256": [], "RRF of both (k=60)": []}
        for code in sorted(links):
            dwas = sorted({d for ds in links[code].values() for d in ds})
            ranker = BM25([titles[d] for d in dwas])
            vectors = np.stack([vector[d] for d in dwas])
            for task_id in sorted(links[code]):
                text = tasks.get((code, task_id))
                if text is None:
                    continue
                bm = [dwas[s.index] for s in ranker.ranked(text)]
                em = _by_embedding(task_vector[(code, task_id)], dwas, vectors)
                for name, ranked in zip(runs, (bm, em, _rrf(bm, em))):
                    runs[name].append((ranked, links[code][task_id]))
        out.append((f"O*NET {onet.name}: each task's DWAs, by ranker", [{"ranker": k, **_rank_metrics(v)} for k, v in runs.items()]))
    doc = yaml.safe_load(labels.read_text(encoding="utf-8"))
    registries = read_registries(ROOT / "data")
    framework = read_framework(ROOT / "data" / "frameworks" / doc["framework"], registries)
    from skillsgraph.loader.anchor_candidates import candidates, statements
    from skillsgraph.loader.anchors_rdf import statement_query
    cands = candidates(framework.content.occupation)
    codes, texts = [c.code for c in cands], [c.text for c in cands]
    wanted: dict[str, set[str]] = {}
    for item in doc["labels"]:
        wanted.setdefault(item["statement"], set()).add(item["anchor"])
    ranking = {statement_path(at.kind, at.level, at.position, at.domain): ranked
               for at, ranked in ranked_candidates(framework.content)}
    queries = {statement_path(at.kind, at.level, at.position, at.domain): statement_query(at)
               for at in statements(framework.content)}
    runs = {"BM25, stemmed": [], "WordLlama 256": [], "RRF of both (k=60)": []}
    vectors = model.embed(texts, norm=True)
    for s in sorted(wanted):
        bm = [r.candidate.code for r in ranking[s]]
        em = _by_embedding(model.embed([queries[s]], norm=True)[0], codes, vectors)
        for name, ranked in zip(runs, (bm, em, _rrf(bm, em))):
            runs[name].append((ranked, wanted[s]))
    out.append(("Reference framework's hand-labelled pairs, by ranker", [{"ranker": k, **_rank_metrics(v)} for k, v in runs.items()]))
    return out


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
    parser.add_argument("--embeddings", action="store_true", help="compare BM25 with WordLlama embeddings and their fusion")
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
        if (args.onet / "Occupation Data.txt").is_file():
            print(_table(f"Cost of the anchors among O*NET {args.onet.name}'s data, at import (one process)",
                         [onet_cost(args.cost, args.onet)]))
    if args.embeddings:
        for title, rows in embedding_tables(args.onet, args.labels):
            print(_table(title, rows))


if __name__ == "__main__":
    main()
