"""Virtuoso open source as a peer: Debian's `virtuoso-opensource`, started by
skillsgraph.store.virtuoso_server (as the tests and deploy/ start it), the catalogue's N-Quads
loaded by its bulk loader (ld_dir, rdf_loader_run) through isql-vt.

Its /sparql endpoint's default dataset is the union of all graphs, its own system graphs
included: the benchmark queries name the skillsgraph ontology's terms, so those add nothing to
their answers. ResultSetMaxRows and the query time limits are lifted, so that no answer is cut.
"""
from __future__ import annotations

import time
from pathlib import Path

from dataset import Catalogue
from peers import ASK, Peer, tool
from timing import free_port, wait_ready

from skillsgraph.store.virtuoso_server import HOW, start_virtuoso as start_server


def start_virtuoso(cat: Catalogue, work: Path, buffers: int = 170_000) -> Peer:
    """A new Virtuoso database holding the catalogue; buffers: 8 KiB pages of cache (170,000 is
    about 1.3 GiB, what Virtuoso's guide gives for 2 GiB of memory)."""
    tool("virtuoso-t", HOW)
    tool("isql-vt", HOW)
    dirs = sorted({str(f.resolve().parent) for f in cat.files})
    started = time.perf_counter()
    server = start_server(work / f"virtuoso-{cat.occupations}", free_port(), free_port(), buffers, dirs)
    try:
        loading = time.perf_counter()
        loads = "".join(f"ld_dir('{d}', '{name}', 'urn:x-benchmark:no-graph'); "
                        for d, name in sorted({(str(f.resolve().parent), f.name) for f in cat.files}))
        server.sql(loads + "rdf_loader_run(); checkpoint;")
        failed = server.sql("SELECT COUNT(*) FROM DB.DBA.load_list WHERE ll_state <> 2 OR ll_error IS NOT NULL;")
        if _last_number(failed) != 0:
            raise RuntimeError(f"Virtuoso could not load every file: see {server.folder / 'virtuoso.log'}")
        loaded = time.perf_counter() - loading
        url = server.base_url + "/sparql"
        wait_ready(url, server.process, data=ASK)
    except BaseException:
        server.stop()
        raise
    return Peer("Virtuoso", url, server.process, loaded, time.perf_counter() - started - loaded,
                notes=[f"{buffers:,} buffers"])


def _last_number(output: str) -> int:
    numbers = [line.strip() for line in output.splitlines() if line.strip().isdigit()]
    if not numbers:
        raise RuntimeError(f"isql-vt gave no count: {output[-500:]}")
    return int(numbers[-1])
