"""Helpers for the graph-layer tests: paths, building the bundled data, mutable copies of
data/, and running the `skillsgraph` command. Fixtures wrapping these live in conftest.py."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Graph, Namespace

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEED_FILE = SHARED / "seed" / "000_405b632a595d82ed.txt"
VOCAB_DIR = SHARED / "vocab"
DATA_DIR = REPO / "data"
SOURCES_YAML = DATA_DIR / "registries" / "sources.yaml"
FRAMEWORK_REL = Path("frameworks") / "29-1129.01.yaml"
CONTEXT_FILE = REPO / "ontology" / "context.jsonld"
NAMESPACE = "https://w3id.org/skillsgraph/"
ONTOLOGY_IRI = "https://w3id.org/skillsgraph/ontology"

SG = Namespace("https://w3id.org/skillsgraph/ontology#")
CITO = Namespace("http://purl.org/spar/cito/")
SCHEMA = Namespace("https://schema.org/")
UNIT = Namespace("http://qudt.org/vocab/unit/")


@dataclass
class Built:
    """The bundled data, built once: canonical N-Quads and rdflib views of them."""
    namespace: str
    nquads: bytes
    dataset: Dataset
    graph: Graph  # the union of all named graphs
    data_graph: Graph  # the union without the ontology graph: what the SHACL shapes run on
    graph_names: list[str]


def build_bundled(namespace: str = NAMESPACE, data_dir: Path = DATA_DIR) -> Built:
    from skillsgraph.loader.build import build
    result = build(data_dir, namespace, workers=1)
    nquads = result.nquads
    dataset = Dataset()
    dataset.parse(data=nquads, format="nquads")
    union, data_only = Graph(), Graph()
    ontology_graph = namespace + "graph/ontology"
    for s, p, o, g in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
        if str(g) != ontology_graph:
            data_only.add((s, p, o))
    return Built(namespace, nquads, dataset, union, data_only, result.graph_names)


SYNTHETIC_FRAMEWORKS = 3


def build_synthetic(data: Path, frameworks: int = SYNTHETIC_FRAMEWORKS) -> bytes:
    """A synthetic catalogue generated into `data` and built (not written) under its namespace."""
    from skillsgraph.loader.build import build
    from skillsgraph.synthetic import SYNTHETIC_NAMESPACE, generate
    generate(data, frameworks, DATA_DIR)
    return build(data, SYNTHETIC_NAMESPACE, workers=1).nquads


@dataclass
class PublishedBuild:
    """A build of the bundled data with its published graphs, written as the command writes it."""
    home: Path
    result: object            # the loader's BuildResult
    build_file: Path
    published_file: Path

    def store(self):
        """An in-memory Oxigraph store of the build and the published graphs."""
        import pyoxigraph as ox
        store = ox.Store()
        for path in (self.build_file, self.published_file):
            store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
        return store


def build_published(home: Path, namespace: str = NAMESPACE, data_dir: Path = DATA_DIR) -> PublishedBuild:
    from skillsgraph.loader.build import build
    target, published = home / "skillsgraph.nq", home / "published.nq"
    result = build(data_dir, namespace, target, cache_dir=home / "cache" / "frameworks", published_file=published,
                   published_cache=home / "cache" / "published")
    return PublishedBuild(home, result, target, published)


def copy_data(target: Path) -> Path:
    """A mutable copy of the bundled data folder, at target/data."""
    dest = target / "data"
    shutil.copytree(DATA_DIR, dest)
    return dest


def replace_once(file: Path, old: str, new: str) -> int:
    """Replace the one occurrence of `old` in `file`; returns the 1-based line `old` started on."""
    text = file.read_text(encoding="utf-8")
    count = text.count(old)
    assert count == 1, f"{old!r} occurs {count} times in {file}; the test's edit must be unambiguous"
    index = text.index(old)
    file.write_text(text.replace(old, new), encoding="utf-8")
    return text.count("\n", 0, index) + 1


def cli_command() -> list[str]:
    """The `skillsgraph` entry point installed beside this interpreter, or `python -m` as a fallback."""
    script = Path(sys.executable).parent / "skillsgraph"
    return [str(script)] if script.exists() else [sys.executable, "-m", "skillsgraph.cli"]


def cli_env(home: Path, namespace: str = NAMESPACE) -> dict[str, str]:
    return {**os.environ, "SKILLSGRAPH_HOME": str(home), "SKILLSGRAPH_NAMESPACE": namespace,
            "NO_COLOR": "1", "TERM": "dumb"}


def run_cli(*args: str, home: Path, namespace: str = NAMESPACE, cwd: Path | None = None,
            command: list[str] | None = None, timeout: float = 180) -> subprocess.CompletedProcess:
    """Run `skillsgraph ARGS` with its own SKILLSGRAPH_HOME; stdout and stderr are captured as bytes."""
    home.mkdir(parents=True, exist_ok=True)
    return subprocess.run([*(command or cli_command()), *args], env=cli_env(home, namespace),
                          cwd=cwd or home, capture_output=True, timeout=timeout)
