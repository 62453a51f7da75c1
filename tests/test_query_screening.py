"""What is decided before a query reaches the engine (issue 11): the linear reading of SPARQL
text, the size, nesting and chain bounds, and fair admission. Plain functions, no app, no store."""
from __future__ import annotations

import asyncio

import pytest

from skillsgraph.api.sparql import bounds
from skillsgraph.api.sparql.admission import Admission
from skillsgraph.api.sparql.policy import refuses_service
from skillsgraph.api.sparql.protocol import ProtocolError
from skillsgraph.store.sparql_text import masked


def test_strings_iris_and_comments_are_blanked_in_place():
    query = 'SELECT * WHERE { ?s <http://x/a#SERVICE> "SERVICE {" . # SERVICE {\n ?s ?p \'\'\'a\n}\'\'\' }'
    text = masked(query)
    assert len(text) == len(query)
    assert "SERVICE" not in text and text.count("{") == 1 and text.count("}") == 1
    assert text.split() == ["SELECT", "*", "WHERE", "{", "?s", ".", "?s", "?p", "}"]


@pytest.mark.parametrize("escaped", ["\\#", "\\'", '\\"'])
def test_an_escape_in_a_prefixed_name_hides_nothing(escaped):
    query = f"PREFIX ex: <http://example.org/> SELECT * WHERE {{ BIND(ex:a{escaped} AS ?z) SERVICE <http://h/> {{}} }}"
    assert "SERVICE" in masked(query)
    assert refuses_service(query)


def test_an_unterminated_string_runs_to_the_end():
    assert masked('ASK { "abc } SERVICE').strip() == "ASK {"


def test_nesting_up_to_the_limit_passes_and_one_more_is_refused_with_its_position():
    bounds.check("ASK " + "{ " * bounds.MAX_DEPTH + "}" * bounds.MAX_DEPTH)
    with pytest.raises(ProtocolError) as refused:
        bounds.check("ASK\n" + "{ " * (bounds.MAX_DEPTH + 1) + "}" * (bounds.MAX_DEPTH + 1))
    assert refused.value.status == 400
    assert f"line 2, column {2 * bounds.MAX_DEPTH + 1}" in refused.value.message


def test_brackets_inside_strings_do_not_count():
    bounds.check('ASK { FILTER("' + "(" * 5000 + '" != "") }')


def test_long_chains_and_oversized_queries_are_refused():
    bounds.check("ASK { FILTER(" + " && ".join(["true"] * bounds.MAX_OPERATORS) + ") }")
    with pytest.raises(ProtocolError) as chained:
        bounds.check("ASK { FILTER(" + " && ".join(["true"] * (bounds.MAX_OPERATORS + 2)) + ") }")
    assert chained.value.status == 400 and "operators" in chained.value.message
    with pytest.raises(ProtocolError) as oversized:
        bounds.check("ASK {} #" + "x" * bounds.MAX_QUERY_BYTES)
    assert oversized.value.status == 413


def test_a_flooding_client_is_refused_beyond_its_share_and_others_go_first():
    async def scenario() -> tuple[list, list]:
        admission = Admission(capacity=3, wait=30)
        release = asyncio.Event()
        order, refused = [], []

        async def query(client: str) -> None:
            try:
                async with admission.slot(client):
                    order.append(client)
                    await release.wait()
            except ProtocolError as exc:
                refused.append((client, exc.status, exc.headers.get("Retry-After")))

        flood = [asyncio.create_task(query("flood")) for _ in range(8)]
        await asyncio.sleep(0)
        first = asyncio.create_task(query("first"))
        await asyncio.sleep(0)
        others = [asyncio.create_task(query("other")) for _ in range(2)]
        await asyncio.sleep(0)
        release.set()
        await asyncio.gather(*flood, first, *others)
        return order, refused

    order, refused = asyncio.run(scenario())
    # 2 of the flood run, 4 wait, 2 are refused at once; 'first' takes the third place. As places
    # free up, the client with the fewest running goes first: 'other' (none) before the flood's
    # waiting queries, which then alternate with it, first come first served among equals.
    assert refused == [("flood", 429, "2"), ("flood", 429, "2")]
    assert order == ["flood", "flood", "first", "other", "flood", "flood", "other", "flood", "flood"]
