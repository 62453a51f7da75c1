"""The data every peer serves: a synthetic catalogue of N frameworks (real O*NET-SOC codes and
titles) built by `skillsgraph build`, with the real O*NET 27.0 release imported beside it, and the
measurements of getting there (build, rebuild unchanged, rebuild after one framework changed,
import), plus the floor of loading the same N-Quads files: a plain pyoxigraph bulk_load."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from skillsgraph.store.oxigraph_store import load_into
from timing import run_measured

NAMESPACE = "https://w3id.org/skillsgraph/synthetic/"
RELEASE = "26.05"  # the synthetic catalogue's release


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "skillsgraph.cli", *args]


@dataclass
class Catalogue:
    occupations: int
    data: Path  # the source folder
    home: Path  # SKILLSGRAPH_HOME: the build, the imports, the store
    build_seconds: float = 0.0
    build_peak: int = 0
    rebuild_unchanged_seconds: float = 0.0
    rebuild_one_changed_seconds: float = 0.0
    import_seconds: float = 0.0
    bulk_load_seconds: float = 0.0  # the floor: the same files into a new on-disk pyoxigraph store
    floor_store: Path | None = None
    # What the default graph as a set (issue 10) costs: the floor's files loaded as skillsgraph
    # loads them (named graphs, and their merge as the default graph), and one scan of all triples.
    merged_load_seconds: float = 0.0
    scan_merged_seconds: float = 0.0   # over the merged default graph
    scan_union_seconds: float = 0.0    # over the floor, its default graph the union (a bag, so DISTINCT)
    codes: list[str] = field(default_factory=list)

    @property
    def env(self) -> dict[str, str]:
        return {**os.environ, "SKILLSGRAPH_HOME": str(self.home), "SKILLSGRAPH_NAMESPACE": NAMESPACE}

    @property
    def files(self) -> list[Path]:
        """What is served: the build and every import, as N-Quads."""
        return [self.home / "skillsgraph.nq", *sorted((self.home / "imports").glob("*.nq"))]

    def release(self, code: str) -> str:
        return f"{NAMESPACE}framework/{code}/v{RELEASE}"


def prepare(work: Path, occupations: int, onet: Path | None, published: Path | None = None) -> Catalogue:
    """Generate, build (timed three ways) and import; nothing is served yet. With `published` (a
    data/published folder), the catalogue bundles those files too, in folders of its own."""
    name = f"{occupations}-bundled" if published else str(occupations)
    data, home = work / f"data-{name}", work / f"home-{name}"
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    subprocess.run(cli("generate", "--occupations", str(occupations), "--out", str(data),
                       *(["--onet", str(onet)] if onet else [])), check=True, stdout=subprocess.DEVNULL)
    if published:
        shutil.rmtree(data / published.name, ignore_errors=True)
        shutil.copytree(published, data / published.name)
    cat = Catalogue(occupations, data, home)
    cat.codes = sorted(p.stem for p in (data / "frameworks").glob("*.yaml"))
    build = cli("build", "--data", str(data))
    cat.build_seconds, cat.build_peak = run_measured(build, cat.env)
    cat.rebuild_unchanged_seconds, _ = run_measured(build, cat.env)
    _change_one_framework(data / "frameworks" / f"{cat.codes[0]}.yaml")
    cat.rebuild_one_changed_seconds, _ = run_measured(build, cat.env)
    if onet:
        cat.import_seconds, _ = run_measured(cli("import", "onet", str(onet)), cat.env)
    return cat


def _change_one_framework(file: Path) -> None:
    """A one-word edit of one statement, as an editor would make: the rebuild redoes that file only."""
    text = file.read_text(encoding="utf-8")
    at = text.index("      text: ") + len("      text: ")
    file.write_text(text[:at] + "revised " + text[at:], encoding="utf-8")


def _load_new_store(store_dir: Path, files: list[Path], load) -> tuple[ox.Store, float]:
    """A new on-disk store at store_dir with every file loaded by load(store, file); its time."""
    shutil.rmtree(store_dir, ignore_errors=True)
    started = time.perf_counter()
    store = ox.Store(str(store_dir))
    for file in files:
        load(store, file)
    store.flush()
    return store, time.perf_counter() - started


def bulk_load_floor(cat: Catalogue, work: Path) -> None:
    """The same files loaded by pyoxigraph's bulk loader into a new store: what a start can cost at best."""
    store_dir = work / f"floor-store-{cat.occupations}"
    store, cat.bulk_load_seconds = _load_new_store(
        store_dir, cat.files, lambda st, f: st.bulk_load(path=str(f), format=ox.RdfFormat.N_QUADS))
    del store
    cat.floor_store = store_dir


# Every distinct triple, counted: the question a bag-union default graph answers wrongly without
# DISTINCT, and the work any store must do to answer it as a set.
SCAN = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"


def default_graph_cost(cat: Catalogue, work: Path) -> None:
    """The merged default graph against the union one, on the floor's files, in the same run."""
    store_dir = work / f"merged-store-{cat.occupations}"
    merged, cat.merged_load_seconds = _load_new_store(store_dir, cat.files, lambda st, f: load_into(st, f, None))
    union = ox.Store.read_only(str(cat.floor_store))
    counts = []
    for name, store, as_union in (("scan_union_seconds", union, True), ("scan_merged_seconds", merged, False)):
        started = time.perf_counter()
        counts.append(int(next(iter(store.query(SCAN, use_default_graph_as_union=as_union)))[0].value))
        setattr(cat, name, time.perf_counter() - started)
    assert counts[0] == counts[1], f"the merge and the union disagree: {counts}"
    del merged, union
    shutil.rmtree(store_dir, ignore_errors=True)
