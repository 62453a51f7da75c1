"""One competency statement, from its YAML to its JSON-LD, read with as few store queries as the
layout promises: what kind of resource the IRI names, then its description; nothing else.

In-process (app_fixtures): the store is wrapped to record each query the app runs.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import httpx
import pytest
import yaml

from app_fixtures import BASE_URL, InProcessApi, _PortalTransport, bundled_extras
from server_fixtures import NAMESPACE

FRAMEWORK = Path(__file__).resolve().parents[1] / "data" / "frameworks" / "29-1129.01.yaml"
STATEMENT_PATH = "framework/29-1129.01/v26.05/competency/proficient/3"


class RecordingStore:
    """A store that notes the text of every query before the real store answers it."""

    def __init__(self, store):
        self._store, self.queries = store, []

    def query(self, sparql, *args, **kwargs):
        self.queries.append(sparql)
        return self._store.query(sparql, *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._store, name)


@pytest.fixture(scope="module")
def recorded(apps, bundled_home):
    from skillsgraph.api.app import create_app
    from skillsgraph.config import Settings
    from skillsgraph.store.base import Limits
    store = RecordingStore(apps.store("oxigraph", bundled_home, bundled_home / "skillsgraph.nq",
                                      bundled_extras("oxigraph", bundled_home)))
    app = create_app(Settings(namespace=NAMESPACE, home=bundled_home), store, Limits())
    with httpx.Client(transport=_PortalTransport(app, apps._portal), base_url=BASE_URL, timeout=60) as client:
        yield InProcessApi(client, NAMESPACE, bundled_home, "oxigraph"), store


def _yaml_statement(level: str, number: int) -> str:
    framework = yaml.safe_load(FRAMEWORK.read_text(encoding="utf-8"))["framework"]
    return framework["competencies"][level][number - 1]["text"]


def test_a_statement_is_read_with_one_kind_query_and_one_description_query(recorded):
    api, store = recorded
    store.queries.clear()
    response = api.client.get(f"/{STATEMENT_PATH}", headers={"accept": "application/ld+json"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/ld+json")
    assert len(store.queries) == 2, [q.splitlines()[-5:] for q in store.queries]
    assert "resource-kind" in store.queries[0] or "?kind" in store.queries[0]
    assert "CONSTRUCT" in store.queries[1].upper()
    document = json.loads(response.content)
    assert NAMESPACE + STATEMENT_PATH in json.dumps(document) or document.get("@id") == STATEMENT_PATH


def test_the_statement_text_is_the_one_in_the_yaml(recorded):
    api, _ = recorded
    document = api.client.get(f"/{STATEMENT_PATH}", params={"format": "nt"}).text
    text = _yaml_statement("proficient", 3)
    assert json.dumps(text)[1:-1] in document


def _titles(queries: list[str]) -> list[str]:
    """The `# title:` of each fixed query run (api/queries/*.rq)."""
    return [m.group(1) for q in queries for m in [re.search(r"^# title: (.*)$", q, re.MULTILINE)] if m]


def test_a_releases_model_is_read_once_for_all_its_profiles_and_its_page(recorded):
    """A release's read model takes a dozen queries; read once, it serves every profile of the
    release and of its statements, and its page: the next documents ask the store none of
    those queries again (api/model/recent.py)."""
    api, store = recorded
    release = STATEMENT_PATH.rsplit("/", 3)[0]
    store.queries.clear()
    first = api.client.get(f"/{release}", params={"_profile": "ob3"})
    assert first.status_code == 200, first.text
    from skillsgraph.api.store_access import query_text
    model_queries = set(_titles(store.queries)) - set(_titles([query_text("resource-kind")]))  # asked per request
    assert len(model_queries) >= 8 and "The source anchors of every statement of a release" in model_queries, model_queries
    store.queries.clear()
    for params in ({"_profile": "case"}, {"_profile": "ctdl-asn"}, {"_profile": "csv"}, {"format": "html"}):
        response = api.client.get(f"/{release}", params=params)
        assert response.status_code == 200, (params, response.text[:300])
    statement = api.client.get(f"/{STATEMENT_PATH}", params={"_profile": "ob3"})
    assert statement.status_code == 200, statement.text[:300]
    assert not model_queries & set(_titles(store.queries)), _titles(store.queries)
    again = api.client.get(f"/{release}", params={"_profile": "ob3"})
    assert again.content == first.content
