"""The official schemas of the LER formats (../shared/vocab/schemas, see its README), as validators.

Each validator checks formats too (`uri`, `date-time`: jsonschema's format checker, with the
libraries of its format-nongpl extra), as a consumer's validator does. The CASE OpenAPI's
components are reached by `$ref` through a referencing Registry, so `validate_case(doc,
"CFItemDType")` checks a body as the OpenAPI defines that component, nested `$ref`s included.
"""
from __future__ import annotations

import json
from functools import lru_cache

from jsonschema import Draft4Validator, Draft201909Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4, DRAFT201909

from server_fixtures import SHARED

SCHEMAS = SHARED / "vocab" / "schemas"
CASE_OPENAPI = SCHEMAS / "case" / "imscasev1p1_openapi3_v1p0.json"
OPENAPI_ID = "urn:skillsgraph-tests:case-openapi"
FORMATS = FormatChecker()


def _read(relative: str) -> dict:
    return json.loads((SCHEMAS / relative).read_text(encoding="utf-8"))


def errors(validator, doc) -> list[str]:
    """Every error, with where it is: '$.CFItems[3].uri: ... is not a 'uri''."""
    return [f"{e.json_path}: {e.message[:300]}" for e in validator.iter_errors(doc)]


@lru_cache(maxsize=None)
def case_package():
    return Draft201909Validator(_read("case/case_v1p1_cfpackage-jsonschema1.json"), format_checker=FORMATS)


@lru_cache(maxsize=None)
def openapi() -> dict:
    return json.loads(CASE_OPENAPI.read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def case_component(name: str):
    """A validator of one component of the CASE OpenAPI (OpenAPI 3.0 schemas are draft-04 JSON Schema)."""
    registry = Registry().with_resource(OPENAPI_ID, Resource.from_contents(openapi(), default_specification=DRAFT4))
    return Draft4Validator({"$ref": f"{OPENAPI_ID}#/components/schemas/{name}"}, registry=registry,
                           format_checker=FORMATS)


def response_component(path: str, status: str = "200") -> str:
    """The component an OpenAPI path (e.g. '/CFItems/{sourcedId}') answers with for a status."""
    ref = openapi()["paths"][path]["get"]["responses"][status]["content"]["application/json"]["schema"]["$ref"]
    return ref.rsplit("/", 1)[-1]


@lru_cache(maxsize=None)
def ob3(definition: str):
    """A validator of one $defs entry of the OB 3.0 AchievementCredential schema (Achievement, ...)."""
    schema = _read("ob3/achievementcredential.json")
    registry = Registry().with_resource(schema["$id"], Resource.from_contents(schema, default_specification=DRAFT201909))
    return Draft201909Validator({"$ref": f"{schema['$id']}#/$defs/{definition}"}, registry=registry,
                                format_checker=FORMATS)


@lru_cache(maxsize=None)
def credential_registry(type_: str):
    """The Credential Registry's schema of a ceasn:CompetencyFramework or ceasn:Competency."""
    name = {"ceasn:CompetencyFramework": "ce_registry_competency_framework.json",
            "ceasn:Competency": "ce_registry_competency.json"}[type_]
    return Draft4Validator(_read(f"ctdl/{name}"), format_checker=FORMATS)


def all_dicts(node):
    """Every JSON object in a document, itself included."""
    if isinstance(node, dict):
        yield node
        for v in node.values():
            yield from all_dicts(v)
    elif isinstance(node, list):
        for v in node:
            yield from all_dicts(v)


def types_of(node: dict) -> list[str]:
    t = node.get("@type")
    return [t] if isinstance(t, str) else list(t or [])


__all__ = ["all_dicts", "types_of", "SCHEMAS", "FORMATS", "errors", "case_package", "case_component", "response_component", "ob3",
           "credential_registry", "openapi"]
