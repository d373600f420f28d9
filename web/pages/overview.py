"""The first page: the organisation's barrios as cards."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.kernel.deps import SessionDep
from api.staff.overview import barrio_cards
from web.deps import StaffDep
from web.templating import render

router = APIRouter()


@router.get("", response_class=HTMLResponse)
def overview(request: Request, staff: StaffDep, session: SessionDep) -> HTMLResponse:
    cards = barrio_cards(session, staff.ejecutor.id or 0)
    return render(request, "overview.html", staff=staff, cards=cards)
