"""Where an external SPARQL server answers, and how to sign in to write to it.

Each server puts the three standard protocols somewhere of its own, so each URL is a setting;
a preset (`--engine`) fills in the usual layout from one base URL:

  oxigraph   BASE/query, BASE/update, BASE/store                  (`oxigraph serve`)
  virtuoso   BASE/sparql, BASE/sparql-auth, BASE/sparql-graph-crud-auth  (digest sign-in)
  fuseki     BASE/query, BASE/update, BASE/data                   (BASE is the dataset's URL)

Any of the three may be given on its own instead (a GraphDB repository, Neptune, a proxy).
Reading needs the query URL only; `skillsgraph publish` also writes, through the update and
Graph Store URLs, signed in with the user and password of the environment
(SKILLSGRAPH_SPARQL_USER, SKILLSGRAPH_SPARQL_PASSWORD) by HTTP basic or digest
authentication (SKILLSGRAPH_SPARQL_AUTH; the preset's by default). The password is kept out
of every repr, log line and error message.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Mapping

import httpx

ENGINES = ("oxigraph", "virtuoso", "fuseki")
# (query, update, Graph Store) paths under the base URL, and the sign-in the engine expects.
PRESETS = {
    "oxigraph": ("/query", "/update", "/store", "basic"),
    "virtuoso": ("/sparql", "/sparql-auth", "/sparql-graph-crud-auth", "digest"),
    "fuseki": ("/query", "/update", "/data", "basic"),
}
AUTH_SCHEMES = ("basic", "digest")


class EndpointError(ValueError):
    """The endpoint settings do not name a usable server; the message says which setting."""


@dataclass(frozen=True)
class Credentials:
    user: str
    password: str = field(repr=False)
    scheme: str = "basic"

    def auth(self) -> httpx.Auth:
        if self.scheme == "digest":
            return httpx.DigestAuth(self.user, self.password)
        return httpx.BasicAuth(self.user, self.password)

    def hide(self, text: str) -> str:
        """The text with the password blanked out, wherever a server or a library echoed it."""
        return text.replace(self.password, "***") if self.password else text


@dataclass(frozen=True)
class Endpoints:
    query: str
    update: str | None = None
    graph_store: str | None = None
    engine: str = "oxigraph"
    credentials: Credentials | None = None

    @classmethod
    def oxigraph(cls, base: str) -> "Endpoints":
        return preset("oxigraph", base)

    def hide(self, text: str) -> str:
        return self.credentials.hide(text) if self.credentials else text


def preset(engine: str, base: str, credentials: Credentials | None = None) -> Endpoints:
    if engine not in PRESETS:
        raise EndpointError(f"unknown engine {engine!r}: choose one of {', '.join(ENGINES)}")
    if not base.startswith(("http://", "https://")):
        raise EndpointError(f"the SPARQL server's address must be an http(s) URL: got {base!r}")
    base = base.rstrip("/")
    query, update, graph_store, _ = PRESETS[engine]
    return Endpoints(base + query, base + update, base + graph_store, engine, credentials)


def credentials_from(env: Mapping[str, str], engine: str) -> Credentials | None:
    user = env.get("SKILLSGRAPH_SPARQL_USER")
    if not user:
        return None
    scheme = env.get("SKILLSGRAPH_SPARQL_AUTH") or PRESETS.get(engine, PRESETS["oxigraph"])[3]
    if scheme not in AUTH_SCHEMES:
        raise EndpointError(f"SKILLSGRAPH_SPARQL_AUTH must be one of {', '.join(AUTH_SCHEMES)}: got {scheme!r}")
    return Credentials(user, env.get("SKILLSGRAPH_SPARQL_PASSWORD", ""), scheme)


def endpoints_from(base: str | None, engine: str | None = None, query: str | None = None, update: str | None = None,
                   graph_store: str | None = None, env: Mapping[str, str] = os.environ) -> Endpoints:
    """The endpoints of options given, else of the environment (SKILLSGRAPH_SPARQL_ENDPOINT,
    _ENGINE, _QUERY_URL, _UPDATE_URL, _STORE_URL): a preset over the base URL, each URL given
    on its own replacing the preset's."""
    base = base or env.get("SKILLSGRAPH_SPARQL_ENDPOINT")
    engine = engine or env.get("SKILLSGRAPH_SPARQL_ENGINE") or "oxigraph"
    query = query or env.get("SKILLSGRAPH_SPARQL_QUERY_URL")
    update = update or env.get("SKILLSGRAPH_SPARQL_UPDATE_URL")
    graph_store = graph_store or env.get("SKILLSGRAPH_SPARQL_STORE_URL")
    credentials = credentials_from(env, engine)
    if base:
        made = preset(engine, base, credentials)
    elif query:
        if engine not in PRESETS:
            raise EndpointError(f"unknown engine {engine!r}: choose one of {', '.join(ENGINES)}")
        made = Endpoints(query, None, None, engine, credentials)
    else:
        raise EndpointError("no SPARQL server given: --to / --sparql-endpoint URL (or SKILLSGRAPH_SPARQL_ENDPOINT), "
                            "or the query URL alone (SKILLSGRAPH_SPARQL_QUERY_URL)")
    return Endpoints(query or made.query, update or made.update, graph_store or made.graph_store, engine, credentials)
