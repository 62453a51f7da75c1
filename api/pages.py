"""HTML pages for people: any resource, the framework page, the SPARQL query page, the home page.

Every page is rendered on the server from the store (no client-side data fetching), links
between pages are relative (so the site works on any host and under any path prefix), and
nothing on any page asks for anything from another host: styles, scripts and the query
editor (YASGUI, vendored under static/yasgui/) are all served from static/.

Public functions other routers call:
  render_resource(request, iri, triples, alternates) -> HTMLResponse
  schema_org_jsonld(request, iri, triples) -> dict
  render_query_page(request) -> HTMLResponse
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable
from urllib.parse import urlsplit

import pyoxigraph as ox
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.staticfiles import StaticFiles

from skillsgraph import __version__
from skillsgraph.config import ONTOLOGY_NS
from skillsgraph.store.base import Dataset, GraphResult, SolutionsResult
from .profiles import schema_org as schema_org_profile

router = APIRouter()

HERE = Path(__file__).resolve().parent
TEMPLATES_DIR = HERE / "templates"
STATIC_DIR = HERE / "static"

# ---- vocabularies ------------------------------------------------------------------------

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
OWL = "http://www.w3.org/2002/07/owl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
DCAT = "http://www.w3.org/ns/dcat#"
PROV = "http://www.w3.org/ns/prov#"
FOAF = "http://xmlns.com/foaf/0.1/"
CITO = "http://purl.org/spar/cito/"
SCHEMA = "https://schema.org/"
UNIT = "http://qudt.org/vocab/unit/"
VOID = "http://rdfs.org/ns/void#"
SH = "http://www.w3.org/ns/shacl#"
SG = ONTOLOGY_NS
RDF_TYPE = RDF + "type"

PREFIXES = {
    "sg": SG, "rdf": RDF, "rdfs": RDFS, "xsd": XSD, "owl": OWL, "skos": SKOS, "dcterms": DCTERMS, "dcat": DCAT,
    "prov": PROV, "foaf": FOAF, "cito": CITO, "schema": SCHEMA, "unit": UNIT, "void": VOID, "sh": SH,
}
SPARQL_PREFIXES = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())

# Labels for the terms of other vocabularies the data uses (the ontology graph labels ours).
BUILTIN_LABELS = {
    RDF_TYPE: "type", RDFS + "label": "label", RDFS + "comment": "comment", RDFS + "subClassOf": "subclass of",
    RDFS + "subPropertyOf": "subproperty of", RDFS + "domain": "domain", RDFS + "range": "range",
    RDFS + "seeAlso": "see also", RDFS + "isDefinedBy": "defined by",
    OWL + "versionInfo": "version", OWL + "inverseOf": "inverse of", OWL + "disjointWith": "disjoint with",
    OWL + "Class": "OWL class", OWL + "ObjectProperty": "object property", OWL + "DatatypeProperty": "datatype property",
    OWL + "AnnotationProperty": "annotation property", OWL + "Ontology": "ontology",
    SKOS + "prefLabel": "preferred label", SKOS + "altLabel": "alternative label", SKOS + "notation": "notation",
    SKOS + "definition": "definition", SKOS + "scopeNote": "scope note", SKOS + "inScheme": "in scheme",
    SKOS + "hasTopConcept": "top concept", SKOS + "closeMatch": "close match", SKOS + "exactMatch": "exact match",
    SKOS + "Concept": "concept", SKOS + "ConceptScheme": "concept scheme",
    DCTERMS + "title": "title", DCTERMS + "description": "description", DCTERMS + "publisher": "publisher",
    DCTERMS + "creator": "creator", DCTERMS + "license": "licence", DCTERMS + "source": "source",
    DCTERMS + "issued": "issued", DCTERMS + "modified": "modified", DCTERMS + "rights": "rights",
    DCTERMS + "bibliographicCitation": "citation", DCTERMS + "isVersionOf": "version of",
    DCTERMS + "hasPart": "has part", DCTERMS + "alternative": "alternative title",
    DCAT + "dataset": "dataset", DCAT + "inSeries": "in series", DCAT + "distribution": "distribution",
    DCAT + "downloadURL": "download URL", DCAT + "mediaType": "media type", DCAT + "compressFormat": "compression",
    DCAT + "Dataset": "dataset", DCAT + "Distribution": "distribution",
    PROV + "wasDerivedFrom": "derived from", FOAF + "page": "web page", FOAF + "homepage": "home page",
    CITO + "citesAsEvidence": "cites as evidence", CITO + "hasCitingEntity": "citing entity",
    CITO + "hasCitedEntity": "cited entity", CITO + "hasCitationCharacterization": "characterisation",
    SCHEMA + "name": "name", SCHEMA + "value": "value", SCHEMA + "valueReference": "value",
    SCHEMA + "unitCode": "unit", SCHEMA + "maxValue": "maximum value",
    VOID + "triples": "triples", VOID + "subset": "subset", VOID + "dataDump": "data dump",
    VOID + "sparqlEndpoint": "SPARQL endpoint", VOID + "uriSpace": "URI space", VOID + "vocabulary": "vocabulary",
    VOID + "Dataset": "VoID dataset",
    SH + "NodeShape": "node shape", SH + "PropertyShape": "property shape", SH + "property": "property constraint",
    SH + "path": "path", SH + "targetClass": "target class", SH + "message": "message", SH + "severity": "severity",
}
LICENCE_NAMES = {
    "https://creativecommons.org/licenses/by/4.0/": "CC BY 4.0",
    "http://creativecommons.org/licenses/by/4.0/": "CC BY 4.0",
    "https://creativecommons.org/publicdomain/zero/1.0/": "CC0 1.0",
    "https://creativecommons.org/licenses/by-sa/4.0/": "CC BY-SA 4.0",
}
UNIT_SUFFIX = {UNIT + "PERCENT": " %"}

# Properties whose literal is the resource's name, in order of preference.
LABEL_PROPERTIES = [SKOS + "prefLabel", RDFS + "label", DCTERMS + "title", SCHEMA + "name", SG + "taskText",
                    SKOS + "notation", SG + "onetSocCode"]
# Properties whose literal describes the resource, shown under the title.
LEAD_PROPERTIES = [SG + "statementText", SG + "taskText", SG + "contextCovered", DCTERMS + "description",
                   SKOS + "definition", DCTERMS + "bibliographicCitation", RDFS + "comment"]
# Rows shown first on a resource page, in this order; the rest follow alphabetically.
FIRST_PROPERTIES = [SKOS + "prefLabel", RDFS + "label", DCTERMS + "title", SCHEMA + "name", SKOS + "notation",
                    SG + "onetSocCode", SG + "socCode", SG + "statementText", SG + "taskText", SG + "level",
                    SG + "domain", SG + "position", SG + "framework", SG + "occupation", SG + "releaseVersion"]
STATEMENT_KINDS = {SG + "CompetencyStatement": "competency", SG + "AIUseStatement": "ai-use",
                   SG + "DurableSkillStatement": "durable"}
DESCRIPTOR_HEADINGS = [(SG + "skill", "Skills"), (SG + "knowledge", "Knowledge"), (SG + "ability", "Abilities"),
                       (SG + "workStyle", "Work styles"), (SG + "technology", "Technology")]
COLLAPSE_AFTER = 12
METRIC_KIND_ORDER = {k: i for i, k in enumerate(["count", "percent", "decimal", "skill", "score", "concept", "text"])}
# Datatypes not worth a tag next to a value: plain strings and numbers read as what they are.
QUIET_DATATYPES = {XSD + t for t in ("string", "integer", "decimal", "positiveInteger", "nonNegativeInteger", "double",
                                     "boolean")} | {RDF + "langString"}

# ---- templates and static files -------------------------------------------------------

_env = Environment(loader=FileSystemLoader(TEMPLATES_DIR), autoescape=select_autoescape(["html"]),
                   trim_blocks=True, lstrip_blocks=True)


def _json_script(value) -> Markup:
    """JSON safe to place inside <script>: no '</script>' or '<!--' can close it early."""
    text = json.dumps(value, ensure_ascii=False, indent=2)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


_env.filters["json_script"] = _json_script
_static = StaticFiles(directory=STATIC_DIR)


@router.api_route("/static/{path:path}", methods=["GET", "HEAD"], include_in_schema=False)
async def static(path: str, request: Request) -> Response:
    """Styles, scripts and the vendored query editor; never anything from elsewhere."""
    try:
        response = await _static.get_response(path, request.scope)
    except StarletteHTTPException as exc:
        raise HTTPException(exc.status_code, detail=f"no static file {path!r}") from None
    if response.status_code == 200:
        response.headers["Cache-Control"] = "public, max-age=3600"
    return response


@router.api_route("/", methods=["GET", "HEAD"], response_class=HTMLResponse, include_in_schema=False)
def home(request: Request) -> HTMLResponse:
    page = _Page(request, "")
    ns = page.namespace
    rows = _select(request, f"""{SPARQL_PREFIXES}
        SELECT ?release ?title ?code ?version (COUNT(DISTINCT ?s) AS ?statements) WHERE {{
          ?release a sg:FrameworkRelease ; sg:occupation ?occ ; sg:releaseVersion ?version .
          ?occ skos:prefLabel ?title . OPTIONAL {{ ?occ sg:onetSocCode ?code }}
          OPTIONAL {{ ?s sg:framework ?release }}
        }} GROUP BY ?release ?title ?code ?version ORDER BY ?title DESC(?version)""")
    frameworks = [{"href": page.href(r["release"].value), "title": r["title"].value,
                   "code": _value(r.get("code")), "version": r["version"].value,
                   "statements": int(r["statements"].value)} for r in rows]
    featured = ns + "framework/29-1129.01/v26.05"
    context = {
        "frameworks": frameworks,
        "featured_href": page.href(featured) if any(r["release"].value == featured for r in rows)
        else (frameworks[0]["href"] if frameworks else None),
        "links": {name: page.to(path) for name, path in {
            "query": "sparql", "docs": "docs", "occupations": "occupations", "dataset": "dataset",
            "ontology": "ontology", "shapes": "shapes", "context": "context.jsonld",
            "dump_nq": "dump/skillsgraph.nq.gz", "dump_nt": "dump/skillsgraph.nt.gz",
            "dump_ttl": "dump/skillsgraph.ttl.gz", "dump_jsonld": "dump/skillsgraph.jsonld.gz",
        }.items()},
        "namespace": ns,
    }
    return page.render("home.html", "skillsgraph: occupational skills frameworks as linked data", context)


# ---- the page frame ----------------------------------------------------------------------

class _Page:
    """What every template needs: relative links from this page, the nav, the version."""

    def __init__(self, request: Request, page_path: str | None = None):
        self.request = request
        self.namespace = request.app.state.settings.namespace
        if page_path is None:
            page_path = request.url.path
            root = request.scope.get("root_path") or ""
            if root and page_path.startswith(root):
                page_path = page_path[len(root):]
        self.path = page_path.lstrip("/")

    def to(self, target: str) -> str:
        """A relative link from this page to a path of this server (without leading '/')."""
        return ("../" * self.path.count("/") + target.lstrip("/")) or "./"

    def href(self, iri: str) -> str | None:
        """Namespace IRIs become links on this server; other IRIs stay as they are."""
        if iri.startswith(self.namespace):
            return self.to(iri[len(self.namespace):])
        return iri if iri.startswith(("http://", "https://")) else None

    def render(self, template: str, title: str, context: dict, *, jsonld: dict | None = None,
               alternates: list[dict] | None = None, status_code: int = 200, wide: bool = False) -> HTMLResponse:
        html = _env.get_template(template).render(
            page=self, title=title, jsonld=jsonld, alternates=alternates or [], version=__version__, wide=wide,
            nav=[("Home", self.to("")), ("Query", self.to("sparql")), ("Occupations", self.to("occupations")),
                 ("Dataset", self.to("dataset")), ("Ontology", self.to("ontology")), ("API", self.to("docs"))],
            css=self.to("static/site.css"), **context)
        return HTMLResponse(html, status_code=status_code)


# ---- reading the store -------------------------------------------------------------------

def _select(request: Request, sparql: str) -> list[dict]:
    result = request.app.state.store.query(sparql, Dataset(), request.app.state.limits)
    assert isinstance(result, SolutionsResult), "a SELECT query was expected"
    return result.rows


def _construct(request: Request, sparql: str) -> list[ox.Triple]:
    result = request.app.state.store.query(sparql, Dataset(), request.app.state.limits)
    assert isinstance(result, GraphResult), "a CONSTRUCT query was expected"
    return result.triples


def _iri(value: str) -> str:
    if any(c in value for c in '<>"{}|^`\\ \n\r\t'):
        raise ValueError(f"not a valid IRI: {value!r}")
    return f"<{value}>"


def _value(term) -> str | None:
    return None if term is None else term.value


def _chunks(items: list, size: int) -> Iterable[list]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _literal_rank(term: ox.Literal) -> int:
    lang = term.language or ""
    return 0 if lang in ("en", "en-us", "en-gb") else 1 if not lang else 2


def _best(literals: list[ox.Literal]) -> ox.Literal | None:
    literals = [t for t in literals if isinstance(t, ox.Literal)]
    return min(literals, key=lambda t: (_literal_rank(t), t.value)) if literals else None


def _vocabulary_labels(request: Request) -> dict[str, str]:
    """rdfs:label of every term of the ontology (read once from its graph in the store)."""
    state = request.app.state
    cached = getattr(state, "pages_vocabulary_labels", None)
    if cached is None:
        graph = state.settings.namespace + "graph/ontology"
        rows = _select(request, f"""SELECT ?t ?l WHERE {{ GRAPH {_iri(graph)} {{ ?t <{RDFS}label> ?l }} }}""")
        found: dict[str, list] = {}
        for row in rows:
            found.setdefault(row["t"].value, []).append(row["l"])
        cached = {t: _best(ls).value for t, ls in found.items() if _best(ls) is not None}
        state.pages_vocabulary_labels = cached
    return cached


def _names(request: Request, iris: Iterable[str], triples: Iterable[ox.Triple] = ()) -> dict[str, dict[str, str]]:
    """For each IRI: its 'label' (best name), 'chip' (sg:chipLabel) and 'types', from the given
    triples where they say so and from the store for the rest."""
    wanted = set(iris)
    props = set(LABEL_PROPERTIES) | {SG + "chipLabel"}
    values: dict[str, dict[str, list]] = {i: {} for i in wanted}
    types: dict[str, set[str]] = {i: set() for i in wanted}
    for t in triples:
        s = t.subject.value if isinstance(t.subject, ox.NamedNode) else None
        if s in wanted and t.predicate.value in props:
            values[s].setdefault(t.predicate.value, []).append(t.object)
    missing = sorted(i for i in wanted if not values[i])
    for chunk in _chunks(missing, 200):
        refs = " ".join(_iri(i) for i in chunk)
        plist = ", ".join(f"<{p}>" for p in sorted(props))
        # One VALUES block and a FILTER: fast on every store (a second VALUES makes rdflib join naively).
        for row in _select(request, f"SELECT ?s ?p ?o WHERE {{ VALUES ?s {{ {refs} }} ?s ?p ?o FILTER(?p IN ({plist})) }}"):
            values[row["s"].value].setdefault(row["p"].value, []).append(row["o"])
    out: dict[str, dict[str, str]] = {}
    for i in wanted:
        entry = {}
        for p in LABEL_PROPERTIES:
            best = _best(values[i].get(p, []))
            if best is not None:
                entry["label"] = best.value
                break
        chip = _best(values[i].get(SG + "chipLabel", []))
        if chip is not None:
            entry["chip"] = chip.value
        out[i] = entry
    return out


def _humanise(iri: str) -> str:
    """'targetClass' -> 'target class'; acronyms ('SOC', 'URI') keep their capitals."""
    local = re.split(r"[#/]", iri.rstrip("/#"))[-1] or iri
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", local).replace("_", " ").replace("-", " ").split()
    return " ".join(w.lower() if w[1:].islower() or len(w) == 1 else w for w in words) or local


def _curie(iri: str) -> str | None:
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and re.fullmatch(r"[A-Za-z_][\w.-]*", iri[len(ns):] or "-"):
            return f"{prefix}:{iri[len(ns):]}"
    return None


def _tail(iri: str, namespace: str) -> str:
    return iri[len(namespace):] if iri.startswith(namespace) else (_curie(iri) or iri)


def _natural_key(text: str) -> list:
    return [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", text)]


# ---- values and rows of the generic resource page ---------------------------------------------

@dataclass
class Val:
    text: str
    kind: str = "literal"  # literal | iri | bnode
    href: str | None = None
    iri: str | None = None
    lang: str | None = None
    datatype: str | None = None
    external: bool = False
    note: str | None = None
    nested: list["Row"] | None = None  # a blank node's own properties, shown in place


@dataclass
class Row:
    label: str
    prop: str
    values: list[Val]
    prop_href: str | None = None

    @property
    def collapsed(self) -> bool:
        return len(self.values) > COLLAPSE_AFTER


@dataclass
class Node:
    """A resource as the page shows it: title, types, lead text and labelled rows."""
    iri: str
    title: str
    anchor: str | None = None
    types: list[Val] = field(default_factory=list)
    lead: list[Val] = field(default_factory=list)
    literal_rows: list[Row] = field(default_factory=list)
    link_rows: list[Row] = field(default_factory=list)


class _Labeller:
    """Turns terms into displayable values, with names resolved in as few queries as possible."""

    def __init__(self, page: _Page, triples: list[ox.Triple]):
        self.page = page
        self.request = page.request
        self.triples = triples
        self.vocab = _vocabulary_labels(page.request)
        linked = {t.object.value for t in triples if isinstance(t.object, ox.NamedNode)}
        linked |= {t.subject.value for t in triples if isinstance(t.subject, ox.NamedNode)}
        self.names = _names(page.request, linked, triples)
        self.names.update({i: n for i, n in self._derived_names().items() if "label" not in self.names.get(i, {})})

    def _derived_names(self) -> dict[str, dict[str, str]]:
        """Nodes without a name of their own (citations, anchors, observations) are named
        after what they point to and their place in their list."""
        out = {}
        by_subject: dict[str, dict[str, list]] = {}
        for t in self.triples:
            if isinstance(t.subject, ox.NamedNode):
                by_subject.setdefault(t.subject.value, {}).setdefault(t.predicate.value, []).append(t.object)
        for s, props in by_subject.items():
            for pointer in (CITO + "hasCitedEntity", SG + "anchors", SG + "metric"):
                target = next((o for o in props.get(pointer, []) if isinstance(o, ox.NamedNode)), None)
                if target is None:
                    continue
                name = self.names.get(target.value, {})
                label = name.get("chip") or name.get("label") or _tail(target.value, self.page.namespace)
                position = next((o.value for o in props.get(SG + "position", [])), None)
                out[s] = {"label": f"{label} (#{position})" if position else label}
                break
        return out

    def label_of(self, iri: str) -> str:
        return self.names.get(iri, {}).get("label") or self.vocab.get(iri) or BUILTIN_LABELS.get(iri) \
            or _tail(iri, self.page.namespace)

    def property_label(self, iri: str) -> str:
        return self.vocab.get(iri) or BUILTIN_LABELS.get(iri) or _humanise(iri)

    def blank_rows(self, node: ox.BlankNode, depth: int) -> list[Row]:
        """A blank node has no page of its own: its properties are shown where it is used."""
        if depth > 4:
            return []
        props: dict[str, list] = {}
        for t in self.triples:
            if t.subject == node:
                props.setdefault(t.predicate.value, []).append(t.object)
        return [Row(self.property_label(p), p, [self.value(o, depth + 1) for o in sorted(objs, key=str)],
                    self.page.href(p)) for p, objs in sorted(props.items(), key=lambda kv: self.property_label(kv[0]).lower())]

    def value(self, term, depth: int = 0) -> Val:
        if isinstance(term, ox.NamedNode):
            href = self.page.href(term.value)
            external = not term.value.startswith(self.page.namespace)
            name = self.names.get(term.value, {}).get("label")
            text = name or self.vocab.get(term.value) or BUILTIN_LABELS.get(term.value) or \
                LICENCE_NAMES.get(term.value) or (_curie(term.value) if external else None) or \
                (term.value if external else _tail(term.value, self.page.namespace))
            return Val(text, "iri", href, term.value, external=external)
        if isinstance(term, ox.BlankNode):
            return Val("(anonymous node)", "bnode", nested=self.blank_rows(term, depth))
        if isinstance(term, ox.Literal):
            dt = term.datatype.value if term.datatype else None
            shown_dt = None if dt is None or dt in QUIET_DATATYPES else (_curie(dt) or dt)
            return Val(term.value, "literal", lang=term.language or None, datatype=shown_dt)
        return Val(str(term))


def _node(lab: _Labeller, iri: str, triples: list[ox.Triple], *, title_hint: str | None = None) -> Node:
    outgoing: dict[str, list] = {}
    for t in triples:
        if isinstance(t.subject, ox.NamedNode) and t.subject.value == iri:
            outgoing.setdefault(t.predicate.value, []).append(t.object)
    title = title_hint or lab.label_of(iri)
    node = Node(iri, title[:1].upper() + title[1:])
    if "#" in iri:
        node.anchor = iri.rsplit("#", 1)[1]
    node.types = sorted((lab.value(o) for o in outgoing.pop(RDF_TYPE, []) if isinstance(o, ox.NamedNode)),
                        key=lambda v: v.text.lower())
    for p in LEAD_PROPERTIES:
        best = _best(outgoing.get(p, []))
        if best is not None:
            node.lead = [lab.value(best)]
            break
    order = {p: i for i, p in enumerate(FIRST_PROPERTIES)}
    for p in sorted(outgoing, key=lambda p: (order.get(p, len(order)), lab.property_label(p).lower())):
        objects = outgoing[p]
        values = [lab.value(o) for o in objects]
        if all(v.kind == "literal" for v in values):
            values.sort(key=lambda v: (_literal_rank_val(v), _natural_key(v.text)))
            node.literal_rows.append(Row(lab.property_label(p), p, values, lab.page.href(p)))
        else:
            values.sort(key=lambda v: (v.kind != "iri", _natural_key(v.iri or v.text)) if v.iri and not v.external
                        else (v.kind != "iri", _natural_key(v.text)))
            node.link_rows.append(Row(lab.property_label(p), p, values, lab.page.href(p)))
    return node


def _literal_rank_val(v: Val) -> int:
    lang = v.lang or ""
    return 0 if lang.startswith("en") else 1 if not lang else 2


# ---- the generic resource page ---------------------------------------------------------------

def render_resource(request: Request, iri: str, triples: list[ox.Triple], alternates: dict[str, str]) -> HTMLResponse:
    """An HTML page for any resource: title, types, its properties labelled and linked,
    the formats it is also available in, and its schema.org description for crawlers."""
    page = _Page(request)
    triples = _with_own_triples(request, iri, triples)
    types = _types(request, iri, triples)
    if SG + "FrameworkRelease" in types or SG + "Framework" in types:
        release = iri if SG + "FrameworkRelease" in types else _latest_release(request, iri)
        if release:
            return _render_framework(page, iri, release, triples, alternates)
    lab = _Labeller(page, triples)
    main = _node(lab, iri, triples)
    # Nodes that belong to this document (fragments of its IRI: ontology terms, distributions).
    parts = sorted({t.subject.value for t in triples if isinstance(t.subject, ox.NamedNode)
                    and t.subject.value.startswith(iri + "#")}, key=_natural_key)
    part_nodes = sorted((_node(lab, p, triples) for p in parts), key=_part_order)
    # What refers to this resource (other than its own parts and nodes under its path).
    incoming: dict[str, list] = {}
    for t in triples:
        if isinstance(t.object, ox.NamedNode) and t.object.value == iri and isinstance(t.subject, ox.NamedNode) \
                and t.subject.value != iri and not t.subject.value.startswith((iri + "/", iri + "#")):
            incoming.setdefault(t.predicate.value, []).append(t.subject)
    incoming_rows = [Row(lab.property_label(p), p, sorted((lab.value(s) for s in subjects), key=lambda v: _natural_key(v.text)),
                         page.href(p)) for p, subjects in sorted(incoming.items())]
    context = {
        "node": main, "parts": part_nodes, "incoming": incoming_rows, "iri": iri,
        "parts_heading": "Terms" if OWL + "Ontology" in types else "Parts",
        "frameworks": _frameworks_of(page, iri) if SG + "Occupation" in types else [],
        "chips": _citation_chips(lab, iri, triples),
        "trail": _trail(lab, iri, triples, types),
        "deprecation": _deprecation(lab, iri, triples),
    }
    return page.render("resource.html", main.title, context, jsonld=schema_org_jsonld(request, iri, triples),
                       alternates=_alternate_links(page, alternates))


def _deprecation(lab: _Labeller, iri: str, triples: list[ox.Triple]) -> dict | None:
    """For a statement a later release reworded, replaced or withdrew: which release, its
    successors and the note, so that a reader who followed an old link sees it at once."""
    own: dict[str, list] = {}
    for t in triples:
        if isinstance(t.subject, ox.NamedNode) and t.subject.value == iri:
            own.setdefault(t.predicate.value, []).append(t.object)
    if not any(isinstance(o, ox.Literal) and o.value == "true" for o in own.get(OWL + "deprecated", [])):
        return None

    def link(term) -> dict:
        return {"text": lab.label_of(term.value), "href": lab.page.href(term.value), "iri": term.value}
    successors = sorted((link(o) for o in own.get(DCTERMS + "isReplacedBy", []) if isinstance(o, ox.NamedNode)),
                        key=lambda d: _natural_key(d["iri"]))
    releases = [link(o) for o in own.get(SG + "deprecatedIn", []) if isinstance(o, ox.NamedNode)]
    notes = sorted(o.value for o in own.get(SKOS + "changeNote", []) if isinstance(o, ox.Literal))
    return {"successors": successors, "release": releases[0] if releases else None, "notes": notes}


def _part_order(node: Node) -> tuple:
    """Classes, then properties, then anything else; by name within each."""
    kinds = {t.iri for t in node.types}
    rank = 0 if kinds & {OWL + "Class", RDFS + "Class"} else 1 if any("Property" in k for k in kinds) else 2
    return rank, node.title.lower()


def _frameworks_of(page: _Page, occupation: str) -> list[dict]:
    rows = _select(page.request, f"""{SPARQL_PREFIXES} SELECT ?r ?label ?v WHERE {{
        ?r a sg:FrameworkRelease ; sg:occupation {_iri(occupation)} .
        OPTIONAL {{ ?r skos:prefLabel ?label }} OPTIONAL {{ ?r sg:releaseVersion ?v }} }}""")
    rows.sort(key=lambda r: _natural_key(_value(r.get("v")) or ""), reverse=True)
    return [{"href": page.href(r["r"].value), "text": _value(r.get("label")) or r["r"].value} for r in rows]


def _with_own_triples(request: Request, iri: str, triples: list[ox.Triple]) -> list[ox.Triple]:
    """The triples as given, or the resource's own triples from the store when none are about it."""
    if any(isinstance(t.subject, ox.NamedNode) and t.subject.value == iri for t in triples):
        return triples
    try:
        return list(triples) + _construct(request, f"CONSTRUCT {{ {_iri(iri)} ?p ?o }} WHERE {{ {_iri(iri)} ?p ?o }}")
    except ValueError:
        return triples


def _types(request: Request, iri: str, triples: list[ox.Triple]) -> set[str]:
    found = {t.object.value for t in triples if isinstance(t.subject, ox.NamedNode) and t.subject.value == iri
             and t.predicate.value == RDF_TYPE and isinstance(t.object, ox.NamedNode)}
    if not found:
        try:
            found = {r["t"].value for r in _select(request, f"SELECT ?t WHERE {{ {_iri(iri)} a ?t }}")}
        except ValueError:
            found = set()
    return found


def _latest_release(request: Request, framework: str) -> str | None:
    rows = _select(request, f"""{SPARQL_PREFIXES} SELECT ?r ?v WHERE {{ {_iri(framework)} sg:release ?r .
        OPTIONAL {{ ?r sg:releaseVersion ?v }} }}""")
    if not rows:
        return None
    return max(rows, key=lambda r: _natural_key(_value(r.get("v")) or ""))["r"].value


def _alternate_links(page: _Page, alternates: dict[str, str]) -> list[dict]:
    names = {"application/ld+json": "JSON-LD", "text/turtle": "Turtle", "application/n-triples": "N-Triples",
             "application/rdf+xml": "RDF/XML"}
    out = []
    here = page.request.url.path
    for media, name in names.items():
        url = alternates.get(media)
        if not url:
            continue
        parts = urlsplit(url)
        # The same resource on this server: link relatively, so it works behind any host name.
        href = ("?" + parts.query if parts.query else "./") if parts.path == here else url
        out.append({"media": media, "name": name, "href": href})
    return out


def _citation_chips(lab: _Labeller, iri: str, triples: list[ox.Triple]) -> list[dict]:
    """The sources a statement cites, in its order, from its citation nodes."""
    citations = [t.object.value for t in triples if isinstance(t.subject, ox.NamedNode) and t.subject.value == iri
                 and t.predicate.value == SG + "citation" and isinstance(t.object, ox.NamedNode)]
    if not citations:
        return []
    rows = _select(lab.request, f"""{SPARQL_PREFIXES} SELECT ?c ?n ?src WHERE {{
        VALUES ?c {{ {' '.join(_iri(c) for c in citations)} }} ?c cito:hasCitedEntity ?src . OPTIONAL {{ ?c sg:position ?n }} }}""")
    rows.sort(key=lambda r: int(r["n"].value) if r.get("n") else 0)
    names = _names(lab.request, [r["src"].value for r in rows])
    return [{"text": names[r["src"].value].get("chip") or names[r["src"].value].get("label") or r["src"].value,
             "title": names[r["src"].value].get("label"), "href": lab.page.href(r["src"].value)} for r in rows]


def _trail(lab: _Labeller, iri: str, triples: list[ox.Triple], types: set[str]) -> list[dict]:
    """For a statement: framework release › section › level, linking back into the framework page."""
    kind = next((STATEMENT_KINDS[t] for t in types if t in STATEMENT_KINDS), None)
    if not kind:
        return []
    own = {t.predicate.value: t.object.value for t in triples if isinstance(t.subject, ox.NamedNode)
           and t.subject.value == iri and isinstance(t.object, ox.NamedNode)}
    release, level, domain = own.get(SG + "framework"), own.get(SG + "level"), own.get(SG + "domain")
    if not release or not level:
        return []
    href = lab.page.href(release)
    level_code = level.rstrip("/").rsplit("/", 1)[-1]
    section = {"competency": ("Competencies", "competencies"), "ai-use": ("AI use", "ai-use"),
               "durable": ("Durable skills", "durable-skills")}[kind]
    trail = [{"text": lab.label_of(release), "href": href}, {"text": section[0], "href": f"{href}#{section[1]}"}]
    if domain:
        domain_code = domain.rstrip("/").rsplit("/", 1)[-1]
        trail.append({"text": lab.label_of(domain), "href": f"{href}#durable-{domain_code}"})
        trail.append({"text": lab.label_of(level), "href": f"{href}#durable-{domain_code}"})
    else:
        trail.append({"text": lab.label_of(level), "href": f"{href}#{kind}-{level_code}"})
    return trail


# ---- schema.org for crawlers -------------------------------------------------------------------


def schema_org_jsonld(request: Request, iri: str, triples: list[ox.Triple]) -> dict:
    """The resource described with schema.org terms, for search engines: an occupation as
    schema:Occupation, a framework release as schema:DefinedTermSet, a statement as
    schema:DefinedTerm, anything else as schema:Thing."""
    ns = request.app.state.settings.namespace
    triples = _with_own_triples(request, iri, triples)
    types = _types(request, iri, triples)
    own: dict[str, list] = {}
    for t in triples:
        if isinstance(t.subject, ox.NamedNode) and t.subject.value == iri:
            own.setdefault(t.predicate.value, []).append(t.object)

    def text(*props: str) -> str | None:
        for p in props:
            best = _best(own.get(p, []))
            if best is not None:
                return best.value
        return None

    doc: dict = {"@context": "https://schema.org/", "@id": iri, "url": iri}
    if SG + "Occupation" in types:
        return {**doc, **_schema_occupation(request, iri, own, text)}
    if SG + "FrameworkRelease" in types or SG + "Framework" in types:
        release = iri if SG + "FrameworkRelease" in types else _latest_release(request, iri)
        if release:
            return {**doc, **_schema_release(request, release)}
    if any(t in STATEMENT_KINDS or t == SG + "Statement" for t in types):
        release = next((o.value for o in own.get(SG + "framework", []) if isinstance(o, ox.NamedNode)), None)
        out = {"@type": "DefinedTerm", "name": text(SKOS + "prefLabel", RDFS + "label"),
               "description": text(SG + "statementText", SKOS + "definition")}
        if release:
            out["termCode"] = iri[len(release) + 1:] if iri.startswith(release + "/") else _tail(iri, ns)
            names = _names(request, [release])
            out["inDefinedTermSet"] = {"@type": "DefinedTermSet", "@id": release, "url": release,
                                       "name": names[release].get("label")}
        return {**doc, **_drop_empty(out)}
    out = {"@type": "Thing", "name": text(*LABEL_PROPERTIES) or _tail(iri, ns),
           "description": text(*LEAD_PROPERTIES)}
    return {**doc, **_drop_empty(out)}


def _drop_empty(d: dict) -> dict:
    return {k: v for k, v in d.items() if v not in (None, [], "")}


def _schema_occupation(request: Request, iri: str, own: dict, text) -> dict:
    onet, soc = text(SG + "onetSocCode"), text(SG + "socCode")
    categories = []
    if onet:
        categories.append({"@type": "CategoryCode", "codeValue": onet, "name": text(SKOS + "prefLabel"),
                           "inCodeSet": {"@type": "CategoryCodeSet", "name": "O*NET-SOC 2019",
                                         "url": "https://www.onetcenter.org/taxonomy.html"}})
    if soc:
        categories.append({"@type": "CategoryCode", "codeValue": soc,
                           "inCodeSet": {"@type": "CategoryCodeSet", "name": "2018 Standard Occupational Classification (SOC)",
                                         "url": "https://www.bls.gov/soc/2018/"}})
    rows = _select(request, f"""{SPARQL_PREFIXES} SELECT ?d ?label ?scheme ?schemeLabel ?n WHERE {{
        {_iri(iri)} sg:skill ?d . ?d skos:prefLabel ?label .
        OPTIONAL {{ ?d skos:inScheme ?scheme . OPTIONAL {{ ?scheme skos:prefLabel ?schemeLabel }} }}
        OPTIONAL {{ {_iri(iri)} sg:sourceAnchor ?a . ?a sg:anchors ?d ; sg:position ?n }} }}""")
    rows.sort(key=lambda r: (int(r["n"].value) if r.get("n") else 10**6, r["label"].value))
    skills = [_drop_empty({"@type": "DefinedTerm", "@id": r["d"].value, "name": r["label"].value,
                           "inDefinedTermSet": _drop_empty({"@type": "DefinedTermSet", "@id": _value(r.get("scheme")),
                                                            "name": _value(r.get("schemeLabel"))}) or None})
              for r in rows]
    titles = sorted({o.value for o in own.get(SG + "relatedTitle", []) if isinstance(o, ox.Literal)})
    programmes = _select(request, f"""{SPARQL_PREFIXES} SELECT DISTINCT ?p ?code WHERE {{
        {_iri(iri)} sg:instructionalProgram ?p . ?p skos:notation ?code }} ORDER BY ?code""")
    education = [schema_org_profile.programme(r["p"].value, r["code"].value) for r in programmes]
    return _drop_empty({"@type": "Occupation", "name": text(SKOS + "prefLabel", SCHEMA + "name"),
                        "occupationalCategory": categories, "skills": skills, "alternateName": titles,
                        "educationRequirements": education})


def _schema_release(request: Request, release: str) -> dict:
    view = _release_header(request, release)
    statements = _release_statements(request, release)
    terms = [_drop_empty({"@type": "DefinedTerm", "@id": s["iri"], "url": s["iri"], "name": s["label"],
                          "description": s["text"], "termCode": s["iri"][len(release) + 1:]})
             for s in statements]
    out = {"@type": "DefinedTermSet", "@id": release, "url": release, "name": view.get("label") or view.get("title"),
           "description": view.get("context"), "version": view.get("version"),
           "about": _drop_empty({"@type": "Occupation", "@id": view.get("occ"), "name": view.get("title")}),
           "publisher": _drop_empty({"@type": "Organization", "name": view.get("publisher")}) if view.get("publisher") else None,
           "hasDefinedTerm": terms}
    return _drop_empty(out)


# ---- the framework release page -------------------------------------------------------------

def _per_request(request: Request, key: tuple, make):
    """Compute once per request: the framework page and its JSON-LD read the same things."""
    cache = request.state.__dict__.setdefault("pages_cache", {})
    if key not in cache:
        cache[key] = make()
    return cache[key]


def _release_header(request: Request, release: str) -> dict:
    return _per_request(request, ("header", release), lambda: _read_release_header(request, release))


def _release_statements(request: Request, release: str) -> list[dict]:
    return _per_request(request, ("statements", release), lambda: _read_release_statements(request, release))


def _read_release_header(request: Request, release: str) -> dict:
    r = _iri(release)
    rows = _select(request, f"""{SPARQL_PREFIXES}
        SELECT ?occ ?title ?onet ?soc ?zone ?zoneNumber ?zoneLabel ?version ?context ?label ?publisher ?publisherLabel
               ?series ?catalogue ?catalogueTitle ?aiNote ?durableNote ?rights WHERE {{
          {r} sg:occupation ?occ . ?occ skos:prefLabel ?title .
          OPTIONAL {{ {r} sg:releaseVersion ?version }}
          OPTIONAL {{ {r} skos:prefLabel ?label }}
          OPTIONAL {{ {r} sg:contextCovered ?context }}
          OPTIONAL {{ {r} dcterms:isVersionOf ?series }}
          OPTIONAL {{ {r} dcterms:publisher ?publisher . OPTIONAL {{ ?publisher rdfs:label ?publisherLabel }} }}
          OPTIONAL {{ ?occ sg:onetSocCode ?onet }} OPTIONAL {{ ?occ sg:socCode ?soc }}
          OPTIONAL {{ ?occ sg:jobZone ?zone . OPTIONAL {{ ?zone sg:jobZoneNumber ?zoneNumber }}
                     OPTIONAL {{ ?zone skos:prefLabel ?zoneLabel }} }}
          OPTIONAL {{ ?catalogue dcat:dataset {r} . OPTIONAL {{ ?catalogue dcterms:title ?catalogueTitle }}
                     OPTIONAL {{ ?catalogue sg:aiUseNote ?aiNote }} OPTIONAL {{ ?catalogue sg:durableSkillsNote ?durableNote }}
                     OPTIONAL {{ ?catalogue dcterms:rights ?rights }} }}
        }} LIMIT 1""")
    if not rows:
        return {}
    row = rows[0]
    return {k: _value(row.get(k)) for k in ("occ", "title", "onet", "soc", "zone", "zoneNumber", "zoneLabel", "version",
                                            "context", "label", "publisher", "publisherLabel", "series", "catalogue",
                                            "catalogueTitle", "aiNote", "durableNote", "rights")} | {
        "publisher": _value(row.get("publisherLabel"))}


def _read_release_statements(request: Request, release: str) -> list[dict]:
    rows = _select(request, f"""{SPARQL_PREFIXES}
        SELECT ?s ?type ?label ?text ?level ?position ?domain WHERE {{
          ?s sg:framework {_iri(release)} ; a ?type .
          VALUES ?type {{ sg:CompetencyStatement sg:AIUseStatement sg:DurableSkillStatement }}
          OPTIONAL {{ ?s skos:prefLabel ?label }} OPTIONAL {{ ?s sg:statementText ?text }}
          OPTIONAL {{ ?s sg:level ?level }} OPTIONAL {{ ?s sg:position ?position }} OPTIONAL {{ ?s sg:domain ?domain }}
        }}""")
    out = [{"iri": r["s"].value, "kind": STATEMENT_KINDS[r["type"].value], "label": _value(r.get("label")),
            "text": _value(r.get("text")), "level": _value(r.get("level")), "domain": _value(r.get("domain")),
            "position": int(r["position"].value) if r.get("position") else 0} for r in rows]
    out.sort(key=lambda s: (list(STATEMENT_KINDS.values()).index(s["kind"]), s["domain"] or "", s["level"] or "",
                            s["position"], s["iri"]))
    return out


def _levels(request: Request) -> dict[str, list[dict]]:
    rows = _select(request, f"""{SPARQL_PREFIXES}
        SELECT ?level ?cls ?label ?rank ?role ?code WHERE {{
          ?level a ?cls ; sg:rank ?rank . VALUES ?cls {{ sg:MasteryLevel sg:ProficiencyLevel }}
          OPTIONAL {{ ?level skos:prefLabel ?label }} OPTIONAL {{ ?level sg:roleTitle ?role }}
          OPTIONAL {{ ?level skos:notation ?code }}
        }} ORDER BY ?rank""")
    out: dict[str, list[dict]] = {"mastery": [], "proficiency": []}
    for r in rows:
        key = "mastery" if r["cls"].value == SG + "MasteryLevel" else "proficiency"
        out[key].append({"iri": r["level"].value, "label": _value(r.get("label")) or _humanise(r["level"].value),
                         "role": _value(r.get("role")), "rank": int(r["rank"].value),
                         "code": _value(r.get("code")) or r["level"].value.rstrip("/").rsplit("/", 1)[-1]})
    return out


def _citations(request: Request, release: str) -> dict[str, list[dict]]:
    rows = _select(request, f"""{SPARQL_PREFIXES}
        SELECT ?s ?n ?src WHERE {{ ?s sg:framework {_iri(release)} ; sg:citation ?c .
          ?c cito:hasCitedEntity ?src . OPTIONAL {{ ?c sg:position ?n }} }}""")
    out: dict[str, list[tuple[int, str]]] = {}
    for r in rows:
        out.setdefault(r["s"].value, []).append((int(r["n"].value) if r.get("n") else 0, r["src"].value))
    return {s: [src for _n, src in sorted(items)] for s, items in out.items()}


def _sources(request: Request, release: str, occupation: str | None) -> list[dict]:
    r = _iri(release)
    occ_part = f"UNION {{ {_iri(occupation)} sg:sourceAnchor/prov:wasDerivedFrom ?src }}" if occupation else ""
    rows = _select(request, f"""{SPARQL_PREFIXES}
        SELECT ?src ?title ?chip ?citation ?publisher ?creator ?version ?issued ?licence ?page WHERE {{
          {{ SELECT DISTINCT ?src WHERE {{
              {{ ?cat dcat:dataset {r} ; dcterms:source ?src }}
              UNION {{ ?s sg:framework {r} ; cito:citesAsEvidence ?src }}
              UNION {{ {r} sg:evidence/prov:wasDerivedFrom ?src }}
              {occ_part} }} }}
          OPTIONAL {{ ?src dcterms:title ?title }} OPTIONAL {{ ?src sg:chipLabel ?chip }}
          OPTIONAL {{ ?src dcterms:bibliographicCitation ?citation }}
          OPTIONAL {{ ?src dcterms:publisher/rdfs:label ?publisher }} OPTIONAL {{ ?src dcterms:creator/rdfs:label ?creator }}
          OPTIONAL {{ ?src owl:versionInfo ?version }} OPTIONAL {{ ?src dcterms:issued ?issued }}
          OPTIONAL {{ ?src dcterms:license ?licence }} OPTIONAL {{ ?src foaf:page ?page }}
        }}""")
    seen, out = set(), []
    for row in sorted(rows, key=lambda x: (_value(x.get("title")) or x["src"].value).lower()):
        if row["src"].value in seen:
            continue
        seen.add(row["src"].value)
        licence = _value(row.get("licence"))
        out.append({"iri": row["src"].value, "title": _value(row.get("title")) or row["src"].value,
                    "chip": _value(row.get("chip")), "citation": _value(row.get("citation")),
                    "publisher": _value(row.get("publisher")), "creator": _value(row.get("creator")),
                    "version": _value(row.get("version")), "issued": _value(row.get("issued")),
                    "licence": licence, "licence_name": LICENCE_NAMES.get(licence or "", licence),
                    "page": _value(row.get("page"))})
    return out


def _evidence(request: Request, release: str) -> list[dict]:
    rows = _select(request, f"""{SPARQL_PREFIXES}
        SELECT ?obs ?metric ?metricLabel ?kind ?group ?groupLabel ?value ?ref ?refLabel ?unit ?max ?src WHERE {{
          {_iri(release)} sg:evidence ?obs . ?obs sg:metric ?metric .
          OPTIONAL {{ ?metric skos:prefLabel ?metricLabel }} OPTIONAL {{ ?metric sg:valueKind ?kind }}
          OPTIONAL {{ ?metric skos:inScheme ?group . OPTIONAL {{ ?group skos:prefLabel ?groupLabel }} }}
          OPTIONAL {{ ?obs schema:value ?value }}
          OPTIONAL {{ ?obs schema:valueReference ?ref . OPTIONAL {{ ?ref skos:prefLabel ?refLabel }} }}
          OPTIONAL {{ ?obs schema:unitCode ?unit }} OPTIONAL {{ ?obs schema:maxValue ?max }}
          OPTIONAL {{ ?obs prov:wasDerivedFrom ?src }}
        }}""")
    groups: dict[str, dict] = {}
    for r in rows:
        key = _value(r.get("group")) or ""
        group = groups.setdefault(key, {"iri": key or None, "label": _value(r.get("groupLabel")) or "Evidence",
                                        "source": _value(r.get("src")), "metrics": []})
        value = _value(r.get("value"))
        if value is not None:
            shown = value + UNIT_SUFFIX.get(_value(r.get("unit")) or "", "")
            if r.get("max") is not None:
                shown += f" / {r['max'].value}"
        else:
            shown = _value(r.get("refLabel")) or _value(r.get("ref")) or ""
        label = _value(r.get("metricLabel")) or _humanise(r["metric"].value)
        group["metrics"].append({"iri": r["obs"].value, "label": label[:1].upper() + label[1:],
                                 "value": shown, "ref": _value(r.get("ref")), "kind": _value(r.get("kind")) or ""})
    for g in groups.values():
        # Measures first, then what they are about, then qualifiers: the order the catalogue prints them.
        g["metrics"].sort(key=lambda m: (METRIC_KIND_ORDER.get(m["kind"], len(METRIC_KIND_ORDER)), m["label"].lower()))
    return sorted(groups.values(), key=lambda g: g["iri"] or "")


def _occupation_details(request: Request, occupation: str) -> dict:
    o = _iri(occupation)
    descriptors = _select(request, f"""{SPARQL_PREFIXES}
        SELECT ?kind ?d ?label ?n ?src WHERE {{
          VALUES ?kind {{ {' '.join(f'<{p}>' for p, _ in DESCRIPTOR_HEADINGS)} }}
          {o} ?kind ?d . OPTIONAL {{ ?d skos:prefLabel ?label }}
          OPTIONAL {{ {o} sg:sourceAnchor ?a . ?a sg:anchors ?d ; sg:position ?n . OPTIONAL {{ ?a prov:wasDerivedFrom ?src }} }}
        }}""")
    by_kind: dict[str, list] = {}
    anchor_sources = set()
    for r in descriptors:
        by_kind.setdefault(r["kind"].value, []).append(
            {"iri": r["d"].value, "label": _value(r.get("label")) or _humanise(r["d"].value),
             "n": int(r["n"].value) if r.get("n") else 10**6})
        if r.get("src"):
            anchor_sources.add(r["src"].value)
    groups = [{"heading": heading, "terms": sorted(by_kind[p], key=lambda x: (x["n"], x["label"]))}
              for p, heading in DESCRIPTOR_HEADINGS if by_kind.get(p)]
    tasks = _select(request, f"""{SPARQL_PREFIXES} SELECT ?t ?text ?n WHERE {{ {o} sg:task ?t .
        OPTIONAL {{ ?t sg:taskText ?text }} OPTIONAL {{ {o} sg:sourceAnchor ?a . ?a sg:anchors ?t ; sg:position ?n }} }}""")
    tasks.sort(key=lambda r: (int(r["n"].value) if r.get("n") else 10**6, _natural_key(r["t"].value)))
    other = _select(request, f"""{SPARQL_PREFIXES} SELECT ?p ?o ?code WHERE {{
        VALUES ?p {{ sg:relatedTitle sg:rapidsCode sg:instructionalProgram }} {o} ?p ?o .
        OPTIONAL {{ ?o skos:notation ?code }} }}""")
    titles = sorted(r["o"].value for r in other if r["p"].value == SG + "relatedTitle")
    rapids = sorted(r["o"].value for r in other if r["p"].value == SG + "rapidsCode")
    cips = sorted(({"iri": r["o"].value, "code": _value(r.get("code")) or r["o"].value.rsplit("/", 1)[-1]}
                   for r in other if r["p"].value == SG + "instructionalProgram"), key=lambda c: c["code"])
    return {"descriptor_groups": groups, "anchor_sources": sorted(anchor_sources),
            "tasks": [{"iri": r["t"].value, "text": _value(r.get("text")) or ""} for r in tasks],
            "related_titles": titles, "rapids": rapids, "cips": cips}


def _domains(request: Request) -> list[dict]:
    rows = _select(request, f"""{SPARQL_PREFIXES} SELECT ?d ?label ?number ?code WHERE {{ ?d a sg:DurableSkillDomain .
        OPTIONAL {{ ?d skos:prefLabel ?label }} OPTIONAL {{ ?d sg:domainNumber ?number }} OPTIONAL {{ ?d skos:notation ?code }} }}""")
    out = [{"iri": r["d"].value, "label": _value(r.get("label")) or _humanise(r["d"].value),
            "number": int(r["number"].value) if r.get("number") else None,
            "code": _value(r.get("code")) or r["d"].value.rstrip("/").rsplit("/", 1)[-1]} for r in rows]
    return sorted(out, key=lambda d: (d["number"] or 10**6, d["label"]))


def framework_view(request: Request, release: str) -> dict:
    """Everything the framework page shows, read from the store."""
    page = _Page(request)
    header = _release_header(request, release)
    statements = _release_statements(request, release)
    citations = _citations(request, release)
    levels = _levels(request)
    sources = _sources(request, release, header.get("occ"))
    source_by_iri = {s["iri"]: s for s in sources}
    missing = {src for cites in citations.values() for src in cites if src not in source_by_iri}
    for src, name in _names(request, missing).items():
        source_by_iri[src] = {"iri": src, "title": name.get("label") or src, "chip": name.get("chip")}

    def chip(src: str) -> dict:
        s = source_by_iri.get(src, {"title": src})
        return {"text": s.get("chip") or s.get("title"), "title": s.get("citation") or s.get("title"),
                "href": page.href(src)}

    def item(s: dict) -> dict:
        return {**s, "href": page.href(s["iri"]), "chips": [chip(c) for c in citations.get(s["iri"], [])]}

    by_kind: dict[str, list[dict]] = {k: [] for k in STATEMENT_KINDS.values()}
    for s in statements:
        by_kind[s["kind"]].append(item(s))

    def per_level(kind: str, scale: list[dict]) -> list[dict]:
        return [{**lv, "href": page.href(lv["iri"]), "anchor": f"{kind}-{lv['code']}",
                 "statements": [s for s in by_kind[kind] if s["level"] == lv["iri"]]} for lv in scale]

    domains = []
    for d in _domains(request):
        in_domain = [s for s in by_kind["durable"] if s["domain"] == d["iri"]]
        if not in_domain:
            continue
        domains.append({**d, "href": page.href(d["iri"]), "anchor": f"durable-{d['code']}", "count": len(in_domain),
                        "levels": [{**lv, "href": page.href(lv["iri"]),
                                    "statements": [s for s in in_domain if s["level"] == lv["iri"]]}
                                   for lv in levels["proficiency"]]})
    details = _occupation_details(request, header["occ"]) if header.get("occ") else {}
    evidence = _evidence(request, release)
    for g in evidence:
        g["chip"] = chip(g["source"]) if g.get("source") else None
        for m in g["metrics"]:
            m["href"] = page.href(m["ref"]) if m.get("ref") else None
    return {
        "release": release, "header": header,
        "occupation_href": page.href(header["occ"]) if header.get("occ") else None,
        "series_href": page.href(header["series"]) if header.get("series") else None,
        "zone_href": page.href(header["zone"]) if header.get("zone") else None,
        "catalogue_href": page.href(header["catalogue"]) if header.get("catalogue") else None,
        "competency_levels": per_level("competency", levels["mastery"]),
        "ai_levels": per_level("ai-use", levels["mastery"]),
        "domains": domains, "proficiency_levels": levels["proficiency"],
        "counts": {k: len(v) for k, v in by_kind.items()},
        "evidence": evidence,
        "descriptor_groups": [{**g, "terms": [{**i, "href": page.href(i["iri"])} for i in g["terms"]]}
                              for g in details.get("descriptor_groups", [])],
        "descriptor_sources": [chip(s) for s in details.get("anchor_sources", [])],
        "tasks": [{**t, "href": page.href(t["iri"])} for t in details.get("tasks", [])],
        "related_titles": details.get("related_titles", []), "rapids": details.get("rapids", []),
        "cips": [{**c, "href": page.href(c["iri"])} for c in details.get("cips", [])],
        "sources": [{**s, "href": page.href(s["iri"])} for s in sources],
    }


def _render_framework(page: _Page, iri: str, release: str, triples: list[ox.Triple],
                      alternates: dict[str, str]) -> HTMLResponse:
    view = framework_view(page.request, release)
    header = view["header"]
    title = f"{header.get('title', '')} framework" + (f" v.{header['version']}" if header.get("version") else "")
    view["is_series"] = iri != release
    view["series_iri"] = iri
    view["release_href"] = page.href(release)
    return page.render("framework.html", title, view, jsonld=schema_org_jsonld(page.request, release, triples),
                       alternates=_alternate_links(page, alternates))


# ---- the SPARQL query page -----------------------------------------------------------------------

def example_queries(namespace: str, release: str | None = None) -> list[dict]:
    """The example queries of the query page, written for this server's namespace."""
    release = release or namespace + "framework/29-1129.01/v26.05"
    head = (f"PREFIX sg: <{SG}>\nPREFIX skos: <{SKOS}>\n")
    return [
        {"id": "proficient", "title": "Proficient competency statements, in order",
         "query": head + f"""
SELECT ?position ?label ?text WHERE {{
  ?statement a sg:CompetencyStatement ;
      sg:framework <{release}> ;
      sg:level <{namespace}scale/mastery/proficient> ;
      sg:position ?position ;
      skos:prefLabel ?label ;
      sg:statementText ?text .
}}
ORDER BY ?position
"""},
        {"id": "ai-use", "title": "AI-use statements with the sources they cite",
         "query": head + f"""PREFIX cito: <{CITO}>

SELECT ?rank ?level ?position ?label (GROUP_CONCAT(?chip; separator=" · ") AS ?sources) WHERE {{
  ?statement a sg:AIUseStatement ;
      sg:framework <{release}> ;
      sg:level ?lv ;
      sg:position ?position ;
      skos:prefLabel ?label .
  ?lv skos:prefLabel ?level ; sg:rank ?rank .
  OPTIONAL {{
    ?statement sg:citation ?citation .
    ?citation cito:hasCitedEntity ?source .
    ?source sg:chipLabel ?chip .
  }}
}}
GROUP BY ?rank ?level ?position ?label
ORDER BY ?rank ?position
"""},
        {"id": "durable-counts", "title": "Durable-skill statements per domain",
         "query": head + f"""
SELECT ?number ?domain (COUNT(?statement) AS ?statements) WHERE {{
  ?statement a sg:DurableSkillStatement ;
      sg:framework <{release}> ;
      sg:domain ?d .
  ?d skos:prefLabel ?domain ; sg:domainNumber ?number .
}}
GROUP BY ?number ?domain
ORDER BY ?number
"""},
        {"id": "sources", "title": "Sources and their licences",
         "query": head + f"""PREFIX dcterms: <{DCTERMS}>
PREFIX rdfs: <{RDFS}>

SELECT ?source ?title ?publisher ?licence WHERE {{
  ?source a sg:Source ;
      dcterms:title ?title ;
      dcterms:publisher/rdfs:label ?publisher .
  OPTIONAL {{ ?source dcterms:license ?licence }}
}}
ORDER BY ?title
"""},
    ]


def _queries_dir() -> Path | None:
    import skillsgraph
    package = Path(skillsgraph.__file__).resolve().parent
    for candidate in (package / "queries", package.parent / "queries"):
        if candidate.is_dir():
            return candidate
    return None


def named_queries() -> list[dict]:
    """The *.rq files of queries/, titled by their first-line comment '# title: ...'."""
    folder = _queries_dir()
    out = []
    for file in sorted(folder.glob("*.rq")) if folder else []:
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        first = text.splitlines()[0] if text else ""
        match = re.match(r"\s*#\s*title\s*:\s*(.+)", first, re.IGNORECASE)
        out.append({"id": "file-" + file.stem, "title": match.group(1).strip() if match else file.stem,
                    "file": file.name, "query": text})
    return out


def render_query_page(request: Request) -> HTMLResponse:
    """The SPARQL query page: YASGUI (served from static/), pointed at this server's /sparql."""
    page = _Page(request)
    examples = example_queries(page.namespace)
    files = named_queries()
    config = {"endpoint": page.to("sparql"), "namespace": page.namespace, "root": page.to(""),
              "examples": examples + files}
    context = {"examples": examples, "files": files, "config": config,
               "yasgui_css": page.to("static/yasgui/yasgui.min.css"), "yasgui_js": page.to("static/yasgui/yasgui.min.js"),
               "query_js": page.to("static/query.js")}
    return page.render("query.html", "SPARQL query", context, wide=True)
