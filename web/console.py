"""The console as the composition root sees it: one router with every page, and the page errors.

bot/main.py includes `console_router()` beside the features' API routers and calls
`install_page_errors(app)`: the console's own errors become pages (a redirect to the login,
a 404 or 403 page in plain Spanish) while the API keeps answering JSON.
"""

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from web.deps import CsrfRefused, LoginRequired, PageNotFound
from web.pages import (
    alliances,
    auth,
    ballot_forms,
    ballots,
    barrio,
    comparison,
    convocatorias,
    data_log,
    overview,
    pdl,
    poster,
    programme,
    static,
    summary,
    surveys,
    team,
)
from web.templating import render

PREFIX = "/consola"


def console_router() -> APIRouter:
    router = APIRouter(include_in_schema=False)  # pages are not API: /docs and the API tests leave them out
    for page in (static, auth, overview, barrio, poster, surveys, summary, ballots, ballot_forms, convocatorias, team,
                 programme, pdl, alliances, comparison, data_log):
        router.include_router(page.router, prefix=PREFIX)
    return router


def install_page_errors(app: FastAPI) -> None:
    @app.exception_handler(LoginRequired)
    async def login_required(_request: Request, _exc: LoginRequired) -> Response:
        return RedirectResponse(f"{PREFIX}/ingresar", status_code=303)

    @app.exception_handler(PageNotFound)
    async def not_found(request: Request, _exc: PageNotFound) -> HTMLResponse:
        return render(request, "error.html", status=404, code=404)

    @app.exception_handler(CsrfRefused)
    async def csrf_refused(request: Request, _exc: CsrfRefused) -> HTMLResponse:
        return render(request, "error.html", status=403, code=403)
