"""What a build depends on, as one digest: to reuse a framework's cached result, and to tell
whether a build file is current.

The shared part covers everything every framework's result depends on: the code version and the
loader's own modules (with skillsgraph.iris and vocab, which shape every IRI), the namespace, the
registries, the ontology and the shapes. Each framework file adds its own bytes for its cache
key; the build's digest adds every key. A build writes its digest beside its output (the
`.inputs` stamp), and `skillsgraph serve` rebuilds only when the stamp differs from the digest of
the inputs it would build from.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import skillsgraph
from skillsgraph.resources import ontology_dir, shapes_dir

from .nquads import write_atomically, write_with_stamp
from .source_files import framework_paths

_LOADER = Path(__file__).resolve().parent
_SHARED_CODE = [Path(skillsgraph.__file__).resolve().parent / name for name in ("iris.py", "vocab.py")]


@dataclass(frozen=True)
class Inputs:
    digest: str                         # of the whole build
    frameworks: list[tuple[Path, str]]  # each framework file and its cache key


def build_inputs(data_dir: Path, namespace: str, files: list[Path] | None = None) -> Inputs:
    """The digests of a build of data_dir's framework files (or of `files`)."""
    shared = hashlib.sha256(f"{skillsgraph.__version__}\0{namespace}\0".encode())
    for folder in (data_dir / "registries", ontology_dir(), shapes_dir()):
        for file in sorted(folder.glob("*")):
            if file.is_file():
                shared.update(file.name.encode() + b"\0" + file.read_bytes())
    for module in [*sorted(_LOADER.glob("*.py")), *_SHARED_CODE]:
        shared.update(module.read_bytes())
    whole = shared.copy()
    keys = []
    for file in files if files is not None else framework_paths(data_dir):
        key = shared.copy()
        key.update(file.read_bytes())
        keys.append((file, key.hexdigest()[:32]))
        whole.update(file.name.encode() + b"\0" + keys[-1][1].encode())
    return Inputs(whole.hexdigest(), keys)


def stamp_file(target: Path) -> Path:
    return target.with_suffix(".inputs")


def is_current(target: Path, data_dir: Path, namespace: str) -> bool:
    """Whether target was built, by this code, from data_dir's inputs as they are now."""
    stamp = stamp_file(target)
    if not (target.exists() and stamp.exists()):
        return False
    return stamp.read_text(encoding="utf-8") == build_inputs(data_dir, namespace).digest


def write_build(target: Path, payload: bytes, digest: str) -> None:
    """The build file and its stamp, as one unit (loader.nquads.write_with_stamp).

    A build file that already holds these bytes is left as it is: its modification time is what
    a store tells its data by (and what Last-Modified says), so a rebuild of unchanged data
    makes the next `serve` load nothing."""
    stamped = stamp_file(target).is_file() and stamp_file(target).read_text(encoding="utf-8") == digest
    same_size = target.is_file() and target.stat().st_size == len(payload)
    if stamped and same_size:
        return  # built by this code from these inputs: the same bytes (builds are deterministic), not read again
    unchanged = same_size and target.read_bytes() == payload
    write_with_stamp(None if unchanged else target, lambda path: write_atomically(path, payload), stamp_file(target), digest)
