"""Where an O*NET import's files live in a home, and what a server's start checks of them.

`skillsgraph import onet` (loader.onet.unit) writes three files per release to
$SKILLSGRAPH_HOME/imports/: the release, its links to the frameworks and the statements'
anchors, with a stamp naming the framework files the anchors were computed from. `serve` needs
only their names and that stamp, so this module imports nothing of the importers: they cost a
start about a sixth of a second.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from ..source_files import framework_paths


def links_file(home: Path, version: str) -> Path:
    return home / "imports" / f"links-onet-{version}.nq"


def anchors_file(home: Path, version: str) -> Path:
    return home / "imports" / f"anchors-onet-{version}.nq"


def stamp_file(anchors: Path) -> Path:
    return anchors.with_suffix(".inputs")


def files_key(files: list[Path]) -> str:
    """The digest of framework files by their names and bytes: what frameworks_key gives for the
    data read from them, without reading the data (a server's start checks it: parsing every
    framework to know whether the anchors are current took 1.2 s at 100 frameworks)."""
    digest = hashlib.sha256()
    for file in sorted(files, key=lambda f: f.name):
        digest.update(file.name.encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()[:32]


def anchors_current(anchors: Path, framework_files: list[Path]) -> bool:
    """Whether the anchors file was computed from these framework files as they are now."""
    stamp = stamp_file(anchors)
    return anchors.is_file() and stamp.is_file() and stamp.read_text(encoding="utf-8") == files_key(framework_files)


def unlinked_releases(imports: Path) -> list[Path]:
    """Release files of `imports` without their links graph (imported by code, not the command)."""
    return [release for release in sorted(imports.glob("onet-*.nq"))
            if not links_file(imports.parent, _version(release)).is_file()]


def stale_anchors(imports: Path, data_dir: Path) -> list[Path]:
    """Release files of `imports` whose anchors are missing or were computed from other framework
    files than data_dir's now: `import onet` again to recompute them."""
    releases = sorted(imports.glob("onet-*.nq"))
    files = framework_paths(data_dir) if releases else []
    if not files:
        return []   # the build reports a data folder without frameworks
    return [release for release in releases
            if not anchors_current(anchors_file(imports.parent, _version(release)), files)]


def _version(release: Path) -> str:
    return release.name[len("onet-"):-len(".nq")]
