"""What the search index holds, read from the store: every searchable resource and its texts.

Four fixed queries (api/queries/search-*.rq) read the titles of O*NET-SOC occupations, the
labels and codes of the classifications' concepts (SOC, CIP, ISCO, ESCO, O*NET-SOC 2010),
the statements of the frameworks, and the framework releases. Each resource gets its kind
and scheme from where its IRI lives, the same schemes the crosswalk speaks.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from skillsgraph.store.base import Limits, Store
from skillsgraph.vocab import ESCO

from .crosswalk_paths import SCHEMES
from .store_access import Reader

# The index reads everything once: no row limit, and time enough for a large catalogue.
INDEX_LIMITS = Limits(timeout_seconds=600.0, max_results=100_000_000)

# How much a match in each kind of text counts, relative to a resource's own title.
FIELD_WEIGHTS = {"pref": 1.0, "related": 0.85, "alternate": 0.85, "alt": 0.85, "reported": 0.7, "hidden": 0.6,
                 "text": 0.5}
KIND_LABELS = {"occupation": "Occupations", "programme": "Instructional programmes", "skill": "Skills",
               "statement": "Statements"}
# Concept schemes by where their IRIs live: (scheme, kind, label); relative paths are under the namespace.
CONCEPT_SCHEMES = (
    ("onet-soc2010", "occupation", SCHEMES["onet-soc2010"].label, SCHEMES["onet-soc2010"].path),
    ("soc2018", "occupation", SCHEMES["soc2018"].label, SCHEMES["soc2018"].path),
    ("isco", "occupation", SCHEMES["isco"].label, SCHEMES["isco"].path),
    ("esco", "occupation", "ESCO occupations", SCHEMES["esco"].path),
    ("esco-skill", "skill", "ESCO skills", ESCO + "skill/"),
    ("cip2020", "programme", SCHEMES["cip2020"].label, SCHEMES["cip2020"].path),
    ("cip2010", "programme", "CIP 2010", "cip2010/"),
)
SCHEME_LABELS = {"onet-soc": SCHEMES["onet-soc"].label, "framework": "skillsgraph frameworks",
                 **{name: label for name, _, label, _ in CONCEPT_SCHEMES}}


@dataclass
class Resource:
    """One search result: what it is, what it is called, and the texts it is found by."""
    iri: str
    kind: str
    scheme: str
    label: str = ""
    code: str | None = None  # the code it is shown with
    codes: set[str] = field(default_factory=set)  # every code it is found by
    level: str | None = None  # a statement's level, by label
    level_iri: str | None = None
    framework: str | None = None  # a statement's framework release, an occupation's latest one
    framework_label: str | None = None
    texts: dict[str, str] = field(default_factory=dict)  # text -> its field, the best-weighted one kept

    def add(self, field_name: str, text: str) -> None:
        known = self.texts.get(text)
        if known is None or FIELD_WEIGHTS[field_name] > FIELD_WEIGHTS[known]:
            self.texts[text] = field_name
        if field_name == "pref" and (not self.label or text < self.label):
            self.label = text  # the smallest title, as /occupations lists an occupation


def _version_key(version: str) -> tuple:
    return tuple(int(p) if p.isdigit() else p for p in version.split("."))


class _Collector:
    def __init__(self, namespace: str):
        self.namespace = namespace
        self.resources: dict[str, Resource] = {}
        self.prefixes = [(scheme, kind, p if "://" in p else namespace + p) for scheme, kind, _, p in CONCEPT_SCHEMES]

    def resource(self, iri: str, kind: str, scheme: str) -> Resource:
        found = self.resources.get(iri)
        if found is None:
            found = self.resources[iri] = Resource(iri, kind, scheme)
        return found

    def concept_scheme(self, iri: str) -> tuple[str, str] | None:
        for scheme, kind, prefix in self.prefixes:
            if iri.startswith(prefix) and "/" not in iri[len(prefix):]:
                return scheme, kind
        return None


def read_resources(store: Store, namespace: str) -> list[Resource]:
    """Every searchable resource with its texts, in IRI order (so that a build is repeatable)."""
    reader = Reader(store, INDEX_LIMITS)
    found = _Collector(namespace)
    frameworks = [{k: v.value for k, v in r.items()} for r in reader.select("search-frameworks")]
    releases = _latest_releases(frameworks)
    for r in reader.select("search-occupation-titles"):
        occupation = found.resource(r["o"].value, "occupation", "onet-soc")
        occupation.code = r["code"].value
        occupation.codes.add(occupation.code)
        occupation.add(r["field"].value, r["text"].value)
        occupation.framework, occupation.framework_label = releases.get(occupation.iri, (None, None))
    for r in reader.select("search-concept-labels"):
        where = found.concept_scheme(r["c"].value)
        if where is None:  # not a concept of a known scheme (an O*NET-SOC occupation's code is read above)
            continue
        concept = found.resource(r["c"].value, where[1], where[0])
        if r["field"].value == "code":
            concept.codes.add(r["text"].value)
            concept.code = min(concept.codes, key=lambda c: (-len(c), c))
        else:
            concept.add(r["field"].value, r["text"].value)
    labels = {r["release"]: r["label"] for r in frameworks}
    for r in reader.select("search-statements"):
        statement = found.resource(r["s"].value, "statement", "framework")
        statement.level, statement.level_iri = r["levelLabel"].value, r["level"].value
        statement.framework, statement.framework_label = r["release"].value, labels.get(r["release"].value)
        statement.add(r["field"].value, r["text"].value)
    return [found.resources[iri] for iri in sorted(found.resources) if found.resources[iri].texts or found.resources[iri].codes]


def _latest_releases(frameworks: list[dict[str, str]]) -> dict[str, tuple[str, str]]:
    """occupation -> (its latest framework release, that release's label)."""
    latest: dict[str, tuple] = {}
    for r in frameworks:
        key = (_version_key(r["version"]), r["release"])
        if r["occupation"] not in latest or key > latest[r["occupation"]][0]:
            latest[r["occupation"]] = (key, r["release"], r["label"])
    return {occupation: (release, label) for occupation, (_, release, label) in latest.items()}


__all__ = ["Resource", "read_resources", "FIELD_WEIGHTS", "KIND_LABELS", "SCHEME_LABELS"]
