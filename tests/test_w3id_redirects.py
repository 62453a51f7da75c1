"""The redirect rules that make the namespace resolve: deploy/w3id.org/skillsgraph/.htaccess.

w3id.org serves each registered name with Apache mod_rewrite rules from a `.htaccess` in its
folder. The rules are read here as Apache reads them in a directory context (the path after
`skillsgraph/`, without the query string, matched against each RewriteRule in turn; a
substitution without '?' keeps the query string; R=code redirects, L stops) and applied to
sample IRIs; then the locations they give, with the deployment's host replaced by the
in-process app's (app_fixtures, the bundled data on the first store kind), are fetched there:
every IRI the rules redirect lands on a resource that answers.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from app_fixtures import bundled_app, first_store_kind
from server_fixtures import NAMESPACE, REPO

HTACCESS = REPO / "deploy" / "w3id.org" / "skillsgraph" / ".htaccess"
W3ID = "https://w3id.org/skillsgraph/"
RULE = re.compile(r"^RewriteRule\s+(\S+)\s+(\S+)(?:\s+\[([^\]]*)\])?$")


@dataclass(frozen=True)
class Rule:
    pattern: re.Pattern
    substitution: str
    flags: dict[str, str | None]


def read_rules(path: Path) -> list[Rule]:
    rules, engine_on = [], False
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.lower() == "rewriteengine on":
            engine_on = True
            continue
        if line.startswith("Options "):
            continue
        match = RULE.match(line)
        assert match, f"{path.name}:{number}: a directive these tests do not read: {line}"
        pattern, substitution, flags = match.groups()
        parsed = {}
        for flag in (flags or "").split(","):
            name, _, value = flag.strip().partition("=")
            parsed[name.upper()] = value or None
        rules.append(Rule(re.compile(pattern), substitution, parsed))
    assert engine_on, "RewriteEngine on is missing: Apache would apply no rule"
    return rules


def resolve(rules: list[Rule], iri: str) -> tuple[int, str]:
    """The status and Location w3id.org answers for an IRI under its skillsgraph/ folder."""
    assert iri.startswith(W3ID), iri
    rest = iri[len(W3ID):].split("#", 1)[0]   # a client never sends the fragment
    path, _, query = rest.partition("?")
    for rule in rules:
        match = rule.pattern.search(path)
        if not match:
            continue
        target = re.sub(r"\$(\d)", lambda m: match.group(int(m.group(1))) or "", rule.substitution)
        if query and "?" not in target:
            target += "?" + query
        assert "R" in rule.flags and "L" in rule.flags, f"{rule.pattern.pattern}: a redirect that ends the rules"
        return int(rule.flags["R"] or 302), target
    raise AssertionError(f"no rule redirects {iri}")


RULES = read_rules(HTACCESS)
DEPLOYMENT = "https://skillsgraph.example.org/"

SAMPLES = {
    W3ID: (303, DEPLOYMENT),
    W3ID + "occupation/29-1129.01": (303, DEPLOYMENT + "occupation/29-1129.01"),
    W3ID + "framework/29-1129.01": (303, DEPLOYMENT + "framework/29-1129.01"),
    W3ID + "framework/29-1129.01/v26.05/competency/proficient/3?_profile=case":
        (303, DEPLOYMENT + "framework/29-1129.01/v26.05/competency/proficient/3?_profile=case"),
    W3ID + "ontology#CompetencyStatement": (303, DEPLOYMENT + "ontology"),
    W3ID + "context.jsonld": (303, DEPLOYMENT + "context.jsonld"),
    W3ID + "profile/csv": (303, DEPLOYMENT + "profile/csv"),
    W3ID + "occupations?page=2&size=50": (303, DEPLOYMENT + "occupations?page=2&size=50"),
    W3ID + "dump/skillsgraph.nq.gz": (303, DEPLOYMENT + "dump/skillsgraph.nq.gz"),
    W3ID + "sparql?query=ASK%7B%7D": (307, DEPLOYMENT + "sparql?query=ASK%7B%7D"),
    W3ID + "sparql/": (307, DEPLOYMENT + "sparql/"),
    W3ID + "graph/classification/soc-2018": (303, DEPLOYMENT + "graph/classification/soc-2018"),
}


@pytest.mark.parametrize("iri", SAMPLES)
def test_the_rules_map_sample_iris_to_the_deployment(iri):
    assert resolve(RULES, iri) == SAMPLES[iri]


def test_the_rules_name_one_deployment_over_https():
    hosts = {urlsplit(rule.substitution).netloc for rule in RULES}
    assert hosts == {urlsplit(DEPLOYMENT).netloc}
    assert all(rule.substitution.startswith("https://") for rule in RULES)


def test_the_namespace_is_the_one_the_rules_serve():
    assert NAMESPACE == W3ID


@pytest.fixture(scope="module")
def served(apps, bundled_home):
    return bundled_app(apps, first_store_kind(), bundled_home)


@pytest.mark.parametrize("iri", [i for i in SAMPLES if "/dump/" not in i])
def test_every_redirected_iri_lands_on_a_resource_that_answers(served, iri):
    _status, location = resolve(RULES, iri)
    local = served.base_url + "/" + location[len(DEPLOYMENT):]
    r = served.client.get(local, timeout=60)
    assert r.status_code in (200, 303), (iri, local, r.status_code, r.text[:200])


def test_every_route_of_the_api_is_redirected_at_its_own_path(served):
    spec = served.client.get(served.base_url + "/openapi.json").json()
    for path in spec["paths"]:
        concrete = re.sub(r"\{[^}]+\}", "x", path.lstrip("/"))
        status, location = resolve(RULES, W3ID + concrete)
        assert location == DEPLOYMENT + concrete and status in (303, 307), path
