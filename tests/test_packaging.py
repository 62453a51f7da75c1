"""The wheel carries the ontology, the shapes and the bundled data: installed into a fresh
environment and run away from the source tree, it builds the same bytes as the repository,
and its `skillsgraph serve` answers the real crosswalks with no import step."""
from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from graph_support import NAMESPACE, REPO, run_cli
from server_fixtures import free_port, stop_process

ESCO_ART_THERAPIST = "http://data.europa.eu/esco/occupation/eb48ccbd-75f2-4799-81be-443034858473"

# Left out of the copy that the wheel is built from: version control, build and run output.
NOT_SOURCES = shutil.ignore_patterns(".git", "build", "dist", "var", "*.egg-info", "__pycache__", ".pytest_cache",
                                     "node_modules", "results", "*.pyc")


def run(*args, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(args, capture_output=True, timeout=300, **kwargs)
    assert result.returncode == 0, (args, result.stdout.decode(), result.stderr.decode())
    return result


@dataclass
class Installed:
    venv: Path
    elsewhere: Path  # a folder away from the source tree, where the installed commands run


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Installed:
    """The project as the README's `python -m pip install .` leaves it: a wheel built from a copy
    of the sources, installed into a fresh environment."""
    tmp_path = tmp_path_factory.mktemp("wheel")
    # Build from a copy so that pip's in-tree build output never lands in the repository.
    source = tmp_path / "source"
    shutil.copytree(REPO, source, ignore=NOT_SOURCES)
    wheels = tmp_path / "wheels"
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-cache-dir", "-q", "-w", str(wheels), str(source))
    wheel = next(wheels.glob("skillsgraph-*.whl"))

    venv = tmp_path / "venv"
    # The dependencies (and pip) are the running interpreter's, whether that is a virtualenv or a
    # system Python: a .pth file puts its site-packages after the new environment's own (where
    # --system-site-packages would give the base interpreter's, not a virtualenv's). A .pth file
    # does not run the .pth files of the folders it names, so an editable install of the project
    # there stays inert: the package itself comes only from the wheel.
    run(sys.executable, "-m", "venv", "--without-pip", str(venv))
    python = venv / "bin" / "python"
    own_site = Path(run(str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").stdout.decode().strip())
    (own_site / "running-interpreter.pth").write_text("".join(f"{p}\n" for p in _site_dirs()), encoding="utf-8")
    run(str(python), "-m", "pip", "install", "--no-deps", "--no-cache-dir", "-q", str(wheel))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    return Installed(venv, elsewhere)


def test_installed_wheel_builds_the_same_graph(tmp_path, installed, built):
    python = installed.venv / "bin" / "python"
    where = run(str(python), "-c", "import skillsgraph.resources as r, skillsgraph.loader.build as b; "
                "print(r.ontology_dir()); print(r.shapes_dir()); print(r.data_dir()); print(b.__file__)",
                cwd=installed.elsewhere).stdout.decode().split()
    site = (installed.venv / "lib").resolve()
    assert len(where) == 4 and all(Path(p).resolve().is_relative_to(site) for p in where), where

    out = tmp_path / "from-wheel.nq"
    result = run_cli("build", "--out", str(out), home=tmp_path / "home", cwd=installed.elsewhere,
                     command=[str(installed.venv / "bin" / "skillsgraph")], namespace=NAMESPACE)
    assert result.returncode == 0, result.stderr.decode()
    assert out.read_bytes() == built.nquads


def test_the_installed_serve_answers_the_real_crosswalks_with_no_import_step(tmp_path, installed):
    """The quick start's first line on a fresh home: `skillsgraph serve` with no option, and the
    crosswalks of the bundled published files answer at once, every hop naming its source row."""
    port = free_port()
    log = (tmp_path / "serve.log").open("wb")
    env = {k: v for k, v in os.environ.items() if not k.startswith("SKILLSGRAPH_")}
    process = subprocess.Popen([str(installed.venv / "bin" / "skillsgraph"), "serve", "--port", str(port)],
                               cwd=installed.elsewhere, env=env,
                               stdout=log, stderr=subprocess.STDOUT)
    try:
        base = _wait_for(process, f"http://127.0.0.1:{port}", tmp_path / "serve.log")
        to_soc = httpx.get(base + "/crosswalk", params={"from": "onet-soc:29-1129.01", "to": "soc2018"},
                           headers={"Accept": "text/csv"}, timeout=60)
        assert to_soc.status_code == 200, to_soc.text
        hops = {(r["to"], r["source_title"], r["crosswalk_row"]) for r in csv.DictReader(to_soc.text.splitlines())}
        assert (NAMESPACE + "soc2018/29-1129", "O*NET-SOC 2019 to 2018 SOC Crosswalk (2019)", "437") in hops, hops
        to_esco = httpx.get(base + "/crosswalk", params={"from": "cip2020:51.2301", "to": "esco"},
                            headers={"Accept": "application/ld+json"}, timeout=60)
        assert to_esco.status_code == 200, to_esco.text
        assert ESCO_ART_THERAPIST in {p["target"]["id"] for p in to_esco.json()["paths"]}
    finally:
        stop_process(process)


def _wait_for(process: subprocess.Popen, base: str, log: Path, timeout: float = 240) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text()
        try:
            if httpx.get(base + "/health", timeout=1).status_code == 200:
                return base
        except httpx.TransportError:
            time.sleep(0.2)
    raise AssertionError(f"serve did not answer within {timeout}s: {log.read_text()}")


def _site_dirs() -> list[str]:
    """The running interpreter's site-packages folders, in its own order."""
    return [p for p in sys.path if Path(p).name in ("site-packages", "dist-packages") and Path(p).is_dir()]


def _imported_top_level_modules() -> set[str]:
    import ast
    folders = ["skillsgraph", "loader", "store", "api"]
    found = set()
    for folder in folders:
        for file in (REPO / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    found |= {a.name.split(".")[0] for a in node.names}
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    found.add(node.module.split(".")[0])
    return found


def test_every_module_the_package_imports_is_a_declared_dependency():
    """A plain `pip install .` (no extras) must run `skillsgraph serve`: every third-party module
    the package imports comes from a declared dependency or from one of theirs."""
    import tomllib
    from importlib.metadata import packages_distributions, requires
    import re
    declared = {re.split(r"[<>=!~; \[]", d, maxsplit=1)[0].lower().replace("_", "-")
                for d in tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["dependencies"]}
    closure, todo = set(), list(declared)
    while todo:  # the declared packages and everything they require (without extras)
        name = todo.pop()
        if name in closure:
            continue
        closure.add(name)
        try:
            reqs = requires(name) or []
        except Exception:
            continue
        todo += [re.split(r"[<>=!~; \[(]", r, maxsplit=1)[0].lower().replace("_", "-") for r in reqs if "extra ==" not in r]
    dists = packages_distributions()
    third_party = {m for m in _imported_top_level_modules() if m in dists and m != "skillsgraph" and m not in sys.stdlib_module_names}
    missing = sorted(m for m in third_party if not {d.lower().replace("_", "-") for d in dists[m]} & closure)
    assert missing == []


def test_every_python_package_folder_travels_in_the_wheel():
    """A sub-package left out of [tool.setuptools] packages imports from a checkout but not
    from a plain `pip install .` (api/profiles once did exactly that)."""
    import tomllib
    config = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]
    shipped = {(REPO / folder).resolve() for folder in config["package-dir"].values()}
    folders = {init.parent.resolve() for layer in ("skillsgraph", "loader", "store", "api")
               for init in (REPO / layer).rglob("__init__.py")}
    assert sorted(str(f) for f in folders - shipped) == []
    assert set(config["packages"]) == set(config["package-dir"])
