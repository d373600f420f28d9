"""Logging in and out, and choosing the console's language."""

import hmac
import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.kernel.deps import SessionDep
from api.staff.store import BadCredentials, Throttled, log_in, log_out
from web.deps import LOGIN_CSRF_COOKIE, SESSION_COOKIE, CsrfRefused, PostingStaff
from web.templating import CONSOLE_LANGUAGES, LANG_COOKIE, render

router = APIRouter()


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


@router.get("/ingresar", response_class=HTMLResponse)
def login_page(request: Request) -> Response:
    csrf = request.cookies.get(LOGIN_CSRF_COOKIE) or secrets.token_urlsafe(32)
    response = render(request, "login.html", csrf=csrf)
    response.set_cookie(LOGIN_CSRF_COOKIE, csrf, httponly=True, samesite="lax", secure=_secure(request),
                        path="/consola")
    return response


@router.post("/ingresar", response_class=HTMLResponse)
def login(request: Request, session: SessionDep, email: Annotated[str, Form(max_length=254)] = "",
          password: Annotated[str, Form(max_length=256)] = "", csrf: Annotated[str, Form()] = "") -> Response:
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not expected or not hmac.compare_digest(csrf.encode(), expected.encode()):
        raise CsrfRefused()
    address = request.client.host if request.client else "unknown"
    try:
        _user, token, _csrf = log_in(session, email=email, password=password, address=address)
    except BadCredentials:
        return render(request, "login.html", status=401, csrf=expected, email=email, error="credentials")
    except Throttled as throttled:
        return render(request, "login.html", status=429, csrf=expected, email=email, error="throttled",
                      wait=int(throttled.wait.total_seconds()) + 1)
    response = RedirectResponse("/consola", status_code=303)
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="lax", secure=_secure(request),
                        path="/consola")
    return response


@router.post("/salir")
def logout(staff: PostingStaff, session: SessionDep) -> Response:
    log_out(session, staff.token)
    response = RedirectResponse("/consola/ingresar", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/consola")
    return response


@router.get("/idioma")
def choose_language(lang: str = "es", next: str = "/consola") -> Response:
    """A plain link (no form, nothing changes but the cookie): the console in Spanish or English."""
    target = next if next.startswith("/consola") and "//" not in next else "/consola"
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(LANG_COOKIE, lang if lang in CONSOLE_LANGUAGES else "es", samesite="lax",
                        max_age=365 * 86400, path="/")
    return response
