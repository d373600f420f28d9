"""Barrios of the calling ejecutor, with their join codes and deep links."""

from fastapi import APIRouter, status
from sqlmodel import select

from api.barrios.deps import CurrentEjecutor, OwnedBarrio
from api.barrios.models import Barrio, BarrioCreate, BarrioPublic, BarrioUpdate
from api.barrios.store import create_barrio, described, update_barrio
from api.kernel.deps import BotUsername, SessionDep, SettingsDep
from api.kernel.errors import ERROR_RESPONSES

router = APIRouter(prefix="/api/barrios", tags=["barrios"], responses=ERROR_RESPONSES)


@router.post("", status_code=status.HTTP_201_CREATED, response_model=BarrioPublic)
def add_barrio(data: BarrioCreate, session: SessionDep, ejecutor: CurrentEjecutor,
               settings: SettingsDep, bot: BotUsername) -> BarrioPublic:
    """Create a barrio; the answer carries its join code and t.me deep link."""
    barrio = create_barrio(session, ejecutor=ejecutor, data=data, default_timezone=settings.timezone)
    return described(session, [barrio], bot_username=bot, retention_months=settings.retention_months)[0]


@router.get("", response_model=list[BarrioPublic])
def list_barrios(session: SessionDep, ejecutor: CurrentEjecutor, settings: SettingsDep,
                 bot: BotUsername) -> list[BarrioPublic]:
    """The caller's barrios with their member counts."""
    barrios = session.exec(select(Barrio).where(Barrio.ejecutor_id == ejecutor.id).order_by(Barrio.id)).all()
    return described(session, barrios, bot_username=bot, retention_months=settings.retention_months)


@router.get("/{barrio_id}", response_model=BarrioPublic)
def get_barrio(barrio: OwnedBarrio, session: SessionDep, settings: SettingsDep, bot: BotUsername) -> BarrioPublic:
    """One of the caller's barrios; another ejecutor's barrio answers 404."""
    return described(session, [barrio], bot_username=bot, retention_months=settings.retention_months)[0]


@router.patch("/{barrio_id}", response_model=BarrioPublic)
def change_barrio(barrio: OwnedBarrio, data: BarrioUpdate, session: SessionDep, settings: SettingsDep,
                  bot: BotUsername) -> BarrioPublic:
    """Set whom vecinos ask about their data, and the last day of the programme here when it is not the end
    of its last phase: RETENTION_MONTHS after it every link between members and their chats is cut
    (`links_cut_on`); null gives the day back to the phases."""
    barrio = update_barrio(session, barrio, data)
    return described(session, [barrio], bot_username=bot, retention_months=settings.retention_months)[0]
