"""Mint and parse IRIs. Every IRI is built from codes and positions under one namespace,
never from row order or random ids, so the same input always yields the same IRIs.

Shared by the loader (which mints rdflib terms: Iris(namespace, URIRef)) and the API
(which reads codes back out of IRIs it is given), so that minting and parsing stay a pair.
No third-party import here: the term type is the caller's.
"""
from __future__ import annotations

import re
import uuid
from typing import Callable, Generic, TypeVar
from urllib.parse import quote

from .vocab import ESCO

T = TypeVar("T", bound=str)

DESCRIPTOR_SEGMENTS = {
    "skills": "skill", "knowledge": "knowledge", "abilities": "ability",
    "work_styles": "work-style", "technology": "technology",
}


def slug(text: str) -> str:
    """'Judgment and Decision Making' -> 'judgment-and-decision-making'."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def statement_path(kind: str, level: str, position: int, domain: str | None = None) -> str:
    """A statement's path under its release, e.g. 'competency/proficient/3': also how a later
    release's source file names the statements it replaces or withdraws."""
    middle = f"{kind}/{domain}/{level}" if domain else f"{kind}/{level}"
    return f"{middle}/{position}"


# The path segment of each code list a crosswalk's codes are minted in (O*NET-SOC 2019 codes are
# the framework's own occupations).
CODE_PATHS = {
    "onet-soc2019": "occupation", "onet-soc2010": "onet-soc2010", "soc2018": "soc2018", "cip2020": "cip2020",
    "cip2010": "cip2010", "isco08": "isco08", "esco-code": "esco-code",
}
# Nodes outside the namespace that mappings may name, and the path each gets in a mapping IRI.
EXTERNAL_ROOTS = {str(ESCO): "esco/"}
_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
_ESCO_OCCUPATION = re.compile(re.escape(ESCO) + rf"occupation/{_UUID}\Z")
_ESCO_ISCO = re.compile(re.escape(ESCO) + r"isco/C(\d{1,4})\Z")
ESCO_IRI_FORMS = f"{ESCO}occupation/<uuid> or {ESCO}isco/C<code>"


# The path of a statement IRI under the namespace, as Iris.statement mints it: release
# (an O*NET-SOC code, v and a release such as 26.05), kind, domain for a durable skill, level, position.
_LEVEL = r"[a-z0-9][a-z0-9.-]*"
STATEMENT_IRI_PATH = (r"framework/\d{2}-\d{4}\.\d{2}/v\d{2}\.\d{2}/"
                      rf"(?:(?:competency|ai-use)/{_LEVEL}|durable/{_LEVEL}/{_LEVEL})/[1-9][0-9]{{0,3}}")
_STATEMENT_IRI_PATH = re.compile(STATEMENT_IRI_PATH)


def is_statement_path(path: str) -> bool:
    """Whether a path under the namespace could name a statement (a check of its form, no lookup)."""
    return _STATEMENT_IRI_PATH.fullmatch(path) is not None


def statement_parts(path: str) -> tuple[str, str, int, str | None]:
    """statement_path read back: 'durable/communication/applying/2' -> ('durable', 'applying', 2, 'communication')."""
    parts = path.split("/")
    if parts[0] == "durable":
        return parts[0], parts[2], int(parts[3]), parts[1]
    return parts[0], parts[1], int(parts[2]), None


def is_esco_iri(iri: str) -> bool:
    """ESCO's IRI of an occupation or of an ISCO-08 group."""
    return bool(_ESCO_OCCUPATION.match(iri) or _ESCO_ISCO.match(iri))


def isco_of_iri(iri: str) -> str | None:
    """ESCO's IRI of an ISCO-08 group -> its code (C2269 -> 2269), or None for an occupation."""
    m = _ESCO_ISCO.match(iri)
    return m.group(1) if m else None


class Iris(Generic[T]):
    def __init__(self, namespace: str, term: Callable[[str], T] = str):
        self.ns = namespace
        self._term = term

    def _iri(self, path: str) -> T:
        return self._term(self.ns + path)

    # occupations and codes
    def occupation(self, code: str) -> T:
        return self._iri(f"occupation/{code}")

    def task(self, code: str, position: int) -> T:
        return self._iri(f"occupation/{code}/task/{position}")

    def anchor(self, code: str, kind: str, position: int) -> T:
        return self._iri(f"occupation/{code}/anchor/{kind}/{position}")

    def job_zone(self, number: int) -> T:
        return self._iri(f"job-zone/{number}")

    def cip(self, code: str) -> T:
        return self._iri(f"cip2020/{code}")

    def descriptor_scheme(self, kind: str) -> T:
        return self._iri(f"onet/{DESCRIPTOR_SEGMENTS[kind]}")

    def descriptor(self, kind: str, name: str) -> T:
        return self._iri(f"onet/{DESCRIPTOR_SEGMENTS[kind]}/{slug(name)}")

    def element(self, element_id: str) -> T:
        """An O*NET content-model element: the framework's descriptors map to it by ID, and an
        imported release (loader.onet) describes it, so both must mint it here."""
        return self._iri(f"onet/element/{element_id}")

    def related_title(self, code: str, position: int) -> T:
        """A framework's related title as a node, so that a release's alternate title can map to it."""
        return self._iri(f"occupation/{code}/related-title/{position}")

    # an imported O*NET release (loader.onet); ratings, titles and examples are per release
    def onet_source(self, version: str) -> T:
        return self.source(f"onet-{version}")

    def onet_graph(self, version: str) -> T:
        return self.graph(f"onet/{version}")

    def onet_links_graph(self, version: str) -> T:
        return self.graph(f"links/onet-{version}")

    def onet_anchors_graph(self, version: str, method: str) -> T:
        """The statements' source anchors among a release's tasks, DWAs and technology examples, by one method."""
        return self.graph(f"anchors/onet-{version}/{method}")

    def onet_anchor(self, version: str, statement: str, kind: str, key: str) -> T:
        """A statement's anchor among a release's data (loader.onet.release_anchors): from the
        statement and the anchor's own code (kind task: its Task ID; dwa: its DWA ID; technology:
        <commodity code>/<slug of the example>), never from a row's place, which the release's
        technology example IRIs carry."""
        return self._iri(f"mapping/anchors-onet-{version}/{self.node_path(statement)}/{kind}/{key}")

    def content_model(self) -> T:
        return self._iri("onet/content-model")

    def onet_scale(self, scale_id: str) -> T:
        return self._iri(f"onet/scale/{scale_id}")

    def onet_task(self, task_id: str) -> T:
        return self._iri(f"onet/task/{task_id}")

    def unspsc(self, commodity_code: str) -> T:
        return self._iri(f"onet/unspsc/{commodity_code}")

    def rating(self, version: str, code: str, element_id: str, scale_id: str) -> T:
        return self._iri(f"onet/{version}/rating/{code}/{element_id}/{scale_id}")

    def alternate_title(self, version: str, code: str, n: int) -> T:
        return self._iri(f"onet/{version}/title/{code}/{n}")

    def reported_title(self, version: str, code: str, n: int) -> T:
        return self._iri(f"onet/{version}/reported-title/{code}/{n}")

    def technology(self, version: str, code: str, n: int) -> T:
        return self._iri(f"onet/{version}/technology/{code}/{n}")

    def job_zone_assignment(self, version: str, code: str) -> T:
        return self._iri(f"onet/{version}/job-zone/{code}")

    def related(self, version: str, code: str, related_code: str) -> T:
        return self._iri(f"onet/{version}/related/{code}/{related_code}")

    # crosswalks (loader.crosswalk) and the mappings every importer writes
    def code_node(self, scheme: str, code: str) -> T:
        """A code of a CODE_PATHS scheme; an ESCO occupation ('esco') keeps ESCO's IRI, its code."""
        if scheme == "esco":
            return self._term(code)
        return self._iri(f"{CODE_PATHS[scheme]}/{code}")

    def crosswalk_graph(self, kind: str, release: str) -> T:
        return self.graph(f"crosswalk/{kind}-{release}")

    def release_source(self, kind: str, release: str) -> T:
        """The source node of an imported release of a crosswalk or classification kind (the kinds' names differ)."""
        return self.source(f"{kind}-{release}")

    # classifications (loader.classification): concepts are code nodes (code_node), so crosswalks land on them
    def classification_graph(self, kind: str, release: str) -> T:
        return self.graph(f"classification/{kind}-{release}")

    def esco_collection(self, name: str) -> T:
        """One of ESCO's collections (digital skills, green skills, ...), which ESCO's CSVs name only by file."""
        return self._iri(f"esco-collection/{name}")

    def source_file(self, source: str, name: str) -> T:
        """A file of an imported release, under its source node: <source IRI>/file/<file name>."""
        return self._term(f"{source}/file/{quote(name, safe='')}")

    def mapping(self, dataset: str, subject: str, obj: str) -> T:
        """<NS>mapping/<dataset>/<subject path>/<object path>: unique, as the dataset and both ends are in it."""
        return self._iri(f"mapping/{dataset}/{self.node_path(subject)}/{self.node_path(obj)}")

    def mapping_methods(self) -> T:
        return self._iri("mapping-method")

    def mapping_method(self, method: str) -> T:
        return self._iri(f"mapping-method/{method}")

    def node_path(self, iri: str) -> str:
        """The part of a node's IRI that names it in a mapping IRI: below the namespace, or below
        an EXTERNAL_ROOTS root with that root's prefix (esco/occupation/<uuid>)."""
        if iri.startswith(self.ns):
            return iri[len(self.ns):]
        for root, prefix in EXTERNAL_ROOTS.items():
            if iri.startswith(root):
                return prefix + iri[len(root):]
        raise ValueError(f"{iri} is neither under the namespace {self.ns} nor under {', '.join(EXTERNAL_ROOTS)}: "
                         "a mapping IRI needs a path for it")

    # frameworks and statements
    def catalogue(self, code: str) -> T:
        return self._iri(f"catalogue/{code}")

    def framework(self, code: str) -> T:
        return self._iri(f"framework/{code}")

    def release(self, code: str, version: str) -> T:
        return self._iri(f"framework/{code}/v{version}")

    def statement(self, release: str, kind: str, level: str, position: int, domain: str | None = None) -> T:
        return self._term(f"{release}/{statement_path(kind, level, position, domain)}")

    def citation(self, statement: str, position: int) -> T:
        return self._term(f"{statement}/citation/{position}")

    def observation(self, release: str, metric: str) -> T:
        return self._term(f"{release}/evidence/{metric}")

    def framework_graph(self, code: str, version: str) -> T:
        return self.graph(f"framework/{code}/v{version}")

    def anchors_graph(self, code: str, version: str, method: str) -> T:
        """A release's source anchors made by one method (machine-suggestion, editorial)."""
        return self.graph(f"anchors/{code}/v{version}/{method}")

    def registry_graph(self, name: str) -> T:
        return self.graph(f"registry/{name}")

    # shared registries
    def scale(self, code: str) -> T:
        return self._iri(f"scale/{code}")

    def level(self, scale: str, code: str) -> T:
        return self._iri(f"scale/{scale}/{code}")

    def domain_scheme(self) -> T:
        return self._iri("durable-domain")

    def domain(self, code: str) -> T:
        return self._iri(f"durable-domain/{code}")

    def source(self, code: str) -> T:
        return self._iri(f"source/{code}")

    def agent(self, name: str) -> T:
        return self._iri(f"agent/{slug(name)}")

    def metric_group(self, code: str) -> T:
        return self._iri(f"metric-group/{code}")

    def metric(self, code: str) -> T:
        return self._iri(f"metric/{code}")

    def code_list(self, code: str) -> T:
        return self._iri(f"code-list/{code}")

    def coded(self, scheme: str, code: str) -> T:
        return self._iri(f"code-list/{scheme}/{code}")

    def graph(self, name: str) -> T:
        return self._iri(f"graph/{name}")


# ---- parsing
# The codes an IRI was minted from, read back where the data states no skos:notation.

def last_code(iri: str) -> str:
    """The code of an IRI minted as `.../<code>`: scale/mastery -> 'mastery',
    scale/mastery/proficient -> 'proficient', cip2020/51.2301 -> '51.2301'."""
    return iri.rstrip("/").rsplit("/", 1)[-1]


def anchor_code(iri: str) -> str | None:
    """The code an editor names a source anchor by (loader.anchor_candidates): a task's IRI ->
    'task/5', a descriptor's -> 'skill/social-perceptiveness'; None for anything else."""
    task = _TASK_IRI.search(iri)
    if task:
        return f"task/{task.group(1)}"
    descriptor = _DESCRIPTOR_IRI.search(iri)
    if descriptor and descriptor.group(1) in DESCRIPTOR_SEGMENTS.values():
        return f"{descriptor.group(1)}/{descriptor.group(2)}"
    return None


def onet_anchor_code(mapping: str) -> str | None:
    """The code of an anchor among an O*NET release's data, from its mapping's IRI (Iris.onet_anchor):
    'onet-27.0/task/19147', 'onet-27.0/dwa/4.A.2.b.2.I01.D06', 'onet-27.0/technology/43232106/microsoft-powerpoint';
    None for any other mapping."""
    found = _ONET_ANCHOR.search(mapping)
    return f"onet-{found.group(1)}/{found.group(2)}" if found else None


def onet_anchor_source(mapping: str) -> tuple[str, str] | None:
    """The O*NET release an anchor among a release's data was computed from, from its mapping's IRI
    (Iris.onet_anchor): (the release's source IRI, its version); None for any other mapping."""
    found = _ONET_ANCHOR.search(mapping)
    if not found:
        return None
    namespace = mapping[:found.start() + 1]
    return f"{namespace}source/onet-{found.group(1)}", found.group(1)


def is_onet_anchor_target(iri: str) -> bool:
    """Whether an IRI names what an anchor among a release's data points to: an O*NET task
    (onet/task/<id>), content-model element (a DWA: onet/element/<id>) or technology example."""
    return bool(_ONET_TARGET.search(iri))


_ONET_TARGET = re.compile(r"/onet/(?:task/\d+|element/[0-9A-Za-z.]+|[0-9.]+/technology/[^/]+/\d+)\Z")
_ONET_ANCHOR = re.compile(rf"/mapping/anchors-onet-([0-9.]+)/{STATEMENT_IRI_PATH}/((?:task|dwa|technology)/.+)\Z")
_TASK_IRI = re.compile(r"/occupation/[^/]+/task/(\d+)\Z")
_DESCRIPTOR_IRI = re.compile(r"/onet/([a-z-]+)/([a-z0-9-]+)\Z")


def path_under(parent: str, iri: str) -> str:
    """An IRI's path below the IRI it was minted under (a statement's under its release:
    'competency/proficient/3'); the last code when it is not under it."""
    return iri[len(parent) + 1:] if iri.startswith(parent + "/") else last_code(iri)


def uuid_of(iri: str) -> str:
    """The UUID that stands for an IRI where a format identifies things by UUID (CASE
    identifiers, Credential Registry CTIDs): uuid5 in the URL namespace, so anyone can
    recompute it from the IRI and every build gives the same one."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, iri))
