"""The query worker pool started as a fresh install runs it: from a clone's root, and when its
workers cannot start at all."""
from __future__ import annotations

import subprocess
import sys
import threading

import pyoxigraph as ox
import pytest

from skillsgraph.api.sparql import worker_processes, workers
from skillsgraph.api.sparql.evaluation import Job
from skillsgraph.api.sparql.workers import NoWorker, WorkerPool
from skillsgraph.store.base import Dataset, Limits

ASK = Job("ASK { ?s ?p ?o }", Dataset(), Limits(), "http://example.org/sparql", "application/sparql-results+json")


@pytest.fixture
def location(tmp_path) -> str:
    store = ox.Store(str(tmp_path / "store"))
    store.add(ox.Quad(ox.NamedNode("http://example.org/s"), ox.NamedNode("http://example.org/p"), ox.Literal("o")))
    store.flush()
    del store
    return str(tmp_path / "store")


def test_the_template_does_not_import_from_its_working_directory(tmp_path):
    """Served from a clone's root, beside a regular install, the clone's skillsgraph/ folder
    (a part of the package only) must not be what the workers import."""
    shadow = tmp_path / "clone" / "skillsgraph"
    shadow.mkdir(parents=True)
    (shadow / "__init__.py").write_text("", encoding="utf-8")
    seen = subprocess.run([sys.executable, *worker_processes.INTERPRETER_FLAGS, "-c",
                           "import sys, skillsgraph; print(list(skillsgraph.__path__)); print(sys.path)"],
                          cwd=shadow.parent, capture_output=True, text=True, check=True).stdout.splitlines()
    assert str(shadow) not in seen[0] and "''" not in seen[1] and str(shadow.parent) not in seen[1], seen


def test_workers_started_so_answer_queries(location, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    pool = WorkerPool(location, warm=1, most=2)
    try:
        reply = pool.run(ASK, timeout=30, wait=30)
    finally:
        pool.close()
    assert b'"boolean":true' in reply.body


def test_workers_that_cannot_start_give_no_worker_within_a_bound_not_a_hang(location, monkeypatch):
    monkeypatch.setattr(sys, "executable", "/bin/false")  # the template ends at once, every time
    monkeypatch.setattr(workers, "STARTING_WAIT", 1.0)
    pool = WorkerPool(location, warm=1, most=2)
    outcome: list[BaseException] = []

    def ask() -> None:
        try:
            pool.run(ASK, timeout=5, wait=0.2)
        except BaseException as exc:  # noqa: BLE001 (handed to the assertion)
            outcome.append(exc)
    asking = threading.Thread(target=ask, daemon=True)
    asking.start()
    asking.join(60)  # a liveness bound for the test only: the pool gives up after STARTING_WAIT
    pool.close()
    assert not asking.is_alive(), "the query waited on for workers that never started"
    assert len(outcome) == 1 and isinstance(outcome[0], NoWorker) and outcome[0].starting


@pytest.fixture
def wide_location(tmp_path) -> str:
    """A store of 2,000 triples: a three-way cross product over it runs for minutes."""
    store = ox.Store(str(tmp_path / "wide"))
    store.extend(ox.Quad(ox.NamedNode(f"http://example.org/s{n}"), ox.NamedNode("http://example.org/p"), ox.Literal(str(n)))
                 for n in range(2000))
    store.flush()
    del store
    return str(tmp_path / "wide")


CROSS = Job("SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?x . ?b ?q ?y . ?c ?r ?z }", Dataset(), Limits(),
            "http://example.org/sparql", "application/sparql-results+json")


def test_an_awaited_query_is_answered_on_the_loop_and_a_cancelled_one_stops_its_worker(wide_location, monkeypatch):
    """With a worker idle, `answer` sends the job and reads a small result on the event loop (no
    thread); a request cancelled while its query runs (the client went away) stops that worker,
    so that no later job reads the cancelled one's answer."""
    import asyncio
    import os
    import time
    pool = WorkerPool(wide_location, warm=1, most=2)

    async def on_thread(*_args, **_kwargs):
        raise AssertionError("a small result from an idle worker went through a thread")

    async def scenario() -> tuple[bytes, int, bytes]:
        pool.run(ASK, timeout=30, wait=30)  # workers started
        monkeypatch.setattr(workers, "_on_thread", on_thread)
        first = (await pool.answer(ASK, timeout=30, wait=30)).body
        monkeypatch.undo()
        before = set(pool.pids())
        running = asyncio.ensure_future(pool.answer(CROSS, timeout=300, wait=30))
        await asyncio.sleep(0.5)
        busy = [w.pid for w in pool._busy]
        running.cancel()
        with pytest.raises(asyncio.CancelledError):
            await running
        assert len(busy) == 1 and busy[0] in before
        return first, busy[0], (await pool.answer(ASK, timeout=30, wait=30)).body

    try:
        first, cancelled, after = asyncio.run(scenario())
        stopped = time.monotonic() + 10  # a liveness bound for the test only
        while cancelled in pool.pids() and time.monotonic() < stopped:
            time.sleep(0.05)
        gone = cancelled not in pool.pids()
    finally:
        pool.close()
    assert b'"boolean":true' in first and b'"boolean":true' in after
    assert gone, "the cancelled query's worker was lent again"
    with pytest.raises(ProcessLookupError):
        os.kill(cancelled, 0)
