"""The static files' route (the home, `/`, is api/home.py's)."""
from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.staticfiles import StaticFiles

from .frame import STATIC_DIR

router = APIRouter()
_static = StaticFiles(directory=STATIC_DIR)


@router.get("/static/{path:path}", include_in_schema=False)
async def static(path: str, request: Request) -> Response:
    """Styles, scripts and the vendored query editor; never anything from elsewhere."""
    try:
        response = await _static.get_response(path, request.scope)
    except StarletteHTTPException as exc:
        raise HTTPException(exc.status_code, detail=f"no static file {path!r}") from None
    if response.status_code == 200:
        response.headers["Cache-Control"] = "public, max-age=3600"
    return response
