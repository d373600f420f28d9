"""The accountability log in the console: who among the organisation's staff (or which vecino, or the system)
did what with personal data, and when; filtered by person if asked. Reading it is not itself logged."""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from api.kernel.deps import SessionDep
from api.privacy.entries import entries
from api.staff.store import colleagues
from web.deps import StaffDep
from web.templating import render

router = APIRouter()


@router.get("/registro", response_class=HTMLResponse)
def data_log(request: Request, staff: StaffDep, session: SessionDep,
             persona: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None) -> HTMLResponse:
    team = colleagues(session, staff.ejecutor.id or 0)
    return render(request, "data_log.html", staff=staff, team=team, chosen=persona,
                  entries=entries(session, staff.ejecutor.id or 0, limit=500, staff_id=persona))
