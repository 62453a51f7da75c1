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


def prepare(work: Path, occupations: int, onet: Path | None) -> Catalogue:
    """Generate, build (timed three ways) and import; nothing is served yet."""
    data, home = work / f"data-{occupations}", work / f"home-{occupations}"
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    subprocess.run(cli("generate", "--occupations", str(occupations), "--out", str(data),
                       *(["--onet", str(onet)] if onet else [])), check=True, stdout=subprocess.DEVNULL)
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


def bulk_load_floor(cat: Catalogue, work: Path) -> None:
    """The same files loaded by pyoxigraph's bulk loader into a new store: what a start can cost at best."""
    store_dir = work / f"floor-store-{cat.occupations}"
    shutil.rmtree(store_dir, ignore_errors=True)
    started = time.perf_counter()
    store = ox.Store(str(store_dir))
    for file in cat.files:
        store.bulk_load(path=str(file), format=ox.RdfFormat.N_QUADS)
    store.flush()
    cat.bulk_load_seconds = time.perf_counter() - started
    del store
    cat.floor_store = store_dir
