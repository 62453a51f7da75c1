"""Build: source data -> validated, canonical N-Quads, written atomically.

The output is one N-Quads file whose lines are sorted, so a rebuild of the same input is
byte-identical. It is written to a temporary file beside the target and renamed into
place only after every graph has passed validation: a failed build leaves any previous
output untouched.
"""
from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef

from .errors import SourceDataError
from .iris import Iris
from .lineage import lineage_graphs, validate_lineage
from .rdf_mapping import NamedGraph, map_source_data, new_graph
from .source_data import read_source_data
from .validation import Violation, ontology_graph, validate_graph


class ValidationFailed(Exception):
    def __init__(self, violations: list[Violation]):
        self.violations = violations
        super().__init__(f"{len(violations)} SHACL violation(s)")


@dataclass
class BuildResult:
    graphs: list[NamedGraph]
    violations: list[Violation] = field(default_factory=list)

    @property
    def triple_count(self) -> int:
        return sum(len(ng.graph) for ng in self.graphs)


def assemble(data_dir: Path, namespace: str, framework_files: list[Path] | None = None) -> BuildResult:
    """Read, map and validate; raises SourceDataError or ValidationFailed, writes nothing."""
    iris = Iris(namespace)
    source = read_source_data(data_dir, framework_files)
    links = lineage_graphs(source.frameworks, iris)  # a later release must account for every earlier statement
    graphs = map_source_data(source, iris)
    registries = new_graph()
    frameworks = []
    for ng in graphs:
        if "/graph/registry/" in str(ng.name):
            registries += ng.graph
        else:
            frameworks.append(ng)
    violations = validate_graph(registries, "registries")
    for ng in frameworks:
        violations += [v for v in validate_graph(registries + ng.graph, str(ng.name)) if not _registry_focus(v, registries)]
    if violations:
        raise ValidationFailed(violations)
    violations = validate_lineage(source.frameworks, links, source.registries, registries, iris)
    if violations:
        raise ValidationFailed(violations)
    for ng in frameworks:
        if ng.name in links:
            ng.graph += links[ng.name]
    ontology = NamedGraph(iris.graph("ontology"), ontology_graph())
    return BuildResult([ontology, *graphs])


def _registry_focus(v: Violation, registries: Graph) -> bool:
    """Registry problems are reported once, by the registries' own run, not per framework."""
    return (URIRef(v.focus), None, None) in registries


def canonical_nquads(graphs: list[NamedGraph]) -> bytes:
    lines: set[str] = set()
    for ng in graphs:
        suffix = f" <{ng.name}> .\n"
        for line in ng.graph.serialize(format="nt", encoding="utf-8").decode("utf-8").splitlines():
            if line.strip():
                lines.add(line[: -len(" .")] + suffix if line.endswith(" .") else line + suffix)
    return "".join(sorted(lines)).encode("utf-8")


def write_atomically(target: Path, payload: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(payload)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def build(data_dir: Path, namespace: str, target: Path) -> BuildResult:
    result = assemble(data_dir, namespace)
    write_atomically(target, canonical_nquads(result.graphs))
    return result


__all__ = ["BuildResult", "SourceDataError", "ValidationFailed", "assemble", "build", "canonical_nquads", "write_atomically"]


def inputs_digest(data_dir: Path, namespace: str) -> str:
    """A digest of everything a build depends on, to tell whether a build is stale."""
    import hashlib

    from skillsgraph.resources import ontology_dir, shapes_dir
    digest = hashlib.sha256(namespace.encode())
    for folder in (data_dir, ontology_dir(), shapes_dir()):
        for file in sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix in (".yaml", ".ttl", ".jsonld")):
            digest.update(str(file.relative_to(folder)).encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()
