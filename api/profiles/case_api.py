"""The CASE 1.1 REST API's read endpoints under /ims/case/v1p1/, as 1EdTech's OpenAPI describes them.

What a CASE consumer (OpenSALT, a CASE Network mirror) asks for: the CFDocuments, then a
document's CFPackage, then any CFItem, CFAssociation, definition or rubric by its sourcedId.
Every body is the JSON of the OpenAPI's component for that answer, from the one mapping of
profiles/case.py (the same the `case` profile serves). Errors are the OpenAPI's
imsx_StatusInfo payload: 404 for an unknown or malformed sourcedId (as the OpenAPI says),
400 for a bad paging, sorting, filtering or field-selection parameter.
"""
from __future__ import annotations

import json
import re
from typing import Callable

from fastapi import APIRouter, Path, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from ..openapi_description import answers, error
from ..representations import etag_for
from ..store_access import Reader, reader
from .case_catalogue import CaseCatalogue
from .locations import CASE_PATH, Locations

router = APIRouter()
PREFIX = "/" + CASE_PATH.rstrip("/")
JSON = "application/json"
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")
# getOne endpoints: the collection, and what it answers (for the OpenAPI page).
SINGLE = {
    "CFDocuments": "A CFDocument (CFDocumentDType)", "CFPackages": "A whole framework (CFPackageDType)",
    "CFItems": "A CFItem (CFItemDType)", "CFItemAssociations": "A CFItem and its associations (CFAssociationSetDType)",
    "CFAssociations": "A CFAssociation (CFAssociationDType)", "CFItemTypes": "A CFItemType (CFItemTypeSetDType)",
    "CFLicenses": "A CFLicense (CFLicenseDType)", "CFConcepts": "A durable-skill domain (CFConceptSetDType)",
    "CFSubjects": "The occupation a framework is for (CFSubjectSetDType)",
    "CFRubrics": "A level scale as a rubric, the groups written at its levels its criteria (CFRubricDType)",
    "CFAssociationGroupings": "The grouping of the machine-suggested source anchors (CFAssociationGroupingDType)",
}
# The CFDocument fields a list may be sorted or filtered by (those of a plain value).
LIST_FIELDS = ("identifier", "uri", "frameworkType", "caseVersion", "creator", "title", "lastChangeDateTime",
               "officialSourceURL", "publisher", "description", "language", "version", "adoptionStatus", "notes")
FILTER_PART = re.compile(r"\s*(\w+)\s*(!=|=|~)\s*'([^']*)'\s*")
# The OpenAPI's imsx_StatusInfo, the body of every error here.
STATUS_INFO = {"type": "object", "required": ["imsx_codeMajor", "imsx_severity", "imsx_description"],
               "properties": {"imsx_codeMajor": {"const": "failure"}, "imsx_severity": {"const": "error"},
                              "imsx_description": {"type": "string"}, "imsx_codeMinor": {"type": "object"}}}
# The case-insensitive form of UUID (sourcedId is lowered first).
UUID_PATTERN = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-5][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$"


def _answers(*errors: int, **kwargs) -> dict:
    """A 200 in JSON (304 for a current copy), each error an imsx_StatusInfo."""
    failures = {code: {**error(code), "content": {JSON: {"schema": STATUS_INFO}}} for code in errors}
    return answers([JSON], [304], schemas={JSON: {"type": "object"}}, extra=failures, **kwargs)


class CaseError(Exception):
    def __init__(self, status: int, minor: str, field: str, description: str):
        super().__init__(description)
        self.status, self.minor, self.field, self.description = status, minor, field, description

    def response(self) -> Response:
        body = {"imsx_codeMajor": "failure", "imsx_severity": "error", "imsx_description": self.description,
                "imsx_codeMinor": {"imsx_codeMinorField": [{"imsx_codeMinorFieldName": self.field,
                                                            "imsx_codeMinorFieldValue": self.minor}]}}
        return Response(json.dumps(body, ensure_ascii=False).encode("utf-8"), status_code=self.status, media_type=JSON)


def _catalogue(request: Request) -> CaseCatalogue:
    state = request.app.state
    return state.generation.kept("CASE catalogue", lambda: CaseCatalogue(state.settings.namespace))


def _json(request: Request, doc: dict, headers: dict[str, str] | None = None) -> Response:
    body = json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8")
    etag = etag_for(body)
    all_headers = {"ETag": etag, "Cache-Control": "public, max-age=300", **(headers or {})}
    if etag in [t.strip() for t in request.headers.get("if-none-match", "").split(",")]:
        return Response(status_code=304, headers=all_headers)
    return Response(body, media_type=JSON, headers=all_headers)


async def _answer(request: Request, work: Callable[[Reader, CaseCatalogue, Locations], tuple[dict, dict]]) -> Response:
    try:
        doc, headers = await run_in_threadpool(work, reader(request), _catalogue(request), Locations.of(request))
    except CaseError as e:
        return e.response()
    return _json(request, doc, headers)


# ---- getAllCFDocuments ---------------------------------------------------------------------------

@router.get(PREFIX + "/CFDocuments", summary="CASE 1.1: every framework release as a CFDocument",
            description="getAllCFDocuments: `limit` and `offset` page (X-Total-Count and Link rel=next/prev/first/last "
                        "say where the others are), `sort` and `orderBy` (asc|desc) order, `filter` selects "
                        "(field='value', field!='value' or field~'part', joined by AND), `fields` picks fields.",
            responses=_answers(400, 404))
async def documents(request: Request,
                    # Read by _paging (its errors are the OpenAPI's), documented as what it takes.
                    limit: str | None = Query(None, json_schema_extra={"type": "integer", "minimum": 1},
                                              description="How many CFDocuments (default: all)"),
                    offset: str | None = Query(None, json_schema_extra={"type": "integer", "minimum": 0},
                                               description="How many to skip (default 0)"),
                    sort: str | None = Query(None, json_schema_extra={"enum": list(LIST_FIELDS)}),
                    orderBy: str | None = Query(None, json_schema_extra={"enum": ["asc", "desc"]}),  # noqa: N803
                    filter: str | None = Query(None, description="field='value', field!='value' or field~'part', "
                                                                "joined by AND"),  # noqa: A002
                    fields: list[str] = Query([], description="The CFDocument fields to give (comma-separated, "
                                                              "or repeated)")) -> Response:
    params = request.query_params

    def work(store: Reader, catalogue: CaseCatalogue, where: Locations) -> tuple[dict, dict]:
        docs = catalogue.documents(store, where)
        docs = _filtered(docs, params.get("filter"))
        docs = _sorted(docs, params.get("sort"), params.get("orderBy"))
        limit, offset = _paging(params.get("limit"), params.get("offset"), len(docs))
        page = [_fields(d, params.getlist("fields")) for d in docs[offset:offset + limit]]
        if not page:
            raise CaseError(404, "unknownobject", "offset", f"no CFDocuments from offset {offset} (there are {len(docs)})")
        headers = {"X-Total-Count": str(len(docs)), "Link": _paging_links(request, limit, offset, len(docs))}
        return {"CFDocuments": page}, headers
    return await _answer(request, work)


def _int(value: str | None, name: str, default: int, least: int) -> int:
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise CaseError(400, "invalid_selection_field", name, f"{name}={value!r} is not a whole number") from None
    if number < least:
        raise CaseError(400, "invalid_selection_field", name, f"{name}={value!r}: the least is {least}")
    return number


def _paging(limit: str | None, offset: str | None, total: int) -> tuple[int, int]:
    return _int(limit, "limit", max(total, 1), 1), _int(offset, "offset", 0, 0)


def _paging_links(request: Request, limit: int, offset: int, total: int) -> str:
    base = request.url.remove_query_params(["limit", "offset"])
    pages = {"first": 0, "last": max(total - 1, 0) // limit * limit}
    if offset + limit < total:
        pages["next"] = offset + limit
    if offset > 0:
        pages["prev"] = max(offset - limit, 0)
    return ", ".join(f'<{base.include_query_params(limit=limit, offset=at)}>; rel="{rel}"' for rel, at in pages.items())


def _sorted(docs: list[dict], sort: str | None, order: str | None) -> list[dict]:
    if order is not None and order not in ("asc", "desc"):
        raise CaseError(400, "invalid_sort_field", "orderBy", f"orderBy={order!r}: use asc or desc")
    if sort is None:
        return docs[::-1] if order == "desc" else docs
    if sort not in LIST_FIELDS:
        raise CaseError(400, "invalid_sort_field", "sort", f"cannot sort by {sort!r}; fields: {', '.join(LIST_FIELDS)}")
    return sorted(docs, key=lambda d: (d.get(sort) or "", d["identifier"]), reverse=order == "desc")


def _filtered(docs: list[dict], expression: str | None) -> list[dict]:
    if expression is None:
        return docs
    for part in re.split(r"\s+AND\s+", expression.strip()):
        m = FILTER_PART.fullmatch(part)
        if m is None or m.group(1) not in LIST_FIELDS:
            raise CaseError(400, "invalid_selection_field", "filter",
                            f"cannot filter by {part!r}: give field='value', field!='value' or field~'part' "
                            f"(joined by AND), fields: {', '.join(LIST_FIELDS)}")
        name, op, wanted = m.groups()
        test = {"=": lambda v: v == wanted, "!=": lambda v: v != wanted, "~": lambda v: wanted.lower() in v.lower()}[op]
        docs = [d for d in docs if test(str(d.get(name, "")))]
    return docs


def _fields(doc: dict, wanted: list[str]) -> dict:
    names = [n.strip() for value in wanted for n in value.split(",") if n.strip()]
    if not names:
        return doc
    unknown = [n for n in names if n not in doc and n not in LIST_FIELDS]
    if unknown:
        raise CaseError(400, "invalid_selection_field", "fields", f"no CFDocument field {', '.join(unknown)}")
    return {k: v for k, v in doc.items() if k in names}


# ---- getCFxxx/{sourcedId} -------------------------------------------------------------------------

def _single(collection: str):
    async def one(request: Request, sourcedId: str = Path(..., json_schema_extra={"pattern": UUID_PATTERN})  # noqa: N803
                  ) -> Response:
        def work(store: Reader, catalogue: CaseCatalogue, where: Locations) -> tuple[dict, dict]:
            identifier = sourcedId.lower()
            if not UUID.fullmatch(identifier):
                raise CaseError(404, "invalid_uuid", "sourcedId", f"{sourcedId!r} is not a UUID")
            release = catalogue.owner(store, identifier)
            found = catalogue.framework(store, release, where).answer(collection, identifier) if release else None
            if found is None:
                raise CaseError(404, "unknownobject", "sourcedId", f"no {collection[:-1]} {identifier} here")
            return found, {}
        return await _answer(request, work)
    return one


for _name, _summary in SINGLE.items():
    # The OpenAPI's operation: getCFItem, getCFItemAssociations (plural there), ...
    _operation = "get" + (_name if _name == "CFItemAssociations" else _name[:-1])
    router.add_api_route(f"{PREFIX}/{_name}/{{sourcedId}}", _single(_name), methods=["GET"], operation_id=_operation,
                         summary=f"CASE 1.1: {_summary}", description=f"{_operation}: by its UUID (sourcedId).",
                         responses=_answers(404))


@router.get(PREFIX + "/{rest:path}", include_in_schema=False)
async def unknown(rest: str) -> Response:
    return CaseError(404, "unknownobject", "path", f"no CASE 1.1 endpoint {PREFIX}/{rest}; read endpoints: "
                     + ", ".join(["CFDocuments", *(f"{n}/{{sourcedId}}" for n in SINGLE)])).response()


__all__ = ["router"]
