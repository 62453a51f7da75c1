"""Homes of the bundled data whose Oxigraph store is loaded once per run, by whichever worker
needs one first.

store/factory.py names a store by what went into it: each file's place in the home, size and
modification time. A home copied with its times kept therefore reopens the copy of its store,
as `serve` reopens it after a restart, instead of loading the half million triples of the
bundled build and published graphs again (8-10 s each time on 2 cores, and it was done six
times a run). So one home is made per run, as `skillsgraph build` leaves it (the build, the
published graphs and their input stamps), and its store is loaded with what the in-process
apps and `serve` put beside the build (the published graphs, then the W3C protocol graphs);
every home that serves the same files is a copy of it.

Tests whose subject is the build or the load itself (test_store_home, test_faults, the
atomic-build and first-start tests that change the data) make their homes as before.
"""
from __future__ import annotations

import fcntl
import os
import shutil
from pathlib import Path
from typing import Callable

# What a seeded home holds: the build as `skillsgraph build` writes it, and the loaded store.
# (The build's caches stay behind: a home whose build is current never reads them.)
SEEDED = ("skillsgraph.nq", "skillsgraph.inputs", "published.nq", "published.inputs", "oxigraph")


def run_root(tmp_path_factory) -> Path:
    """A folder every pytest-xdist worker of this run shares (the run's own with one process)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def made_once(root: Path, name: str, make: Callable[[Path], None]) -> Path:
    """root/name, made by `make` into an empty folder by the first worker that asks; the others
    wait for it. A folder is renamed into place only once whole."""
    target = root / name
    with open(root / f".{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not target.is_dir():
            staging = root / f".{name}.making-{os.getpid()}"
            shutil.rmtree(staging, ignore_errors=True)
            staging.mkdir()
            make(staging)
            staging.rename(target)
    return target


def loaded_seed(tmp_path_factory, name: str, fill: Callable[[Path], list[tuple[Path, str | None]]]) -> Path:
    """The run's home `name`: `fill` writes its build (and what else it holds) and returns what is
    served beside the build; the store of both is loaded, once per run."""
    from skillsgraph.store.factory import prepare_oxigraph

    def make(home: Path) -> None:
        prepare_oxigraph(home, home / "skillsgraph.nq", fill(home))
    return made_once(run_root(tmp_path_factory), name, make)


def bundled_seed(tmp_path_factory, published_build) -> Path:
    """The run's home of the bundled data with its store loaded (made once, never served)."""
    from app_fixtures import PUBLISHED_FILE
    from server_fixtures import W3C_EXTRAS

    def fill(home: Path) -> list[tuple[Path, str | None]]:
        for name in SEEDED[:-1]:
            shutil.copy2(published_build.home / name, home / name)
        return [(home / PUBLISHED_FILE, None), *W3C_EXTRAS]
    return loaded_seed(tmp_path_factory, "bundled-seed", fill)


def seed_home(seed: Path, home: Path) -> Path:
    """home (made if need be) holding a copy of the seed, times kept: its store is the seed's."""
    home.mkdir(parents=True, exist_ok=True)
    for name in SEEDED:
        source = seed / name
        if source.is_dir():
            shutil.copytree(source, home / name, symlinks=True, dirs_exist_ok=True)
        elif source.exists():
            shutil.copy2(source, home / name)
    return home
