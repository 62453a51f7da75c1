"""The fast conformance check (loader.conformance) against pyshacl: it reads every shape, clears
the valid graphs, and catches every broken copy of them that pyshacl rejects. It only ever
answers yes or no: a no hands the graph to pyshacl, whose report the validator returns word for
word. So the one thing that must never happen is a yes where pyshacl finds a violation, and each
fault of tests/shape_faults.py (one per constraint of the shapes, and hand-made ones for the
SPARQL-based, node-level and lineage constraints) is checked alone.
"""
from __future__ import annotations

import pytest
from rdflib import Graph, URIRef

from graph_support import NAMESPACE
from shape_faults import Fault, Journal, applied, batches, constraint_faults, hand_made_faults, lineage_faults
from versioned_support import NEW, OLD, versioned_data


@pytest.fixture(scope="module")
def checks():
    from skillsgraph.loader.conformance import Context
    from skillsgraph.loader.shape_plan import plan_of
    from skillsgraph.loader.validation import ontology_graph, shapes_graph
    plan = plan_of(shapes_graph())
    return plan, Context(plan, ontology_graph())


@pytest.fixture(scope="module")
def versioned_graph(tmp_path_factory) -> Graph:
    """Both releases of the reference framework and the registries, as the shapes see them."""
    from skillsgraph.loader.build import build
    result = build(versioned_data(tmp_path_factory.mktemp("versioned")), NAMESPACE, workers=1)
    g = Graph()
    for ng in result.graphs:
        if not str(ng.name).endswith("/graph/ontology"):
            g += ng.graph
    return g


@pytest.fixture(scope="module")
def faults(built, versioned_graph, checks) -> list[tuple[Graph, Fault]]:
    plan, context = checks
    graph = built.data_graph
    out = [(graph, f) for f in constraint_faults(plan, context, graph) + hand_made_faults(graph)]
    out += [(versioned_graph, f) for f in lineage_faults(versioned_graph, URIRef(NAMESPACE + OLD), URIRef(NAMESPACE + NEW))]
    return out


def test_every_shape_is_read(checks):
    plan, _context = checks
    assert plan.shapes and plan.opaque == {}, "a shape the fast check cannot read sends every graph to pyshacl"


def test_the_valid_graphs_conform(built, versioned_graph, checks):
    from skillsgraph.loader.conformance import conforms
    _plan, context = checks
    assert conforms(built.data_graph, context)
    assert conforms(versioned_graph, context)


def test_each_release_conforms_beside_the_registries(built):
    from skillsgraph.loader.conformance import conforms
    from skillsgraph.loader.validation import Validator
    registries, releases = Graph(), []
    for name in built.graph_names:
        graph = built.dataset.graph(URIRef(name))
        if "/graph/registry/" in name:
            registries += graph
        elif "/graph/framework/" in name:
            releases.append(graph)
    assert releases
    context = Validator(registries).context
    assert all(conforms(release, context) for release in releases)


def test_there_is_a_fault_for_every_constraint(faults, checks):
    plan, _context = checks
    names = {f.name for _g, f in faults}
    assert len(names) == len(faults), "fault names repeat"
    properties = sum(1 for s in plan.shapes for kind, _ in s.constraints if kind == "property")
    assert len(faults) > properties, (len(faults), properties)


def test_pyshacl_reports_every_fault_where_it_was_made(faults):
    from skillsgraph.loader.validation import pyshacl_violations
    missed = []
    for graph in {id(g): g for g, _f in faults}.values():
        for group in batches([f for g, f in faults if g is graph]):
            violations = pyshacl_violations(applied(graph, group), "faults")
            for fault in group:
                if not any(v.focus == str(fault.focus) and _same_path(v.path, fault.path) for v in violations):
                    missed.append(fault.name)
    assert not missed, f"pyshacl found nothing for: {missed}"


def test_the_fast_check_catches_every_fault_alone(faults, checks):
    from skillsgraph.loader.conformance import conforms
    from skillsgraph.loader.nquads import triple_lines
    _plan, context = checks
    copies = {id(g): Journal(g) for g in {id(g): g for g, _f in faults}.values()}
    sizes = {key: len(copy) for key, copy in copies.items()}  # each graph's, counted once: rdflib counts by walking it
    missed = []
    for n, (graph, fault) in enumerate(faults):
        copy = copies[id(graph)]
        with copy.changed_by(fault) as broken:
            lines = broken.ntriples()
            passed = conforms(broken, context, lines)  # as the build calls it, with the graph's lines
            if n % 20 == 0:  # the lines kept up to date are the broken graph's own, and without them it answers alike
                assert set(lines.decode("utf-8").splitlines(keepends=True)) == triple_lines(broken), fault.name
                assert conforms(broken, context) == passed, fault.name
            if passed:
                missed.append(fault.name)
        assert len(copy) == sizes[id(graph)], f"{fault.name} was not taken back"
    assert all(set(copies[id(g)]) == set(g) for g, _f in faults[:1] + faults[-1:])
    assert not missed, f"the fast check let these through: {missed}"


def test_a_broken_graph_gets_pyshacls_own_report(built, faults):
    from skillsgraph.loader.validation import pyshacl_violations, validate_graph
    graph = applied(built.data_graph, [f for g, f in faults if g is built.data_graph][:12])
    report = validate_graph(graph, "broken")
    assert report and report == pyshacl_violations(graph, "broken")


def _same_path(shown: str | None, path: URIRef | None) -> bool:
    if path is None:
        return True
    local = str(path).rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    return shown is not None and (shown == f"<{path}>" or shown.endswith(":" + local))
