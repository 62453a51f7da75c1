"""Locate the files that travel with the package: ontology, shapes, bundled data and the named
queries.

Each folder is a package of its own (skillsgraph.ontology, skillsgraph.shapes, skillsgraph.data,
skillsgraph.queries: an empty __init__.py, mapped in pyproject.toml), so importlib.resources
finds it the same way in an installed wheel and in a source checkout's editable install.
"""
from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def _folder(name: str) -> Path:
    folder = Path(str(files(f"skillsgraph.{name}")))
    if not folder.is_dir():
        raise FileNotFoundError(f"bundled folder {name!r} not found at {folder}")
    return folder


def ontology_dir() -> Path:
    return _folder("ontology")


def shapes_dir() -> Path:
    return _folder("shapes")


def data_dir() -> Path:
    return _folder("data")


def queries_dir() -> Path:
    return _folder("queries")


def context_file() -> Path:
    return ontology_dir() / "context.jsonld"
