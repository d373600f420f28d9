"""The API's documentation page, /docs, served with no CDN: Swagger UI's files come from this server.

FastAPI's own page loads Swagger UI from a CDN at run time; a deployment without one, or
an operator who wants the page to load nothing from elsewhere, gets a blank page. Here the
page is FastAPI's, pointed at Swagger UI's JavaScript, CSS and icon as installed with the
`fastapi-offline` package, served under ASSETS; the page's Content-Security-Policy can then
say 'self' (api/kernel/headers.py).
"""

from importlib.resources import files

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS = "/docs-assets"
SWAGGER_UI = files("fastapi_offline") / "static"


def install_docs(app: FastAPI, *, title: str, openapi_url: str) -> None:
    """GET /docs and Swagger UI's files under ASSETS."""
    app.mount(ASSETS, StaticFiles(directory=str(SWAGGER_UI)), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    def docs(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return get_swagger_ui_html(
            openapi_url=root + openapi_url, title=title,
            swagger_js_url=f"{root}{ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{root}{ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{root}{ASSETS}/favicon.png",
            oauth2_redirect_url=None,
        )
