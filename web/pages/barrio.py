"""A barrio: its join and grupo motor links, members (promote/demote), codes, surveys, ballots, convocatorias."""

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import col, select

from api.ballots.models import Ballot
from api.ballots.store import describe as describe_ballot
from api.barrios.models import Barrio, Member
from api.barrios.store import described, rotate_code
from api.convocatorias.models import Convocatoria
from api.convocatorias.store import describe as describe_convocatoria
from api.kernel.deps import BotUsername, Id, SessionDep, SettingsDep
from api.privacy.log import staff_read
from api.privacy.models import Action
from api.surveys.models import Survey
from api.surveys.routes import public
from conversations.kernel.members import Role
from web.deps import PageNotFound, PostingStaff, StaffDep
from web.pages.owned import page_of
from web.pages.timeline_chart import programme_chart
from web.templating import render

router = APIRouter()


@router.get("/barrios/{barrio_id}", response_class=HTMLResponse)
def barrio_page(request: Request, barrio_id: Id, staff: StaffDep, session: SessionDep, bot: BotUsername,
                settings: SettingsDep, error: str | None = None) -> HTMLResponse:
    barrio = page_of(session, staff, Barrio, barrio_id)
    members = session.exec(select(Member).where(Member.barrio_id == barrio.id)
                           .order_by(col(Member.joined_at))).all()
    staff_read(session, barrio_id=barrio_id, action=Action.STAFF_MEMBER_LIST, detail="members",
               people=len(members), by=staff.actor)
    surveys = session.exec(select(Survey).where(Survey.barrio_id == barrio.id).order_by(col(Survey.id).desc())).all()
    ballots = session.exec(select(Ballot).where(Ballot.barrio_id == barrio.id).order_by(col(Ballot.id).desc())).all()
    convocatorias = session.exec(select(Convocatoria).where(Convocatoria.barrio_id == barrio.id)
                                 .order_by(col(Convocatoria.starts_at).desc())).all()
    return render(
        request, "barrio.html", timezone=barrio.timezone, staff=staff, error=error,
        chart=programme_chart(request, session, barrio),
        barrio=described(session, [barrio], bot_username=bot, retention_months=settings.retention_months)[0],
        members=members, surveys=[public(s) for s in surveys],
        ballots=[describe_ballot(session, b) for b in ballots],
        convocatorias=[describe_convocatoria(session, c) for c in convocatorias])


@router.post("/barrios/{barrio_id}/miembros/{member_id}")
def set_role(barrio_id: Id, member_id: str, staff: PostingStaff, session: SessionDep,
             role: Annotated[Role, Form()]) -> Response:
    """Promote a member to the grupo motor, or back to vecino."""
    barrio = page_of(session, staff, Barrio, barrio_id)
    member = session.get(Member, member_id)
    if member is None or member.barrio_id != barrio.id:
        raise PageNotFound()
    member.role = role
    session.add(member)
    session.commit()
    return RedirectResponse(f"/consola/barrios/{barrio_id}#miembros", status_code=303)


@router.post("/barrios/{barrio_id}/codigos")
def rotate(barrio_id: Id, staff: PostingStaff, session: SessionDep,
           which: Annotated[str, Form(pattern="^(join|motor)$")]) -> Response:
    """A new join or grupo motor code: the old link and printed posters stop working."""
    rotate_code(session, page_of(session, staff, Barrio, barrio_id), which)
    return RedirectResponse(f"/consola/barrios/{barrio_id}#codigos", status_code=303)
