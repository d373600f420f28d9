"""Barrios of the calling ejecutor, with their join codes and deep links."""

from fastapi import APIRouter, Request, status
from sqlmodel import select

from api.barrios.models import Barrio, BarrioCreate, BarrioPublic
from api.barrios.store import create_barrio, describe, member_counts
from api.kernel.deps import CurrentEjecutor, Id, SessionDep, SettingsDep, owned_barrio
from api.kernel.errors import ERROR_RESPONSES

router = APIRouter(prefix="/api/barrios", tags=["barrios"], responses=ERROR_RESPONSES)


def _bot(request: Request) -> str:
    return request.app.state.bot_username  # type: ignore[no-any-return]


@router.post("", status_code=status.HTTP_201_CREATED, response_model=BarrioPublic)
def add_barrio(data: BarrioCreate, session: SessionDep, ejecutor: CurrentEjecutor,
               settings: SettingsDep, request: Request) -> BarrioPublic:
    """Create a barrio; the answer carries its join code and t.me deep link."""
    barrio = create_barrio(session, ejecutor=ejecutor, data=data, default_timezone=settings.timezone)
    return describe(barrio, members=0, bot_username=_bot(request))


@router.get("", response_model=list[BarrioPublic])
def list_barrios(session: SessionDep, ejecutor: CurrentEjecutor, request: Request) -> list[BarrioPublic]:
    """The caller's barrios with their member counts."""
    barrios = session.exec(select(Barrio).where(Barrio.ejecutor_id == ejecutor.id).order_by(Barrio.id)).all()
    counts = member_counts(session, [b.id for b in barrios if b.id is not None])
    return [describe(b, members=counts.get(b.id or 0, 0), bot_username=_bot(request)) for b in barrios]


@router.get("/{barrio_id}", response_model=BarrioPublic)
def get_barrio(barrio_id: Id, session: SessionDep, ejecutor: CurrentEjecutor, request: Request) -> BarrioPublic:
    """One of the caller's barrios; another ejecutor's barrio answers 404."""
    barrio = owned_barrio(session, ejecutor, barrio_id)
    counts = member_counts(session, [barrio_id])
    return describe(barrio, members=counts.get(barrio_id, 0), bot_username=_bot(request))
