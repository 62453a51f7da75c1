"""How fast /dataset answers once O*NET is imported: the case the whole run also measures (its
"/dataset" row), on its own and quickly, with what the row leaves out.

    python benchmarks/run.py --dataset-only                          # 10 occupations and O*NET 27.0
    python benchmarks/run.py --dataset-only --dataset-occupations 100

A small synthetic catalogue is built and O*NET 27.0 imported beside it (1.1 M triples), then
skillsgraph is started and /dataset asked for: the first request (it waits for the count the
server starts at start, a full scan of the union), then repeated requests, and conditional
ones (If-None-Match, 304) — each in its median and p95.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from clients import document, timed
from dataset import prepare
from peers import start_skillsgraph
from timing import Timing, ms


@dataclass
class DatasetAnswer:
    occupations: int
    triples: int = 0
    first: float = 0.0
    repeated: Timing = field(default_factory=Timing)
    not_modified: Timing = field(default_factory=Timing)

    def lines(self) -> list[str]:
        return [f"/dataset, {self.occupations} occupations and O*NET imported ({self.triples:,} triples):",
                f"  first request after the start  {ms(self.first)}",
                f"  again (200)                    median {ms(self.repeated.median)}, p95 {ms(self.repeated.p95)}",
                f"  If-None-Match (304)            median {ms(self.not_modified.median)}, p95 {ms(self.not_modified.p95)}"]


def measure_dataset(work: Path, occupations: int, onet: Path, requests: int = 200,
                    port: int | None = None) -> DatasetAnswer:
    cat = prepare(work, occupations, onet)
    peer = start_skillsgraph(cat, port)
    result = DatasetAnswer(occupations)
    try:
        url = f"{peer.base_url}/dataset"
        with httpx.Client(timeout=900) as client:
            started = time.perf_counter()
            first = client.get(url, headers={"Accept": "application/ld+json"})
            result.first = time.perf_counter() - started
            first.raise_for_status()
            timed(client, document(url), result.repeated, requests, 30.0)
            etag = first.headers["etag"]
            for _ in range(requests):
                t = time.perf_counter()
                answer = client.get(url, headers={"Accept": "application/ld+json", "If-None-Match": etag})
                result.not_modified.samples.append(time.perf_counter() - t)
                assert answer.status_code == 304, answer.status_code
            count = client.post(peer.sparql_url, data={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"},
                                headers={"Accept": "application/sparql-results+json"}).json()
            result.triples = int(count["results"]["bindings"][0]["n"]["value"])
    finally:
        peer.stop()
    return result


__all__ = ["DatasetAnswer", "measure_dataset"]
