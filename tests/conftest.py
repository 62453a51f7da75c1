"""Shared fixtures.

Each layer keeps its fixtures in its own clearly marked section; helpers that are not
fixtures live in modules beside this file (graph_support.py, seed_page.py,
versioned_support.py). The O*NET releases are imported once per session by the
onet_fixtures.py plugin. The API's fixtures are two plugins: app_fixtures.py (the app
in-process, what almost every API test uses) and server_fixtures.py (real processes,
for the tests whose subject needs a socket or the process itself).
"""
from __future__ import annotations

from pathlib import Path

import pytest

# Session-scoped: each store kind's app is opened, and each live server started, once per session.
pytest_plugins = ["server_fixtures", "app_fixtures", "onet_fixtures"]

# ==== graph layer: the reference page, the bundled build, mutable data copies ===========
# No fixture in this section starts a server.

from graph_support import (Built, PublishedBuild, build_bundled, build_published, build_synthetic, copy_data, SEED_FILE,
                           SOURCES_YAML)
from seed_page import SeedPage, chip_strings, read_seed_page


@pytest.fixture(scope="session")
def built() -> Built:
    """The bundled data/ built once per session under the default namespace."""
    return build_bundled()


@pytest.fixture(scope="session")
def published_build(tmp_path_factory) -> PublishedBuild:
    """The bundled data built once per session with its published crosswalks and classifications,
    as `skillsgraph build` writes them (the build file, published.nq and their caches)."""
    return build_published(tmp_path_factory.mktemp("published-build"))


@pytest.fixture(scope="session")
def seed() -> SeedPage:
    """The reference page, parsed by the independent reader in seed_page.py."""
    return read_seed_page(SEED_FILE, SOURCES_YAML)


@pytest.fixture(scope="session")
def chip_sources() -> dict[str, str]:
    """{chip string as the page prints it: source code}, from the sources registry."""
    return chip_strings(SOURCES_YAML)


@pytest.fixture(scope="session")
def synthetic_built(tmp_path_factory) -> bytes:
    """A small synthetic catalogue (`skillsgraph generate`, SYNTHETIC_FRAMEWORKS frameworks) built
    once per session under the synthetic namespace: its canonical N-Quads."""
    return build_synthetic(tmp_path_factory.mktemp("synthetic") / "data")


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A copy of data/ under tmp_path that a test may break."""
    return copy_data(tmp_path)

# ==== end of graph layer ================================================================


# ==== store kinds: which modules also run on Virtuoso ======================================
# Every API module runs on server_fixtures.API_KINDS. The modules whose answers an engine could
# change (the SPARQL protocol's results and errors, linked-data documents and DESCRIBE, the
# crosswalk queries, dumps, the default graph as a set) also run on `virtuoso`, Virtuoso open
# source behind the sparql store, and must answer as the embedded store does there too.
# Each module with the tests it leaves off Virtuoso, and why: ones that repeat one kind of request
# hundreds of times (each statement in each format: 6 minutes there) whose answers the others
# check; ones whose query Virtuoso 7 cannot run (BNODE("n"): "built-in function is not
# implemented"), whose answer is a position it does not give (its syntax errors name a line, no
# column), or whose query it answers wrongly (scale-mappings.rq: FILTER NOT EXISTS lets 4 rows
# through; README, External triple stores).
ON_EVERY_ENGINE = {
    "test_sparql_clients.py": {"test_json_results_exactly", "test_xml_results_exactly", "test_csv_results_exactly",
                               "test_tsv_results_exactly", "test_syntax_error_says_where"},
    "test_crosswalk_queries.py": {"test_scale_mappings_give_every_editorial_mapping_with_its_justification"},
    "test_linked_data.py": {"test_every_statement_dereferences_in_every_format"},
}


def pytest_generate_tests(metafunc):
    from server_fixtures import API_KINDS, STORE_KINDS
    if "api" in metafunc.fixturenames:
        kinds = list(API_KINDS)
        left_off = ON_EVERY_ENGINE.get(Path(metafunc.module.__file__).name)
        if left_off is not None and metafunc.function.__name__ not in left_off and "virtuoso" in STORE_KINDS:
            kinds.append("virtuoso")
        metafunc.parametrize("api", kinds, indirect=True, scope="session")

# ==== end of store kinds =================================================================


# ==== several cores: which test files share one pytest-xdist worker ========================
# pyproject.toml runs the suite with `-n auto`. Each worker is a session of its own, so files
# whose tests share an expensive session fixture are sent to one worker as one unit: the
# live servers start once, and each O*NET release is imported once. Other files are units
# of their own. (Grouping by the xdist_group mark would say the same per test, but
# pytest-xdist 3.8 cannot rename the node ids of pytest 9 that it relies on.)
SHARED_WORKER = {
    **dict.fromkeys(["test_browser.py", "test_service_description.py", "test_sparql_clients.py",
                     "test_sparql_protocol.py", "test_hostile_requests.py"], "live servers"),
    **dict.fromkeys(["test_onet_import.py", "test_framework_links.py", "test_default_graph_set.py",
                     "test_release_anchors.py"], "O*NET releases"),
}


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    from xdist.scheduler import LoadScopeScheduling

    class SharedFixtureScheduling(LoadScopeScheduling):
        """Whole files (or the groups above) to a worker, in collection order: the largest
        units (the groups, test_linked_data.py) come early and the small ones fill in."""

        def _split_scope(self, nodeid: str) -> str:
            file = nodeid.split("::", 1)[0]
            return SHARED_WORKER.get(Path(file).name, file)

    config.option.loadscopereorder = False
    return SharedFixtureScheduling(config, log)

