"""The query worker pool started as a fresh install runs it: from a clone's root, and when its
workers cannot start at all."""
from __future__ import annotations

import subprocess
import sys
import threading

import pyoxigraph as ox
import pytest

from skillsgraph.api.sparql import workers
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
    seen = subprocess.run([sys.executable, *workers.INTERPRETER_FLAGS, "-c",
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
