"""Real processes: `skillsgraph serve` under uvicorn, and Oxigraph's server behind the `sparql` store.

Registered as a pytest plugin by conftest.py. Only tests whose subject needs a socket or
the process itself use these: the W3C protocol and service-description manifests over
real HTTP, real SPARQL clients (SPARQLWrapper, rdflib's SPARQLStore, Comunica), headless
Chromium, the event loop and time limit of a running server, and the CLI's start, restart
and rebuild behaviour. Everything else calls the app in-process (app_fixtures.py).

A live server of each store kind starts at most once per session and stays up until its
end. Every home of these servers is a copy of the run's seeded home (seeded_homes.py): the
bundled build, its input stamps and its loaded store, so no start builds or loads them again.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
W3C_PROTOCOL = SHARED / "w3c" / "sparql11-protocol"
# The W3C protocol manifest names its test data by these graph IRIs.
W3C_GRAPHS = {f"data{i}.nt": f"http://kasei.us/2009/09/sparql/data/data{i}.rdf" for i in (1, 2, 3)}
# The same files as extras of open_store, in --load order: what the in-process apps load.
W3C_EXTRAS = [(W3C_PROTOCOL / name, graph) for name, graph in W3C_GRAPHS.items()]
NAMESPACE = "https://w3id.org/skillsgraph/"

# The API suite runs once per store kind; SKILLSGRAPH_TEST_STORES narrows it while developing.
# `sparql` is Oxigraph's server behind the sparql store, `virtuoso` Virtuoso open source behind
# it: only the modules of conftest.ON_EVERY_ENGINE run on virtuoso too (answers that differ by engine).
STORE_KINDS = [k for k in os.environ.get("SKILLSGRAPH_TEST_STORES", "oxigraph,memory,sparql,virtuoso").split(",") if k]
EXTERNAL_KINDS = ("sparql", "virtuoso")
# The kinds every API test runs on.
API_KINDS = [k for k in STORE_KINDS if k != "virtuoso"]
# The store kinds whose test servers and apps hold the half million triples of the bundled
# published files beside the build, as `serve` does by default: the default store only. The
# memory store never serves them (serve leaves them out: too large for rdflib); the sparql
# store serves the build alone in the suite, since it loads through the Graph Store Protocol
# the same way whatever the files (test_default_graph_set loads real crosswalks into it), and
# the published graphs would cost each of its several loads a minute.
PUBLISHED_KINDS = ("oxigraph",)


@dataclass
class LiveServer:
    base_url: str
    namespace: str
    home: Path
    process: subprocess.Popen
    store: str = "oxigraph"
    backend: "External | None" = None  # the external server behind a `sparql` store
    _client: httpx.Client | None = field(default=None, repr=False)

    @property
    def published(self) -> int:
        """How many of the bundled crosswalks and classifications it serves (PUBLISHED_KINDS)."""
        return bundled_entries() if self.store in PUBLISHED_KINDS else 0

    def url_for(self, iri: str) -> str:
        """The local URL at which an IRI minted under the namespace dereferences."""
        assert iri.startswith(self.namespace), iri
        return self.base_url + "/" + iri[len(self.namespace):]

    @property
    def client(self) -> httpx.Client:
        """An HTTP client of this server (the same attribute as app_fixtures.InProcessApi's)."""
        if self._client is None:
            self._client = httpx.Client(base_url=self.base_url, timeout=120)
        return self._client


def bundled_entries() -> int:
    """How many crosswalks and classifications data/published bundles."""
    from skillsgraph.loader.bundled import entries
    return len(entries(REPO / "data"))


_HANDED_OUT: set[int] = set()


def free_port(ports: str = "SKILLSGRAPH_TEST_PORTS") -> int:
    """A free local port: any, or one of SKILLSGRAPH_TEST_PORTS (say 8880-8899) on a shared machine
    (Virtuoso's: SKILLSGRAPH_TEST_VIRTUOSO_SQL_PORTS and SKILLSGRAPH_TEST_VIRTUOSO_HTTP_PORTS)."""
    first, _, last = os.environ.get(ports, "0").partition("-")
    for port in range(int(first), int(last or first) + 1):
        if port in _HANDED_OUT:
            continue  # given to a process that may not have bound it yet
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            if port:
                _HANDED_OUT.add(port)
            return s.getsockname()[1]
    raise RuntimeError(f"no free port in {ports}={os.environ[ports]}")


W3C_LOADS = [f"--load={file}={graph}" for file, graph in W3C_EXTRAS]


def start_server(home: Path, extra_args: list[str] = (), env: dict | None = None, timeout: float = 240,
                 loads: list[str] = W3C_LOADS) -> LiveServer:
    port = free_port()
    log = open(home / "server.log", "wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "skillsgraph.cli", "serve", "--port", str(port), "--log-level", "warning", *loads, *extra_args],
        env={**os.environ, "SKILLSGRAPH_HOME": str(home), "SKILLSGRAPH_NAMESPACE": NAMESPACE, **(env or {})},
        stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}: {(home / 'server.log').read_text()}")
        try:
            if httpx.get(base + "/health", timeout=1).status_code == 200:
                return LiveServer(base, NAMESPACE, home, process)
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"server did not start within {timeout}s: {(home / 'server.log').read_text()}")


def stop_process(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def stop_server(server: LiveServer) -> None:
    if server._client is not None:
        server._client.close()
    stop_process(server.process)
    if server.backend is not None:
        server.backend.stop()


def start_oxigraph_server(home: Path, extra_args: list[str] = ()) -> tuple[subprocess.Popen, str]:
    """A real external SPARQL 1.1 server (Oxigraph's, from PyPI) for the `sparql` store."""
    port = free_port()
    log = open(home / "oxigraph-server.log", "wb")
    process = subprocess.Popen(["oxigraph", "serve", "--bind", f"127.0.0.1:{port}", *extra_args,
                                "--location", str(home / "oxigraph-server-data")], stdout=log, stderr=subprocess.STDOUT)
    return process, f"http://127.0.0.1:{port}"


# The password the tests' Virtuoso servers give their dba (the write side of the `virtuoso` kind).
VIRTUOSO_PASSWORD = "test-dba-secret"


@dataclass
class External:
    """An external SPARQL server of the tests, how to reach it, and how to stop it."""
    endpoints: object  # skillsgraph.store.endpoints.Endpoints
    stop: object       # () -> None
    base_url: str


def start_external(kind: str, home: Path) -> External:
    """A new, empty server for this external kind: `oxigraph serve` (sparql) or Virtuoso (virtuoso),
    answering once this returns."""
    from skillsgraph.store.endpoints import Credentials, preset
    from skillsgraph.store.sparql_store import wait_until_ready
    if kind == "virtuoso":
        from skillsgraph.store.virtuoso_server import start_virtuoso
        server = start_virtuoso(home / "virtuoso", free_port("SKILLSGRAPH_TEST_VIRTUOSO_SQL_PORTS"),
                                free_port("SKILLSGRAPH_TEST_VIRTUOSO_HTTP_PORTS"), password=VIRTUOSO_PASSWORD)
        endpoints = preset("virtuoso", server.base_url, Credentials("dba", VIRTUOSO_PASSWORD, "digest"))
        external = External(endpoints, server.stop, server.base_url)
    else:
        process, base = start_oxigraph_server(home)
        external = External(preset("oxigraph", base), lambda: stop_process(process), base)
    try:
        wait_until_ready(external.endpoints, timeout=120)
    except BaseException:
        external.stop()
        raise
    return external


def publish_env(external: External) -> dict[str, str]:
    """The environment `skillsgraph publish` and `serve --store sparql` reach this server with."""
    env = {"SKILLSGRAPH_SPARQL_ENDPOINT": external.base_url, "SKILLSGRAPH_SPARQL_ENGINE": external.endpoints.engine}
    if external.endpoints.credentials is not None:
        env |= {"SKILLSGRAPH_SPARQL_USER": external.endpoints.credentials.user,
                "SKILLSGRAPH_SPARQL_PASSWORD": external.endpoints.credentials.password}
    return env


def run_cli(home: Path, args: list[str], env: dict | None = None, timeout: float = 600) -> subprocess.CompletedProcess:
    """`skillsgraph ARGS` in this home, its output captured."""
    return subprocess.run([sys.executable, "-m", "skillsgraph.cli", *args], capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "SKILLSGRAPH_HOME": str(home), "SKILLSGRAPH_NAMESPACE": NAMESPACE, **(env or {})})


def start_kind(home: Path, kind: str, extra_args: list[str] = (), env: dict | None = None,
               timeout: float = 240) -> LiveServer:
    """A live server of this store kind (for an external kind: its own server, loaded by
    `skillsgraph publish` with the data options and the W3C graphs, then served read-only)."""
    if kind not in EXTERNAL_KINDS:
        server = start_server(home, ["--store", kind, *extra_args], env=env, timeout=timeout)
        server.store = kind
        return server
    external = start_external(kind, home)
    try:
        env = {**publish_env(external), **(env or {})}
        published = run_cli(home, ["publish", *W3C_LOADS, *extra_args], env)
        if published.returncode != 0:
            raise RuntimeError(f"skillsgraph publish failed: {published.stderr[-3000:]}")
        server = start_server(home, ["--store", "sparql"], env=env, timeout=timeout, loads=[])
    except BaseException:
        external.stop()
        raise
    server.store, server.backend = kind, external
    return server


class LiveServers:
    """The session's live servers of the bundled data, one per store kind, started on first use."""

    def __init__(self, tmp_path_factory, seed: Path) -> None:
        self._tmp = tmp_path_factory
        self._seed = seed
        self._servers: dict[str, LiveServer] = {}

    def new_home(self, name: str) -> Path:
        """A new home holding a copy of the seeded one: the bundled build and its store."""
        from seeded_homes import seed_home
        return seed_home(self._seed, self._tmp.mktemp(name))

    def start(self, home: Path, kind: str, extra_args: list[str] = ()) -> LiveServer:
        return start_kind(home, kind, extra_args)

    def of_kind(self, kind: str) -> LiveServer:
        if kind not in self._servers:
            home = self.new_home(f"server-home-{kind}")
            self._servers[kind] = self.start(home, kind, self.data_args(home, kind))
        return self._servers[kind]

    @staticmethod
    def data_args(home: Path, kind: str) -> list[str]:
        """`serve` options giving this kind the data PUBLISHED_KINDS says: the memory store
        leaves the published files out itself; for the sparql store, data/ without them."""
        if kind in PUBLISHED_KINDS or kind == "memory":
            return []
        data = home / "data"
        shutil.copytree(REPO / "data", data, ignore=shutil.ignore_patterns("published"))
        return ["--data", str(data)]

    def stop_all(self) -> None:
        for server in self._servers.values():
            stop_server(server)


@pytest.fixture(scope="session")
def live_servers(tmp_path_factory, published_build):
    from seeded_homes import bundled_seed
    servers = LiveServers(tmp_path_factory, bundled_seed(tmp_path_factory, published_build))
    yield servers
    servers.stop_all()


@pytest.fixture(scope="session", params=API_KINDS)
def live_server(request, live_servers) -> LiveServer:
    """A real uvicorn serving the bundled data (and the W3C protocol graphs, by --load), per store kind."""
    return live_servers.of_kind(request.param)
