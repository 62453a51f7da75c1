"""Shared fixtures and helpers.

Sections are self-contained so that other layers can add their own below:
  * paths and constants
  * the graph layer: `seed` (the reference page, parsed), `built` (the bundled data,
    built once per session), `data_copy` (a mutable copy of data/), `run_cli`.
No fixture here starts a server.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import Dataset, Graph

from seed_page import SEED_FILE_NAME, SeedPage, chip_strings, read_seed_page

# ---- paths and constants ----------------------------------------------------------------

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEED_FILE = SHARED / "seed" / SEED_FILE_NAME
VOCAB_DIR = SHARED / "vocab"
DATA_DIR = REPO / "data"
SOURCES_YAML = DATA_DIR / "registries" / "sources.yaml"
FRAMEWORK_REL = Path("frameworks") / "29-1129.01.yaml"
NAMESPACE = "https://w3id.org/skillsgraph/"
SG = "https://w3id.org/skillsgraph/ontology#"


# ---- the graph layer ----------------------------------------------------------------------

@dataclass
class Built:
    """The bundled data, built once: canonical N-Quads and rdflib views of them."""
    namespace: str
    nquads: bytes
    dataset: Dataset
    graph: Graph  # the union of all named graphs
    graph_names: list[str]
    data_graph: Graph  # the union without the ontology graph (what SHACL runs on)


def build_bundled(namespace: str = NAMESPACE, data_dir: Path = DATA_DIR) -> Built:
    from skillsgraph.loader.build import assemble, canonical_nquads
    result = assemble(data_dir, namespace)
    nquads = canonical_nquads(result.graphs)
    dataset = Dataset()
    dataset.parse(data=nquads, format="nquads")
    union, data_only = Graph(), Graph()
    ontology_graph = namespace + "graph/ontology"
    for s, p, o, g in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
        if str(g) != ontology_graph:
            data_only.add((s, p, o))
    return Built(namespace, nquads, dataset, union, [str(ng.name) for ng in result.graphs], data_only)


@pytest.fixture(scope="session")
def built() -> Built:
    return build_bundled()


def load_seed_page() -> SeedPage:
    return read_seed_page(SEED_FILE, SOURCES_YAML)


@pytest.fixture(scope="session")
def seed() -> SeedPage:
    return load_seed_page()


@pytest.fixture(scope="session")
def chip_sources() -> dict[str, str]:
    """{page chip string: source code}, from the sources registry."""
    return chip_strings(SOURCES_YAML)


def copy_data(target: Path) -> Path:
    """A mutable copy of the bundled data folder at target/data."""
    dest = target / "data"
    shutil.copytree(DATA_DIR, dest)
    return dest


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    return copy_data(tmp_path)


def replace_once(file: Path, old: str, new: str) -> int:
    """Replace the one occurrence of `old` in `file`; returns its 1-based line number."""
    text = file.read_text(encoding="utf-8")
    count = text.count(old)
    assert count == 1, f"{old!r} occurs {count} times in {file}; the test's edit must be unambiguous"
    index = text.index(old)
    file.write_text(text.replace(old, new), encoding="utf-8")
    return text.count("\n", 0, index) + 1


def line_of(file: Path, fragment: str) -> int:
    """The 1-based number of the one line of `file` containing `fragment`."""
    lines = [i for i, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1) if fragment in line]
    assert len(lines) == 1, f"{fragment!r} is on lines {lines} of {file}"
    return lines[0]


def cli_command() -> list[str]:
    """The installed `skillsgraph` entry point of this interpreter, or `python -m` as a fallback."""
    script = Path(sys.executable).parent / "skillsgraph"
    return [str(script)] if script.exists() else [sys.executable, "-m", "skillsgraph.cli"]


def run_cli(*args: str, home: Path, namespace: str = NAMESPACE, cwd: Path | None = None,
            timeout: float = 120) -> subprocess.CompletedProcess:
    env = {**os.environ, "SKILLSGRAPH_HOME": str(home), "SKILLSGRAPH_NAMESPACE": namespace,
           "COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"}
    return subprocess.run([*cli_command(), *args], env=env, cwd=cwd or home, capture_output=True, timeout=timeout)
