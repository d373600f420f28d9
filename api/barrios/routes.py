"""Barrios of the calling ejecutor, with their join codes and deep links."""

from typing import Literal

from fastapi import APIRouter, status
from sqlmodel import select

from api.barrios.deps import CurrentEjecutor, OwnedBarrio
from api.barrios.models import Barrio, BarrioCreate, BarrioPublic, BarrioUpdate
from api.barrios.store import create_barrio, describe, member_counts, rotate_code, update_barrio
from api.kernel.deps import BotUsername, SessionDep, SettingsDep
from api.kernel.errors import ERROR_RESPONSES
from api.kernel.paging import PAGED, PagingDep

router = APIRouter(prefix="/api/barrios", tags=["barrios"], responses=ERROR_RESPONSES)


@router.post("", status_code=status.HTTP_201_CREATED, response_model=BarrioPublic)
def add_barrio(data: BarrioCreate, session: SessionDep, ejecutor: CurrentEjecutor,
               settings: SettingsDep, bot: BotUsername) -> BarrioPublic:
    """Create a barrio; the answer carries its join code and t.me deep link."""
    barrio = create_barrio(session, ejecutor=ejecutor, data=data, default_timezone=settings.timezone)
    return describe(barrio, members=0, bot_username=bot)


@router.get("", response_model=list[BarrioPublic], responses=PAGED)
def list_barrios(session: SessionDep, ejecutor: CurrentEjecutor, bot: BotUsername,
                 paging: PagingDep) -> list[BarrioPublic]:
    """The caller's barrios with their member counts (paged)."""
    barrios = paging.rows(session, select(Barrio).where(Barrio.ejecutor_id == ejecutor.id).order_by(Barrio.id))  # type: ignore[arg-type]
    counts = member_counts(session, [b.id for b in barrios if b.id is not None])
    return [describe(b, members=counts.get(b.id or 0, 0), bot_username=bot) for b in barrios]


@router.get("/{barrio_id}", response_model=BarrioPublic)
def get_barrio(barrio: OwnedBarrio, session: SessionDep, bot: BotUsername) -> BarrioPublic:
    """One of the caller's barrios; another ejecutor's barrio answers 404."""
    return _shown(session, barrio, bot)


@router.patch("/{barrio_id}", response_model=BarrioPublic)
def change_barrio(barrio: OwnedBarrio, data: BarrioUpdate, session: SessionDep, settings: SettingsDep,
                  bot: BotUsername) -> BarrioPublic:
    """Set whom vecinos ask about their data, and the last day of the programme here: RETENTION_MONTHS
    after it every link between members and their chats is cut (`links_cut_on`)."""
    barrio = update_barrio(session, barrio, data, retention_months=settings.retention_months)
    return _shown(session, barrio, bot)


@router.post("/{barrio_id}/codes/{which}/rotate", response_model=BarrioPublic)
def rotate(barrio: OwnedBarrio, which: Literal["join", "motor"], session: SessionDep,
           bot: BotUsername) -> BarrioPublic:
    """A new join (`join`) or grupo motor (`motor`) code: the old code, its link and printed posters stop working."""
    barrio = rotate_code(session, barrio, which)
    return _shown(session, barrio, bot)


def _shown(session: SessionDep, barrio: Barrio, bot: str) -> BarrioPublic:
    members = member_counts(session, [barrio.id or 0]).get(barrio.id or 0, 0)
    return describe(barrio, members=members, bot_username=bot)
