"""rdflib's plan of a query, made again once the memory store knows which variables a caller
binds: the same answers in the same order, found without reading what they do not need.

rdflib plans a query before any binding is known, so a basic graph pattern may start from
three unbound variables (describe.rq's owned nodes of owned nodes began by reading every
triple of the store), and a FILTER runs after its whole pattern (every triple of every node a
resource links to was read before the filter kept the resource's own nodes): a statement's
document took 0.2 s, most of the memory store's time per document.
"""
from __future__ import annotations

from typing import Any

from rdflib import URIRef, Variable
from rdflib.plugins.sparql.algebra import BGP, Filter, Join, reorderTriples
from rdflib.plugins.sparql.operators import ConditionalAndExpression
from rdflib.plugins.sparql.parserutils import CompValue, Expr


def planned(algebra: Any, bound: frozenset[str]) -> Any:
    """algebra (changed in place) with each pattern's triples in the order rdflib's own planner
    gives them with the bound variables as constants, and each conjunct of a FILTER over a
    pattern run as soon as the triples before it bind its variables: the same nested loop over
    the same triples, skipping earlier what the filter would drop."""
    if isinstance(algebra, (list, tuple)):
        return type(algebra)(planned(part, bound) for part in algebra)
    if not isinstance(algebra, CompValue):
        return algebra
    for key, part in list(algebra.items()):
        algebra[key] = planned(part, bound)
    if algebra.name == "BGP" and len(algebra["triples"]) > 1:
        algebra["triples"] = _ordered(algebra["triples"], bound)
    elif algebra.name == "Filter":
        return _filter_early(algebra, bound)
    return algebra


def _ordered(triples: list[tuple], bound: frozenset[str]) -> list[tuple]:
    stand_in = {Variable(name): URIRef(f"urn:x-skillsgraph:bound:{name}") for name in bound}
    back = {v: k for k, v in stand_in.items()}
    planned = reorderTriples([tuple(stand_in.get(t, t) for t in triple) for triple in triples])
    return [tuple(back.get(t, t) for t in triple) for triple in planned]


def _filter_early(node: CompValue, bound: frozenset[str]) -> CompValue:
    """The FILTER with each conjunct whose variables a first part of its pattern binds moved
    into that part (through BINDs, which keep the order of what they extend); the conjuncts
    that need the whole pattern stay, and a FILTER left with none is dropped."""
    parent = node
    while isinstance(parent.p, CompValue) and parent.p.name == "Extend":
        parent = parent.p
    bgp = parent.p
    if not isinstance(bgp, CompValue) or bgp.name != "BGP" or len(bgp.triples) < 2:
        return node
    triples = bgp.triples
    # Bound by the caller and by no triple here: bound wherever the filter runs.
    given = {Variable(name) for name in bound} - _variables(triples)
    early: dict[int, list] = {}
    kept = []
    for conjunct in _conjuncts(node.expr):
        needs = _variables(conjunct) - given
        k = next((k for k in range(1, len(triples)) if needs and needs <= _variables(triples[:k])), None)
        (kept if k is None else early.setdefault(k, [])).append(conjunct)
    if not early:
        return node
    cuts = sorted(early) + [len(triples)]
    where = BGP(triples[:cuts[0]])
    for k, following in zip(cuts, cuts[1:]):
        for conjunct in early[k]:
            where = _with_scope(Filter(conjunct, where), node)
        if following > k:
            where = _with_scope(Join(where, BGP(triples[k:following])), node)
            where["lazy"] = True  # what rdflib's evalLazyJoin runs: the nested loop of a BGP
    parent["p"] = where
    if not kept:
        return node.p
    node["expr"] = kept[0] if len(kept) == 1 else Expr("ConditionalAndExpression", ConditionalAndExpression,
                                                          expr=kept[0], other=kept[1:])
    return node


def _with_scope(part: CompValue, filter_node: CompValue) -> CompValue:
    """A new part sees every variable of the FILTER it came from (evalFilter forgets the rest)."""
    part["_vars"] = filter_node._vars
    if filter_node.no_isolated_scope:
        part["no_isolated_scope"] = True
    return part


def _conjuncts(expr) -> list:
    if isinstance(expr, CompValue) and expr.name == "ConditionalAndExpression" and expr.get("other"):
        return [c for part in [expr.get("expr"), *expr.get("other")] for c in _conjuncts(part)]
    return [expr]


def _variables(found) -> set[Variable]:
    """Every variable in an expression or in triples."""
    out, pending = set(), [found]
    while pending:
        node = pending.pop()
        if isinstance(node, Variable):
            out.add(node)
        elif isinstance(node, CompValue):
            pending.extend(v for k, v in node.items() if k != "_vars")
        elif isinstance(node, (list, tuple)):
            pending.extend(node)
    return out


__all__ = ["planned"]
