"""Locate the files that travel with the package: ontology, shapes and bundled data.

In an installed wheel they are package data under skillsgraph/; in a source checkout
(or an editable install) they sit at the repository root. Both layouts are tried.
"""
from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def _locate(name: str) -> Path:
    for candidate in (_PACKAGE_DIR / name, _PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"bundled folder {name!r} not found next to {_PACKAGE_DIR}")


def ontology_dir() -> Path:
    return _locate("ontology")


def shapes_dir() -> Path:
    return _locate("shapes")


def data_dir() -> Path:
    return _locate("data")


def context_file() -> Path:
    return ontology_dir() / "context.jsonld"
