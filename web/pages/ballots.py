"""A ballot: its iniciativas, participation and results as a chart with its table (and the budget line)."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.ballots.models import Ballot
from api.ballots.store import describe, results
from api.barrios.models import Barrio
from api.kernel.deps import Id, SessionDep
from web.deps import StaffDep
from web.pages.forms import to_local
from web.pages.owned import page_of
from web.templating import render

router = APIRouter()


@router.get("/votaciones/{ballot_id}", response_class=HTMLResponse)
def ballot_page(request: Request, ballot_id: Id, staff: StaffDep, session: SessionDep,
                error: str | None = None) -> HTMLResponse:
    ballot = page_of(session, staff, Ballot, ballot_id)
    barrio = session.get(Barrio, ballot.barrio_id)
    assert barrio is not None
    return render(request, "ballot.html", timezone=barrio.timezone, staff=staff, barrio=barrio,
                  ballot=describe(session, ballot), results=results(session, ballot), error=error,
                  local=lambda moment: to_local(moment, barrio.timezone))
