"""Faults in a shared home, with real processes (issue 11): kill -9 of `build`, `import onet` and
`serve` at fixed points, a full disk, two servers on one home and a build between them.

Each kill lands at a point the test waits for, not after a random sleep: a file or directory
the process makes there appears (a framework's cache entry, a staged build or release, a
store's `.loading-PID` directory), or a line it prints. After each: nothing lost (the running
server answers as before, the previous files are the same files), nothing half-written, no
helper process left, and the next writer removes what the killed one left, saying so.

The served home holds a synthetic catalogue of 6 frameworks (`skillsgraph generate`): built
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

from disk_support import fill, small_disk as mounted_small_disk
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
    with open(home / log, "wb") as out:
        return subprocess.Popen([*cli_command(), *args], env=cli_env(home, namespace), cwd=home,
                                stdout=out, stderr=subprocess.STDOUT)


def serve(home: Path, *args: str, log: str = "server.log", namespace: str = SYNTHETIC_NS) -> LiveServer:
    """A running `skillsgraph serve` over the home, once it answers /health."""
    port = free_port()
    process = spawn(home, "serve", "--port", str(port), "--log-level", "warning", *args, log=log, namespace=namespace)
    server = LiveServer(f"http://127.0.0.1:{port}", namespace, home, process)
    try:
        wait_for(lambda: healthy(server), process, "an answer to /health")
    except BaseException:
        process.kill()
        raise
    return server


def healthy(server: LiveServer) -> bool:
    try:
        return httpx.get(server.base_url + "/health", timeout=1).status_code == 200
    except httpx.TransportError:
        return False


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
    """SIGKILL the process; its helper processes (pool workers, query workers), which must end too.
    It is stopped first: listing its helpers takes milliseconds under load, time enough for a
    build to finish the step it was caught in; a stopped process starts no new helper."""
    process.send_signal(signal.SIGSTOP)
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


def ask(server: LiveServer, query: str) -> bool:
    response = server.client.get("/sparql", params={"query": query}, headers={"accept": "application/sparql-results+json"},
                                 timeout=30)
    assert response.status_code == 200, response.text[:300]
    return response.json()["boolean"]


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
    done = run_cli("generate", "--occupations", "6", "--out", str(out), home=out.parent / "generate-home")
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


def store_of(home: Path) -> Path:
    """The store the last server to start opened."""
    return (home / "oxigraph" / "current").resolve()


def test_kill_9_of_build_while_it_validates_and_while_it_writes_loses_nothing(home, served, catalogue, tmp_path):
    server, first = served
    build, stamp = home / "skillsgraph.nq", home / "skillsgraph.inputs"
    before, stamped = identity(build), stamp.read_bytes()
    cache = home / "cache" / "frameworks"
    # The same catalogue under another namespace: every framework validated again, another 9.5 MB.
    validating = "a framework's result cached, the others being validated by two workers"
    points = {validating: lambda p: len(list(cache.glob("*.nq"))) > cached,
              # The build file's own staging, not the journal's: that comes just before the renames.
              "the build file staged": lambda p: [f for f in staged_by(home, p.pid)
                                                  if f.name.startswith(f".{build.name}.writing-")
                                                  or f.name.startswith(f"..{build.name}.writing-")]}
    for point, reached in points.items():
        cached = len(list(cache.glob("*.nq")))
        process = spawn(home, "build", "--data", str(catalogue), "--workers", "2", namespace=NAMESPACE)
        wait_for(lambda: reached(process), process, point)
        helpers = kill_9(process)
        assert len(helpers) >= 2 or point != validating, helpers
        assert_no_orphans(helpers)
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
        store = store_of(home)
        helpers = kill_9(restarted.process)   # serving: its template and query workers end with it
        assert len(helpers) >= 3, helpers
        assert_no_orphans(helpers)
    finally:
        stop_server(restarted)
    assert store.is_dir() and answers(server) == first
    again = serve(home, *args, log="again.log")
    try:
        assert answers(again)[2] == rows and store_of(home) == store, "the same store, reopened"
    finally:
        stop_server(again)


def test_a_build_while_a_server_runs_and_two_servers_starting_together(home, served, catalogue, tmp_path):
    server, first = served
    own = store_of(home)
    changed = tmp_path / "changed"
    shutil.copytree(catalogue, changed)
    replace_once(changed / "frameworks" / "99-0001.00.yaml", "context: Synthetic framework", "context: Edited framework")
    done = run_cli("build", "--data", str(changed), home=home, namespace=SYNTHETIC_NS)
    assert done.returncode == 0, done.stderr.decode()
    edited = 'ASK { ?s ?p ?o FILTER(STRSTARTS(STR(?o), "Edited framework")) }'
    assert answers(server) == first and not ask(server, edited)
    stores = set((home / "oxigraph").iterdir())
    # Two servers starting together on the new build: one loads its store, the other waits for
    # it (under the write lock) and opens the same store; the first server keeps its own.
    both = [spawn(home, "serve", "--port", str(port), "--log-level", "warning", "--data", str(changed), log=f"{port}.log")
            for port in (free_port(), free_port())]
    servers = []
    try:
        for process in both:
            port = process.args[process.args.index("--port") + 1]
            servers.append(LiveServer(f"http://127.0.0.1:{port}", SYNTHETIC_NS, home, process))
            wait_for(lambda: healthy(servers[-1]), process, "an answer to /health")
        new = set((home / "oxigraph").iterdir()) - stores
        assert len([p for p in new if p.is_dir() and not p.name.startswith(".")]) == 1, new
        assert all(ask(s, edited) for s in servers) and answers(servers[0]) == answers(servers[1])
        assert answers(server) == first and not ask(server, edited)
        assert own.is_dir() and store_of(home) != own, "the first server's store is kept while it serves"
        assert not leftovers(home)
    finally:
        for s in servers:
            stop_server(s)
    assert answers(server) == first
    done = run_cli("build", "--data", str(catalogue), home=home, namespace=SYNTHETIC_NS)
    assert done.returncode == 0, done.stderr.decode()


# ---- imports: the real O*NET 27.0 release, in a home no server loads ------------------------------

@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> tuple[Path, dict]:
    home = tmp_path_factory.mktemp("faults-onet-home")
    done = run_cli("import", "onet", str(TEXT_27), "--workers", "2", home=home, timeout=300)
    assert done.returncode == 0, done.stderr.decode()
    return home, import_files(home)


def import_files(home: Path) -> dict:
    return {p.name: identity(p) for p in sorted((home / "imports").iterdir()) if not p.name.startswith(".")}


def test_kill_9_of_import_onet_while_it_maps_and_once_its_release_is_staged(imported):
    home, files = imported
    assert set(files) == {"onet-27.0.nq", "links-onet-27.0.nq", "anchors-onet-27.0.nq", "anchors-onet-27.0.inputs"}
    log = home / "import.log"
    mapping = "the release's files mapped by two workers"
    points = {mapping:
              lambda p: b"file(s) to import" in log.read_bytes() and len(psutil.Process(p.pid).children()) >= 2,
              "the release staged, before its links": lambda p: staged_release(home, p.pid).exists()}
    for point, reached in points.items():
        process = spawn(home, "import", "onet", str(TEXT_27), "--workers", "2", namespace=NAMESPACE, log=log.name)
        wait_for(lambda: reached(process), process, point)
        helpers = kill_9(process)
        assert len(helpers) >= 2 or point != mapping, helpers
        assert_no_orphans(helpers)
        assert import_files(home) == files, f"killed at {point}: the previous release and links stay as they were"
    left = leftovers(home)
    assert f"imports/{staged_release(home, process.pid).name}" in left
    # The next writer (a small crosswalk import) removes the staged release and says so.
    done = run_cli("import", "crosswalk", "onet-soc-2010-2019", str(CROSSWALK), home=home)
    assert done.returncode == 0, done.stderr.decode()
    assert set(left) <= {name for name, _ in LEFT_BY.findall(done.stderr.decode())} and not leftovers(home)
    assert {k: v for k, v in import_files(home).items() if k in files} == files


def staged_release(home: Path, pid: int) -> Path:
    return home / "imports" / f".onet-27.0.nq.writing-{pid}-unit.tmp"


def test_a_release_imported_without_its_links_is_named_for_serve_to_warn_of(tmp_path):
    from skillsgraph.loader.onet.home_files import unlinked_releases
    imports = tmp_path / "imports"
    imports.mkdir()
    for name in ("onet-27.0.nq", "links-onet-27.0.nq", "onet-29.3.nq", "crosswalk-cip-soc-2020.nq"):
        (imports / name).write_text("")
    assert unlinked_releases(imports) == [imports / "onet-29.3.nq"]


KILLED_AFTER_ITS_JOURNAL = """
import os, signal, sys
from pathlib import Path
from skillsgraph import staging
folder = Path(sys.argv[1])
files = []
for name in ("onet-9.9.nq", "links-onet-9.9.nq"):
    staging.staged(folder / name).write_text(f"new {name}\\n")
    files.append((staging.staged(folder / name), folder / name))
staging._finish = lambda folder, journal: os.kill(os.getpid(), signal.SIGKILL)
staging.commit_unit(files)
"""


def test_a_unit_whose_writer_was_killed_after_its_journal_is_finished_by_the_next_writer(tmp_path):
    from skillsgraph.home_lock import writing
    imports = tmp_path / "imports"
    imports.mkdir()
    names = ("onet-9.9.nq", "links-onet-9.9.nq")
    for name in names:
        (imports / name).write_text(f"old {name}\n")
    killed = subprocess.run([sys.executable, "-c", KILLED_AFTER_ITS_JOURNAL, str(imports)])
    assert killed.returncode == -signal.SIGKILL
    assert [(imports / n).read_text() for n in names] == [f"old {n}\n" for n in names]
    assert list(imports.glob(".commit-*.journal"))
    notes: list[str] = []
    with writing(tmp_path, "test", notes.append):
        assert [(imports / n).read_text() for n in names] == [f"new {n}\n" for n in names]
    assert len(notes) == 1 and notes[0].startswith("finished the commit imports/.commit-"), notes
    assert sorted(p.name for p in imports.iterdir()) == sorted(names), "no journal or staged file is left"


def test_a_writer_waits_for_the_holder_of_the_lock_and_names_it(tmp_path):
    from skillsgraph.home_lock import writing
    with writing(tmp_path, "test: holding the lock", lambda _: None):
        process = spawn(tmp_path, "import", "crosswalk", "onet-soc-2010-2019", str(CROSSWALK), namespace=NAMESPACE)
        log = tmp_path / "command.log"
        wait_for(lambda: b"waiting for process" in log.read_bytes(), process, "the waiting line")
        assert f"waiting for process {os.getpid()} (test: holding the lock) to finish writing" in log.read_text()
        time.sleep(0.5)
        assert not (tmp_path / "imports").exists(), "nothing is written while another process holds the lock"
    assert process.wait(timeout=120) == 0, log.read_text()
    assert len(list((tmp_path / "imports").glob("crosswalk-*.nq"))) == 1


# ---- a full disk: a small tmpfs home --------------------------------------------------------------

@pytest.fixture
def small_disk(tmp_path):
    """A 24 MiB tmpfs, unmounted afterwards."""
    with mounted_small_disk(tmp_path / "disk") as disk:
        yield disk


def test_a_full_disk_fails_build_import_and_a_new_store_with_a_message_and_keeps_what_was_served(
        small_disk, catalogue, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data, ignore=shutil.ignore_patterns("published"))
    home = small_disk / "home"
    done = run_cli("build", "--data", str(data), home=home)
    assert done.returncode == 0, done.stderr.decode()
    server = serve(home, "--data", str(data), namespace=NAMESPACE)
    try:
        first = answers(server)
        build, stamp, store = home / "skillsgraph.nq", home / "skillsgraph.inputs", store_of(home)
        before = identity(build), stamp.read_bytes()
        fill(small_disk)
        # A build of another catalogue: its frameworks' results and its build file cannot be written.
        done = run_cli("build", "--data", str(catalogue), home=home, namespace=SYNTHETIC_NS)
        stderr = done.stderr.decode()
        assert done.returncode == 1 and "No space left on device" in stderr and "nothing was written" in stderr, stderr
        assert "Traceback" not in stderr and (identity(build), stamp.read_bytes()) == before
        # An import: refused the same way, the imports as they were (none).
        done = run_cli("import", "crosswalk", "onet-soc-2010-2019", str(CROSSWALK), home=home)
        stderr = done.stderr.decode()
        assert done.returncode == 1 and "No space left on device" in stderr and "nothing was written" in stderr, stderr
        assert "Traceback" not in stderr and not list((home / "imports").glob("*.nq"))
        # A second server whose store must be loaded (another file served): it cannot, says why, and ends.
        extra = tmp_path / "extra.nt"
        extra.write_text("".join(f'<http://example.org/s{i}> <http://example.org/p> "{i}" .\n' for i in range(2000)))
        done = run_cli("serve", "--port", str(free_port()), "--data", str(data), f"--load={extra}=http://example.org/extra",
                       home=home, timeout=120)
        stderr = done.stderr.decode()
        assert done.returncode == 1 and "cannot open the oxigraph store" in stderr and "Traceback" not in stderr, stderr
        assert not leftovers(home), "nothing half-written is left"
        assert store.is_dir() and store_of(home) == store
        assert answers(server) == first
    finally:
        stop_server(server)
