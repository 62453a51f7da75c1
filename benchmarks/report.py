"""The table of a run: per catalogue size, every measure for every peer (median / p95 where there
are samples), its ratio and the target issue 13 sets for it, and whether the target is met."""
from __future__ import annotations

import os
import platform
import time
from pathlib import Path
from typing import Callable

import psutil

from measurements import Results, Settings
from timing import Timing, mib, ms

BUILD_TODAY = 1216.0  # seconds for 998 frameworks when issue 13 was filed
MARKER = "## Latest run"


def table(runs: list[Results], settings: Settings) -> str:
    lines = [f"Machine: {platform.platform()}, {os.cpu_count()} cores, {mib(psutil.virtual_memory().total)} RAM, "
             f"Python {platform.python_version()}; run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; "
             f"httpx: up to {settings.requests} requests or {settings.budget:.0f} s per query and peer in "
             f"{settings.rounds} interleaved rounds; wrk: {settings.wrk_seconds:.0f} s per query and peer on one "
             f"connection, {settings.load_seconds:.0f} s per throughput run.", ""]
    for run in runs:
        lines += _size(run)
    return "\n".join(lines)


def _size(run: Results) -> list[str]:
    names = [p.name for p in run.peers]
    cat = run.cat
    head = ["measure", *names, "floor", "ratio", "target", "met"]
    rows: list[list[str]] = []

    def row(measure: str, cells: dict[str, str], floor: str = "", ratio: str = "", target: str = "",
            met: bool | None = None) -> None:
        rows.append([measure, *(cells.get(n, "") for n in names), floor, ratio, target,
                     "" if met is None else ("yes" if met else "**no**")])

    sg = "skillsgraph"
    big = cat.occupations >= 998
    build_target = BUILD_TODAY / 5
    row("build + validate (peak memory)", {sg: f"{ms(cat.build_seconds)} ({mib(cat.build_peak)})"},
        target=f"<= {ms(build_target)} (a fifth of {BUILD_TODAY:,.0f} s)" if big else "",
        met=cat.build_seconds <= build_target if big else None)
    row("rebuild, nothing changed", {sg: ms(cat.rebuild_unchanged_seconds)})
    row("rebuild after one framework changed", {sg: ms(cat.rebuild_one_changed_seconds)},
        target="seconds (<= 10 s)", met=cat.rebuild_one_changed_seconds <= 10)
    if cat.import_seconds:
        row("import O*NET 27.0", {sg: ms(cat.import_seconds)})
    loads = {p.name: ms(p.load_seconds) for p in run.peers if p.load_seconds}
    row("load the same N-Quads files", loads, floor=f"{ms(cat.bulk_load_seconds)} (pyoxigraph bulk_load)")
    if cat.merged_load_seconds:
        row("default graph as a set: load into named graphs + their merge (pyoxigraph)",
            {sg: ms(cat.merged_load_seconds)}, floor=f"{ms(cat.bulk_load_seconds)} (named graphs only)",
            ratio=f"{cat.merged_load_seconds / cat.bulk_load_seconds:.2f}x floor")
        row("default graph as a set: count every distinct triple",
            {sg: ms(cat.scan_merged_seconds)}, floor=f"{ms(cat.scan_union_seconds)} (DISTINCT over the union)",
            ratio=f"{cat.scan_merged_seconds / cat.scan_union_seconds:.2f}x union")
    first = run.starts.first
    row("first start (skillsgraph: store load; others: to first answer after the load)",
        {p.name: ms(first if p.name == sg else p.start_seconds) for p in run.peers},
        floor=ms(cat.bulk_load_seconds), ratio=f"{first / cat.bulk_load_seconds:.2f}x floor",
        target="<= 1.2x floor", met=first <= 1.2 * cat.bulk_load_seconds)
    restarts = run.starts.restarts
    row(f"restart, nothing changed: median ({len(restarts)} restarts, {ms(min(restarts))} to {ms(max(restarts))})",
        {sg: ms(run.starts.restart)}, target="< 1.5 s", met=run.starts.restart < 1.5)
    row("start after `skillsgraph build` on unchanged data", {sg: ms(run.starts.after_unchanged_build)},
        target="loads nothing again (< 1.5 s)", met=run.starts.after_unchanged_build < 1.5)
    row("peak memory while serving", {n: mib(v) for n, v in run.serve_peak.items()})
    _latency_rows(row, run, "httpx", lambda q, n: run.httpx.get((q, n)))
    _latency_rows(row, run, "wrk", lambda q, n: run.wrk.get((q, n)), with_floor=False)
    for name, timing in run.documents.items():
        target = "< 50 ms" if name == "/dataset" or "first request" in name else ""
        row(f"{name}: median / p95", {sg: f"{ms(timing.median)} / {ms(timing.p95)} ({len(timing.samples)})"},
            target=target, met=timing.median < 0.05 if target else None)
    for (mix, connections, _peer) in dict.fromkeys((m, c, "") for m, c, _ in run.throughput):
        rates = {n: run.throughput[(mix, connections, n)].rate for n in names if (mix, connections, n) in run.throughput}
        failed = {n: run.throughput[(mix, connections, n)].errors for n in rates}
        row(f"throughput, {mix}, {connections} connections (wrk)",
            {n: f"{r:,.1f} req/s" + (f" ({failed[n]:,} failed)" if failed[n] else "") for n, r in rates.items()},
            ratio=_vs_virtuoso(rates.get(sg), rates.get("Virtuoso"), higher_is_better=True))
    gains = {n: run.cores[(n, "2")].rate / max(run.cores[(n, "1")].rate, 1e-9) for n in names if (n, "1") in run.cores}
    row("throughput on 2 cores / on 1 core (mix without the aggregate, 8 connections)",
        {n: f"{run.cores[(n, '2')].rate:,.1f} / {run.cores[(n, '1')].rate:,.1f} req/s = {g:.2f}x" for n, g in gains.items()},
        target=">= 1.7x", met=gains.get(sg, 0) >= 1.7)
    out = [f"### {cat.occupations} occupations + O*NET 27.0 ({run.triples:,} triples)", "",
           "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return out + [""]


def _latency_rows(row: Callable, run: Results, client: str, get: Callable, with_floor: bool = True) -> None:
    names = [p.name for p in run.peers]
    queries = [q.name for q in run.queries]
    if client == "httpx":
        queries = ["trivial round trip (ASK {})", *queries]
    for q in queries:
        cells, medians = {}, {}
        for n in names:
            t = get(q, n)
            if t:
                cells[n] = f"{ms(t.median if isinstance(t, Timing) else t.p50)} / {ms(t.p95)}"
                medians[n] = t.median if isinstance(t, Timing) else t.p50
        fl = run.floor.get(q) if with_floor else None
        is_query = q in {x.name for x in run.queries}
        big = run.cat.occupations >= 998 and is_query
        ratio = medians.get("skillsgraph", 0) / medians["Virtuoso"] if "Virtuoso" in medians and medians["Virtuoso"] else None
        row(f"{q} ({client}): median / p95", cells, floor=f"{ms(fl.median)} / {ms(fl.p95)}" if fl else "",
            ratio=f"{ratio:.2f}x Virtuoso" if ratio else "", target="<= 1.5x Virtuoso" if big else "",
            met=(ratio is not None and ratio <= 1.5) if big else None)


def _vs_virtuoso(ours: float | None, theirs: float | None, higher_is_better: bool) -> str:
    if not ours or not theirs:
        return ""
    return f"{ours / theirs:.2f}x Virtuoso"


def write_readme(readme: Path, text: str) -> None:
    """Replace the README's latest-run section (everything after its heading) with this run."""
    old = readme.read_text(encoding="utf-8") if readme.exists() else ""
    head = old.split(MARKER)[0].rstrip() + "\n\n" if MARKER in old else old
    readme.write_text(head + MARKER + "\n\n" + text + "\n", encoding="utf-8")
