"""The two real O*NET releases in ../shared/onet, each imported once per session.

Registered as a pytest plugin by conftest.py, for test_onet_import.py and test_framework_links.py
alike: 27.0 (text) and 29.3 (Excel) are imported in-process into one home, and 27.0 once more
through the `skillsgraph import onet` command (which also links it to the frameworks). The links
of both releases are written into the in-process home when a test needs them.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from graph_support import DATA_DIR, NAMESPACE, SHARED, run_cli

ONET = SHARED / "onet"
TEXT_27 = ONET / "db_27_0_text"
EXCEL_29 = ONET / "db_29_3_excel"


@pytest.fixture(scope="session")
def onet_home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("onet-home")


@pytest.fixture(scope="session")
def imported_27(onet_home):
    from skillsgraph.loader.onet.importer import import_release
    return import_release(TEXT_27, NAMESPACE, onet_home / "inprocess")


@pytest.fixture(scope="session")
def imported_29(onet_home):
    from skillsgraph.loader.onet.importer import import_release
    return import_release(EXCEL_29, NAMESPACE, onet_home / "inprocess")


@pytest.fixture(scope="session")
def cli_27(onet_home):
    """`skillsgraph import onet` of 27.0 (one worker: the in-process import runs the parallel path)."""
    home = onet_home / "cli"
    return home, run_cli("import", "onet", str(TEXT_27), "--workers", "1", home=home, timeout=300)


@pytest.fixture(scope="session")
def linked_home(onet_home, imported_27, imported_29) -> Path:
    """The in-process home with both releases imported and linked to the bundled frameworks."""
    from skillsgraph.loader.onet.framework_links import link_release
    home = onet_home / "inprocess"
    for folder in (TEXT_27, EXCEL_29):
        link_release(folder, DATA_DIR, NAMESPACE, home)
    return home
