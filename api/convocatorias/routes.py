"""Convocatorias of a barrio for its ejecutor: the list with delivery progress and RSVP counts; send one,
call it off or move it (those told are told again), as the grupo motor does in the chat."""

from typing import Annotated

from fastapi import APIRouter, Depends, status
from sqlmodel import col, select

from api.barrios.deps import ActingStaff, OwnedBarrio
from api.convocatorias.changes import cancel_convocatoria, reschedule_convocatoria
from api.convocatorias.models import Convocatoria, ConvocatoriaCreate, ConvocatoriaMove, ConvocatoriaPublic
from api.convocatorias.store import describe, send_convocatoria
from api.kernel.deps import Id, SessionDep
from api.kernel.errors import ERROR_RESPONSES, Invalid, NotFound
from api.kernel.paging import PAGED, PagingDep
from api.kernel.types import utcnow
from api.privacy.log import staff_read
from api.privacy.models import Action
from conversations.convocatorias.ports import Draft

router = APIRouter(prefix="/api/barrios/{barrio_id}/convocatorias", tags=["convocatorias"], responses=ERROR_RESPONSES)


def convocatoria_in_barrio(convocatoria_id: Id, barrio: OwnedBarrio, session: SessionDep) -> Convocatoria:
    """The convocatoria if it belongs to the barrio of the path (itself one of the caller's)."""
    row = session.get(Convocatoria, convocatoria_id)
    if row is None or row.barrio_id != barrio.id:
        raise NotFound(f"convocatoria {convocatoria_id} not found")
    return row


OwnedConvocatoria = Annotated[Convocatoria, Depends(convocatoria_in_barrio)]


@router.get("", response_model=list[ConvocatoriaPublic], responses=PAGED)
def list_convocatorias(barrio: OwnedBarrio, session: SessionDep, paging: PagingDep,
                       by: ActingStaff) -> list[ConvocatoriaPublic]:
    """The barrio's convocatorias, newest assembly first, with delivery and RSVP counts (paged)."""
    rows = paging.rows(session, select(Convocatoria).where(Convocatoria.barrio_id == barrio.id)
                       .order_by(col(Convocatoria.starts_at).desc(), col(Convocatoria.id).desc()))
    return _logged(session, barrio.id or 0, [describe(session, row) for row in rows], "convocatorias", by)


@router.post("", status_code=status.HTTP_201_CREATED, response_model=ConvocatoriaPublic)
def add_convocatoria(barrio: OwnedBarrio, data: ConvocatoriaCreate, session: SessionDep) -> ConvocatoriaPublic:
    """Send a convocatoria (what, where, when) to every subscribed vecino, in their language, through the outbox."""
    if data.starts_at <= utcnow():
        raise Invalid("starts_at: must be in the future")
    row, _queued = send_convocatoria(session, barrio, Draft(data.title.strip(), data.starts_at, data.place.strip(),
                                                            data.details.strip()), None)
    session.commit()
    return describe(session, row)


@router.get("/{convocatoria_id}", response_model=ConvocatoriaPublic)
def get_convocatoria(convocatoria: OwnedConvocatoria, session: SessionDep, by: ActingStaff) -> ConvocatoriaPublic:
    """One convocatoria with its delivery and RSVP counts."""
    found = describe(session, convocatoria)
    return _logged(session, convocatoria.barrio_id, [found], f"convocatoria {convocatoria.id}", by)[0]


def _logged(session: SessionDep, barrio_id: int, shown: list[ConvocatoriaPublic], what: str,
            by: ActingStaff) -> list[ConvocatoriaPublic]:
    """The names of those who agreed to show who comes are a list of members: reading them is logged."""
    people = sum(len(names) for found in shown for names in found.names.values())
    if people:
        staff_read(session, barrio_id=barrio_id, action=Action.STAFF_MEMBER_LIST, detail=f"{what} attendees",
                   people=people, by=by)
    return shown


@router.post("/{convocatoria_id}/cancel", response_model=ConvocatoriaPublic)
def cancel(barrio: OwnedBarrio, convocatoria: OwnedConvocatoria, session: SessionDep) -> ConvocatoriaPublic:
    """Call it off: those who got it or said Asistiré / Tal vez are told in their language. 409 once past or
    called off."""
    cancel_convocatoria(session, barrio, convocatoria, utcnow())
    session.commit()
    return describe(session, convocatoria)


@router.post("/{convocatoria_id}/reschedule", response_model=ConvocatoriaPublic)
def reschedule(barrio: OwnedBarrio, convocatoria: OwnedConvocatoria, move: ConvocatoriaMove,
               session: SessionDep) -> ConvocatoriaPublic:
    """A new date (and place): those who got it or said Asistiré / Tal vez are told; their answers are kept."""
    reschedule_convocatoria(session, barrio, convocatoria, move, utcnow())
    session.commit()
    return describe(session, convocatoria)
