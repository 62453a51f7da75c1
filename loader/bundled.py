"""The published files bundled in a data folder (data/published/), as its manifest lists them:
which importer reads each (a crosswalk or classification kind), its release, and the SHA-256 of
every file, which must match the bytes: the files are kept exactly as their publishers publish
them, so a changed file is an error, not new data.

published/manifest.yaml:

    classifications:
      - kind: soc              # a kind of loader.classification.importer
        release: "2018"
        files: {bls/soc_structure_2018.xlsx: <sha-256>, ...}
    crosswalks:
      - kind: onet-soc-2010-2019   # a kind of loader.crosswalk.kinds
        release: "2019"
        files: {onet/2010_to_2019_Crosswalk.xlsx: <sha-256>}

A data folder without published/manifest.yaml bundles nothing (a synthetic catalogue, say).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from skillsgraph.resources import data_dir as bundled_data_dir

from .errors import SourceDataError
from .release_rdf import sha256
from .tables import problem

FOLDER = "published"
MANIFEST = "manifest.yaml"


@dataclass(frozen=True)
class Entry:
    group: str                        # classifications | crosswalks
    kind: str
    release: str
    files: tuple[tuple[str, str], ...]   # (path under published/, SHA-256)

    @property
    def label(self) -> str:
        return f"{self.group[:-1]} {self.kind}-{self.release}"

    def paths(self, data_dir: Path) -> list[Path]:
        return [data_dir / FOLDER / name for name, _ in self.files]


def manifest_file(data_dir: Path) -> Path:
    return data_dir / FOLDER / MANIFEST


def entries(data_dir: Path) -> list[Entry]:
    """The manifest's entries, classifications first (a crosswalk may resolve codes through one)."""
    file = manifest_file(data_dir)
    if not file.is_file():
        return []
    try:
        doc = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
        return [Entry(group, str(e["kind"]), str(e["release"]), tuple((str(k), str(v)) for k, v in e["files"].items()))
                for group in ("classifications", "crosswalks") for e in doc.get(group, [])]
    except (yaml.YAMLError, KeyError, TypeError, AttributeError) as exc:
        raise SourceDataError([problem(file, None, "", f"is not a manifest of published files ({exc}); expected "
                                       "classifications and crosswalks, each entry with kind, release and files "
                                       "{path: sha-256}")]) from None


def verify(data_dir: Path, entry: Entry) -> list[str]:
    """The entry's checksums, checked against its files; raises SourceDataError for any that differ."""
    problems = []
    for (name, expected), path in zip(entry.files, entry.paths(data_dir)):
        if not path.is_file():
            problems.append(problem(path, None, "", f"is missing; {MANIFEST} lists it for the {entry.label}"))
        elif (found := sha256(path)) != expected:
            problems.append(problem(path, None, "", f"has SHA-256 {found}, where {MANIFEST} records {expected}: "
                                                    "bundled files are kept byte for byte as published"))
    if problems:
        raise SourceDataError(problems)
    return [sha for _, sha in entry.files]


def esco_classification(data_dir: Path | None = None) -> tuple[Path, str]:
    """The folder and release of the bundled ESCO classification."""
    folder = data_dir or bundled_data_dir()
    for entry in entries(folder):
        if entry.group == "classifications" and entry.kind == "esco":
            return entry.paths(folder)[0].parent, entry.release
    raise SourceDataError([problem(manifest_file(folder), None, "", "bundles no ESCO classification, which O*NET's "
                                   "ESCO crosswalk needs to resolve its codes; give one with --esco")])
