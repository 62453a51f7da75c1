"""/trace is bounded (issue 11): a path that names no statement is a 404 before any store work,
an unknown statement a 404 after one query, a trace is computed once, within the query time
limit, and a client gets its share of traces running at once (429 beyond it).

In-process (app_fixtures), on one store kind (the first of SKILLSGRAPH_TEST_STORES), over the
session's store wrapped to record (and, where the test needs a slow store, to slow) each query;
each client is told apart by the address its transport gives the app. (What a trace holds is
test_crosswalk_queries.py's.)
"""
from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from app_fixtures import BASE_URL, _PortalTransport, bundled_extras, first_store_kind
from server_fixtures import NAMESPACE

RELEASE = "framework/29-1129.01/v26.05"
STATEMENTS = [f"{RELEASE}/competency/{level}/{n}" for level in ("emerging", "developing", "proficient", "advanced")
              for n in (1, 2, 3)]


class SlowRecordingStore:
    """The store, each query noted (and delayed by `delay` seconds) before the real store answers it."""

    def __init__(self, store, delay: float = 0.0):
        self._store, self.delay, self.queries = store, delay, []
        self._lock = threading.Lock()

    def query(self, sparql, *args, **kwargs):
        with self._lock:
            self.queries.append(sparql)
        time.sleep(self.delay)
        return self._store.query(sparql, *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._store, name)


class Apps:
    """Apps over the wrapped store, each with its own limits, and clients of them by address."""

    def __init__(self, apps, home):
        kind = first_store_kind()
        self._store = apps.store(kind, home, home / "skillsgraph.nq", bundled_extras(kind, home))
        self._home, self._portal, self._clients = home, apps._portal, []

    def app(self, delay: float = 0.0, timeout: float = 10.0):
        from skillsgraph.api.app import create_app
        from skillsgraph.config import Settings
        from skillsgraph.store.base import Limits
        store = SlowRecordingStore(self._store, delay)
        return create_app(Settings(namespace=NAMESPACE, home=self._home), store, Limits(timeout_seconds=timeout)), store

    def client(self, app, address: str = "10.0.0.1") -> httpx.Client:
        transport = _PortalTransport(app, self._portal)
        transport._asgi.client = (address, 50000)
        client = httpx.Client(transport=transport, base_url=BASE_URL, timeout=60)
        self._clients.append(client)
        return client

    def close(self) -> None:
        for client in self._clients:
            client.close()


@pytest.fixture(scope="module")
def traces(apps, bundled_home):
    made = Apps(apps, bundled_home)
    yield made
    made.close()


@pytest.fixture(scope="module")
def recorded(traces):
    app, store = traces.app()
    return traces.client(app), store


@pytest.mark.parametrize("path", [
    "occupation/29-1129.01", RELEASE, f"{RELEASE}/ai-use/developing/0", f"{RELEASE}/ai-use/developing/1/citation/1",
    f"{RELEASE}/competency/Proficient/1", f"{STATEMENTS[0]}/", "%ff", "%00", "a" * 5000, f"{RELEASE}/competency/<b>/1", "",
])
def test_a_path_that_names_no_statement_is_a_404_without_a_store_query(recorded, path):
    client, store = recorded
    store.queries.clear()
    response = client.get(f"/trace/{path}")
    assert response.status_code == 404
    assert "no statement" in response.text and "e.g. framework/" in response.text
    assert store.queries == []


def test_an_unknown_statement_is_a_404_after_one_query(recorded):
    client, store = recorded
    store.queries.clear()
    response = client.get(f"/trace/{RELEASE}/ai-use/developing/99")
    assert response.status_code == 404 and "no statement with IRI" in response.text
    assert len(store.queries) == 1


def test_a_trace_is_computed_once_for_every_later_request(recorded):
    client, store = recorded
    store.queries.clear()
    first = client.get(f"/trace/{STATEMENTS[0]}")
    assert first.status_code == 200 and first.json()["statement"]["id"] == NAMESPACE + STATEMENTS[0]
    computed = len(store.queries)
    assert computed > 5, "a trace is a few dozen queries"
    again = client.get(f"/trace/{STATEMENTS[0]}")
    assert again.status_code == 200 and again.content == first.content
    assert len(store.queries) == computed


def test_a_trace_past_the_time_limit_is_a_503_and_its_remaining_queries_never_start(traces):
    """Each query takes 0.2 s and the limit is 0.5 s: the trace is given up with a 503 saying
    so, and no query of it starts after that (one already running finishes)."""
    app, store = traces.app(delay=0.2, timeout=0.5)
    client = traces.client(app)
    response = client.get(f"/trace/{STATEMENTS[1]}")
    assert response.status_code == 503
    assert "did not finish within the time limit of 0.5 s" in response.text
    started = len(store.queries)
    time.sleep(0.6)
    assert len(store.queries) <= started + 1, "the trace's remaining queries were never started"


def test_a_client_flooding_traces_gets_429_and_another_client_its_trace(traces):
    """Ten traces at once from one client: its share (two running, four waiting) is answered,
    the rest get 429 with Retry-After; another client's trace meanwhile is answered."""
    app, _store = traces.app(delay=0.02, timeout=120)  # no trace of the share may run out of time
    flooder, other = traces.client(app, "10.0.0.66"), traces.client(app, "10.0.0.7")
    with ThreadPoolExecutor(10) as pool:
        flood = [pool.submit(flooder.get, f"/trace/{path}") for path in STATEMENTS[:10]]
        time.sleep(0.2)
        answer = other.get(f"/trace/{STATEMENTS[11]}")
        answers = [f.result() for f in flood]
    statuses = sorted(a.status_code for a in answers)
    assert statuses == [200] * 6 + [429] * 4, statuses
    refused = [a for a in answers if a.status_code == 429]
    assert all(a.headers["retry-after"].isdigit() and "too many traces from 10.0.0.66" in a.text for a in refused)
    assert answer.status_code == 200
