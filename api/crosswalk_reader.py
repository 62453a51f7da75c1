"""Reading crosswalk hops and node descriptions from the store, for api.crosswalk_paths."""
from __future__ import annotations

from fastapi import Request

from .crosswalk_paths import INVERSE, SG, Hop
from .store_access import iri_literal, select

PREFIXES = f"""PREFIX sg: <{SG}>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
MAPPING_DETAILS = ("method", "methodLabel", "source", "sourceTitle", "version", "licence", "date", "confidence",
                   "row", "justification", "graph")


def _values(nodes: list[str]) -> str:
    return " ".join(iri_literal(n) for n in nodes)


def machine_method(namespace: str) -> str:
    return f"{namespace}mapping-method/machine-suggestion"


async def mapping_hops(request: Request, nodes: list[str], include_suggestions: bool) -> list[Hop]:
    """Mapping facts touching any of the nodes, each read in the direction away from it."""
    exclude = "" if include_suggestions else f"FILTER(?method != <{machine_method(request.app.state.settings.namespace)}>)"
    rows = (await select(request, PREFIXES + f"""
        SELECT ?n ?m ?s ?p ?o ?method ?methodLabel ?source ?sourceTitle ?version ?licence ?date ?confidence ?row ?justification ?graph WHERE {{
          VALUES ?n {{ {_values(nodes)} }}
          {{ ?m owl:annotatedSource ?n }} UNION {{ ?m owl:annotatedTarget ?n }}
          GRAPH ?graph {{ ?m a sg:Mapping ; owl:annotatedSource ?s ; owl:annotatedProperty ?p ; owl:annotatedTarget ?o ;
                              sg:mappingMethod ?method . }}
          {exclude}
          OPTIONAL {{ ?method skos:prefLabel ?methodLabel }}
          OPTIONAL {{ ?m prov:wasDerivedFrom ?source .
                     OPTIONAL {{ ?source dcterms:title ?sourceTitle }}
                     OPTIONAL {{ ?source owl:versionInfo ?version }}
                     OPTIONAL {{ ?source dcterms:license ?licence }} }}
          OPTIONAL {{ ?m dcterms:date ?date }}
          OPTIONAL {{ ?m sg:confidence ?confidence }}
          OPTIONAL {{ ?m sg:crosswalkRow ?row }}
          OPTIONAL {{ ?m sg:justification ?justification }}
        }} ORDER BY ?n ?m""")).rows
    hops: dict[tuple, Hop] = {}
    for r in rows:
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
    rows = (await select(request, PREFIXES + f"""
        SELECT ?n ?other ?p ?inverse ?release ?title WHERE {{
          VALUES ?n {{ {_values(nodes)} }}
          {{ GRAPH ?g {{ ?n sg:instructionalProgram ?other . ?release a sg:FrameworkRelease ; sg:occupation ?n }}
             BIND(sg:instructionalProgram AS ?p) BIND(false AS ?inverse) }}
          UNION
          {{ GRAPH ?g {{ ?other sg:instructionalProgram ?n . ?release a sg:FrameworkRelease ; sg:occupation ?other }}
             BIND(sg:instructionalProgram AS ?p) BIND(true AS ?inverse) }}
          UNION
          {{ ?other a sg:FrameworkRelease ; sg:occupation ?n . BIND(?other AS ?release)
             BIND(sg:occupation AS ?p) BIND(true AS ?inverse) }}
          UNION
          {{ ?n a sg:FrameworkRelease ; sg:occupation ?other . BIND(?n AS ?release)
             BIND(sg:occupation AS ?p) BIND(false AS ?inverse) }}
          OPTIONAL {{ ?release skos:prefLabel ?title }}
        }} ORDER BY ?n ?other ?release""")).rows
    hops: dict[tuple, Hop] = {}
    for r in rows:
        inverse = r["inverse"].value == "true"
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
    # A UNION folded here, not OPTIONALs and SAMPLE(): rdflib (the memory store) drops a
    # VALUES row whose first OPTIONAL fails, and a group whose SAMPLE() is unbound.
    rows = (await select(request, PREFIXES + f"""
        SELECT ?n ?label ?notation WHERE {{
          VALUES ?n {{ {_values(sorted(nodes))} }}
          {{ ?n skos:prefLabel ?label FILTER(LANGMATCHES(LANG(?label), "en") || LANG(?label) = "") }}
          UNION {{ ?n skos:notation ?notation }}
        }} ORDER BY ?n ?notation ?label""")).rows
    out: dict[str, dict[str, str]] = {}
    for r in rows:
        found = out.setdefault(r["n"].value, {})
        for key in ("label", "notation"):
            if key in r:
                found.setdefault(key, r[key].value)
    return out


async def known(request: Request, node: str) -> bool:
    rows = (await select(request, f"SELECT ?p WHERE {{ {{ {iri_literal(node)} ?p ?o }} UNION {{ ?s ?p {iri_literal(node)} }} }} LIMIT 1")).rows
    return bool(rows)
