"""Reading crosswalk hops and node descriptions from the store, for api.crosswalk_paths.

Each read takes a whole frontier of nodes at once (rows of one VALUES block), so a path of
n hops costs n reads whatever the size of the graph.
"""
from __future__ import annotations

from fastapi import Request

from skillsgraph.store.base import Values

from .crosswalk_paths import INVERSE, Hop
from .store_access import iri, select

MAPPING_DETAILS = ("method", "methodLabel", "source", "sourceTitle", "version", "licence", "date", "confidence",
                   "row", "justification", "graph")


def _rows(nodes) -> Values:
    return Values.column("n", (iri(n) for n in nodes))


def machine_method(namespace: str) -> str:
    return f"{namespace}mapping-method/machine-suggestion"


async def mapping_hops(request: Request, nodes: list[str], include_suggestions: bool) -> list[Hop]:
    """Mapping facts touching any of the nodes, each read in the direction away from it."""
    machine = machine_method(request.app.state.settings.namespace)
    hops: dict[tuple, Hop] = {}
    for r in await select(request, "mapping-hops", _rows(nodes)):
        if not include_suggestions and r["method"].value == machine:
            continue
        start, subject, target = r["n"].value, r["s"].value, r["o"].value
        forward = start == subject
        relation = r["p"].value if forward else INVERSE.get(r["p"].value, r["p"].value)
        details = {k: r[k].value for k in MAPPING_DETAILS if k in r}
        details["inverse"] = not forward
        details["property"] = r["p"].value
        hop = Hop(start, target if forward else subject, relation, r["m"].value, "mapping", details)
        hops.setdefault((hop.start, hop.end, hop.node), hop)
    return list(hops.values())


async def framework_hops(request: Request, nodes: list[str]) -> list[Hop]:
    """The links a framework release asserts itself: its occupation, and the occupation's CIP programmes."""
    hops: dict[tuple, Hop] = {}
    for r in await select(request, "framework-hops", _rows(nodes)):
        # A computed boolean: Virtuoso writes it as the integer 1 (README, External triple stores).
        inverse = r["inverse"].value in ("true", "1")
        details = {"inverse": inverse, "property": r["p"].value, "source": r["release"].value}
        if "title" in r:
            details["sourceTitle"] = r["title"].value
        hop = Hop(r["n"].value, r["other"].value, r["p"].value, r["release"].value, "framework", details)
        hops.setdefault((hop.start, hop.end, hop.node), hop)
    return list(hops.values())


async def labels(request: Request, nodes: set[str]) -> dict[str, dict[str, str]]:
    """skos:prefLabel (English first) and skos:notation of each node, where the graph has them."""
    if not nodes:
        return {}
    out: dict[str, dict[str, str]] = {}
    for r in await select(request, "node-labels", _rows(sorted(nodes))):
        found = out.setdefault(r["n"].value, {})
        for key in ("label", "notation"):
            if key in r:
                found.setdefault(key, r[key].value)
    return out


async def known(request: Request, node: str) -> bool:
    return bool(await select(request, "node-known", node=iri(node)))
