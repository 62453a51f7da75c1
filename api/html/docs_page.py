"""/docs: Swagger UI over the app's OpenAPI description, from the copy vendored under static/.

Started by static/docs.js, not by an inline script, so that the page's Content-Security-Policy
(api/security_headers.py) can refuse every script this server does not serve as a file.
"""
from __future__ import annotations

from html import escape

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from .frame import Page

router = APIRouter()


@router.get("/docs", include_in_schema=False)
async def docs(request: Request) -> HTMLResponse:
    page = Page(request)

    def to(path: str) -> str:
        return escape(page.to(path), quote=True)
    title = escape(f"{request.app.title} API")
    # The validator badge would ask validator.swagger.io about the description: left out (docs.js).
    return HTMLResponse(f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="{to('static/swagger-ui/swagger-ui.css')}">
<link rel="icon" href="{to('static/favicon.svg')}">
<title>{title}</title>
</head>
<body>
<div id="swagger-ui" data-openapi="{to('openapi.json')}"></div>
<script src="{to('static/swagger-ui/swagger-ui-bundle.js')}"></script>
<script src="{to('static/docs.js')}"></script>
</body>
</html>
""")
