"""Choose and open the store the API reads from: one setting, three kinds.

  oxigraph (default)  pyoxigraph on disk; reopened instantly on restart
  memory              rdflib in memory, for tiny graphs and tests
  sparql              any SPARQL 1.1 server, over the standard protocols only

An Oxigraph store is built next to the previous one and switched to only once it is
complete, by renaming a symlink: a failed or interrupted load leaves the served store as
it was. Stores are named by a digest of what went into them, so a restart with the same
build and the same extra files reopens the existing store instead of reloading it.
"""
from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pyoxigraph as ox

from .base import Store
from .memory_store import MemoryStore
from .oxigraph_store import OxigraphStore
from .sparql_store import Endpoints, SparqlStore, wait_until_ready

STORE_KINDS = ("oxigraph", "memory", "sparql")
KEEP_OLD_STORES = 1
# Part of every store's name: a store laid out by older code (without the merged default
# graph, say) is loaded afresh instead of reopened.
STORE_LAYOUT = "merged-default-graph-1"


def content_digest(build_file: Path, extras: list[tuple[Path, str | None]]) -> str:
    """Names the store by what went into it. Hashing a catalogue-sized build on every start
    would cost seconds, so files are known by path, size and modification time; a build
    is rewritten (new mtime) whenever its content changes."""
    digest = hashlib.sha256(STORE_LAYOUT.encode())
    for file, graph in [(build_file, ""), *extras]:
        stat = file.stat()
        digest.update(f"{file.resolve()}\0{stat.st_size}\0{stat.st_mtime_ns}\0{graph or ''}\0".encode())
    return digest.hexdigest()[:24]


def open_store(kind: str, home: Path, build_file: Path, extras: list[tuple[Path, str | None]],
               sparql_endpoint: str | None = None) -> Store:
    if kind == "memory":
        store = MemoryStore.from_nquads(build_file)
        for file, graph in extras:
            store.load_file(file, graph)
        return store
    if kind == "sparql":
        if not sparql_endpoint:
            raise ValueError("the sparql store needs the server's address: --sparql-endpoint or SKILLSGRAPH_SPARQL_ENDPOINT")
        endpoints = Endpoints.oxigraph(sparql_endpoint)
        wait_until_ready(endpoints)
        store = SparqlStore(endpoints)
        store.clear_default_graph()
        store.load_nquads(build_file)
        for file, graph in extras:
            store.load_file(file, graph)
        return store
    if kind == "oxigraph":
        location = prepare_oxigraph(home, build_file, extras)
        return OxigraphStore(ox.Store.read_only(str(location)), location)
    raise ValueError(f"unknown store {kind!r}; choose one of {', '.join(STORE_KINDS)}")


def prepare_oxigraph(home: Path, build_file: Path, extras: list[tuple[Path, str | None]]) -> Path:
    """The on-disk store for this build, loading it only if no complete one exists yet."""
    root = home / "oxigraph"
    root.mkdir(parents=True, exist_ok=True)
    target = root / content_digest(build_file, extras)
    if not target.is_dir():
        staging = root / f".{target.name}.loading-{os.getpid()}"
        shutil.rmtree(staging, ignore_errors=True)
        store = ox.Store(str(staging))
        loader = OxigraphStore(store)
        for file, graph in [(build_file, None), *extras]:
            loader.load_file(file, graph)
        store.flush()
        del loader, store
        os.replace(staging, target)
    _point_current_at(root, target)
    _remove_old(root, keep=target)
    return target


def _point_current_at(root: Path, target: Path) -> None:
    link = root / "current"
    tmp = root / f".current-{os.getpid()}"
    tmp.unlink(missing_ok=True)
    tmp.symlink_to(target.name)
    os.replace(tmp, link)


def _remove_old(root: Path, keep: Path) -> None:
    """Drop stores beyond the newest few; an old one may still be open by a running server."""
    old = sorted((p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".") and p != keep),
                 key=lambda p: p.stat().st_mtime, reverse=True)
    for stale in old[KEEP_OLD_STORES:]:
        shutil.rmtree(stale, ignore_errors=True)
