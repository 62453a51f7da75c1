"""The API in-process: `create_app` over a store from `open_store`, called through httpx.

Registered as a pytest plugin by conftest.py. This is the one seam the API tests use
(`skillsgraph.api.app.create_app(settings, store, limits)` over
`skillsgraph.store.factory.open_store(kind, home, build_file, extras, sparql_endpoint)`):
no port, no process, no server start. Each data set is built once per session and each
store is opened once per session and kind; its app is called by a plain `httpx.Client`
whose transport hands every request to httpx's `ASGITransport` on one event loop thread,
so tests stay synchronous and may send requests from several threads at once.

What still needs a real uvicorn process (a socket, the process itself) uses
server_fixtures.py instead; each test module's docstring says which it uses and why.
"""
from __future__ import annotations

import os
import shutil
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import anyio.from_thread
import httpx
import pytest

from server_fixtures import (
    API_KINDS, EXTERNAL_KINDS, NAMESPACE, PUBLISHED_KINDS, W3C_EXTRAS, bundled_entries, start_external,
)
from seeded_homes import bundled_seed, loaded_seed, seed_home
from versioned_support import versioned_data

# The host the in-process apps answer as: every URL a test builds or an app writes is on it.
BASE_URL = "http://testserver"


class _PortalTransport(httpx.BaseTransport):
    """A synchronous transport that runs each request through ASGITransport on the portal's loop."""

    def __init__(self, app, portal: anyio.from_thread.BlockingPortal):
        # App errors become the app's own 500 answer, as behind a real server, not a test-side exception.
        self._asgi = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        self._portal = portal

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self._portal.call(self._send, request)

    async def _send(self, request: httpx.Request) -> httpx.Response:
        response = await self._asgi.handle_async_request(request)
        body = b"".join([chunk async for chunk in response.stream])  # raw bytes: the client decodes them
        await response.aclose()
        # A stream, not content=: the headers stay the app's own (content= would add a Content-Length).
        return httpx.Response(response.status_code, headers=response.headers, stream=httpx.ByteStream(body),
                              extensions=response.extensions)


@dataclass
class InProcessApi:
    """One app over one opened store, with the same attributes as server_fixtures.LiveServer."""
    client: httpx.Client
    namespace: str
    home: Path
    store: str
    base_url: str = BASE_URL
    published: int = 0   # how many of the bundled crosswalks and classifications it serves

    def url_for(self, iri: str) -> str:
        """The URL at which an IRI minted under the namespace dereferences."""
        assert iri.startswith(self.namespace), iri
        return self.base_url + "/" + iri[len(self.namespace):]


class Apps:
    """Opens stores and apps, keeps them for the session, and closes them (and any external
    SPARQL server behind a `sparql` store) at its end. An external kind's server is started
    empty, loaded by skillsgraph.store.publish as `skillsgraph publish` loads it, and read
    through the `sparql` store."""

    def __init__(self) -> None:
        self._stack = ExitStack()
        self._portal = self._stack.enter_context(anyio.from_thread.start_blocking_portal(name="asgi-apps"))
        self._cache: dict[tuple, InProcessApi] = {}
        self._stores: dict[tuple, object] = {}

    def store(self, kind: str, home: Path, build_file: Path, extras: list[tuple[Path, str | None]]):
        """The store of this kind over this build and these extras, opened once."""
        from skillsgraph.store.factory import open_store
        key = (kind, home)
        if key not in self._stores:
            endpoints = None
            if kind in EXTERNAL_KINDS:
                endpoints = self.external(kind, home, [(build_file, None), *extras])
            store = open_store("sparql" if endpoints else kind, home, build_file, extras, endpoints)
            self._stack.callback(store.close)
            self._stores[key] = store
        return self._stores[key]

    def external(self, kind: str, home: Path, files: list[tuple[Path, str | None]]):
        """A new server of this external kind holding these files, published; its endpoints."""
        from skillsgraph.store.publish import Publisher
        external = start_external(kind, home)
        self._stack.callback(external.stop)
        publisher = Publisher(external.endpoints)
        publisher.publish(files)
        publisher.close()
        return external.endpoints

    def app(self, kind: str, home: Path, build_file: Path, extras: list[tuple[Path, str | None]],
            limits=None, env: dict[str, str] | None = None) -> InProcessApi:
        """An app over that store with these limits, made once; `env` is set while it is made.
        Its `published` counts the bundled published graphs when extras hold them (published_extras)."""
        from skillsgraph.api.app import create_app
        from skillsgraph.config import Settings
        from skillsgraph.store.base import Limits
        limits = limits or Limits()
        key = (kind, home, limits, tuple(sorted((env or {}).items())))
        if key not in self._cache:
            store = self.store(kind, home, build_file, extras)
            with pytest.MonkeyPatch.context() as patch:
                for name, value in (env or {}).items():
                    patch.setenv(name, value)
                app = create_app(Settings(namespace=NAMESPACE, home=home), store, limits)
            client = httpx.Client(transport=_PortalTransport(app, self._portal), base_url=BASE_URL, timeout=120)
            self._stack.callback(client.close)
            served = sum(1 for path, _ in extras if path.name == PUBLISHED_FILE)
            self._cache[key] = InProcessApi(client, NAMESPACE, home, kind, published=bundled_entries() if served else 0)
        return self._cache[key]

    def close(self) -> None:
        self._stack.close()


# Where `skillsgraph build` writes the graphs of the bundled published files, beside the build.
PUBLISHED_FILE = "published.nq"


def published_extras(kind: str, published_file: Path) -> list[tuple[Path, str | None]]:
    """The bundled published graphs beside the build, on the kinds server_fixtures.PUBLISHED_KINDS
    names (as `serve` adds them to the default store)."""
    return [(published_file, None)] if kind in PUBLISHED_KINDS else []


def write_build(home: Path, nquads: bytes) -> Path:
    """A home holding this build as `skillsgraph serve` would leave it: $HOME/skillsgraph.nq."""
    home.mkdir(parents=True, exist_ok=True)
    build_file = home / "skillsgraph.nq"
    build_file.write_bytes(nquads)
    return build_file


@pytest.fixture(scope="session")
def apps():
    opened = Apps()
    yield opened
    opened.close()


# ---- the bundled data, with the W3C protocol graphs loaded as `serve --load` loads them --------

def copy_published(published_build, home: Path) -> Path:
    """The build's published graphs, copied into home as `skillsgraph build` leaves them there."""
    target = home / PUBLISHED_FILE
    shutil.copy2(published_build.published_file, target)
    return target


def seed_published_cache(published_build, home: Path) -> Path:
    """home's cache of published graphs, as any earlier build of the bundled files leaves it: a
    build or `serve` in home then reads the bundled published files' graphs from it (their keys
    are the files' checksums) instead of importing them again (about 25 s)."""
    target = home / "cache" / "published"
    shutil.copytree(published_build.home / "cache" / "published", target)
    return target


@pytest.fixture(scope="session")
def bundled_home(tmp_path_factory, published_build) -> Path:
    """A home as `serve` leaves it for the bundled data: the build, its published graphs and the
    store of both (a copy of the run's seeded home: seeded_homes.py)."""
    return seed_home(bundled_seed(tmp_path_factory, published_build), tmp_path_factory.mktemp("app-home"))


def bundled_extras(kind: str, home: Path) -> list[tuple[Path, str | None]]:
    """What a store of the bundled data holds beside the build (a store is opened once per kind
    and home, so every opener of bundled_home's passes these)."""
    return published_extras(kind, home / PUBLISHED_FILE) + W3C_EXTRAS


def bundled_app(apps: Apps, kind: str, home: Path, limits=None) -> InProcessApi:
    return apps.app(kind, home, home / "skillsgraph.nq", bundled_extras(kind, home), limits)


@pytest.fixture(scope="session")
def api(request, apps, bundled_home) -> InProcessApi:
    """The bundled data in-process, once per store kind (the kinds' stores stay open all session):
    conftest.pytest_generate_tests gives each module its kinds (API_KINDS, and virtuoso for the
    modules of conftest.ON_EVERY_ENGINE)."""
    return bundled_app(apps, request.param, bundled_home)


# ---- the two-release data (tests/releases) ---------------------------------------------------------

@dataclass
class Versioned:
    """data/ plus the second release (at home/data), built once: what the build links is shared
    by the graph tests of test_versioning and the apps below."""
    home: Path
    data: Path
    build: object  # skillsgraph.loader.build.build()'s result
    nquads: bytes


@pytest.fixture(scope="session")
def versioned(tmp_path_factory, published_build) -> Versioned:
    """Built in each session (its graph tests read the build's result); the home, with its store
    loaded, is a copy of the run's (seeded_homes.py), and holds the same build."""
    from skillsgraph.loader.build import build as run_build

    def fill(home: Path) -> list[tuple[Path, str | None]]:
        from skillsgraph.loader.inputs import build_inputs, write_build as write_stamped
        data = versioned_data(home)
        # With its input stamp, as `skillsgraph build --data` leaves it: `serve --data` finds it current.
        write_stamped(home / "skillsgraph.nq", run_build(data, NAMESPACE, workers=1).nquads,
                      build_inputs(data, NAMESPACE).digest)
        shutil.rmtree(data)
        # Its published files are data/'s, so the build would write the same published graphs.
        shutil.copy2(published_build.home / "published.inputs", home / "published.inputs")
        return published_extras("oxigraph", copy_published(published_build, home)) + W3C_EXTRAS
    home = seed_home(loaded_seed(tmp_path_factory, "versioned-seed", fill), tmp_path_factory.mktemp("versioned-home"))
    data = versioned_data(home)
    build = run_build(data, NAMESPACE, workers=1)
    assert build.nquads == (home / "skillsgraph.nq").read_bytes(), "the same data builds the same graphs"
    return Versioned(home, data, build, build.nquads)


def versioned_app(apps: Apps, kind: str, versioned: Versioned, env: dict[str, str] | None = None) -> InProcessApi:
    extras = published_extras(kind, versioned.home / PUBLISHED_FILE) + W3C_EXTRAS
    return apps.app(kind, versioned.home, versioned.home / "skillsgraph.nq", extras, env=env)


@pytest.fixture(scope="session", params=API_KINDS)
def versioned_api(request, apps, versioned) -> InProcessApi:
    """The two-release data in-process, once per store kind."""
    return versioned_app(apps, request.param, versioned)


def first_store_kind() -> str:
    """The store kind of single-kind app tests: the first of SKILLSGRAPH_TEST_STORES."""
    return os.environ.get("SKILLSGRAPH_TEST_STORES", "oxigraph").split(",")[0]
