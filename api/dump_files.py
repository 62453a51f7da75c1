"""Each dump written once per served store, to a file in the home's cache, and served from there.

An Oxigraph store never changes while it is served: a new build is loaded into another store,
named by another digest (store/factory.py). That name (`Store.identity`) names the folder of
its dumps, home/cache/dumps/IDENTITY-LAYOUT/, so a new build or import can never be answered
with an older store's dump. The first request for a dump writes it, streamed to disk (memory stays
flat whatever the size), and the requests that come meanwhile wait for that one writing; the
.gz variants are compressed once from the written file. Every later request is a file served
by Starlette's FileResponse: Content-Length, Range, and ETag/Last-Modified with 304s.

A file is written to a temporary name of its writer (skillsgraph.staging: a killed writer's
leftovers are removed by the next one that takes the home's lock) and renamed into place, so a
reader sees a whole dump or none; two processes writing the same dump at once write the same
bytes, and the last rename wins. When a new store's folder is made, the folders of stores older
than the one before it are removed (a process that still serves one of those keeps reading the
files it has open, and writes again the ones it is asked for next).
"""
from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path
from typing import Callable, Iterable

import pyoxigraph as ox

from skillsgraph.staging import staged
from skillsgraph.store.base import Store

from .dump_stream import STREAMED_GZIP_LEVEL, gzipped

# Part of each folder's name: dumps written by older code (another writer, another level) are
# written afresh rather than served.
LAYOUT = "dumps-1"
# Compressed once per store, so the smaller file is worth the time: level 6 takes 2.2 s over the
# 89 MB N-Triples dump of the bundled data (8.0 MB), level 1 0.75 s for a file 30 % larger.
FILE_GZIP_LEVEL = STREAMED_GZIP_LEVEL
_CHUNK = 1 << 20
# The dumps of the store served before this one are kept, as store/factory.py keeps that store:
# a process that still serves it answers from them.
KEEP_OLD = 1

# One writer per file in this process (several apps may serve one store, each request its thread).
_WRITING: dict[Path, threading.Lock] = {}
_WRITING_LOCK = threading.Lock()


def dumps_folder(home: Path, identity: str) -> Path:
    return home / "cache" / "dumps" / f"{identity}-{LAYOUT}"


class DumpFiles:
    """The dumps of one store, as files in `folder`."""

    def __init__(self, folder: Path, store: Store):
        self.folder = folder
        self._store = store

    def written(self, stem: str, gz: bool) -> Path | None:
        """The file of dump `stem` if it is written already."""
        target = self.folder / (stem + ".gz" if gz else stem)
        return target if target.is_file() else None

    def path(self, stem: str, fmt: ox.RdfFormat, with_graphs: bool, gz: bool) -> Path:
        """The file of dump `stem` (skillsgraph.nt) in `fmt`, gzipped if `gz`: written first if absent."""
        plain = self.folder / stem
        target = plain.with_name(stem + ".gz") if gz else plain
        with _lock_for(target):
            if not target.is_file():
                self._make_folder()
                if gz:
                    self.path(stem, fmt, with_graphs, gz=False)
                    _write_atomically(target, lambda tmp: _compress(plain, tmp))
                else:
                    items = self._items(stem, fmt, with_graphs)
                    _write_atomically(target, lambda tmp: ox.serialize(items, output=str(tmp), format=fmt))
        return target

    def _items(self, stem: str, fmt: ox.RdfFormat, with_graphs: bool) -> Iterable:
        """The N-Triples (N-Quads) dump from the store; the other formats from that file, written
        first: parsing it takes a half to a third of the time of reading the store again (Turtle of
        the bundled data: 1.0 s against 2.6 s), and gives the same statements in the same order,
        so the same bytes."""
        plain = ox.RdfFormat.N_QUADS if with_graphs else ox.RdfFormat.N_TRIPLES
        if fmt == plain:
            return self._store.quads() if with_graphs else self._store.triples()
        source = self.path(f"{stem.rsplit('.', 1)[0]}.{plain.file_extension}", plain, with_graphs, gz=False)
        return ox.parse(path=str(source), format=plain)

    def _make_folder(self) -> None:
        if self.folder.is_dir():
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        others = sorted((p for p in self.folder.parent.iterdir() if p.is_dir() and p != self.folder
                         and not p.name.startswith(".")), key=lambda p: p.stat().st_mtime, reverse=True)
        for stale in others[KEEP_OLD:]:
            shutil.rmtree(stale, ignore_errors=True)


def dump_files_for(home: Path, store: Store) -> DumpFiles | None:
    """Files for a store that names what it serves; None for one whose dumps must be streamed."""
    identity = store.identity()
    return DumpFiles(dumps_folder(home, identity), store) if identity else None


def _lock_for(target: Path) -> threading.Lock:
    with _WRITING_LOCK:
        return _WRITING.setdefault(target, threading.Lock())


def _write_atomically(target: Path, write: Callable[[Path], None]) -> None:
    """Staged beside the folder (in home/cache/dumps, where leftovers are looked for), then renamed."""
    tmp = staged(target.parent.parent / target.name, f"{threading.get_ident()}")
    try:
        write(tmp)
        target.parent.mkdir(parents=True, exist_ok=True)  # another store's writer may have just removed it
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def _compress(source: Path, target: Path) -> None:
    with open(source, "rb") as src, open(target, "wb") as out:
        for chunk in gzipped(iter(lambda: src.read(_CHUNK), b""), FILE_GZIP_LEVEL):
            out.write(chunk)


__all__ = ["DumpFiles", "dump_files_for", "dumps_folder", "LAYOUT"]
