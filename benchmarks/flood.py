"""One client floods the endpoint, another asks beside it: the other's latency, idle and flooded.

The suite checks fairness by the order of answers (tests/test_hostile_requests.py): while the
other client's query is out, the flood's queue does not go first. What that order is worth in
milliseconds is measured here, on a machine doing nothing else: the other client's p50 and p95
for `ASK {}`, alone and while one address keeps FLOODERS queries out at once (the suite's flood
query, a small cross product of about 13 ms), in interleaved rounds. Without admission the other
client would wait behind the flood's whole queue.
"""
from __future__ import annotations

import statistics
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

import httpx

from timing import ms

FLOODERS = 16
ASKS = 40        # the other client's queries per round
ROUNDS = 3       # idle and flooded, in turn
PAUSE = 0.02     # seconds between the other client's queries
FLOOD_QUERY = ("SELECT (COUNT(*) AS ?n) WHERE { { SELECT ?a WHERE { ?a ?b ?c } LIMIT 2000 } "
               "{ SELECT ?d WHERE { ?d ?e ?f } LIMIT 100 } }")
OTHER, FLOODER = "10.88.0.1", "10.88.0.66"  # as X-Forwarded-For, which the server trusts from 127.0.0.1


@dataclass
class Flood:
    idle: list[float] = field(default_factory=list)      # the other client's seconds per query, alone
    flooded: list[float] = field(default_factory=list)   # the same, beside the flood
    flood_statuses: Counter = field(default_factory=Counter)
    other_statuses: Counter = field(default_factory=Counter)

    def lines(self) -> list[str]:
        answered = ", ".join(f"{n:,} x {status}" for status, n in sorted(self.flood_statuses.items()))
        other = ", ".join(f"{n:,} x {status}" for status, n in sorted(self.other_statuses.items()))
        return [f"| another client's `ASK {{}}`, p50 / p95: alone | {ms(_p(self.idle, 50))} / {ms(_p(self.idle, 95))} |",
                f"| the same beside {FLOODERS} queries at once from one address | "
                f"{ms(_p(self.flooded, 50))} / {ms(_p(self.flooded, 95))} |",
                f"| the flood's answers / the other client's | {answered} / {other} |"]


def _p(samples: list[float], q: int) -> float:
    return statistics.quantiles(samples, n=100)[q - 1] if len(samples) > 1 else (samples or [0.0])[0]


def measure_flood(sparql_url: str) -> Flood:
    result = Flood()
    with httpx.Client(timeout=60, headers={"X-Forwarded-For": OTHER}) as other, \
            httpx.Client(timeout=120, headers={"X-Forwarded-For": FLOODER, "Content-Type": "application/sparql-query"},
                         limits=httpx.Limits(max_connections=FLOODERS)) as flooder:
        for _ in range(ROUNDS):
            result.idle += _asks(other, result.other_statuses, sparql_url)
            stop = threading.Event()
            flooders = _start_flood(flooder, sparql_url, stop, result.flood_statuses)
            try:
                time.sleep(0.5)  # the flood's queue fills
                result.flooded += _asks(other, result.other_statuses, sparql_url)
            finally:
                stop.set()
                for t in flooders:
                    t.join(timeout=120)
    return result


def _asks(client: httpx.Client, statuses: Counter, url: str) -> list[float]:
    samples = []
    for _ in range(ASKS):
        start = time.perf_counter()
        response = client.get(url, params={"query": "ASK {}"})
        samples.append(time.perf_counter() - start)
        statuses[response.status_code] += 1
        time.sleep(PAUSE)
    return samples


def _start_flood(client: httpx.Client, url: str, stop: threading.Event, statuses: Counter) -> list[threading.Thread]:
    lock = threading.Lock()

    def flood() -> None:
        while not stop.is_set():
            status = client.post(url, content=FLOOD_QUERY).status_code
            with lock:
                statuses[status] += 1

    threads = [threading.Thread(target=flood, daemon=True) for _ in range(FLOODERS)]
    for t in threads:
        t.start()
    return threads


__all__ = ["Flood", "measure_flood"]
