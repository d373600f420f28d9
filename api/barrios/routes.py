"""Barrios of the calling ejecutor, with their join codes and deep links."""

from typing import Literal

from fastapi import APIRouter, status
from sqlmodel import select

from api.barrios.deps import CurrentEjecutor, OwnedBarrio
from api.barrios.models import Barrio, BarrioCreate, BarrioPublic, BarrioUpdate
from api.barrios.store import create_barrio, described, rotate_code, update_barrio
from api.kernel.deps import BotUsername, SessionDep, SettingsDep
from api.kernel.errors import ERROR_RESPONSES
from api.kernel.paging import PAGED, PagingDep

router = APIRouter(prefix="/api/barrios", tags=["barrios"], responses=ERROR_RESPONSES)


@router.post("", status_code=status.HTTP_201_CREATED, response_model=BarrioPublic)
def add_barrio(data: BarrioCreate, session: SessionDep, ejecutor: CurrentEjecutor,
               settings: SettingsDep, bot: BotUsername) -> BarrioPublic:
    """Create a barrio; the answer carries its join code and t.me deep link."""
    barrio = create_barrio(session, ejecutor=ejecutor, data=data, default_timezone=settings.timezone)
    return _shown(session, barrio, settings, bot)


@router.get("", response_model=list[BarrioPublic], responses=PAGED)
def list_barrios(session: SessionDep, ejecutor: CurrentEjecutor, settings: SettingsDep, bot: BotUsername,
                 paging: PagingDep) -> list[BarrioPublic]:
    """The caller's barrios with their member counts (paged)."""
    barrios = paging.rows(session, select(Barrio).where(Barrio.ejecutor_id == ejecutor.id).order_by(Barrio.id))  # type: ignore[arg-type]
    return described(session, barrios, bot_username=bot, retention_months=settings.retention_months)


@router.get("/{barrio_id}", response_model=BarrioPublic)
def get_barrio(barrio: OwnedBarrio, session: SessionDep, settings: SettingsDep, bot: BotUsername) -> BarrioPublic:
    """One of the caller's barrios; another ejecutor's barrio answers 404."""
    return _shown(session, barrio, settings, bot)


@router.patch("/{barrio_id}", response_model=BarrioPublic)
def change_barrio(barrio: OwnedBarrio, data: BarrioUpdate, session: SessionDep, settings: SettingsDep,
                  bot: BotUsername) -> BarrioPublic:
    """Set whom vecinos ask about their data, and the last day of the programme here when it is not the end
    of its last phase: RETENTION_MONTHS after it every link between members and their chats is cut
    (`links_cut_on`); null gives the day back to the phases."""
    barrio = update_barrio(session, barrio, data)
    return _shown(session, barrio, settings, bot)


@router.post("/{barrio_id}/codes/{which}/rotate", response_model=BarrioPublic)
def rotate(barrio: OwnedBarrio, which: Literal["join", "motor"], session: SessionDep, settings: SettingsDep,
           bot: BotUsername) -> BarrioPublic:
    """A new join (`join`) or grupo motor (`motor`) code: the old code, its link and printed posters stop working."""
    barrio = rotate_code(session, barrio, which)
    return _shown(session, barrio, settings, bot)


def _shown(session: SessionDep, barrio: Barrio, settings: SettingsDep, bot: str) -> BarrioPublic:
    return described(session, [barrio], bot_username=bot, retention_months=settings.retention_months)[0]
