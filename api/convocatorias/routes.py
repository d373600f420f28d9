"""Convocatorias of a barrio, with delivery progress and RSVP counts, for its ejecutor."""

from typing import Annotated

from fastapi import APIRouter, Depends
from sqlmodel import col, select

from api.barrios.deps import OwnedBarrio
from api.convocatorias.models import Convocatoria, ConvocatoriaPublic
from api.convocatorias.store import describe
from api.kernel.deps import Id, SessionDep
from api.kernel.errors import ERROR_RESPONSES, NotFound

router = APIRouter(prefix="/api/barrios/{barrio_id}/convocatorias", tags=["convocatorias"], responses=ERROR_RESPONSES)


def convocatoria_in_barrio(convocatoria_id: Id, barrio: OwnedBarrio, session: SessionDep) -> Convocatoria:
    """The convocatoria if it belongs to the barrio of the path (itself one of the caller's)."""
    row = session.get(Convocatoria, convocatoria_id)
    if row is None or row.barrio_id != barrio.id:
        raise NotFound(f"convocatoria {convocatoria_id} not found")
    return row


OwnedConvocatoria = Annotated[Convocatoria, Depends(convocatoria_in_barrio)]


@router.get("", response_model=list[ConvocatoriaPublic])
def list_convocatorias(barrio: OwnedBarrio, session: SessionDep) -> list[ConvocatoriaPublic]:
    """Every convocatoria of the barrio, newest assembly first, with delivery and RSVP counts."""
    rows = session.exec(
        select(Convocatoria).where(Convocatoria.barrio_id == barrio.id).order_by(col(Convocatoria.starts_at).desc())
    ).all()
    return [describe(session, row) for row in rows]


@router.get("/{convocatoria_id}", response_model=ConvocatoriaPublic)
def get_convocatoria(convocatoria: OwnedConvocatoria, session: SessionDep) -> ConvocatoriaPublic:
    """One convocatoria with its delivery and RSVP counts."""
    return describe(session, convocatoria)
