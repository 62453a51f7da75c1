"""The README's SPARQL runs as pasted: every ```sparql block, the `query=` of its curl lines and
the query of its `skillsgraph query` example are sent to /sparql as they are written (PREFIX lines
and all) and must be answered; where the bundled data holds the answer, the answer is checked.

In-process (app_fixtures.api, once per store kind): a query needs no socket.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"
TEXT = README.read_text(encoding="utf-8")


def readme_queries() -> list[tuple[str, str]]:
    """(where in the README, the query as written), in README order."""
    found = []
    for m in re.finditer(r"```sparql\n(.*?)```", TEXT, re.DOTALL):
        found.append((f"README.md:{TEXT.count(chr(10), 0, m.start()) + 2}", m.group(1)))
    for m in re.finditer(r"--data-urlencode 'query=([^']*)'", TEXT):
        found.append((f"README.md:{TEXT.count(chr(10), 0, m.start()) + 1}", m.group(1)))
    for m in re.finditer(r"skillsgraph query '([^']*)'", TEXT):
        found.append((f"README.md:{TEXT.count(chr(10), 0, m.start()) + 1}", m.group(1)))
    return found


QUERIES = readme_queries()


def test_the_readme_has_the_queries_this_test_runs():
    assert len([q for q in QUERIES if "```" not in q[1]]) >= 5
    # One query per block: a block holding two would fail when pasted whole.
    for where, query in QUERIES:
        assert len(re.findall(r"^\s*(SELECT|CONSTRUCT|ASK|DESCRIBE)\b", query, re.MULTILINE | re.IGNORECASE)) == 1, where


def run(api, query: str) -> dict:
    r = api.client.post(api.base_url + "/sparql", data={"query": query},
                        headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200, r.text
    return r.json()


@pytest.mark.parametrize("where, query", QUERIES, ids=[w for w, _ in QUERIES])
def test_each_readme_query_runs_as_pasted(api, where, query):
    answer = run(api, query)
    assert "results" in answer or "boolean" in answer, where


def _rows(answer: dict) -> list[dict[str, str]]:
    return [{k: v["value"] for k, v in b.items()} for b in answer["results"]["bindings"]]


def test_the_readme_counts_and_statements_answer_from_the_bundled_data(api):
    [count] = [q for w, q in QUERIES if "COUNT(*)" in q]
    assert int(_rows(run(api, count))[0]["n"]) > 1000
    [proficient] = [q for w, q in QUERIES if '"Proficient"@en' in q]
    rows = _rows(run(api, proficient))
    assert [int(r["position"]) for r in rows] == list(range(1, len(rows) + 1)) and len(rows) == 10
    assert "Autonomous treatment planning" in {r["label"] for r in rows}


def test_the_readme_crosswalk_query_finds_the_soc_code_and_cip_programmes(api):
    [crosswalk] = [q for w, q in QUERIES if "?socSource" in q]
    rows = _rows(run(api, crosswalk))
    if not api.published:  # this kind serves the build alone (server_fixtures.PUBLISHED_KINDS): no crosswalk
        assert rows == []
        return
    assert {r["soc"].rsplit("/", 1)[-1] for r in rows} == {"29-1129"}
    assert "51.2301" in {r["cip"].rsplit("/", 1)[-1] for r in rows}
    assert all(r["socSource"] and r["cipSource"] for r in rows)
