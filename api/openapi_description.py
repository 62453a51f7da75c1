"""What /openapi.json says of each route: the answers it really sends, the rules it really checks.

Routes declare what a 200 holds and which errors they send with `answers()` (every error is the
short plain-text message of api/app.py's handlers), the formats `?format=` selects with
`format_parameter()`, and their parameters' rules (patterns, lengths, enums) in their Query and
Path declarations, as the handlers check them. `install()` then corrects the two things
FastAPI's generator states for every route whatever it declares: a 422 with a JSON body for a
bad parameter (this server answers 400 with text, api/app.py), and optional parameters that may be `null`
(a query string has no null: a parameter is given or absent).
"""
from __future__ import annotations

from typing import Iterable

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from .representations import FORMAT_PARAMS, JSONLD

TEXT = {"text/plain": {"schema": {"type": "string"}}}
RETRY_AFTER = {"Retry-After": {"description": "Seconds to wait before asking again",
                               "schema": {"type": "string", "pattern": "^[0-9]+$"}}}
ERRORS: dict[int, str] = {
    304: "Not modified: the copy the client holds (If-None-Match, If-Modified-Since) is current",
    400: "A parameter is missing, empty or malformed (the message says which, and what it takes)",
    404: "Nothing here (the message says what was looked for)",
    406: "None of the media types or profiles asked for is served here (the message lists those that are)",
    413: "The request or the query is larger than this server accepts (the message gives the limit)",
    429: "Too many requests from this client at once; Retry-After says when to send the next",
    503: "Past the time limit, or every place to run taken (the message says which); Retry-After when busy",
}
# What a resource answers besides its 200, whatever its kind: 400 for a bad ?format=, 406 for an Accept it
# cannot meet, 304 for a current copy.
NEGOTIATED = (304, 400, 406)
JSON_OBJECT = {"type": "object"}
# A JSON-LD document of this server: one object with its context (api/representations.py).
JSONLD_DOCUMENT = {"type": "object", "required": ["@context"]}


def error(code: int) -> dict:
    """The declaration of one error answer (304 has no body)."""
    declared: dict = {"description": ERRORS[code]}
    if code != 304:
        declared["content"] = TEXT
    if code in (429, 503):
        declared["headers"] = RETRY_AFTER
    return declared


def answers(media: Iterable[str], errors: Iterable[int] = (), *, description: str = "The answer",
            schemas: dict[str, dict] | None = None, extra: dict[int, dict] | None = None) -> dict:
    """A route's `responses=`: its 200 in each media type (with a body schema where one is given),
    then its errors."""
    content = {m: ({"schema": (schemas or {})[m]} if m in (schemas or {}) else {}) for m in media}
    declared: dict = {200: {"description": description, "content": content}}
    declared.update({code: error(code) for code in sorted(set(errors))})
    declared.update(extra or {})
    return declared


def redirect(description: str) -> dict[int, dict]:
    return {303: {"description": description,
                  "headers": {"Location": {"description": "Where it is", "schema": {"type": "string"}}}}}


def format_parameter(offers: Iterable[str]) -> dict:
    """`openapi_extra=` of a route whose `?format=` picks one of these media types (api/representations.py)."""
    offers = list(offers)
    names = [name for name, media in FORMAT_PARAMS.items() if media in offers]
    return {"parameters": [{
        "name": "format", "in": "query", "required": False, "schema": {"type": "string", "enum": names},
        "description": "The format, instead of Accept: " + ", ".join(names) + "."}]}


def negotiated(offers: Iterable[str], errors: Iterable[int] = (), *, schemas: dict[str, dict] | None = None,
               description: str = "The answer, in the format negotiated", extra: dict[int, dict] | None = None) -> dict:
    """The keyword arguments of a route negotiated by Accept or ?format= among these media types:
    its answers (the negotiation's errors included) and its `format` parameter. A JSON-LD answer
    is an object with its @context unless `schemas` says more."""
    offers = list(offers)
    schemas = {JSONLD: JSONLD_DOCUMENT, **(schemas or {})}
    return {"responses": answers(offers, [*NEGOTIATED, *errors], description=description,
                                 schemas={m: s for m, s in schemas.items() if m in offers}, extra=extra),
            "openapi_extra": format_parameter(offers)}


def _corrected(document: dict) -> dict:
    for path in document.get("paths", {}).values():
        for operation in path.values():
            responses = operation.get("responses", {})
            # FastAPI checks the query's parameters (required, typed, bounded): 400 then; a path
            # parameter here is any text, checked (if at all) by its route, which declares what it sends.
            queried = any(p.get("in") == "query" for p in operation.get("parameters", []))
            if responses.pop("422", None) is not None and queried:
                responses.setdefault("400", error(400))
            for parameter in operation.get("parameters", []):
                schema = parameter.get("schema", {})
                options = [s for s in schema.pop("anyOf", []) if s.get("type") != "null"]
                if options:
                    schema.update(options[0])
    schemas = document.get("components", {}).get("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    if "components" in document and not schemas:
        document["components"].pop("schemas", None)
        if not document["components"]:
            document.pop("components")
    return document


def install(app: FastAPI) -> None:
    """Serve the corrected description at /openapi.json (made once, at its first request)."""

    def openapi() -> dict:
        if app.openapi_schema is None:
            app.openapi_schema = _corrected(get_openapi(
                title=app.title, version=app.version, openapi_version=app.openapi_version,
                description=app.description, routes=app.routes))
        return app.openapi_schema
    app.openapi = openapi


__all__ = ["answers", "error", "format_parameter", "install", "negotiated", "redirect", "NEGOTIATED",
           "JSONLD_DOCUMENT", "JSON_OBJECT"]
