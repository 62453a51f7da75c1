"""Shared fixtures.

Each layer keeps its fixtures in its own clearly marked section; helpers that are not
fixtures live in modules beside this file (graph_support.py, seed_page.py,
server_fixtures.py).
"""
from __future__ import annotations

from pathlib import Path

import pytest

# Server fixtures (a real uvicorn per store kind) live in one plugin, so each starts once per session.
pytest_plugins = ["server_fixtures"]

# ==== graph layer: the reference page, the bundled build, mutable data copies ===========
# No fixture in this section starts a server.

from graph_support import Built, PublishedBuild, build_bundled, build_published, copy_data, SEED_FILE, SOURCES_YAML
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


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A copy of data/ under tmp_path that a test may break."""
    return copy_data(tmp_path)

# ==== end of graph layer ================================================================
