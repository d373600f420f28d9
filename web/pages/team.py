"""The organisation's staff: add and deactivate colleagues; one's own API tokens, created and revoked."""

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.kernel.deps import Id, SessionDep
from api.kernel.errors import Conflict, Invalid, NotFound
from api.staff.store import add_staff, colleague, colleagues, create_token, revoke_token, set_active, tokens
from web.deps import PageNotFound, PostingStaff, Staff, StaffDep
from web.templating import render

router = APIRouter()


def _page(request: Request, staff: Staff, session: SessionDep, *, status: int = 200, **extra: object) -> HTMLResponse:
    return render(request, "team.html", status=status, staff=staff, tokens=tokens(session, staff.user),
                  colleagues=colleagues(session, staff.ejecutor.id or 0), **extra)


@router.get("/equipo", response_class=HTMLResponse)
def team(request: Request, staff: StaffDep, session: SessionDep) -> HTMLResponse:
    return _page(request, staff, session)


@router.post("/equipo", response_class=HTMLResponse)
def add(request: Request, staff: PostingStaff, session: SessionDep, name: Annotated[str, Form(max_length=120)],
        email: Annotated[str, Form(max_length=254)], password: Annotated[str, Form(max_length=256)]) -> Response:
    try:
        add_staff(session, ejecutor=staff.ejecutor, name=name, email=email, password=password)
    except (Invalid, Conflict) as error:
        return _page(request, staff, session, status=422, error=error.detail)
    return RedirectResponse("/consola/equipo", status_code=303)


@router.post("/equipo/{staff_id}/{action}")
def activation(staff_id: Id, action: str, staff: PostingStaff, session: SessionDep) -> Response:
    try:
        user = colleague(session, staff.ejecutor.id or 0, staff_id)
    except NotFound as error:
        raise PageNotFound() from error
    if action not in ("desactivar", "activar") or user.id == staff.user.id:
        raise PageNotFound()
    set_active(session, user, action == "activar")
    return RedirectResponse("/consola/equipo", status_code=303)


@router.post("/tokens", response_class=HTMLResponse)
def new_token(request: Request, staff: PostingStaff, session: SessionDep,
              label: Annotated[str, Form(max_length=80)] = "API") -> HTMLResponse:
    """The token is on this page only; afterwards it is listed by name, never shown again."""
    _row, token = create_token(session, staff.user, label)
    return _page(request, staff, session, new_token=token)


@router.post("/tokens/{token_id}/revocar")
def revoke(token_id: Id, staff: PostingStaff, session: SessionDep) -> Response:
    try:
        revoke_token(session, staff.user, token_id)
    except NotFound as error:
        raise PageNotFound() from error
    return RedirectResponse("/consola/equipo", status_code=303)
