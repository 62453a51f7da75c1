"""The wheel carries the ontology, the shapes and the bundled data: installed into a fresh
environment and run away from the source tree, it builds the same bytes as the repository."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from graph_support import NAMESPACE, REPO, run_cli

# Left out of the copy that the wheel is built from: version control, build and run output.
NOT_SOURCES = shutil.ignore_patterns(".git", "build", "dist", "var", "*.egg-info", "__pycache__", ".pytest_cache",
                                     "node_modules", "results", "*.pyc")


def run(*args, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(args, capture_output=True, timeout=300, **kwargs)
    assert result.returncode == 0, (args, result.stdout.decode(), result.stderr.decode())
    return result


def test_installed_wheel_builds_the_same_graph(tmp_path, built):
    # Build from a copy so that pip's in-tree build output never lands in the repository.
    source = tmp_path / "source"
    shutil.copytree(REPO, source, ignore=NOT_SOURCES)
    wheels = tmp_path / "wheels"
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-cache-dir", "-q", "-w", str(wheels), str(source))
    wheel = next(wheels.glob("skillsgraph-*.whl"))

    venv = tmp_path / "venv"
    # --system-site-packages provides the dependencies (and pip); the package itself comes only from the wheel.
    run(sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", str(venv))
    python = venv / "bin" / "python"
    run(str(python), "-m", "pip", "install", "--no-deps", "--no-cache-dir", "-q", str(wheel))

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    where = run(str(python), "-c", "import skillsgraph.resources as r, skillsgraph.loader.build as b; "
                "print(r.ontology_dir()); print(r.shapes_dir()); print(r.data_dir()); print(b.__file__)",
                cwd=elsewhere).stdout.decode().split()
    site = (venv / "lib").resolve()
    assert len(where) == 4 and all(Path(p).resolve().is_relative_to(site) for p in where), where

    out = tmp_path / "from-wheel.nq"
    result = run_cli("build", "--out", str(out), home=tmp_path / "home", cwd=elsewhere,
                     command=[str(venv / "bin" / "skillsgraph")], namespace=NAMESPACE)
    assert result.returncode == 0, result.stderr.decode()
    assert out.read_bytes() == built.nquads
