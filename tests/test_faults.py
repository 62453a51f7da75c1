"""Faults in a shared home, with real processes (issue 11): kill -9 of `build`, `import onet` and
`serve` at fixed points, a full disk, two servers on one home and a build between them.

Each kill lands at a point the test waits for, not after a random sleep: a file or directory
the process makes there appears (a framework's cache entry, a staged build or release, a
store's `.loading-PID` directory), or a line it prints. After each: nothing lost (the running
server answers as before, the previous files are the same files), nothing half-written, no
helper process left, and the next writer removes what the killed one left, saying so.

The served home holds a synthetic catalogue of 12 frameworks (`skillsgraph generate`): built
in seconds, loaded into a store in a few, large enough that a kill lands while a build is
written or a store loads. The import faults use the real O*NET 27.0 text release (imported
in ~6 s with two workers), in a home no server loads (its store would take a minute).
"""
from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psutil
import pytest

from graph_support import DATA_DIR, NAMESPACE, cli_command, cli_env, replace_once, run_cli
from onet_fixtures import TEXT_27
from server_fixtures import SHARED, LiveServer, free_port, stop_server

SYNTHETIC_NS = "https://w3id.org/skillsgraph/synthetic/"
COUNTS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
CROSSWALK = SHARED / "crosswalks" / "onet" / "2010_to_2019_Crosswalk.csv"
LEFT_BY = re.compile(r"removed (\S+), left by process (\d+)")


# ---- processes --------------------------------------------------------------------------------

def spawn(home: Path, *args: str, namespace: str = SYNTHETIC_NS, log: str = "command.log") -> subprocess.Popen:
    """`skillsgraph ARGS` in the background, its output in home/log."""
    return subprocess.Popen([*cli_command(), *args], env=cli_env(home, namespace), cwd=home,
                            stdout=open(home / log, "wb"), stderr=subprocess.STDOUT)


def serve(home: Path, *args: str, log: str = "server.log", timeout: float = 120) -> LiveServer:
    """A running `skillsgraph serve` over the home, once it answers /health."""
    port = free_port()
    process = spawn(home, "serve", "--port", str(port), "--log-level", "warning", *args, log=log)
    server = LiveServer(f"http://127.0.0.1:{port}", SYNTHETIC_NS, home, process)

    def healthy() -> bool:
        try:
            return httpx.get(server.base_url + "/health", timeout=1).status_code == 200
        except httpx.TransportError:
            return False
    try:
        wait_for(healthy, process, "an answer to /health", timeout)
    except BaseException:
        process.kill()
        raise
    return server


def wait_for(condition, process: subprocess.Popen, what: str, timeout: float = 120):
    """Poll (tightly: some points last tens of milliseconds) until condition() gives a value."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        assert process.poll() is None, f"the process ended (exit {process.returncode}) before {what}"
        time.sleep(0.0005)
    raise AssertionError(f"no {what} within {timeout}s")


def kill_9(process: subprocess.Popen) -> list[psutil.Process]:
    """SIGKILL the process; its helper processes (pool workers, query workers), which must end too."""
    helpers = psutil.Process(process.pid).children(recursive=True)
    process.send_signal(signal.SIGKILL)
    assert process.wait(timeout=10) == -signal.SIGKILL, "the kill landed before the process ended"
    return helpers


def assert_no_orphans(helpers: list[psutil.Process]) -> None:
    _, alive = psutil.wait_procs(helpers, timeout=10)
    alive = [p for p in alive if p.status() != psutil.STATUS_ZOMBIE]
    assert not alive, f"helper processes outlived their parent: {[p.pid for p in alive]}"


def staged_by(folder: Path, pid: int) -> list[Path]:
    return [p for p in folder.iterdir() if f"writing-{pid}-" in p.name or p.name.endswith(f".loading-{pid}")]


def leftovers(home: Path) -> list[str]:
    return sorted(str(p.relative_to(home)) for folder in (home, home / "imports", home / "oxigraph",
                                                          home / "cache" / "frameworks")
                  if folder.is_dir() for p in folder.iterdir() if re.search(r"(writing|loading)-\d+", p.name))


def identity(file: Path) -> tuple[int, int, int]:
    """The same file, unchanged: its inode (a rename would replace it), size and modification time."""
    stat = file.stat()
    return stat.st_ino, stat.st_size, stat.st_mtime_ns


def answers(server) -> tuple:
    """What the server says: health, ASK, and the size of every graph."""
    client = server.client
    health = client.get("/health", timeout=10).status_code
    ask = client.post("/sparql", content="ASK {}", headers={"content-type": "application/sparql-query",
                                                             "accept": "application/sparql-results+json"}, timeout=30)
    counts = client.get("/sparql", params={"query": COUNTS}, headers={"accept": "application/sparql-results+json"},
                        timeout=30)
    assert ask.status_code == counts.status_code == 200, (ask.text[:300], counts.text[:300])
    rows = [(b["g"]["value"], int(b["n"]["value"])) for b in counts.json()["results"]["bindings"]]
    return health, ask.json()["boolean"], rows


# ---- the served home: a synthetic catalogue, built, with a server -------------------------------

@pytest.fixture(scope="module")
def catalogue(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("faults-catalogue") / "synthetic"
    done = run_cli("generate", "--occupations", "12", "--out", str(out), home=out.parent / "generate-home")
    assert done.returncode == 0, done.stderr.decode()
    return out


@pytest.fixture(scope="module")
def home(tmp_path_factory, catalogue) -> Path:
    home = tmp_path_factory.mktemp("faults-home")
    done = run_cli("build", "--data", str(catalogue), "--workers", "2", home=home, namespace=SYNTHETIC_NS)
    assert done.returncode == 0, done.stderr.decode()
    return home


@pytest.fixture(scope="module")
def served(home, catalogue):
    """Server A over the home, and its answers when it started: every fault below leaves them as they were."""
    server = serve(home, "--data", str(catalogue), log="server-a.log")
    first = answers(server)
    yield server, first
    stop_server(server)


def test_kill_9_of_build_while_it_validates_and_while_it_writes_loses_nothing(home, served, catalogue, tmp_path):
    server, first = served
    build, stamp = home / "skillsgraph.nq", home / "skillsgraph.inputs"
    before, stamped = identity(build), stamp.read_bytes()
    cache = home / "cache" / "frameworks"
    # The same catalogue under another namespace: every framework validated again, another 19 MB.
    points = {"a framework's result cached": lambda p: len(list(cache.glob("*.nq"))) > cached,
              "the build file staged": lambda p: staged_by(home, p.pid)}
    for point, reached in points.items():
        cached = len(list(cache.glob("*.nq")))
        process = spawn(home, "build", "--data", str(catalogue), "--workers", "2", namespace=NAMESPACE)
        wait_for(lambda: reached(process), process, point)
        assert_no_orphans(kill_9(process))
        assert identity(build) == before and stamp.read_bytes() == stamped, f"killed at {point}"
        assert answers(server) == first
    left = leftovers(home)
    assert left, "the kill while writing left its staged file"
    # The next writer (a build of the served catalogue: nothing to write) removes what they left.
    done = run_cli("build", "--data", str(catalogue), home=home, namespace=SYNTHETIC_NS)
    assert done.returncode == 0, done.stderr.decode()
    removed = {name for name, _pid in LEFT_BY.findall(done.stderr.decode())}
    assert set(left) <= removed and not leftovers(home)
    assert identity(build) == before and answers(server) == first


def test_kill_9_of_serve_while_it_loads_its_store_and_while_it_serves(home, served, catalogue, tmp_path):
    server, first = served
    extra = tmp_path / "extra.nt"   # another file served: another store, loaded from scratch
    extra.write_text("".join(f'<http://example.org/s{i}> <http://example.org/p> "{i}" .\n' for i in range(2000)))
    args = ["--data", str(catalogue), f"--load={extra}=http://example.org/extra"]
    loading = spawn(home, "serve", "--port", str(free_port()), *args, log="loading.log")
    staging = wait_for(lambda: staged_by(home / "oxigraph", loading.pid), loading, "the store's staging directory")
    assert_no_orphans(kill_9(loading))
    assert staging[0].is_dir() and answers(server) == first
    # The next start removes the half-loaded store, loads its own and serves the same data and the extra graph.
    restarted = serve(home, *args, log="restarted.log")
    try:
        log = (home / "restarted.log").read_text()
        assert f"process {loading.pid} (serve) ended without releasing the write lock" in log, log
        assert f"removed {staging[0].relative_to(home)}, left by process {loading.pid}" in log, log
        assert not staging[0].exists() and not leftovers(home)
        health, ask, rows = answers(restarted)
        assert (health, ask) == first[:2] and set(first[2]) < set(rows)
        assert ("http://example.org/extra", 2000) in rows
        store = (home / "oxigraph" / "current").resolve()
        assert_no_orphans(kill_9(restarted.process))   # serving: its query workers end with it
    finally:
        stop_server(restarted)
    assert store.is_dir() and answers(server) == first
    again = serve(home, *args, log="again.log")
    try:
        assert answers(again)[2] == rows and (home / "oxigraph" / "current").resolve() == store
    finally:
        stop_server(again)
