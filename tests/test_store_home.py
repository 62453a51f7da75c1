"""A shared home under several processes: one loader at a time, no store removed while a process
serves it, staging directories of killed loads cleaned (issue 11).

Small N-Quads files and `prepare_oxigraph` in separate Python processes (each process stands
for a server or a build: the locks are per process); no server, no bundled data.
"""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HOLD = """
import sys, time
from pathlib import Path
from skillsgraph.store.factory import prepare_oxigraph
print(prepare_oxigraph(Path(sys.argv[1]), Path(sys.argv[2]), []), flush=True)
time.sleep(float(sys.argv[3]))
"""


def write_build(home: Path, value: int) -> Path:
    build = home / "build.nq"
    build.write_text(f'<http://example.org/s> <http://example.org/p> "{value}" <http://example.org/g> .\n')
    time.sleep(0.01)  # a new modification time: a new store
    return build


def prepare(home: Path, value: int, hold: float = 0.0) -> tuple[subprocess.Popen, Path]:
    """A process preparing the store of this build (and holding it open for `hold` seconds)."""
    process = subprocess.Popen([sys.executable, "-c", HOLD, str(home), str(write_build(home, value)), str(hold)],
                               stdout=subprocess.PIPE, text=True)
    target = Path(process.stdout.readline().strip())
    if not hold:
        assert process.wait(timeout=60) == 0
    return process, target


def stores(home: Path) -> list[str]:
    return sorted(p.name for p in (home / "oxigraph").iterdir() if p.is_dir() and not p.is_symlink()
                  and not p.name.startswith("."))


def test_a_served_store_outlives_later_builds_and_goes_when_its_server_does(tmp_path):
    server, served = prepare(tmp_path, 1, hold=60)
    try:
        later = [prepare(tmp_path, n)[1] for n in (2, 3, 4)]
        assert served.is_dir(), "the running server's store was kept"
        assert (tmp_path / "oxigraph" / "current").resolve() == later[-1]
    finally:
        server.kill()
        server.wait()
    _, newest = prepare(tmp_path, 5)
    assert not served.exists()
    assert stores(tmp_path) == sorted([later[-1].name, newest.name])  # the newest and one before it


def test_a_killed_loads_staging_directory_is_removed_on_the_next_start(tmp_path):
    (tmp_path / "oxigraph").mkdir()
    abandoned = tmp_path / "oxigraph" / ".0123456789abcdef01234567.loading-999999999"
    abandoned.mkdir()
    (abandoned / "000001.sst").write_bytes(b"\0" * 1024)
    _, target = prepare(tmp_path, 1)
    assert not abandoned.exists()
    assert stores(tmp_path) == [target.name]


def test_two_processes_starting_together_load_once_and_both_serve_it(tmp_path):
    build = write_build(tmp_path, 7)
    processes = [subprocess.Popen([sys.executable, "-c", HOLD, str(tmp_path), str(build), "0"],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    answers = [p.communicate(timeout=120) for p in processes]
    assert [p.returncode for p in processes] == [0, 0], answers
    assert len({out.strip() for out, _ in answers}) == 1
    assert not list((tmp_path / "oxigraph").glob(".*.loading-*"))
    assert len(stores(tmp_path)) == 1


def test_graph_counts_are_kept_beside_the_store_and_go_with_it(tmp_path):
    """Counted once when the store is loaded (what /dataset states), read back as counted, and
    removed with the store they belong to."""
    import pyoxigraph as ox

    from skillsgraph.store.oxigraph_store import OxigraphStore, count_graphs, counts_file
    _, first = prepare(tmp_path, 1)
    kept = counts_file(first)
    assert kept.is_file()
    store = OxigraphStore(ox.Store.read_only(str(first)), first)
    counted = [(info.name, info.triples) for info in count_graphs(store._store)]
    assert counted == [("http://example.org/g", 1)]
    kept.write_text('[["http://example.org/g", 7]]')  # what is kept is what is read, not counted again
    assert [(info.name, info.triples) for info in store.graphs()] == [("http://example.org/g", 7)]
    store.close()
    later = [prepare(tmp_path, n)[1] for n in (2, 3)]
    assert not first.exists() and not kept.exists()
    assert all(counts_file(p).is_file() for p in later)


def test_a_home_copied_with_its_times_reopens_its_store_and_a_rewritten_build_loads_anew(tmp_path):
    """`cp -a` of a home (a backup restored, a volume moved): the store is named by the files'
    places in the home, so the copy's own store is reopened, not loaded again; a build rewritten
    in the copy is a new store."""
    import shutil

    from skillsgraph.store.factory import prepare_oxigraph
    first = tmp_path / "first"
    first.mkdir()
    _, loaded = prepare(first, 1)
    copy = tmp_path / "copy"
    shutil.copytree(first, copy, symlinks=True)
    again = prepare_oxigraph(copy, copy / "build.nq", [])
    assert again == copy / "oxigraph" / loaded.name
    assert stores(copy) == [loaded.name]
    _, rewritten = prepare(copy, 1)  # the same bytes, written again
    assert rewritten.name != loaded.name and rewritten.parent == copy / "oxigraph"
