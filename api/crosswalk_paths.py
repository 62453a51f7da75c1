"""Finding crosswalk paths: breadth-first over mapping facts, shortest paths first.

A hop is either a mapping node (sg:Mapping, with its relation, method and source) or one of
the few links a framework release asserts itself (a framework is for an occupation; an
occupation is prepared for by CIP programmes). The search reads hops from the store one
frontier at a time, so a path of n hops costs n queries whatever the size of the graph.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Awaitable, Callable

from skillsgraph.vocab import ESCO, SKOS

ESCO_OCCUPATION = ESCO + "occupation/"
MAX_HOPS = 4
MAX_PATHS = 200

# Traversing a mapping against its direction turns broader into narrower.
INVERSE = {f"{SKOS}broadMatch": f"{SKOS}narrowMatch", f"{SKOS}narrowMatch": f"{SKOS}broadMatch"}
STRENGTH = {f"{SKOS}exactMatch": 0, f"{SKOS}closeMatch": 1, f"{SKOS}broadMatch": 2, f"{SKOS}narrowMatch": 2,
            f"{SKOS}relatedMatch": 3}


@dataclass(frozen=True)
class Scheme:
    """A code scheme the crosswalk speaks: where its IRIs live and what its codes look like."""
    name: str
    label: str
    path: str  # relative to the namespace, or an absolute IRI prefix
    code: re.Pattern

    def prefix(self, namespace: str) -> str:
        return self.path if "://" in self.path else namespace + self.path


SCHEMES = {s.name: s for s in (
    Scheme("onet-soc", "O*NET-SOC 2019", "occupation/", re.compile(r"^\d{2}-\d{4}\.\d{2}$")),
    Scheme("onet-soc2010", "O*NET-SOC 2010", "onet-soc2010/", re.compile(r"^\d{2}-\d{4}\.\d{2}$")),
    Scheme("soc2018", "SOC 2018", "soc2018/", re.compile(r"^\d{2}-\d{4}$")),
    Scheme("cip2020", "CIP 2020", "cip2020/", re.compile(r"^\d{2}\.\d{4}$")),
    Scheme("isco", "ISCO-08", "isco08/", re.compile(r"^\d{1,4}$")),
    Scheme("esco", "ESCO occupations", ESCO_OCCUPATION, re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")),
    Scheme("framework", "skillsgraph framework releases", "framework/", re.compile(r"^\d{2}-\d{4}\.\d{2}(/v[0-9.]+)?$")),
)}


class CrosswalkInputError(ValueError):
    """A from/to parameter that names no scheme or no well-formed code."""


def parse_from(value: str, namespace: str) -> tuple[Scheme, str]:
    """'onet-soc:29-1129.01' -> (scheme, the code's IRI). ESCO takes a UUID or ESCO's own IRI."""
    name, sep, code = value.partition(":")
    scheme = SCHEMES.get(name.strip().lower())
    if not sep or scheme is None:
        raise CrosswalkInputError(f"from={value!r}: expected <scheme>:<code> with scheme one of {', '.join(SCHEMES)}")
    code = code.strip()
    if scheme.name == "esco" and code.startswith(ESCO_OCCUPATION):
        code = code[len(ESCO_OCCUPATION):]
    if not scheme.code.match(code):
        raise CrosswalkInputError(f"from={value!r}: {code!r} is not a {scheme.label} code")
    return scheme, scheme.prefix(namespace) + code


def parse_to(value: str) -> Scheme:
    scheme = SCHEMES.get(value.strip().lower())
    if scheme is None:
        raise CrosswalkInputError(f"to={value!r}: unknown scheme; use one of {', '.join(SCHEMES)}")
    return scheme


def in_scheme(iri: str, scheme: Scheme, namespace: str) -> bool:
    rest = iri[len(scheme.prefix(namespace)):] if iri.startswith(scheme.prefix(namespace)) else None
    if rest is None:
        return False
    # framework/<code> is the series, framework/<code>/v<version> a release: both answer 'framework'.
    return bool(scheme.code.match(rest)) if scheme.name != "framework" else bool(re.match(r"^[^/]+(/v[^/]+)?$", rest))


@dataclass(frozen=True)
class Hop:
    """One step of a path, read in the direction of travel."""
    start: str
    end: str
    relation: str  # the relation from start to end, after inversion for backward travel
    node: str  # the mapping node, or the framework release asserting a structural link
    kind: str  # "mapping" or "framework"
    details: dict = field(default_factory=dict, compare=False, hash=False)


def compose(relations: list[str]) -> str | None:
    """The SKOS relation a chain of hops implies: the weakest link wins; broader and narrower
    together say only that the two are related. None for chains with structural links."""
    if any(r not in STRENGTH for r in relations):
        return None
    kinds = {r for r in relations if STRENGTH[r] == 2}
    if len(kinds) > 1:
        return f"{SKOS}relatedMatch"
    return max(relations, key=lambda r: STRENGTH[r])


HopReader = Callable[[list[str]], Awaitable[list[Hop]]]


async def shortest_paths(start: str, is_target: Callable[[str], bool], read_hops: HopReader,
                         max_hops: int = MAX_HOPS) -> list[list[Hop]]:
    """Every shortest path (up to MAX_PATHS) from start to a node the predicate accepts."""
    parents: dict[str, list[Hop]] = {start: []}
    frontier = [start]
    found: list[str] = []
    for _ in range(max_hops):
        hops = await read_hops(frontier)
        reached: dict[str, list[Hop]] = {}
        for hop in hops:
            if hop.end not in parents:
                reached.setdefault(hop.end, []).append(hop)
        parents.update(reached)
        found = sorted(n for n in reached if is_target(n))
        if found or not reached:
            break
        # Targets end a path: do not walk on from a node of another scheme's answer set.
        frontier = sorted(reached)
    paths: list[list[Hop]] = []
    for target in found:
        paths.extend(_unwind(target, parents, start))
        if len(paths) >= MAX_PATHS:
            break
    return paths[:MAX_PATHS]


def _unwind(node: str, parents: dict[str, list[Hop]], start: str) -> list[list[Hop]]:
    if node == start:
        return [[]]
    out = []
    for hop in parents[node]:
        out.extend(path + [hop] for path in _unwind(hop.start, parents, start))
        if len(out) >= MAX_PATHS:
            break
    return out
