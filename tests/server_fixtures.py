"""A real uvicorn process serving the bundled data, for tests that act as HTTP clients.

Registered as a pytest plugin by conftest.py, so each server starts once per session.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
W3C_PROTOCOL = SHARED / "w3c" / "sparql11-protocol"
# The W3C protocol manifest names its test data by these graph IRIs.
W3C_GRAPHS = {f"data{i}.nt": f"http://kasei.us/2009/09/sparql/data/data{i}.rdf" for i in (1, 2, 3)}
NAMESPACE = "https://w3id.org/skillsgraph/"


@dataclass
class LiveServer:
    base_url: str
    namespace: str
    home: Path
    process: subprocess.Popen
    store: str = "oxigraph"

    @property
    def published(self) -> int:
        """How many of the bundled crosswalks and classifications it serves: all, but on the
        memory store, which serves the build without them (they are too large for it)."""
        from skillsgraph.loader.bundled import entries
        return 0 if self.store == "memory" else len(entries(REPO / "data"))

    def url_for(self, iri: str) -> str:
        """The local URL at which an IRI minted under the namespace dereferences."""
        assert iri.startswith(self.namespace), iri
        return self.base_url + "/" + iri[len(self.namespace):]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(home: Path, extra_args: list[str] = (), env: dict | None = None, timeout: float = 240) -> LiveServer:
    port = free_port()
    loads = [f"--load={W3C_PROTOCOL / name}={graph}" for name, graph in W3C_GRAPHS.items()]
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
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"server did not start within {timeout}s: {(home / 'server.log').read_text()}")


def stop_server(server: LiveServer) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()


# The API suite runs once per store kind; SKILLSGRAPH_TEST_STORES narrows it while developing.
STORE_KINDS = [k for k in os.environ.get("SKILLSGRAPH_TEST_STORES", "oxigraph,memory,sparql").split(",") if k]


def start_oxigraph_server(home: Path) -> tuple[subprocess.Popen, str]:
    """A real external SPARQL 1.1 server (Oxigraph's, from PyPI) for the `sparql` store."""
    port = free_port()
    log = open(home / "oxigraph-server.log", "wb")
    process = subprocess.Popen(["oxigraph", "serve", "--bind", f"127.0.0.1:{port}", "--union-default-graph",
                                "--location", str(home / "oxigraph-server-data")], stdout=log, stderr=subprocess.STDOUT)
    return process, f"http://127.0.0.1:{port}"


@pytest.fixture(scope="session", params=STORE_KINDS)
def live_server(request, tmp_path_factory) -> LiveServer:
    kind = request.param
    home = tmp_path_factory.mktemp(f"server-home-{kind}")
    backend = None
    args = ["--store", kind]
    if kind == "sparql":
        backend, endpoint = start_oxigraph_server(home)
        args += ["--sparql-endpoint", endpoint]
    server = start_server(home, args)
    server.store = kind
    yield server
    stop_server(server)
    if backend is not None:
        backend.terminate()
        backend.wait(timeout=10)
