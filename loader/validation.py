"""Validate RDF with the SHACL shapes in shapes/, one framework release at a time.

Each release is checked together with the shared registries and the ontology (whose
rdfs:subClassOf axioms sh:class relies on), never the whole catalogue at once: that
keeps each run small, whatever the catalogue's size.

pyshacl writes every report, but first loader.conformance decides, in a fifteenth of pyshacl's
time, whether there is anything to report: only a graph it cannot clear is handed to pyshacl, so
a valid catalogue builds without running pyshacl at all, and a broken one gets pyshacl's report,
word for word.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from rdflib import Graph, URIRef

from skillsgraph.resources import ontology_dir, shapes_dir

from .conformance import Context, conforms
from .graphs import RDF, SH
from .shape_plan import plan_of


@dataclass(frozen=True)
class Violation:
    graph: str
    focus: str
    path: str | None
    value: str | None
    message: str

    def __str__(self) -> str:
        where = f"<{self.focus}>" + (f" {self.path}" if self.path else "")
        value = f" (value: {self.value})" if self.value else ""
        return f"[{self.graph}] {where}: {self.message}{value}"


class ValidationFailed(Exception):
    """SHACL found violations; nothing is written when raised."""

    def __init__(self, violations: list[Violation]):
        self.violations = violations
        super().__init__(f"{len(violations)} SHACL violation(s)")


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    return _parse_folder(shapes_dir())


@lru_cache(maxsize=1)
def ontology_graph() -> Graph:
    return _parse_folder(ontology_dir())


def _parse_folder(folder: Path) -> Graph:
    g = Graph()
    for file in sorted(folder.glob("*.ttl")):
        g.parse(file, format="turtle")
    return g


class Validator:
    """Validation with the shared registries beside each graph (sh:class and references need
    them), prepared once for all the graphs checked against the same registries."""

    def __init__(self, registries: Graph | None = None):
        self.registries = registries

    @cached_property
    def context(self) -> Context:
        return Context(plan_of(shapes_graph()), ontology_graph(), self.registries)

    def violations(self, data: Graph, label: str, ntriples: bytes | None = None) -> list[Violation]:
        """All SHACL results for `data`, described for people; `ntriples`, when given, is data as
        N-Triples (the build has its lines already). With registries, problems of the registries
        themselves are left out: the registries' own run reports them once."""
        if conforms(data, self.context, ntriples):
            return []
        if self.registries is None:
            return pyshacl_violations(data, label)
        return [v for v in pyshacl_violations(self.registries + data, label)
                if (URIRef(v.focus), None, None) not in self.registries]


def validate_graph(data: Graph, label: str) -> list[Violation]:
    """All SHACL results of severity Violation for `data`, described for people."""
    return Validator().violations(data, label)


def validate_against_registries(data: Graph, registries: Graph, label: str) -> list[Violation]:
    """SHACL over `data` with the registries beside it; see Validator.violations."""
    return Validator(registries).violations(data, label)


def pyshacl_violations(data: Graph, label: str) -> list[Violation]:
    """pyshacl's own run over data and the ontology: the report, whatever loader.conformance says."""
    from pyshacl import validate  # only a graph with something to report needs it
    ok, report, _text = validate(
        data, shacl_graph=shapes_graph(), ont_graph=ontology_graph(), inference="none",
        advanced=True, allow_warnings=False,
    )
    if ok:
        return []
    if not isinstance(report, Graph):  # pyshacl reports a broken shapes file this way
        raise RuntimeError(f"the SHACL shapes could not be run: {_text}")
    return sorted(_violations(report, label), key=str)


def _violations(report: Graph, label: str) -> list[Violation]:
    out = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        path = report.value(result, SH.resultPath)
        value = report.value(result, SH.value)
        message = report.value(result, SH.resultMessage)
        out.append(Violation(
            graph=label,
            focus=str(report.value(result, SH.focusNode)),
            path=_short(path, report) if isinstance(path, URIRef) else None,
            value=str(value) if value is not None else None,
            message=str(message) if message else "violates a shape",
        ))
    return out


def _short(iri: URIRef, g: Graph) -> str:
    try:
        return g.namespace_manager.normalizeUri(iri)
    except Exception:  # an IRI that no bound prefix covers is shown whole
        return f"<{iri}>"
