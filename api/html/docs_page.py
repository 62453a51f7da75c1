"""/docs: Swagger UI over the app's OpenAPI description, from the copy vendored under static/."""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse

from .frame import Page

router = APIRouter()


@router.get("/docs", include_in_schema=False)
def docs(request: Request) -> HTMLResponse:
    page = Page(request)
    return get_swagger_ui_html(
        openapi_url=page.to("openapi.json"), title=f"{request.app.title} API",
        swagger_js_url=page.to("static/swagger-ui/swagger-ui-bundle.js"),
        swagger_css_url=page.to("static/swagger-ui/swagger-ui.css"),
        swagger_favicon_url=page.to("static/favicon.svg"),
        # The validator badge would ask validator.swagger.io about the description.
        swagger_ui_parameters={"validatorUrl": None})
