"""Choose and open the store the API reads from: one setting, three kinds.

  oxigraph (default)  pyoxigraph on disk; reopened instantly on restart
  memory              rdflib in memory, for tiny graphs and tests
  sparql              any SPARQL 1.1 server, over the standard protocols only, read-only:
                      `skillsgraph publish` loads it (store/publish.py)

An Oxigraph store is built next to the previous one and switched to only once it is
complete, by renaming a symlink: a failed or interrupted load leaves the served store as
it was. Stores are named by a digest of what went into them, so a restart with the same
build and the same extra files reopens the existing store instead of reloading it.
"""
from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
from pathlib import Path

import pyoxigraph as ox

from skillsgraph.home_lock import writing

from .base import Store, StoreUnavailable
from .oxigraph_store import OxigraphStore, counts_file, write_counts
from .endpoints import Endpoints, endpoints_from
from .sparql_store import NotPublished, SparqlStore

STORE_KINDS = ("oxigraph", "memory", "sparql")
KEEP_OLD_STORES = 1
# Shared locks on the stores this process serves, held (open) until it ends.
_HELD: list = []
# Part of every store's name: a store laid out by older code (without the merged default
# graph, say) is loaded afresh instead of reopened.
STORE_LAYOUT = "merged-default-graph-1"


def content_digest(home: Path, build_file: Path, extras: list[tuple[Path, str | None]]) -> str:
    """Names the store by what went into it. Hashing a catalogue-sized build on every start
    would cost seconds, so files are known by path, size and modification time; a build
    is rewritten (new mtime) whenever its content changes. A file inside the home is known by
    its path in the home, so a home copied with its times kept (`cp -a`, a restored backup)
    reopens its own store rather than loading it again."""
    digest = hashlib.sha256(STORE_LAYOUT.encode())
    inside = home.resolve()
    for file, graph in [(build_file, ""), *extras]:
        stat = file.stat()
        digest.update(f"{_known_as(file.resolve(), inside)}\0{stat.st_size}\0{stat.st_mtime_ns}\0{graph or ''}\0".encode())
    return digest.hexdigest()[:24]


def _known_as(file: Path, home: Path) -> str:
    return f"home:{file.relative_to(home)}" if file.is_relative_to(home) else str(file)


def open_store(kind: str, home: Path, build_file: Path, extras: list[tuple[Path, str | None]],
               sparql_endpoint: str | Endpoints | None = None) -> Store:
    if kind == "memory":
        # Imported here: rdflib's SPARQL engine takes a sixth of a second to import, on every
        # start of a server that does not use it.
        from .memory_store import MemoryStore
        store = MemoryStore.from_nquads(build_file)
        for file, graph in extras:
            store.load_file(file, graph)
        return store
    if kind == "sparql":
        return open_sparql(sparql_endpoint if isinstance(sparql_endpoint, Endpoints) else endpoints_from(sparql_endpoint))
    if kind == "oxigraph":
        location = prepare_oxigraph(home, build_file, extras)
        return OxigraphStore(ox.Store.read_only(str(location)), location)
    raise ValueError(f"unknown store {kind!r}; choose one of {', '.join(STORE_KINDS)}")


def open_sparql(endpoints: Endpoints) -> SparqlStore:
    """The publication on an external server, read only (the build and extras are publish's):
    its record is read once here, so that a server holding none is an error at start."""
    store = SparqlStore(endpoints)
    try:
        store.record()
    except (NotPublished, StoreUnavailable) as exc:
        store.close()
        raise ValueError(str(exc)) from None
    return store


def prepare_oxigraph(home: Path, build_file: Path, extras: list[tuple[Path, str | None]]) -> Path:
    """The on-disk store for this build, loading it only if no complete one exists yet.

    One process writes to the home at a time (skillsgraph.home_lock, naming its pid): a second
    server starting together waits, then reopens what the first loaded. Staging directories
    left by a load that was killed are removed first (skillsgraph.staging). The store returned
    is marked in use by this process (until it ends), and no cleanup removes a store some
    process has marked."""
    root = home / "oxigraph"
    root.mkdir(parents=True, exist_ok=True)
    target = root / content_digest(home, build_file, extras)
    with writing(home, "serve: preparing its store"):
        if not target.is_dir():
            staging = root / f".{target.name}.loading-{os.getpid()}"
            counts = root / f".{counts_file(target).name}.loading-{os.getpid()}"
            shutil.rmtree(staging, ignore_errors=True)
            try:
                store = ox.Store(str(staging))
                loader = OxigraphStore(store)
                for file, graph in [(build_file, None), *extras]:
                    loader.load_file(file, graph)
                store.flush()
                # The named graphs and the merge are bulk-loaded at once (load_into), and both
                # write the term dictionary: its files then overlap as the two loads happen to
                # interleave, and every term read back checks several of them. Compacted once
                # here: 2.2 s at 100 frameworks with O*NET 27.0, after which a release's
                # statements read in 8.0 ms instead of 18.3 (the same store, byte for byte).
                store.optimize()
                # Counted now, once per store, for /dataset: the data never changes while served.
                write_counts(store, counts)
                del loader, store
                os.replace(counts, counts_file(target))
                os.replace(staging, target)
            finally:
                shutil.rmtree(staging, ignore_errors=True)
                counts.unlink(missing_ok=True)
        _mark_in_use(target)
        _point_current_at(root, target)
        _remove_old(root, keep=target)
    return target


def _in_use_file(store: Path) -> Path:
    return store.parent / f".{store.name}.in-use"


def _mark_in_use(store: Path) -> None:
    """A shared lock held until this process ends: the store is not to be removed meanwhile."""
    handle = open(_in_use_file(store), "a")
    fcntl.flock(handle, fcntl.LOCK_SH)
    _HELD.append(handle)


def _held_by_someone(store: Path) -> bool:
    marker = _in_use_file(store)
    if not marker.exists():
        return False
    with open(marker, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
        return False


def _point_current_at(root: Path, target: Path) -> None:
    link = root / "current"
    tmp = root / f".current.writing-{os.getpid()}"
    tmp.unlink(missing_ok=True)
    tmp.symlink_to(target.name)
    os.replace(tmp, link)


def _remove_old(root: Path, keep: Path) -> None:
    """Drop stores beyond the newest few, but never one a running process has open (the
    `current` link is no store of its own)."""
    old = sorted((p for p in root.iterdir() if p.is_dir() and not p.is_symlink() and not p.name.startswith(".")
                  and p != keep), key=lambda p: p.stat().st_mtime, reverse=True)
    for stale in old[KEEP_OLD_STORES:]:
        if _held_by_someone(stale):
            continue
        shutil.rmtree(stale, ignore_errors=True)
        _in_use_file(stale).unlink(missing_ok=True)
        counts_file(stale).unlink(missing_ok=True)
