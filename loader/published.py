"""The build's published graphs: every entry of the data folder's published/manifest.yaml
(loader.bundled) imported by its importer (loader.crosswalk, loader.classification) into its own
named graph, all of them merged into one file of canonical N-Quads beside the build file
($SKILLSGRAPH_HOME/published.nq), which `skillsgraph serve` serves with it. One file, not one per
graph: a store counts what each file it loads adds.

Each graph is kept in the cache (cache/published/<crosswalk|classification>-<kind>-<release>.nq)
with a key (its `.inputs` stamp): the digest of the entry's checksums (and, for a crosswalk that
resolves codes through the ESCO classification, ESCO's), the namespace, and the importers' code;
the merged file's stamp is the digest of all keys. A build whose keys are unchanged reads no
published file at all; one whose key changed imports that entry again, in a process pool over the
cores when several changed. Every payload is made before any file is written, so a failed import
leaves the previous files in place.
"""
from __future__ import annotations

import hashlib
import os
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import skillsgraph
from skillsgraph.child_processes import die_with_parent

from .bundled import Entry, entries, esco_classification, verify
from .errors import SourceDataError
from .crosswalk.kinds import KINDS
from .iris import Iris
from .nquads import write_atomically, write_merged, write_with_stamp

_LOADER = Path(__file__).resolve().parent
_CODE = [*sorted(_LOADER.glob("*.py")), *sorted((_LOADER / "crosswalk").glob("*.py")),
         *sorted((_LOADER / "classification").glob("*.py")),
         *(Path(skillsgraph.__file__).resolve().parent / name for name in ("iris.py", "vocab.py"))]


@dataclass(frozen=True)
class PublishedGraph:
    entry: Entry
    graph: str           # the named graph's IRI
    file: Path | None    # where it is written (None: checked only)
    triples: int
    summary: str         # every row accounted for, as the importer reports it
    seconds: float
    reused: bool


def output_name(entry: Entry) -> str:
    return f"{entry.group[:-1]}-{entry.kind}-{entry.release}.nq"


def _code_digest() -> str:
    digest = hashlib.sha256(skillsgraph.__version__.encode())
    for module in _CODE:
        digest.update(module.name.encode() + b"\0" + module.read_bytes())
    return digest.hexdigest()


def _keys(data_dir: Path, namespace: str, found: list[Entry]) -> dict[Entry, str]:
    code = _code_digest()
    esco = next((e for e in found if e.group == "classifications" and e.kind == "esco"), None)
    keys = {}
    for entry in found:
        digest = hashlib.sha256(f"{code}\0{namespace}\0{entry.group}\0{entry.kind}\0{entry.release}\0".encode())
        for sha in verify(data_dir, entry):
            digest.update(sha.encode())
        if _needs_esco(entry) and esco is not None:
            digest.update("".join(sha for _, sha in esco.files).encode())
        keys[entry] = digest.hexdigest()[:32]
    return keys


def _needs_esco(entry: Entry) -> bool:
    return entry.group == "crosswalks" and entry.kind in KINDS and KINDS[entry.kind].esco_codes


def _import(data_dir: Path, namespace: str, entry: Entry) -> tuple[str, bytes, str, float]:
    """(graph IRI, N-Quads, summary, seconds) of one entry, in this process or a pool worker."""
    # Imported here, not above: every server's start asks is_current, and the importers
    # would add a tenth of a second to it.
    from .classification.importer import classification_lines
    from .crosswalk.esco_codes import load_esco_codes
    from .crosswalk.importer import crosswalk_import
    started = time.perf_counter()
    paths = entry.paths(data_dir)
    if entry.group == "classifications":
        kind, release, out, files, skipped = classification_lines(entry.kind, paths, namespace, entry.release)
        summary = "; ".join(f"{f.name}: {f.summary}" for f in files) + "".join(f"; skipped {s}" for s in skipped)
        payload = out.payload()
        graph = str(Iris(namespace).classification_graph(kind.name, release))
    else:
        esco = load_esco_codes(*esco_classification(data_dir)) if _needs_esco(entry) else None
        result, payload = crosswalk_import(entry.kind, paths[0], namespace, release=entry.release, esco=esco)
        summary = f"{paths[0].name}: {result.accounting}" + (f"; {result.resolution}" if result.resolution else "")
        graph = str(result.graph)
    return graph, payload, summary, time.perf_counter() - started


def _run(data_dir: Path, namespace: str, todo: list[Entry], workers: int,
         on_progress: Callable[[int, int], None] | None = None) -> list[tuple[str, bytes, str, float]]:
    report = on_progress or (lambda done, total: None)
    report(0, len(todo))
    done: dict[Entry, tuple] = {}
    if workers == 1 or len(todo) <= 1:
        for e in todo:
            done[e] = _import(data_dir, namespace, e)
            report(len(done), len(todo))
        return [done[e] for e in todo]
    # Largest first, so that the pool's last job is a short one.
    order = sorted(todo, key=lambda e: -sum(p.stat().st_size for p in e.paths(data_dir)))
    with ProcessPoolExecutor(max_workers=min(workers, len(todo)), initializer=die_with_parent,
                             initargs=(os.getpid(),)) as pool:
        futures = {pool.submit(_import, data_dir, namespace, e): e for e in order}
        for future in as_completed(futures):
            done[futures[future]] = future.result()
            report(len(done), len(todo))
    return [done[e] for e in todo]


def _stamp(file: Path) -> Path:
    return file.with_suffix(".inputs")


def _stamped(file: Path, key: str) -> bool:
    return file.is_file() and _stamp(file).is_file() and _stamp(file).read_text(encoding="utf-8") == key


def _whole_key(keys: dict[Entry, str]) -> str:
    return hashlib.sha256("\0".join(keys.values()).encode()).hexdigest()[:32]


def is_current(data_dir: Path, namespace: str, out_file: Path) -> bool:
    """Whether out_file holds data_dir's published graphs, made from their inputs as they are now
    (false too when a file differs from its checksum: the build then says so)."""
    try:
        found = entries(data_dir)
        return not found or _stamped(out_file, _whole_key(_keys(data_dir, namespace, found)))
    except SourceDataError:
        return False


def published_graphs(data_dir: Path, namespace: str, out_file: Path | None, cache_dir: Path | None = None,
                     workers: int | None = None,
                     on_progress: Callable[[int, int], None] | None = None) -> list[PublishedGraph]:
    """Every published graph of data_dir, merged into out_file (None: only check the files'
    checksums, import and write nothing); each graph is kept in cache_dir (default: beside
    out_file) under its key and imported again only when that changed. Raises SourceDataError,
    writing nothing."""
    found = entries(data_dir)
    keys = _keys(data_dir, namespace, found)
    if out_file is None or not found:
        return []
    cache_dir = cache_dir or out_file.parent / "cache" / "published"
    cached = {e: cache_dir / output_name(e) for e in found}
    todo = [e for e in found if not _stamped(cached[e], keys[e])]
    made = dict(zip(todo, _run(data_dir, namespace, todo, workers or os.cpu_count() or 1, on_progress)))
    out = []
    for entry in found:
        file = cached[entry]
        if entry in made:
            graph, payload, summary, seconds = made[entry]
            _stamp(file).unlink(missing_ok=True)
            write_atomically(file, payload)
            triples = payload.count(b"\n")
            write_atomically(file.with_suffix(".summary"), f"{graph}\n{triples}\n{summary}\n".encode("utf-8"))
            write_atomically(_stamp(file), keys[entry].encode("utf-8"))
            out.append(PublishedGraph(entry, graph, file, triples, summary, seconds, False))
        else:
            graph, triples, summary = file.with_suffix(".summary").read_text(encoding="utf-8").rstrip("\n").split("\n", 2)
            out.append(PublishedGraph(entry, graph, file, int(triples), summary, 0.0, True))
    whole = _whole_key(keys)
    if not _stamped(out_file, whole):
        write_with_stamp(out_file, lambda path: write_merged(path, [p.file for p in out]), _stamp(out_file), whole)
    return out
