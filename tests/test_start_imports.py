"""A server's start imports what serving needs and none of the importers: they once took a
third of a restart (the O*NET, crosswalk and classification importers, the framework schema and
rdflib's SPARQL engine, about 0.4 s of 1.8). Checked on the real path: `serve`'s checks of the
home and its store reopened, in a new process over a copy of the run's seeded home.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys

from seeded_homes import bundled_seed, seed_home
from server_fixtures import W3C_EXTRAS

# Modules a start has no use for, each the root of what it would drag in.
NOT_AT_START = ["skillsgraph.loader.build", "skillsgraph.loader.source_data",
                "skillsgraph.loader.onet.unit", "skillsgraph.loader.onet.importer",
                "skillsgraph.loader.onet.release_anchors", "skillsgraph.loader.crosswalk.importer",
                "skillsgraph.loader.classification.importer", "skillsgraph.store.memory_store",
                "rdflib.plugins.sparql", "pyshacl"]

START = """
import json, sys
from pathlib import Path
from skillsgraph import cli
from skillsgraph.api.app import create_app
from skillsgraph.store.base import Limits
settings = cli.settings_or_exit()
loads = [(Path(file), graph) for file, graph in json.loads(sys.argv[1])]
build_file, extras = cli._served_files(settings, None, loads, memory=False)
store = cli._open_store("oxigraph", settings, build_file, extras, None)
create_app(settings, store, Limits())
print(json.dumps({"modules": sorted(sys.modules), "store": str(store.location)}))
"""


def test_a_start_imports_no_importer(tmp_path_factory, published_build):
    home = seed_home(bundled_seed(tmp_path_factory, published_build), tmp_path_factory.mktemp("start-home"))
    stored = sorted(p.name for p in (home / "oxigraph").iterdir())
    loads = json.dumps([(str(file), graph) for file, graph in W3C_EXTRAS])
    done = subprocess.run([sys.executable, "-c", START, loads], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "SKILLSGRAPH_HOME": str(home)})
    assert done.returncode == 0, done.stderr
    started = json.loads(done.stdout.splitlines()[-1])
    # The start reopened the seeded store, built and loaded nothing: what it imported is a start's.
    assert sorted(p.name for p in (home / "oxigraph").iterdir()) == stored
    assert "skillsgraph.api.app" in started["modules"] and "skillsgraph.store.oxigraph_store" in started["modules"]
    imported = [name for name in NOT_AT_START if name in started["modules"]]
    assert not imported, f"a server's start imported {imported}"
