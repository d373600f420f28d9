"""Convocatorias of a barrio, with delivery progress and RSVP counts, for its ejecutor."""


from fastapi import APIRouter, HTTPException, status
from sqlmodel import col, select

from api.convocatorias.models import Convocatoria, ConvocatoriaPublic
from api.convocatorias.store import describe
from api.kernel.deps import CurrentEjecutor, Id, SessionDep, owned_barrio
from api.kernel.errors import ERROR_RESPONSES

router = APIRouter(prefix="/api/barrios/{barrio_id}/convocatorias", tags=["convocatorias"], responses=ERROR_RESPONSES)


@router.get("", response_model=list[ConvocatoriaPublic])
def list_convocatorias(barrio_id: Id, session: SessionDep, ejecutor: CurrentEjecutor) -> list[ConvocatoriaPublic]:
    """Every convocatoria of the barrio, newest assembly first, with delivery and RSVP counts."""
    owned_barrio(session, ejecutor, barrio_id)
    rows = session.exec(
        select(Convocatoria).where(Convocatoria.barrio_id == barrio_id).order_by(col(Convocatoria.starts_at).desc())
    ).all()
    return [describe(session, row) for row in rows]


@router.get("/{convocatoria_id}", response_model=ConvocatoriaPublic)
def get_convocatoria(barrio_id: Id, convocatoria_id: Id, session: SessionDep,
                     ejecutor: CurrentEjecutor) -> ConvocatoriaPublic:
    """One convocatoria with its delivery and RSVP counts."""
    owned_barrio(session, ejecutor, barrio_id)
    row = session.get(Convocatoria, convocatoria_id)
    if row is None or row.barrio_id != barrio_id:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"convocatoria {convocatoria_id} not found")
    return describe(session, row)
