"""Convocatorias of a barrio, with delivery progress and RSVP counts, for its ejecutor."""

from typing import Annotated

from fastapi import APIRouter, Depends
from sqlmodel import col, select

from api.barrios.deps import ActingStaff, OwnedBarrio
from api.convocatorias.models import Convocatoria, ConvocatoriaPublic
from api.convocatorias.store import describe
from api.kernel.deps import Id, SessionDep
from api.kernel.errors import ERROR_RESPONSES, NotFound
from api.privacy.log import staff_read
from api.privacy.models import Action

router = APIRouter(prefix="/api/barrios/{barrio_id}/convocatorias", tags=["convocatorias"], responses=ERROR_RESPONSES)


def convocatoria_in_barrio(convocatoria_id: Id, barrio: OwnedBarrio, session: SessionDep) -> Convocatoria:
    """The convocatoria if it belongs to the barrio of the path (itself one of the caller's)."""
    row = session.get(Convocatoria, convocatoria_id)
    if row is None or row.barrio_id != barrio.id:
        raise NotFound(f"convocatoria {convocatoria_id} not found")
    return row


OwnedConvocatoria = Annotated[Convocatoria, Depends(convocatoria_in_barrio)]


@router.get("", response_model=list[ConvocatoriaPublic])
def list_convocatorias(barrio: OwnedBarrio, session: SessionDep, by: ActingStaff) -> list[ConvocatoriaPublic]:
    """Every convocatoria of the barrio, newest assembly first, with delivery and RSVP counts."""
    rows = session.exec(
        select(Convocatoria).where(Convocatoria.barrio_id == barrio.id).order_by(col(Convocatoria.starts_at).desc())
    ).all()
    return _logged(session, barrio.id or 0, [describe(session, row) for row in rows], "convocatorias", by)


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
