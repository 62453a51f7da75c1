"""A data folder with the second, changed release of the reference framework
(tests/releases/29-1129.01-v26.11.yaml) beside the bundled one, and a real server over it."""
from __future__ import annotations

import shutil
from pathlib import Path

from server_fixtures import LiveServer, start_oxigraph_server, start_server, stop_server

RELEASES_DIR = Path(__file__).resolve().parent / "releases"
SECOND_RELEASE = RELEASES_DIR / "29-1129.01-v26.11.yaml"
CODE = "29-1129.01"
OLD, NEW = f"framework/{CODE}/v26.05", f"framework/{CODE}/v26.11"


def versioned_data(target: Path) -> Path:
    """data/ copied to target/data, with the second release added as a framework file of its own."""
    from graph_support import copy_data
    data = copy_data(target)
    shutil.copy(SECOND_RELEASE, data / "frameworks" / SECOND_RELEASE.name)
    return data


def start_versioned(home: Path, kind: str, env: dict | None = None) -> tuple[LiveServer, object]:
    """A server of `kind` over the versioned data; returns it and the external backend, if any."""
    data = versioned_data(home)
    args, backend = ["--store", kind, "--data", str(data)], None
    if kind == "sparql":
        backend, endpoint = start_oxigraph_server(home)
        args += ["--sparql-endpoint", endpoint]
    server = start_server(home, args, env=env, timeout=180)
    server.store = kind
    return server, backend


def stop_versioned(server: LiveServer, backend) -> None:
    stop_server(server)
    if backend is not None:
        backend.terminate()
        backend.wait(timeout=10)
